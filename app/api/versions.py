"""Every answer carries the data version it was computed from as its ``ETag``; ``If-None-Match`` gets a 304.

The version is the load checksum (``app.store.neo4j_load.content_checksum``; the embedded store
computes the same value from its seeds, ``dataset_checksum``). A request's store is pinned at one
version (``app.api.deps.store_dependency``), so the ``ETag`` names the one version every part of
the answer rests on: an answer never mixes two loads, and two API processes that send the same
``ETag`` for a URL send the same answer.

An answer that counts a selection of the loaded sources (``sources=ID,ID``, CONTRACT.md §2
"Sources") names the set too: its ``ETag`` is the version followed by the ids asked for, sorted
(``counted_version``), so two selections never share one.

Only successful ``GET``/``HEAD`` answers of routes that read the store carry it; ``/health`` is a
live probe and never answers 304. A matching ``If-None-Match`` (weak comparison, ``*`` included,
as RFC 9110 §13.1.2 asks) turns the 200 into a 304 with the ``ETag`` and no body.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from app.security import ASGIApp, Message, Receive, Scope, Send

SCOPE_KEY = "alliance_explorer.version"
UNVERSIONED = ("/health",)
# Headers that describe a body; a 304 has none (RFC 9110 §15.4.5 keeps the validators and caching ones).
_BODY_HEADERS = {b"content-length", b"content-type", b"content-encoding", b"transfer-encoding", b"content-disposition"}


def record_version(scope: MutableMapping[str, Any], version: str | None) -> None:
    """Note the data version a request's answer is computed from (the store dependency calls this)."""
    holder = scope.get(SCOPE_KEY)
    if holder is not None and version:
        holder["version"] = version


def counted_version(version: str, query_string: bytes) -> str:
    """``version`` naming the sources a request counts (``sources=``, repeated or a comma list), when
    it names any: the ids sorted, after ``+``.

    >>> counted_version("ab12", b"as_of=2009&sources=tour-note,finnegan-2009")
    'ab12+finnegan-2009+tour-note'
    >>> counted_version("ab12", b"as_of=2009")
    'ab12'
    """
    from urllib.parse import parse_qsl

    named = sorted(
        {
            part.strip()
            for key, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
            if key == "sources"
            for part in value.split(",")
            if part.strip()
        }
    )
    return "+".join([version, *named])


def etag(version: str) -> str:
    """The ``ETag`` of a data version.

    >>> etag("ab12")
    '"ab12"'
    """
    return f'"{version}"'


def none_match(header: str, tag: str) -> bool:
    """Whether an ``If-None-Match`` header matches ``tag`` (weak comparison).

    >>> none_match('"a", W/"b"', '"b"'), none_match("*", '"c"'), none_match('"a"', '"c"')
    (True, True, False)
    """
    wanted = tag.removeprefix("W/")
    for item in header.split(","):
        item = item.strip()
        if item == "*" or item.removeprefix("W/") == wanted:
            return True
    return False


class DataVersion:
    """Pure ASGI middleware: the ``ETag`` of the pinned version on each answer, and the 304."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD") or scope.get("path") in UNVERSIONED:
            await self.app(scope, receive, send)
            return
        holder: dict[str, str] = {}
        scope[SCOPE_KEY] = holder
        condition = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"if-none-match"), None)
        not_modified = False

        async def send_versioned(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start":
                version = holder.get("version")
                if version and message["status"] == 200:
                    tag = etag(counted_version(version, scope.get("query_string", b"")))
                    headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"etag"]
                    headers.append((b"etag", tag.encode("latin-1")))
                    if condition is not None and none_match(condition, tag):
                        not_modified = True
                        headers = [(k, v) for k, v in headers if k.lower() not in _BODY_HEADERS]
                        message = {**message, "status": 304, "headers": headers}
                    else:
                        message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and not_modified:
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(scope, receive, send_versioned)
