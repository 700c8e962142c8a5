"""The dues services: bases (override needs a reason, last year's offered), the year grid (statuses and
totals, on a hand-made ledger and a demo ledger), marking paid in bulk (receipts, skips, the 6-month
back-payment limit) and undoing it, voluntary extra and hardship relief."""

from datetime import date

import pytest

from ledger_app.errors import LedgerError, ValidationError
from ledger_app.models import (
    AuditEntry,
    Branch,
    DuesBase,
    DuesPayment,
    DuesRelief,
    PartyGroup,
    Person,
    database,
)
from ledger_app.services import dues

TODAY = date(2026, 4, 10)


@pytest.fixture
def people(ledger):
    """Four members of one group, each with a 2026 base (one without), and a departed member."""
    Branch.create(name="测试党支部", branch_type="enterprise")
    group = PartyGroup.create(name="第一党小组", sort_order=1)

    def member(name, **fields):
        return Person.create(name=name, stage=fields.pop("stage", "full"), group=group,
                             joined_on=fields.pop("joined_on", date(2000, 1, 1)), **fields)

    made = {
        "zhang": member("张三"),  # base 5100 → 76.50
        "li": member("李四"),  # base 4900 → 49.00
        "wang": member("王五", stage="probationary", joined_on=date(2026, 3, 12)),  # a member from March
        "zhao": member("赵六"),  # no base for 2026
        "qian": member("钱七", membership_state="transferred_out", state_changed_on=date(2026, 2, 3)),
    }
    dues.set_base(made["zhang"].id, 2026, 510000, "in_service", today=date(2026, 1, 5))
    dues.set_base(made["li"].id, 2026, 490000, "in_service", today=date(2026, 1, 5))
    dues.set_base(made["wang"].id, 2026, 300000, "in_service", today=date(2026, 3, 20))
    dues.set_base(made["qian"].id, 2026, 800000, "in_service", today=date(2026, 1, 5))
    DuesBase.create(person=made["zhao"], year=2025, base_fen=250000, category="in_service")
    return made


def _counts():
    return DuesPayment.select().count(), AuditEntry.select().count()


# ---- bases ---------------------------------------------------------------------------------------------

def test_override_needs_a_reason_and_nothing_is_written(people):
    before = DuesBase.select().count(), AuditEntry.select().count()
    with pytest.raises(ValidationError) as info:
        dues.set_base(people["zhao"].id, 2026, 250000, "in_service", override_fen=1000)
    assert info.value.field == "override_reason" and "原因" in str(info.value)
    assert (DuesBase.select().count(), AuditEntry.select().count()) == before
    row = dues.set_base(people["zhao"].id, 2026, 250000, "in_service", override_fen=1000, override_reason="经支部研究同意")
    assert row.standard_fen == 1250 and row.due_fen == 1000 and row.override_reason == "经支部研究同意"


@pytest.mark.parametrize(("base", "category", "field"), [(-1, "in_service", "base"), (100, "soldier", "category")])
def test_bad_base_refused(people, base, category, field):
    with pytest.raises(ValidationError) as info:
        dues.set_base(people["zhao"].id, 2026, base, category)
    assert info.value.field == field


def test_bases_for_year_offers_last_years(people):
    rows = {r.name: r for r in dues.bases_for_year(2026)}
    assert set(rows) == {"张三", "李四", "王五", "赵六", "钱七"}
    assert (rows["张三"].standard_fen, rows["张三"].band) == (7650, "5000 元以上至 10000 元，1.5%")
    assert rows["李四"].standard_fen == 4900
    assert rows["赵六"].base_fen is None and rows["赵六"].last_year_base_fen == 250000


def test_copy_bases_from_last_year_and_undo(people):
    result = dues.copy_bases_from_last_year(2026, today=date(2026, 1, 6))
    assert result.created == 1
    zhao = DuesBase.get(DuesBase.person == people["zhao"], DuesBase.year == 2026)
    assert (zhao.base_fen, zhao.category) == (250000, "in_service")
    assert {s.name for s in result.skipped} == set()  # every other member already has a 2026 base
    assert dues.last_bulk().kind == "copy_bases"
    dues.undo_last_bulk()
    assert DuesBase.get_or_none(DuesBase.person == people["zhao"], DuesBase.year == 2026) is None


# ---- the grid ------------------------------------------------------------------------------------------

