"""Byline's page speed on the anchors' corpus: `make bench`.

Loads the shared corpus into a fresh data dir, starts `byline serve` (granian, 2 workers),
and drives it with wrk from this machine: the hot post (200 comments), the home page, the
feed, a category archive and the REST API's post list, each uncached (every request renders).
Prints a Markdown table comparable with shared/anchors/wordpress/RESULTS.md (same corpus,
same wrk settings).

With `--static-root DIR --static-base URL` (the WordPress anchor's nginx :8181 docroot,
/var/www/wp-anchor-static), Byline's own hot-post bytes are also saved under
DIR/byline/<hot path>/index.html and measured as served by that nginx, the "physical limit"
reference for Byline's page. The granian processes' memory (RSS and PSS, summed over the
server's process group) is sampled half-way through each loaded run.

    .venv/bin/python bench/pages.py [--posts 1000] [--duration 10] [--warmup 3] [--conns 8,32]
        [--static-root /var/www/wp-anchor-static --static-base http://127.0.0.1:8181]
        [--json results.json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
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
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": (int(errors.group(1)) if errors else 0) + (sum(map(int, sock.groups())) if sock else 0),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def single(url: str, n: int = 20) -> tuple[float, int]:
    """Median unloaded latency of n sequential requests, one connection each.

    With curl, as the WordPress anchor's bench.sh measures it (time_total), so the
    1-conn columns of the two engines are comparable; urllib otherwise."""
    times, size = [], 0
    curl = shutil.which("curl")
    for _ in range(n):
        if curl:
            out = subprocess.run(
                [curl, "-s", "-o", "/dev/null", "-w", "%{time_total} %{size_download} %{http_code}", url],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
            if out[2] != "200":
                raise RuntimeError(f"{url}: HTTP {out[2]}")
            times.append(float(out[0]) * 1000)
            size = int(out[1])
            continue
        t = time.perf_counter()
        with urllib.request.urlopen(url) as r:  # noqa: S310 - our own server on loopback
            size = len(r.read())
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), size


def group_memory(pgid: int) -> tuple[int, float, float]:
    """(processes, RSS MiB, PSS MiB) summed over a process group (granian's main and workers)."""
    n, rss, pss = 0, 0, 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pgid:
                continue
            status = (entry / "status").read_text()
            rollup = (entry / "smaps_rollup").read_text()
        except (OSError, ProcessLookupError):
            continue
        n += 1
        rss += int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))
        pss += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))
    return n, rss / 1024, pss / 1024


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=1000)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3, help="seconds of wrk -c8 before each URL")
    ap.add_argument("--conns", default="8,32")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--static-root", type=Path, help="nginx docroot for a static copy of the hot post")
    ap.add_argument("--static-base", help="the URL that --static-root is served at")
    ap.add_argument("--json", type=Path, help="also write the rows (and memory samples) here")
    args = ap.parse_args()
    if bool(args.static_root) != bool(args.static_base):
        ap.error("--static-root and --static-base go together")
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
            ("hot post (200 comments)", base + hot),
            ("home /", base + "/"),
            ("RSS /feed/", base + "/feed/"),
            ("category archive", base + "/category/essays/"),
            ("REST /wp-json/wp/v2/posts?per_page=10", base + "/wp-json/wp/v2/posts?per_page=10"),
        ]
        if args.static_root:
            # Byline's own bytes for the hot post, as a plain file for nginx.
            copy = args.static_root / "byline" / hot.strip("/") / "index.html"
            copy.parent.mkdir(parents=True, exist_ok=True)
            with urllib.request.urlopen(base + hot) as r:  # noqa: S310
                copy.write_bytes(r.read())
            for d in [copy, *copy.parents]:
                d.chmod(0o755 if d.is_dir() else 0o644)
                if d == args.static_root:
                    break
            targets.append(
                ("nginx static copy of Byline's hot post", args.static_base.rstrip("/") + "/byline" + hot)
            )
        conns = [int(c) for c in args.conns.split(",")]
        header = (
            "| URL | bytes | 1-conn median ms | "
            + " | ".join(f"c={c} req/s | c={c} p50 / p99 ms" for c in conns)
            + " | errors | granian RSS / PSS MiB (mid-run, c="
            + "/".join(map(str, conns))
            + ") |"
        )
        rows = [header, "|" + "---|" * (3 + 2 * len(conns) + 2)]
        results = {"loadavg_start": loadavg(), "workers": args.workers, "posts": args.posts, "rows": []}
        print(f"loadavg at start: {results['loadavg_start']}", flush=True)
        for label, url in targets:
            is_static = not url.startswith(base)
            median, size = single(url)
            wrk(url, 8, args.warmup)  # warm-up
            cells, mems, errors = [], [], 0
            row = {"target": label, "url": url, "bytes": size, "seq_median_ms": median, "runs": []}
            for c in conns:
                sample = {}

                def take(s=sample):
                    s["mem"] = group_memory(server.pid)

                timer = threading.Timer(args.duration / 2, take)
                timer.start()
                r = wrk(url, c, args.duration)
                timer.join()
                n, rss, pss = sample.get("mem", (0, 0.0, 0.0))
                row["runs"].append({"conns": c, **r, "procs": n, "rss_mib": rss, "pss_mib": pss})
                cells += [f"{r['rps']:,.0f}", f"{r['p50']:.1f} / {r['p99']:.1f}"]
                mems.append("—" if is_static else f"{rss:.0f} / {pss:.0f}")
                errors += r["errors"]
                progress = f"  {label} c={c}: {r['rps']:,.1f} req/s (load {loadavg()})"
                print(progress, file=sys.stderr, flush=True)
            results["rows"].append(row)
            rows.append(
                f"| {label} | {size:,} | {median:.1f} | "
                + " | ".join(cells)
                + f" | {errors} | {' ; '.join(mems)} |"
            )
        n, rss, pss = group_memory(server.pid)
        results["memory_after"] = {"procs": n, "rss_mib": rss, "pss_mib": pss}
        results["loadavg_end"] = loadavg()
        print(f"\nByline ({args.workers} granian workers, SQLite, no page cache), {args.posts} posts:\n")
        print("\n".join(rows))
        print(f"\ngranian after the run: {n} processes, RSS {rss:.0f} MiB, PSS {pss:.0f} MiB")
        print(f"loadavg at start: {results['loadavg_start']}; at end: {results['loadavg_end']}")
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        log.close()
        shutil.rmtree(data, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
