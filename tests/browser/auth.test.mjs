// Signing up, out and in through the web app.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertNoPageErrors,
  open,
  signInInBrowser,
  signUpInBrowser,
  strongPassword,
  uniqueEmail,
  useEnvironment,
} from './support.mjs';

const env = useEnvironment();

test('a new person signs up, signs out, signs in again and sees their name', async () => {
  const page = await env.newPage();
  const person = { displayName: 'Grace Hopper', email: uniqueEmail('grace'), password: strongPassword() };

  await signUpInBrowser(page, person);
  assert.equal(await page.title(), 'Your account · Staffroom');
  assert.equal(await page.getByLabel('Display name').inputValue(), person.displayName);
  await page.getByText(person.email, { exact: true }).waitFor();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('button', { name: 'Sign out' }).waitFor();

  await nav.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  await nav.getByRole('link', { name: 'Sign in' }).waitFor();
  assert.equal(await nav.getByRole('button', { name: 'Sign out' }).count(), 0);

  // Signed out for real: the account page sends us to sign in.
  await open(page, '/account');
  await page.waitForURL('**/signin');
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();

  await signInInBrowser(page, person);
  assert.equal(await page.getByLabel('Display name').inputValue(), person.displayName);
  await page.getByRole('banner').getByText(person.displayName).waitFor();

  await open(page, '/');
  await page.getByRole('heading', { level: 1, name: `Welcome back, ${person.displayName}` }).waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});

test('a wrong password shows the error and keeps the person signed out', async () => {
  const person = { displayName: 'Alan Turing', email: uniqueEmail('alan'), password: strongPassword() };
  await env.signUpSeparately(person);

  const page = await env.newPage();
  await open(page, '/signin');
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(`${person.password}-wrong`);
  await page.getByRole('button', { name: 'Sign in' }).click();

  const alert = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  await alert.waitFor();
  const text = (await alert.innerText()).trim();
  assert.ok(text.length > 'There is a problem'.length, `the alert should carry the server's detail, got: ${text}`);
  assert.equal(new URL(page.url()).pathname, '/signin');
  assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
  assertNoPageErrors(page);
  await page.context().close();
});

test('sign-up shows validation problems next to the fields and a taken email', async () => {
  const page = await env.newPage();
  await open(page, '/signup');

  // The password rule is a hint tied to the field.
  const password = page.getByLabel('Password', { exact: true });
  const describedBy = await password.getAttribute('aria-describedby');
  assert.ok(describedBy, 'the password field has aria-describedby');
  const hint = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).innerText();
  assert.match(hint, /at least 10 characters/i);

  // Nothing filled in: each field says what is missing.
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  for (const label of ['Display name', 'Email address']) {
    const input = page.getByLabel(label);
    assert.equal(await input.getAttribute('aria-invalid'), 'true', `${label} is marked invalid`);
  }
  assert.equal(await password.getAttribute('aria-invalid'), 'true');

  // The server's verdict on a malformed email lands next to the email field.
  await page.getByLabel('Display name').fill('Katherine Johnson');
  await page.getByLabel('Email address').fill('not-an-email');
  await password.fill(strongPassword());
  await page.getByRole('button', { name: 'Create account' }).click();
  const email = page.getByLabel('Email address');
  await page.waitForFunction(() => document.getElementById('email')?.getAttribute('aria-invalid') === 'true');
  const emailDescribedBy = await email.getAttribute('aria-describedby');
  assert.ok(emailDescribedBy, 'the email field points at its error');
  assert.ok((await page.locator(`[id="${emailDescribedBy}"]`).innerText()).trim().length > 0);
  assert.equal(await page.getByLabel('Display name').getAttribute('aria-invalid'), null);

  // An email that already has an account.
  const taken = { displayName: 'Taken', email: uniqueEmail('taken'), password: strongPassword() };
  await env.signUpSeparately(taken);
  await email.fill(taken.email);
  await page.getByRole('button', { name: 'Create account' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'An account with this email already exists' });
  await alert.waitFor();
  await alert.getByRole('link', { name: /sign in/i }).click();
  await page.waitForURL('**/signin');
  assertNoPageErrors(page);
  await page.context().close();
});

test('repeated failed sign-ins show how long to wait', async () => {
  const page = await env.newPage();
  await open(page, '/signin');
  const email = uniqueEmail('locked');
  await page.getByLabel('Email address').fill(email);
  const alert = page.getByRole('alert').filter({ hasText: 'There is a problem' });
  let text = '';
  for (let attempt = 1; attempt <= 8; attempt += 1) {
    await page.getByLabel('Password', { exact: true }).fill(`${strongPassword()}-${attempt}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await alert.waitFor();
    // Wait for this attempt's answer to replace the last one.
    await page.waitForFunction(() => !document.querySelector('button[type=submit][aria-disabled="true"]'));
    text = await alert.innerText();
    if (/too many/i.test(text)) break;
  }
  assert.match(text, /too many sign-in attempts/i, `after repeated failures the page says so; last message: ${text}`);
  assert.match(text, /wait \d+ (seconds?|minutes?)/i, `the message gives the wait time: ${text}`);
  await page.context().close();
});
