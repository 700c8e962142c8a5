"""The year archive: every section folder, every file in the index, the combined PDF's outline, and
nothing left behind when it is cancelled, fails or finds its folder taken."""

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from ledger_app import archive
from ledger_app.archive import ArchiveCancelled, ArchiveDocument, Section
from ledger_app.documents.word import document_text
from ledger_app.errors import LedgerError

TODAY = date.today()
# The record book's sections (domain-rules §7), each by a word its folder name must hold.
RECORD_BOOK = ("基本情况", "花名册", "计划", "党员大会", "支部委员会", "党小组会", "党课", "主题党日",
               "组织生活会", "民主评议", "谈心谈话", "发展党员", "党费", "转接", "流动党员", "表彰", "处分", "统计", "总结")


@pytest.fixture(scope="module")
def written(tmp_path_factory, demo_ledgers):
    """One archive of a small demo's year, shared by the read-only checks below."""
    from ledger_app.db import open_ledger

    folder = tmp_path_factory.mktemp("archive")
    path = demo_ledgers.copy(folder / "demo.sqlite3", members=12, years=1, seed=3)
    calls = []
    with open_ledger(path, readonly=True):
        result = archive.write_archive(TODAY.year, folder / "台账", lambda *a: calls.append(a), today=TODAY)
    return result, calls


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_every_section_has_its_folder_with_word_and_pdf(written):
    result, _ = written
    folders = sorted(p.name for p in result.folder.iterdir() if p.is_dir())
    assert folders == [s.folder for s in archive.sections()]
    joined = " ".join(folders)
    assert [word for word in RECORD_BOOK if word not in joined] == []
    for folder in folders:
        files = files_under(result.folder / folder)
        stems = {p.with_suffix("") for p in files}
        assert files, folder
        assert {p.suffix for p in files} == {".docx", ".pdf"}, folder
        assert len(files) == 2 * len(stems), f"{folder}: each document as Word and PDF"


def test_meetings_are_filed_by_month_with_minutes_and_sign_in(written):
    result, _ = written
    held = sorted((result.folder / "05 支部委员会").glob("*月/*"))
    assert held and all(p.parent.name.endswith("月") for p in held)
    assert any(p.name.endswith("会议记录.docx") for p in held)
    assert any(p.name.endswith("签到表.pdf") for p in held)


def test_a_section_without_records_says_so(written):
    result, _ = written
    empty = result.folder / "09 其他会议"
    assert sorted(p.name for p in empty.iterdir()) == ["本年度无记录.docx", "本年度无记录.pdf"]
    assert "没有" in document_text(empty / "本年度无记录.docx")


def test_every_file_is_in_the_index(written):
    result, _ = written
    text = document_text(result.folder / "00 索引.docx")
    pdf_text = "".join(page.extract_text() for page in PdfReader(result.folder / "00 索引.pdf").pages)
    listed = [p for p in files_under(result.folder) if p.parent != result.folder]
    assert listed
    for path in listed:
        name = path.relative_to(result.folder).as_posix().split("/", 1)[1]
        assert name in text, name
    assert result.book.name in text and "00 索引.pdf" in text
    assert "01 支部基本情况" in pdf_text.replace("\n", "")


def test_the_combined_pdf_has_contents_and_a_bookmark_per_section(written):
    result, _ = written
    reader = PdfReader(result.book)
    top = [item for item in reader.outline if not isinstance(item, list)]
    titles = [item.title for item in top]
    assert titles[:2] == ["封面", "目录"]
    assert titles[2:] == [s.folder for s in archive.sections()]
    children = [item for item in reader.outline if isinstance(item, list)]
    assert len(children) == len(archive.sections())  # each section's documents under it
    assert len(reader.pages) == result.pages
    contents = reader.pages[1].extract_text()
    assert "目" in contents and "01 支部基本情况" in contents
    # a bookmark lands on the page where its document starts
    roster = next(i for i, t in enumerate(titles) if t.endswith("党员花名册"))
    page = reader.get_destination_page_number(top[roster])
    assert "党员花名册" in reader.pages[page].extract_text()


def test_progress_counts_every_file_up_to_the_total(written):
    result, calls = written
    done = [c[0] for c in calls]
    assert done == list(range(1, len(calls) + 1))
    assert calls[-1][0] == calls[-1][1] == 2 * len(result.entries) + 2


