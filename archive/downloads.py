"""The archived files behind documents: one file's bytes, or a zip of the files behind rows.

Pure functions over an open connection and the archive's data directory; the Datasette
plugin turns their results into HTTP responses.
"""

from __future__ import annotations

import csv
import io
import mimetypes
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

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

# Columns a row may name its file by, most direct first.
FILE_COLUMNS = ("sha256", "document_id")


class FileNotArchived(Exception):
    """No archived file has this sha256, or its bytes are missing from the data directory."""

    kind = "file_not_archived"


@dataclass(frozen=True)
class ArchivedFile:
    sha256: str
    path: Path
    filename: str
    content_type: str

    def content_disposition(self) -> str:
        """``inline`` so a browser shows the PDF; the name percent-encoded (RFC 6266)."""
        return f"inline; filename*=UTF-8''{quote(self.filename)}"


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
    suffix = f".{file_format}" if file_format else ""
    content_type = (
        CONTENT_TYPES.get(file_format or "")
        or mimetypes.guess_type(filename or path)[0]
        or "application/octet-stream"
    )
    return ArchivedFile(sha256, full, filename or f"{sha256}{suffix}", content_type)


def sha256s_of_rows(
    conn: sqlite3.Connection, columns: list[str], rows: list, table: str | None
) -> list[str]:
    """The distinct files behind query rows, in row order: by ``sha256`` or ``document_id``
    column (or ``id`` of the documents table)."""
    column = next((c for c in FILE_COLUMNS if c in columns), None)
    if column is None and table == "documents" and "id" in columns:
        column = "id"
    if column is None:
        return []
    values = [row[columns.index(column)] for row in rows]
    if column != "sha256":
        ids = [int(v) for v in values if v is not None]
        found = dict(
            conn.execute(
                f"SELECT id, sha256 FROM documents WHERE id IN ({', '.join('?' * len(ids))})",
                ids,
            ).fetchall()
        ) if ids else {}
        values = [found.get(i) for i in ids]
    return list(dict.fromkeys(v for v in values if v))


def can_zip(columns: list[str], table: str | None) -> bool:
    return any(c in columns for c in FILE_COLUMNS) or (table == "documents" and "id" in columns)


def zip_files(conn: sqlite3.Connection, data_dir: Path, sha256s: list[str]) -> bytes:
    """A zip of the files (stored, PDFs do not compress) plus ``manifest.csv`` naming each
    file's sha256, name, source URL and whether its bytes were found."""
    buffer = io.BytesIO()
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(["sha256", "name_in_zip", "filename", "source_url", "status"])
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive_zip:
        for sha256 in sha256s:
            source = conn.execute(
                "SELECT first_url FROM files WHERE sha256 = ?", (sha256,)
            ).fetchone()
            try:
                item = archived_file(conn, data_dir, sha256)
            except FileNotArchived as error:
                writer.writerow([sha256, "", "", source[0] if source else "", str(error)])
                continue
            # sha256 prefix: two documents may share a filename (every portal calls it 附件1.pdf).
            name = f"{sha256[:12]}-{item.filename}"
            archive_zip.write(item.path, name)
            writer.writerow([sha256, name, item.filename, source[0] if source else "", "ok"])
        archive_zip.writestr("manifest.csv", "\ufeff" + manifest.getvalue())
    return buffer.getvalue()
