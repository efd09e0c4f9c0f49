// Participation from xAPI statements, and the email verification it relies on.
//
// Email verification: sign-up mails a link `<public URL>/verify-email?token=...`; the token
// confirms the address through POST /api/v1/email-verifications; GET /api/v1/me shows
// `email_verified_at`; POST /api/v1/me/email-verification mails a new link (409 once
// verified, 429 when asked too often).
//
// Participation: a statement about a catalog activity (`<public URL>/activities/<id>`) from
// an LRS client of its host (or a confirmed co-host), with a verb that counts, becomes an
// attendance record with `source: "xapi"` and `statement_id`, for the educator whose VERIFIED
// email the statement names (mbox or mbox_sha1sum). Minutes come from result.duration
// (capped at the session), the session length, or a join/leave pair. Voiding withdraws the
// record; records about unverified addresses become the owner's when they verify.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';
import {
  activityInput, addDays, collect, createActivity, createCampaign, createEducator, createPublished, expectStatus,
  instant, localDate, postCsv, publishActivity, submitActivity, suffix, wallTime,
} from '../lib/activities.mjs';
import { assertProblem, assertTime } from '../lib/problem.mjs';
import { api, createSiteAdmin, signUp, startServer, uniqueEmail, withLogs } from '../lib/server.mjs';
import { newLrsClient, uuid, xapiFetch } from '../lib/xapi.mjs';

// The server is told its public address: activity IRIs and mailed links are built from it.
const PUBLIC_URL = 'http://pd.staffroom.test';
const TZ = 'America/New_York';
const SUBJECT = 'Confirm your email address for Staffroom';

const ADL = 'http://adlnet.gov/expapi/verbs';
const VERB = {
  attended: `${ADL}/attended`,
  completed: `${ADL}/completed`,
  experienced: `${ADL}/experienced`,
  passed: `${ADL}/passed`,
  join: 'http://activitystrea.ms/join',
  leave: 'http://activitystrea.ms/leave',
  joined: 'https://w3id.org/xapi/adl/verbs/joined',
  left: 'https://w3id.org/xapi/adl/verbs/left',
  voided: `${ADL}/voided`,
};

let server;
let admin;
let campaign; // started two days ago, lasts a month
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  server = await startServer({ args: ['--public-url', PUBLIC_URL] });
  admin = await createSiteAdmin(server);
  campaign = await freshCampaign('xapi-part');
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

const anonymous = () => api(server.baseUrl);

async function freshCampaign(prefix) {
  const slug = `${prefix}-${suffix()}`;
  const today = localDate(new Date(), TZ);
  await createCampaign(admin, slug, { starts_on: addDays(today, -2), ends_on: addDays(today, 30), time_zone: TZ });
  return slug;
}

// ---------------------------------------------------------------------------------------
// Mail and verification helpers

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LINK = new RegExp(`${escapeRe(PUBLIC_URL)}/verify-email\\?token=([^\\s"'<>]+)`);

/** The outbox's mails to `email`, newest first. */
async function mailsTo(email) {
  return (await collect(admin, '/api/v1/mail')).filter((m) => m.to === email);
}

/** The token of the newest confirmation mail to `email` (asserts there is one). */
async function verificationToken(email) {
  const mails = (await mailsTo(email)).filter((m) => m.subject === SUBJECT);
  assert.ok(mails.length > 0, `a "${SUBJECT}" mail to ${email}`);
  const m = LINK.exec(mails[0].body);
  assert.ok(m, `the mail holds a link ${PUBLIC_URL}/verify-email?token=...: ${mails[0].body}`);
  return decodeURIComponent(m[1]);
}

function confirmEmail(token) {
  return anonymous().post('/api/v1/email-verifications', { token });
}

/** Confirms the educator's address through the mailed link. */
async function verify(educator) {
  const body = expectStatus(await confirmEmail(await verificationToken(educator.credentials.email)), 200,
    `confirming ${educator.credentials.email}`);
  assert.deepEqual(body, { email: educator.credentials.email, verified: true });
}

async function verifiedEducator(label) {
  const e = await createEducator(server, label);
  await verify(e);
  return e;
}

async function me(client) {
  return expectStatus(await client.get('/api/v1/me'), 200, 'GET /api/v1/me').user;
}

// ---------------------------------------------------------------------------------------
// Activities, LRS clients and statements

const minuteFloor = (ms) => new Date(Math.floor(ms / 60_000) * 60_000);
const iriOf = (activity) => `${PUBLIC_URL}/activities/${activity.id}`;
const sha1 = (text) => createHash('sha1').update(text, 'utf8').digest('hex');
const byMbox = (email) => ({ mbox: `mailto:${email}` });
const bySha1 = (email) => ({ mbox_sha1sum: sha1(`mailto:${email}`) });

/**
 * A new partner organization of the campaign with an LRS client, hosting an approved
 * activity whose single session began `startedMinutesAgo` minutes ago (three hours by
 * default) and lasts `duration_minutes` (60 by default). Answers
 * { lrs, host, activity, iri, start } where `start` is the session start in ms.
 */
