// Credit: what educators record, their claims, the district's policy, transcripts and
// reports (docs/CREDIT.md; the JSON shapes of src/credit/routes.cpp and engine.cpp).
import { formatName } from './activities';
import { api, request } from './api';
import { districtHref } from './districts';
import { formatDate } from './time';

// ---------------------------------------------------------------- what educators record

export type AttendanceSource = 'check_in' | 'attendance_list' | 'xapi';
export const ATTENDANCE_SOURCES: readonly AttendanceSource[] = ['check_in', 'attendance_list', 'xapi'];

/** An attendance record from a host: a check-in, an attendance list or an xAPI statement. */
export type Participation = {
  id: number;
  /** "participation:12" */
  evidence: string;
  activity_id: number;
  activity_title: string;
  host: string;
  format: string;
  themes: string[];
  source: AttendanceSource;
  role: 'attendee' | 'presenter' | 'facilitator';
  session_starts_at: string;
  minutes: number;
};

export type AttestationState = 'none' | 'requested' | 'attested' | 'declined';

export type SelfReport = {
  id: number;
  /** "self_report:3" */
  evidence: string;
  title: string;
  format: string;
  /** YYYY-MM-DD */
  learned_on: string;
  minutes: number;
  url: string;
  reflection: string;
  reflection_words: number;
  attestation: {
    state: AttestationState;
    email: string;
    note: string;
    at: string | null;
    /** "attestation:3" once attested, else null. */
    evidence: string | null;
  };
  created_at: string;
  updated_at: string;
};

export type SupportKind = 'survey' | 'reflection' | 'artifact';

export type SupportingEvidence = {
  id: number;
  /** "survey:4" */
  evidence: string;
  kind: SupportKind;
  title: string;
  body: string;
  words: number;
  file_name: string;
  content_type: string;
  size: number;
  created_at: string;
};

export type MyEvidence = {
  participation: Participation[];
  self_reports: SelfReport[];
  supporting: SupportingEvidence[];
};

export type LearningInput = {
  title: string;
  format: string;
  learned_on: string;
  minutes: number;
  url: string;
  reflection: string;
};

export type SupportInput =
  | { kind: 'survey' | 'reflection'; title: string; body: string }
  | { kind: 'artifact'; title: string; file_name: string; content_type: string; content_base64: string };

export type AttestationRequest = {
  educator: string;
  title: string;
  format: string;
  learned_on: string;
  minutes: number;
  url: string;
};

/** The largest artifact the server keeps. */
export const MAX_ARTIFACT_BYTES = 512 * 1024;

// ---------------------------------------------------------------- claims

export type Suggestion = 'approve' | 'review' | 'needs_evidence' | 'deny';
export const SUGGESTIONS: readonly Suggestion[] = ['approve', 'review', 'needs_evidence', 'deny'];

export type ClaimStatus = 'pending' | 'approved' | 'denied' | 'withdrawn';
export const CLAIM_STATUSES: readonly ClaimStatus[] = ['pending', 'approved', 'denied', 'withdrawn'];

/** Credit as the engine states it (evaluations, transcripts). */
export type EngineCredit = {
  verified_minutes: number;
  minutes: number;
  clock_hours: number;
  trimmed_minutes: number;
  ceus: number;
  semester_credits: number;
};

/** The credit an approved claim keeps. */
export type ClaimCredit = {
  verified_hours: number;
  clock_hours: number;
  trimmed_hours: number;
  ceus: number;
  semester_credits: number;
};

export type EvidenceKey = { kind: string; id: number };

export type RuleResult = { rule: string; passed: boolean; reason: string; evidence?: EvidenceKey };

export type MissingEvidence = { rule: string; what: string; due_on: string | null };

export type Allocation = {
  evidence: EvidenceKey;
  learned_at: string;
  format: string;
  self_reported: boolean;
  verified_minutes: number;
  minutes: number;
  activity_id?: number;
  provider_id?: number;
};

