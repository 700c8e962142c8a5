"""The demo ledger: an invented but realistic branch, for trying the program and for the benchmarks.

``party-ledger demo`` calls ``generate_demo``. Everything random comes from one
``random.Random(seed)``, so the same seed on the same day gives the same rows; only the audit
entry's timestamp is the real time of writing. The years run up to today and nothing is dated
after it. Every person is invented: names from common characters, ID numbers built from real
district codes but random sequence numbers.

The rows keep the rules the ledger checks, so the demo exercises them: ID numbers (GB 11643) agree
with birth date and sex; development dates keep the order and time limits of domain-rules §3 and
the 入党时间 of someone accepted inside the demo years is a 支部大会 on file that voted on it;
meetings keep the rhythm of §2 with a few periods missed on purpose; dues are the §1 standard from
``rules.dues``, with a few members in arrears.

Speed: 5,000 members over 10 years is about three million rows. They are built as tuples, with
ids assigned here so that nothing is read back, and written with the sqlite3 cursor's
``executemany`` in one transaction (peewee's ``insert_many`` spends most of its time building SQL).
"""

import bisect
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from . import vocab
from .db import new_ledger
from .errors import ValidationError
from .models import ALL_MODELS
from .pinyin import initials
from .rules import id_number, organisation
from .rules.dates import add_months, age_on
from .rules.dues import monthly_standard

MAX_MEMBERS = 50_000
MAX_YEARS = 30
SKIPPED_PERIODS = 0.03  # share of meeting periods deliberately left without a meeting
FLUSH_ROWS = 100_000  # rows buffered before an executemany round
NEVER = date.max.toordinal()
DAY = timedelta(days=1)

# ---- name and place pools (common characters and real district codes; no real person) ----------

SURNAMES = tuple("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
                 "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
                 "郝龚邵万钱严覃武戴莫孔向汤") + ("欧阳", "司马", "诸葛")
_SURNAME_WEIGHTS = tuple(1 / (rank + 8) for rank in range(len(SURNAMES)))
MALE_CHARS = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林阳建国志峰海东文晨亮成立新永春生德胜宏振兴福"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲桂秀英慧巧美婷雪琳晶颖倩洁莉萍红梅兰凤云琴丹蕾璐薇月佳欣悦"
FIRST_CHARS = "晓子文海建俊永春志金玉秋雨天嘉思家宏明"

# (address code of GB/T 2260, the place it names) — the first six digits of an ID number.
AREA_CODES = (
    ("110101", "北京市"), ("110102", "北京市"), ("110105", "北京市"), ("110108", "北京市"),
    ("310101", "上海市"), ("310104", "上海市"), ("310115", "上海市"), ("440103", "广东广州"),
    ("440106", "广东广州"), ("320102", "江苏南京"), ("320106", "江苏南京"), ("510104", "四川成都"),
    ("510107", "四川成都"), ("420102", "湖北武汉"), ("420106", "湖北武汉"), ("330102", "浙江杭州"),
    ("330106", "浙江杭州"), ("370102", "山东济南"), ("370103", "山东济南"), ("610103", "陕西西安"),
    ("610113", "陕西西安"), ("500103", "重庆市"), ("500106", "重庆市"),
)
NATIVE_PLACES = ("河北保定", "山西太原", "辽宁沈阳", "吉林长春", "黑龙江哈尔滨", "江苏苏州", "浙江宁波", "安徽合肥",
                 "福建福州", "江西南昌", "山东青岛", "河南郑州", "湖南长沙", "广东梅州", "广西桂林", "四川南充",
                 "贵州遵义", "云南曲靖", "陕西宝鸡", "甘肃天水", "天津市")

# The branch's city: (city, district, telephone area code, 街道, streets, native place label)
CITIES = (
    ("北京市", "朝阳区", "010", "八里庄街道", ("朝阳路", "延静里中街", "红庙北里", "甘露园南里"), "北京市"),
    ("上海市", "徐汇区", "021", "田林街道", ("田林路", "钦州路", "宜山路", "柳州路"), "上海市"),
    ("广州市", "天河区", "020", "石牌街道", ("天河北路", "石牌东路", "龙口西路", "体育西路"), "广东广州"),
    ("南京市", "玄武区", "025", "梅园新村街道", ("长江路", "汉府街", "珠江路", "太平北路"), "江苏南京"),
    ("成都市", "武侯区", "028", "玉林街道", ("玉林北路", "玉洁巷", "芳草街", "倪家桥路"), "四川成都"),
    ("武汉市", "武昌区", "027", "中南路街道", ("中南路", "武珞路", "中北路", "公正路"), "湖北武汉"),
    ("杭州市", "西湖区", "0571", "北山街道", ("曙光路", "保俶路", "北山路", "杭大路"), "浙江杭州"),
    ("济南市", "历下区", "0531", "泉城路街道", ("泉城路", "黑虎泉西路", "榜棚街", "县西巷"), "山东济南"),
    ("西安市", "雁塔区", "029", "小寨路街道", ("长安中路", "小寨东路", "雁塔北路", "翠华路"), "陕西西安"),
    ("重庆市", "渝中区", "023", "解放碑街道", ("民族路", "五一路", "邹容路", "八一路"), "重庆市"),
)
CN_DIGITS = "零一二三四五六七八九"

UNIVERSITIES = ("武汉大学", "南京大学", "四川大学", "山东大学", "西安交通大学", "华中科技大学", "浙江大学", "中山大学",
                "同济大学", "重庆大学", "北京师范大学", "华东师范大学")
MAJORS = ("汉语言文学", "计算机科学与技术", "会计学", "法学", "机械工程", "土木工程", "临床医学", "工商管理",
          "思想政治教育", "电子信息工程", "行政管理", "数学与应用数学")
# Education bands by age: weights for vocab.EDUCATIONS (研究生 … 初中及以下).
EDUCATION_WEIGHTS = {35: (20, 55, 18, 4, 3, 0), 55: (10, 45, 25, 10, 7, 3), 200: (3, 20, 22, 20, 25, 10)}
WORK_START_AGE = {"研究生": 25, "大学本科": 22, "大学专科": 21, "中专": 18, "高中": 19, "初中及以下": 17}

# In-service occupations by branch type: (党内统计 occupation, posts)
OCCUPATIONS = {
    "government": (("党政机关工作人员", ("一级科员", "四级主任科员", "三级主任科员", "副科长", "科长", "二级调研员")),),
    "enterprise": (("管理人员", ("部门经理", "项目经理", "综合部主管")),
                   ("专业技术人员", ("工程师", "高级工程师", "会计师", "技术员")),
                   ("工人", ("操作工", "技师", "班组长"))),
    "school": (("专业技术人员", ("教师", "一级教师", "高级教师", "班主任", "教研组长")),
               ("管理人员", ("教务处干事", "办公室主任"))),
    "community": (("专业技术人员", ("工程师", "医生", "教师", "会计")), ("管理人员", ("部门经理", "店长")),
                  ("工人", ("快递员", "电工", "维修工")), ("其他职业人员", ("社区工作者", "个体经营者", "网格员"))),
}
MOBILE_PLACES = ("广东省深圳市", "浙江省宁波市", "江苏省苏州市", "福建省厦门市", "上海市松江区")
OTHER_ORGS = ("中共{c}{d}机关工委", "中共{c}{d}教育局委员会", "中共{c}国资委委员会", "中共{c}{d}街道工作委员会",
              "中共{c}{d}卫生健康局委员会", "中共{c}{d}科技园区委员会")

# ---- meeting texts ------------------------------------------------------------------------------

