"""The ledger's data model: one peewee model per table.

Conventions: money is integer fen (``*_fen``), dates are ``DateField`` holding ``datetime.date``,
enumerations hold the English codes of ``ledger_app.vocab``. The schema itself is created and
upgraded by the migrations in ``ledger_app.migrations``; ``tests/test_schema.py`` checks that these
models and the migrated schema agree column for column.

Nobody is ever deleted: a person leaves the roster through ``membership_state`` with a date and a
reason. Rows that belong to a meeting (attendance, topics, votes …) go with it.
"""

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from . import vocab

database = DatabaseProxy()  # bound to the open ledger by ``bind`` (``ledger_app.db`` calls it)


def _choices(mapping) -> list[tuple[str, str]]:
    return [(code, label) for code, label in mapping.items()]


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Branch(BaseModel):
    """The branch profile: a single row (id 1)."""

    name = CharField()
    branch_type = CharField(choices=_choices(vocab.BRANCH_TYPES))
    upper_committee = CharField(default="")
    founded_on = DateField(null=True)
    address = CharField(default="")
    phone = CharField(default="")
    note = TextField(default="")


class Setting(BaseModel):
    """A per-ledger setting (rule defaults that are local practice); value is JSON text."""

    key = CharField(primary_key=True)
    value = TextField()

class ImportBatch(BaseModel):
    """One roster import from Excel, so the last import can be undone as a whole."""

    imported_at = CharField()  # ISO timestamp
    source = CharField()  # the file name imported
    created = IntegerField(default=0)
    updated = IntegerField(default=0)
    before = TextField(default="[]")  # JSON: the rows of existing people as they were before the import
    undone_at = CharField(null=True)


class PartyGroup(BaseModel):
    """A 党小组."""

    name = CharField(unique=True)
    leader = DeferredForeignKey("Person", null=True, on_delete="SET NULL")
    sort_order = IntegerField(default=0)
    note = TextField(default="")


class Person(BaseModel):
    """A member or someone in the development pipeline, with every field of domain-rules §5."""

    name = CharField(index=True)
    name_initials = CharField(default="")  # pinyin initials for search (ledger_app.pinyin), set on write
    sex = CharField(null=True, choices=_choices(vocab.SEXES))
    ethnicity = CharField(default="")
    native_place = CharField(default="")
    birth_date = DateField(null=True)
    id_number = CharField(null=True, unique=True)
    work_started_on = DateField(null=True)
    education = CharField(default="")
    school_major = CharField(default="")
    degree = CharField(default="")
    occupation = CharField(default="")
    occupation_category = CharField(null=True, choices=_choices(vocab.OCCUPATION_CATEGORIES))  # 党内统计
    post = CharField(default="")
    phone = CharField(default="")
    address = CharField(default="")
    stage = CharField(choices=_choices(vocab.STAGES), index=True)
    membership_state = CharField(default="active", choices=_choices(vocab.MEMBERSHIP_STATES), index=True)
    state_changed_on = DateField(null=True)
    state_reason = TextField(default="")
    joined_on = DateField(null=True)  # 入党时间 = the 支部大会 that accepted the person
    converted_on = DateField(null=True)  # 转正时间: probation ended; 党龄 counts from here
    is_mobile = BooleanField(default=False)  # 流动党员
    mobile_note = TextField(default="")
    group = ForeignKeyField(PartyGroup, null=True, backref="people", on_delete="SET NULL")
    dues_category = CharField(default="in_service", choices=_choices(vocab.DUES_CATEGORIES))
    note = TextField(default="")
    import_batch = ForeignKeyField(ImportBatch, null=True, backref="people", on_delete="SET NULL")  # the roster import that created it

    def save(self, *args, **kwargs):
        """Keep the pinyin search key in step with the name on every write through the models."""
        from .pinyin import initials

        self.name_initials = initials(self.name or "")
        return super().save(*args, **kwargs)



