#!/usr/bin/env bash
# Checks formatting (clang-format) and runs clang-tidy over the sources, using
# the compile commands of the main build.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
# bench/peer holds the peer LRS's npm packages once `make bench` has run.
mapfile -t files < <(find src bench fuzz -name node_modules -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print | sort)
echo "clang-format: checking ${#files[@]} files"
clang-format --dry-run --Werror "${files[@]}"
mapfile -t units < <(printf '%s\n' "${files[@]}" | grep -E '^src/.*\.cpp$' | grep -v '_test\.cpp$')
echo "clang-tidy: ${#units[@]} translation units"
# The main build is compiled by GCC; its GCC-only warning flags mean nothing to clang-tidy.
clang-tidy -p "$BUILD_DIR" --quiet --extra-arg=-Wno-unknown-warning-option "${units[@]}"
