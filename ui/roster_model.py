"""The roster as a Qt table model that holds only ids and fetches rows the first time they are painted.

A search, a filter or a sort asks ``services.roster.matching_ids`` for the ids in display order
(one SQL query) and resets the model with them. A row's values are read the first time the view
asks for any of its cells: the whole batch of ``BATCH`` rows around it comes in one
``services.roster.rows_for`` query and is cached by person id, so typing in the search box reuses
rows already read. ``refresh`` forgets the cache (the data may have changed). The model never holds
a peewee object: a lazy attribute in ``data()`` would be a hidden query per cell.
"""

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ledger_app.services import roster
from ledger_app.services.roster import RosterQuery, RosterRow

BATCH = 100  # rows read together; a screen shows 20–40


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def _date(day) -> str:
    """A date in the table: 2006-09-30, narrower than the 2006年9月30日 of forms and documents."""
    return day.isoformat() if day else ""


# (header, sort key of services.roster.SORT_KEYS, the cell's text)
COLUMNS: tuple[tuple[str, str, Callable[[RosterRow], str]], ...] = (
    ("姓名", "name", lambda r: r.name),
    ("性别", "sex", lambda r: r.sex),
    ("出生日期", "birth_date", lambda r: _date(r.birth_date)),
    ("年龄", "age", lambda r: _number(r.age)),
    ("身份证号", "id_number", lambda r: r.id_number),
    ("党小组", "group", lambda r: r.group),
    ("类别", "stage", lambda r: r.stage),
    ("党籍状态", "state", lambda r: r.state),
    ("入党时间", "joined_on", lambda r: _date(r.joined_on)),
    ("转正时间", "converted_on", lambda r: _date(r.converted_on)),
    ("党龄", "standing", lambda r: _number(r.standing_years)),
    ("联系电话", "phone", lambda r: r.phone),
    ("流动", "mobile", lambda r: "是" if r.is_mobile else ""),
)
CENTRED = frozenset(("性别", "年龄", "类别", "党龄", "流动"))  # short values read better centred
ID_ROLE = Qt.ItemDataRole.UserRole  # data(index, ID_ROLE): the person's id


class RosterModel(QAbstractTableModel):
    """The members matching a ``RosterQuery``, read in batches as the view paints them."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.query = RosterQuery()
        self.ids: list[int] = []
        self._rows: dict[int, RosterRow | None] = {}  # person id → row read so far

    # --- what is shown ---------------------------------------------------------------------------

    def set_query(self, query: RosterQuery) -> None:
        """Show the members matching ``query`` (rows already read are kept for reuse)."""
        self.query = query
        self._reload()

    def refresh(self) -> None:
        """Run the query again and read rows afresh: the ledger may have changed."""
        self._rows.clear()
        self._reload()

    def _reload(self) -> None:
        ids = roster.matching_ids(self.query)
        self.beginResetModel()
        self.ids = ids
        self.endResetModel()

    def person_id(self, row: int) -> int:
        return self.ids[row]

    def row_of(self, person_id: int) -> int | None:
        """The row showing ``person_id``, or None when the query does not match them."""
        try:
            return self.ids.index(person_id)
        except ValueError:
            return None

    def row_values(self, row: int) -> RosterRow | None:
        """The display values of ``row``, reading its batch when it was not read yet.

        None when the person is no longer in the ledger (changed since the ids were read).
        """
        person_id = self.ids[row]
        if person_id not in self._rows:
            start = row - row % BATCH
            wanted = [pid for pid in self.ids[start:start + BATCH] if pid not in self._rows]
            self._rows.update(dict.fromkeys(wanted))  # None marks someone no longer in the ledger
            for values in roster.rows_for(wanted):
                self._rows[values.id] = values
        return self._rows.get(person_id)

    # --- QAbstractTableModel -------------------------------------------------------------------

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.ids)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section][0]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"点击按“{COLUMNS[section][0]}”排序，再点一次倒序"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.ids) or index.column() >= len(COLUMNS):
            return None
        if role == ID_ROLE:
            return self.ids[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = self.row_values(index.row())
            return None if values is None else COLUMNS[index.column()][2](values)
        if role == Qt.ItemDataRole.TextAlignmentRole and COLUMNS[index.column()][0] in CENTRED:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Sort in SQL by the column's key (the view calls this when a header is clicked)."""
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (self.query.sort_key, self.query.descending) == (COLUMNS[column][1], descending):
            return
        self.set_query(replace(self.query, sort_key=COLUMNS[column][1], descending=descending))
