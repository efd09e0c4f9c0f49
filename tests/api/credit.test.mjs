// Credit: a district's policy versions, logged informal learning with a colleague's
// attestation, supporting evidence, claims judged by the policy engine, approvers'
// decisions with their audit trail, transcripts and reports.
//
// The policy's import/export format is "staffroom.credit-policy/1" (see
// docs/CREDIT.md). Evidence is named "kind:id" (participation, self_report, survey,
// reflection, artifact, attestation). Claims are judged under the policy version in
// force when they were submitted.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDays, collect, createEducator, expectStatus, localDate, suffix } from '../lib/activities.mjs';
import { assertProblem } from '../lib/problem.mjs';
import { api, createSiteAdmin, startServer, uniqueEmail, withLogs } from '../lib/server.mjs';

const PUBLIC_URL = 'http://pd.staffroom.test';
const TZ = 'America/Chicago';
let server;
let site;
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  server = await startServer({ args: ['--public-url', PUBLIC_URL] });
  site = await createSiteAdmin(server);
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function mailTo(email, pathPrefix) {
  const mails = (await collect(site, '/api/v1/mail')).filter((m) => m.to === email);
  const re = new RegExp(`${escapeRe(PUBLIC_URL)}${escapeRe(pathPrefix)}\\?token=([^\\s"'<>]+)`);
  for (const m of mails) {
    const found = re.exec(m.body);
    if (found) return { mail: m, token: decodeURIComponent(found[1]) };
  }
  assert.fail(`a mail to ${email} with a ${pathPrefix} link`);
}

async function confirmed(label) {
  const e = await createEducator(server, label);
  const { token } = await mailTo(e.credentials.email, '/verify-email');
  expectStatus(await api(server.baseUrl).post('/api/v1/email-verifications', { token }), 200, 'confirming');
  return e;
}

const today = () => localDate(new Date(), TZ);

function policy(over = {}) {
  return {
    format: 'staffroom.credit-policy/1',
    name: 'Professional learning credit',
    effective_on: addDays(today(), -400),
    time_zone: TZ,
    counts: {
      formats: 'all',
      providers: 'all',
      themes: 'all',
      self_reported: { counts: true, formats: ['social_media_chat', 'webinar'], requires_attestation: true, min_reflection_words: 20 },
    },
    conversion: { rounding: 'nearest_quarter_hour', hours_per_ceu: 10, hours_per_semester_credit: 15, presenter_multiplier: 2, facilitator_multiplier: 2 },
    tiers: [
      { id: 'knowledge', name: 'Knowledge', level: 1, deadline_days: 30, min_hours: 0,
        requirements: [{ any_of: [{ kind: 'host_attendance' }, { kind: 'survey' }] }], approver_review: false },
      { id: 'application', name: 'Application', level: 2, deadline_days: 365, min_hours: 0,
        requirements: [{ any_of: [{ kind: 'reflection', min_words: 50 }, { kind: 'artifact' }] }], approver_review: false },
    ],
    caps: [{ applies_to: 'self_reported', period: 'cycle', max_hours: 30 }],
    renewal: { required_hours: 100, cycle_years: 5, starts_on: addDays(today(), -400) },
    ...over,
  };
}

const words = (n) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

/** A district with an admin, an approver and a teacher, and the policy saved. */
async function district() {
  const slug = `district-${suffix()}`;
  const admin = await confirmed('admin');
  const created = expectStatus(await admin.post('/api/v1/districts', {
    slug, name: `District ${slug}`, state: 'IL', time_zone: TZ, schools: ['Lincoln Elementary'],
  }), 201, 'creating the district');
  const code = created.join_code;
  const approver = await confirmed('approver');
  const joined = expectStatus(await approver.post('/api/v1/district-memberships', { code }), 201, 'approver joins');
  expectStatus(await admin.patch(`/api/v1/districts/${slug}/members/${joined.member.id}`, { role: 'approver' }), 200,
    'promoting the approver');
  const teacher = await confirmed('teacher');
  const t = expectStatus(await teacher.post('/api/v1/district-memberships', { code }), 201, 'teacher joins');
  expectStatus(await admin.patch(`/api/v1/districts/${slug}/members/${t.member.id}`, { school: 'Lincoln Elementary' }),
    200, 'placing the teacher');
  expectStatus(await admin.post(`/api/v1/districts/${slug}/policy/versions`, policy()), 201, 'saving the policy');
  return { slug, admin, approver, teacher, code };
}

