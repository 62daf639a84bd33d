"""Bundled sample data: source texts of real and realistic disclosures, and their renderer."""
