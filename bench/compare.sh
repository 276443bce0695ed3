#!/usr/bin/env bash
# Byline and WordPress side by side, in one session, on this machine (bench/RESULTS.md).
#
#   sudo bench/compare.sh                      # from the Byline checkout, as root
#   ANCHOR=/tmp/wp-anchor WP_THEMES="twentytwentythree twentytwentyone" sudo -E bench/compare.sh
#
# Needs the WordPress anchor set up and loaded (shared/anchors/wordpress: setup.sh, load.py;
# run from a writable copy, ANCHOR, because bench.sh writes results/ next to itself).
# Order: WordPress with the first theme (bench.sh) -> Byline (bench/pages.py) -> WordPress
# with each further theme (setup.sh switches it). Same wrk settings for both engines:
# -t2, c=8 and c=32, 15 s, --timeout 30s, 5 s warm-up at c=8, 20 sequential curls.
# Each step waits for a quiet machine (other processes < QUIET_PCT % of all CPU, at most
# QUIET_MAX s) and is bracketed by `uptime` and a `top` snapshot; a sampler records the busiest
# processes every ~2 s for the whole session (cpu_timeline.txt), and foreign.txt lists any
# process that is not part of the benchmark and used over 10 % of a core. Raw output: OUT.
set -euo pipefail

BYLINE_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ANCHOR="${ANCHOR:-/tmp/wp-anchor}"
WP_THEMES="${WP_THEMES:-twentytwentythree}"
DURATION="${DURATION:-15}"
WARMUP="${WARMUP:-5}"
STATIC_ROOT=/var/www/wp-anchor-static
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
OUT="${OUT:-/tmp/byline-compare/$STAMP}"
QUIET_PCT="${QUIET_PCT:-10}"
QUIET_MAX="${QUIET_MAX:-600}"
mkdir -p "$OUT"

