// The issuer's keys: made on first start with owner-only permissions, refused when others
// can read them, rotated with `staffroom keys rotate` (credentials the old key signed keep
// verifying), did:web with its DID document; and `staffroom award` on the command line.

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { addDays, createCampaign, expectStatus, localDate, suffix } from '../lib/activities.mjs';
import { offlineDocumentLoader, verifyWithNpm } from '../lib/credentials.mjs';
import { createDatabase, createSiteAdmin, runCli, startServer, uniqueEmail } from '../lib/server.mjs';

const PUBLIC_URL = 'https://pd.staffroom.test';

async function campaignAchievement(site) {
  const campaign = `keys-${suffix()}`;
  const startsOn = localDate(new Date(), 'UTC');
  await createCampaign(site, campaign, { starts_on: startsOn, ends_on: addDays(startsOn, 30), time_zone: 'UTC' });
  return expectStatus(await site.post('/api/v1/achievements', {
    owner_type: 'campaign', owner: campaign, name: 'Keys kept', description: 'Took part.', criteria: 'Attend once.',
  }), 201);
}

const verifyOurs = async (client, vc) => expectStatus(await client.post('/api/v1/verify', vc), 200);

test('keys: owner-only, awarded from the command line, rotated without breaking earlier credentials', async () => {
  const keyDir = path.join(mkdtempSync(path.join(tmpdir(), 'staffroom-keys-')), 'keys');
  const { dbUrl, drop } = createDatabase();
  const args = ['--public-url', PUBLIC_URL, '--key-dir', keyDir];
  let server = await startServer({ dbUrl, args });
  try {
    const file = path.join(keyDir, 'issuer-keys.json');
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the key file is the owner’s alone');
    assert.equal(statSync(keyDir).mode & 0o777, 0o700);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    const secret = stored.keys[0].ed25519;
    assert.ok(!server.logs.join('\n').includes(secret), 'the secret is not logged');

    const site = await createSiteAdmin(server);
    const a = await campaignAchievement(site);
    const email = uniqueEmail('cli');
    const cli = await runCli(['award', '--achievement', a.slug, '--recipient', email, '--narrative', 'Ran the chat.',
      ...args], { dbUrl });
    assert.equal(cli.code, 0, cli.stderr);
    const first = JSON.parse(cli.stdout.trim());
    assert.deepEqual(first.type, ['VerifiableCredential', 'OpenBadgeCredential']);
    assert.equal(first.credentialSubject.narrative, 'Ran the chat.');
    assert.equal((await verifyOurs(site, first)).verified, true);
    assert.equal((await verifyWithNpm(first, { checkStatus: async () => ({ verified: true }) })).verified, true);
    const again = await runCli(['award', '--achievement', a.slug, '--recipient', email, ...args], { dbUrl });
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /already holds/);
    const missing = await runCli(['award', '--achievement', 'no-such-thing', '--recipient', email, ...args], { dbUrl });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /no achievement/);

    assert.equal(await server.stop(), 0);
    const rotated = await runCli(['keys', 'rotate', ...args], { dbUrl });
    assert.equal(rotated.code, 0, rotated.stderr);
    const out = JSON.parse(rotated.stdout.trim());
    assert.equal(out.key, 'key-2');
    assert.notEqual(out.did, first.issuer.id);
    assert.equal(statSync(file).mode & 0o777, 0o600, 'still owner-only after rotation');

    server = await startServer({ dbUrl, args });
    const site2 = await createSiteAdmin(server);
    const issuer = expectStatus(await site2.get('/api/v1/issuer'), 200);
    assert.equal(issuer.did, out.did);
    assert.deepEqual(issuer.keys.map((k) => [k.id, k.retired_at !== null]), [['key-1', true], ['key-2', false]]);
    const second = expectStatus(await site2.post(`/api/v1/achievements/${a.slug}/awards`, { recipient_email: uniqueEmail('after') }), 201);
    const secondVc = JSON.parse((await site2.get(`/credentials/${second.id}`, { headers: { accept: 'application/ld+json' } })).text);
    assert.equal(secondVc.issuer.id, out.did, 'new credentials are signed by the new key');
    const firstAgain = await verifyOurs(site2, first);
    assert.equal(firstAgain.verified, true, JSON.stringify(firstAgain.checks));
    assert.equal((await verifyOurs(site2, secondVc)).verified, true);
    // The first credential's status list is still signed by the key that signed it.
    const list = JSON.parse((await site2.get(new URL(first.credentialStatus.statusListCredential).pathname)).text);
    assert.equal(list.issuer, first.issuer.id);
    assert.equal((await verifyWithNpm(list)).verified, true);
    assert.equal(await server.stop(), 0);

    // A key file others can read is refused, and the server does not start.
    chmodSync(file, 0o644);
    const refused = await runCli(['serve', '--port', '0', ...args], { dbUrl, timeoutMs: 15_000 });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /can be read by other users/);
    assert.ok(!refused.stderr.includes(secret));
  } finally {
    if (server) await server.stop().catch(() => {});
    drop();
    rmSync(path.dirname(keyDir), { recursive: true, force: true });
  }
});

