// Campaigns and partner organizations through the HTTP API.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertProblem } from '../lib/problem.mjs';
import { api, createSiteAdmin, signIn, signUp, startServer, uniqueEmail, withLogs } from '../lib/server.mjs';

let server;
const it = (name, fn) => test(name, withLogs(() => server, fn));
before(async () => { server = await startServer(); });
after(async () => { if (server) assert.equal(await server.stop(), 0); });

const august = (slug) => ({
  slug,
  name: 'Connected Educator Month',
  description: 'A month of **online** professional learning.',
  starts_on: '2012-08-01',
  ends_on: '2012-08-31',
  time_zone: 'America/New_York',
  themes: [
    { title: 'Getting connected', summary: 'Start here', starts_on: '2012-08-01', ends_on: '2012-08-07' },
    { title: 'Leading', summary: '', starts_on: '2012-08-08', ends_on: '2012-08-14' },
  ],
  hashtags: ['#ce12', 'edchat'],
});

const organization = (slug) => ({
  slug, name: `Org ${slug}`, kind: 'nonprofit', website: `https://${slug}.example.org`, contact_email: `pd@${slug}.example.org`,
});

it('a site admin creates a campaign that everyone can read', async () => {
  const admin = await createSiteAdmin(server);
  const created = await admin.post('/api/v1/campaigns', august('cem-a'));
  assert.equal(created.status, 201, created.text);
  assert.equal(created.headers.get('location'), '/api/v1/campaigns/cem-a');
  assert.deepEqual(created.body.hashtags, ['ce12', 'edchat']);
  assert.equal(created.body.themes.length, 2);
  assertProblem(await admin.post('/api/v1/campaigns', august('cem-a')), 409, 'conflict');

  const anonymous = api(server.baseUrl);
  const one = await anonymous.get('/api/v1/campaigns/cem-a');
  assert.equal(one.status, 200);
  assert.equal(one.body.time_zone, 'America/New_York');
  const list = await anonymous.get('/api/v1/campaigns');
  assert.ok(list.body.items.some((c) => c.slug === 'cem-a'));
  assertProblem(await anonymous.get('/api/v1/campaigns/nothing-here'), 404, 'not-found');
});

it('bad campaigns are refused with every field named and nothing stored', async () => {
  const admin = await createSiteAdmin(server);
  const bad = { ...august('cem-bad'), ends_on: '2012-07-01', time_zone: 'Mars/Olympus', hashtags: ['#two words'] };
  const res = await admin.post('/api/v1/campaigns', bad);
  assertProblem(res, 422, 'validation');
  const fields = res.body.errors.map((e) => e.field);
  for (const f of ['ends_on', 'time_zone', 'hashtags[0]']) assert.ok(fields.includes(f), `${f} in ${fields}`);
  assertProblem(await admin.get('/api/v1/campaigns/cem-bad'), 404, 'not-found');
  assertProblem(await admin.post('/api/v1/campaigns', { ...august('cem-x'), themes: 'weekly' }), 422, 'validation');
});

it('organizers edit their campaign and decide applications; others are refused', async () => {
  const admin = await createSiteAdmin(server);
  assert.equal((await admin.post('/api/v1/campaigns', august('cem-b'))).status, 201);

  const organizer = api(server.baseUrl);
  await signUp(organizer, { email: uniqueEmail('organizer') });
  const grant = await admin.post(`/api/v1/users/${organizer.user.id}/roles`,
    { role: 'campaign_organizer', scope_type: 'campaign', scope_id: 'cem-b' });
  assert.equal(grant.status, 201, grant.text);

  const partner = api(server.baseUrl);
  await signUp(partner, { email: uniqueEmail('partner') });
  assertProblem(await partner.patch('/api/v1/campaigns/cem-b', { name: 'Taken over' }), 403, 'forbidden');

  const applied = await partner.post('/api/v1/campaigns/cem-b/applications', { organization: organization('iste-b') });
  assert.equal(applied.status, 201, applied.text);
  assert.equal(applied.body.status, 'pending');
  await signIn(partner, partner.credentials);  // a fresh session carries the new org_staff role
  const me = await partner.get('/api/v1/me');
  assert.ok(me.body.user.roles.some((r) => r.role === 'org_staff' && r.scope_id === 'iste-b'));
  assertProblem(await partner.post('/api/v1/campaigns/cem-b/applications', { organization: organization('iste-b') }),
    409, 'conflict');
  const bad = await partner.post('/api/v1/campaigns/cem-b/applications', { organization: { slug: 'x', kind: 'club' } });
  assertProblem(bad, 422, 'validation');
  assert.ok(bad.body.errors.some((e) => e.field === 'organization.kind'));

  await signIn(organizer, organizer.credentials);
  const renamed = await organizer.patch('/api/v1/campaigns/cem-b', { name: 'CEM 2012' });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.body.name, 'CEM 2012');
  assertProblem(await organizer.patch('/api/v1/campaigns/cem-a', { name: 'Not mine' }), 403, 'forbidden');

  const pending = await organizer.get('/api/v1/campaigns/cem-b/applications?status=pending');
  assert.equal(pending.status, 200);
  assert.deepEqual(pending.body.items.map((a) => a.organization.slug), ['iste-b']);
  assertProblem(await organizer.post('/api/v1/campaigns/cem-b/applications/iste-b/decision', { decision: 'decline' }),
    422, 'validation');
  const decided = await organizer.post('/api/v1/campaigns/cem-b/applications/iste-b/decision', { decision: 'approve' });
  assert.equal(decided.status, 200, decided.text);
  assert.equal(decided.body.status, 'approved');
  assert.ok(decided.body.decided_at);
  assertProblem(await partner.post('/api/v1/campaigns/cem-b/applications/iste-b/decision', { decision: 'approve' }),
    403, 'forbidden');

  const partners = await api(server.baseUrl).get('/api/v1/campaigns/cem-b/organizations');
  assert.deepEqual(partners.body.items.map((o) => o.slug), ['iste-b']);
  assert.equal(partners.body.items[0].contact_email, undefined, 'the public list does not show contact emails');
  const org = await api(server.baseUrl).get('/api/v1/organizations/iste-b');
  assert.equal(org.status, 200);
  assert.equal(org.body.kind, 'nonprofit');
});
