// Set-up and helpers for the activity, registration and calendar suites: campaigns,
// approved partner organizations, organizers, activities, wall-clock times and CSV.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { assertList, assertTime } from './problem.mjs';
import { api, signIn, signUp, uniqueEmail } from './server.mjs';

/** A short random suffix for slugs, so tests never collide. */
export function suffix() {
  return randomBytes(4).toString('hex');
}

function describeRes(res) {
  return `HTTP ${res.status}: ${String(res.text).slice(0, 800)}`;
}

/** Asserts the status with the answer in the message; returns the body. */
export function expectStatus(res, status, what = '') {
  assert.equal(res.status, status, `${what ? `${what}: ` : ''}expected ${status}, got ${describeRes(res)}`);
  return res.body;
}

// ---------------------------------------------------------------------------------------
// Dates and wall-clock times

/** 'YYYY-MM-DD' plus n days. */
export function addDays(ymd, n) {
  const d = new Date(`${ymd}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The wall-clock time of `date` in `timeZone` as 'YYYY-MM-DDTHH:MM'. */
export function wallTime(date, timeZone) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The calendar date of `date` in `timeZone`. */
export function localDate(date, timeZone) {
  return wallTime(date, timeZone).slice(0, 10);
}

/** The UTC instant of a wall-clock time 'YYYY-MM-DDTHH:MM' in `timeZone`, as an ISO string. */
export function zonedToUtc(wall, timeZone) {
  const asUtc = Date.parse(`${wall}:00Z`);
  let guess = asUtc;
  for (let i = 0; i < 3; i += 1) {
    const shown = Date.parse(`${wallTime(new Date(guess), timeZone)}:00Z`);
    guess += asUtc - shown;
  }
  return new Date(guess).toISOString();
}

/** Normalizes an RFC 3339 instant for comparison ('...T23:00:00.000Z'). */
export function instant(value) {
  assertTime(value);
  return new Date(value).toISOString();
}

/**
 * The Sunday (YYYY-MM-DD) on which US daylight-saving time next ends (first Sunday of
 * November), at least three weeks from now so that the weeks around it are in the future.
 */
export function nextUsDstEnd(now = new Date()) {
  for (let y = now.getUTCFullYear(); ; y += 1) {
    const d = new Date(Date.UTC(y, 10, 1));
    while (d.getUTCDay() !== 0) d.setUTCDate(d.getUTCDate() + 1);
    if (d.getTime() - 21 * 86_400_000 > now.getTime()) return d.toISOString().slice(0, 10);
  }
}

// ---------------------------------------------------------------------------------------
// Campaigns, partners, organizers

export function campaignBody(slug, { starts_on, ends_on, time_zone = 'America/New_York', themes = [], name } = {}) {
  return {
    slug,
    name: name ?? `Campaign ${slug}`,
    description: 'Online professional learning for educators.',
    starts_on,
    ends_on,
    time_zone,
    themes,
    hashtags: [slug.replace(/-/g, '_')],
  };
}

/** Creates a campaign as the site admin; answers the Campaign. */
export async function createCampaign(admin, slug, options) {
  const res = await admin.post('/api/v1/campaigns', campaignBody(slug, options));
  return expectStatus(res, 201, `creating campaign ${slug}`);
}

export function organizationBody(slug, name = `Org ${slug}`) {
  return {
    slug,
    name,
    kind: 'nonprofit',
    website: `https://${slug}.example.org`,
    contact_email: `pd@${slug}.example.org`,
    description: `${name} offers online learning.`,
  };
}

/**
 * A new account applies to `campaign` with a new organization and the site admin approves
 * it. Answers the staff member's client (freshly signed in, so it carries org_staff), with
 * `org` (slug) and `orgName` set.
 */
