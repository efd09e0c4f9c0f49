// Credentials in the browser: a campaign organizer writes an achievement (the server's field
// errors shown by their fields first), awards it to an educator by hand and to a list (a bad
// line first, then a preview); the educator finds it in the backpack and opens its page, which
// the live check reports as verified; the organizer revokes it after confirming, and the page
// shows the revoked banner; the verify page reports a tampered copy as not verified. Every
// page is checked with axe.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { createCampaign, createEducator, createOrganizer, suffix } from '../lib/activities.mjs';
import { api, createSiteAdmin } from '../lib/server.mjs';
import {
  assertNoPageErrors,
  assertNoSeriousViolations,
  open,
  signInInBrowser,
  useEnvironment,
} from './support.mjs';

const env = useEnvironment();

const CAMPAIGN = 'connected-educator-month-2012';

let site = null;

/** The site admin, the campaign and its organizer, made once. */
async function world() {
  if (site) return site;
  const admin = await createSiteAdmin(env.server);
  await createCampaign(admin, CAMPAIGN, {
    name: 'Connected Educator Month 2012',
    starts_on: '2012-08-01',
    ends_on: '2012-08-31',
    time_zone: 'America/New_York',
  });
  const organizer = await createOrganizer(env.server, admin, CAMPAIGN);
  site = { admin, organizer };
  return site;
}

