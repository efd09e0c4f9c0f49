import { useEffect, useState } from 'preact/hooks';
import { ACTIVITY_FORMATS, AUDIENCE_ROLES, ApiError, GRADE_BANDS, SELF_PACED_FORMATS, api, signedOut } from '../api';
import type { Activity, ActivityFormat, ActivityInput, Campaign, FacilitatorInput, Organization } from '../api';
import { audienceRoleName, formatName, gradeBandName } from '../activities';
import { errorsFrom, useForm } from '../forms';
import { useFocusTarget } from '../hooks';
import type { Errors } from '../forms';
import { Checkbox, CheckboxGroup, RadioGroup } from './Choices';
import { Field } from './Field';
import type { Option } from './Field';
import { Form, SubmitButton } from './Form';

// ---------------------------------------------------------------- values of the form

type FacilitatorRow = {
  key: number;
  /** The slug of an existing person, or "" for a new one. */
  person: string;
  /** For an existing person: how they are shown. */
  label: string;
  name: string;
  affiliation: string;
  bio: string;
  email: string;
  role: 'facilitator' | 'speaker';
};

type Repeat = 'none' | '1' | '2' | '3' | '4' | 'custom';

export type ActivityValues = {
  campaign: string;
  title: string;
  description: string;
  format: ActivityFormat | '';
  time_zone: string;
  timing: 'sessions' | 'window';
  start: string;
  duration: string;
  repeat: Repeat;
  count: string;
  recurrence: string;
  available_from: string;
  available_until: string;
  join_url: string;
  capacity: string;
  pd_hours: string;
  roles: string[];
  grade_bands: string[];
  subjects: string;
  themes: string[];
  language: string;
  captions: boolean;
  transcripts: boolean;
  accessibility_notes: string;
  co_hosts: string[];
  facilitators: FacilitatorRow[];
};

let rowKey = 0;
const nextKey = () => (rowKey += 1);

function newFacilitator(): FacilitatorRow {
  return { key: nextKey(), person: '', label: '', name: '', affiliation: '', bio: '', email: '', role: 'facilitator' };
}

export function emptyValues(campaign: Campaign | null): ActivityValues {
  return {
    campaign: campaign?.slug ?? '',
    title: '',
    description: '',
    format: '',
    time_zone: campaign?.time_zone ?? '',
    timing: 'sessions',
    start: '',
    duration: '60',
    repeat: 'none',
    count: '4',
    recurrence: '',
    available_from: '',
    available_until: '',
    join_url: '',
    capacity: '',
    pd_hours: '0',
    roles: [],
    grade_bands: [],
    subjects: '',
    themes: [],
    language: 'en',
    captions: false,
    transcripts: false,
    accessibility_notes: '',
    co_hosts: [],
    facilitators: [],
  };
}

const SIMPLE_RULE = /^FREQ=WEEKLY(?:;INTERVAL=([1-4]))?;COUNT=(\d+)$/;

/** The form's values for an existing activity. */
export function valuesOf(a: Activity): ActivityValues {
  const rule = (a.recurrence ?? '').trim().toUpperCase();
  const simple = SIMPLE_RULE.exec(rule);
  return {
    campaign: a.campaign,
    title: a.title,
    description: a.description ?? '',
    format: a.format,
    time_zone: a.time_zone ?? '',
    timing: a.start ? 'sessions' : a.self_paced || a.available_from ? 'window' : 'sessions',
    start: (a.start ?? '').slice(0, 16),
    duration: a.duration_minutes ? String(a.duration_minutes) : '60',
    repeat: !rule ? 'none' : simple ? ((simple[1] ?? '1') as Repeat) : 'custom',
    count: simple ? (simple[2] ?? '4') : '4',
    recurrence: simple ? '' : (a.recurrence ?? ''),
    available_from: a.available_from ?? '',
    available_until: a.available_until ?? '',
    join_url: a.join_url ?? '',
    capacity: a.capacity === null || a.capacity === undefined ? '' : String(a.capacity),
    pd_hours: String(a.pd_hours ?? 0),
    roles: a.audience?.roles ?? [],
    grade_bands: a.audience?.grade_bands ?? [],
    subjects: (a.audience?.subjects ?? []).join(', '),
    themes: a.themes ?? [],
    language: a.language ?? '',
    captions: !!a.accessibility?.captions,
    transcripts: !!a.accessibility?.transcripts,
    accessibility_notes: a.accessibility?.notes ?? '',
    co_hosts: a.co_hosts.map((c) => c.slug),
    facilitators: a.facilitators.map((f) => ({
      ...newFacilitator(),
      person: f.slug,
      label: f.affiliation ? `${f.name}, ${f.affiliation}` : f.name,
      role: f.role === 'speaker' ? 'speaker' : 'facilitator',
    })),
  };
}

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function recurrenceOf(v: ActivityValues): string | null {
  if (v.repeat === 'none') return null;
  if (v.repeat === 'custom') return v.recurrence.trim() || null;
  const interval = v.repeat === '1' ? '' : `;INTERVAL=${v.repeat}`;
  return `FREQ=WEEKLY${interval};COUNT=${Number(v.count)}`;
}

