"""A table document — title, branch and period, one table whose header repeats on every page, an
optional totals row, a summary and a closing line — as Word, PDF or Excel from one context.

The context: ``title``, ``branch_name``, ``period``, ``made_on``, ``rows`` (dicts of display strings
by column key; money columns also as integer fen under ``row["_fen"]`` so Excel writes exact
numbers), optional ``totals``, ``intro``, ``summary`` and ``signature_line``. Columns are
(header, key, kind, width in mm, alignment) with one width 0 taking the rest of the page. The dues
documents and the 发展党员工作台账 are made this way.
"""

from decimal import Decimal
from pathlib import Path

from . import atomic_output


def render_table_document(context: dict, columns, template: str, out: Path, suffix: str, landscape: bool) -> Path:
    """Write ``context`` as Word (from ``template``), PDF or Excel, chosen by ``suffix``; nothing half-written."""
    if suffix == ".docx":
        from .word import render_docx

        word = dict(context, rows=[_word_row(r) for r in context["rows"]], totals=_word_row(context.get("totals") or {}))
        return render_docx(template, word, out, must_contain=[context["branch_name"], context["period"]])
    with atomic_output(out) as partial:
        if suffix == ".pdf":
            _render_pdf(context, columns, partial, landscape)
        else:
            _render_xlsx(context, columns, partial)
    return out


def _word_row(row: dict) -> dict:
    return {key: value for key, value in row.items() if key != "_fen"}


def _render_pdf(context: dict, columns, out: Path, landscape: bool) -> None:
    """A table document: title, branch and period, the table (header repeated on each page), totals, summary."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape as turn
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    from .pdf import TextBlock, fonts, page_number_footer, text_table

    font = fonts()
    page = turn(A4) if landscape else A4
    margin = 10 * mm if landscape else 15 * mm
    doc = SimpleDocTemplate(str(out), pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=f"{context['branch_name']} {context['period']}{context['title']}",
                            author=context["branch_name"])
    widths = [w * mm for _, _, _, w, _ in columns]
    widths[widths.index(0)] = doc.width - sum(widths)
    size = 8 if len(columns) > 12 else 10
    keys = [c[1] for c in columns]
    rows = [[header for header, *_ in columns]]
    rows += [[r.get(key, "") for key in keys] for r in context["rows"]]
    if context.get("totals"):
        rows.append([context["totals"].get(key, "") for key in keys])
    table = text_table(rows, widths, font.body, size, header_font=font.heading, header_rows=1,
                       align=[c[4] for c in columns])
    story = [TextBlock(context["title"], font.heading, 20, align="center"), Spacer(1, 2 * mm),
             TextBlock(f"党支部：{context['branch_name']}　　　期间：{context['period']}", font.body, 11, align="center"),
             Spacer(1, 4 * mm)]
    if context.get("intro"):
        story += [TextBlock(context["intro"], font.body, 11), Spacer(1, 2 * mm)]
    story += [table, Spacer(1, 4 * mm), TextBlock(context["summary"], font.body, 10.5)]
    if context.get("signature_line"):
        story += [Spacer(1, 6 * mm), TextBlock(context["signature_line"], font.body, 10.5)]
    else:
        story += [Spacer(1, 6 * mm), TextBlock(f"{context['branch_name']}　　{context['made_on']}", font.body, 10.5,
                                               align="right")]

    def running_head(canvas, doc_):
        canvas.saveState()
        canvas.setFont(font.body, 9)
        canvas.drawString(margin, page[1] - 9 * mm, f"{context['branch_name']}　{context['period']}{context['title']}（续）")
        canvas.restoreState()
        page_number_footer(font.song, 10)(canvas, doc_)

    doc.build(story, onFirstPage=page_number_footer(font.song, 10), onLaterPages=running_head)


def _render_xlsx(context: dict, columns, out: Path) -> None:
    """One sheet: title, period, header, a row per member, totals; money as exact numbers with 0.00."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = context["period"][:31]
    last = get_column_letter(len(columns))
    sheet.append([context["title"]])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(size=16, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([f"党支部：{context['branch_name']}　　期间：{context['period']}"])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].alignment = Alignment(horizontal="center")
    sheet.append([header for header, *_ in columns])
    header_row = sheet.max_row
    thin = Side(style="thin")
    for row in [*context["rows"], *([context["totals"]] if context.get("totals") else [])]:
        values = []
        for _, key, kind, _, _ in columns:
            fen = row.get("_fen", {}).get(key) if kind == "money" else None
            values.append(Decimal(fen).scaleb(-2) if fen is not None else _number_or_text(key, row.get(key, "")))
        sheet.append(values)
    for cells in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row):
        for cell, (_, _, kind, _, align) in zip(cells, columns, strict=True):
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            cell.alignment = Alignment(horizontal=align if cell.row > header_row else "center", vertical="center",
                                       wrap_text=True)
            if kind == "money" and cell.row > header_row:
                cell.number_format = "0.00"
            if cell.row == header_row or cell.row == sheet.max_row:
                cell.font = Font(bold=True)
    for index, (header, _, _, width, _) in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(len(header) * 2 + 2, width // 2 or 16)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape" if len(columns) > 7 else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.append([])
    sheet.append([context["summary"]])
    book.save(str(out))


def _number_or_text(key: str, value: str):
    """The sequence number as a number; everything else as the text printed."""
    return int(value) if key == "seq" and value.isdigit() else value
