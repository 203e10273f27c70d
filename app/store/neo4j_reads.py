"""How the Neo4j store reads: each read bounded, ended when given up on, retried briefly, and never a
login Neo4j will refuse once too often.

``Reads.read(work, seconds)`` runs ``work(tx)`` in a read transaction on the ``ReadGate``'s threads and
waits for it at most ``seconds``. Four things keep a failing Neo4j from holding the explorer:

- **Stuck reads end.** A read given up on is not left to wait: its connection is shut (``cancel``),
  which ends the blocked receive at once, and it is not tried again. Its socket also has a read
  timeout for the read's duration (the query timeout plus a second), so a read whose connection
  could not be shut ends by itself. Without them a read on a connection to a server that vanished
  without a word (a frozen host, a network that drops packets, a restart behind it) waited for the
  server's ``connection.recv_timeout_seconds`` hint, 120 s, holding its slot; with every slot so held,
  the explorer refused every request for minutes after Neo4j answered again.
- **Brief retries.** A read the driver could retry (a connection that broke, a database starting)
  is tried again after 0.05, 0.1, 0.2... s while the time lasts, rather than after the driver's own
  back-off of 1, 2, 4 s: answers come back within a fraction of a second of Neo4j answering. A
  failure that trying again within the request cannot mend is not tried again (``_hopeless``): a
  connection refused, a host name that does not resolve, TLS refused either way, a login refused;
  retried, it spent the request's whole time on a 503 that was certain at once, and on a loaded
  machine the time ran out first, hiding why (the next request tries afresh).
- **Logins** (``Logins``): while none has succeeded, one read at a time logs in; after a refused
  login none is tried for 30 s, after two in a row none at all, so the explorer never trips Neo4j's
  lock of the user for every client.
- **Causes kept.** A read not answered in time says why its last try failed, or else why the last
  read failed, if one failed since the last answer: the time may run out while the driver is still
  trying an address that cannot work.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from app.errors import StoreUnavailable
from app.store.neo4j_driver import ReadGate, causes_of, from_driver, unavailable

T = TypeVar("T")

MAX_FAILED_LOGINS = 2  # one fewer than Neo4j's default auth_max_failed_attempts (3)
LOGIN_RETRY_SECONDS = 30.0
FIRST_RETRY = 0.05  # seconds before a read is tried again; doubled each time, at most LAST_RETRY
LAST_RETRY = 0.8
CAUSE_KEPT = 60.0  # seconds a failure explains later reads not answered in time


class Logins:
    """Keeps a process from trying logins Neo4j will refuse, before it trips Neo4j's lock for every
    client of that user.

    Neo4j counts a user's failed logins until one succeeds; from the third on, each failure locks
    the user for every client for a few seconds, the right password refused too. So until a login
    has succeeded, one read at a time may log in (``first``), and after a refused login none is tried
    for ``retry_seconds``; after ``max_failed`` refusals in a row none is tried again at all, and every
    read is refused at once saying so: the credentials are the environment's, and only a restart
    with others can make a login succeed. A login that succeeds forgets the refusals."""

    def __init__(self, max_failed: int = MAX_FAILED_LOGINS, retry_seconds: float = LOGIN_RETRY_SECONDS) -> None:
        self.max_failed = max_failed
        self.retry_seconds = retry_seconds
        self.first = threading.Lock()  # held by the one read that may log in while none has succeeded
        self._lock = threading.Lock()
        self.succeeded = False
        self.failures = 0
        self._refused: StoreUnavailable | None = None
        self._retry_at = 0.0

    def check(self) -> None:
        """Refuse at once (``StoreUnavailable``) while no login may be tried."""
        with self._lock:
            refused, failures, retry_at = self._refused, self.failures, self._retry_at
        if refused is None:
            return
        if failures >= self.max_failed:
            raise StoreUnavailable(
                f"{refused.message}. Neo4j refused {failures} logins in a row; the explorer does not try again"
                " (a further failure would lock the user out of Neo4j for every client): fix NEO4J_USER or"
                " NEO4J_PASSWORD and restart it",
                refused.detail,
                cause="login",
            )
        wait = retry_at - time.monotonic()
        if wait > 0:
            raise StoreUnavailable(
                f"{refused.message}. The explorer tries again in {wait:.0f} s, once", refused.detail, cause="login"
            )

    def outcome(self, err: BaseException | None) -> None:
        """Record how a read went: ``None`` (it succeeded, so its login did), or its failure."""
        with self._lock:
            if err is None:
                self.succeeded, self.failures, self._refused = True, 0, None
            elif isinstance(err, StoreUnavailable) and err.cause == "login":
                self.succeeded = False
                self.failures += 1
                self._refused = err
                self._retry_at = time.monotonic() + self.retry_seconds


class _Read:
    """One read: run on a gate thread, tried again briefly, ended when given up on (``cancel``)."""

    def __init__(self, reads: Reads, work: Callable[[Any], Any], budget: float) -> None:
        self.reads, self.work, self.budget = reads, work, budget
        self.given_up = False
        self.last_failure: StoreUnavailable | None = None  # the last try's, while tries go on
        self._session: Any = None
        self._lock = threading.Lock()

    def run(self) -> Any:
        from neo4j.exceptions import DriverError, Neo4jError

        reads = self.reads
        until = time.monotonic() + self.budget
        pause = FIRST_RETRY
        while True:
            try:
                return self._once()
            except (DriverError, Neo4jError, OSError) as err:
                failure = unavailable(err)
                retryable = bool(getattr(err, "is_retryable", lambda: False)()) and not _hopeless(err, failure)
                if self.given_up or not retryable or time.monotonic() + pause >= until:
                    raise reads.failed(failure) from None
                self.last_failure = failure  # why, if the time runs out before the next try ends
            except ValueError as err:  # the driver's address resolution: a port that is no number
                if not from_driver(err):
                    raise
                raise reads.failed(unavailable(err)) from None
            time.sleep(pause)
            pause = min(2 * pause, LAST_RETRY)

    def _once(self) -> Any:
        reads = self.reads
        session = reads.driver.session(
            database=reads.database, default_access_mode="READ", bookmark_manager=reads.bookmark_manager
        )
        self._hold(session)
        try:
            # The server aborts a read that runs longer than the query timeout, so a pathological
            # query cannot hold a request (and a pool connection) for long.
            with session, session.begin_transaction(timeout=reads.query_timeout) as tx:
                bolt_socket = _bolt_socket(session)
                before = bolt_socket.get_read_timeout() if bolt_socket is not None else None
                try:
                    if bolt_socket is not None:
                        bolt_socket.set_read_timeout(reads.query_timeout + 1)
                    result = self.work(tx)
                finally:
                    if bolt_socket is not None:
                        with contextlib.suppress(Exception):
                            bolt_socket.set_read_timeout(before)
        finally:
            self._hold(None)
        reads.answered()
        return result

    def _hold(self, session: Any) -> None:
        """Keep ``session`` for ``cancel`` (shut at once if the read was given up meanwhile)."""
        with self._lock:
            self._session = session
            given_up = self.given_up
        if given_up and session is not None:
            _shut(session)

    def cancel(self) -> None:
        """Give the read up: shut its session's connection, whatever it is waiting for (a BEGIN, a
        result), so its blocked receive ends, and try it no more. (A connection still being opened
        has no session yet; the driver's acquisition timeout bounds it.)"""
        with self._lock:
            self.given_up = True
            session = self._session
        if session is not None:
            _shut(session)


def _hopeless(err: BaseException, failure: StoreUnavailable) -> bool:
    """Whether trying ``err``'s read again within the request cannot mend it: nothing answers at
    Neo4j's address now (the connection refused, the host name not resolved), TLS refused either way,
    or the login refused. The driver calls some of them retryable; within one read they are not."""
    if failure.cause in ("tls", "address", "login"):
        return True
    return any(isinstance(c, (ConnectionRefusedError, socket.gaierror)) for c in (err, *causes_of(err)))


def _bolt_socket(session: Any) -> Any:
    """The driver's socket of ``session``'s connection, if any (driver internals: not public API, so
    each step is looked for and its absence tolerated)."""
    bolt_socket = getattr(getattr(session, "_connection", None), "socket", None)
    return bolt_socket if hasattr(bolt_socket, "set_read_timeout") else None


def _shut(session: Any) -> None:
    """Shut the OS socket under ``session``'s connection: a receive blocked on it ends at once."""
    raw = getattr(_bolt_socket(session), "_socket", None)
    if isinstance(raw, socket.socket):
        with contextlib.suppress(OSError):
            raw.shutdown(socket.SHUT_RDWR)


class Reads:
    """The reads of one store (see the module docstring)."""

    def __init__(
        self,
        driver: Any,
        database: str,
        bookmark_manager: Any,
        query_timeout: float,
        max_pending: int,
        logins: Logins | None = None,
    ) -> None:
        self.driver, self.database, self.bookmark_manager = driver, database, bookmark_manager
        self.query_timeout = query_timeout
        self.gate = ReadGate(max_pending)
        self.logins = logins or Logins()
        self._last_failure: tuple[float, StoreUnavailable] | None = None  # (when, what) since the last answer

    def read(self, work: Callable[[Any], T], seconds: float, since: float | None) -> T:
        """``work(tx)`` in a read transaction, waited for at most ``seconds`` (counted, for what a
        refusal says, from ``since``: the request's arrival); any failure -> StoreUnavailable."""

        reads: list[_Read] = []

        def call(left: float) -> T:
            read = _Read(self, work, left)
            reads.append(read)
            result: T = self.gate.run(read.run, left, since, cancel=read.cancel)
            return result

        try:
            return self._logged_in(call, seconds, since)
        except StoreUnavailable as err:
            own = reads[-1].last_failure if reads else None
            raise self._explained(err, own) from None

    def verify(self, seconds: float) -> None:
        """Fail at once, without retries, when Neo4j cannot be reached or refuses the login."""
        from neo4j.exceptions import DriverError, Neo4jError

        def verify(_: float) -> None:
            try:
                self.driver.verify_connectivity()
            except (DriverError, Neo4jError, OSError) as err:
                raise self.failed(unavailable(err)) from err
            except ValueError as err:
                if not from_driver(err):
                    raise
                raise self.failed(unavailable(err)) from err
            self.answered()

        self._logged_in(verify, seconds, None)

    def failed(self, failure: StoreUnavailable) -> StoreUnavailable:
        """Record that a read failed (its login too, if Neo4j refused it); returns the failure."""
        self.logins.outcome(failure)
        self._last_failure = (time.monotonic(), failure)
        return failure

    def answered(self) -> None:
        """Record that a read was answered (so its login succeeded)."""
        self.logins.outcome(None)
        self._last_failure = None

    def _explained(self, err: StoreUnavailable, own: StoreUnavailable | None = None) -> StoreUnavailable:
        """A read not answered in time says why its own last try failed (``own``), or else why the
        last read failed, when one failed since the last answer (within CAUSE_KEPT): "did not answer"
        alone hides a failure the read was still trying again when the time ran out."""
        last = self._last_failure
        if err.cause is not None:
            return err
        if own is not None:
            failure = own
        elif last is not None and time.monotonic() - last[0] <= CAUSE_KEPT:
            failure = last[1]
        else:
            return err
        return StoreUnavailable(f"{err.message}; the last failure: {failure.message}", failure.detail, failure.cause)

    def _logged_in(self, call: Callable[[float], T], seconds: float, since: float | None) -> T:
        """``call(seconds left)``, unless no login may be tried now (``Logins``); while none has
        succeeded yet, one call at a time, so concurrent requests cannot fail many logins at once."""
        self.logins.check()
        if self.logins.succeeded:
            return call(seconds)
        started = time.monotonic()
        if not self.logins.first.acquire(timeout=max(0.0, seconds)):
            waited = time.monotonic() - (since if since is not None else started)
            raise StoreUnavailable(f"Neo4j did not answer within {waited:.1f} s (logging in)")
        try:
            self.logins.check()  # the login this call waited for may have been refused
            return call(seconds - (time.monotonic() - started))
        finally:
            self.logins.first.release()
