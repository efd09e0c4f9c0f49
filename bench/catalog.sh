#!/usr/bin/env bash
# Catalog benchmarks, part of `make bench`:
#  - search with filters over 50,000 activities in 100 campaigns (SQLite),
#    95th percentile latency at 4 connections (two per core), beside the
#    server's own /healthz measured the same way;
#  - the demo campaign's iCalendar feed (455 events) in requests a second,
#    beside /healthz.
#   BENCH_SECONDS (default 10), BENCH_ROUNDS (default 3), BENCH_THREADS (default 4)
# Prints a Markdown table and writes it to bench/results/catalog.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-3}
THREADS=${BENCH_THREADS:-4}
BUILD=build-bench

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTAFFROOM_BENCH=ON >/dev/null
ninja -C "$BUILD" staffroom bench_catalog_fill >/dev/null

source bench/lib.sh
work=$(mktemp -d -t staffroom-catalog.XXXXXX)

echo "Filling 100 campaigns of 500 activities" >&2
fill_start=$(date +%s.%N)
"$BUILD/bench_catalog_fill" "sqlite:$work/scale.db" 100 500 2>/dev/null >/dev/null
fill_seconds=$(awk -v s="$fill_start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')
echo "Loading the demo campaign" >&2
"$BUILD/staffroom" demo --db "sqlite:$work/demo.db" >"$work/demo.json"

scale_port=$(free_port)
"$BUILD/staffroom" serve --port "$scale_port" --db "sqlite:$work/scale.db" --threads "$THREADS" --rate-limit 0 \
  >"$work/scale.log" 2>&1 &
pids+=($!)
demo_port=$(free_port)
"$BUILD/staffroom" serve --port "$demo_port" --db "sqlite:$work/demo.db" --threads "$THREADS" --rate-limit 0 \
  >"$work/demo.log" 2>&1 &
pids+=($!)
wait_port "$scale_port"
wait_port "$demo_port"

cat >"$work/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("p95_ms=%.2f\n", latency:percentile(95) / 1000))
end
LUA

run() {  # label connections url [script]
  local out
  out=$(wrk -t2 -c"$2" -d"${SECONDS_PER_RUN}s" -s "${4:-$work/p95.lua}" "$3")
  local rps p95 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p95=$(awk -F= '/p95_ms/ {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$1|$2|$rps|$p95|${non2xx:-0}"
}

feed="/campaigns/connected-educator-month-2012/calendar.ics"
wrk -t1 -c4 -d2s -s bench/search.lua "http://127.0.0.1:$scale_port" >/dev/null
wrk -t1 -c4 -d2s "http://127.0.0.1:$demo_port$feed" >/dev/null

echo "Measuring ($ROUNDS rounds of ${SECONDS_PER_RUN}s per target)" >&2
: >"$work/rounds"
for round in $(seq "$ROUNDS"); do
  echo "  round $round" >&2
  echo "1|$(run "GET /healthz (same server, the floor)" 4 "http://127.0.0.1:$scale_port/healthz")" >>"$work/rounds"
  echo "2|$(run "catalog search with filters, 50,000 activities (bench/search.lua)" 4 "http://127.0.0.1:$scale_port" bench/search.lua)" >>"$work/rounds"
  echo "3|$(run "GET /healthz (same server, the floor)" 8 "http://127.0.0.1:$demo_port/healthz")" >>"$work/rounds"
  echo "4|$(run "demo campaign iCalendar feed, 455 events" 8 "http://127.0.0.1:$demo_port$feed")" >>"$work/rounds"
done
median_row() {
  grep "^$1|" "$work/rounds" | cut -d'|' -f2- | sort -t'|' -k3 -g | sed -n "$(( (ROUNDS + 1) / 2 ))p"
}
mkdir -p bench/results
{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "Command: make bench (wrk -t2 -d${SECONDS_PER_RUN}s, median of $ROUNDS interleaved rounds, servers with $THREADS threads, SQLite, $(date -u +%Y-%m-%d))"
  echo "Filling 50,000 activities took ${fill_seconds}s; the demo load: $(node -e 'const d=require(process.argv[1]);console.log(d.milliseconds+" ms")' "$work/demo.json")"
  echo
  echo "| target | connections | requests/s | p95 (ms) | non-2xx |"
  echo "|---|---:|---:|---:|---:|"
  for n in 1 2 3 4; do
    IFS='|' read -r label conns rps p95 non2xx <<<"$(median_row $n)"
    echo "| $label | $conns | $rps | $p95 | $non2xx |"
  done
} | tee bench/results/catalog.md
