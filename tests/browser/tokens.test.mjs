// Personal API tokens made on the account page work against the API and can be revoked.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertNoPageErrors, signUpInBrowser, strongPassword, uniqueEmail, useEnvironment } from './support.mjs';

const env = useEnvironment();

async function meWithBearer(token) {
  const res = await fetch(new URL('/api/v1/me', env.baseUrl), {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
  });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: res.status, body, text };
}

test('a token is created, shown once, works with Bearer, and stops working once revoked', async () => {
  const page = await env.newPage();
  const person = { displayName: 'Mary Jackson', email: uniqueEmail('mary'), password: strongPassword() };
  await signUpInBrowser(page, person);

  const tokens = page.getByRole('region', { name: 'Personal API tokens' });
  await tokens.getByText('You have no tokens.').waitFor();
  await tokens.getByLabel('Token name').fill('Gradebook sync');
  await tokens.getByRole('button', { name: 'Create token' }).click();

  const panel = tokens.getByRole('region', { name: /Your new token/ });
  await panel.waitFor();
  await panel.getByText('It will not be shown again').waitFor();
  assert.ok(await panel.getByRole('button', { name: 'Copy token' }).isVisible(), 'a copy button is offered');
  const token = await panel.getByLabel('Token', { exact: true }).inputValue();
  assert.ok(token.length >= 16, `a token value is shown, got "${token}"`);
  // Focus moved to the new token so it is announced.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'new-token-heading');

  const list = tokens.getByRole('list', { name: 'Your tokens' });
  const item = list.getByRole('listitem').filter({ hasText: 'Gradebook sync' });
  await item.waitFor();
  // Times carry a visible zone name (the browser runs in Europe/Paris).
  assert.match(await item.innerText(), /Created .*(GMT|CET|CEST|UTC)/);

  const ok = await meWithBearer(token);
  assert.equal(ok.status, 200, `GET /api/v1/me with the new token: ${ok.text}`);
  assert.equal(ok.body.user.email, person.email);
  assert.equal(ok.body.csrf_token, null);

  // Shown once: after dismissing or reloading, the secret is gone from the page.
  await panel.getByRole('button', { name: 'I have copied it' }).click();
  await panel.waitFor({ state: 'detached' });
  await page.reload();
  await item.waitFor();
  assert.equal(await page.getByText(token).count(), 0, 'the token is not shown again');
  assert.equal(await page.locator('#new-token-value').count(), 0);

  // Revoking asks first; cancelling keeps the token.
  await item.getByRole('button', { name: 'Revoke' }).click();
  await item.getByText('Scripts using it will stop working').waitFor();
  await item.getByRole('button', { name: 'Cancel' }).click();
  await item.getByRole('button', { name: 'Revoke' }).waitFor();
  assert.equal((await meWithBearer(token)).status, 200, 'cancelling does not revoke');

  await item.getByRole('button', { name: 'Revoke' }).click();
  await item.getByRole('button', { name: 'Yes, revoke' }).click();
  await item.waitFor({ state: 'detached' });
  await tokens.getByRole('status').filter({ hasText: 'revoked' }).waitFor();

  const gone = await meWithBearer(token);
  assert.equal(gone.status, 401, `the revoked token must stop working, got ${gone.status}: ${gone.text}`);
  assertNoPageErrors(page);
  await page.context().close();
});
