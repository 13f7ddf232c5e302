"""Tables as a person reads them: "—" where a cell is empty, never Streamlit's "None"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ROOT, make_app
from ui.layout import EMPTY, with_empty_marks
from ui.navigation import page_files


def test_empty_text_and_date_cells_read_as_a_dash() -> None:
    df = pd.DataFrame({
        "replaced_by": ["a.xlsx", None], "due_date_original": [date(2024, 9, 30), None],
        "due_date": [date(2024, 9, 30), date(2024, 10, 1)], "pct_done": [50.0, None],
    })  # fmt: skip
    shown, as_text = with_empty_marks(df)
    assert list(shown["replaced_by"]) == ["a.xlsx", EMPTY]
    assert list(shown["due_date_original"]) == ["30/09/2024", EMPTY]
    assert as_text == {"due_date_original"}  # a full date column stays a date column
    assert list(shown["due_date"]) == [date(2024, 9, 30), date(2024, 10, 1)]
    assert shown["pct_done"].isna().sum() == 1  # numbers: the progress bar draws nothing


@pytest.mark.parametrize("path", page_files(), ids=lambda p: p.stem)
def test_no_table_on_a_page_has_an_empty_text_cell(
    fixture_db_path, monkeypatch, tmp_path, path: Path
) -> None:
    monkeypatch.setenv("TTDN_ARCHIVE", str(tmp_path / "archive"))
    at = make_app(fixture_db_path, monkeypatch, period="Quý III/2024").run()
    at.switch_page(str(path.relative_to(ROOT))).run()
    for frame in [d.value for d in at.dataframe]:
        text = frame.select_dtypes(exclude="number")
        assert not text.isna().any().any(), text.columns[text.isna().any()].tolist()
