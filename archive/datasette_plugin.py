"""The Datasette plugin that publishes an archive (Datasette 0.65 hooks only)."""

from datasette import hookimpl  # noqa: F401
