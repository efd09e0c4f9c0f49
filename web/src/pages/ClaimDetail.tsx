import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeError, signedOut } from '../api';
import { Confirm } from '../components/Confirm';
import {
  ApprovedCredit,
  AuditTrail,
  Decision,
  DistrictFrame,
  EvaluationView,
  StatusBadge,
  ZoneNote,
} from '../components/CreditParts';
import type { DistrictContext } from '../components/CreditParts';
import { DateTime } from '../components/DateTime';
import { ErrorSummary } from '../components/ErrorSummary';
import type { SummaryItem } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { Status } from '../components/Status';
import {
  creditApi,
  creditDownloads,
  creditHref,
  describeEvidence,
  evidenceKindName,
  formatName,
  minutesText,
  tierName,
} from '../credit';
import type { Claim, MyEvidence, Policy } from '../credit';
import { useFocusTarget } from '../hooks';
import { Link } from '../router';

function EvidenceOfClaim({ claim, mine }: { claim: Claim; mine: MyEvidence | null }) {
  const allocations = claim.evaluation?.allocations ?? [];
  return (
    <section class="card" aria-labelledby="claim-evidence-heading">
      <h2 id="claim-evidence-heading">Evidence</h2>
      <ul class="evidence-list">
        {claim.evidence.map((ref) => {
          const [kind = '', id = ''] = ref.split(':');
          return (
            <li key={ref}>
              <strong>{evidenceKindName(kind)}</strong> <code>{ref}</code>
              {mine ? <> — {describeEvidence(ref, mine)}</> : null}
              {kind === 'artifact' ? (
                <>
                  {' '}
                  <a href={creditDownloads.artifact(Number(id))} download>
                    Download the artifact<span class="visually-hidden"> {ref}</span>
                  </a>
                </>
              ) : null}
            </li>
          );
        })}
      </ul>
      {allocations.length > 0 ? (
        <div class="table-wrap">
          <table class="data">
            <caption>Learning the policy credits</caption>
            <thead>
              <tr>
                <th scope="col">Learning</th>
                <th scope="col">When</th>
                <th scope="col">Format</th>
                <th scope="col">Minutes shown</th>
                <th scope="col">Minutes credited</th>
              </tr>
            </thead>
            <tbody>
              {allocations.map((a) => {
                const ref = `${a.evidence.kind}:${a.evidence.id}`;
                return (
                  <tr key={ref}>
                    <th scope="row">
                      {evidenceKindName(a.evidence.kind)} <code>{ref}</code>
                      {a.self_reported ? <span class="muted"> (self-reported)</span> : null}
                    </th>
                    <td>
                      <DateTime iso={a.learned_at} />
                    </td>
                    <td>{formatName(a.format)}</td>
                    <td>{minutesText(a.verified_minutes)}</td>
                    <td>{minutesText(a.minutes)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function DecisionPanel({
  claim,
  slug,
  onDecided,
  onSignedOut,
}: {
  claim: Claim;
  slug: string;
  onDecided: (k: Claim, message: string) => void;
  onSignedOut: () => void;
}) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');
  const [problems, setProblems] = useState<SummaryItem[]>([]);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const focus = useFocusTarget();

  const decide = async (decision: 'approve' | 'deny') => {
    if (busy) return;
    setBusy(true);
    setProblems([]);
    setReasonError('');
    try {
      const k = await creditApi.decide(slug, claim.id, decision, reason.trim());
      setConfirming(false);
      onDecided(k, decision === 'approve' ? `Claim ${k.id} approved.` : `Claim ${k.id} denied.`);
    } catch (err) {
      setConfirming(false);
      if (signedOut(err, onSignedOut)) return;
      if (err instanceof ApiError && err.problem.errors?.some((e) => e.field === 'reason')) {
        const m = err.problem.errors.find((e) => e.field === 'reason')?.message ?? '';
        setReasonError(m.charAt(0).toUpperCase() + m.slice(1));
        setProblems([{ message: `Reason: ${m}`, fieldId: 'decision-reason' }]);
      } else {
        setProblems([{ message: describeError(err) }]);
      }
      focus(decision === 'approve' ? 'decision-approve' : 'decision-deny');
    } finally {
      setBusy(false);
    }
  };

  const askDeny = () => {
    setProblems([]);
    if (!reason.trim()) {
      const message = 'Enter the reason for denying: the educator sees it';
      setReasonError(message);
      setProblems([{ message, fieldId: 'decision-reason' }]);
      return;
    }
    setReasonError('');
    setConfirming(true);
  };

  return (
    <section class="card" aria-labelledby="decision-heading">
      <h2 id="decision-heading" tabIndex={-1}>
        Decide
      </h2>
      <p>
        Approving keeps the credit shown above exactly as it is. Denying needs a reason, which {claim.educator.name}{' '}
        sees. A decided claim cannot be changed.
      </p>
      <ErrorSummary title={`Claim ${claim.id} was not decided`} items={problems} />
      <Field
        id="decision-reason"
        label="Reason"
        type="textarea"
        hint="Required to deny; a note for the educator when approving."
        value={reason}
        onValue={setReason}
        error={reasonError || undefined}
        maxLength={2000}
      />
      {confirming ? (
        <Confirm
          id="deny-question"
          question={`Deny claim ${claim.id} by ${claim.educator.name}? They see your reason; the decision cannot be changed.`}
          yes="Yes, deny the claim"
          onYes={() => void decide('deny')}
          onCancel={() => {
            setConfirming(false);
            focus('decision-deny');
          }}
        />
      ) : (
        <div class="actions">
          <button
            type="button"
            id="decision-approve"
            class="button"
            aria-disabled={busy ? 'true' : undefined}
            onClick={() => void decide('approve')}
          >
            Approve claim {claim.id}
          </button>
          <button type="button" id="decision-deny" class="button button-danger" onClick={askDeny}>
            Deny claim {claim.id}…
          </button>
        </div>
      )}
    </section>
  );
}

function Withdraw({ claim, slug, onDone, onSignedOut }: { claim: Claim; slug: string; onDone: () => void; onSignedOut: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const focus = useFocusTarget();
  const withdraw = async () => {
    try {
      await creditApi.withdrawClaim(slug, claim.id);
      setConfirming(false);
      onDone();
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setConfirming(false);
      setError(describeError(err));
      focus('claim-withdraw');
    }
  };
  return (
    <>
      {confirming ? (
        <Confirm
          id="withdraw-question"
          question={`Withdraw claim ${claim.id}? Its records can then be changed or claimed again.`}
          yes="Yes, withdraw"
          onYes={() => void withdraw()}
          onCancel={() => {
            setConfirming(false);
            focus('claim-withdraw');
          }}
        />
      ) : (
        <button type="button" id="claim-withdraw" class="button button-secondary" onClick={() => setConfirming(true)}>
          Withdraw claim {claim.id}
        </button>
      )}
      {error ? <ErrorSummary title="The claim was not withdrawn" items={[{ message: error }]} /> : null}
    </>
  );
}

function ClaimView({ district, user, onSignedOut, id }: DistrictContext & { id: number }) {
  const slug = district.slug;
  const [claim, setClaim] = useState<Claim | null | undefined>(undefined);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [mine, setMine] = useState<MyEvidence | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [refresh, setRefresh] = useState(0);
  const focus = useFocusTarget();

  const load = async () => {
    try {
      const [k, p] = await Promise.all([creditApi.claim(slug, id), creditApi.policy(slug)]);
      setClaim(k);
      setPolicy(p.current);
      if (k.educator.id === user.id) setMine(await creditApi.myEvidence());
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      if (err instanceof ApiError && err.status === 404) setClaim(null);
      else setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    void load();
  }, [slug, id]);

  if (loadError) return <p class="notice notice-error">Could not load the claim. {loadError}</p>;
  if (claim === null) return <p>{district.name} has no claim {id} that you can see.</p>;
  if (claim === undefined) return <p role="status">Loading the claim…</p>;

  const own = claim.educator.id === user.id;
  return (
    <>
      <ZoneNote />
      <p class="no-print">
        {district.can_decide ? <Link href={creditHref.queue(slug)}>All claims to decide</Link> : null}
        {district.can_decide && own ? ' · ' : null}
        {own ? <Link href={creditHref.myClaims(slug)}>Your claims</Link> : null}
      </p>
      <Status>{status}</Status>
      <div class="cards">
        <section class="card" aria-labelledby="claim-facts-heading">
          <h2 id="claim-facts-heading" tabIndex={-1}>
            Claim {claim.id} <StatusBadge status={claim.status} />
          </h2>
          <dl class="facts">
            <div>
              <dt>Educator</dt>
              <dd>
                {claim.educator.name} ({claim.educator.email})
              </dd>
            </div>
            <div>
              <dt>School</dt>
              <dd>{claim.educator.school || 'None'}</dd>
            </div>
            <div>
              <dt>Tier</dt>
              <dd>{tierName(policy, claim.tier)}</dd>
            </div>
            <div>
              <dt>Submitted</dt>
              <dd>
                <DateTime iso={claim.submitted_at} />
              </dd>
            </div>
            {claim.note ? (
              <div>
                <dt>Educator’s note</dt>
                <dd>{claim.note}</dd>
              </div>
            ) : null}
          </dl>
          <Decision claim={claim} />
          {claim.status === 'approved' ? <ApprovedCredit claim={claim} /> : null}
          {own && claim.status === 'pending' ? (
            <Withdraw
              claim={claim}
              slug={slug}
              onDone={() => {
                setStatus(`Claim ${claim.id} withdrawn.`);
                setRefresh((r) => r + 1);
                void load();
                focus('claim-facts-heading');
              }}
              onSignedOut={onSignedOut}
            />
          ) : null}
        </section>
        <EvidenceOfClaim claim={claim} mine={mine} />
        {claim.evaluation ? (
          <div class="card">
            <EvaluationView
              evaluation={claim.evaluation}
              policy={policy}
              forApprover={!own}
              mine={mine}
              idPrefix="claim-evaluation"
            />
          </div>
        ) : null}
        {district.can_decide && !own && claim.status === 'pending' ? (
          <DecisionPanel
            claim={claim}
            slug={slug}
            onDecided={(k, message) => {
              setClaim(k);
              setStatus(message);
              setRefresh((r) => r + 1);
              focus('claim-facts-heading');
            }}
            onSignedOut={onSignedOut}
          />
        ) : null}
        {district.can_decide ? (
          <AuditTrail
            slug={slug}
            claim={claim.id}
            onSignedOut={onSignedOut}
            refresh={refresh}
            headingId="claim-audit-heading"
            title={`Audit trail of claim ${claim.id}`}
          />
        ) : null}
      </div>
    </>
  );
}

export function ClaimDetail({ slug, id }: { slug: string; id: number }) {
  return (
    <DistrictFrame slug={slug} title={`Claim ${id}`} here={creditHref.claim(slug, id)}>
      {(ctx) => <ClaimView {...ctx} id={id} />}
    </DistrictFrame>
  );
}
