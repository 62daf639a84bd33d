"""``gongkai serve`` and ``gongkai publish``: the archive through Datasette."""

from __future__ import annotations

import click

from .options import archive_option


def _translate(error):
    return click.ClickException(f"{error} [{error.kind}]")


@click.command()
@archive_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("-p", "--port", default=8001, show_default=True, type=int, help="Port to listen on.")
@click.option("--immutable", is_flag=True,
              help="Open the archive as an immutable snapshot (nothing may write to it).")
@click.option("--allow-sql", is_flag=True,
              help="Let anyone run arbitrary SQL (?sql=); off for a public archive.")
@click.option("--metadata", "metadata_path", type=click.Path(exists=True, dir_okay=False),
              help="Your own Datasette metadata (allow blocks, the plugin's limits) "
                   "[default: the bundled datasette_metadata.json].")
def serve(archive_path: str, host: str, port: int, immutable: bool, allow_sql: bool,
          metadata_path: str | None) -> None:
    """Serve the archive with Datasette: metadata, Chinese search, charts, file links.

    Read-only, with a SQL time limit and bounded memory per request; changes a build left
    unindexed are indexed first.
    Example: gongkai serve --archive archive.db --port 8001
    """
    from gongkai.archive import publish

    try:
        publish.check_archive(archive_path)
        if indexed := publish.prepare(archive_path, immutable=immutable):
            click.echo(f"indexed {indexed} rows for search", err=True)
        click.echo(f"serving {archive_path} on http://{host}:{port}/", err=True)
        publish.serve(archive_path, host=host, port=port, immutable=immutable,
                      allow_sql=allow_sql, metadata_path=metadata_path)
    except publish.PublishError as error:
        raise _translate(error)


@click.command(name="publish")
@archive_option
@click.argument("directory", type=click.Path(file_okay=False))
def publish_command(archive_path: str, directory: str) -> None:
    """Write DIRECTORY: a snapshot of the archive that serves anywhere Datasette runs.

    It holds the database, the archived files, metadata, the plugin, requirements.txt and
    run.sh.  Example: gongkai publish --archive archive.db published/
    """
    from gongkai.archive import publish

    try:
        summary = publish.publish(archive_path, directory)
    except publish.PublishError as error:
        raise _translate(error)
    counts = summary["tables"]
    click.echo(
        f"published {counts['documents']['count']} documents, {summary['files']} files to "
        f"{summary['directory']}; serve it with: {summary['directory']}/run.sh"
    )


COMMANDS = [serve, publish_command]
