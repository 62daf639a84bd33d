"""An ``allow`` block in the metadata hides a table from the plugin's routes as it does
from Datasette's own views: its rows in /-/search, its files in /-/files and in zips, the
charts of a private view. A real in-process Datasette over a real archive; the actor with
permission signs in through Datasette's own ``ds_actor`` cookie."""

from __future__ import annotations

import asyncio
import json

import pytest
from test_publish_records import build_archive

from gongkai.archive import Archive
from gongkai.archive.publish import METADATA_PATH, make_datasette

ADMIN = {"id": "admin"}


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    return build_archive(tmp_path_factory.mktemp("permissions") / "archive.db", count=4)


@pytest.fixture(scope="module")
def sha256(archive_path):
    with Archive(archive_path) as archive:
        return archive.conn.execute("SELECT sha256 FROM documents LIMIT 1").fetchone()[0]


def datasette_with_private(archive_path, tmp_path, *tables: str):
    metadata = json.loads(METADATA_PATH.read_text(encoding="utf-8"))
    for table in tables:
        metadata["databases"]["archive"]["tables"][table]["allow"] = ADMIN
    path = tmp_path / "metadata.json"
    path.write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
    return make_datasette(archive_path, metadata_path=path)


def statuses(datasette, paths: list[str], actor: dict | None = None) -> list[int]:
    cookies = {"ds_actor": datasette.sign({"a": actor}, "actor")} if actor else {}

    async def run():
        return [(await datasette.client.get(path, cookies=cookies)).status_code for path in paths]

    return asyncio.run(run())


def test_a_private_documents_table_hides_its_files_and_search(archive_path, tmp_path, sha256):
    datasette = datasette_with_private(archive_path, tmp_path, "documents")
    paths = ["/archive/documents", f"/-/files/{sha256}", "/-/search?q=人员",
             "/-/search?q=人员&table=pages", "/archive/explanation_facts.zip?_size=max"]
    assert statuses(datasette, paths) == [403] * 5
    assert statuses(datasette, paths, ADMIN) == [200] * 5


def test_a_private_files_table_hides_the_bytes(archive_path, tmp_path, sha256):
    datasette = datasette_with_private(archive_path, tmp_path, "files")
    assert statuses(datasette, [f"/-/files/{sha256}", "/archive/documents.zip"]) == [403, 403]
    assert statuses(datasette, ["/archive/documents"]) == [200]


def test_a_private_table_drops_out_of_search_all(archive_path, tmp_path):
    datasette = datasette_with_private(archive_path, tmp_path, "pages")

    async def search(cookies):
        response = await datasette.client.get("/-/search?q=人员&_format=json", cookies=cookies)
        return {result["table"] for result in response.json()["results"]}

    admin = {"ds_actor": datasette.sign({"a": ADMIN}, "actor")}
    assert asyncio.run(search({})) == {"documents", "sections", "explanations"}
    assert asyncio.run(search(admin)) == {"documents", "pages", "sections", "explanations"}
    assert statuses(datasette, ["/-/search?q=人员&table=pages", "/-/search?q=人员&table=sections"]) \
        == [403, 200]


def test_a_private_view_hides_its_charts(archive_path, tmp_path):
    datasette = datasette_with_private(archive_path, tmp_path, "category_counts")
    assert statuses(datasette, ["/-/charts"]) == [403]
    assert statuses(datasette, ["/-/charts"], ADMIN) == [200]


def test_our_routes_run_under_the_sql_time_limit(archive_path):
    datasette = make_datasette(archive_path, settings={"sql_time_limit_ms": 1})

    async def run():
        return [await datasette.client.get(path) for path in ("/-/search?q=人员", "/-/charts")]

    for response in asyncio.run(run()):
        assert response.status_code == 400 and "longer than the 1 ms limit" in response.text
