"""Arrears (domain-rules §1, 党章 第九条): warned at 3 consecutive unpaid months, flagged at 6 without a
recorded reason, across year boundaries; exempt and non-member months are not unpaid; the
probationary start setting; the CLI `dues arrears` text, --json and a bad --as-of."""

import json
from datetime import date

import pytest

from ledger_app.cli import main
from ledger_app.models import (
    Branch,
    Development,
    DuesBase,
    DuesPayment,
    Exclusion,
    PartyGroup,
    Person,
    Transfer,
)
from ledger_app.rules import arrears as rules
from ledger_app.rules.dues import DuesSettings, paying_from
from ledger_app.services import dues
from ledger_app.services.settings import put_dues_settings

TODAY = date(2026, 4, 10)


# ---- the rule on its own --------------------------------------------------------------------------------

def test_run_crosses_the_year_boundary():
    span = rules.Span(None, None)
    last_paid = rules.month_index(2025, 9)  # paid up to September 2025
    start = rules.month_index(2020, 1)
    run = rules.unpaid_run(rules.month_index(2026, 3), span, last_paid, None, start)
    assert run.months == 6 and rules.year_month(run.since) == (2025, 10)
    assert rules.level(run.months, has_reason=False) == "flagged"
    dec = rules.unpaid_run(rules.month_index(2025, 12), span, last_paid, None, start)
    assert dec.months == 3 and rules.level(dec.months, False) == "warned"
    assert rules.level(2, False) is None


def test_a_recorded_reason_keeps_six_months_a_warning():
    assert rules.level(6, has_reason=True) == "warned"
    assert rules.level(5, has_reason=False) == "warned"


def test_exempt_and_non_member_months_end_the_run():
    start = rules.month_index(2020, 1)
    as_of = rules.month_index(2026, 3)
    # exempt up to December 2025: only January–March 2026 are unpaid
    assert rules.unpaid_run(as_of, rules.Span(None, None), None, rules.month_index(2025, 12), start).months == 3
    # a member only since January 2026 owes only from then
    assert rules.unpaid_run(as_of, rules.Span(rules.month_index(2026, 1), None), None, None, start).months == 3
    # someone who left in February owes nothing as of March
    assert rules.unpaid_run(as_of, rules.Span(None, rules.month_index(2026, 2)), None, None, start).months == 0
    # months before the ledger's dues records begin are not counted
    assert rules.unpaid_run(as_of, rules.Span(None, None), None, None, rules.month_index(2026, 2)).months == 2


def test_member_span_from_joining_transfer_and_leaving():
    span = rules.member_span(date(2024, 5, 1), None, None, "active", None)
    assert span.first == rules.month_index(2024, 5) and span.last is None
    # transferred in: from the month after the letter's "dues paid up to"
    span = rules.member_span(date(2010, 1, 1), date(2025, 7, 15), date(2025, 7, 1), "active", None)
    assert span.first == rules.month_index(2025, 8)
    # no "paid up to" on the letter: from the transfer's month
    assert rules.member_span(None, date(2025, 7, 15), None, "active", None).first == rules.month_index(2025, 7)
    left = rules.member_span(None, None, None, "transferred_out", date(2025, 9, 3))
    assert left.last == rules.month_index(2025, 9)
    died = rules.member_span(None, None, None, "deceased", date(2025, 9, 3))
    assert died.last == rules.month_index(2025, 8)


def test_probationary_start_setting():
    accepted, approved = date(2025, 3, 18), date(2025, 5, 6)
    assert paying_from(accepted, approved) == date(2025, 3, 1)  # default: the 支部大会's month (2008 art. 8)
    assert paying_from(accepted, approved, DuesSettings(probation_start="approved")) == date(2025, 5, 1)
    assert paying_from(accepted, None, DuesSettings(probation_start="approved")) == date(2025, 3, 1)


# ---- the report over a ledger ---------------------------------------------------------------------------

def _pay(person, year, months):
    for month in months:
        DuesPayment.create(person=person, year=year, month=month, amount_fen=1000, paid_on=date(year, month, 10))


@pytest.fixture
def branch(ledger):
    Branch.create(name="测试党支部", branch_type="enterprise")
    group = PartyGroup.create(name="第一党小组", sort_order=1)
    people = {}
    for name in ("欠六月", "欠三月", "按时交", "免交者", "新党员", "已转出", "有理由"):
        people[name] = Person.create(name=name, stage="full", group=group, joined_on=date(2000, 1, 1))
        DuesBase.create(person=people[name], year=2025, base_fen=200000, category="in_service")
        DuesBase.create(person=people[name], year=2026, base_fen=200000, category="in_service")
    _pay(people["欠六月"], 2025, range(1, 10))  # unpaid October 2025 – March 2026
    _pay(people["欠三月"], 2025, range(1, 13))  # unpaid January – March 2026
    _pay(people["按时交"], 2025, range(1, 13))
    _pay(people["按时交"], 2026, range(1, 4))
    _pay(people["有理由"], 2025, range(1, 10))  # unpaid since October 2025, but excluded (detained) since then
    Exclusion.create(person=people["有理由"], category="detained", reason="被依法羁押", approved_on=date(2025, 10, 20),
                     start_on=date(2025, 10, 20))
    _pay(people["免交者"], 2025, range(1, 10))  # October – December exempt, then January – March unpaid
    dues.set_relief(people["免交者"].id, 2025, 10, 12, "exempt", date(2025, 9, 20), date(2025, 9, 28))
    # a probationary member accepted in February 2026: owes February and March only
    people["新党员"].stage = "probationary"
    people["新党员"].joined_on = date(2026, 2, 16)
    people["新党员"].save()
    Development.create(person=people["新党员"], approved_on=date(2026, 3, 30))
    # transferred out in December 2025: not a member as of March 2026
    people["已转出"].membership_state = "transferred_out"
    people["已转出"].state_changed_on = date(2025, 12, 5)
    people["已转出"].save()
    _pay(people["已转出"], 2025, range(1, 8))
    return people


