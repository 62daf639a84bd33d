"""``gongkai crawl`` as cron runs it: sites.yaml, exit codes, log file, lock, --build,
and settings that take effect."""

from __future__ import annotations

import fcntl
import sqlite3
import textwrap

import pytest

from conftest import gongkai
from sites.fixtures import portal, request_log, rows  # noqa: F401

FAST = ["-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=0"]
CLEAN_ARTICLE = "xxgk/czyjs/202410/t20241016_2.html"   # two disclosures, no failures
BROKEN_LIST = "xxgk/czyjs/index_2.html"                 # links a missing PDF (404)


@pytest.fixture
def sites_file(portal, tmp_path):
    path = tmp_path / "sites.yaml"
    path.write_text(textwrap.dedent(f"""\
        sites:
          - name: education
            start_urls: [{portal}{CLEAN_ARTICLE}]
            verified: true
          - name: archive-list
            start_urls: [{portal}{BROKEN_LIST}]
            max_pages: 1
            settings: {{DOWNLOAD_TIMEOUT: 2}}
        """), encoding="utf-8")
    return path


def test_errors_make_the_exit_code_1(portal, tmp_path):
    result = gongkai("crawl", portal + BROKEN_LIST, "--archive", str(tmp_path / "a.db"),
                     "--max-pages", "1", *FAST, check=False)
    assert result.returncode == 1
    assert "1 pages, files 0 new / 0 changed / 0 unchanged, 1 errors" in result.stdout


def test_one_site_of_a_sites_file(sites_file, tmp_path):
    archive = tmp_path / "a.db"
    log = tmp_path / "logs" / "crawl.log"  # a log directory that does not exist yet
    gongkai("crawl", "--sites", str(sites_file), "--site", "education", "--archive", str(archive),
            "--log-file", str(log), *FAST)
    assert [r["site"] for r in rows(archive, "SELECT site FROM crawl_runs")] == ["education"]
    assert "Spider closed (finished)" in log.read_text()


def test_all_sites_run_in_turn_and_the_exit_code_reports_errors(sites_file, tmp_path):
    archive = tmp_path / "a.db"
    result = gongkai("crawl", "--sites", str(sites_file), "--all", "--archive", str(archive), *FAST,
                     check=False)
    assert result.returncode == 1
    assert [r["site"] for r in rows(archive, "SELECT site FROM crawl_runs ORDER BY id")] == [
        "education", "archive-list"]
    assert result.stdout.count("pages, files") == 2


@pytest.mark.parametrize("args,kind", [
    (["notaurl"], "bad_start_url"),
    (["ftp://x.gov.cn/a.pdf"], "bad_start_url"),
    (["--site", "nowhere"], "unknown_site"),
    (["--all"], "bad_sites_file"),
])
def test_bad_site_choices_are_named(sites_file, tmp_path, args, kind):
    if kind == "bad_sites_file":
        sites_file.write_text("sites: [{name: x}]\n", encoding="utf-8")
    result = gongkai("crawl", "--sites", str(sites_file), *args, "--archive", str(tmp_path / "a.db"),
                     check=False)
    assert result.returncode == 1 and kind in result.stderr


