"""The command line: ``party-ledger``. Plain ``party-ledger`` opens the GUI on the default ledger.

Every command takes ``--db PATH`` (default: ``$PARTY_LEDGER_DB`` or the ledger in the user data
folder), exits 0 on success and prints a clear message and exits non-zero on bad input. A ledger
with a password is unlocked with ``--password-file F`` or, on a terminal, by asking (never from the
command line itself). Modules
with heavy imports are imported inside the command that needs them, so ``--help`` stays fast.
"""

import argparse
import sys
from pathlib import Path

from .errors import LedgerError, environment_message

EXIT_PROBLEMS = 1  # verify found problems
_SQLITE_MAX_INT = 2**63 - 1


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"应为正整数，而不是 {value}")
    if value > _SQLITE_MAX_INT:  # an id this large cannot even be looked up: SQLite raises OverflowError
        raise argparse.ArgumentTypeError(f"{value} 太大了，不是有效的编号或数量")
    return value


def _db_option(parser: argparse.ArgumentParser, top: bool = False) -> None:
    # On a subcommand the option must not reset a --db given before the command name.
    parser.add_argument("--db", metavar="PATH", default=None if top else argparse.SUPPRESS,
                        help="台账文件（默认：$PARTY_LEDGER_DB 或用户数据文件夹中的台账）")
    parser.add_argument("--password-file", metavar="FILE", default=None if top else argparse.SUPPRESS,
                        help="台账设置了密码时，从此文件的第一行读取密码或恢复密钥（不设时在终端中询问）")


def _read_secret(file: str | None, prompt: str) -> str | None:
    """A password from the first line of ``file``, else asked on a terminal, else None."""
    if file:
        try:
            lines = Path(file).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeError) as exc:
            raise LedgerError(f"无法读取密码文件“{file}”：{getattr(exc, 'strerror', None) or exc}") from exc
        return lines[0] if lines else ""
    if sys.stdin is not None and sys.stdin.isatty():
        import getpass

        return getpass.getpass(prompt)
    return None


def _install_password_provider(password_file: str | None) -> None:
    from . import crypto

    def provide(path: Path) -> bytes | None:
        secret = _read_secret(password_file, f"“{path.name}”的密码（或恢复密钥）：")
        return None if secret is None else crypto.unlock(path, secret)

    crypto.set_provider(provide)


def _new_password(file: str | None) -> str:
    """The new password from ``--new-password-file``, or typed twice on a terminal."""
    if file:
        return _read_secret(file, "")
    first = _read_secret(None, "新密码：")
    if first is None:
        raise LedgerError("请用 --new-password-file 指定新密码所在的文件（不在命令行上直接写密码）。")
    if _read_secret(None, "再输入一次新密码：") != first:
        raise LedgerError("两次输入的新密码不一致，密码未改动。")
    return first


def cmd_password(args) -> int:
    from . import crypto
    from .db import resolve_ledger_path

    path = resolve_ledger_path(args.db)
    if not path.exists():
        raise LedgerError(f"台账文件不存在：{path}")
    if args.password_command == "set":
        new = _new_password(args.new_password_file)
        crypto.check_password(new)
        recovery = crypto.encrypt_ledger(path, new)
        print(f"已为台账 {path} 设置密码。忘记密码时，只有下面的恢复密钥能打开台账，请打印或抄下后妥善保管：")
        print(recovery)
        return 0
    if args.password_command == "restore-key":
        if not crypto.lost_key_file(path):
            raise LedgerError(f"台账“{path.name}”的密钥文件还在（或台账没有设置密码），不需要重建。")
        recovery = _read_secret(args.password_file, "恢复密钥：")
        if recovery is None:
            raise LedgerError("请用 --password-file 指定恢复密钥所在的文件，或在终端中运行以便输入。")
        crypto.restore_key_file(path, recovery, _new_password(args.new_password_file))
        print(f"已重建密钥文件 {crypto.key_file_for(path)}：台账可以用新密码打开，原来的恢复密钥仍然有效。")
        return 0
    if not crypto.is_encrypted(path):
        raise LedgerError(f"台账“{path.name}”没有设置密码。")
    key = crypto.key_for(path)
    if args.password_command == "change":
        crypto.change_password(path, key, _new_password(args.new_password_file))
        print("密码已更改，恢复密钥不变。")
    else:
        crypto.decrypt_ledger(path, key)
        print(f"已取消台账 {path} 的密码，文件不再加密。")
    return 0


