import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ACTIVITY_FORMATS, ApiError, describeError, signedOut } from '../api';
import type { District } from '../api';
import { timeZones } from '../components/ActivityForm';
import { CheckboxGroup, RadioGroup } from '../components/Choices';
import { DistrictFrame, ZoneNote } from '../components/CreditParts';
import type { DistrictContext } from '../components/CreditParts';
import { DateTime } from '../components/DateTime';
import { ErrorSummary } from '../components/ErrorSummary';
import type { SummaryItem } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { Status } from '../components/Status';
import {
  ATTENDANCE_SOURCES,
  CAP_SCOPES,
  EVIDENCE_RULE_KINDS,
  POLICY_FORMAT,
  ROUNDINGS,
  capScopeName,
  creditApi,
  creditDownloads,
  creditHref,
  evidenceRuleName,
  formatName,
  hoursText,
  roundingName,
  sourceName,
  wordsText,
} from '../credit';
import type { AttendanceSource, CapScope, EvidenceRuleKind, Policy, PolicyAnswer, Selection } from '../credit';
import { sentence } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link } from '../router';
import { describeTimeZone, formatDate } from '../time';
import { tierSummary } from './ClaimCredit';

// ---------------------------------------------------------------- plain words

function selectionText<T>(s: Selection<T>, all: string, name: (x: T) => string): string {
  return s === 'all' ? all : s.length === 0 ? 'none' : s.map(name).join(', ');
}

function capText(c: Policy['caps'][number]): string {
  const what =
    c.applies_to === 'all'
      ? 'all learning'
      : c.applies_to === 'format'
        ? `${formatName(c.format ?? '').toLowerCase()} learning`
        : c.applies_to === 'each_format'
          ? 'learning in any one format'
          : c.applies_to === 'provider'
            ? `learning hosted by organization ${c.provider ?? ''}`
            : c.applies_to === 'each_provider'
              ? 'learning hosted by any one provider'
              : 'self-reported learning';
  return `At most ${hoursText(c.max_hours)} of ${what} in each ${c.period === 'year' ? 'year of the cycle' : 'renewal cycle'}.`;
}

/** A policy as people read it. */
export function PolicySummary({ policy, idPrefix }: { policy: Policy; idPrefix: string }) {
  const s = policy.counts.self_reported;
  const c = policy.conversion;
  return (
    <div class="policy-summary">
      <p>
        <strong>{policy.name}</strong>
        {policy.version ? `, version ${policy.version}` : ''}, in force from {formatDate(policy.effective_on)}. Its dates
        are days in {describeTimeZone(policy.time_zone)}.
      </p>
      <h3 id={`${idPrefix}-counts`}>What counts</h3>
      <ul aria-labelledby={`${idPrefix}-counts`}>
        <li>Formats: {selectionText(policy.counts.formats, 'every format', (f) => formatName(f))}.</li>
        <li>
          Providers: {selectionText(policy.counts.providers, 'every provider', (p) => `organization ${p}`)} (for learning
          a host recorded).
        </li>
        <li>Themes: {selectionText(policy.counts.themes, 'every theme', (t) => t)}.</li>
        <li>
          {s.counts
            ? `Learning you log yourself counts in these formats: ${selectionText(s.formats, 'every format', (f) =>
                formatName(f),
              )}${s.requires_attestation ? '; a colleague must attest it' : ''}${
                s.min_reflection_words > 0 ? `; its reflection needs at least ${wordsText(s.min_reflection_words)}` : ''
              }.`
            : 'Learning you log yourself does not count.'}
        </li>
      </ul>
      <h3>How minutes become credit</h3>
      <p>
        Each piece of learning is rounded on its own: {roundingName(c.rounding).toLowerCase()}. {hoursText(c.hours_per_ceu)}{' '}
        make one CEU; {hoursText(c.hours_per_semester_credit)} make one semester credit. Presenting counts ×
        {c.presenter_multiplier}; facilitating counts ×{c.facilitator_multiplier}.
      </p>
      <h3 id={`${idPrefix}-tiers`}>Tiers</h3>
      <ol aria-labelledby={`${idPrefix}-tiers`}>
        {policy.tiers.map((t) => (
          <li key={t.id}>
            <strong>
              {t.name} (level {t.level})
            </strong>
            : {tierSummary(t)}
          </li>
        ))}
      </ol>
      <h3 id={`${idPrefix}-caps`}>Caps</h3>
      {policy.caps.length === 0 ? (
        <p>No caps.</p>
      ) : (
        <ul aria-labelledby={`${idPrefix}-caps`}>
          {policy.caps.map((cap, i) => (
            <li key={i}>{capText(cap)}</li>
          ))}
        </ul>
      )}
      <h3>Renewal</h3>
      <p>
        {hoursText(policy.renewal.required_hours)} every {policy.renewal.cycle_years}{' '}
        {policy.renewal.cycle_years === 1 ? 'year' : 'years'}; cycles count from {formatDate(policy.renewal.starts_on)}.
      </p>
    </div>
  );
}

// ---------------------------------------------------------------- the editor's draft

let keys = 0;
const nextKey = () => {
  keys += 1;
  return keys;
};

