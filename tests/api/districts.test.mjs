// Districts: school systems with schools, the mail domains their staff hold, a join code and
// members with a district role (educator, approver, admin).
//
//   POST   /api/v1/districts                           create; the creator becomes its admin
//                                                      (needs a confirmed address)
//   GET    /api/v1/districts/{d}                       members; admins also see join_code
//   PATCH  /api/v1/districts/{d}                       admins: name, state, time_zone, add schools
//   POST   /api/v1/districts/{d}/join-code             admins: a new join code
//   POST   /api/v1/districts/{d}/domains               admins with a confirmed address at it
//   DELETE /api/v1/districts/{d}/domains/{domain}      admins
//   GET    /api/v1/districts/{d}/members               approvers and admins; ?role, ?q, ?limit, ?cursor
//   PATCH  /api/v1/districts/{d}/members/{id}          admins: role, school
//   DELETE /api/v1/districts/{d}/members/{id}          admins; a member may leave
//   POST   /api/v1/districts/{d}/roster[?dry_run=true] admins: text/csv email,name,school,role,
//                                                      all or nothing
//   GET    /api/v1/districts/{d}/roster                admins: the roster as CSV
//   POST   /api/v1/district-memberships                {"code"} or {"district"} (by a confirmed
//                                                      address at one of its domains)
//   GET    /api/v1/me/districts                        {"memberships", "joinable"}
//
// Runs on whichever database STAFFROOM_TEST_DB selects.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  collect, expectStatus, grantedAccount, parseCsvObjects, postCsv, suffix, toCsv,
} from '../lib/activities.mjs';
import { assertList, assertProblem, assertTime } from '../lib/problem.mjs';
import { api, createSiteAdmin, signUp, startServer, withLogs } from '../lib/server.mjs';

