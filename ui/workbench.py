"""工作台: the first screen, showing the branch at a glance with buttons that go to the work.

At start it runs only cheap queries (``ledger_app.overview``: counts over indexed columns, read
without the ORM, and the backup manifest), so it appears quickly even on a ledger of thousands of
members; the reminder cards, which read much more, are read right after the first paint on a worker
thread (``ReminderReader``: plain data, no Qt there), so the window answers the clerk meanwhile.
"""

import threading
from dataclasses import dataclass
from datetime import date, datetime

from PySide6 import QtCore
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ledger_app import overview, vocab
from ledger_app.db import current_ledger
from ledger_app.rules import organisation

from .common import format_date, pause_gc, resume_gc

OVERDUE_STYLE = "color: #b3261e;"  # the figure of a card that needs action
# 本期应开会议: red = the last period was missed, amber = due this period, green = held this period
DUE_COLOURS = {"red": "#b3261e", "amber": "#8a5a00", "green": "#1e6b34"}
DUE_LINES = 6  # lines shown on the card; the rest are on the 会议 page's 落实情况 tab
DEVELOPMENT_LINES = 6  # people shown on the 发展党员 card; the rest are on the 发展党员 page


def format_time(moment: datetime | None) -> str:
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment:%H:%M}" if moment else "尚未备份"


@dataclass(frozen=True)
class Reminders:
    """What the reminder cards show, read by ``read_reminders``: plain data, no Qt."""

    overdue_receipts: int  # transfer-out receipts more than a month late
    arrears: object  # services.dues.ArrearsSummary
    due_meetings: list  # services.compliance.due_now
    development: object  # services.development.DevelopmentReminders


def read_reminders(today: date) -> Reminders:
    """Read what the reminder cards show. No Qt here: at start-up it runs on a worker thread
    (``ReminderReader``); later visits read on the GUI thread."""
    from ledger_app.services import compliance, development, dues, transfers  # loaded after the first paint

    return Reminders(len(transfers.overdue_receipts(today)), dues.arrears_summary(today), compliance.due_now(today),
                     development.reminders(today))


class ReminderReader:
    """``read_reminders`` on a plain worker thread, started just after the first paint, so the
    window answers the clerk while the reminders are read (a few hundred ms on a large ledger).
    It is not started before the first paint: on Python's global lock the reading only slowed the
    first picture down without finishing any sooner.

    Nothing of Qt runs on that thread: it leaves its result in an attribute and the GUI thread
    polls for it with a timer (``deliver``). The worker reads through a connection of its own
    (peewee's per-thread one), closed when it ends; ``join`` waits for it before the ledger closes.
    Python's cyclic garbage collector is paused while it runs: the worker allocates a lot, and a
    collection it triggered could free a cycle holding Qt objects on the wrong thread (the crash
    the annual page's background load once had).
    """

    POLL_MS = 5

    def __init__(self, today: date | None = None):
        self.ledger = current_ledger()
        self.result: Reminders | None = None
        self.failed = False
        pause_gc()  # until the GUI thread sees the worker done (_finished)
        self._paused = True
        self._thread = threading.Thread(target=self._run, args=(today or date.today(),),
                                        name="workbench-reminders", daemon=True)
        self._thread.start()

    def _run(self, today: date) -> None:
        from ledger_app.db import close_thread_connection

        try:
            self.result = read_reminders(today)
        except Exception:  # read again on the GUI thread, where an error reaches the crash handler
            self.failed = True
        finally:
            close_thread_connection()

    def done(self) -> bool:
        return not self._thread.is_alive()

    def join(self) -> None:
        self._thread.join()
        self._finished()

    def _finished(self) -> None:
        if self._paused:
            self._paused = False
            resume_gc()

    def deliver(self, page: "WorkbenchPage") -> None:
        """Fill ``page``'s reminder cards once the worker is done (from the GUI thread's event loop)."""
        timer = QTimer(page)
        timer.setInterval(self.POLL_MS)

        def poll() -> None:
            if not self.done():
                return
            timer.stop()
            timer.deleteLater()
            self._finished()
            if current_ledger() is not self.ledger:  # another ledger was opened meanwhile
                return
            if self.result is not None:
                page.show_reminders(self.result)
            else:
                page.refresh_reminders()

        timer.timeout.connect(poll)
        timer.start()
        poll()


