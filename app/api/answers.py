"""Answers computed once: the bytes of a question's answer, kept per (route, query, data version).

The data cannot change between two reloads (or two Neo4j loads) and a question is a plain function
of its parameters and the data, so a question route's 200 answer is a function of the request's
path, its query parameters, the store's data version and the scenarios it knows. ``AnswerCache``
(pure ASGI middleware, innermost, so CORS, the ``ETag`` and the security headers still apply to
what it replays) keeps the status, headers and body of such answers and replays them: a repeated
question costs no parameter parsing, no question and no serialisation.

The key is (path, query items sorted by name, store backend, data version, scenario set):

- every parameter the route takes is in it, whatever its name (routes gain parameters; nothing here
  lists them). Items are sorted by name only, so the values of a repeated parameter keep their
  order (``columns=a&columns=b`` sets the column order of ``/compare``). Two spellings of one
  question (``kinds=authority`` and ``kinds=AUTHORITY``) are two entries with equal bytes: a little
  memory, never a wrong answer;
- the version is the pinned store's ``version()`` (the load checksum, which the embedded store
  computes from its seeds alike). The middleware pins the request's store itself and hands the
  view to the route (``app.api.deps.store_dependency``), so the answer it files is computed from
  exactly the version in its key; a reload changes the version and so every answer at once,
  without a flush;
- the scenario set is ``Store.scenarios_token()``: the shipped scenarios, or a token unique in the
  process for a set given by ``--scenario-file`` or a test, so a scenario id never names two
  different files' answers.

Only GET requests of the question routes (``app.api.routes.questions``) are cached, and only their
200 answers: errors are recomputed, so a store that comes back after a 503 answers at once, and a
request that ran out of time is asked again in full. ``If-None-Match`` is answered by
``app.api.versions.DataVersion`` (outside) from the replayed answer's version. The cache is bounded
by bytes (``ALLIANCE_ANSWER_CACHE_MB``; ``app.cache.ByteLRU``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl

from starlette.concurrency import run_in_threadpool

from app.api.versions import record_version
from app.cache import ByteLRU
from app.errors import ExplorerError
from app.security import ASGIApp, Message, Receive, Scope, Send

ENTRY_OVERHEAD = 300  # the key's strings and tuples, the entry's own objects
PINNED = "alliance_explorer.pinned"  # the scope key of the store view pinned for the request
PIN_FAILED = "alliance_explorer.pin_failed"  # ... or of the error pinning it met (not tried twice)

Key = tuple[str, tuple[tuple[str, str], ...], str, str, str]
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def answer_bytes(answer: Answer) -> int:
    _, headers, body = answer
    return ENTRY_OVERHEAD + len(body) + sum(len(k) + len(v) + 60 for k, v in headers)


def query_key(query_string: bytes) -> tuple[tuple[str, str], ...]:
    """The query's items, sorted by name (stable: a repeated parameter's values keep their order).

    Examples
    --------
    >>> query_key(b"b=2&a=1&columns=x&columns=w")
    (('a', '1'), ('b', '2'), ('columns', 'x'), ('columns', 'w'))
    """
    items = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    return tuple(sorted(items, key=lambda kv: kv[0]))


async def pin(scope: Scope, get_store: Callable[[], Any]) -> Any:
    """The store view the request answers from (``Store.pinned``), pinned once per request.

    The first caller (this middleware, else the store dependency) pins it and keeps it in the
    scope, or the error it met, which a second caller meets again without asking the store twice
    within one request's time; ``pinned()`` waits on a thread only when the Neo4j store must
    re-check its load checksum.
    """
    view = scope.get(PINNED)
    if view is None:
        failed = scope.get(PIN_FAILED)
        if failed is not None:
            raise failed
        store = get_store()
        try:
            view = store.pinned_if_cached()
            if view is None:
                view = await run_in_threadpool(store.pinned)
        except ExplorerError as err:
            scope[PIN_FAILED] = err
            raise
        scope[PINNED] = view
    return view


class AnswerCache:
    """ASGI middleware replaying cached 200 answers of ``paths`` (see the module docstring)."""

    def __init__(self, app: ASGIApp, paths: Iterable[str], max_bytes: int, store: Callable[[], Any]) -> None:
        self.app = app
        self.paths = frozenset(paths)
        self.answers: ByteLRU[Key, Answer] = ByteLRU(max_bytes, answer_bytes)
        self._store = store  # a callable returning the store in use (app.main gives app.api.deps.get_store)
        self.hits = 0
        self.misses = 0

    def _get_store(self) -> Any:
        return self._store()

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
            view = await pin(scope, self._get_store)
            version = view.version()
        except ExplorerError:  # the store is down or broken: the route meets it and answers (503)
            await self.app(scope, receive, send)
            return
        if not version:  # an empty database: nothing to name the answer by
            await self.app(scope, receive, send)
            return
        query = query_key(scope.get("query_string", b""))
        key: Key = (scope["path"], query, view.backend, version, view.scenarios_token())
        cached = self.answers.get(key)
        if cached is not None:
            self.hits += 1
            record_version(scope, version)
            status, headers, body = cached
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        self.misses += 1
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and start.get("status") == 200:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", []) if bytes(k) != b"etag"]
                    self.answers.put(key, (200, headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, capture)
