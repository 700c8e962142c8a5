"""Transfers of organisational relation (组织关系转接): the register out and in, and the receipts.

A transfer out is registered when the introduction letter is issued; the member stays on the
roster (在册) until the clerk confirms the move, which sets the state 转出 with its date and reason
and writes the member's history. A transfer in creates the member's file from the letter, or
re-activates the file of someone who once moved away. The receiving organisation returns the
letter's receipt; ``overdue_receipts`` lists those not back in time (rules in ``rules.transfers``).

Whether a transfer out is confirmed is read from the person: their state is 转出 since the
transfer's date, or they came back through a later transfer in.
"""

import re
from dataclasses import dataclass
from datetime import date

from .. import vocab
from ..errors import ValidationError
from ..models import HistoryEvent, Person, Transfer
from ..rules import id_number as id_rules
from ..rules import transfers as rules
from ..rules.person import PersonFacts, check_person, check_stage
from . import audit, branch, write
from .branch import get_profile


@dataclass
class TransferOutDraft:
    """A transfer out as the clerk enters it; ``from_org`` empty means this branch."""

    person_id: int
    to_org: str
    transferred_on: date
    scope: str = "within_province"
    valid_days: int = 30
    dues_paid_until: date | None = None  # any day of the month; kept as the month's first day
    letter_number: str = ""  # empty: the next number of the year is given
    from_org: str = ""
    note: str = ""


@dataclass
class TransferInDraft:
    """A transfer in, with the member's particulars as the introduction letter states them."""

    name: str
    from_org: str
    transferred_on: date
    scope: str = "within_province"
    stage: str = "full"  # "full" (正式) or "probationary" (预备)
    sex: str | None = None  # "male" / "female"; taken from the ID number when empty
    id_number: str = ""
    ethnicity: str = ""
    birth_date: date | None = None  # taken from the ID number when empty
    joined_on: date | None = None
    converted_on: date | None = None
    phone: str = ""
    letter_number: str = ""
    valid_days: int = 30
    dues_paid_until: date | None = None
    to_org: str = ""  # empty: this branch
    note: str = ""


@dataclass(frozen=True)
class TransferRow:
    """One line of the transfer register, with the person's name and the labels of the codes."""

    id: int
    person_id: int
    person_name: str
    direction: str  # "out" / "in"
    direction_label: str
    scope: str
    scope_label: str
    from_org: str
    to_org: str
    transferred_on: date
    letter_number: str
    valid_days: int
    dues_paid_until: date | None
    receipt_returned_on: date | None
    receipt_due: date | None  # transfers out only
    confirmed: bool  # a transfer out whose member has left the roster; always True for a transfer in
    note: str


def _branch_name() -> str:
    profile = get_profile()
    return profile.name if profile else ""


def _raise_first(problems) -> None:
    if problems:
        raise ValidationError(problems[0].message, problems[0].field)


def _check_scope(scope: str) -> None:
    if scope not in vocab.TRANSFER_SCOPES:
        raise ValidationError(f"转接类型“{scope}”无效，应为：{'、'.join(vocab.TRANSFER_SCOPES.values())}。", "scope")


def _serial(letter_number: str) -> int | None:
    """The running number in a letter number: the last group of digits ("组转字〔2026〕007号" → 7)."""
    groups = re.findall(r"\d+", letter_number)
    return int(groups[-1]) if groups else None


def _year_range(year: int):
    return (Transfer.transferred_on >= date(year, 1, 1)) & (Transfer.transferred_on <= date(year, 12, 31))


def next_letter_number(year: int) -> str:
    """The next letter number of the year, "2026-007": one after the highest issued that year."""
    numbers = [_serial(t.letter_number) for t in Transfer.select(Transfer.letter_number)
               .where(_year_range(year), Transfer.direction == "out")]
    return f"{year}-{max([n for n in numbers if n is not None], default=0) + 1:03d}"


def _get(transfer_id: int) -> Transfer:
    transfer = Transfer.get_or_none(Transfer.id == transfer_id)
    if transfer is None:
        raise ValidationError(f"找不到编号为 {transfer_id} 的组织关系转接记录，请检查编号。", "transfer_id")
    return transfer