async function hostedActivity({ slug = campaign, startedMinutesAgo = 180, publish = true, ...over } = {}) {
  const lrs = await newLrsClient(server, admin, slug);
  const startAt = minuteFloor(Date.now() - startedMinutesAgo * 60_000);
  const input = activityInput(slug, {
    title: `Workshop ${suffix()}`, time_zone: 'UTC', start: wallTime(startAt, 'UTC'), duration_minutes: 60, ...over,
  });
  const activity = publish ? await createPublished(lrs.staff, admin, input) : await createActivity(lrs.staff, input);
  assert.equal(activity.sessions.length, 1, 'one session');
  assert.equal(instant(activity.sessions[0].starts_at), startAt.toISOString(), 'the session starts when asked');
  return { lrs, host: lrs.staff, activity, iri: iriOf(activity), start: startAt.getTime() };
}

/** `minutes` after the session start of `h`, as an xAPI timestamp. */
const at = (h, minutes) => new Date(h.start + minutes * 60_000).toISOString();

/** A statement: `person` ({mbox} or {mbox_sha1sum}) did `verb` to the activity `iri`. */
function taking(iri, person, { verb = VERB.attended, duration, timestamp, id } = {}) {
  const st = {
    actor: { objectType: 'Agent', name: 'A learner', ...person },
    verb: { id: verb, display: { 'en-US': verb.split('/').pop() } },
    object: {
      objectType: 'Activity',
      id: iri,
      definition: { name: { 'en-US': 'A workshop' }, type: 'http://adlnet.gov/expapi/activities/meeting' },
    },
  };
  if (duration !== undefined) st.result = { duration };
  if (timestamp !== undefined) st.timestamp = timestamp;
  if (id !== undefined) st.id = id;
  return st;
}

/** POSTs one statement or a batch through the LRS client; asserts 200; answers the ids. */
async function send(lrs, body, opts = {}) {
  const res = await xapiFetch(lrs, 'statements', { ...opts, method: 'POST', body });
  assert.equal(res.status, 200, `POST /xapi/statements: HTTP ${res.status} ${res.text}`);
  assert.ok(Array.isArray(res.body), `POST answers the ids: ${res.text}`);
  return res.body;
}

async function sendOne(lrs, st, opts) {
  const ids = await send(lrs, st, opts);
  assert.equal(ids.length, 1);
  return ids[0];
}

function voiding(lrs, targetId) {
  return sendOne(lrs, {
    actor: { objectType: 'Agent', name: 'An administrator', mbox: `mailto:lrs-admin-${suffix()}@example.org` },
    verb: { id: VERB.voided, display: { 'en-US': 'voided' } },
    object: { objectType: 'StatementRef', id: targetId },
  });
}

/** GET /api/v1/activities/{id}/attendance as `staff`. */
const hostList = (staff, activity) => collect(staff, `/api/v1/activities/${activity.id}/attendance`);
const myList = (educator) => collect(educator, '/api/v1/me/attendance');
const xapiOnly = (list) => list.filter((x) => x.source === 'xapi');

/** Asserts the Attendance shape of an xAPI record and the fields every such record has. */
function assertXapiRecord(rec, { activity, statementId, minutes, email, userId, sessionStart }) {
  const where = `record ${JSON.stringify(rec)}`;
  assert.ok(Number.isInteger(rec.id), `${where}: id`);
  assert.deepEqual(rec.activity, { id: activity.id, title: activity.title }, `${where}: activity`);
  assert.equal(rec.source, 'xapi', `${where}: source`);
  assert.equal(rec.statement_id, statementId, `${where}: statement_id`);
  assert.equal(rec.minutes, minutes, `${where}: minutes`);
  if (email !== undefined) assert.equal(rec.email, email, `${where}: email`);
  if (userId !== undefined) assert.equal(rec.user_id, userId, `${where}: user_id`);
  if (sessionStart !== undefined) assert.equal(instant(rec.session_starts_at), new Date(sessionStart).toISOString(), `${where}: session_starts_at`);
  assertTime(rec.recorded_at, 'recorded_at');
}

// =======================================================================================
// A. Email verification

it('sign-up mails a confirmation link to the new address; /me shows email_verified_at null', async () => {
  const e = api(server.baseUrl);
  const email = uniqueEmail('signup');
  await signUp(e, { email, display_name: 'Grace Hopper' });
  const mails = await mailsTo(email);
  assert.equal(mails.length, 1, `one mail to the new address: ${JSON.stringify(mails)}`);
  assert.equal(mails[0].subject, SUBJECT);
  assert.match(mails[0].body, LINK, `the link to ${PUBLIC_URL}/verify-email?token=...: ${mails[0].body}`);
  const token = LINK.exec(mails[0].body)[1];
  assert.ok(token.length >= 16, `a token that cannot be guessed: ${token}`);
  const user = await me(e);
  assert.ok('email_verified_at' in user, `email_verified_at is present: ${JSON.stringify(user)}`);
  assert.equal(user.email_verified_at, null);
});

it('the mailed token confirms the address, without signing in; /me then shows when', async () => {
  const e = await createEducator(server, 'confirm');
  const token = await verificationToken(e.credentials.email);
  const before = Date.now();
  const res = await confirmEmail(token);
  const after = Date.now();
  assert.deepEqual(expectStatus(res, 200, 'POST /api/v1/email-verifications'), { email: e.credentials.email, verified: true });
  const user = await me(e);
  assertTime(user.email_verified_at, 'email_verified_at');
  const t = Date.parse(user.email_verified_at);
  assert.ok(t >= before - 2000 && t <= after + 2000, `verified just now: ${user.email_verified_at}`);
});

