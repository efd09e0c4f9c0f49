// Resetting a forgotten password with the link from the outbox.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSiteAdmin } from '../lib/server.mjs';
import {
  assertNoPageErrors,
  open,
  signInInBrowser,
  strongPassword,
  uniqueEmail,
  useEnvironment,
} from './support.mjs';

const env = useEnvironment();

test('a forgotten password is reset with the emailed link', async () => {
  const person = { displayName: 'Annie Easley', email: uniqueEmail('annie'), password: strongPassword() };
  await env.signUpSeparately(person);

  const page = await env.newPage();
  await open(page, '/signin');
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.waitForURL('**/reset-password');
  await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor();
  await page.getByLabel('Email address').fill(person.email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();

  const admin = await createSiteAdmin(env.server);
  const mail = await admin.get('/api/v1/mail');
  assert.equal(mail.status, 200, mail.text);
  const message = mail.body.items.find((m) => m.to === person.email && m.body.includes('/reset-password?token='));
  assert.ok(message, `a mail went to ${person.email}`);
  const link = message.body.match(/\/reset-password\?token=[^\s"'<>)]+/);
  assert.ok(link, `the mail carries a reset link: ${message.body}`);

  await open(page, link[0]);
  await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor();
  const newPassword = strongPassword();
  await page.getByLabel('New password').fill(newPassword);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await page.getByRole('heading', { name: 'Your password has been changed' }).waitFor();
  await page.getByRole('main').getByRole('link', { name: 'Sign in' }).click();
  await page.waitForURL('**/signin');

  await signInInBrowser(page, { email: person.email, password: newPassword });
  assert.equal(await page.getByLabel('Display name').inputValue(), person.displayName);

  // The link works only once.
  await open(page, link[0]);
  await page.getByLabel('New password').fill(strongPassword());
  await page.getByRole('button', { name: 'Set new password' }).click();
  await page.getByRole('alert').filter({ hasText: 'invalid, already used or expired' }).waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});
