"""Spiders: one focused portal spider, configured per site by sites.yaml."""
