// Activities in the web app: finding one in a campaign's catalog, registering and adding it
// to a calendar; host staff writing an activity and an organizer approving it; importing
// from CSV; and checking in with the code the host shows.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { activityInput, createPartner, createPublished } from '../lib/activities.mjs';
import { activityWorld, dayAt, publishStartingSoon } from './activity-fixtures.mjs';
import {
  assertNoPageErrors,
  focused,
  open,
  signInInBrowser,
  signUpInBrowser,
  strongPassword,
  uniqueEmail,
  useEnvironment,
} from './support.mjs';

const env = useEnvironment();

let world = null;
/** The campaign, its partner and activities, made once for the file. */
async function setUp() {
  world ??= await activityWorld(env.server);
  return world;
}

/** A pattern for the time of day of `iso` as the browser shows it in Paris: "2:00 AM" or "2:00 – 3:00 AM". */
function parisTime(iso) {
  const parts = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'Europe/Paris' })
    .formatToParts(new Date(iso));
  const get = (type) => parts.find((p) => p.type === type)?.value ?? '';
  return new RegExp(`\\b${get('hour')}:${get('minute')}\\b[^,]*${get('dayPeriod')}`);
}

/** iCalendar text with folded lines joined again (RFC 5545, 3.1). */
function unfold(ics) {
  return ics.replace(/\r?\n[ \t]/g, '');
}

test('an educator finds an activity, registers, sees it on their schedule and adds it to a calendar', async () => {
  const w = await setUp();
  const page = await env.newPage();
  await signUpInBrowser(page, { displayName: 'Rosa Educator', email: uniqueEmail('rosa'), password: strongPassword() });

  // From the campaign page to its catalog.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
  await page.getByRole('link', { name: w.campaign.name }).click();
  await page.getByRole('heading', { level: 1, name: w.campaign.name }).waitFor();
  await page.getByRole('link', { name: 'Browse the activities' }).click();
  await page.getByRole('heading', { level: 1, name: `Activities of ${w.campaign.name}` }).waitFor();
  assert.equal((await focused(page)).tag, 'h1', 'focus moves to the heading');
  assert.match(await page.title(), /^Activities of Open PD Month · Staffroom$/);
  assert.match(await page.locator('main').innerText(), /Times are shown in your time zone: .*Europe\/Paris/);
  const results = page.getByRole('region', { name: 'Activities' });
  await results.getByRole('status').filter({ hasText: 'Showing 3 activities.' }).waitFor();

  // A word and a filter.
  const search = page.getByRole('search', { name: 'Activities' });
  await search.getByLabel('Search activities').fill('podcast');
  await search.getByText('Filters', { exact: true }).click();
  await search.getByRole('group', { name: 'Grade band' }).getByLabel('3-5').check();
  await search.getByRole('button', { name: 'Apply filters' }).click();
  await results.getByRole('status').filter({ hasText: 'Showing 1 activity.' }).waitFor();
  const found = results.getByRole('link', { name: w.podcasting.title });
  await found.waitFor();
  assert.equal(await results.getByRole('link', { name: w.highSchool.title }).count(), 0, 'the grade filter applies');
  assert.equal(await results.getByRole('link', { name: w.openHouse.title }).count(), 0, 'the word applies');
  const query = new URL(page.url()).searchParams;
  assert.equal(query.get('q'), 'podcast', `the address keeps the search: ${page.url()}`);
  assert.deepEqual(query.getAll('grade'), ['3-5']);

  // The address can be shared: opened afresh, it shows the same search.
  await open(page, page.url().replace(env.baseUrl, ''));
  assert.equal(await page.getByLabel('Search activities').inputValue(), 'podcast');
  assert.ok(await page.getByRole('group', { name: 'Grade band' }).getByLabel('3-5').isChecked());
  await results.getByRole('status').filter({ hasText: 'Showing 1 activity.' }).waitFor();

  // The month view lays the session out on its day, in the viewer's time zone.
  await results.getByRole('radio', { name: 'Month' }).check();
  const start = new Date(w.podcasting.sessions[0].starts_at);
  const month = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(start);
  const monthNow = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(new Date());
  await page.getByRole('heading', { name: monthNow }).waitFor();
  if (month !== monthNow) await page.getByRole('button', { name: 'Next month' }).click();
  await page.getByRole('heading', { name: month }).waitFor();
  assert.equal(new URL(page.url()).searchParams.get('view'), 'month');
  const day = new Intl.DateTimeFormat('en-US', {
    weekday: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'Europe/Paris',
  }).format(start);
  const cell = page.getByRole('cell').filter({ hasText: day });
  assert.match(await cell.innerText(), /Podcasting with fifth graders/);
  await results.getByRole('radio', { name: 'List' }).check();
  await found.waitFor();

  // The activity page.
  await found.click();
  await page.getByRole('heading', { level: 1, name: w.podcasting.title }).waitFor();
  // The title follows the page's data, a render after the heading.
  await page.waitForFunction(() => document.title.startsWith('Podcasting'), null, { timeout: 5000 }).catch(() => {});
  assert.match(await page.title(), /^Podcasting with fifth graders · Staffroom$/);
  const main = page.locator('main');
  const host = main.getByRole('link', { name: 'Riverside Library' });
  assert.equal(await host.getAttribute('href'), `/organizations/${w.org}`);
  const facilitator = main.getByRole('link', { name: 'Mina Okafor' });
  assert.match(await facilitator.getAttribute('href'), /^\/people\//);
  const sessions = page.getByRole('list', { name: 'Sessions' });
  // 19:00 in Chicago is the small hours of the next day in Paris.
  assert.match(await sessions.innerText(), parisTime(w.podcasting.sessions[0].starts_at));
  assert.match(await sessions.innerText(), /GMT\+1|GMT\+2|CET|CEST/);
  assert.match(await main.innerText(), /Europe\/Paris/);
  await main.getByRole('strong').filter({ hasText: 'podcast' }).waitFor(); // the Markdown description
  assert.match(await main.innerText(), /30 seats left/);

  const takePart = page.getByRole('region', { name: 'Take part' });
  await takePart.getByRole('button', { name: 'Register' }).click();
  await takePart.getByRole('status').filter({ hasText: 'You are registered.' }).waitFor();
  await main.getByText('29 seats left').waitFor();

  // My schedule.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My schedule' }).click();
  await page.getByRole('heading', { level: 1, name: 'My schedule' }).waitFor();
  const upcoming = page.getByRole('list', { name: 'Upcoming' });
  const entry = upcoming.getByRole('listitem').filter({ hasText: w.podcasting.title });
  assert.match(await entry.innerText(), /Registered/);
  assert.match(await entry.innerText(), parisTime(w.podcasting.sessions[0].starts_at));

  // Back on the activity page, "Add to calendar" downloads its iCalendar file.
  await entry.getByRole('link', { name: w.podcasting.title }).click();
  await page.getByRole('heading', { level: 1, name: w.podcasting.title }).waitFor();
  await takePart.getByText('You are registered.').waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    takePart.getByRole('link', { name: /Add to calendar/ }).click(),
  ]);
  const ics = await readFile(await download.path(), 'utf8');
  assert.ok(ics.startsWith('BEGIN:VCALENDAR'), `an iCalendar file: ${ics.slice(0, 80)}`);
  assert.match(unfold(ics), /^SUMMARY:Podcasting with fifth graders\r?$/m);
  assert.match(download.suggestedFilename(), /\.ics$/);

  // Cancelling needs a confirmation and gives the seat back.
  await takePart.getByRole('button', { name: 'Cancel registration' }).click();
  await takePart.getByRole('button', { name: 'Yes, cancel my registration' }).click();
  await takePart.getByRole('status').filter({ hasText: 'Your registration is cancelled.' }).waitFor();
  await main.getByText('30 seats left').waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});