KIND_ORDER = {kind: index for index, kind in enumerate(vocab.MEETING_KINDS)}
TOPICS = {
    "general_assembly": ("传达学习上级党委会议精神", "通报支部近期工作情况", "通报党费收缴和使用情况",
                         "部署下一阶段重点工作", "学习《中国共产党章程》有关内容", "讨论支部建设有关事项"),
    "committee": ("研究本月党建工作安排", "研究发展党员有关事项", "研究党费收缴情况", "研究主题党日活动方案",
                  "讨论党员教育管理工作", "研究“三会一课”落实情况"),
    "group": ("学习上级文件精神", "交流学习体会", "讨论本小组近期工作", "通报党费缴纳情况", "开展谈心交流"),
    "theme_day": ("重温入党誓词", "集中学习", "开展志愿服务活动", "交纳党费", "为党员过政治生日", "参观红色教育基地"),
    "life_meeting": ("通报上一年度问题整改情况", "支部委员会作对照检查", "党员开展批评与自我批评", "制定整改措施"),
    "appraisal": ("党员个人述职", "开展民主测评", "确定评议等次"),
}
LECTURES = ("坚定理想信念，筑牢思想根基", "学习党章党规，做合格党员", "弘扬优良作风，密切联系群众",
            "严守纪律规矩，永葆清正廉洁", "学习党史，传承红色基因", "立足岗位作贡献，争当先锋模范")
# The motion put to the vote at each quarter's 支部党员大会.
QUARTER_MOTIONS = ("支部年度工作计划", "支部党费使用计划", "支部学习教育实施方案", "支部年度工作总结")
ACCEPT_TOPIC, CONVERT_TOPIC, ELECTION_TOPIC = "讨论接收预备党员", "讨论预备党员转正", "选举产生新一届支部委员会"
SPEECH_POINTS = (
    "结合自身工作谈了学习体会，表示要把学习成果转化为推动工作的实际行动。",
    "就做好下一阶段工作提出建议，认为应进一步细化分工、压实责任。",
    "作自我批评，指出自己理论学习不够系统，表示今后加以改进。",
    "对支部工作提出意见建议，希望多组织形式新颖的学习活动。",
    "谈了参加志愿服务的感受，表示要在服务群众中发挥党员作用。",
    "同意会议议题，建议加强对流动党员和年老体弱党员的联系服务。",
)
TALK_GISTS = {
    "committee": ("交流班子分工和工作配合情况，相互提醒需要注意的问题", "沟通支部年度重点工作推进情况，交换意见",
                  "开展批评与自我批评，相互指出不足并提出改进意见"),
    "committee_member": ("了解思想、工作和生活情况，征求对支部工作的意见建议", "交流学习体会，提醒发挥好党员先锋模范作用",
                         "了解家庭困难情况，鼓励其安心工作，支部将帮助协调解决"),
    "members": ("交流思想认识和工作体会，相互提醒改进不足", "交流学习心得，相互督促按时参加组织生活"),
}
ABSENCE_REASONS = ("official", "personal", "sick", "other")
_ABSENCE_WEIGHTS = (40, 30, 22, 8)
ABSENCE_NOTES = {"official": ("出差", "外出培训", "单位值班"), "personal": ("家中有事", "探亲", "照顾家人"),
                 "sick": ("身体不适", "住院治疗", "年老体弱"), "other": ("临时有事", "外地办事")}
TIME_SLOTS = (("09:00", "11:00"), ("09:30", "11:30"), ("14:30", "16:30"), ("15:00", "17:00"), ("19:00", "20:30"))
ASSESSMENTS = ("思想进步，表现良好，继续培养", "学习认真，积极参加支部活动", "工作积极主动，群众评价较好",
               "能按时提交思想汇报，表现良好")

# A development case planted on purpose (an assessment left out, a target made too early) so that
# the 发展党员 page and ``development check`` have something to show; its note says so.
PLANTED_NOTE = "演示数据：此人的发展记录故意留有一处不符合规定，供“发展党员”页和 development check 演示。"
SKIP_ASSESSMENTS = "_skip_assessments"

# Columns written per table; tables are written in the dependency order of models.ALL_MODELS.
DEVELOPMENT_FIELDS = (
    "applied_on", "talked_on", "activist_on", "activist_filed_on", "contacts", "target_on", "target_filed_on",
    "notice_start_on", "notice_end_on", "introducers", "political_review_on", "political_review_conclusion",
    "training_start_on", "training_end_on", "training_hours", "committee_review_on", "pre_review_on",
    "volunteer_form_on", "upper_talk_on", "approved_on", "oath_on", "extension_months", "extension_decided_on",
    "conversion_applied_on", "conversion_meeting_on", "conversion_approved_on", "archived_on",
    "admission_notice_start_on", "admission_notice_end_on",
)
COLUMNS = {
    "branch": ("id", "name", "branch_type", "upper_committee", "founded_on", "address", "phone", "note"),
    "party_group": ("id", "name", "leader_id", "sort_order", "note"),
    "person": ("id", "name", "name_initials", "sex", "ethnicity", "native_place", "birth_date", "id_number", "work_started_on",
               "education", "school_major", "degree", "occupation", "post", "phone", "address", "stage",
               "membership_state", "state_changed_on", "state_reason", "joined_on", "converted_on", "is_mobile",
               "mobile_note", "group_id", "dues_category", "note", "import_batch_id"),
    "development": ("person_id", *DEVELOPMENT_FIELDS),
    "activist_assessment": ("person_id", "assessed_on", "conclusion"),
    "committee_term": ("id", "started_on", "length_years", "note"),
    "committee_member": ("term_id", "person_id", "post", "started_on", "ended_on", "sort_order"),
    "history_event": ("person_id", "occurred_on", "kind", "description"),
    "transfer": ("person_id", "direction", "scope", "from_org", "to_org", "transferred_on", "letter_number",
                 "valid_days", "dues_paid_until", "receipt_returned_on", "note"),
    "exclusion": ("person_id", "category", "reason", "approved_on", "start_on", "end_on"),
    "meeting": ("id", "kind", "title", "status", "held_on", "start_time", "end_time", "place", "group_id",
                "chair_id", "recorder_id", "lecturer", "content", "note"),
    "meeting_topic": ("id", "meeting_id", "seq", "title"),
    "attendance": ("meeting_id", "person_id", "status", "absence_reason", "reason_note"),
    "observer": ("meeting_id", "name", "affiliation"),
    "speech": ("meeting_id", "topic_id", "seq", "speaker_id", "speaker_name", "points"),
    "vote": ("meeting_id", "topic_id", "seq", "motion", "kind", "yes", "no", "abstain"),
    "resolution": ("meeting_id", "seq", "text"),
    "make_up_study": ("meeting_id", "person_id", "done_on", "note"),
    "appraisal": ("person_id", "year", "grade", "meeting_id"),
    "appraisal_round": ("year", "held_on", "meeting_id", "note"),
    "talk": ("held_on", "participants", "topic", "note", "kind", "first_person_id", "second_person_id", "gist"),
    "dues_base": ("person_id", "year", "base_fen", "category", "override_fen", "override_reason", "entered_on"),
    "dues_payment": ("person_id", "year", "month", "amount_fen", "extra_fen", "paid_on", "method", "receipt_no",
                     "note"),
    "audit_entry": ("at", "action", "table_name", "row_id", "summary", "before", "after"),
}


@dataclass
class DemoStats:
    """What ``generate_demo`` wrote; its ``str()`` is the one-line summary the command line prints."""

    members: int = 0
    probationary: int = 0
    pipeline: int = 0
    departed: int = 0
    groups: int = 0
    meetings: int = 0
    attendance: int = 0
    dues_payments: int = 0

    def __str__(self) -> str:
        return (f"在册党员 {self.members:,} 人（其中预备党员 {self.probationary:,} 人），"
                f"入党申请人、积极分子和发展对象 {self.pipeline:,} 人，已转出、去世或停止党籍 {self.departed:,} 人，"
                f"党小组 {self.groups:,} 个，会议 {self.meetings:,} 次，出勤记录 {self.attendance:,} 条，"
                f"党费记录 {self.dues_payments:,} 条")


