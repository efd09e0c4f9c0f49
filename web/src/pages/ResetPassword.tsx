import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ApiError, api } from '../api';
import { EmailField, NewPasswordField } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { checkNewPassword, useForm } from '../forms';
import type { Errors } from '../forms';
import { Link } from '../router';
import { useSession } from '../session';

/** Moves focus to a confirmation message when it replaces a form. */
function Confirmation({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
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
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({ email: 'email' });

  const submit = form.handleSubmit({
    check: (): Errors => (email.trim() ? {} : { email: 'Enter your email address' }),
    send: async () => {
      await api.requestPasswordReset({ email: email.trim() });
      setSentTo(email.trim());
    },
  });

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
      <Form summary={form.summary} onSubmit={submit}>
        <EmailField value={email} onValue={setEmail} error={form.errors.email} />
        <SubmitButton busy={form.busy} busyLabel="Sending…">
          Send reset link
        </SubmitButton>
      </Form>
      <p>
        <Link href="/signin">Back to sign in</Link>
      </p>
    </>
  );
}

function ChooseNewPassword({ token }: { token: string }) {
  const { user, setUser } = useSession();
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const form = useForm({ new_password: 'new_password' });

  const submit = form.handleSubmit({
    check: (): Errors => {
      const pw = checkNewPassword(password);
      return pw ? { new_password: pw } : {};
    },
    send: async () => {
      await api.confirmPasswordReset({ token, new_password: password });
      // Every session of that account has ended, possibly including this one.
      if (user) setUser(null);
      setDone(true);
    },
    onError: (err) => {
      if (!(err instanceof ApiError && err.status === 400)) return false;
      form.show({}, [
        {
          message: (
            <>
              This reset link is invalid, already used or expired.{' '}
              <Link href="/reset-password">Ask for a new link</Link>.
            </>
          ),
        },
      ]);
      return true;
    },
  });

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
      <Form summary={form.summary} onSubmit={submit}>
        <NewPasswordField
          id="new_password"
          label="New password"
          value={password}
          onValue={setPassword}
          error={form.errors.new_password}
        />
        <SubmitButton busy={form.busy} busyLabel="Saving…">
          Set new password
        </SubmitButton>
      </Form>
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
