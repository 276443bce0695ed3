#!/usr/bin/env bash
# Load test (issue 12): wrk at 64 connections for 60 s, 90 % page views over 1,000 posts and
# 10 % comment posts, through nginx with the repository's own configs (deploy/), on
#   pg:     two `byline serve` nodes on PostgreSQL + Redis behind deploy/nginx-two-nodes.conf
#   sqlite: one `byline serve` on SQLite behind deploy/nginx-byline.conf
# Everything runs throw-away: its own PostgreSQL cluster (initdb, spare port, temp dir), its own
# Redis (--save ''), its own nginx on LB_ADDR:443 and :80 with a self-signed certificate; the
# machine's services are never touched. Results: bench/results/load-<UTC date>.md.
#
#   bench/load.sh                       # both; as root (nginx binds 443; initdb runs as postgres)
#   MODES=sqlite DURATION=20 bench/load.sh
#
# Needs wrk and nginx (apt-get install wrk nginx-light), redis-server and PostgreSQL's binaries,
# and shared/anchors beside the checkout for the 1,000-post corpus (bench/load_corpus.py; or
# ANCHORS=/path/to/shared/anchors/wordpress).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MODES="${MODES:-pg sqlite}"
DURATION="${DURATION:-60}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
POSTS="${POSTS:-1000}"
COMMENT_POOL="${COMMENT_POOL:-6000}"
NODE_WORKERS="${NODE_WORKERS:-1}"   # per node on PostgreSQL: two nodes, one process each, on 2 cores
SQLITE_WORKERS="${SQLITE_WORKERS:-2}"
NODE_THREADS="${NODE_THREADS:-4}"
QUIET_LOAD="${QUIET_LOAD:-2.5}"    # other people's work on the machine: wait for less than this
QUIET_MAX="${QUIET_MAX:-300}"       # ... but at most this many seconds, then run and say so
LB_ADDR="${LB_ADDR:-127.0.0.3}"     # a loopback address of its own: 443 and 80 there are ours
SITE_HOST=blog.example.org          # deploy/byline.env's BYLINE_ALLOWED_HOSTS
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
MARKER="load-$STAMP"
OUT="${OUT:-/tmp/byline-load/$STAMP}"
RESULTS="${RESULTS:-$ROOT/bench/results/load-$(date -u +%F).md}"
PY="$ROOT/.venv/bin/python"
BYLINE="$ROOT/.venv/bin/byline"
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
mkdir -p "$OUT"

log() { printf '[load] %s\n' "$*" | tee -a "$OUT/log.txt" >&2; }
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
quiet() {  # wait (at most QUIET_MAX s) for the 1-minute load average to fall under QUIET_LOAD
  local waited=0
  while awk -v max="$QUIET_LOAD" '{exit !($1 >= max)}' /proc/loadavg && [ "$waited" -lt "$QUIET_MAX" ]; do
    sleep 10; waited=$((waited + 10))
  done
  log "waited ${waited} s for a quieter machine (load now $(cut -d' ' -f1-3 /proc/loadavg), wanted < $QUIET_LOAD)"
}
machine() { echo "uptime: $(uptime)"; echo "busiest processes:"; ps -eo pcpu,etime,args --sort=-pcpu | head -8 | cut -c1-150; }

for tool in wrk "$NGINX" redis-server; do command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }; done

PIDS=()
PG_DIRS=()
NGINX_CONFS=()
cleanup() {
  for conf in "${NGINX_CONFS[@]}"; do "$NGINX" -p "$(dirname "$conf")" -c "$conf" -s quit 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true; done
  for dir in "${PG_DIRS[@]}"; do as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; rm -rf "$dir"; done
}
trap cleanup EXIT

