"""`make bench`: Byline against WordPress (two themes), Wagtail and nginx, in one run on this machine.

The anchors (WordPress on :8180 with nginx's static server on :8181, Wagtail on :8281) must be
up and loaded: `bench/anchors.sh` does that, and `make bench` runs it first. This script loads
the same corpus (the anchors' content.py: 1,000 posts, a hot post with 200 threaded comments)
into a fresh Byline data dir, starts two `byline serve`s on it, one uncached
(BYLINE_PAGE_CACHE=0) and one with the page cache as shipped, copies Byline's hot-post bytes
where nginx serves them as a plain file, and drives every server with wrk: the hot post, a plain
post, home, a category archive, the RSS feed and the REST post list, at each connection count.

Order is page-major (one URL on every server, then the next), so a drift in the machine's load
spreads over the engines; WordPress's theme is switched in place between its two runs of a URL.
Before each URL it waits for a quiet machine; a sampler records every process's CPU use all
along, and each row says how much CPU processes outside the benchmark used during its run.

It prints one table and writes it to bench/results/<UTC date>.md; raw wrk output and JSON go to
OUT (default /tmp/byline-bench/<stamp>/). Settings, from the environment:

    DURATION=10 WARMUP=3 CONNS="8 32" SEQ=10   seconds per wrk run, warm-up seconds at c=8,
                                               connection counts, sequential 1-conn requests
    QUIET_PCT=15 QUIET_MAX=180                 "quiet" = under QUIET_PCT % of all CPU busy;
                                               wait at most QUIET_MAX s before each URL
    ENGINES="wp-classic wp-block wagtail byline byline-cached static"   a subset, for a smoke run
    RESULTS=bench/results/<date>.md            where the table goes ("-" = nowhere)
    DATA=/path/to/byline-data                  a Byline site loaded before (else a fresh one in OUT)

A smoke run: `DURATION=3 WARMUP=1 SEQ=3 make bench`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from load_corpus import anchors_dir  # noqa: E402

PYTHON = sys.executable
BYLINE = str(Path(PYTHON).with_name("byline"))
WORK = Path(os.environ.get("BENCH_WORK", "/tmp/byline-bench"))  # noqa: S108 - root's benchmark, not a secret
WP, STATIC, WAGTAIL = "http://127.0.0.1:8180", "http://127.0.0.1:8181", "http://127.0.0.1:8281"
STATIC_ROOT = Path("/var/www/wp-anchor-static")
WAGTAIL_HOME = Path(os.environ.get("WAGTAIL_ANCHOR_HOME", "/opt/wagtail-anchor"))

DURATION = int(os.environ.get("DURATION", "10"))
WARMUP = int(os.environ.get("WARMUP", "3"))
CONNS = [int(c) for c in os.environ.get("CONNS", "8 32").split()]
SEQ = int(os.environ.get("SEQ", "10"))
WARM_CONNECTIONS = int(os.environ.get("WARM_CONNECTIONS", "20"))  # per URL, before Byline's runs
QUIET_PCT = int(os.environ.get("QUIET_PCT", "15"))
QUIET_MAX = int(os.environ.get("QUIET_MAX", "180"))
ENGINES = os.environ.get("ENGINES", "wp-classic wp-block wagtail byline byline-cached static").split()
PAGES = ["hot post", "plain post", "home", "category archive", "RSS feed", "REST posts"]

LABELS = {
    "wp-classic": "WordPress, twentytwentyone (classic)",
    "wp-block": "WordPress, twentytwentythree (block)",
    "wagtail": "Wagtail",
    "byline": "Byline uncached",
    "byline-cached": "Byline cached",
    "static": "nginx, static file",
}
THEMES = {"wp-classic": "twentytwentyone", "wp-block": "twentytwentythree"}


def log(msg: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- processes and memory


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def tree(*roots: int) -> list[int]:
    """The processes under each root, roots included."""
    out, todo = [], [r for r in roots if r]
    while todo:
        pid = todo.pop()
        if Path(f"/proc/{pid}").exists():
            out.append(pid)
            todo.extend(children(pid))
    return out


def pidfile(path: str | Path) -> int:
    try:
        return int(Path(path).read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 0


def memory(pids: list[int]) -> dict:
    """Processes, RSS and PSS (MiB) summed over pids (PSS from /proc/PID/smaps_rollup)."""
    n, rss, pss = 0, 0, 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        n += 1
        rss += int(re.search(r"^VmRSS:\s+(\d+)", status, re.M).group(1))
        pss += int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1))
    return {"procs": n, "rss_mib": round(rss / 1024, 1), "pss_mib": round(pss / 1024, 1)}


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time (s) the processes have used so far."""
    ticks = 0
    for pid in pids:
        try:
            raw = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------------------- the machine's CPU


