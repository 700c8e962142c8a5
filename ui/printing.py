"""打印: a print preview of a PDF the program makes, then the system's printer dialog.

What prints is exactly the PDF that 生成 PDF writes: the same maker writes it to a temporary file,
QtPdf renders each page to an image and the image is painted on the printer's page. Nothing is
laid out a second time for the printer, so the paper and the saved PDF cannot differ.

QtPdf and QtPrintSupport are imported here, inside the functions, so that start-up does not load
them (only printing does). The preview's own 打印 button opens the system printer dialog; its
labels come from Qt's Chinese translation, loaded by ``ui.app``.
"""

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPaintEngine, QPainter
from PySide6.QtWidgets import QWidget

from ledger_app.errors import LedgerError

from .common import run_in_background, show_error

# Pages are rendered at the printer's resolution, but at most PRINT_DPI: 600 dpi is what an office
# laser prints, and an A4 page at 1200 dpi would be a 560 MB image. The preview keeps an image of
# every page it shows, so it renders at PREVIEW_DPI (sharp on screen up to 150 % zoom, 9 MB a page).
PRINT_DPI = 600
PREVIEW_DPI = 150


def load_pdf(path: Path, parent=None):
    """The PDF at ``path`` as a ``QPdfDocument``; a ``LedgerError`` when QtPdf cannot read it."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument(parent)
    error = document.load(str(path))
    if error != QPdfDocument.Error.None_ or document.pageCount() == 0:
        raise LedgerError(f"无法读取要打印的 PDF 文件“{Path(path).name}”（{error.name}），请改用“生成 PDF”后用其他程序打印。")
    return document


def set_paper(printer, document) -> None:
    """The printer's paper is the PDF's first page (A4 for every document this program makes), with
    no margin of its own: the PDF already has its margins."""
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QPageLayout, QPageSize

    size = document.pagePointSize(0)
    orientation = QPageLayout.Orientation.Landscape if size.width() > size.height() else \
        QPageLayout.Orientation.Portrait
    portrait = QSizeF(min(size.width(), size.height()), max(size.width(), size.height()))
    page_size = QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    printer.setPageLayout(QPageLayout(page_size, orientation, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)


def paint_pdf(document, printer) -> None:
    """Paint every page of ``document`` on ``printer``, one page of the PDF per sheet, scaled to fit
    the sheet and centred (a PDF page larger than the paper shrinks rather than being cut off).

    Connected to the preview's ``paintRequested``; it runs again for the real printer.
    """
    from PySide6.QtPrintSupport import QPrinter

    painter = QPainter()
    if not painter.begin(printer):
        raise LedgerError("无法开始打印，请检查打印机是否可用。")
    try:
        # The preview paints into pictures (one per page); the printer and a PDF file do not.
        previewing = painter.paintEngine().type() == QPaintEngine.Type.Picture
        dpi = min(printer.resolution(), PREVIEW_DPI if previewing else PRINT_DPI)
        sheet = QRectF(printer.pageRect(QPrinter.Unit.DevicePixel))
        sheet.moveTo(0, 0)
        first_page = printer.fromPage() - 1 if printer.fromPage() > 0 else 0
        last_page = printer.toPage() - 1 if printer.toPage() > 0 else document.pageCount() - 1
        for number in range(first_page, min(last_page, document.pageCount() - 1) + 1):
            if number > first_page:
                printer.newPage()
            points = document.pagePointSize(number)
            image = document.render(number, QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72)))
            scale = min(sheet.width() / points.width(), sheet.height() / points.height())
            width, height = points.width() * scale, points.height() * scale
            target = QRectF(sheet.x() + (sheet.width() - width) / 2, sheet.y() + (sheet.height() - height) / 2,
                            width, height)
            painter.drawImage(target, image)
    finally:
        painter.end()


def preview_dialog(parent: QWidget | None, document, title: str):
    """The print preview of ``document`` (kept alive by the dialog), on A4 with no extra margin."""
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    set_paper(printer, document)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(f"打印预览 - {title}")
    dialog.printer_ = printer  # the dialog does not own the printer; keep both together
    dialog.document_ = document
    dialog.paintRequested.connect(lambda target: paint_pdf(document, target))
    dialog.resize(900, 1000)
    return dialog


def print_pdf(parent: QWidget | None, make_pdf: Callable[[Path], Path], title: str = "打印") -> bool:
    """Make the PDF with ``make_pdf(path)`` into a temporary folder, show its print preview; the
    preview's 打印 button leads to the printer dialog. False when the PDF could not be made."""
    folder = Path(tempfile.mkdtemp(prefix="party-ledger-print-"))
    try:
        try:
            written = run_in_background(parent, "正在准备打印…", lambda report: make_pdf(folder / "print.pdf"))
            document = load_pdf(written)
        except LedgerError as exc:
            show_error(parent, exc, "无法打印")
            return False
        dialog = preview_dialog(parent, document, title)
        dialog.exec()
        document.close()
        return True
    finally:
        shutil.rmtree(folder, ignore_errors=True)
