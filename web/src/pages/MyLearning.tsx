import { useEffect, useRef, useState } from 'preact/hooks';
import { ACTIVITY_FORMATS, ApiError, api, describeError, signedOut } from '../api';
import type { DistrictMembership } from '../api';
import { RadioGroup } from '../components/Choices';
import { Confirm } from '../components/Confirm';
import { DateTime } from '../components/DateTime';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { WordCountField } from '../components/WordCountField';
import {
  MAX_ARTIFACT_BYTES,
  SURVEY_QUESTIONS,
  SURVEY_RATINGS,
  attestationName,
  creditApi,
  creditDownloads,
  creditHref,
  evidenceUses,
  formatName,
  minutesText,
  participationRoleName,
  sizeText,
  sourceName,
  surveyAnswers,
  usesText,
  wordsText,
} from '../credit';
import type { EvidenceUse, LearningInput, MyEvidence, SelfReport, SupportingEvidence } from '../credit';
import { errorsFrom, useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { formatDate, viewerTimeZone } from '../time';

type Uses = Map<string, EvidenceUse[]>;

/** Today's date where the viewer is: the latest day learning can be logged for. */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const isWebUrl = (s: string) => /^https?:\/\/\S+$/i.test(s);

// ---------------------------------------------------------------- logging learning

const LEARNING_LABELS = {
  title: 'Title',
  format: 'Format',
  learned_on: 'Date',
  minutes: 'Minutes',
  url: 'Link',
  reflection: 'Reflection',
};

function LearningForm({
  prefix,
  item,
  onSaved,
  onCancel,
  onSignedOut,
}: {
  prefix: string;
  /** The item being changed, or none for new learning. */
  item?: SelfReport;
  onSaved: (r: SelfReport) => void;
  onCancel?: () => void;
  onSignedOut: () => void;
}) {
  const fields = {
    title: `${prefix}-title`,
    format: `${prefix}-format`,
    learned_on: `${prefix}-date`,
    minutes: `${prefix}-minutes`,
    url: `${prefix}-url`,
    reflection: `${prefix}-reflection`,
  };
  const [title, setTitle] = useState(item?.title ?? '');
  const [format, setFormat] = useState(item?.format ?? '');
  const [date, setDate] = useState(item?.learned_on ?? '');
  const [minutes, setMinutes] = useState(item ? String(item.minutes) : '');
  const [url, setUrl] = useState(item?.url ?? '');
  const [reflection, setReflection] = useState(item?.reflection ?? '');
  const [status, setStatus] = useState('');
  const form = useForm(fields);

  const submit = form.handleSubmit({
    onStart: () => setStatus(''),
    check: () => {
      const e: Errors = {};
      if (!title.trim()) e.title = 'Enter a title: what was it?';
      if (!format) e.format = 'Choose the format';
      if (!date) e.learned_on = 'Enter the date of the learning';
      else if (date > today()) e.learned_on = 'The date is in the future: log learning once it has happened';
      const m = Number(minutes);
      if (!minutes.trim()) e.minutes = 'Enter how many minutes it took';
      else if (!Number.isInteger(m) || m < 1 || m > 1440)
        e.minutes = 'Minutes must be a whole number from 1 to 1440 (one day); log longer courses day by day';
      if (url.trim() && !isWebUrl(url.trim())) e.url = 'The link must start with https:// or http://';
      return e;
    },
    send: async () => {
      const input: LearningInput = {
        title: title.trim(),
        format,
        learned_on: date,
        minutes: Number(minutes),
        url: url.trim(),
        reflection,
      };
      const saved = item ? await creditApi.updateLearning(item.id, input) : await creditApi.logLearning(input);
      if (!item) {
        setTitle('');
        setFormat('');
        setDate('');
        setMinutes('');
        setUrl('');
        setReflection('');
        setStatus(`Logged: ${saved.title}.`);
      }
      onSaved(saved);
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      const { fieldErrors, summary } = errorsFrom(err, fields, LEARNING_LABELS);
      form.show(fieldErrors, summary);
      return true;
    },
  });

  return (
    <Form
      summary={form.summary}
      summaryTitle={item ? 'The changes were not saved' : 'The learning was not logged'}
      label={item ? `Change ${item.title}` : 'Log learning'}
      onSubmit={submit}
    >
      <Field
        id={fields.title}
        label={LEARNING_LABELS.title}
        hint="What it was, like “#edchat on formative assessment”."
        value={title}
        onValue={setTitle}
        error={form.errors.title}
        required
        maxLength={200}
        autoComplete="off"
      />
      <Field
        id={fields.format}
        label={LEARNING_LABELS.format}
        type="select"
        options={[{ value: '', label: 'Choose a format' }, ...ACTIVITY_FORMATS.map((f) => ({ value: f, label: formatName(f) }))]}
        value={format}
        onValue={setFormat}
        error={form.errors.format}
        required
      />
      <Field
        id={fields.learned_on}
        label={LEARNING_LABELS.learned_on}
        type="date"
        hint="The day you took part."
        value={date}
        onValue={setDate}
        error={form.errors.learned_on}
        required
      />
      <Field
        id={fields.minutes}
        label={LEARNING_LABELS.minutes}
        type="number"
        hint="How long it took, in minutes (1 to 1440)."
        min={1}
        max={1440}
        step={1}
        value={minutes}
        onValue={setMinutes}
        error={form.errors.minutes}
        required
      />
      <Field
        id={fields.url}
        label={LEARNING_LABELS.url}
        type="url"
        hint="Where it happened or can be seen, starting with https://."
        value={url}
        onValue={setUrl}
        error={form.errors.url}
        required={false}
        maxLength={2000}
      />
      <WordCountField
        id={fields.reflection}
        label={LEARNING_LABELS.reflection}
        hint="What you learned and how you will use it. Some districts ask for a number of words before self-reported learning counts."
        value={reflection}
        onValue={setReflection}
        error={form.errors.reflection}
        required={false}
        maxLength={20000}
      />
      <div class="actions">
        <SubmitButton busy={form.busy} busyLabel={item ? 'Saving…' : 'Logging…'}>
          {item ? 'Save changes' : 'Log learning'}
        </SubmitButton>
        {onCancel ? (
          <button type="button" class="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <Status>{status}</Status>
      </div>
    </Form>
  );
}

// ---------------------------------------------------------------- attestation

function AttestationState({ item }: { item: SelfReport }) {
  const a = item.attestation;
  if (a.state === 'none') return <p class="muted">No colleague has been asked to attest this yet.</p>;
  return (
    <p class={`attestation attestation-${a.state}`}>
      <strong>Attestation: {attestationName(a.state)}</strong>
      {a.state === 'requested' ? (
        <> — {a.email} was asked and has not answered yet.</>
      ) : (
        <>
          {' '}
          by {a.email}
          {a.at ? (
            <>
              {' '}
              on <DateTime iso={a.at} />
            </>
          ) : null}
          .{a.note ? <> Their note: <q>{a.note}</q></> : null}
        </>
      )}
    </p>
  );
}

function AskColleague({
  item,
  onSaved,
  onSignedOut,
}: {
  item: SelfReport;
  onSaved: (r: SelfReport) => void;
  onSignedOut: () => void;
}) {
  const id = `attest-${item.id}-email`;
  const [email, setEmail] = useState('');
  const [status, setStatus] = useState('');
  const form = useForm({ email: id });
  const submit = form.handleSubmit({
    onStart: () => setStatus(''),
    check: (): Errors => {
      if (!email.trim()) return { email: 'Enter your colleague’s email address' };
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim()))
        return { email: 'Enter an email address like name@school.org' };
      return {};
    },
    send: async () => {
      const r = await creditApi.requestAttestation(item.id, email.trim());
      setStatus(`Asked ${r.attestation.email}. They get an email with a link to attest or decline.`);
      setEmail('');
      onSaved(r);
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      if (err instanceof ApiError && err.status === 409) {
        const message = describeError(err);
        form.show({ email: message }, [{ message, fieldId: id }]);
        return true;
      }
      const { fieldErrors, summary } = errorsFrom(err, { email: id }, { email: 'Colleague’s email address' });
      form.show(fieldErrors, summary);
      return true;
    },
  });
  const again = item.attestation.state === 'requested' || item.attestation.state === 'declined';
  return (
    <>
      <Form
        summary={form.summary}
        summaryTitle="Nobody was asked"
        label={`Ask a colleague to attest ${item.title}`}
        onSubmit={submit}
      >
        <Field
          id={id}
          label="Colleague’s email address"
          type="email"
          hint={
            again
              ? 'Ask again, or ask someone else: the earlier link stops working.'
              : 'A colleague who took part with you. They answer while signed in with this address.'
          }
          value={email}
          onValue={setEmail}
          autoComplete="off"
          error={form.errors.email}
          required
          maxLength={254}
        />
        <SubmitButton busy={form.busy} busyLabel="Asking…">
          Ask a colleague to attest<span class="visually-hidden"> {item.title}</span>
        </SubmitButton>
      </Form>
      <Status>{status}</Status>
    </>
  );
}

// ---------------------------------------------------------------- logged learning list

function InUse({ uses }: { uses: EvidenceUse[] }) {
  return (
    <p class="in-use">
      A claim rests on this: {usesText(uses)}. Withdraw the claim to change or delete it.
    </p>
  );
}

function LearningItem({
  item,
  uses,
  onChanged,
  onDeleted,
  onSignedOut,
}: {
  item: SelfReport;
  uses: EvidenceUse[];
  onChanged: (r: SelfReport, message: string) => void;
  onDeleted: (r: SelfReport) => void;
  onSignedOut: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const focus = useFocusTarget();
  const base = `learning-${item.id}`;
  const locked = uses.length > 0;

  const remove = async () => {
    setError('');
    try {
      await creditApi.deleteLearning(item.id);
      onDeleted(item);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setConfirming(false);
      setError(describeError(err));
      focus(`${base}-delete`);
    }
  };

  return (
    <li class="entry" aria-labelledby={`${base}-heading`}>
      <h3 id={`${base}-heading`} tabIndex={-1}>
        {item.title}
      </h3>
      <dl class="facts facts-compact">
        <div>
          <dt>Format</dt>
          <dd>{formatName(item.format)}</dd>
        </div>
        <div>
          <dt>Date</dt>
          <dd>{formatDate(item.learned_on)}</dd>
        </div>
        <div>
          <dt>Time</dt>
          <dd>{minutesText(item.minutes)}</dd>
        </div>
        {item.url ? (
          <div>
            <dt>Link</dt>
            <dd>
              {isWebUrl(item.url) ? (
                <a href={item.url} rel="noopener noreferrer">
                  {item.url}
                </a>
              ) : (
                item.url
              )}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Reflection</dt>
          <dd>{item.reflection ? wordsText(item.reflection_words) : <span class="muted">None</span>}</dd>
        </div>
      </dl>
      {item.reflection ? (
        <details class="reflection">
          <summary>
            Read the reflection<span class="visually-hidden"> on {item.title}</span>
          </summary>
          <p class="lines">{item.reflection}</p>
        </details>
      ) : null}
      <AttestationState item={item} />
      {locked ? <InUse uses={uses} /> : null}
      {editing ? (
        <section class="edit-box" aria-labelledby={`${base}-edit-heading`}>
          <h4 id={`${base}-edit-heading`} tabIndex={-1}>
            Change this learning
          </h4>
          <LearningForm
            prefix={`${base}-edit`}
            item={item}
            onSaved={(r) => {
              setEditing(false);
              onChanged(r, `Saved the changes to ${r.title}.`);
              focus(`${base}-edit`);
            }}
            onCancel={() => {
              setEditing(false);
              focus(`${base}-edit`);
            }}
            onSignedOut={onSignedOut}
          />
        </section>
      ) : confirming ? (
        <Confirm
          id={`${base}-question`}
          question={`Delete “${item.title}”? This cannot be undone.`}
          yes="Yes, delete"
          onYes={() => void remove()}
          onCancel={() => {
            setConfirming(false);
            focus(`${base}-delete`);
          }}
        />
      ) : locked ? null : (
        <div class="actions">
          <button
            type="button"
            id={`${base}-edit`}
            class="button button-secondary"
            onClick={() => {
              setError('');
              setEditing(true);
              focus(`${base}-edit-heading`);
            }}
          >
            Edit<span class="visually-hidden"> {item.title}</span>
          </button>
          <button
            type="button"
            id={`${base}-delete`}
            class="button button-secondary"
            onClick={() => {
              setError('');
              setConfirming(true);
            }}
          >
            Delete<span class="visually-hidden"> {item.title}</span>
          </button>
        </div>
      )}
      {error ? <ErrorSummary title={`${item.title} was not changed`} items={[{ message: error }]} /> : null}
      {item.attestation.state === 'attested' ? null : (
        <AskColleague item={item} onSaved={(r) => onChanged(r, '')} onSignedOut={onSignedOut} />
      )}
    </li>
  );
}

// ---------------------------------------------------------------- supporting evidence

function SurveyForm({ onAdded, onSignedOut }: { onAdded: (e: SupportingEvidence) => void; onSignedOut: () => void }) {
  const fields = { title: 'survey-title', learned: 'survey-learned', apply: 'survey-apply', rating: 'survey-rating' };
  const [title, setTitle] = useState('');
  const [learned, setLearned] = useState('');
  const [apply, setApply] = useState('');
  const [rating, setRating] = useState('');
  const [status, setStatus] = useState('');
  const form = useForm({ ...fields, body: 'survey-learned' });
  const submit = form.handleSubmit({
    onStart: () => setStatus(''),
    check: () => {
      const e: Errors = {};
      if (!title.trim()) e.title = 'Enter a title, like the learning the survey is about';
      if (!learned.trim()) e.learned = 'Answer “What did you learn?”';
      if (!apply.trim()) e.apply = 'Answer “How will you use it in your teaching?”';
      if (!rating) e.rating = 'Choose how useful it was';
      return e;
    },
    send: async () => {
      const body = JSON.stringify({ learned: learned.trim(), apply: apply.trim(), rating });
      const saved = await creditApi.addEvidence({ kind: 'survey', title: title.trim(), body });
      setTitle('');
      setLearned('');
      setApply('');
      setRating('');
      setStatus(`Survey added: ${saved.title}.`);
      onAdded(saved);
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      const { fieldErrors, summary } = errorsFrom(err, { title: fields.title, body: fields.learned }, {
        title: 'Title',
        body: 'Answers',
      });
      form.show({ ...fieldErrors, learned: fieldErrors.body ?? '' }, summary);
      return true;
    },
  });
  const q = (key: string) => SURVEY_QUESTIONS.find((x) => x.key === key)?.question ?? key;
  return (
    <section class="sub-card" aria-labelledby="survey-heading">
      <h3 id="survey-heading">Add a survey</h3>
      <p>Three short questions about something you learned. Some tiers accept a survey instead of attendance a host verified.</p>
      <Form summary={form.summary} summaryTitle="The survey was not added" label="Add a survey" onSubmit={submit}>
        <Field
          id={fields.title}
          label="Title"
          hint="What the survey is about, like “#edchat on formative assessment”."
          value={title}
          onValue={setTitle}
          error={form.errors.title}
          required
          maxLength={200}
          autoComplete="off"
        />
        <Field
          id={fields.learned}
          label={q('learned')}
          type="textarea"
          value={learned}
          onValue={setLearned}
          error={form.errors.learned || undefined}
          required
        />
        <Field
          id={fields.apply}
          label={q('apply')}
          type="textarea"
          value={apply}
          onValue={setApply}
          error={form.errors.apply}
          required
        />
        <RadioGroup
          id={fields.rating}
          legend={q('rating')}
          options={SURVEY_RATINGS}
          value={rating}
          onValue={setRating}
          error={form.errors.rating}
        />
        <div class="actions">
          <SubmitButton busy={form.busy} busyLabel="Adding…">
            Add survey
          </SubmitButton>
          <Status>{status}</Status>
        </div>
      </Form>
    </section>
  );
}

function ReflectionForm({ onAdded, onSignedOut }: { onAdded: (e: SupportingEvidence) => void; onSignedOut: () => void }) {
  const fields = { title: 'reflection-title', body: 'reflection-body' };
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [status, setStatus] = useState('');
  const form = useForm(fields);
  const submit = form.handleSubmit({
    onStart: () => setStatus(''),
    check: () => {
      const e: Errors = {};
      if (!title.trim()) e.title = 'Enter a title for the reflection';
      if (!body.trim()) e.body = 'Write the reflection';
      return e;
    },
    send: async () => {
      const saved = await creditApi.addEvidence({ kind: 'reflection', title: title.trim(), body });
      setTitle('');
      setBody('');
      setStatus(`Reflection added: ${saved.title} (${wordsText(saved.words)}).`);
      onAdded(saved);
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      const { fieldErrors, summary } = errorsFrom(err, fields, { title: 'Title', body: 'Reflection' });
      form.show(fieldErrors, summary);
      return true;
    },
  });
  return (
    <section class="sub-card" aria-labelledby="reflection-heading">
      <h3 id="reflection-heading">Add a reflection</h3>
      <p>How you used what you learned. Tiers that ask for a reflection name the number of words they need.</p>
      <Form summary={form.summary} summaryTitle="The reflection was not added" label="Add a reflection" onSubmit={submit}>
        <Field
          id={fields.title}
          label="Title"
          value={title}
          onValue={setTitle}
          error={form.errors.title}
          required
          maxLength={200}
          autoComplete="off"
        />
        <WordCountField
          id={fields.body}
          label="Reflection"
          value={body}
          onValue={setBody}
          error={form.errors.body}
          required
          maxLength={20000}
        />
        <div class="actions">
          <SubmitButton busy={form.busy} busyLabel="Adding…">
            Add reflection
          </SubmitButton>
          <Status>{status}</Status>
        </div>
      </Form>
    </section>
  );
}

/** A file's bytes in base64. */
async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function ArtifactForm({ onAdded, onSignedOut }: { onAdded: (e: SupportingEvidence) => void; onSignedOut: () => void }) {
  const fields = { title: 'artifact-title', file: 'artifact-file' };
  const input = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState('');
  const [status, setStatus] = useState('');
  const form = useForm(fields);
  const submit = form.handleSubmit({
    onStart: () => setStatus(''),
    check: () => {
      const e: Errors = {};
      if (!title.trim()) e.title = 'Enter a title, like “Exit-ticket lesson plan”';
      const file = input.current?.files?.[0];
      if (!file) e.file = 'Choose a file';
      else if (file.size === 0) e.file = `${file.name} is empty; choose the file again`;
      else if (file.size > MAX_ARTIFACT_BYTES)
        e.file = `${file.name} is ${sizeText(file.size)}; an artifact may be at most 512 KiB. Make it smaller, or put larger work online and link it from a reflection.`;
      return e;
    },
    send: async () => {
      const file = input.current?.files?.[0];
      if (!file) return;
      const saved = await creditApi.addEvidence({
        kind: 'artifact',
        title: title.trim(),
        file_name: file.name,
        content_type: file.type || 'application/octet-stream',
        content_base64: await base64Of(file),
      });
      setTitle('');
      if (input.current) input.current.value = '';
      setStatus(`Artifact added: ${saved.title} (${saved.file_name}, ${sizeText(saved.size)}).`);
      onAdded(saved);
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      const { fieldErrors, summary } = errorsFrom(
        err,
        { title: fields.title, content_base64: fields.file, file_name: fields.file },
        { title: 'Title', content_base64: 'File', file_name: 'File' },
      );
      form.show(
        { title: fieldErrors.title ?? '', file: fieldErrors.content_base64 ?? fieldErrors.file_name ?? '' },
        summary,
      );
      return true;
    },
  });
  const error = form.errors.file;
  return (
    <section class="sub-card" aria-labelledby="artifact-heading">
      <h3 id="artifact-heading">Add an artifact</h3>
      <p>
        Something you made with what you learned: a lesson plan, student work (without names), slides. It is kept as a
        download for you and for approvers of claims that name it.
      </p>
      <Form summary={form.summary} summaryTitle="The artifact was not added" label="Add an artifact" onSubmit={submit}>
        <Field
          id={fields.title}
          label="Title"
          value={title}
          onValue={setTitle}
          error={form.errors.title || undefined}
          required
          maxLength={200}
          autoComplete="off"
        />
        <div class={error ? 'field field-error' : 'field'}>
          <label for={fields.file}>File</label>
          <p class="hint" id={`${fields.file}-hint`}>
            Any kind of file, at most 512 KiB.
          </p>
          {error ? (
            <p class="error-message" id={`${fields.file}-error`}>
              <span class="visually-hidden">Error: </span>
              {error}
            </p>
          ) : null}
          <input
            ref={input}
            type="file"
            id={fields.file}
            name={fields.file}
            aria-describedby={[`${fields.file}-hint`, error ? `${fields.file}-error` : ''].filter(Boolean).join(' ')}
            aria-invalid={error ? 'true' : undefined}
          />
        </div>
        <div class="actions">
          <SubmitButton busy={form.busy} busyLabel="Uploading…">
            Add artifact
          </SubmitButton>
          <Status>{status}</Status>
        </div>
      </Form>
    </section>
  );
}

function SupportItem({
  item,
  uses,
  onDeleted,
  onSignedOut,
}: {
  item: SupportingEvidence;
  uses: EvidenceUse[];
  onDeleted: (e: SupportingEvidence) => void;
  onSignedOut: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState('');
  const focus = useFocusTarget();
  const base = `support-${item.kind}-${item.id}`;
  const answers = item.kind === 'survey' ? surveyAnswers(item.body) : null;
  const remove = async () => {
    setError('');
    try {
      await creditApi.deleteEvidence(item.id);
      onDeleted(item);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setConfirming(false);
      setError(describeError(err));
      focus(`${base}-delete`);
    }
  };
  const kindName = item.kind === 'survey' ? 'Survey' : item.kind === 'reflection' ? 'Reflection' : 'Artifact';
  return (
    <li class="entry">
      <h4>
        <span class="badge badge-kind">{kindName}</span> {item.title}
      </h4>
      <p class="muted">
        Added <DateTime iso={item.created_at} />
      </p>
      {item.kind === 'survey' ? (
        answers ? (
          <dl class="facts facts-compact">
            {answers.map((a) => (
              <div key={a.question}>
                <dt>{a.question}</dt>
                <dd>{SURVEY_RATINGS.find((r) => r.value === a.answer)?.label ?? a.answer}</dd>
              </div>
            ))}
          </dl>
        ) : (
          <p class="lines">{item.body}</p>
        )
      ) : item.kind === 'reflection' ? (
        <details class="reflection">
          <summary>
            Read the reflection ({wordsText(item.words)})<span class="visually-hidden">: {item.title}</span>
          </summary>
          <p class="lines">{item.body}</p>
        </details>
      ) : (
        <p>
          <a href={creditDownloads.artifact(item.id)} download={item.file_name}>
            Download {item.file_name}
          </a>{' '}
          <span class="muted">({sizeText(item.size)})</span>
        </p>
      )}
      {uses.length > 0 ? (
        <InUse uses={uses} />
      ) : confirming ? (
        <Confirm
          id={`${base}-question`}
          question={`Delete the ${kindName.toLowerCase()} “${item.title}”? This cannot be undone.`}
          yes="Yes, delete"
          onYes={() => void remove()}
          onCancel={() => {
            setConfirming(false);
            focus(`${base}-delete`);
          }}
        />
      ) : (
        <button type="button" id={`${base}-delete`} class="button button-secondary" onClick={() => setConfirming(true)}>
          Delete<span class="visually-hidden"> {item.title}</span>
        </button>
      )}
      {error ? <ErrorSummary title={`${item.title} was not deleted`} items={[{ message: error }]} /> : null}
    </li>
  );
}

// ---------------------------------------------------------------- page

function Participation({ mine, uses }: { mine: MyEvidence; uses: Uses }) {
  return (
    <section class="card" aria-labelledby="participation-heading">
      <h2 id="participation-heading">Participation records</h2>
      <p>
        Activities whose hosts recorded that you took part: by check-in, on their attendance list, or through the platform
        where it happened (xAPI). You cannot change these; claim credit for them in your district.
      </p>
      {mine.participation.length === 0 ? (
        <p>No participation recorded yet. Check in at activities, or confirm your email address so hosts’ records reach you.</p>
      ) : (
        <div class="table-wrap">
          <table class="data">
            <caption class="visually-hidden">Participation records</caption>
            <thead>
              <tr>
                <th scope="col">Activity</th>
                <th scope="col">Host</th>
                <th scope="col">Date</th>
                <th scope="col">Minutes</th>
                <th scope="col">Source</th>
                <th scope="col">Claimed</th>
              </tr>
            </thead>
            <tbody>
              {mine.participation.map((p) => {
                const u = uses.get(p.evidence) ?? [];
                return (
                  <tr key={p.id}>
                    <th scope="row">
                      <Link href={`/activities/${p.activity_id}`}>{p.activity_title}</Link>
                      <br />
                      <span class="muted">
                        {formatName(p.format)}
                        {p.role !== 'attendee' ? ` · ${participationRoleName(p.role)}` : ''}
                      </span>
                    </th>
                    <td>{p.host}</td>
                    <td>
                      <DateTime iso={p.session_starts_at} />
                    </td>
                    <td>{p.minutes}</td>
                    <td>{sourceName(p.source)}</td>
                    <td>{u.length ? usesText(u) : <span class="muted">Not yet</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ClaimLinks({ memberships }: { memberships: DistrictMembership[] }) {
  if (memberships.length === 0)
    return (
      <p>
        To claim credit, join your district on <Link href="/districts">the Districts page</Link>.
      </p>
    );
  return (
    <ul class="link-list">
      {memberships.map((m) => (
        <li key={m.district.slug}>
          <Link href={creditHref.claimNew(m.district.slug)}>Claim credit in {m.district.name}</Link>
        </li>
      ))}
    </ul>
  );
}

export function MyLearning() {
  const { user, setUser } = useSession();
  const [mine, setMine] = useState<MyEvidence | null>(null);
  const [uses, setUses] = useState<Uses>(new Map());
  const [memberships, setMemberships] = useState<DistrictMembership[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();
  const onSignedOut = () => setUser(null);

  useEffect(() => {
    if (user === null) navigate('/signin?next=%2Flearning', { replace: true });
  }, [user]);

  const load = async () => {
    try {
      const [evidence, used, districts] = await Promise.all([creditApi.myEvidence(), evidenceUses(), api.myDistricts()]);
      setMine(evidence);
      setUses(used);
      setMemberships(districts.memberships);
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    if (user) void load();
  }, [user?.id]);

  if (!user) return null;

  const replaceReport = (r: SelfReport) =>
    setMine((m) => m && { ...m, self_reports: m.self_reports.map((x) => (x.id === r.id ? r : x)) });

  return (
    <Page title="My learning">
      <p class="lead">
        Everything you can claim credit for: what hosts recorded, learning you log yourself, and the evidence that supports
        it.
      </p>
      <p class="muted">Times are shown in your time zone ({viewerTimeZone()}).</p>
      {loadError ? (
        <p class="notice notice-error">Could not load your learning. {loadError}</p>
      ) : mine === null ? (
        <p role="status">Loading your learning…</p>
      ) : (
        <div class="cards">
          <section class="card" aria-labelledby="claim-links-heading">
            <h2 id="claim-links-heading">Claim credit</h2>
            <ClaimLinks memberships={memberships} />
          </section>
          <Participation mine={mine} uses={uses} />
          <section class="card" aria-labelledby="logged-heading">
            <h2 id="logged-heading" tabIndex={-1}>
              Logged learning
            </h2>
            <p>
              Informal learning without a host: a social media chat, a webinar elsewhere, a forum thread, an online
              course. A colleague who took part can attest it.
            </p>
            <Status>{status}</Status>
            {mine.self_reports.length === 0 ? (
              <p>You have not logged any learning yet.</p>
            ) : (
              <ul class="entries" aria-label="Your logged learning">
                {mine.self_reports.map((r) => (
                  <LearningItem
                    key={r.id}
                    item={r}
                    uses={uses.get(r.evidence) ?? []}
                    onChanged={(saved, message) => {
                      replaceReport(saved);
                      if (message) setStatus(message);
                    }}
                    onDeleted={(gone) => {
                      setMine((m) => m && { ...m, self_reports: m.self_reports.filter((x) => x.id !== gone.id) });
                      setStatus(`Deleted: ${gone.title}.`);
                      focus('logged-heading');
                    }}
                    onSignedOut={onSignedOut}
                  />
                ))}
              </ul>
            )}
            <section class="sub-card" aria-labelledby="log-heading">
              <h3 id="log-heading">Log learning</h3>
              <LearningForm
                prefix="learning"
                onSaved={(r) => setMine((m) => m && { ...m, self_reports: [r, ...m.self_reports] })}
                onSignedOut={onSignedOut}
              />
            </section>
          </section>
          <section class="card" aria-labelledby="supporting-heading">
            <h2 id="supporting-heading" tabIndex={-1}>
              Supporting evidence
            </h2>
            <p>Surveys, reflections and artifacts that show what you learned and how you used it.</p>
            {mine.supporting.length === 0 ? (
              <p>No supporting evidence yet.</p>
            ) : (
              <ul class="entries" aria-label="Your supporting evidence">
                {mine.supporting.map((s) => (
                  <SupportItem
                    key={s.evidence}
                    item={s}
                    uses={uses.get(s.evidence) ?? []}
                    onDeleted={(gone) => {
                      setMine((m) => m && { ...m, supporting: m.supporting.filter((x) => x.evidence !== gone.evidence) });
                      setStatus('');
                      focus('supporting-heading');
                    }}
                    onSignedOut={onSignedOut}
                  />
                ))}
              </ul>
            )}
            <SurveyForm onAdded={(e) => setMine((m) => m && { ...m, supporting: [e, ...m.supporting] })} onSignedOut={onSignedOut} />
            <ReflectionForm
              onAdded={(e) => setMine((m) => m && { ...m, supporting: [e, ...m.supporting] })}
              onSignedOut={onSignedOut}
            />
            <ArtifactForm
              onAdded={(e) => setMine((m) => m && { ...m, supporting: [e, ...m.supporting] })}
              onSignedOut={onSignedOut}
            />
          </section>
        </div>
      )}
    </Page>
  );
}
