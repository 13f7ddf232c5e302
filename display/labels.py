"""Short labels for long Vietnamese names (units, topics), wrapped for chart axes.

The full name always goes to the hover text; the axis shows the conventional abbreviation
("Sở Thông tin và Truyền thông" → "Sở TT&TT"), wrapped on word boundaries, at most two lines.
Plotly reads its texts as a small HTML (``<a href>``, ``<b>``, ``&lt;``): every name from the data
goes through ``plot_text`` (``wrap`` does it line by line), so it shows as written and links nowhere.
"""

from __future__ import annotations

import html
import re

_ABBREVIATIONS = (
    ("Ủy ban nhân dân", "UBND"),
    ("Uỷ ban nhân dân", "UBND"),
    ("Hội đồng nhân dân", "HĐND"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam", "UBMTTQ VN"),
    ("Thông tin và Truyền thông", "TT&TT"),
    ("Văn hóa, Thể thao và Du lịch", "VHTTDL"),
    ("Văn hóa và Thể thao", "VH&TT"),
    ("Kế hoạch và Đầu tư", "KH&ĐT"),
    ("Giáo dục và Đào tạo", "GD&ĐT"),
    ("Tài nguyên và Môi trường", "TN&MT"),
    ("Nông nghiệp và Phát triển nông thôn", "NN&PTNT"),
    ("Lao động - Thương binh và Xã hội", "LĐTB&XH"),
    ("Bộ Chỉ huy Bộ đội Biên phòng", "BCH BĐBP"),
    ("Bộ Chỉ huy Quân sự", "BCHQS"),
    ("Phát thanh và Truyền hình", "PT-TH"),
    ("Cổng Thông tin điện tử", "Cổng TTĐT"),
    ("Cổng thông tin điện tử", "Cổng TTĐT"),
    ("Thông tin đối ngoại", "TTĐN"),
    ("thông tin đối ngoại", "TTĐN"),
    ("Trung tâm Văn hóa - Thông tin và Thể thao", "TT VH-TT&TT"),
    ("Văn phòng HĐND và UBND", "VP HĐND-UBND"),
    ("Văn phòng", "VP"),
    ("thành phố", "TP"),
    ("Thành phố", "TP"),
    ("thị xã", "TX"),
    ("Tỉnh ủy", "TU"),
)
_SPACES = re.compile(r"\s+")


def abbreviate(name: str) -> str:
    """The conventional short form of a unit name.

    >>> abbreviate("Đài Phát thanh và Truyền hình Thái Bình")
    'Đài PT-TH Thái Bình'
    """
    short = name
    for long, abbr in _ABBREVIATIONS:
        short = short.replace(long, abbr)
    return _SPACES.sub(" ", short).strip()


def plot_text(text: object) -> str:
    """A name as plain text in a Plotly label or hover.

    >>> plot_text('<a href="http://x">Sở TT&TT</a>')
    '&lt;a href="http://x"&gt;Sở TT&amp;TT&lt;/a&gt;'
    """
    return html.escape(str(text), quote=False)


def wrap(text: str, width: int = 24, max_lines: int = 2) -> str:
    """Wrap on spaces with ``<br>`` (Plotly's line break), cutting with "…" beyond ``max_lines``; each
    line escaped for Plotly (``plot_text``).

    >>> wrap("Quảng bá hình ảnh, văn hóa, du lịch", 20)
    'Quảng bá hình ảnh,<br>văn hóa, du lịch'
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, width - 1)].rstrip(" ,;") + "…"
    return "<br>".join(plot_text(line) for line in lines)


def short_unit(name: str, width: int = 24) -> str:
    return wrap(abbreviate(name), width)


_TOPIC_SHORT = {
    "Văn bản chỉ đạo, kế hoạch, quy chế, sơ kết, tổng kết": "Văn bản chỉ đạo, kế hoạch",
    "Báo chí nước ngoài, đoàn ra, đoàn vào": "Báo chí nước ngoài, đoàn ra/vào",
    "Kênh, hạ tầng thông tin đối ngoại": "Kênh, hạ tầng TTĐN",
}


def short_topic(topic: str, width: int = 18) -> str:
    return wrap(_TOPIC_SHORT.get(topic, topic), width)
