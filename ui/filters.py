"""The shared filters: one sidebar, every page, kept in the URL (``bind="query-params"``).

Each widget's key is its query parameter (``?province=…&period=…&as_of=…``), so a copied link
reproduces the view. Choices are read from the loaded data.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from etl import settings
from etl.vocab.periods import parse_period_code
from etl.vocab.provinces import legacy_names_of
from etl.vocab.status import STATUS_CLASS_LABELS, STATUS_CLASS_ORDER, StatusClass
from queries import options
from queries.filters import Filters, ProvinceMode
from ui.auth import current_user
from ui.format import DATE_FORMAT, fmt_date, md_escape
from ui.navigation import run_within_app
from ui.state import prefetch, query

MODE_LABELS = {
    ProvinceMode.CURRENT: "Tỉnh hiện nay (sau sắp xếp 2025)",
    ProvinceMode.LEGACY: "Tên tỉnh như ghi trong báo cáo",
}
KEYS = ("mode", "province", "year", "period", "unit", "topic", "status", "as_of", "soon")
_STATE_KEY = "_filters"


def _status_options() -> list[str | None]:
    return [None, *(c.value for c in STATUS_CLASS_ORDER)]


def _all(label: str):
    return lambda v: label if v is None else str(v)


def _choice_scope(province: str | None, mode: str | None, year: int | None) -> Filters:
    """The filters the period and unit choices depend on."""
    return Filters(province=province, province_mode=ProvinceMode(mode or ProvinceMode.CURRENT), year=year,
                   scope_province=viewer_province())  # fmt: skip


def viewer_province() -> str | None:
    """The province the viewer is clamped to (None: national)."""
    user = current_user()
    return user.scope_province if user else None


def province_options(provinces: list[str], mode: ProvinceMode, scope: str | None) -> list[str | None]:
    """The province choices within the viewer's scope (``None``: all of them)."""
    if scope is None:
        return [None, *provinces]
    if mode is ProvinceMode.CURRENT:
        return [scope]
    return [None, *(p for p in provinces if p in legacy_names_of(scope))]


def clamp_province(province: str | None, options: list[str | None]) -> str | None:
    """A province from the URL is never trusted: outside the choices, the first choice."""
    return province if province in options else options[0]


def sidebar_filters() -> Filters:
    """Draw the filters in the sidebar and return them (also kept for ``current_filters``)."""
    bind = {"bind": "query-params"}
    default_soon = int(settings.number("TTDN_DUE_SOON_DAYS"))
    state = st.session_state  # the widgets' values of the last run: start the scoped choices early
    prefetch(
        (options.scoped_choices, _choice_scope(state.get("province"), state.get("mode"), state.get("year")))
    )
    choices = query(options.choices)
    with st.sidebar:
        st.markdown("### Bộ lọc chung")
        mode = st.radio("Nhóm theo tỉnh", list(MODE_LABELS), format_func=MODE_LABELS.get, key="mode", **bind)
        mode = ProvinceMode(mode)
        scope = viewer_province()
        allowed = province_options(choices.provinces(mode), mode, scope)
        if "province" in state and state["province"] not in allowed:
            state["province"] = allowed[0]
        province = clamp_province(st.selectbox(
            "Tỉnh, thành phố", allowed, format_func=_all(f"Tất cả (thuộc {scope})" if scope else "Tất cả các tỉnh"),
            key="province", filter_mode="contains", **bind,
        ), allowed)  # fmt: skip
        year = st.selectbox("Năm kế hoạch", [None, *choices.years], format_func=_all("Tất cả các năm"),
                            key="year", **bind)  # fmt: skip
        periods, units = query(options.scoped_choices, _choice_scope(province, mode, year))
        period = st.selectbox(
            "Kỳ báo cáo", [None, *periods], key="period", **bind,
            format_func=lambda c: "Báo cáo mới nhất của mỗi đơn vị" if c is None else parse_period_code(c).label,
        )  # fmt: skip
        unit = st.selectbox("Đơn vị (chủ trì hoặc báo cáo)", [None, *units],
                            format_func=_all("Tất cả các đơn vị"), key="unit", filter_mode="contains", **bind)  # fmt: skip
        topic = st.selectbox("Chủ đề", [None, *choices.topics], format_func=_all("Tất cả các chủ đề"),
                             key="topic", **bind)  # fmt: skip
        status = st.selectbox(
            "Tình trạng", _status_options(), key="status", **bind,
            format_func=lambda c: "Tất cả các tình trạng" if c is None else STATUS_CLASS_LABELS[StatusClass(c)],
        )  # fmt: skip
        as_of = st.date_input(
            "Tính đến ngày", value=choices.default_as_of(date.today()), format=DATE_FORMAT, key="as_of",
            help="Ngày dùng để xét đúng hạn / quá hạn. Mặc định: hôm nay, hoặc ngày cuối kỳ báo cáo mới nhất nếu sớm hơn.",
            **bind,
        )  # fmt: skip
        soon = st.number_input("Sắp đến hạn trong (ngày)", min_value=1, max_value=365, value=default_soon, step=1,
                               key="soon", **bind)  # fmt: skip
        st.button(
            "Xóa bộ lọc", on_click=reset_filters, args=(default_soon,), icon=":material/filter_alt_off:"
        )
        st.caption(
            "Địa chỉ (URL) của trang lưu các bộ lọc này: gửi đường dẫn để người khác xem đúng như vậy."
        )
    filters = Filters(
        province=province, province_mode=mode, year=year, period=period, unit=unit, topic=topic,
        status_class=status, as_of=as_of or date.today(), due_soon_days=int(soon or default_soon),
        scope_province=scope,
    )  # fmt: skip
    st.session_state[_STATE_KEY] = filters
    return filters


def reset_filters(default_soon: int) -> None:
    for name in ("province", "year", "period", "unit", "topic", "status"):
        st.session_state[name] = None
    st.session_state["mode"] = ProvinceMode.CURRENT
    st.session_state["soon"] = default_soon
    st.session_state.pop("as_of", None)


def current_filters() -> Filters:
    """The filters drawn by ``app.py`` in this run (defaults if a page runs on its own, as in a test).

    A page run by Streamlit's legacy ``pages/`` pass is first handed over to ``app.py``."""
    run_within_app()
    return st.session_state.get(_STATE_KEY) or Filters(
        as_of=query(options.choices).default_as_of(date.today()), scope_province=viewer_province()
    )


def scope_caption(filters: Filters) -> str:
    """One line of Markdown saying what the numbers cover, for the top of every page (names escaped)."""
    parts = [f"Tính đến **{fmt_date(filters.as_of)}**"]
    parts.append(
        parse_period_code(filters.period).label if filters.period else "báo cáo mới nhất của mỗi đơn vị"
    )
    parts.append(md_escape(filters.province) or "tất cả các tỉnh")
    if filters.year:
        parts.append(f"năm {filters.year}")
    if filters.unit:
        parts.append(md_escape(filters.unit))
    if filters.topic:
        parts.append(f"chủ đề: {md_escape(filters.topic)}")
    if filters.status_class:
        parts.append(f"tình trạng: {STATUS_CLASS_LABELS[StatusClass(filters.status_class)]}")
    parts.append(f"sắp đến hạn: ≤ {filters.due_soon_days} ngày")
    return " · ".join(parts)