/** Logged learning with an attested participation, answering the item. */
async function attestedLearning(teacher, colleague, over = {}) {
  const item = expectStatus(await teacher.post('/api/v1/me/learning', {
    title: '#edchat on formative assessment', format: 'social_media_chat', learned_on: addDays(today(), -2),
    minutes: 60, url: 'https://twitter.com/hashtag/edchat', reflection: words(30), ...over,
  }), 201, 'logging learning');
  expectStatus(await teacher.post(`/api/v1/me/learning/${item.id}/attestation`, { email: colleague.credentials.email }),
    200, 'asking for an attestation');
  const { token, mail } = await mailTo(colleague.credentials.email, '/attest');
  assert.ok(mail.body.includes(item.title), 'the mail says what to attest');
  const seen = expectStatus(await colleague.get(`/api/v1/attestations/${encodeURIComponent(token)}`), 200, 'the request');
  assert.equal(seen.minutes, 60);
  expectStatus(await colleague.post(`/api/v1/attestations/${encodeURIComponent(token)}`, { decision: 'attest' }), 200,
    'attesting');
  return item;
}

it('a policy is saved as numbered versions, and a contradictory one is refused with every problem named', async () => {
  const d = await district();
  const bad = policy({
    tiers: [
      { id: 'knowledge', name: 'Knowledge', level: 1, deadline_days: 30, min_hours: 50,
        requirements: [{ any_of: [{ kind: 'host_attendance' }] }] },
      { id: 'knowledge', name: 'Again', level: 1, deadline_days: -3, requirements: [] },
    ],
    caps: [{ applies_to: 'all', period: 'cycle', max_hours: 10 }],
  });
  const refused = await d.admin.post(`/api/v1/districts/${d.slug}/policy/versions`, bad);
  assertProblem(refused, 422, 'validation');
  assert.ok(refused.body.errors.length >= 3, `several problems: ${refused.text}`);
  assert.ok(refused.body.errors.some((e) => e.field.startsWith('tiers[1]')), 'the duplicate tier is named');

  assertProblem(await d.teacher.post(`/api/v1/districts/${d.slug}/policy/versions`, policy()), 403, 'forbidden');
  const v2 = expectStatus(await d.admin.post(`/api/v1/districts/${d.slug}/policy/versions`, policy({ name: 'Second' })),
    201, 'a second version');
  assert.equal(v2.version, 2);
  const got = expectStatus(await d.teacher.get(`/api/v1/districts/${d.slug}/policy`), 200, 'members read the policy');
  assert.equal(got.current.version, 2);
  assert.deepEqual(got.versions.map((v) => v.version), [2, 1]);
  const v1 = expectStatus(await d.teacher.get(`/api/v1/districts/${d.slug}/policy/versions/1`), 200, 'version 1');
  assert.equal(v1.format, 'staffroom.credit-policy/1');
  assert.equal(v1.name, 'Professional learning credit');
  // The export imports again as it is.
  expectStatus(await d.admin.post(`/api/v1/districts/${d.slug}/policy/versions`, v1), 201, 're-importing an export');

  const outsider = await confirmed('outsider');
  assertProblem(await outsider.get(`/api/v1/districts/${d.slug}/policy`), 403, 'forbidden');
});