function facilitatorOf(row: FacilitatorRow): FacilitatorInput {
  if (row.person) return { person: row.person, role: row.role };
  return {
    name: row.name.trim(),
    affiliation: row.affiliation.trim(),
    bio: row.bio.trim(),
    email: row.email.trim(),
    role: row.role,
  };
}

/**
 * The activity the API receives. Fields that do not apply are sent empty ("" or a null
 * start), which clears them when an activity changes between sessions and a self-paced window.
 */
export function inputOf(v: ActivityValues): ActivityInput {
  const sessions = v.timing === 'sessions';
  return {
    campaign: v.campaign,
    title: v.title.trim(),
    description: v.description,
    format: v.format as ActivityFormat,
    time_zone: v.time_zone,
    start: sessions ? v.start : null,
    ...(sessions ? { duration_minutes: Number(v.duration) } : {}),
    recurrence: sessions ? (recurrenceOf(v) ?? '') : '',
    available_from: sessions ? '' : v.available_from,
    available_until: sessions ? '' : v.available_until,
    join_url: v.join_url.trim(),
    capacity: v.capacity.trim() ? Number(v.capacity) : null,
    pd_hours: Number(v.pd_hours || '0'),
    audience: { roles: v.roles, grade_bands: v.grade_bands, subjects: list(v.subjects) },
    themes: v.themes,
    language: v.language.trim(),
    accessibility: {
      captions: v.captions,
      transcripts: v.transcripts,
      notes: v.accessibility_notes.trim(),
    },
    co_hosts: v.co_hosts,
    facilitators: v.facilitators.map(facilitatorOf),
  };
}

// ---------------------------------------------------------------- checks

/** API field names to the ids of the inputs that show them, in the order of the form. */
const IDS: Record<string, string> = {
  campaign: 'activity-campaign',
  title: 'activity-title',
  description: 'activity-description',
  format: 'activity-format',
  time_zone: 'activity-time-zone',
  start: 'activity-start',
  duration_minutes: 'activity-duration',
  recurrence: 'activity-repeat',
  available_from: 'activity-available-from',
  available_until: 'activity-available-until',
  join_url: 'activity-join-url',
  capacity: 'activity-capacity',
  pd_hours: 'activity-pd-hours',
  'audience.roles': 'activity-roles',
  'audience.grade_bands': 'activity-grades',
  'audience.subjects': 'activity-subjects',
  themes: 'activity-themes',
  language: 'activity-language',
  'accessibility.notes': 'activity-accessibility-notes',
  co_hosts: 'activity-co-hosts',
  facilitators: 'activity-facilitators-add',
};

