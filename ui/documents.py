"""Making a document from the GUI: ask where to save it, write it off the GUI thread, offer to open it.

Every page that prints something (the roster, a letter, minutes …) goes through ``save_document``,
so the file dialog, the progress, the error messages and the last folder used behave the same
everywhere. The document itself is made by a core function that takes the output path.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ledger_app.errors import LedgerError

from .common import run_in_background, settings, show_error

FORMATS = {"pdf": "PDF 文件 (*.pdf)", "docx": "Word 文档 (*.docx)", "xlsx": "Excel 工作簿 (*.xlsx)"}
LAST_FOLDER_KEY = "documents/last_folder"


def ask_save_path(parent: QWidget | None, title: str, file_name: str, formats: tuple[str, ...]) -> Path | None:
    """The file dialog, starting in the last folder used, with the suffix added when left out."""
    folder = settings().value(LAST_FOLDER_KEY) or str(Path.home())
    filters = ";;".join(FORMATS[kind] for kind in formats)
    chosen, used_filter = QFileDialog.getSaveFileName(parent, title, str(Path(folder) / f"{file_name}.{formats[0]}"),
                                                      filters)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower().lstrip(".") not in formats:
        kind = next((k for k in formats if FORMATS[k] == used_filter), formats[0])
        path = path.with_name(f"{path.name}.{kind}")
    settings().setValue(LAST_FOLDER_KEY, str(path.parent))
    return path


def save_document(parent: QWidget | None, title: str, file_name: str, make: Callable[[Path], Path],
                  formats: tuple[str, ...] = ("pdf", "docx"), path: Path | None = None) -> Path | None:
    """Ask for a path (unless given), run ``make(path)`` behind a progress dialog, offer to open it."""
    path = path or ask_save_path(parent, title, file_name, formats)
    if path is None:
        return None
    try:
        written = run_in_background(parent, f"正在生成“{path.name}”…", lambda report: make(path))
    except LedgerError as exc:
        show_error(parent, exc, "文件没有生成")
        return None
    answer = QMessageBox.information(parent, "文件已生成", f"已保存到：\n{written}",
                                     QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Ok,
                                     QMessageBox.StandardButton.Ok)
    if answer == QMessageBox.StandardButton.Open:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(written)))
    return written


def open_folder(path: Path) -> None:
    """打开所在文件夹: the folder holding a file the program wrote, in the system's file manager."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))