start_postgres() {  # -> PG_URL
  local dir port
  dir="$(mktemp -d /tmp/byline-load-pg.XXXXXX)"; PG_DIRS+=("$dir"); port="$(free_port)"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
  as_postgres "$PG_BIN/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
  PG_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

start_redis() {  # -> REDIS_URL
  local port; port="$(free_port)"
  setsid redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >/dev/null &
  PIDS+=($!)
  REDIS_URL="redis://127.0.0.1:$port/0"
  for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "redis-server did not start" >&2; exit 1
}

start_node() {  # data port workers log
  setsid "$BYLINE" serve --data "$1" --host 127.0.0.1 --port "$2" --workers "$3" --threads "$NODE_THREADS" \
    --log-file "$4" >/dev/null 2>&1 &
  PIDS+=($!)
}

wait_for() {  # port
  # As nginx asks (the site's name, HTTPS): anything else is a DisallowedHost in the node's log.
  for _ in $(seq 600); do
    curl -s -o /dev/null -H "Host: $SITE_HOST" -H "X-Forwarded-Proto: https" "http://127.0.0.1:$1/" && return
    sleep 0.2
  done
  echo "nothing answers on port $1" >&2; exit 1
}

start_nginx() {  # site-config-from-deploy/ dir sed-expression...
  local site="$1" dir="$2"; shift 2
  mkdir -p "$dir/tmp"; chmod 777 "$dir/tmp"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=$SITE_HOST" \
    -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1
  # The repository's config as it is, but for what only a real machine has: the nodes'
  # addresses, the certificate, and the address it listens on (LB_ADDR instead of all).
  sed -e "s|ssl_certificate .*;|ssl_certificate $dir/cert.pem;|" \
      -e "s|ssl_certificate_key .*;|ssl_certificate_key $dir/key.pem;|" \
      -e "/listen \[::\]/d" \
      -e "s|listen 80;|listen $LB_ADDR:80;|" \
      -e "s|listen 443 |listen $LB_ADDR:443 |" \
      "$@" "$ROOT/deploy/$site" > "$dir/site.conf"
  cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
error_log $dir/error.log;
pid $dir/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  include $dir/site.conf;
}
CONF
  "$NGINX" -p "$dir" -c "$dir/nginx.conf"
  NGINX_CONFS+=("$dir/nginx.conf")
  diff -u "$ROOT/deploy/$site" "$dir/site.conf" > "$dir/site.diff" || true
}

node_env() {  # deploy/byline.env as a node reads it (systemd's EnvironmentFile), then this run's own
  grep -E '^[A-Z_]+=' "$ROOT/deploy/byline.env" | sed 's/^/export /'
  # No SMTP server here: notices go nowhere instead of failing to connect.
  echo "export BYLINE_EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend"
}

run_wrk() {  # mode dir
  local mode="$1" dir="$2"
  log "$mode: preparing $COMMENT_POOL comment forms"
  "$PY" "$ROOT/bench/load_site.py" prepare "$dir/node-a" --base "https://$LB_ADDR" --host "$SITE_HOST" \
    --comments "$COMMENT_POOL" --marker "$MARKER-$mode" --out "$dir/wrk" | tee -a "$OUT/log.txt"
  log "$mode: warm-up, 5 s at 8 connections (page views only)"
  LOAD_PAGES="$dir/wrk/pages.txt" LOAD_COMMENTS=/dev/null LOAD_COOKIE=x LOAD_BASE=x LOAD_IDS=/dev/null LOAD_THREADS=1 \
    wrk -t1 -c8 -d5s -H "Host: $SITE_HOST" -s "$ROOT/bench/load.lua" "https://$LB_ADDR" >/dev/null
  quiet
  machine > "$dir/machine-before.txt"
  log "$mode: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s"
  LOAD_PAGES="$dir/wrk/pages.txt" LOAD_COMMENTS="$dir/wrk/comments.txt" LOAD_COOKIE="$(cat "$dir/wrk/csrf_cookie.txt")" \
    LOAD_BASE="https://$SITE_HOST" LOAD_IDS="$dir/wrk/acknowledged.txt" LOAD_THREADS="$THREADS" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency -H "Host: $SITE_HOST" \
      -s "$ROOT/bench/load.lua" "https://$LB_ADDR" | tee "$dir/wrk.txt"
  machine > "$dir/machine-after.txt"
  sleep 2  # let the last requests finish before counting
  "$PY" "$ROOT/bench/load_site.py" count "$dir/node-a" --ids "$dir/wrk/acknowledged.txt" \
    --marker "$MARKER-$mode" | tee "$dir/count.txt" || true
  grep -h "database is locked\|Traceback" "$dir"/node-*.log > "$dir/errors.txt" || true
}

