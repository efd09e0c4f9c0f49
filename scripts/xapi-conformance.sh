#!/usr/bin/env bash
# Runs the ADL LRS conformance test suite against a fresh Staffroom LRS.
#
#   LRS_SUITE=/path/to/lrs-conformance-test-suite scripts/xapi-conformance.sh [VERSION...] 
#
# VERSION is 1.0.3 and/or 2.0.0 (both by default). STAFFROOM_TEST_DB picks the
# database: sqlite (default) or a PostgreSQL admin URL (a throwaway database
# is created on it). The suite is not on npm; get it once with
#   git clone https://github.com/adlnet/lrs-conformance-test-suite && (cd lrs-conformance-test-suite && npm install)
# Its exit status is its failure count modulo 256, so this script reads its
# log instead and fails unless every test ran and passed.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${LRS_SUITE:?set LRS_SUITE to a checkout of adlnet/lrs-conformance-test-suite with npm install done}"
bin=${STAFFROOM_BIN:-build/staffroom}
db_kind=${STAFFROOM_TEST_DB:-sqlite}
versions=("$@")
[[ ${#versions[@]} -gt 0 ]] || versions=(1.0.3 2.0.0)

work=$(mktemp -d)
server_pid=
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

status=0
for version in "${versions[@]}"; do
  if [[ "$db_kind" == sqlite ]]; then
    db="sqlite:$work/lrs-$version.db"
  else
    name="xapi_conformance_$(date +%s)_${version//./_}"
    psql -q "$db_kind" -c "CREATE DATABASE $name" >/dev/null
    db="${db_kind%/*}/$name"
  fi
  "$bin" migrate --db "$db" >/dev/null
  "$bin" demo --db "$db" >/dev/null
  if [[ "$db_kind" == sqlite ]]; then
    org=$(sqlite3 "${db#sqlite:}" "SELECT slug FROM organizations ORDER BY id LIMIT 1")
  else
    org=$(psql -qtA "$db" -c "SELECT slug FROM organizations ORDER BY id LIMIT 1")
  fi
  creds=$("$bin" lrs-client create --db "$db" --org "$org" --name "Conformance suite" \
    --scope statements/write --scope statements/read --scope documents)
  key=$(node -e 'console.log(JSON.parse(process.argv[1]).key)' "$creds")
  secret=$(node -e 'console.log(JSON.parse(process.argv[1]).secret)' "$creds")

  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  "$bin" serve --db "$db" --port "$port" --listen 127.0.0.1 --public-url "http://127.0.0.1:$port" \
    --rate-limit 0 --xapi-rate-limit 0 --xapi-default-version "$version" --log-level warn \
    >"$work/server-$version.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
  done

  echo "xapi-conformance: $version on ${db_kind%%:*} ($org)"
  started=$(date +%s)
  (cd "$LRS_SUITE" && node bin/console_runner.js -e "http://127.0.0.1:$port/xapi" -a -u "$key" -p "$secret" \
    -x "$version" -z >"$work/suite-$version.out" 2>&1) || true
  log=$(grep -o 'Full run log written to .*' "$work/suite-$version.out" | sed 's/Full run log written to //' | tail -1)
  if [[ -z "$log" || ! -f "$log" ]]; then
    echo "xapi-conformance: the suite wrote no log; its output:" >&2
    tail -20 "$work/suite-$version.out" >&2
    status=1
  else
    node scripts/xapi-conformance-report.mjs "$log" || status=1
  fi
  echo "xapi-conformance: $version took $(($(date +%s) - started)) s"
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
done
exit $status
