"""A zip sent while it is written: a worker thread writes it into a queue of a few chunks
that the response drains, so a zip of a gigabyte costs the server a few megabytes, and a
client that hangs up stops the writing.
"""

from __future__ import annotations

import asyncio
import io
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable

from datasette.utils.asgi import Response

log = logging.getLogger(__name__)

CHUNK = 256 * 1024
QUEUED_CHUNKS = 4

# Their own threads: a slow client holding a zip must not hold a thread Datasette needs.
_WRITERS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="gongkai-zip")


class ClientGone(Exception):
    """The client closed the connection; the writer stops."""


class _QueueWriter(io.RawIOBase):
    """A write-only, unseekable file whose bytes go to the response in ``CHUNK`` pieces."""

    def __init__(self, put: Callable[[bytes], None]):
        self.put = put
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) >= CHUNK:
            self.put(bytes(self.buffer[:CHUNK]))
            del self.buffer[:CHUNK]
        return len(data)

    def flush_all(self) -> None:
        if self.buffer:
            self.put(bytes(self.buffer))
            self.buffer.clear()


class ZipStream(Response):
    """A response whose body ``write(file)`` produces in a worker thread.

    :param write: writes the zip into the file object it is given (``zipfile`` copes with
        a file that cannot seek).
    :param receive: the request's ASGI ``receive``, to notice a client that hangs up.
    :param on_close: called once the response is over, however it ended.
    """

    def __init__(self, write: Callable[[io.RawIOBase], None], receive, *, headers: dict,
                 on_close: Callable[[], None] = lambda: None):
        super().__init__(b"", status=200, headers=headers, content_type="application/zip")
        self.write, self.receive, self.on_close = write, receive, on_close

    async def asgi_send(self, send) -> None:
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue = asyncio.Queue(maxsize=QUEUED_CHUNKS)
        gone = threading.Event()

        def put(chunk: bytes | None) -> None:
            if gone.is_set():
                raise ClientGone()
            asyncio.run_coroutine_threadsafe(chunks.put(chunk), loop).result()

        def produce() -> None:
            try:
                out = _QueueWriter(put)
                self.write(out)
                out.flush_all()
            finally:
                if not gone.is_set():
                    put(None)

        async def watch() -> None:
            while (await self.receive())["type"] != "http.disconnect":
                pass
            gone.set()
            await chunks.put(None)  # ends the sending loop below

        writer = loop.run_in_executor(_WRITERS, produce)
        watcher = asyncio.ensure_future(watch())
        try:
            await send({"type": "http.response.start", "status": self.status,
                        "headers": [(k.encode("latin-1"), v.encode("latin-1"))
                                    for k, v in {**self.headers,
                                                 "content-type": self.content_type}.items()]})
            while (chunk := await chunks.get()) is not None:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await _drain(chunks, writer)
            error = writer.exception()
            if error is None:
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            elif not isinstance(error, ClientGone):
                # The body stays unfinished, so the client knows the zip is broken.
                log.error("the zip could not be written: %s", error)
        finally:
            gone.set()
            watcher.cancel()
            await _drain(chunks, writer)
            self.on_close()


async def _drain(chunks: asyncio.Queue, writer: asyncio.Future) -> None:
    """Wait for the writer, emptying the queue so that it is never left waiting for room."""
    while not writer.done():
        while not chunks.empty():
            chunks.get_nowait()
        await asyncio.sleep(0.01)
