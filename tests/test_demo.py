"""The demo ledger: deterministic per seed, and every row keeps the rules the ledger checks.

One small ledger (40 members over 3 years, with a fixed "today") is generated once for the module
and read back with plain sqlite3.
"""

import sqlite3
from collections import defaultdict
from datetime import date

import pytest
from peewee import DateField

from ledger_app import vocab
from ledger_app.demo import AREA_CODES, PLANTED_NOTE, generate_demo
from ledger_app.errors import ValidationError
from ledger_app.models import ALL_MODELS
from ledger_app.rules import id_number, organisation
from ledger_app.rules.dates import add_months, age_on
from ledger_app.rules.dues import monthly_standard

TODAY = date(2026, 3, 15)
MEMBERS, YEARS, SEED = 40, 3, 11


def _generate(path, seed=SEED, today=TODAY):
    return generate_demo(path, members=MEMBERS, years=YEARS, seed=seed, progress=None, today=today)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    stats = _generate(path)
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    yield path, conn, stats
    conn.close()


def _rows(conn, sql, params=()):
    return conn.execute(sql, params).fetchall()


def _day(text):
    return None if text is None else date.fromisoformat(text)


def _dump(path) -> dict[str, list[tuple]]:
    """Every table's rows in rowid order; the audit entry's timestamp is the real time, so left out."""
    conn = sqlite3.connect(path)
    try:
        dump = {}
        for model in ALL_MODELS:
            table = model._meta.table_name
            columns = [f'"{f.column_name}"' for f in model._meta.sorted_fields if (table, f.column_name) != ("audit_entry", "at")]
            dump[table] = conn.execute(f'SELECT {", ".join(columns)} FROM "{table}" ORDER BY rowid').fetchall()
        return dump
    finally:
        conn.close()


def test_same_seed_same_ledger_and_another_seed_another(demo, tmp_path):
    path, _, stats = demo
    again = tmp_path / "again.sqlite3"
    other = tmp_path / "other.sqlite3"
    assert str(_generate(again)) == str(stats)
    _generate(other, seed=SEED + 1)
    first = _dump(path)
    assert first == _dump(again)
    assert first["person"] != _dump(other)["person"]
    assert sum(len(rows) for rows in first.values()) > 3000


def test_summary_counts(demo):
    _, conn, stats = demo
    assert stats.members == MEMBERS
    assert stats.members == _rows(conn, "SELECT count(*) FROM person WHERE membership_state = 'active' "
                                        "AND stage IN ('full', 'probationary')")[0][0]
    assert stats.meetings == _rows(conn, "SELECT count(*) FROM meeting")[0][0]
    assert stats.dues_payments == _rows(conn, "SELECT count(*) FROM dues_payment")[0][0]
    assert f"会议 {stats.meetings:,} 次" in str(stats) and "党费记录" in str(stats)


def test_file_is_sound_and_passes_verify(demo):
    path, conn, _ = demo
    assert _rows(conn, "PRAGMA integrity_check")[0][0] == "ok"
    assert _rows(conn, "PRAGMA foreign_key_check") == []
    verify = pytest.importorskip("ledger_app.verify")
    from ledger_app.db import open_ledger

    with open_ledger(path, readonly=True):
        findings = verify.verify_ledger(TODAY)
    # Only the two development cases planted on purpose (PLANTED_NOTE), each on its own person.
    planted = {row["id"] for row in _rows(conn, "SELECT id FROM person WHERE note = ?", (PLANTED_NOTE,))}
    assert sorted(f.field for f in findings) == ["assessments", "target_on"], [str(f) for f in findings]
    assert len(planted) == 2 and all(any(f"#{pid} " in f.where for pid in planted) for f in findings)


def test_id_numbers_valid_unique_and_match_birth_and_sex(demo):
    _, conn, _ = demo
    people = _rows(conn, "SELECT id_number, birth_date, sex FROM person")
    codes = {code for code, _ in AREA_CODES}
    for row in people:
        assert id_number.check(row["id_number"], _day(row["birth_date"]), row["sex"], TODAY) == []
        assert row["id_number"][:6] in codes
    assert len({row["id_number"] for row in people}) == len(people)
    assert {row["sex"] for row in people} == {"male", "female"}


