"""Draw the screenshots of docs/user-guide.md (offscreen, on a demo ledger of fictional people).

    python tests/gui/screenshots.py [OUT_DIR]      (default: docs/img)

Not a test: it writes PNG files to look at. Everything it opens lives in a temporary folder; the
real data folder and settings are never touched.
"""

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere in the checkout


def main(out: Path) -> None:
    home = Path(tempfile.mkdtemp(prefix="party-ledger-shots-"))
    os.environ["PARTY_LEDGER_HOME"] = str(home)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ledger_app.db import open_ledger
    from ledger_app.demo import generate_demo
    from ui.app import create_application
    from ui.main_window import MainWindow
    from ui.wizard import SetupWizard

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "qsettings"))
    app = create_application()
    out.mkdir(parents=True, exist_ok=True)

    def save(widget, name: str) -> None:
        app.processEvents()
        widget.grab().save(str(out / name))
        print(out / name)

    ledger = open_ledger(home / "新台账.sqlite3")
    wizard = SetupWizard()
    wizard.show()
    save(wizard, "wizard-welcome.png")
    wizard.next()
    form = wizard.profile_page.form
    form.name.setText("示例公司第一党支部")
    form.branch_type.setCurrentIndex(form.branch_type.findData("enterprise"))
    form.upper_committee.setText("示例公司党委")
    form.founded_on.set_value(date(2003, 7, 1))
    save(wizard, "wizard-profile.png")
    wizard.next()
    rows = wizard.committee_page.rows
    rows.add_row(["林一", "书记"])
    rows.add_row(["陈二", "组织委员"])
    rows.add_row(["黄三", "宣传委员"])
    save(wizard, "wizard-committee.png")
    wizard.close()
    ledger.close()

    demo = home / "演示台账.sqlite3"
    generate_demo(demo, members=60, years=3, seed=1)
    window = MainWindow(open_ledger(demo))
    window.skip_backup = True
    window.resize(1120, 760)
    window.show()
    QApplication.processEvents()  # the reminder cards fill in after the first paint
    window.workbench.refresh_reminders()
    save(window, "workbench.png")
    window.show_page("development")
    page = window.current_page()
    page.table.selectRow(min(1, page.model.rowCount() - 1))
    save(window, "development.png")
    from ui.development_dialogs import StepDialog

    dialog = StepDialog(page.selected_id(), date.today(), window)
    dialog.show()
    save(dialog, "development-step.png")
    dialog.close()
    window.show_page("settings")
    save(window, "settings.png")
    window.settings_page.form.phone.setText("020-83520000")
    window.settings_page.save()
    window.show_page("audit")
    window.audit_page.table.selectRow(0)
    save(window, "audit.png")
    window.show_page("annual")
    annual = window.page("annual")
    annual.statistics.tables.setCurrentRow(4)  # the age bands
    annual.statistics.show_counted(annual.statistics.model.index(1, 1))  # whom "31至35岁" counted
    save(window, "annual-statistics.png")
    annual.tabs.setCurrentIndex(1)
    save(window, "annual-summary.png")
    window.close()
    QApplication.processEvents()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "img")
