"""Seeded mutation fuzzing of the sample reports: every mutant is loaded or refused with a reason.

A few hundred mutants of ``tests/data/samples`` — byte flips, truncation, damaged zip entries,
broken XML, huge dimensions, many sheets, hostile CSV — go through the real entry point
(``sandbox.read_report``, the bounded child process). Each must come back as a report or as a
``ReportError`` with its machine code and a Vietnamese reason; nothing else may escape, and memory
stays bounded in the parent and in the children.
"""

from __future__ import annotations

import io
import random
import re
import resource
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator

from etl.errors import ReportError
from etl.ingest import sandbox
from etl.ingest.meta import MetaOptions
from etl.model import ParsedReport
from etl.settings import Limits
from etl.vocab.units import UnitDirectory
from tests import hostile

SEED = 14
PER_SAMPLE = 16  # mutants of each kind drawn per sample (of the kinds that apply)
DIRECTORY = UnitDirectory.from_csv(hostile.SAMPLES / "units.csv")
OPTIONS = MetaOptions(province="Thái Bình", unit="Sở Ngoại vụ", period="2022-Q3")
Mutator = Callable[[bytes, random.Random], bytes]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    mutant = bytearray(data)
    for _ in range(rng.choice([1, 3, 10, 50])):
        mutant[rng.randrange(len(mutant))] = rng.randrange(256)
    return bytes(mutant)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(1, len(data))]


def _rezip(data: bytes, edit: Callable[[str, bytes], bytes | None]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            content = edit(info.filename, source.read(info))
            if content is not None:
                zf.writestr(info.filename, content)
    return out.getvalue()


def corrupt_entry(data: bytes, rng: random.Random) -> bytes:
    """One zip entry's raw bytes damaged in place (its CRC and compressed stream no longer agree)."""
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    info = rng.choice(infos)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    mutant = bytearray(data)
    for _ in range(rng.choice([1, 5, 20])):
        if info.compress_size:
            mutant[start + rng.randrange(info.compress_size)] = rng.randrange(256)
    return bytes(mutant)


def drop_entry(data: bytes, rng: random.Random) -> bytes:
    victim = rng.choice(zipfile.ZipFile(io.BytesIO(data)).namelist())
    return _rezip(data, lambda name, content: None if name == victim else content)


def damage_xml(data: bytes, rng: random.Random) -> bytes:
    """Cut, unbalance or poison one XML part: a closing tag removed, a stray '<', an undefined entity."""
    names = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.endswith((".xml", ".rels"))]
    victim = rng.choice(names)

    def edit(name: str, content: bytes) -> bytes:
        if name != victim or not content:
            return content
        pos = rng.randrange(len(content))
        return rng.choice(
            [
                content[:pos],
                content[:pos] + b"<" + content[pos:],
                content[:pos] + b"&nope;" + content[pos:],
                content.replace(b"</", b"<", 1),
                content[:pos] + b"\xff\xfe" + content[pos:],
            ]
        )

    return _rezip(data, edit)


def huge_dimensions(data: bytes, rng: random.Random) -> bytes:
    """A cell moved to the far corner (xlsx) or a content cell repeated over a whole sheet (ods)."""

    def edit(name: str, content: bytes) -> bytes:
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            far = rng.choice([b"XFD1048576", b"AAA500000", b"ZZ9999"])
            return re.sub(rb'(<c\b[^>]*?\br=")[A-Z]+\d+', rb"\g<1>" + far, content, count=1)
        if name == "content.xml":
            rows = str(rng.choice([10**6, 10**7])).encode()
            content = content.replace(
                b"<table:table-row", b'<table:table-row table:number-rows-repeated="' + rows + b'"', 1
            )
            return content.replace(
                b"<table:table-cell office:value-type",
                b'<table:table-cell table:number-columns-repeated="16384" office:value-type',
                1,
            )
        return content

    return _rezip(data, edit)


