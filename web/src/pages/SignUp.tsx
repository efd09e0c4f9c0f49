import { useState } from 'preact/hooks';
import type { TargetedSubmitEvent } from 'preact';
import { ApiError, api } from '../api';
import { ErrorSummary } from '../components/ErrorSummary';
import type { SummaryItem } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { checkNewPassword, errorsFrom, summaryOf } from '../forms';
import type { Errors } from '../forms';
import { Link, navigate } from '../router';
import { useSession } from '../session';

const FIELDS = { display_name: 'display_name', email: 'email', password: 'password' };

export function SignUp() {
  const { signedIn } = useSession();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    const local: Errors = {};
    if (!displayName.trim()) local.display_name = 'Enter your display name';
    if (!email.trim()) local.email = 'Enter your email address';
    const pw = checkNewPassword(password);
    if (pw) local.password = pw;
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setSummary(summaryOf(local, FIELDS));
      return;
    }
    setBusy(true);
    setErrors({});
    setSummary([]);
    try {
      const answer = await api.signUp({ display_name: displayName.trim(), email: email.trim(), password });
      signedIn(answer);
      navigate('/account');
    } catch (err) {
      setBusy(false);
      if (err instanceof ApiError && err.status === 409) {
        setErrors({ email: 'An account with this email already exists' });
        setSummary([
          {
            message: (
              <>
                An account with this email already exists. <Link href="/signin">Sign in instead</Link>.
              </>
            ),
          },
        ]);
        return;
      }
      const { fieldErrors, summary: s } = errorsFrom(err, FIELDS);
      setErrors(fieldErrors);
      setSummary(s);
    }
  };

  return (
    <Page title="Sign up" class="narrow">
      <p class="lead">Create a free Staffroom account to join campaigns and keep a record of your learning.</p>
      <ErrorSummary items={summary} />
      <form onSubmit={submit} noValidate>
        <Field
          id="display_name"
          label="Display name"
          hint="Shown to other people on Staffroom."
          value={displayName}
          onValue={setDisplayName}
          autoComplete="name"
          error={errors.display_name}
          required
        />
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
        <Field
          id="password"
          label="Password"
          type="password"
          hint="At least 10 characters."
          value={password}
          onValue={setPassword}
          autoComplete="new-password"
          error={errors.password}
          required
        />
        <button type="submit" class="button" aria-disabled={busy ? 'true' : undefined}>
          {busy ? 'Creating account…' : 'Create account'}
        </button>
      </form>
      <p>
        Already have an account? <Link href="/signin">Sign in</Link>.
      </p>
    </Page>
  );
}
