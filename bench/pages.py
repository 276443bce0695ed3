"""Byline's page speed on the anchors' corpus: `make bench`.

Loads the shared corpus into a fresh data dir, starts `byline serve` (granian, 2 workers),
and drives it with wrk from this machine: the hot post (200 comments), the home page, the
feed and a category archive, each uncached (every request renders). Prints a Markdown table
comparable with shared/anchors/wordpress/RESULTS.md (same corpus, same wrk settings).

    .venv/bin/python bench/pages.py [--posts 1000] [--duration 10] [--conns 8,32]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BYLINE = str(Path(sys.executable).with_name("byline"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, conns: int, duration: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency", "--timeout", "30s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        if not m:
            return float("nan")
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": int(errors.group(1)) if errors else 0}


def single(url: str, n: int = 20) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(n):
        t = time.perf_counter()
        with urllib.request.urlopen(url) as r:  # noqa: S310 - our own server on loopback
            size = len(r.read())
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--conns", default="8,32")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    data = Path(tempfile.mkdtemp(prefix="byline-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    loaded = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load_corpus.py"), str(data), "--posts", str(args.posts)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    hot = loaded.strip().rsplit(" ", 1)[-1]
    print(loaded.strip())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (data / "serve.log").open("w")
    server = subprocess.Popen(
        [BYLINE, "serve", "--data", str(data), "--port", str(port), "--workers", str(args.workers)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/")  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        targets = [
            ("hot post (200 comments)", hot),
            ("home /", "/"),
            ("RSS /feed/", "/feed/"),
            ("category archive", "/category/essays/"),
        ]
        conns = [int(c) for c in args.conns.split(",")]
        header = (
            "| URL | bytes | 1-conn median ms | "
            + " | ".join(f"c={c} req/s | c={c} p50 / p99 ms" for c in conns)
            + " | errors |"
        )
        rows = [header, "|" + "---|" * (3 + 2 * len(conns) + 1)]
        for label, path in targets:
            url = base + path
            median, size = single(url)
            wrk(url, 8, 3)  # warm-up
            cells, errors = [], 0
            for c in conns:
                r = wrk(url, c, args.duration)
                cells += [f"{r['rps']:,.0f}", f"{r['p50']:.1f} / {r['p99']:.1f}"]
                errors += r["errors"]
            rows.append(f"| {label} | {size:,} | {median:.1f} | " + " | ".join(cells) + f" | {errors} |")
        print(f"\nByline ({args.workers} granian workers, SQLite, no page cache), {args.posts} posts:\n")
        print("\n".join(rows))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
