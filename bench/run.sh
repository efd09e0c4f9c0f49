#!/usr/bin/env bash
# `make bench`: HTTP throughput of Staffroom beside a bare Boost.Beast
# baseline, measured in one run on this machine with wrk.
#   BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 64), BENCH_THREADS (server threads, default 4),
#   BENCH_ROUNDS (default 3)
# The targets are measured in interleaved rounds and each figure is the
# median round, so a passing disturbance on the machine hits all targets alike.
# Prints a Markdown table and writes it to bench/results/http.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
THREADS=${BENCH_THREADS:-4}
ROUNDS=${BENCH_ROUNDS:-3}
BUILD=build-bench

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTAFFROOM_BENCH=ON >/dev/null
ninja -C "$BUILD" staffroom bench_hello >/dev/null

source bench/lib.sh
work=$(mktemp -d -t staffroom-bench.XXXXXX)

# Staffroom on a fresh SQLite database, with its access log written as usual
# (to a file), no per-address rate limit (wrk is one address).
sr_port=$(free_port)
STAFFROOM_DB="sqlite:$work/bench.db" "$BUILD/staffroom" migrate >/dev/null
printf 'bench password 1234\n' | "$BUILD/staffroom" admin create --db "sqlite:$work/bench.db" \
  --email bench@staffroom.test --role educator --password-stdin >/dev/null
"$BUILD/staffroom" serve --port "$sr_port" --db "sqlite:$work/bench.db" --threads "$THREADS" --rate-limit 0 \
  --assets web/dist >"$work/server.log" 2>&1 &
pids+=($!)
wait_port "$sr_port"
# A personal API token, the way a script would call the API.
token=$(node -e '
  const base = process.argv[1];
  (async () => {
    const r = await fetch(base + "/api/v1/sessions", {method: "POST", headers: {"content-type": "application/json"},
      body: JSON.stringify({email: "bench@staffroom.test", password: "bench password 1234"})});
    const cookie = r.headers.getSetCookie().map(c => c.split(";")[0]).join("; ");
    const { csrf_token } = await r.json();
    const t = await fetch(base + "/api/v1/tokens", {method: "POST", headers: {"content-type": "application/json",
      cookie, "x-csrf-token": csrf_token}, body: JSON.stringify({name: "bench"})});
    console.log((await t.json()).token);
  })();' "http://127.0.0.1:$sr_port")

hello_port=$(free_port)
"$BUILD/bench_hello" "$hello_port" "$THREADS" >/dev/null &
pids+=($!)
wait_port "$hello_port"

run_wrk() {  # label url [header]
  local out
  if [[ -n "${3:-}" ]]; then
    out=$(wrk -t2 -c"$CONNS" -d"${SECONDS_PER_RUN}s" --latency -H "$3" "$2")
  else
    out=$(wrk -t2 -c"$CONNS" -d"${SECONDS_PER_RUN}s" --latency "$2")
  fi
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$1|$rps|$p50|$p99|${non2xx:-0}"
}

echo "Warming up" >&2
wrk -t1 -c8 -d2s "http://127.0.0.1:$hello_port/" >/dev/null
wrk -t1 -c8 -d2s -H "Authorization: Bearer $token" "http://127.0.0.1:$sr_port/api/v1/me" >/dev/null

echo "Measuring ($ROUNDS rounds of ${SECONDS_PER_RUN}s per target, $CONNS connections)" >&2
: >"$work/rounds"
for round in $(seq "$ROUNDS"); do
  echo "  round $round" >&2
  echo "1|$(run_wrk "bare Beast hello-world (bench/hello_beast.cpp)" "http://127.0.0.1:$hello_port/")" >>"$work/rounds"
  echo "2|$(run_wrk "Staffroom GET /healthz" "http://127.0.0.1:$sr_port/healthz")" >>"$work/rounds"
  echo "3|$(run_wrk "Staffroom GET /api/v1/me (Bearer token, SQLite)" "http://127.0.0.1:$sr_port/api/v1/me" "Authorization: Bearer $token")" >>"$work/rounds"
done
median_row() {  # the round with the median requests/s for target $1
  grep "^$1|" "$work/rounds" | cut -d'|' -f2- | sort -t'|' -k2 -g | sed -n "$(( (ROUNDS + 1) / 2 ))p"
}
baseline=$(median_row 1)
health=$(median_row 2)
me=$(median_row 3)
base_rps=$(cut -d'|' -f2 <<<"$baseline")
mkdir -p bench/results
{
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo "Command: make bench (wrk -t2 -c$CONNS -d${SECONDS_PER_RUN}s, median of $ROUNDS interleaved rounds, servers with $THREADS threads, $(date -u +%Y-%m-%d))"
  echo
  echo "| target | requests/s | p50 | p99 | non-2xx | share of baseline |"
  echo "|---|---:|---:|---:|---:|---:|"
  for row in "$baseline" "$health" "$me"; do
    IFS='|' read -r label rps p50 p99 non2xx <<<"$row"
    share=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN {printf "%.0f%%", 100*a/b}')
    echo "| $label | $rps | $p50 | $p99 | $non2xx | $share |"
  done
} | tee bench/results/http.md
