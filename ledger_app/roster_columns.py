"""The roster columns of an Excel 花名册: header, the aliases clerks use, the person field, the parser.

One place for what both directions share: the import (``roster_import``) recognises a column by
its header or an alias and turns each cell into a ledger value with the column's parser; the
export (``roster_export``) writes the same headers in the same order, so that an exported roster
imports back unchanged.

Parsers take the raw cell value as python-calamine gives it (``str``, ``float``, ``int``,
``date``, ``datetime``, ``bool``) and return the ledger value, or raise ``CellError`` with a
Chinese message saying what to fix. They are tolerant of what real files hold: full-width digits
and punctuation, stray spaces, dates written ``2001.07`` / ``2001年7月`` / ``2001-7-1`` /
``2001/07/01`` / Excel serial numbers. A date given as a year and month only is stored as the 1st
of that month. An ID number is never guessed: a number cell or a number in scientific notation has
lost its last digits in Excel and is refused.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import vocab
from .rules import contact
from .rules import id_number as id_rules

# Excel's day 0 in the 1900 date system, shifted by its fictitious 29 Feb 1900 (serials ≥ 61).
EXCEL_EPOCH = date(1899, 12, 30)
MIN_YEAR, MAX_YEAR = 1900, 2100


class CellError(ValueError):
    """A cell that cannot be turned into a ledger value; the message says what to fix."""


@dataclass(frozen=True)
class Column:
    """One roster column: the field it fills, the header written on export, the headers recognised."""

    field: str  # a Person column, or "group" (the 党小组 name) or "stage" (人员类别)
    header: str
    aliases: tuple[str, ...]
    kind: str  # which parser: name, text, compact, sex, ethnicity, date, id_number, education, stage, group, phone


# In the order the export writes them (the order a clerk's 花名册 usually has).
COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", ("姓名", "党员姓名", "名字"), "name"),
    Column("sex", "性别", ("性别",), "sex"),
    Column("ethnicity", "民族", ("民族",), "ethnicity"),
    Column("birth_date", "出生日期", ("出生日期", "出生年月", "出生年月日", "出生时间", "生日"), "date"),
    Column("id_number", "身份证号", ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "身份证"), "id_number"),
    Column("native_place", "籍贯", ("籍贯",), "compact"),
    Column("education", "学历", ("学历", "文化程度", "最高学历"), "education"),
    Column("work_started_on", "参加工作时间", ("参加工作时间", "参加工作日期", "工作时间"), "date"),
    Column("joined_on", "入党时间", ("入党时间", "入党日期", "入党年月"), "date"),
    Column("converted_on", "转正时间", ("转正时间", "转正日期", "转正年月"), "date"),
    Column("stage", "人员类别", ("人员类别", "党员类别", "党员身份", "类别", "正式/预备"), "stage"),
    Column("group", "党小组", ("党小组", "所在党小组", "所属党小组", "党小组名称"), "group"),
    Column("post", "工作单位及职务", ("工作单位及职务", "工作单位及职务（职称）", "工作单位和职务", "单位及职务",
                                     "职务", "工作单位"), "text"),
    Column("phone", "联系电话", ("联系电话", "联系方式", "手机", "手机号", "手机号码", "电话", "电话号码"), "phone"),
    Column("address", "家庭住址", ("家庭住址", "住址", "现住址", "家庭地址", "居住地址"), "text"),
    Column("note", "备注", ("备注",), "text"),
)
BY_FIELD = {column.field: column for column in COLUMNS}
SERIAL_HEADER = "序号"  # written first on export; recognised and ignored on import
IGNORED_HEADERS = frozenset({"序号", "编号", "排序"})
MONTH_ONLY_NOTE = "只有年月，按当月 1 日记录"

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．－／：（）　", "0123456789.-/:() ")
_SPACES = re.compile(r"\s+")
_NAME = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+(·[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z]+)*")
_NAME_DOTS = str.maketrans("•・．.‧", "·····")
_SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE]\+?\d+")
_DIGITS = re.compile(r"\d+")
_DATE_TEXT = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(?:(\d{1,2})\s*日?)?)?")

_header_index = {
    "".join(alias.translate(_FULL_WIDTH).split()): column.field for column in COLUMNS for alias in column.aliases
}

ID_AS_NUMBER = "身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为文本后重新填写。"


def normalise_header(text) -> str:
    """A header cell as compared: no spaces anywhere, half-width punctuation, no * marking a must-fill."""
    return "".join(clean_text(text).split()).strip("*＊")


def field_for_header(text) -> str | None:
    """The field a header names (``"姓 名"`` → ``"name"``), or None when it is not a roster column."""
    return _header_index.get(normalise_header(text))


def clean_text(value) -> str:
    """A cell as text: full-width digits and punctuation half-width, runs of spaces made one, trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value).translate(_FULL_WIDTH)).strip()


