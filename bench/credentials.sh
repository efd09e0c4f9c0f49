#!/usr/bin/env bash
# Credential benchmarks, part of `make bench`, beside @digitalbazaar/vc measured
# in the same run on the same credential with the same key:
#  - signing an Open Badges 3.0 credential (bench/credential.json, a Data
#    Integrity proof with the eddsa-rdfc-2022 cryptosuite), in credentials a
#    second on one core, one at a time (bench_credentials; the reference is
#    bench/credentials_peer.mjs, @digitalbazaar/vc with jsonld.js);
#  - verifying the signed credential, the same way;
#  - cross-verification: @digitalbazaar/vc verifies the credential we signed,
#    and signs the same credential with the same key and `created` to see
#    whether the two signed documents are the same, proof value and all.
# Both processes run on core 0 (taskset) when taskset exists, so "one core" is
# literal. The Ed25519 key comes from a seed drawn for the run, unless given.
#   BENCH_SECONDS (default 5, for signing and again for verifying, each side),
#   BENCH_SEED (64 hex digits; default: a fresh one)
# Prints a Markdown table and writes it to bench/results/credentials.md; exits
# 1 after writing it if @digitalbazaar/vc does not verify our credential.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${BENCH_SECONDS:-5}
BUILD=build-bench
CREDENTIAL=bench/credential.json

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTAFFROOM_BENCH=ON >/dev/null
ninja -C "$BUILD" bench_credentials >/dev/null
if [[ ! -d node_modules/@digitalbazaar/vc ]]; then
  echo "node_modules/@digitalbazaar/vc is missing: run npm ci (make deps)" >&2
  exit 1
fi

source bench/lib.sh
work=$(mktemp -d -t staffroom-credentials.XXXXXX)

if [[ -n "${BENCH_SEED:-}" ]]; then
  seed=$BENCH_SEED
elif command -v openssl >/dev/null; then
  seed=$(openssl rand -hex 32)
else
  seed=$(node -e 'console.log(require("crypto").randomBytes(32).toString("hex"))')
fi
pin=()
where="one core (not pinned: no taskset)"
if command -v taskset >/dev/null; then
  pin=(taskset -c 0)
  where="core 0 of $(nproc) (taskset -c 0)"
fi

field() {  # file expression-on-o
  node -e 'const o = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = ('"$2"'); console.log(typeof v === "object" ? JSON.stringify(v) : v)' "$1"
}

echo "[ours] signing and verifying for ${SECONDS_PER_RUN}s each" >&2
"${pin[@]}" "$BUILD/bench_credentials" "$SECONDS_PER_RUN" "$CREDENTIAL" "$seed" >"$work/ours.json"
field "$work/ours.json" 'o.signed' >"$work/ours-signed.json"
ours_sign=$(field "$work/ours.json" 'o.sign_per_s')
ours_verify=$(field "$work/ours.json" 'o.verify_per_s')

echo "[peer] @digitalbazaar/vc signing and verifying for ${SECONDS_PER_RUN}s each, then cross-verifying ours" >&2
if ! "${pin[@]}" node bench/credentials_peer.mjs "$SECONDS_PER_RUN" "$CREDENTIAL" "$seed" "$work/ours-signed.json" \
  >"$work/peer.json" 2>"$work/peer.log"; then
  cat "$work/peer.log" >&2
  exit 1
fi
peer_sign=$(field "$work/peer.json" 'o.sign_per_s')
peer_verify=$(field "$work/peer.json" 'o.verify_per_s')
cross=$(field "$work/peer.json" 'o.cross_verified')
cross_error=$(field "$work/peer.json" 'o.cross_error ?? ""')
identical=$(field "$work/peer.json" 'o.identical')
same_credential=$(field "$work/peer.json" 'o.same_credential')
vc_version=$(field "$work/peer.json" 'o.libraries["@digitalbazaar/vc"]')
jsonld_version=$(field "$work/peer.json" 'o.libraries.jsonld')
node_version=$(field "$work/peer.json" 'o.libraries.node')

thousands() { awk -v n="$1" 'BEGIN {s = sprintf("%.0f", n); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.1fx", a / b; else print "n/a"}'; }
target() {  # rate target
  echo "$(thousands "$2")/s: $(awk -v r="$1" -v t="$2" 'BEGIN {print (r >= t ? "met" : "missed")}')"
}

if [[ "$cross" == true ]]; then
  cross_cell="verified"
  if [[ "$identical" == true ]]; then
    cross_cell+="; the same document, proof value and all, as @digitalbazaar/vc signs with the same key and created"
  elif [[ "$same_credential" == true ]]; then
    cross_cell+="; same credential, but a proof other than @digitalbazaar/vc's with the same key and created"
  else
    cross_cell+="; but the credential differs from the one @digitalbazaar/vc signed"
  fi
else
  cross_cell="FAILED: ${cross_error:-no result}"
fi
cross_cell=${cross_cell//|/\\|}

mkdir -p bench/results
{
  echo "Credentials on $where, $(date -u +%Y-%m-%d), ${SECONDS_PER_RUN}s a run, one credential at a time;" \
    "peer: @digitalbazaar/vc $vc_version (jsonld $jsonld_version) on Node $node_version"
  echo
  echo "| credentials, one core | ours | @digitalbazaar/vc (same run) | ours / peer | target |"
  echo "|---|---|---|---|---|"
  echo "| sign an OpenBadgeCredential (eddsa-rdfc-2022) | $(thousands "$ours_sign")/s | $(thousands "$peer_sign")/s | $(ratio "$ours_sign" "$peer_sign") | $(target "$ours_sign" 1000) |"
  echo "| verify it (proof, issuer's key, dates) | $(thousands "$ours_verify")/s | $(thousands "$peer_verify")/s | $(ratio "$ours_verify" "$peer_verify") | $(target "$ours_verify" 2000) |"
  echo "| cross-verification: @digitalbazaar/vc verifies the credential we signed | $cross_cell | | | must pass |"
} | tee bench/results/credentials.md

if [[ "$cross" != true ]]; then
  cp "$work/ours-signed.json" bench/results/credentials-ours-signed.json
  echo "@digitalbazaar/vc does not verify the credential bench_credentials signed" \
    "(kept in bench/results/credentials-ours-signed.json): $cross_error" >&2
  field "$work/peer.json" '"what @digitalbazaar/vc signs with the same key and created: " + JSON.stringify(o.peer_proof)' >&2
  exit 1
fi
