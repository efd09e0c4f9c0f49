// axe-core finds no serious or critical problems on any page, in its usual states.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, localDate, suffix } from '../lib/activities.mjs';
import { api, createSiteAdmin, signUp } from '../lib/server.mjs';
import { activityWorld, submittedDraft } from './activity-fixtures.mjs';
import {
  assertNoPageErrors,
  assertNoSeriousViolations,
  open,
  signInInBrowser,
  signUpInBrowser,
  strongPassword,
  uniqueEmail,
  useEnvironment,
} from './support.mjs';

const env = useEnvironment();

const CAMPAIGN_SLUG = 'open-learning-week';
let admin = null;

/** A site admin (signed in through the API) and a campaign with themes and hashtags, made once. */
async function campaignAdmin() {
  if (admin) return admin;
  admin = await createSiteAdmin(env.server);
  const created = await admin.post('/api/v1/campaigns', {
    slug: CAMPAIGN_SLUG,
    name: 'Open Learning Week',
    description: 'A week of open courses.\n\nEveryone is welcome.',
    starts_on: '2026-09-07',
    ends_on: '2026-09-13',
    time_zone: 'Europe/London',
    themes: [{ title: 'Open courses', summary: 'Try a course.', starts_on: '2026-09-07', ends_on: '2026-09-13' }],
    hashtags: ['openweek'],
  });
  assert.equal(created.status, 201, `creating a campaign: ${created.text}`);
  return admin;
}

async function pageShell(page, label) {
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', `${label}: <html lang="en">`);
  assert.match(await page.title(), /Staffroom/, `${label}: the title names the product`);
  assert.equal(await page.locator('main').count(), 1, `${label}: one main landmark`);
  assert.equal(await page.locator('main h1').count(), 1, `${label}: one page heading`);
}

test('signed-out pages have no serious accessibility violations', async () => {
  await campaignAdmin();
  const page = await env.newPage({ bypassCSP: true });
  const titles = new Set();
  for (const [urlPath, label] of [
    ['/', 'home'],
    ['/signup', 'sign up'],
    ['/signin', 'sign in'],
    ['/reset-password', 'reset password'],
    ['/reset-password?token=not-a-real-token', 'choose a new password'],
    ['/invitations/accept?token=not-a-real-token', 'accept an invitation'],
    ['/no-such-page', 'not found'],
    ['/campaigns', 'campaigns'],
    [`/campaigns/${CAMPAIGN_SLUG}`, 'campaign'],
  ]) {
    await open(page, urlPath);
    await pageShell(page, label);
    titles.add(await page.title());
    await assertNoSeriousViolations(page, `${label} (${urlPath})`);
  }
  assert.equal(titles.size, 9, `each page has its own title: ${[...titles].join(' | ')}`);

  // Forms showing their errors.
  await open(page, '/signup');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  await assertNoSeriousViolations(page, 'sign up with errors');

  await open(page, '/signin');
  await page.getByLabel('Email address').fill(uniqueEmail('nobody'));
  await page.getByLabel('Password', { exact: true }).fill(strongPassword());
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  await assertNoSeriousViolations(page, 'sign in with an error');

  await open(page, '/reset-password');
  await page.getByLabel('Email address').fill(uniqueEmail('nobody'));
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  await assertNoSeriousViolations(page, 'reset password, link sent');

  await open(page, '/reset-password?token=not-a-real-token');
  await page.getByLabel('New password').fill(strongPassword());
  await page.getByRole('button', { name: 'Set new password' }).click();
  await page.getByRole('alert').filter({ hasText: 'invalid' }).waitFor();
  await assertNoSeriousViolations(page, 'choose a new password with a bad token');
  assertNoPageErrors(page);
  await page.context().close();
});

