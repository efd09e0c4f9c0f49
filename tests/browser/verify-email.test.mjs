// Confirming an email address with the link mailed at sign-up, and asking
// for a new link from the account page.

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

/** The paths of the confirmation links mailed to `email`, newest first. */
async function confirmationLinks(admin, email) {
  const mail = await admin.get('/api/v1/mail?limit=100');
  assert.equal(mail.status, 200, mail.text);
  return mail.body.items
    .filter((m) => m.to === email)
    .map((m) => m.body.match(/\/verify-email\?token=[^\s"'<>)]+/))
    .filter(Boolean)
    .map((m) => m[0]);
}

test('a new educator confirms their address with the mailed link', async () => {
  const person = { displayName: 'Dorothy Vaughan', email: uniqueEmail('dorothy'), password: strongPassword() };
  const page = await env.newPage({ bypassCSP: true });
  await signUpInBrowser(page, person);

  await open(page, '/account');
  const profile = page.getByRole('region', { name: 'Profile' });
  await profile.getByText('Not yet.').waitFor();
  await assertNoSeriousViolations(page, 'account page, address not confirmed');

  // Asking again mails a second link; either one confirms.
  await profile.getByRole('button', { name: 'Send the link again' }).click();
  await profile.getByRole('status').filter({ hasText: `We sent a new confirmation link to ${person.email}` }).waitFor();
  const admin = await createSiteAdmin(env.server);
  const links = await confirmationLinks(admin, person.email);
  assert.equal(links.length, 2, 'the sign-up link and the one asked for');

  await open(page, links[0]);
  await page.getByRole('heading', { name: 'Your address is confirmed' }).waitFor();
  await assertNoSeriousViolations(page, 'address confirmed');
  const focusedHeading = await page.evaluate(() => document.activeElement?.textContent ?? '');
  assert.match(focusedHeading, /Your address is confirmed/, 'focus moves to the confirmation');

  await open(page, '/account');
  await profile.getByText('Confirmed').waitFor();
  assert.equal(await profile.getByRole('button', { name: 'Send the link again' }).count(), 0);

  // A link works once.
  await open(page, links[0]);
  await page.getByRole('heading', { name: 'We could not confirm your address' }).waitFor();
  await page.getByRole('link', { name: 'Ask for a new link on your account page' }).waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});
