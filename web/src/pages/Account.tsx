import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, describeError, isSignedOut, signedOut } from '../api';
import type { ApiToken, Grant, NewApiToken, User } from '../api';
import { DateTime } from '../components/DateTime';
import { CurrentPasswordField, DisplayNameField, Field, NewPasswordField } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { checkNewPassword, useForm } from '../forms';
import type { Errors } from '../forms';
import { navigate } from '../router';
import { useSession } from '../session';
import { viewerTimeZone } from '../time';

// ---------------------------------------------------------------- profile

function Profile({ user, onUser, onSignedOut }: { user: User; onUser: (u: User) => void; onSignedOut: () => void }) {
  const [displayName, setDisplayName] = useState(user.display_name);
  const [status, setStatus] = useState('');
  const form = useForm({ display_name: 'display_name' });

  const submit = form.handleSubmit({
    onStart: () => setStatus(''),
    check: (): Errors => (displayName.trim() ? {} : { display_name: 'Enter a display name' }),
    send: async () => {
      const answer = await api.updateMe({ display_name: displayName.trim() });
      onUser(answer.user);
      setDisplayName(answer.user.display_name);
      setStatus('Display name saved.');
    },
    onError: (err) => signedOut(err, onSignedOut),
  });

  return (
    <section class="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <dl class="facts">
        <div>
          <dt>Email address</dt>
          <dd>{user.email}</dd>
        </div>
        <EmailConfirmation user={user} onSignedOut={onSignedOut} />
        <div>
          <dt>Member since</dt>
          <dd>
            <DateTime iso={user.created_at} />
          </dd>
        </div>
      </dl>
      <Form summary={form.summary} onSubmit={submit}>
        <DisplayNameField value={displayName} onValue={setDisplayName} error={form.errors.display_name} />
        <div class="actions">
          <SubmitButton busy={form.busy}>Save display name</SubmitButton>
          <Status>{status}</Status>
        </div>
      </Form>
    </section>
  );
}

/**
 * Whether the address is confirmed. Learning that platforms report for an
 * address counts as the person's only once they have confirmed it.
 */
