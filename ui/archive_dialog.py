"""归档全年台账: choose where, then write the year's record book off the GUI thread, cancellable.

``run_archive(parent, year)`` is what the menu action and the annual page call. The clerk picks a
folder; the archive goes into a new folder inside it named after the branch and the year (with
（2）… when that name is taken, so nothing is overwritten). ``ledger_app.archive.write_archive``
does the work and leaves nothing behind when cancelled.
"""

from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from ledger_app.errors import LedgerError
from ledger_app.rules.dates import year_being_closed

from .common import run_cancellable, settings, show_error, show_info

FOLDER_KEY = "archive/folder"


def default_year(today: date | None = None) -> int:
    """The year a clerk most likely archives (``rules.dates.year_being_closed``)."""
    return year_being_closed(today or date.today())


def ask_year(parent: QWidget | None, today: date | None = None) -> int | None:
    today = today or date.today()
    year, ok = QInputDialog.getInt(parent, "归档全年台账", "归档哪一年的台账：", default_year(today), 1921, today.year)
    return year if ok else None


def choose_parent_folder(parent: QWidget | None, year: int) -> Path | None:
    """The folder the archive folder goes into (remembered for next time)."""
    store = settings()
    start = store.value(FOLDER_KEY) or str(Path.home())
    folder = QFileDialog.getExistingDirectory(parent, f"选择存放{year}年度台账的文件夹（将在其中新建一个文件夹）", start)
    if not folder:
        return None
    store.setValue(FOLDER_KEY, folder)
    return Path(folder)


def run_archive(parent: QWidget | None, year: int, folder: Path | None = None) -> Path | None:
    """Archive ``year`` into a new folder inside ``folder`` (asked for when None); the folder written, or
    None when the clerk gave up, cancelled, or something stopped it (said in a message)."""
    from ledger_app import archive
    from ledger_app.services.branch import get_profile

    try:
        archive.check_year(year)
        profile = get_profile()
        if profile is None:
            raise LedgerError("台账中还没有支部信息：请先在“设置”中填写支部名称，再归档。")
    except LedgerError as exc:
        show_error(parent, exc, "不能归档")
        return None
    folder = folder or choose_parent_folder(parent, year)
    if folder is None:
        return None
    target = archive.free_target(folder, archive.default_folder_name(year, profile.name))
    try:
        result = run_cancellable(parent, f"正在归档{year}年度台账…",
                                 lambda report, cancelled: archive.write_archive(year, target, report, cancelled))
    except archive.ArchiveCancelled as exc:
        show_info(parent, "已取消归档", str(exc))
        return None
    except LedgerError as exc:
        show_error(parent, exc, "归档没有完成")
        return None
    answer = QMessageBox.question(parent, "归档完成", f"{result.summary()}\n\n现在打开这个文件夹吗？")
    if answer == QMessageBox.StandardButton.Yes:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(result.folder)))
    return result.folder


def archive_from_menu(parent: QWidget | None) -> Path | None:
    """文件 → 归档全年台账…: ask the year, then ``run_archive``."""
    year = ask_year(parent)
    return run_archive(parent, year) if year is not None else None