// Mailed confirmation links are built from the public address.
const PUBLIC_URL = 'http://pd.staffroom.test';
const SUBJECT = 'Confirm your email address for Staffroom';
const CODE = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}-[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{4}$/;
const ROSTER_HEADER = ['email', 'name', 'school', 'role'];

let server;
let site; // a site administrator
const it = (name, fn) => test(name, withLogs(() => server, fn));

before(async () => {
  // The authorization table sends more requests than one address may send in a burst; the
  // limiter has its own tests.
  server = await startServer({ args: ['--public-url', PUBLIC_URL, '--rate-limit', '0'] });
  site = await createSiteAdmin(server);
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

const anonymous = () => api(server.baseUrl);

// ---------------------------------------------------------------------------------------
// People and their addresses

/** A domain no other test uses: a domain belongs to one district at most. */
const freshDomain = (label = 'sd') => `${label}-${suffix()}.k12.example.org`;
const address = (label, domain) => `${label}-${suffix()}@${domain}`;

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const LINK = new RegExp(`${escapeRe(PUBLIC_URL)}/verify-email\\?token=([^\\s"'<>]+)`);

/** Confirms the client's address through the newest link mailed to it. */
async function verify(client) {
  const email = client.credentials.email;
  const mails = (await collect(site, '/api/v1/mail')).filter((m) => m.to === email && m.subject === SUBJECT);
  assert.ok(mails.length > 0, `a "${SUBJECT}" mail to ${email}`);
  const m = LINK.exec(mails[0].body);
  assert.ok(m, `the mail holds a confirmation link: ${mails[0].body}`);
  const res = await anonymous().post('/api/v1/email-verifications', { token: decodeURIComponent(m[1]) });
  expectStatus(res, 200, `confirming ${email}`);
}

/** A signed-up account at `domain` (example.org by default), confirmed unless told otherwise. */
async function person(label, { domain = 'example.org', email, confirmed = true, name } = {}) {
  const c = api(server.baseUrl);
  await signUp(c, { email: email ?? address(label, domain), display_name: name ?? `Person ${label}` });
  if (confirmed) await verify(c);
  return c;
}

// ---------------------------------------------------------------------------------------
// Districts

function districtBody(slug, over = {}) {
  return {
    slug,
    name: `District ${slug}`,
    state: 'OH',
    time_zone: 'America/New_York',
    schools: ['Washington High', 'Lincoln Elementary'],
    ...over,
  };
}

const districtPath = (slug) => `/api/v1/districts/${slug}`;

/**
 * A new district created by a confirmed admin at a domain of its own. Answers
 * { slug, domain, admin, district } (district: the creation answer, with the join code).
 */
async function newDistrict(label = 'dist', over = {}) {
  const domain = freshDomain(label);
  const admin = await person(`${label}-admin`, { domain, name: `Admin of ${label}` });
  const slug = `${label}-${suffix()}`;
  const district = expectStatus(await admin.post('/api/v1/districts', districtBody(slug, over)), 201, `creating ${slug}`);
  return { slug, domain, admin, district };
}

/** Joins with the code; answers the membership (asserts 201). */
async function joinByCode(client, code) {
  return expectStatus(await client.post('/api/v1/district-memberships', { code }), 201, `joining with ${code}`);
}

/** A district with an admin, an educator and an approver who joined by code. */
async function districtWithMembers(label) {
  const d = await newDistrict(label);
  const educator = await person(`${label}-educator`);
  const approver = await person(`${label}-approver`);
  d.educatorMember = (await joinByCode(educator, d.district.join_code)).member;
  d.approverMember = (await joinByCode(approver, d.district.join_code)).member;
  expectStatus(await d.admin.patch(`${districtPath(d.slug)}/members/${d.approverMember.id}`, { role: 'approver' }), 200,
    'making the approver');
  return { ...d, educator, approver };
}

async function members(client, slug, query = '') {
  return collect(client, `${districtPath(slug)}/members${query ? `?${query}` : ''}`);
}

async function myDistricts(client) {
  return expectStatus(await client.get('/api/v1/me/districts'), 200, 'GET /api/v1/me/districts');
}

function roster(slug, client, csv, { dryRun } = {}) {
  return postCsv(client, `${districtPath(slug)}/roster${dryRun === undefined ? '' : `?dry_run=${dryRun}`}`, csv);
}

// ---------------------------------------------------------------------------------------
// Shapes

function assertDistrict(d, { slug, manage }) {
  const where = `district ${JSON.stringify(d)}`;
  assert.equal(d.slug, slug, `${where}: slug`);
  for (const k of ['name', 'state', 'time_zone']) assert.equal(typeof d[k], 'string', `${where}: ${k}`);
  assert.ok(Array.isArray(d.schools), `${where}: schools`);
  for (const s of d.schools) {
    assert.ok(Number.isInteger(s.id), `${where}: schools[].id`);
    assert.equal(typeof s.name, 'string', `${where}: schools[].name`);
  }
  assert.ok(Array.isArray(d.domains) && d.domains.every((x) => typeof x === 'string'), `${where}: domains`);
  assert.ok(d.my_role === null || ['educator', 'approver', 'admin'].includes(d.my_role), `${where}: my_role`);
  assert.equal(typeof d.can_manage, 'boolean', `${where}: can_manage`);
  assert.equal(typeof d.can_decide, 'boolean', `${where}: can_decide`);
  assertTime(d.created_at, 'created_at');
  if (manage !== undefined) {
    assert.equal(d.can_manage, manage, `${where}: can_manage`);
    if (manage) assert.match(d.join_code, CODE, `${where}: the join code, shown to those who manage`);
    else assert.ok(!('join_code' in d), `${where}: no join code for those who do not manage`);
  }
  return d;
}

function assertMember(m, expected = {}) {
  const where = `member ${JSON.stringify(m)}`;
  assert.ok(Number.isInteger(m.id), `${where}: id`);
  for (const k of ['email', 'display_name', 'school']) assert.equal(typeof m[k], 'string', `${where}: ${k}`);
  assert.ok(['educator', 'approver', 'admin'].includes(m.role), `${where}: role`);
  assert.ok(['created', 'code', 'domain', 'roster'].includes(m.joined_via), `${where}: joined_via`);
  assertTime(m.joined_at, 'joined_at');
  assert.equal(typeof m.has_account, 'boolean', `${where}: has_account`);
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(m[k], v, `${where}: ${k}`);
  return m;
}

const schoolNames = (d) => d.schools.map((s) => s.name);

// =======================================================================================
// Creating a district

it('creating a district needs a confirmed address: 403 before confirming, 201 with a Location after', async () => {
  const domain = freshDomain('create');
  const creator = await person('creator', { domain, confirmed: false });
  const slug = `create-${suffix()}`;
  const refused = assertProblem(await creator.post('/api/v1/districts', districtBody(slug)), 403, 'forbidden');
  assert.match(refused.detail, /confirm your email address/);
  assertProblem(await site.get(districtPath(slug)), 404, 'not-found');

  await verify(creator);
  const res = await creator.post('/api/v1/districts', districtBody(slug, { name: 'Springfield Public Schools' }));
  const d = assertDistrict(expectStatus(res, 201, 'creating once confirmed'), { slug, manage: true });
  assert.equal(res.headers.get('location'), districtPath(slug));
  assert.deepEqual(
    { name: d.name, state: d.state, time_zone: d.time_zone, domains: d.domains, my_role: d.my_role, can_decide: d.can_decide },
    { name: 'Springfield Public Schools', state: 'OH', time_zone: 'America/New_York', domains: [], my_role: 'admin', can_decide: true },
  );
  assert.deepEqual(schoolNames(d), ['Lincoln Elementary', 'Washington High'], 'schools, by name');

  const mine = await myDistricts(creator);
  assert.equal(mine.memberships.length, 1);
  assert.deepEqual(mine.memberships[0].district, { slug, name: 'Springfield Public Schools' });
  assertMember(mine.memberships[0].member, {
    email: creator.credentials.email, role: 'admin', joined_via: 'created', has_account: true, school: '',
  });
});

it('a district is refused with 422 naming each bad field: slug, state, time_zone, a school listed twice, name', async () => {
  const creator = await person('badfields');
  const bad = await creator.post('/api/v1/districts', {
    slug: 'Not A Slug', name: 'Bad District', state: 'XX', time_zone: 'Mars/Olympus_Mons', schools: ['Lincoln', 'Adams', 'Lincoln'],
  });
  const body = assertProblem(bad, 422, 'validation', { field: ['slug', 'state', 'time_zone', 'schools[2]'] });
  assert.ok(!body.errors.some((e) => e.field === 'schools[0]' || e.field === 'schools[1]'), 'only the repeated school');

  const cases = [
    [{ slug: 'a' }, 'slug'],
    [{ slug: '-leading' }, 'slug'],
    [{ slug: 'double--hyphen' }, 'slug'],
    [{ slug: 'under_score' }, 'slug'],
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(201) }, 'name'],
    [{ state: 'Ohio' }, 'state'],
    [{ state: 'ZZ' }, 'state'],
    [{ time_zone: 'Eastern' }, 'time_zone'],
    [{ time_zone: '' }, 'time_zone'],
    [{ schools: ['Adams', 'x'.repeat(201)] }, 'schools[1]'],
    [{ schools: 'Adams' }, 'schools'],
    [{ schools: ['Adams', 7] }, 'schools[1]'],
  ];
  for (const [over, field] of cases) {
    const slug = over.slug ?? `bad-${suffix()}`;
    const res = await creator.post('/api/v1/districts', districtBody(slug, over));
    assertProblem(res, 422, 'validation', { field });
    if (!over.slug) assertProblem(await site.get(districtPath(slug)), 404, 'not-found');
  }
  assert.deepEqual((await myDistricts(creator)).memberships, [], 'nothing was created');
});

it('a district may be created without a state or schools', async () => {
  const creator = await person('plain');
  const slug = `plain-${suffix()}`;
  const d = expectStatus(await creator.post('/api/v1/districts', { slug, name: 'Plain', time_zone: 'America/Chicago' }), 201);
  assert.deepEqual([d.state, d.schools], ['', []]);
});

it('a slug already taken is 422 naming slug, and the first district is unchanged', async () => {
  const first = await newDistrict('taken');
  const other = await person('taken-other');
  const res = await other.post('/api/v1/districts', districtBody(first.slug, { name: 'Impostor District' }));
  const body = assertProblem(res, 422, 'validation', { field: 'slug' });
  assert.match(body.errors.find((e) => e.field === 'slug').message, /taken/);
  const d = expectStatus(await first.admin.get(districtPath(first.slug)), 200);
  assert.equal(d.name, first.district.name);
  assert.deepEqual((await myDistricts(other)).memberships, [], 'the other person joined nothing');
  assert.equal((await members(first.admin, first.slug)).length, 1, 'the first district still has its one member');
});

it('the creator is admin and sees the join code; members see the district without it', async () => {
  const d = await newDistrict('codes');
  const seenByAdmin = assertDistrict(expectStatus(await d.admin.get(districtPath(d.slug)), 200), { slug: d.slug, manage: true });
  assert.equal(seenByAdmin.join_code, d.district.join_code);
  assert.equal(seenByAdmin.my_role, 'admin');

  const teacher = await person('codes-teacher');
  await joinByCode(teacher, d.district.join_code);
  const seen = assertDistrict(expectStatus(await teacher.get(districtPath(d.slug)), 200), { slug: d.slug, manage: false });
  assert.deepEqual([seen.my_role, seen.can_decide, seen.name], ['educator', false, d.district.name]);
  assert.deepEqual(schoolNames(seen), schoolNames(d.district));
  assert.ok(!JSON.stringify(seen).includes(d.district.join_code), 'the code appears nowhere in the answer');
});

it('an admin renames the district, changes its zone and state, and adds schools; bad values are 422 and change nothing', async () => {
  const d = await newDistrict('patch');
  const path = districtPath(d.slug);
  const changed = expectStatus(await d.admin.patch(path, {
    name: 'Renamed District', time_zone: 'America/Denver', state: '', schools: ['Adams Academy', 'Lincoln Elementary'],
  }), 200);
  assert.deepEqual([changed.name, changed.time_zone, changed.state], ['Renamed District', 'America/Denver', '']);
  assert.deepEqual(schoolNames(changed), ['Adams Academy', 'Lincoln Elementary', 'Washington High'],
    'the new school is added, the one it had already is kept once');

  assertProblem(await d.admin.patch(path, { time_zone: 'Nowhere/Town' }), 422, 'validation', { field: 'time_zone' });
  assertProblem(await d.admin.patch(path, { state: 'QQ' }), 422, 'validation', { field: 'state' });
  assertProblem(await d.admin.patch(path, { name: '' }), 422, 'validation', { field: 'name' });
  const after = expectStatus(await d.admin.get(path), 200);
  assert.deepEqual([after.name, after.time_zone, after.state, schoolNames(after)],
    ['Renamed District', 'America/Denver', '', ['Adams Academy', 'Lincoln Elementary', 'Washington High']]);
});

// =======================================================================================
// Joining with the code

it('a join code typed loosely (lower case, without the hyphen, with spaces) joins as an educator', async () => {
  const d = await newDistrict('loose');
  const code = d.district.join_code;
  const loose = [code.toLowerCase(), code.replace('-', ''), ` ${code.slice(0, 2)} ${code.slice(2, 4)}-${code.slice(5).toLowerCase()} `];
  for (const [i, typed] of loose.entries()) {
    const teacher = await person(`loose-${i}`);
    const res = await teacher.post('/api/v1/district-memberships', { code: typed });
    const m = expectStatus(res, 201, `joining with "${typed}"`);
    assert.deepEqual(m.district, { slug: d.slug, name: d.district.name });
    assertMember(m.member, {
      email: teacher.credentials.email, display_name: `Person loose-${i}`, role: 'educator', joined_via: 'code',
      has_account: true, school: '',
    });
    const mine = await myDistricts(teacher);
    assert.deepEqual(mine.memberships.map((x) => [x.district.slug, x.member.id, x.member.role]), [[d.slug, m.member.id, 'educator']]);
  }
});

it('joining twice answers the same membership and adds no one', async () => {
  const d = await newDistrict('twice');
  const teacher = await person('twice-teacher');
  const first = await joinByCode(teacher, d.district.join_code);
  const second = await joinByCode(teacher, d.district.join_code.toLowerCase());
  assert.equal(second.member.id, first.member.id);
  assert.deepEqual(second, first);
  assert.equal((await members(d.admin, d.slug)).filter((m) => m.email === teacher.credentials.email).length, 1);
  assert.equal((await myDistricts(teacher)).memberships.length, 1);
});

it('a wrong code is 422 naming "code" and joins nothing; so is a request with neither code nor district', async () => {
  const d = await newDistrict('wrong');
  const teacher = await person('wrong-teacher');
  const code = d.district.join_code;
  // A code of the same alphabet that differs in one place.
  const other = `${code.slice(0, 8)}${code[8] === 'A' ? 'B' : 'A'}`;
  for (const typed of [other, 'ZZZZ-ZZZ', '', 'not a code at all']) {
    assertProblem(await teacher.post('/api/v1/district-memberships', { code: typed }), 422, 'validation', { field: 'code' });
  }
  assertProblem(await teacher.post('/api/v1/district-memberships', {}), 422, 'validation', { field: 'code' });
  assert.deepEqual((await myDistricts(teacher)).memberships, []);
  assert.equal((await members(d.admin, d.slug)).length, 1);
  assertProblem(await anonymous().post('/api/v1/district-memberships', { code }), 401, 'unauthenticated');
});

it('replacing the join code: the old one stops working and the new one works', async () => {
  const d = await newDistrict('rotate');
  const old = d.district.join_code;
  const rotated = assertDistrict(expectStatus(await d.admin.post(`${districtPath(d.slug)}/join-code`, {}), 200),
    { slug: d.slug, manage: true });
  assert.notEqual(rotated.join_code, old);
  assert.equal(expectStatus(await d.admin.get(districtPath(d.slug)), 200).join_code, rotated.join_code);
  const teacher = await person('rotate-teacher');
  assertProblem(await teacher.post('/api/v1/district-memberships', { code: old }), 422, 'validation', { field: 'code' });
  assert.equal((await joinByCode(teacher, rotated.join_code)).district.slug, d.slug);
});

// =======================================================================================
// Domains

it('a public mail domain, or something that is not a domain, is refused with 422 naming "domain"', async () => {
  const d = await newDistrict('public');
  for (const domain of ['gmail.com', 'GMAIL.COM', '@outlook.com', 'yahoo.com', 'localhost', 'not a domain', 'a..b.org', '-a.org']) {
    assertProblem(await d.admin.post(`${districtPath(d.slug)}/domains`, { domain }), 422, 'validation', { field: 'domain' });
  }
  // Even a site admin, who may add any domain, cannot add a public one.
  assertProblem(await site.post(`${districtPath(d.slug)}/domains`, { domain: 'gmail.com' }), 422, 'validation', { field: 'domain' });
  assert.deepEqual(expectStatus(await d.admin.get(districtPath(d.slug)), 200).domains, []);
});

it('an admin adds only the domain of their own confirmed address (403 otherwise); it is kept in lower case', async () => {
  const d = await newDistrict('domains');
  const path = `${districtPath(d.slug)}/domains`;
  const refused = assertProblem(await d.admin.post(path, { domain: freshDomain('elsewhere') }), 403, 'forbidden');
  assert.match(refused.detail, /confirmed address/);
  assertProblem(await d.admin.post(path, { domain: `sub.${d.domain}` }), 403, 'forbidden');

  const added = expectStatus(await d.admin.post(path, { domain: `@${d.domain.toUpperCase()}` }), 200, 'adding the own domain');
  assert.deepEqual(added.domains, [d.domain]);
  assert.deepEqual(expectStatus(await d.admin.get(districtPath(d.slug)), 200).domains, [d.domain]);
});

it('an admin whose address at the domain is not confirmed cannot add it (403)', async () => {
  const d = await newDistrict('unconfirmed-admin');
  const second = await person('second-admin', { domain: d.domain, confirmed: false });
  const m = await joinByCode(second, d.district.join_code);
  expectStatus(await d.admin.patch(`${districtPath(d.slug)}/members/${m.member.id}`, { role: 'admin' }), 200);
  assertProblem(await second.post(`${districtPath(d.slug)}/domains`, { domain: d.domain }), 403, 'forbidden');
  await verify(second);
  expectStatus(await second.post(`${districtPath(d.slug)}/domains`, { domain: d.domain }), 200, 'once confirmed');
});

it('a domain belongs to one district: another district adding it is 409', async () => {
  const d = await newDistrict('owned');
  expectStatus(await d.admin.post(`${districtPath(d.slug)}/domains`, { domain: d.domain }), 200);
  const other = await newDistrict('owned-other');
  // The site admin may add any domain, but not one another district holds.
  assertProblem(await site.post(`${districtPath(other.slug)}/domains`, { domain: d.domain }), 409, 'conflict');
  assert.deepEqual(expectStatus(await other.admin.get(districtPath(other.slug)), 200).domains, []);
});

it('a confirmed teacher at the domain sees the district as joinable and joins with {"district": slug}', async () => {
  const d = await newDistrict('bydomain');
  expectStatus(await d.admin.post(`${districtPath(d.slug)}/domains`, { domain: d.domain }), 200);
  const teacher = await person('bydomain-teacher', { domain: d.domain });
  const before = await myDistricts(teacher);
  assert.deepEqual(before, { memberships: [], joinable: { slug: d.slug, name: d.district.name } });

  const res = await teacher.post('/api/v1/district-memberships', { district: d.slug });
  const m = expectStatus(res, 201, 'joining by domain');
  assert.deepEqual(m.district, { slug: d.slug, name: d.district.name });
  assertMember(m.member, { email: teacher.credentials.email, role: 'educator', joined_via: 'domain', has_account: true });

  const after = await myDistricts(teacher);
  assert.equal(after.joinable, null, 'no longer offered once a member');
  assert.deepEqual(after.memberships.map((x) => x.member.id), [m.member.id]);
  // Joining again answers the same membership.
  assert.equal(expectStatus(await teacher.post('/api/v1/district-memberships', { district: d.slug }), 201).member.id, m.member.id);
});

it('an unconfirmed teacher at the domain is not offered the district and cannot join by it (403) until confirming', async () => {
  const d = await newDistrict('unconfirmed');
  expectStatus(await d.admin.post(`${districtPath(d.slug)}/domains`, { domain: d.domain }), 200);
  const teacher = await person('unconfirmed-teacher', { domain: d.domain, confirmed: false });
  assert.deepEqual(await myDistricts(teacher), { memberships: [], joinable: null });
  const refused = assertProblem(await teacher.post('/api/v1/district-memberships', { district: d.slug }), 403, 'forbidden');
  assert.match(refused.detail, /confirm/);
  assert.deepEqual((await myDistricts(teacher)).memberships, []);
  assert.equal((await members(d.admin, d.slug)).length, 1, 'nobody joined');

  await verify(teacher);
  assert.deepEqual((await myDistricts(teacher)).joinable, { slug: d.slug, name: d.district.name });
  expectStatus(await teacher.post('/api/v1/district-memberships', { district: d.slug }), 201, 'once confirmed');
});

it('an address at another domain cannot join by domain (403); an unknown district is 404', async () => {
  const d = await newDistrict('otherdomain');
  expectStatus(await d.admin.post(`${districtPath(d.slug)}/domains`, { domain: d.domain }), 200);
  const stranger = await person('stranger', { domain: freshDomain('stranger') });
  assert.equal((await myDistricts(stranger)).joinable, null);
  assertProblem(await stranger.post('/api/v1/district-memberships', { district: d.slug }), 403, 'forbidden');
  assertProblem(await stranger.post('/api/v1/district-memberships', { district: `no-such-${suffix()}` }), 404, 'not-found');
  assert.deepEqual((await myDistricts(stranger)).memberships, []);
});

it('removing a domain stops joining by it; removing a domain the district does not have is 404', async () => {
  const d = await newDistrict('unlink');
  expectStatus(await d.admin.post(`${districtPath(d.slug)}/domains`, { domain: d.domain }), 200);
  const teacher = await person('unlink-teacher', { domain: d.domain });
  assert.equal((await myDistricts(teacher)).joinable?.slug, d.slug);

  assertProblem(await d.admin.delete(`${districtPath(d.slug)}/domains/${freshDomain('never')}`), 404, 'not-found');
  const res = await d.admin.delete(`${districtPath(d.slug)}/domains/${d.domain.toUpperCase()}`);
  assert.equal(res.status, 204, `removing the domain in upper case: ${res.status} ${res.text}`);
  assert.deepEqual(expectStatus(await d.admin.get(districtPath(d.slug)), 200).domains, []);
  assert.equal((await myDistricts(teacher)).joinable, null);
  assertProblem(await teacher.post('/api/v1/district-memberships', { district: d.slug }), 403, 'forbidden');
  assertProblem(await d.admin.delete(`${districtPath(d.slug)}/domains/${d.domain}`), 404, 'not-found');
});

// =======================================================================================
// Members

/** 24 roster people "Pat 01".."Pat 24"; every fourth is an approver. Answers their rows. */
async function pats(d) {
  const rows = Array.from({ length: 24 }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return { email: `pat-${n}@${d.domain}`, name: `Pat ${n}`, school: i % 2 ? 'Lincoln Elementary' : '', role: (i + 1) % 4 ? 'educator' : 'approver' };
  });
  const report = expectStatus(await roster(d.slug, d.admin, toCsv(ROSTER_HEADER, rows)), 200, 'importing 24 people');
  assert.equal(report.added, 24);
  return rows;
}