it('a used, unknown or empty token is refused and changes nothing', async () => {
  const e = await createEducator(server, 'reuse');
  const token = await verificationToken(e.credentials.email);
  expectStatus(await confirmEmail(token), 200, 'first use');
  const verifiedAt = (await me(e)).email_verified_at;
  assertTime(verifiedAt, 'email_verified_at');

  assertProblem(await confirmEmail(token), 400, 'bad-request');
  assertProblem(await confirmEmail(`${token}x`), 400, 'bad-request');
  assertProblem(await confirmEmail(`unknown-${suffix()}${suffix()}`), 400, 'bad-request');
  assertProblem(await confirmEmail(''), 422, 'validation', { field: 'token' });
  assert.equal((await me(e)).email_verified_at, verifiedAt, 'unchanged by the refused tokens');

  // A refused token does not verify anybody else either.
  const other = await createEducator(server, 'reuse-other');
  assertProblem(await confirmEmail(token), 400, 'bad-request');
  assert.equal((await me(other)).email_verified_at, null);
});

it('POST /me/email-verification mails a new link that works; it needs a session and the CSRF header', async () => {
  const e = await createEducator(server, 'resend');
  const email = e.credentials.email;
  const first = await verificationToken(email);

  assertProblem(await anonymous().post('/api/v1/me/email-verification', {}), 401, 'unauthenticated');
  assertProblem(await e.post('/api/v1/me/email-verification', {}, { csrf: false }), 403, 'csrf');
  assert.equal((await mailsTo(email)).length, 1, 'refused requests send nothing');

  const res = await e.post('/api/v1/me/email-verification', {});
  assert.deepEqual(expectStatus(res, 202, 'asking for a new link'), { sent_to: email });
  const mails = await mailsTo(email);
  assert.equal(mails.length, 2, 'a second mail');
  assert.ok(mails.every((m) => m.subject === SUBJECT));
  const second = await verificationToken(email);
  assert.notEqual(second, first, 'a new token');

  assert.equal((await me(e)).email_verified_at, null, 'asking for a link verifies nothing');
  expectStatus(await confirmEmail(second), 200, 'the new link');
  assertTime((await me(e)).email_verified_at, 'email_verified_at');
});

it('asking for a link once verified is 409 and sends nothing', async () => {
  const e = await verifiedEducator('already');
  const before = (await mailsTo(e.credentials.email)).length;
  assertProblem(await e.post('/api/v1/me/email-verification', {}), 409, 'conflict');
  assert.equal((await mailsTo(e.credentials.email)).length, before);
});

it('asking for links again and again is rate-limited (429 with Retry-After), and the refused ones send nothing', async () => {
  const e = await createEducator(server, 'ratelimit');
  const statuses = [];
  let limited;
  for (let i = 0; i < 6 && !limited; i += 1) {
    const res = await e.post('/api/v1/me/email-verification', {});
    statuses.push(res.status);
    if (res.status === 429) limited = res;
    else expectStatus(res, 202, `request ${i + 1}`);
  }
  assert.ok(limited, `a 429 within six requests in a row, got ${statuses.join(', ')}`);
  assert.equal(statuses[0], 202, 'the first one is sent');
  assertProblem(limited, 429, 'rate-limited');
  const retry = Number(limited.headers.get('retry-after'));
  assert.ok(Number.isInteger(retry) && retry > 0, `Retry-After in seconds: ${limited.headers.get('retry-after')}`);
  const sent = statuses.filter((s) => s === 202).length;
  assert.equal((await mailsTo(e.credentials.email)).length, 1 + sent, 'the sign-up mail and one per 202');
});

// =======================================================================================
// B. Participation from statements

it('attended with result.duration PT45M records 45 minutes for the verified educator, with the statement id', async () => {
  const h = await hostedActivity();
  const e = await verifiedEducator('pt45m');
  const email = e.credentials.email;
  const id = await sendOne(h.lrs, taking(h.iri, byMbox(email), { duration: 'PT45M', timestamp: at(h, 5) }));

  const mine = await myList(e);
  assert.equal(mine.length, 1, `one record in /me/attendance: ${JSON.stringify(mine)}`);
  assertXapiRecord(mine[0], { activity: h.activity, statementId: id, minutes: 45, email, userId: e.user.id, sessionStart: h.start });

  const list = await hostList(h.host, h.activity);
  assert.equal(list.length, 1, `one record in the activity's list: ${JSON.stringify(list)}`);
  assertXapiRecord(list[0], { activity: h.activity, statementId: id, minutes: 45, email, userId: e.user.id, sessionStart: h.start });
  assert.equal(list[0].id, mine[0].id, 'the same record');
});

it('attended without a duration on a 60-minute activity records 60 minutes (no timestamp given)', async () => {
  const h = await hostedActivity({ duration_minutes: 60 });
  const e = await verifiedEducator('sixty');
  const id = await sendOne(h.lrs, taking(h.iri, byMbox(e.credentials.email)));
  const mine = await myList(e);
  assert.deepEqual(mine.map((x) => [x.statement_id, x.source, x.minutes]), [[id, 'xapi', 60]]);
  assert.equal(instant(mine[0].session_starts_at), new Date(h.start).toISOString());
});

