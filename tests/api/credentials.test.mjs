// Issuing Open Badges 3.0 credentials: achievements, awards by hand, from CSV and by
// rule, the signed credential and its VC-JWT, revocation through the signed
// BitstringStatusListCredential, the backpack, and who may do what.
//
// Every credential the server issues is checked by an independent implementation:
// @digitalbazaar/vc (eddsa-rdfc-2022 on jsonld.js, offline loader over the same
// contexts) verifies the proof, and the status list is decoded here with node's zlib.

import assert from 'node:assert/strict';
import { createPublicKey, createVerify } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import {
  activityInput, collect, createCampaign, createEducator, createOrganizer, createPartner, createPublished,
  expectStatus, localDate, addDays, postCsv, suffix,
} from '../lib/activities.mjs';
import { identityHash, verifyWithNpm } from '../lib/credentials.mjs';
import { assertProblem } from '../lib/problem.mjs';
import { api, createSiteAdmin, startServer, withLogs } from '../lib/server.mjs';

const PUBLIC_URL = 'http://badges.staffroom.test';
const TZ = 'America/New_York';
let server;
let site;
let campaign;
let organizer;
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  server = await startServer({ args: ['--public-url', PUBLIC_URL, '--award-every-ms', '200'] });
  site = await createSiteAdmin(server);
  campaign = `cem-${suffix()}`;
  const startsOn = addDays(localDate(new Date(), TZ), -20);
  await createCampaign(site, campaign, { starts_on: startsOn, ends_on: addDays(startsOn, 60), time_zone: TZ });
  organizer = await createOrganizer(server, site, campaign);
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

const anonymous = () => api(server.baseUrl);

async function mailTo(email, pathPrefix) {
  const mails = (await collect(site, '/api/v1/mail')).filter((m) => m.to === email);
  const re = new RegExp(`${pathPrefix.replace(/[/-]/g, '\\$&')}\\?token=([^\\s"'<>]+)`);
  for (const m of mails) {
    const found = re.exec(m.body);
    if (found) return decodeURIComponent(found[1]);
  }
  assert.fail(`a mail to ${email} with a ${pathPrefix} link`);
}

/** An educator whose address is confirmed (credentials name holders by it). */
async function confirmedEducator(label) {
  const e = await createEducator(server, label);
  const token = await mailTo(e.credentials.email, '/verify-email');
  expectStatus(await anonymous().post('/api/v1/email-verifications', { token }), 200, 'confirming');
  return e;
}

function achievementBody(over = {}) {
  return {
    owner_type: 'campaign',
    owner: campaign,
    slug: `connected-${suffix()}`,
    name: 'Connected Educator',
    description: 'Took part in the Connected Educator Month online professional learning.',
    criteria: 'Attend at least one live online activity of the campaign.',
    image_url: 'https://badges.example.org/connected.png',
    hours: 1.5,
    tags: ['connected learning', 'online PD'],
    alignments: [{ target_name: 'ISTE Standards for Educators: Learner', target_url: 'https://iste.org/standards/educators', target_framework: 'ISTE', target_code: '2.1' }],
    valid_days: 1095,
    rule: null,
    ...over,
  };
}

async function fetchStatusBits(url) {
  assert.ok(url.startsWith(PUBLIC_URL), url);
  const res = await anonymous().get(url.slice(PUBLIC_URL.length));
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /application\/vc\+ld\+json/);
  const list = res.body ?? JSON.parse(res.text);
  assert.deepEqual(list.type, ['VerifiableCredential', 'BitstringStatusListCredential']);
  const encoded = list.credentialSubject.encodedList;
  assert.equal(encoded[0], 'u', 'multibase base64url');
  const bits = gunzipSync(Buffer.from(encoded.slice(1), 'base64url'));
  assert.ok(bits.length >= 16384, 'at least the 131,072 entries the spec asks for');
  return { list, isSet: (i) => (bits[Math.floor(i / 8)] & (0x80 >> (i % 8))) !== 0 };
}

