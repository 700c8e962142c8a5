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