it('completed and passed count the session length, experienced 0 minutes', async () => {
  const h = await hostedActivity({ duration_minutes: 50 });
  const [c, p, x] = await Promise.all(['completed', 'passed', 'experienced'].map((l) => verifiedEducator(`verb-${l}`)));
  const ids = {
    completed: await sendOne(h.lrs, taking(h.iri, byMbox(c.credentials.email), { verb: VERB.completed, timestamp: at(h, 50) })),
    passed: await sendOne(h.lrs, taking(h.iri, byMbox(p.credentials.email), { verb: VERB.passed, timestamp: at(h, 50) })),
    experienced: await sendOne(h.lrs, taking(h.iri, byMbox(x.credentials.email), { verb: VERB.experienced, timestamp: at(h, 10) })),
  };
  assert.deepEqual((await myList(c)).map((r) => [r.statement_id, r.minutes]), [[ids.completed, 50]]);
  assert.deepEqual((await myList(p)).map((r) => [r.statement_id, r.minutes]), [[ids.passed, 50]]);
  assert.deepEqual((await myList(x)).map((r) => [r.statement_id, r.minutes]), [[ids.experienced, 0]]);
  const list = await hostList(h.host, h.activity);
  assert.deepEqual(list.map((r) => [r.email, r.minutes]).sort(), [
    [c.credentials.email, 50], [p.credentials.email, 50], [x.credentials.email, 0],
  ].sort());
});

it('a duration longer than the session is capped at the session length', async () => {
  const h = await hostedActivity({ duration_minutes: 60 });
  const e = await verifiedEducator('capped');
  const long = await sendOne(h.lrs, taking(h.iri, byMbox(e.credentials.email), { duration: 'PT2H30M', timestamp: at(h, 30) }));
  const short = await sendOne(h.lrs, taking(h.iri, byMbox(e.credentials.email), { verb: VERB.completed, duration: 'PT59M', timestamp: at(h, 59) }));
  const mine = await myList(e);
  assert.deepEqual(mine.map((x) => [x.statement_id, x.minutes]).sort(), [[long, 60], [short, 59]].sort());
});

it('join then leave 30 minutes later: the join records 0 minutes, the leave 30', async () => {
  const h = await hostedActivity({ duration_minutes: 60 });
  const e = await verifiedEducator('joinleave');
  const person = byMbox(e.credentials.email);
  const joinId = await sendOne(h.lrs, taking(h.iri, person, { verb: VERB.join, timestamp: at(h, 5) }));
  const leaveId = await sendOne(h.lrs, taking(h.iri, person, { verb: VERB.leave, timestamp: at(h, 35) }));
  const mine = await myList(e);
  const minutes = Object.fromEntries(mine.map((x) => [x.statement_id, x.minutes]));
  assert.deepEqual(minutes, { [joinId]: 0, [leaveId]: 30 }, JSON.stringify(mine));
  for (const x of mine) assert.equal(x.source, 'xapi');
  const list = await hostList(h.host, h.activity);
  assert.deepEqual(list.map((x) => [x.statement_id, x.minutes]).sort(), [[joinId, 0], [leaveId, 30]].sort());
});

it('joined/left (ADL verbs): a leave counts from the latest join of the same person, not another person\'s', async () => {
  const h = await hostedActivity({ duration_minutes: 60 });
  const e = await verifiedEducator('joined');
  const other = await verifiedEducator('joined-other');
  const me1 = byMbox(e.credentials.email);
  await sendOne(h.lrs, taking(h.iri, me1, { verb: VERB.joined, timestamp: at(h, 0) }));
  const rejoin = await sendOne(h.lrs, taking(h.iri, me1, { verb: VERB.joined, timestamp: at(h, 20) }));
  // Someone else joins later still; it is not this person's join.
  await sendOne(h.lrs, taking(h.iri, byMbox(other.credentials.email), { verb: VERB.joined, timestamp: at(h, 40) }));
  const left = await sendOne(h.lrs, taking(h.iri, me1, { verb: VERB.left, timestamp: at(h, 45) }));
  const mine = await myList(e);
  assert.equal(mine.find((x) => x.statement_id === left)?.minutes, 25, `left 25 minutes after the latest join: ${JSON.stringify(mine)}`);
  assert.equal(mine.find((x) => x.statement_id === rejoin)?.minutes, 0);
  assert.equal(mine.length, 3);
  assert.deepEqual((await myList(other)).map((x) => x.minutes), [0]);
});