def is_blank(value) -> bool:
    return clean_text(value) == ""


def looks_like_name(value) -> bool:
    """Whether a cell reads as a person's name (Chinese characters, a minority name's ·)."""
    if not isinstance(value, str):
        return False
    text = "".join(value.split()).translate(_NAME_DOTS)
    return 2 <= len(text) <= 20 and _NAME.fullmatch(text) is not None


# ---- parsers: raw cell → ledger value ----------------------------------------------------------


def parse_name(value) -> str:
    """Chinese names have no inner spaces: ``王  强`` is 王强 (padding to line names up in Excel)."""
    text = "".join(clean_text(value).split()).translate(_NAME_DOTS)
    if not text:
        raise CellError("未填写姓名。")
    if not looks_like_name(text):
        raise CellError(f"“{text}”不像姓名：应为汉字，少数民族姓名可用“·”分隔，请核对。")
    return text


def parse_text(value) -> str:
    return clean_text(value)


def parse_compact(value) -> str:
    """Text that never holds a space (a place name): ``河北 保定`` is 河北保定."""
    return "".join(clean_text(value).split())


def parse_sex(value) -> str | None:
    text = "".join(clean_text(value).split())
    if not text:
        return None
    for code, label in vocab.SEXES.items():
        if text in (label, label + "性"):
            return code
    raise CellError(f"“{text}”不是性别：应填“男”或“女”。")


def parse_ethnicity(value) -> str:
    """One of the 56 official names; ``汉`` is 汉族, ``维吾尔`` is 维吾尔族."""
    text = "".join(clean_text(value).split())
    if not text:
        return ""
    for candidate in (text, text + "族"):
        if candidate in vocab.ETHNICITIES:
            return candidate
    raise CellError(f"“{text}”不是 56 个民族的规范名称之一（如“汉族”“回族”“维吾尔族”），请改正。")


