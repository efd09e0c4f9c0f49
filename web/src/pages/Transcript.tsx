import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeError, signedOut } from '../api';
import { DistrictFrame, TableScroll, ZoneNote } from '../components/CreditParts';
import type { DistrictContext } from '../components/CreditParts';
import { DateTime } from '../components/DateTime';
import {
  creditApi,
  creditDownloads,
  creditHref,
  evidenceLabel,
  hoursText,
  numberText,
  tierName,
} from '../credit';
import type { CycleProgress, MyEvidence, Policy, TranscriptAnswer } from '../credit';
import { Link } from '../router';
import { describeTimeZone, formatDateRange, formatDay } from '../time';

function Progress({ cycle, id }: { cycle: CycleProgress; id: string }) {
  const percent = Math.max(0, Math.min(100, cycle.percent));
  const text = `${numberText(cycle.total.clock_hours)} of ${hoursText(cycle.required_hours)} (${percent}%)`;
  return (
    <div class="progress">
      <p id={`${id}-label`} class="progress-label">
        Toward the renewal requirement: <strong>{text}</strong>
        {cycle.met ? ' — requirement met' : ` — ${hoursText(cycle.remaining_hours)} to go`}
      </p>
      <div
        class="progress-track"
        role="progressbar"
        aria-labelledby={`${id}-label`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%`}
      >
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

function Cycle({ cycle, policy, i }: { cycle: CycleProgress; policy: Policy | null; i: number }) {
  const id = `cycle-${i}`;
  return (
    <section class={cycle.current ? 'card cycle cycle-current' : 'card cycle'} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>
        Renewal cycle {formatDateRange(cycle.starts_on, cycle.ends_on)}
        {cycle.current ? ' (current)' : ''}
      </h2>
      <Progress cycle={cycle} id={id} />
      <div class="table-wrap">
        <table class="data">
          <caption>Approved credit by tier</caption>
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">Clock hours</th>
              <th scope="col">CEUs</th>
              <th scope="col">Semester credits</th>
            </tr>
          </thead>
          <tbody>
            {cycle.tiers.length === 0 ? (
              <tr>
                <td colSpan={4}>No approved credit in this cycle yet.</td>
              </tr>
            ) : (
              cycle.tiers.map((t) => (
                <tr key={t.tier}>
                  <th scope="row">{tierName(policy, t.tier)}</th>
                  <td>{numberText(t.credit.clock_hours)}</td>
                  <td>{numberText(t.credit.ceus)}</td>
                  <td>{numberText(t.credit.semester_credits)}</td>
                </tr>
              ))
            )}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td>{numberText(cycle.total.clock_hours)}</td>
              <td>{numberText(cycle.total.ceus)}</td>
              <td>{numberText(cycle.total.semester_credits)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

function TranscriptView({ district, user, onSignedOut, educator }: DistrictContext & { educator: number | null }) {
  const slug = district.slug;
  const [t, setT] = useState<TranscriptAnswer | null>(null);
  const [policy, setPolicy] = useState<Policy | null>(null);
  const [mine, setMine] = useState<MyEvidence | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const own = !educator || educator === user.id;

  useEffect(() => {
    Promise.all([creditApi.transcript(slug, own ? null : educator), creditApi.policy(slug)])
      .then(async ([answer, p]) => {
        setT(answer);
        setPolicy(p.current);
        if (own) setMine(await creditApi.myEvidence());
      })
      .catch((err: unknown) => {
        if (signedOut(err, onSignedOut)) return;
        if (err instanceof ApiError && err.status === 409)
          setProblem(`${district.name} has no credit policy in force yet, so there is no transcript to show.`);
        else setProblem(describeError(err));
      });
  }, [slug, educator]);

  if (problem) return <p class="notice notice-warning">{problem}</p>;
  if (!t) return <p role="status">Loading the transcript…</p>;

  const cycles = [...t.transcript.cycles].sort((a, b) => b.number - a.number);
  return (
    <div class="transcript">
      <div class="actions no-print transcript-actions">
        <button type="button" class="button" onClick={() => window.print()}>
          Print
        </button>
        <a class="button button-secondary" href={creditDownloads.transcript(slug, 'csv', own ? null : educator)} download>
          Download CSV
        </a>
        <a class="button button-secondary" href={creditDownloads.transcript(slug, 'pdf', own ? null : educator)} download>
          Download PDF
        </a>
      </div>
      <dl class="facts">
        <div>
          <dt>Educator</dt>
          <dd>
            {t.educator.name} ({t.educator.email})
          </dd>
        </div>
        <div>
          <dt>District</dt>
          <dd>{t.district}</dd>
        </div>
        <div>
          <dt>Policy</dt>
          <dd>
            {t.policy.name}, version {t.policy.version}
          </dd>
        </div>
        <div>
          <dt>Dates are days in</dt>
          <dd>{describeTimeZone(t.policy.time_zone)}</dd>
        </div>
      </dl>
      <ZoneNote />
      <div class="cards">
        {cycles.map((c, i) => (
          <Cycle key={c.number} cycle={c} policy={policy} i={i} />
        ))}
        <section class="card" aria-labelledby="approved-claims-heading">
          <h2 id="approved-claims-heading">Approved claims</h2>
          {t.claims.length === 0 ? (
            <p>
              No approved claims yet.
              {own ? (
                <>
                  {' '}
                  <Link href={creditHref.claimNew(slug)}>Claim credit</Link>.
                </>
              ) : null}
            </p>
          ) : (
            <TableScroll label="Approved claims">
              <table class="data transcript-claims">
                <caption class="visually-hidden">Approved claims</caption>
                <thead>
                  <tr>
                    <th scope="col">Claim</th>
                    <th scope="col">Tier</th>
                    <th scope="col">Approved</th>
                    <th scope="col">Clock hours</th>
                    <th scope="col">CEUs</th>
                    <th scope="col">Semester credits</th>
                    <th scope="col">Evidence</th>
                  </tr>
                </thead>
                <tbody>
                  {t.claims.map((k) => (
                    <tr key={k.id}>
                      <th scope="row">
                        <Link href={creditHref.claim(slug, k.id)}>Claim {k.id}</Link>
                      </th>
                      <td>{tierName(policy, k.tier)}</td>
                      <td>
                        {k.decided_at ? <DateTime iso={k.decided_at} /> : null}
                        {k.decided_by ? (
                          <>
                            <br />
                            <span class="muted">
                              by {k.decided_by}, policy version {k.policy_version}
                            </span>
                          </>
                        ) : null}
                      </td>
                      <td>{numberText(k.credit?.clock_hours ?? 0)}</td>
                      <td>{numberText(k.credit?.ceus ?? 0)}</td>
                      <td>{numberText(k.credit?.semester_credits ?? 0)}</td>
                      <td>
                        <ul class="evidence-list">
                          {k.evidence.map((ref) => (
                            <li key={ref}>{evidenceLabel(ref, mine)}</li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>
      </div>
      <p class="muted print-only">
        Printed from Staffroom on {formatDay(new Date())}.
      </p>
    </div>
  );
}

export function Transcript({ slug, search }: { slug: string; search: string }) {
  const raw = new URLSearchParams(search).get('educator');
  const educator = raw && /^\d{1,15}$/.test(raw) ? Number(raw) : null;
  return (
    <DistrictFrame
      slug={slug}
      title={educator ? 'Transcript' : 'My transcript'}
      here={creditHref.transcript(slug, educator)}
    >
      {(ctx) => <TranscriptView {...ctx} educator={educator} />}
    </DistrictFrame>
  );
}
