"""The nlp commands through click, as a user runs them."""

import json

from click.testing import CliRunner

from gongkai import nlp

from gongkai.commands.nlp import classify


def test_classify_arguments():
    result = CliRunner().invoke(classify, ["人员增加", "财政未及时清算，该项资金已结转下年"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [line["labels"] for line in lines] == [["staff_increase"], ["payment_timing"]]
    assert all(line["model"] == nlp.load_classifier().version for line in lines)
    assert lines[0]["spans"] == [{"start": 0, "end": 4, "label": "staff_increase"}]


def test_classify_jsonl_from_stdin():
    stdin = "\n".join(json.dumps({"text": t, "id": i}, ensure_ascii=False)
                      for i, t in enumerate(["厉行节约", "持平", "工作需要"])) + "\n\n"
    result = CliRunner().invoke(classify, ["--jsonl"], input=stdin)
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["labels"] for line in result.output.splitlines()] == [
        ["austerity"], ["no_difference"], ["other"]]


def test_classify_jsonl_bad_line_names_it():
    result = CliRunner().invoke(classify, ["--jsonl"], input='{"text": "人员增加"}\nnot json\n')
    assert result.exit_code != 0
    assert "stdin line 2" in result.output


def test_classify_needs_input():
    result = CliRunner().invoke(classify, [])
    assert result.exit_code == 2


def test_nlp_is_a_pure_library():
    """nlp/ imports no database, HTTP or CLI code, and importing it loads no model; the CLI
    starts without loading scikit-learn or jieba."""
    import subprocess
    import sys
    from pathlib import Path

    for path in Path(nlp.__file__).parent.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for forbidden in ("import sqlite3", "import click", "import requests", "urllib", "import scrapy"):
            assert forbidden not in source, f"{path.name}: {forbidden}"
    def loaded(module: str) -> str:
        probe = (f"import sys, {module}; "
                 "print(sorted(m for m in ('sklearn', 'jieba', 'sqlite3', 'click') if m in sys.modules))")
        return subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              check=True).stdout.strip()

    assert loaded("nlp") == "[]"
    assert "sklearn" not in loaded("gongkai.cli") and "jieba" not in loaded("gongkai.cli")
