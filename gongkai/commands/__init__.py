"""One module per area of the ``gongkai`` command; each exposes ``COMMANDS``."""
