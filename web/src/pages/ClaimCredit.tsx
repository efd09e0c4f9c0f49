import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { ApiError, describeError, signedOut } from '../api';
import { CheckboxGroup, RadioGroup } from '../components/Choices';
import type { Option } from '../components/Field';
import { DistrictFrame, EvaluationView, StatusBadge } from '../components/CreditParts';
import type { DistrictContext } from '../components/CreditParts';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import {
  creditApi,
  creditHref,
  evidenceRuleName,
  formatName,
  hoursText,
  minutesText,
  sourceName,
  wordsText,
} from '../credit';
import type { Claim, MyEvidence, Policy, Tier } from '../credit';
import { sentence, useForm } from '../forms';
import type { Errors } from '../forms';
import { Link } from '../router';
import { formatDate, formatDateTime } from '../time';

/** What a tier asks for, in a sentence. */
export function tierSummary(t: Tier): string {
  const reqs = t.requirements.map((r) =>
    r.any_of
      .map((o) => {
        const name = evidenceRuleName(o.kind).toLowerCase();
        if (o.kind === 'reflection' && o.min_words) return `${name} of at least ${wordsText(o.min_words)}`;
        if (o.kind === 'host_attendance' && o.sources && o.sources.length < 3)
          return `${name} (${o.sources.map((s) => sourceName(s).toLowerCase()).join(' or ')})`;
        return name;
      })
      .join(', or '),
  );
  const parts = [`claim within ${t.deadline_days} days of the learning`];
  if (t.min_hours > 0) parts.push(`at least ${hoursText(t.min_hours)}`);
  if (reqs.length > 0) parts.push(`needs ${reqs.join('; and ')}`);
  if (t.approver_review) parts.push('an approver looks at the evidence');
  return sentence(parts.join('; ')) + '.';
}

type Group = { id: string; legend: string; options: Option[] };

/** The caller's records grouped by kind, each saying whether a claim here already uses it. */
function evidenceGroups(mine: MyEvidence, used: Map<string, Claim>): Group[] {
  const note = (ref: string) => {
    const k = used.get(ref);
    return k ? ` — already used by claim ${k.id} (${k.status})` : '';
  };
  const groups: Group[] = [
    {
      id: 'claim-ev-participation',
      legend: 'Participation recorded by hosts',
      options: mine.participation.map((p) => ({
        value: p.evidence,
        label: `${p.activity_title} (${p.host}), ${formatDateTime(p.session_starts_at)}, ${minutesText(p.minutes)}, ${sourceName(p.source).toLowerCase()}${note(p.evidence)}`,
      })),
    },
    {
      id: 'claim-ev-self_report',
      legend: 'Learning you logged',
      options: mine.self_reports.map((r) => ({
        value: r.evidence,
        label: `${r.title} (${formatName(r.format)}), ${formatDate(r.learned_on)}, ${minutesText(r.minutes)}${
          r.attestation.state === 'attested' ? ', attested' : ''
        }${note(r.evidence)}`,
      })),
    },
    {
      id: 'claim-ev-attestation',
      legend: 'Colleagues’ attestations',
      options: mine.self_reports
        .filter((r) => r.attestation.evidence)
        .map((r) => ({
          value: r.attestation.evidence ?? '',
          label: `${r.attestation.email} attested “${r.title}”${note(r.attestation.evidence ?? '')}`,
        })),
    },
    {
      id: 'claim-ev-survey',
      legend: 'Surveys',
      options: mine.supporting
        .filter((s) => s.kind === 'survey')
        .map((s) => ({ value: s.evidence, label: `${s.title}${note(s.evidence)}` })),
    },
    {
      id: 'claim-ev-reflection',
      legend: 'Reflections',
      options: mine.supporting
        .filter((s) => s.kind === 'reflection')
        .map((s) => ({ value: s.evidence, label: `${s.title} (${wordsText(s.words)})${note(s.evidence)}` })),
    },
    {
      id: 'claim-ev-artifact',
      legend: 'Artifacts',
      options: mine.supporting
        .filter((s) => s.kind === 'artifact')
        .map((s) => ({ value: s.evidence, label: `${s.title} (${s.file_name})${note(s.evidence)}` })),
    },
  ];
  return groups.filter((g) => g.options.length > 0);
}

function Submitted({
  claim,
  policy,
  mine,
  slug,
  onAnother,
}: {
  claim: Claim;
  policy: Policy | null;
  mine: MyEvidence;
  slug: string;
  onAnother: () => void;
}) {
  useLayoutEffect(() => {
    document.getElementById('claim-result-heading')?.focus();
  }, []);
  return (
    <section class="card" aria-labelledby="claim-result-heading">
      <h2 id="claim-result-heading" tabIndex={-1}>
        Claim {claim.id} submitted
      </h2>
      <p>
        Your claim is <StatusBadge status={claim.status} />. Approvers of the district decide it; you can follow it on{' '}
        <Link href={creditHref.myClaims(slug)}>your claims</Link>, and withdraw it while it is pending.
      </p>
      {claim.evaluation ? (
        <EvaluationView evaluation={claim.evaluation} policy={policy} forApprover={false} mine={mine} idPrefix="claim-eval" level={3} />
      ) : null}
      <div class="actions">
        <button type="button" class="button button-secondary" onClick={onAnother}>
          Claim credit for other learning
        </button>
        <Link href={creditHref.claim(slug, claim.id)}>Open claim {claim.id}</Link>
      </div>
    </section>
  );
}