it('the members list pages with limit and cursor, in a stable order, without repeats', async () => {
  const d = await newDistrict('paging');
  await pats(d);
  const first = await d.admin.get(`${districtPath(d.slug)}/members?limit=5`);
  const page = assertList(expectStatus(first, 200));
  assert.equal(page.length, 5);
  assert.equal(typeof first.body.next, 'string', 'a cursor to the next page');
  const second = expectStatus(await d.admin.get(`${districtPath(d.slug)}/members?limit=5&cursor=${encodeURIComponent(first.body.next)}`), 200);
  assert.equal(second.items.length, 5);
  assert.ok(!second.items.some((m) => page.some((p) => p.id === m.id)), 'the second page repeats nothing of the first');

  const all = await members(d.admin, d.slug);
  const paged = await collect(d.admin, `${districtPath(d.slug)}/members`, { limit: 7 });
  assert.equal(all.length, 25, 'the admin and the 24 people');
  assert.deepEqual(paged.map((m) => m.id), all.map((m) => m.id), 'pages of 7 hold the same people in the same order');
  assert.equal(new Set(paged.map((m) => m.id)).size, 25);
  for (const m of all) assertMember(m);
  assert.deepEqual(page.map((m) => m.id), all.slice(0, 5).map((m) => m.id));
  const last = await d.admin.get(`${districtPath(d.slug)}/members?limit=25`);
  assert.equal(expectStatus(last, 200).items.length, 25);
  assert.equal(last.body.next, null, 'no cursor after the last page');

  assertProblem(await d.admin.get(`${districtPath(d.slug)}/members?limit=0`), 400, 'bad-request');
  assertProblem(await d.admin.get(`${districtPath(d.slug)}/members?limit=101`), 400, 'bad-request');
  assertProblem(await d.admin.get(`${districtPath(d.slug)}/members?cursor=not-a-cursor`), 400, 'bad-request');
});