def generate_demo(path: Path, members: int = 60, years: int = 3, seed: int = 1,
                  progress: Callable[[str], None] | None = None, today: date | None = None) -> DemoStats:
    """Write a new demo ledger of ``members`` members over the ``years`` years ending today.

    The file must not exist yet (the command line checks). It is built beside ``path`` in one
    transaction and moved into place when whole (``db.new_ledger``): if anything fails or the
    program is killed, no half-made file is left at ``path``. ``today`` is for tests; the default
    is the real day.
    """
    if not 1 <= members <= MAX_MEMBERS:
        raise ValidationError(f"演示台账的党员人数应在 1 到 {MAX_MEMBERS:,} 之间，现为 {members}。", "members")
    if not 1 <= years <= MAX_YEARS:
        raise ValidationError(f"演示台账的年数应在 1 到 {MAX_YEARS} 之间，现为 {years}。", "years")
    with new_ledger(path) as ledger, ledger.db.atomic():
        writer = _Writer(ledger.db.connection().cursor())
        generator = _Generator(members, years, seed, today or date.today(), progress or (lambda _: None))
        stats = generator.run(writer)
        if progress:
            progress("正在写入文件…")
    return stats


class _Writer:
    """Rows buffered per table and written with ``executemany``, parents before children."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.order = [model._meta.table_name for model in ALL_MODELS if model._meta.table_name in COLUMNS]
        self.rows: dict[str, list[tuple]] = {table: [] for table in self.order}
        self.counts: dict[str, int] = dict.fromkeys(self.order, 0)
        self.sql = {table: f'INSERT INTO "{table}" ({", ".join(COLUMNS[table])}) '
                           f'VALUES ({", ".join("?" * len(COLUMNS[table]))})' for table in self.order}
        self.pending = 0

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)
        self.pending += 1
        if self.pending >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        """Write everything buffered; parents first, so every foreign key already points to a row."""
        for table in self.order:
            rows = self.rows[table]
            if rows:
                self.cursor.executemany(self.sql[table], rows)
                self.counts[table] += len(rows)
                rows.clear()
        self.pending = 0


@dataclass(slots=True, eq=False)
class _Person:
    """One invented person while the ledger is built; ``*_ord`` are day ordinals for fast tests."""

    id: int
    role: str  # leader, full, probationary, out, dead, suspended, applicant, activist, target
    name: str = ""
    sex: str = "male"
    birth: date = date.min
    id_number: str = ""
    stage: str = "full"
    state: str = "active"
    state_changed: date | None = None
    state_reason: str = ""
    joined: date | None = None
    converted: date | None = None
    dev: dict = field(default_factory=dict)
    columns: dict = field(default_factory=dict)  # the plain person columns
    group: int | None = None  # index into the groups, also kept for people who left
    in_from: date | None = None  # on this branch's roll from (入党 here, or transferred in)
    left: date | None = None  # off the roll from (transferred out, died, suspended)
    excluded_from: date | None = None  # excluded from 应到 (domain-rules §2)
    lost_from: date | None = None  # out of contact (before a suspension)
    mobile: bool = False
    moved_in: bool = False  # transferred in during the demo years
    transfer_org: str = ""  # where the person came from or went to
    arrears: int = 0  # months unpaid up to last month
    category: str = "in_service"
    retire_year: int | None = None  # the last year the person paid as in service
    salary: int = 0
    pension: int = 0
    growth: int = 0  # yearly raise in per mille
    dues_from: date | None = None  # the first day of the first month paid here
    dues_last: int = 0  # month index of the last month paid
    start_ord: int = NEVER
    end_ord: int = NEVER
    full_ord: int = NEVER
    lost_ord: int = NEVER


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _cn_number(n: int) -> str:
    """1..99 in Chinese numerals, as in 第十二党小组."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def _weekday(day: date) -> date:
    """The day itself, or the Monday after when it falls on a weekend."""
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