/** @digitalbazaar/vc, checking our status list (proof and bit) too. */
async function verifyIndependently(credential) {
  return verifyWithNpm(credential, {
    checkStatus: async ({ credential: c }) => {
      const entry = c.credentialStatus;
      const { list, isSet } = await fetchStatusBits(entry.statusListCredential);
      const listProof = await verifyWithNpm(list);
      if (!listProof.verified) return { verified: false, error: new Error('status list proof') };
      return { verified: !isSet(Number(entry.statusListIndex)) };
    },
  });
}

it('the issuer is a did:key whose key the server made on first start', async () => {
  const res = expectStatus(await anonymous().get('/api/v1/issuer'), 200);
  assert.equal(res.method, 'key');
  assert.match(res.did, /^did:key:z6Mk/);
  assert.equal(res.keys.length, 1);
  assert.equal(res.keys[0].retired_at, null);
  // did:web is not configured: no DID document.
  assertProblem(await anonymous().get('/.well-known/did.json'), 404, 'not-found');
});

it('staff define achievements; every bad field is named; others are refused', async () => {
  const created = expectStatus(await organizer.post('/api/v1/achievements', achievementBody()), 201);
  assert.equal(created.owner_name.length > 0, true);
  assert.equal(created.hours, 1.5);
  assert.equal(created.can_manage, true);
  assert.equal(created.url, `${PUBLIC_URL}/achievements/${created.slug}`);
  // Public reading, without the management fields.
  const seen = expectStatus(await anonymous().get(`/api/v1/achievements/${created.slug}`), 200);
  assert.equal(seen.can_manage, false);
  assert.equal(seen.awarded, undefined);
  const listed = expectStatus(await anonymous().get(`/api/v1/achievements?owner_type=campaign&owner=${campaign}`), 200);
  assert.ok(listed.items.some((a) => a.slug === created.slug));

  const bad = await organizer.post('/api/v1/achievements', achievementBody({
    name: '', hours: -2, image_url: 'ftp://x', valid_days: 0,
    alignments: [{ target_name: 'x', target_url: 'not a url' }],
    rule: { kind: 'campaign_hours', campaign, hours: 0 },
  }));
  const problem = assertProblem(bad, 422, 'validation');
  const fields = problem.errors.map((e) => e.field).sort();
  assert.deepEqual(fields, ['alignments[0].target_url', 'hours', 'image_url', 'name', 'rule.hours', 'valid_days'].sort());

  assertProblem(await anonymous().post('/api/v1/achievements', achievementBody()), 401, 'unauthenticated');
  const outsider = await createEducator(server, 'outsider');
  assertProblem(await outsider.post('/api/v1/achievements', achievementBody()), 403, 'forbidden');
  assertProblem(await organizer.post('/api/v1/achievements', achievementBody({ owner: 'no-such-campaign' })), 422, 'validation');
  assertProblem(await organizer.post('/api/v1/achievements', achievementBody({ slug: created.slug })), 422, 'validation');
  // An owner keeps its achievements: another campaign's organizer cannot change this one.
  assertProblem(await outsider.put(`/api/v1/achievements/${created.slug}`, achievementBody({ slug: created.slug })), 403, 'forbidden');
  const changed = expectStatus(await organizer.put(`/api/v1/achievements/${created.slug}`,
    achievementBody({ slug: created.slug, name: 'Connected Educator 2012' })), 200);
  assert.equal(changed.name, 'Connected Educator 2012');
});