test('host staff write an activity and submit it, and an organizer approves it', async () => {
  const w = await setUp();
  const page = await env.newPage();
  await signInInBrowser(page, w.staff.credentials);

  await open(page, `/organizations/${w.org}`);
  await page.getByRole('heading', { level: 1, name: 'Riverside Library' }).waitFor();
  const staffSection = page.getByRole('region', { name: 'For your organization’s staff' });
  await staffSection.getByRole('table').getByRole('link', { name: w.podcasting.title }).waitFor();
  await staffSection.getByRole('link', { name: 'New activity' }).click();
  await page.getByRole('heading', { level: 1, name: 'New activity of Riverside Library' }).waitFor();
  assert.equal(await page.getByLabel('Campaign', { exact: true }).inputValue(), w.slug, 'the only campaign is chosen');

  // A problem the server finds is shown next to its field.
  await page.getByLabel('Title').fill('Coding club for librarians');
  await page.getByLabel('Format').selectOption('live_chat');
  await page.getByLabel('First session starts').fill(dayAt(6, '18:30'));
  await page.getByLabel('Repeats').selectOption('1');
  await page.getByLabel('Number of sessions').fill('3');
  await page.getByLabel('PD hours').fill('1.5');
  await page.getByRole('group', { name: 'Audience' }).getByLabel('Librarians').check();
  await page.getByRole('group', { name: 'Campaign themes' }).getByLabel('Digital citizenship').check();
  await page.getByLabel('Subjects').fill('computer science');
  await page.getByLabel('Language').fill('not a language!');
  await page.getByRole('button', { name: 'Add a facilitator' }).click();
  assert.equal((await focused(page)).label, 'Name', 'focus moves to the new facilitator');
  await page.keyboard.type('Grace Byron');
  await page.getByRole('group', { name: 'Facilitator 1' }).getByLabel('Affiliation').fill('Riverside Library');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  assert.match(await page.getByRole('alert').innerText(), /Language: must be a language tag/);
  assert.equal(await page.getByLabel('Language').getAttribute('aria-invalid'), 'true');

  await page.getByLabel('Language').fill('en');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/\/activities\/\d+$/);
  await page.getByRole('heading', { level: 1, name: 'Coding club for librarians' }).waitFor();
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const manage = page.getByRole('region', { name: 'Manage' });
  await manage.getByRole('heading', { name: 'Status: Draft' }).waitFor();
  assert.equal(await page.getByRole('list', { name: 'Sessions' }).getByRole('listitem').count(), 3);
  assert.match(await page.locator('main').innerText(), /1\.5 PD hours/);
  await page.locator('main').getByRole('link', { name: 'Grace Byron' }).waitFor();

  await manage.getByRole('button', { name: 'Submit for review' }).click();
  await manage.getByRole('heading', { name: 'Status: Submitted for review' }).waitFor();
  await manage.getByRole('status').filter({ hasText: 'Submitted.' }).waitFor();
  assertNoPageErrors(page);
  await page.context().close();

  // The organizer's review queue.
  const review = await env.newPage();
  await signInInBrowser(review, w.organizer.credentials);
  await open(review, `/campaigns/${w.slug}`);
  await review.getByRole('link', { name: 'Review submitted activities' }).click();
  await review.getByRole('heading', { level: 1, name: `Review activities of ${w.campaign.name}` }).waitFor();
  const queue = review.getByRole('list', { name: 'Activities to review' });
  const item = queue.getByRole('listitem').filter({ hasText: 'Coding club for librarians' });
  assert.match(await item.innerText(), /Riverside Library/);
  assert.match(await item.innerText(), /Live chat/);

  // Declining needs a reason.
  await item.getByRole('button', { name: 'Decline' }).click();
  assert.equal((await focused(review)).id, `reason-${id}`, 'focus moves to the reason');
  await item.getByRole('button', { name: 'Decline activity' }).click();
  await item.getByRole('alert').filter({ hasText: 'There is a problem' }).waitFor();
  await item.getByRole('button', { name: 'Cancel' }).click();

  await item.getByRole('button', { name: 'Approve' }).click();
  await review.getByRole('status').filter({ hasText: '“Coding club for librarians” approved' }).waitFor();
  await review.getByText('No activities are waiting for a decision.').waitFor();
  assertNoPageErrors(review);
  await review.context().close();

  // It is in the public catalog now.
  const visitor = await env.newPage();
  await open(visitor, `/campaigns/${w.slug}/activities?q=coding`);
  await visitor.getByRole('region', { name: 'Activities' }).getByRole('link', { name: 'Coding club for librarians' }).waitFor();
  assertNoPageErrors(visitor);
  await visitor.context().close();
});

