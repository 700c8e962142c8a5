"""Meetings: record them with attendance, speeches, votes and resolutions; plan a year; copy one;
make-up study (补学) for absentees. Plain dataclasses in and out, every write one audited transaction.

应到, who votes and whether a vote counts come from ``rules.meetings``; this module only loads the
facts the rules need and writes what the clerk recorded. A meeting is saved whole from a
``MeetingDraft`` (the editor's state): the draft is checked first and nothing is written when any
field is wrong; the ``ValidationError`` names the field (``attendance[2].absence_reason``).
"""

import re
from dataclasses import dataclass, field
from datetime import date

from peewee import JOIN, fn

from .. import vocab
from ..errors import ValidationError
from ..models import (
    Attendance,
    CommitteeMember,
    CommitteeTerm,
    Exclusion,
    MakeUpStudy,
    Meeting,
    MeetingTopic,
    Observer,
    PartyGroup,
    Person,
    Resolution,
    Speech,
    Transfer,
    Vote,
    database,
)
from ..rules import meetings as rules
from . import audit, settings, write

SETTINGS_KEY = "meeting_frequencies"
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")

# ---- what the editor sends ----------------------------------------------------------------------------


@dataclass
class AttendanceEntry:
    """One 应到 person's attendance; an absentee needs a reason (``vocab.ABSENCE_REASONS``)."""

    person_id: int
    present: bool = True
    absence_reason: str | None = None
    reason_note: str = ""


@dataclass
class ObserverEntry:
    """Someone attending without being 应到 (列席)."""

    name: str
    affiliation: str = ""


@dataclass
class SpeechEntry:
    """The gist of a speaker's remarks; ``topic`` is the index of the topic in ``MeetingDraft.topics``."""

    points: str
    speaker_id: int | None = None
    speaker_name: str = ""  # for a speaker not in the ledger
    topic: int | None = None


@dataclass
class VoteEntry:
    """A vote: the motion and its counts; ``kind`` ordinary or election (``vocab.VOTE_KINDS``)."""

    motion: str
    yes: int
    no: int = 0
    abstain: int = 0
    kind: str = "ordinary"
    topic: int | None = None


@dataclass
class MeetingDraft:
    """Every field of a meeting as the editor holds it."""

    kind: str
    held_on: date | None
    title: str = ""
    status: str = "held"
    start_time: str = ""  # HH:MM
    end_time: str = ""
    place: str = ""
    group_id: int | None = None  # required for a 党小组会
    chair_id: int | None = None
    recorder_id: int | None = None
    lecturer: str = ""  # 党课
    content: str = ""
    note: str = ""
    topics: list[str] = field(default_factory=list)
    attendance: list[AttendanceEntry] = field(default_factory=list)  # empty: not recorded yet
    observers: list[ObserverEntry] = field(default_factory=list)
    speeches: list[SpeechEntry] = field(default_factory=list)
    votes: list[VoteEntry] = field(default_factory=list)
    resolutions: list[str] = field(default_factory=list)


# ---- what the editor and the documents receive --------------------------------------------------------


@dataclass(frozen=True)
class PersonRef:
    """A person offered as 应到, chair, recorder or speaker."""

    id: int
    name: str
    may_vote: bool = False  # a full member on the meeting's date
    group_name: str = ""
    is_mobile: bool = False  # 流动党员


@dataclass(frozen=True)
class AttendanceRow:
    person_id: int
    name: str
    present: bool
    status_label: str  # 出席 / 缺席
    absence_reason: str | None
    reason_label: str  # 病假 … or ""
    reason_note: str
    may_vote: bool
    group_name: str


@dataclass(frozen=True)
class SpeechRow:
    seq: int
    topic_seq: int | None
    topic_title: str
    speaker_id: int | None
    speaker_name: str  # the person's name, or the name typed for someone outside the ledger
    points: str


@dataclass(frozen=True)
class VoteRow:
    seq: int
    topic_seq: int | None
    topic_title: str
    motion: str
    kind: str
    kind_label: str
    yes: int
    no: int
    abstain: int
    verdict: rules.Verdict


@dataclass(frozen=True)
class MakeUpRow:
    id: int
    person_id: int
    name: str
    done_on: date | None
    note: str


