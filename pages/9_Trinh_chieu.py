"""Trình chiếu: the meeting slides for the shared filters, full screen, keyboard or auto-advance.

The slide number is in the URL (``?slide=3``) beside the shared filters, so a link opens the same
slide on the same data. ← / → (or Page Up / Page Down, as sent by a clicker) change slides; "?"
shows the keys. The controls hide while presenting and come back on a mouse move or a key.
``?print=1`` lays every slide out on its own landscape page for "In / lưu PDF".
"""

import contextlib
import time

import streamlit as st
from plotly.graph_objects import Figure

from display.charts import CONFIG
from reports import slides
from ui.filters import current_filters
from ui.page_shell import screen_height
from ui.plotly_view import plotly_chart
from ui.state import query

INTERVALS = [10, 20, 30, 60]
filters = current_filters()
printing = st.query_params.get("print") == "1"  # a sheet of paper is one size: the charts' type too
font_size = slides.chart_font_size(None if printing else screen_height())
deck = query(slides.build_deck, filters, font_size)
total = len(deck)
names = slides.deck_titles()
if (goto := st.session_state.pop("_slide_goto", None)) is not None:
    st.session_state["slide"] = goto


def go(step: int) -> None:
    st.session_state["slide"] = (current() - 1 + step) % total + 1


def current() -> int:
    """The slide asked for: the picker's value, else the URL's ``slide`` (the picker is drawn last)."""
    try:
        return min(max(int(st.session_state.get("slide") or st.query_params.get("slide") or 1), 1), total)
    except ValueError:
        return 1


def draw(slide: slides.Slide, key_prefix: str = "chart", print_height: int | None = None) -> None:
    """The slide's body; its chart takes the height left, or ``print_height`` px on a printed sheet."""
    # Cards alone on a slide (the KPIs) share its height (projector.css: .st-key-ttdn_cards).
    alone = slide.metrics and slide.figure is None and not slide.table_html
    with st.container(key=f"ttdn_cards_{key_prefix}_{slide.key}") if alone else contextlib.nullcontext():
        for start in range(0, len(slide.metrics), 3):
            row = slide.metrics[start : start + 3]
            for col, m in zip(st.columns(len(row), border=True), row, strict=True):
                arrow = "off" if m.delta_color == "off" else "auto"
                col.metric(m.label, m.value, delta=m.note, delta_color=m.delta_color, delta_arrow=arrow)
    if slide.legend_html:
        st.html(slide.legend_html)
    if slide.figure is not None:
        png = {"format": "png", "scale": 2, "filename": f"trinh_chieu_{slide.key}"}
        figure = slide.figure
        if print_height:
            figure = Figure(figure).update_layout(height=print_height)
        plotly_chart(
            figure,
            {**CONFIG, "toImageButtonOptions": png},
            key=f"{key_prefix}_{slide.key}",
            height="content" if print_height else "stretch",
        )
    if slide.table_html:
        st.html(slide.table_html)
    if slide.empty:
        st.html(slides.empty_html(slide.empty))
    if slide.note:
        st.html(slides.note_html(slide.note))


def draw_print_deck() -> None:
    """Every slide, one per landscape page; the browser's print dialog opens once the charts are drawn."""
    for number, slide in enumerate(deck, start=1):
        with st.container(key=f"ttdn_sheet_{number}"):
            st.html(slides.header_html(slide, number, total, filters))
            with st.container(key=f"ttdn_sheetbody_{number}"):
                draw(slide, key_prefix="print", print_height=slides.print_chart_height(slide))
    st.html(slides.print_script(deck), unsafe_allow_javascript=True)


st.html(slides.CSS_PATH)
if printing:
    draw_print_deck()
    st.stop()
shown = current()
st.html(slides.header_html(deck[shown - 1], shown, total, filters))
with st.container(border=False, key="ttdn_body"):
    draw(deck[shown - 1])
st.html(slides.help_html(), unsafe_allow_javascript=True)

with st.container(horizontal=True, vertical_alignment="center", key="ttdn_controls"):
    st.button(
        "◀", on_click=go, args=(-1,), shortcut="Left", key="prev", help="Trang trước (phím ← hoặc Page Up)"
    )
    st.segmented_control("Trang", list(range(1, total + 1)), format_func=str, key="slide", default=1, required=True,
                         bind="query-params", label_visibility="collapsed",
                         help=" · ".join(f"{i}. {name}" for i, name in enumerate(names, start=1)))  # fmt: skip
    st.button(
        "▶", on_click=go, args=(1,), shortcut="Right", key="next", help="Trang sau (phím → hoặc Page Down)"
    )
    auto = st.toggle("Tự chuyển", key="auto", bind="query-params")
    every = st.selectbox("Mỗi (giây)", INTERVALS, index=1, key="every", bind="query-params", disabled=not auto,
                         label_visibility="collapsed", format_func=lambda s: f"mỗi {s} giây", width=160)  # fmt: skip
    st.link_button("In / lưu PDF", slides.print_url(dict(st.query_params)), icon=":material/print:",
                   help="Mỗi trang chiếu một trang giấy khổ ngang")  # fmt: skip
    st.page_link("pages/1_Tong_quan.py", label="Thoát", icon=":material/close:", help="Về trang Tổng quan")
    st.html('<span class="ttdn-hint">Phím tắt: nhấn ?</span>')
with st.container(key="ttdn_keys"):  # hidden: a presenter's clicker sends Page Up / Page Down
    st.button("Trang trước", on_click=go, args=(-1,), shortcut="PageUp", key="prev_page")
    st.button("Trang sau", on_click=go, args=(1,), shortcut="PageDown", key="next_page")

if auto:
    st.session_state["_slide_armed"] = time.monotonic()

    @st.fragment(run_every=every)
    def advance() -> None:
        """Reruns every ``every`` seconds; moves on once a full period has passed since the page was drawn."""
        armed = st.session_state.get("_slide_armed")
        if armed is not None and time.monotonic() - armed >= every - 0.5:
            st.session_state["_slide_goto"] = shown % total + 1
            st.rerun()

    advance()
