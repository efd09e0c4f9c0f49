// Credit in the browser: an educator logs informal learning, a colleague attests it through
// the mailed link, the educator adds a survey and claims credit (seeing how the policy judges
// the claim), an approver approves it from the queue, and the educator's claims and
// transcript show it. The policy editor refuses a contradictory policy field by field and
// saves a valid one as version 2. The claim form works with the keyboard alone. The district,
// its people and the first policy are set up through the API.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, localDate, suffix } from '../lib/activities.mjs';
import { api, createSiteAdmin, signUp } from '../lib/server.mjs';
import { assertNoPageErrors, focused, open, signInInBrowser, useEnvironment } from './support.mjs';

const env = useEnvironment();
const TZ = 'America/Chicago';
let site = null;

const today = () => localDate(new Date(), TZ);
const words = (n) => Array.from({ length: n }, (_, i) => `word${i}`).join(' ');

async function siteAdmin() {
  if (!site) site = await createSiteAdmin(env.server);
  return site;
}

/** The newest mail to `email` with a link to `pathPrefix`: the link's path and query. */
async function mailedLink(email, pathPrefix) {
  const mail = await (await siteAdmin()).get('/api/v1/mail?limit=100');
  assert.equal(mail.status, 200, mail.text);
  const escaped = pathPrefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`${escaped}\\?token=[^\\s"'<>)]+`);
  const message = mail.body.items.find((m) => m.to === email && re.test(m.body));
  assert.ok(message, `a mail to ${email} with a ${pathPrefix} link`);
  return message.body.match(re)[0];
}

/** An account made through the API with its address confirmed. */
async function confirmed(label, displayName) {
  const c = api(env.baseUrl);
  await signUp(c, { email: `${label}-${suffix()}@example.org`, display_name: displayName });
  const link = await mailedLink(c.credentials.email, '/verify-email');
  const token = decodeURIComponent(link.split('token=')[1]);
  const res = await api(env.baseUrl).post('/api/v1/email-verifications', { token });
  assert.equal(res.status, 200, res.text);
  return c;
}

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

/** A district with an admin, an approver and a teacher at a school, and its first policy. */
async function district() {
  const slug = `credit-${suffix()}`;
  const admin = await confirmed('admin', 'Ada Admin');
  const created = await admin.post('/api/v1/districts', {
    slug, name: 'Springfield Public Schools', state: 'IL', time_zone: TZ, schools: ['Lincoln Elementary'],
  });
  assert.equal(created.status, 201, created.text);
  const code = created.body.join_code;
  const approver = await confirmed('approver', 'Grace Approver');
  const joined = await approver.post('/api/v1/district-memberships', { code });
  assert.equal(joined.status, 201, joined.text);
  const promoted = await admin.patch(`/api/v1/districts/${slug}/members/${joined.body.member.id}`, { role: 'approver' });
  assert.equal(promoted.status, 200, promoted.text);
  const teacher = await confirmed('teacher', 'Mary Teacher');
  const t = await teacher.post('/api/v1/district-memberships', { code });
  assert.equal(t.status, 201, t.text);
  const placed = await admin.patch(`/api/v1/districts/${slug}/members/${t.body.member.id}`, { school: 'Lincoln Elementary' });
  assert.equal(placed.status, 200, placed.text);
  const saved = await admin.post(`/api/v1/districts/${slug}/policy/versions`, policy());
  assert.equal(saved.status, 201, saved.text);
  return { slug, admin, approver, teacher };
}

/** Attested logged learning and a survey, made through the API. */
async function attestedLearningAndSurvey(teacher, colleague) {
  const item = await teacher.post('/api/v1/me/learning', {
    title: 'Forum thread on feedback', format: 'webinar', learned_on: addDays(today(), -1), minutes: 45, reflection: words(25),
  });
  assert.equal(item.status, 201, item.text);
  const asked = await teacher.post(`/api/v1/me/learning/${item.body.id}/attestation`, { email: colleague.credentials.email });
  assert.equal(asked.status, 200, asked.text);
  const link = await mailedLink(colleague.credentials.email, '/attest');
  const token = decodeURIComponent(link.split('token=')[1]);
  const answered = await colleague.post(`/api/v1/attestations/${encodeURIComponent(token)}`, { decision: 'attest' });
  assert.equal(answered.status, 200, answered.text);
  const survey = await teacher.post('/api/v1/me/evidence', {
    kind: 'survey', title: 'Feedback survey', body: JSON.stringify({ learned: 'Feedback loops', apply: 'Weekly', rating: 'useful' }),
  });
  assert.equal(survey.status, 201, survey.text);
  return { item: item.body, survey: survey.body };
}

