"""A person's path through the published sample archive, in Debian's Chromium via
Playwright: open the explanations, search 人员增加, click a category facet, open a
document's PDF. Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import chromium_page

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base(sample_archive, sample_datasette):
    """The real sample archive (crawled from samples/portal and built), served."""
    return sample_datasette, sample_archive


@pytest.fixture(scope="module")
def page():
    with chromium_page(viewport={"width": 1280, "height": 900}, accept_downloads=True) as page:
        yield page


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"publish-{name}.png"), full_page=True)


def test_search_facet_and_open_pdf(base, page):
    url, archive_path = base
    page.goto(f"{url}/archive/explanation_facts")
    assert "差异原因事实表" in page.content()
    shot(page, "1-explanations")

    page.fill("input#_search", "人员增加")
    page.locator("form.filters input[type=submit]").first.click()
    page.wait_for_url("**_search=*")
    shot(page, "2-search")
    conn = sqlite3.connect(f"file:{archive_path}?mode=ro", uri=True)
    (matching,) = conn.execute(
        "SELECT count(*) FROM explanations WHERE subject LIKE '%人员增加%' "
        "OR replace(text, char(10), '') LIKE '%人员增加%'").fetchone()
    (staff,) = conn.execute(
        """SELECT count(*) FROM explanation_facts WHERE category = 'staff_increase'
           AND (subject LIKE '%人员增加%' OR replace(text, char(10), '') LIKE '%人员增加%')"""
    ).fetchone()
    conn.close()
    assert matching and staff
    assert f"{matching} rows where search matches" in page.inner_text("h3")

    page.locator(".facet-info[data-column=category] a", has_text="staff_increase").first.click()
    page.wait_for_url("**category=staff_increase*")
    shot(page, "3-category-facet")
    assert f"{staff} rows where" in page.inner_text("h3")
    categories = page.locator("td.col-category").all_inner_texts()
    assert categories and set(categories) == {"staff_increase 人员增加"}

    pdf_link = page.locator("td.col-page a", has_text="PDF").first
    href = pdf_link.get_attribute("href")
    response = page.request.get(url + href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    # Headless Chromium has no PDF viewer: following the link downloads the file.
    with page.expect_download() as download_info:
        pdf_link.click(modifiers=["Alt"])
    download = download_info.value
    assert Path(download.path()).read_bytes() == response.body()


def test_search_all_and_charts_pages_render(base, page):
    url, _ = base
    page.goto(f"{url}/-/search?q=政务服务")
    assert page.locator("mark", has_text="政务服务").count() > 0
    shot(page, "4-search-all")
    page.goto(f"{url}/-/charts")
    assert page.locator("svg.gongkai-chart").count() >= 2
    shot(page, "5-charts")
    page.locator("svg.gongkai-chart a").first.click()
    page.wait_for_url("**/explanation_facts?category=*")
    assert page.locator("td.col-category").count() > 0
