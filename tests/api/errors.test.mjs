// Error answers, request limits and HTTP/1.1 connection handling.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { assertProblem } from '../lib/problem.mjs';
import { connect, rawRequest } from '../lib/raw-http.mjs';
import { api, startServer, strongPassword, uniqueEmail, withLogs } from '../lib/server.mjs';

let server;
let client;
const it = (name, fn) => test(name, withLogs(() => server, fn));
const MiB = 1024 * 1024;

before(async () => {
  server = await startServer();
  client = api(server.baseUrl);
});
after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM');
});

async function stillServing() {
  const res = await api(server.baseUrl).get('/healthz');
  assert.equal(res.status, 200, 'the server still answers /healthz');
}

/** One request on a fresh raw connection; returns the parsed response. */
async function rawOnce(bytes, opts) {
  const conn = await connect(server.port);
  try {
    await conn.send(bytes);
    return await conn.readResponse(opts);
  } finally {
    conn.close();
  }
}

describe('error answers', () => {
  it('unknown route: 404 problem', async () => {
    assertProblem(await client.get('/api/v1/no-such-thing'), 404, 'not-found', { instance: '/api/v1/no-such-thing' });
    assertProblem(await client.post('/api/v1/no-such-thing', {}), 404, 'not-found');
    assertProblem(await client.get('/api/v2/accounts'), 404, 'not-found');
  });

  it('every problem carries a request_id', async () => {
    const res = await client.get('/api/v1/no-such-thing');
    assert.equal(typeof res.body.request_id, 'string');
    assert.ok(res.body.request_id.length > 0);
    const other = await client.get('/api/v1/no-such-thing');
    assert.notEqual(other.body.request_id, res.body.request_id, 'request ids differ');
  });

  it('wrong method: 405 with Allow', async () => {
    const cases = [
      ['DELETE', '/api/v1/me', ['GET', 'PATCH']],
      ['POST', '/healthz', ['GET']],
      ['GET', '/api/v1/accounts', ['POST']],
      ['PUT', '/api/v1/tokens', ['GET', 'POST']],
      ['GET', '/api/v1/sessions/current', ['DELETE']],
    ];
    for (const [method, path, allowed] of cases) {
      const res = await client.request(method, path, method === 'GET' ? {} : { json: {} });
      assertProblem(res, 405, 'method-not-allowed');
      const allow = (res.headers.get('allow') || '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
      for (const m of allowed) assert.ok(allow.includes(m), `${method} ${path}: Allow lists ${m}, got "${res.headers.get('allow')}"`);
      for (const m of allow) {
        assert.ok([...allowed, 'HEAD', 'OPTIONS'].includes(m), `${method} ${path}: Allow should not list ${m}`);
      }
    }
  });

  it('malformed JSON: 400 bad-request', async () => {
    for (const body of ['{"email":', 'not json', '{"email": "a@b.org",}', '']) {
      const res = await client.request('POST', '/api/v1/accounts', {
        body, headers: { 'content-type': 'application/json' },
      });
      assertProblem(res, 400, 'bad-request');
    }
  });

  it('JSON of the wrong shape: 422 (or 400) with a clear detail', async () => {
    const shapes = [[], [1, 2], 'a string', 42, null, true];
    for (const value of shapes) {
      const res = await client.request('POST', '/api/v1/accounts', {
        body: JSON.stringify(value), headers: { 'content-type': 'application/json' },
      });
      assert.ok([400, 422].includes(res.status), `${JSON.stringify(value)}: 400 or 422, got ${res.status} ${res.text}`);
      assertProblem(res, res.status, res.status === 400 ? 'bad-request' : 'validation');
    }
    const typed = await client.post('/api/v1/accounts', { email: 5, password: strongPassword(), display_name: 'Num' });
    assert.ok([400, 422].includes(typed.status), `number for email: 400 or 422, got ${typed.status} ${typed.text}`);
    if (typed.status === 422) assertProblem(typed, 422, 'validation', { field: 'email' });
    else assert.match(assertProblem(typed, 400, 'bad-request').detail, /email/i, 'the detail names the field');
    const nested = await client.post('/api/v1/accounts', { email: { a: 1 }, password: ['x'], display_name: 'Obj' });
    assert.ok([400, 422].includes(nested.status), `objects for strings: 400 or 422, got ${nested.status}`);
  });

  it('wrong content type: 415', async () => {
    const body = JSON.stringify({ email: uniqueEmail(), password: strongPassword(), display_name: 'X' });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx', 'multipart/form-data; boundary=x']) {
      const res = await client.request('POST', '/api/v1/accounts', { body, headers: { 'content-type': type } });
      assertProblem(res, 415, 'unsupported-media-type');
    }
    // No content type at all, with a body.
    const bare = await rawOnce(rawRequest('POST', '/api/v1/accounts', { body: Buffer.from(body) }));
    assertProblem(bare, 415, 'unsupported-media-type');
  });

  it('application/json with parameters is accepted', async () => {
    const res = await client.request('POST', '/api/v1/accounts', {
      body: JSON.stringify({ email: uniqueEmail(), password: strongPassword(), display_name: 'Charset' }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    assert.equal(res.status, 201, res.text);
  });

  it('body over 1 MiB: 413, and exactly 1 MiB is read', async () => {
    const conn = await connect(server.port);
    const big = Buffer.alloc(MiB + 1, 0x20);
    big.write('{"email":"x@example.org","password":"0123456789ab","display_name":"Big"}');
    try {
      await conn.send(rawRequest('POST', '/api/v1/accounts', {
        headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
      }));
      // The server may answer from the declared length alone; only if it waits for the
      // body, send it (in pieces, stopping once an answer arrives).
      let res = await conn.readResponse({ timeoutMs: 1500 }).catch(() => null);
      if (!res) {
        for (let off = 0; off < big.length && conn.buffer.length === 0 && !conn.state.closed; off += 64 * 1024) {
          try {
            await conn.send(big.subarray(off, off + 64 * 1024));
          } catch {
            break;
          }
        }
        res = await conn.readResponse({ timeoutMs: 10_000 });
      }
      assertProblem(res, 413, 'payload-too-large');
    } finally {
      conn.close();
    }

    const exact = Buffer.alloc(MiB, 0x20);
    exact.write(JSON.stringify({ email: uniqueEmail('mib'), password: strongPassword(), display_name: 'Exactly' }));
    const res = await rawOnce(rawRequest('POST', '/api/v1/accounts', {
      headers: { 'content-type': 'application/json' }, body: exact,
    }), { timeoutMs: 10_000 });
    assert.equal(res.status, 201, `exactly 1 MiB of JSON is accepted: ${res.status} ${res.text}`);
    await stillServing();
  });

  it('chunked request bodies are read, and limited to 1 MiB too', async () => {
    const body = JSON.stringify({ email: uniqueEmail('chunked'), password: strongPassword(), display_name: 'Chunked' });
    const half = Math.floor(body.length / 2);
    const small = await rawOnce(
      `POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`
      + `${half.toString(16)}\r\n${body.slice(0, half)}\r\n${(body.length - half).toString(16)}\r\n${body.slice(half)}\r\n0\r\n\r\n`,
    );
    assert.equal(small.status, 201, `a chunked sign-up works: ${small.status} ${small.text}`);

    const conn = await connect(server.port);
    try {
      await conn.send('POST /api/v1/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = `10000\r\n${' '.repeat(0x10000)}\r\n`;
      for (let i = 0; i < 40 && conn.buffer.length === 0 && !conn.state.closed; i += 1) {
        try {
          await conn.send(chunk);
        } catch {
          break;
        }
      }
      assertProblem(await conn.readResponse({ timeoutMs: 10_000 }), 413, 'payload-too-large');
    } finally {
      conn.close();
    }
  });

  it('huge declared Content-Length: 413 without waiting for the body', async () => {
    const res = await rawOnce(rawRequest('POST', '/api/v1/accounts', {
      headers: { 'content-type': 'application/json', 'content-length': String(50 * MiB) },
    }), { timeoutMs: 5000 });
    assertProblem(res, 413, 'payload-too-large');
  });
});

describe('malformed HTTP', () => {
  it('a garbage request line gets 400 and the server stays up', async () => {
    for (const garbage of ['HELLO THERE\r\n\r\n', 'GET\r\n\r\n', '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n']) {
      const conn = await connect(server.port);
      try {
        await conn.send(Buffer.from(garbage, 'latin1'));
        const res = await conn.readResponse({ timeoutMs: 5000 });
        assert.ok(res.status === 400 || (garbage.includes('HTTP/9.9') && res.status === 505),
          `${JSON.stringify(garbage)}: expected 400, got ${res.status}`);
        assert.ok(await conn.waitClosed(5000), 'the connection is closed after a malformed request');
      } finally {
        conn.close();
      }
    }
    await stillServing();
  });

  it('a bad header line or conflicting lengths get 400', async () => {
    const cases = [
      'GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n',
      'POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n12345',
      'POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\n',
      'POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    ];
    for (const c of cases) {
      const res = await rawOnce(Buffer.from(c, 'latin1'));
      assert.equal(res.status, 400, `${JSON.stringify(c)}: expected 400, got ${res.status}`);
    }
    await stillServing();
  });

  it('headers over 16 KiB get 431', async () => {
    const res = await rawOnce(rawRequest('GET', '/healthz', { headers: { 'x-big': 'a'.repeat(17 * 1024) } }));
    assertProblem(res, 431, 'header-too-large');
    const many = {};
    for (let i = 0; i < 400; i += 1) many[`x-h-${i}`] = 'v'.repeat(40);
    assertProblem(await rawOnce(rawRequest('GET', '/healthz', { headers: many })), 431, 'header-too-large');
    const fine = await rawOnce(rawRequest('GET', '/healthz', { headers: { 'x-big': 'a'.repeat(8 * 1024) } }));
    assert.equal(fine.status, 200, 'headers of 8 KiB are fine');
    await stillServing();
  });
});

describe('connections', () => {
  it('pipelined requests in one write are all answered in order', async () => {
    const conn = await connect(server.port);
    try {
      const creds = { email: uniqueEmail('pipe'), password: strongPassword() };
      await conn.send(Buffer.concat([
        rawRequest('GET', '/healthz'),
        rawRequest('POST', '/api/v1/sessions', { body: creds }),
        rawRequest('GET', '/readyz'),
        rawRequest('GET', '/api/v1/nothing-here'),
        rawRequest('GET', '/healthz'),
      ]));
      const [a, b, c, d, e] = await conn.readResponses(5, { timeoutMs: 5000 });
      assert.equal(a.status, 200);
      assert.deepEqual(JSON.parse(a.text), { status: 'ok' });
      assertProblem(b, 401, 'unauthenticated');
      assert.equal(c.status, 200);
      assert.equal(JSON.parse(c.text).status, 'ready');
      assertProblem(d, 404, 'not-found', { instance: '/api/v1/nothing-here' });
      assert.equal(e.status, 200);
      assert.equal(conn.state.closed, false, 'the connection stays open');
    } finally {
      conn.close();
    }
  });

  it('keep-alive reuses the connection; Connection: close closes it', async () => {
    const conn = await connect(server.port);
    try {
      for (let i = 0; i < 5; i += 1) {
        await conn.send(rawRequest('GET', '/healthz'));
        const res = await conn.readResponse();
        assert.equal(res.status, 200);
        assert.ok(!/close/i.test(res.headers.connection || ''), 'no Connection: close on keep-alive');
      }
      assert.equal(conn.state.closed, false);
      await conn.send(rawRequest('GET', '/healthz', { headers: { connection: 'close' } }));
      const last = await conn.readResponse();
      assert.equal(last.status, 200);
      assert.ok(await conn.waitClosed(3000), 'closed after Connection: close');
    } finally {
      conn.close();
    }
  });

  it('HTTP/1.0 without keep-alive gets an answer and a close', async () => {
    const conn = await connect(server.port);
    try {
      await conn.send('GET /healthz HTTP/1.0\r\n\r\n');
      const res = await conn.readResponse();
      assert.equal(res.status, 200);
      assert.ok(await conn.waitClosed(3000), 'closed after an HTTP/1.0 response');
    } finally {
      conn.close();
    }
  });

  it('error answers keep the connection usable when the body was read', async () => {
    const conn = await connect(server.port);
    try {
      await conn.send(rawRequest('POST', '/api/v1/accounts', { headers: { 'content-type': 'text/plain' }, body: 'hello' }));
      assertProblem(await conn.readResponse(), 415, 'unsupported-media-type');
      await conn.send(rawRequest('GET', '/healthz'));
      assert.equal((await conn.readResponse()).status, 200);
    } finally {
      conn.close();
    }
  });
});

describe('slow clients', () => {
  let slow;
  before(async () => {
    slow = await startServer({ args: ['--read-timeout-ms', '1000'] });
  });
  after(async () => {
    if (slow) assert.equal(await slow.stop(), 0);
  });

  test('half a request line and then silence: disconnected after the read timeout', withLogs(() => slow, async () => {
    const conn = await connect(slow.port);
    const started = Date.now();
    try {
      await conn.send('GET /heal');
      const closed = await conn.waitClosed(5000);
      const took = Date.now() - started;
      assert.ok(closed, 'the server closes a silent half request within 5 s');
      assert.ok(took >= 800, `not before the read timeout (${took} ms)`);
      if (conn.buffer.length > 0) {
        const text = conn.buffer.toString('latin1');
        assert.match(text, /^HTTP\/1\.1 408 /, `only a 408 may be sent before closing, got ${JSON.stringify(text.slice(0, 80))}`);
      }
    } finally {
      conn.close();
    }
    const res = await api(slow.baseUrl).get('/healthz');
    assert.equal(res.status, 200);
  }));

  test('half a body and then silence: disconnected too', withLogs(() => slow, async () => {
    const conn = await connect(slow.port);
    try {
      await conn.send('POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":');
      assert.ok(await conn.waitClosed(5000), 'closed within 5 s');
    } finally {
      conn.close();
    }
  }));

  test('a client sending a request in pieces within the timeout is answered', withLogs(() => slow, async () => {
    const conn = await connect(slow.port);
    try {
      const req = rawRequest('GET', '/healthz').toString('latin1');
      // three pieces, 300 ms apart: well within the read timeout
      const cut = [0, 8, 20, req.length];
      for (let i = 0; i < 3; i += 1) {
        await conn.send(req.slice(cut[i], cut[i + 1]));
        if (i < 2) await new Promise((r) => setTimeout(r, 300));
      }
      const res = await conn.readResponse({ timeoutMs: 3000 });
      assert.equal(res.status, 200);
    } finally {
      conn.close();
    }
  }));
});