it('an award is a signed OpenBadgeCredential that an independent verifier accepts', async () => {
  const a = expectStatus(await organizer.post('/api/v1/achievements', achievementBody()), 201);
  const teacher = await confirmedEducator('badge');
  const email = teacher.credentials.email;
  const k = expectStatus(await organizer.post(`/api/v1/achievements/${a.slug}/awards`, {
    recipient_email: email.toUpperCase(), narrative: 'Led the Tuesday chat.', evidence_url: 'https://chat.example.org/archive/7',
  }), 201);
  assert.equal(k.recipient_email, email);
  assert.equal(k.url, `${PUBLIC_URL}/credentials/${k.id}`);
  const mail = (await collect(site, '/api/v1/mail')).find((m) => m.to === email && m.subject === 'You earned "Connected Educator"');
  assert.ok(mail, 'the holder is told by mail');
  assert.ok(mail.body.includes(k.url), 'with the link to the credential');
  assert.ok(mail.body.includes('Led the Tuesday chat.'), 'and why it was awarded');
  assertProblem(await organizer.post(`/api/v1/achievements/${a.slug}/awards`, { recipient_email: email }), 409, 'conflict');
  assertProblem(await organizer.post(`/api/v1/achievements/${a.slug}/awards`, { recipient_email: 'not-an-address' }), 422, 'validation');

  // The document, by content negotiation.
  const doc = await anonymous().get(`/credentials/${k.id}`, { headers: { accept: 'application/vc+ld+json' } });
  assert.equal(doc.status, 200);
  assert.match(doc.headers.get('content-type'), /application\/vc\+ld\+json/);
  const vc = JSON.parse(doc.text);
  assert.deepEqual(vc['@context'], ['https://www.w3.org/ns/credentials/v2',
    'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json', 'https://purl.imsglobal.org/spec/ob/v3p0/extensions.json']);
  assert.equal(vc.id, `urn:uuid:${k.id}`);
  assert.deepEqual(vc.type, ['VerifiableCredential', 'OpenBadgeCredential']);
  const issuer = expectStatus(await anonymous().get('/api/v1/issuer'), 200);
  assert.equal(vc.issuer.id, issuer.did);
  assert.deepEqual(vc.issuer.type, ['Profile']);
  const subject = vc.credentialSubject;
  assert.deepEqual(subject.type, ['AchievementSubject']);
  const id = subject.identifier[0];
  assert.equal(id.identityHash, identityHash(email, id.salt), 'the salted hash of the address');
  assert.equal(JSON.stringify(vc).includes(email), false, 'the address itself is not in the credential');
  assert.equal(subject.achievement.name, 'Connected Educator');
  assert.equal(subject.achievement.criteria.narrative, achievementBody().criteria);
  assert.equal(subject.achievement.creditsAvailable, 1.5);
  assert.equal(subject.achievement.alignment[0].targetCode, '2.1');
  assert.equal(vc.evidence[0].id, 'https://chat.example.org/archive/7');
  assert.ok(vc.validUntil > vc.validFrom);
  assert.equal(vc.credentialStatus.type, 'BitstringStatusListEntry');
  assert.equal(vc.proof.cryptosuite, 'eddsa-rdfc-2022');

  const npm = await verifyIndependently(vc);
  assert.equal(npm.verified, true, JSON.stringify(npm.error ?? npm, null, 1));
  // Tampering breaks it, for them and for us.
  const forged = structuredClone(vc);
  forged.credentialSubject.achievement.name = 'Distinguished Educator';
  assert.equal((await verifyWithNpm(forged, { checkStatus: async () => ({ verified: true }) })).verified, false);
  const ours = expectStatus(await anonymous().post('/api/v1/verify', vc), 200);
  assert.equal(ours.verified, true, JSON.stringify(ours.checks));
  assert.deepEqual(ours.checks.map((c) => [c.check, c.status]),
    [['schema', 'passed'], ['proof', 'passed'], ['issuer', 'passed'], ['dates', 'passed'], ['status', 'passed']]);
  const forgedAnswer = expectStatus(await anonymous().post('/api/v1/verify', forged), 200);
  assert.equal(forgedAnswer.verified, false);

  // The download and the page.
  const dl = await anonymous().get(`/credentials/${k.id}.jsonld`);
  assert.equal(dl.status, 200);
  assert.match(dl.headers.get('content-disposition'), /attachment/);
  assert.deepEqual(JSON.parse(dl.text), vc);
  const page = await anonymous().get(`/credentials/${k.id}`, { headers: { accept: 'text/html' } });
  assert.match(page.headers.get('vary') ?? '', /Accept/);
  const view = expectStatus(await anonymous().get(`/api/v1/credentials/${k.id}`), 200);
  assert.equal(view.verification.verified, true);
  assert.equal(view.recipient_email, undefined, 'the public view does not show the address');
  assert.equal(view.can_revoke, false);
  assert.match(view.linkedin_url, /^https:\/\/www\.linkedin\.com\/profile\/add\?startTask=CERTIFICATION_NAME&name=Connected%20Educator/);
  assert.equal(expectStatus(await organizer.get(`/api/v1/credentials/${k.id}`), 200).can_revoke, true);
  assertProblem(await anonymous().get('/api/v1/credentials/00000000-0000-4000-8000-000000000000'), 404, 'not-found');

  // The educator's backpack.
  const pack = expectStatus(await teacher.get('/api/v1/me/credentials'), 200);
  assert.deepEqual(pack.items.map((x) => x.id), [k.id]);
  assertProblem(await anonymous().get('/api/v1/me/credentials'), 401, 'unauthenticated');
});