it('the members list filters by role and searches names and addresses, case-insensitively, across pages', async () => {
  const d = await newDistrict('search');
  const rows = await pats(d);
  const emails = (list) => list.map((m) => m.email).sort();

  const approvers = await members(d.admin, d.slug, 'role=approver');
  assert.deepEqual(emails(approvers), rows.filter((r) => r.role === 'approver').map((r) => r.email).sort());
  assert.ok(approvers.every((m) => m.role === 'approver'));
  assert.deepEqual(emails(await members(d.admin, d.slug, 'role=admin')), [d.admin.credentials.email]);
  assert.equal((await members(d.admin, d.slug, 'role=educator')).length, 18);
  assertProblem(await d.admin.get(`${districtPath(d.slug)}/members?role=principal`), 422, 'validation', { field: 'role' });

  assert.deepEqual(emails(await members(d.admin, d.slug, 'q=PAT%202')), ['20', '21', '22', '23', '24'].map((n) => `pat-${n}@${d.domain}`),
    'by name, whatever the case');
  assert.deepEqual(emails(await members(d.admin, d.slug, 'q=pat-07')), [`pat-07@${d.domain}`], 'by address');
  assert.deepEqual(emails(await members(d.admin, d.slug, `q=${encodeURIComponent('Admin of')}`)), [d.admin.credentials.email]);
  assert.deepEqual(await members(d.admin, d.slug, 'q=nobody-by-this-name'), []);
  assert.deepEqual(emails(await members(d.admin, d.slug, 'q=pat%201&role=approver')), [`pat-12@${d.domain}`, `pat-16@${d.domain}`],
    'search and role together');
  const searched = await collect(d.admin, `${districtPath(d.slug)}/members?q=pat`, { limit: 5 });
  assert.equal(searched.length, 24, 'a search pages like the whole list');
  assert.equal(new Set(searched.map((m) => m.id)).size, 24);
});

