// Each LRS client has its own request rate (--xapi-rate-limit, with a burst of twice
// that): past it the client gets 429 with Retry-After, while another client of the same
// address goes on.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, createCampaign, localDate, suffix } from '../lib/activities.mjs';
import { createSiteAdmin, startServer, withLogs } from '../lib/server.mjs';
import { newLrsClient } from '../lib/xapi.mjs';

let server;
let admin;
let campaign;
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  server = await startServer({ args: ['--xapi-rate-limit', '1'] });
  admin = await createSiteAdmin(server);
  campaign = `limits-${suffix()}`;
  const today = localDate(new Date(), 'America/New_York');
  await createCampaign(admin, campaign, { starts_on: addDays(today, -1), ends_on: addDays(today, 30) });
});
after(async () => { if (server) await server.stop(); });

function about(client) {
  return fetch(`${server.baseUrl}/xapi/statements?limit=1`, {
    headers: { Authorization: client.auth, 'X-Experience-API-Version': '2.0.0' },
  });
}

it('a client past its rate gets 429 with Retry-After; another client is not held back', async () => {
  const busy = await newLrsClient(server, admin, campaign);
  const other = await newLrsClient(server, admin, campaign);
  const statuses = [];
  let limited;
  for (let i = 0; i < 5; i += 1) {
    const res = await about(busy);
    statuses.push(res.status);
    if (res.status === 429) { limited = res; break; }
  }
  assert.ok(limited, `the busy client was never limited: ${statuses.join(', ')}`);
  assert.ok(statuses.filter((s) => s === 200).length >= 2, `the burst of two is served: ${statuses.join(', ')}`);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1, 'Retry-After says how long to wait');
  assert.equal(limited.headers.get('x-experience-api-version'), '2.0.0');
  assert.match(limited.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal((await about(other)).status, 200, 'the other client has its own budget');
});