def cpu_busy(seconds: float = 3.0) -> int:
    """Percent of all CPU busy over `seconds` (/proc/stat)."""

    def read():
        v = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
        return v[3] + v[4], sum(v)

    idle0, total0 = read()
    time.sleep(seconds)
    idle1, total1 = read()
    total = max(total1 - total0, 1)
    return round(100 * (total - (idle1 - idle0)) / total)


def wait_quiet(what: str) -> dict:
    """Wait until the machine is quiet (nothing of ours runs between steps), at most QUIET_MAX s."""
    waited, busy = 0, cpu_busy()
    started = time.monotonic()
    while busy >= QUIET_PCT and waited < QUIET_MAX:
        if waited == 0:
            log(f"{what}: machine {busy}% busy; waiting (at most {QUIET_MAX} s)")
        time.sleep(7)
        busy = cpu_busy()
        waited = round(time.monotonic() - started)
    log(f"{what}: machine {busy}% busy after {waited} s; load average {loadavg()}")
    return {"busy_pct": busy, "waited_s": waited, "loadavg": loadavg()}


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Sampler(threading.Thread):
    """Every process's CPU use every ~2 s, from /proc/PID/stat; `ours` are the benchmark's pids."""

    def __init__(self, period: float = 2.0):
        super().__init__(daemon=True)
        self.period, self.samples, self.ours = period, [], set()
        self._stop = threading.Event()
        self.hz = os.sysconf("SC_CLK_TCK")

    @staticmethod
    def _ticks() -> dict[int, tuple[int, str]]:
        out = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    raw = (entry / "stat").read_text()
                except OSError:
                    continue
                comm = raw[raw.index("(") + 1 : raw.rindex(")")]
                fields = raw[raw.rindex(")") + 2 :].split()
                out[int(entry.name)] = (int(fields[11]) + int(fields[12]), comm)
        return out

    def run(self) -> None:
        before, t0 = self._ticks(), time.monotonic()
        while not self._stop.wait(self.period):
            after, t1 = self._ticks(), time.monotonic()
            wall = (t1 - t0) * self.hz
            ours = self.ours | set(tree(os.getpid()))
            procs = []
            for pid, (ticks, comm) in after.items():
                used = ticks - before.get(pid, (0, ""))[0] if pid in before else 0
                if used > 0:
                    procs.append((pid, comm, round(100 * used / wall, 1), pid in ours))
            self.samples.append({"t": time.time(), "procs": procs})
            before, t0 = after, t1

    def stop(self) -> None:
        self._stop.set()

    def foreign(self, start: float, end: float) -> dict:
        """CPU (% of one core) used by processes outside the benchmark between start and end."""
        totals, busiest = [], {}
        for s in self.samples:
            if start <= s["t"] <= end + self.period:
                total = 0.0
                for _pid, comm, pct, ours in s["procs"]:
                    if not ours and not comm.startswith(("kworker", "ksoftirqd", "rcu_")):
                        total += pct
                        busiest[comm] = max(busiest.get(comm, 0.0), pct)
                totals.append(total)
        top = sorted(busiest.items(), key=lambda kv: -kv[1])[:3]
        return {
            "mean_pct": round(statistics.mean(totals), 1) if totals else None,
            "max_pct": round(max(totals), 1) if totals else None,
            "top": [f"{c} {p:.0f}%" for c, p in top if p >= 5],
        }