it('searching members for an address with an underscore finds it', async () => {
  const d = await newDistrict('underscore');
  const email = `jo_ann.smith@${d.domain}`;
  expectStatus(await roster(d.slug, d.admin, toCsv(ROSTER_HEADER, [
    { email, name: 'Jo Ann Smith', school: '', role: 'educator' },
    { email: `joann@${d.domain}`, name: 'Joann Other', school: '', role: 'educator' },
  ])), 200);
  const found = await members(d.admin, d.slug, `q=${encodeURIComponent('jo_ann')}`);
  assert.deepEqual(found.map((m) => m.email), [email], 'the "_" typed is matched as itself');
});

it('searching members ignores the case of accented letters too', async () => {
  const d = await newDistrict('accents');
  expectStatus(await roster(d.slug, d.admin, toCsv(ROSTER_HEADER, [
    { email: `elodie@${d.domain}`, name: 'Élodie Ünal', school: '', role: 'educator' },
  ])), 200);
  // The name as typed, and in lower case, as people type into a search box.
  assert.deepEqual((await members(d.admin, d.slug, `q=${encodeURIComponent('Élodie')}`)).map((m) => m.display_name), ['Élodie Ünal']);
  assert.deepEqual((await members(d.admin, d.slug, `q=${encodeURIComponent('élodie')}`)).map((m) => m.display_name), ['Élodie Ünal']);
  assert.deepEqual((await members(d.admin, d.slug, `q=${encodeURIComponent('ünal')}`)).map((m) => m.display_name), ['Élodie Ünal']);
});

it('an admin changes a member\'s role and school; a new school name joins the district; "" clears the school', async () => {
  const d = await districtWithMembers('edit');
  const path = `${districtPath(d.slug)}/members/${d.educatorMember.id}`;
  assertProblem(await d.educator.get(`${districtPath(d.slug)}/members`), 403, 'forbidden');

  const promoted = expectStatus(await d.admin.patch(path, { role: 'approver' }), 200);
  assertMember(promoted, { id: d.educatorMember.id, role: 'approver', email: d.educator.credentials.email });
  expectStatus(await d.educator.get(`${districtPath(d.slug)}/members`), 200, 'an approver may list the members');
  assert.equal(expectStatus(await d.educator.get(districtPath(d.slug)), 200).can_decide, true);

  const placed = expectStatus(await d.admin.patch(path, { school: 'Lincoln Elementary' }), 200);
  assert.deepEqual([placed.school, placed.role], ['Lincoln Elementary', 'approver'], 'the role is kept');
  const moved = expectStatus(await d.admin.patch(path, { school: 'Roosevelt Middle' }), 200);
  assert.equal(moved.school, 'Roosevelt Middle');
  assert.deepEqual(schoolNames(expectStatus(await d.admin.get(districtPath(d.slug)), 200)),
    ['Lincoln Elementary', 'Roosevelt Middle', 'Washington High']);
  const cleared = expectStatus(await d.admin.patch(path, { school: '' }), 200);
  assert.equal(cleared.school, '');
  assert.equal((await myDistricts(d.educator)).memberships[0].member.school, '');

  assertProblem(await d.admin.patch(path, { role: 'principal' }), 422, 'validation', { field: 'role' });
  assertProblem(await d.admin.patch(path, { school: 'x'.repeat(201) }), 422, 'validation', { field: 'school' });
  assertProblem(await d.admin.patch(`${districtPath(d.slug)}/members/99999999`, { role: 'educator' }), 404, 'not-found');
  assert.equal((await members(d.admin, d.slug)).find((m) => m.id === d.educatorMember.id).role, 'approver', 'unchanged by the refusals');
});

it('the district always keeps an admin: the last one cannot step down or be removed (409); with a second admin they can', async () => {
  const d = await districtWithMembers('keep');
  const mine = (await myDistricts(d.admin)).memberships[0].member;
  const self = `${districtPath(d.slug)}/members/${mine.id}`;
  assertProblem(await d.admin.patch(self, { role: 'educator' }), 409, 'conflict');
  assertProblem(await d.admin.delete(self), 409, 'conflict');
  assertProblem(await site.delete(self), 409, 'conflict');
  assert.equal(expectStatus(await d.admin.get(districtPath(d.slug)), 200).my_role, 'admin');

  expectStatus(await d.admin.patch(`${districtPath(d.slug)}/members/${d.approverMember.id}`, { role: 'admin' }), 200);
  const stepped = expectStatus(await d.admin.patch(self, { role: 'approver' }), 200, 'stepping down with another admin');
  assert.equal(stepped.role, 'approver');
  // Now the other admin is the last one.
  assertProblem(await d.approver.patch(`${districtPath(d.slug)}/members/${d.approverMember.id}`, { role: 'educator' }), 409, 'conflict');
  assertProblem(await d.approver.delete(`${districtPath(d.slug)}/members/${d.approverMember.id}`), 409, 'conflict');
  assert.deepEqual((await members(d.approver, d.slug, 'role=admin')).map((m) => m.id), [d.approverMember.id]);
});

it('a member may leave; others are removed by admins only', async () => {
  const d = await districtWithMembers('leave');
  const other = await person('leave-other');
  const otherMember = (await joinByCode(other, d.district.join_code)).member;
  // Educators and approvers cannot remove someone else.
  assertProblem(await d.educator.delete(`${districtPath(d.slug)}/members/${otherMember.id}`), 403, 'forbidden');
  assertProblem(await d.approver.delete(`${districtPath(d.slug)}/members/${otherMember.id}`), 403, 'forbidden');

  const left = await d.educator.delete(`${districtPath(d.slug)}/members/${d.educatorMember.id}`);
  assert.equal(left.status, 204, `leaving: ${left.status} ${left.text}`);
  assertProblem(await d.educator.get(districtPath(d.slug)), 403, 'forbidden');
  assert.deepEqual((await myDistricts(d.educator)).memberships, []);

  assert.equal((await d.admin.delete(`${districtPath(d.slug)}/members/${otherMember.id}`)).status, 204);
  assertProblem(await d.admin.delete(`${districtPath(d.slug)}/members/${otherMember.id}`), 404, 'not-found');
  assert.deepEqual((await members(d.admin, d.slug)).map((m) => m.id).sort(),
    [(await myDistricts(d.admin)).memberships[0].member.id, d.approverMember.id].sort());
  // Removed, they may join again with the code.
  await joinByCode(other, d.district.join_code);
  assert.deepEqual((await myDistricts(other)).memberships.map((x) => [x.district.slug, x.member.role]), [[d.slug, 'educator']]);
});

