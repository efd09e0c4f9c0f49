#!/usr/bin/env bash
# Installs what building, running and testing Staffroom needs on Debian 12:
# Debian packages (through apt-get as root, or sudo) and the npm packages of
# package-lock.json. Does nothing when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build pkg-config make
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsodium-dev libjemalloc-dev libssl-dev libsqlite3-dev sqlite3 libpq-dev zlib1g-dev
  libfmt-dev libcli11-dev libhowardhinnant-date-dev tzdata libcmark-gfm-dev libcmark-gfm-extensions-dev
  libcairo2-dev libpango1.0-dev fonts-dejavu-core poppler-utils
  libgtest-dev libbenchmark-dev
  clang libclang-rt-14-dev clang-format clang-tidy
  postgresql postgresql-client
  chromium
  nodejs npm
  wrk
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# A machine may carry its own Node.js outside Debian's packages; that is fine.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  filtered=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || filtered+=("$p"); done
  missing=("${filtered[@]}")
fi

if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}" >&2
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO=sudo
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "error: Node.js 20 or newer is needed for the web build (found $(node --version))" >&2
  exit 1
fi

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "Installing npm packages" >&2
  # The registry can stall; what is cached is used first, and a failed
  # attempt is retried before giving up.
  for attempt in 1 2 3; do
    if npm ci --no-audit --no-fund --loglevel=error --prefer-offline --fetch-retries=4 --fetch-timeout=60000; then
      break
    fi
    if ((attempt == 3)); then
      echo "error: npm ci failed three times" >&2
      exit 1
    fi
    echo "npm ci failed; trying again in $((attempt * 10)) s" >&2
    sleep $((attempt * 10))
  done
fi