test('signed-in pages have no serious accessibility violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  const person = { displayName: 'Ada Lovelace', email: uniqueEmail('ada'), password: strongPassword() };
  await signUpInBrowser(page, person);
  await pageShell(page, 'account');
  await assertNoSeriousViolations(page, 'account');

  await page.getByLabel('Token name').fill('Report export');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('region', { name: /Your new token/ }).waitFor();
  await page.getByRole('button', { name: 'Revoke' }).click();
  await page.getByRole('button', { name: 'Yes, revoke' }).waitFor();
  await assertNoSeriousViolations(page, 'account with a new token and a revoke question');

  await page.getByLabel('Current password').fill('not the password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  await assertNoSeriousViolations(page, 'account with a password error');

  await open(page, '/invitations/accept?token=not-a-real-token');
  await pageShell(page, 'accept an invitation, signed in');
  await assertNoSeriousViolations(page, 'accept an invitation, signed in');
  await page.getByRole('button', { name: 'Accept invitation' }).click();
  await page.getByRole('alert').filter({ hasText: 'The invitation was not accepted' }).waitFor();
  await assertNoSeriousViolations(page, 'accept an invitation with an unknown link');

  // A campaign page, signed in: the application form, then with its errors; as a site
  // administrator, the applications with a decline form showing its error.
  await open(page, `/campaigns/${CAMPAIGN_SLUG}`);
  await pageShell(page, 'campaign, signed in');
  const apply = page.getByRole('region', { name: 'Apply as a partner organization' });
  await assertNoSeriousViolations(page, 'campaign with the application form');
  await apply.getByRole('button', { name: 'Apply' }).click();
  await apply.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  await assertNoSeriousViolations(page, 'campaign with application errors');
  await apply.getByLabel('Organization name').fill('Hilltop School');
  await apply.getByLabel('Short name').fill('hilltop-school');
  await apply.getByLabel('Kind of organization').selectOption('school');
  await apply.getByLabel('Contact email').fill(uniqueEmail('hilltop'));
  await apply.getByRole('button', { name: 'Apply' }).click();
  await apply.getByRole('heading', { name: 'Application sent' }).waitFor();
  await assertNoSeriousViolations(page, 'campaign after applying');

  const me = await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).user.id);
  const grant = await (await campaignAdmin()).post(`/api/v1/users/${me}/roles`, {
    role: 'site_admin',
    scope_type: null,
    scope_id: null,
  });
  assert.equal(grant.status, 201, `granting site_admin: ${grant.text}`);
  await open(page, `/campaigns/${CAMPAIGN_SLUG}`);
  const applications = page.getByRole('region', { name: 'Applications' });
  await applications.getByRole('button', { name: 'Decline' }).click();
  await applications.getByRole('button', { name: 'Decline application' }).click();
  await applications.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  await assertNoSeriousViolations(page, 'campaign applications with a decline error');

  await open(page, '/');
  await pageShell(page, 'home, signed in');
  await assertNoSeriousViolations(page, 'home, signed in');
  assertNoPageErrors(page);
  await page.context().close();
});

test('pages fit a 360 pixel wide screen without sideways scrolling', async () => {
  await campaignAdmin();
  const page = await env.newPage({ viewport: { width: 360, height: 740 } });
  const person = { displayName: 'Evelyn Boyd Granville', email: uniqueEmail('evelyn'), password: strongPassword() };
  await signUpInBrowser(page, person);
  await page.getByLabel('Token name').fill('A token with a fairly long descriptive name for testing');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('region', { name: /Your new token/ }).waitFor();
  const overflow = async () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok((await overflow()) <= 0, `account overflows by ${await overflow()}px`);
  for (const urlPath of [
    '/',
    '/signup',
    '/signin',
    '/reset-password',
    '/invitations/accept?token=not-a-real-token',
    '/campaigns',
    `/campaigns/${CAMPAIGN_SLUG}`,
  ]) {
    await open(page, urlPath);
    assert.ok((await overflow()) <= 0, `${urlPath} overflows by ${await overflow()}px`);
  }
  await page.context().close();
});