export type Evaluation = {
  claim_id: number;
  educator_id: number;
  submitted_at: string;
  tier: string;
  policy_version: number;
  suggestion: Suggestion;
  rules: RuleResult[];
  missing: MissingEvidence[];
  credit: EngineCredit;
  allocations: Allocation[];
  backing: EvidenceKey[];
  completed_at: string | null;
};

export type Claim = {
  id: number;
  educator: { id: number; name: string; email: string; school: string };
  tier: string;
  note: string;
  evidence: string[];
  submitted_at: string;
  status: ClaimStatus;
  policy_version: number;
  decided_by: string;
  decided_at: string | null;
  reason: string;
  credit: ClaimCredit | null;
  evaluation: Evaluation | null;
};

export type ClaimFilter = {
  status?: ClaimStatus | 'all';
  tier?: string;
  school?: string;
  educator?: number;
  suggestion?: Suggestion;
  limit?: number;
  cursor?: string | null;
};

export type BulkOutcome = { claim_id: number; approved: boolean; detail: string };

export type AuditEntry = {
  id: number;
  claim_id: number | null;
  actor: string;
  action: string;
  policy_version: number;
  detail: string;
  at: string;
};

// ---------------------------------------------------------------- the policy

export type Selection<T> = 'all' | T[];

export type EvidenceRuleKind = 'host_attendance' | 'survey' | 'reflection' | 'artifact' | 'colleague_attestation';
export const EVIDENCE_RULE_KINDS: readonly EvidenceRuleKind[] = [
  'host_attendance',
  'survey',
  'reflection',
  'artifact',
  'colleague_attestation',
];

export type EvidenceOption = { kind: EvidenceRuleKind; sources?: AttendanceSource[]; min_words?: number };

export type Tier = {
  id: string;
  name: string;
  level: number;
  deadline_days: number;
  min_hours: number;
  requirements: { any_of: EvidenceOption[] }[];
  approver_review: boolean;
};

export type CapScope = 'all' | 'format' | 'each_format' | 'provider' | 'each_provider' | 'self_reported';
export const CAP_SCOPES: readonly CapScope[] = ['all', 'format', 'each_format', 'provider', 'each_provider', 'self_reported'];

export type Cap = { applies_to: CapScope; format?: string; provider?: number; period: 'year' | 'cycle'; max_hours: number };

export const ROUNDINGS = [
  'none',
  'nearest_quarter_hour',
  'down_to_quarter_hour',
  'nearest_half_hour',
  'down_to_half_hour',
  'nearest_hour',
  'down_to_hour',
] as const;
export type Rounding = (typeof ROUNDINGS)[number];

export const POLICY_FORMAT = 'staffroom.credit-policy/1';

export type Policy = {
  format: string;
  name: string;
  version?: number;
  effective_on: string;
  time_zone: string;
  counts: {
    formats: Selection<string>;
    providers: Selection<number>;
    themes: Selection<string>;
    self_reported: {
      counts: boolean;
      formats: Selection<string>;
      requires_attestation: boolean;
      min_reflection_words: number;
    };
  };
  conversion: {
    rounding: Rounding;
    hours_per_ceu: number;
    hours_per_semester_credit: number;
    presenter_multiplier: number;
    facilitator_multiplier: number;
  };
  tiers: Tier[];
  caps: Cap[];
  renewal: { required_hours: number; cycle_years: number; starts_on: string };
};

export type PolicyVersionInfo = {
  version: number;
  name: string;
  effective_on: string;
  saved_at: string;
  saved_by: string;
};

export type PolicyAnswer = { current: (Policy & { version: number }) | null; versions: PolicyVersionInfo[] };

// ---------------------------------------------------------------- transcripts and reports

export type CycleProgress = {
  number: number;
  starts_on: string;
  ends_on: string;
  current: boolean;
  tiers: { tier: string; credit: EngineCredit }[];
  total: EngineCredit;
  required_hours: number;
  remaining_hours: number;
  percent: number;
  met: boolean;
};

