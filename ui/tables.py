"""Read-only list tables: a flat model of plain rows and the view the pages show it in."""

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

CELL_PADDING = 24  # a cell's margins and the sort of slack the eye wants, in pixels


class RowsModel(QAbstractTableModel):
    """A flat read-only table of plain ``rows`` under ``HEADERS``; subclasses write ``data``."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list = []

    def load(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None


def read_only_table(model) -> QTableView:
    """A list view over ``model``: whole rows selected one at a time, nothing edited in place."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    return view


def size_columns(view: QTableView, samples: tuple[str, ...], stretch: int | None = None) -> None:
    """Set each column as wide as its header or its sample text (the widest value it usually holds).

    Instead of ``ResizeToContents``, which measures every cell of the model each time it is loaded
    (a register of thousands of rows took most of its page's time). The clerk can still drag a
    column wider; ``stretch`` takes the room left, and the tooltip of a cut text shows it whole.
    """
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    metrics = view.fontMetrics()
    for column, sample in enumerate(samples):
        width = max(header.sectionSizeFromContents(column).width(), metrics.horizontalAdvance(sample) + CELL_PADDING)
        view.setColumnWidth(column, width)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
