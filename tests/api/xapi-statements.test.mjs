// The statements resource of the Learning Record Store (xAPI 1.0.3 and 2.0.0) at
// /xapi/statements: the version header, Basic auth and scopes, storing (POST, PUT, batches,
// conflicts), what the LRS adds (stored, authority, version, timestamp), voiding and
// StatementRefs, queries with every filter and `more` paging, formats, HEAD, and the
// statement validation rules. The happy paths go through @xapi/xapi, a real xAPI client
// library; the wire-level checks use plain fetch.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, createCampaign, expectStatus, localDate, suffix } from '../lib/activities.mjs';
import { connect, rawRequest } from '../lib/raw-http.mjs';
import { createSiteAdmin, startServer, withLogs } from '../lib/server.mjs';
import {
  LOWER_UUID, activityIri, agent, assertStatementResult, assertUnauthorized, assertXapiHeaders, assertXapiProblem,
  assertXapiTime, basicAuth, changed, newLrsClient, pause, query, statement, uuid, verbIri, xapiFetch, xapiLibrary,
} from '../lib/xapi.mjs';

// The server is told its public address, so the authority's homePage can be checked exactly.
const PUBLIC_URL = 'http://lrs.staffroom.test';
const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

let server;
let admin;
let campaign;
let main; // a client with every scope, of its own organization
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  server = await startServer({ args: ['--public-url', PUBLIC_URL] });
  admin = await createSiteAdmin(server);
  campaign = `xapi-${suffix()}`;
  const today = localDate(new Date(), 'America/New_York');
  await createCampaign(admin, campaign, { starts_on: addDays(today, -1), ends_on: addDays(today, 30) });
  main = await newLrsClient(server, admin, campaign);
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

const client = (scopes, org) => newLrsClient(server, admin, campaign, { scopes, org });

// ---------------------------------------------------------------------------------------
// Small request helpers

function post(c, body, opts = {}) {
  return xapiFetch(c, 'statements', { ...opts, method: 'POST', body });
}

function put(c, id, body, opts = {}) {
  return xapiFetch(c, `statements?statementId=${encodeURIComponent(id)}`, { ...opts, method: 'PUT', body });
}

function getById(c, id, opts = {}) {
  return xapiFetch(c, `statements?statementId=${encodeURIComponent(id)}`, opts);
}

function getVoided(c, id, opts = {}) {
  return xapiFetch(c, `statements?voidedStatementId=${encodeURIComponent(id)}`, opts);
}

/** POSTs one statement or a batch; asserts 200; answers the ids. */
async function store(c, body) {
  const res = await post(c, body);
  assert.equal(res.status, 200, `storing statements: HTTP ${res.status} ${res.text}`);
  assert.ok(Array.isArray(res.body), `POST answers an array of ids: ${res.text}`);
  return res.body;
}

/** POSTs one statement; answers its id. */
async function storeOne(c, st) {
  const ids = await store(c, st);
  assert.equal(ids.length, 1, `one id for one statement: ${JSON.stringify(ids)}`);
  return ids[0];
}

/** GETs one statement by id; asserts 200; answers it. */
async function fetchOne(c, id, opts) {
  const res = await getById(c, id, opts);
  assert.equal(res.status, 200, `GET statementId=${id}: HTTP ${res.status} ${res.text}`);
  return res.body;
}

/** GET /xapi/statements with `params`; asserts 200 and the StatementResult; answers the body. */
async function find(c, params = {}, opts = {}) {
  const qs = query(params);
  const res = await xapiFetch(c, `statements${qs ? `?${qs}` : ''}`, opts);
  assert.equal(res.status, 200, `GET statements?${qs}: HTTP ${res.status} ${res.text}`);
  assertXapiHeaders(res, opts.version);
  assertConsistentThrough(res);
  return assertStatementResult(res.body);
}

const ids = (result) => result.statements.map((s) => s.id);

function assertConsistentThrough(res) {
  const v = res.headers.get('x-experience-api-consistent-through');
  assert.ok(v, `X-Experience-API-Consistent-Through on every statements GET (HTTP ${res.status})`);
  assert.match(v, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, `an ISO timestamp: ${v}`);
  assert.ok(Math.abs(Date.parse(v) - Date.now()) < 5 * 60_000, `consistent-through is recent: ${v}`);
}

/** POSTs `st` and asserts 400 naming `field`. */
async function rejects(st, field, what) {
  const res = await post(main, st);
  try {
    assertXapiProblem(res, 400, { field });
  } catch (err) {
    err.message = `${what}: ${err.message}`;
    throw err;
  }
}

/** POSTs `st` and asserts 200; answers the id. */
async function accepts(st, what) {
  const res = await post(main, st);
  assert.equal(res.status, 200, `${what} must be accepted: HTTP ${res.status} ${res.text}`);
  return res.body[0];
}

// ---------------------------------------------------------------------------------------
// Version header, Date, authentication and scopes

it('a request without X-Experience-API-Version gets 400, except GET /xapi/about', async () => {
  const st = statement({ id: uuid() });
  assertXapiProblem(await post(main, st, { version: null }), 400, { version: null });
  assertXapiProblem(await put(main, st.id, st, { version: null }), 400, { version: null });
  assertXapiProblem(await getById(main, st.id, { version: null }), 400, { version: null });
  assertXapiProblem(await xapiFetch(main, 'statements', { version: null }), 400, { version: null });
  assertXapiProblem(await getById(main, st.id), 404, {}, 'nothing was stored');

  const about = await xapiFetch(main, 'about', { version: null, auth: null });
  assert.equal(about.status, 200, `GET /xapi/about without the header: ${about.status} ${about.text}`);
  assertXapiHeaders(about, null);
});

it('an unsupported X-Experience-API-Version (0.9, BAD) gets 400 and stores nothing', async () => {
  for (const version of ['0.9', 'BAD']) {
    const st = statement({ id: uuid() });
    assertXapiProblem(await post(main, st, { version }), 400, { version: null });
    assertXapiProblem(await put(main, st.id, st, { version }), 400, { version: null });
    assertXapiProblem(await xapiFetch(main, 'statements', { version }), 400, { version: null });
    assertXapiProblem(await getById(main, st.id), 404);
  }
});

it('every answer names the version asked for (1.0.x → 1.0.3, 2.0.x → 2.0.0), errors included, with a Date', async () => {
  for (const [asked, answered] of [['1.0.3', '1.0.3'], ['1.0.0', '1.0.3'], ['1.0.1', '1.0.3'], ['2.0.0', '2.0.0']]) {
    const ok = await post(main, statement(), { version: asked });
    assert.equal(ok.status, 200, `POST as ${asked}: ${ok.status} ${ok.text}`);
    assertXapiHeaders(ok, answered);
    assertXapiHeaders(await getById(main, ok.body[0], { version: asked }), answered);
    assertXapiProblem(await getById(main, uuid(), { version: asked }), 404, { version: answered });
    assertXapiProblem(await post(main, statement({ verb: undefined }), { version: asked }), 400, { version: answered });
    assertXapiProblem(await xapiFetch(main, 'statements', { version: asked, auth: null }), 401, { version: answered });
  }
});

it('no credentials: 401 with the Basic challenge on GET, POST and PUT, and nothing is stored', async () => {
  const st = statement({ id: uuid() });
  assertUnauthorized(await xapiFetch(main, 'statements', { auth: null }));
  assertUnauthorized(await getById(main, st.id, { auth: null }));
  assertUnauthorized(await post(main, st, { auth: null }));
  assertUnauthorized(await put(main, st.id, st, { auth: null }));
  assertXapiProblem(await getById(main, st.id), 404);
});

it('wrong, unknown or malformed credentials: 401', async () => {
  const wrong = [
    basicAuth(main.key, 'not-the-secret'),
    basicAuth(main.key, ''),
    basicAuth(`unknown-${suffix()}`, main.secret),
    basicAuth(main.secret, main.key),
    `Basic ${Buffer.from(main.key).toString('base64')}`,
    'Basic:xxxx',
    'Basic !!!not-base64!!!',
    'Basic',
    `Bearer ${main.secret}`,
    `${main.key}:${main.secret}`,
  ];
  for (const auth of wrong) {
    const st = statement({ id: uuid() });
    try {
      assertUnauthorized(await xapiFetch(main, 'statements', { auth }));
      assertUnauthorized(await post(main, st, { auth }));
    } catch (err) {
      err.message = `Authorization "${auth}": ${err.message}`;
      throw err;
    }
    assertXapiProblem(await getById(main, st.id), 404);
  }
});

it('a revoked client gets 401 at once', async () => {
  const c = await client(['statements/write', 'statements/read/mine']);
  const id = await storeOne(c, statement());
  await fetchOne(c, id);
  const res = await c.staff.delete(`/api/v1/organizations/${c.org}/lrs-clients/${c.id}`);
  expectStatus(res, 204, 'revoking the client');
  assertUnauthorized(await getById(c, id));
  assertUnauthorized(await post(c, statement()));
  assertUnauthorized(await xapiFetch(c, 'statements'));
});

it('a client without statements/write gets 403 on POST and PUT, and nothing is stored', async () => {
  const reader = await client(['statements/read']);
  const noWrite = await client(['statements/read', 'statements/read/mine', 'documents'], reader.staff);
  const st = statement({ id: uuid() });
  assertXapiProblem(await post(noWrite, st), 403);
  assertXapiProblem(await post(noWrite, [statement({ id: uuid() })]), 403);
  assertXapiProblem(await put(noWrite, st.id, st), 403);
  assertXapiProblem(await getById(reader, st.id), 404);
  assert.deepEqual((await find(reader, { agent: st.actor })).statements, []);
});

it('a client without a read scope gets 403 on GET, even for its own statements', async () => {
  const writer = await client(['statements/write', 'documents']);
  const id = await storeOne(writer, statement());
  assertXapiProblem(await getById(writer, id), 403);
  assertXapiProblem(await getVoided(writer, id), 403);
  assertXapiProblem(await xapiFetch(writer, 'statements'), 403);
  assertXapiProblem(await xapiFetch(writer, `statements?${query({ limit: 1 })}`), 403);
});

// ---------------------------------------------------------------------------------------
// Storing statements

it('@xapi/xapi sends a statement and reads it back unchanged', async () => {
  const lib = xapiLibrary(main);
  const st = statement({
    result: { success: true, completion: true, score: { scaled: 0.12123434, raw: 12.125, min: 0, max: 45.45 }, duration: 'PT1H30M' },
    context: { registration: uuid(), language: 'en-US', platform: 'Webinar tool' },
  });
  const sent = await lib.sendStatement({ statement: st });
  assert.equal(sent.status, 200);
  assert.ok(Array.isArray(sent.data) && sent.data.length === 1, `an array of one id: ${JSON.stringify(sent.data)}`);
  const [id] = sent.data;
  assert.match(id, LOWER_UUID, 'a generated id is a lowercase UUID');

  const got = await lib.getStatement({ statementId: id });
  assert.equal(got.status, 200);
  assert.equal(got.data.id, id);
  for (const k of ['actor', 'verb', 'object', 'result']) assert.deepEqual(got.data[k], st[k], `${k} comes back as sent`);
  assert.equal(got.data.context.registration, st.context.registration);
  assert.equal(got.data.context.platform, 'Webinar tool');
});

it('POST answers 200 with a JSON array of ids: a batch keeps its order and the ids it carries', async () => {
  const lib = xapiLibrary(main);
  const given = uuid();
  const batch = [statement(), statement({ id: given }), statement()];
  const sent = await lib.sendStatements({ statements: batch });
  assert.equal(sent.status, 200);
  assert.equal(sent.data.length, 3, `three ids: ${JSON.stringify(sent.data)}`);
  assert.equal(sent.data[1], given, 'the id the client chose is kept');
  for (const id of sent.data) assert.match(id, LOWER_UUID);
  assert.equal(new Set(sent.data).size, 3, 'every id differs');
  for (const [i, id] of sent.data.entries()) {
    const got = await lib.getStatement({ statementId: id });
    assert.deepEqual(got.data.actor, batch[i].actor, `statement ${i} is stored under id ${i}`);
  }

  const raw = await post(main, statement());
  assert.equal(raw.status, 200);
  assert.match(raw.headers.get('content-type') || '', /^application\/json/i);
  assertXapiHeaders(raw);
});

it('PUT ?statementId= stores the statement under that id: 204 without a body', async () => {
  const id = uuid();
  const st = statement();
  const res = await put(main, id, st);
  assert.equal(res.status, 204, `PUT: ${res.status} ${res.text}`);
  assert.equal(res.text, '');
  assertXapiHeaders(res);
  const got = await fetchOne(main, id);
  assert.equal(got.id, id);
  assert.deepEqual(got.actor, st.actor);

  const withId = uuid();
  assert.equal((await put(main, withId, statement({ id: withId }))).status, 204, 'a body carrying the same id is fine');
  await fetchOne(main, withId);
});

it('PUT without statementId, or with a body id that differs, gets 400 and stores nothing', async () => {
  const st = statement({ id: uuid() });
  assertXapiProblem(await xapiFetch(main, 'statements', { method: 'PUT', body: st }), 400);
  const other = uuid();
  assertXapiProblem(await put(main, other, st), 400);
  assertXapiProblem(await getById(main, st.id), 404);
  assertXapiProblem(await getById(main, other), 404);
  assertXapiProblem(await xapiFetch(main, `statements?StatementId=${st.id}`, { method: 'PUT', body: st }), 400);
  assertXapiProblem(await getById(main, st.id), 404);
});

