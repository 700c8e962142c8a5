"""The branch profile, its committee and its 党小组: the first-run set-up and the settings page."""

from dataclasses import dataclass, field
from datetime import date

from .. import overview
from ..errors import ValidationError
from ..models import Branch, CommitteeMember, CommitteeTerm, PartyGroup, Person, database
from ..rules import organisation
from . import audit, write


@dataclass
class BranchProfile:
    """The branch profile as the GUI edits it."""

    name: str
    branch_type: str
    upper_committee: str = ""
    founded_on: date | None = None
    address: str = ""
    phone: str = ""


@dataclass
class CommitteeSeat:
    """A committee post and the name of who holds it."""

    name: str
    post: str


@dataclass
class GroupDraft:
    """A 党小组 and its leader's name (empty when none yet)."""

    name: str
    leader_name: str = ""


@dataclass
class BranchSetup:
    """Everything the first-run wizard collects."""

    profile: BranchProfile
    term_started_on: date | None = None
    term_years: int | None = None
    committee: list[CommitteeSeat] = field(default_factory=list)
    groups: list[GroupDraft] = field(default_factory=list)


def _raise_first(problems) -> None:
    if problems:
        raise ValidationError(problems[0].message, problems[0].field)


def is_set_up() -> bool:
    """Whether the ledger has a branch profile yet (else the GUI runs the first-run wizard)."""
    return overview.is_set_up(database.connection())


def get_profile() -> BranchProfile | None:
    branch = Branch.get_or_none()
    if branch is None:
        return None
    return BranchProfile(branch.name, branch.branch_type, branch.upper_committee, branch.founded_on,
                         branch.address, branch.phone)


@write
def save_profile(profile: BranchProfile, today: date | None = None) -> None:
    """Write the branch profile after checking it; nothing is written when it has a problem."""
    profile.name = profile.name.strip()
    _raise_first(organisation.check_profile(profile.name, profile.branch_type, profile.founded_on,
                                            today or date.today()))
    values = {
        "name": profile.name,
        "branch_type": profile.branch_type,
        "upper_committee": profile.upper_committee.strip(),
        "founded_on": profile.founded_on,
        "address": profile.address.strip(),
        "phone": profile.phone.strip(),
    }
    branch = Branch.get_or_none()
    if branch is None:
        audit.create(Branch, "建立支部基本信息", **values)
    else:
        audit.update(branch, "修改支部基本信息", **values)


def _person_named(name: str, created: dict[str, Person]) -> Person:
    """The active member of that name, or a new full member holding only the name."""
    if name in created:
        return created[name]
    person = (Person.select().where(Person.name == name, Person.membership_state == "active")
              .order_by(Person.id).first())
    if person is None:
        person = audit.create(Person, f"新增党员 {name}（来自支部设置）", name=name, stage="full")
    created[name] = person
    return person


@write
def set_up_branch(setup: BranchSetup, today: date | None = None) -> None:
    """The first-run wizard's result: profile, committee term and posts, 党小组 with leaders.

    Committee members and group leaders named here become members holding only their name; the
    clerk completes their files later (or an Excel import fills them in by name).
    """
    today = today or date.today()
    seen_groups = set()
    for index, group in enumerate(setup.groups):
        name = group.name.strip()
        if not name:
            raise ValidationError(f"第 {index + 1} 个党小组没有名称。", f"groups[{index}].name")
        if name in seen_groups:
            raise ValidationError(f"党小组名称“{name}”重复。", f"groups[{index}].name")
        if PartyGroup.select().where(PartyGroup.name == name).exists():
            raise ValidationError(f"台账中已有党小组“{name}”，请换一个名称。", f"groups[{index}].name")
        seen_groups.add(name)
    for index, seat in enumerate(setup.committee):
        if not seat.name.strip():
            raise ValidationError(f"支部委员会第 {index + 1} 行没有填写姓名。", f"committee[{index}].name")
        if not seat.post.strip():
            raise ValidationError(f"支部委员会第 {index + 1} 行（{seat.name}）没有填写职务。", f"committee[{index}].post")
    if setup.term_started_on is not None and setup.term_started_on > today:
        raise ValidationError(f"任期开始日期 {setup.term_started_on.isoformat()} 晚于今天，请改正。", "term_started_on")

    save_profile(setup.profile, today)
    people: dict[str, Person] = {}
    if setup.committee:
        term = audit.create(
            CommitteeTerm, "建立支部委员会任期",
            started_on=setup.term_started_on or today,
            length_years=setup.term_years or organisation.term_years(setup.profile.branch_type),
        )
        for order, seat in enumerate(setup.committee):
            person = _person_named(seat.name.strip(), people)
            audit.create(CommitteeMember, f"{seat.name.strip()} 任{seat.post.strip()}", term=term,
                         person=person, post=seat.post.strip(), started_on=term.started_on, sort_order=order)
    for order, group in enumerate(setup.groups):
        leader = _person_named(group.leader_name.strip(), people) if group.leader_name.strip() else None
        created = audit.create(PartyGroup, f"新建党小组 {group.name.strip()}", name=group.name.strip(),
                               leader=leader, sort_order=order)
        if leader is not None and leader.group_id is None:
            audit.update(leader, f"{leader.name} 编入 {created.name}", group=created)


def end_posts(person: Person, on: date) -> None:
    """Someone who leaves the roll on ``on`` leaves their posts with it: each open committee post
    ends that day (``ended_on`` is the first day out of office) and a 党小组 they led has no leader
    until another is chosen. Runs inside the caller's transaction, audited."""
    open_posts = CommitteeMember.select().where((CommitteeMember.person == person) & CommitteeMember.ended_on.is_null())
    for post in open_posts:
        audit.update(post, f"{person.name}不再担任{post.post}", ended_on=max(on, post.started_on or on))
    for group in PartyGroup.select().where(PartyGroup.leader == person):
        audit.update(group, f"{group.name}组长{person.name}离开，组长空缺", leader=None)
