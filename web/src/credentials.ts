// Credentials: achievements, the Open Badges 3.0 credentials awarded for them, the
// backpack, and verification (docs/CREDENTIALS.md; the credentials API contract).
import { ApiError, request, requestRaw, sendCsv } from './api';

// ---------------------------------------------------------------- achievements

export const OWNER_TYPES = ['campaign', 'organization', 'district'] as const;

export type OwnerType = (typeof OWNER_TYPES)[number];

export type Alignment = {
  target_name: string;
  target_url: string;
  target_framework: string | null;
  target_code: string | null;
};

export const RULE_KINDS = ['attended_activity', 'campaign_hours', 'approved_claim', 'series'] as const;

export type RuleKind = (typeof RULE_KINDS)[number];

/** When credentials are awarded without anyone asking: null means only by hand (or a list). */
export type AwardRule =
  | null
  | { kind: 'attended_activity'; activity: string }
  | { kind: 'campaign_hours'; campaign: string; hours: number }
  | { kind: 'approved_claim'; district: string; tier: string | null }
  | { kind: 'series'; activities: string[] };

export type AchievementInput = {
  slug: string;
  owner_type: OwnerType;
  /** The slug of the campaign, organization or district. */
  owner: string;
  name: string;
  description: string;
  /** Narrative text: what earns the achievement. */
  criteria: string;
  image_url: string | null;
  hours: number | null;
  tags: string[];
  alignments: Alignment[];
  /** Credentials expire this many days after they are issued; null means never. */
  valid_days: number | null;
  rule: AwardRule;
};

export type Achievement = AchievementInput & {
  owner_name: string;
  url: string;
  /** How many credentials were awarded: only for those who manage the achievement. */
  awarded?: number;
  can_manage: boolean;
  created_at: string;
  updated_at: string;
};

export type AchievementFilter = { q?: string; owner_type?: string; owner?: string };

// ---------------------------------------------------------------- credentials

export type Revocation = { at: string; reason: string };

export type CredentialSource = 'manual' | 'bulk' | 'rule';

export type CredentialSummary = {
  id: string;
  /** The credential's public page, as an absolute address. */
  url: string;
  achievement: { slug: string; name: string; image_url: string | null };
  recipient_email: string;
  recipient_name: string | null;
  issued_at: string;
  valid_until: string | null;
  revoked: Revocation | null;
  source: CredentialSource;
  /** Not in the summary yet; shown when the server sends it. */
  issuer?: { id: string; name: string };
};

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export type Check = { check: string; status: CheckStatus; detail: string };

export type ProofReport = {
  index: number;
  verificationMethod: string;
  controller: string;
  verified: boolean;
  checks: Check[];
};

/** The answer of POST /api/v1/verify, and the live verification on a credential's page. */
export type Verification = {
  verified: boolean;
  /** The issuer's id (a DID or URL), or "" when the credential names none. */
  issuer: string;
  /** The achievement's name, or "". */
  achievement: string;
  checks: Check[];
  proof: { verified: boolean; errors: string[]; proofs: ProofReport[] };
};

export type Evidence = { id: string; name: string; narrative: string };

/** A credential's public page. */
export type CredentialPage = Omit<CredentialSummary, 'recipient_email' | 'issuer'> & {
  /** The signed OpenBadgeCredential, JSON-LD. */
  credential: unknown;
  issuer: { id: string; name: string };
  evidence: Evidence[];
  verification: Verification;
  linkedin_url: string;
  can_revoke: boolean;
};

export type AwardInput = { recipient_email: string; narrative?: string; evidence_url?: string };

export type BulkAward = {
  dry_run: boolean;
  /** How many credentials were issued: 0 for a preview. */
  awarded: number;
  /** For a preview: how many would be issued (the server sends it besides the contract's fields). */
  would_award?: number;
  /** The credentials issued; a preview may list none. */
  credentials: CredentialSummary[];
};

/** How many people a list awards, or would award when it is a preview. */
export function awardCount(r: BulkAward): number {
  if (r.dry_run && typeof r.would_award === 'number') return r.would_award;
  return r.dry_run && r.credentials.length > r.awarded ? r.credentials.length : r.awarded;
}

export type IssuerInfo = {
  did: string;
  method: 'key' | 'web';
  keys: { id: string; created_at: string; retired_at: string | null }[];
};

// ---------------------------------------------------------------- the API

const s = (slug: string) => `/api/v1/achievements/${encodeURIComponent(slug)}`;
const c = (id: string) => `/api/v1/credentials/${encodeURIComponent(id)}`;

function filterQuery(f: AchievementFilter): string {
  const q = new URLSearchParams();
  if (f.q) q.set('q', f.q);
  if (f.owner_type) q.set('owner_type', f.owner_type);
  if (f.owner) q.set('owner', f.owner);
  const text = q.toString();
  return text ? `?${text}` : '';
}