export async function createPartner(server, admin, campaign, { slug = `org-${suffix()}`, name, approve = true } = {}) {
  const staff = api(server.baseUrl);
  await signUp(staff, { email: uniqueEmail(slug), display_name: `Staff of ${slug}` });
  const body = organizationBody(slug, name);
  expectStatus(await staff.post(`/api/v1/campaigns/${campaign}/applications`, { organization: body }), 201,
    `applying with ${slug} to ${campaign}`);
  await signIn(staff, staff.credentials);
  staff.org = slug;
  staff.orgName = body.name;
  if (approve) await approvePartner(admin, campaign, slug);
  return staff;
}

/** The staff of an existing organization apply to another campaign, and are approved. */
export async function joinCampaign(admin, staff, campaign, { approve = true } = {}) {
  const body = organizationBody(staff.org, staff.orgName);
  expectStatus(await staff.post(`/api/v1/campaigns/${campaign}/applications`, { organization: body }), 201,
    `applying with ${staff.org} to ${campaign}`);
  if (approve) await approvePartner(admin, campaign, staff.org);
}

export async function approvePartner(admin, campaign, org) {
  const res = await admin.post(`/api/v1/campaigns/${campaign}/applications/${org}/decision`, { decision: 'approve' });
  expectStatus(res, 200, `approving ${org} in ${campaign}`);
}

/** A signed-in account holding the grant (role, scope) given by the admin. */
export async function grantedAccount(server, admin, { role, scope_type, scope_id }, label = role) {
  const c = api(server.baseUrl);
  await signUp(c, { email: uniqueEmail(label), display_name: `${label} account` });
  expectStatus(await admin.post(`/api/v1/users/${c.user.id}/roles`, { role, scope_type, scope_id }), 201,
    `granting ${role} on ${scope_id}`);
  await signIn(c, c.credentials);
  return c;
}

export function createOrganizer(server, admin, campaign) {
  return grantedAccount(server, admin, { role: 'campaign_organizer', scope_type: 'campaign', scope_id: campaign }, 'organizer');
}

/** One more staff member of an existing organization. */
export async function addStaff(server, admin, org) {
  const c = await grantedAccount(server, admin, { role: 'org_staff', scope_type: 'organization', scope_id: org }, `staff-${org}`);
  c.org = org;
  return c;
}

/** A plain signed-up account. */
export async function createEducator(server, label = 'educator') {
  const c = api(server.baseUrl);
  await signUp(c, { email: uniqueEmail(label), display_name: `Educator ${label}` });
  return c;
}

// ---------------------------------------------------------------------------------------
// Activities

/** A complete, valid ActivityInput; `over` replaces fields. */
export function activityInput(campaign, over = {}) {
  return {
    campaign,
    title: 'Teaching with primary sources',
    description: 'An hour on **primary** sources.',
    format: 'webinar',
    duration_minutes: 60,
    join_url: 'https://meet.example.org/primary-sources',
    capacity: null,
    pd_hours: 1,
    audience: { roles: ['teacher'], grade_bands: ['6-8'], subjects: ['history'] },
    themes: [],
    language: 'en',
    accessibility: { captions: true, transcripts: false, notes: 'Slides shared in advance.' },
    co_hosts: [],
    facilitators: [],
    ...over,
  };
}

/** Host staff create an activity; answers the Activity (asserts 201). */
export async function createActivity(staff, input, org = staff.org) {
  const res = await staff.post(`/api/v1/organizations/${org}/activities`, input);
  return expectStatus(res, 201, `creating "${input.title}" for ${org}`);
}

export async function submitActivity(staff, id) {
  const body = expectStatus(await staff.post(`/api/v1/activities/${id}/submit`, {}), 200, `submitting ${id}`);
  assert.equal(body.status, 'submitted');
  return body;
}

export async function decideActivity(organizer, campaign, id, decision, reason) {
  const payload = reason === undefined ? { decision } : { decision, reason };
  return organizer.post(`/api/v1/campaigns/${campaign}/activities/${id}/decision`, payload);
}

