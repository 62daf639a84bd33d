"""``gongkai extract``: turn disclosure files into records (the extract/ library, thinly)."""

from __future__ import annotations

import json

import click


engine_option = click.option(
    "--engine", type=click.Choice(["pdfium", "pdfminer"]), default=None,
    help="Read PDFs with this engine only [default: PDFium, pdfminer for a file PDFium cannot read].")


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON record per file (JSON Lines).")
@click.option("--timeout", type=float, default=120, show_default=True,
              help="Seconds allowed per file; slower files fail with kind 'timeout'.")
@click.option("--max-memory", "memory_mb", type=click.IntRange(min=0), default=512, show_default=True,
              help="MiB of memory allowed per file (0: no limit); more fails with kind 'too_large'.")
@click.option("--workers", type=click.IntRange(1), default=None,
              help="Extraction processes for several files [default: one per core].")
@click.option("--pages/--no-pages", "with_pages", default=True, show_default=True,
              help="Include each page's text in the JSON record.")
@engine_option
def extract(files: tuple[str, ...], as_json: bool, timeout: float, memory_mb: int,
            workers: int | None, with_pages: bool, engine: str | None) -> None:
    """Extract disclosure PDFs (or .doc/.docx/.xls/.xlsx/.wps/.et via LibreOffice).

    Several files are extracted on every core and printed in the order given.  Files that
    fail print {"file", "error": {"kind", "message"}} and make the exit status 1; the others
    still extract.  Example: gongkai extract report.pdf --json
    """
    from gongkai.pool import Job, extract_many

    results = extract_many([Job(path, path) for path in files], workers=workers, timeout=timeout,
                           memory_mb=memory_mb, ordered=True, engine=engine)
    failed = 0
    for job, record in results:
        if "error" in record:
            failed += 1
            _report(job.path, record["error"], as_json)
            continue
        record["file"] = job.path
        if not with_pages:
            record.pop("pages")
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(
                f"{job.path}: {record['doc_type'] or '?'} {record['fiscal_year'] or '?'} "
                f"{record['department'] or '?'}: {record['page_count']} pages, "
                f"{len(record['tables'])} tables, {len(record['line_items'])} line items, "
                f"{len(record['explanations'])} explanations, {len(record['findings'])} findings"
            )
    if failed:
        raise SystemExit(1)


def _report(path: str, error: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps({"file": path, "error": error}, ensure_ascii=False))
    else:
        click.echo(f"{path}: {error['kind']}: {error['message']}", err=True)


@click.command("evaluate-extract")
@click.argument("corpus", default="tests/real", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the whole report (every document's misses too) as JSON.")
@click.option("--workers", type=click.IntRange(1), default=None, help="Extraction processes [default: every core].")
@click.option("--only", default=None, help="Only documents whose slug.rendering matches this regular expression.")
@click.option("--check-floors", is_flag=True, help="Exit 1 when a field is below its floor in CORPUS/floors.json.")
@click.option("--raise-floors", is_flag=True, help="Raise CORPUS/floors.json to today's scores (never lowers one).")
@engine_option
def evaluate_extract(corpus: str, as_json: bool, workers: int | None, only: str | None,
                     check_floors: bool, raise_floors: bool, engine: str | None) -> None:
    """Measure extraction on the real corpus: facts, tables, explanations, findings.

    Scores each field against the hand-checked truth in CORPUS/truth/, overall, per
    rendering and per province.  Example: gongkai evaluate-extract tests/real --check-floors
    """
    from pathlib import Path

    from gongkai import extract_eval

    try:
        report = extract_eval.evaluate(corpus, workers=workers, only=only, engine=engine)
    except extract_eval.CorpusError as error:
        raise click.ClickException(str(error))
    click.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json
               else extract_eval.format_report(report))
    floors_path = Path(corpus) / "floors.json"
    if not (check_floors or raise_floors):
        return
    if not floors_path.exists():
        raise click.ClickException(f"{floors_path} does not exist")
    floors = json.loads(floors_path.read_text(encoding="utf-8"))
    if raise_floors:
        floors = extract_eval.raised_floors(report, floors)
        floors_path.write_text(json.dumps(floors, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        click.echo(f"floors written to {floors_path}", err=True)
    problems = extract_eval.check_floors(report, floors)
    for problem in problems:
        click.echo(f"below floor: {problem}", err=True)
    if problems:
        raise SystemExit(1)


COMMANDS = [extract, evaluate_extract]