it('the VC-JWT rendering is RS256 over the same credential', async () => {
  const a = expectStatus(await organizer.post('/api/v1/achievements', achievementBody()), 201);
  const teacher = await confirmedEducator('jwt');
  const k = expectStatus(await organizer.post(`/api/v1/achievements/${a.slug}/awards`, { recipient_email: teacher.credentials.email }), 201);
  const res = await anonymous().get(`/credentials/${k.id}`, { headers: { accept: 'application/vc+jwt' } });
  assert.equal(res.status, 200, res.text);
  const [h, p, s] = res.text.trim().split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const payload = JSON.parse(Buffer.from(p, 'base64url'));
  assert.equal(header.alg, 'RS256');
  assert.ok(header.kid);
  const vc = JSON.parse((await anonymous().get(`/credentials/${k.id}`, { headers: { accept: 'application/ld+json' } })).text);
  delete vc.proof;
  assert.deepEqual(payload.vc, vc);
  assert.equal(payload.iss, vc.issuer.id);
  assert.equal(payload.jti, vc.id);
  assert.equal(payload.nbf, Math.floor(Date.parse(vc.validFrom) / 1000));
  // The key: in the header when the issuer is a did:key (which cannot hold an RSA key).
  assert.ok(header.jwk, 'the public key travels in the header');
  const key = createPublicKey({ key: header.jwk, format: 'jwk' });
  assert.equal(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s, 'base64url')), true);
  const tampered = Buffer.from(JSON.stringify({ ...payload, jti: 'urn:uuid:other' })).toString('base64url');
  assert.equal(createVerify('RSA-SHA256').update(`${h}.${tampered}`).verify(key, Buffer.from(s, 'base64url')), false);
});

it('revoking takes a reason, flips the bit in the signed status list and shows everywhere', async () => {
  const a = expectStatus(await organizer.post('/api/v1/achievements', achievementBody()), 201);
  const teacher = await confirmedEducator('revoke');
  const k = expectStatus(await organizer.post(`/api/v1/achievements/${a.slug}/awards`, { recipient_email: teacher.credentials.email }), 201);
  const vc = JSON.parse((await anonymous().get(`/credentials/${k.id}`, { headers: { accept: 'application/ld+json' } })).text);
  const index = Number(vc.credentialStatus.statusListIndex);
  assert.equal((await fetchStatusBits(vc.credentialStatus.statusListCredential)).isSet(index), false);

  assertProblem(await organizer.post(`/api/v1/credentials/${k.id}/revoke`, { reason: '  ' }), 422, 'validation', { field: 'reason' });
  assertProblem(await teacher.post(`/api/v1/credentials/${k.id}/revoke`, { reason: 'mine' }), 403, 'forbidden');
  assertProblem(await anonymous().post(`/api/v1/credentials/${k.id}/revoke`, { reason: 'x' }), 401, 'unauthenticated');
  const revoked = expectStatus(await organizer.post(`/api/v1/credentials/${k.id}/revoke`, { reason: 'Awarded to the wrong person.' }), 200);
  assert.equal(revoked.revoked.reason, 'Awarded to the wrong person.');
  assertProblem(await organizer.post(`/api/v1/credentials/${k.id}/revoke`, { reason: 'again' }), 409, 'conflict');

  const { list, isSet } = await fetchStatusBits(vc.credentialStatus.statusListCredential);
  assert.equal(isSet(index), true);
  assert.equal((await verifyWithNpm(list)).verified, true, 'the status list is signed by the issuer');
  assert.equal(list.issuer, vc.issuer.id);
  assert.equal((await verifyIndependently(vc)).verified, false, 'the independent verifier sees the revocation');
  const ours = expectStatus(await anonymous().post('/api/v1/verify', vc), 200);
  assert.equal(ours.verified, false);
  const status = ours.checks.find((c) => c.check === 'status');
  assert.equal(status.status, 'failed');
  assert.match(status.detail, /wrong person/);
  const view = expectStatus(await anonymous().get(`/api/v1/credentials/${k.id}`), 200);
  assert.equal(view.revoked.reason, 'Awarded to the wrong person.');
  assert.equal(view.verification.verified, false);
});

