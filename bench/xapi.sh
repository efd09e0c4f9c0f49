#!/usr/bin/env bash
# LRS benchmarks, part of `make bench`, each beside a reference measured in
# the same run:
#  - ingest: POST of 100 statements a request, durable, in statements a
#    second; beside the raw insert rate of the same rows through the storage
#    interface (one commit a batch), and Learning Locker's statement service
#    (npm xapi-statements 5.0.1, in memory) under the same load generator;
#  - one statement a POST, in statements a second;
#  - with 1,000,000 statements stored: queries by agent and verb, and the
#    first page of an unfiltered query, 95th percentile latency;
#  - all of it on SQLite, then on PostgreSQL (a throwaway cluster).
#   BENCH_SECONDS (default 10), BENCH_THREADS (server threads, default 8),
#   BENCH_SINGLE_THREADS (server threads for one statement a POST, default 32),
#   BENCH_STATEMENTS (stored for the queries, default 1000000), BENCH_ROUNDS (ingest
#   rounds, each with its own raw reference; the median is reported, default 3),
#   BENCH_PG=0 skips PostgreSQL
# Prints a Markdown table and writes it to bench/results/xapi.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
THREADS=${BENCH_THREADS:-8}  # requests wait on commits; more threads share each one
# One statement a POST: a request holds its thread while it waits for its
# commit, so the server gets a thread for each of the 32 connections.
SINGLE_THREADS=${BENCH_SINGLE_THREADS:-32}
STORED=${BENCH_STATEMENTS:-1000000}
ROUNDS=${BENCH_ROUNDS:-3}  # ingest rounds; the median is reported
BUILD=build-bench

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTAFFROOM_BENCH=ON >/dev/null
ninja -C "$BUILD" staffroom bench_xapi_fill >/dev/null
if [[ ! -d bench/peer/node_modules/xapi-statements ]]; then
  echo "Installing the peer LRS (xapi-statements 5.0.1) into bench/peer" >&2
  (cd bench/peer && npm ci --ignore-scripts --no-audit --no-fund >/dev/null 2>&1)
fi

source bench/lib.sh
work=$(mktemp -d -t staffroom-xapi.XXXXXX)
chmod 755 "$work"  # the PostgreSQL cluster runs as its own user
rows=()

