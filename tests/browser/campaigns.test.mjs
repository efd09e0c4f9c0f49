// Campaigns: the list and a campaign page, applying as a partner organization, and
// an organizer reviewing the application.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, createSiteAdmin, signUp } from '../lib/server.mjs';
import {
  assertNoPageErrors,
  focused,
  signInInBrowser,
  signUpInBrowser,
  strongPassword,
  uniqueEmail,
  useEnvironment,
} from './support.mjs';

const env = useEnvironment();

const CAMPAIGN = {
  slug: 'connected-educators-2012',
  name: 'Connected Educator Month',
  description: 'A month of online learning for educators.\n\n<img src=x onerror="window.injected=1">Bring a colleague.',
  starts_on: '2012-08-01',
  ends_on: '2012-08-31',
  time_zone: 'America/New_York',
  themes: [
    { title: 'Getting connected', summary: 'Join a community of practice.', starts_on: '2012-08-01', ends_on: '2012-08-07' },
    { title: 'Sharing practice', summary: 'Share what works in your classroom.', starts_on: '2012-08-08', ends_on: '2012-08-14' },
  ],
  hashtags: ['ce12', 'connectedtl'],
};

const organizer = { email: uniqueEmail('organizer'), password: strongPassword() };

/** A site admin creates the campaign and makes `organizer` one of its organizers. */
async function createCampaign() {
  const admin = await createSiteAdmin(env.server);
  const created = await admin.post('/api/v1/campaigns', CAMPAIGN);
  assert.equal(created.status, 201, `creating the campaign: ${created.text}`);

  const client = api(env.baseUrl);
  await signUp(client, { ...organizer, display_name: 'Grace Organizer' });
  const grant = await admin.post(`/api/v1/users/${client.user.id}/roles`, {
    role: 'campaign_organizer',
    scope_type: 'campaign',
    scope_id: CAMPAIGN.slug,
  });
  assert.equal(grant.status, 201, `granting the organizer role: ${grant.text}`);
}

