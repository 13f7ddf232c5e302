"""The unit directory as people edit it: the names a province's reports use for its units (aliases).

The reader matches a report's unit names against the directory (``units`` and ``unit_aliases``,
``etl.vocab.units``) each time it reads a file; an alias added here therefore applies to the files
read from then on. Reports already loaded keep the unit they were read as (load them again to read
them with the new alias).

An alias added by a person is also written to ``unit_alias_edits`` (who, when): only those can be
removed again, never the reference aliases seeded from ``data/reference/units.csv``. Whether the
person may edit a unit is the caller's ``allowed(province, unit)`` (``can(user, MANAGE_UNITS, …)``),
asked here about the unit's row as the database holds it, inside the write: never about what a
form or a URL said.

Plain SQL with ``?`` placeholders (SELECT, INSERT, DELETE), so that it runs on any store whose
writer yields a connection with ``execute(sql, params)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from etl.vocab.text import nfc
from etl.vocab.units import unit_key

MAX_ALIAS_CHARS = 200

Allowed = Callable[[str, str], bool]  # (unit's province as stored, canonical name) -> may edit


class DirectoryError(Exception):
    """An alias that cannot be added or removed; the message is Vietnamese and says why."""


@dataclass(frozen=True)
class DirectoryUnit:
    unit_id: int
    canonical_name: str
    province: str  # as the unit's documents name it (the province before 2025 for a merged one)
    kind: str
    aliases: tuple[str, ...]  # every alias, sorted
    added: tuple[tuple[str, str, datetime], ...]  # (alias, added by, added at) of aliases added by people


@dataclass(frozen=True)
class AliasChange:
    """What one edit did: the unit's aliases before and after."""

    unit_id: int
    unit: str
    province: str
    alias: str
    before: tuple[str, ...]
    after: tuple[str, ...]


def clean_alias(text: str) -> str:
    """An alias as stored: NFC, spaces collapsed, trimmed."""
    return re.sub(r"\s+", " ", nfc(text or "")).strip()


def _table_exists(conn, name: str) -> bool:
    rows = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchall()
    return bool(rows[0][0])


def list_units(conn) -> list[DirectoryUnit]:
    """Every unit of the directory with its aliases, by province then name."""
    units = conn.execute(
        "SELECT unit_id, canonical_name, province, kind FROM units ORDER BY province, canonical_name"
    ).fetchall()
    aliases: dict[int, list[str]] = {}
    for unit_id, alias in conn.execute("SELECT unit_id, alias FROM unit_aliases").fetchall():
        aliases.setdefault(unit_id, []).append(alias)
    added: dict[int, list[tuple[str, str, datetime]]] = {}
    if _table_exists(conn, "unit_alias_edits"):  # a file no writer has opened since it was added
        rows = conn.execute("SELECT unit_id, alias, added_by, added_at FROM unit_alias_edits").fetchall()
        for unit_id, alias, by, at in rows:
            added.setdefault(unit_id, []).append((alias, by, at))
    return [
        DirectoryUnit(i, name, province, kind or "", tuple(sorted(aliases.get(i, []))),
                      tuple(sorted(added.get(i, []))))
        for i, name, province, kind in units
    ]  # fmt: skip


def _unit(conn, unit_id: int) -> tuple[str, str]:
    rows = conn.execute("SELECT canonical_name, province FROM units WHERE unit_id = ?", [unit_id]).fetchall()
    if not rows:
        raise DirectoryError(
            "Không tìm thấy đơn vị này trong danh mục (có thể vừa được thay đổi). Hãy tải lại trang."
        )
    return rows[0][0], rows[0][1]


def _aliases(conn, unit_id: int) -> tuple[str, ...]:
    rows = conn.execute("SELECT alias FROM unit_aliases WHERE unit_id = ?", [unit_id]).fetchall()
    return tuple(sorted(a for (a,) in rows))