def test_member_dates_in_order_and_sensible(demo):
    _, conn, _ = demo
    rows = _rows(conn, "SELECT p.*, d.applied_on, d.talked_on, d.activist_on, d.target_on, d.approved_on "
                       "FROM person p JOIN development d ON d.person_id = p.id")
    assert len(rows) == _rows(conn, "SELECT count(*) FROM person")[0][0]
    for row in rows:
        if row["note"] == PLANTED_NOTE:
            continue  # broken on purpose: test_file_is_sound_and_passes_verify
        birth, applied, joined, converted = (_day(row[k]) for k in ("birth_date", "applied_on", "joined_on",
                                                                    "converted_on"))
        talked, activist, target = _day(row["talked_on"]), _day(row["activist_on"]), _day(row["target_on"])
        assert age_on(birth, applied) >= 18
        assert talked is None or applied <= talked <= add_months(applied, 1)
        if activist:
            assert applied <= activist
        if target:
            assert add_months(activist, 12) <= target
        if row["stage"] in vocab.MEMBER_STAGES:
            assert birth < applied < target < joined
            approved = _day(row["approved_on"])
            assert approved is None or joined < approved <= add_months(joined, 3)
            if row["membership_state"] == "active":
                assert 20 <= age_on(birth, TODAY) <= 90
        if row["stage"] == "full":
            assert converted == add_months(joined, 12)
        if row["stage"] == "probationary":
            assert converted is None and add_months(TODAY, -12) < joined <= TODAY
        if row["stage"] not in vocab.MEMBER_STAGES:
            assert joined is None and converted is None and row["group_id"] is None


def test_nothing_dated_after_today(demo):
    _, conn, _ = demo
    for model in ALL_MODELS:
        table = model._meta.table_name
        for field in model._meta.sorted_fields:
            if isinstance(field, DateField):
                latest = _rows(conn, f'SELECT max("{field.column_name}") FROM "{table}"')[0][0]
                assert latest is None or latest <= TODAY.isoformat(), (table, field.column_name, latest)
    first = date(TODAY.year - YEARS + 1, 1, 1).isoformat()
    assert _rows(conn, "SELECT min(held_on) FROM meeting")[0][0] >= first
    assert _rows(conn, "SELECT min(paid_on) FROM dues_payment")[0][0] >= first


def test_every_stage_and_state_is_present(demo):
    _, conn, _ = demo
    stages = {row[0] for row in _rows(conn, "SELECT DISTINCT stage FROM person")}
    assert stages == set(vocab.STAGES)
    states = {row[0] for row in _rows(conn, "SELECT DISTINCT membership_state FROM person")}
    assert {"active", "transferred_out", "deceased", "suspended"} <= states
    for row in _rows(conn, "SELECT * FROM person WHERE membership_state != 'active'"):
        assert row["state_changed_on"] and row["state_reason"] and row["group_id"] is None
    assert _rows(conn, "SELECT count(*) FROM person WHERE is_mobile = 1")[0][0] >= 1
    directions = {row[0] for row in _rows(conn, "SELECT direction FROM transfer")}
    assert directions == {"in", "out"}
    for row in _rows(conn, "SELECT * FROM transfer"):
        assert row["letter_number"] and 0 < row["valid_days"] <= 90 and row["dues_paid_until"].endswith("-01")


def test_groups_and_committee(demo):
    _, conn, _ = demo
    groups = _rows(conn, "SELECT g.id, g.leader_id, p.group_id FROM party_group g JOIN person p ON p.id = g.leader_id")
    assert len(groups) == _rows(conn, "SELECT count(*) FROM party_group")[0][0] == MEMBERS // 12
    assert all(row["group_id"] == row["id"] for row in groups)
    assert _rows(conn, "SELECT count(*) FROM person WHERE membership_state = 'active' AND stage IN "
                       "('full', 'probationary') AND group_id IS NULL")[0][0] == 0
    term = _rows(conn, "SELECT * FROM committee_term")[0]
    branch_type = _rows(conn, "SELECT branch_type FROM branch")[0][0]
    assert term["length_years"] == organisation.term_years(branch_type)
    assert add_months(TODAY, -36) <= _day(term["started_on"]) <= TODAY
    posts = [row[0] for row in _rows(conn, "SELECT post FROM committee_member ORDER BY sort_order")]
    assert posts == ["书记", "副书记", "组织委员", "宣传委员", "纪检委员"]


