#!/usr/bin/env bash
# Runs every test suite, as `make test` does after building:
#   1. C++ unit tests (ctest) on SQLite and on a throwaway PostgreSQL cluster
#   2. black-box HTTP tests against the built binary, on SQLite and PostgreSQL
#   3. browser tests in headless Chromium
#   4. the unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer
#   5. short fuzzing runs of the request path, activity CSV import, xAPI statement input and credential input, plus every kept
#      regression input
#   6. lint: clang-format and clang-tidy, warnings as errors
# Exits non-zero when anything fails, and closes with a count of what passed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

BUILD_DIR=${BUILD_DIR:-build}
SAN_DIR=${SAN_DIR:-build-san}
FUZZ_SECONDS=${FUZZ_SECONDS:-30}
work=$(mktemp -d -t staffroom-test.XXXXXX)
chmod 755 "$work"  # the PostgreSQL cluster inside runs as the postgres user
pg_dir="$work/pg"
failed_stages=()
passed=0
failed=0

cleanup() {
  scripts/pg-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

stage() { printf '\n=== %s\n' "$*"; }

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

count_ctest() {  # from ctest's "N% tests passed, F tests failed out of T"
  local log=$1 line total fails
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
  total=$(sed -E 's/.*out of ([0-9]+).*/\1/' <<<"$line")
  fails=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  passed=$((passed + ${total:-0} - ${fails:-0}))
  failed=$((failed + ${fails:-0}))
}

count_node() {  # from node's "# pass N" and "# fail N"
  local log=$1 p f
  p=$(grep -E '^# pass [0-9]+' "$log" | tail -1 | awk '{print $3}')
  f=$(grep -E '^# fail [0-9]+' "$log" | tail -1 | awk '{print $3}')
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

run_stage() {  # name, log, command...
  local name=$1 log=$2
  shift 2
  if "$@" 2>&1 | tee "$log"; then :; else failed_stages+=("$name"); fi
  if [[ ${PIPESTATUS[0]} -ne 0 ]] && [[ ! " ${failed_stages[*]} " == *" $name "* ]]; then failed_stages+=("$name"); fi
}

stage "Starting a throwaway PostgreSQL cluster"
pg_port=$(free_port)
if ! pg_url=$(scripts/pg-cluster.sh start "$pg_dir" "$pg_port"); then
  echo "error: could not start PostgreSQL for the tests" >&2
  exit 1
fi
echo "PostgreSQL at $pg_url"

stage "C++ unit tests (SQLite and PostgreSQL)"
STAFFROOM_TEST_PG="$pg_url" run_stage "unit" "$work/ctest.log" ctest --test-dir "$BUILD_DIR" -j2 --output-on-failure
count_ctest "$work/ctest.log"

stage "HTTP API tests on SQLite"
STAFFROOM_TEST_DB=sqlite run_stage "api-sqlite" "$work/api-sqlite.log" node --test --test-concurrency=2 tests/api/
count_node "$work/api-sqlite.log"

stage "HTTP API tests on PostgreSQL"
STAFFROOM_TEST_DB="$pg_url" run_stage "api-postgresql" "$work/api-pg.log" node --test --test-concurrency=2 tests/api/
count_node "$work/api-pg.log"

stage "Browser tests (headless Chromium)"
run_stage "browser" "$work/browser.log" node --test --test-concurrency=1 tests/browser/
count_node "$work/browser.log"

stage "Unit tests under AddressSanitizer and UndefinedBehaviorSanitizer (clang)"
if [[ ! -f "$SAN_DIR/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$SAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DSTAFFROOM_SANITIZE=ON -DSTAFFROOM_FUZZ=ON >"$work/san-cmake.log" 2>&1 || { cat "$work/san-cmake.log"; failed_stages+=("sanitizers"); }
fi
if ninja -C "$SAN_DIR" unit_tests fuzz_request fuzz_csv fuzz_statement fuzz_credential; then
  STAFFROOM_TEST_PG="$pg_url" ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    run_stage "sanitizers" "$work/san.log" ctest --test-dir "$SAN_DIR" -j2 --output-on-failure
  count_ctest "$work/san.log"

  stage "Fuzzing the request path for ${FUZZ_SECONDS}s"
  mkdir -p "$work/corpus"
  if FUZZ_SECONDS="$FUZZ_SECONDS" SAN_DIR="$SAN_DIR" scripts/fuzz.sh "$work/corpus" >"$work/fuzz.log" 2>&1; then
    passed=$((passed + 1))
    grep -E '^(Done|#[0-9]+.*DONE)' "$work/fuzz.log" | tail -1
  else
    tail -40 "$work/fuzz.log"
    failed=$((failed + 1))
    failed_stages+=("fuzz")
  fi

  stage "Fuzzing activity CSV import for $((FUZZ_SECONDS / 2))s"
  mkdir -p "$work/corpus-csv"
  if FUZZ_TARGET=csv FUZZ_SECONDS=$((FUZZ_SECONDS / 2)) SAN_DIR="$SAN_DIR" scripts/fuzz.sh "$work/corpus-csv" \
    >"$work/fuzz-csv.log" 2>&1; then
    passed=$((passed + 1))
    grep -E '^(Done|#[0-9]+.*DONE)' "$work/fuzz-csv.log" | tail -1
  else
    tail -40 "$work/fuzz-csv.log"
    failed=$((failed + 1))
    failed_stages+=("fuzz-csv")
  fi

  stage "Fuzzing xAPI statement input for $((FUZZ_SECONDS / 2))s"
  mkdir -p "$work/corpus-statement"
  if FUZZ_TARGET=statement FUZZ_SECONDS=$((FUZZ_SECONDS / 2)) SAN_DIR="$SAN_DIR" scripts/fuzz.sh \
    "$work/corpus-statement" >"$work/fuzz-statement.log" 2>&1; then
    passed=$((passed + 1))
    grep -E '^(Done|#[0-9]+.*DONE)' "$work/fuzz-statement.log" | tail -1
  else
    tail -40 "$work/fuzz-statement.log"
    failed=$((failed + 1))
    failed_stages+=("fuzz-statement")
  fi

  stage "Fuzzing credential input (JSON-LD, canonicalization, the verifier) for $((FUZZ_SECONDS / 2))s"
  mkdir -p "$work/corpus-credential"
  if FUZZ_TARGET=credential FUZZ_SECONDS=$((FUZZ_SECONDS / 2)) SAN_DIR="$SAN_DIR" scripts/fuzz.sh \
    "$work/corpus-credential" >"$work/fuzz-credential.log" 2>&1; then
    passed=$((passed + 1))
    grep -E '^(Done|#[0-9]+.*DONE)' "$work/fuzz-credential.log" | tail -1
  else
    tail -40 "$work/fuzz-credential.log"
    failed=$((failed + 1))
    failed_stages+=("fuzz-credential")
  fi
else
  failed_stages+=("sanitizer-build")
  failed=$((failed + 1))
fi

stage "Lint (clang-format, clang-tidy)"
if BUILD_DIR="$BUILD_DIR" scripts/lint.sh >"$work/lint.log" 2>&1; then
  passed=$((passed + 1))
  echo "clean"
else
  grep -E 'error:|warning:' "$work/lint.log" | grep -v '^[0-9]* warnings' | head -40
  failed=$((failed + 1))
  failed_stages+=("lint")
fi

echo
if ((${#failed_stages[@]})); then
  echo "FAILED stages: ${failed_stages[*]}"
  echo "test: $passed passed, $failed failed"
  exit 1
fi
echo "test: $passed passed, $failed failed"
