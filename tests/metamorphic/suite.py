"""The cases of the metamorphic suite: every transformation alone on every truth, and random mixes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from tests.metamorphic.harness import Outcome, read_back
from tests.metamorphic.render import Layout
from tests.metamorphic.transforms import NEEDS_META_INFERENCE, TRANSFORMS
from tests.metamorphic.truth import ReportTruth, accepted_truths

SEED = 20221015
N_COMBOS = 60
CSV_ONLY_WITHOUT = ("merged_down_over_subtasks", "sheet_per_lead_unit", "stale_hidden_sheets")


@dataclass(frozen=True)
class Case:
    truth: str
    transforms: tuple[str, ...]
    seed: int

    @property
    def id(self) -> str:
        return f"{self.truth[:3]}-" + "+".join(self.transforms)


@lru_cache(maxsize=1)
def truths() -> dict[str, ReportTruth]:
    return {t.name: t for t in accepted_truths()}


def run(case: Case) -> Outcome:
    truth, layout = truths()[case.truth].copy(), Layout()
    rng = random.Random(case.seed)
    for name in case.transforms:
        TRANSFORMS[name].apply(truth, layout, rng)
    return read_back(truth, layout)[1]


def single_cases(name: str) -> list[Case]:
    return [Case(t, (name,), SEED + i) for i, t in enumerate(truths())]


def combo_cases(n: int = N_COMBOS, seed: int = SEED) -> list[Case]:
    """``n`` mixes of 3 to 6 transformations on a random truth (fixed seed), each valid for its format."""
    rng = random.Random(seed)
    pool = sorted(set(TRANSFORMS) - NEEDS_META_INFERENCE)
    cases: list[Case] = []
    while len(cases) < n:
        names = rng.sample(pool, rng.randint(3, 6))
        formats = [x for x in names if TRANSFORMS[x].kind == "format"]
        csv = any(x.startswith("format_csv") for x in formats)
        if len(formats) > 1 or (csv and any(x in CSV_ONLY_WITHOUT for x in names)):
            continue
        cases.append(Case(rng.choice(sorted(truths())), tuple(names), rng.randrange(1_000_000)))
    return cases