test('did:web: the issuer is the domain, its DID document lists every key, and credentials verify through it', async () => {
  const keyDir = path.join(mkdtempSync(path.join(tmpdir(), 'staffroom-didweb-')), 'keys');
  const { dbUrl, drop } = createDatabase();
  const args = ['--public-url', PUBLIC_URL, '--key-dir', keyDir, '--did-web', 'pd.staffroom.test'];
  let server = await startServer({ dbUrl, args });
  try {
    const site = await createSiteAdmin(server);
    const issuer = expectStatus(await site.get('/api/v1/issuer'), 200);
    assert.equal(issuer.method, 'web');
    assert.equal(issuer.did, 'did:web:pd.staffroom.test');
    const res = await site.get('/.well-known/did.json');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /application\/did\+json/);
    const doc = JSON.parse(res.text);
    assert.equal(doc.id, 'did:web:pd.staffroom.test');
    assert.ok(doc.assertionMethod.includes('did:web:pd.staffroom.test#key-1'));
    const a = await campaignAchievement(site);
    const k = expectStatus(await site.post(`/api/v1/achievements/${a.slug}/awards`, { recipient_email: uniqueEmail('web') }), 201);
    const vc = JSON.parse((await site.get(`/credentials/${k.id}`, { headers: { accept: 'application/ld+json' } })).text);
    assert.equal(vc.issuer.id, 'did:web:pd.staffroom.test');
    assert.equal(vc.proof.verificationMethod, 'did:web:pd.staffroom.test#key-1');
    const ours = await verifyOurs(site, vc);
    assert.equal(ours.verified, true, JSON.stringify(ours.checks));
    // An independent verifier that resolves the DID from the document the server serves.
    const method = doc.verificationMethod.find((m) => m.id === vc.proof.verificationMethod);
    const loader = offlineDocumentLoader({ extra: new Map([
      ['did:web:pd.staffroom.test', doc],
      [method.id, { '@context': doc['@context'], ...method }],
    ]) });
    const npm = await verifyWithNpm(vc, { loader, checkStatus: async () => ({ verified: true }) });
    assert.equal(npm.verified, true, JSON.stringify(npm.error ?? npm, null, 1));

    // After rotation the old key stays in the document for assertions only.
    assert.equal(await server.stop(), 0);
    const rotated = await runCli(['keys', 'rotate', ...args], { dbUrl });
    assert.equal(rotated.code, 0, rotated.stderr);
    server = await startServer({ dbUrl, args });
    const site2 = await createSiteAdmin(server);
    const after = JSON.parse((await site2.get('/.well-known/did.json')).text);
    assert.ok(after.assertionMethod.includes('did:web:pd.staffroom.test#key-1'));
    assert.ok(after.assertionMethod.includes('did:web:pd.staffroom.test#key-2'));
    assert.ok(!after.authentication.includes('did:web:pd.staffroom.test#key-1'), 'a retired key no longer authenticates');
    assert.equal((await verifyOurs(site2, vc)).verified, true, 'the earlier credential still verifies');
  } finally {
    if (server) await server.stop().catch(() => {});
    drop();
    rmSync(path.dirname(keyDir), { recursive: true, force: true });
  }
});
