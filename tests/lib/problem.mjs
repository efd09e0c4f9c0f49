// Assertions shared by the API tests.

import assert from 'node:assert/strict';

const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function describe(res) {
  return `HTTP ${res.status} ${res.headers.get ? res.headers.get('content-type') : res.headers['content-type']}: ${String(res.text).slice(0, 600)}`;
}

function header(res, name) {
  return res.headers.get ? res.headers.get(name) : res.headers[name.toLowerCase()];
}

/**
 * Asserts that `res` is an RFC 9457 problem with the given status and code.
 * With `field` (string or array), asserts `errors[]` names each field.
 * Works for answers of the api() client and of raw-http parseResponse().
 */
export function assertProblem(res, status, code, { field, instance } = {}) {
  assert.equal(res.status, status, `expected ${status} ${code}, got ${describe(res)}`);
  const type = header(res, 'content-type') || '';
  assert.match(type, /^application\/problem\+json(\s*;|$)/i, `problem content-type, got ${describe(res)}`);
  let body = res.body;
  if (!body || typeof body !== 'object' || Buffer.isBuffer(body)) body = JSON.parse(res.text);
  assert.equal(body.type, `urn:staffroom:problem:${code}`, `problem type, got ${describe(res)}`);
  assert.equal(body.status, status, `problem status member, got ${describe(res)}`);
  assert.equal(typeof body.title, 'string', 'problem title');
  assert.ok(body.title.length > 0, 'problem title non-empty');
  assert.equal(typeof body.detail, 'string', `problem detail, got ${describe(res)}`);
  assert.ok(body.detail.trim().length > 0, 'problem detail non-empty');
  if (instance !== undefined) assert.equal(body.instance, instance, 'problem instance');
  if (field !== undefined) {
    assert.ok(Array.isArray(body.errors), `errors[] expected, got ${describe(res)}`);
    const fields = body.errors.map((e) => e.field);
    for (const e of body.errors) {
      assert.equal(typeof e.message, 'string', 'errors[].message');
      assert.ok(e.message.length > 0, 'errors[].message non-empty');
    }
    for (const f of [].concat(field)) {
      assert.ok(fields.includes(f), `errors[] should name "${f}", got ${JSON.stringify(body.errors)}`);
    }
  }
  return body;
}

/** Asserts a 2xx-or-other exact status with a readable message. */
export function assertStatus(res, status) {
  assert.equal(res.status, status, `expected ${status}, got ${describe(res)}`);
  return res.body;
}

export function assertTime(value, what = 'time') {
  assert.equal(typeof value, 'string', `${what} should be a string, got ${JSON.stringify(value)}`);
  assert.match(value, RFC3339_UTC, `${what} should be RFC 3339 UTC, got ${value}`);
  assert.ok(!Number.isNaN(Date.parse(value)), `${what} should parse`);
}

/** Asserts the documented User shape and that nothing secret leaks. */
export function assertUser(user, { email, display_name } = {}) {
  assert.ok(user && typeof user === 'object', `user object expected, got ${JSON.stringify(user)}`);
  assert.ok(Number.isInteger(user.id), `user.id integer, got ${JSON.stringify(user.id)}`);
  assert.equal(typeof user.email, 'string');
  if (email !== undefined) assert.equal(user.email, email);
  if (display_name !== undefined) assert.equal(user.display_name, display_name);
  assertTime(user.created_at, 'user.created_at');
  assert.ok(Array.isArray(user.roles), 'user.roles is an array');
  for (const g of user.roles) assertGrant(g);
  for (const key of Object.keys(user)) {
    assert.ok(!/password|hash|secret/i.test(key), `user object must not carry "${key}"`);
  }
}

export function assertGrant(g) {
  assert.ok(Number.isInteger(g.id), `grant.id integer: ${JSON.stringify(g)}`);
  assert.ok(['educator', 'org_staff', 'district_admin', 'campaign_organizer', 'site_admin'].includes(g.role), `grant.role: ${JSON.stringify(g)}`);
  assert.ok([null, 'organization', 'district', 'campaign'].includes(g.scope_type), `grant.scope_type: ${JSON.stringify(g)}`);
  assert.ok('scope_id' in g, `grant.scope_id present: ${JSON.stringify(g)}`);
}

/** Asserts the list envelope {items: [...], next: string|null}. */
export function assertList(body) {
  assert.ok(body && Array.isArray(body.items), `list envelope expected, got ${JSON.stringify(body)}`);
  assert.ok(body.next === null || typeof body.next === 'string', `next should be null or a cursor, got ${JSON.stringify(body.next)}`);
  return body.items;
}

/** Reads every page of a list route. */
export async function listAll(client, path, { limit = 100, maxPages = 50 } = {}) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page += 1) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await client.get(url);
    assertStatus(res, 200);
    items.push(...assertList(res.body));
    cursor = res.body.next;
    if (!cursor) return items;
  }
  throw new Error(`${path}: more than ${maxPages} pages`);
}