// =======================================================================================
// Roster import and export

it('the roster must be sent as CSV: other media types are 415 and import nothing', async () => {
  const d = await newDistrict('media');
  const csv = `email,name\nsomeone@${d.domain},Some One\n`;
  for (const type of ['application/json', 'application/x-www-form-urlencoded', 'application/octet-stream']) {
    const res = await d.admin.request('POST', `${districtPath(d.slug)}/roster`, { body: csv, headers: { 'content-type': type } });
    assertProblem(res, 415, 'unsupported-media-type');
  }
  const res = await d.admin.request('POST', `${districtPath(d.slug)}/roster`, { json: [{ email: `someone@${d.domain}` }] });
  assertProblem(res, 415, 'unsupported-media-type');
  assert.equal((await members(d.admin, d.slug)).length, 1, 'nothing imported');
  expectStatus(await roster(d.slug, d.admin, csv), 200, 'the same file as text/csv');
});

it('a roster with bad rows is 422 naming every bad row by line and column, and nothing is imported', async () => {
  const d = await newDistrict('badrows');
  const csv = [
    'email,name,school,role',
    `good-1@${d.domain},Good One,Roosevelt Middle,educator`, // line 2: fine
    'not-an-address,Bad Email,,educator', // line 3
    `GOOD-1@${d.domain},Same Address Again,,`, // line 4: the address of line 2
    `teacher-4@${d.domain},Teacher Four,,principal`, // line 5
    `teacher-5@${d.domain},,Lincoln Elementary,`, // line 6: no name
    ',No Address,,educator', // line 7
    `good-8@${d.domain},Good Eight,,APPROVER`, // line 8: fine (any case)
  ].join('\n');
  for (const dryRun of [true, false]) {
    const body = assertProblem(await roster(d.slug, d.admin, csv, { dryRun }), 422, 'validation');
    assert.deepEqual(body.errors.map((e) => e.field).sort(),
      ['line 3, email', 'line 4, email', 'line 5, role', 'line 6, name', 'line 7, email'].sort(), JSON.stringify(body.errors));
    assert.ok(body.errors.every((e) => e.message.length > 0));
  }
  assert.deepEqual((await members(d.admin, d.slug)).map((m) => m.email), [d.admin.credentials.email], 'nobody was imported');
  assert.deepEqual(schoolNames(expectStatus(await d.admin.get(districtPath(d.slug)), 200)), ['Lincoln Elementary', 'Washington High'],
    'no school was added');
});

it('a roster whose header or file is wrong is 422 naming line 1 or the file', async () => {
  const d = await newDistrict('header');
  const cases = [
    [`email,name,grade\nx@${d.domain},X,5\n`, 'line 1, column 3'],
    [`email,name,email\nx@${d.domain},X,y@${d.domain}\n`, 'line 1, column 3'],
    [`name,school\nX,Adams\n`, 'line 1'],
    [`email,school\nx@${d.domain},Adams\n`, 'line 1'],
    ['email,name,school,role\n', 'file'],
    ['', 'file'],
  ];
  for (const [csv, field] of cases) assertProblem(await roster(d.slug, d.admin, csv), 422, 'validation', { field });
  assertProblem(await roster(d.slug, d.admin, `email,name\nx@${d.domain},X\n`, { dryRun: 'yes' }), 422, 'validation', { field: 'dry_run' });
  assert.equal((await members(d.admin, d.slug)).length, 1);
});

it('dry_run=true reports added, updated, unchanged and new schools without writing; the import then does it', async () => {
  const d = await newDistrict('dryrun');
  const teacher = await person('dryrun-teacher', { name: 'Tess Teacher' });
  await joinByCode(teacher, d.district.join_code);
  const adminName = `Admin of dryrun`;
  const rows = [
    { email: teacher.credentials.email, name: 'Tess Teacher', school: 'Lincoln Elementary', role: 'educator' }, // updated: school
    { email: d.admin.credentials.email, name: adminName, school: '', role: 'admin' }, // unchanged
    { email: `new-1@${d.domain}`, name: 'New One', school: 'Lincoln Elementary', role: 'approver' },
    { email: `new-2@${d.domain}`, name: 'Doe, Jane "JJ"', school: 'Roosevelt Middle', role: '' },
    { email: `NEW-3@${d.domain.toUpperCase()}`, name: 'New Three', school: 'Roosevelt Middle', role: 'educator' },
    { email: `new-4@${d.domain}`, name: 'New Four', school: 'Adams Academy', role: 'admin' },
  ];
  const csv = toCsv(['Email', 'Name', 'School', 'Role'], rows.map((r) => [r.email, r.name, r.school, r.role]));
  const expected = { added: 4, updated: 1, unchanged: 1 };

  const dry = expectStatus(await roster(d.slug, d.admin, csv, { dryRun: true }), 200, 'the dry run');
  assert.deepEqual({ ...dry, new_schools: [...dry.new_schools].sort() },
    { ...expected, new_schools: ['Adams Academy', 'Roosevelt Middle'], applied: false });
  assert.deepEqual((await members(d.admin, d.slug)).map((m) => [m.email, m.school]),
    [[d.admin.credentials.email, ''], [teacher.credentials.email, '']], 'the dry run wrote nothing');
  assert.deepEqual(schoolNames(expectStatus(await d.admin.get(districtPath(d.slug)), 200)), ['Lincoln Elementary', 'Washington High']);
  // The same preview again: still nothing written.
  assert.deepEqual(expectStatus(await roster(d.slug, d.admin, csv, { dryRun: true }), 200), dry);

  const real = expectStatus(await roster(d.slug, d.admin, csv, { dryRun: false }), 200, 'the import');
  assert.deepEqual({ ...real, new_schools: [...real.new_schools].sort() },
    { ...expected, new_schools: ['Adams Academy', 'Roosevelt Middle'], applied: true });
  const list = await members(d.admin, d.slug);
  const byEmail = Object.fromEntries(list.map((m) => [m.email, m]));
  assert.equal(list.length, 6);
  assertMember(byEmail[teacher.credentials.email], { school: 'Lincoln Elementary', role: 'educator', joined_via: 'code', has_account: true });
  assertMember(byEmail[`new-1@${d.domain}`], { display_name: 'New One', school: 'Lincoln Elementary', role: 'approver', joined_via: 'roster', has_account: false });
  assertMember(byEmail[`new-2@${d.domain}`], { display_name: 'Doe, Jane "JJ"', school: 'Roosevelt Middle', role: 'educator' });
  assertMember(byEmail[`new-3@${d.domain}`], { display_name: 'New Three', role: 'educator' }); // kept in lower case
  assertMember(byEmail[`new-4@${d.domain}`], { school: 'Adams Academy', role: 'admin' });
  assert.deepEqual(schoolNames(expectStatus(await d.admin.get(districtPath(d.slug)), 200)),
    ['Adams Academy', 'Lincoln Elementary', 'Roosevelt Middle', 'Washington High']);
  assert.equal((await myDistricts(teacher)).memberships[0].member.school, 'Lincoln Elementary');

  // The same file again changes nothing.
  assert.deepEqual(expectStatus(await roster(d.slug, d.admin, csv), 200, 're-importing'),
    { added: 0, updated: 0, unchanged: 6, new_schools: [], applied: true });
  // A changed name is an update.
  const renamed = toCsv(ROSTER_HEADER, [[`new-1@${d.domain}`, 'New One Renamed', 'Lincoln Elementary', 'approver']]);
  assert.deepEqual(expectStatus(await roster(d.slug, d.admin, renamed), 200),
    { added: 0, updated: 1, unchanged: 0, new_schools: [], applied: true });
  assert.equal((await members(d.admin, d.slug, 'q=renamed'))[0].display_name, 'New One Renamed');
});

