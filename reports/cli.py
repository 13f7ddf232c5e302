"""``python -m reports``: the quarterly report (.docx) and its appendix (.xlsx) for a scheduled run.

The only place of the package that prints; library errors become a Vietnamese message and exit code 1.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from etl import settings
from etl.store.db import open_database
from reports.appendix import build_appendix
from reports.docx_report import Issuer, build_report_files, document_number
from reports.errors import ReportBuildError
from reports.scope import output_names, report_filters


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reports",
        description="Lập báo cáo kết quả thực hiện Kế hoạch TTĐN (.docx) và phụ lục danh sách nhiệm vụ (.xlsx).",
    )
    parser.add_argument(
        "--province", required=True, help="Tỉnh, thành phố (tên hiện nay hoặc tên như ghi trong báo cáo)."
    )
    parser.add_argument("--period", required=True, help="Kỳ báo cáo: 2022-Q3 | 2022-H1 | 2022-9M | 2022.")
    parser.add_argument("--db", type=Path, help="Tệp DuckDB (mặc định: TTDN_DB).")
    parser.add_argument(
        "--out", type=Path, default=Path("."), help="Thư mục ghi tệp (mặc định: thư mục hiện tại)."
    )
    parser.add_argument(
        "--as-of", type=date.fromisoformat, help="Ngày tính (YYYY-MM-DD); mặc định: ngày cuối kỳ."
    )
    parser.add_argument(
        "--date", type=date.fromisoformat, help="Ngày ký báo cáo (YYYY-MM-DD); mặc định: hôm nay."
    )
    parser.add_argument("--office", default=Issuer.office, help="Cơ quan ban hành (mặc định: %(default)s).")
    parser.add_argument(
        "--office-code", default=Issuer.office_code, help="Ký hiệu sau BC- (mặc định: %(default)s)."
    )
    parser.add_argument("--number", default="", help="Số báo cáo (để trống để ghi tay).")
    parser.add_argument("--signer", default="", help="Họ và tên người ký.")
    parser.add_argument("--pdf", action="store_true", help="Ghi thêm bản PDF của báo cáo (in bằng Chromium).")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.getLogger("choreographer").setLevel(logging.CRITICAL)  # Chromium's pipe chatter is not ours
    db_path = args.db or settings.path("TTDN_DB")
    url = "" if args.db else settings.get("TTDN_DATABASE_URL")
    if not url and not Path(db_path).is_file():
        print(f"Không tìm thấy cơ sở dữ liệu '{db_path}'. Chỉ đường dẫn tệp DuckDB bằng --db hoặc TTDN_DB.",
              file=sys.stderr)  # fmt: skip
        return 1
    started = time.perf_counter()
    conn = open_database(url, db_path).reader()
    issuer = Issuer(
        office=args.office, office_code=args.office_code, number=args.number, signer_name=args.signer
    )
    try:
        filters = report_filters(conn, args.province, args.period, as_of=args.as_of)
        report = build_report_files(conn, filters, issuer=issuer, today=args.date, with_pdf=args.pdf)
        appendix = build_appendix(conn, filters, document_number(issuer))
    except ReportBuildError as exc:
        print(f"Không lập được báo cáo: {exc.message}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    docx_name, xlsx_name, pdf_name = output_names(filters)
    written = {docx_name: report.docx, xlsx_name: appendix} | ({pdf_name: report.pdf} if report.pdf else {})
    for name, content in written.items():
        (args.out / name).write_bytes(content)
    seconds = time.perf_counter() - started
    print(f"Đã lập báo cáo {filters.province}, kỳ {filters.period} trong {seconds:.1f} giây:")
    for name in written:
        print(f"  {args.out / name}")
    return 0
