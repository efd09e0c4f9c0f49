import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { TargetedSubmitEvent } from 'preact';
import { ACTIVITY_FORMATS, AUDIENCE_ROLES, ApiError, GRADE_BANDS, api, calendarPaths, describeError, webcalUrl } from '../api';
import type { Activity, ActivitySearch, Campaign, Organization } from '../api';
import {
  activityHref,
  audienceRoleName,
  campaignHref,
  formatName,
  gradeBandName,
  languageName,
} from '../activities';
import { ActivityCard } from '../components/ActivityCard';
import { Checkbox, CheckboxGroup, RadioGroup } from '../components/Choices';
import { Field } from '../components/Field';
import type { Option } from '../components/Field';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { Link, replaceQuery } from '../router';
import {
  addDays,
  addMonths,
  dayKey,
  formatDay,
  formatMonth,
  formatShortDay,
  formatTime,
  formatWeekday,
  instant,
  monthKey,
  monthWeeks,
  parseLocalDay,
  startOfWeek,
  viewerZoneDescription,
} from '../time';

// ---------------------------------------------------------------- filters in the address

type View = 'list' | 'month' | 'week';
type Sort = 'start' | 'title' | 'relevance';

type Filters = {
  q: string;
  /** Calendar dates in the viewer's time zone, "YYYY-MM-DD", or "". */
  from: string;
  to: string;
  format: string[];
  theme: string[];
  role: string[];
  grade: string[];
  subject: string[];
  organization: string[];
  language: string[];
  offersHours: boolean;
  includeCancelled: boolean;
  sort: Sort;
};

type Layout = { view: View; /** "YYYY-MM" */ month: string; /** "YYYY-MM-DD", the first day */ week: string };

