"""What the spider hands to the archive pipeline: one ``Fetch`` per HTTP request."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Fetch:
    """One request's outcome, a row of the archive's ``fetches`` table.

    ``kind`` is page | file | redirect | robots | challenge | browser (a request Chromium made
    while rendering a list page); ``outcome`` is fetched | redirected |
    new | changed | unchanged | duplicate | not_modified | skipped | error (a file's
    new/changed/unchanged/duplicate is decided by the pipeline when it stores ``body``).
    """

    url: str
    kind: str
    outcome: str
    status: int | None = None
    referer: str | None = None
    link_text: str | None = None
    content_type: str | None = None
    filename: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    size: int | None = None
    duration: float | None = None
    error: str | None = None
    # A disclosure's bytes, its format, and the sha256 this URL had in the last run.
    body: bytes | None = field(default=None, repr=False)
    file_format: str | None = None
    previous_sha256: str | None = None

    def row(self) -> dict:
        """The ``fetches`` columns."""
        columns = dict(self.__dict__)
        for key in ("body", "file_format", "previous_sha256"):
            columns.pop(key)
        return columns


@dataclass
class LearnedEndpoint:
    """A list endpoint learned in Chromium (``crawler.endpoints.ListEndpoint.as_dict()``),
    kept in the archive so later runs page through it without a browser."""

    endpoint: dict
