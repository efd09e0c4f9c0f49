// Helpers for the xAPI (Learning Record Store) suites: LRS clients of partner
// organizations, raw requests to /xapi/ with Basic auth and the version header, a builder
// of unique valid statements, a real xAPI client library, and assertions on the wire.

import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import XAPI from '@xapi/xapi';
import { createPartner, expectStatus, suffix } from './activities.mjs';

/** The version the suites speak unless a test says otherwise. */
export const XAPI_VERSION = '1.0.3';

/** Every scope an LRS client can hold. */
export const ALL_SCOPES = ['statements/write', 'statements/read/mine', 'statements/read', 'documents'];

/** `stored` and `timestamp` as the LRS renders them: UTC with exactly three decimals. */
export const XAPI_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A lowercase UUID, as the LRS generates them. */
export const LOWER_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A new LRS client. Without `org`, a new approved partner organization is created for it;
 * with `org` (the staff member's client answered by an earlier call, `result.staff`), the
 * client belongs to that organization. Answers
 * { id, name, key, secret, scopes, endpoint, auth, baseUrl, staff, org, printedEndpoint }
 * where `endpoint` is where this test server really answers (`<baseUrl>/xapi/`) and
 * `printedEndpoint` is what the server printed on creation.
 */
export async function newLrsClient(server, admin, campaign, { scopes = ALL_SCOPES, org, name } = {}) {
  const staff = org || await createPartner(server, admin, campaign, { slug: `xapi-org-${suffix()}` });
  const body = { name: name || `Platform ${suffix()}`, scopes };
  const created = expectStatus(await staff.post(`/api/v1/organizations/${staff.org}/lrs-clients`, body), 201,
    `creating an LRS client for ${staff.org}`);
  return {
    id: created.id,
    name: created.name,
    key: created.key,
    secret: created.secret,
    scopes: created.scopes,
    endpoint: `${server.baseUrl}/xapi/`,
    printedEndpoint: created.endpoint,
    auth: basicAuth(created.key, created.secret),
    baseUrl: server.baseUrl,
    staff,
    org: staff.org,
  };
}

/** The Authorization value for HTTP Basic. */
export function basicAuth(user, password) {
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}

/**
 * The @xapi/xapi client library, talking to our LRS with `client`'s credentials. A failed
 * call rejects with the method, the status and the LRS's answer in the message.
 */
export function xapiLibrary(client, { version } = {}) {
  const lib = new XAPI({ endpoint: client.endpoint, auth: client.auth, ...(version ? { version } : {}) });
  return new Proxy(lib, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...a) => Promise.resolve(value.apply(target, a)).catch((err) => {
        const r = err && err.response;
        if (r) {
          const data = typeof r.data === 'string' ? r.data : JSON.stringify(r.data);
          err.message = `@xapi/xapi ${String(prop)}: ${err.message}: HTTP ${r.status} ${String(data).slice(0, 600)}`;
        }
        throw err;
      });
    },
  });
}

/**
 * A raw request to the LRS. `path` is relative to the endpoint ('statements?limit=1') or
 * absolute ('/xapi/statements?more=...'). Adds Basic auth (`auth`: another value, or null
 * for none), `X-Experience-API-Version` (`version`, or null for none) and, with a body,
 * `Content-Type: application/json`; `headers` may override any of them (a null value
 * drops the header). A string or a Buffer/Uint8Array body is sent as it is; any other body
 * is sent as JSON.
 * Answers { status, headers, text, body, bytes } (body: parsed JSON when the answer is
 * JSON; bytes: the answer's exact bytes as a Buffer).
 */
export async function xapiFetch(client, path, { method = 'GET', body, headers = {}, version = XAPI_VERSION, auth } = {}) {
  const h = {};
  const authorization = auth === undefined ? client.auth : auth;
  if (authorization !== null) h.authorization = authorization;
  if (version !== null) h['x-experience-api-version'] = version;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    h['content-type'] = 'application/json';
  }
  for (const [k, v] of Object.entries(headers)) {
    const key = k.toLowerCase();
    if (v === null || v === undefined) delete h[key];
    else h[key] = v;
  }
  const res = await fetch(new URL(path, client.endpoint), { method, headers: h, body: payload, redirect: 'manual' });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = new TextDecoder().decode(bytes); // as res.text() would decode it
  let parsed = null;
  if (/json/i.test(res.headers.get('content-type') || '') && text.length > 0) {
    try { parsed = JSON.parse(text); } catch { parsed = null; }
  }
  return { status: res.status, headers: res.headers, text, body: parsed, bytes };
}

/** A query string from an object; objects (agents) are sent as JSON. */
export function query(params) {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`)
    .join('&');
}

/** A fresh UUID (lowercase, version 4). */
export function uuid() {
  return randomUUID();
}

/** A fresh agent with its own mbox. */
export function agent(label = 'learner') {
  return { objectType: 'Agent', name: `Test ${label}`, mbox: `mailto:${label}-${randomUUID()}@example.org` };
}

/** A fresh activity IRI. */
export function activityIri(label = 'activity') {
  return `https://staffroom.example.org/xapi-tests/${label}/${randomUUID()}`;
}

/** A fresh verb IRI (for filters that must match this test's statements only). */
export function verbIri(label = 'verb') {
  return `https://staffroom.example.org/xapi-tests/verbs/${label}-${randomUUID()}`;
}

/**
 * A valid statement with a fresh actor mbox and a fresh activity id. `over` replaces
 * top-level properties; a property set to undefined is left out.
 */
