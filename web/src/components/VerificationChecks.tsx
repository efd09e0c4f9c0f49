// What the verifier found: the verdict, each check with its reason, and every proof's own
// checks. Each result is written out and has its own shape of icon, never colour alone.
import { checkName, checkStatusName, proofCheckName } from '../credentials';
import type { Check, CheckStatus, Verification } from '../credentials';
import { sentence } from '../forms';

/** A tick, a cross or a dash in a circle; the words next to it say the same. */
export function CheckIcon({ status }: { status: CheckStatus | 'verified' | 'unverified' }) {
  const kind = status === 'verified' ? 'passed' : status === 'unverified' ? 'failed' : status;
  return (
    <svg class={`check-icon check-icon-${kind}`} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <circle cx="12" cy="12" r="11" />
      {kind === 'passed' ? (
        <path d="M6.5 12.5 L10.5 16.5 L17.5 8.5" />
      ) : kind === 'failed' ? (
        <path d="M8 8 L16 16 M16 8 L8 16" />
      ) : (
        <path d="M7 12 L17 12" />
      )}
    </svg>
  );
}

function CheckItem({ check, name }: { check: Check; name: string }) {
  return (
    <li class={`check check-${check.status}`}>
      <CheckIcon status={check.status} />
      <div>
        <p class="check-head">
          <strong>{name}</strong>: <span class="check-status">{checkStatusName(check.status)}</span>
        </p>
        {check.detail ? <p class="check-detail">{sentence(check.detail)}</p> : null}
      </div>
    </li>
  );
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The verdict in one sentence, naming what failed or was not checked. */
function verdictSentence(v: Verification): string {
  const failed = v.checks.filter((c) => c.status === 'failed');
  const skipped = v.checks.filter((c) => c.status === 'skipped');
  const names = (list: Check[]) => list.map((c) => checkName(c.check).toLowerCase()).join(', ');
  if (failed.length > 0) {
    return `${count(failed.length, 'check', 'checks')} of ${v.checks.length} failed: ${names(failed)}. Do not rely on this credential.`;
  }
  if (skipped.length > 0) {
    return `Every check that could be run passed; ${count(skipped.length, 'check was', 'checks were')} not run: ${names(skipped)}.`;
  }
  return 'Every check passed.';
}

type Level = 2 | 3;

/**
 * The verdict, prominently: "Verified" or "Not verified", with what failed. The heading
 * takes focus when `headingId` is asked to (after a check).
 */
export function VerificationResult({
  verification,
  headingId,
  level = 2,
  showSubject = false,
  context = 'Verification',
}: {
  verification: Verification;
  headingId: string;
  level?: Level;
  /** Read before the verdict by screen readers, so the heading makes sense in a list of headings. */
  context?: string;
  /** Also say which achievement and issuer the credential names (on the verify page). */
  showSubject?: boolean;
}) {
  const H = level === 2 ? 'h2' : 'h3';
  const ok = verification.verified;
  return (
    <div class={ok ? 'verdict verdict-verified' : 'verdict verdict-unverified'}>
      <CheckIcon status={ok ? 'verified' : 'unverified'} />
      <div>
        <H id={headingId} tabIndex={-1} class="verdict-title">
          <span class="visually-hidden">{context}: </span>
          {ok ? 'Verified' : 'Not verified'}
        </H>
        <p>{verdictSentence(verification)}</p>
        {showSubject ? (
          <dl class="facts facts-compact">
            <div>
              <dt>Achievement</dt>
              <dd>{verification.achievement || <span class="muted">Not named</span>}</dd>
            </div>
            <div>
              <dt>Issuer</dt>
              <dd>{verification.issuer ? <code>{verification.issuer}</code> : <span class="muted">Not named</span>}</dd>
            </div>
          </dl>
        ) : null}
      </div>
    </div>
  );
}

/**
 * Each check of a verification as a list (schema, proof, issuer, dates, status), and a
 * disclosure with the checks of every proof.
 */
export function VerificationChecks({
  verification,
  idPrefix,
  level = 2,
}: {
  verification: Verification;
  idPrefix: string;
  /** The level of the headings here. */
  level?: Level;
}) {
  const H = level === 2 ? 'h2' : 'h3';
  const S = level === 2 ? 'h3' : 'h4';
  const { proof } = verification;
  return (
    <div class="verification">
      <H id={`${idPrefix}-checks-heading`}>What was checked</H>
      <ul class="checks" aria-labelledby={`${idPrefix}-checks-heading`}>
        {verification.checks.map((c) => (
          <CheckItem key={c.check} check={c} name={checkName(c.check)} />
        ))}
      </ul>
      <details class="proof-details">
        <summary>
          The signature in detail ({count(proof.proofs.length, 'proof', 'proofs')},{' '}
          {proof.verified ? 'verified' : 'not verified'})
        </summary>
        {proof.errors.length > 0 ? (
          <>
            <S id={`${idPrefix}-proof-errors`}>Problems with the proofs</S>
            <ul class="proof-errors" aria-labelledby={`${idPrefix}-proof-errors`}>
              {proof.errors.map((e, i) => (
                <li key={i}>{sentence(e)}</li>
              ))}
            </ul>
          </>
        ) : null}
        {proof.proofs.length === 0 ? <p>The credential carries no proof to check.</p> : null}
        {proof.proofs.map((p, i) => {
          const id = `${idPrefix}-proof-${i}`;
          return (
            <section key={i} class="proof" aria-labelledby={id}>
              <S id={id}>
                Proof {i + 1}: {p.verified ? 'verified' : 'not verified'}
              </S>
              <dl class="facts facts-compact">
                <div>
                  <dt>Verification method</dt>
                  <dd>{p.verificationMethod ? <code>{p.verificationMethod}</code> : <span class="muted">None</span>}</dd>
                </div>
                <div>
                  <dt>Controller</dt>
                  <dd>{p.controller ? <code>{p.controller}</code> : <span class="muted">Unknown</span>}</dd>
                </div>
              </dl>
              <ul class="checks checks-compact" aria-labelledby={id}>
                {p.checks.map((c) => (
                  <CheckItem key={c.check} check={c} name={proofCheckName(c.check)} />
                ))}
              </ul>
            </section>
          );
        })}
      </details>
    </div>
  );
}
