// The document resources of the Learning Record Store (/xapi/activities/state,
// /xapi/activities/profile, /xapi/agents/profile): exact bytes and Content-Type, ETag and
// Last-Modified, id listings with `since`, registrations, deletion, the POST merge of JSON
// objects, If-Match / If-None-Match in both xAPI versions, organizations kept apart and the
// `documents` scope. Then the read-only /xapi/activities and /xapi/agents, HEAD everywhere,
// version negotiation and Basic auth on these resources, 1.0.3's alternate request syntax,
// and unknown paths and methods.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, createCampaign, localDate, suffix } from '../lib/activities.mjs';
import { connect, rawRequest } from '../lib/raw-http.mjs';
import { createSiteAdmin, startServer, withLogs } from '../lib/server.mjs';
import {
  HTTP_DATE, activityIri, agent, assertStatementResult, assertUnauthorized, assertXapiHeaders, assertXapiProblem,
  basicAuth, newLrsClient, pause, query, sha1Etag, statement, uuid, xapiFetch,
} from '../lib/xapi.mjs';

const V1 = '1.0.3';
const V2 = '2.0.0';

let server;
let admin;
let campaign;
let main; // a client with every scope, of its own organization
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  server = await startServer();
  admin = await createSiteAdmin(server);
  campaign = `xapi-docs-${suffix()}`;
  const today = localDate(new Date(), 'America/New_York');
  await createCampaign(admin, campaign, { starts_on: addDays(today, -1), ends_on: addDays(today, 30) });
  main = await newLrsClient(server, admin, campaign);
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

const client = (scopes, org) => newLrsClient(server, admin, campaign, { scopes, org });

// ---------------------------------------------------------------------------------------
// The three document resources, described once so that the shared rules run on each

/** An agent as a document parameter: identifier only, as most clients send it. */
const docAgent = (label) => ({ objectType: 'Agent', mbox: agent(label).mbox });

const STATE = {
  name: 'state',
  path: 'activities/state',
  idName: 'stateId',
  fresh: () => ({ activityId: activityIri('state'), agent: docAgent('state') }),
};
const ACTIVITY_PROFILE = {
  name: 'activity profile',
  path: 'activities/profile',
  idName: 'profileId',
  fresh: () => ({ activityId: activityIri('profile') }),
};
const AGENT_PROFILE = {
  name: 'agent profile',
  path: 'agents/profile',
  idName: 'profileId',
  fresh: () => ({ agent: docAgent('profile') }),
};
const KINDS = [STATE, ACTIVITY_PROFILE, AGENT_PROFILE];

/** The path of `kind` with `params` and, unless undefined, the document id. */
function docPath(kind, params, id) {
  const p = { ...params };
  if (id !== undefined) p[kind.idName] = id;
  const qs = query(p);
  return qs ? `${kind.path}?${qs}` : kind.path;
}

/**
 * A request to a document resource. `body`: a string or Buffer is sent as is with `type`
 * (default application/json); an object is sent as JSON.
 */
function doc(c, kind, params, id, { method = 'GET', body, type, headers = {}, version = V1, auth } = {}) {
  const h = { ...headers };
  if (body !== undefined) h['content-type'] = type || 'application/json';
  return xapiFetch(c, docPath(kind, params, id), { method, body, headers: h, version, auth });
}

/** Creates a document with PUT and If-None-Match: * (allowed in both versions); asserts 204. */
async function create(c, kind, params, id, body, opts = {}) {
  const res = await doc(c, kind, params, id, {
    ...opts, method: 'PUT', body, headers: { 'if-none-match': '*', ...(opts.headers || {}) },
  });
  assert.equal(res.status, 204, `creating ${kind.name} '${id}': HTTP ${res.status} ${res.text}`);
  assert.equal(res.text, '', '204 has no body');
  return res;
}

/** GETs one document; asserts 200 and that its ETag is the SHA-1 of the bytes; answers it. */
async function read(c, kind, params, id, opts = {}) {
  const res = await doc(c, kind, params, id, opts);
  assert.equal(res.status, 200, `GET ${kind.name} '${id}': HTTP ${res.status} ${res.text}`);
  assert.equal(res.headers.get('etag'), sha1Etag(res.bytes), `the ETag is "sha1(content)" for ${kind.name} '${id}'`);
  return res;
}

