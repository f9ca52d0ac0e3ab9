"""`defsearch serve` under slow clients (slowloris): a real server on a free loopback port.

Slow sockets send a request's headers a few bytes at a time and never finish them. They
come from other loopback addresses (127.0.0.2, .3) than the normal client (127.0.0.1), as
an attacker's would."""
import http.client
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from web.slow_clients import MAX_PER_CLIENT

from tests.conftest import free_port

SLOW_SOCKETS = 250                  # more than waitress's connection_limit (200)


@pytest.fixture(scope="module")
def server(engine_index):
    port = free_port()
    exe = Path(sys.executable).parent / "defsearch"
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--index",
                             str(engine_index), "--workers", "1", "--header-timeout", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stderr.read()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.1)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)


def slow_socket(port: int, source: str = "127.0.0.2") -> socket.socket:
    sock = socket.socket()
    sock.bind((source, 0))
    sock.connect(("127.0.0.1", port))
    sock.sendall(b"GET /search?q=x HTTP/1.1\r\nHo")
    return sock


def search_answers(port: int) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/api/search?q=%E4%B8%AD%E4%BF%84&limit=1")
        return conn.getresponse().status
    finally:
        conn.close()


def closed_by_server(sock: socket.socket, wait: float) -> bool:
    sock.settimeout(wait)
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def refused_count(socks: list[socket.socket], at_least: int, wait: float = 3.0) -> int:
    """How many of `socks` the server closed, waiting at most `wait` s for `at_least`."""
    import select
    refused, pending, deadline = 0, list(socks), time.monotonic() + wait
    while refused < at_least and pending and time.monotonic() < deadline:
        ready, _, _ = select.select(pending, [], [], 0.1)
        for sock in ready:
            pending.remove(sock)
            refused += closed_by_server(sock, 0.01)
    return refused


def test_many_slow_connections_from_one_client_do_not_lock_others_out(server):
    """400 such sockets kept every other client waiting for as long as they stayed open."""
    slow = [slow_socket(server) for _ in range(SLOW_SOCKETS)]
    try:
        assert search_answers(server) == 200
        assert refused_count(slow, at_least=SLOW_SOCKETS - MAX_PER_CLIENT) \
            >= SLOW_SOCKETS - MAX_PER_CLIENT
    finally:
        for sock in slow:
            sock.close()


def test_headers_sent_a_byte_at_a_time_are_cut_off(server):
    """The connection closes once its headers are late (here --header-timeout 1), however
    steadily the bytes come."""
    sock = slow_socket(server, source="127.0.0.3")
    try:
        start = time.monotonic()
        while time.monotonic() - start < 5:
            try:
                sock.sendall(b"x")
            except (BrokenPipeError, ConnectionResetError):
                break
            if closed_by_server(sock, 0.2):
                break
        else:
            pytest.fail("a request whose headers never end kept its connection for 5 s")
        assert 1 <= time.monotonic() - start < 3
    finally:
        sock.close()
