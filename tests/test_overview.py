"""The workbench's first figures, read with plain SQL before the ORM loads, against the models."""

from datetime import date

from ledger_app import overview
from ledger_app.db import open_ledger
from ledger_app.models import CommitteeTerm, Meeting, PartyGroup, Person
from ledger_app.rules.dates import add_months
from ledger_app.services import branch

TODAY = date(2026, 11, 22)


def test_a_new_ledger_is_not_set_up_and_has_nothing_to_count(ledger):
    assert not overview.is_set_up(ledger.conn) and not branch.is_set_up()
    assert overview.branch_name(ledger.conn) == ""
    assert overview.read_overview(ledger.conn, TODAY) == overview.Overview(
        branch_name="", branch_type="", upper_committee="", full_members=0, probationary_members=0,
        in_pipeline=0, groups=0, meetings_this_year=0, term_ends_on=None)


def test_the_figures_agree_with_the_models_on_a_demo_ledger(demo_ledgers, tmp_path):
    path = demo_ledgers.copy(tmp_path / "demo.sqlite3", members=80, years=2, seed=3)
    with open_ledger(path) as ledger:
        figures = overview.read_overview(ledger.conn, TODAY)
        active = Person.select().where(Person.membership_state == "active")
        term = CommitteeTerm.select().order_by(CommitteeTerm.started_on.desc()).first()
        profile = branch.get_profile()
        assert figures == overview.Overview(
            branch_name=profile.name,
            branch_type=profile.branch_type,
            upper_committee=profile.upper_committee,
            full_members=active.where(Person.stage == "full").count(),
            probationary_members=active.where(Person.stage == "probationary").count(),
            in_pipeline=active.where(Person.stage.in_(overview.PIPELINE_STAGES)).count(),
            groups=PartyGroup.select().count(),
            meetings_this_year=Meeting.select().where(Meeting.held_on.between(date(2026, 1, 1),
                                                                              date(2026, 12, 31))).count(),
            term_ends_on=add_months(term.started_on, 12 * term.length_years),
        )
        assert figures.full_members > 0 and figures.in_pipeline > 0 and figures.meetings_this_year > 0
        assert overview.is_set_up(ledger.conn) and overview.branch_name(ledger.conn) == profile.name
