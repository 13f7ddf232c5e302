"""What the upload and plan pages check against the viewer's scope, and the audit rows they write.

An upload is judged on what was read from the file (its title's province and unit), at preview
and again when it is written (``IngestOptions.accept``): a unit's staff loading another unit's
report is refused, whatever the page showed before.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from etl.accounts.audit import Event
from etl.accounts.roles import Action, Role, User, can
from etl.errors import SubmissionError
from etl.model import FileResult, Verdict
from etl.store.load import IngestOptions, ingest_bytes
from etl.store.versions import make_submission_current, withdraw_submission
from queries.submissions import submission_owner
from ui.auth import current_user, record
from ui.state import database

_SEEN_KEY = "_ttdn_audited_previews"


def upload_refusal(user: User | None, result: FileResult) -> str | None:
    """Why ``user`` may not load this report (Vietnamese), or None."""
    if result.report is None:
        return None
    m = result.report.meta
    if can(user, Action.UPLOAD, m.province, m.reporting_unit):
        return None
    whose = f"«{m.reporting_unit or '?'}» ({m.province_legacy or '?'})"
    if user is not None and user.role is Role.UNIT_STAFF:
        return (f"Tệp này là báo cáo của {whose}; tài khoản của bạn chỉ được nạp báo cáo của đơn vị "
                f"«{user.unit}» ({user.province}). Tệp không được nạp.")  # fmt: skip
    mine = user.scope_text if user else "không có"
    return f"Tệp này là báo cáo của {whose}; tài khoản của bạn chỉ được nạp báo cáo thuộc phạm vi {mine}. Tệp không được nạp."


def _details(result: FileResult) -> dict:
    return {"file": result.file, "sha256": result.sha256, "verdict": str(result.verdict), "rows": result.rows,
            "errors": len(result.errors), "warnings": len(result.warnings)}  # fmt: skip


def _where(result: FileResult) -> dict:
    m = result.report.meta if result.report else None
    return {"province": m.province if m else None, "unit": m.reporting_unit if m else None}


def screen_upload(result: FileResult) -> str | None:
    """The refusal of a previewed file for this viewer (or None); audited once per file and session."""
    refusal = upload_refusal(current_user(), result)
    seen = st.session_state.setdefault(_SEEN_KEY, set())
    if result.sha256 not in seen:
        seen.add(result.sha256)
        if refusal:
            record(Event.UPLOAD_REFUSE, "refused", object=result.file, **_where(result),
                   details={**_details(result), "stage": "preview", "reason": refusal})  # fmt: skip
        else:
            record(Event.UPLOAD_PREVIEW, object=result.file, **_where(result), details=_details(result))
    return refusal


def load_confirmed(files: list[tuple[str, bytes, IngestOptions]]) -> list[FileResult]:
    """Load the confirmed files (name, bytes, the options the person chose for it) as this viewer:
    scope checked again on what is written, audited."""
    user = current_user()
    loaded_by, accept = (user.username if user else None), (lambda r: upload_refusal(user, r))
    items = [(name, data, replace(own, loaded_by=loaded_by, accept=accept)) for name, data, own in files]
    where: dict[int, dict] = {}  # read while each result still holds its report (dropped once published)
    results = ingest_bytes(database(), items, progress=lambda r: where.setdefault(id(r), _where(r)))
    for result in results:
        refused = result.reason == "out of scope"
        record(Event.UPLOAD_REFUSE if refused else Event.UPLOAD_CONFIRM,
               "refused" if refused else ("ok" if result.verdict is Verdict.LOADED else str(result.verdict)),
               object=result.file, **where.get(id(result), _where(result)),
               details={**_details(result), "submission_id": result.submission_id})  # fmt: skip
    return results


def plan_refusal(province: str | None) -> str | None:
    """Why the viewer may not save a plan of ``province`` (current name), or None."""
    user = current_user()
    if can(user, Action.MANAGE_PLANS, province):
        return None
    mine = user.scope_text if user else "không có"
    refusal = (
        f"Kế hoạch này của tỉnh {province}; tài khoản của bạn chỉ quản lý kế hoạch thuộc phạm vi {mine}."
    )
    record(Event.ACCESS_DENIED, "denied", object="plan_save", province=province, details={"reason": refusal})
    return refusal


def audit_download(
    event: Event, name: str, province: str | None = None, unit: str | None = None, **details
) -> None:
    """``on_click`` of a download button: one audit row per download."""
    record(event, object=name, province=province, unit=unit, details=details or None)


def visible_plans() -> list[tuple[int, str]]:
    """(plan_id, label) of the saved plans whose province the viewer manages."""
    from etl.store.plan_import import load_plan, saved_plans

    conn = database().reader()
    return [
        (i, label)
        for i, label in saved_plans(conn)
        if can(current_user(), Action.MANAGE_PLANS, load_plan(conn, i).province)
    ]


def save_plan_audited(plan, source: bytes | None, extracted) -> int:
    """Save a reviewed plan (``PlanError`` passes through) and audit it: an import, or an edit of the
    plan already saved for that province and year, with the task counts before and after."""
    from etl.store.plan_import import load_plan, save_plan_to_db, saved_plans

    conn = database().reader() if database().exists() else None
    before = None
    for plan_id, _ in saved_plans(conn) if conn is not None else []:
        old = load_plan(conn, plan_id)
        if (old.province_legacy, old.year) == (plan.province_legacy, plan.year):
            before = {"plan_id": plan_id, "number": old.number, "tasks": len(old.tasks)}
    plan_id = save_plan_to_db(database(), plan, source)
    changed = sum(a != b for a, b in zip(extracted.tasks, plan.tasks, strict=False))
    changed += abs(len(extracted.tasks) - len(plan.tasks))
    record(Event.PLAN_EDIT if before else Event.PLAN_IMPORT, object=plan.title or f"kế hoạch {plan.year}",
           province=plan.province, details={"before": before, "after": {"plan_id": plan_id, "number": plan.number,
           "tasks": len(plan.tasks)}, "rows_edited_in_review": changed})  # fmt: skip
    return plan_id


def may_change_submissions() -> bool:
    """Whether the viewer may withdraw or reinstate any report (who may upload some)."""
    user = current_user()
    return user is not None and can(user, Action.UPLOAD, user.scope_province, user.unit)


def change_submission(submission_id: int, withdraw: bool, reason: str) -> int | None:
    """Withdraw a loaded report (with its reason) or make it the version that counts, as this viewer:
    allowed where the viewer may load that unit's reports, audited either way. Returns the version
    that counts instead (withdraw) or the one it replaces."""
    user = current_user()
    province, unit = submission_owner(database().reader(), submission_id)
    target = f"submission {submission_id}"
    if not can(user, Action.UPLOAD, province, unit):
        record(Event.ACCESS_DENIED, "denied", object=target, province=province, unit=unit)
        raise SubmissionError(
            f"Báo cáo mã {submission_id} ({unit}, {province}) nằm ngoài phạm vi tài khoản của bạn: "
            "chỉ người được nạp báo cáo của đơn vị đó mới rút hoặc dùng lại được."
        )
    other = (withdraw_submission(database(), submission_id, reason) if withdraw
             else make_submission_current(database(), submission_id))  # fmt: skip
    record(Event.REPORT_WITHDRAW if withdraw else Event.REPORT_RESTORE, "ok", object=target, province=province,
           unit=unit, details={"reason": reason if withdraw else None, "other": other})  # fmt: skip
    return other
