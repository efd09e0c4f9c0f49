#!/usr/bin/env bash
# Credit benchmarks, part of `make bench`, each beside a reference measured in
# the same run:
#  - evaluating every pending claim of a district with 20,000 educators and
#    1,000,000 participation records (one pending claim each) through the
#    service, beside reading the same rows alone (the storage rate);
#  - the engine alone on the same scale, in memory (bench_credit_engine);
#  - an educator's transcript (40 approved claims) and the approvers' queue
#    (first page of 20 pending claims, evaluated) over HTTP, p95 with one
#    client (the time one page takes), beside the bare /healthz answer of
#    the same server.
#   BENCH_SECONDS (default 10), BENCH_EDUCATORS (20000), BENCH_RECORDS (1000000),
#   BENCH_PG=0 skips PostgreSQL, BENCH_SQLITE=0 SQLite
# Prints a Markdown table and writes it to bench/results/credit.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
EDUCATORS=${BENCH_EDUCATORS:-20000}
RECORDS=${BENCH_RECORDS:-1000000}
BUILD=build-bench

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTAFFROOM_BENCH=ON >/dev/null
ninja -C "$BUILD" staffroom bench_credit_fill bench_credit_engine >/dev/null

source bench/lib.sh
work=$(mktemp -d -t staffroom-credit.XXXXXX)
chmod 755 "$work"  # the PostgreSQL cluster runs as its own user
rows=()

p95() {  # url token -> "rps|p95_ms"
  local out
  out=$(wrk -t1 -c1 -d"${SECONDS_PER_RUN}s" -s bench/get.lua "$1" -- "Bearer $2" 2>&1)
  echo "$(awk '/Requests\/sec/ {print $2}' <<<"$out")|$(awk -F= '/p95_ms/ {print $2}' <<<"$out")"
}

run() {  # label db_url
  local label=$1 url=$2
  echo "[$label] filling $EDUCATORS educators, $RECORDS records" >&2
  local filled token approver_token
  filled=$("$BUILD/bench_credit_fill" fill "$url" "$EDUCATORS" "$RECORDS")
  token=$(node -e 'console.log(JSON.parse(process.argv[1]).token)' "$filled")
  approver_token=$(node -e 'console.log(JSON.parse(process.argv[1]).approver_token)' "$filled")
  echo "[$label] evaluating" >&2
  local ev read_s eval_s claims
  ev=$("$BUILD/bench_credit_fill" evaluate "$url" 3)
  read_s=$(node -e 'console.log(JSON.parse(process.argv[1]).read_s)' "$ev")
  eval_s=$(node -e 'console.log(JSON.parse(process.argv[1]).evaluate_s)' "$ev")
  claims=$(node -e 'console.log(JSON.parse(process.argv[1]).claims)' "$ev")
  rows+=("| $label: evaluate every pending claim ($claims claims, $RECORDS records) | ${eval_s} s | reading the same rows alone: ${read_s} s | 2 s |")
  local port
  port=$(free_port)
  "$BUILD/staffroom" serve --port "$port" --db "$url" --threads 2 --rate-limit 0 --log-level warn \
    >"$work/serve.log" 2>&1 &
  pids+=($!)
  wait_port "$port"
  local t h
  t=$(p95 "http://127.0.0.1:$port/api/v1/districts/bench/transcript" "$token")
  h=$(p95 "http://127.0.0.1:$port/healthz" "$token")
  rows+=("| $label: transcript page (40 approved claims), p95 | ${t#*|} ms (${t%|*} req/s) | /healthz p95 ${h#*|} ms (${h%|*} req/s) | 20 ms |")
  local q
  q=$(p95 "http://127.0.0.1:$port/api/v1/districts/bench/claims?limit=20" "$approver_token")
  rows+=("| $label: the approvers' queue, first page of 20 pending claims, p95 | ${q#*|} ms (${q%|*} req/s) | /healthz p95 ${h#*|} ms | |")
  kill "${pids[-1]}"; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'
}

if [[ "${BENCH_SQLITE:-1}" != 0 ]]; then run SQLite "sqlite:$work/credit.db"; fi
if [[ "${BENCH_PG:-1}" != 0 ]]; then
  pgport=$(free_port)
  bash scripts/pg-cluster.sh start "$work/pg" "$pgport" >/dev/null
  psql -q "postgresql://postgres@127.0.0.1:$pgport/postgres" -c "CREATE DATABASE credit_bench" >/dev/null
  run PostgreSQL "postgresql://postgres@127.0.0.1:$pgport/credit_bench"
  bash scripts/pg-cluster.sh stop "$work/pg" >/dev/null || true
fi
# The engine bench exits 1 when a run misses its budget; the table says so.
engine_out=$("$BUILD/bench_credit_engine" "$EDUCATORS" $((RECORDS / EDUCATORS)) 3 2>&1 || true)
district=$(grep '^district:' <<<"$engine_out" | sed 's/^district: //')
timing=$(grep '^evaluate_pending:' <<<"$engine_out" | sed 's/^evaluate_pending: //')
rows+=("| engine alone, in memory ($district) | $timing | | 2 s |")

{
  echo "| credit | result | reference (same run) | target |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} | tee bench/results/credit.md
