"""A list that only a browser can fill (the API address is assembled by the script): the
spider renders it once by itself; ``javascript: true`` (every page in Chromium) finds it
too, and ``RENDER_ENABLED = False`` shows the render is what finds it."""

from __future__ import annotations

import pytest

from gongkai.crawler import run_crawl
from sites.fixtures import FAST, portal, rows  # noqa: F401

pytestmark = pytest.mark.browser

PDF = "jsrender/P020240720000001.pdf"


@pytest.mark.parametrize("javascript,render,found", [(False, True, True), (True, True, True), (False, False, False)])
def test_rendered_lists_are_found(portal, tmp_path, javascript, render, found):
    archive = tmp_path / "archive.db"
    run_crawl([portal + "jsrender/index.html"], archive, javascript=javascript,
              settings={**FAST, "DOWNLOAD_TIMEOUT": 30, "RENDER_ENABLED": render}, timeout=240)
    archived = {r["url"] for r in rows(archive, "SELECT url FROM fetches WHERE sha256 IS NOT NULL")}
    assert (portal + PDF in archived) is found
