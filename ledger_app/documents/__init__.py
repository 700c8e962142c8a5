"""Documents: context builders (ledger data → plain dict) and two renderers, Word and PDF.

A context builder is shared by both renderers and tested on its own; ``word`` fills a docxtpl
template a clerk may replace, ``pdf`` lays the same context out with reportlab. The heavy
libraries are imported only here, only when a document is made.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import private
from ..errors import LedgerError

MISSING = "【待补充】"  # printed wherever the clerk left a field empty; never invented


def cn_date(day) -> str:
    """2026-11-22 → 2026年11月22日, as documents date things."""
    return f"{day.year}年{day.month}月{day.day}日"


@contextmanager
def atomic_output(out: Path) -> Iterator[Path]:
    """A temporary path beside ``out`` to write to; it replaces ``out`` only when the block succeeds,
    so a document is written whole or not at all (and a failure leaves nothing behind)."""
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    try:
        private.make_dirs(out.parent)
        private.create_file(partial)  # documents name people: the owner's only, from the first byte
        yield partial
        private.restrict(partial)  # in case the writer replaced the file instead of writing into it
        os.replace(partial, out)
    except OSError as exc:
        raise LedgerError(f"无法写入“{out}”：{exc.strerror}（文件是否正在其他程序中打开？）") from exc
    finally:
        partial.unlink(missing_ok=True)
