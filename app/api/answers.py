"""Answers computed once: the bytes of a question's answer, kept per (route, query, data version).

The data cannot change between two reloads (or two Neo4j loads) and a question is a plain function
of its parameters and the data, so a question route's 200 answer is a function of the request's
path, its query parameters and the store's data version alone. ``AnswerCache`` (pure ASGI
middleware, innermost, so CORS and the security headers still apply to what it replays) keeps the
status, headers and body of such answers and replays them: a repeated question costs no parameter
parsing, no question and no serialisation.

The key is (path, query items sorted by name, store backend, data version):

- every parameter the route takes is in it, whatever its name (routes gain parameters; nothing here
  lists them). Items are sorted by name only, so the values of a repeated parameter keep their
  order (``alliances=a&alliances=b`` sets the column order of ``/compare``). Two spellings of one
  question (``kinds=authority`` and ``kinds=AUTHORITY``) are two entries with equal bytes: a little
  memory, never a wrong answer;
- the version is ``Store.version()``: a reload generation (embedded, unique in the process) or the
  Neo4j load checksum (checked at most every ``META_TTL``). It is read *before* the answer is
  computed, so an answer computed across a reload can only be filed under the older version, which
  no request asks for again; a reload therefore invalidates every answer at once, without a flush.

Only GET requests of the question routes (``app.api.routes.questions``) are cached, and only their
200 answers: errors are recomputed, so a store that comes back after a 503 answers at once. A
request with ``If-None-Match`` is answered 304 from the cache when the cached answer's ``ETag``
matches, and otherwise passed through. The cache is bounded by bytes
(``ALLIANCE_ANSWER_CACHE_MB``); see ``app.cache.ByteLRU``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool

from app.cache import ByteLRU
from app.errors import ExplorerError
from app.security import ASGIApp, Message, Receive, Scope, Send

ENTRY_OVERHEAD = 300  # the key's strings and tuples, the entry's own objects

Key = tuple[str, tuple[tuple[str, str], ...], str, str]
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def answer_bytes(answer: Answer) -> int:
    _, headers, body = answer
    return ENTRY_OVERHEAD + len(body) + sum(len(k) + len(v) + 60 for k, v in headers)


def query_key(query_string: bytes) -> tuple[tuple[str, str], ...]:
    """The query's items, sorted by name (stable: a repeated parameter's values keep their order).

    Examples
    --------
    >>> query_key(b"b=2&a=1&alliances=x&alliances=w")
    (('a', '1'), ('alliances', 'x'), ('alliances', 'w'), ('b', '2'))
    """
    items = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return tuple(sorted(items, key=lambda kv: kv[0]))


def _etag_matches(if_none_match: bytes, headers: list[tuple[bytes, bytes]]) -> bytes | None:
    etag = next((v for k, v in headers if k == b"etag"), None)
    if etag is None:
        return None
    wanted = {t.strip() for t in if_none_match.split(b",")}
    return etag if (b"*" in wanted or etag in wanted or etag.removeprefix(b"W/") in wanted) else None


class AnswerCache:
    """ASGI middleware replaying cached 200 answers of ``paths`` (see the module docstring)."""

    def __init__(self, app: ASGIApp, paths: Iterable[str], max_bytes: int, store: Any = None) -> None:
        self.app = app
        self.paths = frozenset(paths)
        self.answers: ByteLRU[Key, Answer] = ByteLRU(max_bytes, answer_bytes)
        self._store = store  # a callable returning the store in use (default: app.api.deps.get_store)
        self.hits = 0
        self.misses = 0

    def _get_store(self) -> Any:
        if self._store is not None:
            return self._store()
        from app.api.deps import get_store

        return get_store()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"] not in self.paths
            or self.answers.max_bytes <= 0
        ):
            await self.app(scope, receive, send)
            return
        try:
            store = self._get_store()
            version = store.known_version()
            if version is None:
                version = await run_in_threadpool(store.version)
        except ExplorerError:  # the store is down or broken: the route answers that (503)
            version = None
        if version is None:
            await self.app(scope, receive, send)
            return
        key: Key = (scope["path"], query_key(scope.get("query_string", b"")), store.backend, version)
        cached = self.answers.get(key)
        if_none_match = next((v for k, v in scope.get("headers", ()) if k == b"if-none-match"), None)
        if cached is not None:
            status, headers, body = cached
            if if_none_match is not None:
                etag = _etag_matches(if_none_match, headers)
                if etag is None:
                    await self.app(scope, receive, send)
                    return
                self.hits += 1
                await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag)]})
                await send({"type": "http.response.body", "body": b""})
                return
            self.hits += 1
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        if if_none_match is not None:
            await self.app(scope, receive, send)
            return
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
                    self.answers.put(key, (200, headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)
