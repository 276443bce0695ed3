#!/usr/bin/env bash
# Install, start and load the benchmark's anchors: Debian's WordPress (nginx -> php-fpm -> MariaDB,
# :8180, with nginx's static server on :8181) and the Wagtail tutorial blog (gunicorn, 2 sync
# workers, :8281), each with the anchors' 1,000-post corpus (the hot post has 200 comments in
# WordPress; Wagtail has no comments).
#
#   bench/anchors.sh            # as root; safe to run again (already loaded = quick)
#   bench/anchors.sh stop       # stop what it started (php-fpm, nginx, gunicorn; MariaDB stays)
#
# The anchors are NOT part of this repository: they are the project's shared reference installs,
# read from ANCHORS (default: shared/anchors beside the checkout, e.g. /work/shared/anchors).
# Their scripts write next to themselves, so they run from a writable copy in WORK.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
find_anchors() {
  local d="$ROOT"
  while [ "$d" != / ]; do
    [ -d "$d/shared/anchors/wordpress" ] && { echo "$d/shared/anchors"; return; }
    d="$(dirname "$d")"
  done
}
ANCHORS="${ANCHORS:-$(find_anchors)}"
[ -f "$ANCHORS/content.py" ] && ANCHORS="$(dirname "$ANCHORS")"  # given as .../anchors/wordpress
WORK="${BENCH_WORK:-/tmp/byline-bench}"
log() { printf '[anchors] %s\n' "$*" >&2; }

[ -n "$ANCHORS" ] && [ -d "$ANCHORS/wordpress" ] && [ -d "$ANCHORS/wagtail" ] || {
  echo "The anchors were not found: set ANCHORS=/path/to/shared/anchors" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "bench/anchors.sh installs Debian packages and services: run it as root" >&2; exit 2; }

if [ "${1:-start}" = stop ]; then
  [ -x "$WORK/anchors/wagtail/setup.sh" ] && "$WORK/anchors/wagtail/setup.sh" stop || true
  service php8.2-fpm stop >/dev/null 2>&1 || true
  service nginx stop >/dev/null 2>&1 || true
  exit 0
fi

mkdir -p "$WORK"
# A fresh writable copy each time (the anchors' own files may have changed); gunicorn runs from
# the copy, so it is stopped first (setup.sh starts it again).
[ -x "$WORK/anchors/wagtail/setup.sh" ] && "$WORK/anchors/wagtail/setup.sh" stop >/dev/null || true
rm -rf "$WORK/anchors"
cp -a "$ANCHORS" "$WORK/anchors"
chmod -R u+w,a+rX "$WORK/anchors"
chmod a+rx "$WORK"

# apt-get update only when a package is missing (setup.sh retries with it too).
dpkg-query -W -f='${Status}' wordpress 2>/dev/null | grep -q 'install ok installed' || apt-get update -qq

log "WordPress: setup.sh (packages, MariaDB, php-fpm, nginx; theme twentytwentythree)"
(cd "$WORK/anchors/wordpress" && ./setup.sh) > "$WORK/wordpress-setup.log" 2>&1 \
  || { tail -20 "$WORK/wordpress-setup.log" >&2; exit 1; }
log "WordPress: load.py (1,000 posts, 200 comments on the hot post; a no-op when already loaded)"
(cd "$WORK/anchors/wordpress" && python3 load.py) > "$WORK/wordpress-load.log" 2>&1 \
  || { tail -20 "$WORK/wordpress-load.log" >&2; exit 1; }

log "Wagtail: setup.sh (venv, wagtail + gunicorn, migrate, load, start)"
(cd "$WORK/anchors/wagtail" && ./setup.sh) > "$WORK/wagtail-setup.log" 2>&1 \
  || { tail -20 "$WORK/wagtail-setup.log" >&2; exit 1; }
log "ready: WordPress http://127.0.0.1:8180/, static http://127.0.0.1:8181/, Wagtail http://127.0.0.1:8281/"
