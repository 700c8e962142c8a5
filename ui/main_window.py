"""The main window: navigation on the left, one page per area, the 文件 and 帮助 menus.

The window holds the one open ledger. Switching ledgers (新建 / 打开 / 恢复) closes the current one,
releasing its lock, and opens the other in the same window. Window size and position are kept in
``QSettings``; everything that matters lives in the ledger file.
"""

import importlib
from datetime import date
from pathlib import Path

from PySide6 import QtWidgets
from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ledger_app import __version__, backup, overview, paths
from ledger_app.db import LEDGER_SUFFIX, Ledger, data_dir
from ledger_app.errors import LedgerError

from . import session
from .common import confirm, run_in_background, settings, show_error, show_info
from .workbench import format_time

# (key, navigation label, the page's class as "module:Class" — built the first time it is shown, so
# start-up builds only the workbench — or, for an area a later version builds, a sentence saying so)
PAGES = (
    ("workbench", "工作台", "ui.workbench:WorkbenchPage"),
    ("members", "党员", "ui.members_page:MembersPage"),
    ("development", "发展党员", "ui.development_page:DevelopmentPage"),
    ("meetings", "会议", "ui.meetings_page:MeetingsPage"),
    ("dues", "党费", "ui.dues_page:DuesPage"),
    ("transfers", "组织关系", "ui.transfers_page:TransfersPage"),
    ("annual", "年度总结与归档", "ui.annual_page:AnnualPage"),
    ("audit", "操作记录", "ui.audit_page:AuditPage"),
    ("settings", "设置", "ui.settings_page:SettingsPage"),
)
PAGE_KEYS = tuple(key for key, _, _ in PAGES)
NAV_ITEM_HEIGHT = 44
GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
FILE_FILTER = f"党务台账 (*{LEDGER_SUFFIX});;所有文件 (*)"


