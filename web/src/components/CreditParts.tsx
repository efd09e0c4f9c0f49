// Pieces shared by the credit pages: the district frame, a claim's evaluation, its status,
// the audit trail.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, describeError, signedOut } from '../api';
import type { District, User } from '../api';
import {
  auditActionName,
  claimStatusName,
  creditApi,
  creditHref,
  describeEvidence,
  evidenceKindName,
  hoursText,
  numberText,
  suggestionName,
  suggestionSentence,
  tierName,
} from '../credit';
import type { AuditEntry, Claim, Evaluation, MyEvidence, Policy, RuleResult } from '../credit';
import { districtHref } from '../districts';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { formatDate, viewerTimeZone } from '../time';
import { DateTime } from './DateTime';
import { Page } from './Page';

export type DistrictContext = { district: District; user: User; onSignedOut: () => void };

type FrameProps = {
  slug: string;
  /** The page's heading. */
  title: string;
  /** This page's address, to come back to after signing in. */
  here: string;
  /** Who may use the page beyond members: approvers (and admins), or admins. */
  need?: 'approver' | 'admin';
  /** A line under the heading, before the page's own content. */
  class?: string;
  children: (ctx: DistrictContext) => ComponentChildren;
};

/**
 * A page about one district: sends people who are signed out to sign in (and back), loads
 * the district, explains when it is unknown or not theirs, and checks the role the page needs.
 */
export function DistrictFrame({ slug, title, here, need, class: cls, children }: FrameProps) {
  const { user, setUser } = useSession();
  const [district, setDistrict] = useState<District | null | undefined>(undefined);
  const [denied, setDenied] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const onSignedOut = () => setUser(null);

  useEffect(() => {
    if (user === null) navigate(`/signin?next=${encodeURIComponent(here)}`, { replace: true });
  }, [user]);

  useEffect(() => {
    if (!user) return;
    api
      .getDistrict(slug)
      .then((d) => {
        setDistrict(d);
        setDenied(null);
        setLoadError(null);
      })
      .catch((err: unknown) => {
        if (signedOut(err, onSignedOut)) return;
        if (err instanceof ApiError && err.status === 404) setDistrict(null);
        else if (err instanceof ApiError && err.status === 403) setDenied(describeError(err));
        else setLoadError(describeError(err));
      });
  }, [slug, user?.id]);

  if (!user) return null;

  const allowed =
    district && (need === 'admin' ? district.can_manage : need === 'approver' ? district.can_decide : true);
  return (
    <Page title={title} documentTitle={district ? `${title} · ${district.name}` : title} class={cls}>
      <p class="breadcrumbs no-print">
        {district ? (
          <Link href={districtHref(slug)}>{district.name}</Link>
        ) : (
          <Link href="/districts">All your districts</Link>
        )}
      </p>
      {district && allowed ? (
        children({ district, user, onSignedOut })
      ) : district ? (
        <p class="notice notice-warning">
          {need === 'admin'
            ? `Only administrators of ${district.name} can use this page.`
            : `Only approvers and administrators of ${district.name} can use this page.`}
        </p>
      ) : district === null ? (
        <p>There is no district called “{slug}”.</p>
      ) : denied ? (
        <div class="notice notice-warning">
          <p>{denied}.</p>
          <p>
            If you work there, join it on <Link href="/districts">your Districts page</Link> with the code your district
            gives you.
          </p>
        </div>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the district. {loadError}</p>
      ) : (
        <p role="status">Loading the district…</p>
      )}
    </Page>
  );
}

/**
 * A wide table that scrolls sideways on a narrow screen. The scrolling box takes focus, so
 * it can be scrolled with the keyboard, and is named after its table.
 */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap table-scroll" tabIndex={0} role="region" aria-label={`${label} (table)`}>
      {children}
    </div>
  );
}

/** The sentence under a heading that says in which zone times are shown. */
export function ZoneNote() {
  return <p class="muted">Times are shown in your time zone ({viewerTimeZone()}).</p>;
}

