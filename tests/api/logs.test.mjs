// The access log: one JSON object per request on stdout, with no secrets.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, startServer, strongPassword, uniqueEmail } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { if (server) assert.equal(await server.stop(), 0); });

function stdoutRecords() {
  return server.logs
    .filter((l) => l.startsWith('[stdout] {'))
    .map((l) => JSON.parse(l.slice('[stdout] '.length)));
}

test('every request is logged as one JSON line with its route, status and id, and no secrets', async () => {
  const client = api(server.baseUrl);
  const email = uniqueEmail('log');
  const password = strongPassword();
  const signup = await client.post('/api/v1/accounts', { email, password, display_name: 'Log "Quoted" Name' });
  assert.equal(signup.status, 201);
  const odd = await client.get('/api/v1/tokens/%22quoted%22%5Cpath');
  assert.ok([401, 404, 405].includes(odd.status));
  const stopped = await server.stop();
  assert.equal(stopped, 0);
  const records = stdoutRecords();
  const requests = records.filter((r) => r.msg === 'request');
  const created = requests.find((r) => r.path === '/api/v1/accounts');
  assert.ok(created, 'the sign-up is logged');
  assert.equal(created.route, '/api/v1/accounts');
  assert.equal(created.status, 201);
  assert.equal(created.method, 'POST');
  assert.match(created.request_id, /^[A-Za-z0-9._-]{1,64}$/);
  assert.equal(created.request_id, signup.headers.get('x-request-id'));
  assert.equal(typeof created.duration_us, 'number');
  assert.ok(requests.some((r) => r.path.includes('"quoted"\\path')), 'odd paths survive JSON escaping');
  const all = server.logs.join('\n');
  assert.ok(!all.includes(password), 'the password never reaches the log');
  const cookie = signup.headers.get('set-cookie') || '';
  const session = /sr_session=([^;]+)/.exec(cookie)?.[1];
  assert.ok(session && !all.includes(session), 'the session token never reaches the log');
  server = null;
});