/** Confirms the address of an account made through the API, with the link mailed to it. */
async function confirmEmail(admin, email) {
  const mail = await admin.get('/api/v1/mail?limit=100');
  assert.equal(mail.status, 200, mail.text);
  const message = mail.body.items.find((m) => m.to === email && m.body.includes('/verify-email?token='));
  assert.ok(message, `a confirmation mail went to ${email}`);
  const token = decodeURIComponent(message.body.match(/\/verify-email\?token=([^\s"'<>)]+)/)[1]);
  assert.equal((await api(env.baseUrl).post('/api/v1/email-verifications', { token })).status, 200);
}

test('an organizer awards an achievement; the educator keeps a verified credential; it is revoked; a tampered copy fails', async () => {
  const { admin, organizer } = await world();
  const educator = await createEducator(env.server, 'ada');
  await confirmEmail(admin, educator.credentials.email);
  const slug = `cem-connected-educator-${suffix()}`;

  // ---- the organizer writes the achievement
  const page = await env.newPage({ bypassCSP: true });
  await signInInBrowser(page, organizer.credentials);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Achievements' }).click();
  await page.getByRole('heading', { level: 1, name: 'Achievements' }).waitFor();
  await assertNoSeriousViolations(page, 'achievements');
  await page.getByRole('link', { name: 'New achievement' }).click();
  await page.getByRole('heading', { level: 1, name: 'New achievement' }).waitFor();

  // Nothing filled in: the summary names each required field and links to it.
  await page.getByRole('button', { name: 'Create achievement' }).click();
  const refused = page.getByRole('alert').filter({ hasText: 'The achievement was not saved' });
  await refused.waitFor();
  assert.match(await refused.innerText(), /Enter the achievement’s name/);
  await refused.getByRole('link', { name: 'Enter the achievement’s name' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'achievement-name');
  await assertNoSeriousViolations(page, 'new achievement with errors');

  await page.getByLabel('Offered by').selectOption('campaign');
  await page.getByLabel('Short name of the campaign').fill(CAMPAIGN);
  await page.getByLabel('Name', { exact: true }).fill('Connected Educator');
  await page.getByLabel('Short name', { exact: true }).fill(slug);
  await page.getByLabel('Description').fill('For educators who learned with others online during the month.');
  await page.getByLabel('Criteria').fill('Attend three webinars of the campaign and share one idea with a colleague.');
  await page.getByLabel('Hours of learning').fill('3.5');
  await page.getByLabel('Tags').fill('connected learning, webinars');
  await page.getByLabel('Valid for (days)').fill('1095');
  await page.getByRole('button', { name: 'Add an alignment' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id?.endsWith('-target_name')), true, 'the new row takes focus');
  const alignment = page.getByRole('group', { name: 'Alignment 1' });
  await alignment.getByLabel('Name of the standard').fill('Collaborator');
  // An address that is not a web address is refused before anything is sent, by its field.
  await alignment.getByLabel('Address of the standard').fill('ftp://iste.example/standards');
  await page.getByRole('button', { name: 'Create achievement' }).click();
  await alignment.locator('.error-message').filter({ hasText: 'Enter an address starting with https://' }).waitFor();
  assert.equal(await alignment.getByLabel('Address of the standard').getAttribute('aria-invalid'), 'true');
  assert.match(await refused.innerText(), /Enter an address starting with https:\/\//);
  await alignment.getByLabel('Address of the standard').fill('https://iste.example/standards/educators#collaborator');
  await alignment.getByLabel('Framework (optional)', { exact: true }).fill('ISTE Standards for Educators');
  await alignment.getByLabel('Code in the framework').fill('4');
  await page.getByRole('button', { name: 'Create achievement' }).click();
  await page.waitForURL(`**/achievements/${slug}`);
  await page.getByRole('heading', { level: 1, name: 'Connected Educator' }).waitFor();
  const about = page.getByRole('region', { name: 'About the achievement' });
  assert.match(await about.innerText(), /Connected Educator Month 2012/);
  assert.match(await about.innerText(), /3\.5 hours/);
  assert.match(await about.innerText(), /1,095 days/);
  await about.getByRole('link', { name: 'Collaborator' }).waitFor();
  await page.getByRole('link', { name: /^Edit/ }).waitFor();
  await assertNoSeriousViolations(page, 'achievement (organizer)');

  // ---- awarding by hand
  const award = page.getByRole('region', { name: 'Award it to someone' });
  await award.getByLabel('Recipient’s email address').fill(educator.credentials.email);
  await award.getByLabel('Narrative').fill('Attended all three webinars and ran a session for her school.');
  await award.getByLabel('Evidence address').fill('https://example.org/ada/reflection');
  await award.getByRole('button', { name: 'Award', exact: true }).click();
  const created = award.getByRole('link', { name: /Open the credential/ });
  await created.waitFor();
  const credentialPath = await created.getAttribute('href');
  assert.match(credentialPath, /^\/credentials\/[0-9a-f-]{36}$/, credentialPath);

  // The same person again: refused, by the field.
  await award.getByLabel('Recipient’s email address').fill(educator.credentials.email);
  await award.getByRole('button', { name: 'Award', exact: true }).click();
  await award.getByRole('alert').filter({ hasText: 'The credential was not awarded' }).waitFor();
  assert.equal(await award.getByLabel('Recipient’s email address').getAttribute('aria-invalid'), 'true');

  // ---- awarding to a list: a bad line is named, nobody is awarded; then a preview, then the awards
  const bulk = page.getByRole('region', { name: 'Award to a list' });
  const bad = ['email,narrative,evidence', 'grace@example.org,Ran a chat,', 'not-an-address,,'].join('\r\n');
  await bulk.getByLabel('List of recipients').setInputFiles({ name: 'awards.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await bulk.getByRole('button', { name: 'Preview awards' }).click();
  const problems = bulk.getByRole('alert').filter({ hasText: 'nobody was awarded' });
  await problems.waitFor();
  assert.match(await problems.innerText(), /Line 3/i);
  assert.doesNotMatch(await problems.innerText(), /Line 2\b/i, 'the good line is not listed');

  const good = ['email,narrative,evidence', 'grace@example.org,Ran a chat,https://example.org/grace', 'alan@example.org,,'].join('\r\n');
  await bulk.getByLabel('List of recipients').setInputFiles({ name: 'awards.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await bulk.getByRole('button', { name: 'Preview awards' }).click();
  const preview = bulk.getByRole('region', { name: 'Preview of the awards' });
  await preview.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'bulk-preview-heading');
  assert.match(await preview.innerText(), /issues a credential to 2 people/);
  const table = page.getByRole('region', { name: 'Credentials awarded', exact: true }).getByRole('table');
  await table.getByRole('row').filter({ hasText: educator.credentials.email }).waitFor();
  assert.equal(await table.getByRole('row').filter({ hasText: 'grace@example.org' }).count(), 0, 'the preview awarded nobody');
  await assertNoSeriousViolations(page, 'bulk award preview');
  await preview.getByRole('button', { name: 'Award to 2 people' }).click();
  await bulk.getByRole('status').filter({ hasText: 'Awarded to 2 people.' }).waitFor();
  await table.getByRole('row').filter({ hasText: 'grace@example.org' }).waitFor();
  const adaRow = table.getByRole('row').filter({ hasText: educator.credentials.email });
  assert.match(await adaRow.innerText(), /Valid/);
  assert.match(await adaRow.innerText(), /GMT\+[12]/, 'issued in the viewer’s zone, named');
  assertNoPageErrors(page);

  // ---- the educator: the backpack, then the credential's page
  const mine = await env.newPage({ bypassCSP: true });
  await signInInBrowser(mine, educator.credentials);
  await mine.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My backpack' }).click();
  await mine.getByRole('heading', { level: 1, name: 'My backpack' }).waitFor();
  const cards = mine.getByRole('list', { name: 'Your credentials' });
  const card = cards.getByRole('listitem').filter({ hasText: 'Connected Educator' });
  await card.waitFor();
  assert.match(await card.innerText(), /Valid/);
  assert.equal(await card.getByLabel('Link to “Connected Educator”').inputValue().then((v) => v.endsWith(credentialPath)), true);
  await assertNoSeriousViolations(mine, 'backpack');
  // The learner record of this year: a ClrCredential holding the badge, as a download.
  const record = mine.getByRole('region', { name: 'Comprehensive Learner Record' });
  const [recordFile] = await Promise.all([
    mine.waitForEvent('download'),
    record.getByRole('button', { name: 'Download learner record' }).click(),
  ]);
  const clr = JSON.parse(await readFile(await recordFile.path(), 'utf8'));
  assert.deepEqual(clr.type, ['VerifiableCredential', 'ClrCredential']);
  assert.ok(clr.credentialSubject.verifiableCredential.some((c) => c.name === 'Connected Educator'));
  await record.getByRole('status').filter({ hasText: 'was downloaded' }).waitFor();
  await card.getByRole('link', { name: 'Connected Educator' }).click();
  await mine.waitForURL(`**${credentialPath}`);
  await mine.getByRole('heading', { level: 1, name: 'Connected Educator' }).waitFor();
  await mine.getByRole('heading', { name: 'Verification: Verified', exact: true }).waitFor();
  const checks = mine.getByRole('list', { name: 'What was checked' });
  for (const name of ['Open Badges 3.0 structure', 'Signature', 'Issuer’s key', 'Dates', 'Revocation status']) {
    await checks.getByRole('listitem').filter({ hasText: name }).waitFor();
  }
  assert.doesNotMatch(await checks.innerText(), /Failed/);
  assert.equal(
    await mine.getByRole('link', { name: /^Download/ }).getAttribute('href'),
    `${credentialPath}.jsonld`,
  );
  assert.match(await mine.getByRole('link', { name: 'Add to LinkedIn profile' }).getAttribute('href'), /^https:\/\/www\.linkedin\.com\//);
  const evidence = mine.getByRole('region', { name: 'Evidence' });
  assert.equal(await evidence.getByRole('link').first().getAttribute('href'), 'https://example.org/ada/reflection');
  assert.equal(await mine.getByRole('heading', { name: 'Revoke this credential' }).count(), 0, 'the recipient cannot revoke');
  await mine.getByText('The signature in detail').click();
  await mine.getByRole('heading', { name: /^Proof 1: verified/ }).waitFor();
  await assertNoSeriousViolations(mine, 'credential page');
  assertNoPageErrors(mine);

  // ---- the organizer revokes it, after confirming
  await open(page, credentialPath);
  const revoke = page.getByRole('region', { name: 'Revoke this credential' });
  await revoke.getByRole('button', { name: 'Revoke credential…' }).click();
  await revoke.getByRole('alert').filter({ hasText: 'The credential was not revoked' }).waitFor();
  assert.equal(await revoke.getByLabel('Reason for revoking').getAttribute('aria-invalid'), 'true');
  await revoke.getByLabel('Reason for revoking').fill('Awarded to the wrong address.');
  await revoke.getByRole('button', { name: 'Revoke credential…' }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'revoke-question');
  await revoke.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'revoke-submit');
  await revoke.getByRole('button', { name: 'Revoke credential…' }).click();
  await revoke.getByRole('button', { name: 'Yes, revoke it' }).click();
  const banner = page.getByRole('region', { name: 'This credential has been revoked' });
  await banner.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'revoked-heading');
  assert.match(await banner.innerText(), /Awarded to the wrong address\./);
  assert.match(await banner.innerText(), /Revoked on .*GMT\+[12]/);
  await assertNoSeriousViolations(page, 'revoked credential');
  assertNoPageErrors(page);

  // The educator's page says so too.
  await open(mine, credentialPath);
  await mine.getByRole('region', { name: 'This credential has been revoked' }).waitFor();

  // ---- the verify page: the signed copy, then a tampered one
  const download = await api(env.baseUrl).get(`${credentialPath}.jsonld`);
  assert.equal(download.status, 200, download.text);
  const signed = JSON.parse(download.text);
  const verify = await env.newPage({ bypassCSP: true });
  await open(verify, '/verify');
  await verify.getByRole('heading', { level: 1, name: 'Verify a credential' }).waitFor();
  const tampered = structuredClone(signed);
  tampered.credentialSubject.achievement.name = 'Connected Educator (with honours)';
  await verify.getByLabel('Credential', { exact: true }).fill(JSON.stringify(tampered, null, 2));
  await verify.getByRole('button', { name: 'Verify', exact: true }).click();
  await verify.getByRole('heading', { name: 'Verification: Not verified', exact: true }).waitFor();
  await verify.waitForFunction(() => document.activeElement?.id === 'verify-result-heading');
  const signature = verify.getByRole('list', { name: 'What was checked' }).getByRole('listitem').filter({ hasText: 'Signature' });
  assert.match(await signature.innerText(), /Failed/);
  await assertNoSeriousViolations(verify, 'verify page, not verified');

  // Not JSON at all: refused by the box, before anything is sent.
  await verify.getByLabel('Credential', { exact: true }).fill('{"not json');
  await verify.getByRole('button', { name: 'Verify', exact: true }).click();
  await verify.getByRole('alert').filter({ hasText: 'The credential was not checked' }).waitFor();
  assert.equal(await verify.getByLabel('Credential', { exact: true }).getAttribute('aria-invalid'), 'true');
  assertNoPageErrors(verify);

  // The same page reached from a credential's address checks it at once.
  await open(verify, `/verify?url=${encodeURIComponent(credentialPath)}`);
  await verify.getByRole('heading', { name: /^Verification: / }).waitFor();
  assertNoPageErrors(verify);

  for (const p of [page, mine, verify]) await p.context().close();
});

test('signed out: achievements and credentials are public, the backpack asks to sign in', async () => {
  const page = await env.newPage({ bypassCSP: true });
  await open(page, '/backpack');
  await page.waitForURL('**/signin?next=%2Fbackpack');
  await open(page, '/achievements');
  assert.equal(await page.getByRole('link', { name: 'New achievement' }).count(), 0, 'no New achievement link when signed out');
  await open(page, '/credentials/00000000-0000-4000-8000-000000000000');
  await page.getByRole('heading', { level: 1, name: 'Credential not found' }).waitFor();
  await assertNoSeriousViolations(page, 'credential not found');
  await open(page, '/verify');
  await assertNoSeriousViolations(page, 'verify page');
  assertNoPageErrors(page);
  await page.context().close();
});