export type TranscriptAnswer = {
  educator: { name: string; email: string };
  district: string;
  policy: { version: number; name: string; time_zone: string };
  transcript: { educator_id: number; cycle_starts_on: string; cycles: CycleProgress[] };
  claims: Claim[];
};

export type ReportRow = { key: string; claims: number; educators: number; clock_hours: number };

export type CreditReport = {
  by: { school: ReportRow[]; format: ReportRow[]; provider: ReportRow[]; theme: ReportRow[] };
  pending_claims: number;
};

// ---------------------------------------------------------------- requests

const d = (slug: string) => `/api/v1/districts/${encodeURIComponent(slug)}`;
const n = (id: number) => encodeURIComponent(String(id));

function claimQuery(f: ClaimFilter): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.tier) q.set('tier', f.tier);
  if (f.school) q.set('school', f.school);
  if (f.educator) q.set('educator', String(f.educator));
  if (f.suggestion) q.set('suggestion', f.suggestion);
  if (f.limit) q.set('limit', String(f.limit));
  if (f.cursor) q.set('cursor', f.cursor);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const creditApi = {
  myEvidence: () => request<MyEvidence>('GET', '/api/v1/me/evidence'),
  logLearning: (input: LearningInput) => request<SelfReport>('POST', '/api/v1/me/learning', input),
  updateLearning: (id: number, input: LearningInput) => request<SelfReport>('PUT', `/api/v1/me/learning/${n(id)}`, input),
  deleteLearning: (id: number) => request<null>('DELETE', `/api/v1/me/learning/${n(id)}`),
  requestAttestation: (id: number, email: string) =>
    request<SelfReport>('POST', `/api/v1/me/learning/${n(id)}/attestation`, { email }),
  attestation: (token: string) => request<AttestationRequest>('GET', `/api/v1/attestations/${encodeURIComponent(token)}`),
  answerAttestation: (token: string, decision: 'attest' | 'decline', note: string) =>
    request<{ state: AttestationState }>('POST', `/api/v1/attestations/${encodeURIComponent(token)}`, { decision, note }),
  addEvidence: (input: SupportInput) => request<SupportingEvidence>('POST', '/api/v1/me/evidence', input),
  deleteEvidence: (id: number) => request<null>('DELETE', `/api/v1/me/evidence/${n(id)}`),

  policy: (slug: string) => request<PolicyAnswer>('GET', `${d(slug)}/policy`),
  policyVersion: (slug: string, version: number) =>
    request<Policy & { version: number }>('GET', `${d(slug)}/policy/versions/${n(version)}`),
  savePolicy: (slug: string, policy: unknown) =>
    request<Policy & { version: number }>('POST', `${d(slug)}/policy/versions`, policy),

  submitClaim: (slug: string, input: { tier: string; evidence: string[]; note: string }) =>
    request<Claim>('POST', `${d(slug)}/claims`, input),
  myClaims: (slug: string) => request<{ items: Claim[] }>('GET', `${d(slug)}/my-claims`),
  claims: (slug: string, filter: ClaimFilter) =>
    request<{ items: Claim[]; next: string | null }>('GET', `${d(slug)}/claims${claimQuery(filter)}`),
  claim: (slug: string, id: number) => request<Claim>('GET', `${d(slug)}/claims/${n(id)}`),
  withdrawClaim: (slug: string, id: number) => request<null>('DELETE', `${d(slug)}/claims/${n(id)}`),
  decide: (slug: string, id: number, decision: 'approve' | 'deny', reason: string) =>
    request<Claim>('POST', `${d(slug)}/claims/${n(id)}/decision`, { decision, reason }),
  approveMany: (slug: string, claims: number[], reason: string) =>
    request<{ items: BulkOutcome[] }>('POST', `${d(slug)}/claim-approvals`, { claims, reason }),
  audit: (slug: string, claim?: number) =>
    request<{ items: AuditEntry[] }>('GET', `${d(slug)}/audit${claim ? `?claim=${n(claim)}` : ''}`),

  transcript: (slug: string, educator?: number | null) =>
    request<TranscriptAnswer>('GET', `${d(slug)}/transcript${educator ? `?educator=${n(educator)}` : ''}`),
  report: (slug: string) => request<CreditReport>('GET', `${d(slug)}/reports/credit`),
};

