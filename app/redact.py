"""Keep credentials and addresses out of what the explorer prints and answers.

Two uses, two strengths:

- ``redact_uri`` is for an operator's own terminal (``alliances load`` says where it loads): the
  URI without its user and password.
- ``redact_text`` is for anything a client or a log may see (``/health``, every 503, the CLI's
  one-line errors): the configured secrets, every URI, every ``user:password@``, and every network
  address (``host:port``, IP addresses, the driver's "resolved to ..." notes) are replaced.

The secrets it knows are the environment's: ``NEO4J_PASSWORD``, ``ALLIANCE_API_KEY`` and the
password of a ``NEO4J_URI`` that carries one (``known_secrets``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote, unquote

HIDDEN = "***"
ADDRESS = "<address>"
MIN_SECRET = 3  # a shorter secret is not replaced in text (it would hide letters of every word)

_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://")
# A URI, its user part (up to the last "@" before the next whitespace) included.
_URI = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://(?:\S*@)?[^\s'\"<>),]*")
_USERINFO = re.compile(r"[^\s/@'\"]+:[^\s/@'\"]*@")
_RESOLVED = re.compile(r"\s*\(resolved to [^)]*\)+")
_DRIVER_ADDRESS = re.compile(r"\b(?:Resolved)?IPv[46]Address\(\(.*?\)\)")
_IPV6 = re.compile(r"\[?\b(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}\b\]?(?::\d+)?")
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b")
_HOST_PORT = re.compile(r"\b(?=[a-zA-Z0-9.-]*[a-zA-Z])[a-zA-Z0-9][a-zA-Z0-9.-]*:\d{1,5}\b")
_TUPLE_ADDRESS = re.compile(r"\(\s*'[^']*'\s*,\s*\d+\s*(?:,[^)]*)?\)")


def split_userinfo(uri: str) -> tuple[str, str | None, str]:
    """``uri`` as (what precedes the user part, the user part or None, what follows its ``@``).

    A password may hold any character, ``/``, ``?``, ``#``, ``@`` and ``:`` included, written raw or
    percent-encoded; a host never holds an ``@``. So the user part runs from the scheme's ``://`` (or
    the start, without a scheme) to the *last* ``@``, wherever a URL parser would end the authority.
    When a query or fragment holds an ``@`` this takes too much for the user part, which only hides
    more.

    >>> split_userinfo("bolt://neo4j:Ab/Slash?x#y@z@127.0.0.1:7687/db")
    ('bolt://', 'neo4j:Ab/Slash?x#y@z', '127.0.0.1:7687/db')
    >>> split_userinfo("neo4j+s://db.example:7687")
    ('neo4j+s://', None, 'db.example:7687')
    >>> split_userinfo("neo4j:pw@host:1")
    ('', 'neo4j:pw', 'host:1')
    """
    scheme = _SCHEME.match(uri)
    head = scheme.group(0) if scheme else ""
    rest = uri[len(head) :]
    userinfo, at, host = rest.rpartition("@")
    if not at:
        return head, None, rest
    return head, userinfo, host


def credentials_problem(uri: str | None) -> str | None:
    """Why ``uri`` may not be used as ``NEO4J_URI`` because it carries a user part (None when it does
    not): credentials belong in ``NEO4J_USER`` and ``NEO4J_PASSWORD``, which nothing prints.

    >>> credentials_problem("bolt://neo4j:a/b@127.0.0.1:7687")[:30]
    'it carries a user or password;'
    >>> credentials_problem("bolt://127.0.0.1:7687") is None
    True
    """
    if not uri or split_userinfo(uri)[1] is None:
        return None
    return "it carries a user or password; give them in NEO4J_USER and NEO4J_PASSWORD instead"


def redact_uri(uri: str | None) -> str:
    """``uri`` without user and password (for the operator's own terminal).

    >>> redact_uri("bolt://neo4j:hunter2@db.example:7687")
    'bolt://db.example:7687'
    >>> redact_uri("neo4j+s://x@y@z/")
    'neo4j+s://z/'
    >>> redact_uri("bolt://neo4j:Ab/SlashSecret9@127.0.0.1:42687")
    'bolt://127.0.0.1:42687'
    >>> redact_uri("not a uri")
    'not a uri'
    """
    if not uri:
        return ""
    head, userinfo, host = split_userinfo(uri)
    return uri if userinfo is None else head + host


def uri_password(uri: str | None) -> str | None:
    """The password a URI carries in its user part (all of the user part when it has no ``:``), if any.

    >>> uri_password("bolt://neo4j:p:w/#?@x@127.0.0.1:1")
    'p:w/#?@x'
    >>> uri_password("bolt://127.0.0.1:1") is None
    True
    """
    if not uri:
        return None
    _head, userinfo, _host = split_userinfo(uri)
    if userinfo is None:
        return None
    return userinfo.split(":", 1)[1] if ":" in userinfo else userinfo


def spellings(secret: str) -> set[str]:
    """The ways ``secret`` can be written out: as is, percent-encoded or decoded (in a URI), escaped
    as ``repr`` and JSON escape it, with its whitespace collapsed (a one-line message), and each
    line of a secret that has several.

    >>> sorted(spellings("a  b/é"))
    ['a  b/\\\\u00e9', 'a  b/é', 'a b/é', 'a%20%20b%2F%C3%A9', 'a%20%20b/%C3%A9']
    """
    found = {
        secret,
        unquote(secret),
        quote(secret, safe=""),
        quote(secret, safe="/:@"),
        repr(secret)[1:-1],
        json.dumps(secret)[1:-1],
        " ".join(secret.split()),
        *secret.splitlines(),
    }
    return {s for s in found if len(s.strip()) >= MIN_SECRET}


def known_secrets() -> list[str]:
    """The credentials of the environment in every spelling (``spellings``), longest first (so none is
    left half-replaced): ``NEO4J_PASSWORD``, ``ALLIANCE_API_KEY``, and the user part of a ``NEO4J_URI``
    that carries one, whole and after each of its ``:`` (where a user name ends is not certain)."""
    from app.config import get_settings

    try:
        settings = get_settings()
    except Exception:  # settings that do not parse: nothing to take from them
        return []
    found = [settings.neo4j_password, settings.alliance_api_key]
    userinfo = split_userinfo(settings.neo4j_uri)[1] if settings.neo4j_uri else None
    if userinfo is not None:
        parts = userinfo.split(":")
        found += [":".join(parts[i:]) for i in range(len(parts))]
    return sorted({v for s in found if s for v in spellings(s)}, key=len, reverse=True)


def redact_text(text: str, secrets: Iterable[str] | None = None) -> str:
    """``text`` with secrets, URIs, user:password@ and network addresses replaced.

    ``secrets`` defaults to ``known_secrets()``.

    >>> redact_text("Couldn't connect to 127.0.0.1:7687 (resolved to ('127.0.0.1:7687',)): refused", [])
    "Couldn't connect to <address>: refused"
    >>> redact_text("Failed to read from defunct connection IPv4Address(('10.0.0.5', 7687))", [])
    'Failed to read from defunct connection <address>'
    >>> redact_text("Unable to retrieve routing information from neo4j.internal:7687", [])
    'Unable to retrieve routing information from <address>'
    >>> redact_text("bad URI bolt://neo4j:hunter2@127.0.0.1:1, try again", ["hunter2"])
    'bad URI <address>, try again'
    >>> redact_text("the key is s3cret", ["s3cret"])
    'the key is ***'
    >>> redact_text("timed out after 4.3 s at 12:30", [])
    'timed out after 4.3 s at 12:30'
    """
    out = str(text)
    for secret in known_secrets() if secrets is None else secrets:
        if secret:
            out = out.replace(secret, HIDDEN)
    out = _RESOLVED.sub("", out)
    out = _URI.sub(ADDRESS, out)
    out = _USERINFO.sub("", out)
    out = _DRIVER_ADDRESS.sub(ADDRESS, out)
    out = _TUPLE_ADDRESS.sub(ADDRESS, out)
    out = _IPV4.sub(ADDRESS, out)
    out = _IPV6.sub(lambda m: m.group(0) if m.group(0).count(":") < 2 else ADDRESS, out)
    out = _HOST_PORT.sub(ADDRESS, out)
    return out


def one_line(err: BaseException) -> str:
    """An exception as one redacted line: its message, or its type when it has none."""
    return " ".join(redact_text(str(err)).split()) or type(err).__name__
