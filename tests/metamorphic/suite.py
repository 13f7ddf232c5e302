"""The cases of the metamorphic suite: every transformation alone on every truth, and random mixes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from functools import lru_cache

from tests.metamorphic.harness import Outcome, read_back
from tests.metamorphic.layout import Incompatible, Layout
from tests.metamorphic.render import build
from tests.metamorphic.transforms import EXCLUSIVE, TRANSFORMS
from tests.metamorphic.truth import ReportTruth, accepted_truths
from tests.metamorphic.writers import to_bytes

SEED = 20221015
N_COMBOS = 60


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


def _prepared(case: Case) -> tuple[ReportTruth, Layout]:
    truth, layout = truths()[case.truth].copy(), Layout()
    rng = random.Random(case.seed)
    for name in case.transforms:
        TRANSFORMS[name].apply(truth, layout, rng)
    return truth, layout


def run(case: Case) -> Outcome:
    return read_back(*_prepared(case))[1]


def renders(case: Case) -> bool:
    """False when the mix asks for what its format cannot hold (a ✓ in Windows-1258, a merge in a CSV)."""
    truth, layout = _prepared(case)
    try:
        to_bytes(build(truth, layout), layout, truth.name)
    except Incompatible:
        return False
    return True


def single_cases(name: str) -> list[Case]:
    return [Case(t, (name,), SEED + i) for i, t in enumerate(truths())]


def combo_cases(n: int = N_COMBOS, seed: int = SEED) -> list[Case]:
    """``n`` mixes of 3 to 6 transformations on a random truth (fixed seed), each valid for its format."""
    rng = random.Random(seed)
    pool = sorted(TRANSFORMS)
    cases: list[Case] = []
    while len(cases) < n:
        names = rng.sample(pool, rng.randint(3, 6))
        kinds = [TRANSFORMS[x].kind for x in names]
        if any(kinds.count(kind) > 1 for kind in EXCLUSIVE):
            continue
        case = Case(rng.choice(sorted(truths())), tuple(names), rng.randrange(1_000_000))
        if renders(case):
            cases.append(case)
    return cases
