"""The year archive (年度台账): the whole year's record book written as documents in one folder.

The record book the upper committee checks in January (domain-rules §7) has sections; here each
section is a small function registered with ``@section(number, title)`` that yields the documents
it holds (``ArchiveDocument``: a path inside the section folder, a title, and a ``write(out)``
callable that writes ``out`` as .docx or .pdf, as every ``documents.make_*`` does). The sections
themselves are in ``archive_sections``; adding a document to the book is one ``yield`` there.

``write_archive`` writes every document as Word and PDF in a folder per section ("01 支部基本情况"
…), then one combined PDF of the whole book (cover, table of contents, a bookmark per section and
per document) and an index (``00 索引``, Word and PDF) listing every file. It works in a hidden
folder beside the target and renames it into place only when everything is written, so a cancel,
an error or a crash leaves no archive folder behind (a crash's leftover hidden folder is removed by
the next run); an existing target is never overwritten.
"""

import os
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import LedgerError, ValidationError

FORMATS = (".docx", ".pdf")
INDEX_NAME = "00 索引"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')  # characters Windows refuses in a file name


@dataclass(frozen=True)
class ArchiveDocument:
    """One document of the book: ``path`` inside the section folder without a suffix ("03月/…" for a
    subfolder), its ``title`` in the table of contents, and ``write(out)`` for out ending .docx or .pdf."""

    path: str
    title: str
    write: Callable[[Path], object]


@dataclass(frozen=True)
class ArchiveYear:
    """What a section function is given: the year, the date printed on the documents, the branch."""

    year: int
    today: date
    branch_name: str


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    documents: Callable[[ArchiveYear], Iterable[ArchiveDocument]]

    @property
    def folder(self) -> str:
        return f"{self.number:02d} {self.title}"


SECTIONS: dict[int, Section] = {}


def section(number: int, title: str):
    """Register a section function of the book under its number (the folder's order)."""

    def register(fn):
        if number in SECTIONS:
            raise ValueError(f"section {number} is already {SECTIONS[number].title}")
        SECTIONS[number] = Section(number, title, fn)
        return fn

    return register


def sections() -> list[Section]:
    """The registered sections in book order."""
    from . import archive_sections  # noqa: F401  (registers them)

    return [SECTIONS[n] for n in sorted(SECTIONS)]


class ArchiveCancelled(LedgerError):
    """The clerk cancelled the archive; nothing was left behind."""

    exit_code = 130

    def __init__(self):
        super().__init__("已取消归档，没有留下任何文件。")


@dataclass
class ArchiveEntry:
    """A document written: its section, title, files relative to the archive folder, PDF pages."""

    section: Section
    title: str
    files: list[str]
    pages: int = 0


@dataclass
class ArchiveResult:
    folder: Path
    book: Path
    entries: list[ArchiveEntry] = field(default_factory=list)
    files: int = 0
    pages: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        return (f"全年台账已归档到 {self.folder}：{len(self.entries)} 份文书（{self.files} 个文件），"
                f"合订本 {self.pages} 页，用时 {self.seconds:.1f} 秒。")


def safe_name(text: str) -> str:
    """``text`` as a file or folder name Windows accepts: no \\ / : * ? " < > |, no trailing dot or space."""
    return _UNSAFE.sub("_", text).strip().rstrip(". ") or "_"


def default_folder_name(year: int, branch_name: str) -> str:
    return safe_name(f"{branch_name}{year}年度工作台账")


def book_name(year: int) -> str:
    return f"{year}年度党支部工作台账（合订本）.pdf"


def free_target(parent: Path, name: str) -> Path:
    """``parent / name``, or ``name（2）``, ``name（3）`` … the first that does not exist yet."""
    candidate, n = Path(parent) / name, 1
    while candidate.exists():
        n += 1
        candidate = Path(parent) / f"{name}（{n}）"
    return candidate


def check_year(year, today: date | None = None) -> int:
    today = today or date.today()
    if isinstance(year, bool) or not isinstance(year, int) or not 1921 <= year <= today.year:
        raise ValidationError(f"年份“{year}”无效：应为 1921 到 {today.year} 之间的四位数字，如 {today.year}。", "year")
    return year


def check_target(target: Path) -> Path:
    """The archive folder must not exist yet (an empty folder is accepted); never overwritten."""
    target = Path(target).absolute()
    if target.exists():
        if not target.is_dir():
            raise LedgerError(f"“{target}”已经存在，且是一个文件：请另选一个文件夹名称。")
        if any(target.iterdir()):
            raise LedgerError(f"文件夹“{target}”已经存在且不是空的：归档不会覆盖已有的文件，请另选一个文件夹名称，"
                              "或先移走原来的文件夹。")
    return target


