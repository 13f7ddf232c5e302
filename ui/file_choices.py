"""What a person chose for one uploaded file before confirming: province, unit and period the file does
not say (``ui.meta_form``), and corrections to how its columns were understood (``ui.column_map``).

Kept in the session by the file's content, so that the preview and the load read the file the same way.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Protocol

import streamlit as st

from etl.store.load import IngestOptions

_STATE = "file_choices"


class FileLike(Protocol):
    """An uploaded file (``ui.upload.Upload``)."""

    name: str
    data: bytes


@dataclass
class FileChoices:
    province: str | None = None
    unit: str | None = None
    period: str | None = None  # "2022-Q3" | "2022-H1" | "2022-9M" | "2022"
    columns: dict[int, str] = field(default_factory=dict)  # offset -> assignment (etl.ingest.column_map)


def file_id(item: FileLike) -> str:
    """A short id of a file (name and content), for widget keys and the session's choices."""
    return hashlib.sha256(item.name.encode() + b"\0" + item.data).hexdigest()[:16]


def choices_of(item: FileLike) -> FileChoices:
    """This file's choices (created empty on first use)."""
    return st.session_state.setdefault(_STATE, {}).setdefault(file_id(item), FileChoices())


def cache_key(item: FileLike) -> tuple:
    """The choices as a hashable value: the preview is cached on it."""
    c = choices_of(item)
    return (c.province, c.unit, c.period, tuple(sorted(c.columns.items())))


def options_of(item: FileLike) -> IngestOptions:
    """The ingest options that read this file as the person chose."""
    c = choices_of(item)
    return IngestOptions(province=c.province, unit=c.unit, period=c.period, chosen_columns=dict(c.columns))


def options_from_key(key: tuple) -> IngestOptions:
    """``options_of`` from a ``cache_key`` (inside a cached function, which sees only its arguments)."""
    if not key:
        return IngestOptions()
    province, unit, period, columns = key
    return IngestOptions(province=province, unit=unit, period=period, chosen_columns=dict(columns))
