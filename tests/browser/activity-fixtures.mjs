// A campaign that runs around today, with an organizer, an approved partner organization
// and published activities, set up through the API for the activity browser tests.

import { createSiteAdmin } from '../lib/server.mjs';
import {
  activityInput,
  addDays,
  createActivity,
  createCampaign,
  createOrganizer,
  createPartner,
  createPublished,
  localDate,
  suffix,
  wallTime,
} from '../lib/activities.mjs';

export const CAMPAIGN_ZONE = 'America/Chicago';
export const THEME = 'Digital citizenship';

/** The wall-clock time in the campaign's zone `days` days from now, at `hhmm`. */
export function dayAt(days, hhmm) {
  return `${localDate(new Date(Date.now() + days * 86_400_000), CAMPAIGN_ZONE)}T${hhmm}`;
}

/** The wall-clock time in the campaign's zone `minutes` minutes from now. */
export function minutesFromNow(minutes) {
  return wallTime(new Date(Date.now() + minutes * 60_000), CAMPAIGN_ZONE);
}

/**
 * A site admin creates a campaign whose dates include today; an organizer; an educator who
 * applied with a new organization (its staff) and was approved; and three published
 * activities. Answers every piece, with the staff's and organizer's sign-in credentials.
 */
export async function activityWorld(server, { name = 'Open PD Month' } = {}) {
  const admin = await createSiteAdmin(server);
  const slug = `open-pd-${suffix()}`;
  const today = localDate(new Date(), CAMPAIGN_ZONE);
  const campaign = await createCampaign(admin, slug, {
    name,
    starts_on: addDays(today, -2),
    ends_on: addDays(today, 60),
    time_zone: CAMPAIGN_ZONE,
    themes: [{ title: THEME, summary: 'Safe and kind online.', starts_on: addDays(today, -2), ends_on: addDays(today, 60) }],
  });
  const organizer = await createOrganizer(server, admin, slug);
  const staff = await createPartner(server, admin, slug, { slug: `riverside-${suffix()}`, name: 'Riverside Library' });

  const podcasting = await createPublished(
    staff,
    organizer,
    activityInput(slug, {
      title: 'Podcasting with fifth graders',
      description: 'Plan, record and share a class **podcast**.\n\nBring a microphone.',
      start: dayAt(2, '19:00'),
      duration_minutes: 60,
      capacity: 30,
      pd_hours: 1,
      audience: { roles: ['teacher', 'librarian'], grade_bands: ['3-5'], subjects: ['literacy'] },
      themes: [THEME],
      facilitators: [{ name: 'Mina Okafor', affiliation: 'Riverside Library', bio: 'Children’s librarian.', role: 'facilitator' }],
    }),
  );
  const highSchool = await createPublished(
    staff,
    organizer,
    activityInput(slug, {
      title: 'Podcasting in high school',
      start: dayAt(3, '18:00'),
      audience: { roles: ['teacher'], grade_bands: ['9-12'], subjects: ['literacy'] },
    }),
  );
  const openHouse = await createPublished(
    staff,
    organizer,
    activityInput(slug, {
      title: 'Digital citizenship open house',
      format: 'community_open_house',
      start: dayAt(5, '17:00'),
      recurrence: 'FREQ=WEEKLY;COUNT=3',
      pd_hours: 0,
      audience: { roles: ['administrator'], grade_bands: ['k-2'], subjects: [] },
    }),
  );
  return { admin, campaign, slug, organizer, staff, org: staff.org, orgName: staff.orgName, podcasting, highSchool, openHouse };
}

/** A published activity whose only session starts a few minutes from now, so check-in is open. */
export function publishStartingSoon(world, title = 'Live coding circle') {
  return createPublished(
    world.staff,
    world.organizer,
    activityInput(world.slug, { title, start: minutesFromNow(5), duration_minutes: 60 }),
  );
}

/** A draft activity of the partner organization, submitted for review. */
export async function submittedDraft(world, title = 'Story time online') {
  const a = await createActivity(world.staff, activityInput(world.slug, { title, start: dayAt(4, '16:00') }));
  const res = await world.staff.post(`/api/v1/activities/${a.id}/submit`, {});
  if (res.status !== 200) throw new Error(`submitting ${a.id}: ${res.status} ${res.text}`);
  return res.body;
}
