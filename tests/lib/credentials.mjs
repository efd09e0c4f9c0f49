// An independent Open Badges 3.0 issuer for the verifier's black-box tests: the npm
// libraries of the Verifiable Credentials ecosystem (@digitalbazaar/vc with the
// eddsa-rdfc-2022 Data Integrity cryptosuite) sign credentials that the server must
// verify, so a bug shared by our signer and our verifier cannot hide.
//
// The document loader is offline, like the server: it serves exactly the JSON-LD
// contexts under contexts/ (contexts/index.json: URL -> file; with { testing: true }
// also contexts/testing/index.json), resolves did:key DIDs and verification methods to
// their Multikey DID documents, and refuses everything else with an error, so that a
// test fails rather than fetch a URL.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import jsonld from 'jsonld';
import { repoRoot } from './server.mjs';

export const CREDENTIALS_V2 = 'https://www.w3.org/ns/credentials/v2';
export const OB_V3P0_CONTEXT = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';
export const DID_CONTEXT_V1 = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT_V1 = 'https://w3id.org/security/multikey/v1';

export const contextsDir = path.join(repoRoot, 'contexts');

function readIndex(dir) {
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const out = new Map();
  for (const [url, file] of Object.entries(index)) {
    out.set(url, JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
  }
  return out;
}

/** The contexts the server bundles (contexts/index.json), URL -> parsed document. */
export const bundledContexts = readIndex(contextsDir);
/** The contexts kept for test vectors only (contexts/testing/index.json). */
export const testingContexts = readIndex(path.join(contextsDir, 'testing'));

// ---- did:key ----------------------------------------------------------------------

const ED25519_DID_KEY = /^did:key:(z6Mk[1-9A-HJ-NP-Za-km-z]+)$/;

/**
 * The DID document did:key defines for an Ed25519 key (Multikey form), as the
 * did:key driver produces it: one verification method, listed under every relationship.
 */
export async function didKeyDocument(did) {
  const m = ED25519_DID_KEY.exec(did);
  if (!m) throw new Error(`offline document loader: not an Ed25519 did:key: ${did}`);
  const fingerprint = m[1];
  // Throws unless the multibase value really is an Ed25519 public key.
  await Ed25519Multikey.from({
    '@context': MULTIKEY_CONTEXT_V1, type: 'Multikey', publicKeyMultibase: fingerprint,
    id: `${did}#${fingerprint}`, controller: did,
  });
  const vmId = `${did}#${fingerprint}`;
  return {
    '@context': [DID_CONTEXT_V1, MULTIKEY_CONTEXT_V1],
    id: did,
    verificationMethod: [{ id: vmId, type: 'Multikey', controller: did, publicKeyMultibase: fingerprint }],
    authentication: [vmId],
    assertionMethod: [vmId],
    capabilityDelegation: [vmId],
    capabilityInvocation: [vmId],
  };
}

async function resolveDidKey(url) {
  const [did, fragment] = url.split('#');
  const document = await didKeyDocument(did);
  if (fragment === undefined) return document;
  const method = document.verificationMethod.find((vm) => vm.id === url);
  if (!method) throw new Error(`offline document loader: ${did} has no verification method #${fragment}`);
  return { '@context': MULTIKEY_CONTEXT_V1, ...method };
}

// ---- the document loader -------------------------------------------------------------

/**
 * A jsonld.js document loader that never touches the network.
 * @param {{testing?: boolean, extra?: Map<string, object>}} [options]
 *   testing: also serve contexts/testing/; extra: more URL -> document entries.
 */
export function offlineDocumentLoader({ testing = false, extra } = {}) {
  const loaded = [];
  const loader = async (url) => {
    loaded.push(url);
    const context = bundledContexts.get(url) ?? (testing ? testingContexts.get(url) : undefined) ?? extra?.get(url);
    if (context !== undefined) {
      return { contextUrl: null, documentUrl: url, document: structuredClone(context) };
    }
    if (url.startsWith('did:key:')) {
      return { contextUrl: null, documentUrl: url, document: await resolveDidKey(url) };
    }
    throw new Error(`offline document loader refuses ${url}: not a bundled context nor a did:key`);
  };
  loader.loaded = loaded;
  return loader;
}

export const documentLoader = offlineDocumentLoader();

// ---- keys and credentials --------------------------------------------------------------

/**
 * A fresh Ed25519 key as a did:key issuer: { did, verificationMethod, keyPair }.
 * The key pair's id and controller are its did:key method and DID. With { seed } (32
 * bytes), the key derived from that seed instead of a random one.
 */
export async function generateIssuerKey({ seed = new Uint8Array(randomBytes(32)) } = {}) {
  const probe = await Ed25519Multikey.generate({ seed });
  const fingerprint = probe.publicKeyMultibase;
  const did = `did:key:${fingerprint}`;
  const verificationMethod = `${did}#${fingerprint}`;
  const keyPair = await Ed25519Multikey.generate({ seed, id: verificationMethod, controller: did });
  return { did, verificationMethod, keyPair };
}

/** The Open Badges identityHash of a salted email: 'sha256$' + hex(SHA-256(email + salt)). */
export function identityHash(email, salt) {
  return `sha256$${createHash('sha256').update(email + salt).digest('hex')}`;
}

/** An XML Schema dateTime in UTC, whole seconds. */
export function xsdDateTime(date) {
  return `${new Date(date).toISOString().slice(0, 19)}Z`;
}

/**
 * An unsigned OpenBadgeCredential from the issuer `did`, valid from a minute ago, to
 * a recipient identified by the salted hash of `email`.
 */
export function openBadgeCredential({ did, email = 'learner@example.org', salt = randomBytes(8).toString('hex') } = {}) {
  const achievementId = `urn:uuid:${randomUUID()}`;
  return {
    '@context': [CREDENTIALS_V2, OB_V3P0_CONTEXT],
    id: `urn:uuid:${randomUUID()}`,
    type: ['VerifiableCredential', 'OpenBadgeCredential'],
    name: 'Restorative Practices in the Classroom',
    issuer: {
      id: did,
      type: ['Profile'],
      name: 'North Valley School District',
      url: 'https://pd.north-valley.example/',
      email: 'pd@north-valley.example',
    },
    validFrom: xsdDateTime(Date.now() - 60_000),
    credentialSubject: {
      type: ['AchievementSubject'],
      identifier: [{
        type: 'IdentityObject',
        identityHash: identityHash(email, salt),
        identityType: 'emailAddress',
        hashed: true,
        salt,
      }],
      achievement: {
        id: achievementId,
        type: ['Achievement'],
        achievementType: 'Course',
        name: 'Restorative Practices in the Classroom',
        description: 'Six hours of workshops on restorative circles, with a reflection and a classroom artifact.',
        criteria: {
          narrative: 'Attend both workshop days, write a reflection of at least 300 words, and share a lesson plan that uses a restorative circle.',
        },
        image: {
          id: 'https://pd.north-valley.example/badges/restorative-practices.png',
          type: 'Image',
          caption: 'Restorative Practices badge',
        },
      },
    },
    evidence: [{
      id: 'https://pd.north-valley.example/evidence/reflection-1',
      type: ['Evidence'],
      name: 'Reflection',
      description: 'A reflection on running a restorative circle with a 7th grade class.',
      genre: 'Reflection',
    }],
  };
}

/**
 * Signs `credential` with @digitalbazaar/vc's issue() and an eddsa-rdfc-2022
 * DataIntegrityProof by `keyPair`. With { safe: false } the JSON-LD conversion drops
 * undefined terms silently instead of failing, as an unsafe issuer would; with { date }
 * the proof's `created` is that date rather than now.
 */
export async function signCredential(credential, keyPair, { safe = true, loader = documentLoader, date } = {}) {
  const cryptosuite = safe ? eddsaRdfc2022 : {
    ...eddsaRdfc2022,
    canonize: (input, options) => eddsaRdfc2022.canonize(input, { ...options, safe: false }),
  };
  const suite = new DataIntegrityProof({ signer: keyPair.signer(), date, cryptosuite });
  return vc.issue({ credential: structuredClone(credential), suite, documentLoader: loader });
}

/**
 * Verifies with @digitalbazaar/vc's verifyCredential: { verified, error, results }.
 * vc refuses a credential with a credentialStatus unless given { checkStatus }, its
 * function that checks the status ({ credential, ... } -> { verified }).
 */
export async function verifyWithNpm(credential, { loader = documentLoader, checkStatus } = {}) {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  return vc.verifyCredential({ credential, suite, documentLoader: loader, checkStatus });
}

// jsonld-signatures' AssertionProofPurpose, which vc's CredentialIssuancePurpose extends:
// checks the proof and that the key is listed under assertionMethod, not who the issuer is.
const AssertionProofPurpose = Object.getPrototypeOf(vc.CredentialIssuancePurpose);

/**
 * Verifies with @digitalbazaar/vc, but without its check that the issuer controls the
 * key: for documents (like the W3C test vector) whose issuer is not the signer's DID.
 */
export async function verifyProofWithNpm(credential, { loader = documentLoader } = {}) {
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  return vc.verifyCredential({ credential, suite, documentLoader: loader, purpose: new AssertionProofPurpose() });
}

/** The canonical N-Quads jsonld.js produces for a document (safe mode unless told). */
export async function canonize(document, { safe = true, loader = documentLoader } = {}) {
  return jsonld.canonize(document, {
    algorithm: 'RDFC-1.0', format: 'application/n-quads', documentLoader: loader, safe, base: null,
  });
}