it('a CSV award is all or nothing, with a preview', async () => {
  const a = expectStatus(await organizer.post('/api/v1/achievements', achievementBody()), 201);
  const [x, y] = await Promise.all([confirmedEducator('csv-x'), confirmedEducator('csv-y')]);
  const bad = `email,narrative,evidence\n${x.credentials.email},Presented,https://ok.example.org/1\nnot-an-address,,\n${y.credentials.email},,ftp://nope\n`;
  const problem = assertProblem(await postCsv(organizer, `/api/v1/achievements/${a.slug}/awards`, bad), 422, 'validation');
  assert.deepEqual(problem.errors.map((e) => e.field), ['line 3, email', 'line 4, evidence']);
  assert.equal(expectStatus(await organizer.get(`/api/v1/achievements/${a.slug}/awards`), 200).items.length, 0, 'nothing awarded');
  const good = `evidence,email\nhttps://ok.example.org/1,${x.credentials.email}\n,${y.credentials.email}\n`;
  const preview = expectStatus(await postCsv(organizer, `/api/v1/achievements/${a.slug}/awards?dry_run=true`, good), 200);
  assert.deepEqual([preview.dry_run, preview.would_award, preview.awarded], [true, 2, 0]);
  assert.equal(expectStatus(await organizer.get(`/api/v1/achievements/${a.slug}/awards`), 200).items.length, 0);
  const done = expectStatus(await postCsv(organizer, `/api/v1/achievements/${a.slug}/awards`, good), 200);
  assert.equal(done.awarded, 2);
  assert.deepEqual(done.credentials.map((c) => c.source), ['bulk', 'bulk']);
  // Sending the same file again refuses it whole: both already hold it.
  const again = assertProblem(await postCsv(organizer, `/api/v1/achievements/${a.slug}/awards`, good), 422, 'validation');
  assert.equal(again.errors.length, 2);
  const outsider = await createEducator(server, 'csv-outsider');
  assertProblem(await postCsv(outsider, `/api/v1/achievements/${a.slug}/awards`, good), 403, 'forbidden');
  assertProblem(await outsider.get(`/api/v1/achievements/${a.slug}/awards`), 403, 'forbidden');
});

