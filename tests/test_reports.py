"""The quarterly report (.docx), its appendix (.xlsx) and the CLI, opened and read back.

The report is generated once on the fixture database (Hưng Yên, Quý III/2024, judged on 15/10/2024);
every number read from it is compared with the dashboard's query functions.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from openpyxl import load_workbook

from display.format import fmt_pct
from etl.store.db import Database
from queries import deadlines, overview, tasks
from queries.filters import Filters
from reports import ChromiumNotFound, EmptyReport, UnknownPeriod, UnknownProvince, figures, narrative, pdf
from reports.appendix import build_appendix
from reports.cli import main
from reports.data import collect
from reports.docx_report import Issuer, build_quarterly_report, build_report_files, report_document
from reports.images import PNG_MAGIC, figures_to_png
from reports.scope import report_filters
from tests.fixture_db import AS_OF

ROOT = Path(__file__).resolve().parent.parent
SIGNED = date(2024, 10, 16)
ISSUER = Issuer(number="12", signer_name="Nguyễn Văn A")


@pytest.fixture(scope="module")
def conn(fixture_db_path):
    db = Database(fixture_db_path)
    yield db.reader()
    db.close()


@pytest.fixture(scope="module")
def filters(conn) -> Filters:
    return report_filters(conn, "hung yen", "2024-Q3", as_of=AS_OF)


@pytest.fixture(scope="module")
def docx_bytes(conn, filters) -> bytes:
    started = time.perf_counter()
    data = build_quarterly_report(conn, filters, issuer=ISSUER, today=SIGNED)
    print(f"\nreport generated in {time.perf_counter() - started:.1f} s")
    return data


@pytest.fixture(scope="module")
def doc(docx_bytes):
    return Document(io.BytesIO(docx_bytes))


def _paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _section(doc, start: str, end: str | None) -> list:
    """The body paragraphs and tables between two section headings."""
    items, inside = [], False
    for block in doc.element.body.iterchildren():
        text = "".join(t.text or "" for t in block.iter(qn("w:t")))
        if block.tag == qn("w:p") and text.startswith(start):
            inside = True
            continue
        if inside and end and block.tag == qn("w:p") and text.startswith(end):
            break
        if inside:
            items.append(block)
    return items


def _text(block) -> str:
    return "".join(t.text or "" for t in block.iter(qn("w:t")))


def _table_rows(block) -> list[list[str]]:
    return [["".join(t.text or "" for t in cell.iter(qn("w:t"))) for cell in row.iter(qn("w:tc"))]
            for row in block.iter(qn("w:tr"))]  # fmt: skip


def _tables(items) -> list[list[list[str]]]:
    return [_table_rows(b) for b in items if b.tag == qn("w:tbl")]


def test_filters_resolve_any_spelling_and_refuse_unknown(conn):
    assert report_filters(conn, "HƯNG YÊN", "2024-q3", as_of=AS_OF).province == "Hưng Yên"
    assert report_filters(conn, "Thái Bình", "2024-Q3").as_of == date(2024, 9, 30)  # the period's end
    with pytest.raises(UnknownProvince, match="Hà Nội"):
        report_filters(conn, "Hà Nội", "2024-Q3")
    with pytest.raises(UnknownPeriod, match="Quý I/2024.*Các kỳ có dữ liệu"):
        report_filters(conn, "Hưng Yên", "2024-Q1")
    with pytest.raises(UnknownPeriod, match="không hợp lệ"):
        report_filters(conn, "Hưng Yên", "2024-Q5")


def test_header_title_and_layout(doc):
    header = _table_rows(doc.element.body.find(qn("w:tbl")))
    assert header[0][0] == "UBND TỈNH HƯNG YÊNSỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH"
    assert header[0][1] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAMĐộc lập - Tự do - Hạnh phúc"
    assert header[1] == ["Số: 12/BC-SVHTTDL", "Hưng Yên, ngày 16 tháng 10 năm 2024"]
    borders = doc.tables[0]._tbl.tblPr.find(qn("w:tblBorders"))
    assert {e.get(qn("w:val")) for e in borders} == {"nil"}
    texts = _paragraphs(doc)
    assert texts[texts.index("BÁO CÁO") + 1 : texts.index("BÁO CÁO") + 3] == [
        "Kết quả thực hiện Kế hoạch thông tin đối ngoại", "Quý III/2024"]  # fmt: skip
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["I. TÌNH HÌNH CHUNG", "II. KẾT QUẢ THEO ĐƠN VỊ", "III. KẾT QUẢ THEO CHỦ ĐỀ",
                        "IV. NHIỆM VỤ QUÁ HẠN", "V. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ",
                        "VI. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI"]  # fmt: skip
    closing = _table_rows(doc.element.body.findall(qn("w:tbl"))[-1])[0]
    assert closing[0].startswith("Nơi nhận:- UBND tỉnh (để báo cáo);") and closing[0].endswith("- Lưu: VT.")
    assert closing[1].startswith("GIÁM ĐỐC") and closing[1].endswith("Nguyễn Văn A")


def test_page_and_fonts(doc):
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    assert doc.styles["Heading 1"].font.name == "Times New Roman"


def test_narrative_numbers_are_the_dashboards(doc, conn, filters):
    k = overview.kpis(conn, filters)
    text = " ".join(_text(b) for b in _section(doc, "I. TÌNH HÌNH CHUNG", "II."))
    done = re.search(
        r"có (\d+)/(\d+) nhiệm vụ đã hoàn thành \(([\d,]+%)\), trong đó (\d+) đúng hạn, (\d+) quá hạn", text
    )
    assert done, text
    assert done.groups() == (str(k.n_done), str(k.n_tasks), fmt_pct(k.done_rate), str(k.n_done_on_time),
                             str(k.n_done_late))  # fmt: skip
    overdue = re.search(
        r"Có (\d+) nhiệm vụ quá hạn chưa hoàn thành: tỷ lệ quá hạn ([\d,]+%) trên tổng số nhiệm vụ được giao "
        r"\((\d+)/(\d+)\) và ([\d,]+%) trên số nhiệm vụ đã đến hạn tính đến ngày 15/10/2024 \((\d+)/(\d+)\)",
        text,
    )
    assert overdue, text
    assert overdue.groups() == (str(k.n_overdue), fmt_pct(k.overdue_rate_all), str(k.n_overdue), str(k.n_tasks),
                                fmt_pct(k.overdue_rate_due), str(k.n_overdue), str(k.n_due))  # fmt: skip
    assert f"Còn {k.n_in_progress} nhiệm vụ đang thực hiện trong hạn" in text
    assert "So với Quý II/2024" in text
    # Thái Bình's plan assigns 4 lead units; 2 sent their Quý III report
    assert (
        "Tình hình nộp báo cáo: 2/4 đơn vị đã nộp báo cáo Quý III/2024; chưa nộp: Báo Thái Bình, "
        "Sở Văn hóa, Thể thao và Du lịch." in text
    )


def test_unit_and_topic_tables(doc, conn, filters):
    section = _section(doc, "II. KẾT QUẢ THEO ĐƠN VỊ", "III.")
    unit_table, few_table = _tables(section)
    assert unit_table[0][:3] == ["STT", "Đơn vị chủ trì", "Số nhiệm vụ"]
    # As on Theo đơn vị: only units with at least TTDN_MIN_UNIT_TASKS (3) tasks are ranked by rate,
    # worst first; Báo Thái Bình and Sở Văn hóa lead one task each and are listed apart, not ranked.
    assert [(r[1], int(r[2]), int(r[3]), int(r[5])) for r in unit_table[1:]] == [
        ("Sở Ngoại vụ", 5, 1, 2), ("Sở Thông tin và Truyền thông", 9, 3, 2)]  # fmt: skip
    assert [(r[1], int(r[2])) for r in few_table[1:]] == [
        ("Báo Thái Bình", 1),
        ("Sở Văn hóa, Thể thao và Du lịch", 1),
    ]
    text = " ".join(_text(b) for b in section if b.tag == qn("w:p"))
    assert (
        "Tỷ lệ hoàn thành của 2 đơn vị chủ trì có từ 3 nhiệm vụ trở lên từ 20,0% (Sở Ngoại vụ, 1/5 nhiệm vụ) "
        "đến 33,3% (Sở Thông tin và Truyền thông, 3/9 nhiệm vụ). 2 đơn vị có ít hơn 3 nhiệm vụ chủ trì được "
        "liệt kê riêng, không xếp hạng theo tỷ lệ." in text
    )
    assert "Đơn vị có ít hơn 3 nhiệm vụ chủ trì (không xếp hạng theo tỷ lệ):" in text
    assert "Biểu đồ 2. Tỷ lệ hoàn thành theo đơn vị chủ trì có từ 3 nhiệm vụ trở lên" in text
    (topic_table,) = _tables(_section(doc, "III. KẾT QUẢ THEO CHỦ ĐỀ", "IV."))
    k = overview.kpis(conn, filters)
    assert topic_table[-1] == ["", "Tổng cộng", str(k.n_tasks), str(k.n_done), str(k.n_done_on_time),
                               str(k.n_overdue), fmt_pct(k.done_rate)]  # fmt: skip
    assert sum(int(r[2]) for r in topic_table[1:-1]) == k.n_tasks


def test_the_report_ranks_units_by_the_same_minimum_as_the_dashboard(conn, filters, monkeypatch):
    """TTDN_MIN_UNIT_TASKS moves the report's ranking as it moves Theo đơn vị's."""
    monkeypatch.setenv("TTDN_MIN_UNIT_TASKS", "1")
    data = collect(conn, filters)
    assert data.few_task_units.empty
    assert list(data.ranked_units["unit"]) == ["Báo Thái Bình", "Sở Văn hóa, Thể thao và Du lịch", "Sở Ngoại vụ",
                                               "Sở Thông tin và Truyền thông"]  # fmt: skip
    assert narrative.unit_range_sentence(data).startswith(
        "Tỷ lệ hoàn thành của 4 đơn vị chủ trì có từ 1 nhiệm vụ"
    )
    monkeypatch.setenv("TTDN_MIN_UNIT_TASKS", "10")
    data = collect(conn, filters)
    assert data.ranked_units.empty and len(data.few_task_units) == 4
    assert narrative.unit_range_sentence(data) == (
        "Không có đơn vị chủ trì nào có từ 10 nhiệm vụ trở lên. 4 đơn vị có ít hơn 10 nhiệm vụ chủ trì được liệt "
        "kê riêng, không xếp hạng theo tỷ lệ."
    )


def test_overdue_and_next_tables(doc, conn, filters):
    (overdue_table,) = _tables(_section(doc, "IV. NHIỆM VỤ QUÁ HẠN", "V."))
    overdue = deadlines.overdue_tasks(conn, filters)
    assert [(r[1], int(r[4])) for r in overdue_table[1:]] == list(
        zip(overdue["task_title"], overdue["days_overdue"], strict=True))  # fmt: skip
    next_table, closing = _tables(_section(doc, "VI. NHIỆM VỤ TRỌNG TÂM", None))
    assert closing[0][0].startswith("Nơi nhận:")
    due = deadlines.due_within(conn, filters, 30)
    assert [r[1] for r in next_table[1:]] == list(due["task_title"])


def test_charts_are_inline_png_images(doc):
    shapes = list(doc.inline_shapes)
    assert len(shapes) == 3
    for shape in shapes:
        blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        assert blob.startswith(PNG_MAGIC) and len(blob) > 20_000
        assert shape.width <= Cm(16.5) + 1
    captions = [t for t in _paragraphs(doc) if t.startswith("Biểu đồ")]
    assert [c.split(".")[0] for c in captions] == ["Biểu đồ 1", "Biểu đồ 2", "Biểu đồ 3"]


def test_the_status_chart_counts_in_whole_tasks(conn, filters):
    """A few tasks per class: one tick per task on the printed chart, never "2,5 nhiệm vụ"."""
    status = overview.kpis(conn, filters).breakdown()
    assert status["n_tasks"].max() <= 10
    assert figures.status_figure(status).layout.xaxis.dtick == 1


def test_difficulties_and_proposals_grouped_by_unit(doc, conn, filters):
    rows = tasks.task_table(conn, filters, limit=1000)
    said = {c: rows[c].fillna("").str.strip() != "" for c in ("difficulties", "proposals")}
    reported = rows[said["difficulties"] | said["proposals"]]
    expected_units = sorted(set(reported["reporting_unit"]))
    section = _section(doc, "V. KHÓ KHĂN", "VI.")
    groups: dict[str, list[str]] = {}
    current = None
    for block in section:
        text = "".join(t.text or "" for t in block.iter(qn("w:t")))
        if re.match(r"^\d+\. ", text):
            current = text.split(". ", 1)[1]
            groups[current] = []
        elif current and text.startswith("- "):
            groups[current].append(text)
    assert sorted(groups) == expected_units
    for row in reported.itertuples():
        lines = " ".join(groups[row.reporting_unit])
        if isinstance(row.difficulties, str) and row.difficulties.strip():
            assert f"Khó khăn, vướng mắc: {row.difficulties.rstrip('.')}" in lines
        if isinstance(row.proposals, str) and row.proposals.strip():
            assert f"Đề xuất, kiến nghị: {row.proposals.rstrip('.')}" in lines
    assert "Thiếu kinh phí" in " ".join(groups["Sở Thông tin và Truyền thông"])
    assert "Thiếu kinh phí" not in " ".join(groups.get("Sở Ngoại vụ", []))


def test_appendix_lists_every_task_with_its_status(conn, filters):
    book = load_workbook(io.BytesIO(build_appendix(conn, filters, "12/BC-SVHTTDL")))
    sheet = book["Nhiệm vụ"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0].startswith("PHỤ LỤC") and "Kèm theo Báo cáo số 12/BC-SVHTTDL" in rows[0][0]
    header = list(rows[2])
    assert "Nội dung nhiệm vụ" in header and "Tình trạng" in header
    body = rows[3:]
    expected = tasks.task_table(conn, filters, limit=1000)
    assert len(body) == tasks.count_tasks(conn, filters) == len(expected)
    title, status = header.index("Nội dung nhiệm vụ"), header.index("Tình trạng")
    assert [(r[title], r[status]) for r in body] == list(
        zip(expected["task_title"], expected["status_label"], strict=True))  # fmt: skip


def test_pdf_is_the_same_report_printed_by_chromium(conn, filters):
    files = build_report_files(conn, filters, issuer=ISSUER, today=SIGNED, with_pdf=True)
    assert files.pdf.startswith(b"%PDF") and files.pdf.count(b"/Type /Page") >= 3
    page = pdf.to_html(report_document(conn, filters, issuer=ISSUER, today=SIGNED))
    assert page.count("<img") == 3 and page.count("<h1>") == 6
    k = overview.kpis(conn, filters)
    assert f"có {k.n_done}/{k.n_tasks} nhiệm vụ đã hoàn thành" in page
    assert len(Document(io.BytesIO(files.docx)).inline_shapes) == 3


def test_pdf_looks_filed_by_an_office(conn, filters, tmp_path):
    """One font family for every character, page numbers, the document title, rules under the header."""
    files = build_report_files(conn, filters, issuer=ISSUER, today=SIGNED, with_pdf=True)
    path = tmp_path / "report.pdf"
    path.write_bytes(files.pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    families = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]).split("-")[0] for line in fonts.splitlines()[2:]}
    assert families == {"NotoSerif"}, fonts
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(
        r"^Title:\s+BÁO CÁO – Kết quả thực hiện Kế hoạch thông tin đối ngoại – Quý III/2024$", info, re.M
    )
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    for number in range(2, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(path), "-"],
                              capture_output=True, text=True, check=True).stdout  # fmt: skip
        assert text.strip().splitlines()[-1].strip() == str(number), f"page {number} has no page number"
    page = pdf.to_html(report_document(conn, filters, issuer=ISSUER, today=SIGNED))
    assert page.count('class="rule') == 2


def test_nothing_to_report_is_an_error(conn):
    empty = Filters(province="Hưng Yên", period="2024-Q3", topic="Không có chủ đề này", as_of=AS_OF)
    with pytest.raises(EmptyReport, match="Không có nhiệm vụ nào"):
        build_quarterly_report(conn, empty)
    with pytest.raises(EmptyReport):
        build_appendix(conn, empty)


def test_missing_chromium_says_how_to_fix(monkeypatch):
    import plotly.graph_objects as go

    monkeypatch.setenv("TTDN_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(ChromiumNotFound, match="/nonexistent/chromium.*apt-get install chromium"):
        figures_to_png([go.Figure(go.Bar(y=[1]))])


def test_cli_writes_docx_and_xlsx(fixture_db_path, tmp_path, capsys):
    code = main(["--province", "Hưng Yên", "--period", "2024-Q3", "--db", str(fixture_db_path), "--out",
                 str(tmp_path), "--as-of", AS_OF.isoformat(), "--date", "2024-10-16", "--pdf"])  # fmt: skip
    assert code == 0
    assert (tmp_path / "bao_cao_ttdn_hung_yen_2024-Q3.pdf").read_bytes().startswith(b"%PDF")
    docx_file = tmp_path / "bao_cao_ttdn_hung_yen_2024-Q3.docx"
    xlsx_file = tmp_path / "phu_luc_ttdn_hung_yen_2024-Q3.xlsx"
    assert Document(str(docx_file)).paragraphs and load_workbook(xlsx_file)["Nhiệm vụ"].max_row > 3
    assert "Đã lập báo cáo Hưng Yên" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("province", "period", "message"),
    [("Hà Nội", "2024-Q3", "Không có báo cáo nào của tỉnh, thành phố 'Hà Nội'"),
     ("Hưng Yên", "2023-Q3", "chưa có báo cáo nào cho kỳ Quý III/2023"),
     ("Hưng Yên", "quý 3", "không hợp lệ")],
)  # fmt: skip
def test_cli_refuses_unknown_province_or_period(fixture_db_path, tmp_path, capsys, province, period, message):
    code = main(
        ["--province", province, "--period", period, "--db", str(fixture_db_path), "--out", str(tmp_path)]
    )
    assert code == 1
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_cli_refuses_a_missing_database(tmp_path, capsys):
    assert main(["--province", "Hưng Yên", "--period", "2024-Q3", "--db", str(tmp_path / "nope.duckdb")]) == 1
    assert "Không tìm thấy cơ sở dữ liệu" in capsys.readouterr().err


def test_report_is_made_with_no_network(fixture_db_path, tmp_path):
    """Chart images need no internet: the whole CLI runs in a network namespace with no interface."""
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-n", "true"]).returncode != 0:
        pytest.skip("cannot create a network namespace here")
    result = subprocess.run(
        ["unshare", "-n", sys.executable, "-m", "reports", "--province", "Hưng Yên", "--period", "2024-Q3",
         "--db", str(fixture_db_path), "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(Document(str(tmp_path / "bao_cao_ttdn_hung_yen_2024-Q3.docx")).inline_shapes) == 3


def test_reports_library_does_not_import_streamlit():
    code = (
        "import sys, reports.cli, reports.slides, reports.docx_report; sys.exit('streamlit' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
