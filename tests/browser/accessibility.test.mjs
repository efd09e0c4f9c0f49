// axe-core finds no serious or critical problems on any page, in its usual states.

import assert from 'node:assert/strict';
import { test } from 'node:test';
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

async function pageShell(page, label) {
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', `${label}: <html lang="en">`);
  assert.match(await page.title(), /Staffroom/, `${label}: the title names the product`);
  assert.equal(await page.locator('main').count(), 1, `${label}: one main landmark`);
  assert.equal(await page.locator('main h1').count(), 1, `${label}: one page heading`);
}

test('signed-out pages have no serious accessibility violations', async () => {
  const page = await env.newPage({ bypassCSP: true });
  const titles = new Set();
  for (const [urlPath, label] of [
    ['/', 'home'],
    ['/signup', 'sign up'],
    ['/signin', 'sign in'],
    ['/reset-password', 'reset password'],
    ['/reset-password?token=not-a-real-token', 'choose a new password'],
    ['/no-such-page', 'not found'],
  ]) {
    await open(page, urlPath);
    await pageShell(page, label);
    titles.add(await page.title());
    await assertNoSeriousViolations(page, `${label} (${urlPath})`);
  }
  assert.equal(titles.size, 6, `each page has its own title: ${[...titles].join(' | ')}`);

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

  await open(page, '/');
  await pageShell(page, 'home, signed in');
  await assertNoSeriousViolations(page, 'home, signed in');
  assertNoPageErrors(page);
  await page.context().close();
});

test('pages fit a 360 pixel wide screen without sideways scrolling', async () => {
  const page = await env.newPage({ viewport: { width: 360, height: 740 } });
  const person = { displayName: 'Evelyn Boyd Granville', email: uniqueEmail('evelyn'), password: strongPassword() };
  await signUpInBrowser(page, person);
  await page.getByLabel('Token name').fill('A token with a fairly long descriptive name for testing');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('region', { name: /Your new token/ }).waitFor();
  const overflow = async () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok((await overflow()) <= 0, `account overflows by ${await overflow()}px`);
  for (const urlPath of ['/', '/signup', '/signin', '/reset-password']) {
    await open(page, urlPath);
    assert.ok((await overflow()) <= 0, `${urlPath} overflows by ${await overflow()}px`);
  }
  await page.context().close();
});
