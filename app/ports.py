"""Whether a server could listen on a host and port, asked before it starts (``alliances serve``)."""

from __future__ import annotations

import socket


def port_taken(host: str, port: int) -> str | None:
    """Why a server could not listen on ``host:port`` (bound as uvicorn binds), or None if it can.

    Examples
    --------
    >>> with socket.socket() as held:
    ...     held.bind(("127.0.0.1", 0))
    ...     held.listen()
    ...     port_taken("127.0.0.1", held.getsockname()[1]) is not None
    True
    """
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as err:
            return err.strerror or str(err)
    return None
