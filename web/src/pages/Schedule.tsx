import { useEffect, useRef, useState } from 'preact/hooks';
import { api, describeError, signedOut } from '../api';
import type { Attendance, CalendarLink, ScheduleEntry } from '../api';
import { activityHref, firstMoment, lastMoment } from '../activities';
import { ActivityCard } from '../components/ActivityCard';
import { DateTime } from '../components/DateTime';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { useFocusTarget } from '../hooks';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { viewerZoneDescription } from '../time';

// ---------------------------------------------------------------- registrations

function entryStatus(e: ScheduleEntry): string {
  if (e.activity.status === 'cancelled') return 'The activity is cancelled';
  if (e.status === 'registered') return 'Registered';
  return e.waitlist_position ? `On the waiting list, position ${e.waitlist_position}` : 'On the waiting list';
}

function byStart(a: ScheduleEntry, b: ScheduleEntry): number {
  const x = firstMoment(a.activity)?.getTime() ?? 0;
  const y = firstMoment(b.activity)?.getTime() ?? 0;
  return x - y;
}

function EntryList({ id, label, entries }: { id: string; label: string; entries: ScheduleEntry[] }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{label}</h2>
      {entries.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul class="activity-list" aria-labelledby={id}>
          {entries.map((e) => (
            <li key={e.activity.id}>
              <ActivityCard activity={e.activity} level={3} />
              <p class={`schedule-status schedule-${e.activity.status === 'cancelled' ? 'cancelled' : e.status}`}>
                {entryStatus(e)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Registrations({ onSignedOut }: { onSignedOut: () => void }) {
  const [entries, setEntries] = useState<ScheduleEntry[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    api.schedule().then(
      (items) => setEntries([...items].sort(byStart)),
      (err: unknown) => {
        if (!signedOut(err, onSignedOut)) setLoadError(describeError(err));
      },
    );
  }, []);

  if (loadError) return <p class="notice notice-error">Could not load your schedule. {loadError}</p>;
  if (entries === null) return <p role="status">Loading your schedule…</p>;
  if (entries.length === 0) {
    return (
      <p>
        You have not registered for any activity yet. <Link href="/campaigns">Find activities in a campaign</Link>.
      </p>
    );
  }
  const now = Date.now();
  const past = entries.filter((e) => (lastMoment(e.activity)?.getTime() ?? Infinity) < now);
  const upcoming = entries.filter((e) => !past.includes(e));
  return (
    <>
      <EntryList id="upcoming-heading" label="Upcoming" entries={upcoming} />
      {past.length > 0 ? <EntryList id="past-heading" label="Past" entries={[...past].reverse()} /> : null}
    </>
  );
}

// ---------------------------------------------------------------- calendar feed

function CopyField({ id, label, value }: { id: string; label: string; value: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus(`${label} copied to the clipboard.`);
    } catch {
      input.current?.select();
      setStatus('Could not copy automatically. The link is selected: press Ctrl+C (or ⌘C) to copy it.');
    }
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input
          id={id}
          ref={input}
          type="text"
          readOnly
          value={value}
          spellcheck={false}
          class="mono"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="button" onClick={() => void copy()}>
          Copy<span class="visually-hidden"> {label.toLowerCase()}</span>
        </button>
      </div>
      <Status>{status}</Status>
    </div>
  );
}

function CalendarFeed({ onSignedOut }: { onSignedOut: () => void }) {
  const [link, setLink] = useState<CalendarLink | null>(null);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const focus = useFocusTarget();

  const run = async (work: () => Promise<void>) => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      await work();
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setProblem(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const create = () =>
    run(async () => {
      setLink(await api.createCalendarLink());
      setConfirming(false);
      setStatus('Your calendar link is ready. Any earlier link has stopped working.');
      focus('feed-webcal');
    });

  const revoke = () =>
    run(async () => {
      await api.revokeCalendarLink();
      setLink(null);
      setConfirming(false);
      setStatus('Your calendar link has stopped working.');
      focus('feed-heading');
    });

  return (
    <section class="card" aria-labelledby="feed-heading">
      <h2 id="feed-heading" tabIndex={-1}>
        Your schedule in your calendar
      </h2>
      <p>
        A private link lets your calendar app (Google Calendar, Outlook, Apple Calendar) show the activities you
        registered for, and keep them up to date. Anyone with the link can see your schedule, so keep it to yourself.
        Creating a new link stops the earlier one.
      </p>
      {link ? (
        <div class="feed-links">
          <p>
            <a href={link.webcal_url} class="button button-secondary">
              Subscribe in your calendar app
            </a>
          </p>
          <CopyField id="feed-webcal" label="Subscription link (webcal)" value={link.webcal_url} />
          <CopyField id="feed-https" label="Web link (https)" value={link.url} />
        </div>
      ) : null}
      <Status>{status}</Status>
      {problem ? (
        <p class="error-message" role="alert">
          {problem}
        </p>
      ) : null}
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby="feed-revoke-question">
          <p id="feed-revoke-question" tabIndex={-1}>Stop your calendar link? Calendars subscribed to it stop updating.</p>
          <div class="actions">
            <button type="button" class="button button-danger" onClick={() => void revoke()}>
              Yes, stop the link
            </button>
            <button
              type="button"
              class="button button-secondary"
              onClick={() => {
                setConfirming(false);
                focus('feed-revoke');
              }}
            >
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button type="button" class="button" onClick={() => void create()} aria-disabled={busy ? 'true' : undefined}>
            {link ? 'Create a new link' : 'Create a calendar link'}
          </button>
          <button
            type="button"
            id="feed-revoke"
            class="button button-secondary"
            onClick={() => {
              setConfirming(true);
              focus('feed-revoke-question');
            }}
          >
            Stop my calendar link
          </button>
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- attendance

function AttendanceRecord({ onSignedOut }: { onSignedOut: () => void }) {
  const [rows, setRows] = useState<Attendance[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    api.myAttendance().then(setRows, (err: unknown) => {
      if (!signedOut(err, onSignedOut)) setLoadError(describeError(err));
    });
  }, []);

  return (
    <section class="card" aria-labelledby="attended-heading">
      <h2 id="attended-heading">Your attendance</h2>
      {loadError ? (
        <p class="error-message">Could not load your attendance. {loadError}</p>
      ) : rows === null ? (
        <p>Loading…</p>
      ) : rows.length === 0 ? (
        <p>
          No attendance recorded yet. Check in during a session, or the host records it from their list or their
          platform.
        </p>
      ) : (
        <ul class="entries" aria-label="Your attendance">
          {rows.map((r) => (
            <li key={r.id} class="entry">
              <p>
                <Link href={activityHref(r.activity.id)}>{r.activity.title}</Link>
              </p>
              <p class="muted">
                {r.source === 'check_in'
                  ? 'Checked in'
                  : r.source === 'xapi'
                    ? 'Reported by the host’s platform'
                    : 'On the attendance list'}
                {r.session_starts_at ? (
                  <>
                    {' for the session of '}
                    <DateTime iso={r.session_starts_at} />
                  </>
                ) : null}
                {r.minutes ? ` · ${r.minutes} minutes` : ''}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- page

export function Schedule() {
  const { user, setUser } = useSession();

  useEffect(() => {
    if (user === null) navigate('/signin?next=%2Fschedule', { replace: true });
  }, [user]);

  if (!user) return null;
  const onSignedOut = () => setUser(null);

  return (
    <Page title="My schedule">
      <p class="notice zone-notice">
        Times are shown in your time zone: <strong>{viewerZoneDescription()}</strong>.
      </p>
      <Registrations onSignedOut={onSignedOut} />
      <div class="cards">
        <CalendarFeed onSignedOut={onSignedOut} />
        <AttendanceRecord onSignedOut={onSignedOut} />
      </div>
    </Page>
  );
}
