import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeError, signedOut } from '../api';
import { BadgeImage } from '../components/BadgeImage';
import { Confirm } from '../components/Confirm';
import { CopyValue } from '../components/CopyValue';
import { ZoneNote } from '../components/CreditParts';
import { DateTime } from '../components/DateTime';
import { Field } from '../components/Field';
import { Form } from '../components/Form';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { Paragraphs, isWebAddress } from '../components/Text';
import { CheckIcon, VerificationChecks, VerificationResult } from '../components/VerificationChecks';
import {
  credentialHref,
  credentialState,
  credentialStateName,
  credentialsApi,
  hoursText,
  signedAchievement,
} from '../credentials';
import type { Achievement, Alignment, CredentialPage, CredentialSummary, Revocation } from '../credentials';
import { errorsFrom, useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';

/** The banner at the top of a revoked credential. */
function RevokedBanner({ revoked }: { revoked: Revocation }) {
  return (
    <section class="revoked-banner" aria-labelledby="revoked-heading">
      <CheckIcon status="unverified" />
      <div>
        <h2 id="revoked-heading" tabIndex={-1}>
          This credential has been revoked
        </h2>
        <p>
          Revoked on <DateTime iso={revoked.at} />. It no longer counts as evidence of the achievement.
        </p>
        {revoked.reason ? (
          <p>
            <strong>Reason:</strong> <q class="lines">{revoked.reason}</q>
          </p>
        ) : null}
      </div>
    </section>
  );
}

/** A list of alignments to frameworks, as links where they have an address. */
export function Alignments({ items, headingId }: { items: Alignment[]; headingId: string }) {
  return (
    <ul class="alignments" aria-labelledby={headingId}>
      {items.map((a, i) => (
        <li key={i}>
          {isWebAddress(a.target_url) ? (
            <a href={a.target_url} rel="noopener">
              {a.target_name || a.target_url}
            </a>
          ) : (
            a.target_name
          )}
          {a.target_framework || a.target_code ? (
            <span class="muted">
              {' '}
              ({[a.target_framework, a.target_code].filter(Boolean).join(', ')})
            </span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** Tags as a short inline list. */
export function Tags({ tags, label }: { tags: string[]; label: string }) {
  return (
    <ul class="tag-list" aria-label={label}>
      {tags.map((t) => (
        <li key={t}>{t}</li>
      ))}
    </ul>
  );
}

const REVOKE_FIELDS = { reason: 'revoke-reason' };

function Revoke({
  credential,
  onRevoked,
  onSignedOut,
}: {
  credential: CredentialPage;
  onRevoked: (summary: CredentialSummary) => Promise<void>;
  onSignedOut: () => void;
}) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const form = useForm(REVOKE_FIELDS);
  const focus = useFocusTarget();
  const who = credential.recipient_name ?? 'its recipient';

  const ask = form.handleSubmit({
    check: (): Errors => (reason.trim() ? {} : { reason: 'Enter the reason for revoking: anyone who checks the credential sees it' }),
    send: async () => {
      setConfirming(true);
    },
  });

  const revoke = async () => {
    if (busy) return;
    setBusy(true);
    try {
      const summary = await credentialsApi.revoke(credential.id, reason.trim());
      setConfirming(false);
      await onRevoked(summary);
    } catch (err) {
      setConfirming(false);
      if (signedOut(err, onSignedOut)) return;
      const { fieldErrors, summary } = errorsFrom(err, REVOKE_FIELDS, { reason: 'Reason' });
      form.show(fieldErrors, summary);
      focus(fieldErrors.reason ? REVOKE_FIELDS.reason : 'revoke-submit');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="revoke-heading">
      <h2 id="revoke-heading">Revoke this credential</h2>
      <p>
        Revoke a credential awarded by mistake, or one that no longer stands. It stays at this address, marked as revoked
        with your reason, and every check of it fails from then on. Revoking cannot be undone.
      </p>
      <Form summary={form.summary} summaryTitle="The credential was not revoked" label="Revoke this credential" onSubmit={ask}>
        <Field
          id={REVOKE_FIELDS.reason}
          label="Reason for revoking"
          type="textarea"
          hint="Shown publicly on this page and to anyone who checks the credential."
          value={reason}
          onValue={setReason}
          error={form.errors.reason}
          required
          maxLength={2000}
        />
        {confirming ? (
          <Confirm
            id="revoke-question"
            question={`Revoke “${credential.achievement.name}” awarded to ${who}? This cannot be undone.`}
            yes={busy ? 'Revoking…' : 'Yes, revoke it'}
            onYes={() => void revoke()}
            onCancel={() => {
              setConfirming(false);
              focus('revoke-submit');
            }}
          />
        ) : (
          <div class="actions">
            <button type="submit" id="revoke-submit" class="button button-danger">
              Revoke credential…
            </button>
          </div>
        )}
      </Form>
    </section>
  );
}

function AboutAchievement({ credential, achievement }: { credential: CredentialPage; achievement: Achievement | null }) {
  const signed = signedAchievement(credential.credential);
  const description = signed.description ?? achievement?.description ?? '';
  const criteria = signed.criteria ?? achievement?.criteria ?? '';
  const tags = signed.tags ?? achievement?.tags ?? [];
  const alignments = signed.alignments ?? achievement?.alignments ?? [];
  const hours = signed.hours ?? achievement?.hours ?? null;
  return (
    <section class="card" aria-labelledby="about-achievement-heading">
      <h2 id="about-achievement-heading">About the achievement</h2>
      {description ? <Paragraphs text={description} /> : <p class="muted">No description.</p>}
      <h3>Criteria</h3>
      {criteria ? <Paragraphs text={criteria} /> : <p class="muted">No criteria are written down.</p>}
      <dl class="facts">
        <div>
          <dt>Hours of learning</dt>
          <dd>{hours === null ? 'Not stated' : hoursText(hours)}</dd>
        </div>
        <div>
          <dt>Tags</dt>
          <dd>{tags.length > 0 ? <Tags tags={tags} label="Tags" /> : 'None'}</dd>
        </div>
      </dl>
      <h3 id="credential-alignments-heading">Alignments</h3>
      {alignments.length > 0 ? (
        <Alignments items={alignments} headingId="credential-alignments-heading" />
      ) : (
        <p>Not aligned to a framework.</p>
      )}
      <p>
        <Link href={credentialHref.achievement(credential.achievement.slug)}>
          More about “{credential.achievement.name}”
        </Link>
      </p>
    </section>
  );
}

export function Credential({ id }: { id: string }) {
  const { setUser } = useSession();
  const [data, setData] = useState<CredentialPage | null | undefined>(undefined);
  const [achievement, setAchievement] = useState<Achievement | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();
  const onSignedOut = () => setUser(null);

  const load = async (): Promise<boolean> => {
    try {
      const answer = await credentialsApi.credential(id);
      setData(answer);
      setLoadError(null);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setData(null);
      else setLoadError(describeError(err));
      return false;
    }
  };

  useEffect(() => {
    void load();
  }, [id]);

  const slug = data?.achievement.slug;
  useEffect(() => {
    if (!slug) return;
    // The achievement as it is now fills in what the signed credential does not say.
    credentialsApi.achievement(slug).then(setAchievement, () => setAchievement(null));
  }, [slug]);

  const revoked = async (summary: CredentialSummary) => {
    setData((d) => d && { ...d, revoked: summary.revoked, can_revoke: false });
    // The live verification changes too.
    await load();
    setStatus('The credential was revoked.');
    focus('revoked-heading');
  };

  if (loadError && !data) {
    return (
      <Page title="Credential">
        <p class="notice notice-error">Could not load the credential. {loadError}</p>
      </Page>
    );
  }
  if (data === null) {
    return (
      <Page title="Credential not found">
        <p>There is no credential at this address. Check the link you were given; the credential may have been removed.</p>
        <p>
          <Link href={credentialHref.verify()}>Verify a credential you have as a file</Link>
        </p>
      </Page>
    );
  }
  if (data === undefined) {
    return (
      <Page title="Credential">
        <p role="status">Loading the credential…</p>
      </Page>
    );
  }

  const state = credentialState(data);
  const signed = signedAchievement(data.credential);
  const image = data.achievement.image_url ?? signed.image ?? achievement?.image_url ?? null;
  const recipient = data.recipient_name;
  const shareUrl = isWebAddress(data.url) ? data.url : `${window.location.origin}${credentialHref.credential(data.id)}`;
  return (
    <Page title={data.achievement.name} documentTitle={`${data.achievement.name} · Credential`}>
      {data.revoked ? <RevokedBanner revoked={data.revoked} /> : null}
      <div class="credential-head">
        <BadgeImage url={image} alt={`Badge: ${data.achievement.name}`} />
        <div>
          <p class="credential-recipient">
            {recipient ? (
              <>
                Awarded to <strong>{recipient}</strong>
              </>
            ) : (
              'Awarded to a recipient whose name is not shown'
            )}{' '}
            by <strong>{data.issuer.name || 'an unnamed issuer'}</strong>
          </p>
          <dl class="facts">
            <div>
              <dt>Status</dt>
              <dd>
                <span class={`badge badge-credential-${state}`}>{credentialStateName(state)}</span>
              </dd>
            </div>
            <div>
              <dt>Issued</dt>
              <dd>
                <DateTime iso={data.issued_at} />
              </dd>
            </div>
            <div>
              <dt>Valid until</dt>
              <dd>{data.valid_until ? <DateTime iso={data.valid_until} /> : 'It does not expire'}</dd>
            </div>
            <div>
              <dt>Issuer</dt>
              <dd>{data.issuer.name || <span class="muted">Not named</span>}</dd>
            </div>
            <div>
              <dt>Issuer’s DID</dt>
              <dd>
                <code>{data.issuer.id}</code>
              </dd>
            </div>
          </dl>
          <ZoneNote />
        </div>
      </div>

      <div class="actions credential-actions">
        <a class="button" href={credentialHref.download(data.id)} download={`credential-${data.id}.jsonld`}>
          Download
          <span class="visually-hidden"> the credential (JSON-LD file)</span>
        </a>
        {isWebAddress(data.linkedin_url) ? (
          <a class="button button-secondary" href={data.linkedin_url} rel="noopener">
            Add to LinkedIn profile
          </a>
        ) : null}
      </div>
      <CopyValue
        id="credential-link"
        label="Link to this credential"
        value={shareUrl}
        buttonLabel="Copy link"
        onCopied={setStatus}
      />
      <Status>{status}</Status>

      <div class="cards">
        <section class="card" aria-labelledby="credential-verification-heading">
          <VerificationResult verification={data.verification} headingId="credential-verification-heading" />
          <VerificationChecks verification={data.verification} idPrefix="credential" level={3} />
          <p class="muted">
            Checked by this site just now. Anyone can check a downloaded copy on the{' '}
            <Link href={credentialHref.verify(credentialHref.credential(data.id))}>verify page</Link> or with any Open Badges 3.0 verifier.
          </p>
        </section>

        <AboutAchievement credential={data} achievement={achievement} />

        <section class="card" aria-labelledby="evidence-heading">
          <h2 id="evidence-heading">Evidence</h2>
          {data.evidence.length === 0 ? (
            <p>No evidence is attached to this credential.</p>
          ) : (
            <ul class="evidence-list" aria-labelledby="evidence-heading">
              {data.evidence.map((e, i) => (
                <li key={`${e.id}-${i}`}>
                  {isWebAddress(e.id) ? (
                    <a href={e.id} rel="noopener">
                      {e.name || e.id}
                    </a>
                  ) : (
                    <strong>{e.name || 'Evidence'}</strong>
                  )}
                  {e.narrative ? <p class="lines">{e.narrative}</p> : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        {data.can_revoke && !data.revoked ? (
          <Revoke credential={data} onRevoked={revoked} onSignedOut={onSignedOut} />
        ) : null}
      </div>
    </Page>
  );
}
