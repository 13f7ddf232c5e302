"""Ask for the province, reporting unit or period a file does not say, instead of refusing it.

Shown for a file refused with ``MissingMetadata``: one input per missing item, prefilled with the
reader's best guesses when it has some (``MissingMetadata.guesses``), then the file is read again
with the choice (``MetaOptions``: the file still wins where it does say).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from etl.model import FileResult
from etl.store.store import load_directory
from etl.vocab.periods import Period, PeriodKind, parse_period_code
from etl.vocab.provinces import all_current_provinces, legacy_names_of, resolve_province
from etl.vocab.text import key as folded
from ui.file_choices import FileLike, choices_of, file_id
from ui.state import database

MISSING_REASON = "missing metadata"
PROVINCE, UNIT, PERIOD = "tỉnh", "đơn vị báo cáo", "kỳ báo cáo"  # Problem.column of each missing item
_KINDS = [(PeriodKind.Q, i) for i in (1, 2, 3, 4)] + [
    (PeriodKind.H, 1), (PeriodKind.NINE_MONTHS, None), (PeriodKind.H, 2), (PeriodKind.Y, None),
]  # fmt: skip


def asks(result: FileResult) -> bool:
    """Whether the file was refused only because it does not say who reports, where or when."""
    return result.reason == MISSING_REASON


def province_names() -> list[str]:
    """Every province as files name it: the 63 before 2025 and the current ones."""
    names = {n for current in all_current_provinces() for n in [current, *legacy_names_of(current)]}
    return sorted(names, key=lambda n: (folded(n), n))


def period_codes(around: int) -> list[str]:
    """Period codes of the years around ``around``, newest year first."""
    years = range(around + 1, around - 4, -1)
    return [Period(y, kind, index).code for y in years for kind, index in _KINDS]


def guess(result: FileResult, *names: str) -> str | None:
    """The reader's best guess for an item (``guesses`` as a mapping or an object), as text; a period
    as its code, also from ``period_year``/``period_kind``/``period_index`` (a ``ReportMeta``)."""
    found = result.guesses
    for name in names:
        value = _get(found, name)
        if name == "period" and value is None and _get(found, "period_year"):
            value = _period_of(found)
        if isinstance(value, Period):
            return value.code
        if value:
            return str(getattr(value, "legacy_name", value))
    return None


def _period_of(found: object) -> Period | None:
    try:
        return Period(
            int(_get(found, "period_year")), _get(found, "period_kind") or "Y", _get(found, "period_index")
        )
    except (TypeError, ValueError):
        return None


def _get(found: object, name: str) -> object:
    return found.get(name) if isinstance(found, dict) else getattr(found, name, None)


def _missing(result: FileResult) -> set[str]:
    said = {p.column for p in result.errors} & {PROVINCE, UNIT, PERIOD}
    return said or {PROVINCE, UNIT, PERIOD}


def ask(item: FileLike, result: FileResult) -> None:
    """The inputs for what the file does not say, and a button that reads the file again with them."""
    missing, fid, chosen = _missing(result), file_id(item), choices_of(item)
    st.info(
        "Chưa nạp được vì tệp không ghi rõ thông tin dưới đây. Có thể chọn ở đây thay vì sửa tệp, "
        "rồi bấm «Đọc lại tệp với thông tin này»."
    )
    picked: dict[str, str | None] = {}
    if PROVINCE in missing:
        best = guess(result, "province_legacy", "province")
        picked["province"] = _pick(
            "Tỉnh (tên như trong văn bản)", province_names(), best, f"meta_province_{fid}"
        )
    if UNIT in missing:
        where = picked.get("province") or chosen.province or guess(result, "province_legacy", "province")
        best = guess(result, "unit", "reporting_unit")
        picked["unit"] = _pick("Đơn vị báo cáo", _unit_names(where), best, f"meta_unit_{fid}", new=True)
    if PERIOD in missing:
        best = _period_code(guess(result, "period"))
        codes = period_codes(parse_period_code(best).year if best else date.today().year)
        picked["period"] = _pick("Kỳ báo cáo", codes, best, f"meta_period_{fid}", label_of=_period_label)
    if st.button("Đọc lại tệp với thông tin này", key=f"meta_go_{fid}", icon=":material/refresh:"):
        if None in picked.values():
            st.warning("Hãy chọn đủ các thông tin còn thiếu.")
            return
        for attr, value in picked.items():
            setattr(chosen, attr, value)
        st.rerun()


def _period_code(text: str | None) -> str | None:
    """A guessed period as a code the list offers, or None when it is not one."""
    try:
        return parse_period_code(text).code if text else None
    except ValueError:
        return None


def _period_label(code: str) -> str:
    return parse_period_code(code).label


def _pick(label: str, options: list[str], best: str | None, key: str, new: bool = False, label_of=str):
    if best and best not in options:
        options = [best, *options]
    index = options.index(best) if best else None
    return st.selectbox(label, options, index=index, key=key, format_func=label_of, accept_new_options=new,
                        placeholder="Chọn…")  # fmt: skip


def _unit_names(province: str | None) -> list[str]:
    """The directory's units, those of ``province`` (as written) when it is known."""
    legacy = resolve_province(province).legacy_name if province and resolve_province(province) else None
    units = load_directory(database().reader()).units
    names = {u.canonical_name for u in units if legacy is None or u.province == legacy}
    return sorted(names, key=lambda n: (folded(n), n))