export const credentialsApi = {
  achievements: (filter: AchievementFilter = {}) =>
    request<{ items: Achievement[] }>('GET', `/api/v1/achievements${filterQuery(filter)}`),
  achievement: (slug: string) => request<Achievement>('GET', s(slug)),
  createAchievement: (input: AchievementInput) => request<Achievement>('POST', '/api/v1/achievements', input),
  updateAchievement: (slug: string, input: AchievementInput) => request<Achievement>('PUT', s(slug), input),
  award: (slug: string, input: AwardInput) => request<CredentialSummary>('POST', `${s(slug)}/awards`, input),
  awardList: (slug: string, csv: string, dryRun: boolean) =>
    sendCsv<BulkAward>('POST', `${s(slug)}/awards?dry_run=${dryRun ? 'true' : 'false'}`, csv),
  awards: (slug: string) => request<{ items: CredentialSummary[] }>('GET', `${s(slug)}/awards`),
  credential: (id: string) => request<CredentialPage>('GET', c(id)),
  revoke: (id: string, reason: string) => request<CredentialSummary>('POST', `${c(id)}/revoke`, { reason }),
  backpack: () => request<{ items: CredentialSummary[] }>('GET', '/api/v1/me/credentials'),
  issuer: () => request<IssuerInfo>('GET', '/api/v1/issuer'),
  /** Checks a credential exactly as it was pasted or uploaded. */
  verify: (text: string) => requestRaw<Verification>('POST', '/api/v1/verify', { text, type: 'application/json' }),
};

/** The app's pages for achievements and credentials. */
export const credentialHref = {
  achievements: (q?: string) => `/achievements${q ? `?q=${encodeURIComponent(q)}` : ''}`,
  newAchievement: () => '/achievements/new',
  achievement: (slug: string) => `/achievements/${encodeURIComponent(slug)}`,
  editAchievement: (slug: string) => `/achievements/${encodeURIComponent(slug)}/edit`,
  credential: (id: string) => `/credentials/${encodeURIComponent(id)}`,
  /** The signed credential as a file (JSON-LD). */
  download: (id: string) => `/credentials/${encodeURIComponent(id)}.jsonld`,
  backpack: () => '/backpack',
  verify: (url?: string) => `/verify${url ? `?url=${encodeURIComponent(url)}` : ''}`,
};

/**
 * The signed credential at `url` (one of this site's credential pages), as text, for the
 * verify page. Only this site can be read: the browser does not let the app read others.
 */