class _Generator:
    """Builds the demo branch phase by phase and hands every row to a ``_Writer``."""

    def __init__(self, members: int, years: int, seed: int, today: date, say: Callable[[str], None]):
        self.r = random.Random(seed)
        self.seed = seed
        self.members = members
        self.today = today
        self.years = range(today.year - years + 1, today.year + 1)
        self.start = date(self.years[0], 1, 1)
        self.say = say
        self.id_numbers: set[str] = set()
        self.people: list[_Person] = []
        self.accepted: dict[date, list[_Person]] = {}  # 支部大会 date -> people accepted there
        self.converted_at: dict[date, list[_Person]] = {}  # 支部大会 date -> people converted there
        self.next_meeting = 1
        self.next_topic = 1
        self.receipts: dict[int, int] = {}  # year -> last dues receipt number
        self.letters: dict[int, int] = {}  # year -> last introduction letter number
        self.stats = DemoStats()

    # ---- the whole run ---------------------------------------------------------------------------

    def run(self, writer: _Writer) -> DemoStats:
        self.w = writer
        self.say("正在生成支部和人员…")
        self._branch()
        self._schedule()
        self._people()
        self._spread_pipeline()
        self._groups_and_committee()
        self._special_members()
        self._write_people()
        for year in self.years:
            self.say(f"正在生成会议 {year} 年…")
            self._meetings(year)
            self._commendations(year)
            self._talks(year)
        for year in self.years:
            self.say(f"正在生成党费 {year} 年…")
            self._dues(year)
        self.w.add("audit_entry", (datetime.now().isoformat(timespec="seconds"), "bulk", "*", None,
                                   f"生成演示台账（成员 {self.members}，年数 {len(self.years)}，"
                                   f"种子 {self.seed}）", None, None))
        self.w.flush()
        self.w.cursor.executemany('UPDATE "party_group" SET leader_id = ? WHERE id = ?',
                                  [(leader.id, index + 1) for index, leader in enumerate(self.leaders)])
        counts = self.w.counts
        self.stats.groups = len(self.group_names)
        self.stats.meetings = counts["meeting"]
        self.stats.attendance = counts["attendance"]
        self.stats.dues_payments = counts["dues_payment"]
        return self.stats

    # ---- small random helpers ----------------------------------------------------------------------

    def _between(self, lo: date, hi: date) -> date:
        """A day in [lo, hi]; lo when the range is empty."""
        span = (hi - lo).days
        return lo + timedelta(days=self.r.randint(0, span)) if span > 0 else lo

    def _day_in(self, year: int, month: int, first: int, last: int) -> date:
        return _weekday(date(year, month, self.r.randint(first, last)))

    def _name(self, sex: str) -> str:
        r = self.r
        surname = r.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]
        own = MALE_CHARS if sex == "male" else FEMALE_CHARS
        if r.random() < 0.3:
            return surname + r.choice(own)
        return surname + r.choice(FIRST_CHARS if r.random() < 0.4 else own) + r.choice(own)

    def _id_number(self, birth: date, sex: str) -> str:
        """A GB 11643 number for this birth date and sex, unique in the ledger."""
        r = self.r
        while True:
            sequence = r.randrange(100) * 10 + r.choice((1, 3, 5, 7, 9) if sex == "male" else (0, 2, 4, 6, 8))
            first17 = f"{r.choice(AREA_CODES)[0]}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_number.check_character(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def _phone(self) -> str:
        return f"13{self.r.randint(0, 9)}{self.r.randrange(10 ** 8):08d}"

    def _address(self) -> str:
        r = self.r
        city, district, _, _, streets, _ = self.city
        return (f"{city}{district}{r.choice(streets)}{r.randint(1, 300)}号{r.randint(1, 30)}栋"
                f"{r.randint(1, 6)}单元{r.randint(1, 28)}{r.randint(1, 4):02d}室")

    def _other_org(self) -> str:
        city, district, *_ = self.r.choice(CITIES)
        return self.r.choice(OTHER_ORGS).format(c=city, d=district)

    # ---- branch and meeting calendar -----------------------------------------------------------------

    def _branch(self) -> None:
        r = self.r
        self.city = r.choice(CITIES)
        city, district, area, street, streets, _ = self.city
        kind = r.choice(("community", "enterprise", "government", "school"))
        ordinal = _cn_number(r.randint(1, 3))
        if kind == "community":
            community = r.choice(("红庙", "金台", "光明", "和平", "幸福", "团结", "新华", "东风")) + "社区"
            name = f"{street}{community}第{ordinal}党支部"
            upper = f"中共{city}{district}{street}{community}委员会"
            self.places = ("社区党群服务中心会议室", "社区党员活动室", "社区多功能厅")
        elif kind == "enterprise":
            company = (city.removesuffix("市") + r.choice(("华信", "恒通", "长城", "星海", "安达"))
                       + r.choice(("科技", "建设", "物流", "机械", "能源")) + "有限公司")
            name = f"{company}{r.choice(('机关', '研发中心', '生产运营部'))}第{ordinal}党支部"
            upper = f"中共{company}委员会"
            self.places = ("公司党员活动室", "三楼第一会议室", "党建活动中心")
        elif kind == "government":
            bureau = r.choice(("发展和改革局", "财政局", "住房和城乡建设局", "卫生健康局", "市场监督管理局"))
            name = f"{city}{district}{bureau}机关第{ordinal}党支部"
            upper = f"中共{city}{district}{bureau}机关委员会"
            self.places = ("局机关第一会议室", "党员活动室", "四楼会议室")
        else:
            school = f"{city}第{_cn_number(r.randint(2, 40))}中学"
            name = f"{school}教职工第{ordinal}党支部"
            upper = f"中共{school}委员会"
            self.places = ("学校党员活动室", "行政楼会议室", "图书馆报告厅")
        self.branch_type = kind
        self.branch_name = name
        self.upper = upper
        founded = date(r.randint(1952, 2005), r.randint(1, 12), r.randint(1, 28))
        phone = f"{area}-{r.randint(5, 8)}{r.randrange(10 ** 7):07d}"
        address = f"{city}{district}{r.choice(streets)}{r.randint(1, 300)}号"
        self.w.add("branch", (1, name, kind, upper, _iso(min(founded, self.today)), address, phone,
                              "演示台账：人员和数据均为虚构。"))

    def _schedule(self) -> None:
        """Every meeting's date at its usual rhythm (domain-rules §2); a few periods are skipped."""
        r = self.r
        n = self.members
        self.theme_day = r.choice((5, 10, 15, 18, 20, 25))
        self.group_count = max(1, min(max(2, n // 12), 40, (n - n // 10) // 3 or 1))
        slots = []  # (held_on, kind order, group index, kind, period)
        for year in self.years:
            for quarter in range(1, 5):
                months = (quarter * 3 - 2, quarter * 3 - 1, quarter * 3)
                slots.append((self._day_in(year, r.choice(months[1:]), 8, 25), "general_assembly", None, quarter))
                slots.append((self._day_in(year, r.choice(months), 5, 25), "lecture", None, quarter))
            for month in range(1, 13):
                slots.append((self._day_in(year, month, 2, 9), "committee", None, month))
                slots.append((_weekday(date(year, month, self.theme_day)), "theme_day", None, month))
                for group in range(self.group_count):
                    slots.append((self._day_in(year, month, 8, 26), "group", group, month))
            slots.append((self._day_in(year, r.choice((11, 12)), 10, 26), "life_meeting", None, year))
            appraisal_day = (self._day_in(year, 12, 15, 26) if r.random() < 0.6 else self._day_in(year + 1, 1, 5, 20))
            slots.append((appraisal_day, "appraisal", None, year))
        kept = []
        for held_on, kind, group, period in slots:
            missed = r.random() < SKIPPED_PERIODS
            if self.start <= held_on <= self.today and not missed:
                kept.append((held_on, KIND_ORDER[kind], -1 if group is None else group, kind, period))
        kept.sort()
        self.slots = kept
        self.assemblies = [slot[0] for slot in kept if slot[3] == "general_assembly"]
        self.collection_days = {year * 12 + month - 1: _weekday(date(year, month, self.theme_day))
                                for year in self.years for month in range(1, 13)}

    def _assembly_in(self, lo: date, hi: date, near: date) -> date | None:
        """The first 支部大会 on file on or after ``near`` within [lo, hi], else the last before it."""
        i = bisect.bisect_left(self.assemblies, near)
        if i < len(self.assemblies) and lo <= self.assemblies[i] <= hi:
            return self.assemblies[i]
        if i > 0 and lo <= self.assemblies[i - 1] <= hi:
            return self.assemblies[i - 1]
        return None

    # ---- people ------------------------------------------------------------------------------------------

    def _people(self) -> None:
        r, n = self.r, self.members
        probationary = n // 10
        full = n - probationary
        big = n >= 10
        self.posts = (vocab.COMMITTEE_POSTS[:5] if full >= 7 else vocab.COMMITTEE_POSTS[:2] if full >= 3
                      else vocab.COMMITTEE_POSTS[:1])
        leaders = min(full, len(self.posts) + self.group_count)
        pipeline = max(9, round(n * 0.03))  # enough for every step and the planted cases (_spread_pipeline)
        targets, activists = max(4, pipeline // 4), max(3, pipeline // 3)
        roles = (["leader"] * leaders + ["full"] * (full - leaders) + ["probationary"] * probationary
                 + ["out"] * (max(1, n // 50) if big else 0) + ["dead"] * (max(1, n // 100) if big else 0)
                 + ["suspended"] * (max(1, n // 100) if big else 0)
                 + ["target"] * targets + ["activist"] * activists + ["applicant"] * (pipeline - targets - activists))
        r.shuffle(roles)
        for person_id, role in enumerate(roles, 1):
            person = _Person(person_id, role)
            if role in ("applicant", "activist", "target"):
                self._make_candidate(person)
            else:
                self._make_member(person)
            self._make_details(person)
            self.people.append(person)
        self.roster = [p for p in self.people if p.joined is not None]  # everyone ever a member here
        veterans = [p for p in self.roster if p.role == "leader"] or self.roster or self.people
        for person in self.people:  # names need every person made first
            if person.dev.get("activist_on"):
                person.dev["contacts"] = "、".join(v.name for v in r.sample(veterans, min(2, len(veterans))))
                if person.dev.get("target_on"):
                    person.dev["introducers"] = "、".join(v.name for v in r.sample(veterans, min(2, len(veterans))))

    def _spread_pipeline(self) -> None:
        """Move some development targets further along (支委会审查, 预审, 公示, 志愿书), make one
        applicant's talk overdue, and plant two broken cases (domain-rules §3): a target whose
        six-monthly assessments as an activist were not recorded, and a target decided 11 months
        after becoming an activist. Only dates up to today are set."""
        r, today = self.r, self.today
        targets = [p for p in self.people if p.role == "target" and p.dev.get("training_end_on")]
        for p, steps in zip(targets, (1, 2, 3), strict=False):
            day = p.dev["training_end_on"]
            plan = (("committee_review_on", 6), ("pre_review_on", 10), ("admission_notice_start_on", 2))[:steps]
            for name, gap in plan:
                day += timedelta(days=gap + r.randint(0, 4))
                if day > today:
                    break
                p.dev[name] = day
                if name == "admission_notice_start_on":
                    p.dev["admission_notice_end_on"] = day + timedelta(days=9)
        self._drop_future_all()
        applicants = [p for p in self.people if p.role == "applicant"
                      and p.dev["applied_on"] < add_months(today, -1) - timedelta(days=3)]
        if applicants:  # nobody has talked with them yet, and the month is over
            applicants[0].dev["talked_on"] = None
        if targets:  # a year or more as an activist, and the six-monthly assessments never recorded
            targets[0].dev[SKIP_ASSESSMENTS] = True
            targets[0].columns["note"] = PLANTED_NOTE
        early = [p for p in self.people if p.role == "target" and p.dev.get("target_on") and p not in targets[:1]]
        if early:
            p = early[-1]  # later than before, so still after the application and the talk
            p.dev["activist_on"] = add_months(p.dev["target_on"], -11)
            p.dev["activist_filed_on"] = p.dev["activist_on"] + timedelta(days=5)
            p.columns["note"] = PLANTED_NOTE

    def _drop_future_all(self) -> None:
        for p in self.people:
            self._drop_future(p.dev)

    def _member_age(self, role: str) -> int:
        r = self.r
        if role == "probationary":
            return r.randint(22, 40)
        if role == "dead":
            return r.randint(72, 92)
        if role in ("leader", "out", "suspended"):
            return r.randint(30, 58)
        band = r.choices(((23, 30), (31, 40), (41, 50), (51, 60), (61, 70), (71, 85)),
                         weights=(12, 20, 20, 20, 15, 13))[0]
        return r.randint(*band)

    def _make_member(self, p: _Person) -> None:
        """A member: birth, 入党时间 on a 支部大会 when inside the demo years, and the whole pipeline."""
        r, today = self.r, self.today
        p.sex = "male" if r.random() < 0.62 else "female"
        age = self._member_age(p.role)
        p.birth = date(today.year - age, 1, 1) - timedelta(days=r.randrange(365))
        if p.role == "probationary":
            lo, hi = add_months(today, -12) + DAY, today
        elif p.role in ("leader", "out", "dead", "suspended"):
            lo, hi = date.min, add_months(self.start, -13)  # full members before the demo years
        else:
            lo, hi = date.min, add_months(today, -16)
        earliest = add_months(p.birth, 12 * 18 + 45)  # the longest pipeline still starts at 18
        if earliest > hi:
            p.birth = add_months(hi, -(12 * 18 + 45) - r.randint(0, 120))
            earliest = add_months(p.birth, 12 * 18 + 45)
        lo = max(lo, earliest)
        span = min((hi - lo).days, 365 * 30)  # most join young: within 30 years of the earliest day
        joined = lo + timedelta(days=int(span * r.random() ** (1.0 if p.role == "probationary" else 1.6)))
        if joined >= self.start:
            joined = self._assembly_in(max(lo, self.start), hi, joined) or joined
        elif _weekday(joined) <= hi:
            joined = _weekday(joined)
        p.joined = p.in_from = joined
        p.stage = "probationary" if p.role == "probationary" else "full"
        p.dev = self._admission(joined)
        self.accepted.setdefault(joined, []).append(p)
        if p.stage == "full":
            p.converted = add_months(joined, 12)
            self._conversion(p)
        self._drop_future(p.dev)

    def _admission(self, joined: date) -> dict:
        """Development dates ending at ``joined`` (domain-rules §3), counted back then forward."""
        r = self.r

        def days(lo: int, hi: int) -> timedelta:
            return timedelta(days=r.randint(lo, hi))

        pre_review = joined - days(8, 28)  # 支部大会 within a month of the upper pre-review
        notice_end = pre_review - days(2, 10)
        notice_start = notice_end - timedelta(days=9)  # covers at least 5 working days
        committee_review = notice_start - days(1, 5)
        training_end = committee_review - days(7, 40)
        political_review = training_end - days(5, 30)
        target_filed = political_review - days(5, 30)
        target = target_filed - days(3, 15)
        activist = add_months(target, -r.randint(12, 24)) - days(0, 60)  # at least a year as activist
        applied = add_months(activist, -r.randint(1, 12)) - days(0, 30)
        upper_talk = joined + days(5, 25)
        approved = upper_talk + days(5, 45)  # within 3 months of the 支部大会
        return {
            "applied_on": applied, "talked_on": applied + days(5, 25), "activist_on": activist,
            "activist_filed_on": activist + days(3, 15), "contacts": "", "target_on": target,
            "target_filed_on": target_filed, "notice_start_on": notice_start, "notice_end_on": notice_end,
            "introducers": "", "political_review_on": political_review,
            "political_review_conclusion": "政治审查合格", "training_start_on": training_end - timedelta(days=2),
            "training_end_on": training_end, "training_hours": r.choice((24, 24, 32)),
            "committee_review_on": committee_review, "pre_review_on": pre_review,
            "volunteer_form_on": pre_review + days(2, 6), "upper_talk_on": upper_talk, "approved_on": approved,
            "oath_on": approved + days(3, 30),
        }

    def _conversion(self, p: _Person) -> None:
        r, converted = self.r, p.converted
        meeting = None
        if converted >= self.start:
            meeting = self._assembly_in(converted, converted + timedelta(days=92), converted)
        if meeting is not None:
            self.converted_at.setdefault(meeting, []).append(p)
        else:
            meeting = converted + timedelta(days=r.randint(0, 30))
        approved = meeting + timedelta(days=r.randint(10, 60))
        p.dev.update(conversion_applied_on=converted - timedelta(days=r.randint(10, 30)),
                     conversion_meeting_on=meeting, conversion_approved_on=approved,
                     archived_on=approved + timedelta(days=r.randint(10, 60)))

    def _drop_future(self, dev: dict) -> None:
        for key, value in dev.items():
            if isinstance(value, date) and value > self.today:
                dev[key] = None

    def _make_candidate(self, p: _Person) -> None:
        """Someone in the pipeline: applicant, activist or development target, at least 18 on applying."""
        r, today = self.r, self.today
        p.sex = "male" if r.random() < 0.5 else "female"
        p.stage = p.role
        dev: dict = {"contacts": "", "introducers": "", "political_review_conclusion": ""}
        if p.role == "applicant":
            applied = today - timedelta(days=r.randint(5, 300))
        else:
            if p.role == "activist":
                activist = today - timedelta(days=r.randint(10, 330))
            else:
                target = today - timedelta(days=r.randint(10, 150))
                activist = add_months(target, -r.randint(12, 20)) - timedelta(days=r.randint(0, 60))
                dev.update(target_on=target, target_filed_on=target + timedelta(days=r.randint(3, 15)))
                review = target + timedelta(days=r.randint(20, 60))
                training_end = review + timedelta(days=r.randint(5, 40))
                dev.update(political_review_on=review, training_start_on=training_end - timedelta(days=2),
                           training_end_on=training_end, training_hours=24)
                if review <= today:
                    dev["political_review_conclusion"] = "政治审查合格"
                if training_end > today:
                    dev["training_hours"] = None
            dev.update(activist_on=activist, activist_filed_on=activist + timedelta(days=r.randint(3, 15)))
            applied = add_months(activist, -r.randint(1, 12)) - timedelta(days=r.randint(0, 30))
        dev.update(applied_on=applied, talked_on=applied + timedelta(days=r.randint(5, 25)))
        self._drop_future(dev)
        if dev.get("training_start_on") is None:
            dev["training_end_on"] = dev["training_hours"] = None
        p.dev = dev
        p.birth = add_months(applied, -12 * r.randint(18, 38)) - timedelta(days=r.randrange(365))

    def _make_details(self, p: _Person) -> None:
        """Identity, education, work and dues category, consistent with age and sex."""
        r, today = self.r, self.today
        p.name = self._name(p.sex)
        p.id_number = self._id_number(p.birth, p.sex)
        age = age_on(p.birth, today)
        weights = next(w for limit, w in EDUCATION_WEIGHTS.items() if age < limit)
        education = r.choices(vocab.EDUCATIONS, weights=weights)[0]
        school_major = degree = ""
        if education in ("研究生", "大学本科"):
            school_major = f"{r.choice(UNIVERSITIES)} {r.choice(MAJORS)}"
            degree = ("博士" if r.random() < 0.1 else "硕士") if education == "研究生" else "学士"
        elif education == "大学专科":
            school_major = f"{self.city[0].removesuffix('市')}职业技术学院 {r.choice(MAJORS)}"
        retire_age = 60 if p.sex == "male" else 55
        if p.role == "dead" or (age >= retire_age and r.random() < 0.92):
            category = "retired"
        elif age <= 24 and r.random() < 0.4:
            category = "student"
        else:
            u = r.random()
            category = "farmer" if u < 0.03 else "unemployed" if u < 0.045 else "in_service"
        occupation, post = "其他职业人员", ""
        if category == "retired":
            occupation = "离退休人员"
            p.retire_year = p.birth.year + retire_age
        elif category == "student":
            occupation, education, school_major, degree = "学生", "大学本科", f"{r.choice(UNIVERSITIES)} {r.choice(MAJORS)}", ""
        elif category == "farmer":
            occupation, post, school_major, degree = "农牧渔民", "种植户", "", ""
            education = r.choice(("高中", "初中及以下", "中专"))
        elif category == "in_service":
            occupation, posts = r.choice(OCCUPATIONS[self.branch_type])
            post = r.choice(posts)
        work_started = None
        if category in ("in_service", "retired", "unemployed"):
            work_started = min(add_months(p.birth, 12 * WORK_START_AGE[education] + r.randint(6, 14)), today)
        p.category = category
        salary = r.choice((r.randint(250, 400), r.randint(400, 700), r.randint(700, 1200), r.randint(1200, 2500)))
        p.salary = 300000 if r.random() < 0.02 else salary * 1000  # a few exactly on a band boundary
        p.pension = min(900000, max(200000, p.salary * r.randint(50, 75) // 100 // 1000 * 1000))
        p.growth = 0 if p.salary == 300000 else r.randint(0, 50)
        native = self.city[5] if r.random() < 0.5 else r.choice(NATIVE_PLACES + tuple(a[1] for a in AREA_CODES))
        ethnicity = "汉族" if r.random() < 0.92 else r.choice(vocab.ETHNICITIES[1:20])
        p.columns = {
            "ethnicity": ethnicity, "native_place": native, "work_started_on": work_started,
            "education": education, "school_major": school_major, "degree": degree, "occupation": occupation,
            "post": post, "phone": self._phone(), "address": self._address(),
        }

    def _groups_and_committee(self) -> None:
        """党小组 with leaders, members spread over them, and the committee elected at a 支部大会."""
        r = self.r
        self.group_names = [f"第{_cn_number(i + 1)}党小组" for i in range(self.group_count)]
        veterans = [p for p in self.roster if p.role == "leader"]
        self.committee = list(zip(self.posts, veterans, strict=False))
        rest = veterans[len(self.committee):] or veterans or self.roster
        self.leaders = [rest[i % len(rest)] for i in range(self.group_count)] if rest else []
        for index, leader in enumerate(self.leaders):
            leader.group = index
        others = [p for p in self.roster if p.group is None]
        r.shuffle(others)
        for index, person in enumerate(others):
            person.group = index % self.group_count
        self.group_members: list[list[_Person]] = [[] for _ in self.group_names]
        for person in self.roster:  # in id order
            self.group_members[person.group].append(person)
        self.recorders = [next((p for p in members if p is not self.leaders[i]), self.leaders[i])
                          if self.leaders else None for i, members in enumerate(self.group_members)]
        for index, name in enumerate(self.group_names):
            self.w.add("party_group", (index + 1, name, None, index + 1, ""))
        # The committee's term started within the last three years, at a 支部大会 when one is on file.
        lo, hi = add_months(self.today, -35), add_months(self.today, -1)
        term_start = self._assembly_in(lo, hi, self._between(lo, hi)) or self._between(lo, hi)
        self.term_start = term_start

    def _special_members(self) -> None:
        """A few members who moved in, left, died, lost contact, are away (流动) or are behind with dues."""
        r, today, start = self.r, self.today, self.start
        n = self.members
        taken = {p.id for _, p in self.committee} | {p.id for p in self.leaders}
        plain = [p for p in self.roster if p.role in ("full", "probationary") and p.id not in taken]
        for p in self.roster:
            if p.role == "out":
                p.left = self._between(start + timedelta(days=20), today - timedelta(days=5))
                p.state, p.state_changed = "transferred_out", p.left
                p.transfer_org = self._other_org()
                p.state_reason = f"工作调动，组织关系转至{p.transfer_org}"
            elif p.role == "dead":
                p.left = self._between(start + timedelta(days=20), today - timedelta(days=5))
                p.state, p.state_changed = "deceased", p.left
                p.state_reason = f"因病医治无效去世，享年 {age_on(p.birth, p.left)} 岁"
            elif p.role == "suspended":
                p.left = self._between(start + timedelta(days=200), today - timedelta(days=5))
                p.lost_from = add_months(p.left, -7)
                p.state, p.state_changed = "suspended", p.left
                p.state_reason = "与党组织失去联系六个月以上，经支部大会讨论决定停止党籍"
            p.left = min(p.left, today) if p.left else None
        big = n >= 10
        movers = [p for p in plain if p.role == "full" and p.joined <= add_months(start, -13)]
        self.transfers_in = r.sample(movers, min(len(movers), max(1, n // 50) if big else 0))
        for p in self.transfers_in:
            p.in_from = self._between(start + timedelta(days=15), today - timedelta(days=30))
            p.transfer_org = self._other_org()
            p.moved_in = True
        chosen = {p.id for p in self.transfers_in}
        pool = [p for p in plain if p.id not in chosen]
        for p in r.sample(pool, min(len(pool), max(1, n // 50) if big else 0)):
            p.mobile = True
            chosen.add(p.id)
        current = _month_index(today)
        pool = [p for p in plain if p.id not in chosen and _month_index(p.in_from) <= current - 10]
        for p in r.sample(pool, min(len(pool), max(1, n // 50) if big else 0)):
            p.arrears = r.randint(3, 8)
            chosen.add(p.id)
        old = sorted((p for p in plain if p.id not in chosen and p.role == "full"), key=lambda p: (p.birth, p.id))
        self.excluded = old[: (max(1, n // 300) if n >= 30 else 0)]
        for p in self.excluded:
            p.excluded_from = self._between(start + timedelta(days=30), today - timedelta(days=10))
        for p in self.roster:
            p.start_ord = p.in_from.toordinal()
            ends = [d for d in (p.left, p.excluded_from) if d is not None]
            p.end_ord = min(ends).toordinal() if ends else NEVER
            p.full_ord = p.converted.toordinal() if p.converted else NEVER
            p.lost_ord = p.lost_from.toordinal() if p.lost_from else NEVER
            first = add_months(p.in_from, 1) if p.moved_in else p.in_from  # the old branch had this month
            p.dues_from = max(first, start).replace(day=1)
            last = current if p.left is None else _month_index(p.left)
            if p.role == "dead":
                last -= 1
            elif p.role == "suspended":
                last = _month_index(p.lost_from) - 1
            p.dues_last = last - (p.arrears + 1 if p.arrears else 0)
        self.stats.members = sum(p.state == "active" for p in self.roster)
        self.stats.probationary = sum(p.stage == "probationary" for p in self.roster)
        self.stats.pipeline = len(self.people) - len(self.roster)
        self.stats.departed = len(self.roster) - self.stats.members

    # ---- writing people and their files ---------------------------------------------------------------

    def _write_people(self) -> None:
        w, r, today = self.w, self.r, self.today
        for p in self.people:
            c = p.columns
            group_id = p.group + 1 if p.group is not None and p.state == "active" else None
            mobile_note = f"在{r.choice(MOBILE_PLACES)}务工，持《流动党员活动证》" if p.mobile else ""
            w.add("person", (p.id, p.name, initials(p.name), p.sex, c["ethnicity"], c["native_place"], _iso(p.birth), p.id_number,
                             _iso(c["work_started_on"]), c["education"], c["school_major"], c["degree"],
                             c["occupation"], c["post"], c["phone"], c["address"], p.stage, p.state,
                             _iso(p.state_changed), p.state_reason, _iso(p.joined), _iso(p.converted),
                             int(p.mobile), mobile_note, group_id, p.category, c.get("note", ""), None))
            dev = p.dev
            w.add("development", (p.id, *(_iso(v) if isinstance(v, date) else v
                                          for v in (dev.get(f, "" if f in ("contacts", "introducers",
                                                                           "political_review_conclusion") else None)
                                                    for f in DEVELOPMENT_FIELDS))))
            activist = dev.get("activist_on")
            if activist and not dev.get(SKIP_ASSESSMENTS):
                until = min(dev.get("target_on") or today, today)
                step = 1
                while (assessed := add_months(activist, 6 * step)) <= until:
                    w.add("activist_assessment", (p.id, _iso(assessed), r.choice(ASSESSMENTS)))
                    step += 1
            if p.joined:
                w.add("history_event", (p.id, _iso(p.joined), "joined", "经支部大会讨论通过，被接收为中共预备党员"))
            if p.converted:
                w.add("history_event", (p.id, _iso(p.converted), "converted", "预备期满，按期转为中共正式党员"))
        w.add("committee_term", (1, _iso(self.term_start), organisation.term_years(self.branch_type), ""))
        for order, (post, p) in enumerate(self.committee, 1):
            w.add("committee_member", (1, p.id, post, _iso(self.term_start), None, order))
            w.add("history_event", (p.id, _iso(self.term_start), "post", f"当选为支部委员会{post}"))
        for index, p in enumerate(self.leaders):
            w.add("history_event", (p.id, _iso(self.term_start), "post", f"担任{self.group_names[index]}组长"))
        self._write_transfers()
        for p in self.excluded:
            w.add("exclusion", (p.id, "bedridden", "年老体弱，长期卧床，经上级党组织同意、支部大会通过，不计入应到人数",
                                _iso(p.excluded_from), _iso(p.excluded_from), None))

    def _letter(self, day: date) -> str:
        self.letters[day.year] = number = self.letters.get(day.year, 0) + 1
        return f"组转字〔{day.year}〕{number:03d}号"

    def _write_transfers(self) -> None:
        w, r, today = self.w, self.r, self.today
        scopes = tuple(vocab.TRANSFER_SCOPES)
        for p in self.transfers_in:
            t = p.in_from
            paid_until = t.replace(day=1)
            w.add("transfer", (p.id, "in", r.choice(scopes[:2]), p.transfer_org, self.branch_name, _iso(t),
                               self._letter(t), r.choice((30, 60, 90)), _iso(paid_until),
                               _iso(min(t + timedelta(days=r.randint(0, 10)), today)), "回执已寄回"))
            w.add("history_event", (p.id, _iso(t), "transfer_in", f"组织关系由{p.transfer_org}转入本支部"))
        for p in self.roster:
            if p.role == "out":
                t = p.left
                returned = t + timedelta(days=r.randint(7, 40))
                returned = returned if returned <= today and r.random() < 0.75 else None
                w.add("transfer", (p.id, "out", r.choice(scopes), self.branch_name, p.transfer_org, _iso(t),
                                   self._letter(t), r.choice((30, 60, 90)), _iso(t.replace(day=1)), _iso(returned),
                                   "" if returned else "回执尚未寄回"))
                w.add("history_event", (p.id, _iso(t), "transfer_out", f"组织关系转出至{p.transfer_org}"))
            elif p.role in ("dead", "suspended"):
                w.add("history_event", (p.id, _iso(p.left), "state", p.state_reason))

    # ---- meetings ----------------------------------------------------------------------------------------

    def _meetings(self, year: int) -> None:
        for held_on, _, group, kind, period in self.slots:
            if held_on.year == year:
                self._meeting(held_on, kind, None if group < 0 else group, period)

    def _meeting(self, held_on: date, kind: str, group: int | None, period: int) -> None:
        r, w, d = self.r, self.w, held_on.toordinal()
        mid = self.next_meeting
        self.next_meeting += 1
        secretary = self.committee[0][1] if self.committee else None
        recorder = self.committee[2][1] if len(self.committee) > 2 else self.committee[-1][1] if self.committee else None
        if kind == "committee":
            pool = [p for _, p in self.committee]
        elif kind == "group":
            pool = self.group_members[group]
            secretary, recorder = (self.leaders[group] if self.leaders else None), self.recorders[group]
        else:
            pool = self.roster
        expected = [p for p in pool if p.start_ord < d < p.end_ord]
        lecturer = ""
        y, m = held_on.year, held_on.month
        if kind == "lecture":
            lecture = r.choice(LECTURES)
            title = f"{y}年第{period}季度党课：{lecture}"
            topics = [lecture]
            if secretary and r.random() < 0.6:
                lecturer = secretary.name
            else:
                lecturer = f"{r.choice(('区委党校', '上级党委宣讲团'))} {self._name(r.choice(('male', 'female')))}"
        else:
            topics = r.sample(TOPICS[kind], r.randint(1, 2))
            title = {
                "general_assembly": f"{y}年第{period}季度支部党员大会",
                "committee": f"{y}年{m}月支部委员会会议",
                "group": f"{self.group_names[group] if group is not None else ''}{y}年{m}月党小组会",
                "theme_day": f"{y}年{m}月主题党日：{topics[0]}",
                "life_meeting": f"{y}年度组织生活会",
                "appraisal": f"{period}年度民主评议党员大会",
            }[kind]
        assembly = kind == "general_assembly"
        accepted = self.accepted.get(held_on, []) if assembly else []
        converted = self.converted_at.get(held_on, []) if assembly else []
        election = assembly and held_on == self.term_start and bool(self.committee)
        if assembly:
            topics.append(f"审议《{QUARTER_MOTIONS[period - 1]}》")
        if accepted:
            topics.append(ACCEPT_TOPIC)
        if converted:
            topics.append(CONVERT_TOPIC)
        if election:
            topics.append(ELECTION_TOPIC)
        start, end = r.choice(TIME_SLOTS)
        place = r.choice(self.places) if kind != "group" else f"{self.group_names[group]}活动室"
        content = f"会议围绕{'、'.join(topics)}等议题进行了研究讨论。"
        w.add("meeting", (mid, kind, title, "held", held_on.isoformat(), start, end, place,
                          None if group is None else group + 1, secretary.id if secretary else None,
                          recorder.id if recorder else None, lecturer, content, ""))
        topic_ids = {}
        for seq, topic in enumerate(topics, 1):
            w.add("meeting_topic", (self.next_topic, mid, seq, topic))
            topic_ids[topic] = self.next_topic
            self.next_topic += 1

        present = self._attendance(mid, held_on, expected, 0.97 if election else r.uniform(0.85, 0.95), election)
        if present:
            speakers = r.sample(present, min(len(present), r.randint(1, 2 if kind == "group" else 4)))
            ids = list(topic_ids.values())
            for seq, speaker in enumerate(speakers, 1):
                w.add("speech", (mid, r.choice(ids), seq, speaker.id, "", r.choice(SPEECH_POINTS)))
        if assembly:
            self._votes(mid, held_on, period, present, topic_ids, accepted, converted, election)
        if kind == "life_meeting" or (kind != "group" and r.random() < 0.1):
            w.add("observer", (mid, self._name(r.choice(("male", "female"))), f"{self.upper}督导组"))
        if kind == "appraisal":
            self._appraisals(mid, held_on, period, expected)

    def _attendance(self, mid: int, held_on: date, expected: list[_Person], rate: float,
                    election: bool) -> list[_Person]:
        """Attendance rows for every 应到 person, absentees with a reason and a make-up entry."""
        r, w, d, today = self.r, self.w, held_on.toordinal(), self.today
        absent: list[tuple[_Person, str, str]] = []
        present: list[_Person] = []
        for p in expected:
            if d >= p.lost_ord:
                absent.append((p, "other", "与党组织失去联系"))
            elif p.mobile and r.random() < 0.7:
                absent.append((p, "other", "外出流动，在流入地参加组织生活"))
            elif r.random() < rate:
                present.append(p)
            else:
                reason = r.choices(ABSENCE_REASONS, weights=_ABSENCE_WEIGHTS)[0]
                absent.append((p, reason, r.choice(ABSENCE_NOTES[reason])))
        if election:  # an election is valid only with more than 4/5 of the voters present
            voters = sum(p.full_ord <= d for p in expected)
            voting = sum(p.full_ord <= d for p in present)
            for item in list(absent):
                if 5 * voting > 4 * voters:
                    break
                if item[0].lost_ord > d and item[0].full_ord <= d:
                    absent.remove(item)
                    present.append(item[0])
                    voting += 1
        absent_ids = {p.id: (reason, note) for p, reason, note in absent}
        for p in expected:
            if p.id in absent_ids:
                reason, note = absent_ids[p.id]
                w.add("attendance", (mid, p.id, "absent", reason, note))
            else:
                w.add("attendance", (mid, p.id, "present", None, ""))
        for p, reason, _ in absent:
            if reason == "other" and d >= p.lost_ord:
                continue
            done = held_on + timedelta(days=r.randint(3, 30))
            done = done if done <= today and r.random() < 0.9 else None
            w.add("make_up_study", (mid, p.id, _iso(done), "自学会议材料，提交学习心得" if done else ""))
        return present

    def _votes(self, mid: int, held_on: date, quarter: int, present: list[_Person], topic_ids: dict[str, int],
               accepted: list[_Person], converted: list[_Person], election: bool) -> None:
        """Votes and resolutions of a 支部党员大会: only full members vote (domain-rules §2)."""
        r, w, d = self.r, self.w, held_on.toordinal()
        voters = sum(p.full_ord <= d for p in present)
        seq = 0

        def vote(topic_id: int, motion: str, kind: str, resolution: str) -> None:
            nonlocal seq
            seq += 1
            abstain = 1 if voters > 5 and r.random() < 0.15 else 0
            w.add("vote", (mid, topic_id, seq, motion, kind, voters - abstain, 0, abstain))
            w.add("resolution", (mid, seq, resolution))

        plan = QUARTER_MOTIONS[quarter - 1]
        vote(topic_ids[f"审议《{plan}》"], f"审议《{plan}》", "ordinary", f"会议表决通过《{plan}》。")
        for p in accepted:
            vote(topic_ids[ACCEPT_TOPIC], f"接收{p.name}同志为中共预备党员", "ordinary",
                 f"同意接收{p.name}同志为中共预备党员，报上级党委审批。")
            w.add("observer", (mid, p.name, "发展对象"))
        for p in converted:
            vote(topic_ids[CONVERT_TOPIC], f"{p.name}同志按期转为中共正式党员", "ordinary",
                 f"同意{p.name}同志按期转为中共正式党员，报上级党委审批。")
        if election:
            for post, p in self.committee:
                vote(topic_ids[ELECTION_TOPIC], f"选举{p.name}为支部委员会委员（拟任{post}）", "election",
                     f"{p.name}同志当选为支部委员会委员，报上级党委审批后任{post}。")

    def _appraisals(self, mid: int, held_on: date, year: int, expected: list[_Person]) -> None:
        """民主评议 grades of full members: mostly 合格, 优秀 at most a third, rarely 基本合格."""
        r, w, d = self.r, self.w, held_on.toordinal()
        w.add("appraisal_round", (year, held_on.isoformat(), mid, ""))
        graded = [p for p in expected if p.full_ord <= d]
        excellent = {p.id for p in r.sample(graded, min(len(graded) // 3, round(len(graded) * r.uniform(0.12, 0.25))))}
        for p in graded:
            if d >= p.lost_ord:
                grade = "unqualified"
            elif p.id in excellent:
                grade = "excellent"
            else:
                grade = "basically" if r.random() < 0.01 else "qualified"
            w.add("appraisal", (p.id, year, grade, mid))
            label = vocab.APPRAISAL_GRADES[grade]
            w.add("history_event", (p.id, held_on.isoformat(), "appraisal", f"{year}年度民主评议党员评定为{label}"))

    def _commendations(self, year: int) -> None:
        day = date(year, 6, 28)
        if day > self.today:
            return
        d = day.toordinal()
        eligible = [p for p in self.roster if p.start_ord < d < p.end_ord and p.full_ord <= d and p.lost_ord > d]
        for p in self.r.sample(eligible, min(len(eligible), max(1, len(eligible) // 100))):
            self.w.add("history_event", (p.id, day.isoformat(), "commendation", f"被{self.upper}评为{year}年度优秀共产党员"))

    def _talks(self, year: int) -> None:
        """谈心谈话 (domain-rules §2): the secretary with each committee member, the committee with most
        members, and a few members among themselves, on days through the year up to today."""
        r = self.r
        if not self.committee:
            return
        first, last = max(self.start, date(year, 1, 1)), min(self.today, date(year, 12, 31))
        if first > last:
            return
        committee = [p for _, p in self.committee]
        secretary = committee[0]
        members = [p for p in self.roster if p not in committee]

        def talk(a: _Person, b: _Person, kind: str) -> None:
            day = self._between(first, last)
            d = day.toordinal()
            if a.start_ord < d < a.end_ord and b.start_ord < d < b.end_ord:
                self.w.add("talk", (day.isoformat(), f"{a.name}、{b.name}", "", "", kind, a.id, b.id,
                                    r.choice(TALK_GISTS[kind])))

        for p in committee[1:]:
            talk(secretary, p, "committee")
        for p in members:
            if r.random() < 0.9:
                talk(r.choice(committee), p, "committee_member")
        for _ in range(len(members) // 10 if len(members) > 1 else 0):
            talk(*r.sample(members, 2), "members")

    # ---- dues ------------------------------------------------------------------------------------------

    def _dues(self, year: int) -> None:
        """Each member's base for the year and the monthly payments (domain-rules §1) up to today."""
        r, w, today = self.r, self.w, self.today
        current = _month_index(today)
        standards: dict[tuple[str, int], int] = {}
        p_transfer = min(0.9, max(0.1, 0.15 + 0.08 * (year - 2015)))
        for p in self.roster:
            if year > self.years[0]:
                p.salary = (p.salary * (1000 + p.growth) // 1000 + 500) // 1000 * 1000
                p.pension = (p.pension * (1000 + p.growth // 2) // 1000 + 500) // 1000 * 1000
            on_roll = max(_month_index(p.in_from), year * 12)
            off_roll = min(_month_index(p.left) if p.left else current, year * 12 + 11, current)
            if on_roll > off_roll:
                continue
            category = p.category
            if category == "retired" and p.retire_year is not None and year <= p.retire_year:
                category = "in_service"
            base = p.salary if category == "in_service" else p.pension if category == "retired" else 0
            entered = min(max(date(year, 1, r.randint(5, 20)), p.in_from), p.left or today, today)
            w.add("dues_base", (p.id, year, base, category, None, "", entered.isoformat()))
            key = (category, base)
            amount = standards.get(key)
            if amount is None:
                amount = standards[key] = monthly_standard(category, base).amount_fen
            first = max(_month_index(p.dues_from), on_roll)
            for index in range(first, min(p.dues_last, off_roll) + 1):
                paid_on = self._paid_on(p, index)
                if paid_on > today:
                    continue
                month = index % 12 + 1
                extra, note = (r.choice((5000, 10000, 20000)), "自愿多交党费") if month == 7 and r.random() < 0.03 \
                    else (0, "")
                method = "transfer" if p.mobile or r.random() < p_transfer else "cash"
                self.receipts[year] = number = self.receipts.get(year, 0) + 1
                w.add("dues_payment", (p.id, year, month, amount, extra, paid_on.isoformat(), method,
                                       f"DF{year}-{number:05d}", note))

    def _paid_on(self, p: _Person, index: int) -> date:
        """When a month's dues were paid: mostly at the 主题党日, some later; 流动党员 by the quarter."""
        r = self.r
        year, month = divmod(index, 12)
        month += 1
        if p.mobile:
            quarter_end = month + 2 - (month - 1) % 3
            day = date(year, quarter_end, 20) + timedelta(days=r.randint(0, 10))
        else:
            u = r.random()
            if u < 0.6:
                day = self.collection_days.get(index) or date(year, month, 15)
            elif u < 0.92:
                day = date(year, month, r.randint(1, 28))
            else:
                day = date(year, month, 28) + timedelta(days=r.randint(1, 40))
        day = max(day, p.in_from)
        return min(day, p.left) if p.left else day
