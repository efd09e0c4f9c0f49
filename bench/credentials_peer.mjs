// The reference for bench/credentials.sh: signs and verifies an Open Badges 3.0
// credential with the npm libraries of the Verifiable Credentials ecosystem
// (@digitalbazaar/vc, a DataIntegrityProof with the eddsa-rdfc-2022 cryptosuite),
// the way tests/lib/credentials.mjs does for the black-box tests, with its offline
// document loader.
//
//   node bench/credentials_peer.mjs SECONDS CREDENTIAL_JSON_FILE SEED_HEX [OUR_SIGNED_FILE]
//
// The Ed25519 key is the one derived from the 32-byte seed SEED_HEX, as
// bench_credentials derives it, and the credential's issuer becomes that key's did:key.
// For SECONDS it signs the unsigned credential one at a time (each awaited: one core),
// then for SECONDS verifies the signed result the same way; before each, an uncounted
// warm-up (a fifth of SECONDS, at most one second) lets the JIT compile the hot paths.
// With OUR_SIGNED_FILE (a credential signed by bench_credentials, or its whole output
// line), it also verifies that credential with @digitalbazaar/vc (cross_verified),
// compares it without its proof to the credential signed here (same_credential), and
// signs the credential here with the same key and the same `created` to see whether the
// two signed documents are the same, proof value and all (identical: Ed25519 signatures
// are deterministic, so they are if both sides canonicalize alike).
//
// Prints one JSON line: {"sign_per_s", "verify_per_s", "signed", "cross_verified", ...}.
// Exits 0 whatever the cross-verification says (the caller reports it), 2 on bad usage,
// 1 if its own signing or verifying fails.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { generateIssuerKey, signCredential, verifyWithNpm } from '../tests/lib/credentials.mjs';
import { repoRoot } from '../tests/lib/server.mjs';

const versionOf = (name) =>
  JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')).version;

function usage(message) {
  process.stderr.write(`${message}\nusage: node bench/credentials_peer.mjs SECONDS CREDENTIAL_JSON_FILE SEED_HEX [OUR_SIGNED_FILE]\n`);
  process.exit(2);
}

const [secondsArg, credentialFile, seedHex, oursFile] = process.argv.slice(2);
if (!secondsArg || !credentialFile || !seedHex) usage('missing arguments');
const seconds = Number(secondsArg);
if (!(seconds > 0)) usage(`SECONDS must be a positive number, not ${secondsArg}`);
if (!/^[0-9a-fA-F]{64}$/.test(seedHex)) usage('SEED_HEX must be 64 hex digits (a 32-byte seed)');
const seed = new Uint8Array(Buffer.from(seedHex, 'hex'));

const issuer = await generateIssuerKey({ seed });
const credential = JSON.parse(readFileSync(credentialFile, 'utf8'));
if (credential.proof !== undefined) usage(`${credentialFile} already has a proof; give an unsigned credential`);
const issuerId = typeof credential.issuer === 'string' ? credential.issuer : credential.issuer?.id;
if (issuerId !== issuer.did) {
  process.stderr.write(`credentials_peer: issuer ${issuerId} replaced by ${issuer.did}, the did:key of the seed\n`);
  if (typeof credential.issuer === 'object' && credential.issuer !== null) credential.issuer.id = issuer.did;
  else credential.issuer = issuer.did;
}

const now = () => Number(process.hrtime.bigint()) / 1e9;

/** Runs `step` one call at a time for `duration` seconds: { count, elapsed }. */
async function repeat(duration, step) {
  let count = 0;
  const start = now();
  let elapsed = 0;
  while (elapsed < duration) {
    await step();
    count += 1;
    elapsed = now() - start;
  }
  return { count, elapsed };
}

// The status list is not fetched (the loader is offline, and a list we do not hold is
// skipped by our verifier too): vc is told the status check passed, so what is measured
// is the proof, the issuer's key and the dates, as on our side.
const statusSkipped = async () => ({ verified: true });

async function verifyOrThrow(signed, what) {
  const result = await verifyWithNpm(signed, { checkStatus: statusSkipped });
  if (!result.verified) {
    const error = result.error?.errors?.[0] ?? result.error ?? result.results?.[0]?.error;
    throw new Error(`${what} does not verify: ${error?.message ?? JSON.stringify(result)}`);
  }
}

const warmup = Math.min(1, seconds / 5);
const sign = () => signCredential(credential, issuer.keyPair);

let signed = await sign();
await verifyOrThrow(signed, 'the credential @digitalbazaar/vc signed');

await repeat(warmup, sign);
const signing = await repeat(seconds, async () => { signed = await sign(); });

await repeat(warmup, () => verifyOrThrow(signed, 'the credential @digitalbazaar/vc signed'));
const verifying = await repeat(seconds, () => verifyOrThrow(signed, 'the credential @digitalbazaar/vc signed'));

const out = {
  sign_per_s: Math.round(signing.count / signing.elapsed),
  verify_per_s: Math.round(verifying.count / verifying.elapsed),
  signs: signing.count,
  verifies: verifying.count,
  seconds,
  warmup_s: warmup,
  did: issuer.did,
  libraries: {
    '@digitalbazaar/vc': versionOf('@digitalbazaar/vc'),
    '@digitalbazaar/data-integrity': versionOf('@digitalbazaar/data-integrity'),
    '@digitalbazaar/eddsa-rdfc-2022-cryptosuite': versionOf('@digitalbazaar/eddsa-rdfc-2022-cryptosuite'),
    jsonld: versionOf('jsonld'),
    node: process.version,
  },
  cross_verified: null,
};

if (oursFile !== undefined) {
  let ours;
  try {
    ours = JSON.parse(readFileSync(oursFile, 'utf8'));
    if (ours.proof === undefined && ours.signed !== undefined) ours = ours.signed;  // bench_credentials' whole line
  } catch (e) {
    ours = undefined;
    out.cross_verified = false;
    out.cross_error = `cannot read ${oursFile}: ${e.message}`;
  }
  if (ours !== undefined) {
    try {
      await verifyOrThrow(ours, 'the credential given to cross-verify');
      out.cross_verified = true;
    } catch (e) {
      out.cross_verified = false;
      out.cross_error = e.message;
    }
    // The same credential signed here with the same key and `created` should be the
    // same document, proof and all: `identical`.
    const { proof: oursProof, ...oursUnsigned } = ours;
    out.same_credential = isDeepStrictEqual(oursUnsigned, credential);
    out.identical = false;
    if (typeof oursProof?.created === 'string') {
      try {
        const again = await signCredential(credential, issuer.keyPair, { date: oursProof.created });
        out.identical = isDeepStrictEqual(again, ours);
        if (!out.identical) out.peer_proof = again.proof;
      } catch (e) {
        out.identical_error = e.message;
      }
    }
  }
}

out.signed = signed;
process.stdout.write(`${JSON.stringify(out)}\n`);
