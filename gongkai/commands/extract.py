"""``gongkai extract``: turn disclosure files into records (the extract/ library, thinly)."""

from __future__ import annotations

import json

import click


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON record per file (JSON Lines).")
@click.option("--timeout", type=float, default=120, show_default=True,
              help="Seconds allowed per file; slower files fail with kind 'timeout'.")
@click.option("--max-memory", "memory_mb", type=click.IntRange(min=0), default=768, show_default=True,
              help="MiB of memory allowed per file (0: no limit); more fails with kind 'too_large'.")
@click.option("--pages/--no-pages", "with_pages", default=True, show_default=True,
              help="Include each page's text in the JSON record.")
def extract(files: tuple[str, ...], as_json: bool, timeout: float, memory_mb: int,
            with_pages: bool) -> None:
    """Extract disclosure PDFs (or .doc/.docx/.xls/.xlsx/.wps/.et via LibreOffice).

    Files that fail print {"file", "error": {"kind", "message"}} and make the exit status 1;
    the others still extract.  Example: gongkai extract report.pdf --json
    """
    from gongkai import extract as extract_lib

    failed = 0
    for path in files:
        try:
            with open(path, "rb") as handle:
                record = extract_lib.extract_with_limit(handle.read(), path, timeout=timeout,
                                                        memory_mb=memory_mb)
        except extract_lib.ExtractError as error:
            failed += 1
            _report(path, error.to_dict(), as_json)
            continue
        except Exception as error:  # a bug, not bad input: report it, extract the other files
            failed += 1
            _report(path, {"kind": "extract_failed", "message": f"{path}: {type(error).__name__}: {error}"}, as_json)
            continue
        record["file"] = path
        if not with_pages:
            record.pop("pages")
        if as_json:
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(
                f"{path}: {record['doc_type'] or '?'} {record['fiscal_year'] or '?'} "
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


COMMANDS = [extract]
