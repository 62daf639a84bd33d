"""Serve an archive with Datasette, or write a self-contained directory that serves it.

``make_datasette`` builds the one ``Datasette`` object both use: the metadata in
``datasette_metadata.json``, this package's plugin and templates, and ``SETTINGS``.

The metadata ships inside this package (``importlib.resources``), so an installed gongkai
serves. The repository keeps its one source at the top level, where people look for it;
``archive/datasette_metadata.json`` is a link to it, which a wheel build follows (it copies
the file's content into the wheel).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
from importlib import resources
import sqlite3
from pathlib import Path
from typing import Any

from . import search
from .progress import Progress
from .datasette_plugin import TEMPLATES
from .store import Archive, data_dir_for

METADATA_PATH = Path(str(resources.files("gongkai.archive") / "datasette_metadata.json"))

# Datasette settings for a public archive; each one's reason beside it.
SETTINGS: dict[str, Any] = {
    # A runaway query gets an error, not the server; 3 s, not Datasette's 1 s, so canned
    # queries and facets over the views finish on a large archive. Searches never come
    # near it: the search box reads at most 10,000 hits (archive.table_search).
    "sql_time_limit_ms": 3000,
    # Facet suggestions count every candidate column on every table page: they time out at
    # a million pages and add nothing the metadata's default facets do not give.
    "suggest_facets": False,
    "facet_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    # Whole-table CSV exports stream; capped so one request cannot fill the disk of a proxy.
    "allow_csv_stream": True,
    "max_csv_mb": 200,
    "default_page_size": 50,
}


class PublishError(Exception):
    """The archive cannot be served or published; ``kind`` says why."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def database_name(archive_path: str | os.PathLike) -> str:
    """Datasette names a database after its file: ``archive.db`` → ``archive``."""
    return Path(archive_path).stem


