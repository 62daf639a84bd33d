"""One component per portal quirk, each switched by its own setting (see crawler/settings.py)."""