type OptionDraft = { key: number; kind: EvidenceRuleKind; sources: string[]; min_words: string };
type RequirementDraft = { key: number; any_of: OptionDraft[] };
type TierDraft = {
  key: number;
  id: string;
  name: string;
  level: string;
  deadline_days: string;
  min_hours: string;
  approver_review: boolean;
  requirements: RequirementDraft[];
};
type CapDraft = {
  key: number;
  applies_to: CapScope;
  format: string;
  provider: string;
  period: 'year' | 'cycle';
  max_hours: string;
};
type Draft = {
  name: string;
  effective_on: string;
  time_zone: string;
  formatsAll: string;
  formats: string[];
  providersAll: string;
  providers: string;
  themesAll: string;
  themes: string;
  selfCounts: boolean;
  selfFormatsAll: string;
  selfFormats: string[];
  selfAttestation: boolean;
  selfWords: string;
  rounding: string;
  hoursPerCeu: string;
  hoursPerCredit: string;
  presenter: string;
  facilitator: string;
  tiers: TierDraft[];
  caps: CapDraft[];
  requiredHours: string;
  cycleYears: string;
  startsOn: string;
};

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function optionDraft(o: { kind: EvidenceRuleKind; sources?: AttendanceSource[]; min_words?: number }): OptionDraft {
  return {
    key: nextKey(),
    kind: o.kind,
    sources: o.sources ? [...o.sources] : [...ATTENDANCE_SOURCES],
    min_words: str(o.min_words ?? (o.kind === 'reflection' ? 300 : '')),
  };
}

function fromPolicy(p: Policy): Draft {
  const list = <T,>(s: Selection<T>) => (s === 'all' ? [] : s);
  return {
    name: p.name,
    effective_on: p.effective_on,
    time_zone: p.time_zone,
    formatsAll: p.counts.formats === 'all' ? 'all' : 'list',
    formats: list(p.counts.formats),
    providersAll: p.counts.providers === 'all' ? 'all' : 'list',
    providers: list(p.counts.providers).join('\n'),
    themesAll: p.counts.themes === 'all' ? 'all' : 'list',
    themes: list(p.counts.themes).join('\n'),
    selfCounts: p.counts.self_reported.counts,
    selfFormatsAll: p.counts.self_reported.formats === 'all' ? 'all' : 'list',
    selfFormats: list(p.counts.self_reported.formats),
    selfAttestation: p.counts.self_reported.requires_attestation,
    selfWords: str(p.counts.self_reported.min_reflection_words),
    rounding: p.conversion.rounding,
    hoursPerCeu: str(p.conversion.hours_per_ceu),
    hoursPerCredit: str(p.conversion.hours_per_semester_credit),
    presenter: str(p.conversion.presenter_multiplier),
    facilitator: str(p.conversion.facilitator_multiplier),
    tiers: p.tiers.map((t) => ({
      key: nextKey(),
      id: t.id,
      name: t.name,
      level: str(t.level),
      deadline_days: str(t.deadline_days),
      min_hours: str(t.min_hours ?? 0),
      approver_review: Boolean(t.approver_review),
      requirements: t.requirements.map((r) => ({ key: nextKey(), any_of: r.any_of.map(optionDraft) })),
    })),
    caps: p.caps.map((c) => ({
      key: nextKey(),
      applies_to: c.applies_to,
      format: c.format ?? '',
      provider: str(c.provider),
      period: c.period,
      max_hours: str(c.max_hours),
    })),
    requiredHours: str(p.renewal.required_hours),
    cycleYears: str(p.renewal.cycle_years),
    startsOn: p.renewal.starts_on,
  };
}

