"""Read-only queries over members: the roster rows for printing and one person's full file.

They return plain dataclasses (codes and their Chinese labels side by side), never peewee objects,
so the GUI and the documents can use them without hidden queries. Nothing here writes.
"""

from dataclasses import dataclass, field, fields
from datetime import date

from peewee import JOIN

from .. import vocab
from ..errors import ValidationError
from ..models import (
    Appraisal,
    CommitteeMember,
    CommitteeTerm,
    Development,
    HistoryEvent,
    PartyGroup,
    Person,
    Transfer,
)

# The category column of a printed roster uses the short words (正式 / 预备).
STAGE_SHORT = {"full": "正式", "probationary": "预备"}


@dataclass(frozen=True)
class MemberRow:
    """One line of the printed roster (党员花名册)."""

    id: int
    name: str
    sex: str  # label: 男 / 女, "" when unknown
    ethnicity: str
    birth_date: date | None
    id_number: str | None  # in full: masking is the document's decision
    education: str
    stage: str  # label: 正式 / 预备
    joined_on: date | None
    converted_on: date | None
    group: str  # 党小组 name, "" when none
    post: str  # 工作单位及职务 as kept (the post; the occupation when no post)
    phone: str
    is_mobile: bool
    state: str  # label: 在册, 转出 …


def roster_rows(include_left: bool = False) -> list[MemberRow]:
    """The members (正式 and 预备 党员) in roster order: by 党小组 order, then pinyin initials.

    Members in no group come last. ``include_left`` adds members who have left the roster
    (transferred out, suspended, expelled, deceased), for a historical list.
    """
    query = (Person.select(Person, PartyGroup).join(PartyGroup, JOIN.LEFT_OUTER, on=(Person.group == PartyGroup.id))
             .where(Person.stage.in_(vocab.MEMBER_STAGES)))
    if not include_left:
        query = query.where(Person.membership_state == "active")
    query = query.order_by(PartyGroup.id.is_null(), PartyGroup.sort_order, PartyGroup.name,
                           Person.name_initials, Person.name, Person.id)
    rows = []
    for p in query:
        group = p.group if p.group_id is not None else None
        rows.append(MemberRow(
            id=p.id, name=p.name, sex=vocab.SEXES.get(p.sex, ""), ethnicity=p.ethnicity, birth_date=p.birth_date,
            id_number=p.id_number, education=p.education, stage=STAGE_SHORT.get(p.stage, p.stage),
            joined_on=p.joined_on, converted_on=p.converted_on, group=group.name if group else "",
            post=p.post or p.occupation, phone=p.phone, is_mobile=p.is_mobile,
            state=vocab.MEMBERSHIP_STATES.get(p.membership_state, p.membership_state),
        ))
    return rows


@dataclass(frozen=True)
class DevelopmentDates:
    """The development record of domain-rules §3 (``models.Development`` without the person)."""

    applied_on: date | None = None
    talked_on: date | None = None
    activist_on: date | None = None
    activist_filed_on: date | None = None
    contacts: str = ""
    target_on: date | None = None
    target_filed_on: date | None = None
    notice_start_on: date | None = None
    notice_end_on: date | None = None
    introducers: str = ""
    political_review_on: date | None = None
    political_review_conclusion: str = ""
    training_start_on: date | None = None
    training_end_on: date | None = None
    training_hours: int | None = None
    committee_review_on: date | None = None
    pre_review_on: date | None = None
    volunteer_form_on: date | None = None
    upper_talk_on: date | None = None
    approved_on: date | None = None
    oath_on: date | None = None
    extension_months: int | None = None
    extension_decided_on: date | None = None
    conversion_applied_on: date | None = None
    conversion_meeting_on: date | None = None
    conversion_approved_on: date | None = None
    archived_on: date | None = None
    admission_notice_start_on: date | None = None
    admission_notice_end_on: date | None = None
    admission_filed_on: date | None = None
    extension_reason: str = ""
    conversion_notice_start_on: date | None = None
    conversion_notice_end_on: date | None = None


# The Chinese name of each development field, in the order of the pipeline (入党时间 sits on the person).
DEVELOPMENT_LABELS = {
    "applied_on": "递交入党申请书",
    "talked_on": "谈话",
    "activist_on": "确定为入党积极分子",
    "activist_filed_on": "积极分子报上级党委备案",
    "contacts": "培养联系人",
    "target_on": "确定为发展对象",
    "target_filed_on": "发展对象报上级党委备案",
    "notice_start_on": "公示开始",
    "notice_end_on": "公示结束",
    "introducers": "入党介绍人",
    "political_review_on": "政治审查",
    "political_review_conclusion": "政治审查结论",
    "training_start_on": "集中培训开始",
    "training_end_on": "集中培训结束",
    "training_hours": "培训学时",
    "committee_review_on": "支委会审查",
    "pre_review_on": "上级党委预审",
    "volunteer_form_on": "填写入党志愿书",
    "upper_talk_on": "上级党委派人谈话",
    "approved_on": "上级党委审批",
    "oath_on": "入党宣誓",
    "extension_months": "延长预备期（月）",
    "extension_decided_on": "延长预备期决定",
    "conversion_applied_on": "提出转正申请",
    "conversion_meeting_on": "支部大会讨论转正",
    "conversion_approved_on": "上级党委审批转正",
    "archived_on": "材料归档",
    "admission_notice_start_on": "拟接收预备党员公示开始",
    "admission_notice_end_on": "拟接收预备党员公示结束",
    "admission_filed_on": "报再上一级党委备案",
    "extension_reason": "延长预备期原因",
    "conversion_notice_start_on": "转正公示开始",
    "conversion_notice_end_on": "转正公示结束",
}