it('re-sending a statement with the same id and content is accepted and stores no duplicate', async () => {
  const st = statement({ id: uuid() });
  assert.deepEqual(await store(main, st), [st.id]);
  const again = await post(main, st);
  assert.ok([200, 204].includes(again.status), `identical POST: ${again.status} ${again.text}`);
  const viaPut = await put(main, st.id, st);
  assert.ok([200, 204].includes(viaPut.status), `identical PUT: ${viaPut.status} ${viaPut.text}`);
  assert.deepEqual(ids(await find(main, { agent: st.actor })), [st.id], 'one statement only');
});

it('re-sending an id with different content gets 409 and the stored statement stays unchanged', async () => {
  const st = statement({ id: uuid() });
  await storeOne(main, st);
  const before = await fetchOne(main, st.id);
  const different = changed(st, (s) => { s.verb = { id: 'http://adlnet.gov/expapi/verbs/completed', display: { 'en-US': 'completed' } }; });
  assertXapiProblem(await post(main, different), 409);
  assertXapiProblem(await put(main, st.id, different), 409);
  const fresh = statement({ id: uuid() });
  assertXapiProblem(await post(main, [fresh, different]), 409);
  assertXapiProblem(await getById(main, fresh.id), 404, {}, 'nothing of a conflicting batch is stored');
  const afterwards = await fetchOne(main, st.id);
  assert.deepEqual(afterwards, before, 'the stored statement is unchanged');
  assert.deepEqual(ids(await find(main, { agent: st.actor })), [st.id]);
});

it('a batch with one invalid statement gets 400 naming it by index, and none of the batch is stored', async () => {
  const good = statement({ id: uuid() });
  const bad = changed(statement({ id: uuid() }), (s) => { s.actor.mbox = 'learner@example.org'; });
  assertXapiProblem(await post(main, [good, bad]), 400, { field: '[1].actor.mbox' });
  assertXapiProblem(await getById(main, good.id), 404, {}, 'the valid statement was not stored');
  assertXapiProblem(await getById(main, bad.id), 404);

  const third = changed(statement(), (s) => { s.verb.id = 'not an iri'; });
  assertXapiProblem(await post(main, [good, statement(), third]), 400, { field: '[2].verb.id' });
  assertXapiProblem(await getById(main, good.id), 404);
});

it('a batch carrying the same id twice gets 400 and stores nothing', async () => {
  const st = statement({ id: uuid() });
  assertXapiProblem(await post(main, [st, st]), 400);
  assertXapiProblem(await post(main, [st, statement({ id: st.id })]), 400);
  assertXapiProblem(await getById(main, st.id), 404);
});

// ---------------------------------------------------------------------------------------
// What the LRS adds

it('the LRS sets stored, authority, version and timestamp', async () => {
  assert.equal(main.printedEndpoint, `${PUBLIC_URL}/xapi/`, 'the server knows its public address');
  const st = statement();
  const startedAt = Date.now();
  const id = await storeOne(main, st);
  const finishedAt = Date.now();
  const got = await fetchOne(main, id);

  assertXapiTime(got.stored, 'stored');
  const stored = Date.parse(got.stored);
  assert.ok(stored >= startedAt - 2000 && stored <= finishedAt + 2000, `stored is the time of the POST: ${got.stored}`);
  assert.deepEqual(got.authority, {
    objectType: 'Agent', name: main.name, account: { homePage: PUBLIC_URL, name: main.key },
  }, 'the authority is the client');
  assert.equal(got.version, '1.0.0', 'a 1.0.x statement without version gets 1.0.0');
  assert.equal(got.timestamp, got.stored, 'without timestamp, timestamp is stored');
});

it('a client-sent authority or stored is overwritten, on POST and PUT', async () => {
  const forged = {
    authority: { objectType: 'Agent', name: 'Someone else', mbox: `mailto:forger-${uuid()}@example.org` },
    stored: '2001-01-01T00:00:00.000Z',
  };
  const expected = { objectType: 'Agent', name: main.name, account: { homePage: PUBLIC_URL, name: main.key } };
  const postedId = await storeOne(main, statement(forged));
  const putId = uuid();
  assert.equal((await put(main, putId, statement(forged))).status, 204);
  for (const id of [postedId, putId]) {
    const got = await fetchOne(main, id);
    assert.deepEqual(got.authority, expected, 'the LRS sets the authority');
    assertXapiTime(got.stored, 'stored');
    assert.ok(Date.parse(got.stored) > Date.parse('2020-01-01T00:00:00Z'), `stored is the server's time: ${got.stored}`);
  }
});

it('version is kept as sent, else 1.0.0 for 1.0.x requests and 2.0.0 for 2.0.0 requests', async () => {
  const asSent = await fetchOne(main, await storeOne(main, statement({ version: '1.0.3' })));
  assert.equal(asSent.version, '1.0.3');
  const old = await fetchOne(main, await storeOne(main, statement({ version: '1.0.0' })));
  assert.equal(old.version, '1.0.0');

  const res = await post(main, statement(), { version: '2.0.0' });
  assert.equal(res.status, 200, `POST as 2.0.0: ${res.status} ${res.text}`);
  assert.equal((await fetchOne(main, res.body[0], { version: '2.0.0' })).version, '2.0.0');
  const kept = await post(main, statement({ version: '2.0.0' }), { version: '2.0.0' });
  assert.equal(kept.status, 200, `POST as 2.0.0: ${kept.status} ${kept.text}`);
  assert.equal((await fetchOne(main, kept.body[0], { version: '2.0.0' })).version, '2.0.0');
});

it('timestamp keeps its instant and comes back in UTC with three decimals', async () => {
  const cases = [
    ['2024-03-10T09:15:00+05:30', '2024-03-10T03:45:00.000Z'],
    ['2024-03-09T22:45:00-05:00', '2024-03-10T03:45:00.000Z'],
    ['2024-03-10T03:45:00.5Z', '2024-03-10T03:45:00.500Z'],
    ['2024-03-10T03:45:00.123Z', '2024-03-10T03:45:00.123Z'],
    ['2031-06-01T12:00:00Z', '2031-06-01T12:00:00.000Z'],
  ];
  for (const [sent, expected] of cases) {
    const id = await accepts(statement({ timestamp: sent }), `timestamp ${sent}`);
    const got = await fetchOne(main, id);
    assert.equal(got.timestamp, expected, `timestamp ${sent}`);
    assertXapiTime(got.stored, 'stored');
  }
});

it('a single contextActivities object comes back as an array', async () => {
  const parent = { objectType: 'Activity', id: activityIri('parent') };
  const grouping = { id: activityIri('grouping') };
  const category = { id: activityIri('category') };
  const other = [{ id: activityIri('other') }, { id: activityIri('other') }];
  const id = await storeOne(main, statement({ context: { contextActivities: { parent, grouping, category, other } } }));
  const { contextActivities } = (await fetchOne(main, id)).context;
  assert.deepEqual(contextActivities.parent, [parent]);
  assert.deepEqual(contextActivities.grouping, [grouping]);
  assert.deepEqual(contextActivities.category, [category]);
  assert.deepEqual(contextActivities.other, other, 'an array stays as it was');
});

