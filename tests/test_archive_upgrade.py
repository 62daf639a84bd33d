"""Archives made by every earlier schema version upgrade to what a fresh archive is.

tests/fixtures/archives/vN.db was written by the last release of schema version N (see
make_fixture.py there); each is opened with today's code and compared with an archive the
same script writes today: schema, every row of every table and view, and searches.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import shutil
import sqlite3
from pathlib import Path

import pytest

import gongkai.archive
from gongkai.archive import SCHEMA_VERSION, Archive, data_dir_for, search, views
from gongkai.archive.search_all import search_table

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "archives"
VERSIONS = sorted(int(path.stem[1:]) for path in FIXTURES.glob("v*.db"))
QUERIES = ["人员增加", "政务云", "紧日子", "财政收入减少", "智慧城市", "IDC", "鹿城区", "事业运行",
           "三公", "区教育局 2024", "增", "度年", "2024年度", "12.50万元"]

_spec = importlib.util.spec_from_file_location("make_fixture", FIXTURES / "make_fixture.py")
make_fixture = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_fixture)


def copy_fixture(version: int, directory: Path) -> Path:
    target = directory / f"v{version}.db"
    shutil.copy(FIXTURES / target.name, target)
    shutil.copytree(data_dir_for(FIXTURES / target.name), data_dir_for(target))
    return target


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """``corrections → path``: today's archive, with and without a label correction (versions
    before 3 had none to make)."""
    directory = tmp_path_factory.mktemp("fresh")
    paths = {}
    for corrections in (False, True):
        paths[corrections] = directory / f"fresh-{corrections}.db"
        make_fixture.fill(gongkai.archive, paths[corrections], corrections=corrections)
    return paths


def schema(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                            "ORDER BY type, name").fetchall()
    finally:
        conn.close()


# Columns that are random by design (a run's uid: unique across every archive it is merged
# into); ``run_identities`` checks them instead.
RANDOM_COLUMNS = {"crawl_runs": {"uid"}}


def contents(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table and view, search indexes and random columns aside (index
    segments differ with the order of writes; ``searches`` compares what they answer)."""
    conn = sqlite3.connect(path)
    try:
        indexes = [s.fts_table for s in search.SOURCES]
        names = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
            if not any(name == i or name.startswith(i + "_") for i in indexes)]
        found = {}
        for name in names:
            columns = [f"[{row[1]}]" for row in conn.execute(f"PRAGMA table_info([{name}])")
                       if row[1] not in RANDOM_COLUMNS.get(name, ())]
            found[name] = sorted(conn.execute(f"SELECT {', '.join(columns)} FROM [{name}]").fetchall(), key=repr)
        return found
    finally:
        conn.close()


def run_identities(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [uid for (uid,) in conn.execute("SELECT uid FROM crawl_runs")]
    finally:
        conn.close()


def searches(path: Path) -> dict[tuple[str, str], tuple]:
    with Archive(path) as archive:
        return {
            (source.table, query): (hits.count, hits.capped, [hit.id for hit in hits.hits])
            for source in search.SOURCES for query in QUERIES
            for hits in [search_table(archive.conn, source.table, query)]
        }


def test_every_earlier_schema_version_has_a_fixture_archive():
    assert VERSIONS == list(range(1, SCHEMA_VERSION))


@pytest.mark.parametrize("version", VERSIONS)
def test_an_earlier_archive_upgrades_to_the_schema_rows_and_searches_of_a_fresh_one(
        tmp_path, fresh, version):
    upgraded = copy_fixture(version, tmp_path)
    # Indexed with one token per character (or not at all, before version 2).
    assert all(search.CHARACTERS not in sql for *_, sql in schema(upgraded) if sql)
    with Archive(upgraded) as archive:
        search.refresh(archive.conn)
        assert archive.file_path(archive.conn.execute(
            "SELECT sha256 FROM files ORDER BY sha256").fetchone()[0]).is_file()
    today = fresh[version >= 3]
    assert schema(upgraded) == schema(today)
    upgraded_rows, today_rows = contents(upgraded), contents(today)
    assert upgraded_rows.keys() == today_rows.keys()
    for name in today_rows:
        assert upgraded_rows[name] == today_rows[name], name
    assert upgraded_rows["search_queue"] == []
    uids = run_identities(upgraded)
    assert len(set(uids)) == len(uids) == 2 and all(len(uid) == 32 for uid in uids)
    assert not set(uids) & set(run_identities(today))
    assert len(today_rows["explanation_facts"]) == 12
    found = searches(upgraded)
    assert found == searches(today)
    # The replaced document's first version is gone from the index, its second is there.
    assert found[("explanations", "财政收入减少")][0] == 2
    assert found[("explanations", "紧日子")][0] == 1


def test_reopening_an_unchanged_archive_writes_nothing(tmp_path):
    Archive(tmp_path / "a.db").close()
    with Archive(tmp_path / "a.db") as archive:
        assert archive.conn.total_changes == 0


def test_a_column_added_to_a_search_index_reaches_an_existing_archive(tmp_path, monkeypatch):
    path = copy_fixture(VERSIONS[-1], tmp_path)
    Archive(path).close()
    sources = tuple(
        dataclasses.replace(s, columns=(*s.columns, "reason")) if s.table == "explanations" else s
        for s in search.SOURCES)
    monkeypatch.setattr(search, "SOURCES", sources)
    with Archive(path) as archive:
        conn = archive.conn
        columns = [row[1] for row in conn.execute("PRAGMA table_info(explanations_fts)")]
        assert columns == ["subject", "text", "reason", search.CHARACTERS]
        assert search.refresh(conn)["explanations"] == 12
        match = "reason : " + search.fts_query("财政收入减少")
        assert len(conn.execute("SELECT rowid FROM explanations_fts WHERE explanations_fts "
                                "MATCH ?", (match,)).fetchall()) == 2
        conn.execute("UPDATE explanations SET reason = '办公楼维修改造' WHERE reason LIKE '财政收入减少%'")
        search.refresh(conn)
        for reason, hits in (("财政收入减少", 0), ("办公楼维修改造", 2)):
            match = "reason : " + search.fts_query(reason)
            assert len(conn.execute("SELECT rowid FROM explanations_fts WHERE explanations_fts "
                                    "MATCH ?", (match,)).fetchall()) == hits
    fresh = tmp_path / "fresh.db"
    Archive(fresh).close()
    assert schema(path) == schema(fresh)


def test_a_changed_view_reaches_an_existing_archive_and_a_dropped_one_goes(tmp_path, monkeypatch):
    path = copy_fixture(VERSIONS[-1], tmp_path)
    Archive(path).close()
    changed = dict(views.VIEWS)
    changed["finding_facts"] = changed["finding_facts"].replace(
        "findings.evidence", "findings.evidence,\n          findings.rule || ':' || findings.severity AS rule_severity")
    del changed["category_counts"]
    monkeypatch.setattr(views, "VIEWS", changed)
    with Archive(path) as archive:
        conn = archive.conn
        assert conn.execute("SELECT rule_severity FROM finding_facts LIMIT 1").fetchone() == (
            "sum_mismatch:warning",)
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'category_counts'"
                            ).fetchone()[0] == 0
        # What migrations made is never the derived objects' to drop.
        assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'fetches_url'"
                            ).fetchone()[0] == 1
