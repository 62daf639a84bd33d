"""Archives that workers wrote become one (``Archive.merge``, ``gongkai merge``): every file,
run, fetch, list endpoint and label correction once, safe to repeat and to kill -9."""

from __future__ import annotations

import hashlib
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, gongkai
from gongkai.archive import Archive, MergeError, data_dir_for, store

BASE = "http://127.0.0.1:8000/"


def crawl_into(archive: Archive, files: dict[str, bytes], *, start: str = "2025-06-01T08:00:00",
               finish: bool = True) -> int:
    """One run as the crawler writes it: a page, then each file (url → bytes)."""
    run = archive.start_run([BASE + "index.html"], site="demo")
    archive.record_fetch(run_id=run, url=BASE + "index.html", kind="page", status=200, outcome="fetched",
                         fetched_at=f"{start}.000+00:00")
    for n, (url, body) in enumerate(files.items(), 1):
        with archive.transaction():
            sha256, _ = archive.store_file(body, url=url, filename=url.rsplit("/", 1)[-1], file_format="pdf")
            archive.record_fetch(run_id=run, url=url, kind="file", status=200, outcome="new", sha256=sha256,
                                 size=len(body), etag=f'"{sha256[:8]}"', fetched_at=f"{start}.{n:03d}+00:00")
    if finish:
        archive.finish_run(run)
    return run


