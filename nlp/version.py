"""The classifier version: a hash of what decides a label, not of the source files.

A build re-classifies an explanation only when the version it was labelled with differs
(gongkai/build.py), so the version moves when a rule table, the decision logic, the
fiscal dictionary, the label set or the model changes, and stays when only a comment, a
docstring or the layout of the source does. Logic is read as compiled code without line
numbers or docstrings; tables as their values.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import CodeType, FunctionType, ModuleType
from typing import Iterable

_PLAIN = (str, int, float, bool, type(None))


def module_fingerprint(module: ModuleType) -> bytes:
    """The module's tables (UPPER_CASE names and compiled patterns) and the code of its
    functions and classes, in name order; lower-case state (caches) is not a rule."""
    parts = []
    for name in sorted(vars(module)):
        value = getattr(module, name)
        if name.startswith("__") or isinstance(value, ModuleType):
            continue
        if isinstance(value, (FunctionType, type)):
            if value.__module__ != module.__name__:
                continue  # imported: fingerprinted where it is defined
        elif not (isinstance(value, re.Pattern) or name == name.upper()):
            continue
        parts.append(f"{name}={_value(value)}")
    return "\n".join(parts).encode()


def _value(value) -> str:
    if isinstance(value, re.Pattern):
        return f"re({value.pattern!r},{value.flags})"
    if isinstance(value, _PLAIN):
        return repr(value)
    if isinstance(value, (list, tuple, frozenset, set)):
        items = [_value(v) for v in value]
        return "[" + ",".join(sorted(items) if isinstance(value, (set, frozenset)) else items) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{_value(k)}:{_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, FunctionType):
        return _code(value.__code__) + _value(value.__defaults__)
    if isinstance(value, type):
        members = {k: v for k, v in vars(value).items() if not k.startswith("__")
                   or k in ("__init__", "__call__")}
        return "class(" + ",".join(f"{k}={_value(v)}" for k, v in sorted(members.items())
                                    if isinstance(v, (FunctionType, *_PLAIN, re.Pattern, tuple))) + ")"
    if isinstance(value, Path):
        return repr(value.name)
    return type(value).__name__  # an object built at import (a cache, a Protocol): its type only


def _code(code: CodeType) -> str:
    consts = list(code.co_consts)
    if consts and isinstance(consts[0], str) and code.co_name != "<module>":
        consts = consts[1:]  # the docstring
    parts = [code.co_code.hex(), repr(code.co_names), repr(code.co_varnames)]
    for const in consts:
        parts.append(_code(const) if isinstance(const, CodeType) else _value(const))
    return "code(" + "|".join(parts) + ")"


def fingerprint(modules: Iterable[ModuleType], tables: Iterable[str], files: Iterable[Path]) -> str:
    """sha256 over module fingerprints, extra table values (the rules in use) and file bytes
    (the model, the fiscal dictionary)."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(module.__name__.rsplit(".", 1)[-1].encode())
        digest.update(module_fingerprint(module))
    for table in tables:
        digest.update(table.encode())
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