it('logged learning is checked field by field and belongs to its author', async () => {
  const d = await district();
  const bad = await d.teacher.post('/api/v1/me/learning', {
    title: '', format: 'carrier_pigeon', learned_on: addDays(today(), 5), minutes: 0, url: 'ftp://x',
  });
  assertProblem(bad, 422, 'validation', { field: ['title', 'format', 'learned_on', 'minutes', 'url'] });
  const item = expectStatus(await d.teacher.post('/api/v1/me/learning', {
    title: 'A webinar elsewhere', format: 'webinar', learned_on: addDays(today(), -1), minutes: 45,
    reflection: "It's a well-known idea: students' self-assessment works.",
  }), 201, 'logging');
  assert.equal(item.evidence, `self_report:${item.id}`);
  // Dates are the educator's own: today where the day starts first (UTC+14) is not the future.
  const early = expectStatus(await d.teacher.post('/api/v1/me/learning', {
    title: 'A chat in Kiribati time', format: 'webinar', learned_on: localDate(new Date(), 'Pacific/Kiritimati'), minutes: 30,
  }), 201, 'logging today in the earliest zone');
  assert.equal(item.reflection_words, 7); // hyphenated words and possessives are one word each
  const other = await confirmed('other');
  assertProblem(await other.put(`/api/v1/me/learning/${item.id}`, { ...item, title: 'Mine now' }), 404, 'not-found');
  assertProblem(await other.delete(`/api/v1/me/learning/${item.id}`), 404, 'not-found');
  assertProblem(await d.teacher.post(`/api/v1/me/learning/${item.id}/attestation`, { email: d.teacher.credentials.email }),
    422, 'validation', { field: 'email' });
  const mine = expectStatus(await d.teacher.get('/api/v1/me/evidence'), 200, 'my evidence');
  assert.deepEqual(mine.self_reports.map((r) => r.id).sort((a, b) => a - b), [item.id, early.id]);
});

it('a colleague attests only when signed in with the address asked, and only once', async () => {
  const d = await district();
  const colleague = await confirmed('colleague');
  const item = expectStatus(await d.teacher.post('/api/v1/me/learning', {
    title: 'Forum thread', format: 'social_media_chat', learned_on: addDays(today(), -1), minutes: 30, reflection: words(25),
  }), 201, 'logging');
  expectStatus(await d.teacher.post(`/api/v1/me/learning/${item.id}/attestation`, { email: colleague.credentials.email }), 200,
    'asking');
  const { token } = await mailTo(colleague.credentials.email, '/attest');
  const path = `/api/v1/attestations/${encodeURIComponent(token)}`;
  assertProblem(await d.approver.post(path, { decision: 'attest' }), 403, 'forbidden');
  assertProblem(await colleague.post(path, { decision: 'maybe' }), 422, 'validation', { field: 'decision' });
  expectStatus(await colleague.post(path, { decision: 'attest', note: 'We were in the chat together.' }), 200, 'attesting');
  assertProblem(await colleague.post(path, { decision: 'decline' }), 404, 'not-found');
  const mine = expectStatus(await d.teacher.get('/api/v1/me/evidence'), 200, 'my evidence');
  const r = mine.self_reports.find((x) => x.id === item.id);
  assert.equal(r.attestation.state, 'attested');
  assert.equal(r.attestation.note, 'We were in the chat together.');
  assert.equal(r.attestation.evidence, `attestation:${item.id}`);
});

