import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { DisplayNameField, EmailField, NewPasswordField } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { checkNewPassword, useForm } from '../forms';
import type { Errors } from '../forms';
import { Link, navigate, safeReturnPath } from '../router';
import { useSession } from '../session';

const FIELDS = { display_name: 'display_name', email: 'email', password: 'password' };

export function SignUp({ search = '' }: { search?: string }) {
  const next = safeReturnPath(new URLSearchParams(search).get('next'));
  const { signedIn } = useSession();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useForm(FIELDS);

  const submit = form.handleSubmit({
    check: () => {
      const local: Errors = {};
      if (!displayName.trim()) local.display_name = 'Enter your display name';
      if (!email.trim()) local.email = 'Enter your email address';
      const pw = checkNewPassword(password);
      if (pw) local.password = pw;
      return local;
    },
    send: async () => {
      const answer = await api.signUp({ display_name: displayName.trim(), email: email.trim(), password });
      signedIn(answer);
      navigate(next ?? '/account');
    },
    onError: (err) => {
      if (!(err instanceof ApiError && err.status === 409)) return false;
      form.show({ email: 'An account with this email already exists' }, [
        {
          message: (
            <>
              An account with this email already exists. <Link href={next ? `/signin?next=${encodeURIComponent(next)}` : '/signin'}>Sign in instead</Link>.
            </>
          ),
        },
      ]);
      return true;
    },
    leavesPage: true,
  });

  return (
    <Page title="Sign up" class="narrow">
      <p class="lead">Create a free Staffroom account to join campaigns and keep a record of your learning.</p>
      <Form summary={form.summary} onSubmit={submit}>
        <DisplayNameField value={displayName} onValue={setDisplayName} error={form.errors.display_name} />
        <EmailField value={email} onValue={setEmail} error={form.errors.email} />
        <NewPasswordField
          id="password"
          label="Password"
          value={password}
          onValue={setPassword}
          error={form.errors.password}
        />
        <SubmitButton busy={form.busy} busyLabel="Creating account…">
          Create account
        </SubmitButton>
      </Form>
      <p>
        Already have an account? <Link href={next ? `/signin?next=${encodeURIComponent(next)}` : '/signin'}>Sign in</Link>.
      </p>
    </Page>
  );
}