# ----------------------------------------------------------------------------- wrk and curl


def wrk(url: str, conns: int, duration: int, save: Path | None = None) -> dict:
    threads = min(2, conns)
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s", "--latency", "--timeout", "30s", url]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    if save:
        save.write_text(out)

    def ms(label: str) -> float | None:
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)
        if not m:
            return None
        return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    done = re.search(r"(\d+) requests in", out)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "requests": int(done.group(1)) if done else 0,
        "errors": (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0),
    }


def fetch(url: str) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers={"User-Agent": "byline-bench"})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def sequential(url: str, n: int) -> float | None:
    """Median unloaded latency (ms) of n sequential curl requests, one connection each."""
    times = []
    for _ in range(n):
        out = subprocess.run(
            ["curl", "-s", "-o", "/dev/null", "-w", "%{time_total}", url],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        with contextlib.suppress(ValueError):
            times.append(float(out) * 1000)
    return statistics.median(times) if times else None


def warm_workers(url: str, n: int = WARM_CONNECTIONS) -> None:
    """n requests, each on a new connection, so every worker of the server has answered this
    URL (rendered it, stored it) before a timed run: a worker's first render takes 1-2 s while
    a hit takes under a millisecond, and one such request inside a run is its p99 at c=32."""
    for _ in range(n):
        fetch(url)  # urllib: a new connection per request


# ----------------------------------------------------------------------------- the servers


@dataclass
class Server:
    name: str
    urls: dict[str, str]
    pids: callable
    notes: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_byline(data: Path, cache: bool, out: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
    if not cache:
        env["BYLINE_PAGE_CACHE"] = "0"
    proc = subprocess.Popen(  # noqa: S603 - our own command
        [
            BYLINE,
            "serve",
            "--data",
            str(data),
            "--port",
            str(port),
            "--log-file",
            str(out / f"serve-{port}.log"),
        ],
        stdout=(out / f"serve-{port}.out").open("w"),
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        with contextlib.suppress(OSError):
            urllib.request.urlopen(base + "/", timeout=5)  # noqa: S310
            return proc, base
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise SystemExit(f"byline serve did not start; see {out}/serve-{port}.*")


def has_page_cache() -> bool:
    """Whether this build reads BYLINE_PAGE_CACHE at all (before the cache lands, it does not)."""
    return any(re.search(r"\bBYLINE_PAGE_CACHE\b", p.read_text()) for p in (ROOT / "byline").rglob("*.py"))


def wp_theme(theme: str) -> None:
    """Switch WordPress's theme in place (the anchor's wp_setup.php, as its setup.sh runs it)."""
    current = fetch(WP + "/")[1].decode("utf-8", "replace")
    if f"wp-content/themes/{theme}/" in current:
        return
    setup = WORK / "anchors" / "wordpress" / "wp_setup.php"
    cmd = ["php", str(setup), "127.0.0.1:8180"]
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "www-data", "--", "env", f"WP_ANCHOR_THEME={theme}", *cmd]
    subprocess.run(cmd, env={**os.environ, "WP_ANCHOR_THEME": theme}, capture_output=True, check=True)  # noqa: S603
    fetch(WP + "/")


def wp_link(slug: str) -> str:
    status, body = fetch(f"{WP}/wp-json/wp/v2/posts?slug={slug}&_fields=link")
    if status != 200 or not json.loads(body):
        raise SystemExit(f"WordPress does not have the post {slug}: run bench/anchors.sh")
    return json.loads(body)[0]["link"]


def wordpress_pids() -> list[int]:
    """php-fpm + nginx + MariaDB: WordPress's whole stack."""
    return tree(
        pidfile("/run/php/php8.2-fpm.pid"), pidfile("/run/nginx.pid"), pidfile("/run/mysqld/mysqld.pid")
    )


# ----------------------------------------------------------------------------- the table


def fmt(x: float | None, unit: str = "") -> str:
    if x is None:
        return "—"
    if x >= 100:
        return f"{x:,.0f}{unit}"
    return f"{x:.1f}{unit}" if x >= 10 else f"{x:.2f}{unit}"


def ratio(a: float | None, b: float | None) -> str:
    if not a or not b:
        return "—"
    r = a / b
    return f"{r:.2f}×" if r < 10 else f"{r:.1f}×"


def table(rows: list[dict], cached_label: str) -> list[str]:
    by = {(r["page"], r["engine"], r["conns"]): r for r in rows}
    lines = [
        "| URL | c | server | req/s | p50 ms | p99 ms | errors | PSS MiB (procs) | bytes | 1-conn ms | "
        "CPU ms/req | other CPU % | Byline ÷ WP classic | ÷ WP block | ÷ Wagtail | ÷ nginx static |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in PAGES:
        for c in CONNS:
            for eng in ENGINES:
                r = by.get((page, eng, c))
                if r is None:
                    continue
                label = cached_label if eng == "byline-cached" else LABELS[eng]
                cells = ["", "", "", ""]
                if eng.startswith("byline"):
                    for i, other in enumerate(["wp-classic", "wp-block", "wagtail"]):
                        o = by.get((page, other, c))
                        cells[i] = ratio(r["rps"], o["rps"] if o else None)
                    if eng == "byline-cached":
                        s = by.get((page, "static", c))
                        cells[3] = ratio(r["rps"], s["rps"] if s else None)
                mem = r.get("mem") or {}
                foreign = r.get("foreign") or {}
                lines.append(
                    f"| {page} | {c} | {label} | {fmt(r['rps'])} | {fmt(r['p50_ms'])} | {fmt(r['p99_ms'])} | "
                    f"{r['errors']} | {fmt(mem.get('pss_mib'))} ({mem.get('procs', '—')}) | {r['bytes']:,} | "
                    f"{fmt(r['seq_ms'])} | {fmt(r.get('cpu_ms'))} | {fmt(foreign.get('mean_pct'))} | "
                    + " | ".join(cells)
                    + " |"
                )
    return lines


def summary(rows: list[dict]) -> list[str]:
    """The targets of issue 11, read off the rows."""
    by = {(r["page"], r["engine"], r["conns"]): r for r in rows}
    out = [
        "| URL | c | uncached ÷ Wagtail (goal ≥ 2) | uncached ÷ WP classic (goal ≥ 10) | "
        "uncached ÷ WP block | cached ÷ nginx static (goal ≥ 0.5) | cached p99 ms (goal < 20 at c=32) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for page in PAGES:
        for c in CONNS:
            b, bc = by.get((page, "byline", c)), by.get((page, "byline-cached", c))
            if not b and not bc:
                continue

            def rps(eng: str, page=page, c=c) -> float | None:
                r = by.get((page, eng, c))
                return r["rps"] if r else None

            out.append(
                f"| {page} | {c} | {ratio(rps('byline'), rps('wagtail'))} | "
                f"{ratio(rps('byline'), rps('wp-classic'))} | "
                f"{ratio(rps('byline'), rps('wp-block'))} | {ratio(rps('byline-cached'), rps('static'))} | "
                f"{fmt(bc['p99_ms']) if bc else '—'} |"
            )
    return out


# ----------------------------------------------------------------------------- main


def main() -> int:  # noqa: C901, PLR0912, PLR0915 - one sequence, read top to bottom
    if not shutil.which("wrk") or not shutil.which("curl"):
        print("wrk and curl are needed: apt-get install wrk curl (bench/anchors.sh does)", file=sys.stderr)
        return 2
    started = datetime.now(UTC)
    out = Path(os.environ.get("OUT") or WORK / f"{started:%Y%m%dT%H%M%SZ}")
    out.mkdir(parents=True, exist_ok=True)
    results = Path(os.environ.get("RESULTS") or ROOT / "bench" / "results" / f"{started:%Y-%m-%d}.md")

    sys.path.insert(0, str(anchors_dir() / "wordpress"))
    import content

    posts = list(content.posts())
    hot, plain = next(p for p in posts if p["hot"]), posts[500]

    sampler = Sampler()
    sampler.start()
    uptime_start = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
    servers: dict[str, Server] = {}
    byline_procs: list[subprocess.Popen] = []
    try:
        if {"wp-classic", "wp-block", "static"} & set(ENGINES):
            hot_wp, plain_wp = wp_link(hot["slug"]), wp_link(plain["slug"])
            for eng in ("wp-classic", "wp-block"):
                servers[eng] = Server(
                    eng,
                    {
                        "hot post": hot_wp,
                        "plain post": plain_wp,
                        "home": WP + "/",
                        "category archive": WP + "/category/essays/",
                        "RSS feed": WP + "/feed/",
                        "REST posts": WP + "/wp-json/wp/v2/posts?per_page=10",
                    },
                    wordpress_pids,
                )
        if "wagtail" in ENGINES:
            servers["wagtail"] = Server(
                "wagtail",
                {
                    "hot post": f"{WAGTAIL}/{hot['slug']}/",
                    "plain post": f"{WAGTAIL}/{plain['slug']}/",
                    "home": WAGTAIL + "/",
                    "RSS feed": WAGTAIL + "/feed/",
                    "REST posts": WAGTAIL
                    + "/api/v2/pages/?type=blog.BlogPage&limit=10&order=-first_published_at"
                    "&fields=date,intro,body,category,tags",
                },
                lambda: tree(pidfile(WAGTAIL_HOME / "gunicorn.pid")),
            )
        if {"byline", "byline-cached", "static"} & set(ENGINES):
            data = Path(os.environ.get("DATA") or out / "byline-data")
            if not (data / "byline.sqlite3").exists():
                log(f"Byline: loading the corpus into {data} (bench/load_corpus.py)")
                env = {k: v for k, v in os.environ.items() if not k.startswith(("BYLINE_", "DJANGO_"))}
                loaded = subprocess.run(  # noqa: S603
                    [PYTHON, str(ROOT / "bench" / "load_corpus.py"), str(data)],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.strip()
                log(loaded)
            hot_path = f"/{hot['date'][:4]}/{hot['date'][5:7]}/{hot['slug']}/"
            plain_path = f"/{plain['date'][:4]}/{plain['date'][5:7]}/{plain['slug']}/"
            paths = {
                "hot post": hot_path,
                "plain post": plain_path,
                "home": "/",
                "category archive": "/category/essays/",
                "RSS feed": "/feed/",
                "REST posts": "/wp-json/wp/v2/posts?per_page=10",
            }
            for eng, cache in (("byline", False), ("byline-cached", True)):
                if eng in ENGINES or (eng == "byline-cached" and "static" in ENGINES):
                    proc, base = start_byline(data, cache, out)
                    byline_procs.append(proc)
                    servers[eng] = Server(
                        eng, {k: base + v for k, v in paths.items()}, lambda p=proc: tree(p.pid)
                    )
            # nginx serves the same bytes Byline sends for the hot post, from a file.
            source = servers.get("byline-cached") or servers["byline"]
            status, body = fetch(source.urls["hot post"])
            copy = STATIC_ROOT / "byline" / hot_path.strip("/") / "index.html"
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes(body)
            for d in [copy, *copy.parents]:
                d.chmod(0o755 if d.is_dir() else 0o644)
                if d == STATIC_ROOT:
                    break
            servers["static"] = Server(
                "static", {"hot post": f"{STATIC}/byline{hot_path}"}, lambda: tree(pidfile("/run/nginx.pid"))
            )
        cached_label = (
            "Byline cached" if has_page_cache() else 'Byline "cached" (no page cache in this build)'
        )

        env_lines = environment(uptime_start)
        (out / "env.txt").write_text("\n".join(env_lines) + "\n")
        rows: list[dict] = []
        order = [e for e in ENGINES if e in servers]
        for i, page in enumerate(PAGES):
            quiet = wait_quiet(page)
            # Alternate the WordPress themes' order so each theme runs first on half the URLs.
            engines = list(order)
            if i % 2 and "wp-classic" in engines and "wp-block" in engines:
                a, b = engines.index("wp-classic"), engines.index("wp-block")
                engines[a], engines[b] = engines[b], engines[a]
            for eng in engines:
                url = servers[eng].urls.get(page)
                if not url:
                    continue
                if eng in THEMES:
                    wp_theme(THEMES[eng])
                status, body = fetch(url)
                if status != 200:
                    raise SystemExit(f"{eng} {page}: HTTP {status} from {url}")
                name = f"{eng}.{page.replace(' ', '-')}"
                if eng.startswith("byline"):
                    warm_workers(url)
                seq_ms = sequential(url, SEQ)
                wrk(url, 8, WARMUP)
                for c in CONNS:
                    sampler.ours = {p.pid for p in byline_procs} | set(servers[eng].pids())
                    sample = {}
                    timer = threading.Timer(
                        DURATION / 2,
                        lambda s=sample, e=eng: s.update(
                            mem=memory(now := servers[e].pids()), root_mem=memory(now[:1])
                        ),
                    )
                    pids = servers[eng].pids()
                    t0, cpu0 = time.time(), cpu_seconds(pids)
                    timer.start()
                    r = wrk(url, c, DURATION, out / f"{name}.c{c}.txt")
                    timer.join()
                    # CPU per request, from the servers' own accounting: the figure a busy machine
                    # disturbs least (the processes present at the start, so a respawn is missed).
                    cpu_ms = 1000 * (cpu_seconds(pids) - cpu0) / r["requests"] if r["requests"] else None
                    foreign = sampler.foreign(t0, time.time())
                    row = {
                        "page": page,
                        "engine": eng,
                        "conns": c,
                        "url": url,
                        "bytes": len(body),
                        "seq_ms": seq_ms,
                        **r,
                        "mem": sample.get("mem"),
                        "root_mem": sample.get("root_mem"),
                        "cpu_ms": cpu_ms,
                        "foreign": foreign,
                        "quiet_before": quiet,
                    }
                    rows.append(row)
                    log(
                        f"{LABELS[eng]:38} {page:16} c={c:<3} {r['rps']:9,.1f} req/s  "
                        f"p99 {fmt(r['p99_ms'])} ms  "
                        f"errors {r['errors']}  PSS {fmt((row['mem'] or {}).get('pss_mib'))} MiB  "
                        f"CPU {fmt(cpu_ms)} ms/req  other CPU {fmt(foreign['mean_pct'])}%"
                    )
        if "wp-block" in servers:
            wp_theme("twentytwentythree")  # leave WordPress on its default theme
        uptime_end = subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()
        (out / "rows.json").write_text(json.dumps(rows, indent=2))
        (out / "cpu_samples.json").write_text(json.dumps(sampler.samples))
        report = render(rows, cached_label, env_lines, uptime_start, uptime_end, started, out)
        print("\n".join(report))
        if str(results) != "-":
            results.parent.mkdir(parents=True, exist_ok=True)
            results.write_text("\n".join(report) + "\n")
            log(f"written: {results} (raw output: {out})")
    finally:
        sampler.stop()
        for proc in byline_procs:
            # SIGTERM to `byline serve` alone, which passes it on: granian that got a second SIGTERM
            # from the group while stopping its workers once hung (granian 2.8.9); then the group.
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=20)
    return 0


def environment(uptime_start: str) -> list[str]:
    def version(pkg: str) -> str:
        cmd = ["dpkg-query", "-W", "-f=${Version}", pkg]
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout or "—"

    def run(*cmd: str) -> str:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()

    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(": ", 1)[1] for ln in cpuinfo if ln.startswith("model name")), "?")
    mem_gib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1)) / 2**20
    commit = run("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD")
    dirty = (
        " + uncommitted changes"
        if run("git", "-C", str(ROOT), "status", "--porcelain", "--", "byline")
        else ""
    )
    versions = run(
        PYTHON,
        "-c",
        "import sys, django, granian; "
        "print(f'Python {sys.version.split()[0]}, Django {django.__version__}, '"
        "f'granian {granian.__version__}')",
    )
    wagtail = run(
        str(WAGTAIL_HOME / "venv" / "bin" / "python"), "-c", "import wagtail; print(wagtail.__version__)"
    )
    return [
        f"- machine: {os.cpu_count()} CPUs ({cpu}), {mem_gib:.1f} GiB; uptime at the start: `{uptime_start}`",
        f"- Byline {commit}{dirty}: `byline serve` with its defaults (granian WSGI), SQLite; {versions}",
        f"- WordPress {version('wordpress')} (Debian), php-fpm {version('php8.2-fpm')} (Debian's pool), "
        f"MariaDB {version('mariadb-server')}, nginx {version('nginx')}; no page cache",
        f"- Wagtail {wagtail or '—'} (its tutorial blog, gunicorn with 2 sync workers, SQLite)",
        f"- wrk {version('wrk')}: -t2, --timeout 30s, {DURATION} s per run "
        f"at c = {', '.join(map(str, CONNS))}, "
        f"after a {WARMUP} s warm-up at c=8; {SEQ} sequential curl requests for the 1-conn median",
    ]


