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

import re
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

HIDDEN = "***"
ADDRESS = "<address>"

_URI = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'\"<>),]*")
_USERINFO = re.compile(r"[^\s/@'\"]+:[^\s/@'\"]*@")
_RESOLVED = re.compile(r"\s*\(resolved to [^)]*\)+")
_DRIVER_ADDRESS = re.compile(r"\b(?:Resolved)?IPv[46]Address\(\(.*?\)\)")
_IPV6 = re.compile(r"\[?\b(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}\b\]?(?::\d+)?")
_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b")
_HOST_PORT = re.compile(r"\b(?=[a-zA-Z0-9.-]*[a-zA-Z])[a-zA-Z0-9][a-zA-Z0-9.-]*:\d{1,5}\b")
_TUPLE_ADDRESS = re.compile(r"\(\s*'[^']*'\s*,\s*\d+\s*(?:,[^)]*)?\)")


def redact_uri(uri: str | None) -> str:
    """``uri`` without user and password (for the operator's terminal).

    >>> redact_uri("bolt://neo4j:hunter2@db.example:7687")
    'bolt://db.example:7687'
    >>> redact_uri("neo4j+s://x@y@z/")
    'neo4j+s://z/'
    >>> redact_uri("not a uri")
    'not a uri'
    """
    if not uri:
        return ""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return _USERINFO.sub("", uri)
    if "@" not in parts.netloc:
        return uri
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def uri_password(uri: str | None) -> str | None:
    """The password a URI carries in its user part, if any."""
    if not uri:
        return None
    netloc = uri.split("://", 1)[-1].split("/", 1)[0]
    if "@" not in netloc:
        return None
    userinfo = netloc.rsplit("@", 1)[0]
    return userinfo.split(":", 1)[1] if ":" in userinfo else userinfo


def known_secrets() -> list[str]:
    """The credentials of the environment, longest first (so none is left half-replaced)."""
    from app.config import get_settings

    try:
        settings = get_settings()
    except Exception:  # settings that do not parse: nothing to take from them
        return []
    found = [settings.neo4j_password, settings.alliance_api_key, uri_password(settings.neo4j_uri)]
    return sorted({s for s in found if s and len(s) >= 3}, key=len, reverse=True)


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
    return redact_text(" ".join(str(err).split()) or type(err).__name__)
