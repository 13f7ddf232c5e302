"""The shared filters: one sidebar, every page, kept in the URL (``bind="query-params"``).

Each widget's key is its query parameter (``?province=…&period=…&as_of=…``), so a copied link
reproduces the view. Choices are read from the loaded data.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from display.format import DATE_FORMAT, fmt_date
from etl import settings
from etl.vocab.periods import parse_period_code
from etl.vocab.provinces import legacy_names_of
from queries import options
from queries.common import STATUS_FILTER_LABELS
from queries.filters import Filters, ProvinceMode
from queries.scope import describe_scope
from ui.auth import current_user
from ui.navigation import run_within_app
from ui.state import prefetch, query

MODE_LABELS = {
    ProvinceMode.CURRENT: "Tỉnh hiện nay (sau sắp xếp 2025)",
    ProvinceMode.LEGACY: "Tên tỉnh như ghi trong báo cáo",
}
KEYS = ("mode", "province", "year", "period", "unit", "topic", "status", "as_of", "soon")
ALL_YEARS = (
    0  # the year choice that widens to every plan year (a selectbox cannot choose None over a default)
)
ALL_YEARS_LABEL = "Gộp mọi năm kế hoạch"
_STATE_KEY = "_filters"


def _status_options() -> list[str | None]:
    return [None, *STATUS_FILTER_LABELS]


def _all(label: str):
    return lambda v: label if v is None else str(v)


def _choice_scope(province: str | None, mode: str | None, year: int | None) -> Filters:
    """The filters the period and unit choices depend on."""
    return Filters(province=province, province_mode=ProvinceMode(mode or ProvinceMode.CURRENT), year=year or None,
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


def _year_label(year: int) -> str:
    return ALL_YEARS_LABEL if year == ALL_YEARS else str(year)


def sidebar_filters() -> Filters:
    """Draw the filters in the sidebar and return them (also kept for ``current_filters``)."""
    bind = {"bind": "query-params"}
    default_soon = int(settings.number("TTDN_DUE_SOON_DAYS"))
    state = st.session_state  # the widgets' values of the last run: start the scoped choices early
    prefetch(
        (options.scoped_choices, _choice_scope(state.get("province"), state.get("mode"), state.get("year")))
    )
    choices = query(options.choices, viewer_province())
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
        year = st.selectbox("Năm kế hoạch", [*choices.years, ALL_YEARS], format_func=_year_label, key="year", **bind,
                            help="Mặc định: năm kế hoạch mới nhất có báo cáo.") or None  # fmt: skip
        periods, units = query(options.scoped_choices, _choice_scope(province, mode, year))
        period = st.selectbox(
            "Kỳ báo cáo", [None, *periods], key="period", **bind,
            format_func=lambda c: "Kỳ mới nhất của mỗi tỉnh" if c is None else parse_period_code(c).label,
        )  # fmt: skip
        unit = st.selectbox("Đơn vị (chủ trì hoặc báo cáo)", [None, *units],
                            format_func=_all("Tất cả các đơn vị"), key="unit", filter_mode="contains", **bind)  # fmt: skip
        topic = st.selectbox("Chủ đề", [None, *choices.topics], format_func=_all("Tất cả các chủ đề"),
                             key="topic", **bind)  # fmt: skip
        status = st.selectbox(
            "Tình trạng", _status_options(), key="status", **bind,
            format_func=lambda c: "Tất cả các tình trạng" if c is None else STATUS_FILTER_LABELS[c],
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
    prefetch((describe_scope, filters))  # every page opens with it (``scope_caption``)
    return filters


def link_params(filters: Filters, status_class: str | None = None, unit: str | None = None) -> dict[str, str]:
    """The URL parameters of ``filters`` (as the sidebar writes them: the labels shown), with a status
    and/or a unit chosen: a link to the Nhiệm vụ page listing exactly the tasks a figure counts."""
    years = query(options.choices, viewer_province()).years
    params = {"as_of": filters.as_of.isoformat()}
    if ProvinceMode(filters.province_mode) is not ProvinceMode.CURRENT:
        params["mode"] = MODE_LABELS[ProvinceMode(filters.province_mode)]
    if filters.year != (years[0] if years else None):
        params["year"] = _year_label(filters.year or ALL_YEARS)
    if filters.due_soon_days != int(settings.number("TTDN_DUE_SOON_DAYS")):
        params["soon"] = str(filters.due_soon_days)
    texts = {"province": filters.province, "unit": unit or filters.unit, "topic": filters.topic,
             "period": parse_period_code(filters.period).label if filters.period else None,
             "status": STATUS_FILTER_LABELS.get(status_class or filters.status_class or "")}  # fmt: skip
    return {**params, **{k: v for k, v in texts.items() if v}}


def reset_filters(default_soon: int) -> None:
    for name in ("province", "period", "unit", "topic", "status"):
        st.session_state[name] = None
    years = query(options.choices, viewer_province()).years
    st.session_state["year"] = years[0] if years else ALL_YEARS
    st.session_state["mode"] = ProvinceMode.CURRENT
    st.session_state["soon"] = default_soon
    st.session_state.pop("as_of", None)


def current_filters() -> Filters:
    """The filters drawn by ``app.py`` in this run (defaults if a page runs on its own, as in a test).

    A page run by Streamlit's legacy ``pages/`` pass is first handed over to ``app.py``."""
    run_within_app()
    if (kept := st.session_state.get(_STATE_KEY)) is not None:
        return kept
    choices = query(options.choices, viewer_province())
    return Filters(
        year=choices.years[0] if choices.years else None,
        as_of=choices.default_as_of(date.today()),
        scope_province=viewer_province(),
    )


def scope_caption(filters: Filters) -> str:
    """One line saying what the numbers cover (plain text: escape it before Markdown), for the top
    of every page and export: "Kế hoạch 2025 · Quý II/2025 · 3 tỉnh · tính đến 30/06/2025 · …"."""
    scope = query(describe_scope, filters)
    return " · ".join(
        [scope.text, f"tính đến {fmt_date(filters.as_of)}", f"sắp đến hạn: ≤ {filters.due_soon_days} ngày"]
    )