/** GETs the ids of `kind` under `params` (plus `extra`); asserts 200 and a JSON array; answers it. */
async function listIds(c, kind, params, extra = {}, opts = {}) {
  const res = await doc(c, kind, { ...params, ...extra }, undefined, opts);
  assert.equal(res.status, 200, `listing ${kind.name} ids: HTTP ${res.status} ${res.text}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json/, 'the id list is JSON');
  assert.ok(Array.isArray(res.body), `an array of ids: ${res.text}`);
  return res.body;
}

/** Asserts that the document reads back as exactly `text` (a string or Buffer). */
async function assertContent(c, kind, params, id, expected, what) {
  const res = await read(c, kind, params, id);
  const want = Buffer.isBuffer(expected) ? expected : Buffer.from(expected, 'utf8');
  assert.ok(res.bytes.equals(want), `${what}: expected ${JSON.stringify(want.toString('utf8'))}, got ${JSON.stringify(res.text)}`);
  return res;
}

/** Asserts that the document does not exist (404 problem). */
async function assertMissing(c, kind, params, id, what) {
  assertXapiProblem(await doc(c, kind, params, id), 404, {}, what);
}

const sortedIds = (ids) => [...ids].sort();

// ---------------------------------------------------------------------------------------
// State: storing and reading

it('state: PUT then GET gives back the exact JSON bytes, its Content-Type, a SHA-1 ETag and Last-Modified', async () => {
  const p = STATE.fresh();
  // Odd spacing and key order: the LRS must keep the bytes, not re-serialize them.
  const text = '{ "progress":0.5,\n  "bookmark" : "page-7", "a": [1, 2 ,3] }';
  const put = await doc(main, STATE, p, 'resume', { method: 'PUT', body: text });
  assert.equal(put.status, 204, `PUT: HTTP ${put.status} ${put.text}`);
  assertXapiHeaders(put, V1);
  const res = await assertContent(main, STATE, p, 'resume', text, 'the stored document');
  assert.equal(res.headers.get('content-type'), 'application/json', 'the Content-Type that was sent');
  assert.equal(res.headers.get('etag'), sha1Etag(text), 'ETag is "sha1hex(content)"');
  assert.match(res.headers.get('etag'), /^"[0-9a-f]{40}"$/);
  const lm = res.headers.get('last-modified');
  assert.match(lm || '', HTTP_DATE, `Last-Modified is an HTTP date: ${lm}`);
  assert.ok(Math.abs(Date.parse(lm) - Date.now()) < 5 * 60_000, `Last-Modified is about now: ${lm}`);
  assertXapiHeaders(res, V1);
});

it('state: a binary application/octet-stream document (bytes 0..255) comes back byte for byte', async () => {
  const p = STATE.fresh();
  const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const put = await doc(main, STATE, p, 'blob', { method: 'PUT', body: bytes, type: 'application/octet-stream' });
  assert.equal(put.status, 204, `PUT binary: HTTP ${put.status} ${put.text}`);
  const res = await assertContent(main, STATE, p, 'blob', bytes, 'the binary document');
  assert.equal(res.bytes.length, 256, 'all 256 bytes');
  assert.equal(res.headers.get('content-type'), 'application/octet-stream');
  assert.equal(res.headers.get('etag'), sha1Etag(bytes));
});

it('state: an update changes the ETag and moves Last-Modified later (2.0.0)', async () => {
  const p = STATE.fresh();
  await create(main, STATE, p, 'progress', { step: 1 }, { version: V2 });
  const first = await read(main, STATE, p, 'progress', { version: V2 });
  const lm1 = first.headers.get('last-modified');
  assert.match(lm1 || '', HTTP_DATE, `Last-Modified on a 2.0.0 GET: ${lm1}`);
  await pause(1100);
  const upd = await doc(main, STATE, p, 'progress', {
    method: 'PUT', body: { step: 2 }, version: V2, headers: { 'if-match': first.headers.get('etag') },
  });
  assert.equal(upd.status, 204, `PUT with If-Match: HTTP ${upd.status} ${upd.text}`);
  const second = await read(main, STATE, p, 'progress', { version: V2 });
  assert.deepEqual(second.body, { step: 2 });
  assert.notEqual(second.headers.get('etag'), first.headers.get('etag'), 'the ETag changes with the content');
  const lm2 = second.headers.get('last-modified');
  assert.match(lm2 || '', HTTP_DATE, `Last-Modified after the update: ${lm2}`);
  assert.ok(Date.parse(lm2) > Date.parse(lm1), `Last-Modified moved later: ${lm1} → ${lm2}`);
});

it('state: GET of a state id that was never written is 404', async () => {
  const p = STATE.fresh();
  await assertMissing(main, STATE, p, 'never-written', 'unknown stateId');
  await create(main, STATE, p, 'there', { x: 1 });
  await assertMissing(main, STATE, p, 'not-there', 'another stateId of the same activity and agent');
});

it('state: GET without stateId lists the ids of that activity and agent', async () => {
  const p = STATE.fresh();
  assert.deepEqual(await listIds(main, STATE, p), [], 'nothing stored yet: []');
  await create(main, STATE, p, 'alpha', { a: 1 });
  await create(main, STATE, p, 'beta', 'plain text', { type: 'text/plain' });
  await create(main, STATE, p, 'gamma/with spaces & symbols', { g: 1 });
  // Same activity, another agent; same agent, another activity: not listed.
  await create(main, STATE, { ...p, agent: docAgent('other') }, 'delta', { d: 1 });
  await create(main, STATE, { ...p, activityId: activityIri('other') }, 'epsilon', { e: 1 });
  assert.deepEqual(sortedIds(await listIds(main, STATE, p)), sortedIds(['alpha', 'beta', 'gamma/with spaces & symbols']));
  await assertContent(main, STATE, p, 'gamma/with spaces & symbols', '{"g":1}', 'an id with spaces and symbols');
});

it('state: since lists only the ids updated after it', async () => {
  const p = STATE.fresh();
  await create(main, STATE, p, 'old', { v: 1 });
  await pause(200);
  const since = new Date().toISOString();
  await pause(200);
  await create(main, STATE, p, 'new', { v: 2 });
  assert.deepEqual(await listIds(main, STATE, p, { since }), ['new'], `since=${since}`);
  assert.deepEqual(sortedIds(await listIds(main, STATE, p)), ['new', 'old'], 'without since, both');
  // Updating the old one makes it newer than `since` too.
  const upd = await doc(main, STATE, p, 'old', { method: 'POST', body: { w: 1 } });
  assert.equal(upd.status, 204, `POST update: HTTP ${upd.status} ${upd.text}`);
  assert.deepEqual(sortedIds(await listIds(main, STATE, p, { since })), ['new', 'old'], 'after updating old');
  const future = new Date(Date.now() + 3_600_000).toISOString();
  assert.deepEqual(await listIds(main, STATE, p, { since: future }), [], 'since an hour from now: []');
});

it('state: a malformed since is 400', async () => {
  const p = STATE.fresh();
  await create(main, STATE, p, 's', { v: 1 });
  for (const since of ['not a timestamp', 'true', '2026-13-45T99:00:00Z', '']) {
    assertXapiProblem(await doc(main, STATE, { ...p, since }), 400, {}, `since=${JSON.stringify(since)}`);
  }
});

it('state: a registration keeps its own documents apart', async () => {
  const p = STATE.fresh();
  const r1 = uuid();
  const r2 = uuid();
  await create(main, STATE, p, 'bookmark', { where: 'none' });
  await create(main, STATE, { ...p, registration: r1 }, 'bookmark', { where: 'r1' });
  await create(main, STATE, { ...p, registration: r2 }, 'bookmark', { where: 'r2' });
  await create(main, STATE, { ...p, registration: r1 }, 'only-r1', { x: 1 });
  assert.deepEqual((await read(main, STATE, p, 'bookmark')).body, { where: 'none' });
  assert.deepEqual((await read(main, STATE, { ...p, registration: r1 }, 'bookmark')).body, { where: 'r1' });
  assert.deepEqual((await read(main, STATE, { ...p, registration: r2 }, 'bookmark')).body, { where: 'r2' });
  await assertMissing(main, STATE, { ...p, registration: r2 }, 'only-r1', 'a document of r1 under r2');
  await assertMissing(main, STATE, { ...p, registration: uuid() }, 'bookmark', 'a registration never used');
  assert.deepEqual(sortedIds(await listIds(main, STATE, { ...p, registration: r1 })), ['bookmark', 'only-r1']);
  assert.deepEqual(await listIds(main, STATE, { ...p, registration: r2 }), ['bookmark']);
});

it('state: DELETE with stateId deletes that document only', async () => {
  const p = STATE.fresh();
  await create(main, STATE, p, 'one', { n: 1 });
  await create(main, STATE, p, 'two', { n: 2 });
  const del = await doc(main, STATE, p, 'one', { method: 'DELETE' });
  assert.equal(del.status, 204, `DELETE: HTTP ${del.status} ${del.text}`);
  assert.equal(del.text, '');
  await assertMissing(main, STATE, p, 'one', 'the deleted document');
  assert.deepEqual((await read(main, STATE, p, 'two')).body, { n: 2 }, 'the other one is kept');
  assert.deepEqual(await listIds(main, STATE, p), ['two']);
});

it('state: DELETE without stateId deletes every document of that activity and agent (and registration)', async () => {
  const p = STATE.fresh();
  const reg = uuid();
  const otherAgent = { ...p, agent: docAgent('kept') };
  await create(main, STATE, p, 'a', { n: 1 });
  await create(main, STATE, p, 'b', 'bytes', { type: 'application/octet-stream' });
  await create(main, STATE, { ...p, registration: reg }, 'c', { n: 3 });
  await create(main, STATE, otherAgent, 'a', { kept: true });

  const delReg = await doc(main, STATE, { ...p, registration: reg }, undefined, { method: 'DELETE' });
  assert.equal(delReg.status, 204, `DELETE all of a registration: HTTP ${delReg.status} ${delReg.text}`);
  assert.deepEqual(await listIds(main, STATE, { ...p, registration: reg }), [], 'the registration has none left');
  assert.deepEqual(sortedIds(await listIds(main, STATE, p)), ['a', 'b'], 'deleting a registration keeps the others');

  const del = await doc(main, STATE, p, undefined, { method: 'DELETE' });
  assert.equal(del.status, 204, `DELETE all: HTTP ${del.status} ${del.text}`);
  assert.deepEqual(await listIds(main, STATE, p), [], 'none left');
  await assertMissing(main, STATE, p, 'a', 'a after deleting all');
  await assertMissing(main, STATE, p, 'b', 'b after deleting all');
  assert.deepEqual((await read(main, STATE, otherAgent, 'a')).body, { kept: true }, "another agent's state is kept");
});

it('state: missing activityId or agent, or a PUT without stateId, is 400 and stores nothing', async () => {
  const p = STATE.fresh();
  const noActivity = { agent: p.agent };
  const noAgent = { activityId: p.activityId };
  for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
    const body = method === 'PUT' || method === 'POST' ? { x: 1 } : undefined;
    assertXapiProblem(await doc(main, STATE, noActivity, 's', { method, body }), 400, {}, `${method} without activityId`);
    assertXapiProblem(await doc(main, STATE, noAgent, 's', { method, body }), 400, {}, `${method} without agent`);
  }
  assertXapiProblem(await doc(main, STATE, p, undefined, { method: 'PUT', body: { x: 1 } }), 400, {}, 'PUT without stateId');
  assertXapiProblem(await doc(main, STATE, p, undefined, { method: 'POST', body: { x: 1 } }), 400, {}, 'POST without stateId');
  assert.deepEqual(await listIds(main, STATE, p), [], 'nothing was stored');
});

it('state: an agent that is not JSON, or has no identifier, is 400', async () => {
  const p = STATE.fresh();
  const bad = ['not JSON', 'true', '{"mbox": "mailto:broken@example.org"', '"mailto:x@example.org"',
    JSON.stringify({ objectType: 'Agent', name: 'No identifier' })];
  for (const a of bad) {
    const path = `${STATE.path}?activityId=${encodeURIComponent(p.activityId)}&agent=${encodeURIComponent(a)}&stateId=s`;
    assertXapiProblem(await xapiFetch(main, path), 400, {}, `GET agent=${a}`);
    const put = await xapiFetch(main, path, { method: 'PUT', body: { x: 1 } });
    assertXapiProblem(put, 400, {}, `PUT agent=${a}`);
  }
});

it('state: a registration that is not a UUID is 400 and stores nothing', async () => {
  const p = STATE.fresh();
  for (const registration of ['true', 'not-a-uuid', '12345678-1234-1234-1234-1234567890123']) {
    const r = { ...p, registration };
    assertXapiProblem(await doc(main, STATE, r, 's', { method: 'PUT', body: { x: 1 } }), 400, {}, `PUT registration=${registration}`);
    assertXapiProblem(await doc(main, STATE, r, 's'), 400, {}, `GET registration=${registration}`);
    assertXapiProblem(await doc(main, STATE, r), 400, {}, `list registration=${registration}`);
  }
  assert.deepEqual(await listIds(main, STATE, p), [], 'nothing was stored');
});

// ---------------------------------------------------------------------------------------
// POST: merging JSON objects

it('state: POST of a JSON object to a missing document creates it', async () => {
  const p = STATE.fresh();
  const res = await doc(main, STATE, p, 'created-by-post', { method: 'POST', body: { a: 1, nested: { b: 2 } } });
  assert.equal(res.status, 204, `POST: HTTP ${res.status} ${res.text}`);
  const got = await read(main, STATE, p, 'created-by-post');
  assert.deepEqual(got.body, { a: 1, nested: { b: 2 } });
  assert.match(got.headers.get('content-type') || '', /^application\/json/);
});

for (const kind of KINDS) {
  it(`${kind.name}: POST merges JSON objects one level deep (top-level keys overwrite, nested objects are replaced)`, async () => {
    const p = kind.fresh();
    await create(main, kind, p, 'merged', { keep: 'kept', change: 'old', nested: { x: 1, y: 2 }, list: [1, 2] });
    const res = await doc(main, kind, p, 'merged', {
      method: 'POST', body: { change: 'new', nested: { z: 3 }, list: [3], added: true },
    });
    assert.equal(res.status, 204, `POST merge: HTTP ${res.status} ${res.text}`);
    const got = await read(main, kind, p, 'merged');
    assert.deepEqual(got.body, { keep: 'kept', change: 'new', nested: { z: 3 }, list: [3], added: true },
      'shallow merge: nested objects replaced whole');
    assert.match(got.headers.get('content-type') || '', /^application\/json/, 'still JSON');
  });
}

it('state: POST of a non-JSON body onto a JSON document is 400 and the document is unchanged', async () => {
  const p = STATE.fresh();
  const original = '{"score":10}';
  await create(main, STATE, p, 'json-doc', original);
  const etag = (await read(main, STATE, p, 'json-doc')).headers.get('etag');
  for (const [body, type] of [['abc', 'text/plain'], ['abc', 'application/x-www-form-urlencoded'], ['not/json', 'text/plain'],
    ['[1,2]', 'application/json'], ['"a string"', 'application/json']]) {
    assertXapiProblem(await doc(main, STATE, p, 'json-doc', { method: 'POST', body, type }), 400, {}, `POST ${type} ${body}`);
  }
  const kept = await assertContent(main, STATE, p, 'json-doc', original, 'after the refused POSTs');
  assert.equal(kept.headers.get('etag'), etag, 'same ETag');
  assert.equal(kept.headers.get('content-type'), 'application/json');
});

it('state: POST of JSON onto an application/octet-stream document is 400 and the document is unchanged', async () => {
  const p = STATE.fresh();
  const original = '/ asdf / undefined';
  await create(main, STATE, p, 'opaque', original, { type: 'application/octet-stream' });
  assertXapiProblem(await doc(main, STATE, p, 'opaque', { method: 'POST', body: { a: 1 } }), 400, {}, 'POST JSON');
  const kept = await assertContent(main, STATE, p, 'opaque', original, 'the octet-stream document');
  assert.equal(kept.headers.get('content-type'), 'application/octet-stream');
});

it('state: POST with Content-Type application/json and invalid JSON is 400, even when nothing exists', async () => {
  const p = STATE.fresh();
  for (const body of ['{"key": "value", {', '[', '{"a":1', 'not json']) {
    assertXapiProblem(await doc(main, STATE, p, 'invalid', { method: 'POST', body }), 400, {}, `POST ${body}`);
  }
  await assertMissing(main, STATE, p, 'invalid', 'nothing was created');
  await create(main, STATE, p, 'exists', { a: 1 });
  assertXapiProblem(await doc(main, STATE, p, 'exists', { method: 'POST', body: '{"b": ' }), 400, {}, 'onto an existing doc');
  assert.deepEqual((await read(main, STATE, p, 'exists')).body, { a: 1 });
});

// ---------------------------------------------------------------------------------------
// Concurrency on all three resources

for (const kind of KINDS) {
  it(`${kind.name}: a wrong If-Match on PUT, POST and DELETE is 412 and leaves the document unchanged`, async () => {
    const p = kind.fresh();
    const original = '{"v":1}';
    await create(main, kind, p, 'guarded', original);
    for (const version of [V1, V2]) {
      for (const wrong of ['"1234"', `"${'1'.repeat(40)}"`, sha1Etag('{"v":2}')]) {
        const h = { 'if-match': wrong };
        assertXapiProblem(await doc(main, kind, p, 'guarded', { method: 'PUT', body: { v: 9 }, headers: h, version }), 412,
          { version }, `PUT If-Match ${wrong} (${version})`);
        assertXapiProblem(await doc(main, kind, p, 'guarded', { method: 'POST', body: { w: 9 }, headers: h, version }), 412,
          { version }, `POST If-Match ${wrong} (${version})`);
        assertXapiProblem(await doc(main, kind, p, 'guarded', { method: 'DELETE', headers: h, version }), 412,
          { version }, `DELETE If-Match ${wrong} (${version})`);
      }
    }
    await assertContent(main, kind, p, 'guarded', original, 'after the refused writes');
  });

  it(`${kind.name}: the right If-Match lets PUT, POST and DELETE through (204)`, async () => {
    const p = kind.fresh();
    await create(main, kind, p, 'guarded', { v: 1 });
    let etag = (await read(main, kind, p, 'guarded')).headers.get('etag');
    const put = await doc(main, kind, p, 'guarded', { method: 'PUT', body: { v: 2 }, headers: { 'if-match': etag } });
    assert.equal(put.status, 204, `PUT with the right If-Match: HTTP ${put.status} ${put.text}`);
    let got = await read(main, kind, p, 'guarded');
    assert.deepEqual(got.body, { v: 2 });
    assert.notEqual(got.headers.get('etag'), etag, 'a new ETag');
    etag = got.headers.get('etag');
    const post = await doc(main, kind, p, 'guarded', { method: 'POST', body: { w: 3 }, headers: { 'if-match': etag }, version: V2 });
    assert.equal(post.status, 204, `POST with the right If-Match: HTTP ${post.status} ${post.text}`);
    got = await read(main, kind, p, 'guarded');
    assert.deepEqual(got.body, { v: 2, w: 3 });
    etag = got.headers.get('etag');
    const del = await doc(main, kind, p, 'guarded', { method: 'DELETE', headers: { 'if-match': etag } });
    assert.equal(del.status, 204, `DELETE with the right If-Match: HTTP ${del.status} ${del.text}`);
    await assertMissing(main, kind, p, 'guarded', 'after DELETE');
  });

  it(`${kind.name}: If-Match on a missing document is 412 and creates nothing`, async () => {
    const p = kind.fresh();
    assertXapiProblem(await doc(main, kind, p, 'absent', { method: 'PUT', body: { v: 1 }, headers: { 'if-match': sha1Etag('{"v":1}') } }),
      412, {}, 'PUT If-Match on a missing document');
    assertXapiProblem(await doc(main, kind, p, 'absent', { method: 'POST', body: { v: 1 }, headers: { 'if-match': '"1234"' } }),
      412, {}, 'POST If-Match on a missing document');
    await assertMissing(main, kind, p, 'absent', 'nothing was created');
  });

  it(`${kind.name}: If-None-Match: * is 204 when the document is absent and 412 when it exists`, async () => {
    const p = kind.fresh();
    for (const version of [V1, V2]) {
      const id = `inm-${version}`;
      const first = await doc(main, kind, p, id, { method: 'PUT', body: { v: 1 }, headers: { 'if-none-match': '*' }, version });
      assert.equal(first.status, 204, `PUT If-None-Match: * on an absent document (${version}): HTTP ${first.status} ${first.text}`);
      const again = await doc(main, kind, p, id, { method: 'PUT', body: { v: 2 }, headers: { 'if-none-match': '*' }, version });
      assertXapiProblem(again, 412, { version }, `PUT If-None-Match: * over an existing document (${version})`);
      const post = await doc(main, kind, p, id, { method: 'POST', body: { w: 2 }, headers: { 'if-none-match': '*' }, version });
      assertXapiProblem(post, 412, { version }, `POST If-None-Match: * onto an existing document (${version})`);
      assert.deepEqual((await read(main, kind, p, id)).body, { v: 1 }, `unchanged (${version})`);
    }
  });

  it(`${kind.name}: with 2.0.0, a PUT without If-Match or If-None-Match over an existing document is 409`, async () => {
    const p = kind.fresh();
    await create(main, kind, p, 'blind', { v: 1 }, { version: V2 });
    const res = await doc(main, kind, p, 'blind', { method: 'PUT', body: { v: 2 }, version: V2 });
    const body = assertXapiProblem(res, 409, { version: V2 }, 'blind PUT over an existing document');
    assert.ok(body.detail.length > 0, 'the 409 says why');
    assert.deepEqual((await read(main, kind, p, 'blind', { version: V2 })).body, { v: 1 }, 'unchanged');
  });
}

it('state: with 1.0.3, a PUT without If-Match or If-None-Match may overwrite (204), and may create (204)', async () => {
  const p = STATE.fresh();
  const first = await doc(main, STATE, p, 'blind', { method: 'PUT', body: { v: 1 }, version: V1 });
  assert.equal(first.status, 204, `blind PUT of a new state: HTTP ${first.status} ${first.text}`);
  const second = await doc(main, STATE, p, 'blind', { method: 'PUT', body: { v: 2 }, version: V1 });
  assert.equal(second.status, 204, `blind PUT over an existing state (1.0.3): HTTP ${second.status} ${second.text}`);
  assert.deepEqual((await read(main, STATE, p, 'blind')).body, { v: 2 }, 'overwritten');
});

for (const kind of [ACTIVITY_PROFILE, AGENT_PROFILE]) {
  it(`${kind.name}: with 1.0.3, a PUT without If-Match or If-None-Match is 409 when it exists and 400 when it does not`, async () => {
    const p = kind.fresh();
    assertXapiProblem(await doc(main, kind, p, 'blind', { method: 'PUT', body: { v: 1 }, version: V1 }), 400,
      { version: V1 }, 'blind PUT of a new profile (1.0.3)');
    await assertMissing(main, kind, p, 'blind', 'the 400 created nothing');
    await create(main, kind, p, 'blind', { v: 1 }, { version: V1 });
    const res = await doc(main, kind, p, 'blind', { method: 'PUT', body: { v: 2 }, version: V1 });
    assertXapiProblem(res, 409, { version: V1 }, 'blind PUT over an existing profile (1.0.3)');
    assert.deepEqual((await read(main, kind, p, 'blind')).body, { v: 1 }, 'unchanged');
  });
}

// ---------------------------------------------------------------------------------------
// Activity and agent profiles

it('activity profile: PUT, GET, list, DELETE round trip', async () => {
  const p = ACTIVITY_PROFILE.fresh();
  assert.deepEqual(await listIds(main, ACTIVITY_PROFILE, p), [], 'no profiles yet');
  const text = '{"passingScore": 0.8, "levels": ["a", "b"]}';
  await create(main, ACTIVITY_PROFILE, p, 'settings', text);
  await create(main, ACTIVITY_PROFILE, p, 'notes', 'Some notes.', { type: 'text/plain; charset=utf-8' });
  await create(main, ACTIVITY_PROFILE, { activityId: activityIri('other') }, 'settings', { other: true });
  const got = await assertContent(main, ACTIVITY_PROFILE, p, 'settings', text, 'the activity profile');
  assert.equal(got.headers.get('content-type'), 'application/json');
  assert.match(got.headers.get('last-modified') || '', HTTP_DATE);
  const notes = await assertContent(main, ACTIVITY_PROFILE, p, 'notes', 'Some notes.', 'the text profile');
  assert.equal(notes.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.deepEqual(sortedIds(await listIds(main, ACTIVITY_PROFILE, p)), ['notes', 'settings']);
  const del = await doc(main, ACTIVITY_PROFILE, p, 'settings', { method: 'DELETE' });
  assert.equal(del.status, 204, `DELETE: HTTP ${del.status} ${del.text}`);
  await assertMissing(main, ACTIVITY_PROFILE, p, 'settings', 'the deleted profile');
  assert.deepEqual(await listIds(main, ACTIVITY_PROFILE, p), ['notes']);
});

it('agent profile: PUT, GET, list, DELETE round trip', async () => {
  const p = AGENT_PROFILE.fresh();
  assert.deepEqual(await listIds(main, AGENT_PROFILE, p), [], 'no profiles yet');
  const text = '{"preferredLanguage":"fr-FR"}';
  await create(main, AGENT_PROFILE, p, 'preferences', text);
  await create(main, AGENT_PROFILE, p, 'avatar', Buffer.from([0, 1, 2, 250, 255]), { type: 'image/png' });
  await create(main, AGENT_PROFILE, { agent: docAgent('other') }, 'preferences', { other: true });
  const got = await assertContent(main, AGENT_PROFILE, p, 'preferences', text, 'the agent profile');
  assert.equal(got.headers.get('content-type'), 'application/json');
  const avatar = await assertContent(main, AGENT_PROFILE, p, 'avatar', Buffer.from([0, 1, 2, 250, 255]), 'the binary profile');
  assert.equal(avatar.headers.get('content-type'), 'image/png');
  assert.deepEqual(sortedIds(await listIds(main, AGENT_PROFILE, p)), ['avatar', 'preferences']);
  // The same agent with its name: the identifier decides.
  assert.deepEqual(sortedIds(await listIds(main, AGENT_PROFILE, { agent: { ...p.agent, name: 'A Name' } })), ['avatar', 'preferences']);
  const del = await doc(main, AGENT_PROFILE, p, 'preferences', { method: 'DELETE' });
  assert.equal(del.status, 204, `DELETE: HTTP ${del.status} ${del.text}`);
  await assertMissing(main, AGENT_PROFILE, p, 'preferences', 'the deleted profile');
  assert.deepEqual(await listIds(main, AGENT_PROFILE, p), ['avatar']);
});

it('profiles: since lists only the profiles updated after it', async () => {
  for (const kind of [ACTIVITY_PROFILE, AGENT_PROFILE]) {
    const p = kind.fresh();
    await create(main, kind, p, 'old', { v: 1 });
    await pause(200);
    const since = new Date().toISOString();
    await pause(200);
    await create(main, kind, p, 'new', { v: 2 });
    assert.deepEqual(await listIds(main, kind, p, { since }), ['new'], `${kind.name} since=${since}`);
    assertXapiProblem(await doc(main, kind, { ...p, since: 'yesterday' }), 400, {}, `${kind.name} since=yesterday`);
  }
});

it('activity profile: missing activityId is 400; PUT, POST or DELETE without profileId is 400', async () => {
  const p = ACTIVITY_PROFILE.fresh();
  for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
    const body = method === 'PUT' || method === 'POST' ? { x: 1 } : undefined;
    const headers = method === 'PUT' ? { 'if-none-match': '*' } : {};
    assertXapiProblem(await doc(main, ACTIVITY_PROFILE, {}, 'p', { method, body, headers }), 400, {}, `${method} without activityId`);
    if (method !== 'GET') {
      assertXapiProblem(await doc(main, ACTIVITY_PROFILE, p, undefined, { method, body, headers }), 400, {}, `${method} without profileId`);
    }
  }
  assert.deepEqual(await listIds(main, ACTIVITY_PROFILE, p), [], 'nothing stored');
});

it('agent profile: missing or malformed agent is 400; PUT, POST or DELETE without profileId is 400', async () => {
  const p = AGENT_PROFILE.fresh();
  await create(main, AGENT_PROFILE, p, 'kept', { k: 1 });
  for (const method of ['GET', 'PUT', 'POST', 'DELETE']) {
    const body = method === 'PUT' || method === 'POST' ? { x: 1 } : undefined;
    const headers = method === 'PUT' ? { 'if-none-match': '*' } : {};
    assertXapiProblem(await doc(main, AGENT_PROFILE, {}, 'p', { method, body, headers }), 400, {}, `${method} without agent`);
    const notJson = `${AGENT_PROFILE.path}?agent=not%20JSON&profileId=p`;
    assertXapiProblem(await xapiFetch(main, notJson, { method, body, headers }), 400, {}, `${method} agent=not JSON`);
    if (method !== 'GET') {
      assertXapiProblem(await doc(main, AGENT_PROFILE, p, undefined, { method, body, headers }), 400, {}, `${method} without profileId`);
    }
  }
  assert.deepEqual(await listIds(main, AGENT_PROFILE, p), ['kept'], 'DELETE without profileId deleted nothing');
});

// ---------------------------------------------------------------------------------------
// Organizations and scopes

it('documents of one organization are invisible to a client of another, which keeps its own', async () => {
  const stranger = await client(['documents', 'statements/write', 'statements/read/mine']);
  assert.notEqual(stranger.org, main.org, 'another organization');
  for (const kind of KINDS) {
    const p = kind.fresh();
    await create(main, kind, p, 'shared-id', { owner: 'first' });
    await assertMissing(stranger, kind, p, 'shared-id', `${kind.name}: GET by the other organization`);
    assert.deepEqual(await listIds(stranger, kind, p), [], `${kind.name}: the other organization lists none`);
    // The other organization may use the same ids without touching the first's document.
    await create(stranger, kind, p, 'shared-id', { owner: 'second' });
    assert.deepEqual((await read(stranger, kind, p, 'shared-id')).body, { owner: 'second' });
    assert.deepEqual((await read(main, kind, p, 'shared-id')).body, { owner: 'first' }, `${kind.name}: the first is unchanged`);
    const del = await doc(stranger, kind, p, kind === STATE ? undefined : 'shared-id', { method: 'DELETE' });
    assert.equal(del.status, 204, `${kind.name}: the other organization deletes its own: HTTP ${del.status} ${del.text}`);
    assert.deepEqual((await read(main, kind, p, 'shared-id')).body, { owner: 'first' }, `${kind.name}: the first survives`);
  }
});

it('a client without the documents scope gets 403 on every document resource and writes nothing', async () => {
  const limited = await client(['statements/write', 'statements/read/mine', 'statements/read'], main.staff);
  for (const kind of KINDS) {
    const p = kind.fresh();
    await create(main, kind, p, 'existing', { v: 1 });
    const tries = [
      ['GET', 'existing'], ['GET', undefined], ['PUT', 'new'], ['POST', 'new'], ['POST', 'existing'], ['DELETE', 'existing'],
    ];
    for (const [method, id] of tries) {
      const body = method === 'PUT' || method === 'POST' ? { x: 1 } : undefined;
      assertXapiProblem(await doc(limited, kind, p, id, { method, body, headers: { 'if-none-match': method === 'PUT' ? '*' : undefined } }),
        403, {}, `${kind.name}: ${method} ${id ?? '(list)'} without the documents scope`);
    }
    assert.deepEqual((await read(main, kind, p, 'existing')).body, { v: 1 }, `${kind.name}: unchanged`);
    await assertMissing(main, kind, p, 'new', `${kind.name}: nothing new`);
  }
});

// ---------------------------------------------------------------------------------------
// /xapi/activities

/** POSTs statements (2.0.0); asserts 200. */
async function storeStatements(c, body, version = V2) {
  const res = await xapiFetch(c, 'statements', { method: 'POST', body, version });
  assert.equal(res.status, 200, `storing statements: HTTP ${res.status} ${res.text}`);
  return res.body;
}

function getActivity(c, id, opts = {}) {
  return xapiFetch(c, `activities?${query({ activityId: id })}`, { version: V2, ...opts });
}

it('activities: GET ?activityId= answers the activity with its definition after a statement about it', async () => {
  const object = {
    objectType: 'Activity',
    id: activityIri('defined'),
    definition: {
      name: { 'en-US': 'Teaching fractions with games' },
      description: { 'en-US': 'A 45-minute online workshop' },
      type: 'http://adlnet.gov/expapi/activities/meeting',
      moreInfo: 'https://staffroom.example.org/workshops/fractions',
      extensions: { 'https://staffroom.example.org/ext/level': 'grade-5' },
    },
  };
  await storeStatements(main, statement({ object }));
  const res = await getActivity(main, object.id);
  assert.equal(res.status, 200, `GET activities: HTTP ${res.status} ${res.text}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json/);
  assertXapiHeaders(res, V2);
  assert.deepEqual(res.body, object, 'the full activity as it was sent');
});

