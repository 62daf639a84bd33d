"""End to end over the real sample archive (real crawl of samples/portal, real build):
Datasette on a random port finds what a substring scan finds, links provenance, serves
the PDFs, and charts the categories the build gave."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest
from test_publish_records import scan
from test_publish_serve import fetch, get_json


@pytest.fixture(scope="module")
def conn(sample_archive, sample_datasette):
    # After sample_datasette: serving indexes anything the build left queued.
    connection = sqlite3.connect(f"file:{sample_archive}?mode=ro", uri=True)
    yield connection
    connection.close()


@pytest.mark.parametrize("table", ["pages", "explanations", "sections"])
@pytest.mark.parametrize("query", ["人员", "经费", "人员增加", "政务云", "智慧城市", "人员 经费"])
def test_search_on_the_sample_archive_matches_a_scan(sample_datasette, conn, table, query):
    rows = get_json(sample_datasette, f"/archive/{table}.json", _search=query, _shape="array",
                    _size="max", _col="document_id")
    exact = scan(conn, table, query)
    joined = scan(conn, table, query, compacted=True)
    found = {row["id"] for row in rows}
    assert exact <= found and found == joined
    if table == "pages":
        assert exact, f"the samples mention {query}"


def test_staff_increase_explanations_are_faceted(sample_datasette, conn):
    data = get_json(sample_datasette, "/archive/explanation_facts.json", _search="人员增加",
                    _facet="category", _size="max")
    facet = {r["value"]: r["count"] for r in data["facet_results"]["category"]["results"]}
    expected = conn.execute(
        """SELECT count(*) FROM explanations e WHERE e.text LIKE '%人员增加%' AND EXISTS
           (SELECT 1 FROM explanation_categories c WHERE c.explanation_id = e.id
            AND c.label = 'staff_increase')""").fetchone()[0]
    assert expected and facet.get("staff_increase", 0) >= 1
    categories = get_json(sample_datasette, "/archive/search_explanations.json",
                          q="人员增加", category="staff_increase", region="", _shape="array")
    assert len(categories) == expected


def test_sample_documents_serve_their_pdfs(sample_datasette, conn):
    documents = get_json(sample_datasette, "/archive/documents.json", status="ok",
                         _shape="array")
    assert len(documents) >= 5
    for document in documents:
        status, headers, body = fetch(sample_datasette, f"/-/files/{document['sha256']}")
        assert status == 200 and headers["content-type"] == "application/pdf"
        assert hashlib.sha256(body).hexdigest() == document["sha256"]


def test_charts_count_the_sample_categories(sample_datasette, conn):
    html = fetch(sample_datasette, "/-/charts")[2].decode()
    for label, count in conn.execute(
            "SELECT category, sum(explanations) FROM category_counts GROUP BY category"):
        assert label in html
    by_year = conn.execute(
        "SELECT fiscal_year, category, sum(explanations) FROM category_counts "
        "GROUP BY 1, 2").fetchall()
    assert by_year
    for year, label, count in by_year:
        chart = html.split(f">{year}</text>")[1].split("</svg>")[0]
        assert f"<title>{label}: {count}</title>" in chart
