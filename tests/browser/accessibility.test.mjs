// axe-core finds no serious or critical problems on any page, in its usual states.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSiteAdmin } from '../lib/server.mjs';
import {
  assertNoPageErrors,
  assertNoSeriousViolations,
  open,
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
    ['/no-such-page', 'not found'],
    ['/campaigns', 'campaigns'],
    [`/campaigns/${CAMPAIGN_SLUG}`, 'campaign'],
  ]) {
    await open(page, urlPath);
    await pageShell(page, label);
    titles.add(await page.title());
    await assertNoSeriousViolations(page, `${label} (${urlPath})`);
  }
  assert.equal(titles.size, 8, `each page has its own title: ${[...titles].join(' | ')}`);

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
  for (const urlPath of ['/', '/signup', '/signin', '/reset-password', '/campaigns', `/campaigns/${CAMPAIGN_SLUG}`]) {
    await open(page, urlPath);
    assert.ok((await overflow()) <= 0, `${urlPath} overflows by ${await overflow()}px`);
  }
  await page.context().close();
});