@dataclass(frozen=True)
class MeetingRecord:
    """A meeting with everything recorded, names and labels resolved."""

    id: int
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    held_on: date
    start_time: str
    end_time: str
    place: str
    group_id: int | None
    group_name: str
    chair_id: int | None
    chair_name: str
    recorder_id: int | None
    recorder_name: str
    lecturer: str
    content: str
    note: str
    topics: list[str]
    attendance: list[AttendanceRow]  # as recorded; empty when not recorded yet
    expected: list[PersonRef]  # 应到: the recorded grid, or the rules' list when none is recorded
    observers: list[ObserverEntry]
    speeches: list[SpeechRow]
    votes: list[VoteRow]
    resolutions: list[str]
    makeups: list[MakeUpRow]
    entitled_voters: int  # 应到 with a vote
    present_voters: int  # of them, present

    @property
    def attendance_recorded(self) -> bool:
        return bool(self.attendance)

    @property
    def present_count(self) -> int:
        return sum(a.present for a in self.attendance)

    @property
    def absentees(self) -> list[AttendanceRow]:
        return [a for a in self.attendance if not a.present]


@dataclass(frozen=True)
class MeetingRow:
    """One line of the meeting list."""

    id: int
    held_on: date
    kind: str
    kind_label: str
    title: str
    status: str
    status_label: str
    group_name: str
    expected: int  # 应到 as recorded (0 when not recorded)
    present: int
    absent: int
    makeups_open: int  # 补学 not yet done
    chair_name: str = ""


# ---- settings ----------------------------------------------------------------------------------------


def meeting_frequencies() -> dict[str, str]:
    """The required frequency of each kind for this branch (defaults from ``rules.meetings``)."""
    return rules.frequencies(settings.get(SETTINGS_KEY, {}) or {}, strict=False)


def put_meeting_frequencies(overrides: dict[str, str]) -> None:
    """Store the branch's own frequencies (only those that differ from the default are kept)."""
    checked = rules.frequencies(overrides)
    settings.put(SETTINGS_KEY, {k: v for k, v in checked.items() if v != rules.DEFAULT_FREQUENCIES[k]})


# ---- the facts the rules need --------------------------------------------------------------------------


def member_facts(ids=None) -> list[rules.MemberFacts]:
    """Every member the ledger has ever held (or those of ``ids``: a list of ids or a subquery
    selecting them), in roster order, with their transfers and exclusions.

    Someone who left without a recorded date is taken as gone for every meeting: a guess either way,
    and listing a dead member on a sign-in sheet is the worse one.
    """
    transfers = Transfer.select(Transfer.person, Transfer.transferred_on, Transfer.direction)
    standing = Exclusion.select(Exclusion.person, Exclusion.start_on, Exclusion.end_on)
    if ids is not None:
        transfers = transfers.where(Transfer.person.in_(ids))
        standing = standing.where(Exclusion.person.in_(ids))
    moves: dict[int, list[tuple[date, str]]] = {}
    for t in transfers.tuples():
        moves.setdefault(t[0], []).append((t[1], t[2]))
    exclusions: dict[int, list[tuple[date, date | None]]] = {}
    for e in standing.tuples():
        exclusions.setdefault(e[0], []).append((e[1], e[2]))
    query = (Person.select(Person.id, Person.name, Person.stage, Person.joined_on, Person.converted_on,
                           Person.membership_state, Person.state_changed_on, Person.group, Person.is_mobile)
             .join(PartyGroup, JOIN.LEFT_OUTER, on=(Person.group == PartyGroup.id))
             .where(Person.stage.in_(vocab.MEMBER_STAGES))
             .order_by(PartyGroup.id.is_null(), PartyGroup.sort_order, PartyGroup.name, Person.name_initials,
                       Person.id))
    if ids is not None:
        query = query.where(Person.id.in_(ids))
    facts = []
    for pid, name, stage, joined, converted, state, changed, group, mobile in query.tuples():
        left = None if state == "active" else (changed or date.min)
        facts.append(rules.MemberFacts(pid, name, stage, joined, converted, left, tuple(moves.get(pid, ())), group,
                                       tuple(exclusions.get(pid, ())), bool(mobile)))
    return facts


def _committee_posts() -> list[rules.CommitteePost]:
    query = (CommitteeMember.select(CommitteeMember.person, CommitteeTerm.started_on, CommitteeMember.started_on,
                                    CommitteeMember.ended_on).join(CommitteeTerm).tuples())
    return [rules.CommitteePost(*row) for row in query]


def _group_names() -> dict[int, str]:
    return dict(PartyGroup.select(PartyGroup.id, PartyGroup.name).tuples())


def expected_for(kind: str, held_on: date, group_id: int | None = None) -> list[PersonRef]:
    """应到 of a meeting of ``kind`` on ``held_on`` (for a new meeting's attendance grid)."""
    committee = rules.committee_on(held_on, _committee_posts()) if kind == "committee" else None
    names = _group_names()
    return [PersonRef(m.person_id, m.name, rules.may_vote(m, held_on), names.get(m.group_id, ""), m.is_mobile)
            for m in rules.expected_attendees(kind, held_on, member_facts(), group_id, committee)]


