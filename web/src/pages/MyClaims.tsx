import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeError, signedOut } from '../api';
import { Confirm } from '../components/Confirm';
import {
  ApprovedCredit,
  Decision,
  DistrictFrame,
  EvaluationView,
  StatusBadge,
  ZoneNote,
} from '../components/CreditParts';
import type { DistrictContext } from '../components/CreditParts';
import { DateTime } from '../components/DateTime';
import { ErrorSummary } from '../components/ErrorSummary';
import { Status } from '../components/Status';
import { creditApi, creditHref, evidenceLabel, suggestionName, tierName } from '../credit';
import type { Claim, MyEvidence, Policy } from '../credit';
import { useFocusTarget } from '../hooks';
import { Link } from '../router';

function ClaimEntry({
  claim,
  policy,
  mine,
  slug,
  onWithdrawn,
  onSignedOut,
}: {
  claim: Claim;
  policy: Policy | null;
  mine: MyEvidence | null;
  slug: string;
  onWithdrawn: (k: Claim) => void;
  onSignedOut: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const focus = useFocusTarget();
  const base = `my-claim-${claim.id}`;
  const withdraw = async () => {
    setError('');
    try {
      await creditApi.withdrawClaim(slug, claim.id);
      onWithdrawn(claim);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setConfirming(false);
      setError(describeError(err));
      focus(`${base}-withdraw`);
    }
  };
  return (
    <li class="entry claim-entry" aria-labelledby={`${base}-heading`}>
      <h3 id={`${base}-heading`}>
        <Link href={creditHref.claim(slug, claim.id)}>
          Claim {claim.id}: {tierName(policy, claim.tier)}
        </Link>{' '}
        <StatusBadge status={claim.status} />
      </h3>
      <p class="muted">
        Submitted <DateTime iso={claim.submitted_at} />
      </p>
      <ul class="evidence-list" aria-label={`Evidence of claim ${claim.id}`}>
        {claim.evidence.map((ref) => (
          <li key={ref}>{evidenceLabel(ref, mine)}</li>
        ))}
      </ul>
      {claim.note ? (
        <p>
          Your note: <q>{claim.note}</q>
        </p>
      ) : null}
      <Decision claim={claim} />
      {claim.status === 'approved' ? <ApprovedCredit claim={claim} /> : null}
      {claim.status === 'pending' && claim.evaluation ? (
        <>
          <p>
            <strong>Suggestion: {suggestionName(claim.evaluation.suggestion)}.</strong>{' '}
            {claim.evaluation.missing.length > 0
              ? `${claim.evaluation.missing.length} piece${claim.evaluation.missing.length === 1 ? '' : 's'} of evidence missing.`
              : ''}
          </p>
          <details class="claim-details">
            <summary>
              How the policy judges claim {claim.id}
            </summary>
            <EvaluationView
              evaluation={claim.evaluation}
              policy={policy}
              forApprover={false}
              mine={mine}
              idPrefix={`${base}-eval`}
              level={3}
            />
          </details>
        </>
      ) : null}
      {claim.status === 'pending' ? (
        confirming ? (
          <Confirm
            id={`${base}-question`}
            question={`Withdraw claim ${claim.id}? Its records can then be changed or claimed again.`}
            yes="Yes, withdraw"
            onYes={() => void withdraw()}
            onCancel={() => {
              setConfirming(false);
              focus(`${base}-withdraw`);
            }}
          />
        ) : (
          <button
            type="button"
            id={`${base}-withdraw`}
            class="button button-secondary"
            onClick={() => {
              setError('');
              setConfirming(true);
            }}
          >
            Withdraw<span class="visually-hidden"> claim {claim.id}</span>
          </button>
        )
      ) : null}
      {error ? <ErrorSummary title={`Claim ${claim.id} was not withdrawn`} items={[{ message: error }]} /> : null}
    </li>
  );
}

function ClaimsList({ district, onSignedOut }: DistrictContext) {
  const slug = district.slug;
  const [claims, setClaims] = useState<Claim[] | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [mine, setMine] = useState<MyEvidence | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();

  const load = async () => {
    try {
      const [k, p, m] = await Promise.all([creditApi.myClaims(slug), creditApi.policy(slug), creditApi.myEvidence()]);
      setClaims(k.items);
      setPolicy(p.current);
      setMine(m);
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setLoadError(err instanceof ApiError ? describeError(err) : 'Something went wrong.');
    }
  };

  useEffect(() => {
    void load();
  }, [slug]);

  return (
    <>
      <ZoneNote />
      <p>
        <Link href={creditHref.claimNew(slug)}>Claim credit</Link> ·{' '}
        <Link href={creditHref.transcript(slug)}>Your transcript</Link>
      </p>
      <h2 id="my-claims-heading" tabIndex={-1}>
        Your claims, newest first
      </h2>
      <Status>{status}</Status>
      {loadError ? (
        <p class="notice notice-error">Could not load your claims. {loadError}</p>
      ) : claims === null ? (
        <p role="status">Loading your claims…</p>
      ) : claims.length === 0 ? (
        <p>
          You have not claimed credit in {district.name} yet. <Link href={creditHref.claimNew(slug)}>Claim credit</Link>.
        </p>
      ) : (
        <ul class="entries" aria-labelledby="my-claims-heading">
          {claims.map((k) => (
            <ClaimEntry
              key={k.id}
              claim={k}
              policy={policy}
              mine={mine}
              slug={slug}
              onWithdrawn={(gone) => {
                setStatus(`Claim ${gone.id} withdrawn.`);
                focus('my-claims-heading');
                void load();
              }}
              onSignedOut={onSignedOut}
            />
          ))}
        </ul>
      )}
    </>
  );
}

export function MyClaims({ slug }: { slug: string }) {
  return (
    <DistrictFrame slug={slug} title="My claims" here={creditHref.myClaims(slug)}>
      {(ctx) => <ClaimsList {...ctx} />}
    </DistrictFrame>
  );
}
