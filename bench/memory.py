"""PSS of each process of one `byline serve` under load, and its CPU per request.

    .venv/bin/python bench/memory.py DATA_DIR [--rounds 3] [--duration 5] [--conns 8] [-- SERVE_ARGS...]

Starts `byline serve` on DATA_DIR (a site loaded by bench/load_corpus.py), drives it with wrk
(the hot post, a plain post, home, a category archive, the RSS feed and the REST list, one
after the other, `--duration` seconds each), reads every process's PSS from
/proc/PID/smaps_rollup half-way through each run, and prints one line per process (the median
over the runs) and the tree's total. Extra arguments after `--` go to `byline serve`;
`BYLINE_PAGE_CACHE=0` in the environment measures the uncached path. Needs `wrk`.
"""

from __future__ import annotations

import argparse
import os
import re
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

from run import cpu_seconds  # bench/run.py: the same CPU reading as make bench

ROOT = Path(__file__).resolve().parent.parent
BYLINE = str(Path(sys.executable).parent / "byline")
PAGES = {
    "hot post": "/2025/10/why-old-laptops-still-matter/",
    "home": "/",
    "category archive": "/category/essays/",
    "RSS feed": "/feed/",
    "REST posts": "/wp-json/wp/v2/posts?per_page=10",
}


def tree(root: int) -> list[int]:
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        try:
            kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        out.append(pid)
        todo.extend(int(k) for k in kids)
    return out


def label(pid: int, root: int) -> str:
    """What the process is, in the words of docs/deployment.md."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        parent = int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])
    except OSError:
        return "gone"
    text = b" ".join(cmd).decode(errors="replace")
    if pid == root:
        return "byline serve"
    if parent != root:
        return "granian worker"
    if " worker " in f" {text} ":
        return "task worker"  # `byline worker`, as `byline serve` ran it before 2026-12-03
    return "granian main"


def pss_kib(pid: int) -> dict[str, int]:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return {}
    return {k: int(v) for k, v in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, conns: int, duration: float) -> int:
    """Requests answered (wrk's count)."""
    out = subprocess.run(  # noqa: S603
        ["wrk", "-t", "2", "-c", str(conns), "-d", f"{duration:g}s", url],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(re.search(r"(\d+) requests in", out).group(1))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--conns", type=int, default=8)
    parser.add_argument("serve_args", nargs="*")
    args = parser.parse_args()

    port = free_port()
    log = Path(tempfile.mkdtemp(prefix="byline-memory-")) / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("BYLINE_DATA_DIR", None)
    serve = subprocess.Popen(  # noqa: S603
        [
            BYLINE,
            "serve",
            "--data",
            str(args.data),
            "--port",
            str(port),
            "--log-file",
            str(log),
            *args.serve_args,
        ],
        stdout=subprocess.DEVNULL,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/", timeout=5)  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(2)  # the task worker starts once the site answers
        samples: dict[str, list[float]] = {}
        cpu_per_request: list[float] = []
        for _ in range(args.rounds):
            for path in PAGES.values():
                url = base + path
                wrk(url, args.conns, 1)  # warm-up
                pids = tree(serve.pid)
                cpu0 = cpu_seconds(pids)
                taken: dict[str, float] = {}

                def sample(pids=pids, taken=taken) -> None:
                    time.sleep(args.duration / 2)
                    counts: dict[str, int] = {}
                    for pid in tree(serve.pid):
                        name = label(pid, serve.pid)
                        counts[name] = counts.get(name, 0) + 1
                        if name == "granian worker":
                            name = f"granian worker {counts[name]}"
                        taken[name] = pss_kib(pid).get("Pss", 0) / 1024

                sampler = threading.Thread(target=sample)
                sampler.start()
                done = wrk(url, args.conns, args.duration)
                sampler.join()
                cpu_per_request.append((cpu_seconds(pids) - cpu0) * 1000 / max(done, 1))
                taken["total"] = sum(taken.values())
                for name, mib in taken.items():
                    samples.setdefault(name, []).append(mib)
        print(
            f"byline serve {' '.join(args.serve_args)}  (wrk c={args.conns}, {args.duration:g} s × "
            f"{len(PAGES)} URLs × {args.rounds}; PSS MiB median [min–max]; load {os.getloadavg()[0]:.2f})"
        )
        for name in sorted(samples, key=lambda n: (n == "total", n)):
            values = samples[name]
            print(f"  {name:18} {statistics.median(values):7.1f}  [{min(values):.1f}–{max(values):.1f}]")
        print(
            f"  CPU ms/req median {statistics.median(cpu_per_request):.2f} "
            f"(per URL run: {', '.join(f'{c:.2f}' for c in cpu_per_request)})"
        )
    finally:
        serve.send_signal(signal.SIGTERM)  # `byline serve` passes it on to granian and the worker
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(serve.pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