function EmailConfirmation({ user, onSignedOut }: { user: User; onSignedOut: () => void }) {
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  if (user.email_verified_at === undefined) return null;
  if (user.email_verified_at) {
    return (
      <div>
        <dt>Confirmed</dt>
        <dd>
          <DateTime iso={user.email_verified_at} />
        </dd>
      </div>
    );
  }
  const send = async () => {
    setBusy(true);
    setStatus('');
    try {
      const answer = await api.sendEmailVerification();
      setStatus(`We sent a new confirmation link to ${answer.sent_to}.`);
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setStatus(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <dt>Confirmed</dt>
      <dd>
        <p>
          Not yet. Open the link we mailed to you, so attendance that online platforms report for this address counts
          as yours.
        </p>
        <button type="button" class="button button-secondary" onClick={send} disabled={busy} aria-busy={busy}>
          {busy ? 'Sending…' : 'Send the link again'}
        </button>{' '}
        <Status>{status}</Status>
      </dd>
    </div>
  );
}

// ---------------------------------------------------------------- password

function ChangePassword({ email, onSignedOut }: { email: string; onSignedOut: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [status, setStatus] = useState('');
  const form = useForm({ current_password: 'current_password', new_password: 'new_password' });

  const submit = form.handleSubmit({
    onStart: () => setStatus(''),
    check: () => {
      const local: Errors = {};
      if (!current) local.current_password = 'Enter your current password';
      const pw = checkNewPassword(next);
      if (pw) local.new_password = pw;
      return local;
    },
    send: async () => {
      await api.changePassword({ current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setStatus('Password changed. Any other sessions of your account have been signed out.');
    },
    onError: async (err) => {
      if (!isSignedOut(err)) return false;
      // Either the current password was wrong or the session has ended.
      const stillIn = await api.me().then(
        () => true,
        () => false,
      );
      if (!stillIn) {
        onSignedOut();
        return true;
      }
      const message = describeError(err);
      form.show({ current_password: message }, [{ message, fieldId: 'current_password' }]);
      return true;
    },
  });

  return (
    <section class="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Change password</h2>
      <Form summary={form.summary} onSubmit={submit}>
        {/* Lets password managers know which account the new password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <CurrentPasswordField
          id="current_password"
          label="Current password"
          value={current}
          onValue={setCurrent}
          error={form.errors.current_password}
        />
        <NewPasswordField
          id="new_password"
          label="New password"
          value={next}
          onValue={setNext}
          error={form.errors.new_password}
        />
        <div class="actions">
          <SubmitButton busy={form.busy}>Change password</SubmitButton>
          <Status>{status}</Status>
        </div>
      </Form>
    </section>
  );
}

// ---------------------------------------------------------------- roles

const ROLE_NAMES: Record<string, string> = {
  educator: 'Educator',
  org_staff: 'Organization staff',
  district_admin: 'District administrator',
  campaign_organizer: 'Campaign organizer',
  site_admin: 'Site administrator',
};

function describeGrant(g: Grant): string {
  const role = ROLE_NAMES[g.role] ?? g.role;
  if (g.scope_type && g.scope_id !== null && g.scope_id !== undefined) return `${role}, ${g.scope_type} ${g.scope_id}`;
  if (g.scope_type) return `${role}, ${g.scope_type}`;
  return role;
}

function Roles({ user }: { user: User }) {
  const roles = user.roles ?? [];
  const hasEducator = roles.some((g) => g.role === 'educator');
  return (
    <section class="card" aria-labelledby="roles-heading">
      <h2 id="roles-heading">Roles</h2>
      <ul class="roles">
        {hasEducator ? null : (
          <li>
            Educator <span class="muted">(every account)</span>
          </li>
        )}
        {roles.map((g) => (
          <li key={g.id}>{describeGrant(g)}</li>
        ))}
      </ul>
    </section>
  );
}

// ---------------------------------------------------------------- tokens

function NewTokenPanel({ created, onDone }: { created: NewApiToken; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const [copyStatus, setCopyStatus] = useState('');

  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopyStatus('Token copied to the clipboard.');
    } catch {
      input.current?.select();
      setCopyStatus('Could not copy automatically. The token is selected: press Ctrl+C (or ⌘C) to copy it.');
    }
  };

  return (
    <section class="notice notice-warning new-token" aria-labelledby="new-token-heading">
      <h3 id="new-token-heading" ref={heading} tabIndex={-1}>
        Your new token “{created.name}”
      </h3>
      <p id="new-token-warning">
        <strong>Copy this token now. It will not be shown again.</strong> Anyone who has it can use Staffroom as you.
      </p>
      <label for="new-token-value">Token</label>
      <div class="copy-row">
        <input
          id="new-token-value"
          ref={input}
          type="text"
          readOnly
          value={created.token}
          aria-describedby="new-token-warning"
          spellcheck={false}
          class="mono"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="button" onClick={copy}>
          Copy token
        </button>
      </div>
      <Status>{copyStatus}</Status>
      <button type="button" class="button button-secondary" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}

function TokenItem({
  token,
  confirming,
  onAsk,
  onCancel,
  onRevoke,
}: {
  token: ApiToken;
  confirming: boolean;
  onAsk: () => void;
  onCancel: () => void;
  onRevoke: () => void;
}) {
  const question = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);

  const nameId = `token-${token.id}-name`;
  return (
    <li class="token">
      <div class="token-info">
        <p class="token-name" id={nameId}>
          {token.name}
        </p>
        <p class="muted">
          Created <DateTime iso={token.created_at} />
          {' · '}
          {token.last_used_at ? (
            <>
              Last used <DateTime iso={token.last_used_at} />
            </>
          ) : (
            'Never used'
          )}
        </p>
      </div>
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby={`token-${token.id}-question`}>
          <p id={`token-${token.id}-question`} ref={question} tabIndex={-1}>
            Revoke “{token.name}”? Scripts using it will stop working at once.
          </p>
          <div class="actions">
            <button type="button" class="button button-danger" onClick={onRevoke}>
              Yes, revoke
            </button>
            <button type="button" class="button button-secondary" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          id={`revoke-${token.id}`}
          class="button button-secondary"
          onClick={onAsk}
          aria-describedby={nameId}
        >
          Revoke
        </button>
      )}
    </li>
  );
}

function Tokens({ onSignedOut }: { onSignedOut: () => void }) {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<NewApiToken | null>(null);
  const [confirmId, setConfirmId] = useState<number | null>(null);
  const [status, setStatus] = useState('');
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const form = useForm({ name: 'token_name' });

  const load = async (cursor: string | null) => {
    try {
      const page = await api.listTokens(cursor);
      setTokens((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNext(page.next);
      setLoadError(null);
    } catch (err) {
      if (isSignedOut(err)) return onSignedOut();
      setLoadError(describeError(err));
      setTokens((old) => old ?? []);
    }
  };

  useEffect(() => {
    void load(null);
  }, []);

  useLayoutEffect(() => {
    if (focusTarget) {
      document.getElementById(focusTarget)?.focus();
      setFocusTarget(null);
    }
  }, [focusTarget]);

  const create = form.handleSubmit({
    onStart: () => setStatus(''),
    check: (): Errors => (name.trim() ? {} : { name: 'Enter a name for the token' }),
    send: async () => {
      const token = await api.createToken({ name: name.trim() });
      setCreated(token);
      setName('');
      const { token: _secret, ...listed } = token;
      void _secret;
      setTokens((old) => [listed, ...(old ?? []).filter((t) => t.id !== listed.id)]);
    },
    onError: (err) => signedOut(err, onSignedOut),
  });

  const revoke = async (token: ApiToken) => {
    try {
      await api.revokeToken(token.id);
      setStatus(`Token “${token.name}” revoked.`);
    } catch (err) {
      if (isSignedOut(err)) return onSignedOut();
      if (!(err instanceof ApiError && err.status === 404)) {
        setStatus(`Could not revoke “${token.name}”: ${describeError(err)}`);
        return;
      }
      setStatus(`Token “${token.name}” was already revoked.`);
    }
    setConfirmId(null);
    setTokens((old) => (old ?? []).filter((t) => t.id !== token.id));
    if (created && created.id === token.id) setCreated(null);
    setFocusTarget('tokens-heading');
  };

  return (
    <section class="card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading" tabIndex={-1}>
        Personal API tokens
      </h2>
      <p>
        A token lets your own scripts use the Staffroom API as you. Send it in the header{' '}
        <code>Authorization: Bearer &lt;token&gt;</code>. Revoke a token as soon as you no longer need it.
      </p>

      {created ? (
        <NewTokenPanel
          created={created}
          onDone={() => {
            setCreated(null);
            setFocusTarget('token_name');
          }}
        />
      ) : null}

      <Form summary={form.summary} onSubmit={create}>
        <Field
          id="token_name"
          label="Token name"
          hint="So you can recognise it later, for example “Gradebook sync”."
          value={name}
          onValue={setName}
          autoComplete="off"
          error={form.errors.name}
          required
          maxLength={200}
        />
        <SubmitButton busy={form.busy}>Create token</SubmitButton>
      </Form>

      <Status>{status}</Status>

      <h3>Your tokens</h3>
      {tokens === null ? (
        <p>Loading tokens…</p>
      ) : loadError ? (
        <p class="error-message">{loadError}</p>
      ) : tokens.length === 0 ? (
        <p>You have no tokens.</p>
      ) : (
        <ul class="tokens" aria-label="Your tokens">
          {tokens.map((t) => (
            <TokenItem
              key={t.id}
              token={t}
              confirming={confirmId === t.id}
              onAsk={() => setConfirmId(t.id)}
              onCancel={() => {
                setConfirmId(null);
                setFocusTarget(`revoke-${t.id}`);
              }}
              onRevoke={() => void revoke(t)}
            />
          ))}
        </ul>
      )}
      {next ? (
        <button type="button" class="button button-secondary" onClick={() => void load(next)}>
          Show more tokens
        </button>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------- page

export function Account() {
  const { user, setUser } = useSession();

  useEffect(() => {
    if (user === null) navigate('/signin', { replace: true });
  }, [user]);

  if (!user) return null;

  const onSignedOut = () => setUser(null);

  return (
    <Page title="Your account">
      <p class="muted">
        Times are shown in your time zone ({viewerTimeZone()}).
      </p>
      <div class="cards">
        <Profile user={user} onUser={setUser} onSignedOut={onSignedOut} />
        <ChangePassword email={user.email} onSignedOut={onSignedOut} />
        <Roles user={user} />
        <Tokens onSignedOut={onSignedOut} />
      </div>
    </Page>
  );
}
