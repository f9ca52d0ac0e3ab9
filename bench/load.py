"""Load test: `defsearch serve` on loopback under N concurrent clients.

Starts `defsearch serve --host 127.0.0.1 --port <free port> --index DIR` (building the index
from --corpus first if DIR has none), waits for it, then runs N client threads for D
seconds. Each client keeps one HTTP/1.1 connection and sends requests from a fixed mix
(Chinese, English, paged and filtered searches on the HTML page and the JSON API) back to
back, or with `--think` seconds of pause. `--unique F` makes a fraction F of the requests
fresh searches never sent before in the run (1-3 words drawn from the served corpus's own
vocabulary, by frequency), so the server's result cache cannot answer them: the long tail of
real traffic. Each client connects from its own loopback address, as one user would.
Prints throughput, errors and latency percentiles overall and per kind, the server's CPU
per request (its processes' CPU time over the run: on a shared machine latency also
measures the neighbours) and the load average; `--json FILE` writes the figures.

    .venv/bin/python bench/load.py                        # bundled corpus, 50 clients, 30 s
    .venv/bin/python bench/load.py --synthetic 100000      # the 100k index of bench/speed.py

`--synthetic N` serves the benchmark corpus of bench/speed.py (bench.common.big_corpus: the
shared eval pool, 8,571 real zh/en passages, repeated with new ids up to N passages) from
its index bench/out/speed-index-N, built first if bench/speed.py has not built it.

Loopback only: the server is bound to 127.0.0.1 and the clients connect there.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent

ZH = ["中俄", "軍事合作", "戰略模糊", "北約", "聯合聲明", "解放軍", "國防", "美國 中國",
      "睦鄰友好合作條約", "拜登", "军事合作", "台灣 安全", "俄羅斯 烏克蘭", "印太", "飛彈"]
EN = ["Lavrov", "Biden", "NATO", "China Russia", "military cooperation", "Blinken",
      "strategic ambiguity", "Trump", "alliance", "Taiwan"]
# kind -> list of request paths
def request_mix() -> list[tuple[str, str]]:
    mix = []
    for q in ZH:
        mix.append(("zh", f"/search?q={quote(q)}"))
    for q in EN:
        mix.append(("en", f"/search?q={quote(q)}"))
    for q in ZH[:6] + EN[:4]:
        for page in (2, 3):
            mix.append(("paged", f"/search?q={quote(q)}&page={page}"))
    for q in ZH[:4] + EN[:3]:
        mix.append(("api", f"/api/search?q={quote(q)}&limit=10"))
    for q in ZH[:3] + EN[:2]:       # shown in Simplified (script cookie): OpenCC per page
        mix.append(("hans", f"/search?q={quote(q)}"))
    mix.append(("filtered", f"/search?q={quote('中俄')}&from=2020&to=2022"))
    mix.append(("filtered", f"/search?q={quote('國防')}&lang=zh-Hant"))
    return mix


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def defsearch_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "defsearch"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("defsearch")
    if found:
        return [found]
    return [sys.executable, "-c", "from search.cli import main; main()"]


def stop_server(proc: subprocess.Popen) -> None:
    """Stop `defsearch serve`: terminated, killed if it has not ended within 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_ready(port: int, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with code {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server not ready after {timeout:.0f} s")


def corpus_words(corpus: str) -> list[str]:
    """Every word occurrence (2-4 Chinese characters or 4+ Latin letters) of the corpus's
    passages, so drawing from the list follows word frequency."""
    import re

    sys.path.insert(0, str(ROOT))
    from search.analysis import WordAnalyzer
    from search.index.update import corpus_files, _ingest

    root, files = corpus_files(corpus)
    texts = [p.text for path in files.values() for a in _ingest(path, root) for p in a.passages]
    random.Random(5).shuffle(texts)
    analyzer = WordAnalyzer()
    words: list[str] = []
    for text in texts[:3000]:
        for t in analyzer(text, chars=True):
            surface = text[t.startchar:t.endchar]
            if re.fullmatch(r"[\u4e00-\u9fff]{2,4}|[A-Za-z]{4,}", surface):
                words.append(surface)
    return words


class FreshQueries:
    """Search paths never handed out before (thread-safe)."""

    def __init__(self, words: list[str], seed: int = 17):
        self.words, self.rnd, self.seen = words, random.Random(seed), set()
        self.lock = threading.Lock()

    def next(self) -> str:
        with self.lock:
            while True:
                q = " ".join(self.rnd.choices(self.words, k=self.rnd.choice((1, 2, 2, 3))))
                if q not in self.seen:
                    self.seen.add(q)
                    return f"/search?q={quote(q)}"


def client_address(n: int) -> tuple[str, int]:
    """Client n's own loopback address (127.0.1.n...): each client stands for one user, and
    `defsearch serve` closes the connections one address holds beyond 32 per process
    (web.slow_clients), which 50 clients sharing 127.0.0.1 could pass."""
    return (f"127.0.{1 + n // 250}.{1 + n % 250}", 0)


def client(port: int, mix, stop_at: float, think: float, seed: int, out: list,
           unique: float = 0.0, fresh: FreshQueries | None = None, n: int = 0) -> None:
    rnd = random.Random(seed)
    source = client_address(n)

    def connect():
        return http.client.HTTPConnection("127.0.0.1", port, timeout=30,
                                          source_address=source)
    conn = connect()
    while time.monotonic() < stop_at:
        if fresh is not None and rnd.random() < unique:
            kind, path = "unique", fresh.next()
        else:
            kind, path = rnd.choice(mix)
        t0 = time.perf_counter()
        status, error = 0, ""
        try:
            headers = {"Accept-Encoding": "identity"}
            if kind == "hans":
                headers["Cookie"] = "script=hans"
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            body = resp.read()
            status = resp.status
            if status != 200:
                error = f"HTTP {status}"
            elif not body:
                error = "empty body"
        except (OSError, http.client.HTTPException) as err:
            error = f"{type(err).__name__}: {err}"
            conn.close()
            conn = connect()
        out.append((kind, (time.perf_counter() - t0) * 1000.0, error, path))
        if think:
            time.sleep(rnd.uniform(0.5 * think, 1.5 * think))
    conn.close()


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of the server process and its forked workers so far (Linux /proc):
    with the machine shared, CPU per request says more than latency about the server."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pending = [pid]
    while pending:
        p = pending.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks     # utime, stime
            for task in Path(f"/proc/{p}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError, IndexError):
            continue
    return total


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def summarise(samples, seconds: float) -> dict:
    lat = [s[1] for s in samples]
    errors = [s for s in samples if s[2]]
    summary = {
        "requests": len(samples), "seconds": round(seconds, 1),
        "rps": round(len(samples) / seconds, 1) if seconds else 0,
        "errors": len(errors),
        "p50_ms": round(pct(lat, 50), 1), "p95_ms": round(pct(lat, 95), 1),
        "p99_ms": round(pct(lat, 99), 1), "max_ms": round(max(lat), 1) if lat else None,
        "mean_ms": round(statistics.fmean(lat), 1) if lat else None,
        "by_kind": {},
        "error_examples": sorted({f"{s[2]} on {s[3]}" for s in errors})[:10],
    }
    for kind in sorted({s[0] for s in samples}):
        kl = [s[1] for s in samples if s[0] == kind]
        summary["by_kind"][kind] = {"requests": len(kl), "p50_ms": round(pct(kl, 50), 1),
                                    "p95_ms": round(pct(kl, 95), 1)}
    return summary


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default=str(ROOT / "index"), help="index directory (built from --corpus if missing)")
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--think", type=float, default=0.0, help="mean pause between a client's requests, seconds")
    ap.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    ap.add_argument("--workers", type=int, default=0,
                    help="serve --workers: server processes (0: serve's default, one per core)")
    ap.add_argument("--cache", type=int, default=512,
                    help="serve --cache: result cache size (0 = every request searches)")
    ap.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up traffic, not counted")
    ap.add_argument("--synthetic", type=int, metavar="N",
                    help="serve an index of N passages built from the shared eval pool")
    ap.add_argument("--unique", type=float, default=0.0, metavar="F",
                    help="fraction of requests that are searches never sent before (cache misses)")
    ap.add_argument("--json", help="write the summary here")
    ap.add_argument("--p95-limit", type=float, default=150.0)
    args = ap.parse_args(argv)

    if args.synthetic:
        sys.path.insert(0, str(ROOT))
        from bench.common import OUT, big_corpus
        args.corpus = str(big_corpus(args.synthetic))
        if args.index == ap.get_default("index"):
            args.index = str(OUT / f"speed-index-{args.synthetic}")
    port = free_port()
    cmd = defsearch_cmd() + ["serve", "--host", "127.0.0.1", "--port", str(port),
                             "--index", args.index, "--corpus", args.corpus,
                             "--threads", str(args.threads), "--cache", str(args.cache)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    print("server:", " ".join(cmd), file=sys.stderr)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        wait_ready(port, proc, timeout=900)
        mix = request_mix()
        fresh = FreshQueries(corpus_words(args.corpus)) if args.unique else None
        # warm-up: every request once (caches, lazily built converters), then a short burst
        warm: list = []
        for _kind, path in mix:
            client_once(port, path)
        run_clients(port, mix, min(args.clients, 8), args.warmup, args.think, warm, seed=999,
                    unique=args.unique, fresh=fresh)
        samples: list = []
        load_before, cpu_before = load_average(), server_cpu_seconds(proc.pid)
        started = time.monotonic()
        run_clients(port, mix, args.clients, args.duration, args.think, samples, seed=0,
                    unique=args.unique, fresh=fresh)
        seconds = time.monotonic() - started
        cpu = server_cpu_seconds(proc.pid) - cpu_before
        load_after = load_average()
    finally:
        stop_server(proc)
    summary = summarise(samples, seconds)
    summary.update({"corpus": args.corpus, "clients": args.clients, "think_s": args.think,
                    "unique": args.unique, "threads": args.threads,
                    "cache": args.cache, "workers": args.workers or "serve default (one per core)",
                    "index": args.index, "cpus": os.cpu_count(),
                    "server_cpu_ms_per_request": round(1000 * cpu / max(1, len(samples)), 2),
                    "server_cpu_cores_busy": round(cpu / seconds, 2),
                    "load_average_before": load_before, "load_average_after": load_after})
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    ok = summary["errors"] == 0 and summary["p95_ms"] <= args.p95_limit
    print(f"{'PASS' if ok else 'FAIL'}: {summary['errors']} errors, p95 {summary['p95_ms']} ms "
          f"(limit {args.p95_limit} ms), {summary['rps']} req/s, server CPU "
          f"{summary['server_cpu_ms_per_request']} ms a request "
          f"({summary['server_cpu_cores_busy']} cores busy), load average "
          f"{load_before} -> {load_after}", file=sys.stderr)
    return 0 if ok else 1


def client_once(port: int, path: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        conn.getresponse().read()
    finally:
        conn.close()


def run_clients(port, mix, n, duration, think, out, seed, unique=0.0, fresh=None) -> None:
    stop_at = time.monotonic() + duration
    threads = [threading.Thread(target=client, daemon=True,
                                args=(port, mix, stop_at, think, seed + i, out, unique, fresh,
                                      i))
               for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


if __name__ == "__main__":
    sys.exit(main())
