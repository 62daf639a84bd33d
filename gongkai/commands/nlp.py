"""Commands of the nlp/ area: classify reasons, train and evaluate the model, and move
human corrections between the archive and a CSV file. Heavy modules load inside commands."""

from __future__ import annotations

import json
import sys

import click

from .options import DATA_DEFAULT, archive_option, model_option


def _print_json(record: dict) -> None:
    click.echo(json.dumps(record, ensure_ascii=False))


@click.command()
@click.argument("texts", nargs=-1)
@click.option("--jsonl", is_flag=True, help="Read JSON lines with a `text` field from stdin.")
@model_option
def classify(texts: tuple[str, ...], jsonl: bool, model_dir: str | None) -> None:
    """Classify 差异原因 texts into codebook labels, one JSON line per input.

    Example: gongkai classify "人员增加" "财政未及时清算，该项资金已结转下年"
    """
    from gongkai import nlp, paths

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
    classifier = nlp.load_classifier(model_dir or paths.trained_model())
    for start in range(0, len(inputs), 1000):
        for record in classifier.classify_many(inputs[start:start + 1000]):
            _print_json(record)


@click.command()
@click.option("--data", type=click.Path(exists=True, dir_okay=False), default=None,
              help=f"Labelled reasons (JSON lines) [default: {DATA_DEFAULT}].")
@click.option("--output", type=click.Path(file_okay=False), default=None,
              help="Where to save the model [default: nlp/model, the one that ships, in a checkout; "
                   "else the user's data directory, where build and classify then find it].")
@click.option("--real", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Real reasons with their provinces, for the model and the arbiter that weighs it "
                   "against the cue rules [default: the shipped nlp/data/real.jsonl].")
@click.option("--all", "use_dev", is_flag=True, help="Train on the dev split too (then evaluate says less).")
def train(data: str | None, output: str | None, real: str | None, use_dev: bool) -> None:
    """Train the reason classifier's linear model from the labelled data and the arbiter
    that weighs it against the cue rules from the real reasons (seeded).

    Example: gongkai train
    """
    from pathlib import Path

    from gongkai import paths
    from gongkai.nlp.errors import NlpError
    from gongkai.nlp.model import REAL, train_shipped

    try:
        summary = train_shipped(Path(data) if data else paths.training_data(),
                                Path(output) if output else paths.model_dir(), use_dev=use_dev,
                                real=Path(real) if real else REAL)
    except NlpError as error:
        raise click.ClickException(str(error))
    click.echo(f"trained on {summary['examples']} examples ({summary['dev_held_out']} held out "
               f"for dev) in {summary['seconds']} s; saved to {summary['output']}")


@click.command()
@click.option("--data", type=click.Path(exists=True, dir_okay=False), default=None,
              help=f"Labelled reasons [default: {DATA_DEFAULT}].")
@click.option("--real", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Real reasons with their provinces [default: the shipped nlp/data/real.jsonl].")
@click.option("--folds", type=click.IntRange(0), default=5, show_default=True,
              help="k for k-fold cross-validation and for the province groups; 0 skips both.")
@click.option("--json", "as_json", is_flag=True, help="Print the full results as JSON.")
def evaluate(data: str | None, real: str | None, folds: int, as_json: bool) -> None:
    """Score the classifier on the dev split, the hold-out set, the frozen unseen real
    reasons, by k-fold cross-validation and on real reasons of provinces the model never saw
    (trained per province group), beside the rules alone, the model alone and a plain
    codebook-cue baseline.

    Example: gongkai evaluate --folds 5
    """
    from pathlib import Path

    from gongkai import paths
    from gongkai.nlp.errors import NlpError
    from gongkai.nlp.evaluate import REAL, format_evaluation, run_evaluation

    try:
        results = run_evaluation(Path(data) if data else paths.training_data(), k=folds,
                                 real=Path(real) if real else REAL)
    except NlpError as error:
        raise click.ClickException(str(error))
    click.echo(json.dumps(results, ensure_ascii=False, indent=1) if as_json
               else format_evaluation(results))


@click.group()
def labels() -> None:
    """Move human corrections of categories between the archive and a CSV file."""


@labels.command("export")
@archive_option
@click.argument("csv_path", metavar="FILE.csv", type=click.Path(dir_okay=False))
def labels_export(archive_path: str, csv_path: str) -> None:
    """Write classified explanations with their labels to FILE.csv for correction.

    Edit the `labels` column (codebook keys joined by ;), then run labels import.
    Example: gongkai labels export corrections.csv
    """
    from gongkai.archive import Archive
    from gongkai.archive.labels import export_labels

    with Archive(archive_path) as archive:
        count = export_labels(archive, csv_path)
    click.echo(f"wrote {count} explanations to {csv_path}")


@labels.command("review")
@archive_option
@click.argument("csv_path", metavar="FILE.csv", type=click.Path(dir_okay=False))
@click.option("--limit", type=click.IntRange(1), default=100, show_default=True,
              help="At most this many explanations.")
@model_option
def labels_review(archive_path: str, csv_path: str, limit: int, model_dir: str | None) -> None:
    """Write the explanations whose labels the classifier is least sure of to FILE.csv,
    least sure first, for correction; bring them back with labels import.

    Explanations a human already corrected are left out.
    Example: gongkai labels review --limit 50 review.csv
    """
    from gongkai import nlp, paths
    from gongkai.archive import Archive
    from gongkai.archive.labels import export_review

    classifier = nlp.load_classifier(model_dir or paths.trained_model())

    def confidence(reasons: list[str]) -> list[float]:
        return [result["confidence"] for result in classifier.classify_many(reasons)]

    with Archive(archive_path) as archive:
        count = export_review(archive, csv_path, confidence, limit)
    click.echo(f"wrote the {count} least sure explanations to {csv_path} (classifier {classifier.version})")


@labels.command("import")
@archive_option
@click.argument("csv_path", metavar="FILE.csv", type=click.Path(exists=True, dir_okay=False))
@click.option("--data", type=click.Path(dir_okay=False), default=None,
              help=f"Training data to append corrections to [default: {DATA_DEFAULT}].")
def labels_import(archive_path: str, csv_path: str, data: str | None) -> None:
    """Store corrected labels from FILE.csv: they override the model in the archive and
    join the training data for the next gongkai train.

    Example: gongkai labels import corrections.csv
    """
    from pathlib import Path

    from gongkai import paths
    from gongkai.archive import Archive
    from gongkai.archive.labels import import_labels

    with Archive(archive_path) as archive:
        report = import_labels(archive, csv_path, Path(data) if data else paths.training_data())
    click.echo(f"{report.corrections} corrections stored, {report.applied} explanations "
               f"relabelled, {report.unchanged} rows unchanged, {report.training_examples} "
               f"added to the training data")
    for line, message in report.errors:
        click.echo(f"  skipped line {line}: {message}", err=True)
    if report.errors and not report.corrections:
        raise SystemExit(1)


COMMANDS = [classify, train, evaluate, labels]