@dataclass(frozen=True)
class CommitteePost:
    """A post on the branch committee the person holds or held."""

    post: str
    term_started_on: date
    started_on: date | None
    ended_on: date | None  # None: still in post


@dataclass(frozen=True)
class HistoryItem:
    """An entry of the member's history: joined, converted, posts, transfers, grades …"""

    occurred_on: date
    kind: str
    kind_label: str
    description: str


@dataclass(frozen=True)
class AppraisalItem:
    """A 民主评议 grade."""

    year: int
    grade: str
    grade_label: str


@dataclass(frozen=True)
class TransferItem:
    """A transfer of the person's organisational relation."""

    id: int
    direction: str
    direction_label: str
    scope_label: str
    from_org: str
    to_org: str
    transferred_on: date
    letter_number: str
    receipt_returned_on: date | None


@dataclass(frozen=True)
class MemberDetail:
    """Everything on file about one person (domain-rules §5), with the Chinese labels of the codes."""

    id: int
    name: str
    sex: str | None
    sex_label: str
    ethnicity: str
    native_place: str
    birth_date: date | None
    id_number: str | None
    work_started_on: date | None
    education: str
    school_major: str
    degree: str
    occupation: str
    post: str
    phone: str
    address: str
    stage: str
    stage_label: str
    membership_state: str
    state_label: str
    state_changed_on: date | None
    state_reason: str
    joined_on: date | None
    converted_on: date | None
    is_mobile: bool
    mobile_note: str
    group_id: int | None
    group_name: str
    dues_category: str
    dues_category_label: str
    note: str
    occupation_category: str | None = None  # vocab.OCCUPATION_CATEGORIES; None until the clerk confirms one
    development: DevelopmentDates = field(default_factory=DevelopmentDates)
    committee_posts: list[CommitteePost] = field(default_factory=list)
    history: list[HistoryItem] = field(default_factory=list)  # newest first
    appraisals: list[AppraisalItem] = field(default_factory=list)  # newest first
    transfers: list[TransferItem] = field(default_factory=list)  # newest first

    @property
    def is_member(self) -> bool:
        return self.stage in vocab.MEMBER_STAGES


def get_member(person_id: int) -> MemberDetail:
    """One person's full file; a clear error when there is no such person."""
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise ValidationError(f"找不到编号为 {person_id} 的人员，请检查编号或先在花名册中查找。", "person_id")
    group = PartyGroup.get_or_none(PartyGroup.id == person.group_id) if person.group_id else None
    dev_row = Development.get_or_none(Development.person == person.id)
    development = DevelopmentDates(**{f.name: getattr(dev_row, f.name) for f in fields(DevelopmentDates)}) \
        if dev_row else DevelopmentDates()
    posts = [CommitteePost(m.post, m.term.started_on, m.started_on, m.ended_on)
             for m in (CommitteeMember.select(CommitteeMember, CommitteeTerm).join(CommitteeTerm)
                       .where(CommitteeMember.person == person.id)
                       .order_by(CommitteeTerm.started_on.desc(), CommitteeMember.sort_order))]
    history = [HistoryItem(e.occurred_on, e.kind, vocab.HISTORY_KINDS.get(e.kind, e.kind), e.description)
               for e in (HistoryEvent.select().where(HistoryEvent.person == person.id)
                         .order_by(HistoryEvent.occurred_on.desc(), HistoryEvent.id.desc()))]
    appraisals = [AppraisalItem(a.year, a.grade, vocab.APPRAISAL_GRADES.get(a.grade, a.grade))
                  for a in Appraisal.select().where(Appraisal.person == person.id).order_by(Appraisal.year.desc())]
    transfers = [TransferItem(t.id, t.direction, vocab.TRANSFER_DIRECTIONS.get(t.direction, t.direction),
                              vocab.TRANSFER_SCOPES.get(t.scope, t.scope), t.from_org, t.to_org, t.transferred_on,
                              t.letter_number, t.receipt_returned_on)
                 for t in (Transfer.select().where(Transfer.person == person.id)
                           .order_by(Transfer.transferred_on.desc(), Transfer.id.desc()))]
    return MemberDetail(
        id=person.id, name=person.name, sex=person.sex, sex_label=vocab.SEXES.get(person.sex, ""),
        ethnicity=person.ethnicity, native_place=person.native_place, birth_date=person.birth_date,
        id_number=person.id_number, work_started_on=person.work_started_on, education=person.education,
        school_major=person.school_major, degree=person.degree, occupation=person.occupation, post=person.post,
        phone=person.phone, address=person.address, stage=person.stage,
        stage_label=vocab.STAGES.get(person.stage, person.stage), membership_state=person.membership_state,
        state_label=vocab.MEMBERSHIP_STATES.get(person.membership_state, person.membership_state),
        state_changed_on=person.state_changed_on, state_reason=person.state_reason, joined_on=person.joined_on,
        converted_on=person.converted_on, is_mobile=person.is_mobile, mobile_note=person.mobile_note,
        group_id=person.group_id, group_name=group.name if group else "", dues_category=person.dues_category,
        dues_category_label=vocab.DUES_CATEGORIES.get(person.dues_category, person.dues_category),
        note=person.note, occupation_category=person.occupation_category, development=development, committee_posts=posts, history=history,
        appraisals=appraisals, transfers=transfers,
    )