it('activities: definitions from two statements merge their language maps; other properties take the later value', async () => {
  const id = activityIri('merged');
  await storeStatements(main, statement({
    object: {
      objectType: 'Activity',
      id,
      definition: { name: { 'en-US': 'Reading circle' }, type: 'http://adlnet.gov/expapi/activities/meeting' },
    },
  }));
  await pause(10);
  await storeStatements(main, statement({
    object: {
      objectType: 'Activity',
      id,
      definition: { name: { 'fr-FR': 'Cercle de lecture' }, type: 'http://adlnet.gov/expapi/activities/course' },
    },
  }));
  const res = await getActivity(main, id);
  assert.equal(res.status, 200, `GET activities: HTTP ${res.status} ${res.text}`);
  assert.equal(res.body.objectType, 'Activity');
  assert.equal(res.body.id, id);
  assert.deepEqual(res.body.definition.name, { 'en-US': 'Reading circle', 'fr-FR': 'Cercle de lecture' }, 'both languages');
  assert.equal(res.body.definition.type, 'http://adlnet.gov/expapi/activities/course', 'the later type');
});

it('activities: an activity never seen is 200 with just objectType and id', async () => {
  const id = activityIri('unknown');
  const res = await getActivity(main, id);
  assert.equal(res.status, 200, `GET an unknown activity: HTTP ${res.status} ${res.text}`);
  assert.deepEqual(res.body, { objectType: 'Activity', id });
});

