"""The Neo4j driver: opened with bounded waits and the TLS the URI (or ``NEO4J_TRUSTED_CA``) asks for,
its failures told as ``StoreUnavailable``, and reads waited for at most a deadline (``ReadGate``).

What the store and the loader share about talking to the server; what they ask of it is theirs
(``app.store.neo4j_store``, ``app.store.neo4j_load``). Messages never carry the URI, the
credentials or the resolved address (``app.redact``).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, TypeVar

from app.config import Settings
from app.errors import StoreUnavailable
from app.redact import credentials_problem, one_line, redact_text

T = TypeVar("T")

# How the driver (and Python's ssl) say that a server's certificate could not be verified.
_CERT_UNVERIFIED = ("SSLCertVerificationError", "CERTIFICATE_VERIFY_FAILED")


def open_driver(uri: str, user: str, password: str, timeout: float, trusted_ca: Path | None = None) -> Any:
    """A driver whose every wait (connect, pool, retries) is bounded by about ``timeout`` seconds.

    TLS is chosen by the URI scheme: ``neo4j+s://`` / ``bolt+s://`` verify the server's certificate
    against the system's CAs (Aura), ``+ssc`` encrypts but accepts a self-signed certificate.
    ``trusted_ca`` (``NEO4J_TRUSTED_CA``), a PEM file, encrypts a plain ``neo4j://`` / ``bolt://``
    URI and verifies the server against that CA: a cluster with a private CA.

    The driver retries a failed transaction after waiting 1, 2, 4... s, for as long as its retry
    budget (counted from the first failure) is not spent; a connection attempt is bounded by the
    connection timeout (TCP) and the acquisition timeout (the Bolt handshake). Giving each a third
    of ``timeout`` bounds the worst case, a server that accepts connections but never answers, at
    two attempts and one back-off: ``2 * timeout / 3 + 1`` s (4.3 s for the default 5); a refused
    port fails in about 3 s.
    """
    import neo4j

    tls: dict[str, Any] = {}
    if trusted_ca is not None:
        if "+s" in uri.split("://", 1)[0]:
            raise ValueError(
                "NEO4J_TRUSTED_CA needs a neo4j:// or bolt:// URI; the +s and +ssc schemes choose their own trust"
            )
        tls = {"encrypted": True, "trusted_certificates": neo4j.TrustCustomCAs(str(trusted_ca))}
    return neo4j.GraphDatabase.driver(
        uri,
        auth=(user, password),
        **tls,
        connection_timeout=timeout / 3,
        connection_acquisition_timeout=timeout / 3,
        max_transaction_retry_time=timeout / 3,
        # The queries are fixed and tested; on an empty database the server would still warn that
        # :Meta "does not exist" on every check, flooding the log.
        notifications_min_severity="OFF",
    )


def driver_from_settings(settings: Settings) -> Any:
    """The driver ``NEO4J_URI`` (and its user, password, timeout and CA) asks for; nothing is contacted.
    A URI it cannot use is ``StoreUnavailable`` saying why, redacted."""
    if not settings.neo4j_uri:
        raise ValueError("NEO4J_URI is not set")
    refused = credentials_problem(settings.neo4j_uri)
    if refused:  # refused before the driver sees it: the driver's messages quote the URI
        raise StoreUnavailable(f"NEO4J_URI cannot be used: {refused}")
    try:
        return open_driver(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            settings.neo4j_timeout_seconds,
            settings.neo4j_trusted_ca,
        )
    except Exception as err:  # ConfigurationError (a malformed URI) is no ValueError in neo4j 6
        # Redacted, and not chained: the driver's message may quote the URI.
        raise StoreUnavailable(f"NEO4J_URI cannot be used: {one_line(err)}") from None


def read_deadline_for(timeout: float) -> float:
    """The longest a caller waits for Neo4j: the driver's own worst case (``open_driver``).

    >>> round(read_deadline_for(5.0), 2)
    4.33
    """
    return 2 * timeout / 3 + 1


# Neo4j's codes for a refused login: wrong credentials, and the lock that follows too many of them
# (``dbms.security.auth_max_failed_attempts``, 3 by default, each later failure locking the user
# for ``dbms.security.auth_lock_time``, 5 s: for every client of that user, right password or not).
_LOGIN_REFUSED = "Neo.ClientError.Security.Unauthorized"
_LOGIN_LOCKED = "Neo.ClientError.Security.AuthenticationRateLimit"
_TLS = ("SSLError", "SSLEOFError", "SSLCertVerificationError", "CERTIFICATE_VERIFY_FAILED", "encrypted connection")

LOGIN_REFUSED = (
    "Neo4j refused the login: authentication failed for NEO4J_USER with NEO4J_PASSWORD; check them"
    " (or the user in Neo4j)"
)
LOGIN_LOCKED = (
    "Neo4j refused the login: too many failed logins for NEO4J_USER, so Neo4j locks that user for a"
    " few seconds after each further failure; check NEO4J_PASSWORD"
)


def from_driver(err: BaseException) -> bool:
    """Whether ``err`` was raised inside the Neo4j driver (its address resolution raises plain
    ``ValueError`` for a port that is not a number, which must not pass for a bug of ours)."""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and str(tb.tb_frame.f_globals.get("__name__", "")).startswith("neo4j")


def unavailable(err: BaseException) -> StoreUnavailable:
    """A driver's or server's failure as ``StoreUnavailable``: one line saying what failed and what to
    check (a refused login, TLS, an address that cannot be resolved, a server not answering), the
    driver's reason apart (``detail``), redacted."""
    reason = " ".join(str(err).split()) or type(err).__name__
    causes = [" ".join(str(c).split()) for c in causes_of(err)]
    texts = (reason, *causes, *(type(c).__name__ for c in (err, *causes_of(err))))
    code = str(getattr(err, "code", "") or "")
    if causes and "routing information" in reason:
        # A routing URI (neo4j://) hides why it could not reach a router; say it.
        reason += f" ({causes[-1]})"
    detail = redact_text(reason)
    if code == _LOGIN_REFUSED:
        return StoreUnavailable(LOGIN_REFUSED, detail, cause="login")
    if code == _LOGIN_LOCKED:
        return StoreUnavailable(LOGIN_LOCKED, detail, cause="login")
    if any(mark in text for text in texts for mark in _CERT_UNVERIFIED):
        return StoreUnavailable(
            "Neo4j's TLS certificate is not trusted: for a self-signed one use neo4j+ssc:// (encrypted,"
            " unverified), or a neo4j:// URI with NEO4J_TRUSTED_CA naming its CA (encrypted and verified)",
            detail,
            cause="tls",
        )
    if any(mark in text for text in texts for mark in _TLS):
        return StoreUnavailable(
            "Neo4j could not be reached over TLS: NEO4J_URI asks for an encrypted connection (+s, +ssc or"
            " NEO4J_TRUSTED_CA) that the server at that address does not offer, or the other way round",
            detail,
            cause="tls",
        )
    if any("resolve address" in text for text in texts):
        if any("Servname not supported" in text for text in texts):  # EAI_SERVICE: the port, not the host
            return StoreUnavailable(
                "NEO4J_URI names no usable address: its port is not a number (bolt://HOST:PORT)",
                detail,
                cause="address",
            )
        return StoreUnavailable(
            "the host NEO4J_URI names cannot be resolved (DNS): check the host name in NEO4J_URI",
            detail,
            cause="address",
        )
    # One line saying what to check; the driver's reason apart, in ``detail``, redacted:
    # neither the URI nor the address the driver resolved it to (SECURITY.md).
    return StoreUnavailable(StoreUnavailable.UNREACHABLE, detail, cause="unreachable")


