"""Enumerations stored in the ledger: stable English codes, with the Chinese label a clerk sees.

The codes are what the file and the JSON format hold; the labels are only for display, so a
wording change never touches the data. Each mapping keeps its display order.
"""

BRANCH_TYPES = {
    "government": "机关",
    "enterprise": "企业",
    "village": "村",
    "community": "社区",
    "school": "学校",
    "other": "其他",
}

SEXES = {"male": "男", "female": "女"}

# A person's place in the development pipeline (domain-rules §3) or as a member.
STAGES = {
    "applicant": "入党申请人",
    "activist": "入党积极分子",
    "target": "发展对象",
    "probationary": "预备党员",
    "full": "正式党员",
}
MEMBER_STAGES = ("probationary", "full")

MEMBERSHIP_STATES = {
    "active": "在册",
    "transferred_out": "转出",
    "suspended": "停止党籍",
    "expelled": "出党",
    "deceased": "去世",
    "withdrawn": "终止培养",
    "disqualified": "取消预备党员资格",
}

DUES_CATEGORIES = {
    "in_service": "在职",
    "retired": "离退休",
    "farmer": "农民",
    "student": "学生",
    "unemployed": "下岗失业/低保",
}

COMMITTEE_POSTS = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员", "青年委员", "委员")

MEETING_KINDS = {
    "general_assembly": "支部党员大会",
    "committee": "支部委员会",
    "group": "党小组会",
    "lecture": "党课",
    "theme_day": "主题党日",
    "life_meeting": "组织生活会",
    "appraisal": "民主评议党员",
    "other": "其他",
}

MEETING_STATUSES = {"planned": "计划", "held": "已召开"}

ATTENDANCE_STATUSES = {"present": "出席", "absent": "缺席"}

ABSENCE_REASONS = {"sick": "病假", "personal": "事假", "official": "公假/因公外出", "other": "其他"}

# The five categories that may be excluded from 应到 with upper approval (domain-rules §2).
EXCLUSION_CATEGORIES = {
    "incapacity": "丧失行为能力",
    "abroad": "因私出国（境）半年以上",
    "detained": "被羁押",
    "bedridden": "年老体弱卧床不起",
    "away": "外出半年以上且应转未转组织关系",
}

VOTE_KINDS = {"ordinary": "一般表决", "election": "选举"}

HISTORY_KINDS = {
    "development": "发展党员",
    "joined": "入党",
    "converted": "转正",
    "post": "任职",
    "transfer_in": "转入",
    "transfer_out": "转出",
    "appraisal": "民主评议",
    "commendation": "表彰",
    "discipline": "处分",
    "state": "党籍变动",
    "other": "其他",
}

# The steps a 支委会 or 支部大会 decides (the Development or Person date column each sets): the meeting is
# picked from the ledger and gives the date (domain-rules §3).
DECISION_STEPS = {
    "activist_on": "确定为入党积极分子（支委会）",
    "target_on": "确定为发展对象（支委会）",
    "committee_review_on": "支委会审查",
    "joined_on": "支部大会讨论接收预备党员",
    "extension_decided_on": "支部大会讨论延长预备期",
    "conversion_meeting_on": "支部大会讨论转正",
}

# Occupation categories of the 党内统计 report (domain-rules §5).
OCCUPATION_CATEGORIES = {
    "worker": "工人（工勤技能人员）",
    "farmer": "农牧渔民",
    "professional": "专业技术人员",
    "manager": "管理人员",
    "official": "党政机关工作人员",
    "student": "学生",
    "retired": "离退休人员",
    "other": "其他",
}

# 谈心谈话 between whom (domain-rules §2: committee members among themselves, committee and members,
# members among themselves).
TALK_KINDS = {
    "committee": "支委之间",
    "committee_member": "支委与党员",
    "members": "党员之间",
    "other": "其他",
}

# What the clerk writes for a year and the annual summary prints (domain-rules §6), kept per year.
ANNUAL_TEXT_SECTIONS = {
    "plan": "年度工作计划",
    "political": "政治建设和思想建设",
    "central_tasks": "围绕中心工作发挥作用",
    "conduct": "作风建设和纪律建设",
    "problems": "存在的问题和不足",
    "plans": "下一年度工作打算",
}

APPRAISAL_GRADES = {"excellent": "优秀", "qualified": "合格", "basically": "基本合格", "unqualified": "不合格"}

TRANSFER_DIRECTIONS = {"out": "转出", "in": "转入"}

TRANSFER_SCOPES = {
    "within_province": "省（区、市）内",
    "across_province": "跨省（区、市）",
    "within_system": "系统内",
    "across_system": "跨系统",
}

PAYMENT_METHODS = {"cash": "现金", "transfer": "转账"}

RELIEF_KINDS = {"reduce": "减交", "exempt": "免交"}

AUDIT_ACTIONS = {"insert": "新增", "update": "修改", "delete": "删除", "bulk": "批量"}

ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)