export function statement(over = {}) {
  const base = {
    actor: agent(),
    verb: { id: 'http://adlnet.gov/expapi/verbs/attended', display: { 'en-US': 'attended' } },
    object: {
      objectType: 'Activity',
      id: activityIri(),
      definition: {
        name: { 'en-US': 'An online workshop' },
        type: 'http://adlnet.gov/expapi/activities/meeting',
      },
    },
  };
  const out = { ...base, ...over };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

/** A deep copy of `value`, changed by `change(copy)`. */
export function changed(value, change) {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}

function describeRes(res) {
  return `HTTP ${res.status} ${res.headers.get('content-type')}: ${String(res.text).slice(0, 600)}`;
}

/**
 * Asserts the headers every /xapi answer carries: `X-Experience-API-Version` (equal to
 * `version` when given) and a `Date` near now.
 */
export function assertXapiHeaders(res, version = XAPI_VERSION) {
  const v = res.headers.get('x-experience-api-version');
  assert.ok(v, `X-Experience-API-Version on every answer, got none: ${describeRes(res)}`);
  if (version) assert.equal(v, version, `X-Experience-API-Version: ${describeRes(res)}`);
  const date = res.headers.get('date');
  assert.ok(date, `a Date header on every answer: ${describeRes(res)}`);
  const t = Date.parse(date);
  assert.ok(!Number.isNaN(t), `Date parses: ${date}`);
  assert.ok(Math.abs(t - Date.now()) < 5 * 60_000, `Date is now: ${date}`);
}

/**
 * Asserts an xAPI error: the status, a problem+json body with status and detail, the
 * xAPI headers and, with `field` (string or array), that errors[] names each field, exactly
 * or as the parent of the named one ('actor' matches 'actor.mbox'). `what` prefixes failures.
 */
export function assertXapiProblem(res, status, { field, version = XAPI_VERSION } = {}, what = '') {
  try {
    return checkXapiProblem(res, status, field, version);
  } catch (err) {
    if (what) err.message = `${what}: ${err.message}`;
    throw err;
  }
}

function checkXapiProblem(res, status, field, version) {
  assert.equal(res.status, status, `expected ${status}, got ${describeRes(res)}`);
  assert.match(res.headers.get('content-type') || '', /^application\/problem\+json(\s*;|$)/i,
    `problem content-type, got ${describeRes(res)}`);
  const body = JSON.parse(res.text);
  assert.equal(body.status, status, `problem status member, got ${describeRes(res)}`);
  assert.match(String(body.type), /^urn:staffroom:problem:/, `problem type, got ${describeRes(res)}`);
  assert.equal(typeof body.detail, 'string', `problem detail, got ${describeRes(res)}`);
  assert.ok(body.detail.trim().length > 0, 'problem detail non-empty');
  assertXapiHeaders(res, version);
  if (field !== undefined) {
    assert.ok(Array.isArray(body.errors), `errors[] expected, got ${describeRes(res)}`);
    for (const e of body.errors) {
      assert.equal(typeof e.field, 'string', `errors[].field: ${JSON.stringify(e)}`);
      assert.equal(typeof e.message, 'string', `errors[].message: ${JSON.stringify(e)}`);
      assert.ok(e.message.length > 0, 'errors[].message non-empty');
    }
    const fields = body.errors.map((e) => e.field);
    for (const f of [].concat(field)) {
      assert.ok(fields.some((x) => x === f || x.startsWith(`${f}.`) || x.startsWith(`${f}[`)),
        `errors[] should name "${f}", got ${JSON.stringify(body.errors)}`);
    }
  }
  return body;
}

/** Asserts a 401 with the Basic challenge. */
export function assertUnauthorized(res, version = XAPI_VERSION) {
  assertXapiProblem(res, 401, { version });
  assert.equal(res.headers.get('www-authenticate'), 'Basic realm="xAPI"', `the Basic challenge: ${describeRes(res)}`);
}

/** Asserts a StatementResult {statements: [...], more: ""|"/xapi/statements?more=..."}. */
export function assertStatementResult(body) {
  assert.ok(body && typeof body === 'object', `a StatementResult, got ${JSON.stringify(body)}`);
  assert.ok(Array.isArray(body.statements), `statements is an array: ${JSON.stringify(body).slice(0, 400)}`);
  assert.equal(typeof body.more, 'string', `more is always present as a string: ${JSON.stringify(body).slice(0, 400)}`);
  if (body.more !== '') {
    assert.ok(body.more.startsWith('/xapi/statements?more='), `more is a relative URL /xapi/statements?more=...: ${body.more}`);
  }
  return body;
}

/** Asserts `stored`/`timestamp` format. */
export function assertXapiTime(value, what) {
  assert.equal(typeof value, 'string', `${what} is a string: ${JSON.stringify(value)}`);
  assert.match(value, XAPI_TIME, `${what} is UTC with three decimals: ${value}`);
  assert.ok(!Number.isNaN(Date.parse(value)), `${what} parses: ${value}`);
}

/** Sleeps `ms` milliseconds (so that successive statements get distinct `stored`). */
export function pause(ms = 5) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An IMF-fixdate (RFC 9110), as in Date and Last-Modified: `Sun, 06 Nov 1994 08:49:37 GMT`. */
export const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** The strong ETag the LRS gives a document: `"` + SHA-1 hex of its bytes + `"`. */
export function sha1Etag(content) {
  return `"${createHash('sha1').update(content).digest('hex')}"`;
}