const EMPTY: Filters = {
  q: '',
  from: '',
  to: '',
  format: [],
  theme: [],
  role: [],
  grade: [],
  subject: [],
  organization: [],
  language: [],
  offersHours: false,
  includeCancelled: false,
  sort: 'start',
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseFilters(search: string): Filters {
  const p = new URLSearchParams(search);
  const all = (k: string) => p.getAll(k).map((v) => v.trim()).filter(Boolean);
  const sort = p.get('sort');
  const q = (p.get('q') ?? '').trim();
  return {
    q,
    from: DATE.test(p.get('from') ?? '') ? (p.get('from') as string) : '',
    to: DATE.test(p.get('to') ?? '') ? (p.get('to') as string) : '',
    format: all('format'),
    theme: all('theme'),
    role: all('role'),
    grade: all('grade'),
    subject: all('subject'),
    organization: all('organization'),
    language: all('language'),
    offersHours: p.get('offers_hours') === 'true',
    includeCancelled: p.get('status') === 'all',
    sort: sort === 'title' || (sort === 'relevance' && q) ? sort : 'start',
  };
}

function parseLayout(search: string): Layout {
  const p = new URLSearchParams(search);
  const view = p.get('view');
  return {
    view: view === 'month' || view === 'week' ? view : 'list',
    month: /^\d{4}-\d{2}$/.test(p.get('month') ?? '') ? (p.get('month') as string) : '',
    week: DATE.test(p.get('week') ?? '') ? (p.get('week') as string) : '',
  };
}

function toQuery(f: Filters, layout: Layout): string {
  const p = new URLSearchParams();
  if (f.q) p.set('q', f.q);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  for (const key of ['format', 'theme', 'role', 'grade', 'subject', 'organization', 'language'] as const) {
    for (const v of f[key]) p.append(key, v);
  }
  if (f.offersHours) p.set('offers_hours', 'true');
  if (f.includeCancelled) p.set('status', 'all');
  if (f.sort !== 'start') p.set('sort', f.sort);
  if (layout.view !== 'list') {
    p.set('view', layout.view);
    if (layout.view === 'month' && layout.month) p.set('month', layout.month);
    if (layout.view === 'week' && layout.week) p.set('week', layout.week);
  }
  return p.toString();
}

/** The search the API understands; dates become instants at the viewer's midnights. */
function toSearch(f: Filters, range?: { from: Date; to: Date }): ActivitySearch | null {
  let from = f.from ? parseLocalDay(f.from) : null;
  let to = f.to ? parseLocalDay(f.to) : null;
  if (to) to = addDays(to, 1);
  if (range) {
    from = from && from > range.from ? from : range.from;
    to = to && to < range.to ? to : range.to;
    if (from >= to) return null;
  }
  return {
    q: f.q || undefined,
    from: from ? instant(from) : undefined,
    to: to ? instant(to) : undefined,
    format: f.format,
    theme: f.theme,
    role: f.role,
    grade: f.grade,
    subject: f.subject,
    organization: f.organization,
    language: f.language,
    offers_hours: f.offersHours || undefined,
    status: f.includeCancelled ? 'all' : undefined,
    sort: f.sort === 'relevance' && !f.q ? 'start' : f.sort,
  };
}

function activeFilterCount(f: Filters): number {
  return (
    (f.from ? 1 : 0) +
    (f.to ? 1 : 0) +
    f.format.length +
    f.theme.length +
    f.role.length +
    f.grade.length +
    f.subject.length +
    f.organization.length +
    f.language.length +
    (f.offersHours ? 1 : 0) +
    (f.includeCancelled ? 1 : 0)
  );
}

// ---------------------------------------------------------------- the filter form

const COMMON_LANGUAGES = ['en', 'es', 'fr', 'de', 'pt', 'zh', 'ar', 'vi', 'ko', 'ht', 'ru', 'ja'];

function FilterForm({
  campaign,
  partners,
  initial,
  onApply,
}: {
  campaign: Campaign;
  partners: Organization[];
  initial: Filters;
  onApply: (f: Filters) => void;
}) {
  const [f, setF] = useState<Filters>(initial);
  const [subjects, setSubjects] = useState(initial.subject.join(', '));
  const [dateError, setDateError] = useState<string | undefined>(undefined);
  const set = <K extends keyof Filters>(key: K, value: Filters[K]) => setF((old) => ({ ...old, [key]: value }));

  const submit = (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (f.from && f.to && f.to < f.from) {
      setDateError('The end date must not be before the start date');
      document.getElementById('filter-to')?.focus();
      return;
    }
    setDateError(undefined);
    const subject = subjects
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const q = f.q.trim();
    onApply({ ...f, q, subject, sort: f.sort === 'relevance' && !q ? 'start' : f.sort });
  };

  const clear = () => {
    setF(EMPTY);
    setSubjects('');
    setDateError(undefined);
    onApply(EMPTY);
  };

  const languages = [...new Set([...COMMON_LANGUAGES, ...f.language])];
  const sortOptions: Option[] = [
    { value: 'start', label: 'Start time' },
    { value: 'title', label: 'Title' },
    ...(f.q.trim() ? [{ value: 'relevance', label: 'Best match' }] : []),
  ];
  const active = activeFilterCount(initial);

  return (
    <form class="catalog-search" role="search" aria-label="Activities" onSubmit={submit} noValidate>
      <div class="search-row">
        <Field
          id="filter-q"
          label="Search activities"
          type="search"
          hint="Words from the title, description, host or facilitators."
          value={f.q}
          onValue={(v) => set('q', v)}
          autoComplete="off"
        />
        <Field
          id="filter-sort"
          label="Sort by"
          type="select"
          options={sortOptions}
          value={f.sort === 'relevance' && !f.q.trim() ? 'start' : f.sort}
          onValue={(v) => set('sort', v as Sort)}
        />
        <button type="submit" class="button search-button">
          Search
        </button>
      </div>
      <details class="filters" open={active > 0}>
        <summary>
          Filters{active > 0 ? ` (${active} in use)` : ''}
        </summary>
        <div class="filter-grid">
          <div>
            <Field
              id="filter-from"
              label="From date"
              type="date"
              hint="In your time zone."
              value={f.from}
              onValue={(v) => set('from', v)}
              required={false}
            />
            <Field
              id="filter-to"
              label="To date"
              type="date"
              value={f.to}
              onValue={(v) => set('to', v)}
              error={dateError}
              required={false}
            />
            <Field
              id="filter-theme"
              label="Theme"
              type="select"
              options={[{ value: '', label: 'Any theme' }, ...campaign.themes.map((t) => ({ value: t.title, label: t.title }))]}
              value={f.theme[0] ?? ''}
              onValue={(v) => set('theme', v ? [v] : [])}
            />
            <Field
              id="filter-organization"
              label="Organization"
              type="select"
              options={[
                { value: '', label: 'Any organization' },
                ...partners.map((o) => ({ value: o.slug, label: o.name })),
                ...f.organization
                  .filter((slug) => !partners.some((o) => o.slug === slug))
                  .map((slug) => ({ value: slug, label: slug })),
              ]}
              value={f.organization[0] ?? ''}
              onValue={(v) => set('organization', v ? [v] : [])}
            />
            <Field
              id="filter-language"
              label="Language"
              type="select"
              options={[{ value: '', label: 'Any language' }, ...languages.map((l) => ({ value: l, label: languageName(l) }))]}
              value={f.language[0] ?? ''}
              onValue={(v) => set('language', v ? [v] : [])}
            />
            <Field
              id="filter-subject"
              label="Subject"
              hint="For example math or science; separate several with commas."
              value={subjects}
              onValue={setSubjects}
              autoComplete="off"
              required={false}
            />
          </div>
          <div>
            <CheckboxGroup
              id="filter-format"
              legend="Format"
              options={ACTIVITY_FORMATS.map((v) => ({ value: v, label: formatName(v) }))}
              values={f.format}
              onValues={(v) => set('format', v)}
            />
            <Checkbox
              id="filter-hours"
              label="Offers PD hours"
              checked={f.offersHours}
              onChecked={(v) => set('offersHours', v)}
            />
            <Checkbox
              id="filter-cancelled"
              label="Include cancelled activities"
              checked={f.includeCancelled}
              onChecked={(v) => set('includeCancelled', v)}
            />
          </div>
          <div>
            <CheckboxGroup
              id="filter-role"
              legend="Audience"
              options={AUDIENCE_ROLES.map((v) => ({ value: v, label: audienceRoleName(v) }))}
              values={f.role}
              onValues={(v) => set('role', v)}
            />
            <CheckboxGroup
              id="filter-grade"
              legend="Grade band"
              options={GRADE_BANDS.map((v) => ({ value: v, label: gradeBandName(v) }))}
              values={f.grade}
              onValues={(v) => set('grade', v)}
            />
          </div>
        </div>
        <div class="actions">
          <button type="submit" class="button">
            Apply filters
          </button>
          <button type="button" class="button button-secondary" onClick={clear}>
            Clear all
          </button>
        </div>
      </details>
    </form>
  );
}

// ---------------------------------------------------------------- results

/** The moment an activity is placed at in the agenda: its first session still running in the range. */
function agendaMoment(a: Activity, from: Date | null): Date | null {
  const session = a.sessions.find((s) => !from || new Date(s.ends_at) > from) ?? a.sessions[0];
  if (session) return new Date(session.starts_at);
  return a.available_from ? parseLocalDay(a.available_from) : null;
}

function Agenda({ items, grouped, from }: { items: Activity[]; grouped: boolean; from: Date | null }) {
  if (!grouped) {
    return (
      <ul class="activity-list" aria-label="Activities">
        {items.map((a) => (
          <li key={a.id} id={`result-${a.id}`} tabIndex={-1}>
            <ActivityCard activity={a} level={3} />
          </li>
        ))}
      </ul>
    );
  }
  const groups: { key: string; date: Date | null; items: Activity[] }[] = [];
  for (const a of items) {
    const when = agendaMoment(a, from);
    const key = when ? dayKey(when) : 'undated';
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.items.push(a);
    else groups.push({ key, date: when, items: [a] });
  }
  return (
    <div class="agenda">
      {groups.map((g, i) => (
        <section key={`${g.key}-${i}`} aria-labelledby={`day-${i}`}>
          <h3 id={`day-${i}`} class="agenda-day">
            {g.date ? formatDay(g.date) : 'Date to be announced'}
          </h3>
          <ul class="activity-list" aria-labelledby={`day-${i}`}>
            {g.items.map((a) => (
              <li key={a.id} id={`result-${a.id}`} tabIndex={-1}>
                <ActivityCard activity={a} level={4} />
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

type Placed = { activity: Activity; start: Date; end: Date };

/** Each session of the activities, on the day (in the viewer's zone) it begins. */
function sessionsByDay(items: Activity[]): Map<string, Placed[]> {
  const byDay = new Map<string, Placed[]>();
  for (const activity of items) {
    for (const s of activity.sessions) {
      const start = new Date(s.starts_at);
      const key = dayKey(start);
      const list = byDay.get(key) ?? [];
      list.push({ activity, start, end: new Date(s.ends_at) });
      byDay.set(key, list);
    }
  }
  for (const list of byDay.values()) list.sort((a, b) => a.start.getTime() - b.start.getTime());
  return byDay;
}

function SelfPaced({ items, during }: { items: Activity[]; during: string }) {
  const open = items.filter((a) => a.sessions.length === 0);
  if (open.length === 0) return null;
  return (
    <section aria-labelledby="self-paced-heading" class="self-paced">
      <h4 id="self-paced-heading">Self-paced activities open during {during}</h4>
      <ul class="activity-list" aria-labelledby="self-paced-heading">
        {open.map((a) => (
          <li key={a.id}>
            <ActivityCard activity={a} level={5} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function SessionLink({ placed, withEnd }: { placed: Placed; withEnd?: boolean }) {
  const { activity, start, end } = placed;
  return (
    <Link href={activityHref(activity.id)}>
      <span class="session-time">
        {formatTime(start)}
        {withEnd ? ` – ${formatTime(end)}` : ''}
      </span>{' '}
      {activity.title}
      {activity.status === 'cancelled' ? ' (cancelled)' : ''}
    </Link>
  );
}

function MonthGrid({ month, items }: { month: Date; items: Activity[] }) {
  const weeks = monthWeeks(month);
  const byDay = sessionsByDay(items);
  const today = dayKey(new Date());
  const header = weeks[0] ?? [];
  return (
    <>
      <table class="month-grid">
        <caption class="visually-hidden">Sessions in {formatMonth(month)}</caption>
        <thead>
          <tr>
            {header.map((d) => (
              <th key={d.getDay()} scope="col" abbr={formatWeekday(d)}>
                {formatWeekday(d, true)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week) => (
            <tr key={dayKey(week[0] as Date)}>
              {week.map((d) => {
                const key = dayKey(d);
                const inMonth = d.getMonth() === month.getMonth();
                const sessions = inMonth ? (byDay.get(key) ?? []) : [];
                const isToday = inMonth && key === today;
                return (
                  <td
                    key={key}
                    class={[inMonth ? '' : 'outside', sessions.length ? 'busy' : '', isToday ? 'today' : '']
                      .filter(Boolean)
                      .join(' ')}
                    aria-current={isToday ? 'date' : undefined}
                  >
                    {inMonth ? (
                      <>
                        <span class="day-number">
                          <span aria-hidden="true">{d.getDate()}</span>
                          <span class="visually-hidden">{formatDay(d)}</span>
                        </span>
                        {sessions.length > 0 ? (
                          <ul>
                            {sessions.map((p, i) => (
                              <li key={`${p.activity.id}-${i}`}>
                                <SessionLink placed={p} />
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <SelfPaced items={items} during={formatMonth(month)} />
    </>
  );
}

function WeekDays({ week, items }: { week: Date; items: Activity[] }) {
  const byDay = sessionsByDay(items);
  const today = dayKey(new Date());
  const days = Array.from({ length: 7 }, (_, i) => addDays(week, i));
  return (
    <>
      <ol class="week-days" aria-label={`Week of ${formatDay(week)}`}>
        {days.map((d) => {
          const key = dayKey(d);
          const sessions = byDay.get(key) ?? [];
          return (
            <li key={key} class={key === today ? 'today' : undefined} aria-current={key === today ? 'date' : undefined}>
              <h4 class="week-day">{formatDay(d)}</h4>
              {sessions.length === 0 ? (
                <p class="muted">No sessions</p>
              ) : (
                <ul>
                  {sessions.map((p, i) => (
                    <li key={`${p.activity.id}-${i}`}>
                      <SessionLink placed={p} withEnd />
                      <span class="muted"> · {p.activity.host.name}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
      <SelfPaced items={items} during={`the week of ${formatShortDay(week)}`} />
    </>
  );
}

function ViewSwitch({ view, onView }: { view: View; onView: (v: View) => void }) {
  return (
    <RadioGroup
      id="view"
      legend="Show as"
      inline
      options={[
        { value: 'list', label: 'List' },
        { value: 'month', label: 'Month' },
        { value: 'week', label: 'Week' },
      ]}
      value={view}
      onValue={(v) => onView(v as View)}
    />
  );
}

function PeriodNav({
  label,
  previous,
  next,
  onPrevious,
  onNext,
}: {
  label: string;
  previous: string;
  next: string;
  onPrevious: () => void;
  onNext: () => void;
}) {
  return (
    <div class="period-nav">
      <button type="button" class="button button-secondary" onClick={onPrevious}>
        <span aria-hidden="true">‹ </span>
        {previous}
      </button>
      <h3 id="period-heading" class="period-label">
        {label}
      </h3>
      <button type="button" class="button button-secondary" onClick={onNext}>
        {next}
        <span aria-hidden="true"> ›</span>
      </button>
    </div>
  );
}

/** The month or week to show first: the one of today while the campaign runs, else its first. */
function initialDay(campaign: Campaign): Date {
  const today = new Date();
  const start = parseLocalDay(campaign.starts_on);
  const end = parseLocalDay(campaign.ends_on);
  if (start && end && (today < start || today > addDays(end, 1))) return start;
  return today;
}

/** Pages through a bounded search to its end (a month or a week holds a limited number of activities). */
async function searchAll(slug: string, search: ActivitySearch): Promise<Activity[]> {
  const items: Activity[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i += 1) {
    const page: { items: Activity[]; next: string | null } = await api.searchActivities(slug, {
      ...search,
      limit: 100,
      cursor,
    });
    items.push(...page.items);
    cursor = page.next;
    if (!cursor) break;
  }
  return items;
}

const PAGE_SIZE = 20;

function Results({ campaign, filters, layout, onLayout }: {
  campaign: Campaign;
  filters: Filters;
  layout: Layout;
  onLayout: (l: Layout) => void;
}) {
  const [items, setItems] = useState<Activity[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [focusId, setFocusId] = useState<string | null>(null);
  const generation = useRef(0);

  const first = initialDay(campaign);
  const month = parseLocalDay(layout.month) ?? new Date(first.getFullYear(), first.getMonth(), 1);
  const week = startOfWeek(parseLocalDay(layout.week) ?? first);
  const range =
    layout.view === 'month'
      ? { from: month, to: addMonths(month, 1) }
      : layout.view === 'week'
        ? { from: week, to: addDays(week, 7) }
        : undefined;
  const rangeKey = range ? `${instant(range.from)}/${instant(range.to)}` : '';

  useEffect(() => {
    const mine = ++generation.current;
    setItems(null);
    setNext(null);
    setError(null);
    const search = toSearch(filters, range);
    const run = async () => {
      if (!search) return { items: [], next: null };
      if (range) return { items: await searchAll(campaign.slug, search), next: null };
      return api.searchActivities(campaign.slug, { ...search, limit: PAGE_SIZE });
    };
    run().then(
      (page) => {
        if (mine !== generation.current) return;
        setItems(page.items);
        setNext(page.next);
      },
      (err: unknown) => {
        if (mine !== generation.current) return;
        setError(err instanceof ApiError && err.status === 400 ? `The search was not understood: ${describeError(err)}` : describeError(err));
        setItems([]);
      },
    );
  }, [campaign.slug, JSON.stringify(filters), layout.view, rangeKey]);

  useLayoutEffect(() => {
    if (focusId) {
      document.getElementById(focusId)?.focus();
      setFocusId(null);
    }
  }, [focusId]);

  const more = async () => {
    if (!next || loadingMore) return;
    const search = toSearch(filters);
    if (!search) return;
    setLoadingMore(true);
    const mine = generation.current;
    try {
      const page = await api.searchActivities(campaign.slug, { ...search, limit: PAGE_SIZE, cursor: next });
      if (mine !== generation.current) return;
      setItems((old) => [...(old ?? []), ...page.items]);
      setNext(page.next);
      const first = page.items[0];
      if (first) setFocusId(`result-${first.id}`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setLoadingMore(false);
    }
  };

  const count = items?.length ?? 0;
  const noun = count === 1 ? 'activity' : 'activities';
  const summary =
    items === null
      ? 'Loading activities…'
      : error
        ? ''
        : layout.view === 'list'
          ? count === 0
            ? 'No activities match.'
            : `Showing ${count} ${noun}${next ? '; more are available' : ''}.`
          : count === 0
            ? `No activities ${layout.view === 'month' ? 'this month' : 'this week'} match.`
            : `${count} ${noun} ${layout.view === 'month' ? 'this month' : 'this week'}.`;

  const setView = (view: View) => onLayout({ ...layout, view });

  return (
    <section class="results" aria-labelledby="results-heading">
      <div class="results-bar">
        <h2 id="results-heading">Activities</h2>
        <ViewSwitch view={layout.view} onView={setView} />
      </div>
      {layout.view === 'month' ? (
        <PeriodNav
          label={formatMonth(month)}
          previous="Previous month"
          next="Next month"
          onPrevious={() => onLayout({ ...layout, month: monthKey(addMonths(month, -1)) })}
          onNext={() => onLayout({ ...layout, month: monthKey(addMonths(month, 1)) })}
        />
      ) : layout.view === 'week' ? (
        <PeriodNav
          label={`Week of ${formatShortDay(week)}`}
          previous="Previous week"
          next="Next week"
          onPrevious={() => onLayout({ ...layout, week: dayKey(addDays(week, -7)) })}
          onNext={() => onLayout({ ...layout, week: dayKey(addDays(week, 7)) })}
        />
      ) : null}
      <Status>{summary}</Status>
      {error ? <p class="notice notice-error">Could not load the activities. {error}</p> : null}
      {items && items.length > 0 ? (
        layout.view === 'month' ? (
          <MonthGrid month={month} items={items} />
        ) : layout.view === 'week' ? (
          <WeekDays week={week} items={items} />
        ) : (
          <Agenda
            items={items}
            grouped={filters.sort === 'start'}
            from={filters.from ? parseLocalDay(filters.from) : null}
          />
        )
      ) : null}
      {layout.view === 'list' && next ? (
        <button
          type="button"
          class="button button-secondary"
          onClick={() => void more()}
          aria-disabled={loadingMore ? 'true' : undefined}
        >
          {loadingMore ? 'Loading more…' : 'Show more'}
        </button>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------- page

export function Catalog({ slug, search }: { slug: string; search: string }) {
  const [campaign, setCampaign] = useState<Campaign | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [partners, setPartners] = useState<Organization[]>([]);
  const [filters, setFilters] = useState<Filters>(() => parseFilters(search));
  const [layout, setLayout] = useState<Layout>(() => parseLayout(search));

  useEffect(() => {
    api.getCampaign(slug).then(setCampaign, (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) setCampaign(null);
      else setLoadError(describeError(err));
    });
    api.listPartners(slug).then(setPartners, () => setPartners([]));
  }, [slug]);

  const update = (f: Filters, l: Layout) => {
    setFilters(f);
    setLayout(l);
    replaceQuery(toQuery(f, l));
  };

  const title = campaign ? `Activities of ${campaign.name}` : campaign === null ? 'Campaign not found' : 'Activities';

  return (
    <Page title={title}>
      {campaign ? (
        <>
          <p>
            <Link href={campaignHref(slug)}>About {campaign.name}</Link>
          </p>
          <p class="notice zone-notice">
            Times are shown in your time zone: <strong>{viewerZoneDescription()}</strong>.
          </p>
          <FilterForm campaign={campaign} partners={partners} initial={filters} onApply={(f) => update(f, layout)} />
          <Results campaign={campaign} filters={filters} layout={layout} onLayout={(l) => update(filters, l)} />
          <section aria-labelledby="feeds-heading" class="feeds">
            <h2 id="feeds-heading">Take the catalog with you</h2>
            <ul>
              <li>
                <a href={webcalUrl(calendarPaths.campaign(slug))}>Subscribe to the campaign calendar</a>
              </li>
              <li>
                <a href={`/api/v1/campaigns/${encodeURIComponent(slug)}/activities/export?format=csv`} download>
                  Download every approved activity (CSV)
                </a>
              </li>
            </ul>
          </section>
        </>
      ) : campaign === null ? (
        <>
          <p>There is no campaign called “{slug}”. It may have been removed, or the address may be wrong.</p>
          <p>
            <Link href="/campaigns">See all campaigns</Link>
          </p>
        </>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the campaign. {loadError}</p>
      ) : (
        <p role="status">Loading activities…</p>
      )}
    </Page>
  );
}
