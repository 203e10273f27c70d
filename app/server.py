"""The HTTP server's own limits, for ``alliances serve`` (uvicorn): slow and greedy clients.

uvicorn closes idle keep-alive connections (``timeout_keep_alive``), caps concurrent connections
and tasks (``limit_concurrency``: past it, new requests get 503), the listen backlog, and the size
of an incomplete request head (``h11_max_incomplete_event_size``: a longer one gets 400). It has no
deadline for a request head that arrives slowly, byte by byte (slowloris): ``SlowHeadProtocol``
adds one, closing a connection whose request head is not complete ``header_timeout`` seconds
after its first byte (or after the connection opened). What is left to a reverse proxy is in
SECURITY.md.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from app.security import MAX_HEAD_BYTES

HEADER_TIMEOUT = 10.0  # seconds for a request head to arrive whole
KEEP_ALIVE = 5  # seconds an idle keep-alive connection stays open
LIMIT_CONCURRENCY = 256  # connections + tasks at once; past it, 503
BACKLOG = 128  # connections waiting to be accepted


class SlowHeadProtocol(H11Protocol):
    """uvicorn's h11 protocol, plus a deadline for each request head (see the module docstring)."""

    header_timeout: float = HEADER_TIMEOUT

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._head_timer: asyncio.TimerHandle | None = None
        self._arm()

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self.transport.close()

    def data_received(self, data: bytes) -> None:
        waiting = self.cycle is None or self.cycle.response_complete
        if waiting:
            self._arm()
        before = self.cycle
        super().data_received(data)
        if self.cycle is not before:  # a request head is complete: its request is being served
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def server_limits(header_timeout: float = HEADER_TIMEOUT) -> dict[str, Any]:
    """Keyword arguments for ``uvicorn.run``: the limits above."""
    # The module's own class for the default (worker processes are spawned and must be able to
    # import it by name); a subclass only for another timeout (tests, one process).
    protocol = (
        SlowHeadProtocol
        if header_timeout == HEADER_TIMEOUT
        else type("SlowHeadProtocol", (SlowHeadProtocol,), {"header_timeout": header_timeout})
    )
    return {
        "http": protocol,
        "timeout_keep_alive": KEEP_ALIVE,
        "limit_concurrency": LIMIT_CONCURRENCY,
        "backlog": BACKLOG,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
    }
