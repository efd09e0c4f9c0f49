import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeError, signedOut } from '../api';
import { Field } from '../components/Field';
import type { Option } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { OWNER_TYPES, RULE_KINDS, credentialHref, credentialsApi, ownerTypeName, ruleKindName } from '../credentials';
import type { Achievement, AchievementInput, AwardRule, OwnerType, RuleKind } from '../credentials';
import { errorsFrom, useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link, navigate } from '../router';
import { useSession } from '../session';

// ---------------------------------------------------------------- values of the form

type AlignmentRow = {
  key: number;
  target_name: string;
  target_url: string;
  target_framework: string;
  target_code: string;
};

type Values = {
  owner_type: OwnerType;
  owner: string;
  slug: string;
  name: string;
  description: string;
  criteria: string;
  image_url: string;
  hours: string;
  tags: string;
  alignments: AlignmentRow[];
  valid_days: string;
  rule: RuleKind | '';
  activity: string;
  campaign: string;
  rule_hours: string;
  district: string;
  tier: string;
  /** One activity id a line. */
  activities: string;
};

let rowKey = 0;
const nextKey = () => (rowKey += 1);

function newAlignment(): AlignmentRow {
  return { key: nextKey(), target_name: '', target_url: '', target_framework: '', target_code: '' };
}

function emptyValues(search: string): Values {
  const q = new URLSearchParams(search);
  const type = q.get('owner_type');
  return {
    owner_type: OWNER_TYPES.includes(type as OwnerType) ? (type as OwnerType) : 'campaign',
    owner: q.get('owner') ?? '',
    slug: '',
    name: '',
    description: '',
    criteria: '',
    image_url: '',
    hours: '',
    tags: '',
    alignments: [],
    valid_days: '',
    rule: '',
    activity: '',
    campaign: type === 'campaign' ? (q.get('owner') ?? '') : '',
    rule_hours: '',
    district: type === 'district' ? (q.get('owner') ?? '') : '',
    tier: '',
    activities: '',
  };
}

const numberText = (n: number | null | undefined) => (n === null || n === undefined ? '' : String(n));