function check(v: ActivityValues, chooseCampaign: boolean): Errors {
  const e: Errors = {};
  if (chooseCampaign && !v.campaign) e.campaign = 'Choose the campaign';
  if (!v.title.trim()) e.title = 'Enter a title';
  if (!v.format) e.format = 'Choose a format';
  if (v.timing === 'window') {
    if (v.format && !SELF_PACED_FORMATS.includes(v.format)) {
      e.format = 'Only online courses, forum discussions and self-paced activities can run without sessions';
    }
    if (!v.available_from) e.available_from = 'Enter the first day';
    if (!v.available_until) e.available_until = 'Enter the last day';
    else if (v.available_from && v.available_until < v.available_from) {
      e.available_until = 'The last day must not be before the first day';
    }
  } else {
    if (!v.start) e.start = 'Enter the date and time of the first session';
    const minutes = Number(v.duration);
    if (!Number.isInteger(minutes) || minutes < 1) e.duration_minutes = 'Enter the length of a session in whole minutes';
    if (v.repeat === 'custom' && !v.recurrence.trim()) e.recurrence = 'Enter a repeat rule, or choose another option';
    const count = Number(v.count);
    if (v.repeat !== 'none' && v.repeat !== 'custom' && (!Number.isInteger(count) || count < 1 || count > 52)) {
      e.recurrence = 'Enter a number of sessions from 1 to 52';
    }
  }
  if (v.join_url.trim() && !/^https?:\/\//i.test(v.join_url.trim())) e.join_url = 'Enter a web address starting with https://';
  if (v.capacity.trim()) {
    const c = Number(v.capacity);
    if (!Number.isInteger(c) || c < 1) e.capacity = 'Enter a whole number of seats, or leave it empty for no limit';
  }
  const hours = Number(v.pd_hours || '0');
  if (!Number.isFinite(hours) || hours < 0 || hours > 100 || Math.round(hours * 4) !== hours * 4) {
    e.pd_hours = 'Enter PD hours from 0 to 100, in quarter hours (for example 1.5)';
  }
  const unnamed = v.facilitators.findIndex((f) => !f.person && !f.name.trim());
  if (unnamed >= 0) e.facilitators = `Enter the name of facilitator ${unnamed + 1}, or remove them`;
  return e;
}

// ---------------------------------------------------------------- parts

const FORMAT_OPTIONS: Option[] = [
  { value: '', label: 'Choose a format' },
  ...ACTIVITY_FORMATS.map((f) => ({ value: f, label: formatName(f) })),
];

const REPEAT_OPTIONS: Option[] = [
  { value: 'none', label: 'Does not repeat' },
  { value: '1', label: 'Every week' },
  { value: '2', label: 'Every 2 weeks' },
  { value: '3', label: 'Every 3 weeks' },
  { value: '4', label: 'Every 4 weeks' },
  { value: 'custom', label: 'Custom rule' },
];

/** Every IANA time zone the browser knows, keeping `current` even when it does not. */
export function timeZones(current: string): Option[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  if (current && !zones.includes(current)) zones = [current, ...zones];
  return zones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));
}

const FACILITATOR_PARTS = ['name', 'affiliation', 'email', 'bio', 'role'] as const;

const facilitatorId = (row: FacilitatorRow, part: string) => `activity-fac-${row.key}-${part}`;

/** The fields of the facilitators as the API names them, to the ids of their inputs. */
function facilitatorIds(rows: FacilitatorRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  rows.forEach((row, i) => {
    out[`facilitators[${i}]`] = facilitatorId(row, 'role');
    for (const part of FACILITATOR_PARTS) {
      if (!row.person || part === 'role') out[`facilitators[${i}].${part}`] = facilitatorId(row, part);
    }
    if (row.person) out[`facilitators[${i}].person`] = facilitatorId(row, 'role');
  });
  return out;
}

/** A problem with one entry of a list ("audience.subjects[1]") shown at the list; facilitators keep theirs. */
function groupField(field: string): string {
  return field.startsWith('facilitators[') ? field : field.replace(/\[\d+\]$/, '');
}

