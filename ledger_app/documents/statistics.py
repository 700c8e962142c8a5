"""The year-end statistics (党内统计表) as Excel (one sheet per table), PDF (the tables and two bar
charts drawn with reportlab's own charts) or Word (the tables, through ``documents.listing``: the
year archive keeps every document as Word and PDF).

The figures are ``services.statistics.year_statistics`` exactly: the document prints each cell's
text, and Excel writes counts as numbers and money as exact yuan (``Decimal(fen) / 100``, 0.00).
``write_statistics(year, out)`` is what the command line and the year archive call.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

from ..errors import LedgerError
from . import atomic_output, cn_date

SUFFIXES = (".xlsx", ".pdf", ".docx")
FORBIDDEN_IN_SHEET_NAMES = str.maketrans({c: "" for c in "\\/?*[]:"})


def _check_suffix(out: Path) -> str:
    suffix = Path(out).suffix.lower()
    if suffix not in SUFFIXES:
        raise LedgerError(f"统计表只能保存为 Excel（.xlsx）、PDF（.pdf）或 Word（.docx）文件，“{Path(out).name}”的"
                          "扩展名不对，请改为 .xlsx、.pdf 或 .docx。")
    return suffix


def document_title(stats) -> str:
    return f"{stats.year}年度党内统计表"


def sheet_name(table) -> str:
    """The table's title without the year in front, as an Excel sheet name (at most 31 characters)."""
    title = table.title.removeprefix(f"{table.title[:4]}年") if table.title[:4].isdigit() else table.title
    return title.translate(FORBIDDEN_IN_SHEET_NAMES)[:31]


def write_statistics(year: int, out: Path, today: date | None = None, stats=None) -> Path:
    """Write the year's statistics as .xlsx, .pdf or .docx (by the suffix); written whole or not at all.
    ``stats`` may be passed when already computed (the annual summary and the archive share one)."""
    out = Path(out)
    suffix = _check_suffix(out)
    if stats is None:
        from ..services.statistics import year_statistics

        stats = year_statistics(year, today)
    renderer = {".xlsx": render_xlsx, ".pdf": render_pdf, ".docx": render_docx}[suffix]
    with atomic_output(out) as partial:
        renderer(stats, partial)
    return out


# ---- Word -----------------------------------------------------------------------------------------------


def listing_of(stats, today: date | None = None) -> dict:
    """The tables as a ``documents.listing`` context: a block per table, its note under it."""
    from .listing import block, listing_context

    blocks = []
    for table in stats.tables:
        first = 56 if len(table.headers) > 3 else 62
        columns = [(table.headers[0], first, "left")] + [(h, 0, "center") for h in table.headers[1:]]
        blocks.append(block(table.title, [], columns, [[c.text for c in row] for row in table.rows]))
        if table.note:
            blocks.append(block("", [f"说明：{table.note}"]))
    return listing_context(document_title(stats), stats.branch_name, f"统计截至 {cn_date(stats.as_of)}", blocks,
                           cn_date(today or date.today()))


def render_docx(stats, out: Path) -> None:
    from .listing import render_docx as render_listing

    render_listing(listing_of(stats), out)


# ---- Excel ----------------------------------------------------------------------------------------------


def _excel_value(cell):
    if cell.money:
        return Decimal(cell.value).scaleb(-2)
    if cell.value is not None and cell.text == str(cell.value):
        return cell.value
    return cell.text


