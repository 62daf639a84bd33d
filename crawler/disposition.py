"""Decode the file name a download servlet gives in its Content-Disposition header.

Portals send it three ways: RFC 5987 ``filename*=UTF-8''%E9%83%A8…``, percent-encoded
UTF-8 in a plain ``filename=``, or raw GBK bytes in a plain ``filename=`` (common on
JSP servlets, ``downfile.jsp``).  Header values reach us as bytes, so each is tried.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, unquote_to_bytes

_EXTENDED = re.compile(rb"filename\*\s*=\s*([^;]+)", re.IGNORECASE)
_PLAIN = re.compile(rb"""filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))""", re.IGNORECASE)


def filename_from_disposition(value: bytes | str | None) -> str | None:
    """The file name in a Content-Disposition value, decoded; None when there is none."""
    if not value:
        return None
    raw = value.encode("latin-1", "replace") if isinstance(value, str) else value
    extended = _EXTENDED.search(raw)
    if extended:
        name = _decode_extended(extended.group(1).strip().strip(b'"'))
        if name:
            return _clean(name)
    plain = _PLAIN.search(raw)
    if not plain:
        return None
    data = (plain.group(1) if plain.group(1) is not None else plain.group(2)).strip()
    if b"%" in data:
        data = unquote_to_bytes(data)
    return _clean(_decode_bytes(data))


def _decode_extended(value: bytes) -> str | None:
    """``charset'lang'percent-encoded`` (RFC 5987)."""
    parts = value.split(b"'", 2)
    if len(parts) != 3:
        return None
    charset = parts[0].decode("ascii", "replace") or "utf-8"
    try:
        return unquote(parts[2].decode("ascii", "replace"), encoding=charset, errors="strict")
    except (LookupError, UnicodeDecodeError):
        return _decode_bytes(unquote_to_bytes(parts[2]))


def _decode_bytes(data: bytes) -> str:
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _clean(name: str) -> str | None:
    """Keep the base name only: a header may carry a path or surrounding quotes."""
    name = name.strip().strip('"').replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name or None
