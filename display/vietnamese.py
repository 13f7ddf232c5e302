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
