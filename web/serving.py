"""Serving the app with waitress: one process, or several forked workers on one socket.

`defsearch serve` parses the options and formats; this module binds, forks and stops.
Python serves about one request per core at a time, so several processes sharing the port
use the cores; each keeps its own engine and result cache. The kernel hands a new
connection to whichever worker accepts first, which left one worker with 30 of 50
keep-alive clients and the other with 20 (those 30 waited half as long again); so a
worker with more open connections than another stops accepting until the other catches up
(`Balance`).
"""
from __future__ import annotations

import errno
import logging
import multiprocessing
import os
import signal
import socket
import time
from typing import Callable

from search.errors import DefsearchError


def serve(config: dict, host: str, port: int, workers: int, options: dict,
          announce: Callable[[], None] = lambda: None) -> None:
    """Serve `create_app(config)` on host:port with waitress `options` until stopped;
    `announce()` is called once the port is bound. Raises DefsearchError when it cannot
    listen (port in use, no permission)."""
    from web import create_app
    if workers == 1:
        from web.slow_clients import bounded_server
        logging.basicConfig()           # as waitress.serve does: its warnings on stderr
        try:
            server = bounded_server(create_app(config), host=host, port=port, **options)
        except OSError as err:
            raise cannot_listen(host, port, err) from None
        announce()
        server.run()
        return
    serve_forked(create_app, config, host, port, workers, options, announce)


def cannot_listen(host: str, port: int, err: OSError) -> DefsearchError:
    fix = {errno.EADDRINUSE: "stop the other server or pass --port N",
           errno.EACCES: "pass --port 1024 or above"}.get(err.errno, "check --host and --port")
    return DefsearchError(f"cannot listen on {host}:{port} ({err.strerror}): {fix}")


def serve_forked(create_app, config, host, port, workers, options, announce) -> None:
    """Bind once, fork `workers` waitress processes accepting on the same socket (the
    kernel spreads connections), and stop them all on Ctrl-C / SIGTERM."""
    from web.slow_clients import bounded_server

    try:
        family, kind, proto, _name, addr = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(addr)
    except OSError as err:
        raise cannot_listen(host, port, err) from None
    sock.listen(1024)
    announce()
    balance = Balance(workers)
    children = []
    for slot in range(workers):
        pid = os.fork()
        if pid == 0:                                    # worker
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            try:
                server = bounded_server(create_app(config), sockets=[sock], **options)
                balance.attach(server, slot)
                server.run()
            finally:
                os._exit(0)
        children.append(pid)
    sock.close()

    def stop(_signum, _frame):
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for pid in children:
        while True:
            try:
                os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
            except ChildProcessError:
                break


class Balance:
    """Open connections of the forked workers, in memory they share: a worker accepts only
    while it holds no more than the least loaded live worker (one that reported in the
    last few seconds: waitress's loop wakes at least once a second), so keep-alive clients
    are spread evenly and a dead worker's count holds no one back."""

    LIVE_SECONDS = 3.0

    def __init__(self, workers: int):
        self.counts = multiprocessing.RawArray("i", workers)     # inherited by fork
        self.seen = multiprocessing.RawArray("d", workers)       # time.monotonic()

    def may_accept(self, slot: int, open_connections: int) -> bool:
        now = time.monotonic()
        self.counts[slot], self.seen[slot] = open_connections, now
        return all(open_connections <= count for count, seen in zip(self.counts, self.seen)
                   if now - seen < self.LIVE_SECONDS)

    def attach(self, server, slot: int) -> None:
        """Make waitress `server` (it asks `readable()` before each accept) accept only
        when `may_accept`."""
        waitress_readable = server.readable

        def readable():
            listening = waitress_readable()      # its own bookkeeping and connection limit
            return self.may_accept(slot, len(server.active_channels)) and listening
        server.readable = readable