it('an educator claims, the engine shows what is missing, an approver approves, and the transcript shows the hours', async () => {
  const d = await district();
  const colleague = await confirmed('colleague');
  const item = await attestedLearning(d.teacher, colleague);

  // Knowledge needs host attendance or a survey: the self-report alone is not enough.
  const first = expectStatus(await d.teacher.post(`/api/v1/districts/${d.slug}/claims`, {
    tier: 'knowledge', evidence: [`self_report:${item.id}`], note: 'Chat in August',
  }), 201, 'claiming');
  assert.equal(first.status, 'pending');
  assert.equal(first.evaluation.suggestion, 'needs_evidence', JSON.stringify(first.evaluation));
  assert.ok(first.evaluation.missing.length > 0, 'missing evidence is listed');
  expectStatus(await d.teacher.delete(`/api/v1/districts/${d.slug}/claims/${first.id}`), 204, 'withdrawing');

  const survey = expectStatus(await d.teacher.post('/api/v1/me/evidence', {
    kind: 'survey', title: 'What I learned', body: JSON.stringify({ learned: 'exit tickets', apply: 'weekly' }),
  }), 201, 'adding a survey');
  const claim = expectStatus(await d.teacher.post(`/api/v1/districts/${d.slug}/claims`, {
    tier: 'knowledge', evidence: [`self_report:${item.id}`, `survey:${survey.id}`],
  }), 201, 'claiming again');
  assert.equal(claim.evaluation.suggestion, 'approve', JSON.stringify(claim.evaluation.rules));
  assert.equal(claim.evaluation.credit.clock_hours, 1);

  // The queue is the approvers'.
  assertProblem(await d.teacher.get(`/api/v1/districts/${d.slug}/claims`), 403, 'forbidden');
  const queue = expectStatus(await d.approver.get(`/api/v1/districts/${d.slug}/claims?suggestion=approve`), 200, 'queue');
  assert.deepEqual(queue.items.map((k) => k.id), [claim.id]);
  assert.equal(queue.items[0].educator.school, 'Lincoln Elementary');
  const approved = expectStatus(await d.approver.post(`/api/v1/districts/${d.slug}/claims/${claim.id}/decision`,
    { decision: 'approve' }), 200, 'approving');
  assert.equal(approved.status, 'approved');
  assert.equal(approved.credit.clock_hours, 1);
  assert.equal(approved.policy_version, 1);
  assertProblem(await d.approver.post(`/api/v1/districts/${d.slug}/claims/${claim.id}/decision`,
    { decision: 'deny', reason: 'changed my mind' }), 409, 'conflict');
  assertProblem(await d.teacher.delete(`/api/v1/districts/${d.slug}/claims/${claim.id}`), 409, 'conflict');

  // The same evidence cannot back a second claim.
  const again = expectStatus(await d.teacher.post(`/api/v1/districts/${d.slug}/claims`, {
    tier: 'knowledge', evidence: [`self_report:${item.id}`, `survey:${survey.id}`],
  }), 201, 'claiming the same evidence');
  assert.equal(again.evaluation.suggestion, 'deny');
  assert.ok(again.evaluation.rules.some((r) => r.rule === 'evidence.unused' && !r.passed));
  assertProblem(await d.approver.post(`/api/v1/districts/${d.slug}/claims/${again.id}/decision`, { decision: 'approve' }),
    409, 'conflict');
  assertProblem(await d.approver.post(`/api/v1/districts/${d.slug}/claims/${again.id}/decision`, { decision: 'deny' }),
    422, 'validation', { field: 'reason' });
  const denied = expectStatus(await d.approver.post(`/api/v1/districts/${d.slug}/claims/${again.id}/decision`,
    { decision: 'deny', reason: 'This learning was credited already.' }), 200, 'denying');
  assert.equal(denied.status, 'denied');

  // The educator hears of both decisions by mail too.
  const mails = (await collect(site, '/api/v1/mail')).filter((m) => m.to === d.teacher.credentials.email);
  assert.ok(mails.some((m) => m.subject === 'Your credit claim was approved' && m.body.includes('1 hour')),
    mails.map((m) => m.subject).join(', '));
  assert.ok(mails.some((m) => m.subject === 'Your credit claim was not approved' &&
    m.body.includes('This learning was credited already.')));

  const mine = expectStatus(await d.teacher.get(`/api/v1/districts/${d.slug}/my-claims`), 200, 'my claims');
  assert.deepEqual(mine.items.map((k) => k.status), ['denied', 'approved', 'withdrawn']);
  assert.equal(mine.items[0].reason, 'This learning was credited already.');

  const t = expectStatus(await d.teacher.get(`/api/v1/districts/${d.slug}/transcript`), 200, 'transcript');
  assert.equal(t.claims.length, 1);
  const current = t.transcript.cycles.find((c) => c.current);
  assert.ok(current, JSON.stringify(t.transcript));
  assert.equal(current.total.clock_hours, 1, JSON.stringify(current));
  const csv = await d.teacher.get(`/api/v1/districts/${d.slug}/transcript?format=csv`);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.match(csv.text, new RegExp(`^claim,tier,`));
  assert.match(csv.text, new RegExp(`\\r\\n${claim.id},knowledge,`));
  assertProblem(await d.teacher.get(`/api/v1/districts/${d.slug}/transcript?educator=${d.approver.user.id}`), 403,
    'forbidden');
  expectStatus(await d.approver.get(`/api/v1/districts/${d.slug}/transcript?educator=${d.teacher.user.id}`), 200,
    'approvers read transcripts');

  const report = expectStatus(await d.approver.get(`/api/v1/districts/${d.slug}/reports/credit`), 200, 'report');
  assert.deepEqual(report.by.school.map((r) => [r.key, r.clock_hours]), [['Lincoln Elementary', 1]]);
  assert.deepEqual(report.by.format.map((r) => [r.key, r.clock_hours]), [['social_media_chat', 1]]);
  const lic = await d.approver.get(`/api/v1/districts/${d.slug}/reports/licensure.csv`);
  assert.equal(lic.status, 200);
  assert.match(lic.text, new RegExp(`${escapeRe(d.teacher.credentials.email)},`));

  const audit = expectStatus(await d.admin.get(`/api/v1/districts/${d.slug}/audit`), 200, 'audit');
  const actions = audit.items.map((a) => a.action);
  for (const a of ['policy_saved', 'submitted', 'withdrawn', 'approved', 'denied', 'refused']) {
    assert.ok(actions.includes(a), `the audit trail has ${a}: ${actions}`);
  }
  const approval = audit.items.find((a) => a.action === 'approved');
  assert.equal(approval.claim_id, claim.id);
  assert.equal(approval.policy_version, 1);
  assert.equal(approval.actor, d.approver.user.display_name);
});