def render(rows, cached_label, env_lines, uptime_start, uptime_end, started, out) -> list[str]:
    mem_notes = []
    for eng in ENGINES:
        pss = [r["mem"]["pss_mib"] for r in rows if r["engine"] == eng and r.get("mem")]
        if pss:
            note = f"{LABELS[eng]} {min(pss):.0f}–{max(pss):.0f} MiB"
            own = [r["root_mem"]["pss_mib"] for r in rows if r["engine"] == eng and r.get("root_mem")]
            if eng.startswith("byline") and own:
                note += f" (`byline serve`'s own process, which starts granian: {statistics.median(own):.0f})"
            mem_notes.append(note)
    foreign = [r["foreign"]["mean_pct"] for r in rows if r["foreign"]["mean_pct"] is not None]
    peaks: dict[str, int] = {}
    for r in rows:
        for entry in r["foreign"]["top"]:
            comm, pct = entry.rsplit(" ", 1)
            peaks[comm] = max(peaks.get(comm, 0), int(pct.rstrip("%")))
    busiest = [f"{c} up to {p}%" for c, p in sorted(peaks.items(), key=lambda kv: -kv[1])]
    notes = [
        f"# Benchmark {started:%Y-%m-%d %H:%M} UTC: Byline, WordPress, Wagtail, nginx",
        "",
        "`make bench` (bench/run.py; the anchors come from the project's shared/anchors, "
        "set up by bench/anchors.sh).",
        "",
        *env_lines,
        f"- uptime at the end: `{uptime_end}`",
        f"- CPU used by processes outside the benchmark during the wrk runs (% of one core, mean per run): "
        f"median {fmt(statistics.median(foreign)) if foreign else '—'}, "
        f"max {fmt(max(foreign)) if foreign else '—'}"
        + (f"; busiest: {', '.join(busiest[:8])}" if busiest else ""),
        f"- PSS under load (each server's whole process tree, sampled mid-run): {'; '.join(mem_notes)}. "
        "WordPress = php-fpm + nginx + MariaDB; Byline = `byline serve` and its granian processes; "
        "Wagtail = gunicorn master + 2 workers.",
        "",
        "Ratios are req/s of the Byline row ÷ req/s of the same URL and connections on the other server. "
        "Wagtail has no comments (its hot post is the same post without them) and no category archive; "
        'its REST row is its pages API with the same fields (10 bodies). "other CPU %" is the mean CPU '
        'that processes outside the benchmark used during that run; "CPU ms/req" is the CPU time the '
        "server's processes used during the run ÷ the requests answered (WordPress: php-fpm + nginx + "
        "MariaDB), the figure a busy machine disturbs least.",
        "",
    ]
    if "no page cache" in cached_label:
        notes += [
            f'**{cached_label}**: this build does not read BYLINE_PAGE_CACHE, so the "cached" server is a '
            "second uncached one; its rows measure the same code again (a check of the run's noise).",
            "",
        ]
    notes += table(rows, cached_label)
    notes += [
        "",
        "## The targets (issue 11)",
        "",
        *summary(rows),
        "",
        f"Raw wrk output: `{out}` (not committed).",
    ]
    return notes


if __name__ == "__main__":
    sys.exit(main())
