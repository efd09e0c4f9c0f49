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

// ---------------------------------------------------------------- calendars in the viewer's zone

const sessionFormatter = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** A session from start to end, without repeating the day: "Tue, Aug 7, 2012, 9:00 – 10:00 PM GMT+2". */
export function formatSession(startsAt: string, endsAt: string): string {
  const a = new Date(startsAt);
  const b = new Date(endsAt);
  if (Number.isNaN(a.getTime())) return startsAt;
  if (Number.isNaN(b.getTime()) || b.getTime() <= a.getTime()) return sessionFormatter.format(a);
  return sessionFormatter.formatRange(a, b);
}

const timeFormatter = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

/** The time of day alone: "9:00 PM". */
export function formatTime(date: Date): string {
  return timeFormatter.format(date);
}

const dayFormatter = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
});

/** A day as a heading: "Tuesday, August 7, 2012". */
export function formatDay(date: Date): string {
  return dayFormatter.format(date);
}

const shortDayFormatter = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });

/** A day, briefly: "Aug 7, 2012". */
export function formatShortDay(date: Date): string {
  return shortDayFormatter.format(date);
}

const monthFormatter = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });

/** A month as a heading: "August 2012". */
export function formatMonth(date: Date): string {
  return monthFormatter.format(date);
}

const weekdayFormatter = new Intl.DateTimeFormat(undefined, { weekday: 'long' });
const weekdayShortFormatter = new Intl.DateTimeFormat(undefined, { weekday: 'short' });

export function formatWeekday(date: Date, short = false): string {
  return (short ? weekdayShortFormatter : weekdayFormatter).format(date);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The calendar date of a moment in the viewer's time zone: "2012-08-07". */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The month of a moment in the viewer's time zone: "2012-08". */
export function monthKey(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}`;
}

/** Midnight at the start of a "YYYY-MM-DD" date (or "YYYY-MM", its first day) in the viewer's zone. */
export function parseLocalDay(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, m[3] ? Number(m[3]) : 1);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

export function addMonths(date: Date, months: number): Date {
  return new Date(date.getFullYear(), date.getMonth() + months, 1);
}

/** An instant as RFC 3339 in UTC, whole seconds: "2012-08-07T19:00:00Z". */
export function instant(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type WeekInfo = { firstDay: number };
type LocaleWithWeek = Intl.Locale & { getWeekInfo?: () => WeekInfo; weekInfo?: WeekInfo };

/** The first day of the week where the viewer lives, as Date.getDay() counts (0 is Sunday). */
export function firstDayOfWeek(): number {
  try {
    const locale = new Intl.Locale(navigator.language || 'en-US') as LocaleWithWeek;
    const info = locale.getWeekInfo ? locale.getWeekInfo() : locale.weekInfo;
    if (info && info.firstDay >= 1 && info.firstDay <= 7) return info.firstDay % 7;
  } catch {
    // An unknown locale: weeks start on Monday.
  }
  return 1;
}

/** Midnight at the start of the week that holds `date`. */
export function startOfWeek(date: Date, firstDay = firstDayOfWeek()): Date {
  const back = (date.getDay() - firstDay + 7) % 7;
  return addDays(date, -back);
}

/** The weeks (rows of seven days) that cover a month, from the week of its first day. */
export function monthWeeks(month: Date): Date[][] {
  const first = new Date(month.getFullYear(), month.getMonth(), 1);
  const next = addMonths(first, 1);
  const weeks: Date[][] = [];
  let day = startOfWeek(first);
  while (day < next) {
    const week: Date[] = [];
    for (let i = 0; i < 7; i += 1) week.push(addDays(day, i));
    weeks.push(week);
    day = addDays(day, 7);
  }
  return weeks;
}

/** The viewer's time zone, described for a sentence: "Central European Time (Europe/Paris)". */
export function viewerZoneDescription(): string {
  return describeTimeZone(viewerTimeZone());
}