def test_grid_statuses_and_totals(people):
    dues.mark_paid([people["zhang"].id, people["li"].id], 2026, [1, 2, 3], date(2026, 3, 15), "cash", today=TODAY)
    dues.record_voluntary(people["zhang"].id, 2026, 2, 5000)
    dues.set_relief(people["li"].id, 2026, 4, 6, "exempt", date(2026, 3, 20), date(2026, 3, 28))
    grid = dues.year_grid(2026, today=TODAY)
    rows = {r.name: r for r in grid.rows}
    assert [c.status for c in rows["张三"].cells[:6]] == ["paid", "paid", "paid", "unpaid", "future", "future"]
    assert rows["张三"].cells[1].extra_fen == 5000 and rows["张三"].cells[0].receipt_no.startswith("DF2026-")
    assert [c.status for c in rows["李四"].cells[3:7]] == ["exempt", "exempt", "exempt", "future"]
    assert [c.status for c in rows["王五"].cells[:5]] == ["not_member", "not_member", "unpaid", "unpaid", "future"]
    assert rows["赵六"].due_fen is None and rows["赵六"].cells[0].status == "unpaid"
    assert [c.status for c in rows["钱七"].cells[:3]] == ["unpaid", "unpaid", "not_member"]
    march = grid.months[2]
    assert (march.paid, march.unpaid, march.standard_fen) == (2, 2, 7650 + 4900)  # 王五, 赵六
    assert grid.months[1].extra_fen == 5000
    assert grid.standard_fen == 3 * (7650 + 4900) and grid.extra_fen == 5000
    assert grid.months[3].exempt == 1


def test_grid_totals_equal_the_sql_sums_on_a_demo_ledger(tmp_path):
    from ledger_app.db import open_ledger
    from ledger_app.demo import generate_demo

    path = tmp_path / "demo.sqlite3"
    generate_demo(path, members=150, years=2, seed=7, today=date(2026, 3, 20))
    with open_ledger(path, readonly=True):
        for year in (2025, 2026):
            grid = dues.year_grid(year, today=date(2026, 3, 20))
            for total in grid.months:
                standard, extra, count = database.execute_sql(
                    "SELECT COALESCE(SUM(amount_fen), 0), COALESCE(SUM(extra_fen), 0), COUNT(*) FROM dues_payment "
                    "WHERE year = ? AND month = ?", (year, total.month)).fetchone()
                assert (total.standard_fen, total.extra_fen, total.paid) == (standard, extra, count)
            assert grid.standard_fen == database.execute_sql(
                "SELECT SUM(amount_fen) FROM dues_payment WHERE year = ?", (year,)).fetchone()[0]
            unpaid = [(r.name, m) for r in grid.rows for m, c in enumerate(r.cells, 1) if c.status == "unpaid"]
            assert unpaid  # the demo has members in arrears
            assert all(len(r.cells) == 12 for r in grid.rows)


# ---- marking paid and undo -----------------------------------------------------------------------------

def test_mark_paid_takes_the_standard_numbers_receipts_and_skips(people):
    ids = [p.id for p in people.values()]
    result = dues.mark_paid(ids, 2026, [3], date(2026, 3, 15), "transfer", note="主题党日收缴", today=TODAY)
    assert result.created == 3  # 张三, 李四, 王五
    amounts = {p.person.name: (p.amount_fen, p.receipt_no, p.method, p.note)
               for p in DuesPayment.select().where(DuesPayment.month == 3)}
    assert amounts["张三"][0] == 7650 and amounts["李四"][0] == 4900 and amounts["王五"][0] == 1500
    assert sorted(a[1] for a in amounts.values()) == ["DF2026-00001", "DF2026-00002", "DF2026-00003"]
    assert {a[2] for a in amounts.values()} == {"transfer"} and {a[3] for a in amounts.values()} == {"主题党日收缴"}
    assert result.total_fen == 7650 + 4900 + 1500
    reasons = {s.name: s.reason for s in result.skipped}
    assert reasons == {"赵六": "未录入2026年党费基数", "钱七": "该月不是本支部党员"}
    assert "已登记 3 笔" in result.summary() and "DF2026-00001 至 DF2026-00003" in result.summary()
    again = dues.mark_paid([people["zhang"].id], 2026, [3, 4], date(2026, 4, 2), "cash", today=TODAY)
    assert again.created == 1 and again.first_receipt == "DF2026-00004"
    assert [s.reason for s in again.skipped] == ["该月已交"]


