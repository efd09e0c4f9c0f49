import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { ACTIVITY_STATUSES, ApiError, api, describeError, signedOut } from '../api';
import type { Activity, ActivityStatus, Campaign } from '../api';
import { activityHref, campaignHref, formatName, isOrganizerOf, pdHoursText, statusName } from '../activities';
import { activityWhen } from '../components/ActivityCard';
import { DateTime } from '../components/DateTime';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { ServerHtml } from '../components/Text';
import { useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { viewerZoneDescription } from '../time';

function DeclineForm({
  campaign,
  activity,
  onDeclined,
  onCancel,
  onSignedOut,
}: {
  campaign: string;
  activity: Activity;
  onDeclined: () => void;
  onCancel: () => void;
  onSignedOut: () => void;
}) {
  const id = `reason-${activity.id}`;
  const [reason, setReason] = useState('');
  const form = useForm({ reason: id });

  useLayoutEffect(() => {
    document.getElementById(id)?.focus();
  }, [id]);

  const submit = form.handleSubmit({
    check: (): Errors => (reason.trim() ? {} : { reason: 'Enter a reason for declining, so the host knows what to change' }),
    send: async () => {
      await api.decideActivity(campaign, activity.id, { decision: 'decline', reason: reason.trim() });
      onDeclined();
    },
    onError: (err) => signedOut(err, onSignedOut),
  });

  return (
    <div class="confirm" role="group" aria-label={`Decline ${activity.title}`}>
      <Form summary={form.summary} onSubmit={submit}>
        <Field
          id={id}
          label={`Reason for declining ${activity.title}`}
          hint="Sent to the host organization."
          type="textarea"
          value={reason}
          onValue={setReason}
          error={form.errors.reason}
          required
        />
        <div class="actions">
          <SubmitButton busy={form.busy} danger>
            Decline activity
          </SubmitButton>
          <button type="button" class="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </Form>
    </div>
  );
}

function SubmissionItem({
  activity,
  decidable,
  declining,
  children,
  onApprove,
  onDecline,
}: {
  activity: Activity;
  decidable: boolean;
  declining: boolean;
  children: ComponentChildren;
  onApprove: () => void;
  onDecline: () => void;
}) {
  const nameId = `submission-${activity.id}-name`;
  return (
    <li class="entry submission">
      <h3 id={nameId}>
        <Link href={activityHref(activity.id)}>{activity.title}</Link>
      </h3>
      <dl class="facts">
        <div>
          <dt>Host</dt>
          <dd>
            {activity.host.name}
            {activity.co_hosts.length > 0 ? ` with ${activity.co_hosts.map((c) => c.name).join(', ')}` : ''}
          </dd>
        </div>
        <div>
          <dt>Format</dt>
          <dd>{formatName(activity.format)}</dd>
        </div>
        <div>
          <dt>When</dt>
          <dd>{activityWhen(activity)}</dd>
        </div>
        <div>
          <dt>PD hours</dt>
          <dd>{pdHoursText(activity.pd_hours)}</dd>
        </div>
        <div>
          <dt>Last changed</dt>
          <dd>
            <DateTime iso={activity.updated_at} />
          </dd>
        </div>
        {activity.reason ? (
          <div>
            <dt>Reason given</dt>
            <dd>{activity.reason}</dd>
          </div>
        ) : null}
      </dl>
      {activity.description_html ? (
        <details class="description">
          <summary>
            Description<span class="visually-hidden"> of {activity.title}</span>
          </summary>
          <ServerHtml html={activity.description_html} />
        </details>
      ) : null}
      {!decidable ? null : declining ? (
        children
      ) : (
        <div class="actions">
          <button type="button" class="button" onClick={onApprove} aria-describedby={nameId}>
            Approve
          </button>
          <button
            type="button"
            id={`decline-${activity.id}`}
            class="button button-secondary"
            onClick={onDecline}
            aria-describedby={nameId}
          >
            Decline
          </button>
        </div>
      )}
    </li>
  );
}

function Queue({ campaign, onSignedOut }: { campaign: Campaign; onSignedOut: () => void }) {
  const [show, setShow] = useState<ActivityStatus>('submitted');
  const [items, setItems] = useState<Activity[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [declining, setDeclining] = useState<number | null>(null);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();

  const load = async (which: ActivityStatus) => {
    try {
      setItems(await api.listSubmissions(campaign.slug, which));
      setLoadError(null);
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    setItems(null);
    void load(show);
  }, [campaign.slug, show]);

  const decided = (message: string) => {
    setStatus(message);
    setDeclining(null);
    focus('queue-heading');
    void load(show);
  };

  const approve = async (a: Activity) => {
    setStatus('');
    try {
      await api.decideActivity(campaign.slug, a.id, { decision: 'approve' });
      decided(`“${a.title}” approved. It is now in the campaign catalog.`);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      if (err instanceof ApiError && err.status === 409) decided(`“${a.title}” is no longer waiting for a decision.`);
      else setStatus(`Could not approve “${a.title}”: ${describeError(err)}`);
    }
  };

  const noun = show === 'submitted' ? 'waiting for a decision' : statusName(show).toLowerCase();
  return (
    <section aria-labelledby="queue-heading">
      <h2 id="queue-heading" tabIndex={-1}>
        {show === 'submitted' ? 'Waiting for a decision' : statusName(show)}
      </h2>
      <Field
        id="queue-status"
        label="Show activities that are"
        type="select"
        options={ACTIVITY_STATUSES.map((s) => ({
          value: s,
          label: s === 'submitted' ? 'Submitted, waiting for a decision' : statusName(s),
        }))}
        value={show}
        onValue={(v) => {
          setStatus('');
          setDeclining(null);
          setShow(v as ActivityStatus);
        }}
      />
      <Status>{status}</Status>
      {loadError ? (
        <p class="error-message">Could not load the activities. {loadError}</p>
      ) : items === null ? (
        <p>Loading…</p>
      ) : items.length === 0 ? (
        <p>No activities are {noun}.</p>
      ) : (
        <ul class="entries" aria-label="Activities to review">
          {items.map((a) => (
            <SubmissionItem
              key={a.id}
              activity={a}
              decidable={a.status === 'submitted'}
              declining={declining === a.id}
              onApprove={() => void approve(a)}
              onDecline={() => {
                setStatus('');
                setDeclining(a.id);
              }}
            >
              <DeclineForm
                campaign={campaign.slug}
                activity={a}
                onDeclined={() => decided(`“${a.title}” declined. The host can change it and submit it again.`)}
                onCancel={() => {
                  setDeclining(null);
                  focus(`decline-${a.id}`);
                }}
                onSignedOut={onSignedOut}
              />
            </SubmissionItem>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Review({ slug }: { slug: string }) {
  const { user, setUser } = useSession();
  const [campaign, setCampaign] = useState<Campaign | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    if (user === null) navigate(`/signin?next=${encodeURIComponent(`/campaigns/${slug}/review`)}`, { replace: true });
  }, [user]);

  useEffect(() => {
    api.getCampaign(slug).then(setCampaign, (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) setCampaign(null);
      else setLoadError(describeError(err));
    });
  }, [slug]);

  if (!user) return null;
  const title = campaign ? `Review activities of ${campaign.name}` : 'Review activities';

  return (
    <Page title={title}>
      {!isOrganizerOf(user, slug) ? (
        <p>Only the organizers of this campaign review its activities.</p>
      ) : campaign ? (
        <>
          <p>
            <Link href={campaignHref(slug)}>About {campaign.name}</Link>
          </p>
          <p class="muted">Times are shown in your time zone, {viewerZoneDescription()}.</p>
          <Queue campaign={campaign} onSignedOut={() => setUser(null)} />
        </>
      ) : campaign === null ? (
        <p>There is no campaign called “{slug}”.</p>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the campaign. {loadError}</p>
      ) : (
        <p role="status">Loading…</p>
      )}
    </Page>
  );
}
