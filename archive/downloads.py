"""The archived files behind documents: one file's bytes, or a zip of the files behind rows.

Pure functions over an open connection and the archive's data directory; the Datasette
plugin turns their results into HTTP responses.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

# The formats the crawler archives (store.DISCLOSURE_FORMATS) and the only content types a
# file is served with: a file of any other format is application/octet-stream, so a
# portal's HTML or SVG can never run as a page of the archive's origin.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "wps": "application/vnd.ms-works",
    "et": "application/vnd.ms-excel",
    "zip": "application/zip",
}
OTHER_CONTENT_TYPE = "application/octet-stream"

# Columns a row may name its file by, most direct first.
FILE_COLUMNS = ("sha256", "document_id")
SHA256 = re.compile(r"[0-9a-f]{64}")
MB = 1 << 20
# Characters of a file name that would make a folder, a drive or a control code in a zip.
_PATH_CHARACTERS = re.compile(r"[\x00-\x1f/\\:]+")


class FileNotArchived(Exception):
    """No archived file has this sha256, or its bytes are missing from the data directory."""

    kind = "file_not_archived"


class ZipTooLarge(Exception):
    """The files behind the rows add up to more than one zip may hold."""

    kind = "zip_too_large"


@dataclass(frozen=True)
class ArchivedFile:
    sha256: str
    path: Path
    filename: str
    content_type: str
    size: int

    @property
    def inline(self) -> bool:
        """Only a real PDF opens in the browser (its viewer runs no page script); every
        other file is downloaded."""
        if self.content_type != CONTENT_TYPES["pdf"]:
            return False
        with open(self.path, "rb") as data:
            return data.read(1024).lstrip().startswith(b"%PDF")

    def content_disposition(self) -> str:
        return disposition("inline" if self.inline else "attachment", self.filename)


def disposition(kind: str, filename: str) -> str:
    """A Content-Disposition whose name cannot break the header: an ASCII fallback with
    anything but letters, digits and ``.-_`` replaced, and the name percent-encoded
    (RFC 6266)."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("._") or "file"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def archived_file(conn: sqlite3.Connection, data_dir: Path, sha256: str) -> ArchivedFile:
    """The stored file with this sha256 (raises ``FileNotArchived``)."""
    row = conn.execute(
        "SELECT path, format, filename FROM files WHERE sha256 = ?", (sha256,)
    ).fetchone()
    if row is None:
        raise FileNotArchived(f"no archived file has sha256 {sha256}")
    path, file_format, filename = row
    full = data_dir / path
    if not full.is_file():
        raise FileNotArchived(f"the bytes of {sha256} are missing: expected {full}")
    suffix = f".{file_format}" if file_format in CONTENT_TYPES else ""
    content_type = CONTENT_TYPES.get(file_format or "", OTHER_CONTENT_TYPE)
    return ArchivedFile(sha256, full, filename or f"{sha256}{suffix}", content_type,
                        full.stat().st_size)


def sha256s_of_rows(
    conn: sqlite3.Connection, columns: list[str], rows: list, table: str | None
) -> list[str]:
    """The distinct files behind query rows, in row order: by ``sha256`` or ``document_id``
    column (or ``id`` of the documents table). Values that cannot name a file (a query can
    return anything in those columns) are passed over."""
    column = next((c for c in FILE_COLUMNS if c in columns), None)
    if column is None and table == "documents" and "id" in columns:
        column = "id"
    if column is None:
        return []
    values = [row[columns.index(column)] for row in rows]
    if column != "sha256":
        ids = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
        found = dict(
            conn.execute(
                f"SELECT id, sha256 FROM documents WHERE id IN ({', '.join('?' * len(ids))})",
                ids,
            ).fetchall()
        ) if ids else {}
        values = [found.get(i) for i in ids]
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and SHA256.fullmatch(v)))


def can_zip(columns: list[str], table: str | None) -> bool:
    return any(c in columns for c in FILE_COLUMNS) or (table == "documents" and "id" in columns)


@dataclass
class ZipPlan:
    """What one zip will hold: the files found, and a manifest row for every sha256."""

    files: list[tuple[ArchivedFile, str]] = field(default_factory=list)  # (file, name in zip)
    manifest: list[list[str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(item.size for item, _ in self.files)


def zip_plan(conn: sqlite3.Connection, data_dir: Path, sha256s: list[str],
             max_bytes: int) -> ZipPlan:
    """Look up the files behind ``sha256s`` (raises ``ZipTooLarge`` past ``max_bytes``)."""
    plan = ZipPlan()
    for sha256 in sha256s:
        source = conn.execute("SELECT first_url FROM files WHERE sha256 = ?", (sha256,)).fetchone()
        source_url = source[0] if source and source[0] else ""
        try:
            item = archived_file(conn, data_dir, sha256)
        except FileNotArchived as error:
            plan.manifest.append([sha256, "", "", source_url, str(error)])
            continue
        # sha256 prefix: two documents may share a filename (every portal calls it 附件1.pdf);
        # a portal's name never makes a folder or a path out of the zip.
        name = f"{sha256[:12]}-{_PATH_CHARACTERS.sub('_', item.filename)}"
        plan.files.append((item, name))
        plan.manifest.append([sha256, name, item.filename, source_url, "ok"])
    if plan.size > max_bytes:
        raise ZipTooLarge(
            f"the rows name {len(plan.files)} files of {plan.size / MB:.0f} MB in all, more than "
            f"the {max_bytes / MB:.0f} MB one zip may hold: select fewer rows (_size=N), or "
            "download the files one by one from their sha256 links"
        )
    return plan


def write_zip(plan: ZipPlan, out) -> None:
    """Write the planned zip to the file object ``out`` (which need not seek): the files
    stored as they are (PDFs do not compress), then ``manifest.csv`` naming each file's
    sha256, name, source URL and whether its bytes were found."""
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(["sha256", "name_in_zip", "filename", "source_url", "status"])
    writer.writerows([_spreadsheet_safe(cell) for cell in row] for row in plan.manifest)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive_zip:
        for item, name in plan.files:
            archive_zip.write(item.path, name)
        archive_zip.writestr("manifest.csv", "\ufeff" + manifest.getvalue())


def _spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (a portal chose the file name)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell
