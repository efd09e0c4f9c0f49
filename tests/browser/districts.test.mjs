// Districts in the browser: an administrator confirms their address, creates a district with
// schools, adds its email domain, imports a roster (a bad row first, then a preview, then the
// import); a teacher joins with the code and finds the district; the join form works with
// the keyboard alone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suffix } from '../lib/activities.mjs';
import { api, createSiteAdmin, signUp } from '../lib/server.mjs';
import {
  assertNoPageErrors,
  focused,
  open,
  signInInBrowser,
  signUpInBrowser,
  strongPassword,
  useEnvironment,
} from './support.mjs';

const env = useEnvironment();
let site = null;

/** The path of the newest confirmation link mailed to `email`. */
async function confirmationLink(email) {
  if (!site) site = await createSiteAdmin(env.server);
  const mail = await site.get('/api/v1/mail?limit=100');
  assert.equal(mail.status, 200, mail.text);
  const message = mail.body.items.find((m) => m.to === email && m.body.includes('/verify-email?token='));
  assert.ok(message, `a confirmation mail went to ${email}`);
  return message.body.match(/\/verify-email\?token=[^\s"'<>)]+/)[0];
}

/** Presses Tab until the focused element matches, at most `max` times. */
async function tabTo(page, predicate, max = 40) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (predicate(f)) return f;
  }
  throw new Error(`nothing matching was reached with ${max} presses of Tab; focus is on ${JSON.stringify(await focused(page))}`);
}

const CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}$/;

/** A district made through the API by a confirmed admin; answers { slug, name, code, admin }. */
async function apiDistrict(label) {
  const admin = api(env.baseUrl);
  const email = `${label}-admin-${suffix()}@${label}-${suffix()}.k12.example.org`;
  await signUp(admin, { email, display_name: `Admin of ${label}` });
  const token = decodeURIComponent((await confirmationLink(email)).split('token=')[1]);
  assert.equal((await api(env.baseUrl).post('/api/v1/email-verifications', { token })).status, 200);
  const slug = `${label}-${suffix()}`;
  const name = `${label[0].toUpperCase()}${label.slice(1)} Unified`;
  const created = await admin.post('/api/v1/districts', { slug, name, state: 'CA', time_zone: 'America/Los_Angeles', schools: ['Mesa High'] });
  assert.equal(created.status, 201, created.text);
  return { slug, name, code: created.body.join_code, admin };
}