it('several statements in one batch, and one PUT with xAPI 2.0.0, each record once; re-sending adds nothing', async () => {
  const h = await hostedActivity();
  const [a, b, c] = await Promise.all([1, 2, 3].map((n) => verifiedEducator(`batch${n}`)));
  const batch = [
    taking(h.iri, byMbox(a.credentials.email), { duration: 'PT40M', timestamp: at(h, 40), id: uuid() }),
    taking(h.iri, byMbox(b.credentials.email), { duration: 'PT20M', timestamp: at(h, 20), id: uuid() }),
  ];
  const ids = await send(h.lrs, batch);
  assert.deepEqual(ids, batch.map((s) => s.id));
  const putId = uuid();
  const st = taking(h.iri, byMbox(c.credentials.email), { duration: 'PT10M', timestamp: at(h, 10) });
  const put = await xapiFetch(h.lrs, `statements?statementId=${putId}`, { method: 'PUT', body: st, version: '2.0.0' });
  assert.equal(put.status, 204, `PUT: HTTP ${put.status} ${put.text}`);
  // The same statements again (same ids, same content): accepted, kept once.
  await send(h.lrs, batch);
  const again = await xapiFetch(h.lrs, `statements?statementId=${putId}`, { method: 'PUT', body: st, version: '2.0.0' });
  assert.equal(again.status, 204, `PUT again: HTTP ${again.status} ${again.text}`);

  const list = await hostList(h.host, h.activity);
  assert.deepEqual(list.map((x) => [x.email, x.statement_id, x.minutes]).sort(), [
    [a.credentials.email, batch[0].id, 40], [b.credentials.email, batch[1].id, 20], [c.credentials.email, putId, 10],
  ].sort());
  assert.deepEqual((await myList(c)).map((x) => [x.statement_id, x.minutes]), [[putId, 10]]);
});

it('a join and its leave sent together in one batch count the same as sent apart', async () => {
  const h = await hostedActivity({ duration_minutes: 60 });
  const e = await verifiedEducator('batch-joinleave');
  const person = byMbox(e.credentials.email);
  const join = taking(h.iri, person, { verb: VERB.join, timestamp: at(h, 2), id: uuid() });
  const leave = taking(h.iri, person, { verb: VERB.leave, timestamp: at(h, 44), id: uuid() });
  assert.deepEqual(await send(h.lrs, [join, leave]), [join.id, leave.id]);
  const minutes = Object.fromEntries((await myList(e)).map((x) => [x.statement_id, x.minutes]));
  assert.deepEqual(minutes, { [join.id]: 0, [leave.id]: 42 });
});

it('an mbox whose letters differ in case from the account\'s address names the same person', async () => {
  // Accounts keep addresses in lower case (sign-up lower-cases them), so
  // mailto:Ada@School.ORG and ada@school.org are one person.
  const h = await hostedActivity();
  const verified = await verifiedEducator('case-verified');
  const later = await createEducator(server, 'case-later');
  const shout = (email) => ({ mbox: `mailto:${email.toUpperCase()}` });
  const v = await sendOne(h.lrs, taking(h.iri, shout(verified.credentials.email), { duration: 'PT20M', timestamp: at(h, 20) }));
  const l = await sendOne(h.lrs, taking(h.iri, shout(later.credentials.email), { duration: 'PT30M', timestamp: at(h, 30) }));
  assert.deepEqual((await myList(verified)).map((x) => [x.statement_id, x.minutes, x.user_id]), [[v, 20, verified.user.id]],
    'a verified educator sees it at once');
  assert.deepEqual(await myList(later), []);
  await verify(later);
  assert.deepEqual((await myList(later)).map((x) => [x.statement_id, x.minutes, x.user_id]), [[l, 30, later.user.id]],
    'an educator who verifies later sees it then');
});

it('a client of an organization that neither hosts nor co-hosts the activity: stored, but nothing recorded', async () => {
  const h = await hostedActivity();
  const outsider = await newLrsClient(server, admin, campaign);
  const e = await verifiedEducator('outsider');
  const st = taking(h.iri, byMbox(e.credentials.email), { duration: 'PT45M', timestamp: at(h, 45), id: uuid() });
  assert.deepEqual(await send(outsider, st), [st.id], 'the LRS stores it');
  const read = await xapiFetch(outsider, `statements?statementId=${st.id}`);
  assert.equal(read.status, 200, `the outsider reads it back: ${read.status} ${read.text}`);
  assert.deepEqual(await myList(e), [], 'nothing in /me/attendance');
  assert.deepEqual(await hostList(h.host, h.activity), [], 'nothing in the activity\'s list');
  // The host's own client is heard (so the IRI and the person are right).
  const own = await sendOne(h.lrs, taking(h.iri, byMbox(e.credentials.email), { duration: 'PT45M', timestamp: at(h, 45) }));
  assert.deepEqual((await myList(e)).map((x) => [x.statement_id, x.minutes]), [[own, 45]]);
});

