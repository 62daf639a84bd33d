"""The crawl reports its progress on stderr, and the setting switches it off."""

import re

from conftest import gongkai


def test_crawl_prints_progress_and_the_setting_turns_it_off(sample_portal, tmp_path):
    shown = gongkai("crawl", sample_portal + "index.html", "--archive", str(tmp_path / "a.db"))
    final = [line for line in shown.stderr.splitlines() if line.startswith("crawl  ")]
    assert final, shown.stderr
    assert int(re.match(r"crawl  (\d+)", final[-1]).group(1)) >= 10  # pages and files stored
    hidden = gongkai("crawl", sample_portal + "index.html", "--archive", str(tmp_path / "b.db"),
                     "-s", "PROGRESS_ENABLED=False")
    assert not [line for line in hidden.stderr.splitlines() if line.startswith("crawl  ")]
