"""What one cached hit costs in `pagecache.answer()`, in this process (no server, no network).

    .venv/bin/python bench/hit_path.py DATA_DIR [PATH] [--profile]

DATA_DIR is a site with page caching on (bench/load_corpus.py builds one; a `make bench`
run leaves one under /tmp/byline-bench/). Prints CPU µs per call of `answer()` and of its
parts, medians of five rounds; ``--profile`` adds cProfile's top entries by own time.
"""

import io
import os
import statistics
import sys
import time
import timeit

args = [a for a in sys.argv[1:] if not a.startswith("--")]
os.environ["BYLINE_DATA_DIR"] = args[0]
os.environ["BYLINE_PAGE_CACHE"] = "1"
os.environ["DJANGO_SETTINGS_MODULE"] = "byline.settings"
PATH = args[1] if len(args) > 1 else "/2025/10/why-old-laptops-still-matter/"

from django.core.handlers.wsgi import WSGIRequest  # noqa: E402

from byline.wsgi import application  # noqa: E402


def environ(**extra) -> dict:
    """A request as wrk sends it (no Accept, no Accept-Encoding), plus ``extra``."""
    e = {"REQUEST_METHOD": "GET", "PATH_INFO": PATH, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
         "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000", "REMOTE_ADDR": "127.0.0.1",
         "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(), "SERVER_PROTOCOL": "HTTP/1.1"}  # fmt: skip
    e.update(extra)
    return e


def per_call(f, n=2000) -> float:
    """Median CPU µs per call over five rounds of n calls."""
    rounds = [timeit.Timer(f, timer=time.process_time).timeit(number=n) / n * 1e6 for _ in range(5)]
    return statistics.median(rounds)


def main() -> None:
    from byline.site import pagecache as pc  # after byline.wsgi has set Django up

    for _ in range(3):
        list(application(environ(), lambda *a: None))  # stores the page, warms the process
    found = pc.answer(environ())
    if found is None:
        sys.exit(f"{PATH} is not answered from the cache")
    env = environ()
    key = pc._early_key(WSGIRequest(dict(env)))
    _, entry = pc._lookup(key)
    rows = [
        ("answer(), whole", lambda: pc.answer(environ())),
        ("answer(), gzip'd", lambda: pc.answer(environ(HTTP_ACCEPT_ENCODING="gzip, br"))),
        ("answer(), query ?utm_source=x", lambda: pc.answer(environ(QUERY_STRING="utm_source=x"))),
        ("  WSGIRequest(dict(environ))", lambda: WSGIRequest(dict(env))),
        ("  key (_early_key)", lambda: pc._early_key(WSGIRequest(dict(env)))),
        ("  lookup", lambda: pc._lookup(key)),
    ]
    if "parts" in entry:
        captcha = next(p for p in entry["parts"] if not isinstance(p, bytes) and p[0] == "captcha")
        req = WSGIRequest(dict(env))
        rows += [
            ("  CSRF token", lambda: pc._csrf_token(WSGIRequest(dict(env)))),
            ("  CAPTCHA fill", lambda: pc._fragment(req, captcha, entry)),
            ("  fill, gzip'd (_filled)", lambda: pc._filled(req, entry, gzipped=True)),
        ]
    body = sum(len(c) for c in found[2])
    print(f"{PATH}  status {found[0]}  body {body} bytes  load {os.getloadavg()[0]:.1f}")
    print(f"{'part':34s} {'CPU µs/call':>12s}")
    for name, f in rows:
        print(f"{name:34s} {per_call(f):12.1f}")
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        profile = cProfile.Profile()
        profile.runcall(lambda: [pc.answer(environ()) for _ in range(3000)])
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
