import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, describeError } from '../api';
import { Page } from '../components/Page';
import { Link } from '../router';
import { useSession } from '../session';

type State = { kind: 'working' } | { kind: 'done'; email: string } | { kind: 'failed'; message: string };

/** Where the link in the confirmation mail leads: confirms the address once. */
export function VerifyEmail({ search }: { search: string }) {
  const token = new URLSearchParams(search).get('token') ?? '';
  const { user, refresh } = useSession();
  const [state, setState] = useState<State>({ kind: 'working' });
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let cancelled = false;
    if (!token) {
      setState({ kind: 'failed', message: 'This link has no token. Open the link from the mail exactly as it is.' });
      return;
    }
    api
      .confirmEmail({ token })
      .then((answer) => {
        if (cancelled) return;
        setState({ kind: 'done', email: answer.email });
        void refresh();
      })
      .catch((err) => {
        if (cancelled) return;
        const message =
          err instanceof ApiError && err.status === 400
            ? 'This confirmation link is not valid: it was already used, has expired, or was copied incompletely.'
            : describeError(err);
        setState({ kind: 'failed', message });
      });
    return () => {
      cancelled = true;
    };
  }, [token]);

  useLayoutEffect(() => {
    if (state.kind !== 'working') ref.current?.focus();
  }, [state.kind]);

  return (
    <Page title="Confirm your email address">
      {state.kind === 'working' && <p role="status">Confirming…</p>}
      {state.kind === 'done' && (
        <div class="notice notice-success" role="status" tabIndex={-1} ref={ref}>
          <h2>Your address is confirmed</h2>
          <p>
            <strong>{state.email}</strong> is yours. Attendance that online platforms report for it now counts as
            yours.
          </p>
          <p>{user ? <Link href="/schedule">Go to my schedule</Link> : <Link href="/signin">Sign in</Link>}</p>
        </div>
      )}
      {state.kind === 'failed' && (
        <div class="notice notice-error" role="alert" tabIndex={-1} ref={ref}>
          <h2>We could not confirm your address</h2>
          <p>{state.message}</p>
          <p>
            {user ? (
              <Link href="/account">Ask for a new link on your account page</Link>
            ) : (
              <Link href="/signin">Sign in to ask for a new link</Link>
            )}
          </p>
        </div>
      )}
    </Page>
  );
}
