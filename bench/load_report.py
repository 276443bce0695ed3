"""A bench/load.sh run as Markdown: one section per mode, from the raw output in its folder."""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime
from pathlib import Path

SETUPS = {
    "pg": "two `byline serve` nodes (granian, {workers}) on PostgreSQL + Redis, behind nginx with "
    "`deploy/nginx-two-nodes.conf`",
    "sqlite": "one `byline serve` (granian, {workers}) on SQLite, behind nginx with "
    "`deploy/nginx-byline.conf`",
}


def _load_lines(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        if line.startswith("LOAD "):
            values.update(re.findall(r"(\w+)=(\S+)", line))
            if line.startswith("LOAD statuses:"):
                values["statuses"] = line.split(":", 1)[1].strip()
    return values


def _read(path: Path) -> str:
    return path.read_text().strip() if path.exists() else ""


def section(folder: Path, mode: str, args) -> str:
    wrk = (folder / "wrk.txt").read_text() if (folder / "wrk.txt").exists() else ""
    v = _load_lines(wrk)
    count = (folder / "count.txt").read_text().strip() if (folder / "count.txt").exists() else "(not counted)"
    c = dict(re.findall(r"(\w+)=(\d+)", count))
    errors = _read(folder / "errors.txt")
    bad_lines = len(errors.splitlines())
    fivexx = int(v.get("5xx", "-1"))
    lost = int(c.get("lost", "-1"))
    verdict = "PASS" if fivexx == 0 and lost == 0 and int(c.get("acknowledged", 0)) > 0 else "FAIL"
    setup = SETUPS[mode].format(workers=args.workers_note.get(mode, ""))
    lines = [
        f"### {mode}: {verdict}",
        "",
        f"Set-up: {setup}.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| requests in {v.get('seconds', '?')} s | {v.get('requests', '?')} ({v.get('rps', '?')}/s) |",
        f"| latency p50 / p90 / p99 / max (ms) | {v.get('p50', '?')} / {v.get('p90', '?')} / "
        f"{v.get('p99', '?')} / {v.get('max', '?')} |",
        f"| responses by status | {v.get('statuses', '?')} |",
        f"| 5xx | **{fivexx}** |",
        f"| socket errors (connect/read/write/timeout) | {v.get('connect', '?')}/{v.get('read', '?')}/"
        f"{v.get('write', '?')}/{v.get('timeout', '?')} |",
        f"| comment POSTs sent / acknowledged (303) | {v.get('comments_sent', '?')} / "
        f"{v.get('acknowledged_303', '?')} |",
        f"| run's comments in the database / acknowledged but missing | {c.get('stored', '?')} / "
        f"**{lost}** |",
        f"| page views when the comment pool ran dry | {v.get('pool_empty', '?')} |",
        f"| `database is locked` or tracebacks in the node logs | {bad_lines} |",
        "",
        "Machine before and after the run:",
        "",
        "```",
        _read(folder / "machine-before.txt"),
        "---",
        _read(folder / "machine-after.txt"),
        "```",
        "",
        "What the run changed in the repository's nginx config (`diff -u deploy/… used.conf`):",
        "",
        "```diff",
        _read(folder / "nginx" / "site.diff"),
        "```",
        "",
        "<details><summary>wrk's own output</summary>",
        "",
        "```",
        wrk.strip(),
        "```",
        "</details>",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("out", type=Path)
    ap.add_argument("--duration", required=True)
    ap.add_argument("--connections", required=True)
    ap.add_argument("--threads", required=True)
    ap.add_argument("--posts", required=True)
    ap.add_argument("--modes", required=True)
    ap.add_argument("--pg-workers", default="1")
    ap.add_argument("--sqlite-workers", default="2")
    ap.add_argument("--node-threads", default="4")
    args = ap.parse_args()
    args.workers_note = {
        "pg": f"{args.pg_workers} worker × {args.node_threads} threads each",
        "sqlite": f"{args.sqlite_workers} workers × {args.node_threads} threads",
    }
    start = (args.out / "machine-start.txt").read_text().strip()
    print(f"## Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (`bench/load.sh`, raw output in `{args.out}`)")
    print()
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s --timeout 30s: 90 % GETs of a random "
        f"post among {args.posts}, 10 % comment POSTs (a fresh CAPTCHA token each, see bench/load_site.py)."
    )
    print()
    print("Machine at the start (2 cores, shared with other work):")
    print()
    print("```")
    print(start)
    print("```")
    print()
    for mode in args.modes.split():
        print(section(args.out / mode, mode, args))


if __name__ == "__main__":
    main()