function todayDate(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** A first policy to start from: one tier, no caps. */
function starter(district: District): Draft {
  return fromPolicy({
    format: POLICY_FORMAT,
    name: `${district.name} professional learning credit`,
    effective_on: todayDate(),
    time_zone: district.time_zone,
    counts: {
      formats: 'all',
      providers: 'all',
      themes: 'all',
      self_reported: { counts: false, formats: 'all', requires_attestation: true, min_reflection_words: 0 },
    },
    conversion: {
      rounding: 'nearest_quarter_hour',
      hours_per_ceu: 10,
      hours_per_semester_credit: 15,
      presenter_multiplier: 2,
      facilitator_multiplier: 2,
    },
    tiers: [
      {
        id: 'knowledge',
        name: 'Knowledge',
        level: 1,
        deadline_days: 30,
        min_hours: 0,
        requirements: [{ any_of: [{ kind: 'host_attendance', sources: [...ATTENDANCE_SOURCES] }, { kind: 'survey' }] }],
        approver_review: false,
      },
    ],
    caps: [],
    renewal: { required_hours: 100, cycle_years: 5, starts_on: todayDate() },
  });
}

type Problems = Record<string, string>;

/** The draft as the import/export format, and the amounts that are not numbers at all, by path. */
function toPolicy(d: Draft): { policy: Policy; problems: Problems } {
  const problems: Problems = {};
  const num = (text: string, path: string, whole = false): number => {
    const t = text.trim();
    if (!t) {
      problems[path] = 'enter a number';
      return 0;
    }
    const v = Number(t);
    if (!Number.isFinite(v)) problems[path] = 'must be a number';
    else if (whole && !Number.isInteger(v)) problems[path] = 'must be a whole number';
    return v;
  };
  const lines = (text: string) =>
    text
      .split(/[\n,]/)
      .map((s) => s.trim())
      .filter(Boolean);
  const providers = lines(d.providers).map((x, i) => num(x, `counts.providers[${i}]`, true));
  const policy: Policy = {
    format: POLICY_FORMAT,
    name: d.name.trim(),
    effective_on: d.effective_on,
    time_zone: d.time_zone,
    counts: {
      formats: d.formatsAll === 'all' ? 'all' : d.formats,
      providers: d.providersAll === 'all' ? 'all' : providers,
      themes: d.themesAll === 'all' ? 'all' : d.themes.split('\n').map((t) => t.trim()).filter(Boolean),
      self_reported: {
        counts: d.selfCounts,
        formats: d.selfFormatsAll === 'all' ? 'all' : d.selfFormats,
        requires_attestation: d.selfAttestation,
        min_reflection_words: d.selfWords.trim() ? num(d.selfWords, 'counts.self_reported.min_reflection_words', true) : 0,
      },
    },
    conversion: {
      rounding: d.rounding as Policy['conversion']['rounding'],
      hours_per_ceu: num(d.hoursPerCeu, 'conversion.hours_per_ceu'),
      hours_per_semester_credit: num(d.hoursPerCredit, 'conversion.hours_per_semester_credit'),
      presenter_multiplier: num(d.presenter, 'conversion.presenter_multiplier'),
      facilitator_multiplier: num(d.facilitator, 'conversion.facilitator_multiplier'),
    },
    tiers: d.tiers.map((t, i) => {
      const p = `tiers[${i}]`;
      return {
        id: t.id.trim(),
        name: t.name.trim(),
        level: num(t.level, `${p}.level`, true),
        deadline_days: num(t.deadline_days, `${p}.deadline_days`, true),
        min_hours: t.min_hours.trim() ? num(t.min_hours, `${p}.min_hours`) : 0,
        requirements: t.requirements.map((r, j) => ({
          any_of: r.any_of.map((o, k) => {
            const op = `${p}.requirements[${j}].any_of[${k}]`;
            if (o.kind === 'host_attendance') return { kind: o.kind, sources: o.sources as AttendanceSource[] };
            if (o.kind === 'reflection') return { kind: o.kind, min_words: num(o.min_words, `${op}.min_words`, true) };
            return { kind: o.kind };
          }),
        })),
        approver_review: t.approver_review,
      };
    }),
    caps: d.caps.map((c, i) => {
      const p = `caps[${i}]`;
      const cap: Policy['caps'][number] = {
        applies_to: c.applies_to,
        period: c.period,
        max_hours: num(c.max_hours, `${p}.max_hours`),
      };
      if (c.applies_to === 'format') cap.format = c.format;
      if (c.applies_to === 'provider') cap.provider = num(c.provider, `${p}.provider`, true);
      return cap;
    }),
    renewal: {
      required_hours: num(d.requiredHours, 'renewal.required_hours'),
      cycle_years: num(d.cycleYears, 'renewal.cycle_years', true),
      starts_on: d.startsOn,
    },
  };
  if (!policy.name) problems.name = 'give the policy a name';
  if (!policy.effective_on) problems.effective_on = 'enter the date the policy comes into force';
  if (!policy.renewal.starts_on) problems['renewal.starts_on'] = 'enter the date renewal cycles count from';
  return { policy, problems };
}

/** The id of the control that shows a policy field: "tiers[1].deadline_days" → "policy-tiers-1-deadline_days". */
export function pathId(path: string): string {
  return `policy-${path.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-')}`;
}

/** The path and each path it is part of, most precise first. */
function pathAndParents(path: string): string[] {
  const out = [path];
  let p = path;
  for (;;) {
    const m = /^(.+?)(\[\d+\]|\.[^.[\]]+)$/.exec(p);
    if (!m || !m[1]) break;
    p = m[1];
    out.push(p);
  }
  return out;
}

const FIELD_WORDS: Record<string, string> = {
  name: 'name',
  id: 'id',
  level: 'level',
  deadline_days: 'deadline in days',
  min_hours: 'minimum hours',
  approver_review: 'approver review',
  requirements: 'requirements',
  any_of: 'options',
  kind: 'kind of evidence',
  sources: 'attendance sources',
  min_words: 'minimum words',
  applies_to: 'applies to',
  format: 'format',
  provider: 'provider',
  period: 'period',
  max_hours: 'maximum hours',
  effective_on: 'In force from',
  policy_name: 'Policy name',
  time_zone: 'Time zone',
  counts: 'What counts',
  formats: 'formats',
  providers: 'providers',
  themes: 'themes',
  self_reported: 'self-reported learning',
  requires_attestation: 'colleague attestation',
  min_reflection_words: 'minimum reflection words',
  conversion: 'Conversion',
  rounding: 'rounding',
  hours_per_ceu: 'hours per CEU',
  hours_per_semester_credit: 'hours per semester credit',
  presenter_multiplier: 'presenter multiplier',
  facilitator_multiplier: 'facilitator multiplier',
  renewal: 'Renewal',
  required_hours: 'required hours',
  cycle_years: 'cycle in years',
  starts_on: 'cycles start on',
  tiers: 'Tiers',
  caps: 'Caps',
};

/** A policy field in words: "Tier 2 (Application), deadline in days". */
function pathLabel(path: string, draft: Draft): string {
  const parts: string[] = [];
  const re = /([a-z_]+)(?:\[(\d+)\])?/g;
  let m: RegExpExecArray | null;
  let parent = '';
  while ((m = re.exec(path))) {
    const name = m[1] ?? '';
    const index = m[2] === undefined ? null : Number(m[2]);
    if (name === 'tiers' && index !== null) {
      const t = draft.tiers[index];
      parts.push(`Tier ${index + 1}${t?.name ? ` (${t.name})` : ''}`);
    } else if (name === 'caps' && index !== null) parts.push(`Cap ${index + 1}`);
    else if (name === 'requirements' && index !== null) parts.push(`requirement ${index + 1}`);
    else if (name === 'any_of' && index !== null) parts.push(`option ${index + 1}`);
    else {
      const word = name === 'counts' && parent === 'self_reported' ? 'counts' : (FIELD_WORDS[name] ?? name);
      parts.push(index !== null ? `${word}, entry ${index + 1}` : word);
    }
    parent = name;
  }
  const text = parts.join(', ');
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : 'The policy';
}

// ---------------------------------------------------------------- editor controls

type Ctl = { errors: Problems };

function NumberIn({
  path,
  label,
  value,
  onValue,
  hint,
  errors,
  step = 'any',
}: Ctl & { path: string; label: string; value: string; onValue: (v: string) => void; hint?: string; step?: number | 'any' }) {
  return (
    <Field
      id={pathId(path)}
      label={label}
      type="number"
      hint={hint}
      value={value}
      onValue={onValue}
      error={errors[pathId(path)]}
      step={step === 'any' ? undefined : step}
    />
  );
}

function Tick({
  id,
  label,
  checked,
  onChecked,
  hint,
  error,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChecked: (v: boolean) => void;
  hint?: string;
  error?: string | undefined;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={error ? 'field choice field-error' : 'field choice'}>
      <input
        type="checkbox"
        id={id}
        name={id}
        checked={checked}
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
        onChange={(e) => onChecked(e.currentTarget.checked)}
      />
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint choice-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message choice-hint" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A fieldset that shows problems with the group itself (a whole tier, a requirement). */
function Group({
  path,
  legend,
  errors,
  children,
  class: cls = '',
}: Ctl & { path: string; legend: string; children: ComponentChildren; class?: string }) {
  const id = pathId(path);
  const error = errors[id];
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      class={`field-group ${cls}${error ? ' field-error' : ''}`}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>{legend}</legend>
      {error ? (
        <p class="error-message" id={`${id}-error`}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {children}
    </fieldset>
  );
}

const formatOptions = ACTIVITY_FORMATS.map((f) => ({ value: f, label: formatName(f) }));
const ALL_OR_LIST = (all: string, list: string) => [
  { value: 'all', label: all },
  { value: 'list', label: list },
];

function OptionEditor({
  o,
  path,
  errors,
  onChange,
  onRemove,
  canRemove,
}: Ctl & {
  o: OptionDraft;
  path: string;
  onChange: (o: OptionDraft) => void;
  onRemove: () => void;
  canRemove: boolean;
}) {
  const index = Number(/\[(\d+)\]$/.exec(path)?.[1] ?? 0);
  return (
    <Group path={path} legend={`Option ${index + 1}: ${evidenceRuleName(o.kind)}`} errors={errors} class="option-group">
      <Field
        id={pathId(`${path}.kind`)}
        label="Kind of evidence"
        type="select"
        options={EVIDENCE_RULE_KINDS.map((k) => ({ value: k, label: evidenceRuleName(k) }))}
        value={o.kind}
        onValue={(v) => onChange({ ...o, kind: v as EvidenceRuleKind })}
        error={errors[pathId(`${path}.kind`)]}
      />
      {o.kind === 'host_attendance' ? (
        <CheckboxGroup
          id={pathId(`${path}.sources`)}
          legend="Recorded by"
          inline
          options={ATTENDANCE_SOURCES.map((s) => ({ value: s, label: sourceName(s) }))}
          values={o.sources}
          onValues={(v) => onChange({ ...o, sources: v })}
          error={errors[pathId(`${path}.sources`)]}
        />
      ) : null}
      {o.kind === 'reflection' ? (
        <Field
          id={pathId(`${path}.min_words`)}
          label="Minimum words"
          type="number"
          step={1}
          value={o.min_words}
          onValue={(v) => onChange({ ...o, min_words: v })}
          error={errors[pathId(`${path}.min_words`)]}
        />
      ) : null}
      {canRemove ? (
        <button type="button" class="button button-secondary" onClick={onRemove}>
          Remove option {index + 1}
        </button>
      ) : null}
    </Group>
  );
}

function TierEditor({
  t,
  i,
  count,
  errors,
  onChange,
  onMove,
  onRemove,
}: Ctl & {
  t: TierDraft;
  i: number;
  count: number;
  onChange: (t: TierDraft) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
}) {
  const p = `tiers[${i}]`;
  const setReq = (j: number, r: RequirementDraft) =>
    onChange({ ...t, requirements: t.requirements.map((x, k) => (k === j ? r : x)) });
  const label = `Tier ${i + 1}${t.name ? `: ${t.name}` : ''}`;
  return (
    <Group path={p} legend={label} errors={errors} class="tier-group">
      <div class="field-row">
        <Field
          id={pathId(`${p}.id`)}
          label="Id"
          hint="Lower-case letters, digits, - or _, like knowledge."
          value={t.id}
          onValue={(v) => onChange({ ...t, id: v })}
          error={errors[pathId(`${p}.id`)]}
          maxLength={40}
          autoComplete="off"
        />
        <Field
          id={pathId(`${p}.name`)}
          label="Name"
          value={t.name}
          onValue={(v) => onChange({ ...t, name: v })}
          error={errors[pathId(`${p}.name`)]}
          maxLength={100}
          autoComplete="off"
        />
      </div>
      <div class="field-row">
        <NumberIn path={`${p}.level`} label="Level" hint="1, 2, 3…: higher tiers ask for more." value={t.level} onValue={(v) => onChange({ ...t, level: v })} errors={errors} step={1} />
        <NumberIn
          path={`${p}.deadline_days`}
          label="Deadline in days"
          hint="Claim and add evidence within this many days after the learning."
          value={t.deadline_days}
          onValue={(v) => onChange({ ...t, deadline_days: v })}
          errors={errors}
          step={1}
        />
        <NumberIn
          path={`${p}.min_hours`}
          label="Minimum hours"
          hint="The least credit a claim at this tier may earn; 0 for none."
          value={t.min_hours}
          onValue={(v) => onChange({ ...t, min_hours: v })}
          errors={errors}
        />
      </div>
      <Tick
        id={pathId(`${p}.approver_review`)}
        label="An approver must look at the evidence"
        hint="Claims at this tier are never suggested for approval unseen."
        checked={t.approver_review}
        onChecked={(v) => onChange({ ...t, approver_review: v })}
        error={errors[pathId(`${p}.approver_review`)]}
      />
      <Group path={`${p}.requirements`} legend="Evidence requirements" errors={errors} class="requirements-group">
        <p class="hint">Every requirement must be met; a requirement is met by any one of its options.</p>
        {t.requirements.map((r, j) => {
          const rp = `${p}.requirements[${j}]`;
          return (
            <Group key={r.key} path={rp} legend={`Requirement ${j + 1}`} errors={errors} class="requirement-group">
              <Group path={`${rp}.any_of`} legend={`Options of requirement ${j + 1} (any one)`} errors={errors} class="plain-group">
                {r.any_of.map((o, k) => (
                  <OptionEditor
                    key={o.key}
                    o={o}
                    path={`${rp}.any_of[${k}]`}
                    errors={errors}
                    canRemove={r.any_of.length > 1}
                    onChange={(next) => setReq(j, { ...r, any_of: r.any_of.map((x, m) => (m === k ? next : x)) })}
                    onRemove={() => setReq(j, { ...r, any_of: r.any_of.filter((_, m) => m !== k) })}
                  />
                ))}
              </Group>
              <div class="actions">
                <button
                  type="button"
                  class="button button-secondary"
                  onClick={() => setReq(j, { ...r, any_of: [...r.any_of, optionDraft({ kind: 'survey' })] })}
                >
                  Add an option to requirement {j + 1}
                </button>
                <button
                  type="button"
                  class="button button-secondary"
                  onClick={() => onChange({ ...t, requirements: t.requirements.filter((_, k) => k !== j) })}
                >
                  Remove requirement {j + 1}
                </button>
              </div>
            </Group>
          );
        })}
        <button
          type="button"
          class="button button-secondary"
          onClick={() =>
            onChange({ ...t, requirements: [...t.requirements, { key: nextKey(), any_of: [optionDraft({ kind: 'survey' })] }] })
          }
        >
          Add a requirement<span class="visually-hidden"> to tier {i + 1}</span>
        </button>
      </Group>
      <div class="actions">
        <button
          type="button"
          id={`${pathId(p)}-up`}
          class="button button-secondary"
          aria-disabled={i === 0 ? 'true' : undefined}
          onClick={() => i > 0 && onMove(i - 1)}
        >
          Move up<span class="visually-hidden"> tier {i + 1}</span>
        </button>
        <button
          type="button"
          id={`${pathId(p)}-down`}
          class="button button-secondary"
          aria-disabled={i === count - 1 ? 'true' : undefined}
          onClick={() => i < count - 1 && onMove(i + 1)}
        >
          Move down<span class="visually-hidden"> tier {i + 1}</span>
        </button>
        <button type="button" class="button button-secondary" onClick={onRemove}>
          Remove tier {i + 1}
        </button>
      </div>
    </Group>
  );
}

function CapEditor({
  c,
  i,
  errors,
  onChange,
  onRemove,
}: Ctl & { c: CapDraft; i: number; onChange: (c: CapDraft) => void; onRemove: () => void }) {
  const p = `caps[${i}]`;
  return (
    <Group path={p} legend={`Cap ${i + 1}`} errors={errors} class="cap-group">
      <div class="field-row">
        <Field
          id={pathId(`${p}.applies_to`)}
          label="Applies to"
          type="select"
          options={CAP_SCOPES.map((s) => ({ value: s, label: capScopeName(s) }))}
          value={c.applies_to}
          onValue={(v) => onChange({ ...c, applies_to: v as CapScope })}
          error={errors[pathId(`${p}.applies_to`)]}
        />
        {c.applies_to === 'format' ? (
          <Field
            id={pathId(`${p}.format`)}
            label="Format"
            type="select"
            options={[{ value: '', label: 'Choose a format' }, ...formatOptions]}
            value={c.format}
            onValue={(v) => onChange({ ...c, format: v })}
            error={errors[pathId(`${p}.format`)]}
          />
        ) : null}
        {c.applies_to === 'provider' ? (
          <NumberIn
            path={`${p}.provider`}
            label="Provider (organization id)"
            value={c.provider}
            onValue={(v) => onChange({ ...c, provider: v })}
            errors={errors}
            step={1}
          />
        ) : null}
        <Field
          id={pathId(`${p}.period`)}
          label="Period"
          type="select"
          options={[
            { value: 'year', label: 'Each year of the cycle' },
            { value: 'cycle', label: 'Each renewal cycle' },
          ]}
          value={c.period}
          onValue={(v) => onChange({ ...c, period: v as 'year' | 'cycle' })}
          error={errors[pathId(`${p}.period`)]}
        />
        <NumberIn
          path={`${p}.max_hours`}
          label="Maximum hours"
          value={c.max_hours}
          onValue={(v) => onChange({ ...c, max_hours: v })}
          errors={errors}
        />
      </div>
      <button type="button" class="button button-secondary" onClick={onRemove}>
        Remove cap {i + 1}
      </button>
    </Group>
  );
}

// ---------------------------------------------------------------- the editor

function Editor({
  district,
  initial,
  nextVersion,
  onSaved,
  onSignedOut,
}: {
  district: District;
  initial: Draft;
  nextVersion: number;
  onSaved: (version: number, effective: string) => void;
  onSignedOut: () => void;
}) {
  const [d, setD] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Problems>({});
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setD(initial);
    setErrors({});
    setSummary([]);
  }, [initial]);

  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));

  /** Shows problems by path: next to the control that holds each (or its group) and in the summary. */
  const showProblems = (list: { field: string; message: string }[]) => {
    const byId: Problems = {};
    const items: SummaryItem[] = [];
    for (const p of list) {
      const target = pathAndParents(p.field).find((c) => document.getElementById(pathId(c)));
      const id = target ? pathId(target) : undefined;
      if (id) byId[id] = byId[id] ? `${byId[id]}; ${sentence(p.message)}` : sentence(p.message);
      items.push({
        message: (
          <>
            {pathLabel(p.field, d)} (<code>{p.field}</code>): {p.message}
          </>
        ),
        fieldId: id,
      });
    }
    setErrors(byId);
    setSummary(items);
    window.setTimeout(() => summaryRef.current?.querySelector('h2')?.scrollIntoView({ block: 'center' }), 0);
  };

  const save = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setStatus('');
    const { policy, problems } = toPolicy(d);
    if (Object.keys(problems).length > 0) {
      showProblems(Object.entries(problems).map(([field, message]) => ({ field, message })));
      return;
    }
    setBusy(true);
    setErrors({});
    setSummary([]);
    try {
      const saved = await creditApi.savePolicy(district.slug, policy);
      setStatus(`Saved as version ${saved.version}, in force from ${formatDate(saved.effective_on)}.`);
      onSaved(saved.version, saved.effective_on);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      if (err instanceof ApiError && err.problem.errors?.length) showProblems(err.problem.errors);
      else {
        setErrors({});
        setSummary([{ message: describeError(err) }]);
      }
    } finally {
      setBusy(false);
    }
  };

  const moveTier = (from: number, to: number) => {
    const tiers = [...d.tiers];
    const [t] = tiers.splice(from, 1);
    if (!t) return;
    tiers.splice(to, 0, t);
    set({ tiers });
    setErrors({});
    setStatus(`${t.name || `Tier ${from + 1}`} moved to position ${to + 1}.`);
    focus(`${pathId(`tiers[${to}]`)}-${to < from ? 'up' : 'down'}`);
  };

  return (
    <section class="card" aria-labelledby="editor-heading">
      <h2 id="editor-heading">Edit the policy</h2>
      <p>
        Saving makes version {nextVersion}. Earlier versions stay as they were: claims are judged under the version in
        force when they were submitted. A policy that contradicts itself is refused, with every problem named.
      </p>
      <div ref={summaryRef}>
        <ErrorSummary title="The policy was not saved" items={summary} />
      </div>
      <form onSubmit={(e) => void save(e)} noValidate aria-label="Edit the policy" class="policy-editor">
        <Field
          id={pathId('name')}
          label="Policy name"
          hint="What educators see, like “Springfield professional learning credit”."
          value={d.name}
          onValue={(v) => set({ name: v })}
          error={errors[pathId('name')]}
          maxLength={200}
          autoComplete="off"
        />
        <div class="field-row">
          <Field
            id={pathId('effective_on')}
            label="In force from"
            type="date"
            value={d.effective_on}
            onValue={(v) => set({ effective_on: v })}
            error={errors[pathId('effective_on')]}
          />
          <Field
            id={pathId('time_zone')}
            label="Time zone"
            type="select"
            hint="Deadlines, years and cycles are days in this zone."
            options={timeZones(d.time_zone)}
            value={d.time_zone}
            onValue={(v) => set({ time_zone: v })}
            error={errors[pathId('time_zone')]}
          />
        </div>

        <Group path="counts" legend="What counts" errors={errors}>
          <RadioGroup
            id="policy-counts-formats-mode"
            legend="Formats"
            inline
            options={ALL_OR_LIST('Every format', 'Only these formats')}
            value={d.formatsAll}
            onValue={(v) => set({ formatsAll: v })}
          />
          {d.formatsAll === 'list' ? (
            <CheckboxGroup
              id={pathId('counts.formats')}
              legend="Formats that count"
              options={formatOptions}
              values={d.formats}
              onValues={(v) => set({ formats: v })}
              error={errors[pathId('counts.formats')]}
            />
          ) : null}
          <RadioGroup
            id="policy-counts-providers-mode"
            legend="Providers"
            hint="The organizations hosting the learning (for learning a host recorded)."
            inline
            options={ALL_OR_LIST('Every provider', 'Only these providers')}
            value={d.providersAll}
            onValue={(v) => set({ providersAll: v })}
          />
          {d.providersAll === 'list' ? (
            <Field
              id={pathId('counts.providers')}
              label="Approved providers"
              type="textarea"
              hint="Organization ids, one a line (an organization’s id is in its API answers)."
              value={d.providers}
              onValue={(v) => set({ providers: v })}
              error={errors[pathId('counts.providers')]}
            />
          ) : null}
          <RadioGroup
            id="policy-counts-themes-mode"
            legend="Themes"
            inline
            options={ALL_OR_LIST('Every theme', 'Only these themes')}
            value={d.themesAll}
            onValue={(v) => set({ themesAll: v })}
          />
          {d.themesAll === 'list' ? (
            <Field
              id={pathId('counts.themes')}
              label="Themes that count"
              type="textarea"
              hint="Campaign theme titles, one a line, as the campaign writes them."
              value={d.themes}
              onValue={(v) => set({ themes: v })}
              error={errors[pathId('counts.themes')]}
            />
          ) : null}
          <Group path="counts.self_reported" legend="Self-reported learning" errors={errors} class="plain-group">
            <Tick
              id={pathId('counts.self_reported.counts')}
              label="Learning educators log themselves counts"
              checked={d.selfCounts}
              onChecked={(v) => set({ selfCounts: v })}
              error={errors[pathId('counts.self_reported.counts')]}
            />
            <RadioGroup
              id="policy-counts-self_reported-formats-mode"
              legend="Formats of self-reported learning"
              inline
              options={ALL_OR_LIST('Every format', 'Only these formats')}
              value={d.selfFormatsAll}
              onValue={(v) => set({ selfFormatsAll: v })}
            />
            {d.selfFormatsAll === 'list' ? (
              <CheckboxGroup
                id={pathId('counts.self_reported.formats')}
                legend="Self-reported formats that count"
                options={formatOptions}
                values={d.selfFormats}
                onValues={(v) => set({ selfFormats: v })}
                error={errors[pathId('counts.self_reported.formats')]}
              />
            ) : null}
            <Tick
              id={pathId('counts.self_reported.requires_attestation')}
              label="A colleague must attest it"
              checked={d.selfAttestation}
              onChecked={(v) => set({ selfAttestation: v })}
              error={errors[pathId('counts.self_reported.requires_attestation')]}
            />
            <NumberIn
              path="counts.self_reported.min_reflection_words"
              label="Minimum words of its reflection"
              hint="0 for none."
              value={d.selfWords}
              onValue={(v) => set({ selfWords: v })}
              errors={errors}
              step={1}
            />
          </Group>
        </Group>

        <Group path="conversion" legend="Conversion" errors={errors}>
          <Field
            id={pathId('conversion.rounding')}
            label="Rounding"
            type="select"
            hint="Each piece of learning is rounded on its own."
            options={ROUNDINGS.map((r) => ({ value: r, label: roundingName(r) }))}
            value={d.rounding}
            onValue={(v) => set({ rounding: v })}
            error={errors[pathId('conversion.rounding')]}
          />
          <div class="field-row">
            <NumberIn path="conversion.hours_per_ceu" label="Hours per CEU" value={d.hoursPerCeu} onValue={(v) => set({ hoursPerCeu: v })} errors={errors} />
            <NumberIn
              path="conversion.hours_per_semester_credit"
              label="Hours per semester credit"
              value={d.hoursPerCredit}
              onValue={(v) => set({ hoursPerCredit: v })}
              errors={errors}
            />
          </div>
          <div class="field-row">
            <NumberIn
              path="conversion.presenter_multiplier"
              label="Presenter multiplier"
              hint="2 counts presenting double."
              value={d.presenter}
              onValue={(v) => set({ presenter: v })}
              errors={errors}
            />
            <NumberIn
              path="conversion.facilitator_multiplier"
              label="Facilitator multiplier"
              value={d.facilitator}
              onValue={(v) => set({ facilitator: v })}
              errors={errors}
            />
          </div>
        </Group>

        <Group path="tiers" legend="Tiers" errors={errors}>
          <p class="hint">The levels of credit a claim can ask for, lowest first.</p>
          {d.tiers.map((t, i) => (
            <TierEditor
              key={t.key}
              t={t}
              i={i}
              count={d.tiers.length}
              errors={errors}
              onChange={(next) => set({ tiers: d.tiers.map((x, k) => (k === i ? next : x)) })}
              onMove={(to) => moveTier(i, to)}
              onRemove={() => {
                set({ tiers: d.tiers.filter((_, k) => k !== i) });
                setErrors({});
                setStatus(`${t.name || `Tier ${i + 1}`} removed from the draft.`);
                focus('policy-add-tier');
              }}
            />
          ))}
          <button
            type="button"
            id="policy-add-tier"
            class="button button-secondary"
            onClick={() => {
              const level = d.tiers.reduce((m, t) => Math.max(m, Number(t.level) || 0), 0) + 1;
              set({
                tiers: [
                  ...d.tiers,
                  {
                    key: nextKey(),
                    id: '',
                    name: '',
                    level: String(level),
                    deadline_days: '30',
                    min_hours: '0',
                    approver_review: false,
                    requirements: [{ key: nextKey(), any_of: [optionDraft({ kind: 'survey' })] }],
                  },
                ],
              });
              focus(pathId(`tiers[${d.tiers.length}].id`));
            }}
          >
            Add a tier
          </button>
        </Group>

        <Group path="caps" legend="Caps" errors={errors}>
          <p class="hint">Limits on how much learning of one kind counts in a year or a cycle.</p>
          {d.caps.length === 0 ? <p>No caps.</p> : null}
          {d.caps.map((c, i) => (
            <CapEditor
              key={c.key}
              c={c}
              i={i}
              errors={errors}
              onChange={(next) => set({ caps: d.caps.map((x, k) => (k === i ? next : x)) })}
              onRemove={() => {
                set({ caps: d.caps.filter((_, k) => k !== i) });
                setErrors({});
                focus('policy-add-cap');
              }}
            />
          ))}
          <button
            type="button"
            id="policy-add-cap"
            class="button button-secondary"
            onClick={() => {
              set({
                caps: [
                  ...d.caps,
                  { key: nextKey(), applies_to: 'all', format: '', provider: '', period: 'cycle', max_hours: '' },
                ],
              });
              focus(pathId(`caps[${d.caps.length}].applies_to`));
            }}
          >
            Add a cap
          </button>
        </Group>

        <Group path="renewal" legend="Renewal" errors={errors}>
          <div class="field-row">
            <NumberIn
              path="renewal.required_hours"
              label="Required hours"
              hint="In each cycle."
              value={d.requiredHours}
              onValue={(v) => set({ requiredHours: v })}
              errors={errors}
            />
            <NumberIn
              path="renewal.cycle_years"
              label="Cycle in years"
              value={d.cycleYears}
              onValue={(v) => set({ cycleYears: v })}
              errors={errors}
              step={1}
            />
            <Field
              id={pathId('renewal.starts_on')}
              label="Cycles start on"
              type="date"
              value={d.startsOn}
              onValue={(v) => set({ startsOn: v })}
              error={errors[pathId('renewal.starts_on')]}
            />
          </div>
        </Group>
        <div class="actions">
          <button type="submit" class="button" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Saving…' : `Save as version ${nextVersion}`}
          </button>
          <Status>{status}</Status>
        </div>
      </form>
    </section>
  );
}