def test_every_meeting_kind_with_attendance_and_absences(demo):
    _, conn, _ = demo
    kinds = {row[0] for row in _rows(conn, "SELECT DISTINCT kind FROM meeting")}
    assert kinds == set(vocab.MEETING_KINDS) - {"other"}
    assert _rows(conn, "SELECT count(*) FROM meeting WHERE status != 'held'")[0][0] == 0
    assert _rows(conn, "SELECT count(*) FROM meeting m WHERE NOT EXISTS "
                       "(SELECT 1 FROM attendance a WHERE a.meeting_id = m.id)")[0][0] == 0
    assert _rows(conn, "SELECT count(*) FROM meeting m WHERE NOT EXISTS "
                       "(SELECT 1 FROM meeting_topic t WHERE t.meeting_id = m.id)")[0][0] == 0
    assert _rows(conn, "SELECT count(*) FROM meeting WHERE kind = 'group' AND group_id IS NULL")[0][0] == 0
    assert _rows(conn, "SELECT count(*) FROM meeting WHERE kind = 'lecture' AND lecturer = ''")[0][0] == 0
    status = dict(_rows(conn, "SELECT status, count(*) FROM attendance GROUP BY status"))
    assert 0.80 < status["present"] / (status["present"] + status["absent"]) < 0.97
    reasons = {row[0] for row in _rows(conn, "SELECT DISTINCT absence_reason FROM attendance WHERE status = 'absent'")}
    assert reasons and reasons <= set(vocab.ABSENCE_REASONS)
    assert _rows(conn, "SELECT count(*) FROM attendance WHERE status = 'present' AND absence_reason IS NOT NULL")[0][0] == 0
    makeups = _rows(conn, "SELECT count(*), count(done_on) FROM make_up_study")[0]
    assert makeups[0] > 0 and makeups[1] > makeups[0] / 2