def _later_returns(person_ids=None) -> dict[int, list[tuple[date, int]]]:
    """Transfers in per person, (date, id): a transfer out followed by one of these was carried out."""
    query = Transfer.select(Transfer.id, Transfer.person, Transfer.transferred_on).where(Transfer.direction == "in")
    if person_ids is not None:
        query = query.where(Transfer.person.in_(list(person_ids)))
    returns: dict[int, list[tuple[date, int]]] = {}
    for t in query:
        returns.setdefault(t.person_id, []).append((t.transferred_on, t.id))
    return returns


def _confirmed(transfer: Transfer, person: Person, returns: dict[int, list[tuple[date, int]]]) -> bool:
    if transfer.direction != "out":
        return True
    if person.membership_state == "transferred_out" and (
            person.state_changed_on is None or person.state_changed_on >= transfer.transferred_on):
        return True
    return any((day, tid) > (transfer.transferred_on, transfer.id) for day, tid in returns.get(person.id, ()))


def _row(transfer: Transfer, person: Person, returns) -> TransferRow:
    return TransferRow(
        id=transfer.id, person_id=person.id, person_name=person.name, direction=transfer.direction,
        direction_label=vocab.TRANSFER_DIRECTIONS.get(transfer.direction, transfer.direction),
        scope=transfer.scope, scope_label=vocab.TRANSFER_SCOPES.get(transfer.scope, transfer.scope),
        from_org=transfer.from_org, to_org=transfer.to_org, transferred_on=transfer.transferred_on,
        letter_number=transfer.letter_number, valid_days=transfer.valid_days,
        dues_paid_until=transfer.dues_paid_until, receipt_returned_on=transfer.receipt_returned_on,
        receipt_due=rules.receipt_due(transfer.transferred_on) if transfer.direction == "out" else None,
        confirmed=_confirmed(transfer, person, returns), note=transfer.note,
    )


def _rows(query) -> list[TransferRow]:
    transfers = list(query.select(Transfer, Person).join(Person))
    returns = _later_returns({t.person_id for t in transfers})
    return [_row(t, t.person, returns) for t in transfers]


def get_transfer(transfer_id: int) -> TransferRow:
    """One transfer as the register shows it; a clear error when there is none with that id."""
    transfer = _get(transfer_id)
    return _row(transfer, transfer.person, _later_returns({transfer.person_id}))


def list_transfers(year: int | None = None) -> list[TransferRow]:
    """The register, newest first; only the transfers dated in ``year`` when given."""
    query = Transfer.select()
    if year is not None:
        query = query.where(_year_range(year))
    return _rows(query.order_by(Transfer.transferred_on.desc(), Transfer.id.desc()))


def overdue_receipts(today: date) -> list[TransferRow]:
    """Transfers out whose receipt has not come back by its due day (one month), oldest first."""
    query = Transfer.select().where(Transfer.direction == "out", Transfer.receipt_returned_on.is_null(),
                                    Transfer.transferred_on <= today)
    rows = _rows(query.order_by(Transfer.transferred_on, Transfer.id))
    return [r for r in rows if rules.receipt_overdue(r.transferred_on, r.receipt_returned_on, today)]


@write
def register_transfer_out(draft: TransferOutDraft, today: date | None = None) -> int:
    """Register a transfer out (the letter issued) and return its id; the member stays 在册 until confirmed."""
    today = today or date.today()
    person = Person.get_or_none(Person.id == draft.person_id)
    if person is None:
        raise ValidationError(f"找不到编号为 {draft.person_id} 的党员，请在花名册中重新选择。", "person_id")
    if person.stage not in vocab.MEMBER_STAGES:
        raise ValidationError(f"{person.name}是{vocab.STAGES.get(person.stage, person.stage)}，不是党员，"
                              f"不能转出组织关系。", "person_id")
    if person.membership_state != "active":
        state = vocab.MEMBERSHIP_STATES.get(person.membership_state, person.membership_state)
        raise ValidationError(f"{person.name}的党籍状态为“{state}”，不在册，不能转出组织关系。", "person_id")
    returns = _later_returns({person.id})
    pending = [t for t in Transfer.select().where(Transfer.person == person.id, Transfer.direction == "out")
               if not _confirmed(t, person, returns)]
    if pending:
        raise ValidationError(f"{person.name}已有一条尚未确认的转出记录（{pending[0].transferred_on.isoformat()}，"
                              f"转至{pending[0].to_org}）。请先确认或更正那一条。", "person_id")
    _check_scope(draft.scope)
    to_org = draft.to_org.strip()
    if not to_org:
        raise ValidationError("请填写转入的党组织（介绍信“去……”）。", "to_org")
    _raise_first(rules.check_letter(draft.transferred_on, draft.valid_days, draft.dues_paid_until, today))
    letter_number = draft.letter_number.strip() or next_letter_number(draft.transferred_on.year)
    clash = Transfer.get_or_none(_year_range(draft.transferred_on.year), Transfer.direction == "out",
                                 Transfer.letter_number == letter_number)
    if clash is not None:
        raise ValidationError(f"介绍信编号“{letter_number}”在 {draft.transferred_on.year} 年已用过"
                              f"（{clash.person.name}），请换一个编号或留空自动编号。", "letter_number")
    transfer = audit.create(
        Transfer, f"登记{person.name}组织关系转出至{to_org}",
        person=person, direction="out", scope=draft.scope, from_org=draft.from_org.strip() or _branch_name(),
        to_org=to_org, transferred_on=draft.transferred_on, letter_number=letter_number,
        valid_days=draft.valid_days,
        dues_paid_until=rules.first_of_month(draft.dues_paid_until) if draft.dues_paid_until else None,
        note=draft.note.strip(),
    )
    return transfer.id


