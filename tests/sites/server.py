"""A real HTTP server for the crawler's fixture sites, with one named resource per portal
misbehaviour (like Scrapy's tests/mockserver).

Run ``python tests/sites/server.py ROOT [CERT KEY]``: it binds 127.0.0.1 on a port the OS
picks (HTTPS when given a certificate) and prints its base URL.  Files under ROOT are served as they are, except:

- ``pdfs.json`` in ROOT lists ``path → first-page lines``; those PDFs are rendered at start
  (reportlab, a CJK font) and served with ETag/Last-Modified and 304 answers.
- ``{{OTHER_ORIGIN}}`` in a page becomes ``http://localhost:PORT``: the same server under
  another host name, i.e. another site.
- ``/gbk/…`` pages are stored in UTF-8 and sent in GBK, gzip-compressed when the client
  accepts it: ``wrong-header`` in the name sends ``charset=ISO-8859-1``, every other one no
  charset in the header.
- ``/session/…`` pages get a fresh ``?sid=`` on every link at every visit.
- ``/slow/…?delay=S`` waits S seconds first.
- ``/redirect/a`` → 301 ``/redirect/b`` → 302 the URL in ``?to=`` (default
  ``/redirect/target.pdf``).
- ``/downfile.jsp?fileid=N`` serves the ``downfile`` entry N of ``pdfs.json`` with a
  Content-Disposition in the style of that entry (``rfc5987``, ``gbk`` or ``percent``).
- ``/challenge/…`` answers 521 (or the status set by ``/_set?challenge=412``) with a
  cookie-setting script until the request carries the cookie; the cookie is derived from
  the User-Agent, as 加速乐-style gateways do.
- ``/module/web/jpage/dataproxy.jsp?page=N`` answers ``jcms/dataproxy-pageN.xml`` (a JCMS
  list); ``/module/download/downfile.jsp?filename=F`` the ``pdfs.json`` file ``/jcms/F``.
- ``/api/…json`` is sent as application/json.
- ``/changing/…`` PDFs render version ``?`` set by ``/_set?version=N``.
- A request with a query or a POST body (form or JSON) is answered by the file
  ``PATH@k1=v1&k2=v2`` when there is one (parameters sorted, jQuery's ``_`` cache buster
  left out): list endpoints of any shape, page by page; with a ``callback`` (JSONP) the
  file is found without it and sent wrapped as ``callback(…);``.
- Static HTML pages carry an ETag and Last-Modified and answer 304 to a matching
  conditional request, as web servers do (``/session/`` pages change at every visit).
- ``/_set?etag=off`` stops ETag/Last-Modified (a server without conditional support).
- ``/_log`` returns every request seen (method, path, host, status, headers, and ``time``:
  when its first bytes reached this machine) as JSON; ``/_log/clear`` empties it.
"""

from __future__ import annotations

import base64
import email.utils
import gzip
import hashlib
import io
import json
import random
import re
import socket
import struct
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, quote, urlsplit

# Query parameters naming a JSONP callback (jQuery's ``callback``, others'); a keyed file is
# found without them and sent wrapped in the function named.
JSONP_PARAMS = ("callback", "jsonpcallback", "jsoncallback", "cb")
LOGGED_HEADERS = ("User-Agent", "Cookie", "If-None-Match", "If-Modified-Since", "Referer")
FIXED_MTIME = email.utils.formatdate(1_700_000_000, usegmt=True)