it('claims on someone else\'s records, decisions by non-approvers and on one\'s own claim are refused and logged', async () => {
  const d = await district();
  const colleague = await confirmed('colleague');
  const theirs = await attestedLearning(colleague, d.teacher);
  const refused = await d.teacher.post(`/api/v1/districts/${d.slug}/claims`, {
    tier: 'knowledge', evidence: [`self_report:${theirs.id}`],
  });
  assertProblem(refused, 403, 'forbidden', { field: 'evidence[0]' });
  assertProblem(await d.teacher.post(`/api/v1/districts/${d.slug}/claims`, { tier: 'knowledge', evidence: ['bogus'] }),
    422, 'validation', { field: 'evidence[0]' });

  const item = await attestedLearning(d.approver, colleague);
  const own = expectStatus(await d.approver.post(`/api/v1/districts/${d.slug}/claims`, {
    tier: 'knowledge', evidence: [`self_report:${item.id}`],
  }), 201, 'the approver claims for themself');
  assertProblem(await d.approver.post(`/api/v1/districts/${d.slug}/claims/${own.id}/decision`, { decision: 'approve' }),
    403, 'forbidden');
  assertProblem(await d.teacher.post(`/api/v1/districts/${d.slug}/claims/${own.id}/decision`, { decision: 'approve' }),
    403, 'forbidden');
  const audit = expectStatus(await d.admin.get(`/api/v1/districts/${d.slug}/audit`), 200, 'audit');
  assert.ok(audit.items.filter((a) => a.action === 'refused').length >= 2, JSON.stringify(audit.items));
});

it('bulk approval approves what meets the policy and reports the rest', async () => {
  const d = await district();
  const colleague = await confirmed('colleague');
  const ids = [];
  for (let i = 0; i < 3; i += 1) {
    const item = await attestedLearning(d.teacher, colleague, { title: `Chat ${i}` });
    const survey = expectStatus(await d.teacher.post('/api/v1/me/evidence', { kind: 'survey', title: `S${i}`, body: '{"ok":true}' }),
      201, 'survey');
    const k = expectStatus(await d.teacher.post(`/api/v1/districts/${d.slug}/claims`, {
      tier: 'knowledge', evidence: [`self_report:${item.id}`, `survey:${survey.id}`],
    }), 201, 'claim');
    ids.push(k.id);
  }
  const weak = expectStatus(await d.teacher.post('/api/v1/me/learning', {
    title: 'No attestation', format: 'webinar', learned_on: addDays(today(), -1), minutes: 30, reflection: words(25),
  }), 201, 'unattested learning');
  const k = expectStatus(await d.teacher.post(`/api/v1/districts/${d.slug}/claims`, {
    tier: 'knowledge', evidence: [`self_report:${weak.id}`],
  }), 201, 'a claim that cannot pass yet');
  const res = expectStatus(await d.approver.post(`/api/v1/districts/${d.slug}/claim-approvals`,
    { claims: [...ids, k.id], reason: 'Batch of August chats' }), 200, 'bulk approval');
  assert.deepEqual(res.items.map((o) => [o.claim_id, o.approved]), [...ids.map((id) => [id, true]), [k.id, false]]);
  assert.ok(res.items[3].detail.length > 0);
  assertProblem(await d.teacher.post(`/api/v1/districts/${d.slug}/claim-approvals`, { claims: ids }), 403, 'forbidden');
});

