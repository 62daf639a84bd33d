"""``gongkai demo``: the whole pipeline on the bundled sample portal, then Datasette."""

from __future__ import annotations

import click

from .options import archive_option
from .publish import serve


@click.command()
@archive_option
@click.option("--port", type=int, default=8001, show_default=True, help="Port for Datasette.")
@click.option("--no-serve", is_flag=True, help="Stop after building the archive.")
def demo(archive_path: str, port: int, no_serve: bool) -> None:
    """Crawl the bundled sample portal, extract, classify, build the archive and serve it.

    Example: gongkai demo   (then open http://127.0.0.1:8001)
    """
    from gongkai.archive import Archive
    from gongkai.crawler.schedule import crawl_plan, run_plan
    from gongkai.build import build
    from gongkai.sample_portal import serve_directory

    # Port 8000 is where sites.yaml's ``demo`` site expects the portal, and the same URLs
    # let a second demo re-crawl incrementally; any free port when 8000 is taken.
    with serve_directory(port=8000, fallback_to_free_port=True) as portal_url:
        click.echo(f"1. the sample portal (samples/portal/) is served at {portal_url}")
        click.echo("2. crawling it with the Scrapy spider …")
        plan = crawl_plan(urls=[portal_url + "index.html"], sites_file=None, site_names=[],
                          all_sites=False, archive_path=archive_path)
        (run,) = run_plan(plan, echo=click.echo)
    if run.get("status") == "failed":
        raise click.ClickException(f"the crawl failed; see {plan.log_file}")
    click.echo("3. extracting, classifying and loading …")
    report = build(archive_path)
    with Archive(archive_path) as archive:
        counts = archive.counts()
        errors = archive.count_documents("error")
    click.echo(
        f"\nDone. Last crawl: {run['pages']} pages, {run['files_new']} new files, "
        f"{run['files_unchanged']} unchanged, {run['errors']} fetch errors.\n"
        f"Build: {report.extracted} documents extracted, {report.failed} failed this run.\n"
        f"Archive {archive_path}: {counts['files']} files, {counts['documents']} documents "
        f"({errors} with errors), {counts['pages']} pages, {counts['line_items']} line items, "
        f"{counts['explanations']} explanations, {counts['explanation_categories']} category "
        f"labels, {counts['findings']} findings."
    )
    if no_serve:
        return
    click.echo(f"\nServing with Datasette: http://127.0.0.1:{port}/  (Ctrl-C to stop)")
    click.echo(f"  explanations: http://127.0.0.1:{port}/archive/explanations")
    click.echo(f"  documents:    http://127.0.0.1:{port}/archive/documents")
    click.get_current_context().invoke(serve, archive_path=archive_path, host="127.0.0.1",
                                       port=port, immutable=False)


COMMANDS = [demo]
