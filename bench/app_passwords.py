"""What one REST request signed with an application password costs, at full hashing strength.

Runs in-process (Django's test client on a fresh data dir, the real PBKDF2 hasher): a user
with one and with ten application passwords, the right password (first and repeated
requests) and a wrong one. Prints a Markdown table of milliseconds per request (median).

    .venv/bin/python bench/app_passwords.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="byline-bench-"))
    from byline import cli

    os.environ["BYLINE_DATA_DIR"] = str(data)
    (data / "static").mkdir(parents=True)
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        cli.main(["init", "--data", str(data)])
        sys.stdout = stdout
    from django.core.cache import caches
    from django.test import Client

    from byline.api.passwords import create_app_password
    from byline.content.services import create_user

    client = Client(HTTP_HOST="127.0.0.1")

    def forget_failures() -> None:
        try:
            from axes.models import AccessAttempt
        except (ImportError, RuntimeError):  # a Byline from before the throttle
            return
        AccessAttempt.objects.all().delete()

    def ms(username: str, password: str, *, fresh: bool) -> float:
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        times = []
        for _ in range(args.repeat):
            forget_failures()  # measure the checks, not the sign-in throttle
            if fresh:
                caches["shared"].clear()
            start = time.perf_counter()
            response = client.get("/wp-json/wp/v2/users/me", HTTP_AUTHORIZATION=f"Basic {token}")
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code in (200, 401, 429), response.status_code
        return statistics.median(times)

    rows = []
    for count in (1, 10):
        user = create_user(f"writer{count}", email=f"w{count}@example.org", role="author")
        passwords = [create_app_password(user, f"client {i}")[1] for i in range(count)]
        last = passwords[-1]  # the worst case for a scan: the newest password
        rows.append((f"{count} password(s), right one, first request", ms(user.username, last, fresh=True)))
        ms(user.username, last, fresh=False)
        rows.append((f"{count} password(s), right one, repeated", ms(user.username, last, fresh=False)))
        rows.append((f"{count} password(s), wrong one", ms(user.username, "x" * 24, fresh=True)))
    rows.append(("unknown user", ms("nobody", "x" * 24, fresh=True)))
    from byline.api import passwords

    times = []
    for _ in range(args.repeat * 20):
        start = time.perf_counter()
        passwords.authenticate(user.username, last, ip="127.0.0.1")
        times.append((time.perf_counter() - start) * 1000)
    rows.append(("the check alone (`authenticate()`), right one, repeated", statistics.median(times)))
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        client.get("/wp-json/wp/v2/users/me")
        times.append((time.perf_counter() - start) * 1000)
    rows.append(("no Authorization header (the request's own cost)", statistics.median(times)))
    print("| request | ms (median) |\n|---|---:|")
    for label, value in rows:
        print(f"| {label} | {value:.2f} |")


if __name__ == "__main__":
    main()
