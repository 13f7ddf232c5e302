"""Say how each column of an uploaded file was understood, next to its first rows, and let a person
reassign a column before confirming (the file is read again with the choice; on loading, the choice is
remembered for the same unit and header shape: ``etl.store.columns``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from etl.ingest.column_map import assignment_label, assignments, describe
from etl.model import FileResult
from ui.file_choices import FileLike, choices_of, file_id

SOURCE_TEXT = {"auto": "tự đọc", "remembered": "đã lưu từ lần sửa trước", "chosen": "vừa chọn"}


def columns_frame(result: FileResult) -> pd.DataFrame:
    """One row per column: how it was understood, where that comes from, and its first values."""
    uses = result.report.column_map if result.report else []
    n = max((len(u.samples) for u in uses), default=0)
    rows = [
        {"Cách hiểu": describe(u), "Nguồn": SOURCE_TEXT.get(u.source, u.source)}
        | {f"Dòng đầu {i + 1}": u.samples[i] if i < len(u.samples) else "" for i in range(n)}
        for u in uses
    ]
    return pd.DataFrame(rows)


def show(item: FileLike, result: FileResult) -> None:
    """The column table and a selectbox per column; a reset when a choice left the file unreadable."""
    chosen = choices_of(item).columns
    if result.report is None or not result.report.column_map:
        if chosen and st.button("Trở lại cách đọc cột tự động", key=f"colreset_{file_id(item)}"):
            chosen.clear()
            st.rerun()
        return
    uses = result.report.column_map
    changed = any(u.source != "auto" for u in uses) or bool(result.errors)  # a misread column may be why
    if any(u.source == "remembered" for u in uses):
        st.info("Một số cột được hiểu theo cách đã sửa ở lần tải trước của đơn vị này (xem cột «Nguồn»).")
    with st.expander("Cách hiểu các cột (sửa nếu sai)", expanded=changed):
        st.dataframe(columns_frame(result), hide_index=True, key=f"colmap_{file_id(item)}")
        st.caption(
            "Chọn lại nghĩa của cột nếu chương trình hiểu sai; tệp được đọc lại ngay. Khi xác nhận nạp, cách "
            "hiểu đã sửa được lưu và tự dùng cho các tệp sau của cùng đơn vị có cùng dòng tiêu đề."
        )
        _selectboxes(item, uses)
        if chosen and st.button("Trở lại cách đọc cột tự động", key=f"colreset_{file_id(item)}"):
            chosen.clear()
            st.rerun()


def _selectboxes(item: FileLike, uses: list) -> None:
    fid, options = file_id(item), assignments()
    grid = st.columns(3)
    for i, use in enumerate(uses):
        key = f"col_{fid}_{use.offset}"
        if st.session_state.get(key) != use.used:
            st.session_state[key] = use.used  # the widget shows the reading as it now is
        header = f"«{use.header}»" if use.header else "(không có tiêu đề)"
        with grid[i % 3]:  # a label is Markdown (a URL would become a link): the header goes to st.text
            st.text(f"Cột {use.letter} {header}")
            st.selectbox(f"Cột {use.letter}", options, key=key, format_func=_option_label, label_visibility="collapsed",
                         on_change=_choose, args=(item, use.offset, key))  # fmt: skip


def _option_label(value: str) -> str:
    text = assignment_label(value)
    return text[0].upper() + text[1:]


def _choose(item: FileLike, offset: int, key: str) -> None:
    choices_of(item).columns[offset] = st.session_state[key]
