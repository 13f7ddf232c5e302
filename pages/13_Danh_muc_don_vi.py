"""Danh mục đơn vị: the units of the viewer's province and the other names its reports use for them.

Province staff (and admins) add an alias to a unit ("Phòng VH-TT huyện X" → the unit) and remove
one they added. Each change is checked against the unit's province as stored (``can(user,
MANAGE_UNITS, province, unit)``, inside the write) and audited (``unit_alias_edit``, before/after).
An alias applies to the files read from then on; reports already loaded keep their unit.
"""

import pandas as pd
import streamlit as st

from display.format import fmt_date, md_escape
from etl.accounts.audit import Event
from etl.accounts.roles import Action, Role, can
from etl.store.unit_aliases import AliasChange, DirectoryError, add_alias, list_units, remove_alias
from etl.vocab.provinces import resolve_province
from queries.submissions import UNIT_KIND_LABELS
from ui.auth import current_user, record
from ui.layout import table
from ui.navigation import run_within_app
from ui.state import database

_MESSAGE = "_ttdn_directory_message"

run_within_app()  # a first request after a server start: the app (and its gate) runs first
user = current_user()
st.title("Danh mục đơn vị")
st.caption(
    "Mỗi đơn vị và các tên gọi khác mà báo cáo dùng để chỉ nó. Khi đọc một tệp, tên đơn vị ghi trong tệp "
    "được so với danh mục này."
)
st.info(
    "Tên gọi mới được dùng cho các tệp đọc từ lúc thêm trở đi. Báo cáo đã nạp giữ nguyên đơn vị như khi được "
    "đọc; muốn áp dụng cho báo cáo cũ, hãy nạp lại tệp đó.",
    icon=":material/info:",
)
if user is None or not can(user, Action.MANAGE_UNITS, user.scope_province):
    st.error("Tài khoản của bạn không được quản lý danh mục đơn vị.")
    st.stop()


def _allowed(province: str, unit: str) -> bool:
    return can(current_user(), Action.MANAGE_UNITS, province, unit)


def _current(province: str) -> str:
    found = resolve_province(province)
    return found.name if found else province


def _audit(op: str, change: AliasChange | None, result: str, **fields) -> None:
    if change is not None:
        fields = {"province": _current(change.province), "unit": change.unit, "object": change.alias,
                  "details": {"op": op, "alias": change.alias, "unit_id": change.unit_id,
                              "province_as_written": change.province, "before": list(change.before),
                              "after": list(change.after)}}  # fmt: skip
    record(Event.UNIT_ALIAS_EDIT, result, **fields)


def _add() -> None:
    unit_id, alias = st.session_state.get("dir_unit"), st.session_state.get("dir_alias", "")
    who = current_user()
    try:
        change = add_alias(database(), int(unit_id), alias, by=who.username, allowed=_allowed)
    except (DirectoryError, TypeError) as exc:
        reason = str(exc) if isinstance(exc, DirectoryError) else "Hãy chọn đơn vị."
        _audit(
            "add", None, "refused", object=alias, details={"op": "add", "unit_id": unit_id, "reason": reason}
        )
        st.session_state[_MESSAGE] = ("error", reason)
        return
    _audit("add", change, "ok")
    st.session_state["dir_alias"] = ""
    st.session_state[_MESSAGE] = (
        "success",
        f"Đã thêm tên gọi «{change.alias}» cho «{change.unit}». Các tệp đọc từ nay ghi tên này sẽ được hiểu là "
        "đơn vị đó.",
    )


def _remove() -> None:
    chosen = st.session_state.get("dir_remove")
    if not chosen:
        return
    who = current_user()
    unit_id, alias = chosen
    try:
        change = remove_alias(
            database(), int(unit_id), alias, by=who.username, allowed=_allowed, anyone=who.role is Role.ADMIN
        )
    except DirectoryError as exc:
        _audit("remove", None, "refused", object=alias,
               details={"op": "remove", "unit_id": unit_id, "reason": str(exc)})  # fmt: skip
        st.session_state[_MESSAGE] = ("error", str(exc))
        return
    _audit("remove", change, "ok")
    st.session_state[_MESSAGE] = ("success", f"Đã bỏ tên gọi «{change.alias}» của «{change.unit}».")


if (message := st.session_state.pop(_MESSAGE, None)) is not None:
    (st.success if message[0] == "success" else st.error)(md_escape(message[1]))

units = list_units(database().reader()) if database().exists() else []
units = [u for u in units if _allowed(u.province, u.canonical_name)]
if not units:
    st.info("Danh mục chưa có đơn vị nào thuộc phạm vi của bạn.")
    st.stop()

provinces = sorted({u.province for u in units})
province = st.selectbox(
    "Tỉnh (tên như ghi trong báo cáo)",
    provinces,
    key="dir_province",
    format_func=lambda p: p if _current(p) == p else f"{p} (nay thuộc {_current(p)})",
)
shown = [u for u in units if u.province == province]


def _added_text(u) -> str:
    return "; ".join(f"{alias} ({by}, {fmt_date(at)})" for alias, by, at in u.added)


rows = pd.DataFrame(
    {
        "canonical_name": [u.canonical_name for u in shown],
        "kind": [UNIT_KIND_LABELS.get(u.kind, u.kind) for u in shown],
        "aliases": ["; ".join(u.aliases) for u in shown],
        "added": [_added_text(u) for u in shown],
    }
)
st.subheader(f"Đơn vị ({len(shown)})")
table(rows, ["canonical_name", "kind", "aliases", "added"], key="dir_table",
      extra={"canonical_name": "Đơn vị", "kind": "Loại", "aliases": "Tên gọi khác",
             "added": "Tên gọi do người dùng thêm (ai thêm, ngày)"})  # fmt: skip

st.subheader("Thêm tên gọi")
names = {u.unit_id: u.canonical_name for u in shown}
left, right = st.columns(2)
left.selectbox("Đơn vị", list(names), format_func=names.get, key="dir_unit")
right.text_input("Tên gọi khác (như báo cáo ghi)", key="dir_alias", max_chars=200,
                 placeholder="Ví dụ: Phòng VH-TT huyện …")  # fmt: skip
st.button("Thêm tên gọi", type="primary", on_click=_add, icon=":material/add:")

admin = user.role is Role.ADMIN
removable = [(u.unit_id, alias) for u in shown for alias, by, _ in u.added if admin or by == user.username]
st.subheader("Bỏ tên gọi")
if removable:
    st.selectbox(
        "Tên gọi do bạn thêm" if not admin else "Tên gọi do người dùng thêm",
        removable,
        format_func=lambda pair: f"{pair[1]} → {names[pair[0]]}",
        key="dir_remove",
    )
    st.button("Bỏ tên gọi", on_click=_remove, icon=":material/delete:")
else:
    st.caption("Bạn chưa thêm tên gọi nào cho đơn vị của tỉnh này.")