it('the roster download is CSV in the import format, and importing it again changes nothing', async () => {
  const d = await newDistrict('export');
  const teacher = await person('export-teacher', { name: 'Ana, "the" Teacher' });
  await joinByCode(teacher, d.district.join_code);
  expectStatus(await roster(d.slug, d.admin, toCsv(ROSTER_HEADER, [
    [`r-1@${d.domain}`, 'O\'Brien, Róisín', 'Lincoln Elementary', 'approver'],
    [`r-2@${d.domain}`, 'Line "Two"', 'Adams Academy', 'educator'],
    [`r-3@${d.domain}`, 'Third Person', '', 'admin'],
  ])), 200);

  const res = await d.admin.request('GET', `${districtPath(d.slug)}/roster`, { headers: { accept: 'text/csv' } });
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /^text\/csv/);
  assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`attachment; filename="${d.slug}-roster\\.csv"`));
  const { header, rows } = parseCsvObjects(res.text);
  assert.deepEqual(header, ROSTER_HEADER);
  const list = await members(d.admin, d.slug);
  assert.deepEqual(rows, list.map((m) => ({ email: m.email, name: m.display_name, school: m.school, role: m.role })),
    'one row a member, as the members list has them');
  assert.equal(rows.length, 5);

  const again = expectStatus(await roster(d.slug, d.admin, res.text), 200, 're-importing the download');
  assert.deepEqual(again, { added: 0, updated: 0, unchanged: 5, new_schools: [], applied: true });
  const after = await d.admin.request('GET', `${districtPath(d.slug)}/roster`, { headers: { accept: 'text/csv' } });
  assert.equal(after.text, res.text, 'the download is unchanged');
});

it('an admin\'s roster cannot change their own role', async () => {
  const d = await newDistrict('ownrole');
  const csv = toCsv(ROSTER_HEADER, [
    [`x@${d.domain}`, 'Somebody', '', 'admin'],
    [d.admin.credentials.email, 'Admin of ownrole', '', 'educator'],
  ]);
  for (const dryRun of [true, false]) {
    assertProblem(await roster(d.slug, d.admin, csv, { dryRun }), 422, 'validation', { field: 'line 3, role' });
  }
  assert.equal((await members(d.admin, d.slug)).length, 1, 'nothing imported');
  assert.equal(expectStatus(await d.admin.get(districtPath(d.slug)), 200).my_role, 'admin');
});

it('a roster preview refuses, like the import, a file that leaves the district without an admin', async () => {
  const d = await newDistrict('noadmin');
  // The site admin is no member, so the own-role rule does not apply to them.
  const csv = toCsv(ROSTER_HEADER, [[d.admin.credentials.email, 'Admin of noadmin', '', 'educator']]);
  assertProblem(await roster(d.slug, site, csv), 422, 'validation', { field: 'line 2, role' });
  assert.equal(expectStatus(await d.admin.get(districtPath(d.slug)), 200).my_role, 'admin', 'the import changed nothing');
  assertProblem(await roster(d.slug, site, csv, { dryRun: true }), 422, 'validation', { field: 'line 2, role' });
});

it('a roster approver who later signs up gets the role only after confirming their address', async () => {
  const d = await newDistrict('later');
  const email = address('future-approver', d.domain);
  expectStatus(await roster(d.slug, d.admin, toCsv(ROSTER_HEADER, [[email, 'Future Approver', 'Lincoln Elementary', 'approver']])), 200);
  const row = (await members(d.admin, d.slug)).find((m) => m.email === email);
  assertMember(row, { role: 'approver', joined_via: 'roster', has_account: false });

  const later = await person('future-approver', { email, confirmed: false });
  assert.deepEqual((await myDistricts(later)).memberships, [], 'signing up is not enough');
  assertProblem(await later.get(districtPath(d.slug)), 403, 'forbidden');
  assertProblem(await later.get(`${districtPath(d.slug)}/members`), 403, 'forbidden');
  const refused = assertProblem(await later.post('/api/v1/district-memberships', { code: d.district.join_code }), 409, 'conflict');
  assert.match(refused.detail, /confirm/, 'joining with the code instead is refused, and says why');
  assert.equal((await members(d.admin, d.slug)).find((m) => m.email === email).has_account, false);

  await verify(later);
  const mine = await myDistricts(later);
  assert.deepEqual(mine.memberships.map((x) => [x.district.slug, x.member.id, x.member.role, x.member.school]),
    [[d.slug, row.id, 'approver', 'Lincoln Elementary']]);
  const seen = expectStatus(await later.get(districtPath(d.slug)), 200);
  assert.deepEqual([seen.my_role, seen.can_decide, seen.can_manage], ['approver', true, false]);
  expectStatus(await later.get(`${districtPath(d.slug)}/members`), 200, 'the approver lists the members');
  assertMember((await members(d.admin, d.slug)).find((m) => m.email === email), { has_account: true, joined_via: 'roster', id: row.id });
});

it('a confirmed account listed on a roster has its place and role at once', async () => {
  const d = await newDistrict('atonce');
  const teacher = await person('atonce', { domain: d.domain });
  expectStatus(await roster(d.slug, d.admin, toCsv(ROSTER_HEADER, [[teacher.credentials.email, 'At Once', '', 'approver']])), 200);
  assert.deepEqual((await myDistricts(teacher)).memberships.map((x) => [x.district.slug, x.member.role, x.member.joined_via]),
    [[d.slug, 'approver', 'roster']]);
  expectStatus(await teacher.get(`${districtPath(d.slug)}/members`), 200);
});

it('a roster role does not reach an unconfirmed account that joined with the code before the roster listed it', async () => {
  const d = await newDistrict('squat');
  const email = address('squat', d.domain);
  const holder = await person('squat', { email, confirmed: false });
  await joinByCode(holder, d.district.join_code);
  expectStatus(await roster(d.slug, d.admin, toCsv(ROSTER_HEADER, [[email, 'Real Approver', '', 'approver']])), 200);
  // Nobody has shown that this account owns the address the roster names: the roster's
  // row waits for a confirmed account, like a new row, and the unconfirmed one is out.
  assertProblem(await holder.get(`${districtPath(d.slug)}/members`), 403, 'forbidden');
  assertProblem(await holder.get(districtPath(d.slug)), 403, 'forbidden');
  await verify(holder);
  expectStatus(await holder.get(`${districtPath(d.slug)}/members`), 200, 'once confirmed, the roster role holds');
});

// =======================================================================================
// Authorization