class PlaceholderPage(QWidget):
    """An area that a later version builds: its title and a plain sentence saying what it will do."""

    def __init__(self, title: str, sentence: str, parent: QWidget | None = None):
        super().__init__(parent)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        card = QFrame()
        card.setObjectName("card")
        card.setMaximumWidth(720)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(20, 16, 20, 16)
        self.sentence = QLabel(sentence)
        self.sentence.setWordWrap(True)
        later = QLabel("本版本中这一页还没有内容。")
        later.setObjectName("muted")
        inner.addWidget(self.sentence)
        inner.addWidget(later)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(heading)
        layout.addWidget(card)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    """The window around one open ledger."""

    def __init__(self, ledger: Ledger, server=None, defer_reminders: bool = False):
        super().__init__()
        self.ledger: Ledger | None = None
        self.server = None
        self._defer_reminders = defer_reminders  # at start-up: the window first, the workbench's reminders next
        self.skip_backup = False  # the start-up probe closes without the daily backup
        self.startup_reminders = None  # ui.workbench.ReminderReader: joined before the ledger closes

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget()
        self._slots: dict[str, QWidget] = {}  # one container per page in the stack
        self.pages: dict[str, QWidget] = {}  # the pages built so far
        self._read_at: dict[str, tuple] = {}  # page → (ledger, data generation, day) when it last read
        for number, (key, label, _) in enumerate(PAGES, start=1):
            slot = QWidget()
            QVBoxLayout(slot).setContentsMargins(0, 0, 0, 0)
            self._slots[key] = slot
            self.stack.addWidget(slot)
            item = QListWidgetItem(label)
            item.setToolTip(f"{label}（Ctrl+{number}）")
            item.setSizeHint(QSize(0, NAV_ITEM_HEIGHT))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._page_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.path_label = QLabel()
        self.backup_label = QLabel()
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.backup_label)

        if server is not None:
            self.attach_server(server)
        self._restore_geometry()
        self.nav.setCurrentRow(0)  # before a ledger is adopted, so the workbench is read only once
        self._adopt(ledger)
        self.nav.setFocus()

    # --- building -----------------------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: str | QKeySequence | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            # The same as setShortcut, whose overloads make PySide build the whole Qt namespace
            # (see ui.common) before the window is painted.
            action.setShortcuts([QKeySequence(shortcut)])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("文件(&F)")
        self.new_action = self._action("新建台账(&N)…", self.new_ledger, "Ctrl+N", "新建一个台账文件并设置支部")
        self.open_action = self._action("打开台账(&O)…", self.open_ledger_file, "Ctrl+O", "打开另一个台账文件")
        self.folder_action = self._action("打开数据文件夹(&D)", self.open_data_folder, tip="台账、备份和日志所在的文件夹")
        self.backup_action = self._action("立即备份(&B)", self.backup_now, "Ctrl+B", "把当前台账备份到数据文件夹")
        self.backup_to_action = self._action("备份到(&U)…", self.backup_to, tip="把当前台账备份到选定的文件夹，例如 U 盘")
        self.restore_action = self._action("从备份恢复(&R)…", self.restore_from_backup, tip="用一个备份替换当前台账")
        self.archive_action = self._action("归档全年台账(&A)…", self.archive_year,
                                           tip="把一年的全部记录按栏目写成 Word 和 PDF，附合订本和索引")
        self.quit_action = self._action("退出(&X)", self.close, "Ctrl+Q")
        menu.addActions([self.new_action, self.open_action, self.folder_action])
        menu.addSeparator()
        menu.addActions([self.backup_action, self.backup_to_action, self.restore_action])
        menu.addSeparator()
        menu.addAction(self.archive_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)

        go = self.menuBar().addMenu("转到(&G)")
        self.page_actions = []
        for number, (key, label, _) in enumerate(PAGES, start=1):
            action = self._action(label, lambda _=False, k=key: self.show_page(k), f"Ctrl+{number}")
            go.addAction(action)
            self.page_actions.append(action)

        help_menu = self.menuBar().addMenu("帮助(&H)")
        self.about_action = self._action("关于党务台账(&A)", self.about)
        help_menu.addAction(self.about_action)

    def attach_server(self, server) -> None:
        """Take over the single-instance server: a second launch on this ledger raises this window."""
        self.server = server
        server.raise_requested.connect(self.bring_to_front)
        if self.ledger is not None:
            self._listen()

    def _listen(self) -> None:
        from .single_instance import server_name

        self.server.listen(server_name(self.ledger.path))

    # --- pages --------------------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page for ``key``, built (and wired to the window) the first time it is asked for."""
        if key not in self.pages:
            _, label, target = PAGES[PAGE_KEYS.index(key)]
            if ":" in target:
                module_name, class_name = target.split(":")
                page = getattr(importlib.import_module(module_name), class_name)()
            else:
                page = PlaceholderPage(label, target)
            for signal, slot in (("go_to", self.show_page), ("go_to_person", self.show_person),
                                 ("backup_requested", self.backup_now),
                                 ("saved", self._profile_saved)):
                if hasattr(page, signal):
                    getattr(page, signal).connect(slot)
            self._slots[key].layout().addWidget(page)
            self.pages[key] = page
        return self.pages[key]

    @property
    def workbench(self):
        return self.page("workbench")

    @property
    def audit_page(self):
        return self.page("audit")

    @property
    def settings_page(self):
        return self.page("settings")

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(PAGE_KEYS.index(key))

    def show_person(self, key: str, person_id: int) -> None:
        """Show a page and select a person on it (the workbench's reminders go straight to them)."""
        self.show_page(key)
        self.page(key).select_person(person_id)

    def current_page_key(self) -> str:
        return PAGE_KEYS[self.stack.currentIndex()]

    def current_page(self) -> QWidget | None:
        return self.pages.get(self.current_page_key())

    def _page_changed(self, row: int) -> None:
        if row < 0:
            return
        self.page(PAGE_KEYS[row])
        self.stack.setCurrentIndex(row)
        self._refresh_page(PAGE_KEYS[row])

    def _refresh_page(self, key: str) -> None:
        """Read the page's data again when it is shown, unless nothing changed since it last was.

        The one page-data cache: each page keeps what it read, and the window asks it to read again
        only when the ledger's data generation (``Ledger.data_generation``: any write, by the
        services, an import, another thread) or the day has changed since, so a page visited again
        shows at once. A page that writes reads itself again after its own change.
        """
        if self.ledger is None or key not in self.pages:
            return
        seen = (self.ledger, self.ledger.data_generation(), date.today())
        if self._read_at.get(key) == seen:
            return
        self._read_at[key] = seen
        if key == "workbench":
            self.workbench.refresh(self._last_backup(), defer_reminders=self._defer_reminders)
            self._defer_reminders = False
        elif hasattr(self.pages[key], "refresh"):
            self.pages[key].refresh()

    def _profile_saved(self) -> None:
        self._update_title()
        self.statusBar().showMessage("支部基本信息已保存。", 5000)

    # --- the open ledger ----------------------------------------------------------------------

    def _adopt(self, ledger: Ledger) -> None:
        """Make ``ledger`` the window's ledger: title, status bar, pages, single-instance name."""
        self.ledger = ledger
        if self.server is not None:
            self._listen()
        self._update_title()
        self.path_label.setText(f"台账：{ledger.path}")
        self._update_backup_status()
        self._refresh_page(self.current_page_key())

    def _update_title(self) -> None:
        if self.ledger is None:
            self.setWindowTitle("党务台账")
            return
        name = overview.branch_name(self.ledger.conn) or "（尚未设置支部）"
        self.setWindowTitle(f"党务台账 — {name} — {self.ledger.path.name}")

    def _last_backup(self):
        return backup.last_backup_time(self.ledger.path) if self.ledger else None

    def _update_backup_status(self) -> None:
        moment = self._last_backup()
        self.backup_label.setText(f"最近备份：{format_time(moment)}")
        if "workbench" in self.pages:
            self.workbench.set_last_backup(moment)

    def switch_to(self, path: Path) -> bool:
        """Open another ledger in this window; on failure or cancel the current one stays open."""
        path = Path(path).absolute()
        if self.ledger is not None and path == self.ledger.path:
            show_info(self, "台账已打开", f"台账“{path.name}”已经在这个窗口中打开。")
            return False
        old = self.ledger
        opened = session.open_ready(path, self)
        if opened.ledger is not None:
            if old is not None:
                old.close()
            self._adopt(opened.ledger)
            self.show_page("workbench")
            return True
        if old is not None:  # the wizard or a failed open may have left the models on another file
            old.close()
            self.ledger = None
            self._reopen(old.path)
        return False

    def _reopen(self, path: Path) -> None:
        """Open ``path`` again after it was closed (a restore, a cancelled switch); quit if that fails."""
        opened = session.open_ready(path, self)
        if opened.ledger is None:
            self.ledger = None
            self.close()
            return
        self._adopt(opened.ledger)

    def new_ledger(self) -> None:
        """文件 → 新建台账: a new file, then the first-run wizard."""
        start = str(data_dir() / f"新台账{LEDGER_SUFFIX}")
        name, _ = QFileDialog.getSaveFileName(self, "新建台账", start, FILE_FILTER,
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != LEDGER_SUFFIX:
            path = path.with_name(path.name + LEDGER_SUFFIX)
        if path.exists() and path.stat().st_size > 0:
            show_error(self, f"文件“{path}”已经存在。要打开已有的台账，请用“文件 → 打开台账”；"
                             "要新建，请换一个文件名。", "文件已存在")
            return
        self.switch_to(path)

    def open_ledger_file(self) -> None:
        start = str(self.ledger.path.parent if self.ledger else data_dir())
        name, _ = QFileDialog.getOpenFileName(self, "打开台账", start, FILE_FILTER)
        if name:
            self.switch_to(Path(name))

    def open_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(data_dir())))

    # --- backups ------------------------------------------------------------------------------

    def backup_now(self, folder: Path | None = None) -> Path | None:
        """立即备份 (or 备份到 a folder): a verified backup, then where it went."""
        if self.ledger is None:
            return None
        path = self.ledger.path
        try:
            target = run_in_background(self, "正在备份台账…", lambda report: backup.make_backup(path, folder))
        except LedgerError as exc:
            show_error(self, exc, "备份失败")
            return None
        self._update_backup_status()
        show_info(self, "备份完成", f"台账已备份并校验通过：\n{target}\n\n每个备份文件夹保留这个台账最近的 "
                                   f"{backup.DEFAULT_KEEP} 份备份。")
        return target

    def backup_to(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择备份到的文件夹（例如 U 盘）")
        if folder:
            self.backup_now(Path(folder))

    def restore_from_backup(self) -> None:
        """从备份恢复: check the file, show what it holds, back up the current ledger, replace it."""
        if self.ledger is None:
            return
        path = self.ledger.path
        name, _ = QFileDialog.getOpenFileName(self, "选择要恢复的备份文件", str(backup.default_backup_dir(path)),
                                              f"台账备份 (*{LEDGER_SUFFIX});;所有文件 (*)")
        if not name:
            return
        try:
            info = run_in_background(self, "正在校验备份文件…", lambda report: backup.inspect_backup(name))
        except LedgerError as exc:
            show_error(self, exc, "不能用这个备份恢复")
            return
        if not confirm(self, "从备份恢复", restore_question(info, path), "恢复(&R)"):
            return
        self.ledger.close()
        self.ledger = None
        try:
            previous = run_in_background(self, "正在恢复台账…", lambda report: backup.restore_backup(name, path))
        except LedgerError as exc:
            show_error(self, exc, "恢复没有完成")
            previous = None
        else:
            where = f"\n\n被替换的台账已备份到：\n{previous}" if previous else ""
            show_info(self, "恢复完成", f"已用备份“{Path(name).name}”恢复台账。{where}")
        self._reopen(path)

    # --- the year archive ---------------------------------------------------------------------

    def archive_year(self) -> None:
        """文件 → 归档全年台账…: the year's record book as a folder of documents (ui.archive_dialog)."""
        if self.ledger is None:
            return
        from .archive_dialog import archive_from_menu

        archive_from_menu(self)

    # --- window -------------------------------------------------------------------------------

    def about(self) -> None:
        import html

        ledger = html.escape(str(self.ledger.path)) if self.ledger else "（未打开）"
        licence = html.escape(str(paths.bundled_font_licence()))
        QtWidgets.QMessageBox.about(self, "关于党务台账", (
            f"<h3>党务台账 {__version__}</h3>"
            "<p>党支部党务工作离线台账。数据只保存在这台电脑上，程序从不联网。</p>"
            f"<p>当前台账：{ledger}<br>数据文件夹（备份、日志）：{html.escape(str(data_dir()))}</p>"
            "<p>界面字体：文泉驿微米黑（WenQuanYi Micro Hei），按 Apache 2.0 或 GPLv3（附字体例外）许可随程序提供，"
            f"许可全文见 {licence}。</p>"
        ))

    def bring_to_front(self) -> None:
        """Another launch asked for this window: show it (or the dialog in front of it)."""
        if self.isMinimized():
            self.showNormal()
        target = QApplication.activeModalWidget() or self
        target.raise_()
        target.activateWindow()

    def _restore_geometry(self) -> None:
        store = settings()
        geometry = store.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1120, 760)
        state = store.value(STATE_KEY)
        if state is not None:
            self.restoreState(state)

    def save_geometry(self) -> None:
        store = settings()
        store.setValue(GEOMETRY_KEY, self.saveGeometry())
        store.setValue(STATE_KEY, self.saveState())
        store.sync()

    def closeEvent(self, event) -> None:
        self.save_geometry()
        self.shut_down(backup_due=not self.skip_backup)
        event.accept()

    def shut_down(self, backup_due: bool = True) -> None:
        """Close the ledger, after the daily automatic backup (at most one a day)."""
        if self.ledger is None:
            return
        path = self.ledger.path
        if self.startup_reminders is not None:
            self.startup_reminders.join()  # its worker reads the ledger through a connection of its own
            self.startup_reminders = None
        try:
            if backup_due:
                run_in_background(self, "正在自动备份台账…", lambda report: backup.backup_if_due(path))
        except LedgerError as exc:
            show_error(self, f"关闭时的自动备份没有完成：{exc}\n台账本身不受影响，下次关闭时会再试。", "自动备份失败")
        finally:
            self.ledger.close()
            self.ledger = None


def restore_question(info: backup.BackupInfo, ledger_path: Path) -> str:
    """What the backup holds and what the restore will do, for the confirmation dialog."""
    last = info.last_change.replace("T", " ") if info.last_change else "无记录"
    return (
        f"备份文件：{info.path}\n\n"
        "这个备份中的台账：\n"
        f"　支部：{info.branch_name or '（尚未设置支部）'}\n"
        f"　在册党员：{info.members} 人（登记人员共 {info.people} 人）\n"
        f"　会议：{info.meetings} 次\n"
        f"　党费记录：{info.dues_payments} 条\n"
        f"　最后修改：{last}\n\n"
        f"恢复后，当前台账“{ledger_path.name}”的内容将被这个备份替换。"
        f"替换前会先把当前台账自动备份到：\n{backup.default_backup_dir(ledger_path)}"
    )