it("activities: another organization's definitions stay with it", async () => {
  const stranger = await client(['statements/write', 'statements/read/mine']);
  const object = { objectType: 'Activity', id: activityIri('private'), definition: { name: { 'en-US': 'Private session' } } };
  await storeStatements(main, statement({ object }));
  assert.deepEqual((await getActivity(main, object.id)).body, object);
  const res = await getActivity(stranger, object.id);
  assert.equal(res.status, 200, `GET by another organization: HTTP ${res.status} ${res.text}`);
  assert.deepEqual(res.body, { objectType: 'Activity', id: object.id }, 'no definition from another organization');
});

it('activities: a missing activityId is 400', async () => {
  assertXapiProblem(await xapiFetch(main, 'activities', { version: V2 }), 400, { version: V2 }, 'no activityId');
  assertXapiProblem(await xapiFetch(main, `activities?activityid=${encodeURIComponent(activityIri())}`, { version: V2 }), 400,
    { version: V2 }, 'a miscased activityid');
});

// ---------------------------------------------------------------------------------------
// /xapi/agents

function getAgent(c, a, opts = {}) {
  return xapiFetch(c, `agents?agent=${encodeURIComponent(typeof a === 'string' ? a : JSON.stringify(a))}`, { version: V2, ...opts });
}

