"""What the security tests send and serve: hostile PDFs built byte by byte, an archive with
hostile values and very large (sparse) files, a hostile portal over real HTTP, and a plain
HTTP helper that times each answer."""

from __future__ import annotations

import gzip
import os
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from handmade import pdf
from test_publish_records import build_archive

from gongkai.archive import Archive
from gongkai.sample_portal import running

MB = 1 << 20
GIB = 1 << 30

# 64 characters, the length the provenance link used to trust.
SCRIPT_SHA256 = '"><script>window.pwned=1</script>' + "a" * 31
HOSTILE_TITLE = '<img src=x onerror="window.pwned=1">2024年度部门决算'


def flate_bomb(inflated: int) -> bytes:
    """A zlib stream of ``inflated`` spaces, about a thousandth of that long. Built without
    compressing a gigabyte: after the first megabyte, deflate writes the same bytes for every
    further megabyte of spaces, and the Adler-32 of n equal bytes has a closed form."""
    block = b" " * MB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: header and checksum below
    first = packer.compress(block) + packer.flush(zlib.Z_SYNC_FLUSH)
    steady = packer.compress(block) + packer.flush(zlib.Z_SYNC_FLUSH)
    body = first + steady * (inflated // MB - 1) + packer.flush(zlib.Z_FINISH)
    n, byte = inflated // MB * MB, ord(" ")
    adler = ((n + byte * n * (n + 1) // 2) % 65521) << 16 | (1 + n * byte) % 65521
    return b"\x78\xda" + body + adler.to_bytes(4, "big")


def flate_bomb_pdf(inflated: int) -> bytes:
    """A one-page PDF whose page content is a FlateDecode stream of ``inflated`` spaces:
    about a thousandth of that on disk (a 1 MB file for 1 GiB)."""
    return one_page_pdf(flate_bomb(inflated))


def endless_pdf(pages: int, segments: int) -> bytes:
    """A PDF of a few kilobytes whose ``pages`` pages all stroke one shared path of ``segments``
    slanted line segments (a zigzag): each page costs PDFium and the page layer time for every
    segment, but none is a ruling, and each page is freed before the next, so its reading takes
    ever longer in little memory."""
    stream = zlib.compress(b"0 0 m" + b" 1 1 l 0 0 l" * (segments // 2) + b" S", 9)
    kids = b" ".join(b"%d 0 R" % (4 + page) for page in range(pages))
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"] * pages)


def one_page_pdf(stream: bytes) -> bytes:
    """A one-page A4 PDF whose page content is ``stream`` (FlateDecode)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    return pdf(objects)


def hostile_archive(path: Path, big_files: dict[int, int]) -> Path:
    """``build_archive``'s 24 documents, one with a script in its title, a correction whose
    sha256 is a script (as ``labels import`` let in before it checked), and ``big_files``
    (``{size: count}``) archived PDFs of that size, sparse on disk so they cost no space."""
    build_archive(path)
    with Archive(path) as archive:
        archive.conn.execute("UPDATE documents SET title = ? WHERE id = 1", (HOSTILE_TITLE,))
        archive.conn.execute(
            "INSERT INTO label_corrections (sha256, reason, labels, corrected_at) "
            "VALUES (?, '人员增加', '[\"staff_increase\"]', '2024-01-01')", (SCRIPT_SHA256,))
        for size, count in big_files.items():
            for number in range(count):
                sha256, _ = archive.store_file(f"%PDF-1.4 {size} {number}".encode(),
                                               filename=f"big-{number}.pdf", file_format="pdf")
                os.truncate(archive.file_path(sha256), size)
                archive.conn.execute("UPDATE files SET size = ? WHERE sha256 = ?", (size, sha256))
    return path


def get(base: str, path: str, method: str = "GET", **params) -> tuple[int, dict, bytes, float]:
    """(status, headers, body, seconds) of one request."""
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    started = time.monotonic()
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read(), time.monotonic() - started


# -- a hostile portal ------------------------------------------------------------------------

# path → link text on the portal's list page, one per misbehaviour.
PORTAL_LINKS = {
    "/files/good.pdf": "2024年度部门决算",
    "/loop/1.pdf": "2024年度部门决算（跳转不止）",
    "/pingpong/a.pdf": "2023年度部门决算（来回跳转）",
    "/offsite.pdf": "2022年度部门决算（跳到别的网站）",
    "/gzip-bomb.pdf": "2021年度部门决算（gzip 炸弹）",
    "/deflate-bomb.html": "2021年度部门预算（deflate 炸弹）",
    "/big.pdf": "2020年度部门决算（超过大小上限）",
    "/chunked.pdf": "2019年度部门决算（分块超过上限）",
    "/attach/P020240101000001.pdf": "附件1",  # only its first page can say what it is
    "/many-links.html": "部门决算目录（几百个链接）",
    "/huge.html": "部门预算目录（超大页面）",
}


class HostilePortal(BaseHTTPRequestHandler):
    """Serves ``PORTAL_LINKS``; ``server.bodies`` holds the good PDF and the bombs,
    ``server.size_cap`` and ``server.page_cap`` the crawler's DOWNLOAD_MAXSIZE and
    PAGE_MAX_SIZE."""

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def do_GET(self):
        path, server = urllib.parse.urlsplit(self.path).path, self.server
        if path == "/index.html":
            links = "".join(f'<li><a href="{url}">{text}</a></li>' for url, text in PORTAL_LINKS.items())
            page = f"<html><head><title>部门预决算公开</title></head><body><ul>{links}</ul></body></html>"
            return self.reply(page.encode("utf-8"), "text/html; charset=utf-8")
        if path.startswith("/loop/"):  # a new address every time: never ends
            return self.redirect(f"/loop/{int(path[6:].split('.')[0]) + 1}.pdf")
        if path.startswith("/pingpong/"):
            return self.redirect("/pingpong/b.pdf" if path.endswith("a.pdf") else "/pingpong/a.pdf")
        if path == "/offsite.pdf":
            return self.redirect(f"http://localhost:{server.server_port}/files/good.pdf")
        if path == "/files/good.pdf":
            return self.reply(server.bodies["good"], "application/pdf")
        if path == "/gzip-bomb.pdf":
            return self.reply(server.bodies["gzip"], "application/pdf", {"Content-Encoding": "gzip"})
        if path == "/deflate-bomb.html":
            return self.reply(server.bodies["deflate"], "text/html", {"Content-Encoding": "deflate"})
        if path == "/big.pdf":  # announced larger than the cap
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(server.size_cap + MB))
            self.end_headers()
            return self.stream(server.size_cap + MB)
        if path == "/chunked.pdf":  # no length announced: found out while receiving
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            return self.stream(server.size_cap + MB, chunked=True)
        if path == "/attach/P020240101000001.pdf":
            return self.reply(server.bodies["first_page_bomb"], "application/pdf")
        if path == "/many-links.html":
            links = "".join(f'<a href="/files/good.pdf?copy={n}">2024年度部门决算</a>' for n in range(300))
            return self.reply(f"<html><body>{links}</body></html>".encode(), "text/html; charset=utf-8")
        if path == "/huge.html":  # twice the page cap, a few kilobytes on the wire
            page = b"<html><body><p>" + b"x" * server.page_cap + b"</p></body></html>"
            return self.reply(gzip.compress(page), "text/html", {"Content-Encoding": "gzip"})
        self.send_error(404)

    def redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def reply(self, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def stream(self, size: int, chunked: bool = False) -> None:
        block = b"%PDF-1.4\n".ljust(MB, b"0")
        try:
            for _ in range(size // MB):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the crawler hung up, as it should


@contextmanager
def hostile_portal(bodies: dict[str, bytes], size_cap: int, page_cap: int):
    """The hostile portal on 127.0.0.1, a port the OS picks; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), HostilePortal)
    server.bodies, server.size_cap, server.page_cap = bodies, size_cap, page_cap
    with running(server) as url:
        yield url.rstrip("/")
