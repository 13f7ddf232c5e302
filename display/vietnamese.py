"""Streamlit's and Plotly's own English, in Vietnamese.

Plotly takes a dictionary of its strings (``PLOTLY_LOCALE``, given with every chart's config, so no
locale script is fetched). Streamlit's file uploader has no API for its texts: ``vietnamese_css`` hides
them and writes the Vietnamese ones in their place with CSS (``::after``), keyed on Streamlit's
``data-testid`` attributes; the same CSS retitles the "Fullscreen" button Streamlit adds to every
chart's toolbar (Plotly draws its tooltips from ``data-title`` with CSS). With the toolbar in
"minimal" mode Streamlit shows no status widget ("Stop") while a page runs. A browser test fails if
an English word comes back.
"""

from __future__ import annotations

import json

from etl import settings

PLOTLY_LOCALE = {
    "dictionary": {
        "Download plot as a PNG": "Tải biểu đồ (ảnh PNG)",
        "Download plot as JSON": "Tải biểu đồ (JSON)",
        "Download plot": "Tải biểu đồ",
        "Zoom": "Phóng to vùng chọn",
        "Pan": "Kéo biểu đồ",
        "Box Select": "Chọn theo khung",
        "Lasso Select": "Chọn tự do",
        "Zoom in": "Phóng to",
        "Zoom out": "Thu nhỏ",
        "Autoscale": "Tự co giãn",
        "Reset axes": "Đặt lại trục",
        "Reset view": "Đặt lại khung nhìn",
        "Reset views": "Đặt lại khung nhìn",
        "Reset": "Đặt lại",
        "Toggle Spike Lines": "Bật/tắt đường gióng",
        "Show closest data on hover": "Hiện số liệu gần nhất khi trỏ chuột",
        "Toggle show closest data on hover": "Bật/tắt số liệu gần nhất khi trỏ chuột",
        "Compare data on hover": "So sánh số liệu khi trỏ chuột",
        "Produced with Plotly.js": "Vẽ bằng Plotly.js",
        "Double-click to zoom back out": "Bấm đúp để thu nhỏ lại",
        "Double-click on legend to isolate one trace": "Bấm đúp vào chú giải để chỉ xem một nhóm",
        "Preparing image - this may take a few seconds": "Đang tạo ảnh, xin chờ vài giây",
        "Image download succeeded": "Đã tải ảnh biểu đồ",
        "Sorry, there was a problem downloading your image!": "Không tải được ảnh biểu đồ.",
        "trace": "nhóm",
        "new text": "chữ mới",
    },
    "format": {
        "days": ["Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"],
        "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
        "months": [f"Tháng {m}" for m in range(1, 13)],
        "shortMonths": [f"Th{m}" for m in range(1, 13)],
        "date": "%d/%m/%Y",
        "decimal": ",",
        "thousands": ".",
    },
}


def _css_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_FULLSCREEN = "\n".join(
    f'.js-plotly-plot .plotly .modebar-btn[data-title="{english}"]::after {{ content: {_css_text(vietnamese)}; }}'
    for english, vietnamese in (("Fullscreen", "Toàn màn hình"), ("Close fullscreen", "Thoát toàn màn hình"))
)


def vietnamese_css() -> str:
    """A ``<style>`` (drawn once per run by ``app.py``) that replaces the uploader's "Upload" and
    "50MB per file • XLSX…" (the limit said is the product's own, ``TTDN_MAX_FILE_MB``), the charts'
    and "Fullscreen" with Vietnamese."""
    limit = f"{settings.number('TTDN_MAX_FILE_MB'):g}".replace(".", ",")
    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]'
    hint = '[data-testid="stFileUploaderDropzoneInstructions"] > div'
    return f"""<style>
{button} p, {hint} > span {{ display: none; }}
{button}::after {{ content: {_css_text("Chọn tệp")}; }}
{hint}::after {{ content: {_css_text(f"Kéo thả tệp vào đây · tối đa {limit} MB mỗi tệp")}; font-size: 0.875rem; }}
{_FULLSCREEN}
</style>"""


# Streamlit's own words drawn as text, not from a data-title: the tooltips of the data tables' toolbar
# (shown after a second's hover), their column menus and search box. Replaced in the page as they
# appear (``vietnamese_script``); only these exact texts, never the data.
STREAMLIT_WORDS = {
    "Download as CSV": "Tải bảng (tệp CSV)",
    "Search": "Tìm trong bảng",
    "Type to search": "Gõ để tìm",
    "Show/hide columns": "Ẩn/hiện cột",
    "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thoát toàn màn hình",
    "Sort ascending": "Sắp xếp tăng dần",
    "Sort descending": "Sắp xếp giảm dần",
    "Hide column": "Ẩn cột",
    "Pin column": "Ghim cột",
    "Unpin column": "Bỏ ghim cột",
    "Autosize": "Tự co giãn cột",
    "Format": "Định dạng",
    "Select all": "Chọn tất cả",
    "Clear selection": "Bỏ chọn",
    "Close": "Đóng",
    "Copy to clipboard": "Sao chép",
}
# Where they show: tooltips, menus and popovers (Streamlit renders them at the end of the page).
_WHERE = (
    '[data-testid="stTooltipContent"], [data-baseweb="popover"], [role="menu"], [data-testid="stDataFrame"]'
)


def vietnamese_script() -> str:
    """A ``<script>`` (drawn by ``app.py``; installed once per page) that puts ``STREAMLIT_WORDS`` in
    place of Streamlit's English wherever it appears: a text, a button's ``aria-label`` (read aloud, and
    by the browser test) or a search box's placeholder. Streamlit has no API for these strings."""
    words = json.dumps(STREAMLIT_WORDS, ensure_ascii=False)
    return f"""<script>(() => {{
  if (window.ttdnWords) return;
  const words = window.ttdnWords = {words};
  const where = {json.dumps(_WHERE)};
  const fix = (root) => {{
    if (!root || root.nodeType !== 1) return;
    const areas = [...(root.matches(where) ? [root] : []), ...root.querySelectorAll(where), root.closest(where)];
    for (const area of areas) {{
      if (!area) continue;
      const walker = document.createTreeWalker(area, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode()); ) {{
        const said = words[node.nodeValue.trim()];
        if (said) node.nodeValue = said;
      }}
    }}
    for (const el of [root, ...root.querySelectorAll("[aria-label], [placeholder]")]) {{
      for (const name of ["aria-label", "placeholder"]) {{
        const said = el.getAttribute && words[el.getAttribute(name)];
        if (said) el.setAttribute(name, said);
      }}
    }}
  }};
  new MutationObserver((changes) => {{
    for (const change of changes) {{
      if (change.type === "childList") change.addedNodes.forEach((n) => fix(n.nodeType === 1 ? n : n.parentElement));
      else fix(change.target.nodeType === 1 ? change.target : change.target.parentElement);
    }}
  }}).observe(document.body, {{childList: true, subtree: true, characterData: true, attributes: true,
                               attributeFilter: ["aria-label", "placeholder"]}});
  fix(document.body);
}})();</script>"""
