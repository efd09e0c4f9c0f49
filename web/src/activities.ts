// Words and rules about activities shared by several pages.
import type { Activity, ActivityFormat, ActivityStatus, User } from './api';

const FORMAT_NAMES: Record<ActivityFormat, string> = {
  webinar: 'Webinar',
  live_chat: 'Live chat',
  social_media_chat: 'Social media chat',
  online_course: 'Online course',
  forum_discussion: 'Forum discussion',
  community_open_house: 'Community open house',
  unconference: 'Unconference',
  self_paced: 'Self-paced',
};

export function formatName(format: string): string {
  return FORMAT_NAMES[format as ActivityFormat] ?? format;
}

const ROLE_NAMES: Record<string, string> = {
  teacher: 'Teachers',
  administrator: 'Administrators',
  librarian: 'Librarians',
  coach: 'Coaches',
  counselor: 'Counselors',
  specialist: 'Specialists',
  preservice: 'Preservice educators',
  other: 'Other educators',
};

export function audienceRoleName(role: string): string {
  return ROLE_NAMES[role] ?? role;
}

const GRADE_NAMES: Record<string, string> = {
  prek: 'Pre-K',
  'k-2': 'K-2',
  '3-5': '3-5',
  '6-8': '6-8',
  '9-12': '9-12',
  'higher-ed': 'Higher education',
  adult: 'Adult learners',
};

export function gradeBandName(band: string): string {
  return GRADE_NAMES[band] ?? band;
}

const STATUS_NAMES: Record<ActivityStatus, string> = {
  draft: 'Draft',
  submitted: 'Submitted for review',
  approved: 'Approved',
  declined: 'Declined',
  cancelled: 'Cancelled',
};

export function statusName(status: string): string {
  return STATUS_NAMES[status as ActivityStatus] ?? status;
}

/** A language code as its name in English when the browser knows it: "Spanish (es)". */
export function languageName(code: string): string {
  if (!code) return 'Not given';
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** PD hours as words: "1.5 PD hours". */
export function pdHoursText(hours: number | null | undefined): string {
  if (!hours) return 'No PD hours';
  return hours === 1 ? '1 PD hour' : `${hours} PD hours`;
}

export function activityHref(id: number): string {
  return `/activities/${encodeURIComponent(String(id))}`;
}

export function organizationHref(slug: string): string {
  return `/organizations/${encodeURIComponent(slug)}`;
}

export function personHref(slug: string): string {
  return `/people/${encodeURIComponent(slug)}`;
}

export function campaignHref(slug: string): string {
  return `/campaigns/${encodeURIComponent(slug)}`;
}

export function catalogHref(slug: string): string {
  return `/campaigns/${encodeURIComponent(slug)}/activities`;
}

function grants(user: User | null | undefined) {
  return user?.roles ?? [];
}

export function isSiteAdmin(user: User | null | undefined): boolean {
  return grants(user).some((g) => g.role === 'site_admin');
}

/** Staff of this organization (or a site administrator). */
export function isStaffOf(user: User | null | undefined, organization: string): boolean {
  return grants(user).some(
    (g) => g.role === 'site_admin' || (g.role === 'org_staff' && g.scope_id === organization),
  );
}

/** An organizer of this campaign (or a site administrator). */
export function isOrganizerOf(user: User | null | undefined, campaign: string): boolean {
  return grants(user).some(
    (g) => g.role === 'site_admin' || (g.role === 'campaign_organizer' && g.scope_id === campaign),
  );
}

/** The organizations whose staff the person is. */
export function staffOrganizations(user: User | null | undefined): string[] {
  return grants(user)
    .filter((g) => g.role === 'org_staff' && g.scope_id)
    .map((g) => g.scope_id as string);
}

/** The moment an activity begins: its first session, or the start of its self-paced window. */
export function firstMoment(activity: Activity): Date | null {
  const first = activity.sessions[0];
  if (first) return new Date(first.starts_at);
  if (activity.available_from) return localDate(activity.available_from);
  return null;
}

/** The moment an activity is over: its last session's end, or the end of its self-paced window. */
export function lastMoment(activity: Activity): Date | null {
  const last = activity.sessions[activity.sessions.length - 1];
  if (last) return new Date(last.ends_at);
  if (activity.available_until) {
    const d = localDate(activity.available_until);
    if (d) d.setDate(d.getDate() + 1);
    return d;
  }
  return null;
}

/** A calendar date (YYYY-MM-DD) at midnight in the viewer's time zone. */
export function localDate(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}
