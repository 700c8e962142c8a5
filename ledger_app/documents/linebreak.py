"""Chinese line breaking for PDF text (reportlab does not apply these rules to full-width marks).

The rule (GB/T 15834 usage, and common 禁则 practice): closing punctuation such as ，。、；：？！）》」』
never begins a line, and opening punctuation such as （《「『 never ends one. Latin words and numbers
are not split. Text is broken greedily into lines no wider than the given width.
"""

import re
from collections.abc import Callable

CANNOT_START = frozenset("，。、；：？！）》」』】〕〉’”…—·%‰℃,.;:?!)]}")
CANNOT_END = frozenset("（《「『【〔〈‘“([{")
_LATIN_RUN = re.compile(r"[A-Za-z0-9@#&_+\-./:%']+|\s|.", re.DOTALL)


def units(text: str) -> list[str]:
    """Unbreakable pieces: a Latin word or number, a space, or one CJK character with the
    punctuation that must stay attached to it."""
    pieces: list[str] = []
    pending_open = ""
    for token in _LATIN_RUN.findall(text):
        if token in CANNOT_END:
            pending_open += token
        elif token in CANNOT_START and pieces:
            if pieces[-1].isspace() and len(pieces) > 1:  # "word ”": the mark stays with the word
                space = pieces.pop()
                pieces[-1] += space
            pieces[-1] += pending_open + token
            pending_open = ""
        else:
            pieces.append(pending_open + token)
            pending_open = ""
    if pending_open:
        pieces.append(pending_open)
    return pieces


def break_lines(text: str, measure: Callable[[str], float], width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` (a single over-wide piece is split by character).

    Spaces at a line break are dropped, except the full-width spaces (U+3000) that begin a
    paragraph: they are the Chinese first-line indent.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current, first = "", len(lines)
        for piece in units(paragraph):
            if not current and piece.isspace() and (len(lines) > first or piece.strip("\u3000")):
                continue
            if measure(current + piece) <= width or not current:
                current += piece
            else:
                lines.append(current.rstrip())
                current = "" if piece.isspace() else piece
            while measure(current) > width and len(current) > 1:  # one piece wider than the line
                cut = len(current) - 1
                while cut > 1 and measure(current[:cut]) > width:
                    cut -= 1
                while cut > 1 and current[cut] in CANNOT_START:  # keep the mark with its character
                    cut -= 1
                lines.append(current[:cut])
                current = current[cut:]
        lines.append(current.rstrip())
    return lines