def small_book(monkeypatch, documents: int = 6, write=None):
    """Replace the book by one section of ``documents`` listings, so a test runs in a moment."""
    from ledger_app.documents.listing import block, listing_context, make_listing

    def writer(out):
        return make_listing(listing_context("测试文书", "测试支部", "2025年度", [block("", ["内容"])], "今天"), out)

    def docs(info):
        return [ArchiveDocument(f"文书{i}", f"文书{i}", write or writer) for i in range(documents)]

    monkeypatch.setattr(archive, "sections", lambda: [Section(1, "测试栏目", docs)])


@pytest.fixture
def branch(ledger):
    from ledger_app.services.branch import BranchProfile, BranchSetup, set_up_branch

    set_up_branch(BranchSetup(profile=BranchProfile(name="测试支部", branch_type="enterprise")))
    return ledger


def test_a_cancelled_archive_leaves_no_folder_and_no_temporary_folder(branch, tmp_path, monkeypatch):
    small_book(monkeypatch)
    asked = []

    def cancelled():
        asked.append(1)
        return len(asked) > 5  # after five files

    parent = tmp_path / "out"
    parent.mkdir()
    with pytest.raises(ArchiveCancelled, match="已取消"):
        archive.write_archive(2025, parent / "台账", cancelled=cancelled)
    assert list(parent.iterdir()) == []


def test_a_failing_document_is_named_and_nothing_is_left(branch, tmp_path, monkeypatch):
    def broken(out):
        raise LedgerError("模板坏了")

    small_book(monkeypatch, write=broken)
    with pytest.raises(LedgerError, match="测试栏目/文书0.*模板坏了"):
        archive.write_archive(2025, tmp_path / "台账")
    assert list(tmp_path.glob("*台账*")) == []


def test_an_existing_folder_is_never_overwritten(branch, tmp_path, monkeypatch):
    small_book(monkeypatch)
    target = tmp_path / "台账"
    target.mkdir()
    (target / "旧文件.txt").write_text("old")
    with pytest.raises(LedgerError, match="已经存在.*不会覆盖"):
        archive.write_archive(2025, target)
    assert [p.name for p in target.iterdir()] == ["旧文件.txt"]
    empty = tmp_path / "空文件夹"
    empty.mkdir()
    assert archive.write_archive(2025, empty).folder == empty  # an empty folder made for it is used
    assert archive.free_target(tmp_path, "台账") == tmp_path / "台账（2）"


def test_a_crashed_run_leaves_only_a_hidden_folder_that_the_next_run_removes(branch, tmp_path, monkeypatch):
    small_book(monkeypatch, documents=1)
    stale = tmp_path / ".台账.partial"
    (stale / "01 测试栏目").mkdir(parents=True)
    (stale / "01 测试栏目" / "半个文件.pdf").write_bytes(b"%PDF")
    result = archive.write_archive(2025, tmp_path / "台账")
    assert not stale.exists()
    assert sorted(p.name for p in result.folder.iterdir()) == [
        "00 索引.docx", "00 索引.pdf", "01 测试栏目", archive.book_name(2025)]


@pytest.mark.parametrize("year", [1900, TODAY.year + 1, "2025", True])
def test_a_bad_year_is_refused_with_the_range(year):
    with pytest.raises(LedgerError, match=f"1921 到 {TODAY.year}"):
        archive.check_year(year)


def test_names_are_safe_on_windows():
    assert archive.safe_name('会议: "A/B" <1>?') == "会议_ _A_B_ _1__"
    assert archive.default_folder_name(2025, "第一支部.") == "第一支部.2025年度工作台账"


def test_sections_are_numbered_once_each():
    numbers = [s.number for s in archive.sections()]
    assert numbers == list(range(1, len(numbers) + 1))


def test_command_line_archive(branch, ledger_path, tmp_path, monkeypatch, capsys):
    from ledger_app.cli import main

    small_book(monkeypatch, documents=2)
    branch.close()
    out = tmp_path / "归档"
    assert main(["archive", "2025", "--db", str(ledger_path), "--out", str(out), "--quiet"]) == 0
    assert "全年台账已归档到" in capsys.readouterr().out
    assert (out / archive.book_name(2025)).exists()
    assert main(["archive", "2025", "--db", str(ledger_path), "--out", str(out)]) == 2
    assert "已经存在且不是空的" in capsys.readouterr().err
    assert main(["archive", "2999", "--db", str(ledger_path), "--out", str(tmp_path / "x")]) == 2
    assert "年份“2999”无效" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["archive", "20x5", "--db", str(ledger_path), "--out", str(tmp_path / "x")])
    assert exit_.value.code == 2
    assert not (tmp_path / "x").exists()
