"""The archive: schema, migrations, storage of crawled files and extracted records, search,
and the Datasette plugin that publishes it."""

from .merge import MergeError, MergeReport
from .schema import SCHEMA_VERSION, ArchiveTooNew, migrate
from .store import DISCLOSURE_FORMATS, Archive, FileVersion, data_dir_for

__all__ = ["Archive", "ArchiveTooNew", "DISCLOSURE_FORMATS", "FileVersion", "MergeError", "MergeReport",
           "SCHEMA_VERSION", "data_dir_for", "migrate"]
