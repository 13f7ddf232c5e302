"""The xlsx pre-scan bounds a sheet of plain cells without measuring it: generated sheets show that the
bound never hides a cell (calamine's own extent stays inside it) and that every refusal is the one the
cell-by-cell measure gives, with the measured extent in its text."""

from __future__ import annotations

import io
import random
import re
import zipfile
from dataclasses import replace

import pytest
from python_calamine import CalamineWorkbook

from etl.errors import TooLarge
from etl.ingest import sheet_scan
from etl.ingest.bounds import column_letter
from etl.ingest.sheet_scan import PLAIN_EXTENT, scan_xlsx
from etl.settings import Limits
from tests import hostile


def _ref(rng: random.Random, plain: bool) -> tuple[int, int]:
    """A 0-based (row, column): inside A1:Z999 when ``plain``, else anywhere up to XFD1048576."""
    if plain or rng.random() < 0.3:
        return rng.randrange(999), rng.randrange(26)
    # on every scale: one more digit or letter than a plain cell is the edge that matters
    return rng.randrange(rng.choice((999, 1000, 1100, 9999, 100_000, 1048576))), rng.randrange(
        rng.choice((26, 27, 30, 702, 16384))
    )


# How writers (and hostile files) may write a cell's reference; calamine reads every one of them.
UNUSUAL_FORMS = (
    's="1" r="{ref}"',  # not first
    "r='{ref}'",  # single quotes
    's="1"',  # none: calamine counts positions
    '\tr="{ref}"',
    'r = "{ref}"',
    'r="{lower}"',
    'r="{padded}"',  # leading zeros
    's="1"r="{ref}"',  # no blank before it
    'r="A1" r="{ref}"',  # twice: calamine keeps the last
    'cm=">" r="{ref}"',  # a quoted ">" before it
)


def _cell(rng: random.Random, row: int, col: int, unusual: bool) -> str:
    """A cell tag as writers write it, or (``unusual``) in one of the ``UNUSUAL_FORMS``, sometimes with a
    namespace prefix."""
    ref = f"{column_letter(col)}{row + 1}"
    value = rng.choice(
        ('t="inlineStr"><is><t>x</t></is>', "><v>1</v>", "><f>A1*2</f><v>2</v>", "><f>A1*2</f>")
    )
    if not unusual:
        attrs, tag = f'r="{ref}"', "c"
    else:
        padded = f"{column_letter(col)}{row + 1:07d}"
        attrs = rng.choice(UNUSUAL_FORMS).format(ref=ref, lower=ref.lower(), padded=padded)
        tag = rng.choice(("c", "c", "x:c"))
    return f"<{tag} {attrs} {value}</{tag}>" if value.startswith("t=") else f"<{tag} {attrs}{value}</{tag}>"


def _sheet(rng: random.Random) -> tuple[str, int]:
    """The XML inside <sheetData> of a generated sheet: plain cells only, plain cells and one other (far,
    just past Z999, or unusual), or cells of any kind; sometimes past the 64 KiB the scan reads at a time.
    Also the most cells calamine could allocate for it (every reference and position it may use)."""
    kind = rng.choice(("plain", "one", "any"))
    n_rows = rng.choice((1, 5, 40, 900))
    odd = rng.randrange(n_rows) if kind == "one" else None
    lines, far_row, far_col = [], n_rows, 0
    for i in range(n_rows):
        cells = [_ref(rng, kind != "any") for _ in range(rng.randint(1 if i == odd else 0, 6))]
        if i == odd:
            cells[0] = _ref(rng, False)
        row = min((r for r, _ in cells), default=rng.randrange(999))
        placed = [(row if rng.random() < 0.9 or kind == "plain" else r, c) for r, c in cells]
        unusual = [
            kind == "any" and rng.random() < 0.05 or (i == odd and k == 0 and rng.random() < 0.3)
            for k in range(len(cells))
        ]
        tags = "".join(_cell(rng, r, c, u) for (r, c), u in zip(placed, unusual, strict=True))
        lines.append(f'<row r="{row + 1}">{tags}</row>' if rng.random() < 0.95 else f"<row>{tags}</row>")
        far_row = max([far_row, row + 1 + n_rows] + [r + 1 for r, _ in placed])
        far_col = max([far_col, len(cells)] + [c + 1 + len(cells) for _, c in placed])
    return "".join(lines), far_row * far_col


def _measured(data: bytes, limits: Limits, monkeypatch: pytest.MonkeyPatch) -> object:
    """What the scan gives when every sheet is measured cell by cell (a refusal: its text)."""
    with monkeypatch.context() as patch:
        patch.setattr(sheet_scan, "_NOT_PLAIN_CELL", re.compile(rb""))  # every piece looks unusual
        return _scanned(data, limits)


def _scanned(data: bytes, limits: Limits) -> object:
    try:
        return scan_xlsx(data, zipfile.ZipFile(io.BytesIO(data)), limits)
    except TooLarge as exc:
        return exc.message


def _calamine_extent(data: bytes, name: str) -> tuple[int, int]:
    end = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name(name).end
    return (end[0] + 1, end[1] + 1) if end else (0, 0)


