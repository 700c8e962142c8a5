"""谈心谈话: what a talk record needs, which kind a pair of people makes, and who has had no talk.

Source: 中共中央《中国共产党支部工作条例（试行）》(2018) (domain-rules §2): talks are
held at least once a year between committee members, between committee members and members, and
among members; the branch keeps a log of them (date, the two people, kind, gist). Coverage is
counted per member: every member on the roll should have had at least one talk in the year.

Pure functions of plain values; ``services.talks`` loads the facts.
"""

from datetime import date

from ..vocab import TALK_KINDS
from . import Problem


def kind_for(first_on_committee: bool, second_on_committee: bool) -> str:
    """The kind of a talk between two members, from whether each sits on the committee."""
    if first_on_committee and second_on_committee:
        return "committee"
    if first_on_committee or second_on_committee:
        return "committee_member"
    return "members"


def check_talk(held_on: date | None, first_id: int | None, second_id: int | None, kind: str | None,
               gist: str, today: date) -> list[Problem]:
    """What is wrong with a talk record: each problem names its field."""
    problems = []
    if held_on is None:
        problems.append(Problem("held_on", "请填写谈话日期。"))
    elif held_on > today:
        problems.append(Problem("held_on", f"谈话日期 {held_on.isoformat()} 晚于今天（{today.isoformat()}），"
                                           "谈过之后再登记。"))
    if first_id is None:
        problems.append(Problem("first_person_id", "请选择谈话人（从花名册中选）。"))
    if second_id is None:
        problems.append(Problem("second_person_id", "请选择谈话对象（从花名册中选）。"))
    elif first_id is not None and first_id == second_id:
        problems.append(Problem("second_person_id", "谈话人和谈话对象是同一个人，请选择另一位同志。"))
    if kind not in TALK_KINDS:
        problems.append(Problem("kind", f"请选择谈话类别：{'、'.join(TALK_KINDS.values())}。"))
    if not gist.strip():
        problems.append(Problem("gist", "请填写谈话要点（谈了哪些思想、工作情况，提了哪些意见建议）。"))
    return problems


def without_talk(on_roll: list[int], talked: set[int]) -> list[int]:
    """The members on the roll (in the given order) who took part in no talk."""
    return [person_id for person_id in on_roll if person_id not in talked]
