"""Run the API under uvicorn with one or several worker processes (``alliances serve --workers N``).

With one worker this is ``uvicorn.run``. With several, uvicorn binds the listening socket in the
supervisor and hands it to each worker; it creates that socket with ``proto`` 0, accepted
connections inherit it, and asyncio then skips ``TCP_NODELAY`` (it sets it only on sockets that
say ``IPPROTO_TCP``): Nagle's algorithm meets the client's delayed ACK and every keep-alive request
after the first waits about 40 ms (uvicorn issue #3149; measured here: 22 req/s instead of 430 on
one connection). ``listening_socket`` re-wraps the same descriptor as ``IPPROTO_TCP`` before the
workers get it.
"""

from __future__ import annotations

import socket
from typing import Any


def listening_socket(config: Any) -> socket.socket:
    """``config.bind_socket()`` (a uvicorn ``Config``), re-wrapped so accepted connections get TCP_NODELAY."""
    sock = config.bind_socket()
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.set_inheritable(True)
    return tcp


def run_server(
    app: str = "app.main:app",
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    *,
    factory: bool = False,
    log_level: str = "info",
    access_log: bool = True,
) -> None:
    """Serve ``app`` (an import string, which each worker process imports for itself), with the
    server's own limits (``app.server.server_limits``: keep-alive, concurrency, request head)."""
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from app.server import server_limits

    limits = server_limits()
    if workers <= 1:
        uvicorn.run(app, host=host, port=port, factory=factory, log_level=log_level, access_log=access_log, **limits)
        return
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        workers=workers,
        factory=factory,
        log_level=log_level,
        access_log=access_log,
        **limits,
    )
    Multiprocess(config, sockets=[listening_socket(config)]).run()
