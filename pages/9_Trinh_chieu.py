"""Trình chiếu: the meeting slides for the shared filters, full screen, keyboard or auto-advance.

The slide number is in the URL (``?slide=3``) beside the shared filters, so a link opens the same
slide on the same data. ← / → (or Page Up / Page Down, as sent by a clicker) change slides.
"""

import time

import streamlit as st

from reports import slides
from ui.charts import CONFIG
from ui.filters import current_filters
from ui.state import query

INTERVALS = [10, 20, 30, 60]
filters = current_filters()
deck = query(slides.build_deck, filters)
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


def draw(slide: slides.Slide) -> None:
    for start in range(0, len(slide.metrics), 3):
        row = slide.metrics[start : start + 3]
        for col, m in zip(st.columns(len(row), border=True), row, strict=True):
            arrow = "off" if m.delta_color == "off" else "auto"
            col.metric(m.label, m.value, delta=m.note, delta_color=m.delta_color, delta_arrow=arrow)
    if slide.legend_html:
        st.html(slide.legend_html)
    if slide.figure is not None:
        png = {"format": "png", "scale": 2, "filename": f"trinh_chieu_{slide.key}"}
        st.plotly_chart(
            slide.figure, config={**CONFIG, "toImageButtonOptions": png}, theme=None, key=f"chart_{slide.key}"
        )
    if slide.table_html:
        st.html(slide.table_html)
    if slide.empty:
        st.html(slides.empty_html(slide.empty))
    if slide.note:
        st.html(slides.note_html(slide.note))


st.html(slides.CSS_PATH)
shown = current()
st.html(slides.header_html(deck[shown - 1], shown, total, filters))
with st.container(height=520, border=False, key="ttdn_body"):
    draw(deck[shown - 1])

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
    st.page_link("pages/1_Tong_quan.py", label="Thoát", icon=":material/close:", help="Về trang Tổng quan")
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