it('a confirmed co-host\'s client records; an invited co-host that has not confirmed does not', async () => {
  const host = await newLrsClient(server, admin, campaign);
  const confirmedGuest = await newLrsClient(server, admin, campaign);
  const pendingGuest = await newLrsClient(server, admin, campaign);
  const start = minuteFloor(Date.now() - 120 * 60_000);
  const draft = await createActivity(host.staff, activityInput(campaign, {
    title: `Co-hosted ${suffix()}`, time_zone: 'UTC', start: wallTime(start, 'UTC'), duration_minutes: 60,
    co_hosts: [confirmedGuest.org, pendingGuest.org],
  }));
  expectStatus(await confirmedGuest.staff.post(`/api/v1/activities/${draft.id}/co-hosts/${confirmedGuest.org}/confirm`, {}), 200,
    'the co-host confirms');
  const activity = await publishActivity(host.staff, admin, campaign, draft.id);
  const co = Object.fromEntries(activity.co_hosts.map((c) => [c.slug, c.confirmed]));
  assert.deepEqual(co, { [confirmedGuest.org]: true, [pendingGuest.org]: false });
  const iri = iriOf(activity);
  const e = await verifiedEducator('cohost');
  const ts = new Date(start.getTime() + 30 * 60_000).toISOString();

  await sendOne(pendingGuest, taking(iri, byMbox(e.credentials.email), { duration: 'PT15M', timestamp: ts }));
  assert.deepEqual(await myList(e), [], 'the unconfirmed co-host is not heard');
  const id = await sendOne(confirmedGuest, taking(iri, byMbox(e.credentials.email), { duration: 'PT25M', timestamp: ts }));
  assert.deepEqual((await myList(e)).map((x) => [x.statement_id, x.minutes]), [[id, 25]]);
  assert.deepEqual((await hostList(host.staff, activity)).map((x) => [x.statement_id, x.minutes]), [[id, 25]],
    'the host\'s staff see what the co-host reported');
});

it('statements about a draft or submitted activity record nothing; once approved they do', async () => {
  const h = await hostedActivity({ publish: false });
  assert.equal(h.activity.status, 'draft');
  const e = await verifiedEducator('draft');
  const person = byMbox(e.credentials.email);
  await sendOne(h.lrs, taking(h.iri, person, { duration: 'PT30M', timestamp: at(h, 30) }));
  assert.deepEqual(await hostList(h.host, h.activity), [], 'nothing for a draft');
  await submitActivity(h.host, h.activity.id);
  await sendOne(h.lrs, taking(h.iri, person, { duration: 'PT31M', timestamp: at(h, 31) }));
  assert.deepEqual(await hostList(h.host, h.activity), [], 'nothing for a submitted activity');
  assert.deepEqual(await myList(e), []);

  const approved = expectStatus(await admin.post(`/api/v1/campaigns/${campaign}/activities/${h.activity.id}/decision`,
    { decision: 'approve' }), 200, 'approving');
  assert.equal(approved.status, 'approved');
  const id = await sendOne(h.lrs, taking(h.iri, person, { duration: 'PT32M', timestamp: at(h, 32) }));
  assert.deepEqual((await myList(e)).map((x) => [x.statement_id, x.minutes]), [[id, 32]], 'only the statement sent once approved');
});

it('an IRI that is not a catalog activity, or a verb that does not count, records nothing', async () => {
  const h = await hostedActivity();
  const e = await verifiedEducator('noncatalog');
  const person = byMbox(e.credentials.email);
  const opts = { duration: 'PT30M', timestamp: at(h, 30) };
  const elsewhere = [
    `${PUBLIC_URL}/activities/${h.activity.id + 1_000_000}`, // no such activity
    `https://elsewhere.example.org/activities/${h.activity.id}`, // another site's activity of the same id
    `${PUBLIC_URL}/activities/${h.activity.id}/resources`,
    `${PUBLIC_URL}/campaigns/${campaign}`,
  ];
  for (const iri of elsewhere) await sendOne(h.lrs, taking(iri, person, opts));
  for (const verb of [`${ADL}/registered`, `${ADL}/answered`, `${ADL}/launched`, 'http://activitystrea.ms/schema/1.0/like']) {
    await sendOne(h.lrs, taking(h.iri, person, { ...opts, verb }));
  }
  assert.deepEqual(await myList(e), [], 'nothing in /me/attendance');
  assert.deepEqual(await hostList(h.host, h.activity), [], 'nothing in the activity\'s list');
  const id = await sendOne(h.lrs, taking(h.iri, person, opts));
  assert.deepEqual((await myList(e)).map((x) => [x.statement_id, x.minutes]), [[id, 30]], 'the control statement records');
});

it('voiding the statement removes its attendance record, and only that one', async () => {
  const h = await hostedActivity();
  const e = await verifiedEducator('void');
  const person = byMbox(e.credentials.email);
  const kept = await sendOne(h.lrs, taking(h.iri, person, { duration: 'PT20M', timestamp: at(h, 20) }));
  const gone = await sendOne(h.lrs, taking(h.iri, person, { verb: VERB.completed, duration: 'PT50M', timestamp: at(h, 50) }));
  assert.deepEqual((await myList(e)).map((x) => x.statement_id).sort(), [kept, gone].sort());
  const voidId = await voiding(h.lrs, gone);
  const gotVoided = await xapiFetch(h.lrs, `statements?statementId=${gone}`);
  assert.equal(gotVoided.status, 404, `the LRS voided it: ${gotVoided.status} ${gotVoided.text}`);
  assert.deepEqual((await myList(e)).map((x) => [x.statement_id, x.minutes]), [[kept, 20]]);
  const list = await hostList(h.host, h.activity);
  assert.deepEqual(list.map((x) => [x.statement_id, x.minutes]), [[kept, 20]]);
  assert.ok(!list.some((x) => x.statement_id === voidId), 'the voiding statement records nothing');
});