function ImportPolicy({ slug, onSaved, onSignedOut }: { slug: string; onSaved: (v: number) => void; onSignedOut: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [problems, setProblems] = useState<SummaryItem[]>([]);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setStatus('');
    setProblems([]);
    setError('');
    const file = input.current?.files?.[0];
    if (!file) {
      setError('Choose a JSON file');
      setProblems([{ message: 'Choose a JSON file', fieldId: 'policy-import-file' }]);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await file.text());
    } catch (err) {
      const message = `${file.name} is not JSON: ${err instanceof Error ? err.message : 'it could not be read'}`;
      setError(message);
      setProblems([{ message, fieldId: 'policy-import-file' }]);
      return;
    }
    setBusy(true);
    try {
      const saved = await creditApi.savePolicy(slug, body);
      setStatus(`Imported ${file.name} as version ${saved.version}.`);
      if (input.current) input.current.value = '';
      onSaved(saved.version);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      const list = err instanceof ApiError ? (err.problem.errors ?? []) : [];
      setError('The file has problems: see the list above');
      setProblems(
        list.length
          ? list.map((p) => ({
              message: (
                <>
                  <code>{p.field}</code>: {p.message}
                </>
              ),
            }))
          : [{ message: describeError(err) }],
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="import-heading">
      <h2 id="import-heading">Import JSON</h2>
      <p>
        A policy file in the format <code>{POLICY_FORMAT}</code>, such as one downloaded below. It is saved as the next
        version; its <code>version</code> field is ignored.
      </p>
      <ErrorSummary title="The file was not imported" items={problems} />
      <form onSubmit={(e) => void submit(e)} noValidate aria-label="Import a policy file">
        <div class={error ? 'field field-error' : 'field'}>
          <label for="policy-import-file">Policy file</label>
          {error ? (
            <p class="error-message" id="policy-import-file-error">
              <span class="visually-hidden">Error: </span>
              {error}
            </p>
          ) : null}
          <input
            ref={input}
            type="file"
            id="policy-import-file"
            accept=".json,application/json"
            aria-describedby={error ? 'policy-import-file-error' : undefined}
            aria-invalid={error ? 'true' : undefined}
          />
        </div>
        <div class="actions">
          <button type="submit" class="button" aria-disabled={busy ? 'true' : undefined}>
            {busy ? 'Importing…' : 'Import'}
          </button>
          <Status>{status}</Status>
        </div>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------- page

function PolicyPage({ district, onSignedOut }: DistrictContext) {
  const slug = district.slug;
  const [answer, setAnswer] = useState<PolicyAnswer | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [viewing, setViewing] = useState<Policy | null>(null);
  const [viewError, setViewError] = useState('');
  const [initial, setInitial] = useState<Draft | null>(null);
  const [refresh, setRefresh] = useState(0);
  const focus = useFocusTarget();

  useEffect(() => {
    creditApi
      .policy(slug)
      .then((a) => {
        setAnswer(a);
        setLoadError(null);
        setInitial((old) => old ?? (a.current ? fromPolicy(a.current) : starter(district)));
      })
      .catch((err: unknown) => {
        if (!signedOut(err, onSignedOut)) setLoadError(describeError(err));
      });
  }, [slug, refresh]);

  const view = async (version: number) => {
    setViewError('');
    try {
      setViewing(await creditApi.policyVersion(slug, version));
      focus('version-view-heading');
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setViewError(describeError(err));
    }
  };

  if (loadError) return <p class="notice notice-error">Could not load the policy. {loadError}</p>;
  if (!answer) return <p role="status">Loading the policy…</p>;
  const latest = answer.versions.reduce((m, v) => Math.max(m, v.version), 0);

  return (
    <div class="cards">
      <section class="card" aria-labelledby="in-force-heading">
        <h2 id="in-force-heading">The policy in force</h2>
        {answer.current ? (
          <PolicySummary policy={answer.current} idPrefix="in-force" />
        ) : (
          <p>
            No policy is in force yet
            {answer.versions.length > 0 ? ': the versions saved come into force later' : ''}.
            {district.can_manage ? ' Write the first one below.' : ' The district’s administrators write it.'}
          </p>
        )}
        {district.can_decide ? null : (
          <p>
            <Link href={creditHref.claimNew(slug)}>Claim credit</Link> · <Link href="/learning">My learning</Link>
          </p>
        )}
      </section>
      <section class="card" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        <ZoneNote />
        {answer.versions.length === 0 ? (
          <p>No version has been saved yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="data">
              <caption class="visually-hidden">Versions of the policy</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Name</th>
                  <th scope="col">In force from</th>
                  <th scope="col">Saved</th>
                  <th scope="col">Actions</th>
                </tr>
              </thead>
              <tbody>
                {answer.versions.map((v) => (
                  <tr key={v.version}>
                    <th scope="row">
                      {v.version}
                      {answer.current?.version === v.version ? <span class="badge badge-approved">In force</span> : null}
                    </th>
                    <td>{v.name}</td>
                    <td>{formatDate(v.effective_on)}</td>
                    <td>
                      <DateTime iso={v.saved_at} />
                      <br />
                      <span class="muted">by {v.saved_by}</span>
                    </td>
                    <td>
                      <div class="actions">
                        <button type="button" class="button button-secondary" onClick={() => void view(v.version)}>
                          View<span class="visually-hidden"> version {v.version}</span>
                        </button>
                        <a href={creditDownloads.policyVersion(slug, v.version)} download={`${slug}-policy-v${v.version}.json`}>
                          Download JSON<span class="visually-hidden"> of version {v.version}</span>
                        </a>
                      </div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {viewError ? <ErrorSummary title="The version could not be shown" items={[{ message: viewError }]} /> : null}
        {viewing ? (
          <section class="notice" aria-labelledby="version-view-heading">
            <h3 id="version-view-heading" tabIndex={-1}>
              Version {viewing.version}
            </h3>
            <PolicySummary policy={viewing} idPrefix="version-view" />
            <div class="actions">
              {district.can_manage ? (
                <button
                  type="button"
                  class="button button-secondary"
                  onClick={() => {
                    setInitial(fromPolicy(viewing));
                    focus(pathId('name'));
                  }}
                >
                  Edit from version {viewing.version}
                </button>
              ) : null}
              <button type="button" class="button button-secondary" onClick={() => setViewing(null)}>
                Close version {viewing.version}
              </button>
            </div>
          </section>
        ) : null}
      </section>
      {district.can_manage && initial ? (
        <>
          <Editor
            district={district}
            initial={initial}
            nextVersion={latest + 1}
            onSaved={() => setRefresh((r) => r + 1)}
            onSignedOut={onSignedOut}
          />
          <ImportPolicy slug={slug} onSaved={() => setRefresh((r) => r + 1)} onSignedOut={onSignedOut} />
        </>
      ) : null}
    </div>
  );
}

export function CreditPolicy({ slug }: { slug: string }) {
  return (
    <DistrictFrame slug={slug} title="Credit policy" here={creditHref.policy(slug)}>
      {(ctx) => <PolicyPage {...ctx} />}
    </DistrictFrame>
  );
}
