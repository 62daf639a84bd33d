"""Serve the bundled sample portal over HTTP on 127.0.0.1.

Used by ``gongkai demo`` and by the tests: a real HTTP server on a free port, so the real
spider crawls it exactly as it would crawl a government portal. The portal ships inside the
package as ``gongkai/portal`` (in the repository a link to ``samples/portal/``, where
samples/render.py writes it; a wheel holds a copy), so an installed gongkai runs the demo.
"""

from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Iterator

PORTAL_DIR = Path(str(resources.files("gongkai") / "portal"))


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@contextmanager
def serve_directory(root: Path = PORTAL_DIR, host: str = "127.0.0.1", port: int = 0,
                    fallback_to_free_port: bool = False) -> Iterator[str]:
    """Serve ``root`` until the block ends; yields the base URL (``http://127.0.0.1:PORT/``).

    :param port: 0 for any free port.
    :param fallback_to_free_port: when ``port`` is taken, use a free one instead of failing.
    """
    handler = functools.partial(_QuietHandler, directory=str(root))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError:
        if not fallback_to_free_port:
            raise
        server = ThreadingHTTPServer((host, 0), handler)
    with running(server) as url:
        yield url


@contextmanager
def running(server: ThreadingHTTPServer) -> Iterator[str]:
    """Serve with ``server`` in a daemon thread until the block ends; yields its base URL
    (ending in /). Request threads are daemons too, so a client that hangs cannot hold the
    process open."""
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
