"""`defsearch serve --workers 2`: keep-alive clients are spread evenly over the workers (a
real server on a free loopback port; which worker holds a connection is read from /proc)."""
import http.client
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import free_port

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="reads /proc")


def socket_count(pid: int) -> int:
    return sum(os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:")
               for fd in os.listdir(f"/proc/{pid}/fd"))


def test_keep_alive_clients_are_spread_evenly_over_the_workers(engine_index):
    port = free_port()
    exe = Path(sys.executable).parent / "defsearch"
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--index",
                             str(engine_index), "--workers", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    conns = []
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, proc.stderr.read()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/api")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not come up"
                time.sleep(0.2)
        workers = [int(p) for p in
                   Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
        assert len(workers) == 2
        time.sleep(0.5)                         # the probe connection is closed by now
        before = [socket_count(w) for w in workers]
        for n in range(20):                     # 20 users, one connection each, kept open
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10,
                                              source_address=(f"127.0.3.{n + 1}", 0))
            conn.request("GET", "/api/search?q=%E4%B8%AD%E4%BF%84&limit=1")
            resp = conn.getresponse()
            assert resp.status == 200
            resp.read()
            conns.append(conn)
        held = [socket_count(w) - b for w, b in zip(workers, before)]
        assert sum(held) == 20 and max(held) - min(held) <= 2, held
    finally:
        for conn in conns:
            conn.close()
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=20)


def test_a_worker_accepts_while_no_live_worker_holds_fewer_connections():
    from web.serving import Balance

    balance = Balance(2)
    assert balance.may_accept(0, 0) and balance.may_accept(1, 0)     # even: both accept
    assert not balance.may_accept(0, 1)                              # ahead: waits for 1
    assert balance.may_accept(1, 0) and balance.may_accept(1, 1)
    assert balance.may_accept(0, 1)
    # a worker that stopped reporting (dead) holds no one back
    balance.seen[1] = time.monotonic() - 2 * Balance.LIVE_SECONDS
    assert balance.may_accept(0, 5)
