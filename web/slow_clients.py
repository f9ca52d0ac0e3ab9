"""waitress with two bounds on slow clients (slowloris), for `defsearch serve`.

waitress reads requests asynchronously and hands only complete ones to its threads, so a
slow client costs no thread; but it holds one of the server's `connection_limit`
connections for as long as it sends a byte before `channel_timeout`. 400 sockets sending
their headers a byte at a time locked every other client out for as long as they stayed
open. waitress has no setting for either bound below, so its channel class is extended:

* one client (IP address) holds at most `MAX_PER_CLIENT` connections per server process;
  a connection over that is closed as soon as it is accepted;
* a request's headers must be complete `header_timeout` seconds after its first byte, or
  the connection is closed when its next bytes arrive (a silent one is closed by waitress
  after `channel_timeout`).
"""
from __future__ import annotations

import time

from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer

MAX_PER_CLIENT = 32     # a browser opens 6 per site (the 32 is also in serve --help, README)
HEADER_TIMEOUT = 10.0             # seconds, the default of `defsearch serve --header-timeout`


class BoundedChannel(HTTPChannel):
    header_timeout = HEADER_TIMEOUT
    request_started = 0.0

    def __init__(self, server, sock, addr, adj, map=None):
        super().__init__(server, sock, addr, adj, map)
        host = _host(addr)
        if sum(_host(ch.addr) == host for ch in server.active_channels.values()) \
                > MAX_PER_CLIENT:
            self.will_close = True                 # waitress closes it on its next turn

    def received(self, data):
        now = time.monotonic()
        if self.request is None:                   # these bytes begin a new request
            self.request_started = now
        elif not self.request.headers_finished and \
                now - self.request_started > self.header_timeout:
            self.will_close = True
            return False
        return super().received(data)


def _host(addr):
    return addr[0] if isinstance(addr, tuple) else addr


def bounded_server(app, header_timeout: float = HEADER_TIMEOUT, **options):
    """`waitress.create_server(app, **options)` with the bounds above (binds the port:
    raises OSError when it cannot listen)."""
    server = create_server(app, **options)
    channel = type("Channel", (BoundedChannel,), {"header_timeout": header_timeout})
    for each in [server, *getattr(server, "map", {}).values()]:
        if isinstance(each, BaseWSGIServer):
            each.channel_class = channel
    return server
