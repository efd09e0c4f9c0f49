#!/usr/bin/env bash
# Fuzzes with libFuzzer: first replays every kept regression input, then
# explores for FUZZ_SECONDS from the seed corpus. FUZZ_TARGET picks the
# target: request (the request-to-handler path, default), csv (activity CSV
# import and its rules), statement (xAPI statements, multipart, documents) or
# credential (JSON-LD, RDF canonicalization, the credential verifier).
#   scripts/fuzz.sh [WORK_CORPUS_DIR]
# New crashing inputs land in fuzz/artifacts/; copy them to fuzz/regressions/<target>/.
set -euo pipefail
cd "$(dirname "$0")/.."
SAN_DIR=${SAN_DIR:-build-san}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
corpus=${1:-$(mktemp -d -t staffroom-corpus.XXXXXX)}

if [[ ! -f "$SAN_DIR/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$SAN_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTAFFROOM_SANITIZE=ON -DSTAFFROOM_FUZZ=ON
fi
TARGET=${FUZZ_TARGET:-request}
ninja -C "$SAN_DIR" "fuzz_$TARGET"

mkdir -p "$corpus" fuzz/artifacts
shopt -s nullglob
regressions=(fuzz/regressions/"$TARGET"/*)
if ((${#regressions[@]})); then
  echo "Replaying ${#regressions[@]} regression input(s)"
  "$SAN_DIR/fuzz_$TARGET" -runs=1 "${regressions[@]}"
fi
exec "$SAN_DIR/fuzz_$TARGET" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=4096 -timeout=10 \
  -artifact_prefix=fuzz/artifacts/ -print_final_stats=1 "$corpus" "fuzz/corpus/$TARGET"