def causes_of(err: BaseException) -> list[BaseException]:
    """The exceptions behind ``err`` (causes, contexts, members of exception groups), outermost first."""
    found: list[BaseException] = []
    todo = [err]
    while todo and len(found) < 20:
        current = todo.pop(0)
        behind = [*getattr(current, "exceptions", ()), current.__cause__ or current.__context__]
        for e in behind:
            if e is not None and e is not err and e not in found:
                found.append(e)
                todo.append(e)
    return found


class ReadGate:
    """Store reads on a few threads of their own, each waited for at most a deadline.

    A read that passes its deadline is given up on (the caller gets ``StoreUnavailable``) but keeps
    its thread and slot until the driver returns; ``max_pending`` slots bound the threads (and
    connections) a frozen server can hold. Waiting for a slot counts against the same deadline.
    """

    def __init__(self, max_pending: int) -> None:
        self.max_pending = max(1, max_pending)
        self._slots = threading.BoundedSemaphore(self.max_pending)
        self._lock = threading.Lock()
        self.abandoned = 0  # reads given up on that have not returned yet
        self._tasks: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._workers: list[threading.Thread] = []
        self._idle = 0  # workers waiting for a task (or about to)

    def _submit(self, task: Callable[[], None]) -> None:
        """Hand ``task`` to a worker: one of at most ``max_pending`` daemon threads, started when
        first needed and kept (starting a thread per read cost more than a seed-scale read). Daemon
        threads, not a ThreadPoolExecutor's, so a read stuck on a frozen server cannot keep the
        process from exiting; the slots bound the tasks, so a free worker is always coming."""
        with self._lock:
            if self._idle == 0 and len(self._workers) < self.max_pending:
                worker = threading.Thread(target=self._work, name="neo4j-read", daemon=True)
                self._workers.append(worker)
                self._idle += 1
                worker.start()
            self._idle -= 1
        self._tasks.put(task)

    def _work(self) -> None:
        while True:
            task = self._tasks.get()
            try:
                task()
            finally:
                with self._lock:
                    self._idle += 1

    def _forget(self, _: Future[Any]) -> None:
        with self._lock:
            self.abandoned -= 1

    def run(
        self,
        work: Callable[[], T],
        seconds: float,
        since: float | None = None,
        cancel: Callable[[], None] | None = None,
    ) -> T:
        """``work()`` on a thread of the gate, waited for at most ``seconds``; ``since`` (monotonic) is
        when the caller began to wait for the store (a request's arrival: its reads share one budget),
        from which a refusal counts the time it says was waited. ``cancel`` is called when the work
        is given up on (the store's reads shut their connection: ``app.store.neo4j_reads``)."""
        started = time.monotonic()
        since = started if since is None else since

        def waited() -> str:
            return f"{time.monotonic() - since:.1f} s"

        if seconds <= 0:
            raise StoreUnavailable(f"Neo4j did not answer within {waited()} (the request's time for the store)")
        with self._lock:
            stuck = self.abandoned
        if stuck >= self.max_pending:
            raise StoreUnavailable(
                f"Neo4j has not answered its last {stuck} reads (the most that may wait on it): "
                "it looks frozen or overloaded; try again shortly"
            )
        if not self._slots.acquire(timeout=seconds):
            raise StoreUnavailable(f"Neo4j did not answer within {waited()} (every read slot is waiting on it)")

        future: Future[T] = Future()

        def guarded() -> None:
            try:
                future.set_result(work())
            except BaseException as err:  # handed to the caller, whatever it is
                future.set_exception(err)
            finally:
                self._slots.release()

        self._submit(guarded)
        try:
            return future.result(timeout=max(0.0, seconds - (time.monotonic() - started)))
        except FutureTimeout:
            with self._lock:
                self.abandoned += 1
            future.add_done_callback(self._forget)
            if cancel is not None:
                cancel()
            raise StoreUnavailable(f"Neo4j did not answer within {waited()}") from None
