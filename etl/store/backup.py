"""A consistent copy of the database and the archive, restorable, with a Parquet export for analysts.

``backup(db, archive_dir, target)`` holds the writers' lock while it copies, so the copy is one
published state: the database file, every archived file a submission names (``archive/``), a Parquet
file per documented view (``parquet/``, docs/schema.md) and ``manifest.json`` (what, when, sizes,
SHA-256 of each copied file). ``restore(db, archive_dir, source)`` checks the backup against its
manifest, puts the archived files back, moves the live database aside (``<db>.before-restore-…``) and
publishes the backed-up one in its place, with archive paths pointing to this archive.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from etl.errors import BackupError
from etl.store.db import Database, stored_schema_version

DB_NAME = "ttdn.duckdb"
# The relations docs/schema.md documents for analysts, exported one Parquet file each.
EXPORTED = (
    "v_task_progress",
    "v_task_progress_all",
    "v_plan_coverage",
    "submission_info",
    "submission_events",
    "load_log",
    "plans",
    "plan_tasks",
    "units",
    "unit_aliases",
)


@dataclass(frozen=True)
class BackupSummary:
    folder: Path
    n_submissions: int
    n_archived: int
    n_exported: int


def backup(db: Database, archive_dir: Path, target: Path) -> BackupSummary:
    """Copy the database, its archived files and a Parquet export into the empty folder ``target``."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"Thư mục '{target}' không trống: hãy chọn một thư mục mới cho bản sao lưu.")
    if not db.exists():
        raise BackupError(f"Chưa có cơ sở dữ liệu '{db.path}' để sao lưu.")
    (target / "archive").mkdir(parents=True, exist_ok=True)
    with db.lock():  # no writer publishes while we copy: one consistent state
        shutil.copyfile(db.path, target / DB_NAME)
    conn = duckdb.connect(str(target / DB_NAME), read_only=True)
    try:
        files = _copy_archive(conn, archive_dir, target / "archive")
        exported = _export_parquet(conn, target / "parquet")
        n_submissions = conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
        manifest = {
            "created_at": datetime.now().isoformat(timespec="seconds"),
            "schema_version": stored_schema_version(conn),
            "database": {"file": DB_NAME, "sha256": _sha256(target / DB_NAME)},
            "n_submissions": n_submissions,
            "archive": files,
            "parquet": exported,
        }
    finally:
        conn.close()
    (target / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return BackupSummary(target, n_submissions, len(files), len(exported))


def _copy_archive(conn: duckdb.DuckDBPyConnection, archive_dir: Path, target: Path) -> dict[str, str]:
    """Every file a submission names, copied under ``target`` as under the archive; {relative path: sha256}."""
    copied: dict[str, str] = {}
    for path_text, sha in conn.execute("SELECT archive_path, sha256 FROM submissions").fetchall():
        source = _located(path_text, sha, archive_dir)
        if source is None:
            continue  # missing from the archive already: the manifest says which ones it holds
        relative = f"{sha[:2]}/{source.name}"
        (target / sha[:2]).mkdir(exist_ok=True)
        shutil.copyfile(source, target / relative)
        copied[relative] = sha
    return copied


def _located(path_text: str | None, sha: str, archive_dir: Path) -> Path | None:
    """The archived file of a submission: where the database says, else by hash in ``archive_dir``."""
    if path_text and Path(path_text).is_file():
        return Path(path_text)
    return next((p for p in (archive_dir / sha[:2]).glob(f"{sha}*") if not p.name.endswith(".part")), None)


def _export_parquet(conn: duckdb.DuckDBPyConnection, folder: Path) -> list[str]:
    folder.mkdir(exist_ok=True)
    names = []
    for name in EXPORTED:
        path = folder / f"{name}.parquet"
        quoted = str(path.resolve()).replace("'", "''")
        conn.execute(f"COPY (SELECT * FROM {name}) TO '{quoted}' (FORMAT parquet)")
        names.append(path.name)
    return names


def restore(db: Database, archive_dir: Path, source: Path) -> BackupSummary:
    """Put a backup made by ``backup`` back in place of the live database and into the archive."""
    manifest = _checked_manifest(source)
    for relative in manifest["archive"]:
        (archive_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        if not (archive_dir / relative).exists():
            shutil.copyfile(source / "archive" / relative, archive_dir / relative)
    with db.lock():
        incoming = db.path.with_name(f"{db.path.name}.tmp-restore-{os.getpid()}")
        shutil.copyfile(source / DB_NAME, incoming)
        if db.exists():
            os.replace(
                db.path, db.path.with_name(f"{db.path.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
            )
        os.replace(incoming, db.path)
    with db.writer() as conn:  # archive paths of this machine; an older schema upgraded
        rows = conn.execute("SELECT submission_id, sha256, archive_path FROM submissions").fetchall()
        for submission_id, sha, old in rows:
            suffix = Path(old).suffix if old else ""
            conn.execute(
                "UPDATE submissions SET archive_path = ? WHERE submission_id = ?",
                [str(archive_dir / sha[:2] / f"{sha}{suffix}"), submission_id],
            )
    return BackupSummary(source, manifest["n_submissions"], len(manifest["archive"]), 0)


def _checked_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(
            f"'{source}' không phải bản sao lưu (không đọc được manifest.json: {exc}). "
            "Hãy chỉ đúng thư mục do lệnh 'python -m etl backup' tạo ra."
        ) from exc
    if _sha256(source / DB_NAME) != manifest["database"]["sha256"]:
        raise BackupError(f"Tệp CSDL trong '{source}' đã bị thay đổi sau khi sao lưu; không khôi phục.")
    for relative, sha in manifest["archive"].items():
        path = source / "archive" / relative
        if not path.is_file() or _sha256(path) != sha:
            raise BackupError(
                f"Tệp lưu trữ '{relative}' trong bản sao lưu bị thiếu hoặc đã thay đổi; không khôi phục."
            )
    return manifest


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
