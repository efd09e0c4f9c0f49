// Staff of a partner organization invite colleagues by email, list, withdraw and remove them;
// the invited person accepts with the one-time link from the mail.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import {
  addDays, createCampaign, createEducator, createPartner, expectStatus, localDate, suffix,
} from '../lib/activities.mjs';
import { assertProblem, assertTime, listAll } from '../lib/problem.mjs';
import { api, createSiteAdmin, signIn, signUp, startServer, uniqueEmail, withLogs } from '../lib/server.mjs';

let server;
let admin;
let campaign;
const it = (name, fn) => test(name, withLogs(() => server, fn));
const anonymous = () => api(server.baseUrl);

before(async () => {
  server = await startServer();
  admin = await createSiteAdmin(server);
  campaign = `invite-${suffix()}`;
  const today = localDate(new Date(), 'America/New_York');
  await createCampaign(admin, campaign, { starts_on: addDays(today, -1), ends_on: addDays(today, 30) });
});
after(async () => { if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM'); });

const DAY_MS = 86_400_000;
const orgPath = (org) => `/api/v1/organizations/${org}`;

/** A new partner organization; answers its only staff member's client (with `org`). */
function newOrganization() {
  return createPartner(server, admin, campaign, { slug: `org-${suffix()}` });
}

function invite(staff, email, org = staff.org) {
  return staff.post(`${orgPath(org)}/invitations`, { email });
}

function accept(client, token) {
  return client.post('/api/v1/invitations/accept', { token });
}

/** The staff and pending invitations of `org`, as `client` sees them (asserts 200 and the shape). */
async function staffOf(client, org = client.org) {
  const body = expectStatus(await client.get(`${orgPath(org)}/staff`), 200, `listing the staff of ${org}`);
  assert.ok(Array.isArray(body.staff), `staff[] expected: ${JSON.stringify(body)}`);
  assert.ok(Array.isArray(body.invitations), `invitations[] expected: ${JSON.stringify(body)}`);
  for (const m of body.staff) {
    assert.ok(Number.isInteger(m.user_id), `staff[].user_id: ${JSON.stringify(m)}`);
    assert.equal(typeof m.email, 'string', `staff[].email: ${JSON.stringify(m)}`);
    assert.equal(typeof m.display_name, 'string', `staff[].display_name: ${JSON.stringify(m)}`);
    for (const key of Object.keys(m)) assert.ok(!/password|hash|token/i.test(key), `staff[] must not carry "${key}"`);
  }
  for (const i of body.invitations) assertInvitation(i);
  return body;
}

function assertInvitation(i, email) {
  assert.ok(i && Number.isInteger(i.id), `invitation id: ${JSON.stringify(i)}`);
  assert.equal(typeof i.email, 'string', `invitation email: ${JSON.stringify(i)}`);
  if (email !== undefined) assert.equal(i.email.toLowerCase(), email.toLowerCase());
  assertTime(i.created_at, 'invitation created_at');
  assertTime(i.expires_at, 'invitation expires_at');
  for (const key of Object.keys(i)) assert.ok(!/token|hash/i.test(key), `an invitation must not carry "${key}"`);
  return i;
}

const sameEmail = (a, b) => a.toLowerCase() === b.toLowerCase();

/** The newest mail to `email` in the outbox. */
async function mailTo(email) {
  const all = await listAll(admin, '/api/v1/mail');
  const mine = all.filter((m) => sameEmail(m.to, email));
  assert.ok(mine.length > 0, `a mail went to ${email}`);
  return mine[0];
}

/** The token of the accept link in a mail. */
function tokenFrom(mail) {
  const m = /\/invitations\/accept\?token=([^\s"'<>&)]+)/.exec(mail.body);
  assert.ok(m, `the mail body holds an /invitations/accept?token=... link: ${mail.body}`);
  return decodeURIComponent(m[1]);
}

/** Invites `email` (asserts 201) and answers the invitation and the token from its mail. */
async function invited(staff, email) {
  const invitation = assertInvitation(expectStatus(await invite(staff, email), 201, `inviting ${email}`), email);
  return { invitation, token: tokenFrom(await mailTo(email)) };
}

/** A new account with `email`, signed in. */
async function accountFor(email, display_name = 'Invited Colleague') {
  const c = api(server.baseUrl);
  await signUp(c, { email, display_name });
  return c;
}

async function holdsStaffRole(client, org) {
  const me = expectStatus(await client.get('/api/v1/me'), 200, 'GET /api/v1/me');
  return me.user.roles.some((g) => g.role === 'org_staff' && g.scope_type === 'organization' && g.scope_id === org);
}

/**
 * Moves an invitation `days` days into the past, as if it had been sent then. The API has no
 * clock to wind forward, so this edits the database the server uses.
 */
function ageInvitation(id, days) {
  const shift = Math.round(days * DAY_MS);
  const sql = `UPDATE organization_invitations SET created_at = created_at - ${shift}, `
    + `expires_at = expires_at - ${shift} WHERE id = ${Number(id)}`;
  const r = server.db === 'sqlite'
    ? spawnSync('sqlite3', ['-cmd', '.timeout 5000', server.dbUrl.replace(/^sqlite:/, ''), sql], { encoding: 'utf8' })
    : spawnSync('psql', [server.dbUrl, '-v', 'ON_ERROR_STOP=1', '-X', '-q', '-c', sql], { encoding: 'utf8' });
  if (r.error) throw new Error(`could not change the database: ${r.error.message}`);
  assert.equal(r.status, 0, `changing the database: ${r.stderr}`);
}

it('staff invite a new address; the colleague signs up with it, accepts and becomes staff', async () => {
  const staff = await newOrganization();
  const email = uniqueEmail('colleague');

  const sentAt = Date.now();
  const res = await invite(staff, email);
  const invitation = assertInvitation(expectStatus(res, 201, 'inviting a colleague'), email);
  const expiresIn = Date.parse(invitation.expires_at) - Date.parse(invitation.created_at);
  assert.ok(Math.abs(expiresIn - 7 * DAY_MS) < 60_000, `the link is valid for 7 days, got ${expiresIn} ms`);
  assert.ok(Math.abs(Date.parse(invitation.created_at) - sentAt) < 60_000, 'created_at is now');

  const mail = await mailTo(email);
  assert.equal(typeof mail.subject, 'string');
  assert.ok(mail.subject.length > 0, 'the mail has a subject');
  const token = tokenFrom(mail);
  assert.ok(token.length >= 16, `the token is long enough not to be guessed: ${token}`);

  const listed = await staffOf(staff);
  assert.deepEqual(listed.staff.map((m) => m.user_id), [staff.user.id], 'the inviter is the only staff member');
  assert.equal(listed.staff[0].email, staff.user.email);
  assert.equal(listed.staff[0].display_name, staff.user.display_name);
  assert.deepEqual(listed.invitations.map((i) => i.id), [invitation.id], 'the invitation is pending');

  // Inviting the same address again, or someone already on the staff, is a conflict.
  assertProblem(await invite(staff, email), 409, 'conflict');
  assertProblem(await invite(staff, staff.user.email), 409, 'conflict');
  assert.equal((await staffOf(staff)).invitations.length, 1, 'no second invitation');

  // The colleague signs up with the invited address; until they accept they are not staff.
  const colleague = await accountFor(email);
  assertProblem(await colleague.get(`${orgPath(staff.org)}/activities`), 403, 'forbidden');
  assertProblem(await colleague.get(`${orgPath(staff.org)}/staff`), 403, 'forbidden');

  const accepted = await accept(colleague, token);
  const body = expectStatus(accepted, 200, 'accepting the invitation');
  assert.equal(body.role, 'org_staff');
  assert.equal(body.organization.slug, staff.org);
  assert.equal(body.organization.name, staff.orgName);
  assert.ok(Number.isInteger(body.organization.id), 'the organization has its id');

  // The same session now carries the role.
  assert.ok(await holdsStaffRole(colleague, staff.org), 'the colleague holds org_staff of the organization');
  expectStatus(await colleague.get(`${orgPath(staff.org)}/activities`), 200, 'the new staff member lists activities');

  const joined = await staffOf(colleague, staff.org);
  assert.deepEqual(joined.staff.map((m) => m.user_id).sort(), [staff.user.id, colleague.user.id].sort());
  assert.equal(joined.invitations.length, 0, 'an accepted invitation is no longer pending');

  // The link works once.
  assertProblem(await accept(colleague, token), 400, 'bad-request');
  const again = await accountFor(uniqueEmail('late'));
  assertProblem(await accept(again, token), 400, 'bad-request');
  assert.equal(await holdsStaffRole(again, staff.org), false);

  // Now staff, the colleague is already on the staff: inviting them is a conflict too.
  assertProblem(await invite(staff, email), 409, 'conflict');
});

it('a colleague who already has an account signs in and accepts', async () => {
  const staff = await newOrganization();
  const colleague = await createEducator(server, 'existing');
  const { token } = await invited(staff, colleague.credentials.email);
  await signIn(colleague, colleague.credentials);
  expectStatus(await accept(colleague, token), 200, 'accepting');
  assert.ok(await holdsStaffRole(colleague, staff.org));
});

it('the invited address matches whatever its letter case', async () => {
  const staff = await newOrganization();
  const email = uniqueEmail('mixed');
  const { token } = await invited(staff, email.toUpperCase());
  assertProblem(await invite(staff, email), 409, 'conflict');
  const colleague = await accountFor(email);
  expectStatus(await accept(colleague, token), 200, 'accepting an invitation sent to the address in capitals');
  assert.ok(await holdsStaffRole(colleague, staff.org));
});

it('only the invited address can accept; others get 403 and the link keeps working', async () => {
  const staff = await newOrganization();
  const email = uniqueEmail('invitee');
  const { token } = await invited(staff, email);

  const someoneElse = await accountFor(uniqueEmail('someone-else'), 'Someone Else');
  const refused = assertProblem(await accept(someoneElse, token), 403, 'forbidden');
  assert.match(refused.detail, /email|address/i, `the detail says the address does not match: ${refused.detail}`);
  assert.equal(await holdsStaffRole(someoneElse, staff.org), false);
  assertProblem(await someoneElse.get(`${orgPath(staff.org)}/activities`), 403, 'forbidden');

  // Signed out, nobody accepts.
  assertProblem(await accept(anonymous(), token), 401, 'unauthenticated');

  // A cookie session needs its CSRF header.
  const invitee = await accountFor(email);
  assertProblem(await invitee.post('/api/v1/invitations/accept', { token }, { csrf: false }), 403, 'csrf');

  expectStatus(await accept(invitee, token), 200, 'the invited address still accepts');
  assert.ok(await holdsStaffRole(invitee, staff.org));
});

it('unknown, mistyped and expired links are refused with 400', async () => {
  const educator = await createEducator(server, 'tries');
  assertProblem(await accept(educator, 'not-a-real-token'), 400, 'bad-request');
  assertProblem(await educator.post('/api/v1/invitations/accept', {}), 422, 'validation', { field: 'token' });
  assertProblem(await accept(educator, ''), 422, 'validation', { field: 'token' });

  const staff = await newOrganization();
  const email = uniqueEmail('slow');
  const { invitation, token } = await invited(staff, email);
  const invitee = await accountFor(email);
  assertProblem(await accept(invitee, `${token}x`), 400, 'bad-request');

  ageInvitation(invitation.id, 8);
  const expired = assertProblem(await accept(invitee, token), 400, 'bad-request');
  assert.ok(expired.detail.length > 0);
  assert.equal(await holdsStaffRole(invitee, staff.org), false);
  assertProblem(await invitee.get(`${orgPath(staff.org)}/activities`), 403, 'forbidden');
});

it('an invitation near the end of its 7 days still works', async () => {
  const staff = await newOrganization();
  const email = uniqueEmail('nearly');
  const { invitation, token } = await invited(staff, email);
  ageInvitation(invitation.id, 6.9);
  const invitee = await accountFor(email);
  expectStatus(await accept(invitee, token), 200, 'accepting on the seventh day');
});

it('people who are not staff of the organization cannot see or change its staff', async () => {
  const staff = await newOrganization();
  const other = await newOrganization();
  const { invitation } = await invited(staff, uniqueEmail('pending'));
  const educator = await createEducator(server, 'outsider');

  for (const client of [educator, other]) {
    assertProblem(await client.get(`${orgPath(staff.org)}/staff`), 403, 'forbidden');
    assertProblem(await invite(client, uniqueEmail('sneaky'), staff.org), 403, 'forbidden');
    assertProblem(await client.delete(`${orgPath(staff.org)}/invitations/${invitation.id}`), 403, 'forbidden');
    assertProblem(await client.delete(`${orgPath(staff.org)}/staff/${staff.user.id}`), 403, 'forbidden');
  }
  const nobody = anonymous();
  assertProblem(await nobody.get(`${orgPath(staff.org)}/staff`), 401, 'unauthenticated');
  assertProblem(await invite(nobody, uniqueEmail('anon'), staff.org), 401, 'unauthenticated');

  // Nothing changed.
  const listed = await staffOf(staff);
  assert.deepEqual(listed.staff.map((m) => m.user_id), [staff.user.id]);
  assert.deepEqual(listed.invitations.map((i) => i.id), [invitation.id]);

  // An organization that does not exist.
  assertProblem(await admin.get(`${orgPath(`no-such-${suffix()}`)}/staff`), 404, 'not-found');
});

it('an invitation needs a valid email address', async () => {
  const staff = await newOrganization();
  assertProblem(await staff.post(`${orgPath(staff.org)}/invitations`, {}), 422, 'validation', { field: 'email' });
  assertProblem(await invite(staff, 'not-an-email'), 422, 'validation', { field: 'email' });
  assertProblem(await invite(staff, ''), 422, 'validation', { field: 'email' });
  assert.equal((await staffOf(staff)).invitations.length, 0);
});

it('withdrawing an invitation makes its link fail', async () => {
  const staff = await newOrganization();
  const email = uniqueEmail('withdrawn');
  const { invitation, token } = await invited(staff, email);

  // Staff of another organization cannot reach it through their own organization's path.
  const other = await newOrganization();
  assertProblem(await other.delete(`${orgPath(other.org)}/invitations/${invitation.id}`), 404, 'not-found');
  assert.deepEqual((await staffOf(staff)).invitations.map((i) => i.id), [invitation.id]);

  const res = await staff.delete(`${orgPath(staff.org)}/invitations/${invitation.id}`);
  assert.equal(res.status, 204, `withdrawing: ${res.status} ${res.text}`);
  assert.equal(res.text, '', '204 has no body');
  assert.equal((await staffOf(staff)).invitations.length, 0, 'the invitation is no longer pending');
  assertProblem(await staff.delete(`${orgPath(staff.org)}/invitations/${invitation.id}`), 404, 'not-found');

  const invitee = await accountFor(email);
  assertProblem(await accept(invitee, token), 400, 'bad-request');
  assert.equal(await holdsStaffRole(invitee, staff.org), false);

  // The address can be invited again, with a new link that works.
  const { token: second } = await invited(staff, email);
  assert.notEqual(second, token);
  expectStatus(await accept(invitee, second), 200, 'accepting the new invitation');
});

it('staff remove a colleague; the last staff member cannot be removed', async () => {
  const staff = await newOrganization();
  const orgStaff = `${orgPath(staff.org)}/staff`;

  // Alone: removing oneself would leave nobody to manage the organization.
  assertProblem(await staff.delete(`${orgStaff}/${staff.user.id}`), 409, 'conflict');
  assert.ok(await holdsStaffRole(staff, staff.org), 'still staff after the refusal');

  const emailB = uniqueEmail('colleague-b');
  const { token: tokenB } = await invited(staff, emailB);
  const b = await accountFor(emailB, 'Colleague B');
  expectStatus(await accept(b, tokenB), 200, 'B accepts');

  // Removing someone who is not on the staff, or no one at all.
  const outsider = await createEducator(server, 'not-staff');
  assertProblem(await staff.delete(`${orgStaff}/${outsider.user.id}`), 404, 'not-found');
  assertProblem(await staff.delete(`${orgStaff}/999999999`), 404, 'not-found');

  const removed = await staff.delete(`${orgStaff}/${b.user.id}`);
  assert.equal(removed.status, 204, `removing B: ${removed.status} ${removed.text}`);
  assert.equal(await holdsStaffRole(b, staff.org), false, 'B no longer holds the role');
  assertProblem(await b.get(`${orgPath(staff.org)}/activities`), 403, 'forbidden');
  assertProblem(await b.delete(`${orgStaff}/${staff.user.id}`), 403, 'forbidden');
  assert.deepEqual((await staffOf(staff)).staff.map((m) => m.user_id), [staff.user.id]);

  // With a colleague on the staff, a member may leave; the last one may not.
  const emailC = uniqueEmail('colleague-c');
  const { token: tokenC } = await invited(staff, emailC);
  const c = await accountFor(emailC, 'Colleague C');
  expectStatus(await accept(c, tokenC), 200, 'C accepts');
  assert.equal((await c.delete(`${orgStaff}/${c.user.id}`)).status, 204, 'C leaves');
  assert.equal(await holdsStaffRole(c, staff.org), false);
  const last = assertProblem(await staff.delete(`${orgStaff}/${staff.user.id}`), 409, 'conflict');
  assert.ok(last.detail.length > 0, 'the refusal says why');
  assert.deepEqual((await staffOf(staff)).staff.map((m) => m.user_id), [staff.user.id]);
});

it('a removed member can be invited again', async () => {
  const staff = await newOrganization();
  const email = uniqueEmail('returning');
  const first = await invited(staff, email);
  const colleague = await accountFor(email);
  expectStatus(await accept(colleague, first.token), 200, 'first acceptance');
  assert.equal((await staff.delete(`${orgPath(staff.org)}/staff/${colleague.user.id}`)).status, 204);
  const second = await invited(staff, email);
  expectStatus(await accept(colleague, second.token), 200, 'second acceptance');
  assert.ok(await holdsStaffRole(colleague, staff.org));
});