/** Addresses of downloads (outside the JSON the app reads). */
export const creditDownloads = {
  policyVersion: (slug: string, version: number) => `${d(slug)}/policy/versions/${n(version)}?download=true`,
  transcript: (slug: string, format: 'csv' | 'pdf', educator?: number | null) =>
    `${d(slug)}/transcript?format=${format}${educator ? `&educator=${n(educator)}` : ''}`,
  licensure: (slug: string) => `${d(slug)}/reports/licensure.csv`,
  artifact: (id: number) => `/api/v1/evidence/${n(id)}/content`,
};

/** The app's pages for credit in a district. */
export const creditHref = {
  claimNew: (slug: string) => `${districtHref(slug)}/claims/new`,
  myClaims: (slug: string) => `${districtHref(slug)}/my-claims`,
  queue: (slug: string) => `${districtHref(slug)}/claims`,
  claim: (slug: string, id: number) => `${districtHref(slug)}/claims/${n(id)}`,
  policy: (slug: string) => `${districtHref(slug)}/policy`,
  transcript: (slug: string, educator?: number | null) =>
    `${districtHref(slug)}/transcript${educator ? `?educator=${n(educator)}` : ''}`,
  reports: (slug: string) => `${districtHref(slug)}/reports`,
};

// ---------------------------------------------------------------- words

/**
 * Words as the server counts them: runs of letters or digits; an apostrophe or hyphen
 * inside a word keeps it one word ("well-known", "it's").
 */
export function countWords(text: string): number {
  const m = text.match(/[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*/gu);
  return m ? m.length : 0;
}

export function wordsText(count: number): string {
  return count === 1 ? '1 word' : `${count.toLocaleString()} words`;
}

const hoursFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** "1.5 hours", "1 hour". */
export function hoursText(hours: number): string {
  const h = Number.isFinite(hours) ? hours : 0;
  return `${hoursFormat.format(h)} ${h === 1 ? 'hour' : 'hours'}`;
}

/** "45 minutes", "1 hour 30 minutes". */
export function minutesText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const parts = [];
  if (h) parts.push(h === 1 ? '1 hour' : `${h} hours`);
  if (m || !h) parts.push(m === 1 ? '1 minute' : `${m} minutes`);
  return parts.join(' ');
}

export function numberText(value: number): string {
  return hoursFormat.format(value);
}