export async function fetchCredentialText(url: URL): Promise<string> {
  let res: Response;
  try {
    res = await fetch(url.href, {
      headers: { Accept: 'application/ld+json, application/vc+ld+json;q=0.9' },
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(
      0,
      { title: 'Network error', detail: 'Could not reach Staffroom. Check your connection and try again.' },
      null,
    );
  }
  const text = await res.text();
  if (!res.ok) {
    let problem: { detail?: string; title?: string } = {};
    try {
      problem = JSON.parse(text) as { detail?: string; title?: string };
    } catch {
      problem = { title: res.statusText };
    }
    throw new ApiError(res.status, { status: res.status, ...problem }, null);
  }
  const type = res.headers.get('content-type') ?? '';
  if (!/json/i.test(type)) {
    throw new ApiError(
      415,
      { detail: `The address did not answer with a credential (it sent ${type.split(';')[0] || 'no content type'})` },
      null,
    );
  }
  return text;
}

// ---------------------------------------------------------------- words

const OWNER_TYPE_NAMES: Record<OwnerType, string> = {
  campaign: 'Campaign',
  organization: 'Organization',
  district: 'District',
};

export function ownerTypeName(type: string): string {
  return OWNER_TYPE_NAMES[type as OwnerType] ?? type;
}

/** The app's page of an achievement's owner; districts are private to their members. */
export function ownerHref(type: string, slug: string): string | null {
  if (type === 'campaign') return `/campaigns/${encodeURIComponent(slug)}`;
  if (type === 'organization') return `/organizations/${encodeURIComponent(slug)}`;
  if (type === 'district') return `/districts/${encodeURIComponent(slug)}`;
  return null;
}

const RULE_KIND_NAMES: Record<RuleKind, string> = {
  attended_activity: 'Attending an activity',
  campaign_hours: 'Hours of learning in a campaign',
  approved_claim: 'An approved credit claim in a district',
  series: 'Attending every activity of a series',
};

export function ruleKindName(kind: string): string {
  return RULE_KIND_NAMES[kind as RuleKind] ?? kind;
}

const SOURCE_NAMES: Record<CredentialSource, string> = {
  manual: 'Awarded by hand',
  bulk: 'Awarded from a list',
  rule: 'Earned automatically',
};

export function credentialSourceName(source: string): string {
  return SOURCE_NAMES[source as CredentialSource] ?? source;
}

export type CredentialState = 'valid' | 'expired' | 'revoked';

/** Whether a credential still stands: revoked, past its valid-until date, or valid. */
export function credentialState(c: { revoked: Revocation | null; valid_until: string | null }, now = Date.now()): CredentialState {
  if (c.revoked) return 'revoked';
  if (c.valid_until) {
    const until = Date.parse(c.valid_until);
    if (!Number.isNaN(until) && until <= now) return 'expired';
  }
  return 'valid';
}

const STATE_NAMES: Record<CredentialState, string> = { valid: 'Valid', expired: 'Expired', revoked: 'Revoked' };

export function credentialStateName(state: CredentialState): string {
  return STATE_NAMES[state];
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });

/** "3.5 hours", "1 hour". */
export function hoursText(hours: number): string {
  return `${numberFormat.format(hours)} ${hours === 1 ? 'hour' : 'hours'}`;
}

/** How long a credential stays valid: "1,095 days after it is issued (about 3 years)". */
export function validityText(days: number | null): string {
  if (days === null || days === undefined) return 'It does not expire';
  const base = `${numberFormat.format(days)} ${days === 1 ? 'day' : 'days'} after it is issued`;
  const years = days / 365;
  if (days >= 365 && Math.abs(years - Math.round(years)) < 0.02) {
    const n = Math.round(years);
    return `${base} (about ${n} ${n === 1 ? 'year' : 'years'})`;
  }
  return base;
}

const CHECK_NAMES: Record<string, string> = {
  schema: 'Open Badges 3.0 structure',
  proof: 'Signature',
  issuer: 'Issuer’s key',
  dates: 'Dates',
  status: 'Revocation status',
};

/** A check of the verifier in words: "Signature". */
export function checkName(check: string): string {
  return CHECK_NAMES[check] ?? check;
}

const PROOF_CHECK_NAMES: Record<string, string> = {
  proof: 'The proof is present',
  type: 'Proof type',
  cryptosuite: 'Cryptosuite',
  proofPurpose: 'Proof purpose',
  domain: 'Domain',
  challenge: 'Challenge',
  created: 'Creation time',
  expires: 'Expiry of the proof',
  previousProof: 'Previous proof',
  verificationMethod: 'Verification method',
  authorized: 'The key may sign for the issuer',
  proofValue: 'Proof value',
  transformation: 'Canonical form of the document',
  signature: 'Signature',
};

export function proofCheckName(check: string): string {
  return PROOF_CHECK_NAMES[check] ?? check;
}

const STATUS_NAMES: Record<CheckStatus, string> = { passed: 'Passed', failed: 'Failed', skipped: 'Not checked' };

export function checkStatusName(status: string): string {
  return STATUS_NAMES[status as CheckStatus] ?? status;
}

// ---------------------------------------------------------------- the signed achievement

/** What the signed credential says about its achievement, as far as it says it. */
export type SignedAchievement = {
  name?: string;
  /** Open Badges' creditsAvailable: Staffroom signs the hours of learning there. */
  hours?: number;
  description?: string;
  criteria?: string;
  image?: string;
  tags?: string[];
  alignments?: Alignment[];
};

const obj = (v: unknown): Record<string, unknown> | null =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/**
 * The achievement inside a signed OpenBadgeCredential (credentialSubject.achievement),
 * read defensively: the page shows what was signed, and falls back to the achievement
 * as it is now for anything the credential does not say.
 */
export function signedAchievement(credential: unknown): SignedAchievement {
  const subject = obj(list(obj(credential)?.credentialSubject)[0]);
  const a = obj(subject?.achievement);
  if (!a) return {};
  const image = obj(a.image);
  const alignments = list(a.alignment)
    .map(obj)
    .filter((x): x is Record<string, unknown> => x !== null)
    .map((x) => ({
      target_name: str(x.targetName) ?? '',
      target_url: str(x.targetUrl) ?? '',
      target_framework: str(x.targetFramework) ?? null,
      target_code: str(x.targetCode) ?? null,
    }))
    .filter((x) => x.target_name || x.target_url);
  const tags = list(a.tag).filter((t): t is string => typeof t === 'string' && t.length > 0);
  return {
    name: str(a.name),
    hours: typeof a.creditsAvailable === 'number' ? a.creditsAvailable : undefined,
    description: str(a.description),
    criteria: str(obj(a.criteria)?.narrative),
    image: str(a.image) ?? str(image?.id),
    tags: a.tag === undefined ? undefined : tags,
    alignments: a.alignment === undefined ? undefined : alignments,
  };
}
