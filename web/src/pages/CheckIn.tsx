import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, describeError, signedOut } from '../api';
import type { Activity, Attendance } from '../api';
import { activityHref } from '../activities';
import { DateTime } from '../components/DateTime';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { useForm } from '../forms';
import type { Errors } from '../forms';
import { Link } from '../router';
import { useSession } from '../session';

function CheckedIn({ attendance, title }: { attendance: Attendance; title: string }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <div class="notice notice-success">
      <h2 id="checked-in-heading" ref={heading} tabIndex={-1}>
        You are checked in
      </h2>
      <p>
        Your attendance at <strong>{title}</strong>
        {attendance.session_starts_at ? (
          <>
            {' '}
            (session starting <DateTime iso={attendance.session_starts_at} />)
          </>
        ) : null}{' '}
        is recorded.
      </p>
      <p>
        <Link href="/schedule">Go to your schedule</Link>
      </p>
    </div>
  );
}

function CheckInForm({ activityId, title, initialCode }: { activityId: number; title: string; initialCode: string }) {
  const { setUser } = useSession();
  const [code, setCode] = useState(initialCode);
  const [done, setDone] = useState<Attendance | null>(null);
  const form = useForm({ code: 'check-in-code' });

  const submit = form.handleSubmit({
    check: (): Errors => (code.trim() ? {} : { code: 'Enter the check-in code the host gave you' }),
    send: async () => {
      setDone(await api.checkIn(activityId, code.trim()));
    },
    // The server's words (wrong code, outside a session, already checked in) are shown as they are.
    onError: (err) => signedOut(err, () => setUser(null)),
  });

  if (done) return <CheckedIn attendance={done} title={title} />;
  return (
    <Form summary={form.summary} summaryTitle="You are not checked in" onSubmit={submit}>
      <Field
        id="check-in-code"
        label="Check-in code"
        hint="Shown by the host during the session. It is filled in when you scan the QR code."
        value={code}
        onValue={setCode}
        autoComplete="off"
        error={form.errors.code}
        required
      />
      <SubmitButton busy={form.busy} busyLabel="Checking in…">
        Check in
      </SubmitButton>
    </Form>
  );
}

export function CheckIn({ id, search }: { id: number; search: string }) {
  const { user } = useSession();
  const code = new URLSearchParams(search).get('code') ?? '';
  const [activity, setActivity] = useState<Activity | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    api.getActivity(id).then(setActivity, (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) setActivity(null);
      else setLoadError(describeError(err));
    });
  }, [id]);

  const here = `/check-in/${encodeURIComponent(String(id))}${search}`;
  const title = activity ? `Check in to ${activity.title}` : 'Check in';

  return (
    <Page title={title} documentTitle="Check in" class="narrow">
      {activity === null ? (
        <p>There is no activity at this address. Check the link or QR code with the host.</p>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the activity. {loadError}</p>
      ) : activity === undefined ? (
        <p role="status">Loading…</p>
      ) : !user ? (
        <>
          <p>Sign in to record that you took part. You come back here afterwards, with the code filled in.</p>
          <p class="cta">
            <Link href={`/signin?next=${encodeURIComponent(here)}`} class="button">
              Sign in to check in
            </Link>
            <Link href={`/signup?next=${encodeURIComponent(here)}`} class="button button-secondary">
              Create an account
            </Link>
          </p>
        </>
      ) : (
        <>
          <p>
            Confirm that you are taking part in <Link href={activityHref(activity.id)}>{activity.title}</Link>.
          </p>
          <CheckInForm activityId={activity.id} title={activity.title} initialCode={code} />
        </>
      )}
    </Page>
  );
}