/** Submits and approves an activity; answers the approved Activity. */
export async function publishActivity(staff, organizer, campaign, id) {
  await submitActivity(staff, id);
  const body = expectStatus(await decideActivity(organizer, campaign, id, 'approve'), 200, `approving ${id}`);
  assert.equal(body.status, 'approved');
  return body;
}

/** Creates, submits and approves; answers the approved Activity. */
export async function createPublished(staff, organizer, input, org = staff.org) {
  const a = await createActivity(staff, input, org);
  return publishActivity(staff, organizer, input.campaign, a.id);
}

export async function cancelActivity(staff, id, reason = 'The facilitator is ill.') {
  const body = expectStatus(await staff.post(`/api/v1/activities/${id}/cancel`, { reason }), 200, `cancelling ${id}`);
  assert.equal(body.status, 'cancelled');
  return body;
}

/** Every page of a list route, following `next` (asserts the envelope). */
export async function collect(client, path, { limit = 100, maxPages = 50 } = {}) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page += 1) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await client.get(url);
    expectStatus(res, 200, `GET ${url}`);
    items.push(...assertList(res.body));
    cursor = res.body.next;
    if (!cursor) return items;
  }
  throw new Error(`${path}: more than ${maxPages} pages`);
}

const STATUSES = ['draft', 'submitted', 'approved', 'declined', 'cancelled'];
const FORMATS = ['webinar', 'live_chat', 'social_media_chat', 'online_course', 'forum_discussion',
  'community_open_house', 'unconference', 'self_paced'];

/** Asserts the documented Activity shape. */
export function assertActivity(a) {
  const where = `activity ${JSON.stringify(a).slice(0, 400)}`;
  assert.ok(a && typeof a === 'object', `Activity object expected, got ${JSON.stringify(a)}`);
  assert.ok(Number.isInteger(a.id), `${where}: id integer`);
  assert.equal(typeof a.campaign, 'string', `${where}: campaign slug`);
  assert.equal(typeof a.title, 'string', `${where}: title`);
  assert.ok(FORMATS.includes(a.format), `${where}: format`);
  assert.equal(typeof a.description_html, 'string', `${where}: description_html`);
  assert.ok(STATUSES.includes(a.status), `${where}: status`);
  assert.ok('reason' in a, `${where}: reason present`);
  assert.ok(a.host && typeof a.host.slug === 'string' && typeof a.host.name === 'string', `${where}: host {slug,name}`);
  assert.ok(Array.isArray(a.co_hosts), `${where}: co_hosts array`);
  for (const c of a.co_hosts) {
    assert.equal(typeof c.slug, 'string', `${where}: co_hosts[].slug`);
    assert.equal(typeof c.name, 'string', `${where}: co_hosts[].name`);
    assert.equal(typeof c.confirmed, 'boolean', `${where}: co_hosts[].confirmed`);
  }
  assert.equal(typeof a.co_hosted, 'boolean', `${where}: co_hosted`);
  assert.equal(a.co_hosted, a.co_hosts.some((c) => c.confirmed), `${where}: co_hosted means a co-host confirmed`);
  assert.ok(Array.isArray(a.facilitators), `${where}: facilitators array`);
  for (const f of a.facilitators) {
    for (const k of ['slug', 'name', 'role']) assert.equal(typeof f[k], 'string', `${where}: facilitators[].${k}`);
    assert.ok('affiliation' in f, `${where}: facilitators[].affiliation`);
    assert.ok(['facilitator', 'speaker'].includes(f.role), `${where}: facilitators[].role`);
  }
  assert.ok(Array.isArray(a.sessions), `${where}: sessions array`);
  for (const s of a.sessions) {
    assertTime(s.starts_at, 'sessions[].starts_at');
    assertTime(s.ends_at, 'sessions[].ends_at');
    assert.ok(Date.parse(s.ends_at) > Date.parse(s.starts_at), `${where}: a session ends after it starts`);
  }
  assert.equal(typeof a.self_paced, 'boolean', `${where}: self_paced`);
  assert.ok(Array.isArray(a.resources), `${where}: resources array`);
  assert.ok(Number.isInteger(a.registered), `${where}: registered integer`);
  assert.ok(Number.isInteger(a.waitlisted), `${where}: waitlisted integer`);
  assert.ok(a.seats_left === null || Number.isInteger(a.seats_left), `${where}: seats_left`);
  if (a.capacity === null) assert.equal(a.seats_left, null, `${where}: seats_left null without capacity`);
  assert.ok(Number.isInteger(a.sequence), `${where}: sequence integer`);
  assert.equal(a.url, `/activities/${a.id}`, `${where}: url`);
  assertTime(a.created_at, 'created_at');
  assertTime(a.updated_at, 'updated_at');
  assert.ok(a.audience && Array.isArray(a.audience.roles) && Array.isArray(a.audience.grade_bands)
    && Array.isArray(a.audience.subjects), `${where}: audience always present`);
  assert.ok(a.accessibility && typeof a.accessibility.captions === 'boolean'
    && typeof a.accessibility.transcripts === 'boolean', `${where}: accessibility always present`);
  for (const k of ['time_zone', 'join_url', 'capacity', 'pd_hours', 'themes', 'language']) {
    assert.ok(k in a, `${where}: ${k} present`);
  }
  return a;
}

