"""Command line: ``python -m etl ingest PATH...``, ``plan import FILE``, ``submissions list | withdraw ID
--reason … | restore ID``, ``backup DIR``, ``restore DIR`` and ``users …``.

The only place (with the pages) that prints; it translates library errors into messages and exit codes.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from etl import settings
from etl.accounts import cli as users_cli
from etl.errors import BackupError, PlanError, SubmissionError
from etl.model import FileResult, Verdict
from etl.store.backup import backup, restore
from etl.store.batch import BatchPolicy
from etl.store.db import Database, open_database
from etl.store.load import IngestOptions, ingest_paths, report_files
from etl.store.plan_import import plan_to_json, read_plan, save_plan_to_db
from etl.store.versions import make_submission_current, withdraw_submission

VERDICT_VI = {
    Verdict.LOADED: "ĐÃ NẠP",
    Verdict.REJECTED: "TỪ CHỐI",
    Verdict.DUPLICATE: "TRÙNG",
    Verdict.PREVIEWED: "XEM TRƯỚC",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl", description="Nạp báo cáo và kế hoạch TTĐN vào DuckDB."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ingest = sub.add_parser(
        "ingest", help="Nạp các tệp báo cáo (.xlsx, .xlsm, .xls, .ods, .csv) hoặc thư mục."
    )
    ingest.add_argument("paths", nargs="+", type=Path)
    ingest.add_argument("--db", type=Path, help="Tệp DuckDB (mặc định: TTDN_DB).")
    ingest.add_argument("--province", help="Tỉnh, khi tệp không ghi.")
    ingest.add_argument("--unit", help="Đơn vị báo cáo, khi tệp không ghi.")
    ingest.add_argument("--period", help="Kỳ báo cáo: 2022-Q3 | 2022-H1 | 2022-9M | 2022, khi tệp không ghi.")
    ingest.add_argument("--json", action="store_true", help="Mỗi tệp một dòng JSON.")
    ingest.add_argument(
        "--publish-every",
        type=float,
        default=BatchPolicy.max_seconds,
        metavar="GIÂY",
        help="Ghi các tệp đã kiểm tra vào CSDL sau mỗi chừng ấy giây (mặc định %(default)s); "
        "tệp chỉ được báo «đã nạp» khi đã ghi.",
    )
    plan = sub.add_parser("plan", help="Kế hoạch: nhập văn bản kế hoạch.")
    plan_sub = plan.add_subparsers(dest="plan_command", required=True)
    imp = plan_sub.add_parser("import", help="Nhập kế hoạch từ .txt hoặc .docx.")
    imp.add_argument("file", type=Path)
    imp.add_argument("--province")
    imp.add_argument("--year", type=int)
    imp.add_argument("--db", type=Path)
    imp.add_argument("--json", action="store_true")
    users_cli.add_parser(sub)
    _admin_commands(sub)
    return parser


def _admin_commands(sub: argparse._SubParsersAction) -> None:
    subs = sub.add_parser("submissions", help="Báo cáo đã nạp: xem, rút, dùng lại một bản.")
    subs_sub = subs.add_subparsers(dest="submissions_command", required=True)
    listing = subs_sub.add_parser("list", help="Các báo cáo đã nạp, mới nạp trước.")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    withdraw = subs_sub.add_parser("withdraw", help="Rút một báo cáo nạp nhầm (vẫn giữ trong lịch sử).")
    withdraw.add_argument("submission_id", type=int, metavar="MÃ")
    withdraw.add_argument("--reason", required=True, help="Lý do rút, ghi vào lịch sử.")
    current = subs_sub.add_parser("restore", help="Dùng lại một bản đã bị thay thế hoặc đã rút.")
    current.add_argument("submission_id", type=int, metavar="MÃ")
    backup = sub.add_parser("backup", help="Sao lưu CSDL, các tệp đã lưu trữ và bản xuất Parquet vào DIR.")
    restore = sub.add_parser("restore", help="Khôi phục CSDL và các tệp lưu trữ từ bản sao lưu DIR.")
    for command in (backup, restore):
        command.add_argument("folder", type=Path, metavar="DIR")
        command.add_argument("--archive", type=Path, help="Thư mục lưu trữ tệp (mặc định: TTDN_ARCHIVE).")
    migrate = sub.add_parser("migrate", help="Chuyển dữ liệu từ tệp DuckDB sang PostgreSQL, rồi đối chiếu.")
    migrate.add_argument("--to", required=True, metavar="postgresql://…", help="CSDL PostgreSQL đích.")
    migrate.add_argument("--replace", action="store_true", help="Thay dữ liệu đã có ở CSDL đích.")
    for command in (listing, withdraw, current, backup, restore, migrate):
        command.add_argument("--db", type=Path, help="Tệp DuckDB (mặc định: TTDN_DB).")


def main(argv: Sequence[str] | None = None) -> int:
    from etl.store.postgres import StoreUnavailable

    try:
        return _run(build_parser().parse_args(argv))
    except StoreUnavailable as exc:
        print(str(exc), file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "ingest":
        return _ingest(args)
    if args.command == "users":
        return users_cli.run(args)
    if args.command == "plan":
        return _plan_import(args)
    if args.command == "migrate":
        return _migrate(args)
    try:
        return _admin(args)
    except (SubmissionError, BackupError) as exc:
        print(str(exc), file=sys.stderr)
        return 1


def _database(db_file: Path | None):
    """``--db FILE`` names a DuckDB file; without it, the store the settings name (``TTDN_DATABASE_URL``
    or ``TTDN_DB``)."""
    return open_database("" if db_file else None, db_file)


def _admin(args: argparse.Namespace) -> int:
    db = _database(args.db)
    archive = getattr(args, "archive", None) or settings.path("TTDN_ARCHIVE")
    if args.command in ("backup", "restore") and not isinstance(db, Database):
        print(
            "Dữ liệu đang ở PostgreSQL (TTDN_DATABASE_URL): sao lưu và khôi phục bằng pg_dump / pg_restore "
            "của máy chủ, cùng thư mục lưu trữ tệp (TTDN_ARCHIVE).",
            file=sys.stderr,
        )
        return 1
    if args.command == "backup":
        done = backup(db, archive, args.folder)
        print(
            f"Đã sao lưu vào '{done.folder}': CSDL ({done.n_submissions} báo cáo), {done.n_archived} tệp lưu trữ, "
            f"{done.n_exported} bảng Parquet."
        )
    elif args.command == "restore":
        done = restore(db, archive, args.folder)
        print(
            f"Đã khôi phục từ '{done.folder}': {done.n_submissions} báo cáo, {done.n_archived} tệp lưu trữ. CSDL: {db.path}"
        )
    elif args.submissions_command == "list":
        _list_submissions(db, args.limit, args.json)
    elif args.submissions_command == "withdraw":
        instead = withdraw_submission(db, args.submission_id, args.reason)
        then = f" Bản được tính thay: mã {instead}." if instead else ""
        print(f"Đã rút báo cáo mã {args.submission_id} (lý do: {args.reason}).{then}")
    else:
        replaced = make_submission_current(db, args.submission_id)
        then = f" (thay cho mã {replaced})" if replaced else ""
        print(f"Báo cáo mã {args.submission_id} là bản được tính{then}.")
    return 0


def _copy_accounts_beside(db_path: Path, url: str) -> dict[str, int] | None:
    """The accounts of the install whose DuckDB file is ``db_path`` (``TTDN_ACCOUNTS_DB``; a relative
    name is beside that file) into PostgreSQL (``etl.accounts.migrate.copy_accounts``); None when the
    install has no accounts file (nothing to move). Here, not in etl.store: the store does not know
    the accounts."""
    from etl.accounts.migrate import copy_accounts

    name = Path(settings.get("TTDN_ACCOUNTS_DB"))
    path = name if name.is_absolute() else Path(db_path).parent / name
    return copy_accounts(path, url) if path.is_file() else None


def _migrate(args: argparse.Namespace) -> int:
    from etl.errors import AccountError
    from etl.store.migrate import MigrationError, migrate
    from etl.store.postgres import is_postgres_url

    if not is_postgres_url(args.to):
        print("--to phải là địa chỉ postgresql://…", file=sys.stderr)
        return 2
    source = Database(args.db)
    try:
        comparison = migrate(source, args.to, replace=args.replace)
    except MigrationError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"Đã chuyển '{source.path}' sang PostgreSQL. Đối chiếu (DuckDB → PostgreSQL):")
    for name, before, after in comparison.lines:
        print(f"  {'đúng' if before == after else 'KHÁC'}  {name}: {before} → {after}")
    try:
        accounts = _copy_accounts_beside(source.path, args.to)
    except AccountError as exc:
        print(f"Tài khoản chưa chuyển: {exc}", file=sys.stderr)
        return 1
    if accounts is None:
        print("Tài khoản: bản cài đặt này chưa có tệp tài khoản, không có gì để chuyển.")
    else:
        moved = ", ".join(
            f"{n} {label}"
            for label, n in zip(("người dùng", "phiên", "dòng nhật ký"), accounts.values(), strict=True)
        )
        print(f"Tài khoản đã chuyển: {moved}.")
    if not comparison.equal:
        print("Số liệu sau khi chuyển không khớp; kiểm tra lại trước khi dùng CSDL mới.", file=sys.stderr)
        return 1
    return 0


def _list_submissions(db: Database, limit: int, as_json: bool) -> None:
    if not db.exists():
        return
    rows = db.reader().execute(
        """SELECT submission_id, file_name, reporting_unit, period_year, period_kind, period_index,
               report_number, report_date, loaded_at,
               CASE WHEN withdrawn_at IS NOT NULL THEN 'withdrawn'
                    WHEN superseded_by IS NOT NULL THEN 'superseded' ELSE 'current' END AS state,
               superseded_by, withdrawn_reason
           FROM submissions ORDER BY loaded_at DESC, submission_id DESC LIMIT ?""",
        [limit],
    )
    names = [d[0] for d in rows.description]
    for row in rows.fetchall():
        item = dict(zip(names, row, strict=True))
        if as_json:
            print(json.dumps(item, ensure_ascii=False, default=str))
        else:
            print(_submission_line(item))


STATE_VI = {"current": "đang được tính", "superseded": "đã được thay thế", "withdrawn": "đã rút"}


def _submission_line(item: dict) -> str:
    period = f"{item['period_year']}-{item['period_kind']}{item['period_index'] or ''}"
    ref = f", số {item['report_number']}" if item["report_number"] is not None else ""
    ref += f", ngày {item['report_date']:%d/%m/%Y}" if item["report_date"] else ""
    state = STATE_VI[item["state"]]
    if item["state"] == "superseded":
        state += f" bởi mã {item['superseded_by']}"
    elif item["state"] == "withdrawn":
        state += f": {item['withdrawn_reason']}"
    return f"{item['submission_id']:>6}  {item['file_name']}  ({item['reporting_unit']}, {period}{ref}) — {state}"


def _plan_import(args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
        plan = read_plan(data, args.file.name, args.province, args.year)
    except OSError as exc:
        print(f"Không đọc được tệp '{args.file}': {exc.strerror}.", file=sys.stderr)
        return 1
    except PlanError as exc:
        print(f"Không nhập được kế hoạch '{args.file}': {exc}", file=sys.stderr)
        return 1
    plan_id = save_plan_to_db(_database(args.db), plan, data)
    if args.json:
        print(json.dumps(plan_to_json(plan, plan_id), ensure_ascii=False, default=str, indent=1))
    else:
        print(
            f"Đã lưu kế hoạch '{plan.title}' ({plan.number or 'không số'}, {plan.province_legacy}, "
            f"năm {plan.year}): {len(plan.tasks)} nhiệm vụ, mã kế hoạch {plan_id}."
        )
        for warning in plan.warnings:
            print(f"  - Cảnh báo: {warning}")
    return 0


def _ingest(args: argparse.Namespace) -> int:
    db = _database(args.db)
    options = IngestOptions(
        province=args.province, unit=args.unit, period=args.period, loaded_by=f"cli:{getpass.getuser()}"
    )
    missing = [p for p in args.paths if not p.exists()]
    for path in missing:
        print(f"Không tìm thấy '{path}'.", file=sys.stderr)
    total = len(report_files([p for p in args.paths if p.exists()]))
    bar = tqdm(total=total, unit="tệp", disable=args.json or total < 10, file=sys.stderr)

    def show(result: FileResult) -> None:
        bar.update(1)
        if args.json:
            print(json.dumps(result.to_json(), ensure_ascii=False, default=str), flush=True)
        elif result.verdict is not Verdict.LOADED or total < 10:
            bar.write(_summary(result))

    policy = BatchPolicy(max_seconds=args.publish_every)
    results = ingest_paths(db, [p for p in args.paths if p.exists()], options, show, policy)
    bar.close()
    if not args.json:
        counts = {v: sum(r.verdict is v for r in results) for v in Verdict}
        print(
            f"{len(results)} tệp: {counts[Verdict.LOADED]} đã nạp, {counts[Verdict.DUPLICATE]} trùng, "
            f"{counts[Verdict.REJECTED]} bị từ chối; {sum(r.rows for r in results if r.verdict is Verdict.LOADED)} "
            f"dòng nhiệm vụ. CSDL: {db.path}"
        )
    return 1 if missing or any(r.verdict is Verdict.REJECTED for r in results) else 0


def _summary(result: FileResult) -> str:
    head = f"[{VERDICT_VI[result.verdict]}] {result.file}"
    if result.verdict is Verdict.LOADED:
        head += f": {result.rows} nhiệm vụ (mã nộp {result.submission_id}), {len(result.warnings)} cảnh báo"
    lines = (
        [head]
        + [f"  - Lỗi: {p}" for p in result.errors]
        + [f"  - Cảnh báo: {p}" for p in result.warnings[:5]]
    )
    if len(result.warnings) > 5:
        lines.append(f"  - … và {len(result.warnings) - 5} cảnh báo khác")
    return "\n".join(lines)
