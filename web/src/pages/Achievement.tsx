import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeError, signedOut } from '../api';
import { BadgeImage } from '../components/BadgeImage';
import { TableScroll, ZoneNote } from '../components/CreditParts';
import { CsvUpload } from '../components/CsvUpload';
import { DateTime } from '../components/DateTime';
import { ErrorSummary } from '../components/ErrorSummary';
import type { SummaryItem } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { Paragraphs } from '../components/Text';
import {
  awardCount,
  credentialHref,
  credentialSourceName,
  credentialState,
  credentialStateName,
  credentialsApi,
  hoursText,
  ownerHref,
  ownerTypeName,
  validityText,
} from '../credentials';
import type { Achievement, AwardRule, BulkAward, CredentialSummary } from '../credentials';
import { errorsFrom, lineProblem, useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import { Alignments, Tags } from './Credential';

const activityLink = (id: string) =>
  /^\d{1,15}$/.test(id) ? <Link href={`/activities/${id}`}>activity {id}</Link> : <>activity {id}</>;

/** The award rule in a sentence, with links to what it names. */
function ruleSentence(rule: AwardRule): ComponentChildren {
  if (!rule) return 'Awarded by the organizers only: nobody earns it automatically.';
  switch (rule.kind) {
    case 'attended_activity':
      return <>Earned automatically by attending {activityLink(String(rule.activity))}.</>;
    case 'campaign_hours':
      return (
        <>
          Earned automatically with {hoursText(rule.hours)} of recorded learning in the campaign{' '}
          <Link href={`/campaigns/${encodeURIComponent(rule.campaign)}`}>{rule.campaign}</Link>.
        </>
      );
    case 'approved_claim':
      return (
        <>
          Earned automatically when the district {rule.district} approves a credit claim
          {rule.tier ? (
            <>
              {' '}
              of the tier <code>{rule.tier}</code>
            </>
          ) : (
            ' of any tier'
          )}
          .
        </>
      );
    case 'series':
      return (
        <>
          Earned automatically by attending every activity of a series:{' '}
          {rule.activities.map((id, i) => (
            <span key={id}>
              {i > 0 ? (i === rule.activities.length - 1 ? ' and ' : ', ') : null}
              {activityLink(String(id))}
            </span>
          ))}
          .
        </>
      );
    default:
      return 'Earned automatically.';
  }
}

function Details({ a }: { a: Achievement }) {
  const owner = ownerHref(a.owner_type, a.owner);
  const ownerName = a.owner_name || a.owner;
  return (
    <section class="card" aria-labelledby="achievement-about-heading">
      <div class="credential-head">
        <BadgeImage url={a.image_url} alt={`Badge: ${a.name}`} />
        <div>
          <h2 id="achievement-about-heading">About the achievement</h2>
          <dl class="facts">
            <div>
              <dt>Offered by</dt>
              <dd>
                {owner && a.owner_type !== 'district' ? <Link href={owner}>{ownerName}</Link> : ownerName}{' '}
                <span class="muted">({ownerTypeName(a.owner_type).toLowerCase()})</span>
              </dd>
            </div>
            <div>
              <dt>Hours of learning</dt>
              <dd>{a.hours === null || a.hours === undefined ? 'Not stated' : hoursText(a.hours)}</dd>
            </div>
            <div>
              <dt>Valid for</dt>
              <dd>{validityText(a.valid_days)}</dd>
            </div>
            <div>
              <dt>Tags</dt>
              <dd>{a.tags.length > 0 ? <Tags tags={a.tags} label="Tags" /> : 'None'}</dd>
            </div>
            {a.can_manage && typeof a.awarded === 'number' ? (
              <div>
                <dt>Awarded</dt>
                <dd>{a.awarded === 1 ? 'Once' : `${a.awarded} times`}</dd>
              </div>
            ) : null}
          </dl>
        </div>
      </div>
      <Paragraphs text={a.description} />
      <h3>Criteria</h3>
      <Paragraphs text={a.criteria} />
      <h3>How it is earned</h3>
      <p>
        {ruleSentence(a.rule)}
      </p>
      <h3 id="achievement-alignments-heading">Alignments</h3>
      {a.alignments.length > 0 ? (
        <Alignments items={a.alignments} headingId="achievement-alignments-heading" />
      ) : (
        <p>Not aligned to a framework.</p>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- awarding

const AWARD_FIELDS = {
  recipient_email: 'award-email',
  narrative: 'award-narrative',
  evidence_url: 'award-evidence-url',
};

const AWARD_LABELS = {
  recipient_email: 'Recipient’s email address',
  narrative: 'Narrative',
  evidence_url: 'Evidence address',
};

function Award({
  a,
  onAwarded,
  onSignedOut,
}: {
  a: Achievement;
  onAwarded: () => void;
  onSignedOut: () => void;
}) {
  const [email, setEmail] = useState('');
  const [narrative, setNarrative] = useState('');
  const [evidence, setEvidence] = useState('');
  const [created, setCreated] = useState<CredentialSummary | null>(null);
  const form = useForm(AWARD_FIELDS);
  const focus = useFocusTarget();

  const submit = form.handleSubmit({
    onStart: () => setCreated(null),
    check: (): Errors => {
      const e: Errors = {};
      const to = email.trim();
      if (!to) e.recipient_email = 'Enter the email address of the person to award';
      else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to)) e.recipient_email = 'Enter an email address like name@example.org';
      if (evidence.trim() && !/^https?:\/\/\S+$/i.test(evidence.trim()))
        e.evidence_url = 'Enter an address starting with https://, or leave it empty';
      return e;
    },
    send: async () => {
      const c = await credentialsApi.award(a.slug, {
        recipient_email: email.trim(),
        ...(narrative.trim() ? { narrative: narrative.trim() } : {}),
        ...(evidence.trim() ? { evidence_url: evidence.trim() } : {}),
      });
      setCreated(c);
      setEmail('');
      setNarrative('');
      setEvidence('');
      onAwarded();
      focus('award-created');
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      if (err instanceof ApiError && err.status === 409) {
        // The address already has this achievement: see the list of credentials awarded.
        const message = 'This address has already been awarded this achievement';
        form.show({ recipient_email: message }, [
          { message: `${AWARD_LABELS.recipient_email}: ${message.charAt(0).toLowerCase()}${message.slice(1)}`, fieldId: AWARD_FIELDS.recipient_email },
        ]);
        return true;
      }
      const { fieldErrors, summary } = errorsFrom(err, AWARD_FIELDS, AWARD_LABELS);
      form.show(fieldErrors, summary);
      return true;
    },
  });

  return (
    <section class="card" aria-labelledby="award-heading">
      <h2 id="award-heading">Award it to someone</h2>
      <p>
        The credential is issued at once to this email address and signed by Staffroom. It appears in the backpack of the
        account with that address, now or once they sign up.
      </p>
      {created ? (
        <div class="notice notice-success" id="award-created" tabIndex={-1}>
          <p>
            Awarded to {created.recipient_name ? `${created.recipient_name} (${created.recipient_email})` : created.recipient_email}.{' '}
            <Link href={credentialHref.credential(created.id)}>
              Open the credential<span class="visually-hidden"> awarded to {created.recipient_email}</span>
            </Link>
          </p>
        </div>
      ) : null}
      <Form summary={form.summary} summaryTitle="The credential was not awarded" label="Award it to someone" onSubmit={submit}>
        <Field
          id={AWARD_FIELDS.recipient_email}
          label={AWARD_LABELS.recipient_email}
          type="email"
          value={email}
          onValue={setEmail}
          error={form.errors.recipient_email}
          autoComplete="off"
          required
          maxLength={254}
        />
        <Field
          id={AWARD_FIELDS.narrative}
          label={AWARD_LABELS.narrative}
          type="textarea"
          hint="What this person did to earn it, in a sentence or two. It becomes part of the credential."
          value={narrative}
          onValue={setNarrative}
          error={form.errors.narrative}
          required={false}
          maxLength={2000}
        />
        <Field
          id={AWARD_FIELDS.evidence_url}
          label={AWARD_LABELS.evidence_url}
          type="url"
          hint="A page showing their work, starting with https://"
          value={evidence}
          onValue={setEvidence}
          error={form.errors.evidence_url}
          autoComplete="off"
          required={false}
        />
        <SubmitButton busy={form.busy} busyLabel="Awarding…">
          Award
        </SubmitButton>
      </Form>
    </section>
  );
}

/** The problems a refused list names, one a line ("Line 3, email: …"), or its one sentence. */
function problemLines(err: unknown): SummaryItem[] {
  const lines = err instanceof ApiError ? (err.problem.errors ?? []) : [];
  if (lines.length === 0) return [{ message: describeError(err) }];
  return lines.map((l) => ({ message: lineProblem(l) }));
}

const people = (n: number) => (n === 1 ? '1 person' : `${n} people`);

function BulkAwardSection({
  a,
  onAwarded,
  onSignedOut,
}: {
  a: Achievement;
  onAwarded: () => void;
  onSignedOut: () => void;
}) {
  const [preview, setPreview] = useState<{ csv: string; report: BulkAward } | null>(null);
  const [errors, setErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();

  const award = async () => {
    if (!preview || busy || awardCount(preview.report) === 0) return;
    setBusy(true);
    setErrors([]);
    try {
      const report = await credentialsApi.awardList(a.slug, preview.csv, false);
      setPreview(null);
      setStatus(`Awarded to ${people(awardCount(report))}.`);
      onAwarded();
      focus('bulk-award-heading');
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setErrors(problemLines(err));
    } finally {
      setBusy(false);
    }
  };

  const r = preview?.report;
  const count = r ? awardCount(r) : 0;
  return (
    <section class="card" aria-labelledby="bulk-award-heading">
      <h2 id="bulk-award-heading" tabIndex={-1}>
        Award to a list
      </h2>
      <p>
        Award it to many people at once from a CSV file whose first line names the columns: <code>email</code>, and if you
        like <code>narrative</code> and <code>evidence</code> (an address starting with https://). If any line has a
        problem, nobody is awarded.
      </p>
      <CsvUpload
        id="bulk-award-file"
        label="List of recipients"
        hint="A CSV file in UTF-8. You see who would be awarded before anything is issued."
        buttonLabel="Preview awards"
        busyLabel="Checking the file…"
        problemTitle="The file has problems; nobody was awarded"
        onUpload={async (csv) => {
          setPreview(null);
          setStatus('');
          setErrors([]);
          const report = await credentialsApi.awardList(a.slug, csv, true);
          setPreview({ csv, report });
          focus('bulk-preview-heading');
          return '';
        }}
        onSignedOut={onSignedOut}
      />
      {preview && r ? (
        <section class="notice" aria-labelledby="bulk-preview-heading">
          <h3 id="bulk-preview-heading" tabIndex={-1}>
            Preview of the awards
          </h3>
          <p>
            Nothing has been issued yet. Awarding this file issues a credential to {people(count)}
            {r.credentials.length > 0 ? ':' : '.'}
          </p>
          {r.credentials.length > 0 ? (
            <ul aria-label="Who would be awarded">
              {r.credentials.map((c, i) => (
                <li key={`${c.recipient_email}-${i}`}>
                  {c.recipient_name ? `${c.recipient_name} (${c.recipient_email})` : c.recipient_email}
                </li>
              ))}
            </ul>
          ) : null}
          <ErrorSummary title="Nobody was awarded" items={errors} />
          <div class="actions">
            <button
              type="button"
              class="button"
              onClick={() => void award()}
              aria-disabled={busy || count === 0 ? 'true' : undefined}
            >
              {busy ? 'Awarding…' : `Award to ${people(count)}`}
            </button>
            <button
              type="button"
              class="button button-secondary"
              onClick={() => {
                setPreview(null);
                setErrors([]);
                focus('bulk-award-file');
              }}
            >
              Cancel
            </button>
          </div>
        </section>
      ) : null}
      <Status>{status}</Status>
    </section>
  );
}

function Awards({ a, refresh, onSignedOut }: { a: Achievement; refresh: number; onSignedOut: () => void }) {
  const [items, setItems] = useState<CredentialSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    credentialsApi.awards(a.slug).then(
      (answer) => {
        setItems([...answer.items].sort((x, y) => y.issued_at.localeCompare(x.issued_at)));
        setLoadError(null);
      },
      (err: unknown) => {
        if (!signedOut(err, onSignedOut)) setLoadError(describeError(err));
      },
    );
  }, [a.slug, refresh]);

  return (
    <section class="card" aria-labelledby="awards-heading">
      <h2 id="awards-heading">Credentials awarded</h2>
      <ZoneNote />
      {loadError ? (
        <p class="error-message">Could not load the credentials awarded. {loadError}</p>
      ) : items === null ? (
        <p>Loading the credentials awarded…</p>
      ) : items.length === 0 ? (
        <p>Nobody has been awarded this achievement yet.</p>
      ) : (
        <TableScroll label="Credentials awarded">
          <table class="data awards">
            <caption class="visually-hidden">Credentials awarded</caption>
            <thead>
              <tr>
                <th scope="col">Recipient</th>
                <th scope="col">Issued</th>
                <th scope="col">Status</th>
                <th scope="col">How</th>
                <th scope="col">Credential</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => {
                const state = credentialState(c);
                return (
                  <tr key={c.id}>
                    <th scope="row">
                      {c.recipient_name ? (
                        <>
                          {c.recipient_name}
                          <br />
                          <span class="muted">{c.recipient_email}</span>
                        </>
                      ) : (
                        c.recipient_email
                      )}
                    </th>
                    <td>
                      <DateTime iso={c.issued_at} />
                    </td>
                    <td>
                      <span class={`badge badge-credential-${state}`}>{credentialStateName(state)}</span>
                      {c.revoked ? (
                        <>
                          <br />
                          <span class="muted">
                            on <DateTime iso={c.revoked.at} />
                          </span>
                        </>
                      ) : c.valid_until ? (
                        <>
                          <br />
                          <span class="muted">
                            {state === 'expired' ? 'on' : 'until'} <DateTime iso={c.valid_until} />
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>{credentialSourceName(c.source)}</td>
                    <td>
                      <Link href={credentialHref.credential(c.id)}>
                        View<span class="visually-hidden"> the credential of {c.recipient_name ?? c.recipient_email}</span>
                      </Link>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- page

export function AchievementPage({ slug }: { slug: string }) {
  const { user, setUser } = useSession();
  const [a, setA] = useState<Achievement | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [refresh, setRefresh] = useState(0);
  const onSignedOut = () => setUser(null);

  const load = async () => {
    try {
      setA(await credentialsApi.achievement(slug));
      setLoadError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setA(null);
      else setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    void load();
  }, [slug, user?.id]);

  const awarded = () => {
    setRefresh((r) => r + 1);
    void load();
  };

  const title = a ? a.name : a === null ? 'Achievement not found' : 'Achievement';
  return (
    <Page title={title} documentTitle={a ? `${a.name} · Achievement` : title}>
      <p class="breadcrumbs">
        <Link href={credentialHref.achievements()}>All achievements</Link>
      </p>
      {a ? (
        <div class="cards">
          {a.can_manage ? (
            <p class="actions">
              <Link href={credentialHref.editAchievement(a.slug)} class="button button-secondary">
                Edit<span class="visually-hidden"> “{a.name}”</span>
              </Link>
            </p>
          ) : null}
          <Details a={a} />
          {a.can_manage ? (
            <>
              <Award a={a} onAwarded={awarded} onSignedOut={onSignedOut} />
              <BulkAwardSection a={a} onAwarded={awarded} onSignedOut={onSignedOut} />
              <Awards a={a} refresh={refresh} onSignedOut={onSignedOut} />
            </>
          ) : null}
        </div>
      ) : a === null ? (
        <p>There is no achievement called “{slug}”.</p>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the achievement. {loadError}</p>
      ) : (
        <p role="status">Loading the achievement…</p>
      )}
    </Page>
  );
}
