"""`tracker sources check` when some sites never answer: is the timeout really enforced?

    python bench/sources.py [--sources 200] [--silent 20] [--timeout 2] [--jobs 8] [--runs 2]

Serves `sources - silent` answering pages from 20 loopback addresses (127.0.0.2-21, each a
host of its own for the limit of 2 at a time per host; 30 ms of latency per answer) and
`silent` servers that accept connections and never send a byte, each on an address of its own
(127.0.1.x). Two workspaces are checked with `--timeout T --jobs N --allow-private`: one with
the answering sources only, one with all of them, in alternating runs (medians).

The issue's target: the full run ends within 2 x the timeout plus the time of the answering ones.
Each silent source holds one of the N threads for exactly the timeout, so no scheduler can do
better than the answering run plus silent x timeout / N (the floor); both ratios are printed.
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

PY = sys.executable
SCRIPT = Path(PY).with_name("tracker")
TRACKER = [str(SCRIPT)] if SCRIPT.exists() else [PY, "-m", "tracker"]
ANSWERING_HOSTS = [f"127.0.0.{n}" for n in range(2, 22)]
PAGE = b"<!doctype html><title>source</title>" + b"<p>evidence</p>" * 1000
LATENCY = 0.03


class _Page(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        time.sleep(LATENCY)
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(PAGE)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(PAGE)


class _Silent:
    """Accepts and never answers."""

    def __init__(self, host: str) -> None:
        self.sock = socket.socket()
        self.sock.bind((host, 0))
        self.sock.listen(64)
        self.held: list[socket.socket] = []
        self.url = f"http://{host}:{self.sock.getsockname()[1]}/never"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


def _workspace(root: Path, urls: list[str]) -> Path:
    (root / "policies").mkdir(parents=True)
    lines = ["id: bench", "title: Bench", "sources:"]
    lines += [f'  - {{id: s{n:03d}, title: Source {n}, url: "{url}"}}' for n, url in enumerate(urls)]
    lines += ["priorities:", "  - id: p", "    title: P", "    history:",
              "      - {date: 2024-01-01, status: in_progress, note: x, sources: [s000]}"]
    (root / "policies" / "bench.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _timed(root: Path, timeout: float, jobs: int) -> float:
    cmd = [*TRACKER, "--root", str(root), "sources", "check", "--timeout", str(timeout), "--jobs", str(jobs),
           "--allow-private", "--json"]
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"bench: {' '.join(cmd)} failed ({done.returncode}):\n{done.stderr.decode(errors='replace')}")
    return wall


def measure(work: Path, sources: int = 200, silent: int = 20, timeout: float = 2.0, jobs: int = 8,
            runs: int = 2) -> dict[str, Any]:
    servers = [ThreadingHTTPServer((host, 0), _Page) for host in ANSWERING_HOSTS]
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    quiet = [_Silent(f"127.0.1.{n + 1}") for n in range(silent)]
    try:
        answering = [f"http://{s.server_address[0]}:{s.server_address[1]}/page/{n}"
                     for n in range(sources - silent) for s in [servers[n % len(servers)]]]
        mixed = list(answering)
        for n, server in enumerate(quiet):  # spread the silent ones through the list
            mixed.insert((n * len(mixed)) // silent, server.url)
        only = _workspace(work / "answering", answering)
        everything = _workspace(work / "all", mixed)
        _timed(only, timeout, jobs)  # warm the interpreter's caches
        ans, full = [], []
        for _ in range(runs):
            ans.append(_timed(only, timeout, jobs))
            full.append(_timed(everything, timeout, jobs))
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        for server in quiet:
            server.close()
    answering_wall, full_wall = statistics.median(ans), statistics.median(full)
    target = 2 * timeout + answering_wall
    floor = answering_wall + silent * timeout / jobs
    return {"sources": sources, "silent": silent, "timeout": timeout, "jobs": jobs, "runs": runs,
            "answering": answering_wall, "all": full_wall, "target": target, "floor": floor,
            "ratio": full_wall / target, "floor_ratio": full_wall / floor}


def render(result: dict[str, Any]) -> list[str]:
    r = result
    return [
        f"## 5. Source checks: {r['sources']} sources, {r['silent']} of them never answer, "
        f"--timeout {r['timeout']:g} --jobs {r['jobs']} (medians of {r['runs']} runs)",
        "",
        "| run | wall | ratio |",
        "|---|---|---|",
        f"| the {r['sources'] - r['silent']} answering sources only | {r['answering']:.2f} s | |",
        f"| all {r['sources']} | {r['all']:.2f} s | |",
        f"| target: 2 x timeout + answering run | {r['target']:.2f} s | **{r['ratio']:.2f}** |",
        f"| floor: answering run + silent x timeout / jobs | {r['floor']:.2f} s | **{r['floor_ratio']:.2f}** |",
        "",
        f"A silent source holds a thread for the whole timeout: {r['silent']} x {r['timeout']:g} s over "
        f"{r['jobs']} threads is {r['silent'] * r['timeout'] / r['jobs']:.1f} s that no schedule avoids; "
        f"the issue's 2 x timeout ({2 * r['timeout']:g} s) is below that floor whenever silent > 2 x jobs.",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--silent", type=int, default=20)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracker-bench-sources-") as tmp:
        result = measure(Path(tmp), args.sources, args.silent, args.timeout, args.jobs, args.runs)
    print("\n".join(render(result)))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