class Development(BaseModel):
    """The development dates of one person (domain-rules §3); 入党时间 stays on ``Person.joined_on``."""

    person = ForeignKeyField(Person, unique=True, backref="development", on_delete="CASCADE")
    applied_on = DateField(null=True)
    talked_on = DateField(null=True)
    activist_on = DateField(null=True)
    activist_filed_on = DateField(null=True)
    contacts = CharField(default="")  # 培养联系人, names separated by 、
    target_on = DateField(null=True)
    target_filed_on = DateField(null=True)
    notice_start_on = DateField(null=True)
    notice_end_on = DateField(null=True)
    introducers = CharField(default="")  # 入党介绍人, names separated by 、
    political_review_on = DateField(null=True)
    political_review_conclusion = TextField(default="")
    training_start_on = DateField(null=True)
    training_end_on = DateField(null=True)
    training_hours = IntegerField(null=True)
    committee_review_on = DateField(null=True)
    pre_review_on = DateField(null=True)
    volunteer_form_on = DateField(null=True)
    upper_talk_on = DateField(null=True)
    approved_on = DateField(null=True)
    oath_on = DateField(null=True)
    extension_months = IntegerField(null=True)
    extension_decided_on = DateField(null=True)
    conversion_applied_on = DateField(null=True)
    conversion_meeting_on = DateField(null=True)
    conversion_approved_on = DateField(null=True)
    archived_on = DateField(null=True)
    admission_notice_start_on = DateField(null=True)  # 公示 of someone to be admitted (拟接收预备党员)
    admission_notice_end_on = DateField(null=True)
    admission_filed_on = DateField(null=True)  # filed with the next committee up after approval
    extension_reason = TextField(default="")
    conversion_notice_start_on = DateField(null=True)  # 公示 of a probationary member to be converted
    conversion_notice_end_on = DateField(null=True)


class ActivistAssessment(BaseModel):
    """A six-monthly assessment of an activist."""

    person = ForeignKeyField(Person, backref="assessments", on_delete="CASCADE")
    assessed_on = DateField()
    conclusion = TextField(default="")


class CommitteeTerm(BaseModel):
    """One term of the branch committee; length is 3 years, 5 for 村 and 社区 branches."""

    started_on = DateField()
    length_years = IntegerField(default=3)
    note = TextField(default="")


class CommitteeMember(BaseModel):
    """A post on the committee held by a person during a term."""

    term = ForeignKeyField(CommitteeTerm, backref="members", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="committee_posts")
    post = CharField()
    started_on = DateField(null=True)
    ended_on = DateField(null=True)
    sort_order = IntegerField(default=0)


class HistoryEvent(BaseModel):
    """An event in a member's file: joined, converted, posts, transfers, grades, commendations …"""

    person = ForeignKeyField(Person, backref="history", on_delete="CASCADE")
    occurred_on = DateField()
    kind = CharField(choices=_choices(vocab.HISTORY_KINDS))
    description = TextField(default="")


class Transfer(BaseModel):
    """A transfer of organisational relation out of or into the branch (domain-rules §4)."""

    person = ForeignKeyField(Person, backref="transfers")
    direction = CharField(choices=_choices(vocab.TRANSFER_DIRECTIONS))
    scope = CharField(choices=_choices(vocab.TRANSFER_SCOPES))
    from_org = CharField(default="")
    to_org = CharField(default="")
    transferred_on = DateField()
    letter_number = CharField(default="")
    valid_days = IntegerField(default=30)
    dues_paid_until = DateField(null=True)  # the month dues are paid up to, as its first day
    receipt_returned_on = DateField(null=True)
    note = TextField(default="")


class Exclusion(BaseModel):
    """A member excluded from 应到 for a period, with the category, approval and reason."""

    person = ForeignKeyField(Person, backref="exclusions")
    category = CharField(choices=_choices(vocab.EXCLUSION_CATEGORIES))
    reason = TextField(default="")
    approved_on = DateField()
    start_on = DateField()
    end_on = DateField(null=True)


class Meeting(BaseModel):
    """A meeting of any kind, planned or held."""

    kind = CharField(choices=_choices(vocab.MEETING_KINDS), index=True)
    title = CharField(default="")
    status = CharField(default="held", choices=_choices(vocab.MEETING_STATUSES))
    held_on = DateField(index=True)
    start_time = CharField(default="")  # "HH:MM"
    end_time = CharField(default="")
    place = CharField(default="")
    group = ForeignKeyField(PartyGroup, null=True, backref="meetings")  # for 党小组会
    chair = ForeignKeyField(Person, null=True, backref="chaired_meetings")
    recorder = ForeignKeyField(Person, null=True, backref="recorded_meetings")
    lecturer = CharField(default="")  # 党课: may be someone from outside the branch
    content = TextField(default="")
    note = TextField(default="")