it('GET ?statementId= answers the statement with Last-Modified', async () => {
  const id = await storeOne(main, statement());
  const res = await getById(main, id);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') || '', /^application\/json/i);
  assertXapiHeaders(res);
  assertConsistentThrough(res);
  const lastModified = res.headers.get('last-modified');
  assert.ok(lastModified, 'Last-Modified is present');
  assert.match(lastModified, /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/, `an HTTP-date: ${lastModified}`);
  assert.ok(Math.abs(Date.parse(lastModified) - Date.parse(res.body.stored)) < 1000,
    `Last-Modified (${lastModified}) is when it was stored (${res.body.stored})`);
});

it('an unknown statementId or voidedStatementId gets 404', async () => {
  const res = await getById(main, uuid());
  assertXapiProblem(res, 404);
  assertConsistentThrough(res);
  assertXapiProblem(await getVoided(main, uuid()), 404);
});

it('verb display in many scripts comes back identical', async () => {
  const display = {
    'en-US': 'attended', 'fr-FR': 'a participé à', 'de-DE': 'nahm teil an', 'ru-RU': 'посетил',
    'el-GR': 'παρακολούθησε', 'zh-CN': '参加了', 'ja-JP': '参加しました', 'ko-KR': '참석했습니다',
    'ar-EG': 'حضر', 'he-IL': 'השתתף', 'hi-IN': 'भाग लिया', 'th-TH': 'เข้าร่วม', 'is-IS': 'sótti',
  };
  const st = statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display } });
  st.object.definition.name = { 'en-US': 'Workshop 🎓 « naïve » — ½' };
  const id = await storeOne(main, st);
  const got = await fetchOne(main, id);
  assert.deepEqual(got.verb.display, display);
  assert.deepEqual(got.object.definition.name, st.object.definition.name);
  const lib = await xapiLibrary(main).getStatement({ statementId: id });
  assert.deepEqual(lib.data.verb.display, display);
});

// ---------------------------------------------------------------------------------------
// Voiding and StatementRefs

it('@xapi/xapi voids a statement: statementId gets 404, voidedStatementId answers it', async () => {
  const lib = xapiLibrary(main);
  const st = statement();
  const [id] = (await lib.sendStatement({ statement: st })).data;
  const voider = agent('admin');
  const voiding = await lib.voidStatement({ actor: voider, statementId: id });
  assert.equal(voiding.status, 200);
  const [voidId] = voiding.data;

  assertXapiProblem(await getById(main, id), 404);
  const voided = await lib.getVoidedStatement({ voidedStatementId: id });
  assert.equal(voided.status, 200);
  assert.equal(voided.data.id, id);
  assert.deepEqual(voided.data.actor, st.actor);

  const v = (await lib.getStatement({ statementId: voidId })).data;
  assert.equal(v.verb.id, VOIDED);
  assert.deepEqual(v.object, { objectType: 'StatementRef', id });
  assert.deepEqual(v.actor, voider);
});

it('the voided verb with an object that is not a StatementRef gets 400', async () => {
  const target = await storeOne(main, statement());
  const verb = { id: VOIDED, display: { 'en-US': 'voided' } };
  await rejects(statement({ verb }), 'object', 'voiding an Activity');
  await rejects(statement({ verb, object: { objectType: 'Activity', id: `urn:uuid:${target}` } }), 'object', 'voiding an Activity named like a statement');
  await rejects(statement({ verb, object: { objectType: 'Agent', mbox: `mailto:x-${uuid()}@example.org` } }), 'object', 'voiding an Agent');
  await fetchOne(main, target);
});

it('queries never return voided statements, but the voiding statement matches the voided one\'s filter', async () => {
  const verb = { id: verbIri('reviewed'), display: { 'en-US': 'reviewed' } };
  const who = agent();
  const first = await storeOne(main, statement({ actor: who, verb }));
  await pause();
  const second = await storeOne(main, statement({ actor: who, verb }));
  await pause();
  const voidId = await storeOne(main, statement({
    actor: agent('admin'), verb: { id: VOIDED, display: { 'en-US': 'voided' } }, object: { objectType: 'StatementRef', id: first },
  }));

  assert.deepEqual(ids(await find(main, { verb: verb.id })), [voidId, second]);
  const byAgent = ids(await find(main, { agent: who }));
  assert.ok(!byAgent.includes(first), `the voided statement is not returned: ${byAgent}`);
  assert.ok(byAgent.includes(second));
});

it('a statement whose object is a StatementRef is returned with the statements its target matches', async () => {
  const verb = { id: verbIri('presented'), display: { 'en-US': 'presented' } };
  const target = await storeOne(main, statement({ verb }));
  await pause();
  const comment = await storeOne(main, statement({
    actor: agent('colleague'),
    verb: { id: 'http://adlnet.gov/expapi/verbs/commented', display: { 'en-US': 'commented' } },
    object: { objectType: 'StatementRef', id: target },
  }));
  assert.deepEqual(ids(await find(main, { verb: verb.id })), [comment, target]);
  assert.deepEqual(ids(await find(main, { verb: verb.id, limit: 1 })), [comment]);
  assert.deepEqual(ids(await find(main, { verb: verb.id, ascending: true })), [target, comment]);
});

// ---------------------------------------------------------------------------------------
// Queries

it('GET /xapi/statements answers a StatementResult with more "" when everything fits', async () => {
  const who = agent();
  const a = await storeOne(main, statement({ actor: who }));
  await pause();
  const b = await storeOne(main, statement({ actor: who }));
  const result = await find(main, { agent: who });
  assert.deepEqual(ids(result), [b, a], 'newest first');
  assert.equal(result.more, '');
  for (const s of result.statements) {
    assertXapiTime(s.stored, 'stored');
    assertXapiTime(s.timestamp, 'timestamp');
    assert.deepEqual(s.actor, who);
  }
  const plain = await xapiFetch(main, 'statements');
  assert.equal(plain.status, 200, `GET /xapi/statements without parameters: ${plain.status} ${plain.text}`);
  assert.match(plain.headers.get('content-type') || '', /^application\/json/i);
  assertStatementResult(plain.body);
  assertConsistentThrough(plain);
});

it('a query that matches nothing answers an empty list and more ""', async () => {
  const result = await find(main, { agent: agent() });
  assert.deepEqual(result, { statements: [], more: '' });
  assert.deepEqual(await find(main, { verb: verbIri() }), { statements: [], more: '' });
});

