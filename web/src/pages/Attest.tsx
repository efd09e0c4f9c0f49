import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, describeError, signedOut } from '../api';
import type { User } from '../api';
import { RadioGroup } from '../components/Choices';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { creditApi, formatName, minutesText } from '../credit';
import type { AttestationRequest } from '../credit';
import { useForm } from '../forms';
import type { Errors } from '../forms';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { formatDate } from '../time';

/** The server's explanation as a sentence of its own. */
function explanation(err: unknown): string {
  const text = describeError(err);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function SignInLinks({ here }: { here: string }) {
  return (
    <p class="cta">
      <Link href={`/signin?next=${encodeURIComponent(here)}`} class="button">
        Sign in to answer
      </Link>
      <Link href={`/signup?next=${encodeURIComponent(here)}`} class="button button-secondary">
        Create an account
      </Link>
    </p>
  );
}

/** Signs out, then goes to sign in with another address and back here. */
function SwitchAccount({ here }: { here: string }) {
  const { setUser } = useSession();
  const switchAccount = async () => {
    try {
      await api.signOut();
    } catch {
      // Signed out or not, the sign-in page comes next.
    }
    setUser(null);
    navigate(`/signin?next=${encodeURIComponent(here)}`);
  };
  return (
    <button type="button" class="button" onClick={() => void switchAccount()}>
      Sign out and sign in with that address
    </button>
  );
}

function Answered({ decision, request }: { decision: 'attest' | 'decline'; request: AttestationRequest }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <div class="notice notice-success">
      <h2 ref={heading} tabIndex={-1}>
        {decision === 'attest' ? 'Thank you: you attested this learning' : 'You declined to attest this learning'}
      </h2>
      <p>
        {decision === 'attest'
          ? `${request.educator} can now use your attestation of “${request.title}” when claiming credit.`
          : `${request.educator} sees that you declined, with your note if you wrote one.`}{' '}
        The link in your email no longer works.
      </p>
      <p>
        <Link href="/learning">Go to your own learning</Link>
      </p>
    </div>
  );
}

function AnswerForm({ token, request, user }: { token: string; request: AttestationRequest; user: User }) {
  const { setUser } = useSession();
  const [decision, setDecision] = useState('');
  const [note, setNote] = useState('');
  const [answered, setAnswered] = useState<'attest' | 'decline' | null>(null);
  const form = useForm({ decision: 'attest-decision', note: 'attest-note' });

  const submit = form.handleSubmit({
    check: (): Errors => (decision ? {} : { decision: 'Choose whether you attest or decline' }),
    send: async () => {
      const d = decision === 'attest' ? 'attest' : 'decline';
      await creditApi.answerAttestation(token, d, note.trim());
      setAnswered(d);
    },
    onError: (err) => {
      if (signedOut(err, () => setUser(null))) return true;
      if (err instanceof ApiError && err.status === 403) {
        form.show({}, [
          {
            message: (
              <>
                {explanation(err)}{' '}
                {/confirm/i.test(describeError(err)) ? (
                  <Link href="/account">Confirm your address on your account page</Link>
                ) : null}
              </>
            ),
          },
        ]);
        return true;
      }
      if (err instanceof ApiError && err.status === 404) {
        form.show({}, [{ message: explanation(err) }]);
        return true;
      }
      return false;
    },
  });

  if (answered) return <Answered decision={answered} request={request} />;

  return (
    <>
      <section class="card" aria-labelledby="asked-heading">
        <h2 id="asked-heading">What {request.educator} asks you to confirm</h2>
        <p>
          {request.educator} logged this learning on Staffroom and asks you, as a colleague, to confirm that they took
          part. Only attest what you know to be true.
        </p>
        <dl class="facts">
          <div>
            <dt>Learning</dt>
            <dd>{request.title}</dd>
          </div>
          <div>
            <dt>Format</dt>
            <dd>{formatName(request.format)}</dd>
          </div>
          <div>
            <dt>Date</dt>
            <dd>{formatDate(request.learned_on)}</dd>
          </div>
          <div>
            <dt>Time</dt>
            <dd>{minutesText(request.minutes)}</dd>
          </div>
          {request.url ? (
            <div>
              <dt>Link</dt>
              <dd>
                {/^https?:\/\//i.test(request.url) ? (
                  <a href={request.url} rel="noopener noreferrer">
                    {request.url}
                  </a>
                ) : (
                  request.url
                )}
              </dd>
            </div>
          ) : null}
        </dl>
      </section>
      <Form summary={form.summary} summaryTitle="Your answer was not sent" label="Your answer" onSubmit={submit}>
        <RadioGroup
          id="attest-decision"
          legend="Your answer"
          options={[
            { value: 'attest', label: `I attest that ${request.educator} took part` },
            { value: 'decline', label: 'I decline to attest' },
          ]}
          value={decision}
          onValue={setDecision}
          error={form.errors.decision}
        />
        <Field
          id="attest-note"
          label="Note"
          type="textarea"
          hint={`${request.educator} sees this note, for example “We were in the chat together.”`}
          value={note}
          onValue={setNote}
          error={form.errors.note}
          required={false}
          maxLength={2000}
        />
        <p class="muted">You answer as {user.email}.</p>
        <SubmitButton busy={form.busy} busyLabel="Sending…">
          Send answer
        </SubmitButton>
      </Form>
    </>
  );
}

function SignedIn({ token, user, here }: { token: string; user: User; here: string }) {
  const { setUser } = useSession();
  const [request, setRequest] = useState<AttestationRequest | null>(null);
  const [problem, setProblem] = useState<{ status: number; message: string } | null>(null);

  useEffect(() => {
    creditApi
      .attestation(token)
      .then(setRequest)
      .catch((err: unknown) => {
        if (signedOut(err, () => setUser(null))) return;
        setProblem({ status: err instanceof ApiError ? err.status : 0, message: explanation(err) });
      });
  }, [token, user.id]);

  if (problem) {
    return (
      <div class="notice notice-warning" role="alert">
        {problem.status === 403 ? (
          <>
            <p>
              <strong>This request went to another address.</strong> You are signed in as <strong>{user.email}</strong>.{' '}
              {problem.message}
            </p>
            <SwitchAccount here={here} />
          </>
        ) : problem.status === 404 ? (
          <p>
            <strong>This link does not work any more.</strong> {problem.message} Ask your colleague to send a new request
            if they still need your answer.
          </p>
        ) : (
          <p>Could not load the request. {problem.message}</p>
        )}
      </div>
    );
  }
  if (!request) return <p role="status">Loading the request…</p>;
  return <AnswerForm token={token} request={request} user={user} />;
}

export function Attest({ search }: { search: string }) {
  const { user } = useSession();
  const token = new URLSearchParams(search).get('token');
  const here = `/attest${search}`;
  return (
    <Page title="Confirm a colleague’s learning" class="narrow">
      {!token ? (
        <p class="notice notice-error">
          This address has no request in it. Open the link from the email again; if your email program split it over two
          lines, copy all of it.
        </p>
      ) : !user ? (
        <>
          <p>
            A colleague asked you to confirm that they took part in some online learning. To see what they ask and answer,
            sign in with the email address the request was sent to, or create an account with that address. You come
            back to this page afterwards.
          </p>
          <SignInLinks here={here} />
        </>
      ) : (
        <SignedIn token={token} user={user} here={here} />
      )}
    </Page>
  );
}