function FacilitatorFields({
  row,
  index,
  errors,
  onChange,
  onRemove,
}: {
  row: FacilitatorRow;
  index: number;
  errors: Errors;
  onChange: (row: FacilitatorRow) => void;
  onRemove: () => void;
}) {
  const id = (name: string) => facilitatorId(row, name);
  const error = (part: string) => errors[`facilitators[${index}].${part}`];
  const set = (patch: Partial<FacilitatorRow>) => onChange({ ...row, ...patch });
  const legend = `Facilitator ${index + 1}`;
  return (
    <fieldset class="sub-fieldset">
      <legend>{legend}</legend>
      {row.person ? (
        <p>{row.label}</p>
      ) : (
        <>
          <Field
            id={id('name')}
            label="Name"
            value={row.name}
            onValue={(name) => set({ name })}
            error={error('name')}
            autoComplete="off"
            required
          />
          <Field
            id={id('affiliation')}
            label="Affiliation"
            value={row.affiliation}
            onValue={(affiliation) => set({ affiliation })}
            error={error('affiliation')}
            autoComplete="off"
            required={false}
          />
          <Field
            id={id('email')}
            label="Email address"
            type="email"
            hint="Not shown to the public."
            value={row.email}
            onValue={(email) => set({ email })}
            error={error('email')}
            autoComplete="off"
            required={false}
          />
          <Field
            id={id('bio')}
            label="Short biography"
            type="textarea"
            value={row.bio}
            onValue={(bio) => set({ bio })}
            error={error('bio')}
            required={false}
          />
        </>
      )}
      <Field
        id={id('role')}
        label="Role"
        type="select"
        options={[
          { value: 'facilitator', label: 'Facilitator' },
          { value: 'speaker', label: 'Speaker' },
        ]}
        value={row.role}
        onValue={(role) => set({ role: role === 'speaker' ? 'speaker' : 'facilitator' })}
        error={error('role') ?? errors[`facilitators[${index}].person`] ?? errors[`facilitators[${index}]`]}
      />
      <button type="button" class="button button-secondary" onClick={onRemove}>
        Remove {row.person ? row.label : legend.toLowerCase()}
      </button>
    </fieldset>
  );
}

// ---------------------------------------------------------------- the form

type Props = {
  /** Campaigns to choose from when `chooseCampaign`; otherwise the activity's own. */
  campaigns: Campaign[];
  chooseCampaign: boolean;
  /** The host organization (never its own co-host). */
  host: string;
  initial: ActivityValues;
  submitLabel: string;
  busyLabel: string;
  onSave: (values: ActivityValues) => Promise<void>;
  onSignedOut: () => void;
};