/** A claim's status as a badge with its word. */
export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge badge-${status}`}>{claimStatusName(status)}</span>;
}

/** What the engine suggests, as a badge. */
export function SuggestionBadge({ suggestion }: { suggestion: string }) {
  return <span class={`badge badge-suggest-${suggestion}`}>{suggestionName(suggestion)}</span>;
}

/** A rule of the engine in words: "Requirement 1 of the tier", "Cap 2". */
export function ruleName(rule: string, policy: Policy | null | undefined): string {
  const req = /^tier\.requirements\[(\d+)\]$/.exec(rule);
  if (req) return `Evidence requirement ${Number(req[1]) + 1} of the tier`;
  const cap = /^caps\[(\d+)\]$/.exec(rule);
  if (cap) {
    const c = policy?.caps[Number(cap[1])];
    return `Cap ${Number(cap[1]) + 1}${c ? ` (${c.max_hours} hours a ${c.period})` : ''}`;
  }
  const names: Record<string, string> = {
    'policy.in_force': 'A policy was in force',
    'tier.exists': 'The tier exists',
    'evidence.found': 'The evidence is on record and yours',
    'evidence.unused': 'The evidence backs no other claim',
    'learning.present': 'The claim names learning',
    'learning.format': 'The format counts',
    'learning.provider': 'The provider is approved',
    'learning.theme': 'The theme counts',
    'learning.self_reported': 'Self-reported learning counts',
    'learning.minutes': 'The learning shows minutes',
    'learning.deadline': 'Claimed within the deadline',
    'tier.min_hours': 'The tier’s minimum hours',
    'evidence.due': 'Missing evidence can still be added',
    'credit.earned': 'The learning earns credit after rounding',
  };
  return names[rule] ?? rule;
}

/** The credit of an evaluation, in hours, CEUs and semester credits. */
export function CreditFacts({
  clock,
  verified,
  trimmed,
  ceus,
  semester,
}: {
  clock: number;
  verified: number;
  trimmed: number;
  ceus: number;
  semester: number;
}) {
  return (
    <dl class="figures credit-figures">
      <div class="figure">
        <dt>Clock hours</dt>
        <dd>{numberText(clock)}</dd>
      </div>
      <div class="figure">
        <dt>CEUs</dt>
        <dd>{numberText(ceus)}</dd>
      </div>
      <div class="figure">
        <dt>Semester credits</dt>
        <dd>{numberText(semester)}</dd>
      </div>
      <div class="figure">
        <dt>Verified hours of learning</dt>
        <dd>{numberText(verified)}</dd>
      </div>
      {trimmed > 0 ? (
        <div class="figure">
          <dt>Hours taken off by caps</dt>
          <dd>{numberText(trimmed)}</dd>
        </div>
      ) : null}
    </dl>
  );
}

function RuleRow({ r, policy, mine }: { r: RuleResult; policy: Policy | null | undefined; mine: MyEvidence | null }) {
  const ref = r.evidence ? `${r.evidence.kind}:${r.evidence.id}` : null;
  return (
    <tr class={r.passed ? 'rule-passed' : 'rule-failed'}>
      <th scope="row">
        {ruleName(r.rule, policy)}
        <br />
        <code class="muted">{r.rule}</code>
      </th>
      <td>
        <span class={r.passed ? 'pass' : 'fail'}>
          <span aria-hidden="true">{r.passed ? '✓ ' : '✗ '}</span>
          {r.passed ? 'Passed' : 'Failed'}
        </span>
      </td>
      <td>
        {r.reason}
        {ref ? (
          <>
            <br />
            <span class="muted">
              {evidenceKindName(r.evidence?.kind ?? '')}: {mine ? describeEvidence(ref, mine) : <code>{ref}</code>}
            </span>
          </>
        ) : null}
      </td>
    </tr>
  );
}

/**
 * A pending claim's evaluation: what the engine suggests, the credit, the evidence still
 * missing and every rule with its reason.
 */
export function EvaluationView({
  evaluation,
  policy,
  forApprover,
  mine = null,
  idPrefix,
  level = 2,
}: {
  evaluation: Evaluation;
  policy: Policy | null | undefined;
  forApprover: boolean;
  mine?: MyEvidence | null;
  idPrefix: string;
  /** The level of the section headings. */
  level?: 2 | 3;
}) {
  const H = level === 2 ? 'h2' : 'h3';
  const S = level === 2 ? 'h3' : 'h4';
  const e = evaluation;
  const failed = e.rules.filter((r) => !r.passed).length;
  return (
    <section class="evaluation" aria-labelledby={`${idPrefix}-heading`}>
      <H id={`${idPrefix}-heading`} tabIndex={-1}>
        How the policy judges this claim
      </H>
      <p class={`suggestion suggestion-${e.suggestion}`}>
        <strong>Suggestion: {suggestionName(e.suggestion)}.</strong> {suggestionSentence(e.suggestion, forApprover)}
      </p>
      <p class="muted">
        Judged under version {e.policy_version || '—'} of the policy, for the tier {tierName(policy, e.tier)}.{' '}
        {failed === 0 ? 'Every rule passed.' : `${failed} of ${e.rules.length} rules failed.`}
      </p>
      <S>Credit</S>
      <CreditFacts
        clock={e.credit.clock_hours}
        verified={e.credit.verified_minutes / 60}
        trimmed={e.credit.trimmed_minutes / 60}
        ceus={e.credit.ceus}
        semester={e.credit.semester_credits}
      />
      <S id={`${idPrefix}-missing-heading`}>Missing evidence</S>
      {e.missing.length === 0 ? (
        <p>Nothing is missing.</p>
      ) : (
        <ul aria-labelledby={`${idPrefix}-missing-heading`} class="missing-list">
          {e.missing.map((m, i) => (
            <li key={i}>
              {m.what}
              {m.due_on ? (
                <>
                  {' '}
                  — <strong>due by {formatDate(m.due_on)}</strong>
                </>
              ) : (
                ' — it can no longer be added'
              )}{' '}
              <span class="muted">({ruleName(m.rule, policy)})</span>
            </li>
          ))}
        </ul>
      )}
      <TableScroll label="Every rule, in the order the policy checks them">
        <table class="data rules">
          <caption>Every rule, in the order the policy checks them</caption>
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Result</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {e.rules.map((r, i) => (
              <RuleRow key={i} r={r} policy={policy} mine={mine} />
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

/** The credit an approved claim keeps. */
export function ApprovedCredit({ claim }: { claim: Claim }) {
  const c = claim.credit;
  if (!c) return null;
  return (
    <CreditFacts
      clock={c.clock_hours}
      verified={c.verified_hours}
      trimmed={c.trimmed_hours}
      ceus={c.ceus}
      semester={c.semester_credits}
    />
  );
}

/** The credit of a claim in one phrase: its approved credit, or what the engine would give. */
export function claimHours(claim: Claim): string {
  if (claim.credit) return hoursText(claim.credit.clock_hours);
  if (claim.evaluation) return hoursText(claim.evaluation.credit.clock_hours);
  return '—';
}

/** Who decided a claim, when, and why. */
export function Decision({ claim }: { claim: Claim }) {
  if (claim.status === 'pending') return null;
  const who = claim.decided_by || 'Someone';
  const verb = claim.status === 'approved' ? 'Approved' : claim.status === 'denied' ? 'Denied' : 'Withdrawn';
  return (
    <p class="decision">
      {verb} by {who}
      {claim.decided_at ? (
        <>
          {' '}
          on <DateTime iso={claim.decided_at} />
        </>
      ) : null}
      {claim.policy_version ? ` under version ${claim.policy_version} of the policy` : ''}.
      {claim.reason ? (
        <>
          {' '}
          {claim.status === 'denied' ? 'Reason' : 'Note'}: <q>{claim.reason}</q>
        </>
      ) : null}
    </p>
  );
}

/** The audit trail, newest first. */
export function AuditTrail({
  slug,
  claim,
  onSignedOut,
  refresh = 0,
  headingId,
  title,
}: {
  slug: string;
  claim?: number;
  onSignedOut: () => void;
  /** Changes when something was decided here, to read the trail again. */
  refresh?: number;
  headingId: string;
  title: string;
}) {
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    creditApi
      .audit(slug, claim)
      .then((a) => {
        setItems(a.items);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!signedOut(err, onSignedOut)) setError(describeError(err));
      });
  }, [slug, claim, refresh]);
  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p class="muted">
        Every policy version saved, every submission, withdrawal and decision, and every refused attempt, newest first.
        Times are in your time zone ({viewerTimeZone()}).
      </p>
      {error ? (
        <p class="error-message">Could not load the audit trail. {error}</p>
      ) : items === null ? (
        <p>Loading the audit trail…</p>
      ) : items.length === 0 ? (
        <p>Nothing has happened yet.</p>
      ) : (
        <TableScroll label={title}>
          <table class="data audit">
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                {claim ? null : <th scope="col">Claim</th>}
                <th scope="col">Policy version</th>
                <th scope="col">Detail</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <td>
                    <DateTime iso={a.at} />
                  </td>
                  <td>{a.actor || <span class="muted">Unknown</span>}</td>
                  <td>{auditActionName(a.action)}</td>
                  {claim ? null : (
                    <td>
                      {a.claim_id ? (
                        <Link href={creditHref.claim(slug, a.claim_id)}>Claim {a.claim_id}</Link>
                      ) : (
                        <span class="muted">—</span>
                      )}
                    </td>
                  )}
                  <td>{a.policy_version || <span class="muted">—</span>}</td>
                  <td>{a.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