def pdf(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\n%%EOF\n".encode()


def table(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute(sql).fetchall(), key=repr)
    finally:
        conn.close()


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """What a merge must keep, in terms that do not depend on row ids."""
    return {
        "runs": table(path, "SELECT uid, status, pages, files_new FROM crawl_runs"),
        "fetches": table(path, "SELECT r.uid, f.url, f.kind, f.outcome, f.sha256, f.fetched_at "
                               "FROM fetches f JOIN crawl_runs r ON r.id = f.run_id"),
        "files": table(path, "SELECT sha256, size, path, first_seen FROM files"),
        "endpoints": table(path, "SELECT page_url, url, page_param, learned_at FROM list_endpoints"),
        "corrections": table(path, "SELECT sha256, reason, labels FROM label_corrections"),
    }


def assert_every_row_has_its_bytes(path: Path) -> None:
    data = data_dir_for(path)
    for sha256, relative in table(path, "SELECT sha256, path FROM files"):
        assert hashlib.sha256((data / relative).read_bytes()).hexdigest() == sha256
    assert table(path, "PRAGMA foreign_key_check") == []


@pytest.fixture
def workers(tmp_path, monkeypatch):
    """Two workers' archives: one file fetched by both, an endpoint both learned (the second
    worker a minute later), and a label correction in one."""
    shared = pdf("部门预算 fetched by both workers")
    one, two = tmp_path / "w1.db", tmp_path / "w2.db"
    monkeypatch.setattr(store, "now", lambda: "2025-06-01T08:00:00.000+00:00")
    with Archive(one) as archive:
        crawl_into(archive, {BASE + "a.pdf": pdf("a"), BASE + "shared.pdf": shared})
        archive.save_list_endpoint(None, {"page_url": BASE + "list/", "url": BASE + "api?p=1", "method": "GET",
                                          "page_param": "p", "location": "query"})
        archive.save_corrections([(hashlib.sha256(shared).hexdigest(), "人员增加", ["staff_increase"], "checked")])
    monkeypatch.setattr(store, "now", lambda: "2025-06-01T08:01:00.000+00:00")
    with Archive(two) as archive:
        crawl_into(archive, {BASE + "b.pdf": pdf("b"), BASE + "shared.pdf": shared}, start="2025-06-01T08:00:01")
        archive.save_list_endpoint(None, {"page_url": BASE + "list/", "url": BASE + "api?p=1", "method": "GET",
                                          "page_param": "p", "location": "query"})
    return one, two


def test_every_file_run_fetch_and_endpoint_is_kept_once(workers, tmp_path):
    target = tmp_path / "archive.db"
    with Archive(target) as archive:
        reports = [archive.merge(source) for source in workers]
    assert [(r.runs, r.fetches, r.files, r.endpoints, r.corrections) for r in reports] == [
        (1, 3, 2, 1, 1), (1, 3, 1, 1, 0)]  # the endpoint learned later renews it
    merged = snapshot(target)
    sources = [snapshot(source) for source in workers]
    assert merged["runs"] == sorted(sources[0]["runs"] + sources[1]["runs"], key=repr)
    assert merged["fetches"] == sorted(sources[0]["fetches"] + sources[1]["fetches"], key=repr)
    assert {f[0] for f in merged["files"]} == {f[0] for s in sources for f in s["files"]}
    assert len(merged["files"]) == 3 and len(merged["endpoints"]) == 1
    assert merged["corrections"] == sources[0]["corrections"]
    assert_every_row_has_its_bytes(target)


def test_a_second_merge_adds_nothing(workers, tmp_path):
    target = tmp_path / "archive.db"
    with Archive(target) as archive:
        for source in workers:
            archive.merge(source)
        before = snapshot(target)
        assert all(archive.merge(source).added_nothing() for source in workers)
    assert snapshot(target) == before


def test_the_latest_version_of_a_file_is_the_latest_fetched_whatever_the_merge_order(tmp_path):
    url = BASE + "2024js.pdf"
    old, new = tmp_path / "monday.db", tmp_path / "tuesday.db"
    with Archive(old) as archive:
        crawl_into(archive, {url: pdf("first version")}, start="2025-06-02T02:30:00")
    with Archive(new) as archive:
        crawl_into(archive, {url: pdf("corrected version")}, start="2025-06-03T02:30:00")
    with Archive(tmp_path / "archive.db") as archive:
        archive.merge(new)
        archive.merge(old)
        assert archive.latest_file_version(url).sha256 == hashlib.sha256(pdf("corrected version")).hexdigest()
        assert archive.latest_file_versions()[url] == archive.latest_file_version(url)


def test_a_run_merged_while_its_worker_crawled_gets_the_rest_later(tmp_path):
    source = tmp_path / "worker.db"
    with Archive(source) as archive:
        run = crawl_into(archive, {BASE + "a.pdf": pdf("a")}, finish=False)
    target = tmp_path / "archive.db"
    with Archive(target) as archive:
        assert (archive.merge(source).fetches, archive.running_runs()) == (2, [1])
    with Archive(source) as archive:
        archive.record_fetch(run_id=run, url=BASE + "b.pdf", kind="file", status=404, outcome="error")
        archive.finish_run(run)
    with Archive(target) as archive:
        report = archive.merge(source)
        assert (report.runs, report.fetches, archive.running_runs()) == (0, 1, [])
    assert snapshot(target)["runs"] == snapshot(source)["runs"]
    assert snapshot(target)["fetches"] == snapshot(source)["fetches"]


def test_a_merged_archive_merged_again_keeps_each_run_once(workers, tmp_path):
    middle, final = tmp_path / "middle.db", tmp_path / "final.db"
    with Archive(middle) as archive:
        archive.merge(workers[0])
    with Archive(final) as archive:
        for source in (middle, *workers, middle):
            archive.merge(source)
    assert len(snapshot(final)["runs"]) == 2
    assert len(snapshot(final)["fetches"]) == 6


def test_an_archive_of_an_older_schema_is_upgraded_and_merged(tmp_path):
    fixtures = REPO / "tests" / "fixtures" / "archives"
    source = tmp_path / "v5.db"
    shutil.copy(fixtures / "v5.db", source)
    shutil.copytree(data_dir_for(fixtures / "v5.db"), data_dir_for(source))
    target = tmp_path / "archive.db"
    with Archive(target) as archive:
        report = archive.merge(source)
    assert (report.runs, report.files) == (2, 4)
    assert snapshot(target)["fetches"] == snapshot(source)["fetches"]
    assert_every_row_has_its_bytes(target)


@pytest.mark.parametrize("case,kind", [("missing", "not_found"), ("itself", "same_archive"),
                                       ("text", "not_an_archive"), ("no bytes", "missing_bytes"),
                                       ("other bytes", "missing_bytes")])
def test_a_source_that_cannot_be_merged_is_named_and_no_run_of_it_is_merged(workers, tmp_path, case, kind):
    target = tmp_path / "archive.db"
    source = {"missing": tmp_path / "nowhere.db", "itself": target, "text": tmp_path / "notes.db"}.get(case, workers[0])
    (tmp_path / "notes.db").write_text("not a database, a worker's notes\n" * 100)
    victim = next(data_dir_for(workers[0]).rglob("*.pdf"))
    if case == "no bytes":
        victim.unlink()
    elif case == "other bytes":
        victim.write_bytes(victim.read_bytes().upper())
    with Archive(target) as archive:
        with pytest.raises(MergeError) as raised:
            archive.merge(source)
        assert raised.value.kind == kind and str(source) in str(raised.value)
    merged = snapshot(target)
    assert merged["runs"] == merged["fetches"] == merged["endpoints"] == []
    assert_every_row_has_its_bytes(target)  # files copied before the bad one are whole
    assert not list(data_dir_for(target).rglob("*.part"))


def many_files_worker(path: Path, runs: int, files: int) -> None:
    with Archive(path, synchronous="NORMAL") as archive:
        for run in range(runs):
            crawl_into(archive, {f"{BASE}{path.stem}/{run}/{n}.pdf": pdf(f"{path.stem} {run} {n}") * 50
                                 for n in range(files)}, start=f"2025-06-0{run + 1}T02:30:00")


@pytest.mark.slow
def test_a_merge_killed_with_sigkill_is_completed_by_the_next(tmp_path):
    sources = [tmp_path / "w1.db", tmp_path / "w2.db"]
    for source in sources:
        many_files_worker(source, runs=2, files=25)
    clean = tmp_path / "clean.db"
    gongkai("merge", *map(str, sources), "--into", str(clean))
    target = tmp_path / "archive.db"
    process = subprocess.Popen([sys.executable, "-m", "gongkai", "merge", *map(str, sources), "--into", str(target)],
                               cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        copied = data_dir_for(target)
        if copied.exists() and sum(1 for _ in copied.rglob("*.pdf")) >= 25:
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.01)
    assert process.wait() == -signal.SIGKILL, "the merge finished before it could be killed"
    assert_every_row_has_its_bytes(target)
    half = snapshot(target)
    assert len(half["files"]) < len(snapshot(clean)["files"])
    for uid, *_ in half["runs"]:  # runs are whole
        assert [f for f in half["fetches"] if f[0] == uid] == [f for f in snapshot(clean)["fetches"] if f[0] == uid]
    result = gongkai("merge", *map(str, sources), "--into", str(target))
    assert "missing_bytes" not in result.stderr
    assert snapshot(target) == snapshot(clean)
    assert_every_row_has_its_bytes(target)
    again = gongkai("merge", *map(str, sources), "--into", str(target))
    assert again.stdout.count(": 0 runs, 0 fetches, 0 files") == 2, again.stdout
