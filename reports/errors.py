"""Typed errors of report generation; the CLI prints them and exits non-zero, the page shows ``st.error``.

Every message is in Vietnamese and says what was asked, what exists and how to fix it.
"""

from __future__ import annotations


class ReportBuildError(Exception):
    """The report or the slides cannot be made for the request."""

    code = "report_build_error"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UnknownProvince(ReportBuildError):
    """No loaded report names this province (as written, or as the current province)."""

    code = "unknown_province"


class UnknownPeriod(ReportBuildError):
    """The period code is malformed, or the province has no report for it."""

    code = "unknown_period"


class EmptyReport(ReportBuildError):
    """The filters select no task: there is nothing to report."""

    code = "empty"


class ChromiumNotFound(ReportBuildError):
    """Chart images need the system Chromium (``TTDN_CHROMIUM``), which is missing."""

    code = "chromium_missing"


class ImageExportFailed(ReportBuildError):
    """Chromium started but a chart could not be turned into an image."""

    code = "image_failed"
