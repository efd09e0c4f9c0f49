// What the credit web pages rely on from the API beyond the main flow:
// 1. GET /api/v1/districts/{district}/transcript?format=pdf answers the transcript as a PDF
//    attachment; an unknown format is a 400 bad-request.
// 2. District members carry their account id (user_id), which transcripts are asked for by
//    (?educator=ID), so approvers can open any member's transcript.
// 3. Approvers read the evidence a claim names: a survey's answers and a reflection's text
//    through the content route (artifacts download as files), and everything a claim
//    rests on through GET /api/v1/districts/{district}/claims/{id}/evidence.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, collect, createEducator, expectStatus, localDate, suffix } from '../lib/activities.mjs';
import { assertProblem } from '../lib/problem.mjs';
import { api, createSiteAdmin, startServer, withLogs } from '../lib/server.mjs';

const TZ = 'America/Chicago';
let server;
let site;
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  server = await startServer();
  site = await createSiteAdmin(server);
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

async function confirmed(label) {
  const e = await createEducator(server, label);
  const mails = (await collect(site, '/api/v1/mail')).filter((m) => m.to === e.credentials.email);
  const found = mails.map((m) => /\/verify-email\?token=([^\s"'<>]+)/.exec(m.body)).find(Boolean);
  assert.ok(found, 'a confirmation mail');
  expectStatus(await api(server.baseUrl).post('/api/v1/email-verifications', { token: decodeURIComponent(found[1]) }), 200,
    'confirming');
  return e;
}

const today = () => localDate(new Date(), TZ);

/** A district with a policy, an approver and a teacher with a pending claim on a survey. */
async function world() {
  const slug = `gaps-${suffix()}`;
  const admin = await confirmed('admin');
  const created = expectStatus(await admin.post('/api/v1/districts', {
    slug, name: 'Gaps District', state: 'IL', time_zone: TZ, schools: ['Lincoln Elementary'],
  }), 201, 'district');
  const approver = await confirmed('approver');
  const a = expectStatus(await approver.post('/api/v1/district-memberships', { code: created.join_code }), 201, 'joining');
  expectStatus(await admin.patch(`/api/v1/districts/${slug}/members/${a.member.id}`, { role: 'approver' }), 200, 'promoting');
  const teacher = await confirmed('teacher');
  expectStatus(await teacher.post('/api/v1/district-memberships', { code: created.join_code }), 201, 'joining');
  expectStatus(await admin.post(`/api/v1/districts/${slug}/policy/versions`, {
    format: 'staffroom.credit-policy/1',
    name: 'Credit',
    effective_on: addDays(today(), -30),
    time_zone: TZ,
    counts: { self_reported: { counts: true, formats: 'all', requires_attestation: false, min_reflection_words: 0 } },
    tiers: [{ id: 'knowledge', name: 'Knowledge', level: 1, deadline_days: 30, requirements: [{ any_of: [{ kind: 'survey' }] }] }],
    renewal: { required_hours: 10, cycle_years: 5, starts_on: addDays(today(), -30) },
  }), 201, 'policy');
  const item = expectStatus(await teacher.post('/api/v1/me/learning', {
    title: 'Webinar on feedback', format: 'webinar', learned_on: addDays(today(), -1), minutes: 60,
  }), 201, 'learning');
  const survey = expectStatus(await teacher.post('/api/v1/me/evidence', {
    kind: 'survey', title: 'What I learned', body: JSON.stringify({ learned: 'exit tickets', apply: 'every Friday' }),
  }), 201, 'survey');
  const claim = expectStatus(await teacher.post(`/api/v1/districts/${slug}/claims`, {
    tier: 'knowledge', evidence: [item.evidence, survey.evidence],
  }), 201, 'claim');
  return { slug, admin, approver, teacher, survey, claim };
}

it('the transcript downloads as a PDF, and an unknown format is refused', async () => {
  const w = await world();
  expectStatus(await w.approver.post(`/api/v1/districts/${w.slug}/claims/${w.claim.id}/decision`, { decision: 'approve' }), 200,
    'approving');
  const pdf = await w.teacher.get(`/api/v1/districts/${w.slug}/transcript?format=pdf`);
  assert.equal(pdf.status, 200, pdf.text.slice(0, 200));
  assert.match(pdf.headers.get('content-type') ?? '', /^application\/pdf/, 'served as a PDF');
  assert.match(pdf.headers.get('content-disposition') ?? '', /^attachment; filename=".*\.pdf"/);
  assert.ok(pdf.text.startsWith('%PDF-'), `a PDF document: ${pdf.text.slice(0, 40)}`);
  assertProblem(await w.teacher.get(`/api/v1/districts/${w.slug}/transcript?format=xml`), 400, 'bad-request');
});

it('district members carry their account id, which transcripts are asked for by', async () => {
  const w = await world();
  const members = expectStatus(await w.approver.get(`/api/v1/districts/${w.slug}/members`), 200, 'members');
  const teacher = members.items.find((m) => m.email === w.teacher.credentials.email.toLowerCase());
  assert.ok(teacher, 'the teacher is listed');
  assert.equal(teacher.user_id, w.teacher.user.id, `the member's account id: ${JSON.stringify(teacher)}`);
  expectStatus(await w.approver.get(`/api/v1/districts/${w.slug}/transcript?educator=${teacher.user_id}`), 200,
    'the approver opens the transcript from the members list');
});

it('approvers read the survey answers of a claim they decide', async () => {
  const w = await world();
  const res = await w.approver.get(`/api/v1/evidence/${w.survey.id}/content`);
  assert.equal(res.status, 200);
  assert.equal(res.text, w.survey.body, 'the survey\'s answers, as the educator gave them');
});

it('a claim\'s evidence opens in full for its educator and approvers, and for nobody else', async () => {
  const w = await world();
  const mine = expectStatus(await w.teacher.get(`/api/v1/districts/${w.slug}/my-claims`), 200, 'my claims');
  const claim = mine.items[0];
  assert.ok(claim, 'the world has a claim');
  const path = `/api/v1/districts/${w.slug}/claims/${claim.id}/evidence`;
  const seen = expectStatus(await w.approver.get(path), 200, 'the approver reads it');
  const named = [...seen.participation, ...seen.self_reports, ...seen.supporting].map((e) => e.evidence);
  for (const e of claim.evidence.filter((x) => !x.startsWith('attestation:'))) {
    assert.ok(named.includes(e), `${e} is shown: ${named}`);
  }
  expectStatus(await w.teacher.get(path), 200, 'the educator reads it');
  const outsider = await createEducator(server, 'outsider');
  assertProblem(await outsider.get(path), 403, 'forbidden');
});

it('every district credit route answers each role as its rule says (anonymous, outsider, the claim\'s educator, approver, admin, site admin)', async () => {
  const w = await world();
  const outsider = await confirmed('outsider');
  const d = `/api/v1/districts/${w.slug}`;
  const claim = `${d}/claims/${w.claim.id}`;
  const policy = expectStatus(await w.admin.get(`${d}/policy/versions/1`), 200, 'the policy');
  const callers = { anonymous: api(server.baseUrl), outsider, educator: w.teacher, approver: w.approver, admin: w.admin, site };
  // Each probe changes nothing (or only adds a policy version): refused inputs, a claim
  // that does not exist, reads.
  const routes = [
    ['GET policy', (c) => c.get(`${d}/policy`), [401, 403, 200, 200, 200, 200]],
    ['GET policy version', (c) => c.get(`${d}/policy/versions/1`), [401, 403, 200, 200, 200, 200]],
    ['POST policy version', (c) => c.post(`${d}/policy/versions`, policy), [401, 403, 403, 403, 201, 201]],
    ['POST claim (no evidence)', (c) => c.post(`${d}/claims`, { tier: 'knowledge', evidence: [] }), [401, 403, 422, 422, 422, 403]],
    ['GET my claims', (c) => c.get(`${d}/my-claims`), [401, 403, 200, 200, 200, 200]],
    ['GET queue', (c) => c.get(`${d}/claims`), [401, 403, 403, 200, 200, 200]],
    ['GET claim', (c) => c.get(claim), [401, 403, 200, 200, 200, 200]],
    ['GET claim evidence', (c) => c.get(`${claim}/evidence`), [401, 403, 200, 200, 200, 200]],
    ['POST decision (deny, no reason)', (c) => c.post(`${claim}/decision`, { decision: 'deny' }), [401, 403, 403, 422, 422, 422]],
    ['POST approvals (none)', (c) => c.post(`${d}/claim-approvals`, { claims: [] }), [401, 403, 403, 422, 422, 422]],
    ['DELETE unknown claim', (c) => c.delete(`${d}/claims/999999999`), [401, 403, 404, 404, 404, 404]],
    ['GET audit', (c) => c.get(`${d}/audit`), [401, 403, 403, 200, 200, 200]],
    ['GET the educator\'s transcript', (c) => c.get(`${d}/transcript?educator=${w.teacher.user.id}`), [401, 403, 200, 200, 200, 200]],
    ['GET the approver\'s transcript', (c) => c.get(`${d}/transcript?educator=${w.approver.user.id}`), [401, 403, 403, 200, 200, 200]],
    ['GET report', (c) => c.get(`${d}/reports/credit`), [401, 403, 403, 200, 200, 200]],
    ['GET licensure export', (c) => c.get(`${d}/reports/licensure.csv`), [401, 403, 403, 200, 200, 200]],
  ];
  const wrong = [];
  for (const [route, send, expected] of routes) {
    const names = Object.keys(callers);
    for (let i = 0; i < names.length; i += 1) {
      const res = await send(callers[names[i]]);
      if (res.status !== expected[i]) wrong.push(`${route} as ${names[i]}: ${res.status}, expected ${expected[i]} ${res.text.slice(0, 160)}`);
    }
  }
  assert.deepEqual(wrong, []);
});
