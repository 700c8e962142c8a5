"""The 发展党员 documents: 公示, 全程纪实表, 工作台账 — their text in Word and PDF, and their refusals."""

from datetime import date

import pytest

from ledger_app.cli import main
from ledger_app.documents import MISSING
from ledger_app.documents.development import (
    make_notice,
    make_record,
    make_register,
    notice_context,
    record_context,
    register_context,
)
from ledger_app.documents.word import document_text
from ledger_app.errors import LedgerError, ValidationError
from ledger_app.models import ActivistAssessment, Branch, Development, Person
from ledger_app.services import settings

TODAY = date(2026, 12, 4)  # a Friday
BRANCH = "测试第一党支部"


def pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages).replace("\n", "")


@pytest.fixture
def people(ledger):
    Branch.create(name=BRANCH, branch_type="enterprise", phone="010-12345678")
    target = Person.create(name="周悦红", sex="female", ethnicity="汉族", birth_date=date(1991, 12, 3),
                           education="大学本科", post="工程师", stage="target")
    Development.create(person=target, applied_on=date(2024, 3, 6), talked_on=None,
                       activist_on=date(2025, 2, 26), contacts="何娟敏、曾晨", target_on=date(2026, 3, 3),
                       introducers="谢洁、雷明建", political_review_on=date(2026, 4, 1),
                       political_review_conclusion="政治审查合格")
    ActivistAssessment.create(person=target, assessed_on=date(2025, 8, 26), conclusion="表现良好")
    probationary = Person.create(name="许林", sex="male", stage="probationary", joined_on=date(2026, 3, 18))
    Development.create(person=probationary, applied_on=date(2023, 8, 29), activist_on=date(2023, 12, 10),
                       target_on=date(2025, 11, 16))
    return target.id, probationary.id


def test_a_notice_over_a_weekend_runs_five_working_days(people):
    target, _ = people
    c = notice_context(target, "target", TODAY)
    assert c["title"] == "关于拟确定周悦红同志为发展对象的公示"
    assert c["period"] == "2026年12月4日至2026年12月10日（5个工作日）"  # Fri, Mon–Thu
    assert {"label": "培养联系人", "value": "何娟敏、曾晨"} in c["facts"]


def test_a_notice_over_a_holiday_set_in_the_settings(people):
    target, _ = people
    settings.put_work_calendar([date(2026, 12, 7)], [])
    assert notice_context(target, "target", TODAY)["end"] == "2026年12月11日"


def test_the_notice_as_word_and_pdf_names_the_person_and_the_period(people, tmp_path):
    target, probationary = people
    word = make_notice(target, "admission", tmp_path / "n.docx", TODAY)
    text = document_text(word)
    assert "关于拟接收周悦红同志为中共预备党员的公示" in text and BRANCH in text and "2026年12月10日" in text
    assert "谢洁、雷明建" in text and "{{" not in text
    pdf = pdf_text(make_notice(probationary, "conversion", tmp_path / "c.pdf", TODAY))
    assert "关于许林同志预备党员转正的公示" in pdf and "2027年3月18日" in pdf  # probation ends


def test_a_notice_of_the_wrong_kind_or_file_is_refused(people, tmp_path):
    target, probationary = people
    with pytest.raises(ValidationError, match="许林现为预备党员，发展对象公示只适用于"):
        notice_context(probationary, "target", TODAY)
    with pytest.raises(LedgerError, match="只能保存为 PDF"):
        make_notice(target, "target", tmp_path / "n.txt", TODAY)
    assert not (tmp_path / "n.txt").exists()


def test_the_record_lists_every_step_with_dates_and_people(people, tmp_path):
    target, _ = people
    c = record_context(target, TODAY)
    by_step = {r["step"]: r for r in c["rows"]}
    assert by_step["确定为入党积极分子"]["date"] == "2025年2月26日"
    assert "何娟敏、曾晨" in by_step["确定为入党积极分子"]["note"]
    assert by_step["政治审查"]["note"] == "结论：政治审查合格"
    assert by_step["入党积极分子报上级党委备案"]["date"] == ""  # optional
    assert by_step["半年考察"]["date"] == "2025年8月26日"
    assert by_step["支部委员会审查"]["date"] == ""  # not reached yet
    assert by_step["集中培训"]["date"] == ""  # the next step
    assert by_step["党组织派人谈话"]["date"] == MISSING  # should be there: later steps are recorded
    for path in (make_record(target, tmp_path / "r.docx", TODAY), make_record(target, tmp_path / "r.pdf", TODAY)):
        text = document_text(path) if path.suffix == ".docx" else pdf_text(path)
        assert "周悦红" in text and "2026年3月3日" in text and "谢洁、雷明建" in text


def test_the_register_lists_the_years_people_and_counts_them(people, tmp_path):
    c = register_context(2026, TODAY)
    assert [r["name"] for r in c["rows"]] == ["周悦红", "许林"]
    assert c["counts"] == {"applied": 0, "activist": 0, "target": 1, "joined": 1, "converted": 0}
    assert register_context(2022, TODAY)["rows"] == []
    text = document_text(make_register(2026, tmp_path / "g.docx", TODAY))
    assert "发展党员工作台账" in text and "2026.03.18" in text and "接收预备党员 1 人" in text
    assert "许林" in pdf_text(make_register(2026, tmp_path / "g.pdf", TODAY))


def test_cli_documents_and_their_bad_input(people, ledger_path, tmp_path, capsys):
    target, _ = people
    out = tmp_path / "n.pdf"
    assert main(["doc", "notice", str(target), "--kind", "target", "--out", str(out), "--db", str(ledger_path)]) == 0
    assert out.exists()
    assert main(["doc", "development-record", "999", "--out", str(tmp_path / "x.pdf"),
                 "--db", str(ledger_path)]) != 0
    assert "找不到编号为 999" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()
    assert main(["doc", "development-register", "2026", "--out", str(tmp_path / "g.docx"),
                 "--db", str(ledger_path)]) == 0
