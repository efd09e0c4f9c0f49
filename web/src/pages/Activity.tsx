import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, calendarPaths, describeError, signedOut } from '../api';
import type { Activity, Registration } from '../api';
import {
  activityHref,
  audienceRoleName,
  catalogHref,
  formatName,
  gradeBandName,
  isOrganizerOf,
  isStaffOf,
  languageName,
  lastMoment,
  organizationHref,
  pdHoursText,
  personHref,
  statusName,
} from '../activities';
import { seatsText } from '../components/ActivityCard';
import { Page } from '../components/Page';
import { ServerHtml, isWebAddress } from '../components/Text';
import { useFocusTarget } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import { describeTimeZone, formatDateRange, formatSession, viewerZoneDescription } from '../time';
import { ManageActivity } from './ManageActivity';

// ---------------------------------------------------------------- facts

function joinWords(words: string[]): string {
  return words.length > 0 ? words.join(', ') : 'Anyone';
}

function Facts({ activity }: { activity: Activity }) {
  const cohosts = activity.co_hosts.filter((c) => c.confirmed);
  const a11y = activity.accessibility ?? { captions: false, transcripts: false, notes: '' };
  const offers = [a11y.captions ? 'Live captions' : '', a11y.transcripts ? 'Transcripts' : ''].filter(Boolean);
  const seats = seatsText(activity);
  return (
    <dl class="facts">
      <div>
        <dt>Hosted by</dt>
        <dd>
          <Link href={organizationHref(activity.host.slug)}>{activity.host.name}</Link>
        </dd>
      </div>
      {cohosts.length > 0 ? (
        <div>
          <dt>Co-hosted by</dt>
          <dd>
            <ul class="inline-list">
              {cohosts.map((c) => (
                <li key={c.slug}>
                  <Link href={organizationHref(c.slug)}>{c.name}</Link>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ) : null}
      {activity.facilitators.length > 0 ? (
        <div>
          <dt>Facilitators</dt>
          <dd>
            <ul class="inline-list">
              {activity.facilitators.map((f) => (
                <li key={f.slug}>
                  <Link href={personHref(f.slug)}>{f.name}</Link>
                  {f.affiliation ? `, ${f.affiliation}` : ''}
                  {f.role === 'speaker' ? ' (speaker)' : ''}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ) : null}
      <div>
        <dt>Format</dt>
        <dd>{formatName(activity.format)}</dd>
      </div>
      <div>
        <dt>PD hours</dt>
        <dd>{pdHoursText(activity.pd_hours)}</dd>
      </div>
      <div>
        <dt>Audience</dt>
        <dd>{joinWords((activity.audience?.roles ?? []).map(audienceRoleName))}</dd>
      </div>
      <div>
        <dt>Grade bands</dt>
        <dd>{joinWords((activity.audience?.grade_bands ?? []).map(gradeBandName))}</dd>
      </div>
      {(activity.audience?.subjects ?? []).length > 0 ? (
        <div>
          <dt>Subjects</dt>
          <dd>{activity.audience.subjects.join(', ')}</dd>
        </div>
      ) : null}
      {activity.themes.length > 0 ? (
        <div>
          <dt>Themes</dt>
          <dd>{activity.themes.join(', ')}</dd>
        </div>
      ) : null}
      <div>
        <dt>Language</dt>
        <dd>{languageName(activity.language)}</dd>
      </div>
      <div>
        <dt>Accessibility</dt>
        <dd>
          {offers.length > 0 ? offers.join(', ') : 'No captions or transcripts announced'}
          {a11y.notes ? `. ${a11y.notes}` : ''}
        </dd>
      </div>
      <div>
        <dt>Seats</dt>
        <dd>
          {seats ?? 'No limit'}
          {activity.capacity ? ` (of ${activity.capacity})` : ''}
        </dd>
      </div>
    </dl>
  );
}

function When({ activity }: { activity: Activity }) {
  const now = Date.now();
  return (
    <section aria-labelledby="when-heading">
      <h2 id="when-heading">When</h2>
      {activity.sessions.length > 0 ? (
        <>
          <p class="muted">In your time zone, {viewerZoneDescription()}.</p>
          <ol class="sessions" aria-label="Sessions">
            {activity.sessions.map((s) => (
              <li key={s.starts_at}>
                <time dateTime={s.starts_at}>{formatSession(s.starts_at, s.ends_at)}</time>
                {new Date(s.ends_at).getTime() < now ? <span class="muted"> (past)</span> : null}
              </li>
            ))}
          </ol>
        </>
      ) : activity.available_from && activity.available_until ? (
        <p>
          Self-paced, open {formatDateRange(activity.available_from, activity.available_until)}{' '}
          <span class="muted">(dates in {describeTimeZone(activity.time_zone)})</span>.
        </p>
      ) : (
        <p>Self-paced: take part whenever suits you.</p>
      )}
    </section>
  );
}

function Resources({ activity }: { activity: Activity }) {
  const resources = activity.resources.filter((r) => isWebAddress(r.url));
  if (resources.length === 0) return null;
  return (
    <section aria-labelledby="resources-heading">
      <h2 id="resources-heading">Recordings and resources</h2>
      <ul>
        {resources.map((r, i) => (
          <li key={i}>
            <a href={r.url} rel="noopener">
              {r.title || r.url}
            </a>
            <span class="muted"> ({r.kind === 'recording' ? 'recording' : 'resource'})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

// ---------------------------------------------------------------- taking part

function registrationText(r: Registration): string {
  if (r.status === 'registered') return 'You are registered.';
  return r.waitlist_position
    ? `You are on the waiting list, in position ${r.waitlist_position}. You get a seat if one frees up.`
    : 'You are on the waiting list. You get a seat if one frees up.';
}

function RegistrationPanel({ activity, onChanged }: { activity: Activity; onChanged: () => void }) {
  const { user, setUser } = useSession();
  // undefined while loading; null when not registered.
  const [registration, setRegistration] = useState<Registration | null | undefined>(undefined);
  const [status, setStatus] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const confirmRef = useRef<HTMLParagraphElement>(null);
  const focus = useFocusTarget();
  const onSignedOut = () => setUser(null);

  const load = async () => {
    try {
      const entry = (await api.schedule()).find((e) => e.activity.id === activity.id);
      setRegistration(entry ? { status: entry.status, waitlist_position: entry.waitlist_position } : null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setRegistration(null);
      setProblem(`Could not check your registration. ${describeError(err)}`);
    }
  };

  useEffect(() => {
    if (user) void load();
  }, [user?.id, activity.id]);

  useLayoutEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  if (!user) {
    const here = activityHref(activity.id);
    return (
      <p>
        <Link href={`/signin?next=${encodeURIComponent(here)}`}>Sign in</Link> or{' '}
        <Link href={`/signup?next=${encodeURIComponent(here)}`}>create an account</Link> to register.
      </p>
    );
  }

  const register = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    setStatus('');
    try {
      setRegistration(await api.register(activity.id));
      focus('registration-state');
      onChanged();
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      if (err instanceof ApiError && err.status === 409) {
        await load();
        setStatus('You were already registered.');
        focus('registration-state');
      } else {
        setProblem(describeError(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const cancel = async () => {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    try {
      await api.unregister(activity.id);
      setRegistration(null);
      setConfirming(false);
      setStatus('Your registration is cancelled.');
      focus('register-button');
      onChanged();
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      if (err instanceof ApiError && err.status === 404) {
        setRegistration(null);
        setConfirming(false);
        setStatus('You were not registered.');
      } else {
        setProblem(describeError(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const end = lastMoment(activity);
  const open = activity.status === 'approved' && (!end || end.getTime() > Date.now());

  return (
    <div class="registration">
      {/* One live region for the state and what just happened, so both are announced. */}
      <div role="status" class="registration-state">
        {registration === undefined ? (
          <p>Checking your registration…</p>
        ) : registration ? (
          <p
            id="registration-state"
            tabIndex={-1}
            class={registration.status === 'registered' ? 'registered' : 'waitlisted'}
          >
            <strong>{registrationText(registration)}</strong>
          </p>
        ) : null}
        {status ? <p class="status">{status}</p> : null}
      </div>
      {registration === undefined ? null : registration ? (
        confirming ? (
          <div class="confirm" role="group" aria-labelledby="unregister-question">
            <p id="unregister-question" ref={confirmRef} tabIndex={-1}>
              Cancel your registration for “{activity.title}”?
              {registration.status === 'registered' ? ' Your seat goes to the next person waiting.' : ''}
            </p>
            <div class="actions">
              <button
                type="button"
                class="button button-danger"
                onClick={() => void cancel()}
                aria-disabled={busy ? 'true' : undefined}
              >
                Yes, cancel my registration
              </button>
              <button
                type="button"
                class="button button-secondary"
                onClick={() => {
                  setConfirming(false);
                  focus('unregister-button');
                }}
              >
                Keep it
              </button>
            </div>
          </div>
        ) : (
          <button
            type="button"
            id="unregister-button"
            class="button button-secondary"
            onClick={() => {
              setStatus('');
              setConfirming(true);
            }}
          >
            Cancel registration
          </button>
        )
      ) : open ? (
        <button
          type="button"
          id="register-button"
          class="button"
          onClick={() => void register()}
          aria-disabled={busy ? 'true' : undefined}
        >
          {activity.seats_left !== null && activity.seats_left <= 0 ? 'Join the waiting list' : 'Register'}
        </button>
      ) : (
        <p>{activity.status === 'cancelled' ? 'This activity is cancelled.' : 'Registration is closed.'}</p>
      )}
      {problem ? (
        <p class="error-message" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

function TakePart({ activity, onChanged }: { activity: Activity; onChanged: () => void }) {
  return (
    <section class="card take-part" aria-labelledby="take-part-heading">
      <h2 id="take-part-heading">Take part</h2>
      <RegistrationPanel activity={activity} onChanged={onChanged} />
      <ul class="link-list">
        {isWebAddress(activity.join_url) && activity.status !== 'cancelled' ? (
          <li>
            <a href={activity.join_url} rel="noopener">
              Join link<span class="visually-hidden"> for {activity.title}</span>
            </a>
          </li>
        ) : null}
        <li>
          <a href={calendarPaths.activity(activity.id)} download={`activity-${activity.id}.ics`}>
            Add to calendar<span class="visually-hidden"> (iCalendar file)</span>
          </a>
        </li>
      </ul>
    </section>
  );
}

// ---------------------------------------------------------------- page

function StatusNotice({ activity }: { activity: Activity }) {
  const { user } = useSession();
  if (activity.status === 'approved') return null;
  if (activity.status === 'cancelled') {
    return (
      <div class="notice notice-error">
        <p>
          <strong>This activity is cancelled.</strong>
          {activity.reason ? ` ${activity.reason}` : ''}
        </p>
      </div>
    );
  }
  return (
    <div class="notice notice-warning">
      <p>
        <strong>{statusName(activity.status)}.</strong> Only the host’s staff and the campaign organizers can see this
        activity until it is approved.
        {activity.status === 'declined' && activity.reason ? ` Reason given: ${activity.reason}` : ''}
      </p>
      {activity.status === 'submitted' && isOrganizerOf(user, activity.campaign) ? (
        <p>
          <Link href={`/campaigns/${encodeURIComponent(activity.campaign)}/review`}>Review it in the review queue</Link>
        </p>
      ) : null}
    </div>
  );
}

export function ActivityPage({ id }: { id: number }) {
  const { user } = useSession();
  // undefined while loading, null when there is no such activity (or it is not visible).
  const [activity, setActivity] = useState<Activity | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = () =>
    api.getActivity(id).then(setActivity, (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) setActivity(null);
      else setLoadError(describeError(err));
    });

  useEffect(() => {
    void load();
  }, [id, user?.id]);

  const title = activity ? activity.title : activity === null ? 'Activity not found' : 'Activity';

  return (
    <Page title={title}>
      {activity ? (
        <>
          <p class="muted">
            {formatName(activity.format)} in{' '}
            <Link href={catalogHref(activity.campaign)}>the campaign catalog</Link>
          </p>
          <StatusNotice activity={activity} />
          <div class="activity-layout">
            <div class="activity-main">
              <Facts activity={activity} />
              <When activity={activity} />
              {activity.description_html ? (
                <section aria-labelledby="about-heading">
                  <h2 id="about-heading">About this activity</h2>
                  <ServerHtml html={activity.description_html} />
                </section>
              ) : null}
              <Resources activity={activity} />
            </div>
            <TakePart activity={activity} onChanged={() => void load()} />
          </div>
          {isStaffOf(user, activity.host.slug) ? <ManageActivity activity={activity} onActivity={setActivity} /> : null}
        </>
      ) : activity === null ? (
        <>
          <p>There is no activity at this address. It may not be approved yet, or the address may be wrong.</p>
          <p>
            <Link href="/campaigns">See the campaigns</Link>
          </p>
        </>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the activity. {loadError}</p>
      ) : (
        <p role="status">Loading activity…</p>
      )}
    </Page>
  );
}
