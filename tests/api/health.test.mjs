// Health, readiness and metrics endpoints.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { parsePrometheus, samplesWith } from '../lib/prometheus.mjs';
import { api, startServer, withLogs } from '../lib/server.mjs';

let server;
let client;
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  server = await startServer();
  client = api(server.baseUrl);
});
after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM');
});

async function scrape() {
  const res = await client.get('/metrics', { headers: { accept: 'text/plain' } });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type') || '', /^text\/plain/, 'metrics content-type');
  return parsePrometheus(res.text);
}

/** The request counter: a counter family whose samples carry route and status labels. */
function requestCounter(families) {
  const found = [...families.values()].filter(
    (f) => f.type === 'counter' && /request/i.test(f.name)
      && f.samples.some((s) => 'route' in s.labels && 'status' in s.labels),
  );
  assert.equal(found.length >= 1, true,
    `a request counter with route and status labels; families: ${[...families.keys()].join(', ')}`);
  return found[0];
}

function latencyHistogram(families) {
  const found = [...families.values()].filter(
    (f) => f.type === 'histogram'
      && f.samples.some((s) => s.name.endsWith('_bucket') && 'route' in s.labels && 'status' in s.labels && 'le' in s.labels),
  );
  assert.equal(found.length >= 1, true,
    `a latency histogram with route, status and le labels; families: ${[...families.keys()].join(', ')}`);
  return found[0];
}

function sumOf(samples) {
  return samples.reduce((a, s) => a + s.value, 0);
}

describe('health', () => {
  it('GET /healthz answers 200 {"status":"ok"}', async () => {
    const res = await client.get('/healthz');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') || '', /^application\/json/);
    assert.deepEqual(res.body, { status: 'ok' });
  });

  it('GET /readyz reports the database in use', async () => {
    const res = await client.get('/readyz');
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') || '', /^application\/json/);
    assert.deepEqual(res.body, { status: 'ready', database: server.db });
  });

  it('/metrics exposes request counter, latency histogram and pool gauge', async () => {
    const noise = randomBytes(6).toString('hex');
    for (let i = 0; i < 3; i += 1) assert.equal((await client.get('/healthz')).status, 200);
    for (let i = 0; i < 2; i += 1) assert.equal((await client.get('/api/v1/me')).status, 401);
    assert.equal((await client.delete('/api/v1/tokens/987654321')).status, 401);
    assert.equal((await client.get(`/api/v1/zz-${noise}`)).status, 404);

    const families = await scrape();

    // Counter
    const counter = requestCounter(families);
    for (const s of counter.samples) {
      assert.ok(Number.isFinite(s.value) && s.value >= 0, `counter sample ${JSON.stringify(s)}`);
    }
    const healthz = samplesWith(counter, counter.samples[0].name, { route: '/healthz', status: '200' });
    assert.ok(healthz.length >= 1, `counter has route="/healthz",status="200": ${JSON.stringify(counter.samples)}`);
    assert.ok(sumOf(healthz) >= 3, `at least 3 /healthz requests counted, got ${sumOf(healthz)}`);
    const me = counter.samples.filter((s) => s.labels.route === '/api/v1/me' && s.labels.status === '401');
    assert.ok(sumOf(me) >= 2, `at least 2 401s on /api/v1/me counted: ${JSON.stringify(counter.samples)}`);

    // Route labels are templates, never raw paths (bounded cardinality).
    const labelValues = [...families.values()].flatMap((f) => f.samples.flatMap((s) => Object.values(s.labels)));
    assert.ok(!labelValues.some((v) => v.includes('987654321')), 'ids in paths do not become label values');
    assert.ok(!labelValues.some((v) => v.includes(noise)), 'unknown paths do not become label values');
    const tokenRoute = counter.samples.filter((s) => /^\/api\/v1\/tokens\/.+/.test(s.labels.route || '') && s.labels.status === '401');
    assert.ok(tokenRoute.length >= 1, `the request to /api/v1/tokens/{id} is counted under its route template: ${JSON.stringify(counter.samples.map((s) => s.labels))}`);

    // Histogram
    const hist = latencyHistogram(families);
    const buckets = hist.samples
      .filter((s) => s.name === `${hist.name}_bucket` && s.labels.route === '/healthz' && s.labels.status === '200')
      .sort((a, b) => (a.labels.le === '+Inf' ? Infinity : Number(a.labels.le)) - (b.labels.le === '+Inf' ? Infinity : Number(b.labels.le)));
    assert.ok(buckets.length >= 2, `histogram buckets for /healthz: ${JSON.stringify(buckets)}`);
    // one series per method label value at most; group by the labels other than le
    const groups = new Map();
    for (const b of buckets) {
      const { le, ...rest } = b.labels;
      const key = JSON.stringify(rest);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(b);
    }
    let total = 0;
    for (const [key, series] of groups) {
      const inf = series.find((b) => b.labels.le === '+Inf');
      assert.ok(inf, `+Inf bucket for ${key}`);
      for (let i = 1; i < series.length; i += 1) {
        assert.ok(series[i].value >= series[i - 1].value, `buckets are cumulative for ${key}`);
      }
      const labels = JSON.parse(key);
      const count = samplesWith(hist, `${hist.name}_count`, labels);
      const sum = samplesWith(hist, `${hist.name}_sum`, labels);
      assert.equal(count.length, 1, `one _count for ${key}`);
      assert.equal(sum.length, 1, `one _sum for ${key}`);
      assert.equal(count[0].value, inf.value, `_count equals the +Inf bucket for ${key}`);
      assert.ok(sum[0].value >= 0, `_sum is not negative for ${key}`);
      total += count[0].value;
    }
    assert.ok(total >= 3, `histogram counted at least 3 /healthz requests, got ${total}`);

    // Database pool gauge
    const gauges = [...families.values()].filter(
      (f) => f.type === 'gauge' && /pool|conn/i.test(f.name) && /db|database|pool/i.test(f.name),
    );
    assert.ok(gauges.length >= 1, `a database pool gauge; families: ${[...families].map(([n, f]) => `${n}:${f.type}`).join(', ')}`);
    assert.ok(gauges.some((g) => g.samples.length > 0 && g.samples.every((s) => Number.isFinite(s.value) && s.value >= 0)),
      'pool gauge has finite, non-negative samples');
  });

  it('/metrics counters only grow', async () => {
    const first = await scrape();
    const c1 = requestCounter(first);
    const before1 = sumOf(c1.samples.filter((s) => s.labels.route === '/healthz' && s.labels.status === '200'));
    for (let i = 0; i < 4; i += 1) await client.get('/healthz');
    const second = await scrape();
    const c2 = second.get(c1.name);
    assert.ok(c2, 'the same counter family on the next scrape');
    const after2 = sumOf(c2.samples.filter((s) => s.labels.route === '/healthz' && s.labels.status === '200'));
    assert.ok(after2 >= before1 + 4, `counter grew by at least 4 (${before1} -> ${after2})`);
  });
});
