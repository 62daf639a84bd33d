"""Headers that keep a browser safe on the archive's origin, added to every response by an
ASGI wrapper: ``X-Content-Type-Options: nosniff`` (a file is never sniffed into HTML) and a
Content-Security-Policy that runs no script but Datasette's own, so a value that slipped
past escaping still cannot run. The archive is read-only, so any method but GET and HEAD
is refused here with a 405 (a POST to a canned query made Datasette answer 500).
"""

from __future__ import annotations

import base64
import hashlib
import re

ALLOWED_METHODS = ("GET", "HEAD")

# Datasette's templates write a few inline scripts (closing open menus, the SQL editor,
# the table page's facet switch). Each is allowed by its hash, computed from the templates
# installed, never from the page being sent, so a script injected into a page has no hash.
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
# The one template variable inside those scripts, with every value Datasette gives it.
_SCRIPT_VARIABLES = {"datasette_allow_facet": ("true", "false")}


async def inline_script_hashes(env) -> list[str]:
    """``'sha256-…'`` sources for every inline script the Jinja environment's templates write."""
    hashes = set()
    for name in env.list_templates(extensions=["html"]):
        source = env.loader.get_source(env, name)[0]
        for body in _INLINE_SCRIPT.findall(source):
            renderings = {body}
            if "{{" in body or "{%" in body:
                template = env.from_string(body)
                renderings = {
                    await template.render_async(**{variable: value})
                    for variable, values in _SCRIPT_VARIABLES.items() for value in values
                }
            for script in renderings:
                digest = hashlib.sha256(script.encode("utf-8")).digest()
                hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


def content_security_policy(script_hashes: list[str]) -> str:
    """Scripts from this origin or with a known hash; styles may be inline (Datasette's
    templates use style attributes); no plugins, no framing, forms post only here."""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def security_headers(app, datasette):
    """Wrap an ASGI app: refuse methods other than GET and HEAD, add the headers to every
    response (the policy to all but PDFs, which a browser's PDF viewer shows)."""
    policy: list[str] = []

    async def wrapped(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        if scope["method"] not in ALLOWED_METHODS:
            return await _refuse_method(scope["method"], send)
        if not policy:
            policy.append(content_security_policy(await inline_script_hashes(datasette.jinja_env)))

        async def send_with_headers(event):
            if event["type"] == "http.response.start":
                headers = [(k, v) for k, v in event.get("headers", [])
                           if k.lower() not in (b"x-content-type-options",
                                                b"content-security-policy", b"x-frame-options")]
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"x-frame-options", b"DENY"))
                if not content_type.startswith(b"application/pdf"):
                    headers.append((b"content-security-policy", policy[0].encode("ascii")))
                event = {**event, "headers": headers}
            await send(event)

        return await app(scope, receive, send_with_headers)

    return wrapped


async def _refuse_method(method: str, send) -> None:
    body = (f"{method} is not allowed: the archive is read-only; use GET.\n").encode("utf-8")
    await send({"type": "http.response.start", "status": 405, "headers": [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"allow", ", ".join(ALLOWED_METHODS).encode("ascii")),
        (b"content-length", str(len(body)).encode("ascii")),
        (b"x-content-type-options", b"nosniff"),
    ]})
    await send({"type": "http.response.body", "body": body})