@pytest.mark.parametrize("seed", range(6))
def test_a_bounded_sheet_holds_every_cell_and_refusals_are_those_of_the_measure(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    for _ in range(40):
        made = {f"Trang {i}": _sheet(rng) for i in range(rng.randint(1, 3))}
        data = hostile.xlsx({name: xml for name, (xml, _) in made.items()})
        measured = _measured(data, Limits(), monkeypatch)
        if isinstance(measured, dict):  # limits around what was measured: the refusals must agree
            cells = [s.rows * s.cols for s in measured.values()]
            tight = (
                replace(Limits(), max_cells=max(1, max(cells) - rng.randint(0, 1))),
                replace(Limits(), max_total_cells=max(1, sum(cells) - rng.randint(0, 1))),
                replace(Limits(), max_cells=PLAIN_EXTENT[0] * PLAIN_EXTENT[1] - 1),
            )
        else:
            tight = ()
        for limits in (Limits(), *tight):
            measured, scanned = _measured(data, limits, monkeypatch), _scanned(data, limits)
            if isinstance(measured, str):
                assert scanned == measured
                continue
            assert isinstance(scanned, dict) and scanned.keys() == measured.keys()
            for name, scan in scanned.items():
                exact = measured[name]
                assert scan.uncached_formulas == exact.uncached_formulas
                if scan.bounded:
                    assert (
                        (scan.rows, scan.cols) == PLAIN_EXTENT
                        and exact.rows <= scan.rows
                        and exact.cols <= scan.cols
                    )
                else:
                    assert (scan.rows, scan.cols) == (exact.rows, exact.cols)
                if made[name][1] <= 2_000_000:  # calamine allocates what it reads: only when that is small
                    height, width = _calamine_extent(data, name)
                    assert height <= scan.rows and width <= scan.cols


def test_a_far_cell_after_the_first_64_kib_is_measured() -> None:
    padding = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{"x" * 100}</t></is></c></row>' for r in range(1, 990)
    )
    data = hostile.xlsx({"Báo cáo": padding + hostile.cell("XFD1048576", "x")})
    assert len(padding) > 2 * 2**16
    with pytest.raises(TooLarge, match="1.048.576 dòng × 16.384 cột"):
        scan_xlsx(data, zipfile.ZipFile(io.BytesIO(data)), Limits())


@pytest.mark.parametrize(
    ("tag", "bounded"),
    [
        ('<c r="Z999" t="inlineStr"><is><t>x</t></is></c>', True),
        ('<c r="AA1" t="inlineStr"><is><t>x</t></is></c>', False),
        ('<c r="A1000" t="inlineStr"><is><t>x</t></is></c>', False),
        ('<c s="1" r="A1" t="inlineStr"><is><t>x</t></is></c>', False),
        ("<c r='A1' t=\"inlineStr\"><is><t>x</t></is></c>", False),
        ('<c t="inlineStr"><is><t>x</t></is></c>', False),
    ],
)
def test_only_a_plain_cell_tag_is_bounded_without_measuring(tag: str, bounded: bool) -> None:
    data = hostile.xlsx({"Báo cáo": f'<row r="1">{tag}</row>'})
    (scan,) = scan_xlsx(data, zipfile.ZipFile(io.BytesIO(data)), Limits()).values()
    assert scan.bounded is bounded


@pytest.mark.parametrize("tag", ["c", "x:c"])
@pytest.mark.parametrize("form", UNUSUAL_FORMS)
def test_a_cell_written_in_any_form_calamine_reads_is_inside_the_scanned_extent(form: str, tag: str) -> None:
    plain = "".join(f'<row r="{r}"><c r="B{r}"><v>{r}</v></c></row>' for r in range(1, 50))
    attrs = form.format(ref="AB1234", lower="ab1234", padded="AB0001234")
    data = hostile.xlsx({"Báo cáo": f'{plain}<row r="60"><{tag} {attrs}><v>1</v></{tag}></row>'})
    (scan,) = scan_xlsx(data, zipfile.ZipFile(io.BytesIO(data)), Limits()).values()
    height, width = _calamine_extent(data, "Báo cáo")
    assert not scan.bounded and height <= scan.rows and width <= scan.cols


@pytest.mark.parametrize("form", [f for f in UNUSUAL_FORMS if "{ref}" in f and ">" not in f])
def test_a_formula_without_its_value_is_found_in_any_form_its_reference_is_written(form: str) -> None:
    attrs = form.format(ref="C5", lower="c5", padded="C0000005")
    cells = f'<row r="5"><c r="B5"><f>A1*2</f><v>2</v></c><c {attrs}><f>A1*2</f></c></row>'
    data = hostile.xlsx({"Báo cáo": f'<row r="1"><c r="A1"><v>1</v></c></row>{cells}'})
    (scan,) = scan_xlsx(data, zipfile.ZipFile(io.BytesIO(data)), Limits()).values()
    assert scan.uncached_formulas == {(4, 2)}  # C5, 0-based; B5 has its value


@pytest.mark.parametrize(
    "row_tag",
    [
        '<row r="{r}" hidden="1">',
        '<row r="{r}" spans="1:3" hidden="true" customHeight="1">',
        "<row hidden='1' r='{r}'>",
        '<x:row r="{r}" hidden = "1">',
    ],
)
def test_hidden_rows_are_found_in_any_form_their_tag_is_written(row_tag: str) -> None:
    """Rows the person hid (``hidden="1"``, before or after ``r``, any quote, a prefix): found, others not
    (``hidden="0"``)."""
    rows = "".join(
        (row_tag.format(r=r) if r in (3, 70) else f'<row r="{r}" hidden="0">' if r == 4 else f'<row r="{r}">')
        + f'<c r="A{r}"><v>{r}</v></c>'
        + ("</x:row>" if r in (3, 70) and row_tag.startswith("<x:") else "</row>")
        for r in range(1, 80)
    )
    data = hostile.xlsx({"Báo cáo": rows})
    (scan,) = scan_xlsx(data, zipfile.ZipFile(io.BytesIO(data)), Limits()).values()
    assert scan.hidden_rows == {2, 69}