it('an award rule issues the credential when the attendance arrives', async () => {
  const staff = await createPartner(server, site, campaign);
  const start = `${addDays(localDate(new Date(), TZ), -2)}T16:00`;
  const activity = await createPublished(staff, site, activityInput(campaign, { title: 'Rule-earned webinar', start, time_zone: TZ }));
  const a = expectStatus(await organizer.post('/api/v1/achievements', achievementBody({
    rule: { kind: 'attended_activity', activity: String(activity.id) },
  })), 201);
  assert.deepEqual(a.rule, { kind: 'attended_activity', activity: String(activity.id) });
  const teacher = await confirmedEducator('rule');
  expectStatus(await postCsv(staff, `/api/v1/activities/${activity.id}/attendance`, `email,minutes\n${teacher.credentials.email},60\n`), 200);
  let pack;
  for (let i = 0; i < 50; i += 1) {
    pack = expectStatus(await teacher.get('/api/v1/me/credentials'), 200);
    if (pack.items.length > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(pack.items.length, 1, 'awarded within ten seconds');
  assert.equal(pack.items[0].source, 'rule');
  assert.equal(pack.items[0].achievement.slug, a.slug);
  const vc = JSON.parse((await anonymous().get(`/credentials/${pack.items[0].id}`, { headers: { accept: 'application/ld+json' } })).text);
  assert.match(vc.evidence[0].id, new RegExp(`/activities/${activity.id}$`));
  assert.equal((await verifyIndependently(vc)).verified, true);
});

it('series and campaign-hours rules award once the last record arrives, not before', async () => {
  const staff = await createPartner(server, site, campaign);
  const day = (n) => `${addDays(localDate(new Date(), TZ), -n)}T16:00`;
  const first = await createPublished(staff, site, activityInput(campaign, { title: 'Series part 1', start: day(3), time_zone: TZ }));
  const second = await createPublished(staff, site, activityInput(campaign, { title: 'Series part 2', start: day(2), time_zone: TZ }));
  const series = expectStatus(await organizer.post('/api/v1/achievements', achievementBody({
    name: 'Series finisher', rule: { kind: 'series', activities: [String(first.id), String(second.id)] },
  })), 201);
  // Hours across the whole campaign; others' records from earlier tests count for them, not here.
  const hours = expectStatus(await organizer.post('/api/v1/achievements', achievementBody({
    name: 'Ninety minutes', rule: { kind: 'campaign_hours', campaign, hours: 1.5 },
  })), 201);
  const teacher = await confirmedEducator('series');
  const email = teacher.credentials.email;
  const held = async () => (expectStatus(await teacher.get('/api/v1/me/credentials'), 200)).items
    .map((k) => k.achievement.slug).filter((s) => s === series.slug || s === hours.slug).sort();

  expectStatus(await postCsv(staff, `/api/v1/activities/${first.id}/attendance`, `email,minutes\n${email},60\n`), 200);
  // Two sweeps (200 ms apart) run after the record: half the series and an hour earn nothing.
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(await held(), []);

  expectStatus(await postCsv(staff, `/api/v1/activities/${second.id}/attendance`, `email,minutes\n${email},45\n`), 200);
  let got = [];
  for (let i = 0; i < 50 && got.length < 2; i += 1) {
    got = await held();
    if (got.length < 2) await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(got, [series.slug, hours.slug].sort(), 'both rules met by the second record');
  const pack = expectStatus(await teacher.get('/api/v1/me/credentials'), 200);
  const seriesCredential = pack.items.find((k) => k.achievement.slug === series.slug);
  const vc = JSON.parse((await anonymous().get(`/credentials/${seriesCredential.id}`, { headers: { accept: 'application/ld+json' } })).text);
  assert.deepEqual(vc.evidence.map((e) => e.id).sort(),
    [`${PUBLIC_URL}/activities/${first.id}`, `${PUBLIC_URL}/activities/${second.id}`].sort(), 'the evidence names both records');
  assert.equal((await verifyIndependently(vc)).verified, true);
});

/** A district whose policy credits logged webinars with a short survey, one teacher, an approved claim. */
async function approvedCredit() {
  const slug = `district-${suffix()}`;
  const admin = await confirmedEducator('district-admin');
  const created = expectStatus(await admin.post('/api/v1/districts', { slug, name: `District ${slug}`, state: 'OH', time_zone: TZ }), 201);
  const approver = await confirmedEducator('approver');
  const joined = expectStatus(await approver.post('/api/v1/district-memberships', { code: created.join_code }), 201);
  expectStatus(await admin.patch(`/api/v1/districts/${slug}/members/${joined.member.id}`, { role: 'approver' }), 200);
  const teacher = await confirmedEducator('clr-teacher');
  expectStatus(await teacher.post('/api/v1/district-memberships', { code: created.join_code }), 201);
  const today = localDate(new Date(), TZ);
  expectStatus(await admin.post(`/api/v1/districts/${slug}/policy/versions`, {
    format: 'staffroom.credit-policy/1', name: 'Webinar credit', effective_on: addDays(today, -400), time_zone: TZ,
    counts: { formats: 'all', providers: 'all', themes: 'all',
      self_reported: { counts: true, formats: ['webinar'], requires_attestation: false, min_reflection_words: 0 } },
    conversion: { rounding: 'nearest_quarter_hour', hours_per_ceu: 10, hours_per_semester_credit: 15, presenter_multiplier: 2, facilitator_multiplier: 2 },
    tiers: [{ id: 'knowledge', name: 'Knowledge', level: 1, deadline_days: 30, min_hours: 0,
      requirements: [{ any_of: [{ kind: 'survey' }] }], approver_review: false }],
    caps: [],
    renewal: { required_hours: 100, cycle_years: 5, starts_on: addDays(today, -400) },
  }), 201);
  // A district achievement its approvals award.
  const achievement = expectStatus(await admin.post('/api/v1/achievements', achievementBody({
    owner_type: 'district', owner: slug, name: 'Credited learner', rule: { kind: 'approved_claim', district: slug, tier: 'knowledge' },
  })), 201);
  const item = expectStatus(await teacher.post('/api/v1/me/learning', {
    title: 'Webinar on exit tickets', format: 'webinar', learned_on: addDays(today, -2), minutes: 90,
    url: 'https://webinars.example.org/exit-tickets', reflection: 'Exit tickets show me who needs help tomorrow.',
  }), 201);
  const survey = expectStatus(await teacher.post('/api/v1/me/evidence', {
    kind: 'survey', title: 'What I learned', body: JSON.stringify({ learned: 'exit tickets' }),
  }), 201);
  const claim = expectStatus(await teacher.post(`/api/v1/districts/${slug}/claims`, {
    tier: 'knowledge', evidence: [`self_report:${item.id}`, `survey:${survey.id}`],
  }), 201);
  expectStatus(await approver.post(`/api/v1/districts/${slug}/claims/${claim.id}/decision`, { decision: 'approve' }), 200);
  return { slug, teacher, claim, achievement };
}

it('an approved claim awards the district achievement by rule, and the learner record bundles credit and badges', async () => {
  const d = await approvedCredit();
  let pack;
  for (let i = 0; i < 50; i += 1) {
    pack = expectStatus(await d.teacher.get('/api/v1/me/credentials'), 200);
    if (pack.items.length > 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.deepEqual(pack.items.map((k) => [k.achievement.slug, k.source]), [[d.achievement.slug, 'rule']]);

  const res = await d.teacher.get('/api/v1/me/learner-record?download=true');
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-disposition'), /attachment/);
  const clr = JSON.parse(res.text);
  assert.deepEqual(clr['@context'], ['https://www.w3.org/ns/credentials/v2',
    'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json', 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json']);
  assert.deepEqual(clr.type, ['VerifiableCredential', 'ClrCredential']);
  const subject = clr.credentialSubject;
  assert.deepEqual(subject.type, ['ClrSubject']);
  assert.equal(subject.identifier[0].identityHash, identityHash(d.teacher.credentials.email, subject.identifier[0].salt));
  assert.equal(subject.verifiableCredential.length, 2, 'the approved credit and the badge');
  const credit = subject.verifiableCredential.find((c) => c.name.startsWith('Professional learning credit'));
  assert.ok(credit, JSON.stringify(subject.verifiableCredential.map((c) => c.name)));
  assert.equal(credit.credentialSubject.achievement.creditsAvailable, 1.5);
  assert.match(credit.evidence[0].id, new RegExp(`/districts/${d.slug}/claims/${d.claim.id}$`));
  assert.equal(subject.achievement.length, 2);
  // The record and every credential in it verify with an independent implementation.
  const outer = await verifyWithNpm(clr);
  assert.equal(outer.verified, true, JSON.stringify(outer.error ?? outer, null, 1));
  for (const inner of subject.verifiableCredential) {
    const v = await verifyWithNpm(inner, { checkStatus: async () => ({ verified: true }) });
    assert.equal(v.verified, true, `${inner.name}: ${JSON.stringify(v.error ?? v)}`);
  }
  const tampered = structuredClone(clr);
  tampered.credentialSubject.verifiableCredential.pop();
  assert.equal((await verifyWithNpm(tampered)).verified, false, 'dropping a credential breaks the record');

  // A period without either holds neither.
  const old = JSON.parse((await d.teacher.get('/api/v1/me/learner-record?from=2001-01-01&to=2001-12-31')).text);
  assert.deepEqual(old.credentialSubject.verifiableCredential, []);
  assertProblem(await d.teacher.get('/api/v1/me/learner-record?from=2026-13-01'), 422, 'validation', { field: 'from' });
  assertProblem(await d.teacher.get('/api/v1/me/learner-record?from=2026-05-01&to=2026-04-01'), 422, 'validation', { field: 'to' });
  const unconfirmed = await createEducator(server, 'clr-unconfirmed');
  assertProblem(await unconfirmed.get('/api/v1/me/learner-record'), 409, 'conflict');
  assertProblem(await anonymous().get('/api/v1/me/learner-record'), 401, 'unauthenticated');
});