test('an educator logs learning and claims credit, an approver approves it, and the transcript shows the hours', async () => {
  const d = await district();
  const colleague = await confirmed('colleague', 'Colin Colleague');
  const page = await env.newPage();
  await signInInBrowser(page, d.teacher.credentials);

  // My learning, from the header.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My learning' }).click();
  await page.getByRole('heading', { level: 1, name: 'My learning' }).waitFor();
  const logged = page.getByRole('region', { name: 'Logged learning' });
  await logged.getByText('You have not logged any learning yet.').waitFor();

  // Logging with problems: every one named by its field.
  const log = logged.getByRole('form', { name: 'Log learning' });
  await log.getByRole('button', { name: 'Log learning' }).click();
  const problems = logged.getByRole('alert').filter({ hasText: 'The learning was not logged' });
  await problems.waitFor();
  assert.match(await problems.innerText(), /Enter a title/);
  assert.match(await problems.innerText(), /Choose the format/);
  assert.equal(await log.getByLabel('Title').getAttribute('aria-invalid'), 'true');

  const title = '#edchat on formative assessment';
  await log.getByLabel('Title').fill(title);
  await log.getByLabel('Format').selectOption('social_media_chat');
  await log.getByLabel('Date').fill(addDays(today(), -2));
  await log.getByLabel('Minutes').fill('60');
  await log.getByLabel(/Link/).fill('https://twitter.com/hashtag/edchat');
  const reflection = log.getByLabel(/Reflection/);
  await reflection.fill("It's a well-known idea: students' self-assessment works.");
  await log.getByText('7 words').waitFor(); // counted as the server counts
  await reflection.fill(words(30));
  await log.getByText('30 words').waitFor();
  await log.getByRole('button', { name: 'Log learning' }).click();
  await logged.getByRole('status').filter({ hasText: `Logged: ${title}.` }).waitFor();
  const entry = logged.getByRole('listitem').filter({ has: page.getByRole('heading', { name: title }) });
  await entry.waitFor();
  assert.match(await entry.innerText(), /Social media chat/);
  assert.match(await entry.innerText(), /1 hour/);
  assert.match(await entry.innerText(), /30 words/);

  // Asking a colleague to attest.
  await entry.getByLabel('Colleague’s email address').fill(colleague.credentials.email);
  await entry.getByRole('button', { name: `Ask a colleague to attest ${title}` }).click();
  await entry.getByRole('status').filter({ hasText: `Asked ${colleague.credentials.email}.` }).waitFor();
  await entry.getByText('Attestation: Requested').waitFor();

  // The colleague follows the mailed link while signed out, signs in and comes back to attest.
  const link = await mailedLink(colleague.credentials.email, '/attest');
  const colleaguePage = await env.newPage();
  await open(colleaguePage, link);
  await colleaguePage.getByRole('heading', { level: 1, name: 'Confirm a colleague’s learning' }).waitFor();
  await colleaguePage.getByRole('link', { name: 'Sign in to answer' }).click();
  await colleaguePage.getByLabel('Email address').fill(colleague.credentials.email);
  await colleaguePage.getByLabel('Password', { exact: true }).fill(colleague.credentials.password);
  await colleaguePage.getByRole('button', { name: 'Sign in' }).click();
  await colleaguePage.waitForURL('**/attest?token=**');
  const asked = colleaguePage.getByRole('region', { name: 'What Mary Teacher asks you to confirm' });
  await asked.waitFor();
  assert.match(await asked.innerText(), new RegExp(title));
  assert.match(await asked.innerText(), /1 hour/);
  await colleaguePage.getByLabel('I attest that Mary Teacher took part').check();
  await colleaguePage.getByLabel(/Note/).fill('We were in the chat together.');
  await colleaguePage.getByRole('button', { name: 'Send answer' }).click();
  await colleaguePage.getByRole('heading', { name: 'Thank you: you attested this learning' }).waitFor();
  assertNoPageErrors(colleaguePage);
  await colleaguePage.context().close();

  await open(page, '/learning');
  const attested = page.getByRole('region', { name: 'Logged learning' }).getByRole('listitem').filter({ hasText: title });
  await attested.getByText('Attestation: Attested').waitFor();
  assert.match(await attested.innerText(), /We were in the chat together\./);

  // A survey.
  const supporting = page.getByRole('region', { name: 'Supporting evidence' });
  const survey = supporting.getByRole('form', { name: 'Add a survey' });
  await survey.getByLabel('Title').fill('What I took from #edchat');
  await survey.getByLabel('What did you learn?').fill('Exit tickets show what stuck.');
  await survey.getByLabel('How will you use it in your teaching?').fill('An exit ticket every Friday.');
  await survey.getByLabel('Useful', { exact: true }).check();
  await survey.getByRole('button', { name: 'Add survey' }).click();
  await survey.getByRole('status').filter({ hasText: 'Survey added: What I took from #edchat.' }).waitFor();
  const surveyItem = supporting.getByRole('list', { name: 'Your supporting evidence' }).getByRole('listitem').first();
  assert.match(await surveyItem.innerText(), /Exit tickets show what stuck\./);
  assert.match(await surveyItem.innerText(), /Useful/);
  assertNoPageErrors(page);

  // Claiming in the district: the evaluation comes back at once.
  await open(page, `/districts/${d.slug}`);
  await page.getByRole('region', { name: 'Credit' }).getByRole('link', { name: 'Claim credit' }).click();
  await page.getByRole('heading', { level: 1, name: 'Claim credit' }).waitFor();
  const claimForm = page.getByRole('form', { name: 'Claim credit' });
  await claimForm.getByLabel(/^Knowledge \(level 1\)/).check();
  await claimForm.getByRole('group', { name: 'Learning you logged' }).getByLabel(new RegExp(title.replace(/[#]/g, '.'))).check();
  await claimForm.getByRole('group', { name: 'Surveys' }).getByLabel(/What I took from #edchat/).check();
  await claimForm.getByLabel(/Note for the approvers/).fill('Chat in the evening.');
  await claimForm.getByRole('button', { name: 'Submit claim' }).click();
  const result = page.getByRole('region', { name: /^Claim \d+ submitted$/ });
  await result.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'claim-result-heading');
  const claimId = Number((await result.getByRole('heading', { level: 2 }).innerText()).match(/Claim (\d+)/)[1]);
  const evaluation = result.getByRole('region', { name: 'How the policy judges this claim' });
  assert.match(await evaluation.innerText(), /Suggestion: Approve\./);
  const rules = evaluation.getByRole('table', { name: /Every rule/ });
  assert.ok((await rules.getByRole('row').count()) > 5, 'every rule is listed');
  assert.match(await rules.getByRole('row').filter({ hasText: 'learning.self_reported' }).innerText(), /Passed/);
  assert.equal(await rules.getByRole('row').filter({ hasText: 'Failed' }).count(), 0);
  assert.match(await evaluation.innerText(), /Clock hours\s*1\b/);
  assert.match(await evaluation.innerText(), /Nothing is missing\./);
  assertNoPageErrors(page);

  // The approver works the queue: filters, the claim, its rules, approval.
  const approverPage = await env.newPage();
  await signInInBrowser(approverPage, d.approver.credentials);
  await open(approverPage, `/districts/${d.slug}`);
  await approverPage.getByRole('region', { name: 'Credit' }).getByRole('link', { name: 'Claims to decide' }).click();
  await approverPage.getByRole('heading', { level: 1, name: 'Claims to decide' }).waitFor();
  await approverPage.getByLabel('Suggestion').selectOption('approve');
  await approverPage.getByLabel('School').selectOption('Lincoln Elementary');
  await approverPage.getByRole('button', { name: 'Show claims' }).click();
  await approverPage.waitForURL(/suggestion=approve/);
  const row = approverPage.getByRole('table', { name: /^Claims/ }).getByRole('row').filter({ hasText: `Claim ${claimId}` });
  await row.waitFor();
  const rowText = await row.innerText();
  for (const part of ['Mary Teacher', 'Lincoln Elementary', 'Knowledge', 'Approve', '1 hour', 'Pending']) {
    assert.ok(rowText.includes(part), `the queue row shows ${part}: ${rowText}`);
  }
  await row.getByRole('link', { name: `Claim ${claimId} by Mary Teacher` }).click();
  await approverPage.getByRole('heading', { level: 1, name: `Claim ${claimId}` }).waitFor();
  const evidence = approverPage.getByRole('region', { name: 'Evidence' });
  assert.match(await evidence.innerText(), /Logged learning/);
  assert.match(await evidence.innerText(), /Survey/);
  await approverPage.getByRole('region', { name: 'How the policy judges this claim' }).getByRole('table').waitFor();
  await approverPage.getByRole('button', { name: `Approve claim ${claimId}` }).click();
  await approverPage.getByRole('status').filter({ hasText: `Claim ${claimId} approved.` }).waitFor();
  const facts = approverPage.getByRole('region', { name: new RegExp(`^Claim ${claimId}`) }).first();
  assert.match(await facts.innerText(), /Approved by Grace Approver on/);
  const trail = approverPage.getByRole('region', { name: `Audit trail of claim ${claimId}`, exact: true });
  await trail.getByRole('cell', { name: 'Claim approved' }).waitFor();
  assert.match(await trail.innerText(), /Claim submitted/);
  assert.equal(await approverPage.getByRole('button', { name: `Approve claim ${claimId}` }).count(), 0, 'decided once');
  assertNoPageErrors(approverPage);
  await approverPage.context().close();

  // The educator's claims show the approval, and the transcript the hours.
  await open(page, `/districts/${d.slug}/my-claims`);
  const mine = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Claim ${claimId}`) }) });
  await mine.waitFor();
  assert.match(await mine.innerText(), /Approved/);
  assert.match(await mine.innerText(), /Approved by Grace Approver on/);
  assert.equal(await mine.getByRole('button', { name: /Withdraw/ }).count(), 0, 'an approved claim cannot be withdrawn');

  await page.getByRole('link', { name: 'Your transcript' }).click();
  await page.getByRole('heading', { level: 1, name: 'My transcript' }).waitFor();
  const cycle = page.getByRole('region', { name: /\(current\)$/ });
  await cycle.waitFor();
  assert.match(await cycle.innerText(), /1 of 100 hours \(1%\)/);
  assert.equal(await cycle.getByRole('progressbar').getAttribute('aria-valuenow'), '1');
  const byTier = cycle.getByRole('table', { name: 'Approved credit by tier' });
  assert.match(await byTier.getByRole('row').filter({ hasText: 'Knowledge' }).innerText(), /Knowledge\s+1\s+0\.1\s+0\.06/);
  const approvedClaims = page.getByRole('region', { name: 'Approved claims', exact: true });
  const claimRow = approvedClaims.getByRole('row').filter({ hasText: `Claim ${claimId}` });
  assert.match(await claimRow.innerText(), new RegExp(title));
  assert.match(await claimRow.innerText(), /What I took from #edchat/);
  assert.match(await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href'), /transcript\?format=csv$/);
  assert.match(await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href'), /transcript\?format=pdf$/);
  const csv = await page.evaluate(async (href) => (await fetch(href)).text(), await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href'));
  assert.match(csv, new RegExp(`\\r\\n${claimId},knowledge,`));
  // Printing leaves the header, the navigation and the buttons out.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-header').isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Print' }).isVisible(), false);
  assert.equal(await approvedClaims.isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  assertNoPageErrors(page);
  await page.context().close();
});

test('the policy editor refuses a contradictory policy field by field and saves a valid one as version 2', async () => {
  const d = await district();
  const page = await env.newPage();
  await signInInBrowser(page, d.admin.credentials);
  await open(page, `/districts/${d.slug}`);
  await page.getByRole('link', { name: 'Write the credit policy' }).click();
  await page.getByRole('heading', { level: 1, name: 'Credit policy' }).waitFor();
  const inForce = page.getByRole('region', { name: 'The policy in force' });
  assert.match(await inForce.innerText(), /Professional learning credit, version 1/);
  assert.match(await inForce.innerText(), /Knowledge \(level 1\)/);

  const editor = page.getByRole('form', { name: 'Edit the policy' });
  assert.equal(await editor.getByLabel('Policy name').inputValue(), 'Professional learning credit');
  const tier2 = editor.getByRole('group', { name: 'Tier 2: Application' });
  await tier2.getByLabel('Id', { exact: true }).fill('knowledge');
  await tier2.getByLabel('Deadline in days').fill('10');
  await editor.getByRole('button', { name: 'Add a cap' }).click();
  const cap2 = editor.getByRole('group', { name: 'Cap 2' });
  await cap2.getByLabel('Applies to').selectOption('all');
  await cap2.getByLabel('Period').selectOption('year');
  await cap2.getByLabel('Maximum hours').fill('0');
  await editor.getByRole('button', { name: 'Save as version 2' }).click();

  const summary = page.getByRole('alert').filter({ hasText: 'The policy was not saved' });
  await summary.waitFor();
  const text = await summary.innerText();
  assert.match(text, /tiers\[1\]\.id/, text);
  assert.match(text, /Tier 2 \(Application\), id/, text);
  const idField = page.locator('#policy-tiers-1-id');
  assert.equal(await idField.getAttribute('aria-invalid'), 'true');
  const idError = await page.locator('#policy-tiers-1-id-error').innerText();
  assert.match(idError, /knowledge/i);
  assert.match(text, /Tier 2 \(Application\), deadline in days \(tiers\[1\]\.deadline_days\): 10 days is shorter than the 30 days of knowledge/, text);
  assert.match(text, /Cap 2, maximum hours \(caps\[1\]\.max_hours\): must be more than 0/, text);
  assert.equal(await page.locator('#policy-caps-1-max_hours').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#policy-tiers-1-deadline_days-error').innerText(), /shorter than the 30 days/);
  // The summary's links lead to the fields.
  await summary.getByRole('link', { name: /tiers\[1\]\.id/ }).click();
  assert.equal((await focused(page)).id, 'policy-tiers-1-id');
  assert.equal((await d.admin.get(`/api/v1/districts/${d.slug}/policy`)).body.versions.length, 1, 'nothing saved');

  // Fixed: saved as version 2.
  await tier2.getByLabel('Id', { exact: true }).fill('application');
  await tier2.getByLabel('Deadline in days').fill('365');
  await cap2.getByRole('button', { name: 'Remove cap 2' }).click();
  await editor.getByLabel('Policy name').fill('Springfield credit, second edition');
  await editor.getByRole('button', { name: 'Save as version 2' }).click();
  await editor.getByRole('status').filter({ hasText: /^Saved as version 2/ }).waitFor();
  assert.equal(await summary.count(), 0, 'the problems are gone');
  const versions = page.getByRole('region', { name: 'Versions' });
  await versions.getByRole('row').filter({ hasText: 'Springfield credit, second edition' }).waitFor();
  assert.match(await versions.getByRole('row').filter({ hasText: 'Springfield credit, second edition' }).innerText(), /^2\s*In force/);
  await inForce.getByText('Springfield credit, second edition').waitFor();
  await page.getByRole('button', { name: 'Save as version 3' }).waitFor();
  const saved = (await d.admin.get(`/api/v1/districts/${d.slug}/policy`)).body;
  assert.equal(saved.current.version, 2);
  assert.deepEqual(saved.current.tiers.map((t) => t.id), ['knowledge', 'application']);
  assert.equal(saved.current.caps.length, 1);

  // Earlier versions: viewed in words, downloaded as JSON.
  await versions.getByRole('button', { name: 'View version 1' }).click();
  const v1 = versions.getByRole('region', { name: 'Version 1' });
  await v1.waitFor();
  assert.match(await v1.innerText(), /Professional learning credit, version 1/);
  assert.match(await versions.getByRole('link', { name: 'Download JSON of version 1' }).getAttribute('href'), /versions\/1\?download=true$/);

  // Importing a file: a refused one lists its problems by path; an export imports as the next version.
  const importForm = page.getByRole('form', { name: 'Import a policy file' });
  const json = (name, value) => ({ name, mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(value)) });
  await importForm.getByLabel('Policy file').setInputFiles(json('broken.json', { ...policy(), name: '', tiers: [] }));
  await importForm.getByRole('button', { name: 'Import' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'The file was not imported' });
  await refused.waitFor();
  assert.match(await refused.innerText(), /tiers: add at least one tier/);
  const v1json = (await d.admin.get(`/api/v1/districts/${d.slug}/policy/versions/1`)).body;
  await importForm.getByLabel('Policy file').setInputFiles(json('v1.json', v1json));
  await importForm.getByRole('button', { name: 'Import' }).click();
  await importForm.getByRole('status').filter({ hasText: 'Imported v1.json as version 3.' }).waitFor();
  await versions.getByRole('row').filter({ hasText: /^3/ }).waitFor();

  // Members read the policy in force, and do not get the editor.
  const teacherPage = await env.newPage();
  await signInInBrowser(teacherPage, d.teacher.credentials);
  await open(teacherPage, `/districts/${d.slug}/policy`);
  await teacherPage.getByRole('region', { name: 'The policy in force' }).getByText('Professional learning credit, version 3').waitFor();
  assert.equal(await teacherPage.getByRole('form', { name: 'Edit the policy' }).count(), 0);
  assertNoPageErrors(teacherPage);
  await teacherPage.context().close();
  assertNoPageErrors(page);
  await page.context().close();
});

test('the claim form is used with the keyboard alone', async () => {
  const d = await district();
  const colleague = await confirmed('colleague', 'Colin Colleague');
  const { item, survey } = await attestedLearningAndSurvey(d.teacher, colleague);
  const page = await env.newPage();
  await signInInBrowser(page, d.teacher.credentials);
  await open(page, `/districts/${d.slug}/claims/new`);
  await page.getByRole('form', { name: 'Claim credit' }).waitFor();

  const tabTo = async (predicate, max = 60) => {
    for (let i = 0; i < max; i += 1) {
      await page.keyboard.press('Tab');
      const f = await focused(page);
      if (predicate(f)) return f;
    }
    throw new Error(`not reached with Tab; focus is on ${JSON.stringify(await focused(page))}`);
  };
  const outline = () => page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);

  // Submitting with nothing chosen: the summary names both fields.
  await tabTo((f) => f.tag === 'button' && f.text === 'Submit claim');
  await page.keyboard.press('Enter');
  const summary = page.getByRole('alert').filter({ hasText: 'The claim was not submitted' });
  await summary.waitFor();
  assert.match(await summary.innerText(), /Choose the tier/);
  assert.match(await summary.innerText(), /Tick the learning/);

  // The tier: Tab into the radio group, arrows move between tiers.
  await page.locator('main h1').focus();
  const tier = await tabTo((f) => f.id === 'claim-tier' || f.id === 'claim-tier-1');
  assert.notEqual(await outline(), 'none', 'the focused radio shows a focus outline');
  if (tier.id === 'claim-tier') await page.keyboard.press('Space');
  assert.equal(await page.locator('#claim-tier').isChecked(), true, 'Knowledge chosen');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('#claim-tier-1').isChecked(), true, 'the arrow moves to Application');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.locator('#claim-tier').isChecked(), true, 'and back to Knowledge');

  // The records: Tab to each box, Space ticks it.
  const learningBox = await tabTo((f) => f.tag === 'input' && (f.label ?? '').startsWith(item.title));
  assert.notEqual(await outline(), 'none', 'the focused box shows a focus outline');
  await page.keyboard.press('Space');
  assert.equal(await page.locator(`#${learningBox.id}`).isChecked(), true);
  const surveyBox = await tabTo((f) => f.tag === 'input' && (f.label ?? '').startsWith(survey.title));
  await page.keyboard.press('Space');
  assert.equal(await page.locator(`#${surveyBox.id}`).isChecked(), true);
  await tabTo((f) => f.id === 'claim-note');
  await page.keyboard.type('Typed with the keyboard.');
  await tabTo((f) => f.tag === 'button' && f.text === 'Submit claim');
  assert.notEqual(await outline(), 'none', 'the focused button shows a focus outline');
  await page.keyboard.press('Enter');

  // Focus moves to the outcome.
  await page.waitForFunction(() => document.activeElement?.id === 'claim-result-heading');
  assert.match((await focused(page)).text, /^Claim \d+ submitted$/);
  assert.match(await page.getByRole('region', { name: 'How the policy judges this claim' }).innerText(), /Suggestion: Approve\./);
  const claims = (await d.teacher.get(`/api/v1/districts/${d.slug}/my-claims`)).body.items;
  assert.equal(claims.length, 1);
  assert.equal(claims[0].note, 'Typed with the keyboard.');
  assert.deepEqual([...claims[0].evidence].sort(), [item.evidence, survey.evidence].sort());

  // Withdrawing from the claims list, with the keyboard too.
  await open(page, `/districts/${d.slug}/my-claims`);
  await page.getByRole('heading', { name: new RegExp(`Claim ${claims[0].id}`) }).waitFor();
  await page.locator('main h1').focus();
  await tabTo((f) => f.tag === 'button' && f.text === `Withdraw claim ${claims[0].id}`);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.activeElement?.id?.endsWith('-question'));
  await tabTo((f) => f.tag === 'button' && f.text === 'Yes, withdraw');
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: `Claim ${claims[0].id} withdrawn.` }).waitFor();
  await page.getByRole('listitem').filter({ hasText: 'Withdrawn by Mary Teacher' }).waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});

test('an approver approves several claims at once and sees what happened to each', async () => {
  const d = await district();
  const colleague = await confirmed('colleague', 'Colin Colleague');
  const { item, survey } = await attestedLearningAndSurvey(d.teacher, colleague);
  const good = await d.teacher.post(`/api/v1/districts/${d.slug}/claims`, { tier: 'knowledge', evidence: [item.evidence, survey.evidence] });
  assert.equal(good.status, 201, good.text);
  const weak = await d.teacher.post('/api/v1/me/learning', {
    title: 'No attestation yet', format: 'webinar', learned_on: addDays(today(), -1), minutes: 30, reflection: words(25),
  });
  assert.equal(weak.status, 201, weak.text);
  const waiting = await d.teacher.post(`/api/v1/districts/${d.slug}/claims`, { tier: 'knowledge', evidence: [weak.body.evidence] });
  assert.equal(waiting.status, 201, waiting.text);

  const page = await env.newPage();
  await signInInBrowser(page, d.approver.credentials);
  await open(page, `/districts/${d.slug}/claims`);
  const table = page.getByRole('table', { name: /^Claims/ });
  await table.waitFor();
  assert.match(await table.getByRole('row').filter({ hasText: `Claim ${waiting.body.id}` }).innerText(), /Needs evidence/);
  await page.getByRole('checkbox', { name: 'Select every pending claim on this page' }).check();
  await page.getByRole('button', { name: 'Approve selected (2)' }).click();
  await page.getByRole('button', { name: 'Yes, approve' }).click();
  const outcome = page.getByRole('region', { name: '1 of 2 claims approved' });
  await outcome.waitFor();
  assert.match(await outcome.innerText(), new RegExp(`Claim ${good.body.id}: approved, 0\\.75 hours`));
  assert.match(await outcome.innerText(), new RegExp(`Claim ${waiting.body.id}: not approved\\. the claim does not meet the policy`, 'i'));
  await table.getByRole('row').filter({ hasText: `Claim ${waiting.body.id}` }).waitFor();
  // The queue reloads after the outcome shows: wait for the approved claim's
  // row to go rather than count the rows of the moment.
  await table.getByRole('row').filter({ hasText: `Claim ${good.body.id}` }).waitFor({ state: 'detached' });
  assert.equal(await table.getByRole('row').filter({ hasText: `Claim ${good.body.id}` }).count(), 0, 'the approved claim left the pending queue');
  const trail = page.getByRole('region', { name: 'Audit trail of the district', exact: true });
  await trail.getByRole('row').filter({ hasText: 'Claim approved' }).filter({ hasText: `Claim ${good.body.id}` }).waitFor();
  await trail.getByRole('row').filter({ hasText: 'Refused attempt' }).first().waitFor();

  // The reports count it.
  await open(page, `/districts/${d.slug}/reports`);
  await page.getByRole('heading', { level: 1, name: 'Credit reports' }).waitFor();
  assert.match(await page.locator('.figures').innerText(), /Claims waiting for a decision\s*1/);
  const bySchool = page.getByRole('figure', { name: 'Approved hours by school' });
  await bySchool.getByRole('img', { name: /Approved hours by school/ }).waitFor();
  await bySchool.getByText('Show the figures as a table').click();
  assert.match(await bySchool.getByRole('row').filter({ hasText: 'Lincoln Elementary' }).innerText(), /0\.75/);
  assert.match(await page.getByRole('link', { name: 'Download licensure CSV' }).getAttribute('href'), /reports\/licensure\.csv$/);
  assertNoPageErrors(page);
  await page.context().close();
});
