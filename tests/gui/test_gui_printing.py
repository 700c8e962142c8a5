"""打印 without a printer: the pages the preview paints go to a QPrinter writing a PDF file, and
that file must have exactly the pages of the PDF the program made."""

from pathlib import Path

import pytest
from pypdf import PdfReader

from ledger_app.db import open_ledger
from ledger_app.documents.minutes import make_minutes, make_signin
from ledger_app.errors import LedgerError
from ledger_app.services import meetings
from ui import printing

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("This plugin does not support")]


@pytest.fixture
def assembly(tmp_path, demo_ledgers):
    """The id of a 支部党员大会 in a demo ledger (its sign-in sheet runs over several pages)."""
    path = tmp_path / "演示台账.sqlite3"
    demo_ledgers.copy(path, members=80, years=1, seed=5)
    ledger = open_ledger(path)
    rows = meetings.list_meetings(meetings.get_meeting(1).held_on.year, "general_assembly")
    yield rows[0].id
    ledger.close()


def pdf_printer(out: Path):
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    return printer


@pytest.mark.parametrize("maker", [make_signin, make_minutes])
def test_what_prints_has_the_pages_of_the_pdf(qapp, assembly, tmp_path, maker):
    source = maker(assembly, tmp_path / "source.pdf")
    document = printing.load_pdf(source)
    pages = len(PdfReader(str(source)).pages)
    assert document.pageCount() == pages
    printer = pdf_printer(tmp_path / "printed.pdf")
    printing.set_paper(printer, document)
    printing.paint_pdf(document, printer)
    printed = PdfReader(str(tmp_path / "printed.pdf"))
    assert len(printed.pages) == pages
    width, height = (float(v) for v in printed.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4, as the source


def test_print_pdf_makes_the_pdf_previews_it_and_cleans_up(qtbot, assembly, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    seen = {}

    def exec_(dialog):
        seen["pages"] = dialog.document_.pageCount()
        seen["title"] = dialog.windowTitle()
        return 0

    made = []

    def make(out: Path) -> Path:
        made.append(out)
        return make_minutes(assembly, out)

    monkeypatch.setattr(QPrintPreviewDialog, "exec", exec_)
    assert printing.print_pdf(None, make, "会议记录")
    pages = len(PdfReader(str(make_minutes(assembly, tmp_path / "minutes.pdf"))).pages)
    assert seen == {"pages": pages, "title": "打印预览 - 会议记录"}
    assert not made[0].exists() and not made[0].parent.exists()  # the temporary PDF is gone


def test_a_pdf_that_cannot_be_made_or_read_is_reported(qtbot, messages, tmp_path):
    def fail(out: Path) -> Path:
        raise LedgerError("测试：无法生成")

    assert not printing.print_pdf(None, fail)
    assert messages.texts("warning") == ["测试：无法生成"]
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"not a pdf")
    with pytest.raises(LedgerError, match="无法读取"):
        printing.load_pdf(broken)
