import { useState } from 'preact/hooks';
import { ApiError, api, describeError } from '../api';
import { CurrentPasswordField, EmailField } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { formatWait, useForm } from '../forms';
import type { Errors } from '../forms';
import { Link, navigate, safeReturnPath } from '../router';
import { useSession } from '../session';

const FIELDS = { email: 'email', password: 'password' };

export function SignIn({ search = '' }: { search?: string }) {
  const next = safeReturnPath(new URLSearchParams(search).get('next'));
  const { signedIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useForm(FIELDS);

  const submit = form.handleSubmit({
    check: () => {
      const local: Errors = {};
      if (!email.trim()) local.email = 'Enter your email address';
      if (!password) local.password = 'Enter your password';
      return local;
    },
    send: async () => {
      const answer = await api.signIn({ email: email.trim(), password });
      signedIn(answer);
      navigate(next ?? '/account');
    },
    onError: (err) => {
      if (err instanceof ApiError && err.status === 401) {
        form.show({}, [{ message: describeError(err) }]);
        return true;
      }
      if (err instanceof ApiError && err.status === 429) {
        form.show({}, [
          {
            message: `Too many sign-in attempts. Wait ${formatWait(err.retryAfter)} and try again, or reset your password.`,
          },
        ]);
        return true;
      }
      return false;
    },
    leavesPage: true,
  });

  return (
    <Page title="Sign in" class="narrow">
      <Form summary={form.summary} onSubmit={submit}>
        <EmailField value={email} onValue={setEmail} autoComplete="username" error={form.errors.email} />
        <CurrentPasswordField
          id="password"
          label="Password"
          value={password}
          onValue={setPassword}
          error={form.errors.password}
        />
        <SubmitButton busy={form.busy} busyLabel="Signing in…">
          Sign in
        </SubmitButton>
      </Form>
      <p>
        <Link href="/reset-password">Forgot your password?</Link>
      </p>
      <p>
        New to Staffroom? <Link href={next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'}>Create an account</Link>.
      </p>
    </Page>
  );
}
