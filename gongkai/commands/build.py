"""``gongkai build``: extract, classify and load every archived file not yet extracted."""

from __future__ import annotations

import click

from .options import archive_option, model_option


@click.command()
@archive_option
@click.option("--workers", type=int, default=None, help="Extraction processes [default: one per core].")
@click.option("--timeout", type=float, default=120, show_default=True,
              help="Seconds allowed per file; slower files are recorded with kind 'timeout'.")
@click.option("--max-memory", "memory_mb", type=click.IntRange(min=0), default=512, show_default=True,
              help="MiB of memory allowed per file (0: no limit); more is recorded with kind 'too_large'.")
@model_option
def build(archive_path: str, workers: int | None, timeout: float, memory_mb: int,
          model_dir: str | None) -> None:
    """Extract, classify and load every archived file that has no current document.

    Idempotent: a second run adds nothing; a run killed at any moment is completed by the
    next.  Example: gongkai build --archive archive.db
    """
    from gongkai.archive.progress import Progress
    from gongkai.build import build as run_build

    progress: Progress | None = None

    def on_progress(done: int, total: int, name: str) -> None:
        nonlocal progress
        progress = progress or Progress("build", total=total)
        progress.update(1, item=name)

    report = run_build(archive_path, workers=workers, timeout=timeout, memory_mb=memory_mb,
                       on_progress=on_progress, model_dir=model_dir)
    if progress:
        progress.close()
    click.echo(
        f"extracted {report.extracted} documents, {report.failed} failed, "
        f"{report.explanations} explanations, {report.reclassified} re-classified, "
        f"{report.corrected} with human labels, "
        f"{report.indexed} rows indexed for search"
    )
    for sha256, error in report.errors.items():
        click.echo(f"  error {sha256[:12]}: {error}", err=True)


COMMANDS = [build]