# wrk with a script; prints "rps|p95_ms|non2xx".
load() {  # connections seconds url script args...
  local c=$1 d=$2 url=$3 script=$4
  shift 4
  local out
  out=$(wrk -t2 -c"$c" -d"${d}s" -s "$script" "$url" -- "$@")
  local rps p95 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p95=$(awk -F= '/p95_ms/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$rps|$p95|${non2xx:-0}"
}

serve() {  # db_url port [threads]
  "$BUILD/staffroom" serve --port "$2" --db "$1" --threads "${3:-$THREADS}" --rate-limit 0 --xapi-rate-limit 0 \
    --log-level warn >"$work/serve-$2.log" 2>&1 &
  pids+=($!)
  wait_port "$2"
}

stop_last() {
  local last=${pids[-1]}
  kill "$last" 2>/dev/null || true
  wait "$last" 2>/dev/null || true
  unset 'pids[-1]'
}

auth_of() {  # db_url
  local creds key secret
  creds=$("$BUILD/bench_xapi_fill" setup "$1" 2>>"$work/setup.log")
  key=$(node -e 'console.log(JSON.parse(process.argv[1]).key)' "$creds")
  secret=$(node -e 'console.log(JSON.parse(process.argv[1]).secret)' "$creds")
  echo "Basic $(printf '%s:%s' "$key" "$secret" | base64 -w0)"
}

bench_database() {  # label url_of_fresh_db(function)
  local label=$1 make_db=$2
  # Ingest in rounds, each with its own reference: this machine's speed
  # drifts by a third within a day, so one run says little on its own.
  local raws=() batches=() singles=() batch_bad=0 single_bad=0
  local r raw_db raw db port auth batch single rps bad
  for ((r = 1; r <= ROUNDS; r++)); do
    echo "[$label] round $r of $ROUNDS: raw insert rate of the same rows, 100 a commit" >&2
    raw_db=$($make_db "raw$r")
    "$BUILD/bench_xapi_fill" setup "$raw_db" >/dev/null 2>>"$work/setup.log"
    raw=$("$BUILD/bench_xapi_fill" raw "$raw_db" 200000 100)
    raws+=("$raw")

    echo "[$label] round $r of $ROUNDS: ingest over HTTP" >&2
    db=$($make_db "ingest$r")
    auth=$(auth_of "$db")
    port=$(free_port)
    serve "$db" "$port"
    load 8 2 "http://127.0.0.1:$port/xapi/statements" bench/xapi_post.lua 100 "$auth" 2.0.0 >/dev/null
    batch=$(load 8 "$SECONDS_PER_RUN" "http://127.0.0.1:$port/xapi/statements" bench/xapi_post.lua 100 "$auth" 2.0.0)
    stop_last
    IFS='|' read -r rps _ bad <<<"$batch"
    batches+=("$(awk -v r="$rps" 'BEGIN {printf "%.0f", r * 100}')")
    batch_bad=$((batch_bad + bad))
    port=$(free_port)
    serve "$db" "$port" "$SINGLE_THREADS"
    load 32 2 "http://127.0.0.1:$port/xapi/statements" bench/xapi_post.lua 1 "$auth" 2.0.0 >/dev/null
    single=$(load 32 "$SECONDS_PER_RUN" "http://127.0.0.1:$port/xapi/statements" bench/xapi_post.lua 1 "$auth" 2.0.0)
    stop_last
    IFS='|' read -r rps _ bad <<<"$single"
    singles+=("$(printf '%.0f' "$rps")")
    single_bad=$((single_bad + bad))
  done

  echo "[$label] filling $STORED statements for the queries" >&2
  local qdb
  qdb=$($make_db query)
  auth=$(auth_of "$qdb")
  "$BUILD/bench_xapi_fill" fill "$qdb" "$STORED" >"$work/fill-$label.txt"
  port=$(free_port)
  serve "$qdb" "$port"
  load 4 2 "http://127.0.0.1:$port" bench/xapi_query.lua agent-verb "$auth" >/dev/null
  local by_agent first
  by_agent=$(load 4 "$SECONDS_PER_RUN" "http://127.0.0.1:$port" bench/xapi_query.lua agent-verb "$auth")
  first=$(load 4 "$SECONDS_PER_RUN" "http://127.0.0.1:$port" bench/xapi_query.lua first-page "$auth")
  stop_last

  local batch_sps raw_median single_median
  batch_sps=$(median "${batches[@]}")
  raw_median=$(median "${raws[@]}")
  single_median=$(median "${singles[@]}")
  rows+=("| $label | ingest, 100 statements a POST, 8 connections | $batch_sps statements/s, median of $ROUNDS (rounds: $(list "${batches[@]}"); errors: $batch_bad) | raw insert of the same rows: $raw_median/s (rounds: $(list "${raws[@]}")); ours is $(awk -v a="$batch_sps" -v b="$raw_median" 'BEGIN {printf "%.0f%%", 100 * a / b}') of it |")
  rows+=("| $label | ingest, 1 statement a POST, 32 connections, $SINGLE_THREADS server threads | $single_median statements/s, median of $ROUNDS (rounds: $(list "${singles[@]}"); errors: $single_bad) | |")
  local q_rps q_p95 q_bad f_rps f_p95 f_bad
  IFS='|' read -r q_rps q_p95 q_bad <<<"$by_agent"
  IFS='|' read -r f_rps f_p95 f_bad <<<"$first"
  rows+=("| $label | GET by agent and verb, $STORED stored, 4 connections | p95 $q_p95 ms, $(printf '%.0f' "$q_rps") req/s (errors: $q_bad) | |")
  rows+=("| $label | GET first page (100) unfiltered, $STORED stored, 4 connections | p95 $f_p95 ms, $(printf '%.0f' "$f_rps") req/s (errors: $f_bad) | |")
  LAST_BATCH_SPS=$batch_sps
}

median() {  # numbers...: the middle one (of an even count, the lower middle)
  printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'
}
list() { local IFS=,; echo "$*" | sed 's/,/, /g'; }

sqlite_db() { echo "sqlite:$work/$1.db"; }
bench_database SQLite sqlite_db
sqlite_batch=$LAST_BATCH_SPS

echo "[peer] xapi-statements 5.0.1 in memory, same load" >&2
peer_port=$(free_port)
mkdir -p "$work/peer"
(cd "$work/peer" && AUTH_REPO=test EVENTS_REPO=test MODELS_REPO=memory STORAGE_REPO=local \
  FS_LOCAL_STORAGE_DIR="$work/peer/storage" EXPRESS_MORGAN_DIRECTORY="$work/peer/storage/accessLogs" \
  EXPRESS_PORT="$peer_port" WINSTON_CONSOLE_LEVEL=error SERVICE_AWAIT_UPDATES=true \
  node "$OLDPWD/bench/peer/node_modules/xapi-statements/dist/index.js" >"$work/peer.log" 2>&1) &
pids+=($!)
wait_port "$peer_port"
peer_auth="Basic $(printf 'bench:bench' | base64 -w0)"
load 8 2 "http://127.0.0.1:$peer_port/xAPI/statements" bench/xapi_post.lua 100 "$peer_auth" 1.0.3 >/dev/null
peer=$(load 8 "$SECONDS_PER_RUN" "http://127.0.0.1:$peer_port/xAPI/statements" bench/xapi_post.lua 100 "$peer_auth" 1.0.3)
stop_last
IFS='|' read -r peer_rps _ peer_bad <<<"$peer"
peer_sps=$(awk -v r="$peer_rps" 'BEGIN {printf "%.0f", r * 100}')
rows+=("| peer | xapi-statements 5.0.1 (in memory), 100 statements a POST, 8 connections | $peer_sps statements/s (errors: $peer_bad) | ours on SQLite: $(awk -v a="$sqlite_batch" -v b="$peer_sps" 'BEGIN {printf "%.1f", a / b}')x |")

if [[ "${BENCH_PG:-1}" != 0 ]]; then
  pg_port=$(free_port)
  bash scripts/pg-cluster.sh start "$work/pg" "$pg_port" >/dev/null
  pg_admin="postgresql://postgres@127.0.0.1:$pg_port/postgres"
  pg_db() {
    psql -q "$pg_admin" -c "CREATE DATABASE bench_$1" >/dev/null
    echo "postgresql://postgres@127.0.0.1:$pg_port/bench_$1"
  }
  bench_database PostgreSQL pg_db
  bash scripts/pg-cluster.sh stop "$work/pg" >/dev/null || true
fi

mkdir -p bench/results
{
  echo "LRS on $(nproc) cores, $(date -u +%Y-%m-%d), server threads $THREADS, ${SECONDS_PER_RUN}s a run, ingest median of $ROUNDS rounds"
  echo
  echo "| database | what | result | reference |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee bench/results/xapi.md
