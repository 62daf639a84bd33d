"""archive/ is the only door to the database: the other parts call ``Archive`` methods and
never open the file, hold its connection or write SQL of their own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PARTS = ["crawler", "extract", "nlp", "gongkai"]
# sqlite3 or sqlite-utils imported, an Archive's connection or sqlite-utils Database used,
# or SQL written out.
OUTSIDE_THE_DOOR = re.compile(
    r"^\s*(?:import|from)\s+(?:sqlite3|sqlite_utils)\b"
    r"|\.conn\b|\.db\.(?:query|execute|executemany|table)\b|\.db\["
    r"|\b(?:SELECT\s.+\sFROM|INSERT\s+(?:OR\s+\w+\s+)?INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET"
    r"|PRAGMA)\b",
    re.MULTILINE,
)


@pytest.mark.parametrize("part", PARTS)
def test_no_part_but_the_archive_touches_the_database(part):
    found = [
        f"{path.relative_to(REPO)}:{text[:match.start()].count(chr(10)) + 1}: {match.group().strip()}"
        for path in sorted((REPO / part).rglob("*.py"))
        for text in [path.read_text(encoding="utf-8")]
        for match in OUTSIDE_THE_DOOR.finditer(text)
    ]
    assert not found, "add an Archive method instead:\n" + "\n".join(found)


def test_the_check_sees_each_way_in():
    for line in ["import sqlite3", "from sqlite_utils import Database", "archive.conn.execute(q)",
                 "archive.db.query(q)", "archive.db['files']", '"SELECT id FROM fetches"',
                 '"INSERT OR IGNORE INTO files"', '"PRAGMA synchronous = NORMAL"']:
        assert OUTSIDE_THE_DOOR.search(line), line
    for line in ['default="archive.db"', "builds archive.db.", "Select the rows you want"]:
        assert not OUTSIDE_THE_DOOR.search(line), line