def test_rhythm_with_a_few_periods_missed(demo):
    _, conn, _ = demo
    this_month = TODAY.isoformat()[:7]
    months = 12 * (YEARS - 1) + TODAY.month - 1  # whole months before this one
    series = _rows(conn, """
        SELECT kind, group_id, count(DISTINCT substr(held_on, 1, 7)) FROM meeting
        WHERE kind IN ('committee', 'theme_day', 'group') AND substr(held_on, 1, 7) < ?
        GROUP BY kind, group_id""", (this_month,))
    assert len(series) == 2 + MEMBERS // 12  # the committee, the 主题党日 and each 党小组
    held = [count for _, _, count in series]
    assert all(months - max(4, months // 6) <= count <= months for count in held)
    assert sum(held) < months * len(series)  # a few months deliberately without a meeting
    per_year = _rows(conn, "SELECT substr(held_on, 1, 4) y, count(*) FROM meeting "
                           "WHERE kind = 'general_assembly' GROUP BY y")
    assert all(count <= 4 for _, count in per_year)


def test_only_members_on_the_roll_are_expected(demo):
    _, conn, _ = demo
    wrong = _rows(conn, """
        SELECT count(*) FROM attendance a JOIN meeting m ON m.id = a.meeting_id JOIN person p ON p.id = a.person_id
        WHERE p.stage NOT IN ('full', 'probationary') OR p.joined_on >= m.held_on
           OR (p.membership_state != 'active' AND p.state_changed_on <= m.held_on)
           OR (m.kind = 'group' AND p.membership_state = 'active' AND p.group_id != m.group_id)""")
    assert wrong[0][0] == 0
    committee = {row[0] for row in _rows(conn, "SELECT person_id FROM committee_member")}
    for row in _rows(conn, "SELECT DISTINCT a.person_id FROM attendance a JOIN meeting m ON m.id = a.meeting_id "
                           "WHERE m.kind = 'committee'"):
        assert row[0] in committee


def test_votes_count_only_full_members_present(demo):
    _, conn, _ = demo
    assert _rows(conn, "SELECT count(*) FROM meeting m WHERE kind = 'general_assembly' AND NOT EXISTS "
                       "(SELECT 1 FROM vote v WHERE v.meeting_id = m.id)")[0][0] == 0
    for vote in _rows(conn, "SELECT v.*, m.held_on FROM vote v JOIN meeting m ON m.id = v.meeting_id"):
        entitled, present = _rows(conn, """
            SELECT count(*), sum(a.status = 'present') FROM attendance a JOIN person p ON p.id = a.person_id
            WHERE a.meeting_id = ? AND p.converted_on <= ?""", (vote["meeting_id"], vote["held_on"]))[0]
        assert vote["yes"] + vote["no"] + vote["abstain"] == present
        assert 2 * vote["yes"] > entitled
        if vote["kind"] == "election":
            assert 5 * present > 4 * entitled
    assert _rows(conn, "SELECT count(*) FROM resolution")[0][0] == _rows(conn, "SELECT count(*) FROM vote")[0][0]
    joined_here = _rows(conn, "SELECT count(*) FROM person WHERE joined_on IN "
                              "(SELECT held_on FROM meeting WHERE kind = 'general_assembly')")[0][0]
    accepted = _rows(conn, "SELECT count(*) FROM vote WHERE motion LIKE '接收%'")[0][0]
    assert accepted == joined_here > 0


def test_appraisals(demo):
    _, conn, _ = demo
    by_meeting = defaultdict(lambda: defaultdict(int))
    for row in _rows(conn, "SELECT meeting_id, grade FROM appraisal"):
        by_meeting[row[0]][row[1]] += 1
    assert by_meeting
    for grades in by_meeting.values():
        assert 3 * grades["excellent"] <= sum(grades.values())
        assert grades["qualified"] > sum(grades.values()) / 2
    assert _rows(conn, "SELECT count(*) FROM appraisal a JOIN person p ON p.id = a.person_id "
                       "WHERE p.stage != 'full'")[0][0] == 0


def test_dues_follow_the_standard_and_some_are_in_arrears(demo):
    _, conn, _ = demo
    bases = {(row["person_id"], row["year"]): (row["category"], row["base_fen"])
             for row in _rows(conn, "SELECT * FROM dues_base")}
    payments = _rows(conn, "SELECT d.*, p.joined_on FROM dues_payment d JOIN person p ON p.id = d.person_id")
    assert payments
    for row in payments:
        category, base = bases[(row["person_id"], row["year"])]
        assert row["amount_fen"] == monthly_standard(category, base).amount_fen
        assert (row["year"], row["month"]) >= (int(row["joined_on"][:4]), int(row["joined_on"][5:7]))
        assert date(row["year"], row["month"], 1) <= _day(row["paid_on"]) <= TODAY
    assert len({category for category, _ in bases.values()}) >= 2
    # In arrears: an active member whose last paid month is three or more months before this one.
    current = TODAY.year * 12 + TODAY.month - 1
    last_paid = _rows(conn, """
        SELECT p.id, max(d.year * 12 + d.month - 1) FROM person p JOIN dues_payment d ON d.person_id = p.id
        WHERE p.membership_state = 'active' GROUP BY p.id""")
    assert 1 <= sum(current - last >= 4 for _, last in last_paid) <= max(1, MEMBERS // 50) + 2


def test_history_and_audit(demo):
    _, conn, _ = demo
    kinds = {row[0] for row in _rows(conn, "SELECT DISTINCT kind FROM history_event")}
    assert {"joined", "converted", "post", "transfer_in", "transfer_out", "state"} <= kinds
    audit = _rows(conn, "SELECT * FROM audit_entry")
    assert len(audit) == 1 and audit[0]["action"] == "bulk" and f"种子 {SEED}" in audit[0]["summary"]


def test_progress_reported_per_phase(tmp_path):
    lines = []
    generate_demo(tmp_path / "p.sqlite3", members=12, years=2, seed=1, progress=lines.append, today=TODAY)
    assert lines[0] == "正在生成支部和人员…"
    assert f"正在生成会议 {TODAY.year - 1} 年…" in lines and f"正在生成党费 {TODAY.year} 年…" in lines


def test_out_of_range_sizes_refused_without_a_file(tmp_path):
    path = tmp_path / "refused.sqlite3"
    with pytest.raises(ValidationError, match="年数"):
        generate_demo(path, members=10, years=31, seed=1)
    with pytest.raises(ValidationError, match="党员人数"):
        generate_demo(path, members=0, years=1, seed=1)
    assert not path.exists()


def test_command_line(tmp_path, capsys):
    from ledger_app.cli import main

    path = tmp_path / "cli.sqlite3"
    assert main(["demo", "--db", str(path), "--members", "12", "--years", "1", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "演示台账已写入" in out and "在册党员 12 人" in out
    assert main(["demo", "--db", str(path), "--members", "12", "--years", "1", "--quiet"]) == 2