/** The session starts of an Activity, normalized. */
export function sessionStarts(a) {
  return a.sessions.map((s) => instant(s.starts_at));
}

/**
 * Asserts that a validation problem names `field`: exactly, or an element/member of it
 * ('co_hosts[0]', 'audience.roles').
 */
export function assertNamesField(body, field) {
  assert.ok(Array.isArray(body.errors), `errors[] expected, got ${JSON.stringify(body)}`);
  const fields = body.errors.map((e) => e.field);
  assert.ok(fields.some((f) => f === field || f.startsWith(`${field}[`) || f.startsWith(`${field}.`)),
    `errors[] should name "${field}", got ${JSON.stringify(body.errors)}`);
}

// ---------------------------------------------------------------------------------------
// CSV (RFC 4180)

/** Parses CSV text into rows of strings (quoted fields, "" escapes, CRLF or LF). */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  for (; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') { field += '"'; i += 1; } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\r' && text[i + 1] === '\n') { /* CRLF: the \n ends the row */ }
    else if (ch === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += ch;
  }
  assert.ok(!quoted, 'CSV ends inside a quoted field');
  if (field !== '' || row.length > 0) { row.push(field); rows.push(row); }
  return rows;
}

/** Parses CSV with a header row into objects keyed by header name. */
export function parseCsvObjects(text) {
  const [header, ...rows] = parseCsv(text);
  return {
    header,
    rows: rows.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))),
  };
}

function csvField(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Builds CSV text (CRLF line ends) from a header and rows (arrays or objects). */
export function toCsv(header, rows) {
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) lines.push((Array.isArray(r) ? r : header.map((h) => r[h])).map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** POSTs a text/csv body. */
export function postCsv(client, path, text) {
  return client.request('POST', path, { body: text, headers: { 'content-type': 'text/csv' } });
}

/** The import columns of the Activity CSV, as documented. */
export const IMPORT_COLUMNS = ['title', 'description', 'format', 'start', 'duration_minutes', 'time_zone', 'recurrence',
  'available_from', 'available_until', 'join_url', 'capacity', 'pd_hours', 'roles', 'grade_bands', 'subjects', 'themes',
  'co_hosts', 'language', 'captions', 'transcripts', 'accessibility_notes', 'facilitators'];
export const EXPORT_EXTRA_COLUMNS = ['id', 'status', 'host', 'starts_at_utc', 'url'];