def many_sheets(data: bytes, rng: random.Random) -> bytes:
    """The first sheet listed hundreds of times in xl/workbook.xml (all pointing at the same part)."""
    count = rng.choice([100, 300, 1000])

    def edit(name: str, content: bytes) -> bytes:
        if name != "xl/workbook.xml":
            return content
        sheet = re.search(rb"<sheet\b[^>]*/>", content)
        if sheet is None:
            return content
        copies = b"".join(
            re.sub(
                rb'name="[^"]*"',
                b'name="S%d"' % i,
                re.sub(rb'sheetId="\d+"', b'sheetId="%d"' % (i + 900), sheet.group()),
            )
            for i in range(count)
        )
        return content.replace(sheet.group(), sheet.group() + copies, 1)

    return _rezip(data, edit)


def hostile_csv(data: bytes, rng: random.Random) -> bytes:
    text = data
    pos = rng.randrange(len(text))
    return rng.choice(
        [
            text[:pos] + b'"' + text[pos:],
            text[:pos] + b"\x00" + text[pos:],
            text[:pos] + b'"' + b"x" * 200_000 + b'"' + text[pos:],
            text + b"\n1,Nhi\xe1\xbb\x87m v\xe1\xbb\xa5,x" * rng.choice([10, 60_000]),
            text[:pos] + b'=HYPERLINK("http://x"),' + text[pos:],
        ]
    )


ZIP_MUTATORS: list[Mutator] = [flip_bytes, truncate, corrupt_entry, drop_entry, damage_xml, huge_dimensions]
XLSX_MUTATORS: list[Mutator] = [*ZIP_MUTATORS, many_sheets]
OTHER_MUTATORS: list[Mutator] = [flip_bytes, truncate]
SAMPLES = {
    "p01_TB_6T2019_SoTTTT.xlsx": XLSX_MUTATORS,
    "p04_TQ_6T2022_DaiPTTH.xlsx": XLSX_MUTATORS,
    "p07_TB_Q3-2019_SoNgoaiVu.xls": OTHER_MUTATORS,
    "p08_TQ_9T2022_SoTTTT.ods": ZIP_MUTATORS,
    "p09_TB_6T2022_SoCongThuong.csv": [*OTHER_MUTATORS, hostile_csv],
}


def mutants() -> Iterator[tuple[str, str, bytes]]:
    rng = random.Random(SEED)
    for name, mutators in SAMPLES.items():
        data = hostile.sample(name)
        for mutator in mutators:
            for _ in range(PER_SAMPLE if mutator is not many_sheets else 4):
                yield name, mutator.__name__, mutator(data, rng)


def test_every_mutant_is_loaded_or_refused_with_a_vietnamese_reason() -> None:
    started, outcomes, failures = time.monotonic(), Counter(), []
    parent_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for n, (name, kind, data) in enumerate(mutants()):
        try:
            report = sandbox.read_report(data, name, OPTIONS, DIRECTORY)
            assert isinstance(report, ParsedReport)
            outcomes["loaded"] += 1
        except ReportError as exc:
            outcomes[exc.code] += 1
            if not (isinstance(exc.code, str) and hostile.is_vietnamese_reason(exc.message)):
                failures.append((name, kind, n, exc.code, exc.message[:200]))
            if n % 25 == 0:  # the annotated copy of a refused mutant is built from what was read
                assert sandbox.annotated_copy(data, name, exc.problems, []).startswith(b"PK")
        except BaseException as exc:  # noqa: BLE001 - anything else is the crash this test looks for
            failures.append((name, kind, n, type(exc).__name__, str(exc)[:200]))
    sandbox.shutdown()  # the workers exit and are waited for: their peak RSS is now measurable
    total = sum(outcomes.values())
    assert not failures, failures
    assert total >= 300 and outcomes["loaded"] and len(outcomes) > 4, outcomes
    assert time.monotonic() - started < 60
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert child_peak <= Limits().parse_memory_bytes
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - parent_before < 200 * 1024  # KiB
