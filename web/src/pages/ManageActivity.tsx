import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { renderSVG } from 'uqr';
import { api, describeError, signedOut } from '../api';
import type { Activity, ActivityPatch, Attendance, Campaign, CheckInCode, Resource } from '../api';
import { statusName } from '../activities';
import { ActivityForm, inputOf, valuesOf } from '../components/ActivityForm';
import { CsvUpload } from '../components/CsvUpload';
import { DateTime } from '../components/DateTime';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Status } from '../components/Status';
import { useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { useSession } from '../session';
import { formatSession } from '../time';

type PanelProps = { activity: Activity; onActivity: (a: Activity) => void; onSignedOut: () => void };

// ---------------------------------------------------------------- review and cancelling

function CancelForm({ activity, onActivity, onSignedOut, onClose }: PanelProps & { onClose: () => void }) {
  const [reason, setReason] = useState('');
  const form = useForm({ reason: 'cancel-reason' });

  useLayoutEffect(() => {
    document.getElementById('cancel-reason')?.focus();
  }, []);

  const submit = form.handleSubmit({
    check: (): Errors => (reason.trim() ? {} : { reason: 'Enter a reason: it is sent to everyone registered' }),
    send: async () => {
      onActivity(await api.cancelActivity(activity.id, reason.trim()));
      onClose();
    },
    onError: (err) => signedOut(err, onSignedOut),
  });

  return (
    <div class="confirm" role="group" aria-label={`Cancel ${activity.title}`}>
      <Form summary={form.summary} onSubmit={submit}>
        <Field
          id="cancel-reason"
          label="Reason for cancelling"
          hint="Everyone registered gets a mail with this reason."
          type="textarea"
          value={reason}
          onValue={setReason}
          error={form.errors.reason}
          required
        />
        <div class="actions">
          <SubmitButton busy={form.busy} danger>
            Cancel activity
          </SubmitButton>
          <button type="button" class="button button-secondary" onClick={onClose}>
            Keep the activity
          </button>
        </div>
      </Form>
    </div>
  );
}

function Lifecycle({ activity, onActivity, onSignedOut }: PanelProps) {
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [busy, setBusy] = useState(false);
  const focus = useFocusTarget();

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      onActivity(await api.submitActivity(activity.id));
      setStatus('Submitted. The campaign organizers will review it.');
      focus('lifecycle-heading');
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const canSubmit = activity.status === 'draft' || activity.status === 'declined';
  return (
    <section aria-labelledby="lifecycle-heading">
      <h3 id="lifecycle-heading" tabIndex={-1}>
        Status: {statusName(activity.status)}
      </h3>
      {activity.reason && (activity.status === 'declined' || activity.status === 'cancelled') ? (
        <p>Reason: {activity.reason}</p>
      ) : null}
      <p class="muted">
        {activity.status === 'draft'
          ? 'Only your organization can see this draft. Submit it when it is ready for the campaign organizers.'
          : activity.status === 'submitted'
            ? 'Waiting for the campaign organizers to review it.'
            : activity.status === 'declined'
              ? 'Change it as the organizers asked, then submit it again.'
              : activity.status === 'approved'
                ? 'Listed in the campaign catalog.'
                : 'Shown as cancelled in the catalog.'}
      </p>
      <Status>{status}</Status>
      {problem ? (
        <p class="error-message" role="alert">
          {problem}
        </p>
      ) : null}
      {cancelling ? (
        <CancelForm
          activity={activity}
          onActivity={(a) => {
            onActivity(a);
            setStatus('The activity is cancelled. Everyone registered has been told.');
          }}
          onSignedOut={onSignedOut}
          onClose={() => {
            setCancelling(false);
            focus('lifecycle-heading');
          }}
        />
      ) : (
        <div class="actions">
          {canSubmit ? (
            <button type="button" class="button" onClick={() => void submit()} aria-disabled={busy ? 'true' : undefined}>
              Submit for review
            </button>
          ) : null}
          {activity.status !== 'cancelled' ? (
            <button type="button" class="button button-secondary" onClick={() => setCancelling(true)}>
              Cancel activity…
            </button>
          ) : null}
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- editing

function Edit({ activity, onActivity, onSignedOut }: PanelProps) {
  const [open, setOpen] = useState(false);
  const [campaign, setCampaign] = useState<Campaign | null>(null);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();

  useEffect(() => {
    if (open && !campaign) api.getCampaign(activity.campaign).then(setCampaign, () => setCampaign(null));
  }, [open]);

  useLayoutEffect(() => {
    if (open && campaign) document.getElementById('activity-title')?.focus();
  }, [open, campaign]);

  const save = async (values: ReturnType<typeof valuesOf>) => {
    const { campaign: _campaign, ...patch }: ActivityPatch & { campaign: string } = inputOf(values);
    void _campaign;
    onActivity(await api.updateActivity(activity.id, patch));
    setOpen(false);
    setStatus('Changes saved.');
    focus('edit-toggle');
  };

  return (
    <section aria-labelledby="edit-heading">
      <h3 id="edit-heading">Details</h3>
      {open ? (
        campaign ? (
          <>
            <ActivityForm
              campaigns={[campaign]}
              chooseCampaign={false}
              host={activity.host.slug}
              initial={valuesOf(activity)}
              submitLabel="Save changes"
              busyLabel="Saving…"
              onSave={save}
              onSignedOut={onSignedOut}
            />
            <button
              type="button"
              class="button button-secondary"
              onClick={() => {
                setOpen(false);
                focus('edit-toggle');
              }}
            >
              Stop editing
            </button>
          </>
        ) : (
          <p role="status">Loading the form…</p>
        )
      ) : (
        <button
          type="button"
          id="edit-toggle"
          class="button button-secondary"
          onClick={() => {
            setStatus('');
            setOpen(true);
          }}
        >
          Edit activity
        </button>
      )}
      <Status>{status}</Status>
    </section>
  );
}

// ---------------------------------------------------------------- checking in

function qrDataUrl(text: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(text, { border: 2, ecc: 'M' }))}`;
}

function CheckInPanel({ activity, onSignedOut }: PanelProps) {
  const [code, setCode] = useState<CheckInCode | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  const show = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      setCode(await api.checkInCode(activity.id));
      setTimeout(() => heading.current?.focus(), 0);
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const url = code ? new URL(code.check_in_url, window.location.origin).href : '';
  return (
    <section aria-labelledby="check-in-heading">
      <h3 id="check-in-heading">Check-in</h3>
      <p>
        Participants check in during a session (from 15 minutes before it starts until it ends) by scanning the code or
        opening the link, then confirming.
      </p>
      {code ? (
        <div class="check-in-code">
          <h4 ref={heading} tabIndex={-1}>
            Check-in code: <span class="mono code-value">{code.code}</span>
          </h4>
          <img
            class="qr"
            src={qrDataUrl(url)}
            width={220}
            height={220}
            alt={`QR code that opens the check-in page for ${activity.title}`}
          />
          <p>
            Check-in link: <a href={url}>{url}</a>
          </p>
          {code.sessions.length > 0 ? (
            <>
              <p>Sessions:</p>
              <ul>
                {code.sessions.map((s) => (
                  <li key={s.starts_at}>{formatSession(s.starts_at, s.ends_at)}</li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : (
        <button type="button" class="button button-secondary" onClick={() => void show()} aria-disabled={busy ? 'true' : undefined}>
          Show check-in code
        </button>
      )}
      {problem ? (
        <p class="error-message" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------- attendance

function sourceName(source: Attendance['source']): string {
  if (source === 'xapi') return 'Platform report (xAPI)';
  return source === 'check_in' ? 'Checked in' : 'Attendance list';
}

function AttendancePanel({ activity, onSignedOut }: PanelProps) {
  const [rows, setRows] = useState<Attendance[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = async () => {
    try {
      setRows(await api.listAttendance(activity.id));
      setLoadError(null);
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    void load();
  }, [activity.id]);

  return (
    <section aria-labelledby="attendance-heading">
      <h3 id="attendance-heading">Attendance</h3>
      <CsvUpload
        id="attendance-file"
        label="Attendance list (CSV)"
        hint="Two columns with a header row: email,minutes. A new list replaces the one sent before."
        buttonLabel="Upload attendance"
        busyLabel="Uploading…"
        problemTitle="The list has problems; no attendance was recorded"
        onUpload={async (csv) => {
          const answer = await api.uploadAttendance(activity.id, csv);
          void load();
          return answer.recorded === 1 ? 'Recorded attendance for 1 person.' : `Recorded attendance for ${answer.recorded} people.`;
        }}
        onSignedOut={onSignedOut}
      />
      {loadError ? (
        <p class="error-message">Could not load the attendance. {loadError}</p>
      ) : rows === null ? (
        <p>Loading attendance…</p>
      ) : rows.length === 0 ? (
        <p>No attendance recorded yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="data">
            <caption>Attendance recorded ({rows.length})</caption>
            <thead>
              <tr>
                <th scope="col">Email address</th>
                <th scope="col">How</th>
                <th scope="col">Minutes</th>
                <th scope="col">Session</th>
                <th scope="col">Recorded</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.email}</td>
                  <td>{sourceName(r.source)}</td>
                  <td>{r.minutes ?? '—'}</td>
                  <td>{r.session_starts_at ? <DateTime iso={r.session_starts_at} /> : '—'}</td>
                  <td>
                    <DateTime iso={r.recorded_at} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- resources

const RESOURCE_IDS = { kind: 'resource-kind', title: 'resource-title', url: 'resource-url' };

function ResourcesPanel({ activity, onActivity, onSignedOut }: PanelProps) {
  const [resource, setResource] = useState<Resource>({ kind: 'recording', title: '', url: '' });
  const [status, setStatus] = useState('');
  const form = useForm(RESOURCE_IDS);
  const set = (patch: Partial<Resource>) => setResource((old) => ({ ...old, ...patch }));

  const submit = form.handleSubmit({
    onStart: () => setStatus(''),
    check: () => {
      const e: Errors = {};
      if (!resource.title.trim()) e.title = 'Enter a title';
      if (!/^https?:\/\//i.test(resource.url.trim())) e.url = 'Enter a web address starting with https://';
      return e;
    },
    send: async () => {
      onActivity(await api.addResource(activity.id, { ...resource, title: resource.title.trim(), url: resource.url.trim() }));
      setStatus(`Added “${resource.title.trim()}”.`);
      setResource({ kind: resource.kind, title: '', url: '' });
    },
    onError: (err) => signedOut(err, onSignedOut),
  });

  return (
    <section aria-labelledby="add-resource-heading">
      <h3 id="add-resource-heading">Add a recording or resource</h3>
      <p class="muted">Possible once the first session has begun.</p>
      <Form summary={form.summary} onSubmit={submit}>
        <Field
          id="resource-kind"
          label="Kind"
          type="select"
          options={[
            { value: 'recording', label: 'Recording' },
            { value: 'resource', label: 'Resource' },
          ]}
          value={resource.kind}
          onValue={(v) => set({ kind: v === 'resource' ? 'resource' : 'recording' })}
          error={form.errors.kind}
        />
        <Field
          id="resource-title"
          label="Title"
          value={resource.title}
          onValue={(title) => set({ title })}
          error={form.errors.title}
          required
        />
        <Field
          id="resource-url"
          label="Web address"
          type="url"
          value={resource.url}
          onValue={(url) => set({ url })}
          error={form.errors.url}
          required
        />
        <div class="actions">
          <SubmitButton busy={form.busy}>Add</SubmitButton>
          <Status>{status}</Status>
        </div>
      </Form>
    </section>
  );
}

// ---------------------------------------------------------------- the section

/** What the host organization's staff can do with an activity. */
export function ManageActivity({ activity, onActivity }: { activity: Activity; onActivity: (a: Activity) => void }) {
  const { setUser } = useSession();
  const props: PanelProps = { activity, onActivity, onSignedOut: () => setUser(null) };
  return (
    <section class="card manage" aria-labelledby="manage-heading">
      <h2 id="manage-heading">Manage</h2>
      <p class="muted">Only the staff of {activity.host.name} see this section.</p>
      <Lifecycle {...props} />
      <Edit {...props} />
      <CheckInPanel {...props} />
      <AttendancePanel {...props} />
      <ResourcesPanel {...props} />
    </section>
  );
}
