"""Exporting the roster (花名册) to Excel, in the layout the roster import reads back unchanged.

One row a member on the roster: full and probationary members whose state is 在册. Applicants,
activists, development targets and people who have left are not on it (the JSON export in
``exchange`` holds everything). The columns are ``roster_columns.COLUMNS`` after a 序号 column,
below a first row that says the file holds personal data (``PERSONAL_DATA_NOTE``, also the printed
page header; the import skips such a note row), the header in row 2: dates are real Excel dates shown ``yyyy-mm-dd``, ID numbers and phone numbers
are text cells (a number cell would lose an ID number's last digits). The file is written to a
temporary name and renamed, so a failed export never leaves half a workbook under the clerk's name,
and it is the owner's only (``private``).
"""

import os
from contextlib import suppress
from pathlib import Path

from peewee import JOIN

from . import private, vocab
from . import roster_columns as rc
from .errors import LedgerError
from .models import PartyGroup, Person

DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"
SHEET_TITLE = "花名册"
PERSONAL_DATA_NOTE = "本表含党员个人信息（身份证号、联系电话、家庭住址等），请妥善保管，勿外传。"
SUGGESTED_FILE_NAME = "党员花名册（含个人信息）"
WIDTHS = {"name": 10, "sex": 6, "ethnicity": 8, "birth_date": 12, "id_number": 21, "native_place": 12,
          "education": 11, "work_started_on": 13, "joined_on": 12, "converted_on": 12, "stage": 10, "group": 12,
          "post": 28, "phone": 15, "address": 32, "note": 20}
TEXT_FIELDS = ("id_number", "phone")


def roster_people():
    """The people on the roster, by 党小组 (in the branch's order, no group last), then by id."""
    return (Person.select(Person, PartyGroup)
            .join(PartyGroup, on=(Person.group == PartyGroup.id), join_type=JOIN.LEFT_OUTER)
            .where(Person.stage.in_(vocab.MEMBER_STAGES), Person.membership_state == "active")
            .order_by(PartyGroup.id.is_null(), PartyGroup.sort_order, PartyGroup.name, Person.id))


def cell_value(person: Person, column: rc.Column):
    """The value written for one person in one column: what the import parses back to the same field."""
    if column.field == "group":
        return person.group.name if person.group_id else None
    value = getattr(person, column.field)
    if value in (None, ""):
        return None
    if column.field == "sex":
        return vocab.SEXES[value]
    if column.field == "stage":
        return rc.stage_label(value)
    return value


def roster_rows() -> list[list]:
    """The exported rows, 序号 first, as plain values (dates as ``date``)."""
    return [[number, *(cell_value(person, column) for column in rc.COLUMNS)]
            for number, person in enumerate(roster_people(), 1)]


def export_roster_xlsx(out: Path) -> int:
    """Write the roster to ``out`` (.xlsx) and return how many members it holds."""
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise LedgerError(f"花名册只能导出为 .xlsx 文件，“{out.name}”不是。")
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    rows = roster_rows()
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append([PERSONAL_DATA_NOTE])
    sheet.append([rc.SERIAL_HEADER, *(column.header for column in rc.COLUMNS)])
    for row in rows:
        sheet.append(row)
    bold = Font(bold=True)
    sheet["A1"].font = Font(bold=True, color="C00000")
    for cell in sheet[2]:
        cell.font = bold
    sheet.oddHeader.center.text = PERSONAL_DATA_NOTE  # on every printed page too
    sheet.column_dimensions["A"].width = 6
    for index, column in enumerate(rc.COLUMNS, start=2):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = WIDTHS.get(column.field, 12)
        if column.kind == "date" or column.field in TEXT_FIELDS:
            number_format = DATE_FORMAT if column.kind == "date" else TEXT_FORMAT
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = number_format
    sheet.freeze_panes = "C3"  # the note, the header and the 序号 and 姓名 columns stay in view
    _save_atomically(book, out)
    return len(rows)


def _save_atomically(book, out: Path) -> None:
    partial = out.with_name(f".{out.name}.partial")
    try:
        private.make_dirs(out.parent)
        book.save(private.create_file(partial))
        os.replace(partial, out)
    except PermissionError:
        raise LedgerError(f"无法写入“{out}”：文件被占用（可能正在 Excel 中打开）或没有写入权限，请关闭后重试。") from None
    except OSError as exc:
        raise LedgerError(f"无法写入“{out}”：{exc.strerror or exc}") from None
    finally:
        with suppress(OSError):
            partial.unlink()