test('an admin creates a district with schools and imports a roster; a teacher joins with the code', async () => {
  const domain = `springfield-${suffix()}.k12.example.org`;
  const person = { displayName: 'Frances Allen', email: `frances-${suffix()}@${domain}`, password: strongPassword() };
  const page = await env.newPage();
  await signUpInBrowser(page, person);

  // The header leads to the districts page; before confirming, creating is explained instead.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Districts' }).click();
  await page.getByRole('heading', { level: 1, name: 'Districts' }).waitFor();
  const create = page.getByRole('region', { name: 'Create a district' });
  await create.getByText('Confirm your email address first.').waitFor();
  assert.equal(await create.getByRole('button', { name: 'Create district' }).count(), 0, 'no form before confirming');
  await create.getByRole('link', { name: 'ask for a new link on your account page' }).waitFor();

  await open(page, await confirmationLink(person.email));
  await page.getByRole('heading', { name: 'Your address is confirmed' }).waitFor();
  await open(page, '/districts');
  await page.getByText('You do not belong to a district yet.').waitFor();

  // A school listed twice is refused by the server, by its line.
  const slug = `springfield-${suffix()}`;
  await create.getByLabel('District name').fill('Springfield Public Schools');
  await create.getByLabel('Short name').fill(slug);
  await create.getByLabel(/State or territory/).selectOption('OH');
  await create.getByLabel('Time zone').selectOption('America/Chicago');
  await create.getByLabel(/Schools/).fill('Lincoln Elementary\n\nWashington High\nLincoln Elementary');
  await create.getByRole('button', { name: 'Create district' }).click();
  const refused = create.getByRole('alert').filter({ hasText: 'The district was not created' });
  await refused.waitFor();
  assert.match(await refused.innerText(), /Schools: line 4: 'Lincoln Elementary' is listed twice/);
  assert.equal(await create.getByLabel(/Schools/).getAttribute('aria-invalid'), 'true');

  await create.getByLabel(/Schools/).fill('Lincoln Elementary\nWashington High');
  await create.getByRole('button', { name: 'Create district' }).click();
  await page.waitForURL(`**/districts/${slug}`);
  await page.getByRole('heading', { level: 1, name: 'Springfield Public Schools' }).waitFor();
  const about = page.getByRole('region', { name: 'About the district' });
  assert.match(await about.innerText(), /Your role\s*Administrator/);
  assert.match(await about.innerText(), /Ohio \(OH\)/);
  assert.match(await about.innerText(), /America\/Chicago/);
  const schools = about.getByRole('list', { name: 'Schools' });
  assert.deepEqual(await schools.getByRole('listitem').allInnerTexts(), ['Lincoln Elementary', 'Washington High']);

  // Another school, added on the district's page.
  await about.getByLabel('School name').fill('Adams Academy');
  await about.getByRole('button', { name: 'Add school' }).click();
  await about.getByRole('status').filter({ hasText: 'Adams Academy added.' }).waitFor();
  assert.deepEqual(await schools.getByRole('listitem').allInnerTexts(), ['Adams Academy', 'Lincoln Elementary', 'Washington High']);

  // The admin's own domain, offered in the field.
  const domains = page.getByRole('region', { name: 'Email domains' });
  assert.equal(await domains.getByLabel('Domain', { exact: true }).inputValue(), domain);
  await domains.getByRole('button', { name: 'Add domain' }).click();
  await domains.getByRole('list', { name: 'Domains' }).getByRole('listitem').filter({ hasText: domain }).waitFor();

  // The join code.
  const code = await page.getByRole('region', { name: 'Join code' }).getByLabel('Join code').inputValue();
  assert.match(code, CODE);

  // A roster with a bad row: every problem listed by line and column, nothing imported.
  const roster = page.getByRole('region', { name: 'Roster' });
  const bad = [
    'email,name,school,role',
    `grace@${domain},Grace Hopper,Lincoln Elementary,approver`,
    'not-an-address,Alan Turing,Roosevelt Middle,educator',
    `ada@${domain},Ada Lovelace,Roosevelt Middle,principal`,
  ].join('\r\n');
  await roster.getByLabel('Roster file').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await roster.getByRole('button', { name: 'Preview import' }).click();
  const problems = roster.getByRole('alert').filter({ hasText: 'The file has problems; nothing was imported' });
  await problems.waitFor();
  const text = await problems.innerText();
  assert.match(text, /Line 3, email: 'not-an-address'/, text);
  assert.match(text, /Line 4, role: 'principal' is not a role/, text);
  assert.doesNotMatch(text, /Line 2\b/, 'the good line is not listed');
  assert.equal(await roster.getByLabel('Roster file').getAttribute('aria-invalid'), 'true');
  assert.equal(await roster.getByRole('region', { name: 'Preview of the import' }).count(), 0);

  // Fixed: a preview shows what would change, and changes nothing yet.
  const good = [
    'email,name,school,role',
    `grace@${domain},Grace Hopper,Lincoln Elementary,approver`,
    `alan@${domain},Alan Turing,Roosevelt Middle,educator`,
    `ada@${domain},Ada Lovelace,Roosevelt Middle,`,
  ].join('\r\n');
  await roster.getByLabel('Roster file').setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await roster.getByRole('button', { name: 'Preview import' }).click();
  const preview = roster.getByRole('region', { name: 'Preview of the import' });
  await preview.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'roster-preview-heading');
  const previewText = await preview.innerText();
  assert.match(previewText, /add 3 people/);
  assert.match(previewText, /update 0 people/);
  assert.match(previewText, /leave 0 people as they are/);
  assert.match(previewText, /add the school: Roosevelt Middle/);
  assert.equal(await roster.getByRole('alert').filter({ hasText: 'nothing was imported' }).count(), 0, 'the problems are gone');
  const membersTable = page.getByRole('region', { name: 'Members' }).getByRole('table');
  assert.equal(await membersTable.getByRole('row').filter({ hasText: 'Grace Hopper' }).count(), 0, 'the preview imported nobody');

  await preview.getByRole('button', { name: 'Import' }).click();
  await roster.getByRole('status').filter({ hasText: 'Roster imported: 3 people added, 0 people updated, 0 people unchanged. New schools: Roosevelt Middle.' }).waitFor();
  await membersTable.getByRole('row').filter({ hasText: 'Grace Hopper' }).waitFor();
  for (const name of ['Alan Turing', 'Ada Lovelace']) await membersTable.getByRole('row').filter({ hasText: name }).waitFor();
  assert.match(await membersTable.getByRole('row').filter({ hasText: 'Grace Hopper' }).innerText(), /No account yet/);
  assert.equal(await schools.getByRole('listitem').count(), 4, 'the new school joined the list');
  assertNoPageErrors(page);

  // A teacher joins with the code, typed loosely, and finds the district.
  const teacherPage = await env.newPage();
  await signUpInBrowser(teacherPage, { displayName: 'Mary Jackson', email: `mary-${suffix()}@example.org`, password: strongPassword() });
  await teacherPage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Districts' }).click();
  const join = teacherPage.getByRole('region', { name: 'Join with a code' });
  await join.getByLabel('Join code').fill(code.replace('-', ' ').toLowerCase());
  await join.getByRole('button', { name: 'Join district' }).click();
  const mine = teacherPage.getByRole('region', { name: 'Your districts' });
  await mine.getByRole('status').filter({ hasText: 'You have joined Springfield Public Schools as an educator.' }).waitFor();
  const row = mine.getByRole('row').filter({ hasText: 'Springfield Public Schools' });
  await row.waitFor();
  assert.match(await row.innerText(), /Educator/);
  assert.match(await row.innerText(), /with the join code/);
  await row.getByRole('link', { name: 'Springfield Public Schools' }).click();
  await teacherPage.waitForURL(`**/districts/${slug}`);
  await teacherPage.getByRole('heading', { level: 1, name: 'Springfield Public Schools' }).waitFor();
  const seen = teacherPage.getByRole('region', { name: 'About the district' });
  assert.match(await seen.innerText(), /Your role\s*Educator/);
  assert.equal(await seen.getByRole('list', { name: 'Schools' }).getByRole('listitem').count(), 4);
  for (const region of ['Join code', 'Email domains', 'Members', 'Roster']) {
    assert.equal(await teacherPage.getByRole('region', { name: region, exact: true }).count(), 0, `an educator sees no ${region} section`);
  }
  assert.equal(await teacherPage.getByText(code).count(), 0, 'the code is not shown to educators');
  assertNoPageErrors(teacherPage);

  // The admin makes the teacher an approver, inline; the teacher then sees the members, read-only.
  await open(page, `/districts/${slug}`);
  const members = page.getByRole('region', { name: 'Members' });
  const mary = members.getByRole('row').filter({ hasText: 'Mary Jackson' });
  await mary.getByLabel('Role of Mary Jackson').selectOption('approver');
  await mary.getByLabel('School of Mary Jackson').selectOption('Washington High');
  await mary.getByRole('button', { name: 'Save changes to Mary Jackson' }).click();
  await members.getByRole('status').filter({ hasText: 'Saved: Mary Jackson is approver, at Washington High, renewal cycle from the policy’s start.' }).waitFor();
  // Her license renews on its own date: her renewal cycle starts then.
  await mary.getByLabel('Renewal cycle start of Mary Jackson (empty: the policy’s)').fill('2024-07-01');
  await mary.getByRole('button', { name: 'Save changes to Mary Jackson' }).click();
  await members.getByRole('status').filter({ hasText: 'renewal cycle from 2024-07-01.' }).waitFor();

  await open(teacherPage, `/districts/${slug}`);
  const readOnly = teacherPage.getByRole('region', { name: 'Members' });
  await readOnly.getByRole('row').filter({ hasText: 'Grace Hopper' }).waitFor();
  assert.equal(await readOnly.getByRole('combobox', { name: /Role of/ }).count(), 0, 'approvers change nobody');
  assert.equal(await readOnly.getByRole('button', { name: /^Remove/ }).count(), 0);
  assert.equal(await teacherPage.getByRole('region', { name: 'Roster' }).count(), 0);
  assertNoPageErrors(teacherPage);
  await teacherPage.context().close();

  // The last administrator cannot step down: the server says why, in the row.
  const self = members.getByRole('row').filter({ hasText: '(you)' });
  await self.getByLabel('Role of Frances Allen').selectOption('educator');
  await self.getByRole('button', { name: 'Save changes to Frances Allen' }).click();
  const kept = members.getByRole('alert').filter({ hasText: 'Frances Allen was not changed' });
  await kept.waitFor();
  assert.match(await kept.innerText(), /needs an admin/);
  assertNoPageErrors(page);
  await page.context().close();
});

test('an admin replaces the join code after confirming, removes a member after confirming, and pages through members', async () => {
  const d = await apiDistrict('replace');
  const rows = Array.from({ length: 23 }, (_, i) => `person-${String(i + 1).padStart(2, '0')}@example.org,Person ${String(i + 1).padStart(2, '0')},,`);
  const imported = await d.admin.request('POST', `/api/v1/districts/${d.slug}/roster`, {
    body: ['email,name,school,role', ...rows].join('\n'),
    headers: { 'content-type': 'text/csv' },
  });
  assert.equal(imported.status, 200, imported.text);

  const page = await env.newPage();
  await signInInBrowser(page, d.admin.credentials);
  await open(page, `/districts/${d.slug}`);

  const section = page.getByRole('region', { name: 'Join code' });
  assert.equal(await section.getByLabel('Join code').inputValue(), d.code);
  await section.getByRole('button', { name: 'Replace code' }).click();
  const question = section.getByRole('group', { name: /Replace the join code/ });
  await question.waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'replace-join-code-question');
  await question.getByRole('button', { name: 'Cancel' }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'replace-join-code');
  assert.equal(await section.getByLabel('Join code').inputValue(), d.code, 'cancelled: the code is kept');
  await section.getByRole('button', { name: 'Replace code' }).click();
  await section.getByRole('button', { name: 'Yes, replace the code' }).click();
  await section.getByRole('status').filter({ hasText: 'The old code no longer works.' }).waitFor();
  const fresh = await section.getByLabel('Join code').inputValue();
  assert.match(fresh, CODE);
  assert.notEqual(fresh, d.code);
  const late = api(env.baseUrl);
  await signUp(late, { display_name: 'Late Teacher' });
  assert.equal((await late.post('/api/v1/district-memberships', { code: d.code })).status, 422, 'the old code is refused');

  // 24 members: two pages of 20 and 4.
  const members = page.getByRole('region', { name: 'Members' });
  const table = members.getByRole('table');
  await table.getByRole('row').filter({ hasText: 'Person 19' }).waitFor();
  assert.match(await table.locator('caption').innerText(), /Members, 1–20/);
  await members.getByRole('button', { name: 'Next page' }).click();
  await table.getByRole('row').filter({ hasText: 'Person 23' }).waitFor();
  assert.match(await table.locator('caption').innerText(), /Members, 21–24/);
  assert.equal(await members.getByRole('button', { name: 'Next page' }).getAttribute('aria-disabled'), 'true');
  await members.getByRole('button', { name: 'Previous page' }).click();
  await table.getByRole('row').filter({ hasText: 'Person 01' }).waitFor();

  // Search and role filter.
  await members.getByLabel('Name or email address').fill('PERSON 2');
  await members.getByRole('button', { name: 'Search' }).click();
  await table.locator('caption').filter({ hasText: 'Members matching your search, 1–4' }).waitFor();
  await members.getByLabel('Name or email address').fill('');
  await members.getByLabel('Role', { exact: true }).selectOption('admin');
  await members.getByRole('button', { name: 'Search' }).click();
  await table.locator('caption').filter({ hasText: 'Members matching your search, 1–1' }).waitFor();
  await members.getByLabel('Role', { exact: true }).selectOption('');
  await members.getByLabel('Name or email address').fill('person-07');
  await members.getByRole('button', { name: 'Search' }).click();
  const seven = table.getByRole('row').filter({ hasText: 'Person 07' });
  await seven.waitFor();

  // Removing, after a question that takes focus.
  await seven.getByRole('button', { name: 'Remove Person 07' }).click();
  const ask = members.getByRole('group', { name: /Remove Person 07/ });
  await ask.waitFor();
  await page.waitForFunction(() => document.activeElement?.id.endsWith('-question'));
  await ask.getByRole('button', { name: 'Yes, remove' }).click();
  await members.getByRole('status').filter({ hasText: `Person 07 is no longer a member of ${d.name}.` }).waitFor();
  await members.getByText('Nobody matches this search.').waitFor();
  const left = await d.admin.get(`/api/v1/districts/${d.slug}/members?q=person-07`);
  assert.deepEqual(left.body.items, [], 'removed on the server');
  assertNoPageErrors(page);
  await page.context().close();
});

