"""Parsing in a bounded child process (etl.ingest.sandbox): same results, every failure a refusal."""

from __future__ import annotations

import resource
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from etl.errors import MissingColumn, OutOfMemory, ParserFailure, ReportError, TimedOut, TooLarge
from etl.ingest import sandbox
from etl.ingest.meta import MetaOptions
from etl.ingest.parse import parse_workbook
from etl.ingest.readers import read_workbook
from etl.settings import Limits
from etl.vocab.units import UnitDirectory
from tests import hostile

P01 = "p01_TB_6T2019_SoTTTT.xlsx"
DIRECTORY = UnitDirectory.from_csv(hostile.SAMPLES / "units.csv")


def in_child(data: bytes, name: str, limits: Limits | None = None):
    return sandbox.read_report(data, name, MetaOptions(), DIRECTORY, limits)


def test_the_child_reads_what_the_reader_reads() -> None:
    for name in (
        P01,
        "p07_TB_Q3-2019_SoNgoaiVu.xls",
        "p08_TQ_9T2022_SoTTTT.ods",
        "p09_TB_6T2022_SoCongThuong.csv",
    ):
        data = hostile.sample(name)
        here = parse_workbook(read_workbook(data, name, Limits()), MetaOptions(), DIRECTORY)
        assert in_child(data, name) == here


def test_a_refusal_keeps_its_code_and_every_problem() -> None:
    name = "p14_TQ_Q3-2022_ThongKeTinBai.xlsx"
    with pytest.raises(MissingColumn) as info:
        in_child(hostile.sample(name), name)
    assert info.value.code == "missing required column"
    assert len(info.value.problems) >= 1 and all(p.message for p in info.value.problems)


def test_a_rust_panic_is_a_refusal_and_the_next_file_reads() -> None:
    with pytest.raises(ParserFailure) as info:
        in_child(hostile.panicking_xls(), "hong.xls")
    assert info.value.code == "parser failure" and hostile.is_vietnamese_reason(info.value.message)
    assert len(in_child(hostile.sample(P01), P01).tasks) == 14


def test_a_parser_that_runs_out_of_memory_is_refused_not_the_server() -> None:
    # bounds raised so the guards let calamine try to allocate 702 × 300.000 cells (several GB)
    limits = Limits(max_cells=10**12, max_total_cells=10**12, max_rows=10**9, parse_memory_bytes=400 * 2**20)
    data = hostile.xlsx({"Báo cáo": hostile.cell("ZZ300000", "x")})
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(OutOfMemory) as info:
        in_child(data, "lon.xlsx", limits)
    assert info.value.code == "out of memory" and "400 MB" in info.value.message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024
    assert len(in_child(hostile.sample(P01), P01).tasks) == 14


def test_a_file_that_takes_too_long_is_stopped() -> None:
    limits = Limits(max_rows=10**6, max_tasks=10**6, parse_seconds=0.3)
    with pytest.raises(TimedOut) as info:
        in_child(hostile.rows_csv(200_000), "cham.csv", limits)
    assert info.value.code == "timeout" and "quá 0,3 giây" in info.value.message
    assert len(in_child(hostile.sample(P01), P01).tasks) == 14


def test_tasks_per_file_are_bounded() -> None:
    with pytest.raises(TooLarge, match="14 dòng nhiệm vụ, vượt giới hạn 5 nhiệm vụ"):
        in_child(hostile.sample(P01), P01, replace(Limits(), max_tasks=5))


def test_the_size_limit_is_checked_before_the_child() -> None:
    with pytest.raises(TooLarge, match="vượt giới hạn 1 MB"):
        in_child(b"x" * (2 * 2**20), "to.csv", replace(Limits(), max_file_bytes=2**20))


def test_threads_parse_in_parallel_each_with_its_own_worker() -> None:
    names = [
        P01,
        "p08_TQ_9T2022_SoTTTT.ods",
        "p09_TB_6T2022_SoCongThuong.csv",
        "p07_TB_Q3-2019_SoNgoaiVu.xls",
    ] * 3
    expected = {n: len(in_child(hostile.sample(n), n).tasks) for n in set(names)}

    def tasks(name: str) -> int | str:
        try:
            return len(in_child(hostile.sample(name), name).tasks)
        except ReportError as exc:
            return exc.code

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(tasks, names)) == [expected[n] for n in names]


def test_a_batch_is_read_in_order_refusals_included() -> None:
    names = [P01, "p14_TQ_Q3-2022_ThongKeTinBai.xlsx", "p09_TB_6T2022_SoCongThuong.csv"] * 3
    results = list(sandbox.read_reports(((n, hostile.sample(n)) for n in names), MetaOptions(), DIRECTORY))
    assert [name for name, _ in results] == names
    outcomes = [len(r.tasks) if not isinstance(r, ReportError) else r.code for _, r in results]
    assert outcomes[:3] == [14, "missing required column", outcomes[2]] and outcomes[3:] == outcomes[:3] * 2


def test_annotated_copy_of_a_refused_file_is_the_problem_list() -> None:
    data = sandbox.annotated_copy(hostile.zip_bomb(), "bom.xlsx", [], [])
    assert data.startswith(b"PK")


def test_missing_metadata_keeps_its_guesses_across_the_child():
    import pickle

    from etl.errors import MetaGuesses, MissingMetadata

    exc = MissingMetadata("thiếu tỉnh", guesses=MetaGuesses(provinces=("Phú Yên",)))
    back = pickle.loads(pickle.dumps(exc))
    assert back.guesses.provinces == ("Phú Yên",) and back.problems == exc.problems
