"""A portal on HTTPS with a self-signed certificate, behind a cookie challenge: Scrapy and
Chromium both accept the certificate, as they must for county portals."""

from __future__ import annotations

import pytest

from gongkai.crawler import run_crawl
from sites.fixtures import FAST, PORTAL, request_log, rows, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def https_portal(tmp_path_factory):
    with serve(PORTAL, tls_directory=tmp_path_factory.mktemp("tls")) as base:
        yield base


def test_https_portal_with_self_signed_certificate(https_portal, tmp_path):
    assert https_portal.startswith("https://")
    summary = run_crawl([https_portal + "challenge/index.html"], tmp_path / "a.db",
                        settings={**FAST, "DOWNLOAD_TIMEOUT": 30}, timeout=240)
    assert (summary["files_new"], summary["errors"]) == (1, 0)
    assert summary["stats"]["gongkai/challenges_solved"] == 1
    [fetch] = rows(tmp_path / "a.db", "SELECT * FROM fetches WHERE kind = 'file'")
    assert fetch["url"] == https_portal + "challenge/P020240905000001.pdf" and fetch["outcome"] == "new"
    assert [e["status"] for e in request_log(https_portal) if e["path"].endswith(".pdf")] == [200]
