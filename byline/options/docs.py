"""Write docs/configuration.md from the option declarations: `python -m byline.options.docs`."""

import os

HEADER = """\
# Configuring Byline

There are two kinds of configuration.

**Site options** are what a WordPress owner finds under *Settings*: the blog's name, how
many posts a page shows, the permalink structure, the comment rules. They live in the
database, under WordPress's option names, and take effect on the next request of every
server process. Change them in the admin (*Site options*) or from the shell:

    byline option list
    byline option get posts_per_page
    byline option set posts_per_page 15

A value an option does not accept is refused with a message naming what it does accept,
and nothing changes.

**Deployment settings** say where things are: the data directory (`--data DIR`,
`$BYLINE_DATA_DIR`, default `./byline-data`) and, in `DIR/byline.toml` or as environment
variables `BYLINE_<NAME>` (which win). With `behind_https_proxy`, `X-Forwarded-Proto` is
believed only from `trusted_proxies` (then `127.0.0.1,::1` unless set). Embeds beyond
`csp_embed_sources` and how a page adds a script under the Content-Security-Policy:
docs/architecture.md.

| setting | default | what it is |
|---|---|---|
| `database_url` | SQLite in `DIR/byline.sqlite3` | e.g. `postgres://user@host/dbname` |
| `cache_url` | in-process memory | e.g. `redis://127.0.0.1:6379/0`, shared by every app node |
| `allowed_hosts` | `127.0.0.1,localhost,[::1]` | the host names the site answers to, comma-separated |
| `csrf_trusted_origins` | none | e.g. `https://blog.example.org` behind a TLS proxy |
| `trusted_proxies` | none | proxies whose `X-Forwarded-For`/`-Proto` are believed, e.g. `10.0.0.0/8` |
| `behind_https_proxy` | `0` | `1` behind a TLS proxy: http → https, `Secure` cookies, HSTS |
| `hsts_seconds` | `31536000` | behind HTTPS, the HSTS `max-age`; `0` sends none |
| `csp_embed_sources` | none | origins posts may embed from, e.g. `https://www.youtube-nocookie.com` |
| `login_failure_limit` | `5` | failed sign-ins from one address before it must wait |
| `login_lockout_minutes` | `15` | how long it waits (the right password is refused too) |
| `login_account_failure_limit` | `50` | failed sign-ins an hour for one account, from all addresses |
| `secret_key` | generated into `DIR/secret_key` | must be the same on every app node |
| `media_dir` | `DIR/media` | uploaded photos and their thumbnails |
| `debug` | `0` | `1` shows Django's debug pages: never on a public site |
| `email_backend` | console | Django's email backend for comment notices |
| `page_cache` | `1` | `0` turns the full-page cache off, e.g. to measure uncached pages |
| `page_cache_seconds` | `600` | longest a stored page is kept; any change outdates every page at once |
| `page_cache_entries` | `500` | pages kept per server process without `cache_url` |
| `page_cache_cdn_seconds` | `10` | `s-maxage` of stored pages: how long a CDN in front may keep one |
| `page_cache_stale_seconds` | `30` | `stale-while-revalidate` of stored pages |
| `page_cache_purge` | none | told when every page changed: a dotted callable or a URL (see deployment) |
| `max_image_pixels` | `40000000` | the largest upload (width × height), checked before decoding |
| `sqlite_timeout` | `20` | seconds a write waits for SQLite's lock before "busy, try again" (503) |
| `email_host`, `email_port` | `localhost`, `25` | the SMTP server for comment notices and password resets |
| `email_host_user`, `email_host_password`, `email_use_tls` | none, none, `0` | SMTP login; `1`: STARTTLS |
| `default_from_email` | `byline@localhost` | the sender address of Byline's mail |
| `nodes` | `1` | how many app nodes serve the site (`byline check` then asks for PostgreSQL and Redis) |

## Site options
"""


def render() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    import django

    django.setup()
    from byline.options.registry import OPTIONS

    out = [HEADER]
    groups: dict[str, list] = {}
    for spec in OPTIONS.values():
        groups.setdefault(spec.group, []).append(spec)
    for group in sorted(groups):
        out.append(
            f"\n### {group.title()}\n\n| option | default | accepts | what it does |\n|---|---|---|---|\n"
        )
        for spec in sorted(groups[group], key=lambda s: s.name):
            if spec.kind == "bool":
                accepts = "0 or 1"
            elif spec.kind == "int":
                accepts = spec._range_words()
            elif spec.name == "timezone_string":
                accepts = "an IANA time zone name"
            elif spec.kind == "choice":
                accepts = ", ".join(spec.choices)
            else:
                accepts = "text"
            default = spec.serialize(spec.default).replace("|", "\\|") or "(empty)"
            out.append(f"| `{spec.name}` | `{default}` | {accepts} | {spec.help} |\n")
    return "".join(out)


if __name__ == "__main__":
    print(render(), end="")
