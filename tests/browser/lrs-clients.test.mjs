// Organization staff add a Learning Record Store client on the organization's page, see its
// secret once with the key and the endpoint, find it in the list and revoke it.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, createCampaign, createPartner, localDate, suffix } from '../lib/activities.mjs';
import { createSiteAdmin } from '../lib/server.mjs';
import { assertNoPageErrors, focused, open, signInInBrowser, useEnvironment } from './support.mjs';

const env = useEnvironment();

let admin = null;

/** A campaign with a new, approved partner organization; answers its only staff member's client. */
async function partner() {
  if (!admin) admin = await createSiteAdmin(env.server);
  const slug = `lrs-week-${suffix()}`;
  const today = localDate(new Date(), 'America/Chicago');
  await createCampaign(admin, slug, {
    starts_on: addDays(today, -1),
    ends_on: addDays(today, 30),
    time_zone: 'America/Chicago',
  });
  return createPartner(env.server, admin, slug, { slug: `lakeside-${suffix()}`, name: 'Lakeside Learning Lab' });
}

/** The organization's clients, as the API lists them to its staff. */
async function apiClients(staff) {
  const res = await staff.get(`/api/v1/organizations/${staff.org}/lrs-clients?limit=100`);
  assert.equal(res.status, 200, `listing the clients: ${res.text}`);
  return res.body.items;
}

test('staff add a client, see its secret once, find it in the list and revoke it', async () => {
  const staff = await partner();
  const orgPath = `/organizations/${staff.org}`;

  // Visitors do not see the section.
  const visitor = await env.newPage();
  await open(visitor, orgPath);
  await visitor.getByRole('heading', { level: 1, name: 'Lakeside Learning Lab' }).waitFor();
  assert.equal(await visitor.getByRole('region', { name: 'Learning Record Store' }).count(), 0);
  await visitor.context().close();

  const page = await env.newPage();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.baseUrl });
  await signInInBrowser(page, staff.credentials);
  await open(page, orgPath);
  const lrs = page.getByRole('region', { name: 'Learning Record Store' });
  await lrs.getByText('Your organization has no clients yet.').waitFor();

  // The scopes are boxes in a group; the documented defaults are ticked.
  const scopes = lrs.getByRole('group', { name: 'What the client may do' });
  await scopes.waitFor();
  assert.equal(await scopes.getByLabel('Report statements').isChecked(), true);
  assert.equal(await scopes.getByLabel('Read back its own statements').isChecked(), true);
  assert.equal(await scopes.getByLabel('Read all statements').isChecked(), false);
  assert.equal(await scopes.getByLabel('Store state and profile documents').isChecked(), true);

  // Without a name, the problem shows by the field and in the summary, which links to it.
  await lrs.getByRole('button', { name: 'Add client' }).click();
  const summary = lrs.getByRole('alert').filter({ hasText: 'The client was not added' });
  await summary.waitFor();
  const name = lrs.getByLabel('Client name');
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  assert.match(await lrs.locator('#lrs-name-error').innerText(), /Enter a name for the client/);
  assert.match(await name.getAttribute('aria-describedby'), /lrs-name-error/);
  await summary.getByRole('link', { name: /Enter a name for the client/ }).click();
  assert.equal((await focused(page)).id, 'lrs-name');

  // No permission at all is refused by the boxes.
  await name.fill('Nothing allowed');
  for (const label of ['Report statements', 'Read back its own statements', 'Store state and profile documents']) {
    await scopes.getByLabel(label).uncheck();
  }
  await lrs.getByRole('button', { name: 'Add client' }).click();
  await lrs.locator('#lrs-scopes-error').filter({ hasText: 'Choose at least one' }).waitFor();
  assert.deepEqual(await apiClients(staff), [], 'nothing was sent');

  // With the keyboard: the name, then Space ticks boxes; Enter submits.
  await name.fill('Webinar platform');
  await scopes.getByLabel('Report statements').focus();
  await page.keyboard.press('Space');
  await scopes.getByLabel('Read all statements').focus();
  await page.keyboard.press('Space');
  assert.equal(await scopes.getByLabel('Report statements').isChecked(), true);
  assert.equal(await scopes.getByLabel('Read all statements').isChecked(), true);
  await name.focus();
  await page.keyboard.press('Enter');

  const panel = lrs.getByRole('region', { name: /Your new client/ });
  await panel.waitFor();
  await panel.getByText('It will not be shown again').waitFor();
  assert.equal((await focused(page)).id, 'new-lrs-client-heading', 'focus moves to the new client');
  const endpoint = await panel.getByLabel('Endpoint', { exact: true }).inputValue();
  const key = await panel.getByLabel('Key', { exact: true }).inputValue();
  const secret = await panel.getByLabel('Secret', { exact: true }).inputValue();
  assert.match(endpoint, /^https?:\/\/.+\/xapi\/$/, `the endpoint is shown: ${endpoint}`);
  assert.ok(key.length >= 8, `the key is shown: ${key}`);
  assert.ok(secret.length >= 16, `the secret is shown: ${secret}`);
  assert.match(await panel.getByLabel('Secret', { exact: true }).getAttribute('aria-describedby'), /new-lrs-client-warning/);
  for (const button of ['Copy endpoint', 'Copy key', 'Copy secret']) {
    assert.ok(await panel.getByRole('button', { name: button }).isVisible(), `${button} is offered`);
  }
  await panel.getByRole('button', { name: 'Copy secret' }).click();
  const copied = panel.getByRole('status').filter({ hasText: /Secret copied|Could not copy/ });
  await copied.waitFor();
  if (/Secret copied/.test(await copied.innerText())) {
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret, 'the secret is on the clipboard');
  }

  const [listed] = await apiClients(staff);
  assert.equal(listed.key, key, 'the key shown is the client’s');
  assert.deepEqual([...listed.scopes].sort(), ['statements/read', 'statements/write'], 'the boxes ticked');

  // The list shows the client, without its secret.
  const list = lrs.getByRole('list', { name: 'Clients' });
  const item = list.getByRole('listitem').filter({ hasText: 'Webinar platform' });
  await item.waitFor();
  const text = await item.innerText();
  assert.ok(text.includes(key), `the key is listed: ${text}`);
  assert.ok(text.includes('Read all statements'), `the scopes are listed in plain words: ${text}`);
  assert.match(text, /Created\s+.*(GMT|CET|CEST|UTC)/, `the creation time is listed: ${text}`);
  assert.match(text, /Last used\s*Never/, `never used yet: ${text}`);
  assert.ok(!text.includes(secret), 'the list does not show the secret');

  // Shown once: dismissed (with the keyboard) or reloaded, the secret is gone.
  await panel.getByRole('button', { name: 'I have copied the secret' }).focus();
  await page.keyboard.press('Enter');
  await panel.waitFor({ state: 'detached' });
  // Focus moves after the panel has gone; give the page its render.
  await page.waitForFunction(() => document.activeElement?.id === 'lrs-name', null, { timeout: 5000 }).catch(() => {});
  assert.equal((await focused(page)).id, 'lrs-name', 'focus returns to the form');
  await page.reload();
  await item.waitFor();
  assert.equal(await page.getByText(secret).count(), 0, 'the secret is not shown again');
  assert.equal(await page.locator('#new-lrs-client-secret').count(), 0);

  // Revoking asks first; cancelling keeps the client.
  await item.getByRole('button', { name: /^Revoke/ }).click();
  await item.getByText('Its key stops working at once').waitFor();
  assert.match((await focused(page)).text, /Revoke “Webinar platform”\?/, 'focus moves to the question');
  await item.getByRole('button', { name: 'Cancel' }).click();
  await item.getByRole('button', { name: /^Revoke/ }).waitFor();
  await page
    .waitForFunction(() => /^revoke-lrs-client-/.test(document.activeElement?.id ?? ''), null, { timeout: 5000 })
    .catch(() => {});
  assert.match((await focused(page)).id, /^revoke-lrs-client-/, 'focus returns to the Revoke button');
  assert.equal((await apiClients(staff))[0].revoked_at, null, 'cancelling does not revoke');

  await page.keyboard.press('Enter');
  await item.getByRole('button', { name: 'Yes, revoke' }).click();
  await lrs.getByRole('status').filter({ hasText: '“Webinar platform” is revoked' }).waitFor();
  await item.locator('.badge').filter({ hasText: 'Revoked' }).waitFor();
  assert.match(await item.innerText(), /Revoked\s+.*(GMT|CET|CEST|UTC)/, 'the time of revocation is listed');
  assert.equal(await item.getByRole('button', { name: /^Revoke/ }).count(), 0, 'a revoked client cannot be revoked again');
  const [revoked] = await apiClients(staff);
  assert.ok(revoked.revoked_at, `the client is revoked: ${JSON.stringify(revoked)}`);

  // After a reload the revoked client is still listed, as revoked.
  await page.reload();
  await item.locator('.badge').filter({ hasText: 'Revoked' }).waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});