log() { printf '[compare] %s\n' "$*" | tee -a "$OUT/log.txt" >&2; }
snap() {  # snap NAME: uptime + the busiest processes over one second
  { date -u +%H:%M:%SZ; uptime; top -b -n 2 -d 1 -w 200 -o %CPU | awk '/^top -/{n++} n==2' | sed -n '3p;7,16p'; } \
    > "$OUT/$1.snap.txt"
  log "$1: $(uptime | sed 's/.*load average/load average/')"
}
cpu_busy() {  # percent of all CPU busy over 3 s (/proc/stat)
  local a b
  a=($(head -1 /proc/stat)); sleep 3; b=($(head -1 /proc/stat))
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=0 i
  for i in 1 2 3 4 5 6 7 8; do total=$(( total + b[i] - a[i] )); done
  echo $(( 100 * (total - idle) / (total > 0 ? total : 1) ))
}
wait_quiet() {  # wait until the machine is idle (nothing of ours runs between steps)
  local waited=0 busy
  while busy=$(cpu_busy); [ "$busy" -ge "$QUIET_PCT" ]; do
    [ "$waited" -ge "$QUIET_MAX" ] && { log "still ${busy}% busy after ${waited}s; going on"; return; }
    [ "$waited" = 0 ] && log "machine ${busy}% busy; waiting (at most ${QUIET_MAX}s)"
    sleep 10; waited=$((waited + 13))
  done
  log "machine quiet (${busy}% busy) after ${waited}s"
}
sampler() {  # the busiest processes, with command lines, every ~2 s
  while :; do
    echo "@ $(date -u +%H:%M:%S) load $(cut -d' ' -f1-3 /proc/loadavg)"
    top -b -c -n 2 -d 2 -w 250 -o %CPU | awk '/^top -/{n++} n==2' | sed -n '8,13p'
  done
}
current_theme() { curl -fsS http://127.0.0.1:8180/ | grep -o 'wp-content/themes/[a-z0-9-]*' | head -1 | cut -d/ -f3; }
wp_bench() {  # wp_bench THEME
  if [ "$(current_theme)" != "$1" ]; then
    log "switching WordPress to $1"
    (cd "$ANCHOR" && WP_ANCHOR_THEME="$1" ./setup.sh > "$OUT/setup.$1.log" 2>&1)
  fi
  wait_quiet
  snap "wp-$1.before"
  log "WordPress ($1): $ANCHOR/bench.sh"
  (cd "$ANCHOR" && OUT="$OUT/wp-$1" DURATION="$DURATION" WARMUP="$WARMUP" CONNS="8 32" THREADS=2 \
    WRK_TIMEOUT=30s SEQ=20 ./bench.sh) > "$OUT/wp-$1.txt" 2> "$OUT/wp-$1.err"
  snap "wp-$1.after"
}

{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "nproc=$(nproc)"
  echo "cpu=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
  echo "mem=$(awk '/MemTotal/{print $2" kB"}' /proc/meminfo)"
  echo "os=$(. /etc/os-release; echo "$PRETTY_NAME") debian_version=$(cat /etc/debian_version)"
  for p in wordpress php8.2-fpm nginx mariadb-server wrk curl; do
    echo "$p=$(dpkg-query -W -f='${Version}' "$p")"
  done
  echo "byline=$(git -C "$BYLINE_ROOT" rev-parse --short HEAD)$([ -z "$(git -C "$BYLINE_ROOT" status --porcelain -- byline)" ] || echo '+dirty')"
  "$BYLINE_ROOT/.venv/bin/python" -c 'import sys, django, granian, jinja2; print(f"python={sys.version.split()[0]} django={django.__version__} granian={granian.__version__} jinja2={jinja2.__version__}")'
  echo "sqlite=$("$BYLINE_ROOT/.venv/bin/python" -c 'import sqlite3; print(sqlite3.sqlite_version)')"
  echo "wp_themes=$WP_THEMES duration=${DURATION}s warmup=${WARMUP}s conns=8,32 threads=2 timeout=30s seq=20"
} > "$OUT/env.txt"
cat "$OUT/env.txt" >&2

sampler > "$OUT/cpu_timeline.txt" 2>&1 &
SAMPLER=$!
trap 'kill "$SAMPLER" 2>/dev/null || true' EXIT

set -- $WP_THEMES
first="$1"; shift
wp_bench "$first"

wait_quiet
snap byline.before
log "Byline: bench/pages.py"
"$BYLINE_ROOT/.venv/bin/python" "$BYLINE_ROOT/bench/pages.py" --duration "$DURATION" --warmup "$WARMUP" \
  --conns 8,32 --static-root "$STATIC_ROOT" --static-base http://127.0.0.1:8181 --json "$OUT/byline.json" \
  > "$OUT/byline.txt" 2> "$OUT/byline.err"
snap byline.after

for theme in "$@"; do wp_bench "$theme"; done
# Leave WordPress on its default theme.
[ "$(current_theme)" = twentytwentythree ] || (cd "$ANCHOR" && ./setup.sh > "$OUT/setup.reset.log" 2>&1)

kill "$SAMPLER" 2>/dev/null || true
# Anything busy that is not the benchmark itself (wrk, curl, nginx, php-fpm, MariaDB, granian, top).
awk '/^@/{t=$2; next} $9+0 > 10 && $0 !~ /wrk|curl|nginx|php-fpm|mariadbd|granian|byline|top -b|bench\/pages.py|load_corpus.py|wp_setup.php|import content|bench.sh|kworker|ksoftirqd/ {print t, $0}' \
  "$OUT/cpu_timeline.txt" > "$OUT/foreign.txt" || true
log "foreign processes over 10% of a core: $(wc -l < "$OUT/foreign.txt") samples (foreign.txt)"
log "done: $OUT"
for f in "$OUT"/wp-*/summary.md; do echo "== $f"; cat "$f"; done
echo "== Byline"; cat "$OUT/byline.txt"