def expected_attendees(meeting_id: int) -> list[PersonRef]:
    """应到 of a saved meeting as the rules compute it (whatever attendance was recorded)."""
    meeting = _get(meeting_id)
    return expected_for(meeting.kind, meeting.held_on, meeting.group_id)


def member_choices(day: date | None = None) -> list[PersonRef]:
    """Members of the branch on ``day`` (default today), for the chair, recorder and speaker lists."""
    day = day or date.today()
    names = _group_names()
    return [PersonRef(m.person_id, m.name, rules.may_vote(m, day), names.get(m.group_id, ""), m.is_mobile)
            for m in member_facts() if rules.in_branch_on(m, day)]


def draft_verdicts(draft: MeetingDraft) -> list[rules.Verdict]:
    """The rule's verdict on each vote of an unsaved draft, for the editor to show in words as the
    clerk types: 应到 with a vote from the draft's attendance grid (or the rules' list when the
    grid is empty), present voters from the grid."""
    if not isinstance(draft.held_on, date):
        return []
    if draft.attendance:
        facts = {m.person_id: m for m in member_facts([e.person_id for e in draft.attendance])}
        voters = [e for e in draft.attendance if e.person_id in facts and rules.may_vote(facts[e.person_id], draft.held_on)]
        entitled, present = len(voters), sum(1 for e in voters if e.present)
    else:
        entitled, present = sum(p.may_vote for p in expected_for(draft.kind, draft.held_on, draft.group_id)), 0
    return [rules.vote_verdict(v.kind, entitled, present, v.yes, v.no, v.abstain) for v in draft.votes]


# ---- checking a draft ------------------------------------------------------------------------------------


def _time(value: str, field_name: str, label: str) -> str:
    text = (value or "").strip().replace("：", ":")
    if not text:
        return ""
    match = _TIME.match(text)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValidationError(f"{label}“{value}”不是有效的时间，请按 时:分 填写，如 14:30。", field_name)
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def _person(person_id: int | None, field_name: str, label: str) -> Person | None:
    if person_id is None:
        return None
    person = Person.get_or_none(Person.id == person_id)
    if person is None:
        raise ValidationError(f"{label}（编号 {person_id}）不在台账中，请从名单中选择。", field_name)
    return person


def _topic_index(index: int | None, topics: list[str], field_name: str) -> int | None:
    if index is None:
        return None
    if not isinstance(index, int) or not 0 <= index < len(topics):
        raise ValidationError(f"所选议题（第 {index} 项）不存在，请重新选择议题。", field_name)
    return index