function valuesOf(a: Achievement): Values {
  const r = a.rule;
  return {
    owner_type: a.owner_type,
    owner: a.owner,
    slug: a.slug,
    name: a.name,
    description: a.description ?? '',
    criteria: a.criteria ?? '',
    image_url: a.image_url ?? '',
    hours: numberText(a.hours),
    tags: (a.tags ?? []).join(', '),
    alignments: (a.alignments ?? []).map((x) => ({
      key: nextKey(),
      target_name: x.target_name ?? '',
      target_url: x.target_url ?? '',
      target_framework: x.target_framework ?? '',
      target_code: x.target_code ?? '',
    })),
    valid_days: numberText(a.valid_days),
    rule: r ? r.kind : '',
    activity: r?.kind === 'attended_activity' ? String(r.activity) : '',
    campaign: r?.kind === 'campaign_hours' ? r.campaign : '',
    rule_hours: r?.kind === 'campaign_hours' ? numberText(r.hours) : '',
    district: r?.kind === 'approved_claim' ? r.district : '',
    tier: r?.kind === 'approved_claim' ? (r.tier ?? '') : '',
    activities: r?.kind === 'series' ? r.activities.map(String).join('\n') : '',
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function ruleOf(v: Values): AwardRule {
  switch (v.rule) {
    case 'attended_activity':
      return { kind: 'attended_activity', activity: v.activity.trim() };
    case 'campaign_hours':
      return { kind: 'campaign_hours', campaign: v.campaign.trim(), hours: Number(v.rule_hours) };
    case 'approved_claim':
      return { kind: 'approved_claim', district: v.district.trim(), tier: v.tier.trim() || null };
    case 'series':
      return { kind: 'series', activities: lines(v.activities) };
    default:
      return null;
  }
}

function inputOf(v: Values): AchievementInput {
  return {
    owner_type: v.owner_type,
    owner: v.owner.trim(),
    slug: v.slug.trim(),
    name: v.name.trim(),
    description: v.description.trim(),
    criteria: v.criteria.trim(),
    image_url: v.image_url.trim() || null,
    hours: v.hours.trim() ? Number(v.hours) : null,
    tags: [...new Set(v.tags.split(',').map((t) => t.trim()).filter(Boolean))],
    alignments: v.alignments.map((row) => ({
      target_name: row.target_name.trim(),
      target_url: row.target_url.trim(),
      target_framework: row.target_framework.trim() || null,
      target_code: row.target_code.trim() || null,
    })),
    valid_days: v.valid_days.trim() ? Number(v.valid_days) : null,
    rule: ruleOf(v),
  };
}

// ---------------------------------------------------------------- fields and their problems

const IDS = {
  owner_type: 'achievement-owner-type',
  owner: 'achievement-owner',
  slug: 'achievement-slug',
  name: 'achievement-name',
  description: 'achievement-description',
  criteria: 'achievement-criteria',
  image_url: 'achievement-image-url',
  hours: 'achievement-hours',
  tags: 'achievement-tags',
  alignments: 'achievement-alignments-add',
  valid_days: 'achievement-valid-days',
  rule: 'achievement-rule',
  'rule.activity': 'achievement-rule-activity',
  'rule.campaign': 'achievement-rule-campaign',
  'rule.hours': 'achievement-rule-hours',
  'rule.district': 'achievement-rule-district',
  'rule.tier': 'achievement-rule-tier',
  'rule.activities': 'achievement-rule-activities',
};

const LABELS: Record<string, string> = {
  owner_type: 'Offered by',
  owner: 'Short name of the owner',
  slug: 'Short name',
  name: 'Name',
  description: 'Description',
  criteria: 'Criteria',
  image_url: 'Image address',
  hours: 'Hours of learning',
  tags: 'Tags',
  alignments: 'Alignments',
  valid_days: 'Valid for (days)',
  rule: 'Award rule',
  'rule.kind': 'Award rule',
  'rule.activity': 'Activity',
  'rule.campaign': 'Campaign',
  'rule.hours': 'Hours in the campaign',
  'rule.district': 'District',
  'rule.tier': 'Tier',
  'rule.activities': 'Activities of the series',
};

const ALIGNMENT_PARTS = {
  target_name: 'name of the standard',
  target_url: 'address of the standard',
  target_framework: 'framework',
  target_code: 'code in the framework',
} as const;

type AlignmentPart = keyof typeof ALIGNMENT_PARTS;

const alignmentId = (row: AlignmentRow, part: AlignmentPart) => `achievement-alignment-${row.key}-${part}`;

/** The fields the form shows now, as the API names them, to their inputs, in the order of the form. */
function fieldIds(v: Values): Record<string, string> {
  const out: Record<string, string> = {
    owner_type: IDS.owner_type,
    owner: IDS.owner,
    slug: IDS.slug,
    name: IDS.name,
    description: IDS.description,
    criteria: IDS.criteria,
    image_url: IDS.image_url,
    hours: IDS.hours,
    tags: IDS.tags,
  };
  v.alignments.forEach((row, i) => {
    for (const part of Object.keys(ALIGNMENT_PARTS) as AlignmentPart[]) out[`alignments[${i}].${part}`] = alignmentId(row, part);
  });
  out.alignments = IDS.alignments;
  out.valid_days = IDS.valid_days;
  out.rule = IDS.rule;
  out['rule.kind'] = IDS.rule;
  if (v.rule === 'attended_activity') out['rule.activity'] = IDS['rule.activity'];
  if (v.rule === 'campaign_hours') {
    out['rule.campaign'] = IDS['rule.campaign'];
    out['rule.hours'] = IDS['rule.hours'];
  }
  if (v.rule === 'approved_claim') {
    out['rule.district'] = IDS['rule.district'];
    out['rule.tier'] = IDS['rule.tier'];
  }
  if (v.rule === 'series') out['rule.activities'] = IDS['rule.activities'];
  return out;
}

/** The summary's names of the fields, with each alignment's own. */
function labelsOf(v: Values): Record<string, string> {
  const out = { ...LABELS };
  v.alignments.forEach((_, i) => {
    out[`alignments[${i}]`] = `Alignment ${i + 1}`;
    for (const [part, word] of Object.entries(ALIGNMENT_PARTS)) out[`alignments[${i}].${part}`] = `Alignment ${i + 1}, ${word}`;
  });
  return out;
}

/**
 * Where a problem the server names is shown: one tag or one activity of a series at its
 * box ("tags[2]"), a whole alignment at its name.
 */
function groupField(field: string): string {
  const row = /^alignments\[(\d+)\]$/.exec(field);
  if (row) return `alignments[${row[1]}].target_name`;
  if (/^tags\[\d+\]$/.test(field)) return 'tags';
  if (/^rule\.activities\[\d+\]$/.test(field)) return 'rule.activities';
  return field;
}

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const isWebUrl = (s: string) => /^https?:\/\/\S+$/i.test(s);

function check(v: Values): Errors {
  const e: Errors = {};
  if (!v.owner.trim()) e.owner = `Enter the short name of the ${ownerTypeName(v.owner_type).toLowerCase()}`;
  const slug = v.slug.trim();
  if (!slug) e.slug = 'Enter a short name';
  else if (!SLUG.test(slug) || slug.length < 2 || slug === 'new') {
    e.slug = 'Short name: use lower-case letters, digits and single hyphens, at least 2 characters (not “new”)';
  }
  if (!v.name.trim()) e.name = 'Enter the achievement’s name';
  if (!v.description.trim()) e.description = 'Enter a description';
  if (!v.criteria.trim()) e.criteria = 'Enter the criteria: what earns the achievement';
  if (v.image_url.trim() && !isWebUrl(v.image_url.trim())) e.image_url = 'Enter an image address starting with https://';
  if (v.hours.trim()) {
    const h = Number(v.hours);
    if (!Number.isFinite(h) || h < 0) e.hours = 'Enter hours as a number such as 1.5, or leave it empty';
  }
  v.alignments.forEach((row, i) => {
    if (!row.target_name.trim()) e[`alignments[${i}].target_name`] = `Enter the name of alignment ${i + 1}, or remove it`;
    if (!row.target_url.trim()) e[`alignments[${i}].target_url`] = `Enter the address of alignment ${i + 1}`;
    else if (!isWebUrl(row.target_url.trim())) e[`alignments[${i}].target_url`] = 'Enter an address starting with https://';
  });
  if (v.valid_days.trim()) {
    const d = Number(v.valid_days);
    if (!Number.isInteger(d) || d < 1) e.valid_days = 'Enter a whole number of days, or leave it empty for no expiry';
  }
  if (v.rule === 'attended_activity' && !v.activity.trim()) e['rule.activity'] = 'Enter the activity’s id';
  if (v.rule === 'campaign_hours') {
    if (!v.campaign.trim()) e['rule.campaign'] = 'Enter the short name of the campaign';
    const h = Number(v.rule_hours);
    if (!v.rule_hours.trim() || !Number.isFinite(h) || h <= 0) e['rule.hours'] = 'Enter the hours of learning needed, more than 0';
  }
  if (v.rule === 'approved_claim' && !v.district.trim()) e['rule.district'] = 'Enter the short name of the district';
  if (v.rule === 'series' && lines(v.activities).length === 0) e['rule.activities'] = 'Enter the id of each activity, one a line';
  return e;
}

// ---------------------------------------------------------------- parts

function AlignmentFields({
  row,
  index,
  errors,
  onChange,
  onRemove,
}: {
  row: AlignmentRow;
  index: number;
  errors: Errors;
  onChange: (row: AlignmentRow) => void;
  onRemove: () => void;
}) {
  const error = (part: AlignmentPart) => errors[`alignments[${index}].${part}`];
  const set = (patch: Partial<AlignmentRow>) => onChange({ ...row, ...patch });
  const legend = `Alignment ${index + 1}`;
  return (
    <fieldset class="sub-fieldset">
      <legend>{legend}</legend>
      <div class="field-row">
        <Field
          id={alignmentId(row, 'target_name')}
          label="Name of the standard"
          hint="A standard, competency or outcome, for example “Collaborator”."
          value={row.target_name}
          onValue={(target_name) => set({ target_name })}
          error={error('target_name')}
          autoComplete="off"
          required
          maxLength={300}
        />
        <Field
          id={alignmentId(row, 'target_url')}
          label="Address of the standard"
          type="url"
          hint="Where it is described, starting with https://"
          value={row.target_url}
          onValue={(target_url) => set({ target_url })}
          error={error('target_url')}
          autoComplete="off"
          required
        />
      </div>
      <div class="field-row">
        <Field
          id={alignmentId(row, 'target_framework')}
          label="Framework"
          hint="For example ISTE Standards for Educators."
          value={row.target_framework}
          onValue={(target_framework) => set({ target_framework })}
          error={error('target_framework')}
          autoComplete="off"
          required={false}
          maxLength={300}
        />
        <Field
          id={alignmentId(row, 'target_code')}
          label="Code in the framework"
          hint="For example 2.4.b."
          value={row.target_code}
          onValue={(target_code) => set({ target_code })}
          error={error('target_code')}
          autoComplete="off"
          required={false}
          maxLength={100}
        />
      </div>
      <button type="button" class="button button-secondary" onClick={onRemove}>
        Remove {legend.toLowerCase()}
      </button>
    </fieldset>
  );
}

const OWNER_OPTIONS: Option[] = [
  { value: 'campaign', label: 'A campaign' },
  { value: 'organization', label: 'A partner organization' },
  { value: 'district', label: 'A district' },
];

const RULE_OPTIONS: Option[] = [
  { value: '', label: 'None: awarded by hand only' },
  ...RULE_KINDS.map((k) => ({ value: k, label: ruleKindName(k) })),
];

function AchievementForm({
  initial,
  submitLabel,
  busyLabel,
  onSave,
  onSignedOut,
}: {
  initial: Values;
  submitLabel: string;
  busyLabel: string;
  onSave: (input: AchievementInput) => Promise<void>;
  onSignedOut: () => void;
}) {
  const [v, setV] = useState<Values>(initial);
  const focus = useFocusTarget();
  const fields = fieldIds(v);
  const form = useForm(fields);
  const set = <K extends keyof Values>(key: K, value: Values[K]) => setV((old) => ({ ...old, [key]: value }));

  const submit = form.handleSubmit({
    check: () => check(v),
    send: () => onSave(inputOf(v)),
    leavesPage: true,
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
      const grouped = new ApiError(
        err.status,
        { ...err.problem, errors: err.problem.errors.map((x) => ({ ...x, field: groupField(x.field) })) },
        err.retryAfter,
      );
      const { fieldErrors, summary } = errorsFrom(grouped, fields, labelsOf(v));
      form.show(fieldErrors, summary);
      return true;
    },
  });

  const e = form.errors;
  const ownerWord = ownerTypeName(v.owner_type).toLowerCase();
  return (
    <Form summary={form.summary} summaryTitle="The achievement was not saved" onSubmit={submit}>
      <fieldset class="field-group">
        <legend>Who offers it</legend>
        <Field
          id={IDS.owner_type}
          label={LABELS.owner_type ?? ''}
          type="select"
          options={OWNER_OPTIONS}
          value={v.owner_type}
          onValue={(x) => set('owner_type', (OWNER_TYPES.includes(x as OwnerType) ? x : 'campaign') as OwnerType)}
          error={e.owner_type}
        />
        <Field
          id={IDS.owner}
          label={`Short name of the ${ownerWord}`}
          hint={`As in the ${ownerWord}’s address on Staffroom, for example connected-educator-month-2012. You must be on its staff.`}
          value={v.owner}
          onValue={(x) => set('owner', x)}
          error={e.owner}
          autoComplete="off"
          required
          maxLength={80}
        />
      </fieldset>

      <fieldset class="field-group">
        <legend>The achievement</legend>
        <Field
          id={IDS.name}
          label="Name"
          hint="As it appears on the badge, for example “Connected Educator”."
          value={v.name}
          onValue={(x) => set('name', x)}
          error={e.name}
          autoComplete="off"
          required
          maxLength={200}
        />
        <Field
          id={IDS.slug}
          label="Short name"
          hint="Part of the achievement’s address: lower-case letters, digits and single hyphens, like cem-connected-educator."
          value={v.slug}
          onValue={(x) => set('slug', x)}
          error={e.slug}
          autoComplete="off"
          required
          maxLength={80}
        />
        <Field
          id={IDS.description}
          label="Description"
          type="textarea"
          hint="What the achievement stands for. Separate paragraphs with a blank line."
          value={v.description}
          onValue={(x) => set('description', x)}
          error={e.description}
          required
          maxLength={5000}
        />
        <Field
          id={IDS.criteria}
          label="Criteria"
          type="textarea"
          hint="What someone must do to earn it, written for the people who will check the credential."
          value={v.criteria}
          onValue={(x) => set('criteria', x)}
          error={e.criteria}
          required
          maxLength={5000}
        />
        <Field
          id={IDS.image_url}
          label="Image address"
          type="url"
          hint="A square PNG or SVG of the badge, starting with https://. Without one a plain badge is shown."
          value={v.image_url}
          onValue={(x) => set('image_url', x)}
          error={e.image_url}
          autoComplete="off"
          required={false}
        />
        <div class="field-row">
          <Field
            id={IDS.hours}
            label="Hours of learning"
            type="number"
            hint="For example 3.5."
            value={v.hours}
            onValue={(x) => set('hours', x)}
            error={e.hours}
            min={0}
            step={0.25}
            required={false}
          />
          <Field
            id={IDS.valid_days}
            label="Valid for (days)"
            type="number"
            hint="Credentials expire this many days after they are issued; leave empty for no expiry."
            value={v.valid_days}
            onValue={(x) => set('valid_days', x)}
            error={e.valid_days}
            min={1}
            step={1}
            required={false}
          />
        </div>
        <Field
          id={IDS.tags}
          label="Tags"
          hint="Words to find it by, separated by commas: for example digital citizenship, literacy."
          value={v.tags}
          onValue={(x) => set('tags', x)}
          error={e.tags}
          autoComplete="off"
          required={false}
        />
      </fieldset>

      <fieldset class="field-group">
        <legend>Alignments</legend>
        <p class="hint">Standards, competencies or frameworks the achievement is aligned to.</p>
        {e.alignments ? (
          <p class="error-message">
            <span class="visually-hidden">Error: </span>
            {e.alignments}
          </p>
        ) : null}
        {v.alignments.length === 0 ? <p class="muted">No alignments yet.</p> : null}
        {v.alignments.map((row, i) => (
          <AlignmentFields
            key={row.key}
            row={row}
            index={i}
            errors={e}
            onChange={(changed) => set('alignments', v.alignments.map((r) => (r.key === row.key ? changed : r)))}
            onRemove={() => {
              set('alignments', v.alignments.filter((r) => r.key !== row.key));
              focus(IDS.alignments);
            }}
          />
        ))}
        <button
          type="button"
          id={IDS.alignments}
          class="button button-secondary"
          onClick={() => {
            const row = newAlignment();
            set('alignments', [...v.alignments, row]);
            focus(alignmentId(row, 'target_name'));
          }}
        >
          Add an alignment
        </button>
      </fieldset>

      <fieldset class="field-group">
        <legend>Award rule</legend>
        <Field
          id={IDS.rule}
          label="Award automatically for"
          type="select"
          hint="Staffroom awards the credential itself to everyone who meets the rule. You can always award it by hand too."
          options={RULE_OPTIONS}
          value={v.rule}
          onValue={(x) => set('rule', (RULE_KINDS.includes(x as RuleKind) ? x : '') as RuleKind | '')}
          error={e.rule ?? e['rule.kind']}
        />
        {v.rule === 'attended_activity' ? (
          <Field
            id={IDS['rule.activity']}
            label="Activity"
            hint="The activity’s id: the number at the end of its address, like 123 in /activities/123."
            value={v.activity}
            onValue={(x) => set('activity', x)}
            error={e['rule.activity']}
            autoComplete="off"
            required
            maxLength={40}
          />
        ) : null}
        {v.rule === 'campaign_hours' ? (
          <div class="field-row">
            <Field
              id={IDS['rule.campaign']}
              label="Campaign"
              hint="The campaign’s short name, as in its address."
              value={v.campaign}
              onValue={(x) => set('campaign', x)}
              error={e['rule.campaign']}
              autoComplete="off"
              required
              maxLength={80}
            />
            <Field
              id={IDS['rule.hours']}
              label="Hours in the campaign"
              type="number"
              hint="Hours of recorded learning needed, for example 10."
              value={v.rule_hours}
              onValue={(x) => set('rule_hours', x)}
              error={e['rule.hours']}
              min={0}
              step={0.25}
              required
            />
          </div>
        ) : null}
        {v.rule === 'approved_claim' ? (
          <div class="field-row">
            <Field
              id={IDS['rule.district']}
              label="District"
              hint="The district’s short name, as in its address."
              value={v.district}
              onValue={(x) => set('district', x)}
              error={e['rule.district']}
              autoComplete="off"
              required
              maxLength={80}
            />
            <Field
              id={IDS['rule.tier']}
              label="Tier"
              hint="The id of a tier of the district’s credit policy; leave empty for a claim of any tier."
              value={v.tier}
              onValue={(x) => set('tier', x)}
              error={e['rule.tier']}
              autoComplete="off"
              required={false}
              maxLength={80}
            />
          </div>
        ) : null}
        {v.rule === 'series' ? (
          <Field
            id={IDS['rule.activities']}
            label="Activities of the series"
            type="textarea"
            hint="The id of each activity, one a line. The credential is awarded to those who attended every one."
            value={v.activities}
            onValue={(x) => set('activities', x)}
            error={e['rule.activities']}
            required
            code
          />
        ) : null}
      </fieldset>

      <SubmitButton busy={form.busy} busyLabel={busyLabel}>
        {submitLabel}
      </SubmitButton>
    </Form>
  );
}

// ---------------------------------------------------------------- the page

/** The form for a new achievement (no `slug`) or for changing one. */
export function AchievementEdit({ slug, search = '' }: { slug?: string; search?: string }) {
  const { user, setUser } = useSession();
  const [achievement, setAchievement] = useState<Achievement | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const onSignedOut = () => setUser(null);

  useEffect(() => {
    if (!slug) return;
    credentialsApi.achievement(slug).then(setAchievement, (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) setAchievement(null);
      else setLoadError(describeError(err));
    });
  }, [slug, user?.id]);

  const here = slug ? credentialHref.editAchievement(slug) : credentialHref.newAchievement() + search;
  const save = async (input: AchievementInput) => {
    const saved = slug
      ? await credentialsApi.updateAchievement(slug, input)
      : await credentialsApi.createAchievement(input);
    navigate(credentialHref.achievement(saved.slug));
  };

  const title = slug ? (achievement ? `Edit “${achievement.name}”` : 'Edit achievement') : 'New achievement';
  return (
    <Page title={title}>
      <p class="breadcrumbs">
        {slug && achievement ? (
          <Link href={credentialHref.achievement(slug)}>{achievement.name}</Link>
        ) : (
          <Link href={credentialHref.achievements()}>All achievements</Link>
        )}
      </p>
      {!user ? (
        <p>
          <Link href={`/signin?next=${encodeURIComponent(here)}`}>Sign in</Link> as staff of a campaign, organization or
          district to {slug ? 'change this achievement' : 'offer an achievement'}.
        </p>
      ) : !slug ? (
        <>
          <p>
            Campaign organizers, the staff of partner organizations and district administrators can offer achievements for
            their campaign, organization or district. Credentials for it are issued as Open Badges 3.0.
          </p>
          <AchievementForm
            initial={emptyValues(search)}
            submitLabel="Create achievement"
            busyLabel="Creating…"
            onSave={save}
            onSignedOut={onSignedOut}
          />
        </>
      ) : achievement === null ? (
        <p>There is no achievement called “{slug}”.</p>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the achievement. {loadError}</p>
      ) : achievement === undefined ? (
        <p role="status">Loading the achievement…</p>
      ) : !achievement.can_manage ? (
        <p class="notice notice-warning">
          Only the staff of {achievement.owner_name || achievement.owner} can change this achievement.
        </p>
      ) : (
        <>
          <p>
            Changes apply to credentials awarded from now on. Credentials already issued keep what they were signed with.
          </p>
          <AchievementForm
            initial={valuesOf(achievement)}
            submitLabel="Save changes"
            busyLabel="Saving…"
            onSave={save}
            onSignedOut={onSignedOut}
          />
        </>
      )}
    </Page>
  );
}