run_pg() {
  local dir="$OUT/pg" p1 p2
  mkdir -p "$dir"
  start_postgres; start_redis
  log "pg: PostgreSQL $PG_URL, Redis $REDIS_URL; loading $POSTS posts"
  (
    eval "$(node_env)"
    export BYLINE_DATABASE_URL="$PG_URL" BYLINE_CACHE_URL="$REDIS_URL"
    "$PY" "$ROOT/bench/load_corpus.py" "$dir/node-a" --posts "$POSTS" | tee -a "$OUT/log.txt"
  )
  cp -a "$dir/node-a" "$dir/node-b"  # the second node: the same key and config, its own folder
  p1="$(free_port)"; p2="$(free_port)"
  eval "$(node_env)"
  export BYLINE_DATABASE_URL="$PG_URL" BYLINE_CACHE_URL="$REDIS_URL"
  start_node "$dir/node-a" "$p1" "$NODE_WORKERS" "$dir/node-a.log"
  start_node "$dir/node-b" "$p2" "$NODE_WORKERS" "$dir/node-b.log"
  wait_for "$p1"; wait_for "$p2"
  start_nginx nginx-two-nodes.conf "$dir/nginx" \
    -e "s|server 10.0.0.11:8000|server 127.0.0.1:$p1|" -e "s|server 10.0.0.12:8000|server 127.0.0.1:$p2|"
  run_wrk pg "$dir"
  "$NGINX" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -s quit; sleep 1
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  PIDS=(); NGINX_CONFS=()
  unset BYLINE_DATABASE_URL BYLINE_CACHE_URL
}

run_sqlite() {
  local dir="$OUT/sqlite" p1
  mkdir -p "$dir"
  log "sqlite: loading $POSTS posts"
  ( eval "$(node_env)"; "$PY" "$ROOT/bench/load_corpus.py" "$dir/node-a" --posts "$POSTS" | tee -a "$OUT/log.txt" )
  p1="$(free_port)"
  eval "$(node_env)"
  start_node "$dir/node-a" "$p1" "$SQLITE_WORKERS" "$dir/node-a.log"
  wait_for "$p1"
  start_nginx nginx-byline.conf "$dir/nginx" -e "s|proxy_pass http://127.0.0.1:8000;|proxy_pass http://127.0.0.1:$p1;|"
  run_wrk sqlite "$dir"
  "$NGINX" -p "$dir/nginx" -c "$dir/nginx/nginx.conf" -s quit; sleep 1
  for pid in "${PIDS[@]}"; do kill -TERM -- "-$pid" 2>/dev/null || true; done
  PIDS=(); NGINX_CONFS=()
}

machine > "$OUT/machine-start.txt"
for mode in $MODES; do "run_$mode"; done
"$PY" "$ROOT/bench/load_report.py" "$OUT" --duration "$DURATION" --connections "$CONNECTIONS" \
  --threads "$THREADS" --posts "$POSTS" --modes "$MODES" --pg-workers "$NODE_WORKERS" \
  --sqlite-workers "$SQLITE_WORKERS" --node-threads "$NODE_THREADS" >> "$RESULTS"
log "results appended to $RESULTS (raw output in $OUT)"
