"""Commands of the nlp/ area: classify reasons, train and evaluate the model, and move
human corrections between the archive and a CSV file. Heavy modules load inside commands."""

from __future__ import annotations

import json
import sys

import click


def _print_json(record: dict) -> None:
    click.echo(json.dumps(record, ensure_ascii=False))


@click.command()
@click.argument("texts", nargs=-1)
@click.option("--jsonl", is_flag=True, help="Read JSON lines with a `text` field from stdin.")
def classify(texts: tuple[str, ...], jsonl: bool) -> None:
    """Classify 差异原因 texts into codebook labels, one JSON line per input.

    Example: gongkai classify "人员增加" "财政未及时清算，该项资金已结转下年"
    """
    import nlp

    if jsonl:
        inputs = []
        for number, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                inputs.append(str(json.loads(line)["text"]))
            except (ValueError, KeyError, TypeError) as error:
                raise click.ClickException(
                    f"stdin line {number}: expected a JSON object with a `text` field ({error})"
                )
    else:
        inputs = list(texts)
    if not inputs:
        raise click.UsageError("give TEXT arguments, or --jsonl with JSON lines on stdin")
    classifier = nlp.load_classifier()
    for start in range(0, len(inputs), 1000):
        for record in classifier.classify_many(inputs[start:start + 1000]):
            _print_json(record)


COMMANDS = [classify]
