"""Pinyin initials of a name, the search key that lets typing ``zjg`` find 张建国.

Stored with the person (computed on every write) so that roster search stays a plain SQL ``LIKE``
over 10,000 names. pypinyin is imported only when a name is written, never at start-up.
"""

# Surnames read differently from the same character elsewhere (单 is shàn as a surname, not dān).
SURNAME_INITIALS = {
    "单": "s", "曾": "z", "解": "x", "仇": "q", "区": "o", "查": "z", "朴": "p", "盖": "g", "乐": "y",
    "缪": "m", "翟": "z", "尉": "y", "覃": "q", "万俟": "mq", "尉迟": "yc", "长孙": "zs", "石": "s",
}


def initials(name: str) -> str:
    """Lower-case pinyin initials, Latin letters kept, other characters dropped: 单田芳 → stf."""
    from pypinyin import Style, lazy_pinyin

    name = "".join(name.split())
    prefix = ""
    for surname in sorted(SURNAME_INITIALS, key=len, reverse=True):
        if name.startswith(surname):
            prefix, name = SURNAME_INITIALS[surname], name[len(surname):]
            break
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars))
    return prefix + "".join(ch.lower() for part in letters for ch in part if ch.isascii() and ch.isalpha())