it('every districts route answers each role as its rule says (anonymous, outsider, educator, approver, admin, grant, site admin)', async () => {
  const d = await districtWithMembers('authz');
  const path = districtPath(d.slug);
  const outsider = await person('authz-outsider');
  const granted = await grantedAccount(server, site, { role: 'district_admin', scope_type: 'district', scope_id: d.slug }, 'authz-grant');
  const callers = {
    anonymous: anonymous(), outsider, educator: d.educator, approver: d.approver, admin: d.admin, grant: granted, site,
  };
  // A domain each caller could add: the admin their own, the others (who may not, or may
  // add any) a fresh one.
  const domainFor = (who) => (who === 'admin' ? d.domain : freshDomain(`authz-${who}`));
  // A roster row of its own for each attempt, so that a success is visible.
  const rosterRow = async () => {
    const email = address('row', d.domain);
    expectStatus(await roster(d.slug, d.admin, toCsv(ROSTER_HEADER, [[email, 'Row Person', '', 'educator']])), 200);
    return (await members(d.admin, d.slug, `q=${encodeURIComponent(email)}`))[0];
  };
  const routes = [
    {
      route: 'GET /districts/{d}', expect: [401, 403, 200, 200, 200, 200, 200],
      send: (c) => c.get(path),
    },
    {
      route: 'PATCH /districts/{d}', expect: [401, 403, 403, 403, 200, 200, 200],
      send: (c) => c.patch(path, { name: `Renamed ${suffix()}` }),
    },
    {
      route: 'POST /districts/{d}/join-code', expect: [401, 403, 403, 403, 200, 200, 200],
      send: (c) => c.post(`${path}/join-code`, {}),
    },
    {
      route: 'POST /districts/{d}/domains', expect: [401, 403, 403, 403, 200, 403, 200],
      send: (c, who) => c.post(`${path}/domains`, { domain: domainFor(who) }),
      // A district_admin grant manages the district, but a domain still needs a confirmed
      // address at it (the granted account's address is at example.org).
    },
    {
      route: 'DELETE /districts/{d}/domains/{domain}', expect: [401, 403, 403, 403, 204, 204, 204],
      send: async (c) => {
        const domain = freshDomain('authz-del');
        expectStatus(await site.post(`${path}/domains`, { domain }), 200, 'the site admin adds a domain to remove');
        return c.delete(`${path}/domains/${domain}`);
      },
    },
    {
      route: 'GET /districts/{d}/members', expect: [401, 403, 403, 200, 200, 200, 200],
      send: (c) => c.get(`${path}/members`),
    },
    {
      route: 'PATCH /districts/{d}/members/{id}', expect: [401, 403, 403, 403, 200, 200, 200],
      send: async (c) => c.patch(`${path}/members/${(await rosterRow()).id}`, { role: 'approver' }),
    },
    {
      route: 'DELETE /districts/{d}/members/{id} (someone else)', expect: [401, 403, 403, 403, 204, 204, 204],
      send: async (c) => c.delete(`${path}/members/${(await rosterRow()).id}`),
    },
    {
      route: 'POST /districts/{d}/roster?dry_run=true', expect: [401, 403, 403, 403, 200, 200, 200],
      send: (c) => roster(d.slug, c, toCsv(ROSTER_HEADER, [[address('dry', d.domain), 'Dry Run', '', '']]), { dryRun: true }),
    },
    {
      route: 'POST /districts/{d}/roster', expect: [401, 403, 403, 403, 200, 200, 200],
      send: (c) => roster(d.slug, c, toCsv(ROSTER_HEADER, [[address('wet', d.domain), 'Imported', '', '']])),
    },
    {
      route: 'GET /districts/{d}/roster', expect: [401, 403, 403, 403, 200, 200, 200],
      send: (c) => c.request('GET', `${path}/roster`, { headers: { accept: 'text/csv' } }),
    },
    {
      route: 'GET /me/districts', expect: [401, 200, 200, 200, 200, 200, 200],
      send: (c) => c.get('/api/v1/me/districts'),
    },
    {
      route: 'POST /district-memberships', expect: [401, 201, 201, 201, 201, 201, 201],
      send: async (c) => c.post('/api/v1/district-memberships', { code: expectStatus(await d.admin.get(path), 200).join_code }),
    },
  ];
  const codes = { 200: null, 201: null, 204: null, 401: 'unauthenticated', 403: 'forbidden' };
  const failures = [];
  for (const r of routes) {
    for (const [i, who] of Object.keys(callers).entries()) {
      const res = await r.send(callers[who], who);
      const want = r.expect[i];
      try {
        if (codes[want]) assertProblem(res, want, codes[want]);
        else assert.equal(res.status, want);
      } catch {
        failures.push(`${r.route} as ${who}: expected ${want}, got ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
  }
  assert.deepEqual(failures, [], failures.join('\n'));

  // The last route made the outsider (and the grant holder and site admin) members.
  assert.deepEqual((await myDistricts(outsider)).memberships.map((x) => [x.district.slug, x.member.role]), [[d.slug, 'educator']]);
  assert.ok(expectStatus(await d.admin.get(path), 200).domains.includes(d.domain), 'the admin added their own domain');
});

it('a district that does not exist is 404 on every route, for any signed-in caller', async () => {
  const outsider = await person('missing');
  const path = districtPath(`no-such-district-${suffix()}`);
  for (const c of [outsider, site]) {
    assertProblem(await c.get(path), 404, 'not-found');
    assertProblem(await c.patch(path, { name: 'x' }), 404, 'not-found');
    assertProblem(await c.post(`${path}/join-code`, {}), 404, 'not-found');
    assertProblem(await c.post(`${path}/domains`, { domain: freshDomain('missing') }), 404, 'not-found');
    assertProblem(await c.delete(`${path}/domains/${freshDomain('missing')}`), 404, 'not-found');
    assertProblem(await c.get(`${path}/members`), 404, 'not-found');
    assertProblem(await c.patch(`${path}/members/1`, { role: 'educator' }), 404, 'not-found');
    assertProblem(await c.delete(`${path}/members/1`), 404, 'not-found');
    assertProblem(await roster(path.split('/').pop(), c, 'email,name\nx@example.org,X\n'), 404, 'not-found');
    assertProblem(await c.request('GET', `${path}/roster`, { headers: { accept: 'text/csv' } }), 404, 'not-found');
  }
});

it('changes to a district need the CSRF header with a session cookie', async () => {
  const d = await newDistrict('csrf');
  assertProblem(await d.admin.patch(districtPath(d.slug), { name: 'No header' }, { csrf: false }), 403, 'csrf');
  assertProblem(await d.admin.post(`${districtPath(d.slug)}/join-code`, {}, { csrf: false }), 403, 'csrf');
  const teacher = await person('csrf-teacher');
  assertProblem(await teacher.post('/api/v1/district-memberships', { code: d.district.join_code }, { csrf: false }), 403, 'csrf');
  assert.equal(expectStatus(await d.admin.get(districtPath(d.slug)), 200).name, d.district.name);
  assert.equal(expectStatus(await d.admin.get(districtPath(d.slug)), 200).join_code, d.district.join_code);
  assert.deepEqual((await myDistricts(teacher)).memberships, []);
});
