import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, describeError, signedOut } from '../api';
import type { AcceptedInvitation, User } from '../api';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { useForm } from '../forms';
import { Link } from '../router';
import { useSession } from '../session';

/** The server's explanation as a sentence of its own. */
function explanation(err: unknown): string {
  const text = describeError(err);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function Accepted({ accepted }: { accepted: AcceptedInvitation }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);
  const org = accepted.organization;
  return (
    <div class="notice notice-success">
      <h2 ref={heading} tabIndex={-1}>
        You have joined {org.name}
      </h2>
      <p>
        You are now on the staff of {org.name}: you can write and manage its activities and invite colleagues.
      </p>
      <p>
        <Link href={`/organizations/${encodeURIComponent(org.slug)}`}>Go to {org.name}</Link>
      </p>
    </div>
  );
}

function AcceptForm({ token, user }: { token: string; user: User }) {
  const { setUser } = useSession();
  const [accepted, setAccepted] = useState<AcceptedInvitation | null>(null);
  const form = useForm({});

  const submit = form.handleSubmit({
    send: async () => {
      const answer = await api.acceptInvitation(token);
      // The organization's page shows its staff tools once the session knows the new role.
      try {
        setUser((await api.me()).user);
      } catch {
        // The role is granted all the same; the next page load shows it.
      }
      setAccepted(answer);
    },
    onError: (err) => {
      if (signedOut(err, () => setUser(null))) return true;
      if (err instanceof ApiError && err.status === 403) {
        form.show({}, [
          {
            message: (
              <>
                {explanation(err)} You are signed in as <strong>{user.email}</strong>.
              </>
            ),
          },
        ]);
        return true;
      }
      if (err instanceof ApiError && err.status === 400) {
        form.show({}, [{ message: explanation(err) }]);
        return true;
      }
      if (err instanceof ApiError && err.status === 422) {
        form.show({}, [
          {
            message:
              'This invitation link is incomplete. Open the link from your invitation email again; ' +
              'if your email program split it over two lines, copy all of it.',
          },
        ]);
        return true;
      }
      return false;
    },
  });

  if (accepted) return <Accepted accepted={accepted} />;

  return (
    <>
      <p>
        You are signed in as <strong>{user.email}</strong>. The invitation must have been sent to this address.
      </p>
      <Form summary={form.summary} summaryTitle="The invitation was not accepted" onSubmit={submit}>
        <SubmitButton busy={form.busy} busyLabel="Accepting…">
          Accept invitation
        </SubmitButton>
      </Form>
    </>
  );
}

export function AcceptInvitation({ search }: { search: string }) {
  const { user } = useSession();
  const token = new URLSearchParams(search).get('token');
  const here = `/invitations/accept${search}`;

  return (
    <Page title="Join an organization’s staff" class="narrow">
      <p class="lead">
        Staff of a partner organization write and manage its activities on Staffroom and invite colleagues.
      </p>
      {!token ? (
        <p class="notice notice-error">
          This address has no invitation in it. Open the link from your invitation email again; if your email
          program split it over two lines, copy all of it.
        </p>
      ) : !user ? (
        <>
          <p>
            You have been invited to join the staff of an organization. To accept, sign in with the email address the
            invitation was sent to, or create an account with that address. You come back to this page afterwards.
          </p>
          <p class="cta">
            <Link href={`/signin?next=${encodeURIComponent(here)}`} class="button">
              Sign in to accept
            </Link>
            <Link href={`/signup?next=${encodeURIComponent(here)}`} class="button button-secondary">
              Create an account
            </Link>
          </p>
        </>
      ) : (
        <AcceptForm token={token} user={user} />
      )}
    </Page>
  );
}
