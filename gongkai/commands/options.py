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

model_option = click.option(
    "--model",
    "model_dir",
    default=None,
    type=click.Path(exists=True, file_okay=False),
    help="A model saved by gongkai train [default: the last one gongkai train saved, else the "
         "one that ships].",
)

# Where the labelled reasons live unless --data says otherwise (gongkai.paths).
DATA_DEFAULT = "nlp/data/reasons.jsonl in a checkout, else in the user's data directory"

