"""One truth, many layouts: every accepted sample rendered through each transformation, alone and
mixed at random (fixed seed), must be read back with the same truth by the CLI's reader path
(``read_workbook`` + ``parse_workbook``). ``bench/metamorphic.py`` prints the accuracy table."""

from __future__ import annotations

import pytest

from tests.metamorphic.suite import Case, combo_cases, run, single_cases
from tests.metamorphic.transforms import TRANSFORMS


def _failures(cases: list[Case]) -> list[str]:
    found = []
    for case in cases:
        outcome = run(case)
        if not outcome.perfect:
            found.append(f"{case.id}: {outcome.right}/{outcome.total} " + " | ".join(outcome.diffs[:4]))
    return found


def test_enough_transformations() -> None:
    assert len(TRANSFORMS) >= 30


@pytest.mark.parametrize("name", list(TRANSFORMS))
def test_transformation_alone(name: str) -> None:
    assert _failures(single_cases(name)) == []


@pytest.mark.parametrize("case", combo_cases(), ids=lambda c: c.id)
def test_transformations_mixed(case: Case) -> None:
    assert _failures([case]) == []