test('an educator applies as a partner and an organizer approves the application', async () => {
  await createCampaign();
  const page = await env.newPage();
  await signUpInBrowser(page, { displayName: 'Ruth Educator', email: uniqueEmail('ruth'), password: strongPassword() });

  // The campaigns list, from the main navigation.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
  await page.getByRole('heading', { level: 1, name: 'Campaigns' }).waitFor();
  assert.equal((await focused(page)).tag, 'h1', 'focus moves to the heading');
  assert.match(await page.title(), /^Campaigns · Staffroom$/);
  const entry = page.getByRole('list', { name: 'Campaigns' }).getByRole('listitem').filter({ hasText: CAMPAIGN.name });
  assert.match(await entry.innerText(), /1-31 August 2012/);
  assert.match(await entry.innerText(), /America\/New_York/);

  // The campaign page.
  await entry.getByRole('link', { name: CAMPAIGN.name }).click();
  await page.getByRole('heading', { level: 1, name: CAMPAIGN.name }).waitFor();
  assert.equal((await focused(page)).text, CAMPAIGN.name, 'focus moves to the campaign heading');
  assert.match(await page.title(), /Connected Educator Month · Staffroom/);
  const main = page.locator('main');
  await main.getByText('1-31 August 2012').waitFor();
  assert.match(await main.innerText(), /Eastern Time \(America\/New_York\)|America\/New_York/);
  // The description is plain text: markup in it is shown, not run.
  await main.getByText('<img src=x onerror="window.injected=1">Bring a colleague.').waitFor();
  assert.equal(await page.evaluate(() => window.injected), undefined);
  assert.equal(await main.locator('img').count(), 0);
  const themes = page.getByRole('list', { name: 'Weekly themes' });
  assert.match(await themes.innerText(), /Getting connected[\s\S]*1-7 August 2012[\s\S]*Join a community of practice\./);
  assert.match(await themes.innerText(), /Sharing practice[\s\S]*8-14 August 2012/);
  assert.match(await page.getByRole('list', { name: 'Hashtags' }).innerText(), /#ce12[\s\S]*#connectedtl/);
  await main.getByText('No partner organizations have been approved yet.').waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Applications' }).count(), 0, 'educators do not review');

  // Applying: a bad contact email comes back from the server next to its field.
  const apply = page.getByRole('region', { name: 'Apply as a partner organization' });
  await apply.getByLabel('Organization name').fill('Riverside Library');
  await apply.getByLabel('Short name').fill('riverside-library');
  await apply.getByLabel('Kind of organization').selectOption('nonprofit');
  await apply.getByLabel('Website').fill('https://riverside.example.org');
  await apply.getByLabel('Description').fill('A public library that runs maker workshops.');
  await apply.getByLabel('Contact email').fill('not-an-email');
  await apply.getByRole('button', { name: 'Apply' }).click();
  await apply.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  const email = apply.getByLabel('Contact email');
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  const describedBy = await email.getAttribute('aria-describedby');
  assert.ok(describedBy && describedBy.includes('org_contact_email-error'), `aria-describedby: ${describedBy}`);
  assert.match(await page.locator('#org_contact_email-error').innerText(), /email address/i);
  assert.match(await apply.getByRole('alert').innerText(), /Contact email: must be an email address/);

  await email.fill('hello@riverside.example.org');
  await apply.getByRole('button', { name: 'Apply' }).click();
  await apply.getByRole('heading', { name: 'Application sent' }).waitFor();
  assert.match(await apply.innerText(), /Riverside Library[\s\S]*is pending/);
  assert.equal((await focused(page)).id, 'applied-heading');
  assertNoPageErrors(page);
  await page.context().close();

  // The organizer reviews it.
  const review = await env.newPage();
  await signInInBrowser(review, organizer);
  await review.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
  await review.getByRole('link', { name: CAMPAIGN.name }).click();
  const applications = review.getByRole('region', { name: 'Applications' });
  const item = applications.getByRole('listitem').filter({ hasText: 'Riverside Library' });
  await item.waitFor();
  assert.match(await item.innerText(), /hello@riverside\.example\.org/);

  // Declining needs a reason.
  await item.getByRole('button', { name: 'Decline' }).click();
  const reason = item.getByLabel('Reason for declining Riverside Library');
  await reason.waitFor();
  assert.equal((await focused(review)).id, 'reason-riverside-library', 'focus moves to the reason');
  await item.getByRole('button', { name: 'Decline application' }).click();
  await item.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  assert.equal(await reason.getAttribute('aria-invalid'), 'true');
  assert.match(await item.innerText(), /Enter a reason for declining/);
  await item.getByRole('button', { name: 'Cancel' }).click();

  await item.getByRole('button', { name: 'Approve' }).click();
  await applications.getByRole('status').filter({ hasText: 'Riverside Library approved' }).waitFor();
  await applications.getByText('No applications are waiting for a decision.').waitFor();

  const partners = review.getByRole('list', { name: 'Partner organizations' });
  const partner = partners.getByRole('listitem').filter({ hasText: 'Riverside Library' });
  await partner.waitFor();
  assert.match(await partner.innerText(), /Nonprofit/);
  const link = partner.getByRole('link', { name: /riverside\.example\.org/ });
  assert.equal(await link.getAttribute('href'), 'https://riverside.example.org');
  assert.equal(await link.getAttribute('rel'), 'noopener');
  assertNoPageErrors(review);
  await review.context().close();
});

test('an unknown campaign shows a not-found message', async () => {
  const page = await env.newPage();
  await page.goto('/campaigns/no-such-campaign');
  await page.getByRole('heading', { level: 1, name: 'Campaign not found' }).waitFor();
  await page.getByText('There is no campaign called “no-such-campaign”').waitFor();
  assert.match(await page.title(), /Campaign not found · Staffroom/);
  assertNoPageErrors(page);
  await page.context().close();
});
