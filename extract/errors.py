"""Every way a file can fail to extract, one exception per failure.

Raised by :func:`extract.extract_bytes` and friends; the archive stores ``kind`` and
``message`` in ``documents.error_kind`` / ``documents.error_message``.  Each message names the
file and says what to do next.
"""

from __future__ import annotations


class ExtractError(Exception):
    """The file could not be extracted; ``kind`` says why."""

    kind = "error"
    next_step = ""

    def __init__(self, detail: str, file: str | None = None):
        self.file = file
        self.detail = detail
        where = f"{file}: " if file else ""
        step = f" {self.next_step}" if self.next_step else ""
        super().__init__(f"{where}{detail}.{step}")

    def to_dict(self) -> dict:
        return {"kind": self.kind, "message": str(self)}

    def __reduce__(self):
        # Rebuilt from its parts when it crosses a process boundary (extract.limit).
        return type(self), (self.detail, self.file)


class EmptyFile(ExtractError):
    """The file has no bytes (or only whitespace)."""

    kind = "empty"
    next_step = "Re-download it; the portal may have served an empty attachment."


class NotPdf(ExtractError):
    """The bytes are neither a PDF nor an office format we convert."""

    kind = "not_pdf"
    next_step = "Check the link: portals often serve an HTML error page under a .pdf name."


class TruncatedPdf(ExtractError):
    """The PDF ends early or its structure is broken."""

    kind = "truncated"
    next_step = "Re-download it; the transfer was probably cut off."


class EncryptedPdf(ExtractError):
    """The PDF needs a password to open."""

    kind = "encrypted"
    next_step = "Ask the publishing department for an unencrypted copy."


class NoTextLayer(ExtractError):
    """The PDF has pages but no text: scanned images."""

    kind = "no_text_layer"
    next_step = "It needs OCR, which gongkai does not do yet; the file stays archived."


class UnsupportedFormat(ExtractError):
    """An office format that cannot be converted here (no LibreOffice, or conversion failed)."""

    kind = "unsupported_format"
    next_step = (
        "Install LibreOffice (Debian: libreoffice-writer-nogui libreoffice-calc-nogui) "
        "and run gongkai build again."
    )


class ExtractTimeout(ExtractError):
    """Extraction took longer than the per-file limit."""

    kind = "timeout"
    next_step = "Raise the limit (--timeout) or report the file as a pathological PDF."


class ExtractTooLarge(ExtractError):
    """Extraction needed more memory than the per-file limit: a decompression bomb (a small
    file whose streams inflate to gigabytes) or a file too large to extract."""

    kind = "too_large"
    next_step = ("The file stays archived; if it is a genuine disclosure, raise the limit "
                 "(--max-memory) and run again.")


class ExtractCrashed(ExtractError):
    """The process extracting the file died without an answer (a crash inside a library)."""

    kind = "crashed"
    next_step = "The file stays archived; report it with its sha256 so the crash can be fixed."


ERROR_KINDS = [
    cls.kind
    for cls in (
        EmptyFile,
        NotPdf,
        TruncatedPdf,
        EncryptedPdf,
        NoTextLayer,
        UnsupportedFormat,
        ExtractTimeout,
        ExtractTooLarge,
        ExtractCrashed,
    )
]