def parse_date(value) -> tuple[date | None, bool]:
    """A date and whether only its year and month were given (then it is the 1st of the month).

    Accepts Excel dates and serial numbers, ``yyyymm``/``yyyymmdd`` numbers and text, and text like
    ``2001.07``, ``2001.7``, ``2001年7月``, ``2001年7月1日``, ``2001-7-1``, ``2001/07/01``. A number
    ``2001.1`` is refused: Excel dropped a trailing zero, so it may be January or October.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False
    if isinstance(value, datetime):
        return value.date(), False
    if isinstance(value, date):
        return value, False
    if isinstance(value, bool):
        raise CellError(f"“{value}”不是日期。")
    if isinstance(value, int | float):
        return _date_from_number(value)
    text = "".join(clean_text(value).split())
    return _date_from_text(text)


def _date_from_number(value: float) -> tuple[date, bool]:
    if float(value).is_integer():
        number = int(value)
        if MIN_YEAR <= number <= MAX_YEAR:
            raise CellError(f"只写了年份 {number}，请补上月份，如 {number}.07 或 {number}年7月。")
        if 190001 <= number <= 210012 or 19000101 <= number <= 21001231:
            return _date_from_text(str(number))
        if MAX_YEAR < number <= 73050:  # an Excel serial (day 73050 is in 2099)
            return EXCEL_EPOCH + timedelta(days=number), False
        raise CellError(f"数字 {number} 不是可识别的日期，请写成 2001-07-01 或 2001.07 这样的日期。")
    text = repr(float(value))
    year, _, fraction = text.partition(".")
    if year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR and len(fraction) <= 2:
        if fraction == "1":
            raise CellError(f"“{text}”被 Excel 存成了数字，分不清是 1 月还是 10 月；请把该格设为文本，"
                            f"或写成 {year}年1月 / {year}年10月。")
        return _checked(int(year), int(fraction), None, text)
    raise CellError(f"“{text}”不是可识别的日期，请写成 2001-07-01 或 2001.07 这样的日期。")


def _date_from_text(text: str) -> tuple[date, bool]:
    if _DIGITS.fullmatch(text) and len(text) in (6, 8):
        day = int(text[6:8]) if len(text) == 8 else None
        return _checked(int(text[:4]), int(text[4:6]), day, text)
    match = _DATE_TEXT.fullmatch(text)
    if match is None:
        raise CellError(f"“{text}”不是可识别的日期，请写成 2001-07-01、2001.07 或 2001年7月 这样的日期。")
    year, month, day = match.groups()
    return _checked(int(year), int(month), int(day) if day else None, text)


def _checked(year: int, month: int, day: int | None, text: str) -> tuple[date, bool]:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(f"“{text}”的年份 {year} 不合理，请核对。")
    if not 1 <= month <= 12:
        raise CellError(f"“{text}”的月份 {month} 不对，请核对。")
    try:
        return date(year, month, day or 1), day is None
    except ValueError:
        raise CellError(f"“{text}”不是有效的日期（没有这一天），请核对。") from None


def parse_id_number(value) -> str | None:
    """A normalised ID number (not yet checked: ``rules.person`` does that), never a guessed one."""
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(ID_AS_NUMBER)
    text = id_rules.normalise(clean_text(value))
    if not text:
        return None
    if _SCIENTIFIC.fullmatch(text):
        raise CellError(ID_AS_NUMBER)
    if _DIGITS.fullmatch(text) and len(text) == 18 and text.endswith("000") \
            and id_rules.check_character(text[:17]) != text[17]:
        raise CellError("身份证号末尾为 000 且校验位不对：多半是 Excel 把它存成数字后丢失了后几位；"
                        "请把该列设为文本后重新填写。")
    return text


# Education as written in rosters → the ledger's names (vocab.EDUCATIONS).
EDUCATION_ALIASES = {
    "研究生": "研究生", "博士": "研究生", "博士研究生": "研究生", "硕士": "研究生", "硕士研究生": "研究生",
    "研究生（硕士）": "研究生", "研究生（博士）": "研究生",
    "大学本科": "大学本科", "本科": "大学本科", "大学": "大学本科",
    "大学专科": "大学专科", "大专": "大学专科", "专科": "大学专科", "高职": "大学专科",
    "中专": "中专", "中技": "中专", "技校": "中专", "中等专科": "中专", "职高": "中专",
    "高中": "高中",
    "初中及以下": "初中及以下", "初中": "初中及以下", "小学": "初中及以下", "文盲": "初中及以下",
}


def parse_education(value) -> str:
    text = "".join(clean_text(value).split())
    if not text:
        return ""
    for candidate in (text, text.replace("(", "（").replace(")", "）")):
        if candidate in EDUCATION_ALIASES:
            return EDUCATION_ALIASES[candidate]
    raise CellError(f"“{text}”不是可识别的学历，应为 {'、'.join(vocab.EDUCATIONS)} 之一（也可写本科、大专、硕士等）。")


STAGE_ALIASES = {"正式党员": "full", "正式": "full", "预备党员": "probationary", "预备": "probationary"}


def parse_stage(value) -> str | None:
    text = "".join(clean_text(value).split())
    if not text:
        return None
    if text in STAGE_ALIASES:
        return STAGE_ALIASES[text]
    raise CellError(f"“{text}”不是人员类别：应填“正式党员”或“预备党员”。")


def parse_group(value) -> str:
    """A 党小组 name without any spaces (``第一 党小组`` and ``第一党小组`` are one group)."""
    return "".join(clean_text(value).split())


def parse_phone(value) -> str:
    """Phone numbers as the member card keeps them (rules.contact): mobile, or landline with area code."""
    if value is None:
        return ""
    text = clean_text(value)
    number = contact.normalise(text)
    if number is None:
        raise CellError(contact.check_phone(text) or f"“{text}”不是有效的电话号码：应为 {contact.EXAMPLE}。")
    return number


PARSERS = {
    "name": parse_name,
    "text": parse_text,
    "compact": parse_compact,
    "sex": parse_sex,
    "ethnicity": parse_ethnicity,
    "id_number": parse_id_number,
    "education": parse_education,
    "stage": parse_stage,
    "group": parse_group,
    "phone": parse_phone,
}


def stage_label(stage: str) -> str:
    """人员类别 as written in a roster: 正式党员 / 预备党员."""
    return vocab.STAGES[stage]
