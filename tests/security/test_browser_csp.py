"""Datasette's pages and ours under the Content-Security-Policy, in Debian's Chromium: every
script of Datasette's own still runs (the SQL editor, the column menus, closing menus), no
stored or reflected payload runs, and a script injected into a page is blocked."""

from __future__ import annotations

import urllib.parse

import pytest
from conftest import chromium_page, serving
from hostile import SCRIPT_SHA256, hostile_archive

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/archive",
    "/archive/explanation_facts",
    "/archive/documents/1",
    "/archive/label_corrections",
    "/archive/largest_deviations",
    "/archive?" + urllib.parse.urlencode({"sql": f"select '{SCRIPT_SHA256}' as sha256"}),
    "/-/search?" + urllib.parse.urlencode({"q": "部门决算"}),
    "/-/charts",
]
WATCH = """
window.violations = [];
document.addEventListener("securitypolicyviolation",
    (event) => window.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    archive = hostile_archive(tmp_path_factory.mktemp("csp") / "archive.db", {})
    with serving(archive, "--allow-sql") as server:
        yield server.base


@pytest.fixture(scope="module")
def page():
    with chromium_page() as page:
        page.add_init_script(WATCH)
        yield page


@pytest.mark.parametrize("path", PAGES)
def test_datasette_pages_run_their_own_scripts_and_no_other(base, page, path):
    response = page.goto(base + path)
    assert response.status == 200
    assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    assert page.evaluate("window.violations") == []
    assert page.evaluate("window.pwned") is None


def test_the_scripts_datasette_writes_inline_still_work(base, page):
    page.goto(base + "/archive?sql=select+1")
    assert page.locator(".CodeMirror").count() == 1  # the editor set up by an inline script
    page.goto(base + "/archive/explanation_facts")
    assert page.locator("th .dropdown-menu-icon").count() > 0  # table.js, after DATASETTE_ALLOW_FACET
    page.locator("details.nav-menu summary").click()
    assert page.locator("details.nav-menu[open]").count() == 1
    page.locator("h1").click()  # a click elsewhere closes it: _close_open_menus.html
    assert page.locator("details.nav-menu[open]").count() == 0
    assert page.evaluate("window.violations") == []


def test_a_script_injected_into_a_page_is_blocked(base, page):
    page.goto(base + "/archive/documents")
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.pwned = 1";
        document.body.appendChild(script);
    }""")
    assert page.evaluate("window.pwned") is None
    assert any(v.startswith("script-src") for v in page.evaluate("window.violations"))