def check_draft(draft: MeetingDraft, today: date | None = None) -> MeetingDraft:
    """The draft with its text trimmed and times normalised; raises on the first wrong field."""
    today = today or date.today()
    if draft.kind not in vocab.MEETING_KINDS:
        raise ValidationError(f"会议类别“{draft.kind}”无效，应为：{'、'.join(vocab.MEETING_KINDS.values())}。", "kind")
    if draft.status not in vocab.MEETING_STATUSES:
        raise ValidationError(f"会议状态“{draft.status}”无效，应为：计划或已召开。", "status")
    if not isinstance(draft.held_on, date):
        raise ValidationError("请填写会议日期。", "held_on")
    if draft.status == "held" and draft.held_on > today:
        raise ValidationError(f"会议日期 {draft.held_on.isoformat()} 晚于今天，尚未召开的会议请把状态设为“计划”。",
                              "held_on")
    kind_label = vocab.MEETING_KINDS[draft.kind]
    if draft.group_id is None and draft.kind in rules.PER_GROUP_KINDS:
        raise ValidationError("党小组会请选择党小组。", "group_id")
    if draft.group_id is not None:
        if draft.kind not in rules.GROUP_ALLOWED_KINDS:
            raise ValidationError(f"{kind_label}不按党小组召开，请不要选择党小组。", "group_id")
        if not PartyGroup.select().where(PartyGroup.id == draft.group_id).exists():
            raise ValidationError(f"所选党小组（编号 {draft.group_id}）不存在，请重新选择。", "group_id")
    start = _time(draft.start_time, "start_time", "开始时间")
    end = _time(draft.end_time, "end_time", "结束时间")
    if start and end and end < start:
        raise ValidationError(f"结束时间 {end} 早于开始时间 {start}，请改正。", "end_time")
    _person(draft.chair_id, "chair_id", "主持人")
    _person(draft.recorder_id, "recorder_id", "记录人")
    topics = [t.strip() for t in draft.topics]
    for i, topic in enumerate(topics):
        if not topic:
            raise ValidationError(f"第 {i + 1} 项议题是空的，请填写或删除。", f"topics[{i}]")

    people = {}
    for i, entry in enumerate(draft.attendance):
        where = f"attendance[{i}]"
        person = _person(entry.person_id, f"{where}.person_id", "出席名单中的人员")
        if person is None:
            raise ValidationError("出席名单中有一行没有选择人员。", f"{where}.person_id")
        if entry.person_id in people:
            raise ValidationError(f"{person.name}在出席名单中出现了两次。", f"{where}.person_id")
        people[entry.person_id] = person
        if not entry.present and entry.absence_reason not in vocab.ABSENCE_REASONS:
            raise ValidationError(f"{person.name}缺席，请选择缺席原因（{'、'.join(vocab.ABSENCE_REASONS.values())}）。",
                                  f"{where}.absence_reason")
    attendance = [AttendanceEntry(e.person_id, bool(e.present), None if e.present else e.absence_reason,
                                  "" if e.present else e.reason_note.strip()) for e in draft.attendance]

    observers = [ObserverEntry(o.name.strip(), o.affiliation.strip()) for o in draft.observers]
    for i, observer in enumerate(observers):
        if not observer.name:
            raise ValidationError(f"第 {i + 1} 位列席人员没有填写姓名。", f"observers[{i}].name")
    speeches = []
    for i, s in enumerate(draft.speeches):
        where = f"speeches[{i}]"
        _person(s.speaker_id, f"{where}.speaker_id", "发言人")
        if s.speaker_id is None and not s.speaker_name.strip():
            raise ValidationError(f"第 {i + 1} 条发言没有发言人，请选择或填写姓名。", f"{where}.speaker_id")
        if not s.points.strip():
            raise ValidationError(f"第 {i + 1} 条发言没有填写发言要点。", f"{where}.points")
        speeches.append(SpeechEntry(s.points.strip(), s.speaker_id, "" if s.speaker_id else s.speaker_name.strip(),
                                    _topic_index(s.topic, topics, f"{where}.topic")))

    facts = {m.person_id: m for m in member_facts(list(people))}
    present_voters = sum(1 for e in attendance if e.present and e.person_id in facts
                         and rules.may_vote(facts[e.person_id], draft.held_on))
    votes = []
    for i, v in enumerate(draft.votes):
        where = f"votes[{i}]"
        if not v.motion.strip():
            raise ValidationError(f"第 {i + 1} 项表决没有填写表决事项。", f"{where}.motion")
        if v.kind not in vocab.VOTE_KINDS:
            raise ValidationError(f"表决类别“{v.kind}”无效，应为一般表决或选举。", f"{where}.kind")
        rules.check_vote_counts(v.yes, v.no, v.abstain, present_voters, where)
        votes.append(VoteEntry(v.motion.strip(), v.yes, v.no, v.abstain, v.kind,
                               _topic_index(v.topic, topics, f"{where}.topic")))
    resolutions = [r.strip() for r in draft.resolutions]
    for i, text in enumerate(resolutions):
        if not text:
            raise ValidationError(f"第 {i + 1} 项决议是空的，请填写或删除。", f"resolutions[{i}]")
    return MeetingDraft(
        kind=draft.kind, held_on=draft.held_on, title=draft.title.strip(), status=draft.status, start_time=start,
        end_time=end, place=draft.place.strip(), group_id=draft.group_id, chair_id=draft.chair_id,
        recorder_id=draft.recorder_id, lecturer=draft.lecturer.strip(), content=draft.content.strip(),
        note=draft.note.strip(), topics=topics, attendance=attendance, observers=observers, speeches=speeches,
        votes=votes, resolutions=resolutions)


# ---- writing -----------------------------------------------------------------------------------------------


def _get(meeting_id: int) -> Meeting:
    meeting = Meeting.get_or_none(Meeting.id == meeting_id)
    if meeting is None:
        raise ValidationError(f"找不到编号为 {meeting_id} 的会议，请检查编号。", "meeting_id")
    return meeting


def _fields(draft: MeetingDraft) -> dict:
    return {"kind": draft.kind, "title": draft.title, "status": draft.status, "held_on": draft.held_on,
            "start_time": draft.start_time, "end_time": draft.end_time, "place": draft.place,
            "group": draft.group_id, "chair": draft.chair_id, "recorder": draft.recorder_id,
            "lecturer": draft.lecturer, "content": draft.content, "note": draft.note}