it('@xapi/xapi pages through a query with limit and more', async () => {
  const lib = xapiLibrary(main);
  const who = agent();
  const sent = [];
  for (let i = 0; i < 5; i += 1) {
    sent.push((await lib.sendStatement({ statement: statement({ actor: who }) })).data[0]);
    await pause();
  }
  const pages = [];
  let page = (await lib.getStatements({ agent: who, limit: 2 })).data;
  for (;;) {
    assertStatementResult(page);
    pages.push(ids(page));
    if (page.more === '') break;
    assert.ok(pages.length < 5, 'paging ends');
    page = (await lib.getMoreStatements({ more: page.more })).data;
  }
  assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
  assert.deepEqual(pages.flat(), [...sent].reverse(), 'every statement once, newest first');
});

it('a more URL is followed with plain fetch and the same credentials, and needs them', async () => {
  const who = agent();
  const a = await storeOne(main, statement({ actor: who }));
  await pause();
  const b = await storeOne(main, statement({ actor: who }));
  const first = await find(main, { agent: who, limit: 1 });
  assert.deepEqual(ids(first), [b]);
  assert.notEqual(first.more, '');

  const next = await xapiFetch(main, first.more);
  assert.equal(next.status, 200, `GET ${first.more}: ${next.status} ${next.text}`);
  assertConsistentThrough(next);
  assertStatementResult(next.body);
  assert.deepEqual(ids(next.body), [a]);
  assertUnauthorized(await xapiFetch(main, first.more, { auth: null }));
});

it('statements come newest stored first; ascending=true reverses', async () => {
  const who = agent();
  const sent = [];
  for (let i = 0; i < 3; i += 1) {
    sent.push(await storeOne(main, statement({ actor: who })));
    await pause();
  }
  assert.deepEqual(ids(await find(main, { agent: who })), [...sent].reverse());
  assert.deepEqual(ids(await find(main, { agent: who, ascending: true })), sent);
  assert.deepEqual(ids(await find(main, { agent: who, ascending: false })), [...sent].reverse());
});

it('verb, activity and registration filters return only matching statements', async () => {
  const who = agent();
  const verb = { id: verbIri('joined'), display: { 'en-US': 'joined' } };
  const registration = uuid();
  const joined = await storeOne(main, statement({ actor: who, verb }));
  const registered = await storeOne(main, statement({ actor: who, context: { registration } }));
  const activity = statement({ actor: who });
  const onActivity = await storeOne(main, activity);

  assert.deepEqual(ids(await find(main, { verb: verb.id })), [joined]);
  assert.deepEqual(ids(await find(main, { registration })), [registered]);
  assert.deepEqual(ids(await find(main, { activity: activity.object.id })), [onActivity]);
  assert.deepEqual(ids(await find(main, { agent: who, verb: verb.id })), [joined]);
  assert.deepEqual(ids(await find(main, { agent: agent(), verb: verb.id })), [], 'filters combine with AND');
  const lib = await xapiLibrary(main).getStatements({ registration });
  assert.deepEqual(ids(lib.data), [registered]);
});

it('since is exclusive and until inclusive, on stored', async () => {
  const who = agent();
  const sent = [];
  for (let i = 0; i < 3; i += 1) {
    sent.push(await storeOne(main, statement({ actor: who })));
    await pause(10);
  }
  const stored = [];
  for (const id of sent) stored.push((await fetchOne(main, id)).stored);
  assert.ok(stored[0] < stored[1] && stored[1] < stored[2], `stored increases: ${stored}`);

  assert.deepEqual(ids(await find(main, { agent: who, since: stored[0] })), [sent[2], sent[1]]);
  assert.deepEqual(ids(await find(main, { agent: who, until: stored[1] })), [sent[1], sent[0]]);
  assert.deepEqual(ids(await find(main, { agent: who, since: stored[0], until: stored[1] })), [sent[1]]);
  assert.deepEqual(ids(await find(main, { agent: who, since: stored[2] })), []);
  const offset = stored[1].replace('Z', '+00:00');
  assert.deepEqual(ids(await find(main, { agent: who, until: offset })), [sent[1], sent[0]], 'an offset form works too');
});

it('related_activities=true also matches activities in context and substatements', async () => {
  const category = activityIri('category');
  const inner = activityIri('inner');
  const inContext = await storeOne(main, statement({ context: { contextActivities: { category: [{ id: category }] } } }));
  const inSub = await storeOne(main, statement({
    object: { objectType: 'SubStatement', actor: agent(), verb: { id: 'http://adlnet.gov/expapi/verbs/attended' }, object: { id: inner } },
  }));
  assert.deepEqual(ids(await find(main, { activity: category })), [], 'without related_activities, only the object');
  assert.deepEqual(ids(await find(main, { activity: category, related_activities: true })), [inContext]);
  assert.deepEqual(ids(await find(main, { activity: inner })), []);
  assert.deepEqual(ids(await find(main, { activity: inner, related_activities: true })), [inSub]);
  assert.deepEqual(ids(await find(main, { activity: category, related_activities: false })), []);
});

it('related_agents=true also matches agents in context; the agent filter matches actor or object', async () => {
  const instructor = agent('instructor');
  const object = agent('mentee');
  const taught = await storeOne(main, statement({ context: { instructor } }));
  const mentored = await storeOne(main, statement({
    verb: { id: 'http://id.tincanapi.com/verb/mentored', display: { 'en-US': 'mentored' } }, object,
  }));
  assert.deepEqual(ids(await find(main, { agent: instructor })), [], 'without related_agents, only the actor or object');
  assert.deepEqual(ids(await find(main, { agent: instructor, related_agents: true })), [taught]);
  assert.deepEqual(ids(await find(main, { agent: object })), [mentored], 'an Agent object matches the agent filter');
});

it('related_agents and related_activities=true merge the narrow and the broad matches in stored order, page by page', async () => {
  // Each statement names the agent and the activity either where the narrow
  // filter looks (actor, object) or only in context; a broad filter must
  // find both kinds, newest first, and its more links must go on in order.
  const who = agent('both');
  const course = activityIri('course');
  const sent = [];
  sent.push(await storeOne(main, statement({ actor: who, object: { objectType: 'Activity', id: course } })));
  await pause();
  sent.push(await storeOne(main, statement({ context: { instructor: who, contextActivities: { parent: [{ id: course }] } } })));
  await pause();
  sent.push(await storeOne(main, statement({ actor: who, object: { objectType: 'Activity', id: course } })));
  await pause();
  sent.push(await storeOne(main, statement({ context: { instructor: who, contextActivities: { parent: [{ id: course }] } } })));
  const newestFirst = [...sent].reverse();
  assert.deepEqual(ids(await find(main, { agent: who })), [sent[2], sent[0]], 'narrow: the actor only');
  assert.deepEqual(ids(await find(main, { activity: course })), [sent[2], sent[0]], 'narrow: the object only');
  assert.deepEqual(ids(await find(main, { agent: who, related_agents: true })), newestFirst);
  assert.deepEqual(ids(await find(main, { activity: course, related_activities: true })), newestFirst);
  assert.deepEqual(ids(await find(main, { activity: course, related_activities: true, ascending: true })), sent);
  assert.deepEqual(ids(await find(main, { agent: who, related_agents: true, activity: course, related_activities: true })),
    newestFirst, 'two broad filters together');
  // Pages of at most three (three, then one), through the more links.
  const pages = [];
  let page = await find(main, { agent: who, related_agents: true, limit: 3 });
  pages.push(ids(page));
  while (page.more) {
    const next = await xapiFetch(main, page.more);
    assert.equal(next.status, 200, `GET ${page.more}: ${next.status} ${next.text}`);
    page = assertStatementResult(next.body);
    pages.push(ids(page));
  }
  assert.deepEqual(pages, [newestFirst.slice(0, 3), newestFirst.slice(3)]);
});