function assertPerson(body) {
  assert.equal(body.objectType, 'Person', `a Person: ${JSON.stringify(body)}`);
  for (const [k, v] of Object.entries(body)) {
    if (k !== 'objectType') assert.ok(Array.isArray(v), `every Person value is a list: ${k} = ${JSON.stringify(v)}`);
  }
}

it('agents: GET ?agent= answers a Person with the name the agent had in a statement, every value a list', async () => {
  const actor = { objectType: 'Agent', name: `Ada ${uuid()}`, mbox: agent('person').mbox };
  await storeStatements(main, statement({ actor }));
  const res = await getAgent(main, { mbox: actor.mbox }); // asked without the name
  assert.equal(res.status, 200, `GET agents: HTTP ${res.status} ${res.text}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json/);
  assertPerson(res.body);
  assert.deepEqual(res.body.name, [actor.name], 'the name from the statement');
  assert.deepEqual(res.body.mbox, [actor.mbox]);
});

it('agents: an agent never seen is a Person with its identifier', async () => {
  const mbox = agent('stranger').mbox;
  const res = await getAgent(main, { objectType: 'Agent', mbox });
  assert.equal(res.status, 200, `GET an unknown agent: HTTP ${res.status} ${res.text}`);
  assertPerson(res.body);
  assert.deepEqual(res.body.mbox, [mbox]);

  const account = { homePage: 'https://platform.example.org', name: `user-${uuid()}` };
  const byAccount = await getAgent(main, { account });
  assert.equal(byAccount.status, 200, `GET an account agent: HTTP ${byAccount.status} ${byAccount.text}`);
  assertPerson(byAccount.body);
  assert.deepEqual(byAccount.body.account, [account]);
});

it('agents: a missing agent, an agent without an identifier, or one that is not JSON, is 400', async () => {
  assertXapiProblem(await xapiFetch(main, 'agents', { version: V2 }), 400, { version: V2 }, 'no agent');
  assertXapiProblem(await getAgent(main, { objectType: 'Agent', name: 'Nobody in particular' }), 400, { version: V2 }, 'no identifier');
  assertXapiProblem(await getAgent(main, 'not JSON'), 400, { version: V2 }, 'not JSON');
  assertXapiProblem(await getAgent(main, { mbox: agent().mbox, openid: 'https://id.example.org/x' }), 400, { version: V2 },
    'two identifiers');
});

// ---------------------------------------------------------------------------------------
// HEAD

/** Sends HEAD requests over one raw connection; asserts 200 and no body for each (the next answer must parse). */
async function assertHeads(targets, version = V1) {
  const conn = await connect(server.port);
  try {
    const headers = { authorization: main.auth, 'x-experience-api-version': version };
    const out = [];
    for (const target of targets) {
      await conn.send(rawRequest('HEAD', target, { headers }));
      const res = await conn.readResponse({ head: true });
      assert.equal(res.status, 200, `HEAD ${target}: ${res.statusLine}`);
      assert.equal(res.headers['x-experience-api-version'], version, `HEAD ${target}: the version header`);
      out.push(res);
    }
    // If any HEAD had sent a body, its bytes would be read here instead of this answer.
    await conn.send(rawRequest('GET', '/xapi/about', { headers }));
    const next = await conn.readResponse();
    assert.equal(next.status, 200, `the GET after the HEADs is intact: ${next.statusLine} ${next.text.slice(0, 200)}`);
    assert.ok(Array.isArray(JSON.parse(next.text).version), 'the about answer parses');
    assert.equal(conn.buffer.length, 0, 'nothing else was sent');
    return out;
  } finally {
    conn.close();
  }
}

it('HEAD on statements, activities and agents answers 200 without a body', async () => {
  const st = statement();
  await storeStatements(main, st);
  await assertHeads([
    '/xapi/statements',
    `/xapi/statements?${query({ limit: 1 })}`,
    `/xapi/activities?${query({ activityId: st.object.id })}`,
    `/xapi/agents?${query({ agent: { mbox: st.actor.mbox } })}`,
  ]);
  // Through fetch too: an empty body.
  const res = await xapiFetch(main, `activities?${query({ activityId: st.object.id })}`, { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(res.text, '', 'HEAD has an empty body');
});

it('HEAD on state, activity profile and agent profile answers 200 with the ETag and without a body', async () => {
  const targets = [];
  const etags = [];
  for (const kind of KINDS) {
    const p = kind.fresh();
    await create(main, kind, p, 'headed', { content: 'for HEAD'.repeat(20) });
    etags.push((await read(main, kind, p, 'headed')).headers.get('etag'));
    targets.push(`/xapi/${docPath(kind, p, 'headed')}`);
    targets.push(`/xapi/${docPath(kind, p)}`); // the id list
  }
  const heads = await assertHeads(targets);
  for (let i = 0; i < KINDS.length; i += 1) {
    assert.equal(heads[2 * i].headers.etag, etags[i], `HEAD ${KINDS[i].name}: the same ETag as GET`);
  }
  const p = STATE.fresh();
  await create(main, STATE, p, 'fetched', { x: 1 });
  const res = await doc(main, STATE, p, 'fetched', { method: 'HEAD' });
  assert.equal(res.status, 200);
  assert.equal(res.text, '', 'HEAD has an empty body');
});

// ---------------------------------------------------------------------------------------
// Versions and authentication on these resources

it('/xapi/about needs no credentials and no version header, and lists 1.0.3 and 2.0.0', async () => {
  const res = await xapiFetch(main, 'about', { auth: null, version: null });
  assert.equal(res.status, 200, `GET /xapi/about: HTTP ${res.status} ${res.text}`);
  assert.ok(res.headers.get('x-experience-api-version'), 'the version header is there');
  assert.ok(Array.isArray(res.body.version), `version is a list: ${res.text}`);
  assert.ok(res.body.version.includes('1.0.3') && res.body.version.includes('2.0.0'), `both versions: ${res.text}`);
});

it('a request without X-Experience-API-Version is 400 on every other resource, still with the version header', async () => {
  const p = STATE.fresh();
  const requests = [
    ['GET', docPath(STATE, p, 's')],
    ['PUT', docPath(STATE, p, 's'), { x: 1 }],
    ['POST', docPath(STATE, p, 's'), { x: 1 }],
    ['DELETE', docPath(STATE, p)],
    ['GET', docPath(ACTIVITY_PROFILE, { activityId: p.activityId }, 'p')],
    ['PUT', docPath(ACTIVITY_PROFILE, { activityId: p.activityId }, 'p'), { x: 1 }],
    ['GET', docPath(AGENT_PROFILE, { agent: p.agent }, 'p')],
    ['GET', `activities?${query({ activityId: p.activityId })}`],
    ['GET', `agents?${query({ agent: p.agent })}`],
    ['GET', 'statements'],
    ['GET', 'nothing-here'],
  ];
  for (const [method, path, body] of requests) {
    const res = await xapiFetch(main, path, { method, body, version: null });
    assertXapiProblem(res, 400, { version: null }, `${method} ${path} without the version header`);
  }
  assert.deepEqual(await listIds(main, STATE, p), [], 'nothing was stored');
});

it('X-Experience-API-Version 1.0.1 is answered as 1.0.3 and 2.0.4 as 2.0.0', async () => {
  const p = STATE.fresh();
  await create(main, STATE, p, 'v', { x: 1 });
  for (const [asked, answered] of [['1.0.1', '1.0.3'], ['2.0.4', '2.0.0']]) {
    const got = await doc(main, STATE, p, 'v', { version: asked });
    assert.equal(got.status, 200, `GET state as ${asked}: HTTP ${got.status} ${got.text}`);
    assertXapiHeaders(got, answered);
    assertXapiHeaders(await doc(main, STATE, p, undefined, { version: asked }), answered);
    const act = await getActivity(main, p.activityId, { version: asked });
    assert.equal(act.status, 200);
    assertXapiHeaders(act, answered);
    assertXapiProblem(await doc(main, STATE, p, 'missing', { version: asked }), 404, { version: answered }, `404 as ${asked}`);
  }
});

it('wrong or malformed Basic credentials are 401 on the document resources and write nothing', async () => {
  const p = STATE.fresh();
  for (const auth of [basicAuth(main.key, 'wrong-secret'), basicAuth(`nobody-${suffix()}`, main.secret), 'Basic:xxx', 'Basic:xxxx']) {
    try {
      assertUnauthorized(await doc(main, STATE, p, 's', { method: 'PUT', body: { x: 1 }, auth }));
      assertUnauthorized(await doc(main, STATE, p, 's', { auth }));
      assertUnauthorized(await doc(main, ACTIVITY_PROFILE, { activityId: p.activityId }, 'p', { auth }));
      assertUnauthorized(await doc(main, AGENT_PROFILE, { agent: p.agent }, 'p', { auth }));
      assertUnauthorized(await getActivity(main, p.activityId, { auth, version: V1 }));
      assertUnauthorized(await getAgent(main, p.agent, { auth, version: V1 }));
    } catch (err) {
      err.message = `Authorization "${auth}": ${err.message}`;
      throw err;
    }
  }
  assertUnauthorized(await doc(main, STATE, p, 's', { auth: null }));
  await assertMissing(main, STATE, p, 's', 'nothing was stored');
});

// ---------------------------------------------------------------------------------------
// 1.0.3 alternate request syntax

function form(fields) {
  return new URLSearchParams(fields).toString();
}

/** POST /xapi/<path>?method=... with a form body and no real auth or version header (unless `opts` adds them). */
function alternate(path, fields, { headers = {}, method = 'POST', version = null, auth = null } = {}) {
  return xapiFetch(main, path, {
    method,
    body: form(fields),
    version,
    auth,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

it('alternate syntax: POST ?method=PUT with everything in the form stores the statement (204)', async () => {
  const st = statement();
  const id = uuid();
  const res = await alternate('statements?method=PUT', {
    statementId: id,
    content: JSON.stringify(st),
    Authorization: main.auth,
    'X-Experience-API-Version': V1,
  });
  assert.equal(res.status, 204, `alternate PUT: HTTP ${res.status} ${res.text}`);
  const got = await xapiFetch(main, `statements?statementId=${id}`);
  assert.equal(got.status, 200, `the statement is readable: HTTP ${got.status} ${got.text}`);
  assert.equal(got.body.id, id);
  assert.deepEqual(got.body.actor, st.actor);
  assert.deepEqual(got.body.verb, st.verb);
  assert.deepEqual(got.body.object, st.object);
});

it('alternate syntax: POST ?method=GET with limit=1 in the form answers a StatementResult with one statement', async () => {
  await storeStatements(main, [statement(), statement()], V1);
  const res = await alternate('statements?method=GET', { limit: '1', Authorization: main.auth, 'X-Experience-API-Version': V1 });
  assert.equal(res.status, 200, `alternate GET: HTTP ${res.status} ${res.text}`);
  assertXapiHeaders(res, V1);
  assertStatementResult(res.body);
  assert.equal(res.body.statements.length, 1, 'limit=1 from the form');
  assert.notEqual(res.body.more, '', 'more statements remain');
});

it('alternate syntax: state documents too (POST ?method=PUT with the parameters in the form)', async () => {
  const p = STATE.fresh();
  const res = await alternate('activities/state?method=PUT', {
    activityId: p.activityId,
    agent: JSON.stringify(p.agent),
    stateId: 'via-form',
    content: '{"from":"form"}',
    Authorization: main.auth,
    'X-Experience-API-Version': V1,
  });
  assert.equal(res.status, 204, `alternate state PUT: HTTP ${res.status} ${res.text}`);
  assert.deepEqual((await read(main, STATE, p, 'via-form')).body, { from: 'form' });
});

it('alternate syntax: a query parameter besides method is 400 and stores nothing', async () => {
  const id = uuid();
  const res = await alternate(`statements?method=PUT&statementId=${id}`, {
    content: JSON.stringify(statement()),
    Authorization: main.auth,
    'X-Experience-API-Version': V1,
  });
  // The form was refused unread, so its version is not known: any version header will do.
  assertXapiProblem(res, 400, { version: null }, 'statementId in the query');
  assertXapiProblem(await xapiFetch(main, `statements?statementId=${id}`), 404, {}, 'not stored');
});

it('alternate syntax: PUT ?method=POST is 400', async () => {
  const res = await alternate('statements?method=POST', {
    content: JSON.stringify(statement()),
    Authorization: main.auth,
    'X-Experience-API-Version': V1,
  }, { method: 'PUT' });
  assertXapiProblem(res, 400, { version: null }, 'PUT with ?method=');
});

it('alternate syntax: X-Experience-API-Version 2.0.0 in the form is 400 and stores nothing', async () => {
  const id = uuid();
  const res = await alternate('statements?method=PUT', {
    statementId: id,
    content: JSON.stringify(statement()),
    Authorization: main.auth,
    'X-Experience-API-Version': V2,
  });
  assertXapiProblem(res, 400, { version: null }, 'X-Experience-API-Version 2.0.0 in the form');
  assertXapiProblem(await xapiFetch(main, `statements?statementId=${id}`), 404, {}, 'not stored');
});

it('alternate syntax: the real header X-Experience-API-Version 2.0.0 with ?method= is 400 and stores nothing', async () => {
  const id = uuid();
  const put = await alternate('statements?method=PUT', {
    statementId: id,
    content: JSON.stringify(statement()),
  }, { version: V2, auth: main.auth });
  assertXapiProblem(put, 400, { version: V2 }, '?method=PUT with the real header 2.0.0');
  const get = await alternate('statements?method=GET', { limit: '1' }, { version: V2, auth: main.auth });
  assertXapiProblem(get, 400, { version: V2 }, '?method=GET with the real header 2.0.0');
  assertXapiProblem(await xapiFetch(main, `statements?statementId=${id}`), 404, {}, 'not stored');
});

it('alternate syntax: ?method=PUT without a content field is 400', async () => {
  const id = uuid();
  const res = await alternate('statements?method=PUT', {
    statementId: id,
    Authorization: main.auth,
    'X-Experience-API-Version': V1,
  });
  assertXapiProblem(res, 400, {}, 'no content');
  assertXapiProblem(await xapiFetch(main, `statements?statementId=${id}`), 404, {}, 'not stored');
});

// ---------------------------------------------------------------------------------------
// Unknown paths and methods

it('an unknown xAPI path is 404 problem+json', async () => {
  for (const path of ['nothing', 'statements/extra', 'activities/nothing', 'agents/nothing']) {
    assertXapiProblem(await xapiFetch(main, path), 404, {}, `GET /xapi/${path}`);
  }
});

it('a method a resource does not answer is 405 with Allow', async () => {
  const p = STATE.fresh();
  const cases = [
    ['DELETE', 'statements', ['GET', 'PUT', 'POST']],
    ['PATCH', 'statements', ['GET', 'PUT', 'POST']],
    ['POST', `activities?${query({ activityId: p.activityId })}`, ['GET']],
    ['DELETE', `agents?${query({ agent: p.agent })}`, ['GET']],
    ['PATCH', docPath(STATE, p, 's'), ['GET', 'PUT', 'POST', 'DELETE']],
  ];
  for (const [method, path, allowed] of cases) {
    const res = await xapiFetch(main, path, { method });
    assertXapiProblem(res, 405, {}, `${method} /xapi/${path}`);
    const allow = (res.headers.get('allow') || '').split(',').map((s) => s.trim());
    for (const m of allowed) assert.ok(allow.includes(m), `${method} /xapi/${path}: Allow should include ${m}, got "${res.headers.get('allow')}"`);
    assert.ok(!allow.includes(method), `Allow must not list ${method}`);
  }
  assertXapiProblem(await doc(main, STATE, p, 's'), 404, {}, 'the PATCH stored nothing');
});
