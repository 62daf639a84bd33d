"""The ``gongkai`` command: a thin click group; each area's commands live in gongkai/commands/."""

from __future__ import annotations

import importlib

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}

# One module per area, in data-flow order; each exposes COMMANDS, a list of click commands.
COMMAND_MODULES = ["crawl", "extract", "nlp", "build", "publish", "demo"]


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(package_name="gongkai")
def main() -> None:
    """gongkai (公开): an open archive of Chinese government budget disclosures.

    Crawl portals, extract the PDFs, classify every 差异原因, and publish the archive
    with Datasette.  Start with: gongkai demo
    """


for _name in COMMAND_MODULES:
    for _command in importlib.import_module(f"gongkai.commands.{_name}").COMMANDS:
        main.add_command(_command)