it('limit=1 answers one statement and a more link; limit=0 means the server page size', async () => {
  const who = agent();
  for (let i = 0; i < 3; i += 1) { await storeOne(main, statement({ actor: who })); await pause(); }
  const one = await find(main, { agent: who, limit: 1 });
  assert.equal(one.statements.length, 1);
  assert.notEqual(one.more, '');
  const all = await find(main, { agent: who, limit: 0 });
  assert.equal(all.statements.length, 3);
  assert.equal(all.more, '');
  assert.equal((await find(main, { agent: who, limit: 3 })).more, '');
  assert.equal((await find(main, { agent: who, limit: 500 })).statements.length, 3);
});

it('unknown or miscased parameters get 400, with X-Experience-API-Consistent-Through', async () => {
  const id = await storeOne(main, statement());
  const bad = [
    'foo=bar', `StatementId=${id}`, `VoidedStatementId=${id}`, 'Agent=%7B%22mbox%22%3A%22mailto%3Aa%40example.org%22%7D',
    'Verb=http%3A%2F%2Fadlnet.gov%2Fexpapi%2Fverbs%2Fattended', 'Limit=1', 'LIMIT=1', 'Ascending=true', 'Format=ids',
    'Since=2020-01-01T00%3A00%3A00Z', 'Related_Activities=true', `statementId=${id}&foo=bar`,
  ];
  for (const qs of bad) {
    const res = await xapiFetch(main, `statements?${qs}`);
    try {
      assertXapiProblem(res, 400);
      assertConsistentThrough(res);
    } catch (err) {
      err.message = `GET statements?${qs}: ${err.message}`;
      throw err;
    }
  }
});

it('statementId or voidedStatementId with any filter gets 400; with format or attachments it is fine', async () => {
  const id = await storeOne(main, statement());
  const filters = {
    agent: agent(), verb: 'http://adlnet.gov/expapi/verbs/attended', activity: activityIri(), registration: uuid(),
    related_activities: true, related_agents: true, since: '2020-01-01T00:00:00Z', until: '2030-01-01T00:00:00Z',
    limit: 1, ascending: true,
  };
  for (const [k, v] of Object.entries(filters)) {
    for (const single of ['statementId', 'voidedStatementId']) {
      const res = await xapiFetch(main, `statements?${query({ [single]: id, [k]: v })}`);
      try {
        assertXapiProblem(res, 400);
      } catch (err) {
        err.message = `${single} with ${k}: ${err.message}`;
        throw err;
      }
    }
  }
  for (const extra of [{ format: 'ids' }, { format: 'exact' }, { attachments: false }]) {
    const res = await xapiFetch(main, `statements?${query({ statementId: id, ...extra })}`);
    assert.equal(res.status, 200, `statementId with ${JSON.stringify(extra)}: ${res.status} ${res.text}`);
    assert.equal(res.body.id, id);
  }
});

it('malformed parameter values get 400', async () => {
  const bad = [
    'agent=wrong', `agent=${encodeURIComponent('{"name":"No identifier"}')}`, 'registration=wrong', 'since=xyz',
    'until=xyz', 'limit=-1', 'limit=abc', 'statementId=wrong', 'voidedStatementId=wrong', 'format=pretty',
  ];
  for (const qs of bad) {
    const res = await xapiFetch(main, `statements?${qs}`);
    try {
      assertXapiProblem(res, 400);
    } catch (err) {
      err.message = `GET statements?${qs}: ${err.message}`;
      throw err;
    }
  }
});

it('HEAD /xapi/statements answers 200 without a body', async () => {
  const id = await storeOne(main, statement());
  const conn = await connect(server.port);
  try {
    const headers = { authorization: main.auth, 'x-experience-api-version': '1.0.3' };
    await conn.send(rawRequest('HEAD', '/xapi/statements', { headers }));
    const head = await conn.readResponse({ head: true });
    assert.equal(head.status, 200, `HEAD: ${head.statusLine}`);
    assert.equal(head.headers['x-experience-api-version'], '1.0.3');
    assert.ok(head.headers.date, 'Date on HEAD');
    await conn.send(rawRequest('HEAD', `/xapi/statements?statementId=${id}`, { headers }));
    const single = await conn.readResponse({ head: true });
    assert.equal(single.status, 200, `HEAD ?statementId: ${single.statusLine}`);
    await conn.send(rawRequest('GET', '/xapi/about', { headers }));
    const next = await conn.readResponse();
    assert.equal(next.status, 200, 'the next answer on the connection is intact, so HEAD sent no body');
    assert.ok(Array.isArray(JSON.parse(next.text).version));
  } finally {
    conn.close();
  }
});

it('format=ids reduces agents to their identifier and activities and verbs to their id', async () => {
  const st = statement();
  const id = await storeOne(main, st);
  const check = (s) => {
    assert.equal(s.actor.mbox, st.actor.mbox);
    assert.ok(Object.keys(s.actor).every((k) => ['objectType', 'mbox'].includes(k)), `only the identifier: ${JSON.stringify(s.actor)}`);
    assert.deepEqual(s.verb, { id: st.verb.id });
    assert.deepEqual(s.object, { id: st.object.id });
  };
  const res = await xapiFetch(main, `statements?${query({ statementId: id, format: 'ids' })}`);
  assert.equal(res.status, 200, `${res.status} ${res.text}`);
  check(res.body);
  const found = await find(main, { agent: st.actor, format: 'ids' });
  assert.equal(found.statements.length, 1);
  check(found.statements[0]);
  const exact = await find(main, { agent: st.actor, format: 'exact' });
  assert.deepEqual(exact.statements[0].actor, st.actor, 'format=exact keeps the agent as sent');
  assert.deepEqual(exact.statements[0].object, st.object);
});