test('a problem the server finds with a scope is shown by the boxes', async () => {
  const staff = await partner();
  const page = await env.newPage();
  await signInInBrowser(page, staff.credentials);
  // The form only offers known scopes, so the server's answer is made up here.
  await page.route(`**/api/v1/organizations/${staff.org}/lrs-clients`, (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    return route.fulfill({
      status: 422,
      contentType: 'application/problem+json',
      body: JSON.stringify({
        type: 'urn:staffroom:problem:validation',
        title: 'Validation failed',
        status: 422,
        detail: 'some fields are not valid',
        errors: [{ field: 'scopes[1]', message: 'unknown scope' }],
      }),
    });
  });
  await open(page, `/organizations/${staff.org}`);
  const lrs = page.getByRole('region', { name: 'Learning Record Store' });
  await lrs.getByLabel('Client name').fill('Forum');
  await lrs.getByRole('button', { name: 'Add client' }).click();
  const summary = lrs.getByRole('alert').filter({ hasText: 'The client was not added' });
  await summary.getByText('What the client may do: unknown scope').waitFor();
  await lrs.locator('#lrs-scopes-error').filter({ hasText: 'Unknown scope' }).waitFor();
  const group = lrs.getByRole('group', { name: 'What the client may do' });
  assert.match(await group.getAttribute('aria-describedby'), /lrs-scopes-error/);
  assertNoPageErrors(page);
  await page.context().close();
});

test('the new client’s details fit a 360 pixel wide screen', async () => {
  const staff = await partner();
  const page = await env.newPage({ viewport: { width: 360, height: 740 } });
  await signInInBrowser(page, staff.credentials);
  await open(page, `/organizations/${staff.org}`);
  const lrs = page.getByRole('region', { name: 'Learning Record Store' });
  await lrs.getByLabel('Client name').fill('A platform with a fairly long descriptive name for testing');
  await lrs.getByRole('button', { name: 'Add client' }).click();
  await lrs.getByRole('region', { name: /Your new client/ }).waitFor();
  await lrs.getByRole('list', { name: 'Clients' }).getByRole('listitem').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the organization page overflows by ${overflow}px`);
  await page.context().close();
});
