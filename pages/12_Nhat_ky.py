"""Nhật ký: the audit trail (who did what, when, from where), filtered and exported as CSV; admins only."""

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from etl.accounts import audit
from etl.accounts.audit import EVENT_LABELS, Event
from ui.layout import table
from ui.navigation import run_within_app
from ui.permissions import audit_download

HEADERS = {
    "at": "Thời điểm (UTC)", "username": "Người dùng", "role": "Vai trò", "scope": "Phạm vi", "session": "Phiên",
    "address": "Địa chỉ", "action_label": "Sự kiện", "object": "Đối tượng", "province": "Tỉnh", "unit": "Đơn vị",
    "result": "Kết quả", "details": "Chi tiết",
}  # fmt: skip

run_within_app()  # a first request after a server start: the app (and its gate) runs first
st.title("Nhật ký hoạt động")
st.caption(
    "Mỗi lần đăng nhập, tải lên, sửa kế hoạch, tải xuống, bị từ chối… một dòng; không sửa, không xóa được."
)
left, mid, right = st.columns(3)
since = left.date_input("Từ ngày", date.today() - timedelta(days=7), format="DD/MM/YYYY", key="audit_since")
until = mid.date_input("Đến hết ngày", date.today(), format="DD/MM/YYYY", key="audit_until")
action = right.selectbox("Sự kiện", [None, *Event], key="audit_action",
                         format_func=lambda e: "Tất cả" if e is None else EVENT_LABELS[e])  # fmt: skip
left, right = st.columns(2)
username = left.text_input("Người dùng", key="audit_user").strip().lower() or None
result = right.selectbox("Kết quả", [None, "ok", "failed", "refused", "denied", "throttled"], key="audit_result",
                         format_func=lambda r: "Tất cả" if r is None else r)  # fmt: skip

query = audit.AuditQuery(
    since=datetime.combine(since, time.min, UTC), until=datetime.combine(until + timedelta(days=1), time.min, UTC),
    username=username, action=action, result=result, limit=5000,
)  # fmt: skip
rows = audit.search(query)
st.caption(f"{len(rows)} dòng" + (" (hiển thị 5000 dòng mới nhất)" if len(rows) == 5000 else ""))
frame = pd.DataFrame(rows, columns=list(audit.COLUMNS))
frame["action_label"] = [EVENT_LABELS.get(a, a) for a in frame["action"]]
table(frame, list(HEADERS), key="audit", extra=HEADERS)
name = f"nhat_ky_{since:%Y%m%d}_{until:%Y%m%d}.csv"
st.download_button("Tải nhật ký (.csv)", audit.to_csv(rows).encode("utf-8-sig"), file_name=name, mime="text/csv",
                   icon=":material/download:", on_click=audit_download, args=(Event.EXPORT_DOWNLOAD, name))  # fmt: skip
