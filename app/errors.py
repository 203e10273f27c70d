"""The explorer's errors, each of which the API and the CLI turn into a clear message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class ExplorerError(Exception):
    """Base of the errors an analyst can cause or meet; ``message`` is for a human."""

    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def payload(self) -> dict[str, object]:
        return {"error": self.message}


SHOWN_CHARS = 100  # of a value echoed in an error message; the rest is cut with an ellipsis


def shown(value: object, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)``, cut to about ``limit`` characters, so an error never echoes a huge input whole.

    >>> len(shown("x" * 500)), shown("x" * 500)[-2:]
    (101, 'x…')
    """
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class UnknownId(ExplorerError):
    """An organ or alliance id that is not in the data; offers close matches."""

    status = 404

    def __init__(
        self,
        what: str,
        value: str,
        known: Iterable[str],
        parameter: str | None = None,
        suggestions: list[str] | None = None,
    ) -> None:
        self.what, self.parameter = what, parameter
        self.value = value if len(value) <= SHOWN_CHARS else value[:SHOWN_CHARS] + "…"
        # Close matches of a very long value would cost more than they help.
        if suggestions is not None:
            self.close_matches = suggestions
        else:
            self.close_matches = close_matches(value, known) if len(value) <= SHOWN_CHARS else []
        hint = f"; did you mean {', '.join(self.close_matches)}?" if self.close_matches else ""
        named = f"{parameter}: " if parameter else ""
        super().__init__(f"{named}unknown {what} id {shown(value)}{hint}")

    def payload(self) -> dict[str, object]:
        body: dict[str, object] = {"error": self.message, "id": self.value, "close_matches": self.close_matches}
        if self.parameter:
            body["parameter"] = self.parameter
        return body


class AmbiguousId(ExplorerError):
    """An acronym, alias or name that names more than one organ or alliance; lists the candidates."""

    status = 422

    def __init__(self, what: str, value: str, parameter: str, candidates: list[dict[str, object]]) -> None:
        self.what, self.value, self.parameter, self.candidates = what, value, parameter, candidates
        listed = ", ".join(f"{c['id']} ({c['name']})" for c in candidates)
        super().__init__(f"{parameter}: {value!r} names {len(candidates)} {what}s: {listed}; give one id")

    def payload(self) -> dict[str, object]:
        return {"error": self.message, "parameter": self.parameter, "id": self.value, "candidates": self.candidates}


class BadParameter(ExplorerError):
    """A parameter whose value cannot be used; names the parameter."""

    status = 422

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}")

    def payload(self) -> dict[str, object]:
        return {"error": self.message, "parameter": self.parameter}


class StoreUnavailable(ExplorerError):
    """The store (Neo4j) cannot be reached or answered with an error.

    ``message`` is for a person; ``detail``, when given, is the driver's own (one-line) reason,
    kept apart so the message says what to check rather than how the driver failed.
    """

    status = 503
    UNREACHABLE = "the Neo4j store cannot be reached: check that Neo4j is running and that NEO4J_URI names it"

    def __init__(self, message: str, detail: str | None = None, cause: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail
        # What failed, for the code that reacts to it: "login" (Neo4j refused the credentials, or
        # locked the user after too many refusals), "tls", "address", "unreachable"; None otherwise.
        self.cause = cause

    @classmethod
    def unreachable(cls, err: BaseException) -> StoreUnavailable:
        """The error for a driver or network failure: a message saying what to check, the reason apart."""
        from app.redact import one_line

        return cls(cls.UNREACHABLE, one_line(err))

    def payload(self) -> dict[str, object]:
        body: dict[str, object] = {"error": self.message}
        if self.detail:
            body["detail"] = self.detail
        return body


def close_matches(value: str, known: Iterable[str], n: int = 5) -> list[str]:
    """Ids close to ``value``: spelling neighbours first, then ids containing it."""
    pool = list(known)
    found = difflib.get_close_matches(value, pool, n=n, cutoff=0.6)
    needle = value.lower()
    for candidate in sorted(pool):
        if len(found) >= n:
            break
        if needle and needle in candidate.lower() and candidate not in found:
            found.append(candidate)
    return found
