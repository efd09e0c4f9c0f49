// Every route of the OpenAPI document is refused to callers without the role it requires.
// Generic over the document, so routes added later are covered automatically.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { operations, pathParams, ROLES } from '../lib/contract.mjs';
import { assertGrant, assertProblem, assertStatus, assertUser, listAll } from '../lib/problem.mjs';
import { api, createSiteAdmin, signUp, startServer, withLogs } from '../lib/server.mjs';

let server;
let ops;
let admin;
let educator; // cookie session
let educatorBot; // bearer token
const ids = {};
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  // Every operation is called in quick succession, from one address, as several
  // accounts: more than the per-address rate limit lets through (the limiter has tests of
  // its own in core_test), so it is off for this server.
  server = await startServer({ args: ['--rate-limit', '0'] });
  const res = await api(server.baseUrl).get('/api/v1/openapi.json');
  assert.equal(res.status, 200, res.text);
  ops = operations(JSON.parse(res.text));

  admin = await createSiteAdmin(server);
  educator = api(server.baseUrl);
  await signUp(educator, { display_name: 'Plain Educator' });
  const token = await educator.post('/api/v1/tokens', { name: 'roles-test' });
  assert.equal(token.status, 201, token.text);
  educatorBot = api(server.baseUrl);
  educatorBot.bearer = token.body.token;

  // Another account holding a grant, so that grant routes have real ids to aim at.
  const grantee = api(server.baseUrl);
  await signUp(grantee, { display_name: 'Grantee' });
  const grant = await admin.post(`/api/v1/users/${grantee.user.id}/roles`, { role: 'site_admin', scope_type: null, scope_id: null });
  assert.equal(grant.status, 201, `granting a role: ${grant.text}`);
  assertGrant(grant.body);
  ids.users = grantee.user.id;
  ids.grant_id = grant.body.id;
  ids.tokens = token.body.id;
  ids.fallback = educator.user.id;
});
after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM');
});

/** Fills path parameters with ids of things that exist. */
function concretePath(template) {
  let out = template;
  for (const name of pathParams(template)) {
    const segments = template.split('/');
    const idx = segments.indexOf(`{${name}}`);
    const resource = segments[idx - 1];
    const value = ids[name] ?? ids[resource] ?? ids.fallback;
    out = out.replace(`{${name}}`, String(value));
  }
  return out;
}

function call(client, method, path) {
  const withBody = ['POST', 'PUT', 'PATCH'].includes(method);
  return client.request(method, path, withBody ? { json: {} } : {});
}

describe('roles', () => {
  it('the document lists operations with known roles', () => {
    assert.ok(ops.length > 0);
    for (const { method, path, op } of ops) {
      assert.ok(ROLES.includes(op['x-staffroom-role']), `${method} ${path}: unknown role ${op['x-staffroom-role']}`);
    }
  });

  it('every non-public operation refuses anonymous callers with 401', async () => {
    const failures = [];
    for (const { method, path, op } of ops) {
      if (op['x-staffroom-role'] === 'public') continue;
      const url = concretePath(path);
      for (const [label, c] of [['no credentials', api(server.baseUrl)], ['a bogus bearer token', Object.assign(api(server.baseUrl), { bearer: 'bogus-token' })]]) {
        const res = await call(c, method, url);
        try {
          assertProblem(res, 401, 'unauthenticated');
        } catch (err) {
          failures.push(`${method} ${url} with ${label}: ${err.message.split('\n')[0]}`);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('every operation needing more than an account refuses a plain educator with 403', async () => {
    const failures = [];
    let checked = 0;
    for (const { method, path, op } of ops) {
      const role = op['x-staffroom-role'];
      if (role === 'public' || role === 'educator') continue;
      const url = concretePath(path);
      for (const [label, c] of [['cookie session', educator], ['bearer token', educatorBot]]) {
        const res = await call(c, method, url);
        checked += 1;
        // site_admin routes must say forbidden; scoped routes may also hide the resource.
        const expected = role === 'site_admin' ? [403] : [403, 404];
        if (!expected.includes(res.status)) {
          failures.push(`${method} ${url} as educator (${label}): expected ${expected.join(' or ')}, got ${res.status} ${res.text.slice(0, 200)}`);
          continue;
        }
        try {
          assertProblem(res, res.status, res.status === 403 ? 'forbidden' : 'not-found');
        } catch (err) {
          failures.push(`${method} ${url} as educator (${label}): ${err.message.split('\n')[0]}`);
        }
      }
    }
    assert.ok(checked > 0, 'at least one elevated operation exists');
    assert.deepEqual(failures, []);
    // The grant the educator tried to delete is still there.
    const users = await listAll(admin, '/api/v1/users');
    const grantee = users.find((u) => u.id === ids.users);
    assert.ok(grantee, 'grantee listed');
    assert.ok(grantee.roles.some((g) => g.id === ids.grant_id), 'grant survived the refused calls');
  });

  it('a site admin can read the site_admin lists', async () => {
    for (const { method, path, op } of ops) {
      if (op['x-staffroom-role'] !== 'site_admin' || method !== 'GET') continue;
      const res = await admin.get(concretePath(path));
      assertStatus(res, 200);
    }
    const users = await listAll(admin, '/api/v1/users');
    assert.ok(users.length >= 3);
    for (const u of users) assertUser(u);
    const me = users.find((u) => u.id === educator.user.id);
    assert.ok(me, 'the educator is listed');
    assert.ok(!me.roles.some((g) => g.role === 'site_admin'), 'the educator holds no site_admin grant');
  });

  it('granting and revoking a role changes what the account may do', async () => {
    const target = api(server.baseUrl);
    await signUp(target, { display_name: 'Promoted' });
    assertProblem(await target.get('/api/v1/users'), 403, 'forbidden');
    const g = await admin.post(`/api/v1/users/${target.user.id}/roles`, { role: 'site_admin', scope_type: null, scope_id: null });
    assertStatus(g, 201);
    assert.equal(g.body.role, 'site_admin');
    assert.equal(g.body.scope_type, null);
    assert.equal(g.body.scope_id, null);
    assertStatus(await target.get('/api/v1/users'), 200);
    assertStatus(await admin.delete(`/api/v1/users/${target.user.id}/roles/${g.body.id}`), 204);
    assertProblem(await target.get('/api/v1/users'), 403, 'forbidden');
    assertProblem(await admin.delete(`/api/v1/users/${target.user.id}/roles/${g.body.id}`), 404, 'not-found');
    assertProblem(await admin.post(`/api/v1/users/${target.user.id}/roles`, { role: 'emperor', scope_type: null, scope_id: null }),
      422, 'validation', { field: 'role' });
    assertProblem(await admin.post('/api/v1/users/999999999/roles', { role: 'site_admin', scope_type: null, scope_id: null }),
      404, 'not-found');
  });
});
