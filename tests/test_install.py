"""A real install: the wheel, installed into a fresh virtual environment outside the
checkout, runs the demo's steps (crawl, build), serves the archive, builds again, takes a
label correction, and writes nothing into its own package.

Offline: the wheel is built without build isolation (setuptools from the test extra), and
the fresh environment reaches the dependencies through a .pth line naming this
environment's site-packages (which does not import this checkout: the editable install's
own .pth is read only in a site directory, never in one a .pth names).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port

from gongkai.paths import shipped_training_data

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
NOT_SHIPPED = shutil.ignore_patterns(".venv", ".git", "build", "dist", "*.egg-info", "__pycache__",
                                     "tests", "benchmarks", "test-artifacts", "archive.db*",
                                     "archive-files", "logs", "published")


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300,
                            **kwargs)
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr[-4000:]}"
    return result


def package_files(site: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime) of every file of the installed package, bytecode caches aside."""
    return {str(p.relative_to(site)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in (site / "gongkai").rglob("*") if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``(environment variables, working directory, site-packages)`` of a fresh venv with
    the wheel installed."""
    work = tmp_path_factory.mktemp("install")
    source = work / "source"  # a copy: building in the checkout would write build/ into it
    shutil.copytree(REPO, source, symlinks=True, ignore=NOT_SHIPPED)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
        "--no-index", "--wheel-dir", work / "wheels", source)
    (wheel,) = (work / "wheels").glob("gongkai-*.whl")
    venv = work / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
        "--no-index", wheel)
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .stdout.strip())
    (site / "gongkai-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "GONGKAI_DATA_DIR", "XDG_DATA_HOME", "VIRTUAL_ENV")}
    env.update(HOME=str(work / "home"), PATH=f"{venv / 'bin'}:{env['PATH']}")
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    return env, elsewhere, site


def test_the_installed_package_has_one_import_name_and_is_not_the_checkout(installed):
    env, cwd, site = installed
    probe = run("python", "-c", """
import importlib.metadata, importlib.util, gongkai.archive, gongkai.nlp
print(gongkai.archive.__file__)
print(importlib.metadata.distribution("gongkai").read_text("top_level.txt").split())
print([name for name in ("archive", "crawler", "extract", "nlp") if importlib.util.find_spec(name)])
""", env=env, cwd=cwd).stdout.splitlines()
    assert probe[0].startswith(str(site / "gongkai" / "archive"))
    assert probe[1:] == ["['gongkai']", "[]"]


def test_the_installed_demo_serves_builds_and_keeps_its_package_unwritten(installed):
    env, cwd, site = installed
    before = package_files(site)
    archive = cwd / "archive.db"
    demo = run("gongkai", "demo", "--no-serve", "--archive", archive, env=env, cwd=cwd)
    assert "Done." in demo.stdout and " 0 fetch errors" in demo.stdout
    port = free_port()
    server = subprocess.Popen(["gongkai", "serve", "--archive", str(archive), "--port", str(port)],
                              env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                time.sleep(0.2)

        def get(path, **params):
            with urllib.request.urlopen(f"{base}{path}?{urllib.parse.urlencode(params)}") as answer:
                return answer.read()

        metadata = json.loads(get("/-/metadata.json"))
        assert "公开" in metadata["title"] and "explanation_facts" in \
            metadata["databases"]["archive"]["tables"]
        pages = json.loads(get("/archive/pages.json", _search="人员增加", _shape="array"))
        assert pages and all("人员增加" in page["text"].replace("\n", "") for page in pages)
        everywhere = json.loads(get("/-/search", q="人员增加", _format="json"))
        assert {r["table"]: r["count"] for r in everywhere["results"]}["pages"] == len(pages)
        assert b".gongkai-label" in get("/-/gongkai.css")  # the packaged templates
        sha256 = json.loads(get("/archive/documents.json", _shape="array", status="ok"))[0]["sha256"]
        assert get(f"/-/files/{sha256}").startswith(b"%PDF")
    finally:
        server.terminate()
        server.wait(timeout=10)
    again = run("gongkai", "build", "--archive", archive, env=env, cwd=cwd)
    assert again.stdout.startswith("extracted 0 documents")

    corrections = cwd / "labels.csv"
    run("gongkai", "labels", "export", "--archive", archive, corrections, env=env, cwd=cwd)
    with open(corrections, encoding="utf-8-sig", newline="") as lines:
        rows = list(csv.DictReader(lines))
    rows[0]["labels"] = "carryover" if rows[0]["model_labels"] != "carryover" else "austerity"
    with open(corrections, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    imported = run("gongkai", "labels", "import", "--archive", archive, corrections, env=env, cwd=cwd)
    assert imported.stdout.startswith("1 corrections stored")
    training = Path(env["HOME"]) / ".local" / "share" / "gongkai" / "reasons.jsonl"
    shipped = shipped_training_data().read_text(encoding="utf-8")
    assert training.read_text(encoding="utf-8").startswith(shipped)
    assert json.loads(training.read_text(encoding="utf-8").splitlines()[-1])["text"] == rows[0]["reason"]
    assert package_files(site) == before