/** "1,2 KB" style sizes. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${hoursFormat.format(bytes / 1024)} KiB`;
  return `${hoursFormat.format(bytes / 1024 / 1024)} MiB`;
}

const SOURCE_NAMES: Record<AttendanceSource, string> = {
  check_in: 'Check-in',
  attendance_list: 'Host’s attendance list',
  xapi: 'Reported by the platform (xAPI)',
};

export function sourceName(source: string): string {
  return SOURCE_NAMES[source as AttendanceSource] ?? source;
}

const ROLE_NAMES: Record<string, string> = { attendee: 'Attended', presenter: 'Presented', facilitator: 'Facilitated' };

export function participationRoleName(role: string): string {
  return ROLE_NAMES[role] ?? role;
}

const ATTESTATION_NAMES: Record<AttestationState, string> = {
  none: 'Not asked',
  requested: 'Requested',
  attested: 'Attested',
  declined: 'Declined',
};

export function attestationName(state: AttestationState): string {
  return ATTESTATION_NAMES[state] ?? state;
}

const KIND_NAMES: Record<string, string> = {
  participation: 'Participation',
  self_report: 'Logged learning',
  survey: 'Survey',
  reflection: 'Reflection',
  artifact: 'Artifact',
  attestation: 'Colleague’s attestation',
};

export function evidenceKindName(kind: string): string {
  return KIND_NAMES[kind] ?? kind;
}

const RULE_KIND_NAMES: Record<EvidenceRuleKind, string> = {
  host_attendance: 'Attendance verified by the host',
  survey: 'A survey',
  reflection: 'A reflection',
  artifact: 'An artifact',
  colleague_attestation: 'A colleague’s attestation',
};

export function evidenceRuleName(kind: string): string {
  return RULE_KIND_NAMES[kind as EvidenceRuleKind] ?? kind;
}

const STATUS_NAMES: Record<ClaimStatus, string> = {
  pending: 'Pending',
  approved: 'Approved',
  denied: 'Denied',
  withdrawn: 'Withdrawn',
};

export function claimStatusName(status: string): string {
  return STATUS_NAMES[status as ClaimStatus] ?? status;
}

const SUGGESTION_NAMES: Record<Suggestion, string> = {
  approve: 'Approve',
  review: 'Review the evidence',
  needs_evidence: 'Needs evidence',
  deny: 'Deny',
};

export function suggestionName(s: string): string {
  return SUGGESTION_NAMES[s as Suggestion] ?? s;
}

/** What the engine suggests, as a sentence for the educator or the approver. */
export function suggestionSentence(s: Suggestion, forApprover: boolean): string {
  switch (s) {
    case 'approve':
      return forApprover
        ? 'Every rule of the policy is met: approve it for the credit shown.'
        : 'Every rule of the policy is met. An approver can approve it for the credit shown.';
    case 'review':
      return forApprover
        ? 'Every rule is met, but this tier asks an approver to look at the evidence before approving.'
        : 'Every rule is met. This tier asks an approver to look at your evidence before approving it.';
    case 'needs_evidence':
      return forApprover
        ? 'Evidence is missing that the educator can still add before it is due; it cannot be approved yet.'
        : 'Some evidence is still missing. Add it before the date shown and the claim is judged again.';
    case 'deny':
      return forApprover
        ? 'Nothing can make this claim pass: it is not eligible, too late, or no credit is left. Deny it with a reason.'
        : 'This claim cannot pass the policy as it is: see the rules that failed. You can withdraw it.';
    default:
      return s;
  }
}

const ROUNDING_NAMES: Record<Rounding, string> = {
  none: 'No rounding: every minute counts',
  nearest_quarter_hour: 'To the nearest quarter hour',
  down_to_quarter_hour: 'Down to a quarter hour',
  nearest_half_hour: 'To the nearest half hour',
  down_to_half_hour: 'Down to a half hour',
  nearest_hour: 'To the nearest hour',
  down_to_hour: 'Down to a whole hour',
};

export function roundingName(r: string): string {
  return ROUNDING_NAMES[r as Rounding] ?? r;
}

const CAP_SCOPE_NAMES: Record<CapScope, string> = {
  all: 'All learning',
  format: 'One format',
  each_format: 'Each format separately',
  provider: 'One provider',
  each_provider: 'Each provider separately',
  self_reported: 'Self-reported learning',
};

export function capScopeName(s: string): string {
  return CAP_SCOPE_NAMES[s as CapScope] ?? s;
}

const AUDIT_NAMES: Record<string, string> = {
  policy_saved: 'Policy saved',
  submitted: 'Claim submitted',
  withdrawn: 'Claim withdrawn',
  approved: 'Claim approved',
  denied: 'Claim denied',
  refused: 'Refused attempt',
};

export function auditActionName(action: string): string {
  return AUDIT_NAMES[action] ?? action;
}

