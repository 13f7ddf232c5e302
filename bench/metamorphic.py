"""Reader accuracy per transformation: every accepted sample's truth rendered through each one.

    python bench/metamorphic.py [--combos 60] [--seed 20221015]

Prints, per transformation, the task and metadata fields read right over the fields expected, and
the files loaded over the files tried; then the same for the random mixes of the test suite.
``tests/test_metamorphic.py`` keeps every transformation at 100 %.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.metamorphic.suite import SEED, Case, combo_cases, run, single_cases  # noqa: E402
from tests.metamorphic.transforms import TRANSFORMS  # noqa: E402


def _row(name: str, cases: list[Case]) -> tuple[str, int, int, int, int]:
    outcomes = [run(case) for case in cases]
    right = sum(o.right for o in outcomes)
    total = sum(o.total for o in outcomes)
    return name, right, total, sum(o.loaded for o in outcomes), len(outcomes)


def _print(row: tuple[str, int, int, int, int], note: str = "") -> None:
    name, right, total, loaded, tried = row
    pct = 100 * right / total if total else 100.0
    print(f"{name:34s} {pct:7.2f} %  {right:6d}/{total:<6d} {loaded:4d}/{tried:<4d} {note}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--combos", type=int, default=60)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    started = time.perf_counter()
    print(f"{'transformation':34s} {'accuracy':>9s}  {'fields':>13s} {'files':>9s}")
    rows = []
    for name, transform in TRANSFORMS.items():
        row = _row(name, single_cases(name))
        _print(row, f"[{transform.kind}]")
        rows.append(row)
    mixes = _row(f"random mixes (seed {args.seed})", combo_cases(args.combos, args.seed))
    _print(mixes)
    perfect = sum(r[1] == r[2] and r[3] == r[4] for r in rows)
    print(f"\n{perfect}/{len(rows)} transformations at 100 %; {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