function ClaimForm({ district, onSignedOut }: DistrictContext) {
  const slug = district.slug;
  const [policy, setPolicy] = useState<Policy | null | undefined>(undefined);
  const [mine, setMine] = useState<MyEvidence | null>(null);
  const [used, setUsed] = useState<Map<string, Claim>>(new Map());
  const [loadError, setLoadError] = useState<string | null>(null);
  const [tier, setTier] = useState('');
  const [chosen, setChosen] = useState<Record<string, string[]>>({});
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState<Claim | null>(null);
  const form = useForm({ tier: 'claim-tier', evidence: 'claim-evidence', note: 'claim-note' });

  const load = async () => {
    try {
      const [p, evidence, claims] = await Promise.all([
        creditApi.policy(slug),
        creditApi.myEvidence(),
        creditApi.myClaims(slug),
      ]);
      setPolicy(p.current);
      setMine(evidence);
      const map = new Map<string, Claim>();
      for (const k of claims.items) {
        if (k.status === 'pending' || k.status === 'approved') for (const ref of k.evidence) map.set(ref, k);
      }
      setUsed(map);
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    void load();
  }, [slug]);

  const evidence = Object.values(chosen).flat();

  const submit = form.handleSubmit({
    check: () => {
      const e: Errors = {};
      if (!tier) e.tier = 'Choose the tier of credit to claim';
      if (evidence.length === 0) e.evidence = 'Tick the learning and evidence this claim rests on';
      return e;
    },
    send: async () => {
      const k = await creditApi.submitClaim(slug, { tier, evidence, note: note.trim() });
      setSubmitted(k);
      setTier('');
      setChosen({});
      setNote('');
      void load();
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      if (err instanceof ApiError && err.problem.errors?.length) {
        const fieldErrors: Errors = {};
        const summary = err.problem.errors.map((x) => {
          const field = x.field.startsWith('evidence') ? 'evidence' : x.field === 'tier' ? 'tier' : x.field === 'note' ? 'note' : '';
          const m = /^evidence\[(\d+)\]$/.exec(x.field);
          const which = m ? ` (${evidence[Number(m[1])] ?? x.field})` : '';
          if (field && !fieldErrors[field]) fieldErrors[field] = sentence(x.message);
          const label = field === 'evidence' ? 'Evidence' : field === 'tier' ? 'Tier' : field === 'note' ? 'Note' : x.field;
          return { message: `${label}${which}: ${x.message}`, fieldId: field ? `claim-${field}` : undefined };
        });
        form.show(fieldErrors, summary);
        return true;
      }
      return false;
    },
  });

  if (loadError) return <p class="notice notice-error">Could not load what you can claim. {loadError}</p>;
  if (policy === undefined || !mine) return <p role="status">Loading the policy and your learning…</p>;
  if (district.my_role === null)
    return <p class="notice notice-warning">You are not a member of {district.name}: join it to claim credit there.</p>;
  if (policy === null)
    return (
      <p class="notice notice-warning">
        {district.name} has no credit policy in force yet, so there is nothing to claim against. Its administrators write
        the policy.
      </p>
    );
  if (submitted)
    return <Submitted claim={submitted} policy={policy} mine={mine} slug={slug} onAnother={() => setSubmitted(null)} />;

  const groups = evidenceGroups(mine, used);
  const evidenceError = form.errors.evidence;
  return (
    <>
      <p>
        Choose a tier of the policy in force (“{policy.name}”, version {policy.version}), tick the learning and the
        evidence that supports it, and submit. The policy judges the claim at once and tells you what is still missing.
        Records marked “already used” back another claim here and cannot count twice.
      </p>
      <p>
        Need to add learning or evidence first? Go to <Link href="/learning">My learning</Link>.
      </p>
      <Form summary={form.summary} summaryTitle="The claim was not submitted" label="Claim credit" onSubmit={submit}>
        <RadioGroup
          id="claim-tier"
          legend="Tier"
          hint="Higher tiers ask for more evidence."
          options={policy.tiers.map((t) => ({ value: t.id, label: `${t.name} (level ${t.level}): ${tierSummary(t)}` }))}
          value={tier}
          onValue={setTier}
          error={form.errors.tier}
        />
        <fieldset
          id="claim-evidence"
          tabIndex={-1}
          class={evidenceError ? 'field field-group field-error' : 'field field-group'}
          aria-describedby={['claim-evidence-hint', evidenceError ? 'claim-evidence-error' : ''].filter(Boolean).join(' ')}
        >
          <legend>Learning and evidence</legend>
          <p class="hint" id="claim-evidence-hint">
            Tick at least one piece of learning (participation or logged learning) and the evidence the tier asks for.
          </p>
          {evidenceError ? (
            <p class="error-message" id="claim-evidence-error">
              <span class="visually-hidden">Error: </span>
              {evidenceError}
            </p>
          ) : null}
          {groups.length === 0 ? (
            <p>
              You have nothing to claim yet. <Link href="/learning">Log learning or add evidence</Link> first.
            </p>
          ) : (
            groups.map((g) => (
              <CheckboxGroup
                key={g.id}
                id={g.id}
                legend={g.legend}
                options={g.options}
                values={chosen[g.id] ?? []}
                onValues={(v) => setChosen((c) => ({ ...c, [g.id]: v }))}
              />
            ))
          )}
        </fieldset>
        <Field
          id="claim-note"
          label="Note for the approvers"
          type="textarea"
          value={note}
          onValue={setNote}
          error={form.errors.note}
          required={false}
          maxLength={2000}
        />
        <SubmitButton busy={form.busy} busyLabel="Submitting…">
          Submit claim
        </SubmitButton>
      </Form>
    </>
  );
}

export function ClaimCredit({ slug }: { slug: string }) {
  return (
    <DistrictFrame slug={slug} title="Claim credit" here={creditHref.claimNew(slug)}>
      {(ctx) => <ClaimForm {...ctx} />}
    </DistrictFrame>
  );
}