class MeetingTopic(BaseModel):
    """An item on a meeting's agenda (议题)."""

    meeting = ForeignKeyField(Meeting, backref="topics", on_delete="CASCADE")
    seq = IntegerField()
    title = TextField()


class Attendance(BaseModel):
    """One 应到 person's attendance at a meeting, with the reason when absent."""

    # No index of its own: the unique (meeting, person) index serves lookups by meeting (schema v3).
    meeting = ForeignKeyField(Meeting, backref="attendance", on_delete="CASCADE", index=False)
    person = ForeignKeyField(Person, backref="attendance")
    status = CharField(choices=_choices(vocab.ATTENDANCE_STATUSES))
    absence_reason = CharField(null=True, choices=_choices(vocab.ABSENCE_REASONS))
    reason_note = CharField(default="")

    class Meta:
        indexes = ((("meeting", "person"), True),)


class Observer(BaseModel):
    """Someone attending without membership (列席)."""

    meeting = ForeignKeyField(Meeting, backref="observers", on_delete="CASCADE")
    name = CharField()
    affiliation = CharField(default="")


class Speech(BaseModel):
    """The gist of one speaker's remarks, optionally under a topic."""

    meeting = ForeignKeyField(Meeting, backref="speeches", on_delete="CASCADE")
    topic = ForeignKeyField(MeetingTopic, null=True, backref="speeches", on_delete="SET NULL")
    seq = IntegerField()
    speaker = ForeignKeyField(Person, null=True, backref="speeches")
    speaker_name = CharField(default="")  # for a speaker not in the ledger
    points = TextField()


class Vote(BaseModel):
    """A vote taken at a meeting; whether it is valid and passed is computed by the rules."""

    meeting = ForeignKeyField(Meeting, backref="votes", on_delete="CASCADE")
    topic = ForeignKeyField(MeetingTopic, null=True, backref="votes", on_delete="SET NULL")
    seq = IntegerField()
    motion = TextField()
    kind = CharField(default="ordinary", choices=_choices(vocab.VOTE_KINDS))
    yes = IntegerField()
    no = IntegerField()
    abstain = IntegerField()


class Resolution(BaseModel):
    """A resolution (决议) of a meeting."""

    meeting = ForeignKeyField(Meeting, backref="resolutions", on_delete="CASCADE")
    seq = IntegerField()
    text = TextField()


class MakeUpStudy(BaseModel):
    """A make-up study entry (补学) for someone absent from a meeting, ticked off with a date."""

    meeting = ForeignKeyField(Meeting, backref="makeups", on_delete="CASCADE")
    person = ForeignKeyField(Person, backref="makeups")
    done_on = DateField(null=True)
    note = TextField(default="")


class DevelopmentDecision(BaseModel):
    """The 支委会 or 支部大会 at which a development step was decided; the step's date is the meeting's.

    ``step`` is the ``Development`` (or ``Person``) date column the decision sets, one of
    ``vocab.DECISION_STEPS``.
    """

    person = ForeignKeyField(Person, backref="decisions", on_delete="CASCADE")
    step = CharField(choices=_choices(vocab.DECISION_STEPS))
    meeting = ForeignKeyField(Meeting, backref="decisions", on_delete="CASCADE")

    class Meta:
        indexes = ((("person", "step"), True),)


class AppraisalRound(BaseModel):
    """One year's 民主评议党员: when it was held and at which meeting (the grades are ``Appraisal``)."""

    year = IntegerField(unique=True)
    held_on = DateField()
    meeting = ForeignKeyField(Meeting, null=True, backref="appraisal_rounds", on_delete="SET NULL")
    note = TextField(default="")


class Appraisal(BaseModel):
    """A 民主评议 grade for a member in a year."""

    person = ForeignKeyField(Person, backref="appraisals")
    year = IntegerField()
    grade = CharField(choices=_choices(vocab.APPRAISAL_GRADES))
    meeting = ForeignKeyField(Meeting, null=True, backref="appraisals", on_delete="SET NULL")

    class Meta:
        indexes = ((("person", "year"), True),)