/** Every field of an activity, for creating one or changing it. */
export function ActivityForm({ campaigns, chooseCampaign, host, initial, submitLabel, busyLabel, onSave, onSignedOut }: Props) {
  const [v, setV] = useState<ActivityValues>(initial);
  const [partners, setPartners] = useState<Organization[]>([]);
  const focus = useFocusTarget();
  const recurrenceId =
    v.repeat === 'custom' ? 'activity-recurrence' : v.repeat === 'none' ? 'activity-repeat' : 'activity-count';
  const fields = { ...IDS, recurrence: recurrenceId, ...facilitatorIds(v.facilitators) };
  const form = useForm(fields);
  const set = <K extends keyof ActivityValues>(key: K, value: ActivityValues[K]) =>
    setV((old) => ({ ...old, [key]: value }));
  const campaign = campaigns.find((c) => c.slug === v.campaign) ?? null;

  useEffect(() => {
    if (!v.campaign) {
      setPartners([]);
      return;
    }
    api.listPartners(v.campaign).then(setPartners, () => setPartners([]));
  }, [v.campaign]);

  const chooseCampaignSlug = (slug: string) => {
    const c = campaigns.find((x) => x.slug === slug);
    setV((old) => ({
      ...old,
      campaign: slug,
      time_zone: c && (!old.time_zone || old.time_zone === campaign?.time_zone) ? c.time_zone : old.time_zone,
      themes: [],
      co_hosts: [],
    }));
  };

  const submit = form.handleSubmit({
    check: () => check(v, chooseCampaign),
    send: () => onSave(v),
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
      const grouped = new ApiError(
        err.status,
        { ...err.problem, errors: err.problem.errors.map((x) => ({ ...x, field: groupField(x.field) })) },
        err.retryAfter,
      );
      const { fieldErrors, summary } = errorsFrom(grouped, fields);
      form.show(fieldErrors, summary);
      return true;
    },
  });

  const e = form.errors;
  const coHostOptions = partners.filter((p) => p.slug !== host).map((p) => ({ value: p.slug, label: p.name }));
  const selfPacedAllowed = !v.format || SELF_PACED_FORMATS.includes(v.format);

  return (
    <Form summary={form.summary} onSubmit={submit}>
      {chooseCampaign ? (
        <Field
          id={IDS.campaign as string}
          label="Campaign"
          type="select"
          hint="Your organization must be an approved partner of the campaign."
          options={[{ value: '', label: 'Choose a campaign' }, ...campaigns.map((c) => ({ value: c.slug, label: c.name }))]}
          value={v.campaign}
          onValue={chooseCampaignSlug}
          error={e.campaign}
          required
        />
      ) : null}
      <Field id="activity-title" label="Title" value={v.title} onValue={(x) => set('title', x)} error={e.title} required maxLength={300} />
      <Field
        id="activity-description"
        label="Description"
        type="textarea"
        hint="Markdown: blank lines between paragraphs, *emphasis*, [links](https://example.org) and lists."
        value={v.description}
        onValue={(x) => set('description', x)}
        error={e.description}
        required={false}
      />
      <Field
        id="activity-format"
        label="Format"
        type="select"
        options={FORMAT_OPTIONS}
        value={v.format}
        onValue={(x) => set('format', x as ActivityFormat | '')}
        error={e.format}
        required
      />

      <fieldset class="field-group">
        <legend>When</legend>
        <RadioGroup
          id="activity-timing"
          legend="How it runs"
          options={[
            { value: 'sessions', label: 'Sessions at set times' },
            { value: 'window', label: 'Self-paced, open between two dates' },
          ]}
          hint={selfPacedAllowed ? undefined : 'Only online courses, forum discussions and self-paced activities can run without sessions.'}
          value={v.timing}
          onValue={(x) => set('timing', x === 'window' ? 'window' : 'sessions')}
        />
        <Field
          id="activity-time-zone"
          label="Time zone"
          type="select"
          hint="The start time and the dates below are in this zone. Educators see times in their own zone."
          options={timeZones(v.time_zone)}
          value={v.time_zone}
          onValue={(x) => set('time_zone', x)}
          error={e.time_zone}
        />
        {v.timing === 'sessions' ? (
          <>
            <Field
              id="activity-start"
              label="First session starts"
              type="datetime-local"
              value={v.start}
              onValue={(x) => set('start', x)}
              error={e.start}
              required
            />
            <Field
              id="activity-duration"
              label="Length of a session, in minutes"
              type="number"
              min={1}
              step={1}
              value={v.duration}
              onValue={(x) => set('duration', x)}
              error={e.duration_minutes}
              required
            />
            <Field
              id="activity-repeat"
              label="Repeats"
              type="select"
              options={REPEAT_OPTIONS}
              value={v.repeat}
              onValue={(x) => set('repeat', x as Repeat)}
              error={v.repeat === 'none' ? e.recurrence : undefined}
            />
            {v.repeat === 'custom' ? (
              <Field
                id="activity-recurrence"
                label="Repeat rule"
                hint="An iCalendar rule, for example FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20120831 (at most 52 sessions)."
                value={v.recurrence}
                onValue={(x) => set('recurrence', x)}
                error={e.recurrence}
                autoComplete="off"
                required
              />
            ) : v.repeat !== 'none' ? (
              <Field
                id="activity-count"
                label="Number of sessions"
                type="number"
                min={1}
                max={52}
                step={1}
                value={v.count}
                onValue={(x) => set('count', x)}
                error={e.recurrence}
                required
              />
            ) : null}
          </>
        ) : (
          <>
            <Field
              id="activity-available-from"
              label="Opens on"
              type="date"
              value={v.available_from}
              onValue={(x) => set('available_from', x)}
              error={e.available_from}
              required
            />
            <Field
              id="activity-available-until"
              label="Closes on"
              type="date"
              value={v.available_until}
              onValue={(x) => set('available_until', x)}
              error={e.available_until}
              required
            />
          </>
        )}
      </fieldset>

      <Field
        id="activity-join-url"
        label="Join link"
        type="url"
        hint="Where participants join, starting with https://"
        value={v.join_url}
        onValue={(x) => set('join_url', x)}
        error={e.join_url}
        required={false}
      />
      <Field
        id="activity-capacity"
        label="Seats"
        type="number"
        min={1}
        step={1}
        hint="Leave empty for no limit. When it is full, new registrations join a waiting list."
        value={v.capacity}
        onValue={(x) => set('capacity', x)}
        error={e.capacity}
        required={false}
      />
      <Field
        id="activity-pd-hours"
        label="PD hours"
        type="number"
        min={0}
        max={100}
        step={0.25}
        hint="Professional development hours offered, in quarter hours; 0 for none."
        value={v.pd_hours}
        onValue={(x) => set('pd_hours', x)}
        error={e.pd_hours}
      />

      <CheckboxGroup
        id="activity-roles"
        legend="Audience"
        inline
        options={AUDIENCE_ROLES.map((r) => ({ value: r, label: audienceRoleName(r) }))}
        values={v.roles}
        onValues={(x) => set('roles', x)}
        error={e['audience.roles']}
      />
      <CheckboxGroup
        id="activity-grades"
        legend="Grade bands"
        inline
        options={GRADE_BANDS.map((g) => ({ value: g, label: gradeBandName(g) }))}
        values={v.grade_bands}
        onValues={(x) => set('grade_bands', x)}
        error={e['audience.grade_bands']}
      />
      <Field
        id="activity-subjects"
        label="Subjects"
        hint="Separate several with commas, for example math, science."
        value={v.subjects}
        onValue={(x) => set('subjects', x)}
        error={e['audience.subjects']}
        autoComplete="off"
        required={false}
      />
      {campaign && campaign.themes.length > 0 ? (
        <CheckboxGroup
          id="activity-themes"
          legend="Campaign themes"
          options={campaign.themes.map((t) => ({ value: t.title, label: t.title }))}
          values={v.themes}
          onValues={(x) => set('themes', x)}
          error={e.themes}
        />
      ) : null}
      <Field
        id="activity-language"
        label="Language"
        hint="A language code, such as en for English or es for Spanish."
        value={v.language}
        onValue={(x) => set('language', x)}
        error={e.language}
        autoComplete="off"
      />

      <fieldset class="field-group">
        <legend>Accessibility</legend>
        <Checkbox id="activity-captions" label="Live captions" checked={v.captions} onChecked={(x) => set('captions', x)} />
        <Checkbox id="activity-transcripts" label="Transcripts" checked={v.transcripts} onChecked={(x) => set('transcripts', x)} />
        <Field
          id="activity-accessibility-notes"
          label="Accessibility notes"
          type="textarea"
          hint="For example sign language interpretation, or materials sent in advance."
          value={v.accessibility_notes}
          onValue={(x) => set('accessibility_notes', x)}
          error={e['accessibility.notes']}
          required={false}
        />
      </fieldset>

      {coHostOptions.length > 0 ? (
        <CheckboxGroup
          id="activity-co-hosts"
          legend="Co-hosts"
          hint="Partner organizations invited to co-host. Their staff confirm before the activity shows as co-hosted."
          options={coHostOptions}
          values={v.co_hosts}
          onValues={(x) => set('co_hosts', x)}
          error={e.co_hosts}
        />
      ) : null}

      <fieldset class="field-group">
        <legend>Facilitators</legend>
        {e.facilitators ? (
          <p class="error-message">
            <span class="visually-hidden">Error: </span>
            {e.facilitators}
          </p>
        ) : null}
        {v.facilitators.length === 0 ? <p class="muted">No facilitators yet.</p> : null}
        {v.facilitators.map((row, i) => (
          <FacilitatorFields
            key={row.key}
            row={row}
            index={i}
            errors={e}
            onChange={(changed) => set('facilitators', v.facilitators.map((r) => (r.key === row.key ? changed : r)))}
            onRemove={() => {
              set('facilitators', v.facilitators.filter((r) => r.key !== row.key));
              focus('activity-facilitators-add');
            }}
          />
        ))}
        <button
          type="button"
          id="activity-facilitators-add"
          class="button button-secondary"
          onClick={() => {
            const row = newFacilitator();
            set('facilitators', [...v.facilitators, row]);
            focus(`activity-fac-${row.key}-name`);
          }}
        >
          Add a facilitator
        </button>
      </fieldset>

      <SubmitButton busy={form.busy} busyLabel={busyLabel}>
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}