def render_xlsx(stats, out: Path) -> None:
    """One sheet per table: title, the date counted to, header, rows; counts as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    thin = Side(style="thin")
    for table in stats.tables:
        sheet = book.create_sheet(sheet_name(table))
        last = get_column_letter(len(table.headers))
        sheet.append([f"{stats.branch_name}{document_title(stats)}·{sheet_name(table)}"])
        sheet.merge_cells(f"A1:{last}1")
        sheet["A1"].font = Font(size=14, bold=True)
        sheet["A1"].alignment = Alignment(horizontal="center")
        sheet.append([f"统计截至 {cn_date(stats.as_of)}"])
        sheet.merge_cells(f"A2:{last}2")
        sheet["A2"].alignment = Alignment(horizontal="center")
        sheet.append(list(table.headers))
        header_row = sheet.max_row
        for row in table.rows:
            sheet.append([_excel_value(c) for c in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                if value.money:
                    cell.number_format = "0.00"
        for cells in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row):
            for cell in cells:
                cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
                cell.alignment = Alignment(horizontal="left" if cell.column == 1 else "center", vertical="center",
                                           wrap_text=True)
                if cell.row == header_row:
                    cell.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 30
        for index in range(2, len(table.headers) + 1):
            sheet.column_dimensions[get_column_letter(index)].width = 14
        if table.note:
            sheet.append([])
            sheet.append([f"说明：{table.note}"])
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    book.save(str(out))


# ---- PDF ------------------------------------------------------------------------------------------------

BODY_SIZE = 10.5


def _bar_chart(title: str, labels: list[str], series: list[tuple[str, list[int], str]], width: float,
               top: int | None = None):
    """A vertical bar chart with its title and legend, in the CJK font."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors
    from reportlab.lib.units import mm

    from .pdf import fonts

    f = fonts()
    height = 70 * mm
    drawing = Drawing(width, height)
    drawing.add(String(width / 2, height - 5 * mm, title, fontName=f.heading, fontSize=11, textAnchor="middle"))
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 16 * mm
    chart.width, chart.height = width - 20 * mm, height - 30 * mm
    chart.data = [values for _, values, _ in series]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = f.body
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.valueAxis.labels.fontName = f.body
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.forceZero = True
    highest = max([max(values, default=0) for _, values, _ in series], default=0)
    chart.valueAxis.valueMax = top if top is not None else max(highest * 1.15, 1)
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = f.body
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 5
    chart.groupSpacing = 4
    for index, (_, _, colour) in enumerate(series):
        chart.bars[index].fillColor = colors.HexColor(colour)
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    if len(series) > 1:
        legend = Legend()
        legend.fontName = f.body
        legend.fontSize = 8
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.dx = legend.dy = 7
        legend.deltax = 50
        legend.x, legend.y = width - 60 * mm, height - 10 * mm
        legend.colorNamePairs = [(colors.HexColor(colour), name) for name, _, colour in series]
        drawing.add(legend)
    return drawing


def meeting_chart_data(table) -> tuple[list[str], list[int]]:
    """Per kind, the periods held as a percentage of those required (党小组会: all groups together),
    for the chart; kinds with no requirement are left out."""
    from ..services.statistics import TOTAL

    labels: list[str] = []
    required: dict[str, int] = {}
    held: dict[str, int] = {}
    for row in table.rows:
        name = row[0].text.split("·")[0]
        if name == TOTAL:
            continue
        if name not in required:
            labels.append(name)
            required[name] = held[name] = 0
        required[name] += row[2].value or 0
        held[name] += row[3].value or 0
    labels = [n for n in labels if required[n]]
    return labels, [round(100 * held[n] / required[n]) for n in labels]


def render_pdf(stats, out: Path) -> None:
    """A4: the title, every table (with its note), a chart of the age bands and one of meetings."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer

    from .pdf import TextBlock, fonts, page_number_footer, text_table

    f = fonts()
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=f"{stats.branch_name}{document_title(stats)}",
                            author=stats.branch_name)
    width = doc.width
    story = [TextBlock(stats.branch_name, f.heading, 15, align="center"), Spacer(0, 1 * mm),
             TextBlock(document_title(stats), f.heading, 20, align="center"), Spacer(0, 2 * mm),
             TextBlock(f"统计截至 {cn_date(stats.as_of)}", f.body, BODY_SIZE, align="center"), Spacer(0, 4 * mm)]
    for table in stats.tables:
        columns = len(table.headers)
        first = 62 * mm if columns <= 3 else 56 * mm
        rest = (width - first) / (columns - 1)
        grid = text_table([list(table.headers), *[[c.text for c in row] for row in table.rows]],
                          [first] + [rest] * (columns - 1), f.body, BODY_SIZE, header_font=f.heading,
                          align=["left"] + ["center"] * (columns - 1))
        parts = [TextBlock(table.title, f.heading, 13, 13 * 1.8), grid]
        if table.note:
            parts.append(TextBlock(f"说明：{table.note}", f.body, 9, 9 * 1.5))
        story += [KeepTogether(parts[:2]), *parts[2:], Spacer(0, 5 * mm)]
        if table.key == "age":
            rows = [r for r in table.rows if r[1].value or r[0].text != "未填写"]
            story.append(_bar_chart("党员年龄分布（人）", [r[0].text for r in rows],
                                    [("人数", [r[1].value or 0 for r in rows], "#c0392b")], width))
            story.append(Spacer(0, 5 * mm))
        if table.key == "meetings" and table.rows:
            labels, done = meeting_chart_data(table)
            story.append(_bar_chart("各类会议按期召开的比例（已开期数占应开期数，%）", labels,
                                    [("比例", done, "#c0392b")], width, top=100))
            story.append(Spacer(0, 5 * mm))
    footer = page_number_footer(f.song, 10.5)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
