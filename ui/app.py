"""Starting the GUI: a Chinese QApplication with the bundled font, one window per ledger, crash logs.

``run(db_arg)`` is what ``party-ledger gui [--db PATH]`` and plain ``party-ledger`` call. Start-up
imports only what the first screen needs (no docx, reportlab or openpyxl): the start is mostly
imports, and the workbench runs only cheap counts.
"""

import os
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from ledger_app import paths

from . import crash
from .common import APPLICATION, ORGANISATION, after_first_paint

# Windows' own Chinese UI font reads best where it exists; the bundled font covers every other
# machine, including one with no Chinese font at all.
PREFERRED_FAMILIES = ("Microsoft YaHei UI", "Microsoft YaHei")
FONT_POINT_SIZE = 11
PROBE_ENV = "PARTY_LEDGER_STARTUP_PROBE"  # "1": print "shown" at the first paint; "complete": once reminders are in
PROBE_COMPLETE = "complete"
EXIT_LOCKED = 3


def register_bundled_font() -> str | None:
    """Register the bundled CJK font with Qt; return its family name (None if it cannot be read)."""
    font_id = QFontDatabase.addApplicationFont(str(paths.bundled_font()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return families[0] if families else None


def load_qt_translation(app: QApplication) -> bool:
    """Qt's own strings (确定/取消, 下一步, the file dialogs) in Chinese: ``qtbase_zh_CN.qm``."""
    translator = QTranslator(app)  # parented to the app, so it lives as long as the app
    for folder in (QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath), str(paths.translations_dir())):
        if translator.load("qtbase_zh_CN", folder):
            app.installTranslator(translator)
            return True
    return False


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, set up once: names, Chinese locale and translation, font, style sheet."""
    app = QApplication.instance() or QApplication(list(argv) if argv else sys.argv[:1])
    if app.property("partyLedgerReady"):
        return app
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    load_qt_translation(app)
    family = register_bundled_font()
    font = QFont(app.font())
    font.setFamilies([*PREFERRED_FAMILIES, *([family] if family else [])])
    font.setPointSize(FONT_POINT_SIZE)
    app.setFont(font)
    style = paths.style_sheet()
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    app.setProperty("partyLedgerReady", True)
    return app


def run(db_arg: str | None) -> int:
    """Open the GUI on the ledger ``--db`` names (or the default one); return the exit code.

    0: closed normally, cancelled the first-run wizard, or another window already had the ledger
    (it was raised); 3: another program holds the ledger; 2: the ledger could not be opened.
    """
    from ledger_app.db import resolve_ledger_path
    from ledger_app.errors import LedgerError

    app = create_application()
    handler = crash.install()
    try:
        return _run(app, resolve_ledger_path(db_arg), probe=os.environ.get(PROBE_ENV, ""))
    except Exception as exc:  # a bug (or an unexpected LedgerError) at start: log and tell, as in a slot
        handler.excepthook(type(exc), exc, exc.__traceback__)
        return exc.exit_code if isinstance(exc, LedgerError) else 1
    finally:
        handler.uninstall()


def _run(app: QApplication, path, probe: str) -> int:
    from . import security, session

    security.install_password_provider()  # a ledger with a password asks for it before the window
    if not probe:
        crash.show_unseen()
    # Listening for a second launch (QtNetwork) stays off the path to the first window: a second
    # launch finds the ledger locked and asks this instance to come to the front
    # (session.open_or_explain). The early timer fires only if a modal loop runs before the window
    # (the first-run wizard, a message); otherwise the server starts after the window is painted.
    server_holder: list = []
    early = QTimer()
    early.setSingleShot(True)
    early.timeout.connect(lambda: server_holder.append(_start_server(path)))
    early.start(0)
    try:
        opened = session.open_ready(path)
        if opened.ledger is None:
            return opened.exit_code
        from .main_window import MainWindow
        from .workbench import ReminderReader

        window = MainWindow(opened.ledger, defer_reminders=True)
        idle_lock = None if probe else security.IdleLock(window)  # the start-up probe quits at once
        window.idle_lock = idle_lock  # 设置 changes its time
        if probe:
            window.skip_backup = True
            if probe == PROBE_COMPLETE:  # the benchmark's second figure: reminders filled in too
                window.workbench.reminders_ready.connect(lambda: _probe_done(app))
        if early.isActive():
            early.stop()
        elif server_holder:
            window.attach_server(server_holder[0])

        def listen() -> None:
            server_holder.append(_start_server(path))
            window.attach_server(server_holder[-1])

        def after_paint() -> None:
            # Each piece from the event loop in turn, so that input and repaints get in between.
            if probe and probe != PROBE_COMPLETE:
                _probe_done(app)
            window.startup_reminders = ReminderReader()  # the window stays responsive meanwhile
            window.startup_reminders.deliver(window.workbench)
            if window.server is None:
                QTimer.singleShot(0, listen)

        after_first_paint(window, after_paint)
        window.show()
        code = app.exec()
        if idle_lock is not None:
            idle_lock.stop()
        window.shut_down(backup_due=not probe)  # when the event loop ended without closing the window
        window.deleteLater()
        return code
    finally:
        for server in server_holder:
            server.close()


def _start_server(path):
    from .single_instance import InstanceServer, server_name

    server = InstanceServer()
    server.listen(server_name(path))
    server.raise_requested.connect(_raise_dialog)  # the wizard or a message, before the window exists
    return server


def _raise_dialog() -> None:
    dialog = QApplication.activeModalWidget()
    if dialog is not None:
        dialog.raise_()
        dialog.activateWindow()


def _probe_done(app: QApplication) -> None:
    """The start-up benchmark's hook: the window is shown and painted."""
    print("shown", flush=True)
    app.exit(0)