def test_bulk_undo_reverses_exactly_the_last_action(people):
    dues.mark_paid([people["zhang"].id], 2026, [1], date(2026, 1, 15), "cash", today=TODAY)
    kept = _counts()
    result = dues.mark_paid([people["zhang"].id, people["li"].id], 2026, [2, 3], date(2026, 3, 15), "cash", today=TODAY)
    assert result.created == 4
    info = dues.last_bulk()
    assert info.kind == "mark_paid" and info.rows == 4 and "2、3月" in info.summary
    message = dues.undo_last_bulk()
    assert "已撤销" in message
    assert DuesPayment.select().count() == kept[0]  # January stays
    assert DuesPayment.get(DuesPayment.month == 1).person_id == people["zhang"].id
    undo_entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert undo_entry.action == "bulk" and undo_entry.summary.startswith("撤销批量操作")
    with pytest.raises(LedgerError, match="没有可以撤销"):
        dues.undo_last_bulk()  # only once


def test_undo_refused_when_a_row_changed_since(people):
    dues.mark_paid([people["zhang"].id, people["li"].id], 2026, [3], date(2026, 3, 15), "cash", today=TODAY)
    dues.record_voluntary(people["li"].id, 2026, 3, 2000)
    with pytest.raises(LedgerError, match="已被修改") as info:
        dues.undo_last_bulk()
    assert "李四" in str(info.value)
    assert DuesPayment.select().count() == 2  # nothing undone


def test_back_payment_limit(people):
    before = _counts()
    with pytest.raises(ValidationError) as info:
        dues.mark_paid([people["zhang"].id], 2025, [9], date(2026, 4, 1), "cash", today=TODAY)
    assert info.value.field == "months" and "6 个月" in str(info.value)
    assert _counts() == before
    DuesBase.create(person=people["zhang"], year=2025, base_fen=510000, category="in_service")
    result = dues.mark_paid([people["zhang"].id], 2025, [10, 11, 12], date(2026, 4, 1), "cash", today=TODAY)
    assert result.created == 3  # 6, 5 and 4 months back: allowed


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"months": []}, "months"),
    ({"months": [13]}, "months"),
    ({"method": "alipay"}, "method"),
    ({"paid_on": date(2026, 5, 1)}, "paid_on"),
    ({"person_ids": []}, "person_ids"),
])
def test_mark_paid_bad_input(people, kwargs, field):
    arguments = {"person_ids": [people["zhang"].id], "year": 2026, "months": [3], "paid_on": date(2026, 3, 15),
                 "method": "cash", "today": TODAY} | kwargs
    with pytest.raises(ValidationError) as info:
        dues.mark_paid(**arguments)
    assert info.value.field == field


# ---- voluntary extra and relief ------------------------------------------------------------------------

def test_voluntary_extra_and_the_large_payment_flag(people):
    dues.mark_paid([people["zhang"].id], 2026, [3], date(2026, 3, 15), "cash", today=TODAY)
    assert dues.record_voluntary(people["zhang"].id, 2026, 3, 100000).large is False  # 1000 yuan: not above
    result = dues.record_voluntary(people["zhang"].id, 2026, 3, 100001)
    assert result.large and "大额" in result.message
    payment = DuesPayment.get(DuesPayment.person == people["zhang"], DuesPayment.month == 3)
    assert (payment.amount_fen, payment.extra_fen) == (7650, 100001)  # kept apart from the standard
    with pytest.raises(ValidationError, match="请先登记该月党费"):
        dues.record_voluntary(people["zhang"].id, 2026, 4, 100)


def test_relief_needs_both_approvals(people):
    with pytest.raises(ValidationError) as info:
        dues.set_relief(people["li"].id, 2026, 1, 6, "exempt", date(2026, 1, 3), None)
    assert info.value.field == "upper_approved_on"
    with pytest.raises(ValidationError) as info:
        dues.set_relief(people["li"].id, 2026, 1, 6, "reduce", None, date(2026, 1, 3))
    assert info.value.field == "branch_approved_on"
    assert DuesRelief.select().count() == 0


def test_reduced_relief_sets_the_months_due(people):
    dues.set_relief(people["li"].id, 2026, 1, 3, "reduce", date(2026, 1, 3), date(2026, 1, 9), amount_fen=1000)
    result = dues.mark_paid([people["li"].id], 2026, [3, 4], date(2026, 4, 2), "cash", today=TODAY)
    assert [p.amount_fen for p in DuesPayment.select().order_by(DuesPayment.month)] == [1000, 4900]
    assert result.total_fen == 5900
    with pytest.raises(ValidationError, match="重叠"):
        dues.set_relief(people["li"].id, 2026, 3, 5, "exempt", date(2026, 1, 3), date(2026, 1, 9))
    with pytest.raises(ValidationError, match="已交"):
        dues.set_relief(people["li"].id, 2026, 4, 5, "exempt", date(2026, 1, 3), date(2026, 1, 9))