test('activity pages have no serious accessibility violations', async () => {
  const w = await activityWorld(env.server);
  const draft = await submittedDraft(w);
  const person = w.podcasting.facilitators[0].slug;
  const catalog = `/campaigns/${w.slug}/activities`;

  // Signed out.
  const page = await env.newPage({ bypassCSP: true });
  const titles = new Set();
  for (const [urlPath, label] of [
    [`/campaigns/${w.slug}`, 'campaign with impact'],
    [catalog, 'catalog'],
    [`${catalog}?q=podcast&grade=3-5&format=webinar`, 'catalog with filters'],
    [`${catalog}?view=month`, 'catalog by month'],
    [`${catalog}?view=week`, 'catalog by week'],
    [`/activities/${w.podcasting.id}`, 'activity'],
    [`/organizations/${w.org}`, 'organization'],
    [`/people/${person}`, 'person'],
    [`/check-in/${w.podcasting.id}?code=ABC123`, 'check-in, signed out'],
  ]) {
    await open(page, urlPath);
    await pageShell(page, label);
    await page.locator('main [role=status]').filter({ hasText: /Loading/ }).waitFor({ state: 'detached' });
    titles.add(await page.title());
    await assertNoSeriousViolations(page, `${label} (${urlPath})`);
  }
  assert.equal(titles.size, 6, `each page has its own title (the four catalog views share one): ${[...titles].join(' | ')}`);
  await open(page, catalog);
  await page.getByText('Filters', { exact: true }).click();
  await page.getByLabel('From date').fill('2030-02-01');
  await page.getByLabel('To date').fill('2030-01-01');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.locator('#filter-to-error').waitFor();
  await assertNoSeriousViolations(page, 'catalog with a date error');
  assertNoPageErrors(page);
  await page.context().close();

  // Host staff: the manage section with its check-in code and edit form, the organization's
  // staff section, and the new activity form with its errors.
  const staff = await env.newPage({ bypassCSP: true });
  await signInInBrowser(staff, w.staff.credentials);
  await open(staff, `/activities/${w.podcasting.id}`);
  const manage = staff.getByRole('region', { name: 'Manage' });
  await manage.getByRole('button', { name: 'Show check-in code' }).click();
  await manage.getByRole('img', { name: /QR code/ }).waitFor();
  await manage.getByRole('button', { name: 'Edit activity' }).click();
  const details = manage.getByRole('region', { name: 'Details' });
  await details.getByLabel('Title').waitFor();
  await assertNoSeriousViolations(staff, 'activity with the manage section');
  await details.getByLabel('Title').fill('');
  await staff.getByRole('button', { name: 'Save changes' }).click();
  await staff.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  await assertNoSeriousViolations(staff, 'activity edit form with an error');
  await manage.getByRole('button', { name: 'Upload attendance' }).click();
  await manage.getByRole('alert').filter({ hasText: 'There is a problem' }).first().waitFor();
  await assertNoSeriousViolations(staff, 'attendance upload with an error');

  await open(staff, `/organizations/${w.org}`);
  await staff.getByRole('region', { name: 'For your organization’s staff' }).getByRole('table').waitFor();
  await assertNoSeriousViolations(staff, 'organization with the staff section');
  const team = staff.getByRole('region', { name: 'Staff', exact: true });
  await team.getByRole('button', { name: 'Send invitation' }).click();
  await team.getByRole('alert').filter({ hasText: 'The invitation was not sent' }).waitFor();
  await assertNoSeriousViolations(staff, 'organization with an invitation error');
  await team.getByLabel('Email address').fill(uniqueEmail('colleague'));
  await team.getByRole('button', { name: 'Send invitation' }).click();
  await team.getByRole('list', { name: 'Pending invitations' }).waitFor();
  await team.getByRole('list', { name: 'Staff members' }).getByRole('button', { name: 'Remove' }).click();
  await team.getByRole('button', { name: 'Yes, remove' }).click();
  await team.getByRole('alert').filter({ hasText: 'not removed' }).waitFor();
  await assertNoSeriousViolations(staff, 'organization with a pending invitation and a refused removal');
  // The Learning Record Store: its errors, a new client's secret with a revoke question, a revoked client.
  const lrs = staff.getByRole('region', { name: 'Learning Record Store' });
  await lrs.getByText('Your organization has no clients yet.').waitFor();
  await lrs.getByRole('button', { name: 'Add client' }).click();
  await lrs.getByRole('alert').filter({ hasText: 'The client was not added' }).waitFor();
  await assertNoSeriousViolations(staff, 'organization with a Learning Record Store client error');
  await lrs.getByLabel('Client name').fill('Webinar platform');
  await lrs.getByRole('button', { name: 'Add client' }).click();
  await lrs.getByRole('region', { name: /Your new client/ }).waitFor();
  const client = lrs.getByRole('list', { name: 'Clients' }).getByRole('listitem').filter({ hasText: 'Webinar platform' });
  await client.getByRole('button', { name: /^Revoke/ }).click();
  await client.getByRole('button', { name: 'Yes, revoke' }).waitFor();
  await assertNoSeriousViolations(staff, 'organization with a new client’s secret and a revoke question');
  await client.getByRole('button', { name: 'Yes, revoke' }).click();
  await client.locator('.badge').filter({ hasText: 'Revoked' }).waitFor();
  await assertNoSeriousViolations(staff, 'organization with a revoked client');
  await open(staff, `/organizations/${w.org}/activities/new`);
  await pageShell(staff, 'new activity');
  await staff.getByRole('button', { name: 'Add a facilitator' }).click();
  await assertNoSeriousViolations(staff, 'new activity');
  await staff.getByRole('button', { name: 'Save draft' }).click();
  await staff.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  await assertNoSeriousViolations(staff, 'new activity with errors');
  assertNoPageErrors(staff);
  await staff.context().close();

  // An educator's schedule with a calendar link.
  const educator = await env.newPage({ bypassCSP: true });
  await signUpInBrowser(educator, { displayName: 'Mae Educator', email: uniqueEmail('mae'), password: strongPassword() });
  await open(educator, `/activities/${w.podcasting.id}`);
  await educator.getByRole('button', { name: 'Register' }).click();
  await educator.getByRole('status').filter({ hasText: 'You are registered.' }).waitFor();
  await assertNoSeriousViolations(educator, 'activity, registered');
  await open(educator, '/schedule');
  await pageShell(educator, 'schedule');
  await educator.getByRole('button', { name: 'Create a calendar link' }).click();
  await educator.getByLabel('Subscription link (webcal)').waitFor();
  await assertNoSeriousViolations(educator, 'schedule with a calendar link');
  await open(educator, `/check-in/${w.podcasting.id}?code=ABC123`);
  await educator.getByRole('button', { name: 'Check in' }).click();
  await educator.getByRole('alert').filter({ hasText: 'You are not checked in' }).waitFor();
  await assertNoSeriousViolations(educator, 'check-in refused');
  assertNoPageErrors(educator);
  await educator.context().close();

  // The organizer's review queue, with a decline form showing its error.
  const organizer = await env.newPage({ bypassCSP: true });
  await signInInBrowser(organizer, w.organizer.credentials);
  await open(organizer, `/campaigns/${w.slug}/review`);
  await pageShell(organizer, 'review queue');
  const item = organizer.getByRole('listitem').filter({ hasText: draft.title });
  await item.getByRole('button', { name: 'Decline' }).click();
  await item.getByRole('button', { name: 'Decline activity' }).click();
  await item.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  await assertNoSeriousViolations(organizer, 'review queue with a decline error');
  assertNoPageErrors(organizer);
  await organizer.context().close();

  // A narrow screen: no sideways scrolling on the new pages.
  const narrow = await env.newPage({ viewport: { width: 360, height: 740 } });
  const overflow = async () => narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  for (const urlPath of [
    `/campaigns/${w.slug}`,
    catalog,
    `${catalog}?view=month`,
    `${catalog}?view=week`,
    `/activities/${w.podcasting.id}`,
    `/organizations/${w.org}`,
  ]) {
    await open(narrow, urlPath);
    await narrow.locator('main [role=status]').filter({ hasText: /Loading/ }).waitFor({ state: 'detached' });
    assert.ok((await overflow()) <= 0, `${urlPath} overflows by ${await overflow()}px`);
  }
  await narrow.context().close();
});