def test_report_as_of_march_2026(branch):
    report = dues.arrears_report((2026, 3), today=TODAY)
    rows = {r.name: r for r in report.rows}
    assert set(rows) == {"欠六月", "欠三月", "免交者", "有理由"}
    assert (rows["欠六月"].months, rows["欠六月"].since, rows["欠六月"].level) == (6, (2025, 10), "flagged")
    assert (rows["欠三月"].months, rows["欠三月"].level) == (3, "warned")
    assert rows["免交者"].months == 3 and rows["免交者"].since == (2026, 1)  # exempt months are not unpaid
    assert rows["有理由"].months == 6 and rows["有理由"].level == "warned" and "被羁押" in rows["有理由"].reason
    assert report.rows[0].name == "欠六月"  # flagged first
    assert (report.warned, report.flagged) == (3, 1)


def test_report_as_of_december_2025_warns(branch):
    rows = {r.name: r for r in dues.arrears_report((2025, 12), today=TODAY).rows}
    assert rows["欠六月"].months == 3 and rows["欠六月"].level == "warned"
    assert rows["已转出"].months == 5  # a member until December: August – December
    assert "欠三月" not in rows


def test_transferred_out_member_counted_while_a_member(branch):
    rows = {r.name: r for r in dues.arrears_report((2025, 11), today=TODAY).rows}
    assert rows["已转出"].months == 4 and rows["已转出"].since == (2025, 8)


def test_probationary_setting_moves_the_start(branch):
    assert "新党员" not in {r.name for r in dues.arrears_report((2026, 3), today=TODAY).rows}  # 2 months only
    run = {r.name: r for r in dues.arrears_report((2026, 4), today=TODAY).rows}
    assert run["新党员"].months == 3 and run["新党员"].since == (2026, 2)
    put_dues_settings(DuesSettings(probation_start="approved"))
    run = {r.name: r for r in dues.arrears_report((2026, 4), today=TODAY).rows}
    assert "新党员" not in run  # from March (the upper approval): 2 months


def test_transfer_in_counts_from_after_paid_until(branch, ledger):
    mover = Person.create(name="转入者", stage="full", joined_on=date(2001, 1, 1))
    Transfer.create(person=mover, direction="in", scope="within_province", transferred_on=date(2025, 12, 20),
                    dues_paid_until=date(2025, 12, 1))
    rows = {r.name: r for r in dues.arrears_report((2026, 3), today=TODAY).rows}
    assert rows["转入者"].months == 3 and rows["转入者"].since == (2026, 1)


def test_summary_for_the_workbench(branch):
    summary = dues.arrears_summary(date(2026, 3, 31))
    assert (summary.as_of, summary.warned, summary.flagged) == ((2026, 3), 3, 1)


def test_no_dues_records_means_no_arrears(ledger):
    Person.create(name="张三", stage="full", joined_on=date(2000, 1, 1))
    report = dues.arrears_report((2026, 3), today=TODAY)
    assert report.rows == [] and "还没有党费记录" in "".join(report.lines())


def test_demo_members_in_arrears(tmp_path):
    """The demo ledger's members in arrears are found, each at least 3 months behind, none after leaving."""
    from ledger_app.db import open_ledger
    from ledger_app.demo import generate_demo

    path = tmp_path / "demo.sqlite3"
    generate_demo(path, members=120, years=2, seed=5, today=date(2026, 3, 20))
    with open_ledger(path, readonly=True):
        report = dues.arrears_report((2026, 2), today=date(2026, 3, 20))
        assert report.rows and all(r.months >= 3 for r in report.rows)
        for row in report.rows:
            person = Person.get_by_id(row.person_id)
            paid_after = DuesPayment.select().where(
                DuesPayment.person == person, DuesPayment.year * 12 + DuesPayment.month >= row.since[0] * 12 + row.since[1],
                DuesPayment.year * 12 + DuesPayment.month <= 2026 * 12 + 2).count()
            assert paid_after == 0


# ---- the command line ------------------------------------------------------------------------------------

def test_cli_text_and_json(branch, ledger, ledger_path, capsys):
    ledger.close()
    assert main(["dues", "arrears", "--as-of", "2026-03", "--db", str(ledger_path)]) == 0
    out = capsys.readouterr().out
    assert "截至2026年3月" in out and "【标记】欠六月" in out and "自2025年10月起连续 6 个月" in out
    assert "【提醒】欠三月" in out
    assert main(["dues", "arrears", "--as-of", "2026-03", "--json", "--db", str(ledger_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2026-03" and data["flagged"] == 1 and data["warned"] == 3
    first = data["rows"][0]
    assert first["name"] == "欠六月" and first["since"] == "2025-10" and first["level"] == "flagged"


@pytest.mark.parametrize("bad", ["2026-13", "2026/03", "March", "26-3"])
def test_cli_bad_as_of(ledger_path, capsys, bad):
    with pytest.raises(SystemExit) as info:
        main(["dues", "arrears", "--as-of", bad, "--db", str(ledger_path)])
    assert info.value.code == 2
    assert bad in capsys.readouterr().err