def load_metadata(name: str, path: Path = METADATA_PATH, *, allow_sql: bool = False) -> dict[str, Any]:
    """The metadata file, its single database entry renamed to ``name``.

    :param allow_sql: let anyone run arbitrary SQL (``?sql=``, ``_where=``). Off for a
        public archive: SQLite's time limit is checked between its steps, and one call of a
        function over a long string (``replace``, ``printf``) is a single step, so a query
        could hold a thread past the limit. Canned queries, facets and search stay open.
    """
    metadata = json.loads(path.read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if len(databases) == 1 and name not in databases:
        metadata["databases"] = {name: next(iter(databases.values()))}
    if not allow_sql:
        metadata["allow_sql"] = False
    return metadata


def check_archive(archive_path: str | os.PathLike) -> Path:
    path = Path(archive_path)
    if not path.is_file():
        raise PublishError(
            "missing_archive",
            f"no archive at {path}: build one with `gongkai build --archive {path}`",
        )
    return path


def prepare(archive_path: str | os.PathLike, *, immutable: bool = False) -> int:
    """Index whatever the build left queued (nothing, after a build that called
    ``search.refresh``) and, for an immutable start, fold the WAL into the database file
    (``immutable=1`` never reads the WAL). Returns rows indexed; skipped when the file is
    not writable."""
    archive_path = Path(archive_path)
    if not os.access(archive_path, os.W_OK):
        return 0
    with Archive(archive_path) as archive:
        indexed = 0
        if pending := archive.search_pending():
            with Progress("search index", total=pending) as progress:
                indexed = sum(archive.refresh_search(progress=progress.update).values())
        if immutable:
            archive.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return indexed


def make_datasette(
    archive_path: str | os.PathLike,
    *,
    immutable: bool = False,
    inspect_data: dict | None = None,
    settings: dict[str, Any] | None = None,
    allow_sql: bool = False,
    metadata_path: str | os.PathLike | None = None,
):
    """A ``Datasette`` serving one archive with the metadata, plugin and safe settings.

    :param immutable: open it ``immutable=1`` (a snapshot nobody writes): faster, cacheable.
    :param inspect_data: table counts from ``inspect`` (skips hashing the file at start).
    :param allow_sql: let anyone run arbitrary SQL (see ``load_metadata``).
    :param metadata_path: an operator's own metadata file (``allow`` blocks, the plugin's
        limits) instead of ``datasette_metadata.json``.
    """
    from datasette.app import Datasette

    path = str(check_archive(archive_path))
    return Datasette(
        [] if immutable else [path],
        immutables=[path] if immutable else [],
        metadata=load_metadata(database_name(path), Path(metadata_path or METADATA_PATH),
                               allow_sql=allow_sql),
        template_dir=str(TEMPLATES),
        settings={**SETTINGS, **(settings or {})},
        inspect_data=inspect_data,
        cache_headers=immutable,
    )


def serve(
    archive_path: str | os.PathLike,
    *,
    host: str = "127.0.0.1",
    port: int = 8001,
    immutable: bool = False,
    allow_sql: bool = False,
    metadata_path: str | os.PathLike | None = None,
) -> None:
    """Run Datasette over the archive until interrupted."""
    import uvicorn
    from datasette.cli import run_sync

    datasette = make_datasette(archive_path, immutable=immutable, allow_sql=allow_sql,
                               metadata_path=metadata_path)
    run_sync(datasette.invoke_startup)
    uvicorn.run(datasette.app(), host=host, port=port, log_level="info", lifespan="on")


def publish(archive_path: str | os.PathLike, out_dir: str | os.PathLike) -> dict[str, Any]:
    """Write a directory that serves a snapshot of the archive anywhere Datasette runs.

    It holds ``archive.db`` (a consistent copy, search index complete and optimized),
    ``archive-files/`` (the bytes of every archived file), ``metadata.json``, the plugin
    under ``lib/`` with ``plugins/gongkai.py`` loading it, ``templates/``,
    ``inspect-data.json`` (so an immutable start does not hash the file),
    ``requirements.txt`` and ``run.sh``. Returns a summary.
    """
    source = check_archive(archive_path)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    snapshot = out / "archive.db"
    partial = out / "archive.db.part"
    partial.unlink(missing_ok=True)
    reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        reader.execute("VACUUM INTO ?", (str(partial),))
    finally:
        reader.close()
    # Opened as an archive, so a snapshot of one an older gongkai wrote is upgraded.
    with Archive(partial) as archive:
        indexed = sum(search.refresh(archive.conn).values())
        search.optimize(archive.conn)
        file_rows = archive.conn.execute("SELECT path FROM files").fetchall()
        archive.conn.execute("PRAGMA journal_mode = DELETE")  # immutable=1 ignores a WAL file
    os.replace(partial, snapshot)

    files_copied = _copy_files(data_dir_for(source), data_dir_for(snapshot), file_rows)
    name = database_name(snapshot)
    (out / "metadata.json").write_text(
        json.dumps(load_metadata(name), ensure_ascii=False, indent=2), encoding="utf-8"
    )
    _copy_plugin(out)
    inspect_data = _inspect(snapshot)
    (out / "inspect-data.json").write_text(json.dumps(inspect_data, indent=2))
    (out / "requirements.txt").write_text(
        "datasette>=0.65,<1.0\nsqlite-utils>=3.36\nnumpy>=1.24\n", encoding="utf-8"
    )
    settings = " ".join(
        f"--setting {key} {shlex.quote(json.dumps(value) if isinstance(value, bool) else str(value))}"
        for key, value in SETTINGS.items()
    )
    run = out / "run.sh"
    run.write_text(
        "#!/bin/sh\n"
        "# Serve this snapshot: pip install -r requirements.txt && ./run.sh  (PORT, HOST)\n"
        'cd "$(dirname "$0")"\n'
        'exec datasette serve -i archive.db --inspect-file inspect-data.json '
        "--metadata metadata.json --plugins-dir plugins --template-dir templates "
        f'{settings} -h "${{HOST:-0.0.0.0}}" -p "${{PORT:-8001}}"\n',
        encoding="utf-8",
    )
    run.chmod(0o755)
    return {
        "directory": str(out),
        "database": str(snapshot),
        "files": files_copied,
        "indexed": indexed,
        "tables": inspect_data[name]["tables"],
    }


def _copy_files(source_dir: Path, target_dir: Path, rows: list[tuple[str]]) -> int:
    """Hard-link (or copy) every archived file; a file already there is kept."""
    copied = 0
    for (relative,) in rows:
        source, target = source_dir / relative, target_dir / relative
        if not source.is_file():
            continue  # recorded as missing by the file route, never invented here
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
        copied += 1
    return copied


def _copy_plugin(out: Path) -> None:
    """The plugin's modules under ``lib/gongkai/`` and a plugins-dir module that imports
    them where gongkai is not installed (where it is, Datasette loads the installed plugin)."""
    lib = out / "lib" / "gongkai"
    shutil.rmtree(out / "lib", ignore_errors=True)
    shutil.copytree(Path(__file__).resolve().parent, lib / "archive",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (lib / "nlp").mkdir(parents=True)
    (lib / "__init__.py").write_text('"""Only the archive and the codebook\'s names."""\n')
    (lib / "nlp" / "__init__.py").write_text('"""Only the codebook\'s names."""\n')
    shutil.copyfile(str(resources.files("gongkai.nlp") / "labels.py"), lib / "nlp" / "labels.py")
    shutil.rmtree(out / "templates", ignore_errors=True)
    shutil.copytree(TEMPLATES, out / "templates")
    plugins = out / "plugins"
    plugins.mkdir(exist_ok=True)
    (plugins / "gongkai.py").write_text(
        '"""Loads the gongkai plugin shipped in ../lib, unless gongkai is installed (then\n'
        'Datasette loads the installed plugin itself)."""\n'
        "import importlib.util\nimport sys\nfrom pathlib import Path\n\n"
        "if importlib.util.find_spec('gongkai') is None:\n"
        "    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / 'lib'))\n"
        "    from gongkai.archive.datasette_plugin import *  # noqa: F401,F403\n",
        encoding="utf-8",
    )


def _inspect(snapshot: Path) -> dict[str, Any]:
    """What ``datasette inspect`` writes: hash, size and table counts."""
    import hashlib

    digest = hashlib.sha256()
    with open(snapshot, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    conn = sqlite3.connect(f"file:{snapshot}?mode=ro", uri=True)
    try:
        tables = {
            name: {"count": conn.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0]}
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                "'CREATE VIRTUAL TABLE%'"
            )
        }
    finally:
        conn.close()
    return {database_name(snapshot): {"hash": digest.hexdigest(), "size": snapshot.stat().st_size,
                                      "file": snapshot.name, "tables": tables}}