def _children(meeting: Meeting) -> dict[str, list]:
    """The meeting's rows as plain values, topics referred to by their seq (ids change on rewrite)."""
    topic_seq = {t.id: t.seq for t in meeting.topics}
    return {
        "meeting_topic": [t.title for t in meeting.topics.order_by(MeetingTopic.seq)],
        "attendance": sorted(({"person_id": a.person_id, "status": a.status, "absence_reason": a.absence_reason,
                               "reason_note": a.reason_note} for a in meeting.attendance),
                             key=lambda row: row["person_id"]),
        "observer": [{"name": o.name, "affiliation": o.affiliation} for o in meeting.observers.order_by(Observer.id)],
        "speech": [{"seq": s.seq, "topic_seq": topic_seq.get(s.topic_id), "speaker_id": s.speaker_id,
                    "speaker_name": s.speaker_name, "points": s.points} for s in meeting.speeches.order_by(Speech.seq)],
        "vote": [{"seq": v.seq, "topic_seq": topic_seq.get(v.topic_id), "motion": v.motion, "kind": v.kind,
                  "yes": v.yes, "no": v.no, "abstain": v.abstain} for v in meeting.votes.order_by(Vote.seq)],
        "resolution": [r.text for r in meeting.resolutions.order_by(Resolution.seq)],
    }


def _draft_children(draft: MeetingDraft) -> dict[str, list]:
    def seq(index):
        return None if index is None else index + 1

    return {
        "meeting_topic": list(draft.topics),
        "attendance": sorted(({"person_id": a.person_id, "status": "present" if a.present else "absent",
                               "absence_reason": a.absence_reason, "reason_note": a.reason_note}
                              for a in draft.attendance), key=lambda row: row["person_id"]),
        "observer": [{"name": o.name, "affiliation": o.affiliation} for o in draft.observers],
        "speech": [{"seq": i, "topic_seq": seq(s.topic), "speaker_id": s.speaker_id, "speaker_name": s.speaker_name,
                    "points": s.points} for i, s in enumerate(draft.speeches, 1)],
        "vote": [{"seq": i, "topic_seq": seq(v.topic), "motion": v.motion, "kind": v.kind, "yes": v.yes,
                  "no": v.no, "abstain": v.abstain} for i, v in enumerate(draft.votes, 1)],
        "resolution": list(draft.resolutions),
    }


_CHILD_LABELS = {"meeting_topic": "议题", "attendance": "出席情况", "observer": "列席人员", "speech": "发言",
                 "vote": "表决", "resolution": "决议"}
_CHILD_MODELS = {"meeting_topic": MeetingTopic, "attendance": Attendance, "observer": Observer, "speech": Speech,
                 "vote": Vote, "resolution": Resolution}


def _write_children(meeting: Meeting, new: dict[str, list], old: dict[str, list] | None) -> None:
    """Replace each collection that changed, with one audit entry per collection (before and after).

    Speeches and votes point at topics by id, so when the topics are rewritten they are rewritten too.
    """
    old = old or {name: [] for name in new}
    topics_changed = new["meeting_topic"] != old["meeting_topic"]
    topic_ids: dict[int, int] = {}
    for name, model in _CHILD_MODELS.items():
        changed = new[name] != old[name]
        if not changed and not (topics_changed and name in ("speech", "vote")):
            if name == "meeting_topic":
                topic_ids = {t.seq: t.id for t in meeting.topics}
            continue
        model.delete().where(model.meeting == meeting.id).execute()
        rows = []
        for seq, value in enumerate(new[name], 1):
            if name == "meeting_topic":
                topic_ids[seq] = MeetingTopic.create(meeting=meeting.id, seq=seq, title=value).id
                continue
            if name == "resolution":
                rows.append({"meeting": meeting.id, "seq": seq, "text": value})
                continue
            row = {"meeting": meeting.id, **value}
            if "topic_seq" in row:
                row["topic"] = topic_ids.get(row.pop("topic_seq"))
            for key in ("person_id", "speaker_id"):
                if key in row:
                    row[key.removesuffix("_id")] = row.pop(key)
            rows.append(row)
        if rows:
            model.insert_many(rows).execute()
        if changed:
            audit.record("update", model._meta.table_name, meeting.id, {"rows": old[name]}, {"rows": new[name]},
                         f"{_label(meeting)}：{_CHILD_LABELS[name]}")
    if new["attendance"] != old["attendance"]:
        # An open 补学 entry of someone now marked present is no longer needed.
        absent = {row["person_id"] for row in new["attendance"] if row["status"] == "absent"}
        for makeup in meeting.makeups.where(MakeUpStudy.done_on.is_null()):
            if makeup.person_id not in absent:
                audit.delete(makeup, f"{_label(meeting)}：{makeup.person.name}已出席，撤销补学")


def _label(meeting: Meeting) -> str:
    return f"{meeting.title or vocab.MEETING_KINDS.get(meeting.kind, '会议')}（{meeting.held_on.isoformat()}）"