@write
def confirm_transfer_out(transfer_id: int, on: date, today: date | None = None) -> None:
    """The member has left: state 转出 from ``on``, with the reason, and an entry in their history."""
    today = today or date.today()
    transfer = _get(transfer_id)
    if transfer.direction != "out":
        raise ValidationError("这是一条转入记录，不需要确认转出。", "transfer_id")
    person = transfer.person
    if _confirmed(transfer, person, _later_returns({person.id})):
        raise ValidationError(f"{person.name}的这次转出已经确认过了（{person.state_changed_on}）。", "transfer_id")
    if person.membership_state != "active":
        state = vocab.MEMBERSHIP_STATES.get(person.membership_state, person.membership_state)
        raise ValidationError(f"{person.name}的党籍状态为“{state}”，不能再确认转出。", "transfer_id")
    if on < transfer.transferred_on:
        raise ValidationError(f"确认日期 {on.isoformat()} 早于转出日期 {transfer.transferred_on.isoformat()}，请改正。",
                              "on")
    if on > today:
        raise ValidationError(f"确认日期 {on.isoformat()} 晚于今天（{today.isoformat()}），请改正。", "on")
    reason = f"组织关系转出至{transfer.to_org}"
    audit.update(person, f"{person.name}{reason}", membership_state="transferred_out", state_changed_on=on,
                 state_reason=reason)
    branch.end_posts(person, on)
    letter = f"（介绍信 {transfer.letter_number}）" if transfer.letter_number else ""
    audit.create(HistoryEvent, f"{person.name}履历：{reason}", person=person, occurred_on=on, kind="transfer_out",
                 description=f"{reason}{letter}")


@write
def mark_receipt_returned(transfer_id: int, on: date, today: date | None = None) -> None:
    """Tick off the receipt of a transfer out as returned on ``on``."""
    today = today or date.today()
    transfer = _get(transfer_id)
    if transfer.direction != "out":
        raise ValidationError("只有转出的介绍信有回执需要登记。", "transfer_id")
    if on < transfer.transferred_on:
        raise ValidationError(f"回执寄回日期 {on.isoformat()} 早于转出日期 {transfer.transferred_on.isoformat()}，"
                              f"请改正。", "on")
    if on > today:
        raise ValidationError(f"回执寄回日期 {on.isoformat()} 晚于今天（{today.isoformat()}），请改正。", "on")
    audit.update(transfer, f"{transfer.person.name}的转出介绍信回执已寄回", receipt_returned_on=on)


def _check_new_member(draft: TransferInDraft, id_number: str | None, today: date) -> None:
    _raise_first(check_stage(draft.stage, draft.joined_on, draft.converted_on, today, require_joined=False))
    if draft.sex is not None and draft.sex not in vocab.SEXES:
        raise ValidationError(f"性别“{draft.sex}”无效，应为男或女。", "sex")
    ethnicity = draft.ethnicity.strip()
    if ethnicity and ethnicity not in vocab.ETHNICITIES:
        raise ValidationError(f"民族“{ethnicity}”不是 56 个民族的规范名称（如“汉族”“蒙古族”），请改正。", "ethnicity")
    _raise_first(check_person(PersonFacts(name=draft.name.strip(), sex=draft.sex, birth_date=draft.birth_date,
                                          id_number=id_number, joined_on=draft.joined_on,
                                          converted_on=draft.converted_on), today))


