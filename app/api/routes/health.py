"""GET /health: the backend in use, its state, and organ and edge counts.

An ``async`` route, so it never waits for the thread pool the other routes share (a frozen Neo4j
can hold those threads). The embedded store answers from memory at once. The Neo4j store is
probed on a thread of its own, one probe at a time whoever asks (``_Probe``), and the route waits
for it at most the store's ``read_deadline``: past that it answers 503 with the last state known.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app import schemas
from app.api.deps import UnpinnedStoreDep
from app.errors import StoreUnavailable
from app.redact import one_line
from app.store.base import Store

router = APIRouter(tags=["health"])

_PROBE_THREADS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="health-probe")


class _Probe:
    """The probe of one store: at most one in flight; the last outcome and when it was known."""

    def __init__(self) -> None:
        self.running: asyncio.Future[dict[str, Any]] | None = None
        self.since = 0.0  # when (monotonic) the probe in flight began
        self.last: tuple[float, int, dict[str, Any]] | None = None  # (monotonic time, status, body)

    def started(self, store: Store) -> asyncio.Future[dict[str, Any]]:
        if self.running is None or self.running.done():
            loop = asyncio.get_running_loop()
            self.running = loop.run_in_executor(_PROBE_THREADS, store.health)
            self.since = time.monotonic()
        return self.running


_probes: weakref.WeakKeyDictionary[Store, _Probe] = weakref.WeakKeyDictionary()


def _unavailable(store: Store, message: str, probe: _Probe | None = None) -> JSONResponse:
    body: dict[str, Any] = {"backend": store.backend, "state": "unavailable", "error": message}
    if probe is not None and probe.last is not None:
        when, _status, last = probe.last
        body["last_known"] = {"state": last.get("state"), "seconds_ago": round(time.monotonic() - when, 1)}
    return JSONResponse(body, status_code=503)


@router.get(
    "/health",
    summary="Backend in use, its state, organ and edge counts",
    response_model=schemas.Health,
    responses={503: {"model": schemas.HealthDown, "description": "The store cannot be reached"}},
)
async def health(store: UnpinnedStoreDep) -> Any:
    bound = getattr(store, "read_deadline", None)
    if bound is None:  # a store in memory: nothing to wait for
        try:
            return store.health()
        except StoreUnavailable as err:
            return _unavailable(store, err.message)
    probe = _probes.setdefault(store, _Probe())
    asked = time.monotonic()
    try:
        body = await asyncio.wait_for(asyncio.shield(probe.started(store)), timeout=bound + 0.5)
    except TimeoutError:
        waited = time.monotonic() - asked
        return _unavailable(store, f"Neo4j did not answer the health probe within {waited:.1f} s", probe)
    except StoreUnavailable as err:
        message = err.message
        if probe.since < asked - 0.05:  # a probe already in flight answered: its wait is not this request's
            message += f" (a health probe begun {time.monotonic() - probe.since:.1f} s ago; this request waited"
            message += f" {time.monotonic() - asked:.1f} s for it)"
        response = _unavailable(store, message, probe)
        probe.last = (time.monotonic(), 503, {"state": "unavailable"})
        return response
    except Exception as err:  # never a traceback; the state says what is known
        return _unavailable(store, one_line(err), probe)
    probe.last = (time.monotonic(), 200, body)
    return body
