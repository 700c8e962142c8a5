"""Excel roster import: 10,000 invented members read, mapped and validated, then committed.

Target (design.md): Excel import of 10,000 members with validation ≤ 5 s. The validation step
(read with python-calamine + find the header + map the columns + preview every row) is timed as
the median of N runs; the commit (backup, one transaction, ``executemany``) into a copy of the 5,000-member × 10-year
demo ledger (``--members 0``: an empty ledger) is timed once per run too. For context it also times openpyxl reading the same file once.

Run: ``python benchmarks/roster_import.py [--rows 10000] [--runs 5]``.
"""

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from _common import demo_ledger, median  # noqa: E402

TARGET_S = 5.0
TODAY = date(2026, 6, 30)
HEADERS = ["序号", "姓名", "性别", "民族", "出生日期", "身份证号", "籍贯", "学历", "参加工作时间", "入党时间", "转正时间",
           "人员类别", "党小组", "工作单位及职务", "联系电话", "家庭住址", "备注"]


def build_roster(path: Path, rows: int, seed: int = 1, phones: bool = True) -> None:
    """A roster of invented members, with the date spellings and quirks real files have."""
    from openpyxl import Workbook

    from ledger_app import vocab
    from ledger_app.demo import AREA_CODES, FEMALE_CHARS, MALE_CHARS, NATIVE_PLACES, SURNAMES
    from ledger_app.rules.dates import add_months
    from ledger_app.rules.id_number import check_character

    r = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    sheet.append(["XX街道机关党委党员花名册"])
    sheet.append(["（截至2026年6月）"])
    sheet.append(HEADERS)
    used = set()
    spellings = (lambda d: d, lambda d: f"{d.year}.{d.month:02d}", lambda d: f"{d.year}年{d.month}月",
                 lambda d: f"{d.year}-{d.month}-{d.day}", lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}")
    for number in range(1, rows + 1):
        sex = r.choice(("male", "female"))
        name = r.choice(SURNAMES) + "".join(r.choice(MALE_CHARS if sex == "male" else FEMALE_CHARS)
                                            for _ in range(r.choice((1, 2))))
        birth = date(r.randint(1940, 2000), r.randint(1, 12), r.randint(1, 28))
        while True:
            sequence = r.randrange(100) * 10 + r.choice((1, 3, 5, 7, 9) if sex == "male" else (0, 2, 4, 6, 8))
            first17 = f"{r.choice(AREA_CODES)[0]}{birth:%Y%m%d}{sequence:03d}"
            if first17 not in used:
                used.add(first17)
                break
        joined = min(add_months(birth, 12 * r.randint(19, 25) + r.randint(0, 11)), add_months(TODAY, -2))
        probationary = add_months(joined, 12) > TODAY
        converted = None if probationary else add_months(joined, 12)
        work = add_months(birth, 12 * 22)
        spell = r.choice(spellings)
        phone = f"13{r.randint(0, 9)}{r.randrange(10 ** 8):08d}"  # drawn either way: the same people
        sheet.append([
            number, name, vocab.SEXES[sex], r.choice(("汉族", "汉", "回族", "满族")), spell(birth),
            first17 + check_character(first17), r.choice(NATIVE_PLACES), r.choice(("本科", "大专", "研究生", "高中")),
            spell(work) if work <= TODAY else None, spell(joined), spell(converted) if converted else None,
            "预备党员" if probationary else "正式党员", f"第{number % 12 + 1}党小组", "某单位 科员",
            phone if phones else None, "某市某区某路 1 号", "",
        ])
    book.save(path)


def validate(path: Path):
    from ledger_app import roster_import as ri

    sheet = ri.read_workbook(path)
    header_row = ri.find_header(sheet)
    mapping = ri.offered_mapping(ri.header_texts(sheet, header_row))
    return ri.preview(sheet, mapping, TODAY, header_row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--members", type=int, default=5000, help="the demo ledger imported into (0: an empty one)")
    args = parser.parse_args()
    big = demo_ledger(args.members, 10) if args.members else None

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        os.environ["PARTY_LEDGER_HOME"] = str(folder / "home")  # backups go here, not to the user's folder
        from ledger_app import roster_import as ri
        from ledger_app.db import open_ledger

        roster = folder / "roster.xlsx"
        started = time.perf_counter()
        build_roster(roster, args.rows)
        print(f"built {args.rows:,}-row roster in {time.perf_counter() - started:.1f} s "
              f"({roster.stat().st_size / 1e6:.1f} MB)")

        started = time.perf_counter()
        from openpyxl import load_workbook

        book = load_workbook(roster, read_only=True)
        sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
        book.close()
        openpyxl_s = time.perf_counter() - started

        started = time.perf_counter()
        ri.read_workbook(roster)
        calamine_s = time.perf_counter() - started

        validation, commits = [], []
        for run in range(args.runs):
            target = folder / f"ledger-{run}.sqlite3"
            if big is not None:  # a copy of the demo ledger, so the backup and the checks see its size
                shutil.copyfile(big, target)
            with open_ledger(target):
                started = time.perf_counter()
                preview = validate(roster)
                validation.append(time.perf_counter() - started)
                assert not preview.problems, preview.problems[:3]
                started = time.perf_counter()
                result = ri.commit(preview, roster.name)
                commits.append(time.perf_counter() - started)
                assert result.created == args.rows
            target.unlink()
        # The other paths, once each: the same people filled in (phones added) and the undo of both.
        without_phones = folder / "no-phones.xlsx"
        build_roster(without_phones, args.rows, phones=False)
        with open_ledger(folder / "fill-in.sqlite3"):
            ri.commit(validate(without_phones), without_phones.name)
            started = time.perf_counter()
            preview = validate(roster)
            assert preview.count("update") == args.rows
            ri.commit(preview, roster.name)
            fill_in_s = time.perf_counter() - started
            started = time.perf_counter()
            ri.undo_last_import()
            undo_fill_s = time.perf_counter() - started
            started = time.perf_counter()
            ri.undo_last_import()
            undo_new_s = time.perf_counter() - started
        check, write = median(validation), median(commits)
        print(f"read only: python-calamine {calamine_s:.2f} s, openpyxl (read-only) {openpyxl_s:.2f} s "
              f"({openpyxl_s / calamine_s:.1f}×)")
        print(f"read + map + validate, median of {args.runs}: {check:.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in validation)})")
        into = f"a copy of {big.name}" if big is not None else "an empty ledger"
        print(f"commit into {into} (backup + one transaction), median of {args.runs}: {write:.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in commits)})")
        total = check + write
        print(f"import with validation, total: {total:.2f} s = {total / TARGET_S:.2f} × the {TARGET_S:.0f} s target "
              f"{'PASS' if total <= TARGET_S else 'FAIL'}; validation alone {check / TARGET_S:.2f} ×; "
              f"load average {os.getloadavg()[0]:.1f}")
        print(f"filling in {args.rows:,} existing people (validate + commit): {fill_in_s:.2f} s; "
              f"undo of that: {undo_fill_s:.2f} s; undo of {args.rows:,} new people: {undo_new_s:.2f} s")


if __name__ == "__main__":
    main()
