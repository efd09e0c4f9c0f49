// The clients of an organization's Learning Record Store (xAPI): staff create them (the
// secret is shown once), list and revoke them; the CLI creates them too; `/xapi/about` is
// public and names the xAPI versions.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  addDays, createCampaign, createEducator, createPartner, expectStatus, localDate, suffix,
} from '../lib/activities.mjs';
import { assertProblem, assertTime, listAll } from '../lib/problem.mjs';
import { api, createSiteAdmin, runCli, startServer, withLogs } from '../lib/server.mjs';

let server;
let admin;
let campaign;
const it = (name, fn) => test(name, withLogs(() => server, fn));
const anonymous = () => api(server.baseUrl);

before(async () => {
  server = await startServer();
  admin = await createSiteAdmin(server);
  campaign = `lrs-${suffix()}`;
  const today = localDate(new Date(), 'America/New_York');
  await createCampaign(admin, campaign, { starts_on: addDays(today, -1), ends_on: addDays(today, 30) });
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

const SCOPES = ['statements/write', 'statements/read/mine', 'statements/read', 'documents'];
const DEFAULT_SCOPES = ['statements/write', 'statements/read/mine', 'documents'];
const clientsPath = (org) => `/api/v1/organizations/${org}/lrs-clients`;
const clientPath = (org, id) => `${clientsPath(org)}/${id}`;
const sorted = (list) => [...list].sort();

/** A new approved partner organization; answers its staff member's client (with `org`). */
function newOrganization() {
  return createPartner(server, admin, campaign, { slug: `lrs-org-${suffix()}` });
}

/** Asserts the documented LrsClient shape; a listed client never carries its secret. */
function assertLrsClient(c, { listed = false } = {}) {
  const where = `LrsClient ${JSON.stringify(c)}`;
  assert.ok(c && typeof c === 'object', `LrsClient object expected, got ${JSON.stringify(c)}`);
  assert.ok(Number.isInteger(c.id), `${where}: id integer`);
  assert.equal(typeof c.name, 'string', `${where}: name`);
  assert.equal(typeof c.key, 'string', `${where}: key`);
  assert.ok(c.key.length >= 8, `${where}: a key of some length`);
  assert.ok(Array.isArray(c.scopes), `${where}: scopes array`);
  for (const s of c.scopes) assert.ok(SCOPES.includes(s), `${where}: a known scope, got ${s}`);
  assertTime(c.created_at, 'created_at');
  assert.ok('last_used_at' in c, `${where}: last_used_at present`);
  if (c.last_used_at !== null) assertTime(c.last_used_at, 'last_used_at');
  assert.ok('revoked_at' in c, `${where}: revoked_at present`);
  if (c.revoked_at !== null) assertTime(c.revoked_at, 'revoked_at');
  if (listed) {
    for (const key of Object.keys(c)) assert.ok(!/secret|hash/i.test(key), `a listed client must not carry "${key}"`);
  }
  return c;
}

/** Creates a client as `staff` (asserts 201 and the shape); answers it with its secret. */
async function createClient(staff, body = { name: 'Webinar platform' }, org = staff.org) {
  const created = expectStatus(await staff.post(clientsPath(org), body), 201, `creating an LRS client for ${org}`);
  assertLrsClient(created);
  assert.equal(typeof created.secret, 'string', `the secret is shown on creation: ${JSON.stringify(created)}`);
  assert.ok(created.secret.length >= 16, `a secret of some length: ${JSON.stringify(created)}`);
  assert.notEqual(created.secret, created.key, 'the secret is not the key');
  assert.equal(typeof created.endpoint, 'string', `the endpoint is given: ${JSON.stringify(created)}`);
  return created;
}

async function listClients(client, org = client.org) {
  return (await listAll(client, clientsPath(org))).map((c) => assertLrsClient(c, { listed: true }));
}

it('staff create a client: 201 with a secret shown once, the endpoint and the default scopes', async () => {
  const staff = await newOrganization();
  const created = await createClient(staff, { name: 'Webinar platform' });
  assert.equal(created.name, 'Webinar platform');
  assert.deepEqual(sorted(created.scopes), sorted(DEFAULT_SCOPES), 'the documented default scopes');
  assert.match(created.endpoint, /\/xapi\/$/, `the endpoint ends in /xapi/: ${created.endpoint}`);
  assert.doesNotThrow(() => new URL(created.endpoint), `the endpoint is an absolute URL: ${created.endpoint}`);
  assert.equal(created.last_used_at, null);
  assert.equal(created.revoked_at, null);

  const another = await createClient(staff, { name: 'Course platform' });
  assert.notEqual(another.id, created.id);
  assert.notEqual(another.key, created.key, 'every client has its own key');
  assert.notEqual(another.secret, created.secret, 'every client has its own secret');
});

it('staff choose the scopes', async () => {
  const staff = await newOrganization();
  const reader = await createClient(staff, { name: 'Reporting dashboard', scopes: ['statements/read'] });
  assert.deepEqual(reader.scopes, ['statements/read']);
  const all = await createClient(staff, { name: 'Everything', scopes: [...SCOPES] });
  assert.deepEqual(sorted(all.scopes), sorted(SCOPES));
  const two = await createClient(staff, { name: 'Forum', scopes: ['documents', 'statements/write'] });
  assert.deepEqual(sorted(two.scopes), ['documents', 'statements/write']);

  const listed = await listClients(staff);
  assert.deepEqual(sorted(listed.find((c) => c.id === reader.id).scopes), ['statements/read']);
  assert.deepEqual(sorted(listed.find((c) => c.id === two.id).scopes), ['documents', 'statements/write']);
});

it('an unknown or repeated scope and an empty name are refused with 422, and nothing is created', async () => {
  const staff = await newOrganization();
  const path = clientsPath(staff.org);

  const unknown = await staff.post(path, { name: 'Webinar platform', scopes: ['statements/write', 'statements/delete'] });
  assertProblem(unknown, 422, 'validation', { field: 'scopes[1]' });

  const first = await staff.post(path, { name: 'Webinar platform', scopes: ['everything'] });
  assertProblem(first, 422, 'validation', { field: 'scopes[0]' });

  const repeated = await staff.post(path, { name: 'Webinar platform', scopes: ['documents', 'documents'] });
  const body = assertProblem(repeated, 422, 'validation');
  assert.ok(Array.isArray(body.errors) && body.errors.some((e) => /^scopes(\[\d+\])?$/.test(e.field)),
    `a repeated scope is named in errors[]: ${JSON.stringify(body.errors)}`);

  assertProblem(await staff.post(path, { name: '', scopes: ['documents'] }), 422, 'validation', { field: 'name' });
  assertProblem(await staff.post(path, { name: '' }), 422, 'validation', { field: 'name' });

  assert.deepEqual(await listClients(staff), [], 'no client was created');
});

it('the list shows every client without its secret', async () => {
  const staff = await newOrganization();
  assert.deepEqual(await listClients(staff), [], 'a new organization has no clients');
  const created = await createClient(staff, { name: 'Discussion forum' });

  const listed = await listClients(staff);
  assert.equal(listed.length, 1);
  const [item] = listed;
  assert.equal(item.id, created.id);
  assert.equal(item.name, 'Discussion forum');
  assert.equal(item.key, created.key);
  assert.deepEqual(sorted(item.scopes), sorted(created.scopes));
  assert.equal(item.created_at, created.created_at);
  assert.equal(item.last_used_at, null);
  assert.equal(item.revoked_at, null);
  assert.ok(!('secret' in item), `the list must not carry the secret: ${JSON.stringify(item)}`);
  assert.ok(!('endpoint' in item) || item.endpoint === created.endpoint, 'an endpoint, if listed, is the same');
  const raw = await staff.get(clientsPath(staff.org));
  assert.ok(!raw.text.includes(created.secret), 'the secret appears nowhere in the list answer');

  // Each organization sees only its own clients.
  const other = await newOrganization();
  assert.deepEqual(await listClients(other), []);
});

it('people who are not staff of the organization get 403 on every route; signed out, 401', async () => {
  const staff = await newOrganization();
  const created = await createClient(staff);
  const educator = await createEducator(server, 'lrs-educator');
  const otherStaff = await newOrganization();

  for (const c of [educator, otherStaff]) {
    assertProblem(await c.get(clientsPath(staff.org)), 403, 'forbidden');
    assertProblem(await c.post(clientsPath(staff.org), { name: 'Sneaky' }), 403, 'forbidden');
    assertProblem(await c.delete(clientPath(staff.org, created.id)), 403, 'forbidden');
  }
  const nobody = anonymous();
  assertProblem(await nobody.get(clientsPath(staff.org)), 401, 'unauthenticated');
  assertProblem(await nobody.post(clientsPath(staff.org), { name: 'Sneaky' }), 401, 'unauthenticated');
  assertProblem(await nobody.delete(clientPath(staff.org, created.id)), 401, 'unauthenticated');

  // None of that changed anything.
  const listed = await listClients(staff);
  assert.deepEqual(listed.map((c) => [c.id, c.revoked_at]), [[created.id, null]]);
});

it('a cookie session needs the CSRF header to create or revoke', async () => {
  const staff = await newOrganization();
  assertProblem(await staff.post(clientsPath(staff.org), { name: 'No header' }, { csrf: false }), 403, 'csrf');
  const created = await createClient(staff);
  assertProblem(await staff.delete(clientPath(staff.org, created.id), { csrf: false }), 403, 'csrf');
  assert.equal((await listClients(staff))[0].revoked_at, null);
});

it('staff revoke a client: 204, revoked_at is set, a second revoke is 404', async () => {
  const staff = await newOrganization();
  const created = await createClient(staff, { name: 'Old webinar tool' });
  const kept = await createClient(staff, { name: 'New webinar tool' });

  const before = Date.now();
  const res = await staff.delete(clientPath(staff.org, created.id));
  expectStatus(res, 204, 'revoking a client');
  assert.equal(res.text, '', '204 has no body');

  const listed = await listClients(staff);
  const revoked = listed.find((c) => c.id === created.id);
  assert.ok(revoked, 'a revoked client stays in the list');
  assertTime(revoked.revoked_at, 'revoked_at');
  assert.ok(Date.parse(revoked.revoked_at) >= before - 2000, `revoked_at is now: ${revoked.revoked_at}`);
  assert.ok(Date.parse(revoked.revoked_at) <= Date.now() + 2000, `revoked_at is now: ${revoked.revoked_at}`);
  assert.equal(listed.find((c) => c.id === kept.id).revoked_at, null, 'the other client is untouched');

  assertProblem(await staff.delete(clientPath(staff.org, created.id)), 404, 'not-found');
  assertProblem(await staff.delete(clientPath(staff.org, 987654321)), 404, 'not-found');

  // Another organization's staff cannot revoke it through their own organization's path.
  const other = await newOrganization();
  assertProblem(await other.delete(clientPath(other.org, kept.id)), 404, 'not-found');
  assert.equal((await listClients(staff)).find((c) => c.id === kept.id).revoked_at, null);
});

it('GET /xapi/about answers the versions without authentication', async () => {
  const nobody = anonymous();
  const res = await nobody.get('/xapi/about');
  assert.equal(res.status, 200, `GET /xapi/about: ${res.status} ${res.text}`);
  assert.match(res.headers.get('content-type') || '', /^application\/json/i);
  const body = JSON.parse(res.text);
  assert.ok(Array.isArray(body.version), `version is an array: ${res.text}`);
  assert.ok(body.version.includes('1.0.3'), `1.0.3 is listed: ${res.text}`);
  assert.ok(body.version.includes('2.0.0'), `2.0.0 is listed: ${res.text}`);
  assert.ok(body.extensions && typeof body.extensions === 'object' && !Array.isArray(body.extensions),
    `extensions is an object: ${res.text}`);
  assert.equal(res.headers.get('x-experience-api-version'), '2.0.0', 'the newest version by default');

  const old = await nobody.get('/xapi/about', { headers: { 'X-Experience-API-Version': '1.0.3' } });
  assert.equal(old.status, 200, `GET /xapi/about as 1.0.3: ${old.status} ${old.text}`);
  assert.equal(old.headers.get('x-experience-api-version'), '1.0.3', 'the version the client asked for');
  assert.deepEqual(JSON.parse(old.text).version, body.version);
});

it('the CLI creates a client for an organization and prints its key, secret and endpoint', async () => {
  const staff = await newOrganization();
  const r = await runCli(['lrs-client', 'create', '--org', staff.org, '--name', 'Course platform'], { dbUrl: server.dbUrl });
  assert.equal(r.code, 0, `lrs-client create exited with ${r.code}: ${r.stderr}${r.stdout}`);
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  assert.ok(line, `a JSON object on standard output: ${r.stdout}`);
  const printed = JSON.parse(line);
  assert.equal(typeof printed.key, 'string', `key: ${line}`);
  assert.equal(typeof printed.secret, 'string', `secret: ${line}`);
  assert.ok(printed.secret.length >= 16, `a secret of some length: ${line}`);
  assert.equal(typeof printed.endpoint, 'string', `endpoint: ${line}`);
  assert.match(printed.endpoint, /\/xapi\/$/, `the endpoint ends in /xapi/: ${line}`);

  const listed = await listClients(staff);
  const mine = listed.find((c) => c.key === printed.key);
  assert.ok(mine, `the staff see the new client: ${JSON.stringify(listed)}`);
  assert.equal(mine.name, 'Course platform');
  assert.deepEqual(sorted(mine.scopes), sorted(DEFAULT_SCOPES), 'the default scopes');
  assert.equal(mine.revoked_at, null);

  const scoped = await runCli(
    ['lrs-client', 'create', '--org', staff.org, '--name', 'Reader', '--scope', 'statements/read', '--scope', 'documents'],
    { dbUrl: server.dbUrl },
  );
  assert.equal(scoped.code, 0, `lrs-client create --scope exited with ${scoped.code}: ${scoped.stderr}${scoped.stdout}`);
  const key = JSON.parse(scoped.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop()).key;
  const reader = (await listClients(staff)).find((c) => c.key === key);
  assert.ok(reader, 'the client with chosen scopes is listed');
  assert.deepEqual(sorted(reader.scopes), ['documents', 'statements/read']);
});

it('the CLI refuses an unknown organization with a clear message', async () => {
  const slug = `no-such-org-${suffix()}`;
  const r = await runCli(['lrs-client', 'create', '--org', slug, '--name', 'Webinar platform'], { dbUrl: server.dbUrl });
  assert.notEqual(r.code, 0, `an unknown organization must fail: ${r.stdout}${r.stderr}`);
  const output = `${r.stderr}\n${r.stdout}`;
  assert.ok(output.includes(slug) && /organi[sz]ation/i.test(output),
    `the message names the organization: ${output}`);
  assert.ok(!/"secret"/.test(r.stdout), `no client is printed: ${r.stdout}`);
});