@write
def create_meeting(draft: MeetingDraft, today: date | None = None) -> int:
    """Record a new meeting (planned or held) with everything in the draft; returns its id."""
    draft = check_draft(draft, today)
    meeting = audit.create(Meeting, f"新增会议 {draft.title or vocab.MEETING_KINDS[draft.kind]}", **_fields(draft))
    _write_children(meeting, _draft_children(draft), None)
    return meeting.id


@write
def update_meeting(meeting_id: int, draft: MeetingDraft, today: date | None = None) -> None:
    """Save the editor's state over a meeting; nothing is written when any field is wrong."""
    meeting = _get(meeting_id)
    draft = check_draft(draft, today)
    old = _children(meeting)
    audit.update(meeting, f"修改会议 {_label(meeting)}", **_fields(draft))
    _write_children(meeting, _draft_children(draft), old)


@write
def delete_meeting(meeting_id: int) -> None:
    """Delete a meeting with everything recorded for it (a planned meeting dropped, a duplicate)."""
    meeting = _get(meeting_id)
    label = _label(meeting)
    for name, rows in _children(meeting).items():
        if rows:
            audit.record("delete", name, meeting.id, {"rows": rows}, None, f"删除会议 {label}：{_CHILD_LABELS[name]}")
    for makeup in meeting.makeups:
        audit.delete(makeup, f"删除会议 {label}：补学")
    audit.delete(meeting, f"删除会议 {label}")


@write
def set_attendance(meeting_id: int, entries: list[AttendanceEntry], today: date | None = None) -> None:
    """Record only the attendance grid of a meeting (the rest as it is)."""
    draft = draft_of(meeting_id)
    draft.attendance = entries
    update_meeting(meeting_id, draft, today)


def draft_of(meeting_id: int) -> MeetingDraft:
    """A saved meeting as the editor's draft, to change and save back with ``update_meeting``."""
    r = get_meeting(meeting_id)
    seq_index = {seq: seq - 1 for seq in range(1, len(r.topics) + 1)}
    return MeetingDraft(
        kind=r.kind, held_on=r.held_on, title=r.title, status=r.status, start_time=r.start_time,
        end_time=r.end_time, place=r.place, group_id=r.group_id, chair_id=r.chair_id, recorder_id=r.recorder_id,
        lecturer=r.lecturer, content=r.content, note=r.note, topics=list(r.topics),
        attendance=[AttendanceEntry(a.person_id, a.present, a.absence_reason, a.reason_note) for a in r.attendance],
        observers=list(r.observers),
        speeches=[SpeechEntry(s.points, s.speaker_id, "" if s.speaker_id else s.speaker_name,
                              seq_index.get(s.topic_seq)) for s in r.speeches],
        votes=[VoteEntry(v.motion, v.yes, v.no, v.abstain, v.kind, seq_index.get(v.topic_seq)) for v in r.votes],
        resolutions=list(r.resolutions))


# ---- 补学 -------------------------------------------------------------------------------------------------


@write
def create_makeups(meeting_id: int) -> int:
    """A make-up study entry for each absentee who has none yet; returns how many were added."""
    meeting = _get(meeting_id)
    have = {m.person_id for m in meeting.makeups}
    added = 0
    for a in meeting.attendance.where(Attendance.status == "absent").order_by(Attendance.id):
        if a.person_id not in have:
            audit.create(MakeUpStudy, f"{_label(meeting)}：{a.person.name}补学", meeting=meeting.id, person=a.person_id)
            added += 1
    return added


@write
def tick_makeup(makeup_id: int, done_on: date | None, note: str = "", today: date | None = None) -> None:
    """Tick a 补学 entry off with the day it was done (None to undo), with a note of what was studied."""
    makeup = MakeUpStudy.get_or_none(MakeUpStudy.id == makeup_id)
    if makeup is None:
        raise ValidationError(f"找不到编号为 {makeup_id} 的补学记录。", "makeup_id")
    today = today or date.today()
    if done_on is not None:
        if done_on < makeup.meeting.held_on:
            raise ValidationError(f"补学日期 {done_on.isoformat()} 早于会议日期 {makeup.meeting.held_on.isoformat()}，请改正。",
                                  "done_on")
        if done_on > today:
            raise ValidationError(f"补学日期 {done_on.isoformat()} 晚于今天，请改正。", "done_on")
    audit.update(makeup, f"{_label(makeup.meeting)}：{makeup.person.name}补学"
                         f"{'完成' if done_on else '改为未完成'}", done_on=done_on, note=note.strip())


# ---- planning and copying -------------------------------------------------------------------------------


def _secretary_on(day: date) -> int | None:
    posts = (CommitteeMember.select(CommitteeMember.person, CommitteeTerm.started_on, CommitteeMember.started_on,
                                    CommitteeMember.ended_on).join(CommitteeTerm)
             .where(CommitteeMember.post == "书记").tuples())
    in_office = rules.committee_on(day, [rules.CommitteePost(*row) for row in posts])
    return min(in_office) if in_office else None


