"""PDF building blocks on reportlab: the CJK fonts, a text flowable with Chinese line breaking,
tables of such text, and page decorations.

Fonts: the Windows 公文 faces (仿宋, 黑体, 楷体, 宋体) when the machine has them, else the bundled
WenQuanYi Micro Hei for every role; registered once per process (loading a CJK font costs ~130 ms)
and embedded in every PDF, so a document looks the same anywhere.
"""

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Table, TableStyle

from ..paths import bundled_font
from .linebreak import break_lines

_WINDOWS_FACES = {  # role → candidate files in %WINDIR%\Fonts, best first
    "body": ("simfang.ttf", "STFANGSO.TTF"),
    "heading": ("simhei.ttf",),
    "kai": ("simkai.ttf", "STKAITI.TTF"),
    "song": ("simsun.ttc",),
}


@dataclass(frozen=True)
class FontSet:
    """reportlab font names for the roles a document uses."""

    body: str  # 仿宋: body text
    heading: str  # 黑体: "一、" headings and table headers
    kai: str  # 楷体: "（一）" headings
    song: str  # 宋体: page numbers


def _windows_fonts_dir() -> Path | None:
    root = os.environ.get("WINDIR")
    return Path(root) / "Fonts" if root else None


@functools.cache
def fonts() -> FontSet:
    """Register the CJK fonts with reportlab once and say which name serves each role."""
    pdfmetrics.registerFont(TTFont("WQYMicroHei", str(bundled_font()), subfontIndex=0))
    chosen = {}
    folder = _windows_fonts_dir()
    for role, candidates in _WINDOWS_FACES.items():
        chosen[role] = "WQYMicroHei"
        for filename in candidates if folder else ():
            path = folder / filename
            if path.exists():
                name = f"CN-{role}"
                try:
                    pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
                except Exception:  # a damaged or unusual font file: keep the bundled one
                    continue
                chosen[role] = name
                break
    return FontSet(**chosen)


class TextBlock(Flowable):
    """Plain text in one font, broken into lines by the Chinese rules, splittable across pages."""

    def __init__(self, text: str, font: str, size: float, leading: float | None = None,
                 align: str = "left", color=colors.black):
        super().__init__()
        self.text = text
        self.font = font
        self.size = size
        self.leading = leading or size * 1.5
        self.align = align
        self.color = color
        self.lines: list[str] = []
        self._width = 0.0

    def _measure(self, text: str) -> float:
        return pdfmetrics.stringWidth(text, self.font, self.size)

    def wrap(self, available_width, available_height):
        self._width = available_width
        self.lines = break_lines(self.text, self._measure, available_width)
        return available_width, self.leading * len(self.lines)

    def split(self, available_width, available_height):
        self.wrap(available_width, available_height)
        fits = int(available_height // self.leading)
        if fits <= 0 or fits >= len(self.lines):
            return [] if fits <= 0 else [self]
        head = _Lines(self, self.lines[:fits])
        tail = _Lines(self, self.lines[fits:])
        return [head, tail]

    def draw(self):
        canvas = self.canv
        canvas.setFont(self.font, self.size)
        canvas.setFillColor(self.color)
        baseline = self.leading * len(self.lines) - self.size - (self.leading - self.size) / 2
        for line in self.lines:
            if self.align == "center":
                canvas.drawCentredString(self._width / 2, baseline, line)
            elif self.align == "right":
                canvas.drawRightString(self._width, baseline, line)
            else:
                canvas.drawString(0, baseline, line)
            baseline -= self.leading


class _Lines(TextBlock):
    """Part of a split TextBlock: fixed lines, no re-wrapping."""

    def __init__(self, parent: TextBlock, lines: list[str]):
        super().__init__("\n".join(lines), parent.font, parent.size, parent.leading, parent.align, parent.color)
        self._fixed = lines

    def wrap(self, available_width, available_height):
        self._width = available_width
        self.lines = self._fixed
        return available_width, self.leading * len(self.lines)


def text_table(rows: list[list[str]], col_widths: list[float], font: str, size: float,
               header_font: str | None = None, header_rows: int = 1, align: list[str] | None = None) -> Table:
    """A grid of wrapped text; the header rows repeat on every page."""
    align = align or ["left"] * len(col_widths)
    cells = [
        [TextBlock(str(value), header_font if r < header_rows and header_font else font, size, size * 1.35,
                   "center" if r < header_rows else align[c])
         for c, value in enumerate(row)]
        for r, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=col_widths, repeatRows=header_rows)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5 * mm),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2 * mm),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#eeeeee")) if header_rows else
        ("BACKGROUND", (0, 0), (0, 0), colors.white),
    ]))
    return table


def page_number_footer(font: str, size: float = 10.5, style: str = "— {n} —"):
    """An ``onPage`` callback drawing the page number centred at the bottom margin."""

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, size)
        canvas.drawCentredString(doc.pagesize[0] / 2, doc.bottomMargin / 2, style.format(n=doc.page))
        canvas.restoreState()

    return draw