it('format=canonical with Accept-Language keeps only the best-matching language', async () => {
  const st = statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-US': 'attended', 'fr-FR': 'a participé à', 'de-DE': 'nahm teil an' } } });
  st.object.definition = {
    name: { 'en-US': 'Reading workshop', 'fr-FR': 'Atelier de lecture', 'de-DE': 'Lesewerkstatt' },
    description: { 'en-US': 'Strategies for early readers', fr: 'Stratégies pour lecteurs débutants' },
    type: 'http://adlnet.gov/expapi/activities/meeting',
  };
  const id = await storeOne(main, st);
  const headers = { 'accept-language': 'fr-FR' };
  const check = (s) => {
    assert.deepEqual(s.verb.display, { 'fr-FR': 'a participé à' });
    assert.deepEqual(s.object.definition.name, { 'fr-FR': 'Atelier de lecture' });
    assert.deepEqual(s.object.definition.description, { fr: 'Stratégies pour lecteurs débutants' });
    assert.equal(s.object.definition.type, 'http://adlnet.gov/expapi/activities/meeting');
    assert.deepEqual(s.actor, st.actor, 'agents are unchanged');
  };
  const one = await xapiFetch(main, `statements?${query({ statementId: id, format: 'canonical' })}`, { headers });
  assert.equal(one.status, 200, `${one.status} ${one.text}`);
  check(one.body);
  const found = await find(main, { agent: st.actor, format: 'canonical' }, { headers });
  check(found.statements[0]);
  const exact = await fetchOne(main, id, { headers });
  assert.deepEqual(exact.verb.display, st.verb.display, 'without format, every language comes back');
});

// ---------------------------------------------------------------------------------------
// Read scopes

it('statements/read/mine sees only the statements its own client wrote', async () => {
  const mine = await client(['statements/write', 'statements/read/mine']);
  const colleague = await client(['statements/write'], mine.staff);
  const who = agent();
  const own = await storeOne(mine, statement({ actor: who }));
  const theirs = await storeOne(colleague, statement({ actor: who }));

  assert.deepEqual(ids(await find(mine, { agent: who })), [own]);
  await fetchOne(mine, own);
  const res = await getById(mine, theirs);
  assert.ok([403, 404].includes(res.status), `another client's statement is not shown: ${res.status} ${res.text}`);
  assert.ok(!res.text.includes(who.mbox), 'nothing of it leaks');
});

it('statements/read sees every statement of its organization, never another organization\'s', async () => {
  const reader = await client(['statements/read']);
  const w1 = await client(['statements/write'], reader.staff);
  const w2 = await client(['statements/write'], reader.staff);
  const outsider = await client(['statements/write', 'statements/read']);
  const who = agent();
  const a = await storeOne(w1, statement({ actor: who }));
  await pause();
  const b = await storeOne(w2, statement({ actor: who }));
  await pause();
  const foreign = await storeOne(outsider, statement({ actor: who }));

  assert.deepEqual(ids(await find(reader, { agent: who })), [b, a]);
  await fetchOne(reader, a);
  await fetchOne(reader, b);
  assertXapiProblem(await getById(reader, foreign), 404);
  assert.deepEqual(ids(await find(outsider, { agent: who })), [foreign], 'and the other way round');
  assertXapiProblem(await getById(outsider, a), 404);
  const lib = await xapiLibrary(reader).getStatements({ agent: who });
  assert.deepEqual(ids(lib.data), [b, a]);
});

// ---------------------------------------------------------------------------------------
// Validation: each refused with 400 naming the field

it('a statement without actor, verb or object gets 400 naming it', async () => {
  await rejects(statement({ actor: undefined }), 'actor', 'no actor');
  await rejects(statement({ verb: undefined }), 'verb', 'no verb');
  await rejects(statement({ object: undefined }), 'object', 'no object');
  assertXapiProblem(await post(main, '{"actor": '), 400, {}, 'broken JSON');
  assertXapiProblem(await post(main, '"a string"'), 400, {}, 'not an object');
  assertXapiProblem(await post(main, [42]), 400, {}, 'not an object in a batch');
});

it('unknown or miscased properties get 400 naming them', async () => {
  const st = statement();
  await rejects({ ...st, Actor: st.actor }, 'Actor', 'Actor');
  await rejects(statement({ timeStamp: '2024-01-01T00:00:00Z' }), 'timeStamp', 'timeStamp');
  await rejects(statement({ dummy: 'x' }), 'dummy', 'dummy');
  await rejects(statement({ result: { Success: true } }), 'result.Success', 'result.Success');
  await rejects(statement({ context: { contextActivities: { Parent: [{ id: activityIri() }] } } }),
    'context.contextActivities.Parent', 'contextActivities.Parent');
});

it('null values outside extensions get 400 naming the field', async () => {
  await rejects(changed(statement(), (s) => { s.actor.name = null; }), 'actor.name', 'actor.name null');
  await rejects(changed(statement(), (s) => { s.object.definition.moreInfo = null; }), 'object.definition.moreInfo', 'moreInfo null');
  await rejects(statement({ context: { registration: null } }), 'context.registration', 'registration null');
  await rejects(statement({ result: { success: null } }), 'result.success', 'success null');
  await rejects(statement({ timestamp: null }), 'timestamp', 'timestamp null');
});

it('an agent needs exactly one identifier, and mbox must be a mailto: IRI', async () => {
  await rejects(statement({ actor: { objectType: 'Agent', name: 'Nobody' } }), 'actor', 'no identifier');
  await rejects(statement({ actor: { mbox: `mailto:a-${uuid()}@example.org`, openid: 'https://openid.example.org/a' } }), 'actor', 'mbox and openid');
  await rejects(changed(statement(), (s) => { s.actor.mbox = 'learner@example.org'; }), 'actor.mbox', 'mbox without mailto:');
  await rejects(changed(statement(), (s) => { s.actor.mbox = 'http://example.org/learner'; }), 'actor.mbox', 'mbox http:');
  await rejects(statement({ context: { instructor: { objectType: 'Agent', name: 'No id' } } }), 'context.instructor', 'instructor without identifier');
});

it('verb.id and activity ids must be IRIs, the statement id a UUID', async () => {
  await rejects(changed(statement(), (s) => { s.verb.id = 'not an iri'; }), 'verb.id', 'verb.id not an IRI');
  await rejects(changed(statement(), (s) => { s.verb.id = 'adlnet.gov/expapi/verbs/attended'; }), 'verb.id', 'verb.id without scheme');
  await rejects(changed(statement(), (s) => { s.object.id = 'not an iri'; }), 'object.id', 'object.id not an IRI');
  await rejects(statement({ context: { contextActivities: { parent: [{ id: 'not an iri' }] } } }),
    'context.contextActivities.parent[0].id', 'parent id not an IRI');
  await rejects(statement({ id: 'AA97B177-9383-4934-8543-0F91A7A028368' }), 'id', 'a UUID with 13 final digits');
  await rejects(statement({ id: 'not-a-uuid' }), 'id', 'not a UUID');
  await rejects(statement({ id: 12345 }), 'id', 'a number id');
});

