import type { Activity } from '../api';
import { activityHref, formatName, pdHoursText, statusName } from '../activities';
import { Link } from '../router';
import { formatDateRange, formatSession } from '../time';

/** When an activity takes place, in the viewer's time zone: its first session, or its self-paced window. */
export function activityWhen(activity: Activity): string {
  const first = activity.sessions[0];
  if (first) {
    const text = formatSession(first.starts_at, first.ends_at);
    const n = activity.sessions.length;
    return n > 1 ? `${text} (first of ${n} sessions)` : text;
  }
  if (activity.available_from && activity.available_until) {
    return `Self-paced, ${formatDateRange(activity.available_from, activity.available_until)}`;
  }
  return 'Self-paced';
}

/** Seats left as words, or null when the activity has no limit. */
export function seatsText(activity: Activity): string | null {
  if (activity.seats_left === null || activity.seats_left === undefined) return null;
  if (activity.seats_left <= 0) return 'Full: new registrations join the waiting list';
  return activity.seats_left === 1 ? '1 seat left' : `${activity.seats_left} seats left`;
}

function hostsText(activity: Activity): string {
  const cohosts = activity.co_hosts.filter((c) => c.confirmed).map((c) => c.name);
  return cohosts.length > 0 ? `${activity.host.name} with ${cohosts.join(', ')}` : activity.host.name;
}

type Props = {
  activity: Activity;
  /** The level of the title's heading in the page. */
  level?: 2 | 3 | 4 | 5;
  /** Show the status even when it is "approved" (for staff lists). */
  showStatus?: boolean;
};

/** An activity in a list: its title (a link), hosts, format, time and what it offers. */
export function ActivityCard({ activity, level = 3, showStatus = false }: Props) {
  const Heading = `h${level}` as 'h2' | 'h3' | 'h4' | 'h5';
  const seats = seatsText(activity);
  const cancelled = activity.status === 'cancelled';
  return (
    <article class={cancelled ? 'activity-card activity-cancelled' : 'activity-card'}>
      <Heading class="activity-title">
        <Link href={activityHref(activity.id)}>{activity.title}</Link>
        {cancelled ? <span class="badge badge-cancelled">Cancelled</span> : null}
        {showStatus && !cancelled ? <span class={`badge badge-${activity.status}`}>{statusName(activity.status)}</span> : null}
      </Heading>
      <p class="activity-when">{activityWhen(activity)}</p>
      <p class="muted">
        {formatName(activity.format)} · {hostsText(activity)} · {pdHoursText(activity.pd_hours)}
        {seats ? ` · ${seats}` : ''}
      </p>
    </article>
  );
}
