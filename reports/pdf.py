"""The report as PDF: the same blocks as the .docx, laid out in HTML and printed by the system Chromium.

Chromium's own ``--print-to-pdf`` (headless, offline: the page is a local file, images are inline
data). One font family for every character: Noto Serif (Debian's ``fonts-noto-core``, installed by the
test command), which covers Vietnamese whole; Times New Roman or Liberation Serif 1.x lack some of
ế, ủ, ị, ệ and made Chromium switch family inside words. Page numbers come from a CSS page-margin box;
the document title is the report's title. No
LibreOffice: the .docx itself is not converted, so the PDF is a faithful rendition of the content and
layout, not a pixel copy of what Word would show.
"""

from __future__ import annotations

import base64
import html
import subprocess
import tempfile
from pathlib import Path

from reports import document as model
from reports.errors import ImageExportFailed
from reports.images import chromium_path

TIMEOUT_S = 90
PDF_MAGIC = b"%PDF"
CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm;
        @bottom-center { content: counter(page); font-family: "Noto Serif"; font-size: 12pt; } }
@page :first { @bottom-center { content: none; } }
body { font-family: "Noto Serif"; font-size: 13pt; line-height: 1.3; color: #000; margin: 0; }
.rule { border-top: 0.75pt solid #000; margin: 2pt auto 0; }
.rule.short { width: 35%; } .rule.long { width: 60%; }
table.layout { width: 100%; border-collapse: collapse; margin-bottom: 6pt; }
table.layout td { vertical-align: top; text-align: center; padding: 0 2pt; }
table.layout td.left { text-align: left; }
.b { font-weight: bold; } .i { font-style: italic; } .s13 { font-size: 13pt; } .s12 { font-size: 12pt; }
.s11 { font-size: 11pt; }
.title { text-align: center; font-weight: bold; margin: 12pt 0 12pt; }
h1, h2 { font-size: 14pt; font-weight: bold; margin: 8pt 0 6pt; break-after: avoid; }
p { text-align: justify; margin: 0 0 6pt; } p.indent { text-indent: 1cm; }
table.data { width: 100%; table-layout: fixed; border-collapse: collapse; font-size: 11pt; margin: 4pt 0 8pt;
             overflow-wrap: anywhere; hyphens: auto; }
table.data th, table.data td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top; }
table.data th { text-align: center; }
table.data td.c { text-align: center; } table.data tr.total td { font-weight: bold; }
thead { display: table-header-group; } tr { break-inside: avoid; }
figure { margin: 6pt 0 8pt; text-align: center; break-inside: avoid; }
figure img { max-width: 100%; max-height: 20cm; }
figcaption { font-style: italic; font-size: 12pt; }
"""


def render(report: model.Document) -> bytes:
    """The blocks of ``report`` as PDF bytes (A4), printed by Chromium."""
    return html_to_pdf(to_html(report))


def to_html(report: model.Document) -> str:
    body = "\n".join(_block(b) for b in report.blocks)
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f"<title>{_e(document_title(report))}</title><style>{CSS}</style></head><body>{body}</body></html>"
    )


def document_title(report: model.Document) -> str:
    """The PDF's title: the report's title lines in one line ("Báo cáo – Kết quả … – Quý III/2024")."""
    title = next((b for b in report.blocks if isinstance(b, model.Title)), None)
    if title is None:
        return "Báo cáo"
    return " – ".join(line.strip() for line in title.lines if line.strip())


def _e(text: str) -> str:
    return html.escape(text)


def _block(block: model.Block) -> str:
    match block:
        case model.Header():
            return (
                '<table class="layout"><tr>'
                f'<td style="width:42%"><div class="s12">{_e(block.parent)}</div><div class="s12 b">{_e(block.office)}</div><div class="rule short"></div></td>'
                '<td><div class="s12 b">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div><div class="s13 b">Độc lập - Tự do - Hạnh phúc</div><div class="rule long"></div></td>'
                f'</tr><tr><td class="s12" style="padding-top:6pt">{_e(block.number)}</td><td class="i s13" style="padding-top:6pt">{_e(block.place_date)}</td></tr></table>'
            )  # fmt: skip
        case model.Title(lines=lines):
            return '<div class="title">' + "<br>".join(_e(line) for line in lines) + "</div>"
        case model.Heading(text=text, level=level):
            return f"<h{level}>{_e(text)}</h{level}>"
        case model.Para(text=text, italic=italic, indent=indent):
            classes = " ".join(c for c in ("indent" if indent else "", "i" if italic else "") if c)
            return f'<p class="{classes}">{_e(text)}</p>'
        case model.Table():
            return _table(block)
        case model.Picture(png=png, caption=caption):
            data = base64.b64encode(png).decode("ascii")
            return f'<figure><img src="data:image/png;base64,{data}" alt=""><figcaption>{_e(caption)}</figcaption></figure>'
        case model.Closing():
            recipients = "".join(f'<div class="s11">- {_e(r)}</div>' for r in block.recipients)
            title = "".join(f'<div class="b">{_e(line)}</div>' for line in block.signer_title)
            return (
                '<table class="layout" style="margin-top:12pt"><tr>'
                f'<td class="left" style="width:48%"><div class="s12 b i">Nơi nhận:</div>{recipients}</td>'
                f'<td>{title}<div style="height:4.5em"></div><div class="b">{_e(block.signer_name)}</div></td>'
                "</tr></table>"
            )
    raise TypeError(f"unknown block {block!r}")


def _table(table: model.Table) -> str:
    total = sum(table.widths_cm)
    cols = "".join(f'<col style="width:{w / total:.1%}">' for w in table.widths_cm)
    head = "".join(f"<th>{_e(h)}</th>" for h in table.headers)
    rows = []
    for i, row in enumerate(table.rows, start=1):
        cells = "".join(
            f'<td class="{"c" if j == 0 or j in table.numeric else ""}">{_e(v)}</td>'
            for j, v in enumerate(row)
        )
        total_row = ' class="total"' if table.bold_last and i == len(table.rows) else ""
        rows.append(f"<tr{total_row}>{cells}</tr>")
    return f'<table class="data"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def html_to_pdf(page: str) -> bytes:
    """Print an HTML page to PDF with headless Chromium, in a private profile, with no network use."""
    browser = chromium_path()
    with tempfile.TemporaryDirectory(prefix="ttdn-pdf-") as tmp:
        source, target = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        command = [
            str(browser), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
            f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri(),
        ]  # fmt: skip
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ImageExportFailed(f"Chromium không in xong bản PDF sau {TIMEOUT_S} giây.") from exc
        if not target.is_file() or not target.read_bytes().startswith(PDF_MAGIC):
            detail = done.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["không có thông báo"]
            raise ImageExportFailed(f"Chromium không tạo được bản PDF (mã {done.returncode}): {detail[0]}")
        return target.read_bytes()
