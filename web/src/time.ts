// Dates are shown in the viewer's own time zone, with the zone name visible.

const formatter = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return formatter.format(d);
}

export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'your local time zone';
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

type CalendarDate = { year: number; month: number; day: number };

function parseDate(value: string): CalendarDate | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { year, month, day };
}

/** A calendar date written out: "1 August 2012". */
export function formatDate(value: string): string {
  const d = parseDate(value);
  return d ? `${d.day} ${MONTHS[d.month - 1]} ${d.year}` : value;
}

/**
 * A range of calendar dates written out without repeating what the two ends share:
 * "1-31 August 2012", "27 August - 2 September 2012", "30 December 2012 - 5 January 2013".
 */
export function formatDateRange(start: string, end: string): string {
  const a = parseDate(start);
  const b = parseDate(end);
  if (!a || !b) return `${formatDate(start)} - ${formatDate(end)}`;
  if (start === end) return formatDate(start);
  if (a.year !== b.year) return `${formatDate(start)} - ${formatDate(end)}`;
  if (a.month !== b.month) return `${a.day} ${MONTHS[a.month - 1]} - ${formatDate(end)}`;
  return `${a.day}-${formatDate(end)}`;
}

/** An IANA time zone with its everyday name when the browser knows one: "Eastern Time (America/New_York)". */
export function describeTimeZone(zone: string): string {
  try {
    const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longGeneric' })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')?.value;
    return name && name !== zone ? `${name} (${zone})` : zone;
  } catch {
    return zone;
  }
}