/** A piece of evidence named "kind:id", described with what is known about it. */
export function describeEvidence(ref: string, mine: MyEvidence | null): string {
  const [kind = '', raw = ''] = ref.split(':');
  const id = Number(raw);
  if (mine) {
    if (kind === 'participation') {
      const p = mine.participation.find((x) => x.id === id);
      if (p) return `${p.activity_title} (${p.host}), ${minutesText(p.minutes)}`;
    } else if (kind === 'self_report' || kind === 'attestation') {
      const r = mine.self_reports.find((x) => x.id === id);
      if (r)
        return kind === 'attestation'
          ? `${r.attestation.email} attested “${r.title}”`
          : `${r.title}, ${formatDate(r.learned_on)}, ${minutesText(r.minutes)}`;
    } else {
      const s = mine.supporting.find((x) => x.id === id && x.kind === kind);
      if (s) return s.title;
    }
  }
  return `number ${raw}`;
}

/** "Logged learning: Title…" */
export function evidenceLabel(ref: string, mine: MyEvidence | null): string {
  const kind = ref.split(':')[0] ?? '';
  return `${evidenceKindName(kind)}: ${describeEvidence(ref, mine)}`;
}

/** The format of learning in words. */
export { formatName };

/** A tier's name from the policy, or its id. */
export function tierName(policy: Policy | null | undefined, id: string): string {
  return policy?.tiers.find((t) => t.id === id)?.name ?? id;
}

/** The parts of a survey's answers (JSON in `body`), or null when it is something else. */
export function surveyAnswers(body: string): { question: string; answer: string }[] | null {
  try {
    const v: unknown = JSON.parse(body);
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    return Object.entries(v as Record<string, unknown>).map(([k, a]) => ({
      question: SURVEY_QUESTIONS.find((q) => q.key === k)?.question ?? k,
      answer: typeof a === 'string' ? a : JSON.stringify(a),
    }));
  } catch {
    return null;
  }
}

/** The three questions of the short survey; the answers are kept as JSON by these keys. */
export const SURVEY_QUESTIONS = [
  { key: 'learned', question: 'What did you learn?' },
  { key: 'apply', question: 'How will you use it in your teaching?' },
  { key: 'rating', question: 'How useful was it?' },
] as const;

export const SURVEY_RATINGS = [
  { value: 'very_useful', label: 'Very useful' },
  { value: 'useful', label: 'Useful' },
  { value: 'somewhat_useful', label: 'Somewhat useful' },
  { value: 'not_useful', label: 'Not useful' },
];

// ---------------------------------------------------------------- evidence claims rest on

/** A claim that rests on a piece of evidence. */
export type EvidenceUse = { slug: string; district: string; claim: number; status: ClaimStatus };

/**
 * Which of the caller's records pending or approved claims rest on, in every district they
 * belong to, by evidence reference ("self_report:3"). Such records cannot be changed.
 */
export async function evidenceUses(): Promise<Map<string, EvidenceUse[]>> {
  const mine = await api.myDistricts();
  const out = new Map<string, EvidenceUse[]>();
  const lists = await Promise.all(
    mine.memberships.map(async (m) => {
      try {
        return { m, claims: (await creditApi.myClaims(m.district.slug)).items };
      } catch {
        return { m, claims: [] as Claim[] };
      }
    }),
  );
  for (const { m, claims } of lists) {
    for (const k of claims) {
      if (k.status !== 'pending' && k.status !== 'approved') continue;
      for (const ref of k.evidence) {
        const use = { slug: m.district.slug, district: m.district.name, claim: k.id, status: k.status };
        out.set(ref, [...(out.get(ref) ?? []), use]);
      }
    }
  }
  return out;
}

/** "claim 12 in Springfield (pending)" for each use. */
export function usesText(uses: EvidenceUse[]): string {
  return uses.map((u) => `claim ${u.claim} in ${u.district} (${claimStatusName(u.status).toLowerCase()})`).join(', ');
}
