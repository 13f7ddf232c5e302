"""Kế hoạch: paste or upload a plan, correct the extracted tasks, save; download each unit's template."""

import pandas as pd
import streamlit as st

from display.format import md_escape
from etl.accounts.audit import Event
from etl.errors import PlanError
from etl.plans.template import build_template, build_templates_zip
from etl.store.plan_import import (
    EDIT_COLUMNS,
    load_plan,
    plan_from_edits,
    plan_units,
    read_plan,
    tasks_for_editing,
)
from etl.vocab.periods import parse_period_code
from ui.navigation import run_within_app
from ui.permissions import audit_download, plan_refusal, save_plan_audited, visible_plans
from ui.state import clear_cache, database

run_within_app()
st.title("Kế hoạch thông tin đối ngoại")
st.caption(
    "Nhập kế hoạch để biết nhiệm vụ nào chưa được báo cáo, và gửi mỗi đơn vị biểu mẫu có sẵn nhiệm vụ của mình."
)

tab_import, tab_templates = st.tabs(["Nhập kế hoạch", "Biểu mẫu báo cáo"])

with tab_import:
    upload = st.file_uploader("Tệp kế hoạch (.docx hoặc .txt)", type=["docx", "txt"], key="plan_file")
    pasted = st.text_area("… hoặc dán nội dung kế hoạch", height=160, key="plan_text")
    col1, col2 = st.columns(2)
    province = col1.text_input("Tỉnh (nếu văn bản không ghi)", key="plan_province") or None
    year = col2.number_input("Năm (nếu văn bản không ghi)", 2010, 2100, value=None, step=1, key="plan_year")
    if st.button("Đọc kế hoạch", type="primary", disabled=not (upload or pasted.strip())):
        data, name = (upload.getvalue(), upload.name) if upload else (pasted.encode("utf-8"), "ke_hoach.txt")
        try:
            st.session_state["plan_draft"] = (read_plan(data, name, province, year and int(year)), data)
        except PlanError as exc:
            st.error(f"Không đọc được kế hoạch: {md_escape(exc)}")
    if draft := st.session_state.get("plan_draft"):
        plan, source = draft
        st.subheader(md_escape(plan.title) or "Kế hoạch")
        st.markdown(
            f"**{md_escape(plan.province_legacy)}** (nay là {md_escape(plan.province)}), năm **{plan.year}**"
            f"{', số ' + md_escape(plan.number) if plan.number else ''}; {len(plan.tasks)} nhiệm vụ."
            + (
                f" Hạn báo cáo: {md_escape(', '.join(plan.report_deadlines))}."
                if plan.report_deadlines
                else ""
            )
        )
        for warning in plan.warnings:
            st.warning(md_escape(warning))
        st.caption("Sửa trực tiếp trong bảng; nhiều đơn vị ngăn cách bằng dấu chấm phẩy (;).")
        edited = st.data_editor(
            pd.DataFrame(tasks_for_editing(plan)).rename(columns=EDIT_COLUMNS),
            num_rows="dynamic",
            width="stretch",
            hide_index=True,
            key="plan_editor",
        )
        if st.button("Lưu kế hoạch", type="primary"):
            rows = edited.rename(columns={v: k for k, v in EDIT_COLUMNS.items()}).to_dict("records")
            try:
                if refusal := plan_refusal(plan.province):
                    raise PlanError(refusal)
                plan_id = save_plan_audited(plan_from_edits(plan, rows), source, plan)
            except PlanError as exc:
                st.error(md_escape(exc))
            else:
                clear_cache()
                del st.session_state["plan_draft"]
                st.success(
                    f"Đã lưu kế hoạch (mã {plan_id}); các báo cáo của tỉnh trong năm đã được đối chiếu lại."
                )

with tab_templates:
    plans = visible_plans()
    if not plans:
        st.info("Chưa có kế hoạch nào. Hãy nhập kế hoạch ở thẻ bên cạnh.")
    else:
        labels = dict(plans)
        plan_id = st.selectbox("Kế hoạch", list(labels), format_func=labels.get, key="tpl_plan")
        plan = load_plan(database().reader(), plan_id)
        codes = [f"{plan.year}-Q{q}" for q in range(1, 5)] + [
            f"{plan.year}-H1",
            f"{plan.year}-9M",
            str(plan.year),
        ]
        period = st.selectbox(
            "Kỳ báo cáo", codes, format_func=lambda c: parse_period_code(c).label, key="tpl_period"
        )
        units = plan_units(plan)
        unit = st.selectbox("Đơn vị", units, key="tpl_unit")
        col1, col2 = st.columns(2)
        col1.download_button(
            "Tải biểu mẫu của đơn vị (.xlsx)",
            build_template(plan, unit, period, plan.province_legacy),
            file_name=f"bieu_mau_{period}.xlsx",
            icon=":material/download:",
            on_click=audit_download,
            args=(Event.TEMPLATE_DOWNLOAD, f"bieu_mau_{period}.xlsx", plan.province),
            kwargs={"unit": unit, "period": period},
        )
        col2.download_button(
            f"Tải biểu mẫu của cả {len(units)} đơn vị (.zip)",
            build_templates_zip(plan, units, period, plan.province_legacy),
            file_name=f"bieu_mau_{plan.province_legacy}_{period}.zip",
            icon=":material/folder_zip:",
            on_click=audit_download,
            args=(Event.TEMPLATE_DOWNLOAD, f"bieu_mau_{plan.province_legacy}_{period}.zip", plan.province),
            kwargs={"units": len(units), "period": period},
        )