test('a CSV import with bad lines lists every one and imports nothing', async () => {
  const w = await setUp();
  const page = await env.newPage();
  await signInInBrowser(page, w.staff.credentials);
  await open(page, `/organizations/${w.org}`);
  const importing = page.getByRole('region', { name: 'Import activities from a spreadsheet' });
  const csv = [
    'title,format,start,duration_minutes',
    `Book club live,live_chat,${dayAt(7, '18:00')},45`,
    ',webinar,,60',
    'Poetry slam,karaoke,2012-13-45T99:00,60',
  ].join('\r\n');
  await importing.getByLabel('CSV file').setInputFiles({ name: 'activities.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await importing.getByRole('button', { name: 'Import activities' }).click();
  const alert = importing.getByRole('alert').filter({ hasText: 'nothing was imported' });
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /Line 3/i, text);
  assert.match(text, /Line 4/i, text);
  assert.doesNotMatch(text, /Line 2\b/i, 'the good line is not listed');
  assert.equal(await importing.getByLabel('CSV file').getAttribute('aria-invalid'), 'true');
  const listed = await w.staff.get(`/api/v1/organizations/${w.org}/activities?limit=100`);
  assert.ok(!listed.body.items.some((a) => a.title === 'Book club live'), 'nothing was imported');

  // A good file is imported as drafts.
  const good = ['title,format,start,duration_minutes', `Book club live,live_chat,${dayAt(7, '18:00')},45`].join('\r\n');
  await importing.getByLabel('CSV file').setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await importing.getByRole('button', { name: 'Import activities' }).click();
  await importing.getByRole('status').filter({ hasText: 'Imported 1 activity as a draft.' }).waitFor();
  const row = page.getByRole('table').getByRole('row').filter({ hasText: 'Book club live' });
  await row.waitFor();
  assert.match(await row.innerText(), /Draft/);
  assertNoPageErrors(page);
  await page.context().close();
});

test('an educator checks in with the code the host shows, signing in on the way', async () => {
  const w = await setUp();
  const activity = await publishStartingSoon(w);

  // The host shows the code and its QR code.
  const host = await env.newPage();
  await signInInBrowser(host, w.staff.credentials);
  await open(host, `/activities/${activity.id}`);
  const manage = host.getByRole('region', { name: 'Manage' });
  await manage.getByRole('button', { name: 'Show check-in code' }).click();
  const heading = manage.getByRole('heading', { name: /Check-in code:/ });
  await heading.waitFor();
  const code = (await heading.innerText()).replace(/^Check-in code:\s*/, '').trim();
  assert.match(code, /^[A-Z0-9]{4,}$/);
  const qr = manage.getByRole('img', { name: /QR code that opens the check-in page/ });
  assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml/);
  const link = new URL(await manage.getByRole('link', { name: /\/check-in\// }).getAttribute('href'));
  assert.equal(link.searchParams.get('code'), code);

  // An educator without a session follows the link, signs in and comes back.
  const person = { email: uniqueEmail('ines'), password: strongPassword() };
  await env.signUpSeparately({ displayName: 'Inès Educator', ...person });
  const page = await env.newPage();
  await open(page, link.pathname + link.search);
  await page.getByRole('heading', { level: 1, name: `Check in to ${activity.title}` }).waitFor();
  assert.match(await page.title(), /^Check in · Staffroom$/);
  await page.getByRole('link', { name: 'Sign in to check in' }).click();
  await page.getByLabel('Email address').fill(person.email);
  await page.getByLabel('Password', { exact: true }).fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/check-in\//);
  await page.getByRole('heading', { level: 1, name: `Check in to ${activity.title}` }).waitFor();
  assert.equal(await page.getByLabel('Check-in code').inputValue(), code, 'the code from the link is filled in');

  // A wrong code is refused with the server's explanation.
  await page.getByLabel('Check-in code').fill('WRONG1');
  await page.getByRole('button', { name: 'Check in' }).click();
  await page.getByRole('alert').filter({ hasText: 'You are not checked in' }).waitFor();
  assert.match(await page.getByRole('alert').innerText(), /Check-in code: is not this activity/);

  await page.getByLabel('Check-in code').fill(code);
  await page.getByRole('button', { name: 'Check in' }).click();
  await page.getByRole('heading', { name: 'You are checked in' }).waitFor();
  assert.equal((await focused(page)).id, 'checked-in-heading');
  assertNoPageErrors(page);
  await page.context().close();

  // The host sees the attendance.
  await open(host, `/activities/${activity.id}`);
  const table = host.getByRole('table', { name: /Attendance recorded/ });
  assert.match(await table.innerText(), new RegExp(person.email.replace(/[.+]/g, '\\$&')));
  assert.match(await table.innerText(), /Checked in/);
  assertNoPageErrors(host);
  await host.context().close();
});

test('staff of an invited co-host confirm, and the activity shows as co-hosted', async () => {
  const w = await setUp();
  const other = await createPartner(env.server, w.admin, w.slug, { name: 'Hilltop School District' });
  const joint = await createPublished(
    w.staff,
    w.organizer,
    activityInput(w.slug, { title: 'Reading across the district', start: dayAt(8, '10:00'), co_hosts: [other.org] }),
  );
  const page = await env.newPage();
  await signInInBrowser(page, other.credentials);
  await open(page, `/organizations/${other.org}`);
  await page.getByText('No approved activities yet.').waitFor();
  const invitations = page.getByRole('list', { name: 'Co-host invitations' });
  assert.match(await invitations.innerText(), /Reading across the district, hosted by Riverside Library/);
  await invitations.getByRole('button', { name: 'Confirm co-hosting “Reading across the district”' }).click();
  await page.getByRole('status').filter({ hasText: 'You now co-host “Reading across the district”.' }).waitFor();
  await page.getByText('No invitations are waiting.').waitFor();
  // Now it is among the organization's public activities.
  await page.getByRole('region', { name: 'Activities' }).getByRole('link', { name: joint.title }).waitFor();

  await open(page, `/activities/${joint.id}`);
  const cohost = page.locator('main').getByRole('link', { name: 'Hilltop School District' });
  assert.equal(await cohost.getAttribute('href'), `/organizations/${other.org}`);
  assertNoPageErrors(page);
  await page.context().close();
});

test('an unknown activity shows a not-found message', async () => {
  const page = await env.newPage();
  await open(page, '/activities/999999');
  await page.getByRole('heading', { level: 1, name: 'Activity not found' }).waitFor();
  assert.match(await page.title(), /Activity not found · Staffroom/);
  assertNoPageErrors(page);
  await page.context().close();
});