class Talk(BaseModel):
    """A 谈心谈话 log entry: the two people (in the ledger, or named in ``participants`` when one is
    not), the kind of talk and its gist."""

    held_on = DateField(index=True)
    participants = TextField()  # the names as written, "张三、李四"
    topic = TextField(default="")
    note = TextField(default="")
    kind = CharField(null=True, choices=_choices(vocab.TALK_KINDS))
    first_person = ForeignKeyField(Person, null=True, backref="talks_first")
    second_person = ForeignKeyField(Person, null=True, backref="talks_second")
    gist = TextField(default="")  # 谈话要点


class AnnualText(BaseModel):
    """What only the clerk knows of a year (problems, next year's plans …), one text per section,
    so that regenerating the annual summary never loses it."""

    year = IntegerField()
    section = CharField(choices=_choices(vocab.ANNUAL_TEXT_SECTIONS))
    text = TextField()

    class Meta:
        indexes = ((("year", "section"), True),)


class DuesBase(BaseModel):
    """A member's dues base for a year (fixed in January since 2017), with the category used."""

    person = ForeignKeyField(Person, backref="dues_bases")
    year = IntegerField()
    base_fen = IntegerField()
    category = CharField(choices=_choices(vocab.DUES_CATEGORIES))
    override_fen = IntegerField(null=True)  # a standard set by hand, only with a reason
    override_reason = TextField(default="")
    entered_on = DateField(null=True)

    class Meta:
        indexes = ((("person", "year"), True),)


class DuesRelief(BaseModel):
    """A hardship reduction or exemption, recorded with its approvals."""

    person = ForeignKeyField(Person, backref="dues_reliefs")
    year = IntegerField()
    start_month = IntegerField()
    end_month = IntegerField()
    kind = CharField(choices=_choices(vocab.RELIEF_KINDS))
    amount_fen = IntegerField(default=0)
    branch_approved_on = DateField()
    upper_approved_on = DateField()
    note = TextField(default="")


class DuesPayment(BaseModel):
    """A member's dues for one month: the standard paid and any voluntary extra, in fen."""

    person = ForeignKeyField(Person, backref="dues_payments", index=False)  # the unique (person, year, month) serves
    year = IntegerField()
    month = IntegerField()
    amount_fen = IntegerField()
    extra_fen = IntegerField(default=0)
    paid_on = DateField()
    method = CharField(default="cash", choices=_choices(vocab.PAYMENT_METHODS))
    receipt_no = CharField(default="")
    note = TextField(default="")

    class Meta:
        indexes = ((("person", "year", "month"), True), (("year", "month"), False))


class AuditEntry(BaseModel):
    """One change made through a service: when, what, which table and row, before and after (JSON)."""

    at = CharField(index=True)  # ISO timestamp, local time, seconds
    action = CharField(choices=_choices(vocab.AUDIT_ACTIONS))
    table_name = CharField()
    row_id = IntegerField(null=True)
    summary = TextField(default="")
    before = TextField(null=True)
    after = TextField(null=True)


# In dependency order: a table's foreign keys point only to tables before it (Person ↔ PartyGroup
# is the one cycle, broken by the deferred key). Export, import and the schema follow this order.
ALL_MODELS: tuple[type[BaseModel], ...] = (
    Branch,
    Setting,
    ImportBatch,
    PartyGroup,
    Person,
    Development,
    ActivistAssessment,
    CommitteeTerm,
    CommitteeMember,
    HistoryEvent,
    Transfer,
    Exclusion,
    Meeting,
    MeetingTopic,
    Attendance,
    Observer,
    Speech,
    Vote,
    Resolution,
    MakeUpStudy,
    DevelopmentDecision,
    AppraisalRound,
    Appraisal,
    Talk,
    AnnualText,
    DuesBase,
    DuesRelief,
    DuesPayment,
    AuditEntry,
)


def bind(ledger) -> None:
    """Point the models at ``ledger`` (an open ``db.Ledger``)."""
    database.initialize(ledger.db)


def _bind_open_ledger() -> None:
    # A ledger opened before this module was first imported (the GUI's first screen needs no
    # models) is bound now; one opened later is bound by ``db.open_ledger``.
    from .db import current_ledger

    if current_ledger() is not None:
        bind(current_ledger())


_bind_open_ledger()