it('score: scaled in [-1, 1], raw within [min, max], min not above max', async () => {
  await rejects(statement({ result: { score: { scaled: 1.5 } } }), 'result.score.scaled', 'scaled 1.5');
  await rejects(statement({ result: { score: { scaled: -1.00001 } } }), 'result.score.scaled', 'scaled -1.00001');
  await rejects(statement({ result: { score: { raw: 101, min: 0, max: 100 } } }), 'result.score.raw', 'raw above max');
  await rejects(statement({ result: { score: { raw: -1, min: 0, max: 100 } } }), 'result.score.raw', 'raw below min');
  await rejects(statement({ result: { score: { min: 10, max: 5 } } }), 'result.score', 'min above max');
  await rejects(statement({ result: { score: { raw: '50' } } }), 'result.score.raw', 'raw as a string');
});

it('duration must be an ISO 8601 duration', async () => {
  for (const duration of ['P4W1D', 'PT1H0M0X', 'PA1H0M0S', '1 hour', 'P']) {
    await rejects(statement({ result: { duration } }), 'result.duration', `duration ${duration}`);
  }
});

it('language map keys must be RFC 5646 tags', async () => {
  await rejects(changed(statement(), (s) => { s.verb.display = { a12345: 'attended' }; }), 'verb.display', 'display a12345');
  await rejects(changed(statement(), (s) => { s.object.definition.name = { 'en-US': 'ok', something: 'bad' }; }),
    'object.definition.name', 'name "something"');
  await rejects(statement({ context: { language: 'a12345' } }), 'context.language', 'context.language a12345');
  await rejects(changed(statement(), (s) => { s.verb.display = { 'en-US': 42 }; }), 'verb.display', 'a number in a language map');
});

it('timestamp must be an RFC 3339 date-time without a negative zero offset', async () => {
  for (const timestamp of ['2020-01-01T00:00:00-00:00', '2020-01-01T00:00:00-0000', '01/011/2015', 'should fail', '2020-13-01T00:00:00Z']) {
    await rejects(statement({ timestamp }), 'timestamp', `timestamp ${timestamp}`);
  }
});

it('version must be 1.0.x or 2.0.x', async () => {
  for (const version of ['0.9', '1.1.0', 'should fail']) {
    await rejects(statement({ version }), 'version', `version ${version}`);
  }
});

it('a group actor needs objectType "Group"', async () => {
  const member = [{ mbox: `mailto:m-${uuid()}@example.org` }, { mbox: `mailto:n-${uuid()}@example.org` }];
  await rejects(statement({ actor: { name: 'Grade 3 team', member } }), 'actor', 'a group without objectType');
  await rejects(statement({ actor: { objectType: 'group', name: 'Grade 3 team', member } }), 'actor', 'objectType "group"');
  await accepts(statement({ actor: { objectType: 'Group', name: 'Grade 3 team', member } }), 'an anonymous Group');
});

it('a SubStatement may not contain another SubStatement', async () => {
  const inner = { objectType: 'SubStatement', actor: agent(), verb: { id: 'http://adlnet.gov/expapi/verbs/attended' }, object: { id: activityIri() } };
  const outer = { objectType: 'SubStatement', actor: agent(), verb: { id: 'http://adlnet.gov/expapi/verbs/planned' }, object: inner };
  await rejects(statement({ object: outer }), 'object.object', 'a nested SubStatement');
  await rejects(statement({ object: { ...inner, id: uuid() } }), 'object.id', 'a SubStatement with an id');
  await accepts(statement({ object: inner }), 'a single SubStatement');
});

it('interactionType must be one of the known values, exact case', async () => {
  const definition = (interactionType) => ({
    name: { 'en-US': 'Question' }, type: 'http://adlnet.gov/expapi/activities/cmi.interaction', interactionType,
    correctResponsesPattern: ['a'], choices: [{ id: 'a', description: { 'en-US': 'A' } }, { id: 'b', description: { 'en-US': 'B' } }],
  });
  const question = (interactionType) => changed(statement(), (s) => { s.object.definition = definition(interactionType); });
  await rejects(question('Choice'), 'object.definition.interactionType', 'Choice');
  await rejects(question('CHOICE'), 'object.definition.interactionType', 'CHOICE');
  await rejects(question('multiple-choice'), 'object.definition.interactionType', 'multiple-choice');
  await accepts(question('choice'), 'choice');
});

it('context.revision and context.platform are refused when the object is not an Activity', async () => {
  const object = { objectType: 'Agent', mbox: `mailto:o-${uuid()}@example.org` };
  await rejects(statement({ object, context: { revision: 'v2' } }), 'context.revision', 'revision with an Agent object');
  await rejects(statement({ object, context: { platform: 'Forum' } }), 'context.platform', 'platform with an Agent object');
  const noType = changed(statement({ context: { revision: 'v2' } }), (s) => { delete s.object.objectType; });
  await accepts(noType, 'revision with an object without objectType (an Activity)');
});

// ---------------------------------------------------------------------------------------
// Valid edge cases

it('extension values may be null, {} or ""', async () => {
  const extensions = {
    'https://staffroom.example.org/ext/null': null,
    'https://staffroom.example.org/ext/empty-object': {},
    'https://staffroom.example.org/ext/empty-string': '',
  };
  const st = statement({ result: { extensions }, context: { extensions } });
  st.object.definition.extensions = extensions;
  const id = await accepts(st, 'extension values null, {}, ""');
  const got = await fetchOne(main, id);
  assert.deepEqual(got.result.extensions, extensions);
  assert.deepEqual(got.context.extensions, extensions);
  assert.deepEqual(got.object.definition.extensions, extensions);
  const putId = uuid();
  assert.equal((await put(main, putId, statement({ result: { extensions } }))).status, 204);
});

it('durations with years, months and fractional seconds are accepted and kept', async () => {
  for (const duration of ['P3Y1M29DT4H35M59.14S', 'PT16559.14S', 'PT1H0M0S', 'P4W', 'P3Y']) {
    const id = await accepts(statement({ result: { duration } }), `duration ${duration}`);
    assert.equal((await fetchOne(main, id)).result.duration, duration);
  }
});

it('language tags zh-Hant, sr-Latn-RS and en are accepted', async () => {
  const display = { 'zh-Hant': '參加了', 'sr-Latn-RS': 'prisustvovao', en: 'attended' };
  const id = await accepts(statement({ verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display }, context: { language: 'sr-Latn-RS' } }),
    'language tags');
  assert.deepEqual((await fetchOne(main, id)).verb.display, display);
});

it('a scaled score of exactly -1 or 1 is accepted', async () => {
  for (const scaled of [-1, 1, 0]) {
    const id = await accepts(statement({ result: { score: { scaled } } }), `scaled ${scaled}`);
    assert.equal((await fetchOne(main, id)).result.score.scaled, scaled);
  }
  await accepts(statement({ result: { score: { raw: 100, min: 0, max: 100 } } }), 'raw equal to max');
});
