// The served OpenAPI document matches docs/API.md and the routes the server answers.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { documentedRoutes, operations, pathParams, ROLES } from '../lib/contract.mjs';
import { assertProblem } from '../lib/problem.mjs';
import { api, startServer, withLogs } from '../lib/server.mjs';

let server;
let client;
let doc;
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  // This suite walks every documented path with every method, more requests than one
  // address may send in a burst; the limiter has its own tests.
  server = await startServer({ args: ['--rate-limit', '0'] });
  client = api(server.baseUrl);
  const res = await client.get('/api/v1/openapi.json');
  assert.equal(res.status, 200, res.text);
  doc = JSON.parse(res.text);
});
after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM');
});

function resolveRef(ref) {
  assert.ok(ref.startsWith('#/'), `only local $refs expected, got ${ref}`);
  let node = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    assert.ok(node && typeof node === 'object' && key in node, `$ref ${ref} resolves`);
    node = node[key];
  }
  return node;
}

const deref = (x) => (x && x.$ref ? resolveRef(x.$ref) : x);

describe('OpenAPI document', () => {
  it('is served as JSON and is OpenAPI 3.1', async () => {
    const res = await client.get('/api/v1/openapi.json');
    assert.match(res.headers.get('content-type') || '', /^application\/(vnd\.oai\.openapi\+)?json/);
    assert.equal(typeof doc.openapi, 'string');
    assert.ok(doc.openapi.startsWith('3.1'), `openapi is 3.1.x, got ${doc.openapi}`);
    assert.equal(typeof doc.info?.title, 'string');
    assert.equal(typeof doc.info?.version, 'string');
    assert.ok(doc.paths && typeof doc.paths === 'object', 'paths object');
  });

  it('has every route of the docs/API.md table with its role', async () => {
    const missing = [];
    const wrongRole = [];
    for (const r of documentedRoutes()) {
      const op = doc.paths?.[r.path]?.[r.method.toLowerCase()];
      if (!op) missing.push(`${r.method} ${r.path}`);
      else if (op['x-staffroom-role'] !== r.role) wrongRole.push(`${r.method} ${r.path}: ${op['x-staffroom-role']} (documented ${r.role})`);
    }
    assert.deepEqual(missing, [], 'documented routes missing from the OpenAPI document');
    assert.deepEqual(wrongRole, [], 'x-staffroom-role differs from docs/API.md');
  });

  it('every operation has a unique operationId, responses and a known role', async () => {
    const ids = new Set();
    const ops = operations(doc);
    assert.ok(ops.length >= documentedRoutes().length);
    for (const { method, path, op } of ops) {
      const where = `${method} ${path}`;
      assert.equal(typeof op.operationId, 'string', `${where}: operationId`);
      assert.ok(op.operationId.length > 0, `${where}: operationId non-empty`);
      assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} is unique`);
      ids.add(op.operationId);
      assert.ok(op.responses && typeof op.responses === 'object', `${where}: responses`);
      const codes = Object.keys(op.responses);
      assert.ok(codes.length > 0, `${where}: at least one response`);
      for (const code of codes) {
        assert.match(code, /^([1-5](\d\d|XX)|default)$/, `${where}: response key ${code}`);
        const r = deref(op.responses[code]);
        assert.equal(typeof r.description, 'string', `${where} ${code}: response description`);
      }
      assert.ok(ROLES.includes(op['x-staffroom-role']), `${where}: x-staffroom-role ${op['x-staffroom-role']} is a known role`);
    }
  });

  it('declares every path parameter, and request bodies as JSON (or CSV where the docs say text/csv)', async () => {
    const csvBodies = new Set(documentedRoutes().filter((r) => r.request.includes('`text/csv`')).map((r) => `${r.method} ${r.path}`));
    for (const { method, path, op, pathItem } of operations(doc)) {
      const params = [...(pathItem.parameters || []), ...(op.parameters || [])].map(deref);
      for (const name of pathParams(path)) {
        const p = params.find((x) => x.in === 'path' && x.name === name);
        assert.ok(p, `${method} ${path}: path parameter ${name} is declared`);
        assert.equal(p.required, true, `${method} ${path}: path parameter ${name} is required`);
      }
      if (op.requestBody) {
        const body = deref(op.requestBody);
        const type = csvBodies.has(`${method} ${path}`) ? 'text/csv' : 'application/json';
        assert.ok(body.content?.[type], `${method} ${path}: request body is ${type}`);
      }
    }
  });

  it('every $ref resolves', async () => {
    const walk = (node) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        if (typeof node.$ref === 'string') resolveRef(node.$ref);
        Object.values(node).forEach(walk);
      }
    };
    walk(doc);
  });
});

describe('the server matches the document', () => {
  it('a path not in the document gets a 404 problem', async () => {
    const noise = randomBytes(4).toString('hex');
    const paths = Object.keys(doc.paths);
    const candidates = [`/api/v1/${noise}`, `/api/v1/accounts/${noise}`, `/api/v1/me/${noise}`, `/api/${noise}`];
    for (const p of candidates) {
      assert.ok(!paths.includes(p));
      assertProblem(await client.get(p), 404, 'not-found', { instance: p });
    }
  });

  it('methods the document does not list for a path get 405 with Allow', async () => {
    const unsafe = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
    for (const [p, item] of Object.entries(doc.paths)) {
      const listed = unsafe.filter((m) => item[m.toLowerCase()]);
      const concrete = p.replace(/\{[^}]+\}/g, '1');
      for (const m of unsafe.filter((x) => !listed.includes(x))) {
        const res = await client.request(m, concrete, m === 'GET' || m === 'DELETE' ? {} : { json: {} });
        assertProblem(res, 405, 'method-not-allowed');
        const allow = (res.headers.get('allow') || '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
        for (const x of listed) assert.ok(allow.includes(x), `${m} ${p}: Allow lists ${x}, got "${res.headers.get('allow')}"`);
        for (const x of allow) assert.ok([...listed, 'HEAD', 'OPTIONS'].includes(x), `${m} ${p}: Allow lists ${x} which the document does not`);
      }
    }
  });
});
