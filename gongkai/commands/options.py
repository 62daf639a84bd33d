"""Options shared by several commands."""

import click

archive_option = click.option(
    "--archive",
    "archive_path",
    default="archive.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The SQLite archive; its files live in <name>-files/ beside it.",
)