class Card(QFrame):
    """A white panel with a heading; the workbench is a grid of these."""

    def __init__(self, heading: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(16, 12, 16, 12)
        self.body.setSpacing(6)
        title = QLabel(heading)
        title.setObjectName("cardHeading")
        title.setWordWrap(True)
        self.body.addWidget(title)


class CountCard(Card):
    """A figure with its meaning and a button to the page where the work is done."""

    def __init__(self, heading: str, button_text: str, parent: QWidget | None = None):
        super().__init__(heading, parent)
        self.figure = QLabel("0")
        self.figure.setObjectName("cardFigure")
        self.button = QPushButton(button_text)
        button_column = QVBoxLayout()  # the button at the bottom, level with the figure's baseline
        button_column.addStretch(1)
        button_column.addWidget(self.button)
        row = QHBoxLayout()
        row.addWidget(self.figure)
        row.addStretch(1)
        row.addLayout(button_column)
        self.body.addLayout(row)


class WorkbenchPage(QWidget):
    """The branch, its figures, the committee term, the last backup; ``go_to`` asks for a page."""

    go_to = Signal(str)
    go_to_person = Signal(str, int)  # a page and the person to select on it
    backup_requested = Signal()
    reminders_ready = Signal()  # the reminder cards (meetings due, arrears, receipts) are filled in

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("pageSubtitle")
        self.subtitle.setWordWrap(True)

        self.full = CountCard("正式党员", "党员(&M)")
        self.probationary = CountCard("预备党员", "党员")
        self.pipeline = CountCard("发展对象、积极分子、申请人", "发展党员(&D)")
        self.groups = CountCard("党小组", "党员")
        self.meetings = CountCard("今年已登记的会议", "会议(&E)")
        self.receipts = CountCard("介绍信回执", "组织关系(&T)")
        self.receipts_text = QLabel()
        self.receipts_text.setWordWrap(True)
        self.receipts.body.addWidget(self.receipts_text)
        self.dues = CountCard("党费欠交", "党费(&U)")  # 3 months unpaid or more; red when any is at 6
        self.dues_text = QLabel()
        self.dues_text.setWordWrap(True)
        self.dues_flagged = QLabel()
        self.dues_flagged.setWordWrap(True)
        self.dues.body.addWidget(self.dues_text)
        self.dues.body.addWidget(self.dues_flagged)
        self.dues.body.addStretch(1)
        self.dues.button.clicked.connect(lambda: self.go_to.emit("dues"))
        for card, page in ((self.full, "members"), (self.probationary, "members"), (self.pipeline, "development"),
                           (self.groups, "members"), (self.meetings, "meetings"), (self.receipts, "transfers")):
            card.button.clicked.connect(lambda _=False, p=page: self.go_to.emit(p))

        self.due_meetings = Card("本期应开会议")
        self.due_buttons: list[QPushButton] = []
        self.due_more = QLabel()
        self.due_more.setObjectName("muted")
        self.due_meetings.body.addWidget(self.due_more)

        self.term = Card("支部委员会任期")
        self.term_text = QLabel()
        self.term_text.setWordWrap(True)
        self.term_reminder = QLabel()  # six months before the term ends (rules.organisation)
        self.term_reminder.setWordWrap(True)
        self.term_reminder.setStyleSheet(OVERDUE_STYLE)
        self.term.body.addWidget(self.term_text)
        self.term.body.addWidget(self.term_reminder)
        self.term.body.addStretch(1)

        self.backup = Card("数据备份")
        self.backup_text = QLabel()
        self.backup_text.setWordWrap(True)
        self.backup_button = QPushButton("立即备份(&B)")
        self.backup_button.clicked.connect(self.backup_requested)
        self.stick_button = QPushButton("备份到 U 盘(&U)")
        self.stick_button.setToolTip("备份到在“设置”中选定的 U 盘文件夹（第一次时选择），写入后读回校验")
        self.stick_button.clicked.connect(self._backup_to_stick)
        self.backup.body.addWidget(self.backup_text)
        self.backup.body.addWidget(QLabel("关闭程序时每天自动备份一次。"))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.stick_button)
        row.addWidget(self.backup_button)
        self.backup.body.addLayout(row)

        self.development = Card("发展党员：到期和超期")
        self.development_buttons: list[QPushButton] = []
        self.development_more = QLabel()
        self.development_more.setObjectName("muted")
        self.development_more.setWordWrap(True)
        self.development.body.addWidget(self.development_more)

        grid = QGridLayout()
        grid.setSpacing(12)
        for index, card in enumerate((self.full, self.probationary, self.pipeline, self.groups, self.meetings)):
            grid.addWidget(card, 0 if index < 3 else 1, index % 3)
        grid.addWidget(self.term, 1, 2)
        grid.addWidget(self.backup, 2, 0)
        grid.addWidget(self.receipts, 2, 1)
        grid.addWidget(self.development, 2, 2)
        grid.addWidget(self.dues, 3, 0)
        grid.addWidget(self.due_meetings, 3, 1, 1, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def refresh(self, last_backup: datetime | None = None, defer_reminders: bool = False,
                today: date | None = None) -> None:
        """Read the figures again (on start, on coming back to this page, after a change).

        The reminder cards read much more of the ledger (a year of dues, every meeting period); at
        start-up the window passes ``defer_reminders`` so that the window appears first and the
        reminders fill in right after (``refresh_reminders``), instead of the clerk waiting for all.
        """
        figures = overview.read_overview(current_ledger().conn, today)
        self.title.setText(figures.branch_name or "（尚未设置支部）")
        if figures.branch_type:
            parts = [f"支部类型：{vocab.BRANCH_TYPES.get(figures.branch_type, figures.branch_type)}"]
            if figures.upper_committee:
                parts.append(f"上级党委：{figures.upper_committee}")
            self.subtitle.setText("　　".join(parts))
        self.full.figure.setText(str(figures.full_members))
        self.probationary.figure.setText(str(figures.probationary_members))
        self.pipeline.figure.setText(str(figures.in_pipeline))
        self.groups.figure.setText(str(figures.groups))
        self.meetings.figure.setText(str(figures.meetings_this_year))
        if figures.term_ends_on is not None:
            self.term_text.setText(f"本届任期至 {format_date(figures.term_ends_on)}")
        else:
            self.term_text.setText("尚未登记支部委员会。")
        reminder = organisation.term_reminder(figures.term_ends_on, today or date.today())
        self.term_reminder.setText(reminder or "")
        self.term_reminder.setVisible(reminder is not None)
        self.set_last_backup(last_backup)
        if defer_reminders:
            for label in (self.receipts_text, self.dues_text, self.dues_flagged, self.due_more, self.development_more):
                label.setText("正在统计…")
            return
        self.refresh_reminders()

    def refresh_reminders(self) -> None:
        """The cards that say what is due or late: meetings, dues arrears, transfer receipts."""
        self.show_reminders(read_reminders(date.today()))

    def show_reminders(self, found: "Reminders") -> None:
        """Fill the reminder cards from what ``read_reminders`` found (on any thread)."""
        self.show_receipts(found.overdue_receipts)
        self.show_dues(found.arrears)
        self.show_due_meetings(found.due_meetings)
        self.show_development(found.development)
        self.reminders_ready.emit()

    def show_receipts(self, overdue: int) -> None:
        """How many transfer-out receipts are more than a month late (red when any)."""
        self.receipts.figure.setText(str(overdue))
        self.receipts.figure.setStyleSheet(OVERDUE_STYLE if overdue else "")
        self.receipts_text.setText("份转出介绍信的回执超过一个月未寄回，请向接收方催问。" if overdue
                                   else "没有超过一个月未寄回的回执。")

    def show_dues(self, summary) -> None:
        """Members 3 months or more behind with dues (the figure; a reminder), and among them those
        6 months behind without a reason (flagged for 自行脱党 handling; the figure turns red)."""
        behind = summary.warned + summary.flagged
        self.dues.figure.setText(str(behind))
        self.dues.figure.setStyleSheet(OVERDUE_STYLE if summary.flagged else "")
        self.dues_text.setText("人连续 3 个月以上未交党费，请提醒补交。" if behind else "没有连续 3 个月以上未交党费的党员。")
        self.dues_flagged.setText(f"其中 {summary.flagged} 人连续 6 个月未交且无正当理由，需按自行脱党处理。"
                                  if summary.flagged else "没有连续 6 个月未交党费的党员。")
        self.dues_flagged.setStyleSheet(OVERDUE_STYLE if summary.flagged else "")

    def show_development(self, found) -> None:
        """Development steps overdue (red), due within 30 days (amber) and probation ending within
        60 days; each line goes straight to the person on the 发展党员 page."""

        def day(value: date) -> str:
            return f"{value.month}月{value.day}日" if value.year == date.today().year else format_date(value)

        lines = ([(r, f"{r.name}：{r.next_step}已超期", "red") for r in found.overdue]
                 + [(r, f"{r.name}：{r.next_step}，{day(r.latest)}前", "amber") for r in found.due_soon]
                 + [(r, f"{r.name}：预备期 {day(r.probation_ends)}届满", "amber") for r in found.probation_ending])
        self.development_buttons = self._show_lines(
            self.development, self.development_buttons, self.development_more, "到“发展党员”页登记或查看",
            [(text, status, lambda _=False, pid=row.person_id: self.go_to_person.emit("development", pid))
             for row, text, status in lines], DEVELOPMENT_LINES, "另有 {hidden} 项，见“发展党员”页。",
            "发展党员各环节没有超期或 30 天内到期的。")

    def _backup_to_stick(self) -> None:
        from .security import backup_to_stick

        backup_to_stick(self.window())

    def set_last_backup(self, moment: datetime | None) -> None:
        self.backup_text.setText(f"最近一次备份：{format_time(moment)}")

    def show_due_meetings(self, items) -> None:
        """What each kind of meeting owes this period (``compliance.due_now``), red first; each line
        is a button to the 会议 page."""
        self.due_buttons = self._show_lines(
            self.due_meetings, self.due_buttons, self.due_more, "到“会议”页登记或查看",
            [(item.text, item.status, lambda _=False: self.go_to.emit("meetings")) for item in items], DUE_LINES,
            "另有 {hidden} 项，见“会议”页的“落实情况”。", "没有按频次要求召开的会议。")

    def _show_lines(self, card: Card, old: list[QPushButton], more: QLabel, tooltip: str, lines, limit: int,
                    more_text: str, empty_text: str) -> list[QPushButton]:
        """Replace a card's coloured lines: one flat button per (text, status, on_click), the first
        ``limit`` of them, placed above ``more``, which says how many more there are (or that there
        are none)."""
        for button in old:
            button.setParent(None)
            button.deleteLater()
        buttons = []
        for text, status, on_click in lines[:limit]:
            button = QPushButton(f"● {text}")
            button.setFlat(True)
            button.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
            button.setToolTip(f"{text}。{tooltip}")
            # A long line may be cut at the card's edge (the tooltip has it whole); it must not
            # widen the card past the window.
            button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            button.setStyleSheet(f"text-align: left; border: none; background: transparent; padding: 2px 0; "
                                 f"color: {DUE_COLOURS[status]};")
            button.setProperty("due_status", status)
            button.clicked.connect(on_click)
            card.body.insertWidget(card.body.indexOf(more), button)
            buttons.append(button)
        hidden = len(lines) - len(buttons)
        more.setText(more_text.format(hidden=hidden) if hidden else "" if lines else empty_text)
        more.setVisible(bool(more.text()))
        return buttons
