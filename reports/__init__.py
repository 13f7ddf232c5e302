"""The quarterly report (Báo cáo) and the meeting slides (Trình chiếu), computed from ``queries``.

A plain library like ``etl`` and ``queries``: no Streamlit, no printing. Every number comes from the
same query functions the dashboard pages call (``queries.overview.kpis``, ``queries.units
.completion_by_unit`` …), so the report, the slides and the pages agree by construction.

* ``scope``: turn a province name and a period code into ``Filters`` (typed errors when unknown);
* ``data``: run the queries once (``collect``) into a ``ReportData``;
* ``narrative``: the Vietnamese sentences, rates always with their denominators;
* ``figures`` / ``images``: the charts of ``display.charts`` styled for print or projector, PNG via kaleido;
* ``docx_report`` composes the report as ``document`` blocks, drawn by ``docx_kit`` (.docx) and
  ``pdf`` (HTML printed by the system Chromium); ``appendix``: every task as .xlsx;
* ``slides``: the slide deck the Trình chiếu page draws;
* ``python -m reports``: the CLI for a scheduled run.
"""

from reports.errors import (
    ChromiumNotFound,
    EmptyReport,
    ImageExportFailed,
    ReportBuildError,
    UnknownPeriod,
    UnknownProvince,
)

__all__ = [
    "ChromiumNotFound",
    "EmptyReport",
    "ImageExportFailed",
    "ReportBuildError",
    "UnknownPeriod",
    "UnknownProvince",
]