/** Confirms the address of an API client through the link mailed to it. */
async function confirmAddress(client) {
  const site = await campaignAdmin();
  const mail = await site.get('/api/v1/mail?limit=100');
  assert.equal(mail.status, 200, mail.text);
  const message = mail.body.items.find((m) => m.to === client.credentials.email && m.body.includes('/verify-email?token='));
  assert.ok(message, `a confirmation mail to ${client.credentials.email}`);
  const token = decodeURIComponent(message.body.match(/\/verify-email\?token=([^\s"'<>)]+)/)[1]);
  const res = await api(env.baseUrl).post('/api/v1/email-verifications', { token });
  assert.equal(res.status, 200, res.text);
}

/** An account made through the API, confirmed unless told otherwise. */
async function account(label, { domain = 'example.org', confirmed = true } = {}) {
  const c = api(env.baseUrl);
  await signUp(c, { email: `${label}-${suffix()}@${domain}`, display_name: `${label[0].toUpperCase()}${label.slice(1)} Person` });
  if (confirmed) await confirmAddress(c);
  return c;
}

test('district pages have no serious accessibility violations', async () => {
  // A district with a domain, an approver, an educator and roster people, made through the API.
  const domain = `a11y-${suffix()}.k12.example.org`;
  const admin = await account('admin', { domain });
  const slug = `a11y-${suffix()}`;
  const created = await admin.post('/api/v1/districts', {
    slug, name: 'Riverside Unified', state: 'CA', time_zone: 'America/Los_Angeles', schools: ['Mesa High', 'Oak Elementary'],
  });
  assert.equal(created.status, 201, created.text);
  assert.equal((await admin.post(`/api/v1/districts/${slug}/domains`, { domain })).status, 200);
  const approver = await account('approver');
  const joined = await approver.post('/api/v1/district-memberships', { code: created.body.join_code });
  assert.equal(joined.status, 201, joined.text);
  assert.equal((await admin.patch(`/api/v1/districts/${slug}/members/${joined.body.member.id}`, { role: 'approver' })).status, 200);
  const educator = await account('educator');
  assert.equal((await educator.post('/api/v1/district-memberships', { code: created.body.join_code })).status, 201);
  const roster = ['email,name,school,role', ...Array.from({ length: 22 }, (_, i) => `r${i}@${domain},Roster Person ${i},Mesa High,`)];
  const imported = await admin.request('POST', `/api/v1/districts/${slug}/roster`, {
    body: roster.join('\n'), headers: { 'content-type': 'text/csv' },
  });
  assert.equal(imported.status, 200, imported.text);

  // Someone whose address is not confirmed: creating is explained; a join error.
  const newcomer = await env.newPage({ bypassCSP: true });
  await signUpInBrowser(newcomer, { displayName: 'Nia Newcomer', email: uniqueEmail('nia'), password: strongPassword() });
  await open(newcomer, '/districts');
  await pageShell(newcomer, 'districts, address not confirmed');
  await newcomer.getByText('Confirm your email address first.').waitFor();
  await assertNoSeriousViolations(newcomer, 'districts, address not confirmed');
  const join = newcomer.getByRole('region', { name: 'Join with a code' });
  await join.getByLabel('Join code').fill('NOPE-NOPE');
  await join.getByRole('button', { name: 'Join district' }).click();
  await join.getByRole('alert').filter({ hasText: 'You have not joined' }).waitFor();
  await assertNoSeriousViolations(newcomer, 'districts with a join error');
  // Not a member, and no such district.
  await open(newcomer, `/districts/${slug}`);
  await pageShell(newcomer, 'district, not a member');
  await newcomer.getByText(/not a member/).waitFor();
  await assertNoSeriousViolations(newcomer, 'district, not a member');
  await open(newcomer, '/districts/no-such-district');
  await newcomer.getByText('There is no district called').waitFor();
  await assertNoSeriousViolations(newcomer, 'district not found');
  assertNoPageErrors(newcomer);
  await newcomer.context().close();

  // A confirmed teacher at the district's domain: the district offered; the create form with errors.
  const teacher = await account('teacher', { domain });
  const teacherPage = await env.newPage({ bypassCSP: true });
  await signInInBrowser(teacherPage, teacher.credentials);
  await open(teacherPage, '/districts');
  await teacherPage.getByRole('button', { name: 'Join Riverside Unified' }).waitFor();
  await assertNoSeriousViolations(teacherPage, 'districts with a district to join');
  const create = teacherPage.getByRole('region', { name: 'Create a district' });
  await create.getByLabel('Short name').fill('Not A Slug');
  await create.getByRole('button', { name: 'Create district' }).click();
  await create.getByRole('alert').filter({ hasText: 'The district was not created' }).waitFor();
  await assertNoSeriousViolations(teacherPage, 'districts with create errors');
  await teacherPage.getByRole('button', { name: 'Join Riverside Unified' }).click();
  await teacherPage.getByRole('region', { name: 'Your districts' }).getByRole('row').filter({ hasText: 'Riverside Unified' }).waitFor();
  await assertNoSeriousViolations(teacherPage, 'districts with a membership');
  // The district as an educator.
  await open(teacherPage, `/districts/${slug}`);
  await pageShell(teacherPage, 'district, educator');
  await teacherPage.getByRole('region', { name: 'About the district' }).waitFor();
  await assertNoSeriousViolations(teacherPage, 'district, educator');
  assertNoPageErrors(teacherPage);
  await teacherPage.context().close();

  // The approver: the members, read-only.
  const approverPage = await env.newPage({ bypassCSP: true });
  await signInInBrowser(approverPage, approver.credentials);
  await open(approverPage, `/districts/${slug}`);
  await approverPage.getByRole('region', { name: 'Members' }).getByRole('table').waitFor();
  await assertNoSeriousViolations(approverPage, 'district, approver');
  assertNoPageErrors(approverPage);
  await approverPage.context().close();

  // The admin: every section, with its questions, errors and the roster preview.
  const page = await env.newPage({ bypassCSP: true });
  await signInInBrowser(page, admin.credentials);
  await open(page, `/districts/${slug}`);
  await pageShell(page, 'district, admin');
  const members = page.getByRole('region', { name: 'Members' });
  await members.getByRole('table').waitFor();
  await assertNoSeriousViolations(page, 'district, admin');

  await page.getByRole('region', { name: 'Join code' }).getByRole('button', { name: 'Replace code' }).click();
  await page.getByRole('button', { name: 'Yes, replace the code' }).waitFor();
  const domains = page.getByRole('region', { name: 'Email domains' });
  await domains.getByRole('button', { name: `Remove ${domain}` }).click();
  await domains.getByRole('button', { name: 'Yes, remove' }).waitFor();
  await domains.getByLabel('Domain', { exact: true }).fill('gmail.com');
  await domains.getByRole('button', { name: 'Add domain' }).click();
  await domains.getByRole('alert').filter({ hasText: 'The domain was not added' }).waitFor();
  await assertNoSeriousViolations(page, 'district with replace and remove questions and a domain error');

  const mine = members.getByRole('row').filter({ hasText: '(you)' });
  await mine.getByRole('combobox', { name: /Role of/ }).selectOption('educator');
  await mine.getByRole('button', { name: /Save changes/ }).click();
  await members.getByRole('alert').filter({ hasText: 'was not changed' }).waitFor();
  await members.getByRole('row').filter({ hasText: 'Roster Person 3' }).getByRole('button', { name: /^Remove/ }).click();
  await members.getByRole('button', { name: 'Yes, remove' }).waitFor();
  await assertNoSeriousViolations(page, 'district members with a refused change and a remove question');
  await members.getByRole('button', { name: 'Next page' }).click();
  await members.getByRole('row').filter({ hasText: 'Roster Person 21' }).waitFor();
  await assertNoSeriousViolations(page, 'district members, second page');

  const rosterSection = page.getByRole('region', { name: 'Roster' });
  const file = (text) => ({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await rosterSection.getByLabel('Roster file').setInputFiles(file('email,name,role\nnot-an-address,X,boss\n'));
  await rosterSection.getByRole('button', { name: 'Preview import' }).click();
  await rosterSection.getByRole('alert').filter({ hasText: 'nothing was imported' }).waitFor();
  await assertNoSeriousViolations(page, 'roster with errors');
  await rosterSection.getByLabel('Roster file').setInputFiles(file(`email,name,school\nnew@${domain},New Person,Hill Middle\n`));
  await rosterSection.getByRole('button', { name: 'Preview import' }).click();
  await rosterSection.getByRole('region', { name: 'Preview of the import' }).waitFor();
  await assertNoSeriousViolations(page, 'roster preview');
  assertNoPageErrors(page);
  await page.context().close();

  // A narrow screen: no sideways scrolling.
  const narrow = await env.newPage({ viewport: { width: 360, height: 740 } });
  await signInInBrowser(narrow, admin.credentials);
  const overflow = async () => narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  for (const urlPath of ['/districts', `/districts/${slug}`]) {
    await open(narrow, urlPath);
    await narrow.locator('main [role=status]').filter({ hasText: /Loading/ }).waitFor({ state: 'detached' });
    assert.ok((await overflow()) <= 0, `${urlPath} overflows by ${await overflow()}px`);
  }
  await narrow.context().close();
});

/** A credit policy in force for a year, with two tiers; self-reported learning needs a colleague's word. */
function creditPolicy(tz) {
  const today = localDate(new Date(), tz);
  return {
    format: 'staffroom.credit-policy/1',
    name: 'Riverside learning credit',
    effective_on: addDays(today, -365),
    time_zone: tz,
    counts: {
      formats: 'all',
      providers: 'all',
      themes: 'all',
      self_reported: { counts: true, formats: 'all', requires_attestation: true, min_reflection_words: 5 },
    },
    conversion: { rounding: 'nearest_quarter_hour', hours_per_ceu: 10, hours_per_semester_credit: 15, presenter_multiplier: 2, facilitator_multiplier: 2 },
    tiers: [
      { id: 'knowledge', name: 'Knowledge', level: 1, deadline_days: 30, min_hours: 0,
        requirements: [{ any_of: [{ kind: 'host_attendance' }, { kind: 'survey' }] }] },
      { id: 'application', name: 'Application', level: 2, deadline_days: 365, min_hours: 0,
        requirements: [{ any_of: [{ kind: 'reflection', min_words: 50 }, { kind: 'artifact' }] }] },
    ],
    caps: [{ applies_to: 'format', format: 'social_media_chat', period: 'year', max_hours: 10 }],
    renewal: { required_hours: 100, cycle_years: 5, starts_on: addDays(today, -365) },
  };
}

/** The path and query of the newest mailed link to `pathPrefix` for `email`. */
async function mailedLink(email, pathPrefix) {
  const site = await campaignAdmin();
  const mail = await site.get('/api/v1/mail?limit=100');
  assert.equal(mail.status, 200, mail.text);
  const re = new RegExp(`${pathPrefix.replace(/[/]/g, '\\/')}\\?token=[^\\s"'<>)]+`);
  const message = mail.body.items.find((m) => m.to === email && re.test(m.body));
  assert.ok(message, `a mail to ${email} with ${pathPrefix}`);
  return message.body.match(re)[0];
}

test('credit pages have no serious accessibility violations', async () => {
  const tz = 'America/Los_Angeles';
  const today = localDate(new Date(), tz);
  const ok = (res, status, what) => assert.equal(res.status, status, `${what}: ${res.text}`);
  // A district with its policy, an approver and an educator whose learning is partly attested and claimed.
  const admin = await account('credadmin');
  const slug = `credit-a11y-${suffix()}`;
  const created = await admin.post('/api/v1/districts', {
    slug, name: 'Riverside Unified', state: 'CA', time_zone: tz, schools: ['Mesa High'],
  });
  ok(created, 201, 'creating the district');
  ok(await admin.post(`/api/v1/districts/${slug}/policy/versions`, creditPolicy(tz)), 201, 'saving the policy');
  const approver = await account('credapprover');
  const joined = await approver.post('/api/v1/district-memberships', { code: created.body.join_code });
  ok(joined, 201, 'the approver joins');
  ok(await admin.patch(`/api/v1/districts/${slug}/members/${joined.body.member.id}`, { role: 'approver' }), 200, 'promoting');
  const educator = await account('creducator');
  const member = await educator.post('/api/v1/district-memberships', { code: created.body.join_code });
  ok(member, 201, 'the educator joins');
  ok(await admin.patch(`/api/v1/districts/${slug}/members/${member.body.member.id}`, { school: 'Mesa High' }), 200, 'placing');
  const colleague = await account('credcolleague');

  const learn = async (title, format) => {
    const r = await educator.post('/api/v1/me/learning', {
      title, format, learned_on: addDays(today, -3), minutes: 90, url: 'https://example.org/chat', reflection: 'What I learned about exit tickets today.',
    });
    ok(r, 201, 'logging learning');
    ok(await educator.post(`/api/v1/me/learning/${r.body.id}/attestation`, { email: colleague.credentials.email }), 200, 'asking');
    return r.body;
  };
  const attested = await learn('#edchat on feedback', 'social_media_chat');
  const attestLink = await mailedLink(colleague.credentials.email, '/attest');
  const token = decodeURIComponent(attestLink.split('token=')[1]);
  ok(await colleague.post(`/api/v1/attestations/${encodeURIComponent(token)}`, { decision: 'attest', note: 'I was there.' }), 200, 'attesting');
  const waiting = await learn('Webinar on rubrics', 'webinar');
  const waitingLink = await mailedLink(colleague.credentials.email, '/attest');
  const survey = await educator.post('/api/v1/me/evidence', {
    kind: 'survey', title: 'Feedback survey', body: JSON.stringify({ learned: 'Feedback', apply: 'Weekly', rating: 'useful' }),
  });
  ok(survey, 201, 'a survey');
  const artifact = await educator.post('/api/v1/me/evidence', {
    kind: 'artifact', title: 'Rubric', file_name: 'rubric.txt', content_type: 'text/plain', content_base64: Buffer.from('rubric').toString('base64'),
  });
  ok(artifact, 201, 'an artifact');
  ok(await educator.post('/api/v1/me/evidence', { kind: 'reflection', title: 'Using rubrics', body: 'Short reflection.' }), 201, 'a reflection');
  const approved = await educator.post(`/api/v1/districts/${slug}/claims`, {
    tier: 'knowledge', evidence: [attested.evidence, survey.body.evidence], note: 'Evening chat.',
  });
  ok(approved, 201, 'a claim');
  ok(await approver.post(`/api/v1/districts/${slug}/claims/${approved.body.id}/decision`, { decision: 'approve' }), 200, 'approving');
  const pending = await educator.post(`/api/v1/districts/${slug}/claims`, {
    tier: 'application', evidence: [waiting.evidence, artifact.body.evidence],
  });
  ok(pending, 201, 'a pending claim');

  // The educator.
  const page = await env.newPage({ bypassCSP: true });
  await signInInBrowser(page, educator.credentials);
  await open(page, '/learning');
  await pageShell(page, 'my learning');
  await page.getByRole('list', { name: 'Your logged learning' }).waitFor();
  await assertNoSeriousViolations(page, 'my learning');
  const log = page.getByRole('form', { name: 'Log learning' });
  await log.getByRole('button', { name: 'Log learning' }).click();
  await page.getByRole('alert').filter({ hasText: 'The learning was not logged' }).waitFor();
  const artifactForm = page.getByRole('form', { name: 'Add an artifact' });
  await artifactForm.getByLabel('Title').fill('Too big');
  await artifactForm.getByLabel('File').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(600 * 1024) });
  await artifactForm.getByRole('button', { name: 'Add artifact' }).click();
  const tooBig = page.getByRole('alert').filter({ hasText: 'The artifact was not added' });
  await tooBig.waitFor();
  assert.match(await tooBig.innerText(), /at most 512 KiB/);
  const item = page.getByRole('list', { name: 'Your logged learning' }).getByRole('listitem').filter({ hasText: 'Webinar on rubrics' });
  await item.getByText('Read the reflection').click();
  await assertNoSeriousViolations(page, 'my learning with errors');

  await open(page, `/districts/${slug}/claims/new`);
  await pageShell(page, 'claim credit');
  await page.getByRole('form', { name: 'Claim credit' }).waitFor();
  await assertNoSeriousViolations(page, 'claim credit');
  await page.getByRole('button', { name: 'Submit claim' }).click();
  await page.getByRole('alert').filter({ hasText: 'The claim was not submitted' }).waitFor();
  await assertNoSeriousViolations(page, 'claim credit with errors');
  await page.getByLabel(/^Knowledge/).check();
  await page.getByRole('group', { name: 'Learning you logged' }).getByLabel(/^Webinar on rubrics/).check();
  await page.getByRole('button', { name: 'Submit claim' }).click();
  await page.getByRole('region', { name: 'How the policy judges this claim' }).waitFor();
  await assertNoSeriousViolations(page, 'claim credit with its evaluation');

  await open(page, `/districts/${slug}/my-claims`);
  await pageShell(page, 'my claims');
  await page.getByRole('heading', { name: new RegExp(`Claim ${pending.body.id}`) }).waitFor();
  await page.getByText(`How the policy judges claim ${pending.body.id}`).click();
  await page.getByRole('button', { name: `Withdraw claim ${pending.body.id}` }).click();
  await page.getByRole('button', { name: 'Yes, withdraw' }).waitFor();
  await assertNoSeriousViolations(page, 'my claims with an evaluation open and a withdraw question');

  await open(page, `/districts/${slug}/transcript`);
  await pageShell(page, 'transcript');
  await page.getByRole('progressbar').waitFor();
  await assertNoSeriousViolations(page, 'transcript');
  await open(page, `/districts/${slug}/policy`);
  await pageShell(page, 'policy, member');
  await page.getByRole('region', { name: 'The policy in force' }).getByText('Riverside learning credit').waitFor();
  await assertNoSeriousViolations(page, 'policy, member');
  await open(page, `/districts/${slug}/claims/${approved.body.id}`);
  await pageShell(page, 'own claim');
  await page.getByRole('region', { name: 'Evidence' }).waitFor();
  await assertNoSeriousViolations(page, 'own claim');
  assertNoPageErrors(page);
  await page.context().close();

  // The colleague asked to attest, signed out, then signed in; someone else opening the link.
  const out = await env.newPage({ bypassCSP: true });
  await open(out, waitingLink);
  await pageShell(out, 'attest, signed out');
  await out.getByRole('link', { name: 'Sign in to answer' }).waitFor();
  await assertNoSeriousViolations(out, 'attest, signed out');
  await open(out, '/attest');
  await assertNoSeriousViolations(out, 'attest without a token');
  await out.context().close();
  const colleaguePage = await env.newPage({ bypassCSP: true });
  await signInInBrowser(colleaguePage, colleague.credentials);
  await open(colleaguePage, waitingLink);
  await colleaguePage.getByRole('button', { name: 'Send answer' }).click();
  await colleaguePage.getByRole('alert').filter({ hasText: 'Your answer was not sent' }).waitFor();
  await assertNoSeriousViolations(colleaguePage, 'attest with an error');
  await colleaguePage.getByLabel('I decline to attest').check();
  await colleaguePage.getByRole('button', { name: 'Send answer' }).click();
  await colleaguePage.getByRole('heading', { name: 'You declined to attest this learning' }).waitFor();
  await assertNoSeriousViolations(colleaguePage, 'attest, answered');
  assertNoPageErrors(colleaguePage);
  await colleaguePage.context().close();

  // The approver: the queue, a claim with its decision, reports, a member's transcript.
  const approverPage = await env.newPage({ bypassCSP: true });
  await signInInBrowser(approverPage, approver.credentials);
  await open(approverPage, `/districts/${slug}/claims`);
  await pageShell(approverPage, 'claims queue');
  const queue = approverPage.getByRole('table', { name: /^Claims/ });
  await queue.waitFor();
  await approverPage.getByRole('region', { name: 'Audit trail of the district', exact: true }).getByRole('table').waitFor();
  await assertNoSeriousViolations(approverPage, 'claims queue');
  await approverPage.getByRole('checkbox', { name: 'Select every pending claim on this page' }).check();
  await approverPage.getByRole('button', { name: /^Approve selected/ }).click();
  await approverPage.getByRole('button', { name: 'Yes, approve' }).waitFor();
  await assertNoSeriousViolations(approverPage, 'claims queue with a bulk question');
  await approverPage.getByRole('button', { name: 'Yes, approve' }).click();
  await approverPage.getByRole('region', { name: /claims? approved$/ }).waitFor();
  await assertNoSeriousViolations(approverPage, 'claims queue with outcomes');
  await approverPage.getByLabel('Status').selectOption('all');
  await approverPage.getByRole('button', { name: 'Show claims' }).click();
  await queue.getByRole('row').filter({ hasText: 'Approved' }).first().waitFor();
  const open1 = (await educator.get(`/api/v1/districts/${slug}/my-claims`)).body.items.find((k) => k.status === 'pending');
  assert.ok(open1, 'a pending claim is left');
  await open(approverPage, `/districts/${slug}/claims/${open1.id}`);
  await pageShell(approverPage, 'claim, approver');
  await approverPage.getByRole('region', { name: `Audit trail of claim ${open1.id}`, exact: true }).getByRole('table').waitFor();
  await assertNoSeriousViolations(approverPage, 'claim, approver');
  await approverPage.getByRole('button', { name: `Deny claim ${open1.id}…` }).click();
  await approverPage.getByRole('alert').filter({ hasText: `Claim ${open1.id} was not decided` }).waitFor();
  await assertNoSeriousViolations(approverPage, 'claim with a deny error');
  await approverPage.getByLabel('Reason').fill('The webinar was not attested.');
  await approverPage.getByRole('button', { name: `Deny claim ${open1.id}…` }).click();
  await approverPage.getByRole('button', { name: 'Yes, deny the claim' }).waitFor();
  await assertNoSeriousViolations(approverPage, 'claim with a deny question');
  await approverPage.getByRole('button', { name: 'Yes, deny the claim' }).click();
  await approverPage.getByRole('status').filter({ hasText: `Claim ${open1.id} denied.` }).waitFor();
  await assertNoSeriousViolations(approverPage, 'claim, denied');

  await open(approverPage, `/districts/${slug}/reports`);
  await pageShell(approverPage, 'reports');
  await approverPage.getByRole('img', { name: /Approved hours by school/ }).waitFor();
  for (const s of await approverPage.getByText('Show the figures as a table').all()) await s.click();
  await assertNoSeriousViolations(approverPage, 'reports with their tables');
  await open(approverPage, `/districts/${slug}`);
  const transcriptLink = approverPage.getByRole('region', { name: 'Members' }).getByRole('link', { name: /Transcript of Creducator/ });
  await transcriptLink.click();
  await approverPage.getByRole('heading', { level: 1, name: 'Transcript' }).waitFor();
  await approverPage.getByRole('progressbar').waitFor();
  await assertNoSeriousViolations(approverPage, 'a member’s transcript');
  assertNoPageErrors(approverPage);
  await approverPage.context().close();

  // The admin's policy editor, with refused changes and an earlier version open.
  const adminPage = await env.newPage({ bypassCSP: true });
  await signInInBrowser(adminPage, admin.credentials);
  await open(adminPage, `/districts/${slug}/policy`);
  await pageShell(adminPage, 'policy editor');
  const editor = adminPage.getByRole('form', { name: 'Edit the policy' });
  await editor.waitFor();
  await assertNoSeriousViolations(adminPage, 'policy editor');
  await editor.getByRole('radio', { name: 'Only these formats' }).first().check();
  await editor.getByRole('button', { name: 'Add a tier' }).click();
  await editor.getByRole('button', { name: 'Save as version 2' }).click();
  await adminPage.getByRole('alert').filter({ hasText: 'The policy was not saved' }).waitFor();
  await adminPage.getByRole('region', { name: 'Versions' }).getByRole('button', { name: 'View version 1' }).click();
  await adminPage.getByRole('region', { name: 'Version 1' }).waitFor();
  await assertNoSeriousViolations(adminPage, 'policy editor with errors and a version open');
  assertNoPageErrors(adminPage);
  await adminPage.context().close();

  // A narrow screen: no sideways scrolling.
  const narrow = await env.newPage({ viewport: { width: 360, height: 740 } });
  await signInInBrowser(narrow, admin.credentials);
  const overflow = async () => narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  for (const urlPath of ['/learning', `/districts/${slug}/claims/new`, `/districts/${slug}/claims`, `/districts/${slug}/claims/${approved.body.id}`,
    `/districts/${slug}/policy`, `/districts/${slug}/transcript`, `/districts/${slug}/reports`]) {
    await open(narrow, urlPath);
    await narrow.locator('main [role=status]').filter({ hasText: /Loading/ }).waitFor({ state: 'detached' });
    assert.ok((await overflow()) <= 0, `${urlPath} overflows by ${await overflow()}px`);
  }
  await narrow.context().close();
});
