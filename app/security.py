"""Security headers on every response, and the API-key check for the one write route (reload)."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Every page (the explorer, and /docs and /redoc, served from local files) loads only its own
# scripts, styles and images.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

BASE_HEADERS: list[tuple[bytes, bytes]] = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]

ALL_HEADERS = [*BASE_HEADERS, (b"content-security-policy", CONTENT_SECURITY_POLICY.encode())]


class SecurityHeaders:
    """Pure ASGI middleware (no per-request task switching) that adds the headers above."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = ALL_HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def api_key_matches(configured: str | None, given: str | None) -> bool:
    """Constant-time comparison; no key configured means the protected route is off."""
    if not configured or not given:
        return False
    return hmac.compare_digest(configured.encode(), given.encode())


class HeadAsGet:
    """Answers ``HEAD`` on every ``GET`` route as ``GET`` would, headers included, without the body.

    FastAPI registers a route for the methods it is declared with, so ``HEAD`` would be a 405;
    HTTP (and SECURITY.md) want it wherever ``GET`` is. The request is passed on as a ``GET``
    (a route that does not take ``GET`` still answers 405), and every body chunk is dropped.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_without_body)


MAX_HEAD_BYTES = 16 * 1024  # of the request line and headers together


class RequestHeadLimit:
    """Answers 431 (JSON) to a request whose target and headers exceed ``MAX_HEAD_BYTES``.

    The server's own cap (``h11_max_incomplete_event_size``) only holds for a head that arrives in
    pieces; a large head sent at once would otherwise reach the routes whole.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            size += sum(len(k) + len(v) + 4 for k, v in scope.get("headers") or [])
            if size > MAX_HEAD_BYTES:
                body = b'{"error":"the request line and headers are too large (at most 16 KB)"}'
                await send(
                    {
                        "type": "http.response.start",
                        "status": 431,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            *BASE_HEADERS,
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
