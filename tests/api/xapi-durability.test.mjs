// An acknowledged statement survives the LRS being killed. Writers keep POSTing batches
// while the server gets SIGKILL; a new server on the same database must hold every batch
// that was acknowledged, and no batch in part.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, test } from 'node:test';
import { addDays, createCampaign, localDate, suffix } from '../lib/activities.mjs';
import { createDatabase, createSiteAdmin, startServer } from '../lib/server.mjs';
import { newLrsClient } from '../lib/xapi.mjs';

const database = createDatabase();
after(() => database.drop());

const BATCH = 20;
const WRITERS = 4;

function batch(run) {
  return Array.from({ length: BATCH }, (_, i) => ({
    id: randomUUID(),
    actor: { mbox: `mailto:writer-${run}-${i}@example.org` },
    verb: { id: 'http://adlnet.gov/expapi/verbs/experienced' },
    object: { id: `http://example.org/durability/${run}` },
  }));
}

async function post(baseUrl, auth, statements) {
  const res = await fetch(`${baseUrl}/xapi/statements`, {
    method: 'POST',
    headers: { Authorization: auth, 'X-Experience-API-Version': '2.0.0', 'Content-Type': 'application/json' },
    body: JSON.stringify(statements),
  });
  return res.status;
}

/** Every statement id the client can read, following `more`. */
async function storedIds(baseUrl, auth) {
  const ids = new Set();
  let next = '/xapi/statements?limit=500';
  while (next) {
    const res = await fetch(`${baseUrl}${next}`, { headers: { Authorization: auth, 'X-Experience-API-Version': '2.0.0' } });
    assert.equal(res.status, 200, `GET ${next}: ${res.status}`);
    const body = await res.json();
    for (const s of body.statements) ids.add(s.id);
    next = body.more;
  }
  return ids;
}

test('statements acknowledged before SIGKILL are all there after a restart, batches whole', async () => {
  let server = await startServer({ dbUrl: database.dbUrl, args: ['--xapi-rate-limit', '0'] });
  const admin = await createSiteAdmin(server);
  const campaign = `durable-${suffix()}`;
  const today = localDate(new Date(), 'America/New_York');
  await createCampaign(admin, campaign, { starts_on: addDays(today, -1), ends_on: addDays(today, 30) });
  const client = await newLrsClient(server, admin, campaign, { scopes: ['statements/write', 'statements/read'] });

  const acknowledged = [];
  const sent = [];
  let stop = false;
  const writer = async (w) => {
    for (let run = 0; !stop; run += 1) {
      const statements = batch(`${w}-${run}`);
      sent.push(statements);
      try {
        if ((await post(server.baseUrl, client.auth, statements)) === 200) acknowledged.push(statements);
      } catch {
        return;  // the server is gone
      }
    }
  };
  const writing = Array.from({ length: WRITERS }, (_, w) => writer(w));
  // Kill once a good number of batches are in, while the writers are mid-flight.
  while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 10));
  server.kill('SIGKILL');
  stop = true;
  await Promise.all(writing);
  await server.stop();

  server = await startServer({ dbUrl: database.dbUrl });
  try {
    const ids = await storedIds(server.baseUrl, client.auth);
    let lost = 0;
    for (const statements of acknowledged) for (const s of statements) if (!ids.has(s.id)) lost += 1;
    assert.equal(lost, 0, `${lost} acknowledged statements are missing after the restart`);
    for (const statements of sent) {
      const present = statements.filter((s) => ids.has(s.id)).length;
      assert.ok(present === 0 || present === statements.length, `a batch was stored in part: ${present} of ${BATCH}`);
    }
    assert.ok(acknowledged.length >= 60, `${acknowledged.length} batches acknowledged before the kill`);
    assert.ok(sent.length > acknowledged.length, 'some batches were in flight when the server died');
  } finally {
    await server.stop();
  }
});