@write
def register_transfer_in(draft: TransferInDraft, today: date | None = None) -> int:
    """Register a transfer in and return the person's id.

    Someone whose ID number is already on file and who once transferred out is re-activated
    (state 在册 again); anyone else gets a new member file from the letter's particulars.
    """
    today = today or date.today()
    name = draft.name.strip()
    if not name:
        raise ValidationError("请填写转入党员的姓名。", "name")
    if draft.stage not in vocab.MEMBER_STAGES:
        raise ValidationError("请选择正式党员或预备党员（介绍信上的“正式/预备”）。", "stage")
    _check_scope(draft.scope)
    from_org = draft.from_org.strip()
    if not from_org:
        raise ValidationError("请填写转出的党组织（介绍信“由……”）。", "from_org")
    _raise_first(rules.check_letter(draft.transferred_on, draft.valid_days, draft.dues_paid_until, today))
    id_number = id_rules.normalise(draft.id_number) or None
    if id_number:
        facts, message = id_rules.parse(id_number)
        if facts is None:
            raise ValidationError(message, "id_number")
    reason = f"组织关系由{from_org}转入"
    existing = Person.get_or_none(Person.id_number == id_number) if id_number else None
    if existing is not None:
        person = _reactivate(existing, draft, name, reason)
    else:
        _check_new_member(draft, id_number, today)
        facts = id_rules.parse(id_number)[0] if id_number else None
        person = audit.create(
            Person, f"新增党员 {name}（{reason}）",
            name=name, sex=draft.sex or (facts.sex if facts else None), ethnicity=draft.ethnicity.strip(),
            birth_date=draft.birth_date or (facts.birth_date if facts else None), id_number=id_number,
            phone=draft.phone.strip(), stage=draft.stage, membership_state="active",
            state_changed_on=draft.transferred_on, state_reason=reason, joined_on=draft.joined_on,
            converted_on=draft.converted_on,
        )
    audit.create(
        Transfer, f"登记{name}{reason}",
        person=person, direction="in", scope=draft.scope, from_org=from_org,
        to_org=draft.to_org.strip() or _branch_name(), transferred_on=draft.transferred_on,
        letter_number=draft.letter_number.strip(), valid_days=draft.valid_days,
        dues_paid_until=rules.first_of_month(draft.dues_paid_until) if draft.dues_paid_until else None,
        note=draft.note.strip(),
    )
    letter = f"（介绍信 {draft.letter_number.strip()}）" if draft.letter_number.strip() else ""
    audit.create(HistoryEvent, f"{name}履历：{reason}", person=person, occurred_on=draft.transferred_on,
                 kind="transfer_in", description=f"{reason}{letter}")
    return person.id


def _reactivate(person: Person, draft: TransferInDraft, name: str, reason: str) -> Person:
    """Put someone who once transferred out back on the roster; fill what the file lacks from the letter."""
    if person.name != name:
        raise ValidationError(f"身份证号 {person.id_number} 在台账中属于“{person.name}”，与介绍信上的姓名“{name}”"
                              f"不一致，请核对姓名或身份证号。", "name")
    if person.membership_state != "transferred_out":
        state = vocab.MEMBERSHIP_STATES.get(person.membership_state, person.membership_state)
        if person.membership_state == "active":
            message = f"{name}（身份证号 {person.id_number}）已在本支部在册，不需要再转入。"
        else:
            message = f"{name}（身份证号 {person.id_number}）在台账中的状态为“{state}”，不能通过组织关系转入恢复，请核对。"
        raise ValidationError(message, "id_number")
    if draft.stage == "probationary" and person.stage == "full":
        raise ValidationError(f"{name}在台账中已是正式党员，介绍信上为预备党员，请核对“正式/预备”。", "stage")
    changes = {"membership_state": "active", "state_changed_on": draft.transferred_on, "state_reason": reason,
               "stage": draft.stage}
    for field in ("ethnicity", "phone"):
        if not getattr(person, field) and getattr(draft, field).strip():
            changes[field] = getattr(draft, field).strip()
    for field in ("sex", "birth_date", "joined_on", "converted_on"):
        if getattr(person, field) is None and getattr(draft, field) is not None:
            changes[field] = getattr(draft, field)
    return audit.update(person, f"{name}{reason}，恢复在册", **changes)