def render_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (STSong-Light needs no font file)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.setFont("STSong-Light", 16)
    for number, line in enumerate(lines):
        page.drawString(72, 760 - 28 * number, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def challenge_cookie(user_agent: str) -> str:
    """What the challenge script computes in the browser (see ``CHALLENGE_PAGE``)."""
    return base64.b64encode(user_agent.encode("utf-8")).decode("ascii")[:16]


CHALLENGE_PAGE = """<html><head><script>
document.cookie = "gk_clearance=" + btoa(navigator.userAgent).slice(0, 16) + "; path=/";
setTimeout(function () { location.reload(); }, 50);
</script></head><body></body></html>"""


class PortalState:
    def __init__(self, root: Path):
        self.root = root
        self.lock = threading.Lock()
        self.log: list[dict] = []
        self.version = "1"
        self.etags = True
        self.challenge_status = 521
        manifest_path = root / "pdfs.json"
        self.manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
        self.files: dict[str, bytes] = {}
        for path, lines in self.manifest.get("files", {}).items():
            self.files[path] = _file_bytes(path, lines)

    def changing(self, path: str) -> bytes:
        lines = self.manifest["changing"][path]
        return render_pdf([*lines, f"第{self.version}版"])


def _file_bytes(path: str, lines: list[str]) -> bytes:
    if lines == ["BROKEN"]:
        return b"%PDF-1.4\n%broken: the rest of this file never arrived"
    if path.endswith(".pdf"):
        return render_pdf(lines)
    return "\n".join(lines).encode("utf-8")


# Linux's SO_TIMESTAMPNS (the asm-generic value, as on x86-64 and arm64); Python does not name it.
SO_TIMESTAMPNS = 35


class StampedReader(io.RawIOBase):
    """A plain socket's reader that keeps the kernel's receive time of the first bytes read
    since ``arrived`` was cleared.  The kernel stamps a segment when it arrives, so a server
    thread scheduled late under load does not make a request look later than it came (the
    politeness tests measure gaps between requests)."""

    def __init__(self, sock: socket.socket):
        self.sock = sock
        self.arrived: float | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        size, ancillary, _, _ = self.sock.recvmsg_into([buffer], socket.CMSG_SPACE(16))
        for level, kind, data in ancillary:
            if self.arrived is None and level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanoseconds = struct.unpack("qq", data[:16])
                self.arrived = seconds + nanoseconds / 1e9
        return size


class Handler(BaseHTTPRequestHandler):
    server_version = "FixturePortal/1.0"
    state: PortalState

    def log_message(self, format: str, *args) -> None:  # keep test output quiet
        pass

    def setup(self) -> None:
        super().setup()
        self.stamps: StampedReader | None = None
        if type(self.connection) is socket.socket:  # not TLS: its records hide the segments
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            except OSError:
                return
            self.stamps = StampedReader(self.connection)
            self.rfile.close()
            self.rfile = io.BufferedReader(self.stamps)

    def handle_one_request(self) -> None:
        if self.stamps is not None:
            self.stamps.arrived = None
        super().handle_one_request()

    def arrival(self) -> float:
        """When the request's first bytes reached this machine (the kernel's stamp when the
        socket gives one, else now)."""
        return (self.stamps.arrived if self.stamps is not None else None) or time.time()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        self.do_GET(method="POST")

    def do_GET(self, method: str = "GET") -> None:
        # Logged when the request arrives, so a request the client gave up on still counts.
        self.entry = {
            "method": method,
            "path": self.path,
            "host": self.headers.get("Host", ""),
            "status": None,
            "time": self.arrival(),
            "headers": {h: self.headers.get(h) for h in LOGGED_HEADERS if self.headers.get(h)},
        }
        if method == "POST":
            self.entry["body"] = self.body
        if not self.path.startswith("/_log"):
            with self.state.lock:
                self.state.log.append(self.entry)
        self.route()

    def route(self) -> None:
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/_log":
            with self.state.lock:
                return self.send(200, json.dumps(self.state.log).encode(), "application/json")
        if path == "/_log/clear":
            with self.state.lock:
                self.state.log.clear()
            return self.send(200, b"ok", "text/plain")
        if path == "/_set":
            if "version" in query:
                self.state.version = query["version"][0]
            if "etag" in query:
                self.state.etags = query["etag"][0] != "off"
            if "challenge" in query:
                self.state.challenge_status = int(query["challenge"][0])
            return self.send(200, b"ok", "text/plain")
        if path.startswith("/slow/"):
            time.sleep(float(query.get("delay", ["1"])[0]))
        if path.startswith("/challenge/"):
            expected = challenge_cookie(self.headers.get("User-Agent", ""))
            if f"gk_clearance={expected}" not in (self.headers.get("Cookie") or ""):
                return self.send(self.state.challenge_status, CHALLENGE_PAGE.encode(), "text/html",
                                 compress=True)
        if path == "/redirect/a":
            return self.redirect(301, "/redirect/b?" + parts.query)
        if path == "/redirect/b":
            return self.redirect(302, query.get("to", ["/redirect/target.pdf"])[0])
        if path == "/module/web/jpage/dataproxy.jsp":
            xml = self.state.root / "jcms" / f"dataproxy-page{query.get('page', ['1'])[0]}.xml"
            if xml.is_file():
                return self.send(200, xml.read_bytes(), "text/xml; charset=utf-8")
            return self.send(404, b"", "text/xml")
        if path == "/module/download/downfile.jsp":
            name = query.get("filename", [""])[0]
            return self.send_file(self.state.files.get("/jcms/" + name, b""), "application/pdf")
        if path == "/downfile.jsp":
            return self.download(query.get("fileid", [""])[0])
        if path.startswith("/changing/") and path in self.state.manifest.get("changing", {}):
            return self.send_file(self.state.changing(path), "application/pdf")
        if path in self.state.files:
            return self.send_file(self.state.files[path], _content_type(path))
        callback = next((query[name][0] for name in JSONP_PARAMS if name in query), None)
        keyed = self.keyed_file(path, parts.query)
        if keyed is not None:
            data = keyed.read_bytes()
            if callback:  # JSONP: the same list, wrapped in the caller's function
                return self.send(200, callback.encode() + b"(" + data + b");", "application/javascript")
            kind = "application/json" if data.lstrip()[:1] in (b"{", b"[") else "text/html"
            return self.send(200, data, kind + "; charset=utf-8")
        target = (self.state.root / path.lstrip("/")).resolve()
        if path.endswith("/"):
            target = target / "index.html"
        if not target.is_file() or self.state.root.resolve() not in target.parents:
            return self.send(404, b"<html><body>404 Not Found</body></html>", "text/html")
        if target.suffix in (".html", ".htm"):
            return self.page(path, target.read_text("utf-8"))
        return self.send_file(target.read_bytes(), _content_type(path))

    def keyed_file(self, path: str, query: str) -> Path | None:
        """``PATH@k=v&…`` for a request's query and body parameters, if that file exists."""
        params = dict(parse_qsl(query, keep_blank_values=True))
        body = getattr(self, "body", "")
        if body.lstrip().startswith("{"):
            params.update({k: str(v) for k, v in json.loads(body).items()})
        elif body:
            params.update(parse_qsl(body, keep_blank_values=True))
        params.pop("_", None)
        for name in JSONP_PARAMS:
            params.pop(name, None)
        if not params:
            return None
        name = path.lstrip("/") + "@" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
        target = (self.state.root / name).resolve()
        return target if target.is_file() and self.state.root.resolve() in target.parents else None

    def page(self, path: str, html: str) -> None:
        html = html.replace("{{OTHER_ORIGIN}}", f"http://localhost:{self.server.server_port}")
        if path.startswith("/session/"):
            sid = "%08x" % random.getrandbits(32)
            html = re.sub(r'href="([^"#?]+)"', lambda m: f'href="{m[1]}?sid={sid}"', html)
        if path.startswith("/gbk/"):
            charset = "; charset=ISO-8859-1" if "wrong-header" in path else ""
            return self.send(200, html.encode("gbk"), "text/html" + charset, compress=True)
        if path.startswith("/session/"):
            return self.send(200, html.encode("utf-8"), "text/html; charset=utf-8")
        # A static page, as web servers send it: validators, and 304 to a conditional request.
        self.send_file(html.encode("utf-8"), "text/html; charset=utf-8")

    def download(self, fileid: str) -> None:
        entry = self.state.manifest.get("downfile", {}).get(fileid)
        if entry is None:
            return self.send(404, b"no such file", "text/plain")
        body = render_pdf(entry["lines"])
        name, style = entry["name"], entry["style"]
        if style == "rfc5987":
            disposition = f"attachment; filename*=UTF-8''{quote(name)}".encode("ascii")
        elif style == "percent":
            disposition = f'attachment; filename="{quote(name)}"'.encode("ascii")
        else:  # raw GBK bytes, as JSP servlets send them
            disposition = b'attachment; filename="' + name.encode("gbk") + b'"'
        self.entry["status"] = 200
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        # send_header() would encode the value as latin-1 text; queue the raw bytes.
        self._headers_buffer.append(b"Content-Disposition: " + disposition + b"\r\n")
        self.end_headers()
        self.wfile.write(body)

    def send_file(self, body: bytes, content_type: str) -> None:
        etag = '"%s"' % hashlib.sha1(body).hexdigest()[:16]
        if self.state.etags and (
            self.headers.get("If-None-Match") == etag
            or (self.headers.get("If-Modified-Since") == FIXED_MTIME and not self.headers.get("If-None-Match"))
        ):
            self.entry["status"] = 304
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        extra = {"ETag": etag, "Last-Modified": FIXED_MTIME} if self.state.etags else {}
        self.send(200, body, content_type, extra)

    def redirect(self, status: int, location: str) -> None:
        self.send(status, b"", "text/html", {"Location": location})

    def send(self, status: int, body: bytes, content_type: str, extra: dict | None = None,
             compress: bool = False) -> None:
        extra = dict(extra or {})
        if compress and "gzip" in (self.headers.get("Accept-Encoding") or ""):
            body = gzip.compress(body)
            extra["Content-Encoding"] = "gzip"
        self.entry["status"] = status
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def _content_type(path: str) -> str:
    return {
        ".pdf": "application/pdf",
        ".xls": "application/vnd.ms-excel",
        ".doc": "application/msword",
        ".json": "application/json",
        ".txt": "text/plain",
        ".html": "text/html; charset=utf-8",
    }.get(Path(path).suffix, "application/octet-stream")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that gave up (a timed-out slow page) is expected here, not an error."""


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A throw-away certificate for 127.0.0.1, as a county portal's self-signed one."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "示例区人民政府")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=30))
                   .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def main(root: str, cert: str | None = None, key: str | None = None) -> None:
    Handler.state = PortalState(Path(root))
    server = QuietServer(("127.0.0.1", 0), Handler)
    scheme = "http"
    if cert:
        import ssl

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    print(f"{scheme}://127.0.0.1:{server.server_port}/", flush=True)
    server.serve_forever()


@contextmanager
def serve(root: str | Path, tls_directory: Path | None = None):
    """Run the server on ``root`` in a subprocess; yields its base URL (ending in /).

    :param tls_directory: serve HTTPS with a self-signed certificate written there.
    """
    extra = [str(p) for p in self_signed_certificate(tls_directory)] if tls_directory else []
    process = subprocess.Popen([sys.executable, __file__, str(root), *extra], stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline().strip()
        if not line.startswith(("http://", "https://")):
            raise RuntimeError(f"fixture server did not start (exit {process.poll()})")
        yield line
    finally:
        process.terminate()
        process.wait(timeout=10)


def request_log(base_url: str, clear: bool = False) -> list[dict]:
    import ssl
    import urllib.request

    unverified = ssl._create_unverified_context()  # the fixture's own self-signed certificate
    with urllib.request.urlopen(base_url + "_log", context=unverified) as response:
        log = json.loads(response.read())
    if clear:
        urllib.request.urlopen(base_url + "_log/clear", context=unverified).read()
    return log


if __name__ == "__main__":
    main(*sys.argv[1:])
