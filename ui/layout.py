"""Page furniture shared by the pages: header, empty notice, charts, task tables, chart clicks."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from display.charts import CONFIG
from display.format import DATE_FORMAT, DATETIME_FORMAT, fmt_date, md_escape
from etl.vocab.status import STATUS_CLASS_COLORS
from queries.common import COLUMN_LABELS as HEADERS
from queries.filters import Filters
from queries.received import Receipts
from queries.scope import describe_scope
from ui.filters import scope_caption
from ui.plotly_view import plotly_chart
from ui.state import query

EMPTY = "—"
_DATES = ("due_date", "due_date_original", "completed_on", "last_loaded_at")


def page_header(title: str, filters: Filters) -> None:
    """The page's title and its scope in words; provinces behind the others are named."""
    st.title(title)
    st.caption(md_escape(scope_caption(filters)))
    stale = query(describe_scope, filters).stale
    if stale and not filters.period:
        behind = "; ".join(f"{p.province}: {p.period.label}" for p in stale)
        st.warning(
            md_escape(f"Số liệu của các tỉnh sau lấy từ kỳ cũ hơn (chưa có báo cáo kỳ mới nhất): {behind}."),
            icon=":material/history:",
        )


def note_card(column: Any, label: str, value: str, note: str, help: str) -> None:
    """A KPI card with a grey note under the value (a denominator, a count), not a change."""
    column.metric(label, value, delta=note, delta_color="off", delta_arrow="off", help=help)


TASKS_PAGE = "pages/6_Nhiem_vu.py"


def status_card_css() -> None:
    """A coloured band on the left of each status card (``status_card``), in the charts' status colours."""
    rules = "".join(
        f".st-key-card_{c.value} {{border-left: 8px solid {color} !important;}}"
        for c, color in STATUS_CLASS_COLORS.items()
    )
    st.html(f"<style>{rules}</style>")


def status_card(
    column: Any, label: str, value: str, *, status_class: str | None = None, note: str | None = None,
    help: str | None = None, link: dict[str, str] | None = None, key: str | None = None,
) -> None:  # fmt: skip
    """A KPI card (in the colour of ``status_class``, if any) and, with ``link`` (URL parameters of
    the shared filters, ``ui.filters.link_params``), a link to the Nhiệm vụ page listing what it counts."""
    card_key = f"card_{status_class}" if status_class else key
    with column.container(border=True, key=card_key):
        st.metric(label, value, delta=note, delta_color="off", delta_arrow="off", help=help)
        if link is not None:
            st.page_link(TASKS_PAGE, label="Xem danh sách", icon=":material/list:", query_params=link)


def stop_when_empty(nothing: bool) -> None:
    """When the filters leave nothing to show, say so and end the page here."""
    if nothing:
        st.info("Không có nhiệm vụ nào khớp với bộ lọc đang chọn. Hãy bỏ bớt bộ lọc ở thanh bên trái.")
        st.stop()


def chart(fig: go.Figure, key: str | None = None, on_click: bool = False) -> Any:
    """The chart across the page's width (``on_click``: its result says which bar was clicked)."""
    return plotly_chart(fig, CONFIG, key=key, on_click=on_click)


def column_config(
    columns: list[str], extra: dict[str, str] | None = None, as_text: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """Vietnamese headers, dd/mm/yyyy dates and a progress bar for ``pct_done``; ``as_text`` columns
    (dates already written out) are plain."""
    headers = {**HEADERS, **(extra or {})}
    config: dict[str, Any] = {}
    for col in columns:
        label = headers.get(col, col)
        if col in as_text:
            config[col] = st.column_config.TextColumn(label)
        elif col in _DATES:
            config[col] = st.column_config.DateColumn(label, format=DATE_FORMAT)
        elif col in ("loaded_at", "attempted_at"):
            config[col] = st.column_config.DatetimeColumn(label, format=DATETIME_FORMAT)
        elif col == "pct_done":
            config[col] = st.column_config.ProgressColumn(label, min_value=0, max_value=100, format="%.0f%%")
        elif col in ("task_title", "result_text", "difficulties", "proposals"):
            config[col] = st.column_config.TextColumn(label, width="large")
        else:
            config[col] = st.column_config.Column(label)
    return config


def table(df: pd.DataFrame, columns: list[str], key: str | None = None, extra: dict[str, str] | None = None,
          **kwargs: Any) -> Any:  # fmt: skip
    """A read-only table of ``columns`` with Vietnamese headers; an empty cell shows "—"."""
    shown, as_text = with_empty_marks(df[columns])
    return st.dataframe(
        shown,
        column_config=column_config(columns, extra, as_text),
        hide_index=True,
        key=key,
        width="stretch",
        **kwargs,
    )


def with_empty_marks(df: pd.DataFrame) -> tuple[pd.DataFrame, frozenset[str]]:
    """``df`` with "—" in its empty text cells (Streamlit's grid writes "None"), and the date columns
    that had an empty cell written out as dd/mm/yyyy text (a date column cannot hold "—")."""
    df = df.copy()
    as_text = set()
    for col in df.columns:
        missing = df[col].isna()
        if not missing.any():
            continue
        if col in _DATES or pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = [EMPTY if gone else fmt_date(v) for v, gone in zip(df[col], missing, strict=True)]
            as_text.add(col)
        elif pd.api.types.is_object_dtype(df[col]) or pd.api.types.is_string_dtype(df[col]):
            df[col] = df[col].astype(object).where(~missing, EMPTY)
    return df, frozenset(as_text)


def picked(result: Any, labels: list[str]) -> int | None:
    """The row whose bar was clicked in a chart drawn with ``on_click`` (None on every run but the one
    right after the click, so a choice made afterwards in a select box is not overridden)."""
    click = getattr(result, "click", None)
    label = click.get("y") if isinstance(click, dict) else None
    return labels.index(label) if label in labels else None


def receipts_table(receipts: Receipts, key: str) -> None:
    """The units whose report is missing or late (``queries.received.Receipts.rows``), with the deadline."""
    rows = pd.DataFrame(
        receipts.rows(),
        columns=["province", "reporting_unit", "period_label", "report_due", "received_on", "state"],
    )
    rows["report_due"] = [fmt_date(d) or "(kế hoạch không ghi)" for d in rows["report_due"]]
    rows["received_on"] = [fmt_date(d) for d in rows["received_on"]]
    table(rows, list(rows.columns), key=key,
          extra={"period_label": "Kỳ báo cáo", "report_due": "Hạn nộp", "received_on": "Nộp ngày",
                 "state": "Tình trạng"})  # fmt: skip