def _unique(path: str, used: set[str]) -> str:
    candidate, n = path, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{path}（{n}）"
    used.add(candidate.lower())
    return candidate


def _plan(info: ArchiveYear) -> list[tuple[Section, list[ArchiveDocument]]]:
    from .archive_sections import nothing_recorded

    plan = []
    for sec in sections():
        docs = list(sec.documents(info)) or [nothing_recorded(info, sec.title)]
        plan.append((sec, docs))
    return plan


def write_archive(year: int, target: Path, progress: Callable[[int, int, str], None] | None = None,
                  cancelled: Callable[[], bool] | None = None, today: date | None = None) -> ArchiveResult:
    """Write the record book of ``year`` into the new folder ``target``; see the module docstring.

    ``progress(done, total, text)`` is called after each file; ``cancelled()`` is asked before each
    file, and when it says yes everything written so far is removed and ``ArchiveCancelled`` raised.
    """
    from .services.branch import get_profile

    started = time.perf_counter()
    today = today or date.today()
    check_year(year, today)
    target = check_target(target)
    profile = get_profile()
    if profile is None:
        raise LedgerError("台账中还没有支部信息：请先在“设置 → 支部信息”中填写支部名称，再归档。")
    info = ArchiveYear(year, today, profile.name)
    report = progress or (lambda done, total, text: None)
    stop = cancelled or (lambda: False)

    work = target.with_name(f".{target.name}.partial")
    try:
        if work.exists():  # left by a run that crashed
            shutil.rmtree(work)
        work.mkdir(parents=True)
        result = _write_all(info, work, target, report, stop)
        if target.exists():  # an empty folder the clerk made for it
            target.rmdir()
        os.replace(work, target)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        raise LedgerError(f"无法写入归档文件夹“{target}”：{exc.strerror or exc}。请检查磁盘空间，"
                          "以及文件夹是否正在被其他程序使用。") from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    result.seconds = time.perf_counter() - started
    return result


def _write_all(info: ArchiveYear, work: Path, target: Path, report, stop) -> ArchiveResult:
    """Every document, the book and the index, into ``work``; ``stop()`` is asked before each file."""
    plan = _plan(info)
    total = sum(len(docs) for _, docs in plan) * len(FORMATS) + 2
    done = 0
    result = ArchiveResult(target, target / book_name(info.year))
    pdfs: list[Path] = []

    def step(text: str) -> None:
        nonlocal done
        done += 1
        report(done, total, text)

    for sec, docs in plan:
        used: set[str] = set()
        for doc in docs:
            relative = "/".join(safe_name(part) for part in doc.path.split("/"))
            relative = f"{sec.folder}/{_unique(relative, used)}"
            entry = ArchiveEntry(sec, doc.title, [])
            for suffix in FORMATS:
                if stop():
                    raise ArchiveCancelled()
                out = work / (relative + suffix)
                out.parent.mkdir(parents=True, exist_ok=True)
                try:
                    doc.write(out)
                except LedgerError as exc:
                    raise LedgerError(f"生成“{sec.folder}/{doc.title}”时出错，全年台账没有写入：{exc}") from exc
                entry.files.append(relative + suffix)
                step(f"{sec.title}：{doc.title}")
            pdfs.append(work / (relative + ".pdf"))
            result.entries.append(entry)
    if stop():
        raise ArchiveCancelled()
    result.pages = write_book(info, result.entries, pdfs, work / result.book.name)
    step("合订本 PDF（目录和书签）")
    if stop():
        raise ArchiveCancelled()
    write_index(info, result, work)
    step("索引")
    result.files = sum(len(e.files) for e in result.entries) + 1 + len(FORMATS)
    if stop():
        raise ArchiveCancelled()
    return result


# ---- the combined PDF --------------------------------------------------------------------------------

