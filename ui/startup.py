"""Work done once per server process, before the first visitor needs it.

``server.py`` calls ``start`` as the server starts (its lifespan): in one background thread, the demo
data is loaded into an empty database (``TTDN_DEMO=1``), then the overview's queries for the default
filters are computed into the shared query cache (``ui.state``) and the modules the pages import are
imported. The first page then finds its numbers ready instead of computing them while the browser
waits. ``app.py`` calls ``demo_ready`` on every run: it starts the same work when the server did not
(AppTest, ``streamlit run app.py``) and says whether the demo data is still loading, so the page can
say "Đang nạp dữ liệu mẫu…" and wait for it. Two processes on one database never both load the demo:
``demo.ensure_demo_data`` decides under the database's locks.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future
from datetime import date

from etl import settings
from ui.navigation import page_files, page_title
from ui.state import database, query

_log = logging.getLogger(__name__)
_lock = threading.Lock()
_demo: dict[str, Future] = {}  # per database path: the demo load (its result: reports loaded)
_warm: dict[str, Future] = {}  # per database path: the warm-up after it
_warming: set[str] = set()  # the databases whose warm-up was started
# What the pages import besides the overview's modules (imported by then): loaded at start, the first
# click on another page or slide does not pay for them.
PAGE_MODULES = (
    "reports.slides",
    "reports.slide_charts",
    "queries.tasks",
    "queries.topics",
    "queries.deadlines",
)


def start() -> Future:
    """Start the demo load (when ``TTDN_DEMO`` asks) and then the warm-up in one background thread,
    once per process and database; return the warm-up's future."""
    return _start(warm=True)[1]


def demo_ready() -> Future:
    """The demo load of this process's database, started now (without the warm-up) if the server did
    not start it; done at once when ``TTDN_DEMO`` is off."""
    if settings.get("TTDN_DEMO") != "1":
        done: Future = Future()
        done.set_result(0)
        return done
    return _start(warm=False)[0]


def _start(warm: bool) -> tuple[Future, Future]:
    # Keyed as ui.state keys its databases; opening (and upgrading) the file is the thread's work.
    path = str(settings.path("TTDN_DB"))
    with _lock:
        steps = []
        if path not in _demo:
            _demo[path], _warm[path] = Future(), Future()
            steps.append((_demo[path], _load_demo))
        if warm and path not in _warming:
            _warming.add(path)
            steps.append((_warm[path], lambda demo=_demo[path]: warm_up(demo)))
        if steps:
            threading.Thread(target=_run, args=(steps,), name="ttdn-startup", daemon=True).start()
        return _demo[path], _warm[path]


def _run(steps: list[tuple[Future, Callable[[], int]]]) -> None:
    for n, (future, step) in enumerate(steps):
        try:
            future.set_result(step())
        except BaseException as error:  # whoever waits for it (the first page) shows the error
            _log.exception("start-up step failed")
            for later, _ in steps[n:]:
                later.set_exception(error)
            return


def _load_demo() -> int:
    if settings.get("TTDN_DEMO") != "1":
        return 0
    from demo import ensure_demo_data  # the ingest only when there may be something to load

    return ensure_demo_data(database())


def warm_up(demo: Future | None = None) -> int:
    """Once the demo load (if any) is done: compute the overview's queries for the default filters of a
    national viewer (the anonymous guest, an admin) and import the other pages' modules; return how
    many queries were computed."""
    if demo is not None:
        demo.result()
    from queries import options, overview, received, units
    from queries.filters import Filters, ProvinceMode
    from queries.scope import describe_scope

    db = database()
    if not db.exists():
        return 0
    choices = query(options.choices, None)  # as the sidebar asks for a national or anonymous viewer
    year = choices.years[0] if choices.years else None
    filters = Filters(
        year=year,
        as_of=choices.default_as_of(date.today()),
        due_soon_days=int(settings.number("TTDN_DUE_SOON_DAYS")),
    )
    calls = [
        (options.scoped_choices, Filters(province_mode=ProvinceMode.CURRENT)),  # the sidebar's first run
        (options.scoped_choices, Filters(province_mode=ProvinceMode.CURRENT, year=year)),
        (describe_scope, filters),
        (overview.kpis, filters),
        (received.reports_received, filters),
        (units.most_overdue, filters),
        (overview.trend_by_period, filters),
        (overview.period_kinds, filters),
    ]
    for fn, *args in calls:
        query(fn, *args)
    # PIL: Streamlit's set_page_config imports it on a first run, to look at the page icon's address
    for name in ("display.charts", "PIL.Image", *PAGE_MODULES):
        importlib.import_module(name)
    for path in page_files():  # the navigation's titles, read from the pages' docstrings (cached)
        page_title(path)
    # Streamlit's first message of a process asks whether it runs in a REPL (``inspect.stack``), which
    # maps every loaded module to its file once (0.3–0.8 s): done here, the first page finds it cached.
    inspect.stack()
    return len(calls)