EDUCATIONS = ("研究生", "大学本科", "大学专科", "中专", "高中", "初中及以下")


# What each column of the ledger holds, in Chinese. Columns of many tables share one entry.
COMMON_COLUMN_MEANINGS = {
    "id": "记录编号（主键）",
    "note": "备注",
    "person_id": "人员",
    "meeting_id": "会议",
    "topic_id": "所属议题（可空）",
    "seq": "顺序号",
    "year": "年度",
    "sort_order": "排列顺序",
    "started_on": "开始日期",
}

COLUMN_MEANINGS = {
    "branch.name": "支部名称",
    "branch.branch_type": "支部类型",
    "branch.upper_committee": "上级党组织",
    "branch.founded_on": "成立日期",
    "branch.address": "地址",
    "branch.phone": "联系电话",
    "setting.key": "设置项名称（主键）",
    "setting.value": "设置值（JSON 文本）",
    "party_group.name": "党小组名称（不能重复）",
    "party_group.leader_id": "党小组组长",
    "person.name": "姓名",
    "person.name_initials": "姓名拼音首字母（检索用，由姓名得出）",
    "person.sex": "性别",
    "person.ethnicity": "民族",
    "person.native_place": "籍贯",
    "person.birth_date": "出生日期",
    "person.id_number": "公民身份号码（不能重复）",
    "person.work_started_on": "参加工作时间",
    "person.education": "学历（最高）",
    "person.school_major": "毕业院校及专业",
    "person.degree": "学位",
    "person.occupation": "工作岗位（职业类别）",
    "person.occupation_category": "职业类别（党内统计口径，可空）",
    "person.post": "职务",
    "person.phone": "联系电话",
    "person.address": "家庭住址",
    "person.stage": "身份（发展阶段或党员类别）",
    "person.membership_state": "党籍状态",
    "person.state_changed_on": "党籍状态变动日期",
    "person.state_reason": "党籍状态变动原因",
    "person.joined_on": "入党时间（支部大会通过之日）",
    "person.converted_on": "转正时间（党龄从此起算）",
    "person.is_mobile": "是否流动党员",
    "person.mobile_note": "流动情况说明",
    "person.group_id": "所在党小组",
    "person.dues_category": "党费类别",
    "person.import_batch_id": "创建此人的花名册导入批次（手工录入的为 null）",
    "import_batch.imported_at": "导入时间（ISO 格式）",
    "import_batch.source": "导入的文件名",
    "import_batch.created": "新建的人数",
    "import_batch.updated": "补充信息的已有人数",
    "import_batch.before": "导入前被补充的人员原有数据（JSON 文本，撤销时恢复）",
    "import_batch.undone_at": "撤销时间（未撤销为 null）",
    "development.person_id": "人员（每人一行）",
    "development.applied_on": "递交入党申请书日期",
    "development.talked_on": "党组织派人谈话日期",
    "development.activist_on": "确定为入党积极分子日期",
    "development.activist_filed_on": "入党积极分子报上级备案日期",
    "development.contacts": "培养联系人（姓名以“、”分隔）",
    "development.target_on": "确定为发展对象日期",
    "development.target_filed_on": "发展对象报上级备案日期",
    "development.notice_start_on": "公示开始日期",
    "development.notice_end_on": "公示结束日期",
    "development.introducers": "入党介绍人（姓名以“、”分隔）",
    "development.political_review_on": "政治审查日期",
    "development.political_review_conclusion": "政治审查结论",
    "development.training_start_on": "集中培训开始日期",
    "development.training_end_on": "集中培训结束日期",
    "development.training_hours": "集中培训学时",
    "development.committee_review_on": "支委会审查日期",
    "development.pre_review_on": "上级党委预审日期",
    "development.volunteer_form_on": "填写入党志愿书日期",
    "development.upper_talk_on": "上级党委派人谈话日期",
    "development.approved_on": "上级党委审批日期",
    "development.oath_on": "入党宣誓日期",
    "development.extension_months": "延长预备期月数",
    "development.extension_decided_on": "决定延长预备期日期",
    "development.conversion_applied_on": "提出转正申请日期",
    "development.conversion_meeting_on": "支部大会讨论转正日期",
    "development.conversion_approved_on": "上级党委批准转正日期",
    "development.archived_on": "入党材料归档日期",
    "development.admission_notice_start_on": "拟接收预备党员公示开始日期",
    "development.admission_notice_end_on": "拟接收预备党员公示结束日期",
    "development.admission_filed_on": "审批后报上级组织部门备案日期",
    "development.extension_reason": "延长预备期的原因",
    "development.conversion_notice_start_on": "预备党员转正公示开始日期",
    "development.conversion_notice_end_on": "预备党员转正公示结束日期",
    "development_decision.step": "作出决定的发展环节（所设定的日期字段）",
    "development_decision.meeting_id": "作出决定的支委会或支部大会",
    "appraisal_round.year": "评议年度（每年一次）",
    "appraisal_round.held_on": "评议日期",
    "appraisal_round.meeting_id": "评议所在会议（可空）",
    "annual_text.section": "年度总结的部分",
    "annual_text.text": "党务工作者撰写的内容",
    "activist_assessment.assessed_on": "考察日期",
    "activist_assessment.conclusion": "考察意见",
    "committee_term.started_on": "任期开始日期",
    "committee_term.length_years": "任期年限",
    "committee_member.term_id": "所属任期",
    "committee_member.post": "职务（书记、副书记、组织委员……）",
    "committee_member.started_on": "任职日期",
    "committee_member.ended_on": "离任日期",
    "history_event.occurred_on": "发生日期",
    "history_event.kind": "事件类别",
    "history_event.description": "说明",
    "transfer.direction": "转出或转入",
    "transfer.scope": "转接范围",
    "transfer.from_org": "转出党组织",
    "transfer.to_org": "转入党组织",
    "transfer.transferred_on": "转接日期",
    "transfer.letter_number": "介绍信编号",
    "transfer.valid_days": "介绍信有效天数",
    "transfer.dues_paid_until": "党费交到的月份（记为该月 1 日）",
    "transfer.receipt_returned_on": "回执退回日期",
    "exclusion.category": "不计入应到人数的情形",
    "exclusion.reason": "原因",
    "exclusion.approved_on": "批准日期",
    "exclusion.start_on": "开始日期",
    "exclusion.end_on": "结束日期",
    "meeting.kind": "会议类别",
    "meeting.title": "会议名称",
    "meeting.status": "计划或已召开",
    "meeting.held_on": "会议日期",
    "meeting.start_time": "开始时间（HH:MM）",
    "meeting.end_time": "结束时间（HH:MM）",
    "meeting.place": "地点",
    "meeting.group_id": "党小组（党小组会）",
    "meeting.chair_id": "主持人",
    "meeting.recorder_id": "记录人",
    "meeting.lecturer": "授课人（党课，可为支部以外的人）",
    "meeting.content": "会议内容",
    "meeting_topic.title": "议题",
    "attendance.status": "出席或缺席",
    "attendance.absence_reason": "缺席原因",
    "attendance.reason_note": "缺席原因说明",
    "observer.name": "姓名",
    "observer.affiliation": "单位或身份",
    "speech.speaker_id": "发言人（台账中的人员）",
    "speech.speaker_name": "发言人姓名（不在台账中的人员）",
    "speech.points": "发言要点",
    "vote.motion": "表决事项",
    "vote.kind": "表决类别",
    "vote.yes": "赞成票数",
    "vote.no": "反对票数",
    "vote.abstain": "弃权票数",
    "resolution.text": "决议内容",
    "make_up_study.done_on": "补学完成日期（未完成为空）",
    "appraisal.grade": "评议等次",
    "appraisal.meeting_id": "评议所在会议",
    "talk.held_on": "谈话日期",
    "talk.participants": "谈话人员",
    "talk.topic": "谈话主题",
    "talk.kind": "谈话类别（可空）",
    "talk.first_person_id": "谈话的一方（台账中的人员，可空）",
    "talk.second_person_id": "谈话的另一方（台账中的人员，可空）",
    "talk.gist": "谈话要点",
    "dues_base.base_fen": "党费基数（分）",
    "dues_base.category": "党费类别",
    "dues_base.override_fen": "手工确定的每月应交额（分），只在有理由时填写",
    "dues_base.override_reason": "手工确定应交额的理由",
    "dues_base.entered_on": "录入日期",
    "dues_relief.start_month": "开始月份",
    "dues_relief.end_month": "结束月份",
    "dues_relief.kind": "减交或免交",
    "dues_relief.amount_fen": "减交后每月应交额（分）",
    "dues_relief.branch_approved_on": "支部批准日期",
    "dues_relief.upper_approved_on": "上级党委批准日期",
    "dues_payment.month": "月份（1–12）",
    "dues_payment.amount_fen": "按标准交纳的金额（分）",
    "dues_payment.extra_fen": "自愿多交的金额（分）",
    "dues_payment.paid_on": "交纳日期",
    "dues_payment.method": "交纳方式",
    "dues_payment.receipt_no": "收据编号",
    "audit_entry.at": "修改时间（本地时间，ISO 格式，精确到秒）",
    "audit_entry.action": "修改类别",
    "audit_entry.table_name": "被修改的表",
    "audit_entry.row_id": "被修改记录的编号",
    "audit_entry.summary": "修改摘要",
    "audit_entry.before": "修改前的值（JSON 文本）",
    "audit_entry.after": "修改后的值（JSON 文本）",
}


def column_meaning(table: str, column: str) -> str | None:
    """The Chinese meaning of a column (``None`` when nobody has written one yet): the JSON format's
    column tables (docs/ledger-format.md) and the audit page's field names both read it."""
    return COLUMN_MEANINGS.get(f"{table}.{column}") or COMMON_COLUMN_MEANINGS.get(column)
