"""Command line: ``python -m etl ingest PATH...`` and ``python -m etl plan import FILE``.

The only place (with the pages) that prints; it translates library errors into messages and exit codes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from etl.errors import PlanError
from etl.model import FileResult, Verdict
from etl.store.batch import BatchPolicy
from etl.store.db import Database
from etl.store.load import IngestOptions, ingest_paths, report_files
from etl.store.plan_import import plan_to_json, read_plan, save_plan_to_db

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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "ingest":
        return _ingest(args)
    return _plan_import(args)


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
    plan_id = save_plan_to_db(Database(args.db), plan, data)
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
    db = Database(args.db)
    options = IngestOptions(province=args.province, unit=args.unit, period=args.period)
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