def test_a_running_crawl_locks_out_another(portal, tmp_path):
    archive = tmp_path / "a.db"
    with open(tmp_path / "a.db.crawl.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = gongkai("crawl", portal + CLEAN_ARTICLE, "--archive", str(archive), check=False)
    assert result.returncode == 1 and "locked" in result.stderr
    assert not archive.exists()


def test_settings_and_user_agent_take_effect(portal, tmp_path):
    request_log(portal, clear=True)
    gongkai("crawl", portal + "index.html", "--archive", str(tmp_path / "a.db"), "--max-pages", "2",
            "--user-agent", "gongkai-test (+https://example.org/contact)", "-s", "FOCUS_MAX_DRIFT=0",
            *FAST, check=False)
    log = request_log(portal)
    assert {e["headers"]["User-Agent"] for e in log} == {"gongkai-test (+https://example.org/contact)"}
    pages = [e["path"] for e in log if e["path"].endswith(".html") or e["path"].endswith("/")]
    # "/" is the start page again (one canonical URL); /news/ is off topic: drift 0 allows no detour.
    assert pages == ["/index.html", "/xxgk/index.html"]


def test_clean_crawl_exits_0_logs_to_a_file_and_builds_the_new_files(portal, tmp_path):
    archive = tmp_path / "a.db"
    result = gongkai("crawl", portal + CLEAN_ARTICLE, "--archive", str(archive), "--build", *FAST)
    assert "1 pages, files 2 new / 0 changed / 0 unchanged, 0 errors" in result.stdout
    assert (tmp_path / "a-crawl.log").read_text().count("Spider closed (finished)") == 1
    assert "build: 2 documents extracted" in result.stdout
    assert len(rows(archive, "SELECT * FROM documents")) == 2


def test_a_crawl_killed_with_sigkill_loses_nothing(portal, tmp_path):
    """kill -9 in the middle of a crawl: what was archived stays, the next run closes the
    dead run as interrupted and completes the work."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from conftest import REPO

    archive = tmp_path / "a.db"
    # The slow page keeps the first crawl busy long enough to be killed mid-way.
    start = [portal + "xxgk/czyjs/index_1.html"]
    victim = subprocess.Popen([sys.executable, "-m", "gongkai", "crawl", *start, "--archive", str(archive),
                               "-s", "DOWNLOAD_TIMEOUT=30"], cwd=REPO, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if archive.exists() and rows(archive, "SELECT 1 FROM fetches WHERE sha256 IS NOT NULL"):
                break
        except sqlite3.OperationalError:  # the crawl is still creating the archive
            pass
        time.sleep(0.1)
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    kept = rows(archive, "SELECT sha256 FROM fetches WHERE sha256 IS NOT NULL")
    assert kept and rows(archive, "SELECT status FROM crawl_runs") == [{"status": "running"}]

    result = gongkai("crawl", *start, "--archive", str(archive), *FAST, check=False)
    assert "run 1 was interrupted" in result.stdout
    runs = rows(archive, "SELECT status FROM crawl_runs ORDER BY id")
    assert [r["status"] for r in runs] == ["interrupted", "finished"]
    # The killed crawl died with its command: it wrote nothing beside the next run.
    [last] = rows(archive, "SELECT max(id) AS id FROM fetches WHERE run_id = 1")
    [first] = rows(archive, "SELECT min(id) AS id FROM fetches WHERE run_id = 2")
    assert last["id"] < first["id"]
    archived = {r["url"] for r in rows(archive, "SELECT url FROM fetches WHERE sha256 IS NOT NULL")}
    assert {portal + "xxgk/czyjs/202406/P020240601000001.pdf", portal + "slow/P020240602000001.pdf"} <= archived
    for row in kept:
        [stored] = rows(archive, "SELECT path FROM files WHERE sha256 = ?", row["sha256"])
        assert (tmp_path / "a-files" / stored["path"]).is_file()


def test_a_crawl_that_overruns_its_timeout_is_killed_and_recorded(portal, tmp_path):
    archive = tmp_path / "a.db"
    # 10 s: the crawl process must have started and opened the archive by then, which takes
    # a few seconds on a loaded 2-core machine; the page takes 20.
    result = gongkai("crawl", portal + "slow/t20240603_5.html?delay=20", "--archive", str(archive),
                     "--timeout", "10", "-s", "DOWNLOAD_TIMEOUT=60", check=False)
    assert result.returncode == 1
    assert "did not finish within 10 s and was killed" in result.stdout
    assert [r["status"] for r in rows(archive, "SELECT status FROM crawl_runs")] == ["interrupted"]