def cmd_gui(args) -> int:
    # The core modules the first window needs are loaded before Qt: once PySide6 is in, it reads
    # the source of each newly imported module (for its ``__feature__`` switch), a few ms in all.
    from . import backup, db, overview  # noqa: F401

    # isort: split
    from ui.app import run

    return run(args.db)


def cmd_demo(args) -> int:
    from .demo import generate_demo

    path = Path(args.db).absolute()
    if path.exists() and path.stat().st_size > 0:
        raise LedgerError(f"文件已存在：{path}。演示台账只写入新文件，请换一个文件名。")
    stats = generate_demo(path, members=args.members, years=args.years, seed=args.seed,
                          progress=None if args.quiet else _print_progress)
    print(f"演示台账已写入 {path}：{stats}")
    return 0


def _print_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_export(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .exchange import export_ledger

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        count = export_ledger(Path(args.out))
    print(f"已导出 {count} 条记录到 {Path(args.out).absolute()}（含个人信息，请妥善保管）。")
    return 0


def cmd_import(args) -> int:
    from .exchange import import_ledger

    target = Path(args.db).absolute()
    count = import_ledger(Path(args.file), target)
    print(f"已从 {args.file} 导入 {count} 条记录到新台账 {target}。")
    return 0


def cmd_backup(args) -> int:
    from .backup import make_backup
    from .db import resolve_ledger_path

    path = resolve_ledger_path(args.db)
    if not path.exists():
        raise LedgerError(f"台账文件不存在：{path}")
    print(make_backup(path, args.to, keep=args.keep))
    return 0


def cmd_restore(args) -> int:
    from .backup import inspect_backup, restore_backup
    from .db import resolve_ledger_path

    info = inspect_backup(args.file)
    print(f"备份校验通过：{info.branch_name or '（未设置支部）'}，在册党员 {info.members} 人，会议 {info.meetings} 次，"
          f"党费记录 {info.dues_payments} 条，最后修改 {info.last_change or '无'}。")
    previous = restore_backup(args.file, resolve_ledger_path(args.db))
    if previous:
        print(f"被替换的台账已备份到 {previous}")
    print("恢复完成。")
    return 0


def cmd_verify(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .verify import verify_ledger

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        problems = verify_ledger()
    for problem in problems:
        print(problem)
    if problems:
        print(f"共发现 {len(problems)} 个问题。", file=sys.stderr)
        return EXIT_PROBLEMS
    print("检查通过：文件完整，所有记录符合规则。")
    return 0


def cmd_dues_standard(args) -> int:
    import json

    from .db import open_ledger, resolve_ledger_path
    from .money import format_yuan, parse_yuan
    from .rules.dues import DuesSettings, monthly_standard
    from .vocab import DUES_CATEGORIES

    base_fen = parse_yuan(args.base, "base", "党费基数（--base）")
    path = resolve_ledger_path(args.db)
    settings = DuesSettings()
    if path.exists():  # the ledger's own rounding and farmers' amount, when there is a ledger
        from .services.settings import dues_settings

        with open_ledger(path, readonly=True):
            settings = dues_settings()
    standard = monthly_standard(args.category, base_fen, settings)
    if args.json:
        print(json.dumps({"category": args.category, "base_fen": base_fen, "standard_fen": standard.amount_fen,
                          "band": standard.band, "rounding": settings.rounding}, ensure_ascii=False))
    else:
        print(f"{DUES_CATEGORIES[args.category]}，基数 {format_yuan(base_fen)} 元：每月应交 {format_yuan(standard.amount_fen)} 元"
              f"（{standard.band}）")
    return 0


def cmd_members_import(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .roster_import import import_roster_file

    with open_ledger(resolve_ledger_path(args.db)):
        report = import_roster_file(Path(args.file), dry_run=args.dry_run)
    for problem in report.problems:
        print(problem)
    print(report.summary(), file=sys.stderr if report.problems else sys.stdout)
    return EXIT_PROBLEMS if report.problems else 0


def cmd_members_undo_import(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .roster_import import undo_last_import

    with open_ledger(resolve_ledger_path(args.db)):
        print(undo_last_import())
    return 0


def cmd_members_export(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .roster_export import export_roster_xlsx

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        count = export_roster_xlsx(Path(args.out))
    print(f"已导出 {count} 名党员到 {Path(args.out).absolute()}（含个人信息，请妥善保管）。")
    return 0


def cmd_doc_roster(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .documents.roster import make_roster

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        out = make_roster(Path(args.out), full_id=args.full_id)
    print(out)
    return 0


def cmd_doc_card(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .documents.member_card import make_member_card

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        out = make_member_card(args.person_id, Path(args.out))
    print(out)
    return 0


def cmd_doc_letter(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .documents.transfer_letter import make_transfer_letter

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        out = make_transfer_letter(args.transfer_id, Path(args.out))
    print(out)
    return 0


def _year_month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(part) for part in text.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是年月（应为 YYYY-MM，如 2026-03）") from None
    if not (1 <= month <= 12 and 1900 <= year <= 9999):
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的年月（应为 YYYY-MM，如 2026-03）")
    return year, month


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是年份（应为四位数字，如 2026）") from None
    if not 1900 <= year <= 9999:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的年份（应为四位数字，如 2026）")
    return year


def _print_report(report, as_json: bool) -> None:
    """A report object with ``to_json()`` (plain data) and ``lines()`` (Chinese text lines)."""
    import json

    if as_json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        for line in report.lines():
            print(line)


def cmd_meetings_check(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .services.compliance import compliance_report

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        _print_report(compliance_report(args.year), args.json)
    return 0


def cmd_appraisal_show(args) -> int:
    """民主评议 of a year: the round and each member's grade."""
    import json

    from .db import open_ledger, resolve_ledger_path
    from .services import appraisal
    from .vocab import APPRAISAL_GRADES

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        sheet = appraisal.sheet(args.year)
        info = sheet.round
        if args.json:
            print(json.dumps({
                "year": args.year, "held_on": info.held_on.isoformat() if info else None,
                "meeting": info.meeting_label if info else None, "note": info.note if info else "",
                "complete": sheet.complete, "counts": sheet.counts(), "warning": sheet.warning,
                "members": [{"person_id": r.person_id, "name": r.name, "group": r.group_name or None,
                             "role": r.role, "grade": r.grade} for r in sheet.rows]}, ensure_ascii=False, indent=1))
            return 0
        print(f"{args.year}年度民主评议党员：" + ((info.meeting_label or info.held_on.isoformat()) if info else "尚未登记评议"))
        for r in sheet.rows:
            print(f"  {r.name}\t{r.group_name or '—'}\t{r.grade_label or ('未评定' if r.may_grade else r.role_label)}")
        counts = "、".join(f"{APPRAISAL_GRADES[code]} {n} 人" for code, n in sheet.counts().items())
        print(f"合计：{counts}；" + ("已完成评定。" if sheet.complete else f"未评定 {len(sheet.missing)} 人。"))
        if sheet.warning:
            print(sheet.warning)
    return 0


def cmd_talks_list(args) -> int:
    """谈心谈话 of a year: the log and who on the roll has had no talk."""
    import json

    from .db import open_ledger, resolve_ledger_path
    from .services import talks

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        rows = talks.talks_in(args.year)
        coverage = talks.coverage(args.year)
        if args.json:
            data = coverage.to_json()
            data["log"] = [{"id": r.id, "held_on": r.held_on.isoformat(), "kind": r.kind,
                            "first_person_id": r.first_person_id, "first": r.first_name or None,
                            "second_person_id": r.second_person_id, "second": r.second_name or None,
                            "participants": r.participants, "gist": r.gist} for r in rows]
            print(json.dumps(data, ensure_ascii=False, indent=1))
            return 0
        for r in rows:
            people = f"{r.first_name}、{r.second_name}" if r.first_name and r.second_name else r.participants
            print(f"{r.held_on.isoformat()}\t{r.kind_label or '—'}\t{people}\t{r.gist}")
        print(coverage.line())
    return 0


def cmd_dues_arrears(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .services.dues import arrears_report

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        _print_report(arrears_report(args.as_of), args.json)
    return 0


def _make_document(db: str | None, maker, *maker_args) -> int:
    """Run a document maker on the ledger opened read-only; print the file written."""
    from .db import open_ledger, resolve_ledger_path

    with open_ledger(resolve_ledger_path(db), readonly=True):
        print(maker(*maker_args))
    return 0


def cmd_doc_minutes(args) -> int:
    from .documents.minutes import make_minutes

    return _make_document(args.db, make_minutes, args.meeting_id, Path(args.out))


def cmd_doc_signin(args) -> int:
    from .documents.minutes import make_signin

    return _make_document(args.db, make_signin, args.meeting_id, Path(args.out))


def cmd_doc_summary(args) -> int:
    from .documents.summary import write_summary

    return _make_document(args.db, write_summary, args.year, Path(args.out))


def cmd_doc_dues(args) -> int:
    from .documents import dues as dues_documents

    maker = {"dues-month": dues_documents.make_month_form, "dues-register": dues_documents.make_year_register,
             "dues-posting": dues_documents.make_posting}[args.doc_command]
    return _make_document(args.db, maker, args.period, Path(args.out))


def cmd_development_list(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .services.development import pipeline_report

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        _print_report(pipeline_report(), args.json)
    return 0


def cmd_development_check(args) -> int:
    from .db import open_ledger, resolve_ledger_path
    from .services.development import all_problems

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        problems = all_problems()
    for person_id, name, problem in problems:
        print(f"人员 #{person_id} {name}：{problem.message}")
    if problems:
        print(f"共发现 {len(problems)} 处不符合发展党员规则。", file=sys.stderr)
        return EXIT_PROBLEMS
    print("检查通过：发展党员各环节的日期符合规则。")
    return 0


def cmd_doc_notice(args) -> int:
    from .documents.development import make_notice

    return _make_document(args.db, make_notice, args.person_id, args.kind, Path(args.out))


def cmd_doc_development_record(args) -> int:
    from .documents.development import make_record

    return _make_document(args.db, make_record, args.person_id, Path(args.out))


def cmd_doc_development_register(args) -> int:
    from .documents.development import make_register

    return _make_document(args.db, make_register, args.year, Path(args.out))


def cmd_archive(args) -> int:
    from .archive import check_year, write_archive
    from .db import open_ledger, resolve_ledger_path

    check_year(args.year)
    last = [0]

    def progress(done: int, total: int, text: str) -> None:
        percent = done * 100 // total
        if not args.quiet and (percent >= last[0] + 10 or done == total):
            last[0] = percent
            print(f"{percent:3d}%  {text}", file=sys.stderr, flush=True)

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        result = write_archive(args.year, Path(args.out), progress)
    print(result.summary())
    return 0


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是日期（应为 YYYY-MM-DD，如 2026-01-05）") from None


def statistics_lines(stats) -> list[str]:
    """The statistics as plain text: a title per table, one line per row."""
    lines = [f"{stats.branch_name or '（未设置支部）'}{stats.year}年度党内统计（截至 {stats.as_of.isoformat()}）"]
    for table in stats.tables:
        lines.append(f"\n{table.title}")
        for row in table.rows:
            rest = "，".join(f"{header} {cell.text}" for header, cell in zip(table.headers[2:], row[2:], strict=True))
            lines.append(f"  {row[0].text}：{row[1].text}" + (f"（{rest}）" if rest else ""))
    return lines


def cmd_stats(args) -> int:
    import json

    from .db import open_ledger, resolve_ledger_path
    from .services.statistics import year_statistics

    with open_ledger(resolve_ledger_path(args.db), readonly=True):
        if args.out:
            from .documents.statistics import _check_suffix, write_statistics

            _check_suffix(Path(args.out))  # before counting: a wrong suffix is told at once
            print(write_statistics(args.year, Path(args.out), args.today))
            return 0
        stats = year_statistics(args.year, args.today)
    if args.json:
        print(json.dumps(stats.to_json(), ensure_ascii=False))
    else:
        print("\n".join(statistics_lines(stats)))
    return 0


def _command(group, name: str, help_text: str, func, json: bool = False) -> argparse.ArgumentParser:
    """A subcommand that opens a ledger (``--db`` and its password options), with ``--json`` when
    it reports data, run by ``func``."""
    sub = group.add_parser(name, help=help_text)
    _db_option(sub)
    if json:
        sub.add_argument("--json", action="store_true", help="以 JSON 输出")
    sub.set_defaults(func=func)
    return sub


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="party-ledger", description="党务台账：党支部党务工作离线台账。")
    _db_option(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="命令")

    gui = commands.add_parser("gui", help="打开图形界面")
    _db_option(gui)
    gui.set_defaults(func=cmd_gui)

    demo = commands.add_parser("demo", help="生成演示台账（虚构人员）")
    demo.add_argument("--db", metavar="PATH", required=True, help="要新建的台账文件")
    demo.add_argument("--members", type=_positive_int, default=60, help="党员人数（默认 60）")
    demo.add_argument("--years", type=_positive_int, default=3, help="年数（默认 3）")
    demo.add_argument("--seed", type=int, default=1, help="随机种子：同一种子生成同一台账")
    demo.add_argument("--quiet", action="store_true", help="不显示进度")
    demo.set_defaults(func=cmd_demo)

    export = commands.add_parser("export", help="把整个台账导出为开放的 JSON 格式")
    _db_option(export)
    export.add_argument("--out", required=True, metavar="FILE.json")
    export.set_defaults(func=cmd_export)

    imp = commands.add_parser("import", help="从 JSON 文件导入到一个新台账")
    imp.add_argument("file", metavar="FILE.json")
    imp.add_argument("--db", metavar="PATH", required=True, help="要新建的台账文件")
    imp.set_defaults(func=cmd_import)

    backup = commands.add_parser("backup", help="备份台账（经校验），输出备份文件路径")
    _db_option(backup)
    backup.add_argument("--to", metavar="DIR", help="备份到此文件夹（如 U 盘）")
    backup.add_argument("--keep", type=_positive_int, default=10, help="保留最近几份备份（默认 10）")
    backup.set_defaults(func=cmd_backup)

    restore = commands.add_parser("restore", help="校验后从备份恢复台账（先备份被替换的台账）")
    _db_option(restore)
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=cmd_restore)

    verify = commands.add_parser("verify", help="检查台账的完整性和每条记录是否符合规则")
    _db_option(verify)
    verify.set_defaults(func=cmd_verify)

    password = commands.add_parser("password", help="设置、更改或取消台账的密码（文件加密保存）").add_subparsers(
        dest="password_command", metavar="子命令", required=True)
    for name, help_text in (("set", "设置密码，并显示一次恢复密钥"), ("change", "更改密码"), ("remove", "取消密码"),
                            ("restore-key", "密钥文件丢失时，用恢复密钥（从 --password-file 读取）和新密码重建它")):
        sub = password.add_parser(name, help=help_text)
        _db_option(sub)
        if name != "remove":
            sub.add_argument("--new-password-file", metavar="FILE", help="从此文件的第一行读取新密码（不设时在终端中输入两次）")
        sub.set_defaults(func=cmd_password)

    dues = commands.add_parser("dues", help="党费").add_subparsers(dest="dues_command", metavar="子命令", required=True)
    standard = _command(dues, "standard", "按类别和基数计算每月党费标准", cmd_dues_standard, json=True)
    standard.add_argument("--category", required=True, choices=list(_dues_categories()),
                          help="党员类别：in_service 在职、retired 离退休、farmer 农民、student 学生、unemployed 下岗失业/低保")
    standard.add_argument("--base", required=True, metavar="YUAN", help="月党费基数（元），如 5100 或 4800.50")
    arrears = _command(dues, "arrears", "欠交党费：连续 3 个月提醒，6 个月标记", cmd_dues_arrears, json=True)
    arrears.add_argument("--as-of", type=_year_month, default=None, metavar="YYYY-MM", help="截至的月份（默认本月）")

    meetings = commands.add_parser("meetings", help="会议").add_subparsers(
        dest="meetings_command", metavar="子命令", required=True)
    check = _command(meetings, "check", "按会议类别和期间核对应开与已开", cmd_meetings_check, json=True)
    check.add_argument("--year", type=_year, required=True, metavar="YYYY")

    development = commands.add_parser("development", help="发展党员").add_subparsers(
        dest="development_command", metavar="子命令", required=True)
    _command(development, "list", "发展中的每个人：阶段、下一步、期限和问题", cmd_development_list, json=True)
    _command(development, "check", "检查全部发展党员记录是否符合规则（有问题时退出码为 1）", cmd_development_check)

    appraisal = commands.add_parser("appraisal", help="民主评议党员").add_subparsers(
        dest="appraisal_command", metavar="子命令", required=True)
    _command(appraisal, "show", "某年度的评议日期、会议和每人的评定等次", cmd_appraisal_show, json=True).add_argument(
        "year", type=_year, metavar="YYYY")
    talks = commands.add_parser("talks", help="谈心谈话").add_subparsers(
        dest="talks_command", metavar="子命令", required=True)
    _command(talks, "list", "某年度的谈话记录和尚未谈话的党员", cmd_talks_list, json=True).add_argument(
        "year", type=_year, metavar="YYYY")

    stats = commands.add_parser("stats", help="年终党内统计（截至 12 月 31 日）：打印，或写成 Excel / PDF")
    _db_option(stats)
    stats.add_argument("year", type=_year, metavar="YYYY")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出（每个数字附所统计的人员编号）")
    stats.add_argument("--out", metavar="FILE.xlsx|FILE.pdf|FILE.docx",
                       help="写成 Excel（每表一页）、PDF（含统计图）或 Word")
    stats.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD",
                       help="按哪一天核对会议和党费（默认今天；只影响尚未结束的年度）")
    stats.set_defaults(func=cmd_stats)

    members = commands.add_parser("members", help="党员花名册").add_subparsers(
        dest="members_command", metavar="子命令", required=True)
    members_import = members.add_parser("import", help="从 Excel 导入花名册（全部成功才写入）")
    _db_option(members_import)
    members_import.add_argument("file", metavar="FILE.xlsx")
    members_import.add_argument("--dry-run", action="store_true", help="只检查并列出问题，不写入")
    members_import.set_defaults(func=cmd_members_import)
    members_undo = members.add_parser("undo-import", help="整批撤销最近一次花名册导入（先自动备份）")
    _db_option(members_undo)
    members_undo.set_defaults(func=cmd_members_undo_import)
    members_export = members.add_parser("export", help="把花名册导出为 Excel（可再导入）")
    _db_option(members_export)
    members_export.add_argument("out", metavar="FILE.xlsx")
    members_export.set_defaults(func=cmd_members_export)

    doc = commands.add_parser("doc", help="生成文书（Word / PDF）").add_subparsers(
        dest="doc_command", metavar="文书", required=True)
    roster = _command(doc, "roster", "党员花名册", cmd_doc_roster)
    roster.add_argument("--out", required=True, metavar="FILE.pdf|FILE.docx|FILE.xlsx")
    roster.add_argument("--full-id", action="store_true", help="显示完整身份证号（默认中间隐去）")
    word_pdf, tables = "FILE.pdf|FILE.docx", "FILE.pdf|FILE.docx|FILE.xlsx"
    # doc NAME SUBJECT --out FILE: one document of one record or one period
    for name, help_text, (subject, subject_type, metavar), formats, func in (
            ("card", "党员信息卡（PDF）", ("person_id", _positive_int, "PERSON_ID"), "FILE.pdf", cmd_doc_card),
            ("letter", "组织关系介绍信", ("transfer_id", _positive_int, "TRANSFER_ID"), word_pdf, cmd_doc_letter),
            ("minutes", "会议记录", ("meeting_id", _positive_int, "MEETING_ID"), word_pdf, cmd_doc_minutes),
            ("signin", "签到表", ("meeting_id", _positive_int, "MEETING_ID"), word_pdf, cmd_doc_signin),
            ("notice", "发展党员公示（发展对象 / 拟接收预备党员 / 预备党员转正）", ("person_id", _positive_int, "PERSON_ID"),
             word_pdf, cmd_doc_notice),
            ("development-record", "发展党员全程纪实表（一人）", ("person_id", _positive_int, "PERSON_ID"), word_pdf,
             cmd_doc_development_record),
            ("development-register", "发展党员工作台账（一年）", ("year", _year, "YYYY"), word_pdf,
             cmd_doc_development_register),
            ("summary", "年度工作总结（GB/T 9704 版式）", ("year", _year, "YYYY"), word_pdf, cmd_doc_summary),
            ("dues-month", "党费收缴登记表（一个月）", ("period", _year_month, "YYYY-MM"), tables, cmd_doc_dues),
            ("dues-register", "党费收缴年度登记册", ("period", _year, "YYYY"), tables, cmd_doc_dues),
            ("dues-posting", "党费收缴公示（一年或一个月）", ("period", str, "YYYY|YYYY-MM"), tables, cmd_doc_dues)):
        sub = _command(doc, name, help_text, func)
        sub.add_argument(subject, type=subject_type, metavar=metavar)
        if name == "notice":
            sub.add_argument("--kind", required=True, choices=("target", "admission", "conversion"),
                             help="target：发展对象；admission：拟接收预备党员；conversion：预备党员转正")
        sub.add_argument("--out", required=True, metavar=formats)

    archive = commands.add_parser("archive", help="全年台账归档：每个栏目一个文件夹，Word 和 PDF，合订本和索引")
    _db_option(archive)
    archive.add_argument("year", type=_year, metavar="YYYY")
    archive.add_argument("--out", required=True, metavar="DIR", help="要新建的归档文件夹（不能是已有文件的文件夹）")
    archive.add_argument("--quiet", action="store_true", help="不显示进度")
    archive.set_defaults(func=cmd_archive)
    return parser


def _dues_categories():
    from .vocab import DUES_CATEGORIES

    return DUES_CATEGORIES


def gui_arguments(argv: list[str]) -> argparse.Namespace | None:
    """The arguments of a plain GUI start (``party-ledger``, ``party-ledger [gui] [--db PATH]``),
    or None for any other command line.

    Building the parser of every command takes about 4 ms, which the GUI's start-up budget cannot
    spare; anything this does not recognise (help, typos, other commands) goes to the full parser.
    """
    db, command, rest = None, None, list(argv)
    while rest:
        word = rest.pop(0)
        if word == "--db" and rest and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif word.startswith("--db=") and len(word) > len("--db="):
            db = word[len("--db="):]
        elif word == "gui" and command is None:
            command = word
        else:
            return None
    return argparse.Namespace(db=db, command=command, func=cmd_gui)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    for stream in (sys.stdout, sys.stderr):
        # A file name from the command line that is not valid UTF-8 arrives as lone surrogates; a
        # message naming it must still print (a UTF-8 terminal's stdout is strict) after the work.
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = gui_arguments(argv) or build_parser().parse_args(argv)
    if args.command is None:
        args.func = cmd_gui
    try:
        if args.func is not cmd_gui:
            _install_password_provider(getattr(args, "password_file", None))
        return args.func(args)
    except LedgerError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("已取消。", file=sys.stderr)
        return 130
    except Exception as exc:  # a full disk or a read-only stick deep inside a write is not a bug
        message = environment_message(exc)
        if message is None:
            raise
        print(f"错误：{message}", file=sys.stderr)
        return LedgerError.exit_code


if __name__ == "__main__":
    sys.exit(main())