it('an unverified educator\'s records are hidden from /me/attendance until they verify, then shown', async () => {
  const h = await hostedActivity();
  const e = await createEducator(server, 'unverified');
  const email = e.credentials.email;
  const id = await sendOne(h.lrs, taking(h.iri, byMbox(email), { duration: 'PT45M', timestamp: at(h, 45) }));
  assert.deepEqual(await myList(e), [], 'hidden before the address is verified');
  const list = await hostList(h.host, h.activity);
  assert.equal(list.length, 1, `the record is kept: ${JSON.stringify(list)}`);
  assertXapiRecord(list[0], { activity: h.activity, statementId: id, minutes: 45, email, userId: null });

  await verify(e);
  const mine = await myList(e);
  assert.equal(mine.length, 1, `shown once verified: ${JSON.stringify(mine)}`);
  assertXapiRecord(mine[0], { activity: h.activity, statementId: id, minutes: 45, email, userId: e.user.id, sessionStart: h.start });
  assert.equal((await hostList(h.host, h.activity))[0].user_id, e.user.id, 'linked to the account');
  // Statements after verification are the educator's at once.
  const next = await sendOne(h.lrs, taking(h.iri, byMbox(email), { verb: VERB.completed, duration: 'PT10M', timestamp: at(h, 55) }));
  assert.deepEqual((await myList(e)).map((x) => x.statement_id).sort(), [id, next].sort());
});

it('statements about an address with no account are kept; its owner sees them only after signing up and verifying', async () => {
  const h = await hostedActivity();
  const email = uniqueEmail('future');
  const id = await sendOne(h.lrs, taking(h.iri, byMbox(email), { duration: 'PT35M', timestamp: at(h, 35) }));
  const list = await hostList(h.host, h.activity);
  assert.deepEqual(list.map((x) => [x.email, x.user_id, x.statement_id, x.minutes]), [[email, null, id, 35]]);

  const e = api(server.baseUrl);
  await signUp(e, { email, display_name: 'Late joiner' });
  assert.deepEqual(await myList(e), [], 'signing up is not enough: the address is not verified yet');
  await verify(e);
  assert.deepEqual((await myList(e)).map((x) => [x.statement_id, x.minutes, x.user_id]), [[id, 35, e.user.id]]);
});

it('a record about one educator\'s address never shows in another verified educator\'s attendance', async () => {
  const h = await hostedActivity();
  const owner = await createEducator(server, 'owner');
  const stranger = await verifiedEducator('stranger');
  await sendOne(h.lrs, taking(h.iri, byMbox(owner.credentials.email), { duration: 'PT45M', timestamp: at(h, 45) }));
  assert.deepEqual(await myList(stranger), [], 'a different verified account sees nothing');
  assert.deepEqual(await myList(owner), [], 'the owner, unverified, sees nothing yet');
  await verify(owner);
  assert.equal((await myList(owner)).length, 1);
  assert.deepEqual(await myList(stranger), []);
});

it('mbox_sha1sum statements: linked to a verified educator at once, and to an unverified one after verifying', async () => {
  const h = await hostedActivity();
  const verified = await verifiedEducator('sha1-verified');
  const later = await createEducator(server, 'sha1-later');
  const v = await sendOne(h.lrs, taking(h.iri, bySha1(verified.credentials.email), { duration: 'PT15M', timestamp: at(h, 15) }));
  const l = await sendOne(h.lrs, taking(h.iri, bySha1(later.credentials.email), { duration: 'PT25M', timestamp: at(h, 25) }));

  const mineV = await myList(verified);
  assert.deepEqual(mineV.map((x) => [x.statement_id, x.minutes, x.source, x.user_id]), [[v, 15, 'xapi', verified.user.id]]);
  assert.deepEqual(await myList(later), [], 'hidden before verifying');
  const list = await hostList(h.host, h.activity);
  assert.deepEqual(list.map((x) => [x.statement_id, x.user_id]).sort(), [[v, verified.user.id], [l, null]].sort());

  await verify(later);
  assert.deepEqual((await myList(later)).map((x) => [x.statement_id, x.minutes, x.user_id]), [[l, 25, later.user.id]]);
  const after = await hostList(h.host, h.activity);
  assert.equal(after.find((x) => x.statement_id === l)?.user_id, later.user.id, 'linked in the activity\'s list too');
});

it('host staff see every xAPI record of their activity; other staff and educators may not look', async () => {
  const h = await hostedActivity();
  const outsider = await newLrsClient(server, admin, campaign);
  const e1 = await verifiedEducator('list1');
  const e2 = await createEducator(server, 'list2');
  const guest = uniqueEmail('list-guest');
  const ids = [
    await sendOne(h.lrs, taking(h.iri, byMbox(e1.credentials.email), { duration: 'PT30M', timestamp: at(h, 30) })),
    await sendOne(h.lrs, taking(h.iri, byMbox(e2.credentials.email), { duration: 'PT40M', timestamp: at(h, 40) })),
    await sendOne(h.lrs, taking(h.iri, byMbox(guest), { verb: VERB.experienced, timestamp: at(h, 10) })),
  ];
  const list = await hostList(h.host, h.activity);
  assert.deepEqual(list.map((x) => [x.email, x.user_id, x.statement_id, x.minutes, x.source]).sort(), [
    [e1.credentials.email, e1.user.id, ids[0], 30, 'xapi'],
    [e2.credentials.email, null, ids[1], 40, 'xapi'],
    [guest, null, ids[2], 0, 'xapi'],
  ].sort());
  for (const x of list) assertXapiRecord(x, { activity: h.activity, statementId: x.statement_id, minutes: x.minutes, sessionStart: h.start });
  assertProblem(await outsider.staff.get(`/api/v1/activities/${h.activity.id}/attendance`), 403, 'forbidden');
  assertProblem(await e1.get(`/api/v1/activities/${h.activity.id}/attendance`), 403, 'forbidden');
});

