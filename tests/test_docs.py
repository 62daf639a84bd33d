"""Docs beside code: every command has help and is in the README; the codebook is shipped."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gongkai.cli import main

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def all_commands(group: click.Group, prefix: str = "gongkai"):
    for name, command in group.commands.items():
        yield f"{prefix} {name}", command
        if isinstance(command, click.Group):
            yield from all_commands(command, f"{prefix} {name}")


COMMANDS = list(all_commands(main))


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()[1:]] == [
        "make demo", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text()


@pytest.mark.parametrize("name", ["crawl", "extract", "classify", "build", "serve", "demo"])
def test_issue_commands_exist(name):
    assert name in main.commands


@pytest.mark.parametrize("path,command", COMMANDS, ids=[path for path, _ in COMMANDS])
def test_every_command_has_help_and_is_documented(path, command):
    assert command.help and len(command.help.strip()) > 20, f"{path} has no real help"
    args = path.split()[1:] + ["--help"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert f"`{path}" in README, f"{path} is missing from README.md"
