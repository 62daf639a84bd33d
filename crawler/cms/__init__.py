"""Link patterns of portal content-management systems, one module per family.

Each module offers pure functions from a page's HTML (and URL) to extra ``(url, text)``
links that a plain ``<a href>`` scan misses.  Every page is offered to every family:
an unseen portal is recognised by its markup, not by configuration.
"""
