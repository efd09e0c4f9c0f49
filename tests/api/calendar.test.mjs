// iCalendar feeds: the campaign, organization and single-activity feeds and the personal
// schedule feed, parsed with ical.js and checked on the wire (CRLF, folding, escaping).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import {
  activityInput, addDays, cancelActivity, createActivity, createCampaign, createEducator, createPartner, createPublished,
  expectStatus, instant, nextUsDstEnd, suffix,
} from '../lib/activities.mjs';
import { assertProblem } from '../lib/problem.mjs';
import { api, createSiteAdmin, startServer, withLogs } from '../lib/server.mjs';

let server;
let admin;
const it = (name, fn) => test(name, withLogs(() => server, fn));
const TZ = 'America/New_York';
const w = {}; // the campaign, organizations and activities shared by the tests below

const RECURRING_TITLE = 'Math, Science; and more — ünïcode ✓';
const RECURRING_DESCRIPTION = [
  'Line one, with a comma; and a semicolon.',
  'Line two is long enough that no calendar line could hold it: educators from every grade band meet weekly to plan, practise and reflect together — café, naïve, 数学 ✓.',
].join('\n\n');

before(async () => {
  server = await startServer();
  admin = await createSiteAdmin(server);
  const sunday = nextUsDstEnd();
  const year = sunday.slice(0, 4);
  w.slug = `ics-${suffix()}`;
  await createCampaign(admin, w.slug, { starts_on: `${year}-10-01`, ends_on: `${year}-11-30`, time_zone: TZ });
  w.A = await createPartner(server, admin, w.slug);
  w.B = await createPartner(server, admin, w.slug);
  const thursday = addDays(sunday, -10);
  w.recurring = await createPublished(w.A, admin, activityInput(w.slug, {
    title: RECURRING_TITLE, description: RECURRING_DESCRIPTION, start: `${thursday}T19:00`, duration_minutes: 90,
    recurrence: 'FREQ=WEEKLY;COUNT=4', join_url: 'https://meet.example.org/weekly',
  }));
  w.single = await createPublished(w.A, admin, activityInput(w.slug, {
    title: 'Single session', start: `${year}-10-20T12:00`, duration_minutes: 60,
  }));
  w.cancelled = await createPublished(w.A, admin, activityInput(w.slug, {
    title: 'Cancelled session', start: `${year}-10-21T12:00`,
  }));
  await cancelActivity(w.A, w.cancelled.id);
  w.course = await createPublished(w.A, admin, activityInput(w.slug, {
    title: 'Self-paced course', format: 'online_course', duration_minutes: undefined,
    available_from: `${year}-10-05`, available_until: `${year}-10-25`,
  }));
  w.draft = await createActivity(w.A, activityInput(w.slug, { title: 'Draft session', start: `${year}-10-22T12:00` }));
  w.other = await createPublished(w.B, admin, activityInput(w.slug, { title: 'Other organization session', start: `${year}-10-23T12:00` }));
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

// ---------------------------------------------------------------------------------------

/** Asserts the bytes are CRLF-terminated lines of at most 75 octets; answers the unfolded text. */
function checkWire(buf, where) {
  assert.ok(buf.length > 0, `${where}: a body`);
  for (let i = 0; i < buf.length; i += 1) {
    if (buf[i] === 0x0a) assert.equal(buf[i - 1], 0x0d, `${where}: LF without CR at byte ${i}`);
    if (buf[i] === 0x0d) assert.equal(buf[i + 1], 0x0a, `${where}: CR without LF at byte ${i}`);
  }
  assert.equal(buf.subarray(-2).toString('latin1'), '\r\n', `${where}: the last line ends in CRLF`);
  let start = 0;
  let lineNo = 0;
  while (start < buf.length) {
    const end = buf.indexOf('\r\n', start);
    lineNo += 1;
    const len = end - start;
    assert.ok(len <= 75, `${where}: line ${lineNo} is ${len} octets (at most 75): ${buf.subarray(start, end).toString('utf8')}`);
    start = end + 2;
  }
  // Unfold on bytes (a fold may fall inside a multi-octet character), then decode.
  const parts = [];
  let from = 0;
  for (let i = 0; i < buf.length - 2; i += 1) {
    if (buf[i] === 0x0d && buf[i + 1] === 0x0a && (buf[i + 2] === 0x20 || buf[i + 2] === 0x09)) {
      parts.push(buf.subarray(from, i));
      from = i + 3;
      i += 2;
    }
  }
  parts.push(buf.subarray(from));
  return Buffer.concat(parts).toString('utf8');
}

/** GETs a feed; asserts 200, text/calendar and the wire format; parses it. */
async function feed(path) {
  const res = await fetch(new URL(path, server.baseUrl));
  const buf = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200, `GET ${path}: ${res.status} ${buf.toString('utf8').slice(0, 400)}`);
  assert.match(res.headers.get('content-type') || '', /^text\/calendar(\s*;|$)/i, `GET ${path}: content type`);
  const text = checkWire(buf, `GET ${path}`);
  const lines = text.split('\r\n');
  assert.equal(lines[0], 'BEGIN:VCALENDAR', `GET ${path}: starts with BEGIN:VCALENDAR`);
  assert.equal(lines.at(-2), 'END:VCALENDAR', `GET ${path}: ends with END:VCALENDAR`);
  const cal = new ICAL.Component(ICAL.parse(text));
  assert.equal(cal.name, 'vcalendar');
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  assert.equal(cal.getFirstPropertyValue('version'), '2.0', `GET ${path}: VERSION:2.0`);
  const prodid = cal.getFirstPropertyValue('prodid');
  assert.ok(typeof prodid === 'string' && prodid.length > 0, `GET ${path}: PRODID`);

  const tzids = new Set(cal.getAllSubcomponents('vtimezone').map((tz) => tz.getFirstPropertyValue('tzid')));
  const events = cal.getAllSubcomponents('vevent');
  const uids = new Set();
  for (const ev of events) {
    const summary = ev.getFirstPropertyValue('summary');
    const uid = ev.getFirstPropertyValue('uid');
    assert.ok(typeof uid === 'string' && uid.length > 0, `GET ${path}: UID of "${summary}"`);
    assert.ok(!uids.has(uid), `GET ${path}: UID ${uid} is unique`);
    uids.add(uid);
    assert.ok(typeof summary === 'string' && summary.length > 0, `GET ${path}: SUMMARY of ${uid}`);
    const stamp = ev.getFirstPropertyValue('dtstamp');
    assert.ok(stamp, `GET ${path}: DTSTAMP of "${summary}"`);
    assert.match(stamp.toString(), /Z$/, `GET ${path}: DTSTAMP of "${summary}" is UTC`);
    for (const name of ['dtstart', 'dtend']) {
      const tzid = ev.getFirstProperty(name)?.getParameter('tzid');
      if (tzid) assert.ok(tzids.has(tzid), `GET ${path}: "${summary}" uses TZID ${tzid} without a VTIMEZONE`);
    }
  }
  return { res, text, cal, events };
}

const allActivities = () => [w.recurring, w.single, w.cancelled, w.course, w.draft, w.other];

/**
 * The VEVENTs by activity id: an event is an activity's when its URL ends in the activity's
 * url, or else when its SUMMARY is (or ends with) the title. Each activity has exactly one.
 */
function byActivity(events, where) {
  const out = new Map();
  for (const ev of events) {
    if (ev.hasProperty('recurrence-id')) continue;
    const summary = ev.getFirstPropertyValue('summary');
    const url = ev.getFirstPropertyValue('url');
    const a = allActivities().find((x) => typeof url === 'string' && url.endsWith(x.url))
      ?? allActivities().find((x) => summary === x.title || summary.endsWith(x.title));
    assert.ok(a, `${where}: VEVENT "${summary}" (${url}) is none of the test's activities`);
    assert.ok(!out.has(a.id), `${where}: one VEVENT for "${a.title}"`);
    out.set(a.id, ev);
  }
  return out;
}

const titlesOf = (map) => allActivities().filter((a) => map.has(a.id)).map((a) => a.title).sort();

/** Occurrences of a VEVENT as [start, end] UTC ISO strings. */
function occurrences(vevent, max = 60) {
  const ev = new ICAL.Event(vevent);
  const it = ev.iterator();
  const out = [];
  for (let t = it.next(); t && out.length < max; t = it.next()) {
    const d = ev.getOccurrenceDetails(t);
    out.push([d.startDate.toJSDate().toISOString(), d.endDate.toJSDate().toISOString()]);
  }
  return out;
}

const sessionPairs = (a) => a.sessions.map((s) => [instant(s.starts_at), instant(s.ends_at)]);
const sequenceOf = (ev) => ev.getFirstPropertyValue('sequence') ?? 0;
const statusOf = (ev) => ev.getFirstPropertyValue('status');

// ---------------------------------------------------------------------------------------

describe('campaign feed', () => {
  it('has every approved or cancelled activity of the campaign, and no draft', async () => {
    const { events } = await feed(`/campaigns/${w.slug}/calendar.ics`);
    const map = byActivity(events, 'campaign feed');
    assert.deepEqual(titlesOf(map), [
      RECURRING_TITLE, 'Single session', 'Cancelled session', 'Self-paced course', 'Other organization session',
    ].sort());
    assert.equal(statusOf(map.get(w.cancelled.id)), 'CANCELLED');
    for (const a of [w.recurring, w.single, w.other]) {
      assert.notEqual(statusOf(map.get(a.id)), 'CANCELLED', `"${a.title}" is not cancelled`);
      assert.equal(map.get(a.id).getFirstPropertyValue('summary'), a.title, 'SUMMARY is the title');
    }
    const res = await fetch(new URL(`/campaigns/none-${suffix()}/calendar.ics`, server.baseUrl));
    assert.equal(res.status, 404);
  });

  it('a recurring activity has an RRULE whose occurrences are its sessions, across the DST change', async () => {
    assert.equal(w.recurring.sessions.length, 4);
    const hours = w.recurring.sessions.map((s) => new Date(s.starts_at).getUTCHours());
    assert.deepEqual(hours, [23, 23, 0, 0], 'the UTC hour moves when daylight-saving time ends');
    for (const path of [`/campaigns/${w.slug}/calendar.ics`, `/activities/${w.recurring.id}/event.ics`]) {
      const { events } = await feed(path);
      const ev = byActivity(events, path).get(w.recurring.id);
      assert.ok(ev, `${path}: the recurring activity`);
      const rrule = ev.getFirstPropertyValue('rrule');
      assert.ok(rrule, `${path}: an RRULE`);
      assert.equal(rrule.freq, 'WEEKLY');
      assert.deepEqual(occurrences(ev), sessionPairs(w.recurring), `${path}: occurrences equal the sessions`);
    }
  });

  it('a single session starts and ends as the activity says', async () => {
    const { events } = await feed(`/activities/${w.single.id}/event.ics`);
    assert.equal(events.length, 1);
    assert.ok(!events[0].hasProperty('rrule'));
    assert.deepEqual(occurrences(events[0]), sessionPairs(w.single));
  });

  it('text is escaped: commas, semicolons and newlines, and UTF-8 survives folding', async () => {
    const { text, events } = await feed(`/activities/${w.recurring.id}/event.ics`);
    const ev = events[0];
    assert.equal(ev.getFirstPropertyValue('summary'), RECURRING_TITLE);
    const summaryLine = text.split('\r\n').find((l) => /^SUMMARY[;:]/.test(l));
    assert.ok(summaryLine.endsWith(':Math\\, Science\\; and more — ünïcode ✓'), `escaped SUMMARY: ${summaryLine}`);
    const description = ev.getFirstPropertyValue('description');
    assert.equal(typeof description, 'string');
    for (const line of RECURRING_DESCRIPTION.split('\n\n')) assert.ok(description.includes(line), `DESCRIPTION has "${line}": ${description}`);
    const descriptionLine = text.split('\r\n').find((l) => /^DESCRIPTION[;:]/.test(l));
    assert.ok(descriptionLine.includes('Line one\\, with a comma\\; and a semicolon.'), `escaped DESCRIPTION: ${descriptionLine}`);
    assert.ok(description.includes('\n'), `a multi-line DESCRIPTION: ${JSON.stringify(description)}`);
    assert.ok(descriptionLine.includes('\\n'), `newlines escaped as \\n: ${descriptionLine}`);
    assert.ok(!/\\[^,;nN\\]/.test(descriptionLine.replace(/^[^:]*:/, '')), `only \\, \\; \\n \\\\ escapes: ${descriptionLine}`);
  });
});

describe('identity and changes', () => {
  it('UIDs are stable across requests and feeds; SEQUENCE rises after a change', async () => {
    const uids = async (path) => new Map([...byActivity((await feed(path)).events, path)].map(([id, ev]) => [id, ev.getFirstPropertyValue('uid')]));
    const first = await uids(`/campaigns/${w.slug}/calendar.ics`);
    const second = await uids(`/campaigns/${w.slug}/calendar.ics`);
    assert.deepEqual([...second], [...first], 'the same UIDs on every request');
    const one = await uids(`/activities/${w.single.id}/event.ics`);
    assert.equal(one.get(w.single.id), first.get(w.single.id), 'the activity feed uses the same UID');
    const org = await uids(`/organizations/${w.A.org}/calendar.ics`);
    assert.equal(org.get(w.single.id), first.get(w.single.id), 'the organization feed uses the same UID');

    const earlier = byActivity((await feed(`/activities/${w.single.id}/event.ics`)).events, 'before').get(w.single.id);
    const patched = expectStatus(await w.A.patch(`/api/v1/activities/${w.single.id}`, { description: 'Now with an agenda.' }), 200);
    assert.ok(patched.sequence > w.single.sequence, 'the activity sequence rose');
    const afterEv = byActivity((await feed(`/activities/${w.single.id}/event.ics`)).events, 'after').get(w.single.id);
    assert.ok(sequenceOf(afterEv) > sequenceOf(earlier), `SEQUENCE rose: ${sequenceOf(earlier)} → ${sequenceOf(afterEv)}`);
    assert.equal(afterEv.getFirstPropertyValue('uid'), earlier.getFirstPropertyValue('uid'), 'the UID did not change');
    const inCampaign = byActivity((await feed(`/campaigns/${w.slug}/calendar.ics`)).events, 'campaign').get(w.single.id);
    assert.equal(sequenceOf(inCampaign), sequenceOf(afterEv), 'the campaign feed has the same SEQUENCE');
  });

  it('the activity feed carries an alarm; a cancelled one says CANCELLED; drafts are not served', async () => {
    const { events } = await feed(`/activities/${w.recurring.id}/event.ics`);
    assert.equal(events.length, 1);
    const alarm = events[0].getFirstSubcomponent('valarm');
    assert.ok(alarm, 'a VALARM');
    assert.ok(alarm.getFirstPropertyValue('action'), 'VALARM ACTION');
    assert.ok(alarm.getFirstPropertyValue('trigger'), 'VALARM TRIGGER');

    const cancelled = await feed(`/activities/${w.cancelled.id}/event.ics`);
    assert.equal(statusOf(cancelled.events[0]), 'CANCELLED');

    for (const id of [w.draft.id, 999_999_999]) {
      const res = await fetch(new URL(`/activities/${id}/event.ics`, server.baseUrl));
      assert.equal(res.status, 404, `/activities/${id}/event.ics`);
    }
  });
});

describe('organization feed', () => {
  it("has the organization's public activities only", async () => {
    const { events } = await feed(`/organizations/${w.A.org}/calendar.ics`);
    const titles = titlesOf(byActivity(events, 'organization feed'));
    for (const t of [RECURRING_TITLE, 'Single session', 'Cancelled session', 'Self-paced course']) {
      assert.ok(titles.includes(t), `"${t}" in the feed of ${w.A.org}: ${titles}`);
    }
    assert.ok(!titles.includes('Draft session'), 'no draft');
    assert.ok(!titles.includes('Other organization session'), "no other organization's activity");
    const res = await fetch(new URL(`/organizations/none-${suffix()}/calendar.ics`, server.baseUrl));
    assert.equal(res.status, 404);
  });
});

describe('personal feed', () => {
  it("has the owner's registrations; a new link replaces the old one and DELETE ends it", async () => {
    const educator = await createEducator(server, 'ics');
    for (const a of [w.recurring, w.single]) expectStatus(await educator.post(`/api/v1/activities/${a.id}/registration`, {}), 201);

    assertProblem(await api(server.baseUrl).post('/api/v1/me/calendar-token', {}), 401, 'unauthenticated');
    const made = expectStatus(await educator.post('/api/v1/me/calendar-token', {}), 201);
    const path = new URL(made.url, server.baseUrl).pathname;
    assert.match(path, /^\/calendars\/[^/]+\/schedule\.ics$/, `url: ${made.url}`);
    assert.match(made.webcal_url, /^webcal:\/\//, `webcal_url: ${made.webcal_url}`);
    assert.ok(made.webcal_url.endsWith(path), `webcal_url ${made.webcal_url} is the same feed as ${made.url}`);

    const { events } = await feed(path);
    const map = byActivity(events, 'personal feed');
    assert.deepEqual(titlesOf(map), [RECURRING_TITLE, 'Single session'].sort());
    assert.deepEqual(occurrences(map.get(w.recurring.id)), sessionPairs(w.recurring));

    const remade = expectStatus(await educator.post('/api/v1/me/calendar-token', {}), 201);
    const newPath = new URL(remade.url, server.baseUrl).pathname;
    assert.notEqual(newPath, path);
    assert.equal((await fetch(new URL(path, server.baseUrl))).status, 404, 'the earlier link stopped working');
    await feed(newPath);

    expectStatus(await educator.delete('/api/v1/me/calendar-token'), 204);
    assert.equal((await fetch(new URL(newPath, server.baseUrl))).status, 404, 'the link stopped working');
    assert.equal((await fetch(new URL(`/calendars/not-a-token-${suffix()}/schedule.ics`, server.baseUrl))).status, 404);
  });
});