def _front_matter(info: ArchiveYear, lines: list[tuple[int, str, int]], out: Path) -> None:
    """Cover and table of contents; ``lines`` are (level, text, page) with level 0 for a section."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

    from .documents.pdf import TextBlock, fonts

    f = fonts()
    doc = SimpleDocTemplate(str(out), pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=f"{info.branch_name} {info.year}年度党支部工作台账",
                            author=info.branch_name)
    story = [Spacer(0, 60 * mm), TextBlock(info.branch_name, f.heading, 22, align="center"), Spacer(0, 8 * mm),
             TextBlock(f"{info.year}年度党支部工作台账", f.heading, 30, 30 * 1.4, align="center"), Spacer(0, 90 * mm),
             TextBlock(f"归档日期：{info.today.year}年{info.today.month}月{info.today.day}日", f.body, 14, align="center"),
             PageBreak(), TextBlock("目\u3000\u3000录", f.heading, 20, align="center"),
             TextBlock("页码为本合订本的页序；各文书自身的页码另计。", f.body, 9, align="center", color=colors.grey),
             Spacer(0, 4 * mm)]
    rows, indented = [], []
    for index, (level, text, page) in enumerate(lines):
        font, size = (f.heading, 12) if level == 0 else (f.body, 10.5)
        rows.append([TextBlock(text, font, size, size * 1.45), TextBlock(str(page), font, size, size * 1.45, align="right")])
        if level:
            indented.append(("LEFTPADDING", (0, index), (0, index), 7 * mm))
    table = Table(rows, colWidths=[doc.width - 16 * mm, 16 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0), *indented,
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0.6 * mm),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0.6 * mm),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.lightgrey)]))
    story.append(table)
    doc.build(story)


def write_book(info: ArchiveYear, entries: list[ArchiveEntry], pdfs: list[Path], out: Path) -> int:
    """The combined PDF: cover, contents, every document's PDF; bookmarks per section and document.

    Returns the number of pages. Each document's page count is read first so the contents can give
    where each starts; the contents are laid out twice, the second time knowing their own length.
    """
    from pypdf import PdfReader, PdfWriter

    readers = [PdfReader(path) for path in pdfs]
    for entry, reader in zip(entries, readers, strict=True):
        entry.pages = len(reader.pages)
    front = out.with_name("front.partial.pdf")

    def lines(offset: int) -> list[tuple[int, str, int]]:
        result, page, current = [], offset + 1, None
        for entry in entries:
            if entry.section is not current:
                current = entry.section
                result.append((0, current.folder, page))
            result.append((1, entry.title, page))
            page += entry.pages
        return result

    front_pages = 0
    for _ in range(3):  # the contents' length settles at once in practice
        _front_matter(info, lines(front_pages), front)
        length = len(PdfReader(front).pages)
        if length == front_pages:
            break
        front_pages = length
    writer = PdfWriter()
    writer.append(front, import_outline=False)
    front.unlink()
    writer.add_outline_item(title="封面", page_number=0)
    writer.add_outline_item(title="目录", page_number=1)
    page, current, parent = front_pages, None, None
    for entry, reader in zip(entries, readers, strict=True):
        writer.append(reader, import_outline=False)  # first: a bookmark points at a page already there
        if entry.section is not current:
            current = entry.section
            parent = writer.add_outline_item(title=current.folder, page_number=page)
        writer.add_outline_item(title=entry.title, page_number=page, parent=parent)
        page += entry.pages
    writer.page_mode = "/UseOutlines"
    writer.add_metadata({"/Title": f"{info.branch_name} {info.year}年度党支部工作台账", "/Author": info.branch_name})
    with open(out, "wb") as stream:
        writer.write(stream)
    return page


# ---- the index ---------------------------------------------------------------------------------------

def index_context(info: ArchiveYear, result: ArchiveResult) -> dict:
    """Every file of the archive, by section: the document, its Word and PDF file, its pages."""
    from .documents.listing import block, listing_context

    columns = [("序号", 11, "center"), ("文书", 0, "left"), ("Word 文件", 0, "left"), ("PDF 文件", 0, "left"),
               ("页数", 12, "center")]
    book = result.book.name
    blocks = [block("合订本与索引", [f"全年台账共 {len(result.entries)} 份文书，每份都有 Word 和 PDF 两种文件，按栏目放在"
                                   f"编号的文件夹中；合订本“{book}”按栏目合订了全部 PDF，附目录和书签。"],
                    columns, [["", "合订本", "", book, str(result.pages)], ["", "索引（本文件）", f"{INDEX_NAME}.docx",
                                                                             f"{INDEX_NAME}.pdf", ""]])]
    current, rows = None, []
    for entry in result.entries:
        if entry.section is not current:
            current, rows = entry.section, []
            blocks.append(block(current.folder, [], columns, []))
            blocks[-1]["rows"] = rows
        names = [name.removeprefix(current.folder + "/") for name in entry.files]
        rows.append([str(len(rows) + 1), entry.title, *names, str(entry.pages)])
    made_on = f"{info.today.year}年{info.today.month}月{info.today.day}日"
    return listing_context("全年台账索引", info.branch_name, f"{info.year}年度", blocks, made_on, landscape=True)


def write_index(info: ArchiveYear, result: ArchiveResult, folder: Path) -> None:
    from .documents.listing import make_listing

    context = index_context(info, result)
    for suffix in FORMATS:
        make_listing(context, folder / f"{INDEX_NAME}{suffix}")
