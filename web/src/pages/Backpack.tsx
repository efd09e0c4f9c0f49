import { useEffect, useState } from 'preact/hooks';
import { describeError, signedOut } from '../api';
import { BadgeImage } from '../components/BadgeImage';
import { CopyValue } from '../components/CopyValue';
import { ZoneNote } from '../components/CreditParts';
import { DateTime } from '../components/DateTime';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { isWebAddress } from '../components/Text';
import {
  credentialHref,
  credentialSourceName,
  credentialState,
  credentialStateName,
  credentialsApi,
} from '../credentials';
import type { CredentialSummary } from '../credentials';
import { Link, navigate } from '../router';
import { useSession } from '../session';

/**
 * The Comprehensive Learner Record (CLR 2.0): the approved credit and badges of a
 * period, signed as one credential, downloaded as a file.
 */
function LearnerRecord() {
  const today = new Date().toISOString().slice(0, 10);
  const [from, setFrom] = useState(`${today.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(today);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const download = async (e: Event) => {
    e.preventDefault();
    setError('');
    setMessage('');
    setBusy(true);
    try {
      const query = new URLSearchParams({ from, to, download: 'true' });
      const res = await fetch(`/api/v1/me/learner-record?${query}`, { credentials: 'same-origin' });
      if (!res.ok) {
        let detail = `The server answered ${res.status}.`;
        try {
          const problem = (await res.json()) as { detail?: string };
          if (problem.detail) detail = problem.detail;
        } catch {
          // not JSON: keep the status
        }
        setError(detail);
        return;
      }
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `learner-record-${from}-to-${to}.jsonld`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      URL.revokeObjectURL(url);
      setMessage(`Your learner record for ${from} to ${to} was downloaded.`);
    } catch {
      setError('Could not reach the server. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="learner-record-heading">
      <h2 id="learner-record-heading">Comprehensive Learner Record</h2>
      <p>
        One signed file (CLR 2.0) with the professional learning credit your districts approved and the badges you earned
        in a period, for a new employer, a licensing office or your own records. Anyone can verify it.
      </p>
      <form class="inline-form" onSubmit={download}>
        <label>
          From
          <input type="date" value={from} max={to} required onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          To
          <input type="date" value={to} min={from} required onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={busy}>
          {busy ? 'Preparing…' : 'Download learner record'}
        </button>
      </form>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <Status>{message}</Status>
    </section>
  );
}

function CredentialCard({ credential: c, onCopied }: { credential: CredentialSummary; onCopied: (m: string) => void }) {
  const state = credentialState(c);
  const headingId = `credential-${c.id}-heading`;
  const shareUrl = isWebAddress(c.url) ? c.url : `${window.location.origin}${credentialHref.credential(c.id)}`;
  return (
    <li class="card credential-card">
      <div class="credential-card-head">
        <BadgeImage url={c.achievement.image_url} alt="" size="small" />
        <div>
          <h2 id={headingId}>
            <Link href={credentialHref.credential(c.id)}>{c.achievement.name}</Link>
            <span class={`badge badge-credential-${state}`}>{credentialStateName(state)}</span>
          </h2>
          <dl class="facts facts-compact">
            {c.issuer ? (
              <div>
                <dt>Issuer</dt>
                <dd>{c.issuer.name}</dd>
              </div>
            ) : null}
            <div>
              <dt>Issued</dt>
              <dd>
                <DateTime iso={c.issued_at} />
              </dd>
            </div>
            <div>
              <dt>Valid until</dt>
              <dd>{c.valid_until ? <DateTime iso={c.valid_until} /> : 'It does not expire'}</dd>
            </div>
            {c.revoked ? (
              <div>
                <dt>Revoked</dt>
                <dd>
                  <DateTime iso={c.revoked.at} />
                  {c.revoked.reason ? <> — {c.revoked.reason}</> : null}
                </dd>
              </div>
            ) : null}
            <div>
              <dt>How</dt>
              <dd>{credentialSourceName(c.source)}</dd>
            </div>
            <div>
              <dt>Sent to</dt>
              <dd>{c.recipient_email}</dd>
            </div>
          </dl>
        </div>
      </div>
      <CopyValue
        id={`credential-${c.id}-link`}
        label={`Link to “${c.achievement.name}”`}
        value={shareUrl}
        buttonLabel={
          <>
            Copy link<span class="visually-hidden"> to “{c.achievement.name}”</span>
          </>
        }
        onCopied={onCopied}
      />
    </li>
  );
}

export function Backpack() {
  const { user, setUser } = useSession();
  const [items, setItems] = useState<CredentialSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    if (user === null) navigate('/signin?next=%2Fbackpack', { replace: true });
  }, [user]);

  useEffect(() => {
    if (!user) return;
    credentialsApi.backpack().then(
      (answer) => {
        setItems([...answer.items].sort((a, b) => b.issued_at.localeCompare(a.issued_at)));
        setLoadError(null);
      },
      (err: unknown) => {
        if (signedOut(err, () => setUser(null))) return;
        setLoadError(describeError(err));
      },
    );
  }, [user?.id]);

  if (!user) return null;

  return (
    <Page title="My backpack">
      <p class="lead">
        The credentials you have earned. Each is an Open Badges 3.0 credential with a page of its own that anyone can check:
        share its link, download it, or add it to your LinkedIn profile.
      </p>
      {loadError ? (
        <p class="notice notice-error">Could not load your credentials. {loadError}</p>
      ) : items === null ? (
        <p role="status">Loading your credentials…</p>
      ) : items.length === 0 ? (
        <section class="card" aria-labelledby="empty-backpack-heading">
          <h2 id="empty-backpack-heading">No credentials yet</h2>
          <p>Credentials are awarded for achievements that campaigns, partner organizations and districts offer:</p>
          <ul>
            <li>some are earned automatically, by attending an activity or a whole series, by reaching a number of hours of learning in a campaign, or when your district approves a credit claim;</li>
            <li>others are awarded by the organizers, for example after a course they run.</li>
          </ul>
          <p>
            They are issued to the email address of your account, {user.email}, and appear here once awarded.
          </p>
          <ul class="link-list">
            <li>
              <Link href={credentialHref.achievements()}>See the achievements you can earn</Link>
            </li>
            <li>
              <Link href="/campaigns">Find activities in a campaign</Link>
            </li>
          </ul>
        </section>
      ) : (
        <>
          <ZoneNote />
          <Status>{status}</Status>
          <ul class="credential-cards" aria-label="Your credentials">
            {items.map((c) => (
              <CredentialCard key={c.id} credential={c} onCopied={setStatus} />
            ))}
          </ul>
        </>
      )}
      {items !== null && !loadError ? <LearnerRecord /> : null}
    </Page>
  );
}
