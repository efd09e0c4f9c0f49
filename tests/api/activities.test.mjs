// Activities through the HTTP API: creating and changing them, review, search, registration
// and waiting lists, check-in, attendance lists, CSV import and export, partnerships and impact.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  activityInput, addDays, addStaff, assertActivity, assertNamesField, cancelActivity, collect, createActivity,
  createCampaign, createEducator, createOrganizer, createPartner, createPublished, decideActivity, expectStatus,
  EXPORT_EXTRA_COLUMNS, IMPORT_COLUMNS, instant, joinCampaign, localDate, nextUsDstEnd, parseCsvObjects, postCsv,
  publishActivity, sessionStarts, submitActivity, suffix, toCsv, wallTime, zonedToUtc,
} from '../lib/activities.mjs';
import { assertList, assertProblem, assertTime } from '../lib/problem.mjs';
import { api, createSiteAdmin, startServer, uniqueEmail, withLogs } from '../lib/server.mjs';

let server;
let admin;
const it = (name, fn) => test(name, withLogs(() => server, fn));
before(async () => {
  server = await startServer();
  admin = await createSiteAdmin(server);
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

const TZ = 'America/New_York';
const anonymous = () => api(server.baseUrl);

/**
 * A campaign starting yesterday (in its time zone) and lasting `length` days; `day(n)` is
 * the date n days after its first day.
 */
async function freshCampaign(prefix, { length = 150, startOffset = -1, themes } = {}) {
  const slug = `${prefix}-${suffix()}`;
  const startsOn = addDays(localDate(new Date(), TZ), startOffset);
  const day = (n) => addDays(startsOn, n);
  await createCampaign(admin, slug, { starts_on: startsOn, ends_on: day(length), time_zone: TZ, themes: themes ? themes(day) : [] });
  return { slug, day };
}

const idsOf = (items) => items.map((a) => a.id).sort((x, y) => x - y);
const sorted = (ids) => [...ids].sort((x, y) => x - y);

async function orgActivities(client, org, campaign) {
  return collect(client, `/api/v1/organizations/${org}/activities?campaign=${campaign}`);
}

async function getActivity(client, id) {
  const res = await client.get(`/api/v1/activities/${id}`);
  return assertActivity(expectStatus(res, 200, `GET /api/v1/activities/${id}`));
}

async function register(client, id) {
  return client.post(`/api/v1/activities/${id}/registration`, {});
}

// ---------------------------------------------------------------------------------------

describe('creating activities', () => {
  it('host staff create a draft whose sessions are its local wall times in UTC, across the DST change', async () => {
    const sunday = nextUsDstEnd(); // the first Sunday of November: 02:00 EDT becomes 01:00 EST
    const year = sunday.slice(0, 4);
    const slug = `dst-${suffix()}`;
    await createCampaign(admin, slug, { starts_on: `${year}-10-01`, ends_on: `${year}-11-30`, time_zone: TZ });
    const host = await createPartner(server, admin, slug);

    const thursday = addDays(sunday, -10);
    const d = (n) => addDays(thursday, n);
    const input = activityInput(slug, {
      title: 'Evening book club', start: `${thursday}T19:00`, duration_minutes: 90, recurrence: 'FREQ=WEEKLY;COUNT=4',
      capacity: 30,
    });
    const res = await host.post(`/api/v1/organizations/${host.org}/activities`, input);
    expectStatus(res, 201);
    const a = assertActivity(res.body);
    assert.equal(res.headers.get('location'), `/api/v1/activities/${a.id}`);
    assert.equal(a.status, 'draft');
    assert.equal(a.campaign, slug);
    assert.equal(a.title, 'Evening book club');
    assert.equal(a.time_zone, TZ, "time_zone defaults to the campaign's");
    assert.equal(a.start, `${thursday}T19:00`, 'start is the local wall time as given');
    assert.equal(a.duration_minutes, 90);
    assert.equal(a.recurrence, 'FREQ=WEEKLY;COUNT=4');
    assert.deepEqual(a.host, { slug: host.org, name: host.orgName });
    assert.equal(a.self_paced, false);
    assert.equal(a.co_hosted, false);
    assert.deepEqual(a.co_hosts, []);
    assert.equal(a.capacity, 30);
    assert.equal(a.registered, 0);
    assert.equal(a.waitlisted, 0);
    assert.equal(a.seats_left, 30);
    assert.equal(a.pd_hours, 1);
    assert.equal(a.join_url, input.join_url);
    assert.equal(a.language, 'en');
    assert.deepEqual(a.audience, input.audience);
    assert.deepEqual(a.accessibility, input.accessibility);
    // 19:00 EDT is 23:00Z; after the change 19:00 EST is 00:00Z the next day.
    assert.deepEqual(a.sessions.map((s) => [instant(s.starts_at), instant(s.ends_at)]), [
      [`${d(0)}T23:00:00.000Z`, `${d(1)}T00:30:00.000Z`],
      [`${d(7)}T23:00:00.000Z`, `${d(8)}T00:30:00.000Z`],
      [`${d(15)}T00:00:00.000Z`, `${d(15)}T01:30:00.000Z`],
      [`${d(22)}T00:00:00.000Z`, `${d(22)}T01:30:00.000Z`],
    ]);

    const again = await getActivity(host, a.id);
    assert.deepEqual(again.sessions, a.sessions);
    const mine = await orgActivities(host, host.org, slug);
    assert.deepEqual(mine.map((x) => [x.id, x.status]), [[a.id, 'draft']]);

    // BYDAY with an UNTIL date, in another time zone (US Central also changes that Sunday).
    const tuesday = addDays(sunday, -5);
    const until = addDays(sunday, 3).replace(/-/g, '');
    const byday = await createActivity(host, activityInput(slug, {
      title: 'Twice a week', time_zone: 'America/Chicago', start: `${tuesday}T10:00`, duration_minutes: 30,
      recurrence: `FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=${until}`,
    }));
    assert.equal(byday.time_zone, 'America/Chicago');
    assert.deepEqual(sessionStarts(byday), [
      `${tuesday}T15:00:00.000Z`, `${addDays(sunday, -3)}T15:00:00.000Z`, `${addDays(sunday, 2)}T16:00:00.000Z`,
    ]);

    // Every other week.
    const biweekly = await createActivity(host, activityInput(slug, {
      title: 'Every other week', start: `${thursday}T19:00`, recurrence: 'FREQ=WEEKLY;INTERVAL=2;COUNT=2',
    }));
    assert.deepEqual(sessionStarts(biweekly), [`${d(0)}T23:00:00.000Z`, `${d(15)}T00:00:00.000Z`]);

    // A time zone other than the campaign's, no recurrence: one session.
    const berlin = await createActivity(host, activityInput(slug, {
      title: 'From Berlin', time_zone: 'Europe/Berlin', start: `${year}-10-12T18:00`, duration_minutes: 45,
    }));
    assert.deepEqual(berlin.sessions.map((s) => [instant(s.starts_at), instant(s.ends_at)]),
      [[`${year}-10-12T16:00:00.000Z`, `${year}-10-12T16:45:00.000Z`]]);

    // A self-paced course has a window of dates instead of a start.
    const course = await createActivity(host, activityInput(slug, {
      title: 'Self-paced course', format: 'online_course', duration_minutes: undefined,
      available_from: `${year}-10-05`, available_until: `${year}-10-25`,
    }));
    assert.equal(course.self_paced, true);
    assert.equal(course.available_from, `${year}-10-05`);
    assert.equal(course.available_until, `${year}-10-25`);

    const all = await orgActivities(host, host.org, slug);
    assert.deepEqual(idsOf(all), sorted([a.id, byday.id, biweekly.id, berlin.id, course.id]));
  });

  it('description_html is the Markdown rendered with raw HTML removed', async () => {
    const { slug, day } = await freshCampaign('md');
    const host = await createPartner(server, admin, slug);
    const description = [
      'Bring **questions** and [slides](https://example.org/slides).',
      '',
      '<script>document.cookie</script>',
      '',
      'An image: <img src="x" onerror="alert(1)"> inline.',
      '',
      '<div onmouseover="steal()">hover</div>',
    ].join('\n');
    const a = await createActivity(host, activityInput(slug, { title: 'Markdown', start: `${day(20)}T16:00`, description }));
    assert.equal(a.description, description, 'the Markdown source is kept as given');
    assert.match(a.description_html, /<strong>questions<\/strong>/);
    assert.match(a.description_html, /<a href="https:\/\/example\.org\/slides">slides<\/a>/);
    assert.doesNotMatch(a.description_html, /<script/i);
    assert.doesNotMatch(a.description_html, /onerror/i);
    assert.doesNotMatch(a.description_html, /onmouseover/i);
    assert.doesNotMatch(a.description_html, /<img/i);
    assert.doesNotMatch(a.description_html, /<div/i);

    const patched = expectStatus(await host.patch(`/api/v1/activities/${a.id}`, { description: 'Now *emphasis* <iframe src="https://evil.example"></iframe>' }), 200);
    assert.match(patched.description_html, /<em>emphasis<\/em>/);
    assert.doesNotMatch(patched.description_html, /<iframe/i);
    assert.ok(patched.sequence > a.sequence, `sequence raised by PATCH: ${a.sequence} → ${patched.sequence}`);
  });

  it('a facilitator named again with the same name and affiliation (any case) is the same person', async () => {
    const { slug, day } = await freshCampaign('people');
    const host = await createPartner(server, admin, slug);
    const sfx = suffix();
    const name = `Ada Lovelace ${sfx}`;
    const first = await createActivity(host, activityInput(slug, {
      title: 'Engines', start: `${day(20)}T16:00`,
      facilitators: [{ name, affiliation: 'Analytical Society', bio: 'Mathematician.', email: `ada-${sfx}@example.org`, role: 'speaker' }],
    }));
    const second = await createActivity(host, activityInput(slug, {
      title: 'Notes on engines', start: `${day(21)}T16:00`,
      facilitators: [
        { name: name.toUpperCase(), affiliation: 'analytical society', role: 'facilitator' },
        { name, affiliation: 'Royal Society', role: 'facilitator' },
      ],
    }));
    assert.equal(first.facilitators.length, 1);
    assert.equal(second.facilitators.length, 2);
    const ada = first.facilitators[0];
    assert.equal(ada.name, name);
    assert.equal(ada.affiliation, 'Analytical Society');
    assert.equal(ada.role, 'speaker');
    assert.equal(second.facilitators[0].slug, ada.slug, 'same name and affiliation, other case: one person');
    assert.equal(second.facilitators[0].role, 'facilitator', 'the role belongs to the activity');
    assert.notEqual(second.facilitators[1].slug, ada.slug, 'another affiliation is another person');

    // A facilitator named by the slug of an existing person.
    const third = await createActivity(host, activityInput(slug, {
      title: 'Engines again', start: `${day(22)}T16:00`, facilitators: [{ person: ada.slug, role: 'speaker' }],
    }));
    assert.equal(third.facilitators[0].slug, ada.slug);
    assert.equal(third.facilitators[0].name, name);

    // The person page lists approved activities only.
    let person = expectStatus(await anonymous().get(`/api/v1/people/${ada.slug}`), 200);
    assert.equal(person.slug, ada.slug);
    assert.equal(person.name, name);
    assert.equal(person.affiliation, 'Analytical Society');
    assert.ok('bio' in person);
    assert.deepEqual(person.activities, [], 'drafts are not listed on the person page');
    await publishActivity(host, admin, slug, first.id);
    await publishActivity(host, admin, slug, second.id);
    person = expectStatus(await anonymous().get(`/api/v1/people/${ada.slug}`), 200);
    assert.deepEqual(idsOf(person.activities), sorted([first.id, second.id]));
    for (const a of person.activities) assertActivity(a);
    assertProblem(await anonymous().get(`/api/v1/people/nobody-${suffix()}`), 404, 'not-found');
  });

  it("a co-host shows only once the co-host's staff confirm", async () => {
    const { slug, day } = await freshCampaign('cohost');
    const host = await createPartner(server, admin, slug);
    const guest = await createPartner(server, admin, slug);
    const stranger = await createEducator(server, 'stranger');
    const a = await createActivity(host, activityInput(slug, { title: 'Together', start: `${day(20)}T16:00`, co_hosts: [guest.org] }));
    assert.deepEqual(a.co_hosts, [{ slug: guest.org, name: guest.orgName, confirmed: false }]);
    assert.equal(a.co_hosted, false);

    // Invited co-host staff may see the draft; its organization lists it.
    assert.equal((await getActivity(guest, a.id)).id, a.id);
    assert.ok((await orgActivities(guest, guest.org, slug)).some((x) => x.id === a.id), 'listed for the co-host');

    const confirmPath = `/api/v1/activities/${a.id}/co-hosts/${guest.org}/confirm`;
    assertProblem(await host.post(confirmPath, {}), 403, 'forbidden');
    const strangerTry = await stranger.post(confirmPath, {});
    assert.ok([403, 404].includes(strangerTry.status), `a stranger cannot confirm: ${strangerTry.status} ${strangerTry.text}`);
    assert.equal((await getActivity(host, a.id)).co_hosted, false);

    const confirmed = assertActivity(expectStatus(await guest.post(confirmPath, {}), 200));
    assert.deepEqual(confirmed.co_hosts, [{ slug: guest.org, name: guest.orgName, confirmed: true }]);
    assert.equal(confirmed.co_hosted, true);
    assert.equal((await getActivity(host, a.id)).co_hosted, true);

    // Another member of the co-host's staff, granted later, also counts as its staff.
    const b = await createActivity(host, activityInput(slug, { title: 'Together again', start: `${day(21)}T16:00`, co_hosts: [guest.org] }));
    const colleague = await addStaff(server, admin, guest.org);
    const byColleague = expectStatus(await colleague.post(`/api/v1/activities/${b.id}/co-hosts/${guest.org}/confirm`, {}), 200);
    assert.equal(byColleague.co_hosted, true);

    // Co-host staff do not edit the host's activity.
    assertProblem(await guest.patch(`/api/v1/activities/${a.id}`, { title: 'Ours now' }), 403, 'forbidden');
    assert.equal((await getActivity(host, a.id)).title, 'Together');
  });
});

describe('review', () => {
  it('draft → submitted → declined (reason required) → submitted → approved → cancelled; only submitted is decided', async () => {
    const { slug, day } = await freshCampaign('review');
    const host = await createPartner(server, admin, slug);
    const organizer = await createOrganizer(server, admin, slug);
    const other = await freshCampaign('review-other');
    const otherOrganizer = await createOrganizer(server, admin, other.slug);

    const a = await createActivity(host, activityInput(slug, { title: 'Under review', start: `${day(30)}T16:00` }));
    assertProblem(await decideActivity(organizer, slug, a.id, 'approve'), 409, 'conflict');
    const drafts = await collect(organizer, `/api/v1/campaigns/${slug}/submissions?status=draft`);
    assert.deepEqual(idsOf(drafts), [a.id]);
    assert.deepEqual(await collect(organizer, `/api/v1/campaigns/${slug}/submissions`), [], 'nothing submitted yet');

    await submitActivity(host, a.id);
    const submitted = await collect(organizer, `/api/v1/campaigns/${slug}/submissions`);
    assert.deepEqual(submitted.map((x) => [x.id, x.status]), [[a.id, 'submitted']]);
    assert.deepEqual(await collect(organizer, `/api/v1/campaigns/${slug}/submissions?status=draft`), []);
    assertProblem(await anonymous().get(`/api/v1/activities/${a.id}`), 404, 'not-found');

    assertProblem(await decideActivity(host, slug, a.id, 'approve'), 403, 'forbidden');
    assertProblem(await decideActivity(otherOrganizer, slug, a.id, 'approve'), 403, 'forbidden');
    assertProblem(await decideActivity(organizer, slug, a.id, 'decline'), 422, 'validation', { field: 'reason' });
    assertProblem(await decideActivity(organizer, slug, a.id, 'maybe'), 422, 'validation', { field: 'decision' });
    assert.equal((await getActivity(organizer, a.id)).status, 'submitted', 'a refused decision changes nothing');

    const declined = assertActivity(expectStatus(await decideActivity(organizer, slug, a.id, 'decline', 'Add a join link.'), 200));
    assert.equal(declined.status, 'declined');
    assert.equal(declined.reason, 'Add a join link.');
    assertProblem(await decideActivity(organizer, slug, a.id, 'approve'), 409, 'conflict');
    assert.deepEqual(idsOf(await collect(organizer, `/api/v1/campaigns/${slug}/submissions?status=declined`)), [a.id]);
    assertProblem(await anonymous().get(`/api/v1/activities/${a.id}`), 404, 'not-found');

    await submitActivity(host, a.id);
    const approved = assertActivity(expectStatus(await decideActivity(organizer, slug, a.id, 'approve'), 200));
    assert.equal(approved.status, 'approved');
    assertProblem(await decideActivity(organizer, slug, a.id, 'approve'), 409, 'conflict');
    assertProblem(await decideActivity(organizer, slug, a.id, 'decline', 'Too late.'), 409, 'conflict');
    const resubmit = await host.post(`/api/v1/activities/${a.id}/submit`, {});
    assert.ok([409, 422].includes(resubmit.status), `an approved activity cannot be submitted: ${resubmit.status} ${resubmit.text}`);
    assert.equal((await getActivity(anonymous(), a.id)).status, 'approved');

    const seen = await getActivity(anonymous(), a.id);
    assert.equal(seen.status, 'approved');
    const listed = await collect(anonymous(), `/api/v1/campaigns/${slug}/activities`);
    assert.deepEqual(idsOf(listed), [a.id]);

    const cancelled = await cancelActivity(host, a.id, 'The speaker is ill.');
    assert.equal(cancelled.status, 'cancelled');
    assert.equal((await getActivity(anonymous(), a.id)).status, 'cancelled', 'the public still sees a cancelled activity');
    assertProblem(await decideActivity(organizer, slug, a.id, 'approve'), 409, 'conflict');
    assert.deepEqual(idsOf(await collect(organizer, `/api/v1/campaigns/${slug}/submissions?status=cancelled`)), [a.id]);
    assert.deepEqual(idsOf(await collect(organizer, `/api/v1/campaigns/${slug}/submissions?status=approved`)), []);
  });

  it('strangers do not see drafts, and cannot change, submit or cancel activities', async () => {
    const { slug, day } = await freshCampaign('strangers');
    const host = await createPartner(server, admin, slug);
    const organizer = await createOrganizer(server, admin, slug);
    const otherStaff = await createPartner(server, admin, slug);
    const educator = await createEducator(server, 'plain');
    const draft = await createActivity(host, activityInput(slug, { title: 'Secret draft', start: `${day(30)}T16:00` }));

    for (const [label, c] of [['anonymous', anonymous()], ['an educator', educator], ['staff of another partner', otherStaff]]) {
      const res = await c.get(`/api/v1/activities/${draft.id}`);
      assert.equal(res.status, 404, `${label} reading a draft: ${res.status} ${res.text}`);
      assertProblem(res, 404, 'not-found');
    }
    assert.equal((await getActivity(organizer, draft.id)).title, 'Secret draft', 'organizers see drafts');
    assert.equal((await getActivity(admin, draft.id)).title, 'Secret draft', 'site admins see drafts');

    for (const [label, res] of [
      ['PATCH', await educator.patch(`/api/v1/activities/${draft.id}`, { title: 'Mine' })],
      ['submit', await educator.post(`/api/v1/activities/${draft.id}/submit`, {})],
      ['PATCH by other staff', await otherStaff.patch(`/api/v1/activities/${draft.id}`, { title: 'Mine' })],
      ['submit by other staff', await otherStaff.post(`/api/v1/activities/${draft.id}/submit`, {})],
    ]) {
      assert.ok([403, 404].includes(res.status), `${label} of a draft by a stranger: ${res.status} ${res.text}`);
      assertProblem(res, res.status, res.status === 403 ? 'forbidden' : 'not-found');
    }
    assertProblem(await anonymous().patch(`/api/v1/activities/${draft.id}`, { title: 'Mine' }), 401, 'unauthenticated');
    const stillDraft = await getActivity(host, draft.id);
    assert.equal(stillDraft.status, 'draft');
    assert.equal(stillDraft.title, 'Secret draft');

    const pub = await createPublished(host, organizer, activityInput(slug, { title: 'Public one', start: `${day(31)}T16:00` }));
    for (const c of [educator, otherStaff]) {
      assertProblem(await c.patch(`/api/v1/activities/${pub.id}`, { title: 'Hijacked' }), 403, 'forbidden');
      assertProblem(await c.post(`/api/v1/activities/${pub.id}/submit`, {}), 403, 'forbidden');
      assertProblem(await c.post(`/api/v1/activities/${pub.id}/cancel`, { reason: 'Because' }), 403, 'forbidden');
    }
    const unchanged = await getActivity(anonymous(), pub.id);
    assert.equal(unchanged.title, 'Public one');
    assert.equal(unchanged.status, 'approved');
    assert.equal(unchanged.sequence, pub.sequence);

    // Another organization's list and its creation route belong to its staff.
    assertProblem(await otherStaff.get(`/api/v1/organizations/${host.org}/activities?campaign=${slug}`), 403, 'forbidden');
    assertProblem(await otherStaff.post(`/api/v1/organizations/${host.org}/activities`, activityInput(slug, { start: `${day(30)}T16:00` })),
      403, 'forbidden');
    assertProblem(await educator.post(`/api/v1/organizations/${host.org}/activities`, activityInput(slug, { start: `${day(30)}T16:00` })),
      403, 'forbidden');
    assert.deepEqual(idsOf(await orgActivities(host, host.org, slug)), sorted([draft.id, pub.id]));
  });
});

describe('bad input', () => {
  it('each bad ActivityInput is refused with 422 naming the field, and nothing is stored', async () => {
    const { slug, day } = await freshCampaign('bad');
    const host = await createPartner(server, admin, slug);
    const start = `${day(20)}T16:00`;
    const cases = [
      ['zero duration', 'duration_minutes', { duration_minutes: 0 }],
      ['end before start', 'duration_minutes', { duration_minutes: -30 }],
      ['self-paced window ending before it begins', 'available_until', {
        format: 'online_course', start: undefined, duration_minutes: undefined, available_from: day(20), available_until: day(10),
      }],
      ['unknown time zone', 'time_zone', { time_zone: 'Mars/Olympus_Mons' }],
      ['recurrence without an end', 'recurrence', { recurrence: 'FREQ=WEEKLY' }],
      ['daily recurrence', 'recurrence', { recurrence: 'FREQ=DAILY;COUNT=3' }],
      ['more than 52 sessions', 'recurrence', { recurrence: 'FREQ=WEEKLY;COUNT=53' }],
      ['interval over 4', 'recurrence', { recurrence: 'FREQ=WEEKLY;INTERVAL=5;COUNT=2' }],
      ['unknown format', 'format', { format: 'podcast' }],
      ['pd_hours not in quarter hours', 'pd_hours', { pd_hours: 1.3 }],
      ['pd_hours over 100', 'pd_hours', { pd_hours: 120 }],
      ['no title', 'title', { title: '' }],
      ['start not a wall time', 'start', { start: 'next tuesday' }],
    ];
    const failures = [];
    for (const [what, field, over] of cases) {
      const res = await host.post(`/api/v1/organizations/${host.org}/activities`, activityInput(slug, { start, ...over }));
      try {
        assertProblem(res, 422, 'validation', { field });
      } catch (err) {
        failures.push(`${what}: ${err.message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, []);

    const noCoHost = await host.post(`/api/v1/organizations/${host.org}/activities`,
      activityInput(slug, { start, co_hosts: [`no-such-org-${suffix()}`] }));
    assertProblem(noCoHost, 422, 'validation');
    assertNamesField(noCoHost.body, 'co_hosts');

    // The organization is not an approved partner of the campaign.
    const pendingCampaign = await freshCampaign('bad-pending');
    await joinCampaign(admin, host, pendingCampaign.slug, { approve: false });
    assertProblem(await host.post(`/api/v1/organizations/${host.org}/activities`,
      activityInput(pendingCampaign.slug, { start: `${pendingCampaign.day(20)}T16:00` })), 422, 'validation', { field: 'campaign' });
    assertProblem(await host.post(`/api/v1/organizations/${host.org}/activities`,
      activityInput(`no-campaign-${suffix()}`, { start })), 422, 'validation', { field: 'campaign' });

    assert.deepEqual(await orgActivities(host, host.org, slug), [], 'nothing was created');
    assert.deepEqual(await orgActivities(host, host.org, pendingCampaign.slug), [], 'nothing was created');
  });

  it('a refused PATCH leaves the activity unchanged, including capacity below current registrations', async () => {
    const { slug, day } = await freshCampaign('patch');
    const host = await createPartner(server, admin, slug);
    const a = await createPublished(host, admin, activityInput(slug, { title: 'Small room', start: `${day(25)}T16:00`, capacity: 5 }));
    for (const label of ['one', 'two']) {
      const e = await createEducator(server, `patch-${label}`);
      expectStatus(await register(e, a.id), 201);
    }
    const initial = await getActivity(host, a.id);
    assert.equal(initial.registered, 2);
    assert.equal(initial.seats_left, 3);

    const tries = [
      ['capacity', { capacity: 1 }],
      ['duration_minutes', { title: 'Renamed', duration_minutes: 0 }],
      ['time_zone', { title: 'Renamed', time_zone: 'Nowhere/Special' }],
      ['recurrence', { recurrence: 'FREQ=DAILY;COUNT=2' }],
      ['format', { format: 'hangout' }],
    ];
    for (const [field, body] of tries) {
      assertProblem(await host.patch(`/api/v1/activities/${a.id}`, body), 422, 'validation', { field });
      const now = await getActivity(host, a.id);
      assert.equal(now.title, 'Small room', `${field}: title unchanged`);
      assert.equal(now.capacity, 5, `${field}: capacity unchanged`);
      assert.equal(now.duration_minutes, initial.duration_minutes, `${field}: duration unchanged`);
      assert.equal(now.sequence, initial.sequence, `${field}: sequence unchanged`);
      assert.deepEqual(now.sessions, initial.sessions, `${field}: sessions unchanged`);
    }
    const noCoHost = await host.patch(`/api/v1/activities/${a.id}`, { co_hosts: [`missing-${suffix()}`] });
    assertProblem(noCoHost, 422, 'validation');
    assertNamesField(noCoHost.body, 'co_hosts');
    assert.deepEqual((await getActivity(host, a.id)).co_hosts, []);

    const fits = assertActivity(expectStatus(await host.patch(`/api/v1/activities/${a.id}`, { capacity: 2 }), 200));
    assert.equal(fits.capacity, 2);
    assert.equal(fits.seats_left, 0);
    assert.ok(fits.sequence > initial.sequence, 'sequence raised');
    const moved = assertActivity(expectStatus(await host.patch(`/api/v1/activities/${a.id}`, { start: `${day(26)}T09:30`, duration_minutes: 45 }), 200));
    assert.ok(moved.sequence > fits.sequence, 'sequence raised again');
    assert.deepEqual(moved.sessions.map((s) => [instant(s.starts_at), instant(s.ends_at)]), [[
      zonedToUtc(`${day(26)}T09:30`, TZ), new Date(Date.parse(zonedToUtc(`${day(26)}T09:30`, TZ)) + 45 * 60_000).toISOString(),
    ]]);
    assert.equal(moved.title, 'Small room', 'fields not sent are kept');
  });
});

// ---------------------------------------------------------------------------------------

describe('search', () => {
  const s = {};
  before(async () => {
    const c = await freshCampaign('search', {
      startOffset: 30,
      length: 90,
      themes: (day) => [
        { title: 'Getting connected', summary: 'Start here', starts_on: day(0), ends_on: day(20) },
        { title: 'Leading', summary: '', starts_on: day(21), ends_on: day(40) },
      ],
    });
    s.slug = c.slug;
    const { day } = c;
    const sfx = suffix();
    const A = await createPartner(server, admin, c.slug, { slug: `aardvark-${sfx}`, name: `Aardvark Academy ${sfx}` });
    const B = await createPartner(server, admin, c.slug, { slug: `quokka-${sfx}`, name: `Quokka Learning ${sfx}` });
    const C = await createPartner(server, admin, c.slug, { slug: `cohost-${sfx}`, name: `Cohost Collective ${sfx}` });
    const D = await createPartner(server, admin, c.slug, { slug: `invited-${sfx}`, name: `Invited Institute ${sfx}` });
    Object.assign(s, { A, B, C, D });
    const org = admin;
    const aud = (roles, grade_bands, subjects) => ({ roles, grade_bands, subjects });

    s.a1 = await createPublished(A, org, activityInput(c.slug, {
      title: 'Photosynthesis in Grade 5 Science', description: 'Leaves and light.', format: 'webinar',
      start: `${day(2)}T19:00`, pd_hours: 1, themes: ['Getting connected'], audience: aud(['teacher'], ['3-5'], ['science']),
      facilitators: [{ name: `Rosalind Franklin ${sfx}`, affiliation: "King's College", role: 'speaker' }],
    }));
    const a2 = await createActivity(A, activityInput(c.slug, {
      title: 'Algebra Tiles for Beginners', description: 'Hands-on algebra.', format: 'live_chat',
      start: `${day(9)}T19:00`, pd_hours: 0, themes: ['Leading'], audience: aud(['teacher'], ['6-8'], ['math']), co_hosts: [C.org],
    }));
    expectStatus(await C.post(`/api/v1/activities/${a2.id}/co-hosts/${C.org}/confirm`, {}), 200);
    s.a2 = await publishActivity(A, org, c.slug, a2.id);
    s.a3 = await createPublished(B, org, activityInput(c.slug, {
      title: 'Coaching Conversations', description: 'Sharing classroom photography on social media.', format: 'social_media_chat',
      start: `${day(16)}T19:00`, pd_hours: 0.5, language: 'es', audience: aud(['coach'], ['9-12'], ['arts']), co_hosts: [D.org],
    }));
    s.a4 = await createPublished(B, org, activityInput(c.slug, {
      title: 'Digital Citizenship Course', description: 'At your own pace.', format: 'online_course',
      duration_minutes: undefined, available_from: day(0), available_until: day(30), pd_hours: 10,
      themes: ['Getting connected'], audience: aud(['teacher'], ['6-8'], ['technology']),
    }));
    s.a5 = await createPublished(A, org, activityInput(c.slug, {
      title: 'Zoology Webinar Series', description: 'Animals, weekly.', format: 'webinar',
      start: `${day(4)}T19:00`, recurrence: 'FREQ=WEEKLY;COUNT=3', pd_hours: 0, audience: aud(['librarian'], ['k-2'], ['science']),
    }));
    // Never listed by default: a draft, a submitted, a declined, and a cancelled activity.
    s.draft = await createActivity(A, activityInput(c.slug, { title: 'Photosynthesis draft', format: 'webinar', start: `${day(3)}T19:00` }));
    s.submitted = await createActivity(B, activityInput(c.slug, { title: 'Photosynthesis submitted', format: 'webinar', start: `${day(3)}T19:00` }));
    await submitActivity(B, s.submitted.id);
    const declined = await createActivity(B, activityInput(c.slug, { title: 'Photosynthesis declined', format: 'webinar', start: `${day(3)}T19:00` }));
    await submitActivity(B, declined.id);
    expectStatus(await decideActivity(org, c.slug, declined.id, 'decline', 'Duplicate.'), 200);
    s.declined = declined;
    s.cancelled = await createPublished(A, org, activityInput(c.slug, {
      title: 'Photosynthesis cancelled', format: 'webinar', start: `${day(5)}T19:00`, pd_hours: 1,
    }));
    await cancelActivity(A, s.cancelled.id);
    s.published = [s.a1, s.a2, s.a3, s.a4, s.a5].map((a) => a.id);
  });

  const search = async (query) => {
    const items = await collect(anonymous(), `/api/v1/campaigns/${s.slug}/activities${query ? `?${query}` : ''}`);
    for (const a of items) {
      assertActivity(a);
      assert.ok(![s.draft.id, s.submitted.id, s.declined.id].includes(a.id), `"${a.title}" (${a.status}) must never be listed`);
    }
    return items;
  };
  const expectIds = async (query, expected) => {
    assert.deepEqual(idsOf(await search(query)), sorted(expected), `?${query}`);
  };

  it('lists approved activities by default; status=cancelled or all add cancelled ones, never drafts', async () => {
    await expectIds('', s.published);
    await expectIds('status=approved', s.published);
    await expectIds('status=cancelled', [s.cancelled.id]);
    await expectIds('status=all', [...s.published, s.cancelled.id]);
  });

  it('q matches word prefixes in title, description, host and facilitators; every word must match', async () => {
    await expectIds('q=photosynth', [s.a1.id]);
    await expectIds('q=photo', [s.a1.id, s.a3.id]);
    await expectIds('q=photo%20grade', [s.a1.id]);
    await expectIds('q=photo%20zebra', []);
    await expectIds('q=synthesis', []);
    await expectIds('q=franklin', [s.a1.id]);
    await expectIds('q=quokka', [s.a3.id, s.a4.id]);
    await expectIds('q=photosynth&status=all', [s.a1.id, s.cancelled.id]);
    await expectIds('q=photo&sort=relevance', [s.a1.id, s.a3.id]);
  });

  it('filters: format (repeated), theme, organization, offers_hours, role, grade, subject, language', async () => {
    await expectIds('format=webinar', [s.a1.id, s.a5.id]);
    await expectIds('format=webinar&format=live_chat', [s.a1.id, s.a2.id, s.a5.id]);
    await expectIds(`theme=${encodeURIComponent('Getting connected')}`, [s.a1.id, s.a4.id]);
    await expectIds('theme=Leading', [s.a2.id]);
    await expectIds(`organization=${s.A.org}`, [s.a1.id, s.a2.id, s.a5.id]);
    await expectIds(`organization=${s.B.org}`, [s.a3.id, s.a4.id]);
    await expectIds(`organization=${s.C.org}`, [s.a2.id]);
    await expectIds(`organization=${s.D.org}`, []);
    await expectIds('offers_hours=true', [s.a1.id, s.a3.id, s.a4.id]);
    await expectIds('role=coach', [s.a3.id]);
    await expectIds('grade=9-12', [s.a3.id]);
    await expectIds('subject=math', [s.a2.id]);
    await expectIds('language=es', [s.a3.id]);
    await expectIds('format=webinar&offers_hours=true', [s.a1.id]);
  });

  it('from and to select activities with a session or self-paced window in the range', async () => {
    const c = (n) => addDays(s.a4.available_from, n); // the campaign's first day
    await expectIds(`from=${c(8)}&to=${c(10)}`, [s.a2.id, s.a4.id]);
    await expectIds(`from=${c(11)}T12:00:00Z&to=${c(12)}T12:00:00Z`, [s.a4.id, s.a5.id]);
    await expectIds(`from=${c(31)}&to=${c(60)}`, []);
    await expectIds(`from=${c(15)}`, [s.a3.id, s.a4.id, s.a5.id]);
  });

  it('sorts by start by default, or by title; pages follow the cursor', async () => {
    const timed = await search('format=webinar&format=live_chat&format=social_media_chat');
    assert.deepEqual(timed.map((a) => a.id), [s.a1.id, s.a5.id, s.a2.id, s.a3.id], 'by first session');
    const byTitle = await search('sort=title');
    assert.deepEqual(byTitle.map((a) => a.title), [
      'Algebra Tiles for Beginners', 'Coaching Conversations', 'Digital Citizenship Course',
      'Photosynthesis in Grade 5 Science', 'Zoology Webinar Series',
    ]);

    const pages = [];
    let url = `/api/v1/campaigns/${s.slug}/activities?sort=title&limit=2`;
    for (let i = 0; i < 5; i += 1) {
      const res = await anonymous().get(url);
      const items = assertList(expectStatus(res, 200));
      pages.push(items.map((a) => a.title));
      if (!res.body.next) break;
      url = `/api/v1/campaigns/${s.slug}/activities?sort=title&limit=2&cursor=${encodeURIComponent(res.body.next)}`;
    }
    assert.deepEqual(pages, [
      ['Algebra Tiles for Beginners', 'Coaching Conversations'],
      ['Digital Citizenship Course', 'Photosynthesis in Grade 5 Science'],
      ['Zoology Webinar Series'],
    ]);
    assertProblem(await anonymous().get(`/api/v1/campaigns/none-${suffix()}/activities`), 404, 'not-found');
  });

  it('bad search parameters are refused with 400', async () => {
    const failures = [];
    for (const bad of ['limit=0', 'limit=101', 'sort=popularity', 'offers_hours=maybe', 'status=bogus', 'from=yesterday',
      'cursor=not-a-cursor', 'sort=relevance', 'format=podcast']) {
      try {
        assertProblem(await anonymous().get(`/api/v1/campaigns/${s.slug}/activities?${bad}`), 400, 'bad-request');
      } catch (err) {
        failures.push(`?${bad}: ${err.message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, [], 'sort=relevance needs q; format takes the documented values');
  });
});

// ---------------------------------------------------------------------------------------

describe('registration', () => {
  it('capacity 2: two registered, then a waiting list; a cancellation promotes the first in line', async () => {
    const { slug, day } = await freshCampaign('reg');
    const host = await createPartner(server, admin, slug);
    const a = await createPublished(host, admin, activityInput(slug, { title: 'Two seats', start: `${day(20)}T16:00`, capacity: 2 }));
    const later = await createPublished(host, admin, activityInput(slug, { title: 'Later one', start: `${day(40)}T16:00` }));
    const [e1, e2, e3, e4] = await Promise.all([1, 2, 3, 4].map((n) => createEducator(server, `reg${n}`)));

    // e1 registers for the later activity first; the schedule is still by start.
    const l1 = expectStatus(await register(e1, later.id), 201);
    assert.equal(l1.status, 'registered');
    const r1 = expectStatus(await register(e1, a.id), 201);
    assert.deepEqual([r1.status, r1.waitlist_position ?? null], ['registered', null]);
    const r2 = expectStatus(await register(e2, a.id), 201);
    assert.equal(r2.status, 'registered');
    const r3 = expectStatus(await register(e3, a.id), 201);
    assert.deepEqual([r3.status, r3.waitlist_position], ['waitlisted', 1]);
    const r4 = expectStatus(await register(e4, a.id), 201);
    assert.deepEqual([r4.status, r4.waitlist_position], ['waitlisted', 2]);
    assertProblem(await register(e1, a.id), 409, 'conflict');
    assertProblem(await register(e3, a.id), 409, 'conflict');

    let seen = await getActivity(anonymous(), a.id);
    assert.deepEqual([seen.registered, seen.waitlisted, seen.seats_left], [2, 2, 0]);

    const schedule = await collect(e1, '/api/v1/me/schedule');
    assert.deepEqual(schedule.map((x) => x.activity.id), [a.id, later.id], 'by start');
    for (const x of schedule) {
      assertActivity(x.activity);
      assert.equal(x.status, 'registered');
      assertTime(x.registered_at, 'registered_at');
    }
    const s3 = await collect(e3, '/api/v1/me/schedule');
    assert.deepEqual(s3.map((x) => [x.activity.id, x.status, x.waitlist_position]), [[a.id, 'waitlisted', 1]]);

    expectStatus(await e1.delete(`/api/v1/activities/${a.id}/registration`), 204);
    const after3 = await collect(e3, '/api/v1/me/schedule');
    assert.deepEqual(after3.map((x) => [x.activity.id, x.status]), [[a.id, 'registered']], 'the first in line took the seat');
    const after4 = await collect(e4, '/api/v1/me/schedule');
    assert.deepEqual(after4.map((x) => [x.activity.id, x.status, x.waitlist_position]), [[a.id, 'waitlisted', 1]]);
    assert.deepEqual((await collect(e1, '/api/v1/me/schedule')).map((x) => x.activity.id), [later.id]);
    seen = await getActivity(anonymous(), a.id);
    assert.deepEqual([seen.registered, seen.waitlisted, seen.seats_left], [2, 1, 0]);

    // Registering again after cancelling joins the end of the line.
    const again = expectStatus(await register(e1, a.id), 201);
    assert.deepEqual([again.status, again.waitlist_position], ['waitlisted', 2]);

    // Cancelling the activity mails its registrants; it is no longer open for registration.
    await cancelActivity(host, a.id, 'Rescheduled.');
    const mail = await collect(admin, '/api/v1/mail');
    for (const e of [e2, e3]) {
      assert.ok(mail.some((m) => m.to === e.credentials.email), `a cancellation mail to ${e.credentials.email}`);
    }
    const e5 = await createEducator(server, 'reg5');
    assertProblem(await register(e5, a.id), 422, 'validation');

    // Drafts cannot be registered for (the educator may not even see them).
    const draft = await createActivity(host, activityInput(slug, { title: 'Not yet', start: `${day(21)}T16:00` }));
    assertProblem(await register(e5, draft.id), 404, 'not-found');
    assertProblem(await anonymous().post(`/api/v1/activities/${later.id}/registration`, {}), 401, 'unauthenticated');
  });

  it('parallel registrations for the last seat give it to exactly one', async () => {
    const { slug, day } = await freshCampaign('race');
    const host = await createPartner(server, admin, slug);
    const a = await createPublished(host, admin, activityInput(slug, { title: 'Last seat', start: `${day(20)}T16:00`, capacity: 2 }));
    const first = await createEducator(server, 'race0');
    expectStatus(await register(first, a.id), 201);
    const racers = await Promise.all(Array.from({ length: 8 }, (_, i) => createEducator(server, `race${i + 1}`)));
    const answers = await Promise.all(racers.map((e) => register(e, a.id)));
    for (const r of answers) expectStatus(r, 201, 'a racing registration');
    const registered = answers.filter((r) => r.body.status === 'registered');
    const waitlisted = answers.filter((r) => r.body.status === 'waitlisted');
    assert.equal(registered.length, 1, `exactly one registered: ${answers.map((r) => r.text).join(' | ')}`);
    assert.equal(waitlisted.length, 7);
    const seen = await getActivity(anonymous(), a.id);
    assert.deepEqual([seen.registered, seen.waitlisted, seen.seats_left], [2, 7, 0]);
    // Each racer's own schedule agrees with the answer it got, and the line is 1..7.
    const stored = [];
    for (const [i, e] of racers.entries()) {
      const mine = await collect(e, '/api/v1/me/schedule');
      assert.equal(mine.length, 1);
      assert.equal(mine[0].status, answers[i].body.status, `racer ${i + 1}: schedule status matches the answer`);
      if (mine[0].status === 'waitlisted') stored.push(mine[0].waitlist_position);
    }
    assert.deepEqual(stored.sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7], 'the waiting list as stored');
    assert.deepEqual(waitlisted.map((r) => r.body.waitlist_position).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7],
      `waitlist_position in the answers: ${waitlisted.map((r) => r.body.waitlist_position)}`);
  });
});

describe('check-in and attendance', () => {
  it('host staff get the code; educators check in with it inside the window, once per session', async () => {
    const { slug } = await freshCampaign('checkin', { startOffset: -1, length: 30 });
    const host = await createPartner(server, admin, slug);
    const now = Date.now();
    const soon = new Date(Math.floor((now + 6 * 60_000) / 60_000) * 60_000); // 5-6 minutes from now
    const tomorrow = new Date(Math.floor((now + 26 * 3_600_000) / 60_000) * 60_000);
    const a = await createPublished(host, admin, activityInput(slug, { title: 'Starting soon', start: wallTime(soon, TZ), duration_minutes: 45 }));
    assert.deepEqual(sessionStarts(a), [soon.toISOString()]);
    const b = await createPublished(host, admin, activityInput(slug, { title: 'Tomorrow', start: wallTime(tomorrow, TZ), duration_minutes: 45 }));
    const educator = await createEducator(server, 'checkin');
    const stranger = await createEducator(server, 'checkin-stranger');
    expectStatus(await register(educator, a.id), 201);
    expectStatus(await register(educator, b.id), 201);

    const code = expectStatus(await host.get(`/api/v1/activities/${a.id}/check-in-code`), 200);
    assert.equal(typeof code.code, 'string');
    assert.ok(code.code.length > 0);
    assert.equal(typeof code.check_in_url, 'string');
    assert.ok(Array.isArray(code.sessions));
    assertProblem(await stranger.get(`/api/v1/activities/${a.id}/check-in-code`), 403, 'forbidden');
    assertProblem(await educator.get(`/api/v1/activities/${a.id}/check-in-code`), 403, 'forbidden');
    assertProblem(await anonymous().get(`/api/v1/activities/${a.id}/check-in-code`), 401, 'unauthenticated');

    const wrong = code.code === 'WRONG-0000' ? 'WRONG-1111' : 'WRONG-0000';
    assertProblem(await educator.post(`/api/v1/activities/${a.id}/check-ins`, { code: wrong }), 422, 'validation', { field: 'code' });

    const res = await educator.post(`/api/v1/activities/${a.id}/check-ins`, { code: code.code });
    const att = expectStatus(res, 201);
    assert.ok(Number.isInteger(att.id));
    assert.deepEqual(att.activity, { id: a.id, title: 'Starting soon' });
    assert.equal(att.email, educator.credentials.email);
    assert.equal(att.user_id, educator.user.id);
    assert.equal(att.source, 'check_in');
    assert.equal(instant(att.session_starts_at), soon.toISOString());
    assertTime(att.recorded_at, 'recorded_at');
    assertProblem(await educator.post(`/api/v1/activities/${a.id}/check-ins`, { code: code.code }), 409, 'conflict');

    const codeB = expectStatus(await host.get(`/api/v1/activities/${b.id}/check-in-code`), 200);
    assertProblem(await educator.post(`/api/v1/activities/${b.id}/check-ins`, { code: codeB.code }), 422, 'validation');

    const mine = await collect(educator, '/api/v1/me/attendance');
    assert.deepEqual(mine.map((x) => [x.activity.id, x.source]), [[a.id, 'check_in']]);
    const list = await collect(host, `/api/v1/activities/${a.id}/attendance`);
    assert.deepEqual(list.map((x) => [x.email, x.source]), [[educator.credentials.email, 'check_in']]);
    assertProblem(await stranger.get(`/api/v1/activities/${a.id}/attendance`), 403, 'forbidden');
    assert.deepEqual(await collect(host, `/api/v1/activities/${b.id}/attendance`), []);
  });

  it('host staff add recordings and resources once the first session has begun', async () => {
    const { slug, day } = await freshCampaign('resources');
    const host = await createPartner(server, admin, slug);
    const educator = await createEducator(server, 'resources');
    const begun = new Date(Math.floor((Date.now() - 10 * 60_000) / 60_000) * 60_000);
    const started = await createPublished(host, admin, activityInput(slug, { title: 'Already begun', start: wallTime(begun, TZ) }));
    const future = await createPublished(host, admin, activityInput(slug, { title: 'Not yet begun', start: `${day(20)}T16:00` }));
    const recording = { kind: 'recording', title: 'Session recording', url: 'https://video.example.org/rec-1' };

    const early = await host.post(`/api/v1/activities/${future.id}/resources`, recording);
    assert.ok([409, 422].includes(early.status), `before the first session: ${early.status} ${early.text}`);
    assertProblem(early, early.status, early.status === 409 ? 'conflict' : 'validation');
    assert.deepEqual((await getActivity(anonymous(), future.id)).resources, []);

    assertProblem(await educator.post(`/api/v1/activities/${started.id}/resources`, recording), 403, 'forbidden');
    assertProblem(await host.post(`/api/v1/activities/${started.id}/resources`, { ...recording, kind: 'video' }), 422, 'validation', { field: 'kind' });
    const added = assertActivity(expectStatus(await host.post(`/api/v1/activities/${started.id}/resources`, recording), 201));
    assert.deepEqual(added.resources.map((r) => [r.kind, r.title, r.url]), [['recording', 'Session recording', 'https://video.example.org/rec-1']]);
    const slides = { kind: 'resource', title: 'Slides', url: 'https://files.example.org/slides.pdf' };
    expectStatus(await host.post(`/api/v1/activities/${started.id}/resources`, slides), 201);
    assert.deepEqual((await getActivity(anonymous(), started.id)).resources.map((r) => r.title), ['Session recording', 'Slides']);
  });

  it('an attendance list is all or nothing, and a new list replaces the earlier one', async () => {
    const { slug, day } = await freshCampaign('attend');
    const host = await createPartner(server, admin, slug);
    const stranger = await createEducator(server, 'attend-stranger');
    const a = await createPublished(host, admin, activityInput(slug, { title: 'Counted', start: `${day(20)}T16:00` }));
    const e1 = await createEducator(server, 'attend1');
    const e2 = await createEducator(server, 'attend2');
    const guest = uniqueEmail('guest');
    const path = `/api/v1/activities/${a.id}/attendance`;

    const bad = `email,minutes\n${e1.credentials.email},60\nnot-an-email,30\n${e2.credentials.email},-5\n${guest},45\n`;
    const refused = await postCsv(host, path, bad);
    assertProblem(refused, 422, 'validation');
    const fields = refused.body.errors.map((e) => e.field);
    assert.ok(fields.some((f) => /^line 3\b/.test(f)), `errors name line 3: ${JSON.stringify(refused.body.errors)}`);
    assert.ok(fields.some((f) => /^line 4\b/.test(f)), `errors name line 4: ${JSON.stringify(refused.body.errors)}`);
    assert.ok(!fields.some((f) => /^line [25]\b/.test(f)), `good lines are not named: ${JSON.stringify(refused.body.errors)}`);
    assert.deepEqual(await collect(host, path), [], 'nothing recorded');

    const clean = `email,minutes\n${e1.credentials.email},60\n${e2.credentials.email},30\n${guest},45\n`;
    assert.deepEqual(expectStatus(await postCsv(host, path, clean), 200), { recorded: 3 });
    const list = await collect(host, path);
    assert.deepEqual(list.map((x) => [x.email, x.minutes, x.source]).sort(), [
      [e1.credentials.email, 60, 'attendance_list'], [e2.credentials.email, 30, 'attendance_list'], [guest, 45, 'attendance_list'],
    ].sort());
    assert.equal(list.find((x) => x.email === e1.credentials.email).user_id, e1.user.id);
    assert.equal(list.find((x) => x.email === guest).user_id, null);
    for (const x of list) {
      assert.deepEqual(x.activity, { id: a.id, title: 'Counted' });
      assertTime(x.recorded_at, 'recorded_at');
    }
    assert.deepEqual((await collect(e1, '/api/v1/me/attendance')).map((x) => [x.activity.id, x.minutes]), [[a.id, 60]]);

    assert.deepEqual(expectStatus(await postCsv(host, path, `email,minutes\n${e2.credentials.email},50\n`), 200), { recorded: 1 });
    assert.deepEqual((await collect(host, path)).map((x) => [x.email, x.minutes]), [[e2.credentials.email, 50]]);
    assert.deepEqual(await collect(e1, '/api/v1/me/attendance'), [], 'the replaced list no longer counts');

    assertProblem(await postCsv(stranger, path, clean), 403, 'forbidden');
    assert.deepEqual((await collect(host, path)).map((x) => x.email), [e2.credentials.email], 'unchanged by the refused upload');
  });
});

// ---------------------------------------------------------------------------------------

describe('CSV import and export', () => {
  const header = ['title', 'format', 'start', 'duration_minutes', 'time_zone', 'recurrence', 'description', 'facilitators',
    'co_hosts', 'roles', 'grade_bands', 'subjects', 'themes', 'pd_hours', 'capacity', 'captions', 'transcripts',
    'accessibility_notes', 'language', 'join_url', 'available_from', 'available_until'];

  it('a file with bad rows is refused naming each line and field, and nothing is imported', async () => {
    const { slug, day } = await freshCampaign('import-bad');
    const host = await createPartner(server, admin, slug);
    const row = (over) => ({ title: 'Fine row', format: 'webinar', start: `${day(20)}T16:00`, duration_minutes: '60', ...over });
    const csv = toCsv(header, [
      row({ title: 'Line two' }),
      row({ title: 'Line three', start: 'next tuesday' }),
      row({ title: 'Line four' }),
      row({ title: 'Line five', format: 'podcast' }),
    ]);
    const res = await postCsv(host, `/api/v1/organizations/${host.org}/activities/import?campaign=${slug}`, csv);
    assertProblem(res, 422, 'validation', { field: ['line 3: start', 'line 5: format'] });
    const fields = res.body.errors.map((e) => e.field);
    assert.ok(!fields.some((f) => /^line [24]\b/.test(f)), `good rows are not named: ${JSON.stringify(res.body.errors)}`);
    assert.deepEqual(await orgActivities(host, host.org, slug), [], 'no activity was created');

    const missing = toCsv(['format', 'start'], [['webinar', `${day(20)}T16:00`]]);
    const noTitle = await postCsv(host, `/api/v1/organizations/${host.org}/activities/import?campaign=${slug}`, missing);
    assertProblem(noTitle, 422, 'validation');
    assert.ok(noTitle.body.errors.some((e) => /\btitle\b/.test(e.field) || (/^line 1\b/.test(e.field) && /\btitle\b/.test(e.message))),
      `errors name the missing title (on the header line or the row): ${JSON.stringify(noTitle.body.errors)}`);
    assert.deepEqual(await orgActivities(host, host.org, slug), []);
  });

  it('a clean file is imported as drafts with facilitators and co-hosts', async () => {
    const { slug, day } = await freshCampaign('import', {
      themes: (d) => [{ title: 'Getting connected', summary: '', starts_on: d(0), ends_on: d(30) }],
    });
    const host = await createPartner(server, admin, slug);
    const partner = await createPartner(server, admin, slug);
    const sfx = suffix();
    const description = 'Plan, practice; reflect.\nBring a "real" lesson.';
    const csv = toCsv(header, [
      {
        title: 'Imported webinar', format: 'webinar', start: `${day(12)}T19:00`, duration_minutes: '60', time_zone: 'America/Chicago',
        recurrence: 'FREQ=WEEKLY;COUNT=2', description,
        facilitators: `Ada Lovelace ${sfx} | Analytical Society; Grace Hopper ${sfx} | US Navy`, co_hosts: partner.org,
        roles: 'teacher;coach', grade_bands: '6-8;9-12', subjects: 'math', themes: 'Getting connected', pd_hours: '1.5',
        capacity: '40', captions: 'yes', transcripts: 'no', accessibility_notes: 'Slides in advance', language: 'en',
        join_url: 'https://meet.example.org/imported',
      },
      { title: 'Café à la carte ✓', format: 'online_course', available_from: day(5), available_until: day(30), pd_hours: '3' },
      { title: 'Quick chat', format: 'live_chat', start: `${day(14)}T12:30`, duration_minutes: '30' },
    ]);
    const res = await postCsv(host, `/api/v1/organizations/${host.org}/activities/import?campaign=${slug}`, csv);
    const body = expectStatus(res, 201);
    assert.equal(body.imported, 3);
    assert.equal(body.items.length, 3);
    for (const a of body.items) {
      assertActivity(a);
      assert.equal(a.status, 'draft');
      assert.equal(a.campaign, slug);
      assert.equal(a.host.slug, host.org);
    }
    const by = Object.fromEntries(body.items.map((a) => [a.title, a]));
    const w = by['Imported webinar'];
    assert.ok(w, `titles: ${Object.keys(by)}`);
    assert.equal(w.description, description);
    assert.equal(w.time_zone, 'America/Chicago');
    assert.deepEqual(sessionStarts(w), [zonedToUtc(`${day(12)}T19:00`, 'America/Chicago'), zonedToUtc(`${day(19)}T19:00`, 'America/Chicago')]);
    assert.deepEqual(w.facilitators.map((f) => [f.name, f.affiliation]),
      [[`Ada Lovelace ${sfx}`, 'Analytical Society'], [`Grace Hopper ${sfx}`, 'US Navy']]);
    assert.deepEqual(w.co_hosts, [{ slug: partner.org, name: partner.orgName, confirmed: false }]);
    assert.equal(w.co_hosted, false);
    assert.deepEqual([w.audience.roles, w.audience.grade_bands, w.audience.subjects].map((l) => [...l].sort()),
      [['coach', 'teacher'], ['6-8', '9-12'], ['math']]);
    assert.deepEqual(w.themes, ['Getting connected']);
    assert.equal(w.pd_hours, 1.5);
    assert.equal(w.capacity, 40);
    assert.equal(w.accessibility.captions, true);
    assert.equal(w.accessibility.transcripts, false);
    assert.equal(w.accessibility.notes, 'Slides in advance');
    assert.equal(w.join_url, 'https://meet.example.org/imported');
    const course = by['Café à la carte ✓'];
    assert.ok(course, `the UTF-8 title survives: ${Object.keys(by)}`);
    assert.equal(course.self_paced, true);
    assert.equal(course.available_from, day(5));
    assert.equal(course.available_until, day(30));
    const chat = by['Quick chat'];
    assert.equal(chat.time_zone, TZ, "time_zone defaults to the campaign's");
    assert.deepEqual(sessionStarts(chat), [zonedToUtc(`${day(14)}T12:30`, TZ)]);

    const listed = await orgActivities(host, host.org, slug);
    assert.deepEqual(idsOf(listed), idsOf(body.items));
    assert.ok(listed.every((a) => a.status === 'draft'));
    assert.ok((await orgActivities(partner, partner.org, slug)).some((a) => a.id === w.id), 'the co-host sees its invitation');
    assertProblem(await postCsv(partner, `/api/v1/organizations/${host.org}/activities/import?campaign=${slug}`, csv), 403, 'forbidden');
  });

  it('export lists every approved activity as CSV (the import columns and more) or JSON, and the CSV imports again', async () => {
    const { slug, day } = await freshCampaign('export', {
      themes: (d) => [{ title: 'Leading', summary: '', starts_on: d(0), ends_on: d(60) }],
    });
    const host = await createPartner(server, admin, slug);
    const partner = await createPartner(server, admin, slug);
    const sfx = suffix();
    const p1 = await createActivity(host, activityInput(slug, {
      title: 'Exported webinar', start: `${day(20)}T16:00`, capacity: 25, pd_hours: 1.25, themes: ['Leading'],
      co_hosts: [partner.org], audience: { roles: ['teacher', 'librarian'], grade_bands: ['k-2'], subjects: ['reading'] },
      facilitators: [{ name: `Maria Montessori ${sfx}`, affiliation: 'Casa dei Bambini', role: 'speaker' }],
    }));
    expectStatus(await partner.post(`/api/v1/activities/${p1.id}/co-hosts/${partner.org}/confirm`, {}), 200);
    const e1 = await publishActivity(host, admin, slug, p1.id);
    const e2 = await createPublished(host, admin, activityInput(slug, {
      title: 'Exported, weekly; "chat"', format: 'live_chat', description: 'Line one, with comma.\nLine "two".',
      time_zone: 'America/Los_Angeles', start: `${day(21)}T08:15`, duration_minutes: 40, recurrence: 'FREQ=WEEKLY;COUNT=3',
      accessibility: { captions: false, transcripts: true, notes: '' },
    }));
    const e3 = await createPublished(host, admin, activityInput(slug, {
      title: 'Exported course', format: 'self_paced', duration_minutes: undefined, available_from: day(10), available_until: day(40),
    }));
    await createActivity(host, activityInput(slug, { title: 'Not exported draft', start: `${day(22)}T16:00` }));
    const gone = await createPublished(host, admin, activityInput(slug, { title: 'Not exported cancelled', start: `${day(23)}T16:00` }));
    await cancelActivity(host, gone.id);
    const originals = [e1, e2, e3];

    const csvRes = await anonymous().get(`/api/v1/campaigns/${slug}/activities/export?format=csv`);
    expectStatus(csvRes, 200);
    assert.match(csvRes.headers.get('content-type') || '', /^text\/csv/);
    const { header: cols, rows } = parseCsvObjects(csvRes.text);
    for (const col of [...IMPORT_COLUMNS, ...EXPORT_EXTRA_COLUMNS]) assert.ok(cols.includes(col), `export has column ${col}: ${cols}`);
    assert.deepEqual(rows.map((r) => Number(r.id)).sort((x, y) => x - y), idsOf(originals), 'approved activities only');
    for (const r of rows) {
      const a = originals.find((x) => x.id === Number(r.id));
      assert.equal(r.title, a.title);
      assert.equal(r.format, a.format);
      assert.equal(r.status, 'approved');
      assert.ok(r.url === a.url || r.url.endsWith(a.url), `url column ${r.url} is the activity's ${a.url}`);
      if (!a.self_paced) assert.equal(instant(r.starts_at_utc), instant(a.sessions[0].starts_at));
    }

    const jsonRes = await anonymous().get(`/api/v1/campaigns/${slug}/activities/export?format=json`);
    expectStatus(jsonRes, 200);
    assert.match(jsonRes.headers.get('content-type') || '', /^application\/json/);
    assert.ok(Array.isArray(jsonRes.body), `a JSON array: ${jsonRes.text.slice(0, 200)}`);
    assert.deepEqual(idsOf(jsonRes.body), idsOf(originals));
    for (const a of jsonRes.body) assert.equal(assertActivity(a).status, 'approved');

    // Round trip: the import columns of the export, imported into another campaign.
    const next = await freshCampaign('reimport', {
      themes: (d) => [{ title: 'Leading', summary: '', starts_on: d(0), ends_on: d(60) }],
    });
    await joinCampaign(admin, host, next.slug);
    await joinCampaign(admin, partner, next.slug);
    const again = toCsv(IMPORT_COLUMNS, rows);
    const imported = expectStatus(await postCsv(host, `/api/v1/organizations/${host.org}/activities/import?campaign=${next.slug}`, again), 201);
    assert.equal(imported.imported, 3);
    for (const orig of originals) {
      const copy = imported.items.find((x) => x.title === orig.title);
      assert.ok(copy, `"${orig.title}" imported again: ${imported.items.map((x) => x.title)}`);
      for (const k of ['description', 'format', 'time_zone', 'start', 'duration_minutes', 'recurrence', 'available_from',
        'available_until', 'join_url', 'capacity', 'pd_hours', 'audience', 'themes', 'language', 'accessibility', 'self_paced']) {
        assert.deepEqual(copy[k] ?? null, orig[k] ?? null, `"${orig.title}": ${k} survives the round trip`);
      }
      assert.deepEqual(sessionStarts(copy), sessionStarts(orig), `"${orig.title}": sessions`);
      assert.deepEqual(copy.facilitators.map((f) => f.slug), orig.facilitators.map((f) => f.slug), `"${orig.title}": facilitators`);
      assert.deepEqual(copy.co_hosts.map((c) => c.slug), orig.co_hosts.map((c) => c.slug), `"${orig.title}": co-hosts`);
      assert.equal(copy.status, 'draft');
    }
    assertProblem(await anonymous().get(`/api/v1/campaigns/${slug}/activities/export?format=xml`), 400, 'bad-request');
  });
});

// ---------------------------------------------------------------------------------------

const IMPACT_KEYS = ['organizations', 'activities', 'facilitators', 'co_hosted_activities', 'new_partnership_activities',
  'new_partnership_share', 'registrations', 'attendees', 'pd_hours'];
const impactFigures = (body) => Object.fromEntries(IMPACT_KEYS.map((k) => [k, body?.[k]]));

describe('partnerships and impact', () => {
  it('new partnerships are pairs that never co-hosted an approved activity in an earlier campaign', async () => {
    const sfx = suffix();
    const early = await freshCampaign('impact-early', { length: 60 });
    const late = await freshCampaign('impact-late', { startOffset: 90, length: 120 });
    const A = await createPartner(server, admin, early.slug, { slug: `alpha-${sfx}` });
    const B = await createPartner(server, admin, early.slug, { slug: `beta-${sfx}` });
    const C = await createPartner(server, admin, early.slug, { slug: `gamma-${sfx}` });
    for (const o of [A, B, C]) await joinCampaign(admin, o, late.slug);
    const coHosted = async (host, guest, campaign, over) => {
      const a = await createActivity(host, activityInput(campaign, { co_hosts: [guest.org], ...over }));
      expectStatus(await guest.post(`/api/v1/activities/${a.id}/co-hosts/${guest.org}/confirm`, {}), 200);
      return a;
    };
    const person = (name, affiliation) => ({ name: `${name} ${sfx}`, affiliation, role: 'facilitator' });

    // Earlier campaign: A and B co-host an approved activity; A and C only a draft.
    const ab0 = await coHosted(A, B, early.slug, { title: 'Early A+B', start: `${early.day(30)}T16:00`, facilitators: [person('Mae Jemison', 'NASA')] });
    await publishActivity(A, admin, early.slug, ab0.id);
    await coHosted(A, C, early.slug, { title: 'Early A+C draft', start: `${early.day(31)}T16:00` });

    // Later campaign.
    const ab = await coHosted(A, B, late.slug, {
      title: 'Late A+B', start: `${late.day(10)}T16:00`,
      facilitators: [person('Mae Jemison', 'NASA'), person('Katherine Johnson', 'NASA')],
    });
    const ac = await coHosted(A, C, late.slug, {
      title: 'Late A+C', start: `${late.day(11)}T16:00`,
      facilitators: [{ ...person('Mae Jemison', 'nasa'), name: `mae jemison ${sfx}` }, person('Ellen Ochoa', 'NASA')],
    });
    const bSolo = await createActivity(B, activityInput(late.slug, { title: 'Late B alone', start: `${late.day(12)}T16:00`, facilitators: [person('Sally Ride', 'Stanford')] }));
    const cInvites = await createActivity(C, activityInput(late.slug, { title: 'Late C, A invited', start: `${late.day(13)}T16:00`, co_hosts: [A.org] }));
    for (const [staff, a] of [[A, ab], [A, ac], [B, bSolo], [C, cInvites]]) await publishActivity(staff, admin, late.slug, a.id);
    // Neither a draft nor a submitted activity counts.
    await coHosted(A, B, late.slug, { title: 'Late draft', start: `${late.day(14)}T16:00`, facilitators: [person('Valentina Tereshkova', 'Vostok')] });
    const sub = await coHosted(B, C, late.slug, { title: 'Late submitted B+C', start: `${late.day(15)}T16:00` });
    await submitActivity(B, sub.id);

    const pairs = (list) => list.map((p) => ({ orgs: p.organizations.map((o) => o.slug).sort(), activities: p.activities, new: p.new }))
      .sort((x, y) => x.orgs.join().localeCompare(y.orgs.join()));
    const latePartnerships = await collect(anonymous(), `/api/v1/campaigns/${late.slug}/partnerships`);
    for (const p of latePartnerships) {
      assert.equal(p.organizations.length, 2);
      for (const o of p.organizations) assert.equal(typeof o.name, 'string');
    }
    assert.deepEqual(pairs(latePartnerships), [
      { orgs: [A.org, B.org].sort(), activities: 1, new: false },
      { orgs: [A.org, C.org].sort(), activities: 1, new: true },
    ]);
    assert.deepEqual(pairs(await collect(anonymous(), `/api/v1/campaigns/${early.slug}/partnerships`)), [
      { orgs: [A.org, B.org].sort(), activities: 1, new: true },
    ]);

    // Registrations and attendance in the later campaign.
    const [e1, e2, e3] = await Promise.all([1, 2, 3].map((n) => createEducator(server, `impact${n}`)));
    for (const [e, a] of [[e1, ab], [e1, ac], [e2, ab], [e3, bSolo]]) expectStatus(await register(e, a.id), 201);
    expectStatus(await postCsv(A, `/api/v1/activities/${ab.id}/attendance`, `email,minutes\n${e1.credentials.email},60\n${e2.credentials.email},30\n`), 200);
    expectStatus(await postCsv(A, `/api/v1/activities/${ac.id}/attendance`, `email,minutes\n${e1.credentials.email},60\n`), 200);

    const impact = expectStatus(await anonymous().get(`/api/v1/campaigns/${late.slug}/impact`), 200);
    assert.deepEqual(impactFigures(impact), {
      organizations: 3,
      activities: 4,
      facilitators: 4,
      co_hosted_activities: 2,
      new_partnership_activities: 1,
      new_partnership_share: 0.25,
      registrations: 4,
      attendees: 2,
      pd_hours: 2.5,
    });
    const earlyImpact = expectStatus(await anonymous().get(`/api/v1/campaigns/${early.slug}/impact`), 200);
    assert.deepEqual(impactFigures(earlyImpact), {
      organizations: 3,
      activities: 1,
      facilitators: 1,
      co_hosted_activities: 1,
      new_partnership_activities: 1,
      new_partnership_share: 1,
      registrations: 0,
      attendees: 0,
      pd_hours: 0,
    });
    assertProblem(await anonymous().get(`/api/v1/campaigns/none-${suffix()}/impact`), 404, 'not-found');
  });
});
