import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren, TargetedSubmitEvent } from 'preact';
import { ApiError, api } from '../api';
import { ErrorSummary } from '../components/ErrorSummary';
import type { SummaryItem } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { checkNewPassword, errorsFrom, summaryOf } from '../forms';
import type { Errors } from '../forms';
import { Link } from '../router';
import { useSession } from '../session';

/** Moves focus to a confirmation message when it replaces a form. */
function Confirmation({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div class="notice notice-success" role="status" tabIndex={-1} ref={ref}>
      {children}
    </div>
  );
}

function RequestLink() {
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const FIELDS = { email: 'email' };

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    if (!email.trim()) {
      const local = { email: 'Enter your email address' };
      setErrors(local);
      setSummary(summaryOf(local, FIELDS));
      return;
    }
    setBusy(true);
    setErrors({});
    setSummary([]);
    try {
      await api.requestPasswordReset({ email: email.trim() });
      setSentTo(email.trim());
    } catch (err) {
      const { fieldErrors, summary: s } = errorsFrom(err, FIELDS);
      setErrors(fieldErrors);
      setSummary(s);
    } finally {
      setBusy(false);
    }
  };

  if (sentTo !== null) {
    return (
      <Confirmation>
        <h2>Check your email</h2>
        <p>
          If an account exists for <strong>{sentTo}</strong>, we have sent it a link to choose a new password. The
          link works once and expires after one hour.
        </p>
        <p>
          <Link href="/signin">Back to sign in</Link>
        </p>
      </Confirmation>
    );
  }

  return (
    <>
      <p class="lead">Enter the email address of your account and we will send you a link to choose a new password.</p>
      <ErrorSummary items={summary} />
      <form onSubmit={submit} noValidate>
        <Field
          id="email"
          label="Email address"
          type="email"
          value={email}
          onValue={setEmail}
          autoComplete="email"
          error={errors.email}
          required
        />
        <button type="submit" class="button" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Sending…' : 'Send reset link'}
        </button>
      </form>
      <p>
        <Link href="/signin">Back to sign in</Link>
      </p>
    </>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  const { user, setUser } = useSession();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const FIELDS = { new_password: 'new_password' };

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const pw = checkNewPassword(password);
    if (pw) {
      const local = { new_password: pw };
      setErrors(local);
      setSummary(summaryOf(local, FIELDS));
      return;
    }
    setBusy(true);
    setErrors({});
    setSummary([]);
    try {
      await api.confirmPasswordReset({ token, new_password: password });
      // Every session of that account has ended, possibly including this one.
      if (user) setUser(null);
      setDone(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        setSummary([
          {
            message: (
              <>
                This reset link is invalid, already used or expired.{' '}
                <Link href="/reset-password">Ask for a new link</Link>.
              </>
            ),
          },
        ]);
      } else {
        const { fieldErrors, summary: s } = errorsFrom(err, FIELDS);
        setErrors(fieldErrors);
        setSummary(s);
      }
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <Confirmation>
        <h2>Your password has been changed</h2>
        <p>You have been signed out everywhere. Sign in again with your new password.</p>
        <p>
          <Link href="/signin">Sign in</Link>
        </p>
      </Confirmation>
    );
  }

  return (
    <>
      <p class="lead">Choose a new password for your account.</p>
      <ErrorSummary items={summary} />
      <form onSubmit={submit} noValidate>
        <Field
          id="new_password"
          label="New password"
          type="password"
          hint="At least 10 characters."
          value={password}
          onValue={setPassword}
          autoComplete="new-password"
          error={errors.new_password}
          required
        />
        <button type="submit" class="button" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Saving…' : 'Set new password'}
        </button>
      </form>
    </>
  );
}

export function ResetPassword({ search }: { search: string }) {
  const token = new URLSearchParams(search).get('token');
  return (
    <Page title={token ? 'Choose a new password' : 'Reset your password'} class="narrow">
      {token ? <ChooseNewPassword token={token} /> : <RequestLink />}
    </Page>
  );
}
