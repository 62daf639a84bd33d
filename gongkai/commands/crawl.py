"""``gongkai crawl``: harvest disclosures from portals into the archive."""

from __future__ import annotations

import click

from .options import archive_option


@click.command()
@click.argument("urls", nargs=-1)
@archive_option
@click.option("--max-pages", type=click.IntRange(min=1), help="Follow at most N pages per site.")
@click.option("--sites", "sites_file", type=click.Path(dir_okay=False),
              help="A sites.yaml listing portals, for --site NAME, --all or --list [default: ./sites.yaml].")
@click.option("--site", "site_names", multiple=True, help="Crawl this site of --sites (repeatable).")
@click.option("--all", "all_sites", is_flag=True, help="Crawl every site of --sites.")
@click.option("--list", "list_sites", is_flag=True, help="List the sites of --sites and exit.")
@click.option("--log-file", type=click.Path(dir_okay=False),
              help="Where the crawl log goes [default: <archive>-crawl.log beside the archive].")
@click.option("--lock/--no-lock", default=True, show_default=True,
              help="Refuse to start while another crawl of this archive runs.")
@click.option("--timeout", type=click.FloatRange(min=1), default=12 * 3600, show_default=True,
              help="Seconds after which a site's crawl is killed (and recorded as interrupted).")
@click.option("--build", "run_build", is_flag=True, help="Extract and classify the new files afterwards.")
@click.option("--redis-url", help="Share one frontier between workers: redis://HOST:PORT/DB.")
@click.option("--frontier", default=None,
              help="Redis key prefix the workers of one crawl share [default: gongkai:<site or host>:<date>].")
@click.option("--user-agent", help="Send this User-Agent (include a contact URL).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Override a crawler setting, e.g. -s DOWNLOAD_DELAY=5 (repeatable).")
def crawl(urls, archive_path, max_pages, sites_file, site_names, all_sites, list_sites, log_file,
          lock, timeout, run_build, redis_url, frontier, user_agent, overrides):
    """Crawl portals for 部门预算/部门决算 files and archive every disclosure.

    Start from URLs, or from named portals of a sites.yaml.  Prints pages, files
    new/changed/unchanged and errors per run; exits 1 when any request failed.

    \b
    Example:
      gongkai crawl http://127.0.0.1:8000/index.html --archive archive.db
      gongkai crawl --sites sites.yaml --all --build      # from cron
    """
    from gongkai.crawler import CrawlError
    from gongkai.crawler.schedule import CrawlPlan, crawl_plan, run_plan

    if list_sites and not sites_file:
        sites_file = "sites.yaml"
    try:
        plan: CrawlPlan = crawl_plan(
            urls=list(urls), sites_file=sites_file, site_names=list(site_names),
            all_sites=all_sites, archive_path=archive_path, max_pages=max_pages,
            log_file=log_file, redis_url=redis_url, frontier=frontier,
            user_agent=user_agent, overrides=list(overrides), timeout=timeout,
        )
        if list_sites:
            for site in plan.sites:
                click.echo(f"{site.name}\t{' '.join(site.start_urls)}")
            return
        if not plan.jobs:
            raise click.UsageError("give start URLs, or --sites FILE with --site NAME or --all")
        summaries = run_plan(plan, lock=lock, echo=click.echo)
    except CrawlError as error:
        raise click.ClickException(f"{error.kind}: {error}") from error
    if run_build:
        from gongkai.build import build

        report = build(archive_path)
        click.echo(f"build: {report.extracted} documents extracted, {report.failed} failed, "
                   f"{report.explanations} explanations")
    if any(summary.get("errors") for summary in summaries):
        raise SystemExit(1)


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--into", "target", required=True, type=click.Path(dir_okay=False),
              help="The archive that receives them (created when missing).")
def merge(sources, target):
    """Merge archives that crawl workers wrote into one archive.

    Keeps every file (bytes copied into the target's -files directory), run, fetch, list
    endpoint and label correction once; safe to re-run and to kill.  Then run
    `gongkai build` on the target.  Exits 1 when a source could not be merged.

    \b
    Example:
      gongkai merge worker1.db worker2.db --into archive.db
    """
    from gongkai.archive import Archive, MergeError

    failed = False
    with Archive(target) as archive:
        for source in sources:
            try:
                report = archive.merge(source)
            except MergeError as error:
                click.echo(f"{error.kind}: {error}", err=True)
                failed = True
                continue
            click.echo(f"{source}: {report.runs} runs, {report.fetches} fetches, {report.files} files "
                       f"({report.bytes / 1e6:.1f} MB), {report.endpoints} list endpoints, "
                       f"{report.corrections} label corrections added")
    if failed:
        raise SystemExit(1)


COMMANDS = [crawl, merge]
