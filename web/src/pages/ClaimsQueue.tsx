import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { describeError, signedOut } from '../api';
import { Confirm } from '../components/Confirm';
import { AuditTrail, DistrictFrame, StatusBadge, SuggestionBadge, claimHours } from '../components/CreditParts';
import type { DistrictContext } from '../components/CreditParts';
import { DateTime } from '../components/DateTime';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { Status } from '../components/Status';
import {
  CLAIM_STATUSES,
  SUGGESTIONS,
  claimStatusName,
  creditApi,
  creditHref,
  suggestionName,
  tierName,
} from '../credit';
import type { BulkOutcome, Claim, ClaimFilter, ClaimStatus, Policy, Suggestion } from '../credit';
import { useFocusTarget } from '../hooks';
import { Link, replaceQuery } from '../router';
import { viewerTimeZone } from '../time';

const PAGE_SIZE = 25;

type Filters = { status: string; tier: string; school: string; suggestion: string };

function filtersFrom(search: string): Filters {
  const q = new URLSearchParams(search);
  return {
    status: q.get('status') ?? 'pending',
    tier: q.get('tier') ?? '',
    school: q.get('school') ?? '',
    suggestion: q.get('suggestion') ?? '',
  };
}

function queryOf(f: Filters): string {
  const q = new URLSearchParams();
  if (f.status && f.status !== 'pending') q.set('status', f.status);
  if (f.tier) q.set('tier', f.tier);
  if (f.school) q.set('school', f.school);
  if (f.suggestion) q.set('suggestion', f.suggestion);
  return q.toString();
}

