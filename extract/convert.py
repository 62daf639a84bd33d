"""Office documents (.doc/.docx/.xls/.xlsx/.wps/.et) to PDF with LibreOffice headless.

Each conversion runs ``soffice`` with its own throw-away profile directory, so parallel
build workers never fight over one user installation (LibreOffice locks its profile), and
with an address-space limit of its own rather than its caller's.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import tempfile
import zipfile
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path
from typing import Iterator

from .errors import UnsupportedFormat

OFFICE_FORMATS = {"doc", "docx", "xls", "xlsx", "wps", "et", "odt", "ods", "rtf"}
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# soffice's own address-space limit.  A pool worker's limit (its size plus 512 MiB) is too
# tight for it: under about 1 GiB LibreOffice still writes a PDF, but without its fonts'
# Unicode maps, which PDFium then cannot read (seen on a real .xlsx attachment).
SOFFICE_ADDRESS_SPACE = 4 << 30


def sniff_format(data: bytes, filename: str | None) -> str | None:
    """The file's format from its extension, else from its first bytes; None if unknown."""
    suffix = Path(filename or "").suffix.lower().lstrip(".")
    if data[:1024].find(b"%PDF-") != -1:
        return "pdf"
    if suffix in OFFICE_FORMATS:
        return suffix
    if data.startswith(OLE2_MAGIC):
        return "doc"  # Word, Excel, WPS and ET all use OLE2; LibreOffice tells them apart
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
            return "xlsx"
    if data.lstrip()[:5].lower() == b"{\\rtf":
        return "rtf"
    return None


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(data: bytes, file_format: str, filename: str | None, timeout: float = 120) -> bytes:
    """Convert office bytes to PDF bytes.

    :raises UnsupportedFormat: without LibreOffice, or when the conversion fails.
    """
    soffice = soffice_path()
    if not soffice:
        raise UnsupportedFormat(f"a .{file_format} file needs LibreOffice, which is not installed", filename)
    with tempfile.TemporaryDirectory(prefix="gongkai-soffice-") as tmp:
        work = Path(tmp)
        source = work / f"document.{file_format}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        # Its own session, so a timeout kills soffice.bin too, not only the oosplash launcher.
        with _address_space(SOFFICE_ADDRESS_SPACE):
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise UnsupportedFormat(
                f"LibreOffice did not convert the .{file_format} file within {timeout:.0f} s", filename
            ) from None
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        produced = work / "out" / "document.pdf"
        if not produced.exists() or produced.stat().st_size == 0:
            raise UnsupportedFormat(f"LibreOffice could not convert the .{file_format} file", filename)
        return produced.read_bytes()


@contextmanager
def _address_space(limit: int) -> Iterator[None]:
    """The address-space limit a child is started with: set for the spawn only (Popen returns
    once the child has exec'd), then the caller's own limit again."""
    saved = resource.getrlimit(resource.RLIMIT_AS)
    hard = saved[1]
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, saved)
