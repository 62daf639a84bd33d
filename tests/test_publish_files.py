"""The archived files behind rows: content types, a missing file's bytes, zips; and the
charts drawn from category counts."""

from __future__ import annotations

import io
import shutil
import zipfile

import pytest
from test_publish_records import build_archive

from gongkai.archive import Archive, charts, downloads


@pytest.fixture
def archive(tmp_path_factory):
    path = build_archive(tmp_path_factory.mktemp("files") / "archive.db", count=4)
    with Archive(path) as opened:
        yield opened


@pytest.mark.parametrize("file_format,filename,expected", [
    ("pdf", "附件1.pdf", "application/pdf"),
    ("xlsx", "表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("doc", "说明.doc", "application/msword"),
    (None, "readme.txt", "application/octet-stream"),
    ("html", "index.html", "application/octet-stream"),  # never a page of the archive
    (None, None, "application/octet-stream"),
])
def test_content_type_by_format(archive, file_format, filename, expected):
    sha256, _ = archive.store_file(f"{file_format}{filename}".encode(), filename=filename,
                                   file_format=file_format)
    item = downloads.archived_file(archive.conn, archive.data_dir, sha256)
    assert item.content_type == expected
    assert item.path.read_bytes() == f"{file_format}{filename}".encode()


def test_missing_bytes_are_named_not_invented(archive):
    sha256s = [r[0] for r in archive.conn.execute("SELECT sha256 FROM documents ORDER BY id")]
    lost = archive.file_path(sha256s[0])
    shutil.move(lost, lost.with_suffix(".moved"))
    with pytest.raises(downloads.FileNotArchived, match="missing") as error:
        downloads.archived_file(archive.conn, archive.data_dir, sha256s[0])
    assert error.value.kind == "file_not_archived"
    written = io.BytesIO()
    downloads.write_zip(downloads.zip_plan(archive.conn, archive.data_dir, sha256s, 1 << 30), written)
    with zipfile.ZipFile(written) as zipped:
        manifest = zipped.read("manifest.csv").decode("utf-8-sig").splitlines()
        assert len(zipped.namelist()) == len(sha256s)  # the others and the manifest
    assert "the bytes of" in manifest[1] and manifest[1].startswith(sha256s[0])
    assert all(line.endswith(",ok") for line in manifest[2:])


@pytest.mark.parametrize("columns,table,by", [
    (["sha256"], None, "sha256"),
    (["document_id", "page"], "explanations", "document_id"),
    (["id", "title"], "documents", "id"),
    (["id", "text"], "pages", None),
])
def test_rows_name_their_files(archive, columns, table, by):
    documents = archive.conn.execute("SELECT id, sha256 FROM documents ORDER BY id").fetchall()
    value = {"sha256": 1, "document_id": 0, "id": 0}.get(by)
    rows = [[doc[value] if by else doc[0], "x"][:len(columns)] for doc in documents] * 2
    assert downloads.can_zip(columns, table) is (by is not None)
    expected = [sha for _, sha in documents] if by else []
    assert downloads.sha256s_of_rows(archive.conn, columns, rows, table) == expected


def test_charts_by_year_and_region(archive):
    by_year = charts.category_counts(archive.conn, "fiscal_year")
    by_region = charts.category_counts(archive.conn, "region")
    assert set(by_year) == {2021, 2022, 2023, 2024}
    assert None in by_region  # a document without a region is charted, not dropped
    total = archive.conn.execute("SELECT sum(explanations) FROM category_counts").fetchone()[0]
    assert sum(sum(c.values()) for c in by_year.values()) == total
    svg = charts.bar_chart("2021", by_year[2021], link=lambda label: f"/x?category={label}")
    for label, count in by_year[2021].items():
        assert f"<title>{label}: {count}</title>" in svg and f'href="/x?category={label}"' in svg
    with pytest.raises(ValueError):
        charts.category_counts(archive.conn, "department; DROP TABLE documents")
