// Graceful stop on SIGTERM: requests in flight finish, then the process exits with 0.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertProblem } from '../lib/problem.mjs';
import { connect, rawRequest } from '../lib/raw-http.mjs';
import { startServer, strongPassword, uniqueEmail, withLogs } from '../lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function exitWithin(server, ms) {
  let t;
  const code = await Promise.race([
    server.exited,
    new Promise((resolve) => { t = setTimeout(() => resolve('still running'), ms); }),
  ]);
  clearTimeout(t);
  return code;
}

describe('graceful stop', () => {
  test('a request whose body is still arriving at SIGTERM gets its full answer', async () => {
    const server = await startServer();
    await withLogs(server, async () => {
      try {
        const body = Buffer.from(JSON.stringify({ email: uniqueEmail('inflight'), password: strongPassword() }));
        const half = Math.floor(body.length / 2);
        const conn = await connect(server.port);
        await conn.send(Buffer.concat([
          rawRequest('POST', '/api/v1/sessions', {
            headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
          }),
          body.subarray(0, half),
        ]));
        await sleep(100);
        server.process.kill('SIGTERM');
        await sleep(300);
        assert.equal(server.process.exitCode, null, 'the server waits for the request in flight');
        await conn.send(body.subarray(half));
        const res = await conn.readResponse({ timeoutMs: 5000 });
        assertProblem(res, 401, 'unauthenticated');
        conn.close();
        assert.equal(await exitWithin(server, 10_000), 0, 'exit code 0 after draining');
      } finally {
        await server.stop('SIGKILL');
      }
    })();
  });

  test('an idle keep-alive connection does not hold up the exit', async () => {
    const server = await startServer();
    await withLogs(server, async () => {
      try {
        const conn = await connect(server.port);
        await conn.send(rawRequest('GET', '/healthz'));
        assert.equal((await conn.readResponse()).status, 200);
        const started = Date.now();
        server.process.kill('SIGTERM');
        assert.equal(await exitWithin(server, 5000), 0, 'exits with 0 within 5 s');
        assert.ok(Date.now() - started < 5000);
        assert.ok(await conn.waitClosed(1000), 'the idle connection was closed');
        conn.close();
      } finally {
        await server.stop('SIGKILL');
      }
    })();
  });

  test('busy keep-alive clients during SIGTERM never see a cut-off response', async () => {
    // No per-address request limit here: the point is load during the stop, not throttling.
    const server = await startServer({ args: ['--rate-limit', '0'] });
    await withLogs(server, async () => {
      const stats = { complete: 0, afterSignal: 0, emptyCloses: 0, emptyResets: 0, refused: 0, byStatus: {} };
      const problems = [];
      let signalled = false;
      let stopping = false;

      const requests = [
        () => rawRequest('GET', '/healthz'),
        () => rawRequest('POST', '/api/v1/sessions', { body: { email: uniqueEmail('busy'), password: 'wrong-password-x' } }),
        () => rawRequest('GET', '/api/v1/me'),
        () => rawRequest('GET', '/readyz'),
      ];

      async function worker(n) {
        let i = n;
        while (!stopping) {
          let conn;
          try {
            conn = await connect(server.port);
          } catch (err) {
            if (err.code === 'ECONNREFUSED' || err.code === 'ECONNRESET') { stats.refused += 1; return; }
            problems.push(`worker ${n}: connect failed: ${err.code || err.message}`);
            return;
          }
          try {
            for (;;) {
              if (stopping) return;
              i += 1;
              try {
                await conn.send(requests[i % requests.length]());
              } catch {
                stats.emptyCloses += 1; // the server closed before we could write: no response lost
                break;
              }
              let res;
              try {
                res = await conn.readResponse({ timeoutMs: 10_000 });
              } catch (err) {
                if (err.partial) problems.push(`worker ${n}: response cut off (${err.code}): ${err.message.slice(0, 200)}`);
                else if (err.code === 'ECONNRESET') stats.emptyResets += 1;
                else if (err.code === 'CLOSED') stats.emptyCloses += 1;
                else problems.push(`worker ${n}: ${err.message.slice(0, 200)}`);
                break;
              }
              stats.complete += 1;
              if (signalled) stats.afterSignal += 1;
              stats.byStatus[res.status] = (stats.byStatus[res.status] || 0) + 1;
              if (![200, 401, 503].includes(res.status)) problems.push(`worker ${n}: unexpected status ${res.status}: ${res.text.slice(0, 200)}`);
              if (res.status === 503) {
                try { assertProblem(res, 503, 'unavailable'); } catch (err) { problems.push(`worker ${n}: ${err.message.split('\n')[0]}`); }
              }
              if (res.status === 200 || res.status === 401) JSON.parse(res.text); // complete JSON
              if (/close/i.test(res.headers.connection || '')) {
                await conn.waitClosed(2000);
                break;
              }
            }
          } finally {
            conn.close();
          }
        }
      }

      try {
        const workers = Array.from({ length: 6 }, (_, n) => worker(n));
        await sleep(500);
        const before = stats.complete;
        assert.ok(before > 0, 'requests were answered before the signal');
        signalled = true;
        server.process.kill('SIGTERM');
        const code = await exitWithin(server, 15_000);
        stopping = true;
        await Promise.all(workers);
        assert.deepEqual(problems, [], `stats: ${JSON.stringify(stats)}`);
        assert.equal(code, 0, `exit code 0 after SIGTERM; stats: ${JSON.stringify(stats)}`);
      } finally {
        stopping = true;
        await server.stop('SIGKILL');
      }
    })();
  });

  test('connections that end at the moment of SIGTERM do not crash the stop', async () => {
    // The stop closes idle connections from a list taken when the signal
    // arrives; a connection the client closes at the same moment may already
    // be gone when its turn comes. Several rounds, to meet that moment.
    for (let round = 0; round < 8; round++) {
      const server = await startServer();
      await withLogs(server, async () => {
        try {
          const conns = await Promise.all(Array.from({ length: 40 }, () => connect(server.port)));
          await Promise.all(conns.map(async (c) => {
            await c.send(rawRequest('GET', '/healthz'));
            assert.equal((await c.readResponse()).status, 200);
          }));
          // Half close before the signal, half after it, without waiting.
          conns.slice(0, 20).forEach((c) => c.close());
          server.process.kill('SIGTERM');
          conns.slice(20).forEach((c) => c.close());
          assert.equal(await exitWithin(server, 5000), 0, `round ${round}: exit code 0`);
        } finally {
          await server.stop('SIGKILL');
        }
      })();
    }
  });

  test('SIGINT also stops the server with exit code 0', async () => {
    const server = await startServer();
    try {
      server.process.kill('SIGINT');
      assert.equal(await exitWithin(server, 5000), 0);
    } finally {
      await server.stop('SIGKILL');
    }
  });
});
