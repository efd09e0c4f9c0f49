// The web app's static files: caching, compression and the single-page-app fallback.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { assertProblem } from '../lib/problem.mjs';
import { connect } from '../lib/raw-http.mjs';
import { assetsDir, startServer, withLogs } from '../lib/server.mjs';

const built = existsSync(path.join(assetsDir, 'index.html'));
const skip = built ? false : 'the web app is not built (npm run build:web)';

let server;
const it = (name, fn) => test(name, { skip }, withLogs(() => server, fn));

/** GET with exactly the given headers (node:http adds no Accept-Encoding of its own). */
function get(urlPath, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: urlPath, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode, headers: res.headers, body, text: body.toString('utf8') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function maxAge(cacheControl) {
  const m = /(?:^|,)\s*max-age=(\d+)/i.exec(cacheControl || '');
  return m ? Number(m[1]) : null;
}

function assetRefs(html) {
  return [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
}

const TYPES = {
  '.js': /^(text|application)\/javascript/,
  '.mjs': /^(text|application)\/javascript/,
  '.css': /^text\/css/,
  '.svg': /^image\/svg\+xml/,
  '.png': /^image\/png/,
  '.woff2': /^font\/woff2/,
  '.json': /^application\/json/,
};

before(async () => {
  if (built) server = await startServer();
});
after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM');
});

describe('static assets', () => {
  it('GET / is the app page, not cached without revalidation', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] || '', /^text\/html/);
    assert.match(res.headers['cache-control'] || '', /(^|,)\s*no-cache\s*(,|$)/i, `Cache-Control: ${res.headers['cache-control']}`);
    assert.equal(res.text, readFileSync(path.join(assetsDir, 'index.html'), 'utf8'));
  });

  it('files under /assets/ have their type, a long immutable cache and gzip on request', async () => {
    const index = (await get('/')).text;
    const refs = assetRefs(index);
    assert.ok(refs.length > 0, 'index.html references files under /assets/');
    for (const ref of refs) {
      const ext = path.extname(ref);
      const onDisk = readFileSync(path.join(assetsDir, ref));

      const plain = await get(ref);
      assert.equal(plain.status, 200, ref);
      if (TYPES[ext]) assert.match(plain.headers['content-type'] || '', TYPES[ext], `${ref}: content-type ${plain.headers['content-type']}`);
      const cc = plain.headers['cache-control'] || '';
      assert.match(cc, /immutable/i, `${ref}: Cache-Control ${cc}`);
      assert.ok(maxAge(cc) >= 30 * 24 * 3600, `${ref}: max-age of at least 30 days, got ${cc}`);
      assert.ok([undefined, 'identity'].includes(plain.headers['content-encoding']), `${ref}: no compression without Accept-Encoding, got ${plain.headers['content-encoding']}`);
      assert.ok(plain.body.equals(onDisk), `${ref}: the body is the file`);
      if (plain.headers['content-length'] !== undefined) assert.equal(Number(plain.headers['content-length']), onDisk.length);

      const identity = await get(ref, { 'accept-encoding': 'identity' });
      assert.ok([undefined, 'identity'].includes(identity.headers['content-encoding']), `${ref}: identity requested`);

      const gz = await get(ref, { 'accept-encoding': 'gzip, deflate, br' });
      assert.equal(gz.status, 200);
      assert.equal(gz.headers['content-encoding'], 'gzip', `${ref}: gzip when accepted`);
      assert.match(gz.headers.vary || '', /accept-encoding/i, `${ref}: Vary: Accept-Encoding`);
      assert.match(gz.headers['cache-control'] || '', /immutable/i);
      assert.ok(gunzipSync(gz.body).equals(onDisk), `${ref}: the gzip body inflates to the file`);
      if (gz.headers['content-length'] !== undefined) assert.equal(Number(gz.headers['content-length']), gz.body.length);
      if (TYPES[ext]) assert.match(gz.headers['content-type'] || '', TYPES[ext]);

      if (plain.headers.etag) {
        const again = await get(ref, { 'if-none-match': plain.headers.etag });
        assert.equal(again.status, 304, `${ref}: If-None-Match with the ETag gives 304`);
        assert.equal(again.body.length, 0);
      }
    }
  });

  it('unknown client-side paths get the app page', async () => {
    const index = readFileSync(path.join(assetsDir, 'index.html'), 'utf8');
    for (const p of ['/account', '/account/settings', '/reset-password?token=abc']) {
      const res = await get(p);
      assert.equal(res.status, 200, p);
      assert.match(res.headers['content-type'] || '', /^text\/html/, p);
      assert.match(res.headers['cache-control'] || '', /no-cache/i, p);
      assert.equal(res.text, index, `${p} serves index.html`);
    }
  });

  it('API paths never fall back to HTML', async () => {
    const res = await get('/api/v1/does-not-exist', { accept: 'text/html' });
    const body = { status: res.status, headers: res.headers, text: res.text };
    assertProblem(body, 404, 'not-found', { instance: '/api/v1/does-not-exist' });
  });

  it('a missing asset is a 404, not the app page', async () => {
    const res = await get('/assets/does-not-exist-0000.js');
    assert.equal(res.status, 404);
    assert.doesNotMatch(res.headers['content-type'] || '', /^text\/html/);
    assert.doesNotMatch(res.headers['cache-control'] || '', /immutable/i, 'a 404 must not be cached forever');
  });

  it('paths outside the assets folder are not served', async () => {
    for (const target of ['/assets/../../../../../../etc/passwd', '/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2f..%2fetc%2fpasswd', '/assets/..%5c..%5c..%5cetc%5cpasswd']) {
      const conn = await connect(server.port);
      try {
        await conn.send(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
        const res = await conn.readResponse();
        assert.doesNotMatch(res.text, /root:.*:0:0:/, `${target} must not leak files`);
        assert.ok([400, 403, 404].includes(res.status) || (res.status === 200 && /^text\/html/.test(res.headers['content-type'] || '')),
          `${target}: expected 400/403/404 or the app page, got ${res.status} ${res.headers['content-type']}`);
      } finally {
        conn.close();
      }
    }
  });
});