function Outcomes({ outcomes }: { outcomes: BulkOutcome[] }) {
  useLayoutEffect(() => {
    document.getElementById('bulk-outcome-heading')?.focus();
  }, [outcomes]);
  const ok = outcomes.filter((o) => o.approved).length;
  return (
    <section class="notice" aria-labelledby="bulk-outcome-heading">
      <h3 id="bulk-outcome-heading" tabIndex={-1}>
        {ok} of {outcomes.length} claim{outcomes.length === 1 ? '' : 's'} approved
      </h3>
      <ul>
        {outcomes.map((o) => (
          <li key={o.claim_id} class={o.approved ? 'outcome-ok' : 'outcome-refused'}>
            Claim {o.claim_id}: {o.approved ? `approved, ${o.detail}` : `not approved. ${o.detail}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Queue({ district, onSignedOut, search }: DistrictContext & { search: string }) {
  const slug = district.slug;
  const [draft, setDraft] = useState<Filters>(() => filtersFrom(search));
  const [applied, setApplied] = useState<Filters>(() => filtersFrom(search));
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<{ items: Claim[]; next: string | null } | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [bulkError, setBulkError] = useState('');
  const [outcomes, setOutcomes] = useState<BulkOutcome[] | null>(null);
  const [refresh, setRefresh] = useState(0);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();

  useEffect(() => {
    creditApi
      .policy(slug)
      .then((p) => setPolicy(p.current))
      .catch(() => setPolicy(null));
  }, [slug]);

  const load = async () => {
    try {
      const filter: ClaimFilter = {
        status: (applied.status || 'pending') as ClaimStatus | 'all',
        tier: applied.tier || undefined,
        school: applied.school || undefined,
        suggestion: (applied.suggestion || undefined) as Suggestion | undefined,
        limit: PAGE_SIZE,
        cursor: cursors[cursors.length - 1] ?? null,
      };
      setPage(await creditApi.claims(slug, filter));
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    void load();
  }, [slug, applied, cursors, refresh]);

  const apply = (e: Event) => {
    e.preventDefault();
    setStatus('');
    setSelected([]);
    setApplied(draft);
    setCursors([null]);
    replaceQuery(queryOf(draft));
  };

  const approveSelected = async () => {
    setBulkError('');
    try {
      const answer = await creditApi.approveMany(slug, selected, '');
      setConfirming(false);
      setOutcomes(answer.items);
      setSelected([]);
      setRefresh((r) => r + 1);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setConfirming(false);
      setBulkError(describeError(err));
      focus('approve-selected');
    }
  };

  const items = page?.items ?? [];
  const pendingHere = items.filter((k) => k.status === 'pending');
  const tiers = policy?.tiers ?? [];
  const allTicked = pendingHere.length > 0 && pendingHere.every((k) => selected.includes(k.id));
  const pageNumber = cursors.length;

  return (
    <>
      <p>
        Claims of the district’s educators. Pending claims show what the policy engine suggests; open a claim to see its
        evidence and every rule, then approve it, or deny it with a reason. Times are shown in your time zone (
        {viewerTimeZone()}).
      </p>
      <p>
        <Link href={creditHref.reports(slug)}>Credit reports</Link> ·{' '}
        <Link href={creditHref.policy(slug)}>The credit policy</Link>
      </p>
      <form class="catalog-search" role="search" aria-label="Claims" onSubmit={apply} noValidate>
        <div class="filter-grid">
          <Field
            id="queue-status"
            label="Status"
            type="select"
            options={[...CLAIM_STATUSES.map((s) => ({ value: s, label: claimStatusName(s) })), { value: 'all', label: 'All' }]}
            value={draft.status}
            onValue={(v) => setDraft({ ...draft, status: v })}
          />
          <Field
            id="queue-tier"
            label="Tier"
            type="select"
            options={[{ value: '', label: 'All tiers' }, ...tiers.map((t) => ({ value: t.id, label: t.name }))]}
            value={draft.tier}
            onValue={(v) => setDraft({ ...draft, tier: v })}
          />
          <Field
            id="queue-school"
            label="School"
            type="select"
            options={[{ value: '', label: 'All schools' }, ...district.schools.map((s) => ({ value: s.name, label: s.name }))]}
            value={draft.school}
            onValue={(v) => setDraft({ ...draft, school: v })}
          />
          <Field
            id="queue-suggestion"
            label="Suggestion"
            type="select"
            hint="Pending claims only."
            options={[{ value: '', label: 'Any suggestion' }, ...SUGGESTIONS.map((s) => ({ value: s, label: suggestionName(s) }))]}
            value={draft.suggestion}
            onValue={(v) => setDraft({ ...draft, suggestion: v })}
          />
        </div>
        <button type="submit" class="button">
          Show claims
        </button>
      </form>
      <Status>{status}</Status>
      {outcomes ? <Outcomes outcomes={outcomes} /> : null}
      {loadError ? (
        <p class="notice notice-error">Could not load the claims. {loadError}</p>
      ) : page === null ? (
        <p role="status">Loading the claims…</p>
      ) : items.length === 0 ? (
        <p>No claims match these filters.</p>
      ) : (
        <>
          <div class="table-wrap">
            <table class="data queue">
              <caption>
                Claims{applied.status === 'all' ? '' : `, ${claimStatusName(applied.status).toLowerCase()}`}: {items.length}{' '}
                on page {pageNumber}
              </caption>
              <thead>
                <tr>
                  <th scope="col">
                    <input
                      type="checkbox"
                      id="queue-select-all"
                      aria-label="Select every pending claim on this page"
                      checked={allTicked}
                      disabled={pendingHere.length === 0}
                      onChange={(e) =>
                        setSelected(e.currentTarget.checked ? pendingHere.map((k) => k.id) : [])
                      }
                    />
                  </th>
                  <th scope="col">Claim</th>
                  <th scope="col">Educator</th>
                  <th scope="col">School</th>
                  <th scope="col">Tier</th>
                  <th scope="col">Submitted</th>
                  <th scope="col">Suggestion</th>
                  <th scope="col">Credit</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {items.map((k) => (
                  <tr key={k.id}>
                    <td>
                      {k.status === 'pending' ? (
                        <input
                          type="checkbox"
                          id={`queue-select-${k.id}`}
                          aria-label={`Select claim ${k.id} by ${k.educator.name}`}
                          checked={selected.includes(k.id)}
                          onChange={(e) => {
                            const on = e.currentTarget.checked;
                            setSelected((s) => (on ? [...s.filter((x) => x !== k.id), k.id] : s.filter((x) => x !== k.id)));
                          }}
                        />
                      ) : null}
                    </td>
                    <th scope="row">
                      <Link href={creditHref.claim(slug, k.id)}>
                        Claim {k.id}
                        <span class="visually-hidden"> by {k.educator.name}</span>
                      </Link>
                    </th>
                    <td>
                      {k.educator.name}
                      <br />
                      <span class="muted">{k.educator.email}</span>
                    </td>
                    <td>{k.educator.school || <span class="muted">None</span>}</td>
                    <td>{tierName(policy, k.tier)}</td>
                    <td>
                      <DateTime iso={k.submitted_at} />
                    </td>
                    <td>{k.evaluation ? <SuggestionBadge suggestion={k.evaluation.suggestion} /> : <span class="muted">—</span>}</td>
                    <td>{claimHours(k)}</td>
                    <td>
                      <StatusBadge status={k.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="actions">
            {confirming ? (
              <Confirm
                id="approve-selected-question"
                question={`Approve ${selected.length} claim${selected.length === 1 ? '' : 's'} (${selected
                  .map((id) => `claim ${id}`)
                  .join(', ')})? Each is approved only if it still meets the policy; you see what happened to each one.`}
                yes="Yes, approve"
                danger={false}
                onYes={() => void approveSelected()}
                onCancel={() => {
                  setConfirming(false);
                  focus('approve-selected');
                }}
              />
            ) : (
              <button
                type="button"
                id="approve-selected"
                class="button"
                aria-disabled={selected.length === 0 ? 'true' : undefined}
                onClick={() => {
                  setBulkError('');
                  setOutcomes(null);
                  if (selected.length === 0) {
                    setBulkError('Select the pending claims to approve first.');
                    return;
                  }
                  setConfirming(true);
                }}
              >
                Approve selected{selected.length ? ` (${selected.length})` : ''}
              </button>
            )}
          </div>
          {bulkError ? <ErrorSummary title="Nothing was approved" items={[{ message: bulkError }]} /> : null}
          {cursors.length > 1 || page.next ? (
            <nav aria-label="Pages of claims" class="actions">
              <button
                type="button"
                class="button button-secondary"
                aria-disabled={cursors.length > 1 ? undefined : 'true'}
                onClick={() => {
                  if (cursors.length > 1) setCursors((c) => c.slice(0, -1));
                }}
              >
                Previous page
              </button>
              <span>Page {pageNumber}</span>
              <button
                type="button"
                class="button button-secondary"
                aria-disabled={page.next ? undefined : 'true'}
                onClick={() => {
                  if (page.next) setCursors((c) => [...c, page.next]);
                }}
              >
                Next page
              </button>
            </nav>
          ) : null}
        </>
      )}
      <AuditTrail
        slug={slug}
        onSignedOut={onSignedOut}
        refresh={refresh}
        headingId="district-audit-heading"
        title="Audit trail of the district"
      />
    </>
  );
}

export function ClaimsQueue({ slug, search }: { slug: string; search: string }) {
  return (
    <DistrictFrame slug={slug} title="Claims to decide" here={creditHref.queue(slug) + search} need="approver">
      {(ctx) => <Queue {...ctx} search={search} />}
    </DistrictFrame>
  );
}