it('check-ins and attendance lists carry statement_id null next to xAPI records', async () => {
  // A session that began ten minutes ago, so check-in is open.
  const h = await hostedActivity({ startedMinutesAgo: 10, duration_minutes: 60 });
  const checker = await verifiedEducator('checkin');
  const listed = await verifiedEducator('listed');
  const reported = await verifiedEducator('reported');
  const code = expectStatus(await h.host.get(`/api/v1/activities/${h.activity.id}/check-in-code`), 200).code;
  const checkIn = expectStatus(await checker.post(`/api/v1/activities/${h.activity.id}/check-ins`, { code }), 201, 'checking in');
  assert.equal(checkIn.source, 'check_in');
  assert.ok('statement_id' in checkIn, `statement_id present: ${JSON.stringify(checkIn)}`);
  assert.equal(checkIn.statement_id, null);
  expectStatus(await postCsv(h.host, `/api/v1/activities/${h.activity.id}/attendance`, `email,minutes\n${listed.credentials.email},50\n`), 200);
  const id = await sendOne(h.lrs, taking(h.iri, byMbox(reported.credentials.email), { duration: 'PT5M', timestamp: at(h, 5) }));

  const list = await hostList(h.host, h.activity);
  const byEmail = Object.fromEntries(list.map((x) => [x.email, x]));
  assert.deepEqual(Object.keys(byEmail).sort(),
    [checker.credentials.email, listed.credentials.email, reported.credentials.email].sort());
  for (const x of list) assert.ok('statement_id' in x, `statement_id present: ${JSON.stringify(x)}`);
  assert.deepEqual([byEmail[checker.credentials.email].source, byEmail[checker.credentials.email].statement_id], ['check_in', null]);
  assert.deepEqual([byEmail[listed.credentials.email].source, byEmail[listed.credentials.email].statement_id], ['attendance_list', null]);
  assert.deepEqual([byEmail[reported.credentials.email].source, byEmail[reported.credentials.email].statement_id], ['xapi', id]);
  assert.deepEqual((await myList(checker)).map((x) => [x.source, x.statement_id]), [['check_in', null]]);

  // A new attendance list replaces the earlier list, not what the LRS reported.
  expectStatus(await postCsv(h.host, `/api/v1/activities/${h.activity.id}/attendance`, `email,minutes\n${listed.credentials.email},40\n`), 200);
  assert.deepEqual(xapiOnly(await hostList(h.host, h.activity)).map((x) => x.statement_id), [id]);
});

it('the campaign impact counts xAPI attendees and minutes, and forgets voided ones', async () => {
  const slug = await freshCampaign('xapi-impact');
  const h = await hostedActivity({ slug, duration_minutes: 60 });
  const figures = async () => {
    const body = expectStatus(await anonymous().get(`/api/v1/campaigns/${slug}/impact`), 200, 'impact');
    return { activities: body.activities, attendees: body.attendees, pd_hours: body.pd_hours };
  };
  assert.deepEqual(await figures(), { activities: 1, attendees: 0, pd_hours: 0 });
  const [a, b] = await Promise.all([verifiedEducator('impact-a'), verifiedEducator('impact-b')]);
  const first = await sendOne(h.lrs, taking(h.iri, byMbox(a.credentials.email), { duration: 'PT30M', timestamp: at(h, 30) }));
  await sendOne(h.lrs, taking(h.iri, byMbox(b.credentials.email), { timestamp: at(h, 60) })); // 60 minutes
  assert.deepEqual(await figures(), { activities: 1, attendees: 2, pd_hours: 1.5 });
  await voiding(h.lrs, first);
  assert.deepEqual(await figures(), { activities: 1, attendees: 1, pd_hours: 1 });
});

it('impact counts a verified educator reported by mbox and by mbox_sha1sum as one attendee', async () => {
  const slug = await freshCampaign('xapi-impact-sha1');
  const h = await hostedActivity({ slug, duration_minutes: 60 });
  const e = await verifiedEducator('impact-sha1');
  await sendOne(h.lrs, taking(h.iri, byMbox(e.credentials.email), { duration: 'PT30M', timestamp: at(h, 30) }));
  await sendOne(h.lrs, taking(h.iri, bySha1(e.credentials.email), { verb: VERB.completed, duration: 'PT30M', timestamp: at(h, 59) }));
  const mine = await myList(e);
  assert.equal(mine.length, 2, `both records are the educator's: ${JSON.stringify(mine)}`);
  assert.ok(mine.every((x) => x.user_id === e.user.id));
  const impact = expectStatus(await anonymous().get(`/api/v1/campaigns/${slug}/impact`), 200, 'impact');
  assert.deepEqual({ attendees: impact.attendees, pd_hours: impact.pd_hours }, { attendees: 1, pd_hours: 1 },
    'one person, 60 minutes');
});
