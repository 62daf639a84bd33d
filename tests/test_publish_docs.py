"""The publishing docs in README.md name every setting, route, view and canned query."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.archive import views
from gongkai.archive.datasette_plugin import register_routes
from gongkai.archive.limits import LIMITS
from gongkai.archive.publish import SETTINGS

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
METADATA = json.loads((REPO / "datasette_metadata.json").read_text(encoding="utf-8"))
QUERIES = METADATA["databases"]["archive"]["queries"]


@pytest.mark.parametrize("name,value", SETTINGS.items())
def test_every_setting_is_documented_with_its_value(name, value):
    shown = {True: "on", False: "off"}.get(value, str(value))
    assert f"| `{name}` | {shown} |" in README


@pytest.mark.parametrize("limit", LIMITS, ids=[limit.name for limit in LIMITS])
def test_every_limit_of_the_plugin_is_documented_with_its_default(limit):
    assert f"| `{limit.name}` | {limit.default} |" in README


@pytest.mark.parametrize("pattern", [pattern for pattern, _ in register_routes()])
def test_every_route_is_documented(pattern):
    address = pattern.strip("^$").replace("\\", "").split("(")[0]
    if address.endswith(".css"):
        return  # the stylesheet is not for readers
    assert f"`{address}" in README


@pytest.mark.parametrize("name", [*views.VIEWS, *QUERIES])
def test_every_view_and_canned_query_is_documented(name):
    assert f"`{name}`" in README