test('the join form works with the keyboard alone, and its error is announced and linked', async () => {
  const d = await apiDistrict('keys');
  const page = await env.newPage();
  await signUpInBrowser(page, { displayName: 'Katherine Keys', email: `kk-${suffix()}@example.org`, password: strongPassword() });

  // From the top of a page: Tab to "Districts" in the header and follow it.
  await open(page, '/account');
  await tabTo(page, (f) => f.tag === 'a' && f.text === 'Districts');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/districts');
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  assert.equal((await focused(page)).text, 'Districts');

  // Enter with an empty field: the summary says what is missing and its link leads to the field.
  await tabTo(page, (f) => f.id === 'join-code');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused field shows a focus outline');
  await page.keyboard.press('Enter');
  const summary = page.getByRole('region', { name: 'Join with a code' }).getByRole('alert').filter({ hasText: 'You have not joined' });
  await summary.waitFor();
  assert.equal(await page.getByLabel('Join code').getAttribute('aria-invalid'), 'true');
  await page.keyboard.press('Shift+Tab');
  const link = await focused(page);
  assert.ok(link.tag === 'a' && /Enter the join code/.test(link.text), `the summary's link comes just before the field: ${JSON.stringify(link)}`);
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).id, 'join-code');

  // A wrong code: the server's reason, by the field.
  await page.keyboard.type('WRNG-CODE');
  await page.keyboard.press('Enter');
  await page.locator('#join-code-error').filter({ hasText: /no district has this join code/i }).waitFor();

  // The right one, typed loosely, joins; the focus moves to the list that now holds it.
  await page.keyboard.press('Control+A');
  await page.keyboard.type(d.code.toLowerCase().replace('-', ''));
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: `You have joined ${d.name} as an educator.` }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'my-districts-heading');
  await tabTo(page, (f) => f.tag === 'a' && f.text === d.name, 10);
  await page.keyboard.press('Enter');
  await page.waitForURL(`**/districts/${d.slug}`);
  await page.getByRole('heading', { level: 1, name: d.name }).waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});
