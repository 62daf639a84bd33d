"""A list that only a browser can fill (the API address is assembled by the script):
a site marked ``javascript: true`` is rendered in Chromium and its disclosure found."""

from __future__ import annotations

import pytest

from gongkai.crawler import run_crawl
from sites.fixtures import FAST, portal, rows  # noqa: F401

pytestmark = pytest.mark.browser

PDF = "jsrender/P020240720000001.pdf"


@pytest.mark.parametrize("javascript,found", [(False, False), (True, True)])
def test_rendered_lists_need_the_javascript_hint(portal, tmp_path, javascript, found):
    archive = tmp_path / "archive.db"
    run_crawl([portal + "jsrender/index.html"], archive, javascript=javascript,
              settings={**FAST, "DOWNLOAD_TIMEOUT": 30}, timeout=240)
    archived = {r["url"] for r in rows(archive, "SELECT url FROM fetches WHERE sha256 IS NOT NULL")}
    assert (portal + PDF in archived) is found
