"""/media/ served by granian's own static route versus through Django (with every security header).

Makes a demo site in a temporary data dir, starts granian twice on a spare port (one worker,
four threads), and fetches one photo over keep-alive connections from four client threads.
Prints a Markdown table: requests per second and median milliseconds per request.

    .venv/bin/python bench/media.py [--requests 2000]
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BIN = Path(sys.executable).parent
PHOTO = "/media/2025/09/north-quay-cranes-640w.jpg"


def spare_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(data: Path, port: int, granian_static: bool) -> subprocess.Popen:
    argv = [str(BIN / "granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", "1", "--blocking-threads", "4", "--no-access-log"]
    if granian_static:
        argv += ["--static-path-route", "/media", "--static-path-mount", str(data / "media")]
    env = {**os.environ, "BYLINE_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "byline.settings"}
    proc = subprocess.Popen([*argv, "byline.wsgi:application"], env=env, start_new_session=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    raise SystemExit("granian did not start")


def drive(port: int, total: int, threads: int = 4) -> tuple[float, float, dict]:
    times: list[float] = []
    headers: dict = {}

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        for _ in range(n):
            start = time.perf_counter()
            conn.request("GET", PHOTO)
            response = conn.getresponse()
            response.read()
            times.append((time.perf_counter() - start) * 1000)
            headers.update((k.lower(), v) for k, v in response.getheaders())
        conn.close()

    drive_start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(total // threads,)) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - drive_start
    return len(times) / elapsed, statistics.median(times), headers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="byline-bench-media-"))
    subprocess.run(
        [str(BIN / "byline"), "init", "--data", str(data), "--demo"], check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [str(BIN / "byline"), "manage", "collectstatic", "--noinput", "--data", str(data)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print("| /media/ served by | req/s | median ms | CSP | nosniff |\n|---|---:|---:|---|---|")
    try:
        for label, granian_static in (("granian's static route", True), ("Django (MediaMiddleware)", False)):
            port = spare_port()
            proc = start(data, port, granian_static)
            try:
                drive(port, 200)  # warm up
                rate, median, headers = drive(port, args.requests)
            finally:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait()
            csp = "yes" if "content-security-policy" in headers else "no"
            nosniff = "yes" if headers.get("x-content-type-options") == "nosniff" else "no"
            print(f"| {label} | {rate:.0f} | {median:.2f} | {csp} | {nosniff} |")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
