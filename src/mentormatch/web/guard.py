"""What keeps the local page private: the session token, the CSRF token, the host check, the headers, the upload cap.

* Every request needs the token the server printed: the first visit carries it in the address, and
  it is then kept in a cookie that only this site, and no script, can read (named after the port, so
  two servers, or other local services, never share it).
* Every form carries a second random value (CSRF): a page elsewhere cannot post to this one.
* The Host header must be this server's own address (no DNS rebinding) and an Origin, when sent,
  this server's own.
* Every response forbids scripts, framing, caching and outside requests (Content-Security-Policy).
* A request body is refused past the upload cap, and an upload is held in memory, never spooled to disk.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from urllib.parse import urlencode

from starlette.datastructures import FormData
from starlette.formparsers import FormParser, MultiPartException, MultiPartParser
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

COOKIE = "mentormatch_session"  # the cookie's name, followed by the server's port
MAX_UPLOAD_MB = 100
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",  # no address leaves the site; the site's own forms keep their Origin
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class Refused(Exception):
    """A request that breaks a rule of the guard: answered with 403 (or 413) and a plain message."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Keys:
    """The session's secrets and the addresses it answers on."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    hosts: frozenset[str] = frozenset()  # Host headers accepted: "127.0.0.1:8765", "localhost:8765"
    port: int = 0

    def origins(self) -> set[str]:
        return {f"http://{host}" for host in self.hosts}

    @property
    def cookie(self) -> str:
        return f"{COOKIE}_{self.port}"


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


class Guard(BaseHTTPMiddleware):
    """Checks the host and the token on every request; adds the security headers to every response."""

    def __init__(self, app: object, keys: Keys) -> None:
        super().__init__(app)
        self.keys = keys

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        try:
            response = self._check(request) or await call_next(request)
        except Exception as exc:  # never a traceback, which could hold applicants' answers, in the terminal
            response = PlainTextResponse(f"mentormatch hit an internal error ({exc.__class__.__name__}). Go back and "
                                         "try again; report it to the maintainers without the data.", status_code=500)
        response.headers.update(SECURITY_HEADERS)
        return response

    def _check(self, request: Request) -> Response | None:
        if request.headers.get("host", "") not in self.keys.hosts:
            return PlainTextResponse("This server answers only on its own local address.", status_code=403)
        if _same(request.query_params.get("token"), self.keys.token):
            rest = {k: v for k, v in request.query_params.multi_items() if k != "token"}
            target = "/" + request.url.path.lstrip("/") + (f"?{urlencode(rest)}" if rest else "")  # never //elsewhere
            response = RedirectResponse(target, status_code=303)  # the token leaves the address bar and history
            response.set_cookie(self.keys.cookie, self.keys.token, httponly=True, samesite="strict", path="/")
            return response
        if not _same(request.cookies.get(self.keys.cookie), self.keys.token):
            return PlainTextResponse("Open the address `mentormatch serve` printed, with its token: this page is "
                                     "private to the person who started it.", status_code=403)
        origin = request.headers.get("origin")
        if request.method == "POST" and origin is not None and origin not in self.keys.origins():
            return PlainTextResponse("A form from another site cannot be sent here.", status_code=403)
        return None


class _InMemory(MultiPartParser):
    spool_max_size = MAX_UPLOAD_MB * 1024 * 1024  # an upload stays in memory up to the cap


async def _capped(request: Request, limit: int) -> AsyncGenerator[bytes, None]:
    seen = 0
    async for chunk in request.stream():
        seen += len(chunk)
        if seen > limit:
            raise Refused(f"The upload is larger than {MAX_UPLOAD_MB} MB.", 413)
        yield chunk


async def checked_form(request: Request) -> FormData:
    """The POSTed form, once its CSRF value is checked; uploads held in memory, the body capped."""
    limit = MAX_UPLOAD_MB * 1024 * 1024
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        raise Refused(f"The upload is larger than {MAX_UPLOAD_MB} MB.", 413)
    try:
        if request.headers.get("content-type", "").startswith("multipart/form-data"):
            form = await _InMemory(request.headers, _capped(request, limit), max_files=1, max_fields=50).parse()
        else:
            form = await FormParser(request.headers, _capped(request, limit), max_fields=200_000).parse()
    except MultiPartException as exc:
        raise Refused(f"The form could not be read ({exc}).", 400) from None
    csrf = form.get("csrf")
    if not _same(csrf if isinstance(csrf, str) else None, request.app.state.keys.csrf):
        raise Refused("This form has expired or did not come from this page: go back, reload it and try again.")
    return form