it('an artifact is served as a download to its owner and to approvers of a claim that names it', async () => {
  const d = await district();
  const content = Buffer.from('<script>alert(1)</script> lesson plan');
  const art = expectStatus(await d.teacher.post('/api/v1/me/evidence', {
    kind: 'artifact', title: 'Lesson plan', file_name: 'plan.html', content_type: 'text/html',
    content_base64: content.toString('base64'),
  }), 201, 'uploading');
  assert.equal(art.size, content.length);
  const own = await d.teacher.get(`/api/v1/evidence/${art.id}/content`);
  assert.equal(own.status, 200);
  assert.equal(own.text, content.toString());
  assert.match(own.headers.get('content-disposition'), /^attachment; filename="plan.html"/);
  assert.equal(own.headers.get('content-type'), 'application/octet-stream');
  assertProblem(await d.approver.get(`/api/v1/evidence/${art.id}/content`), 404, 'not-found');
  const item = expectStatus(await d.teacher.post('/api/v1/me/learning', {
    title: 'Course', format: 'online_course', learned_on: addDays(today(), -3), minutes: 120, reflection: words(10),
  }), 201, 'learning');
  expectStatus(await d.teacher.post(`/api/v1/districts/${d.slug}/claims`, {
    tier: 'application', evidence: [`self_report:${item.id}`, `artifact:${art.id}`],
  }), 201, 'claim');
  expectStatus(await d.approver.get(`/api/v1/evidence/${art.id}/content`), 200, 'the approver opens it');
  assertProblem(await d.teacher.delete(`/api/v1/me/evidence/${art.id}`), 409, 'conflict');
  assertProblem(await d.teacher.post('/api/v1/me/evidence', { kind: 'artifact', title: 'Big', file_name: 'x.bin',
    content_base64: Buffer.alloc(600 * 1024).toString('base64') }), 422, 'validation', { field: 'content_base64' });
});

it('an admin gives an educator a renewal cycle of their own; the transcript and the engine count from it', async () => {
  const d = await district();
  const members = expectStatus(await d.admin.get(`/api/v1/districts/${d.slug}/members?limit=25`), 200);
  const m = members.items.find((x) => x.email === d.teacher.credentials.email);
  assert.equal(m.cycle_starts_on, null, 'the policy’s cycle start until one is set');
  const path = `/api/v1/districts/${d.slug}/members/${m.id}`;
  const before = expectStatus(await d.teacher.get(`/api/v1/districts/${d.slug}/transcript`), 200);
  assert.equal(before.transcript.cycle_starts_on, addDays(today(), -400));

  assertProblem(await d.admin.patch(path, { cycle_starts_on: '2024-02-30' }), 422, 'validation', { field: 'cycle_starts_on' });
  const own = addDays(today(), -100);
  assertProblem(await d.teacher.patch(path, { cycle_starts_on: own }), 403, 'forbidden');
  assertProblem(await d.approver.patch(path, { cycle_starts_on: own }), 403, 'forbidden');
  const updated = expectStatus(await d.admin.patch(path, { cycle_starts_on: own }), 200);
  assert.equal(updated.cycle_starts_on, own);
  assert.equal(updated.school, 'Lincoln Elementary', 'other fields are left as they were');
  const after = expectStatus(await d.teacher.get(`/api/v1/districts/${d.slug}/transcript`), 200);
  assert.equal(after.transcript.cycle_starts_on, own);
  assert.equal(after.transcript.cycles[0].starts_on, own, 'the current cycle starts on the educator’s date');

  const cleared = expectStatus(await d.admin.patch(path, { cycle_starts_on: '' }), 200);
  assert.equal(cleared.cycle_starts_on, null);
  const back = expectStatus(await d.teacher.get(`/api/v1/districts/${d.slug}/transcript`), 200);
  assert.equal(back.transcript.cycle_starts_on, addDays(today(), -400));
});
