// Organization staff invite a colleague from the organization's page; the colleague opens the
// link from the mail, creates an account, accepts and finds the staff tools. Staff withdraw
// invitations and remove colleagues, but not the last one.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addDays, createCampaign, createPartner, localDate, suffix } from '../lib/activities.mjs';
import { api, createSiteAdmin, signUp } from '../lib/server.mjs';
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

let admin = null;

/** A campaign with a new, approved partner organization; answers its only staff member's client. */
async function partner() {
  if (!admin) admin = await createSiteAdmin(env.server);
  const slug = `invite-week-${suffix()}`;
  const today = localDate(new Date(), 'America/Chicago');
  await createCampaign(admin, slug, {
    starts_on: addDays(today, -1),
    ends_on: addDays(today, 30),
    time_zone: 'America/Chicago',
  });
  return createPartner(env.server, admin, slug, { slug: `hillside-${suffix()}`, name: 'Hillside Teachers Network' });
}

/** The path of the accept link in the newest mail to `email`. */
async function invitationLink(email) {
  const mail = await admin.get('/api/v1/mail?limit=100');
  assert.equal(mail.status, 200, mail.text);
  const message = mail.body.items.find(
    (m) => m.to.toLowerCase() === email.toLowerCase() && m.body.includes('/invitations/accept?token='),
  );
  assert.ok(message, `a mail went to ${email}`);
  const link = message.body.match(/\/invitations\/accept\?token=[^\s"'<>)]+/);
  assert.ok(link, `the mail carries an invitation link: ${message.body}`);
  return link[0];
}

test('a staff member invites a colleague, who signs up with the link and finds the staff tools', async () => {
  const staff = await partner();
  const orgPath = `/organizations/${staff.org}`;
  const colleague = { displayName: 'Katherine Johnson', email: uniqueEmail('katherine'), password: strongPassword() };

  // The staff member invites the colleague from the organization's page.
  const page = await env.newPage();
  await signInInBrowser(page, staff.credentials);
  await open(page, orgPath);
  const team = page.getByRole('region', { name: 'Staff', exact: true });
  await team.getByRole('list', { name: 'Staff members' }).getByText(staff.credentials.email).waitFor();
  await team.getByText('No invitations are waiting to be accepted.').waitFor();

  await team.getByRole('button', { name: 'Send invitation' }).click();
  await team.getByRole('alert').filter({ hasText: 'Enter the email address of the colleague to invite' }).waitFor();
  assert.equal(await team.getByLabel('Email address').getAttribute('aria-invalid'), 'true');

  await team.getByLabel('Email address').fill(colleague.email);
  await team.getByRole('button', { name: 'Send invitation' }).click();
  await team.getByRole('status').filter({ hasText: `Invitation sent to ${colleague.email}.` }).waitFor();
  const pending = team.getByRole('list', { name: 'Pending invitations' });
  await pending.getByRole('listitem').filter({ hasText: colleague.email }).waitFor();
  assert.equal(await team.getByLabel('Email address').inputValue(), '', 'the field is emptied for the next one');

  // A second invitation to the same address: the server's reason, by the field.
  await team.getByLabel('Email address').fill(colleague.email);
  await team.getByRole('button', { name: 'Send invitation' }).click();
  await team.locator('#invite-email-error').filter({ hasText: 'already invited' }).waitFor();
  assert.equal(await team.getByLabel('Email address').getAttribute('aria-invalid'), 'true');
  assert.equal(await pending.getByRole('listitem').count(), 1, 'still one invitation');

  const link = await invitationLink(colleague.email);

  // Someone signed in with another address cannot use the link.
  const stranger = await env.newPage();
  await signUpInBrowser(stranger, { displayName: 'Other Person', email: uniqueEmail('other'), password: strongPassword() });
  await open(stranger, link);
  await stranger.getByRole('button', { name: 'Accept invitation' }).click();
  const refused = stranger.getByRole('alert').filter({ hasText: 'The invitation was not accepted' });
  await refused.waitFor();
  assert.match(await refused.innerText(), /This invitation is for another email address/);
  assertNoPageErrors(stranger);
  await stranger.context().close();

  // The colleague opens the link signed out, creates an account and comes back to accept.
  const invitee = await env.newPage();
  await open(invitee, link);
  await invitee.getByRole('heading', { level: 1, name: 'Join an organization’s staff' }).waitFor();
  assert.match(await invitee.title(), /^Join an organization’s staff · Staffroom$/);
  assert.equal(
    await invitee.getByRole('link', { name: 'Sign in to accept' }).getAttribute('href'),
    `/signin?next=${encodeURIComponent(link)}`,
  );
  await invitee.getByRole('link', { name: 'Create an account' }).click();
  await invitee.getByRole('heading', { level: 1, name: 'Sign up' }).waitFor();
  await invitee.getByLabel('Display name').fill(colleague.displayName);
  await invitee.getByLabel('Email address').fill(colleague.email);
  await invitee.getByLabel('Password', { exact: true }).fill(colleague.password);
  await invitee.getByRole('button', { name: 'Create account' }).click();
  await invitee.waitForURL('**/invitations/accept?token=*');
  await invitee.getByRole('main').getByText(`You are signed in as ${colleague.email}.`).waitFor();

  await invitee.getByRole('button', { name: 'Accept invitation' }).click();
  await invitee.getByRole('heading', { level: 2, name: `You have joined ${staff.orgName}` }).waitFor();
  await invitee.waitForFunction(() => document.activeElement?.tagName === 'H2');
  assert.match((await focused(invitee)).text, /You have joined/, 'focus moves to the confirmation');
  await invitee.getByRole('link', { name: `Go to ${staff.orgName}` }).click();
  await invitee.waitForURL(`**${orgPath}`);
  await invitee.getByRole('heading', { level: 1, name: staff.orgName }).waitFor();

  // The staff tools are there without signing in again.
  const tools = invitee.getByRole('region', { name: 'For your organization’s staff' });
  await tools.getByRole('link', { name: 'New activity' }).waitFor();
  const members = invitee.getByRole('region', { name: 'Staff', exact: true }).getByRole('list', { name: 'Staff members' });
  await members.getByRole('listitem').filter({ hasText: colleague.email }).getByText('(you)').waitFor();
  await members.getByRole('listitem').filter({ hasText: staff.credentials.email }).waitFor();
  assertNoPageErrors(invitee);

  // Used once, the link no longer works.
  await open(invitee, link);
  await invitee.getByRole('button', { name: 'Accept invitation' }).click();
  const used = invitee.getByRole('alert').filter({ hasText: 'The invitation was not accepted' });
  await used.waitFor();
  assert.match(await used.innerText(), /already used/);

  // The first staff member sees the colleague among the staff, and no pending invitation.
  await open(page, orgPath);
  const colleagueItem = team.getByRole('list', { name: 'Staff members' }).getByRole('listitem').filter({
    hasText: colleague.email,
  });
  await colleagueItem.waitFor();
  await team.getByText('No invitations are waiting to be accepted.').waitFor();
  assertNoPageErrors(page);
  await page.context().close();

  // The colleague may leave again: the staff tools go away with the role.
  await open(invitee, orgPath);
  const mine = invitee.getByRole('list', { name: 'Staff members' }).getByRole('listitem').filter({ hasText: '(you)' });
  await mine.getByRole('button', { name: 'Remove' }).click();
  await mine.getByRole('button', { name: 'Yes, remove' }).click();
  await invitee.getByRole('status').filter({ hasText: `You are no longer on the staff of ${staff.orgName}.` }).waitFor();
  await invitee.getByRole('region', { name: 'For your organization’s staff' }).waitFor({ state: 'detached' });
  assert.equal(await invitee.getByRole('region', { name: 'Staff', exact: true }).count(), 0);
  assertNoPageErrors(invitee);
  await invitee.context().close();
});

test('staff withdraw an invitation and remove a colleague, but not the last staff member', async () => {
  const staff = await partner();
  const orgPath = `/organizations/${staff.org}`;
  const page = await env.newPage();
  await signInInBrowser(page, staff.credentials);
  await open(page, orgPath);
  const team = page.getByRole('region', { name: 'Staff', exact: true });
  const pending = team.getByRole('list', { name: 'Pending invitations' });

  // Withdrawing an invitation.
  const email = uniqueEmail('withdrawn');
  await team.getByLabel('Email address').fill(email);
  await team.getByRole('button', { name: 'Send invitation' }).click();
  await pending.getByRole('listitem').filter({ hasText: email }).waitFor();
  const link = await invitationLink(email);
  await pending.getByRole('button', { name: `Withdraw the invitation to ${email}` }).click();
  await team.getByRole('status').filter({ hasText: `The invitation to ${email} is withdrawn.` }).waitFor();
  await team.getByText('No invitations are waiting to be accepted.').waitFor();

  const late = await env.newPage();
  await signUpInBrowser(late, { displayName: 'Late Colleague', email, password: strongPassword() });
  await open(late, link);
  await late.getByRole('button', { name: 'Accept invitation' }).click();
  await late.getByRole('alert').filter({ hasText: 'The invitation was not accepted' }).waitFor();
  await late.context().close();

  // A colleague joins through the API, then is removed after a confirmation.
  const colleagueEmail = uniqueEmail('leaving');
  await team.getByLabel('Email address').fill(colleagueEmail);
  await team.getByRole('button', { name: 'Send invitation' }).click();
  await pending.getByRole('listitem').filter({ hasText: colleagueEmail }).waitFor();
  const token = decodeURIComponent((await invitationLink(colleagueEmail)).split('token=')[1]);
  const colleague = api(env.baseUrl);
  await signUp(colleague, { email: colleagueEmail, display_name: 'Leaving Colleague' });
  const accepted = await colleague.post('/api/v1/invitations/accept', { token });
  assert.equal(accepted.status, 200, accepted.text);

  await open(page, orgPath);
  const members = team.getByRole('list', { name: 'Staff members' });
  const leaving = members.getByRole('listitem').filter({ hasText: colleagueEmail });
  await leaving.getByRole('button', { name: 'Remove' }).click();
  const question = leaving.getByRole('group', { name: /Remove Leaving Colleague from the staff/ });
  await question.waitFor();
  await page.waitForFunction(() => document.activeElement?.id.endsWith('-question'));
  assert.match((await focused(page)).text, /^Remove Leaving Colleague/, 'focus moves to the question');
  await question.getByRole('button', { name: 'Cancel' }).click();
  // Focus returns to the button that asked.
  await page.waitForFunction((id) => document.activeElement?.id === id, `remove-staff-${colleague.user.id}`);
  await leaving.getByRole('button', { name: 'Remove' }).click();
  await leaving.getByRole('button', { name: 'Yes, remove' }).click();
  await team.getByRole('status').filter({ hasText: 'Leaving Colleague is no longer on the staff' }).waitFor();
  assert.equal(await members.getByRole('listitem').count(), 1);
  const access = await colleague.get(`/api/v1/organizations/${staff.org}/activities`);
  assert.equal(access.status, 403, 'the removed colleague lost access');

  // The last staff member: the server refuses, and says why.
  const me = members.getByRole('listitem').filter({ hasText: staff.credentials.email });
  await me.getByText('(you)').waitFor();
  await me.getByRole('button', { name: 'Remove' }).click();
  await me.getByRole('group', { name: /Remove yourself from the staff/ }).waitFor();
  await me.getByRole('button', { name: 'Yes, remove' }).click();
  const refusal = me.getByRole('alert').filter({ hasText: 'not removed' });
  await refusal.waitFor();
  assert.match(await refusal.innerText(), /last staff member/);
  await page.getByRole('region', { name: 'For your organization’s staff' }).waitFor();
  assertNoPageErrors(page);
  await page.context().close();
});