@write
def plan_year(year: int, today: date | None = None) -> list[int]:
    """Planned meetings for the periods of ``year`` not over yet, at the branch's rhythm (per 党小组
    for 党小组会), skipping any period that already has a meeting of that kind (held or planned).
    The chair is the secretary in office (the group leader for a 党小组会). Returns the new ids."""
    if not 1900 <= year <= 9999:
        raise ValidationError(f"年份“{year}”无效。", "year")
    today = today or date.today()
    freq = meeting_frequencies()
    groups = list(PartyGroup.select().order_by(PartyGroup.sort_order, PartyGroup.name, PartyGroup.id))
    existing = {}
    for kind, group, held_on in (Meeting.select(Meeting.kind, Meeting.group, Meeting.held_on)
                                 .where(Meeting.held_on.between(date(year, 1, 1), date(year, 12, 31))).tuples()):
        existing.setdefault((kind, group), []).append(held_on)
    created = []
    for kind, frequency in freq.items():
        unit = rules.UNITS.get(frequency)
        if unit is None:
            continue
        hosts = [(g.id, g.name, g.leader_id) for g in groups] if kind in rules.PER_GROUP_KINDS else [(None, "", None)]
        for group_id, group_name, leader in hosts:
            held = existing.get((kind, group_id), [])
            for period in rules.periods_in_year(unit, year):
                day = rules.planned_date(kind, period, today)
                if day is None or any(period.contains(d) for d in held):
                    continue
                chair = leader if kind in rules.PER_GROUP_KINDS else _secretary_on(day)
                title = rules.plan_title(kind, period, group_name)
                meeting = audit.create(Meeting, f"计划会议 {title}", kind=kind, title=title, status="planned",
                                       held_on=day, group=group_id, chair=chair)
                created.append(meeting.id)
    return created


@write
def copy_meeting(meeting_id: int, new_date: date, today: date | None = None) -> int:
    """A new planned meeting on ``new_date`` copied from an earlier one: kind, title, group, times,
    place, chair, recorder and topics — not attendance, speeches, votes or resolutions."""
    source = _get(meeting_id)
    if not isinstance(new_date, date):
        raise ValidationError("请填写新会议的日期。", "held_on")
    draft = MeetingDraft(kind=source.kind, held_on=new_date, title=source.title, status="planned",
                         start_time=source.start_time, end_time=source.end_time, place=source.place,
                         group_id=source.group_id, chair_id=source.chair_id, recorder_id=source.recorder_id,
                         topics=[t.title for t in source.topics.order_by(MeetingTopic.seq)])
    return create_meeting(draft, today)


# ---- reading ---------------------------------------------------------------------------------------------


def list_meetings(year: int, kind: str | None = None, status: str | None = None) -> list[MeetingRow]:
    """The meetings of a year (optionally of one kind or status), in date order."""
    query = (Meeting.select(Meeting, PartyGroup.name.alias("group_name"), Person.name.alias("chair_name"))
             .join(PartyGroup, JOIN.LEFT_OUTER, on=(Meeting.group == PartyGroup.id))
             .join(Person, JOIN.LEFT_OUTER, on=(Meeting.chair == Person.id))
             .where(Meeting.held_on.between(date(year, 1, 1), date(year, 12, 31))))
    if kind is not None:
        query = query.where(Meeting.kind == kind)
    if status is not None:
        query = query.where(Meeting.status == status)
    meetings = list(query.order_by(Meeting.held_on, Meeting.id).objects())
    ids = [m.id for m in meetings]
    counts: dict[tuple[int, str], int] = {}
    open_makeups: dict[int, int] = {}
    if ids:
        for mid, status_code, n in (Attendance.select(Attendance.meeting, Attendance.status, fn.COUNT(Attendance.id))
                                    .where(Attendance.meeting.in_(ids))
                                    .group_by(Attendance.meeting, Attendance.status).tuples()):
            counts[(mid, status_code)] = n
        open_makeups = dict(MakeUpStudy.select(MakeUpStudy.meeting, fn.COUNT(MakeUpStudy.id))
                            .where(MakeUpStudy.meeting.in_(ids), MakeUpStudy.done_on.is_null())
                            .group_by(MakeUpStudy.meeting).tuples())
    rows = []
    for m in meetings:
        present, absent = counts.get((m.id, "present"), 0), counts.get((m.id, "absent"), 0)
        rows.append(MeetingRow(m.id, m.held_on, m.kind, vocab.MEETING_KINDS.get(m.kind, m.kind), m.title, m.status,
                               vocab.MEETING_STATUSES.get(m.status, m.status), m.group_name or "",
                               present + absent, present, absent, open_makeups.get(m.id, 0), m.chair_name or ""))
    return rows