def _check_allowed(allowed: Allowed, name: str, province: str) -> None:
    if not allowed(province, name):
        raise DirectoryError(
            f"Đơn vị «{name}» ({province}) không thuộc phạm vi tài khoản của bạn: bạn chỉ sửa được danh mục "
            "đơn vị của tỉnh mình."
        )


def add_alias(db, unit_id: int, alias: str, *, by: str, allowed: Allowed) -> AliasChange:
    """Add ``alias`` to the unit ``unit_id`` (``DirectoryError`` with the reason when it cannot be)."""
    alias = clean_alias(alias)
    if not alias:
        raise DirectoryError("Hãy nhập tên gọi khác của đơn vị.")
    if len(alias) > MAX_ALIAS_CHARS:
        raise DirectoryError(f"Tên gọi dài quá {MAX_ALIAS_CHARS} ký tự.")
    with db.writer() as conn:
        name, province = _unit(conn, unit_id)
        _check_allowed(allowed, name, province)
        wanted = unit_key(alias, province)
        if not wanted:
            raise DirectoryError("Tên gọi phải có chữ hoặc số.")
        rows = conn.execute(
            """SELECT u.unit_id, u.canonical_name, u.canonical_name FROM units u WHERE u.province = ?
               UNION ALL
               SELECT u.unit_id, u.canonical_name, a.alias FROM units u JOIN unit_aliases a ON a.unit_id = u.unit_id
               WHERE u.province = ?""",
            [province, province],
        ).fetchall()
        for other_id, other_name, known in rows:
            if unit_key(known, province) != wanted:
                continue
            if other_id == unit_id:
                raise DirectoryError(f"Đơn vị «{name}» đã có tên gọi «{known}» (cùng cách viết).")
            raise DirectoryError(
                f"Tên gọi «{alias}» đã dùng cho đơn vị khác: «{other_name}» ({province})"
                + (f", với tên gọi «{known}»." if known != other_name else ".")
                + " Một tên gọi chỉ chỉ một đơn vị; hãy bỏ tên gọi ở đơn vị kia trước nếu nó bị gán nhầm."
            )
        before = _aliases(conn, unit_id)
        conn.execute("INSERT INTO unit_aliases (unit_id, alias) VALUES (?, ?)", [unit_id, alias])
        conn.execute(
            "INSERT INTO unit_alias_edits (unit_id, alias, added_by, added_at) VALUES (?, ?, ?, ?)",
            [unit_id, alias, by, datetime.now()],
        )
        return AliasChange(unit_id, name, province, alias, before, _aliases(conn, unit_id))


def remove_alias(
    db, unit_id: int, alias: str, *, by: str, allowed: Allowed, anyone: bool = False
) -> AliasChange:
    """Remove an alias a person added (``by`` themselves, or by anyone when ``anyone``: an admin)."""
    with db.writer() as conn:
        name, province = _unit(conn, unit_id)
        _check_allowed(allowed, name, province)
        rows = conn.execute(
            "SELECT added_by FROM unit_alias_edits WHERE unit_id = ? AND alias = ?", [unit_id, alias]
        ).fetchall()
        if not rows:
            raise DirectoryError(
                f"Tên gọi «{alias}» của «{name}» có sẵn trong danh mục gốc hoặc đã được bỏ; chỉ bỏ được tên gọi "
                "do người dùng thêm."
            )
        if not anyone and rows[0][0] != by:
            raise DirectoryError(
                f"Tên gọi «{alias}» do tài khoản «{rows[0][0]}» thêm; bạn chỉ bỏ được tên gọi do chính mình thêm."
            )
        before = _aliases(conn, unit_id)
        conn.execute("DELETE FROM unit_aliases WHERE unit_id = ? AND alias = ?", [unit_id, alias])
        conn.execute("DELETE FROM unit_alias_edits WHERE unit_id = ? AND alias = ?", [unit_id, alias])
        return AliasChange(unit_id, name, province, alias, before, _aliases(conn, unit_id))