def get_meeting(meeting_id: int) -> MeetingRecord:
    """A meeting with everything recorded for it, names and labels resolved, votes judged."""
    m = _get(meeting_id)
    groups = _group_names()
    # One joined query in roster order: a 大会 of a large branch has thousands of rows.
    rows = (Attendance.select(Attendance.person, Person.name, Person.stage, Person.converted_on, PartyGroup.name,
                              Person.is_mobile, Attendance.status, Attendance.absence_reason, Attendance.reason_note)
            .join(Person, on=(Attendance.person == Person.id))
            .join(PartyGroup, JOIN.LEFT_OUTER, on=(Person.group == PartyGroup.id))
            .where(Attendance.meeting == m.id)
            .order_by(PartyGroup.id.is_null(), PartyGroup.sort_order, PartyGroup.name, Person.name_initials, Person.id))
    attendance, mobile = [], set()
    # The raw cursor: peewee's per-row conversion costs more than the query on a large meeting.
    for pid, name, stage, converted, group_name, is_mobile, status, reason, note in database.execute(rows):
        converted = date.fromisoformat(converted) if converted else None
        may_vote = rules.full_on(stage, converted, m.held_on)  # rules.may_vote without a MemberFacts a row
        attendance.append(AttendanceRow(
            pid, name, status == "present", vocab.ATTENDANCE_STATUSES.get(status, status), reason,
            vocab.ABSENCE_REASONS.get(reason, "") if reason else "", note, may_vote, group_name or ""))
        if is_mobile:
            mobile.add(pid)
    makeups = [MakeUpRow(*row) for row in (MakeUpStudy.select(MakeUpStudy.id, MakeUpStudy.person, Person.name,
                                                              MakeUpStudy.done_on, MakeUpStudy.note)
                                           .join(Person).where(MakeUpStudy.meeting == m.id)
                                           .order_by(MakeUpStudy.id).tuples())]
    speech_rows = list(m.speeches.order_by(Speech.seq))
    wanted = {m.chair_id, m.recorder_id, *(s.speaker_id for s in speech_rows)}
    wanted.discard(None)
    names = dict(Person.select(Person.id, Person.name).where(Person.id.in_(list(wanted))).tuples()) if wanted else {}
    topics = list(m.topics.order_by(MeetingTopic.seq))
    topic_seq = {t.id: t.seq for t in topics}
    topic_title = {t.seq: t.title for t in topics}
    if attendance:
        expected = [PersonRef(a.person_id, a.name, a.may_vote, a.group_name, a.person_id in mobile)
                    for a in attendance]
    else:
        expected = expected_for(m.kind, m.held_on, m.group_id)
    entitled = sum(p.may_vote for p in expected)
    present_voters = sum(a.may_vote and a.present for a in attendance)
    votes = []
    for v in m.votes.order_by(Vote.seq):
        seq = topic_seq.get(v.topic_id)
        votes.append(VoteRow(v.seq, seq, topic_title.get(seq, ""), v.motion, v.kind,
                             vocab.VOTE_KINDS.get(v.kind, v.kind), v.yes, v.no, v.abstain,
                             rules.vote_verdict(v.kind, entitled, present_voters, v.yes, v.no, v.abstain)))
    speeches = []
    for s in speech_rows:
        seq = topic_seq.get(s.topic_id)
        speeches.append(SpeechRow(s.seq, seq, topic_title.get(seq, ""), s.speaker_id,
                                  names.get(s.speaker_id, "") if s.speaker_id else s.speaker_name, s.points))
    return MeetingRecord(
        id=m.id, kind=m.kind, kind_label=vocab.MEETING_KINDS.get(m.kind, m.kind), title=m.title, status=m.status,
        status_label=vocab.MEETING_STATUSES.get(m.status, m.status), held_on=m.held_on, start_time=m.start_time,
        end_time=m.end_time, place=m.place, group_id=m.group_id, group_name=groups.get(m.group_id, ""),
        chair_id=m.chair_id, chair_name=names.get(m.chair_id, "") if m.chair_id else "",
        recorder_id=m.recorder_id, recorder_name=names.get(m.recorder_id, "") if m.recorder_id else "",
        lecturer=m.lecturer, content=m.content, note=m.note, topics=[t.title for t in topics],
        attendance=attendance, expected=expected,
        observers=[ObserverEntry(o.name, o.affiliation) for o in m.observers.order_by(Observer.id)],
        speeches=speeches, votes=votes, resolutions=[r.text for r in m.resolutions.order_by(Resolution.seq)],
        makeups=makeups,
        entitled_voters=entitled, present_voters=present_voters)
