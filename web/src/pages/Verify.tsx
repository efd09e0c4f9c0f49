import type { ComponentChildren, TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { VerificationChecks, VerificationResult } from '../components/VerificationChecks';
import { credentialsApi, fetchCredentialText } from '../credentials';
import type { Verification } from '../credentials';
import { useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link } from '../router';

const FIELDS = { credential: 'verify-credential', file: 'verify-file' };

/** The largest file read into the box; a credential is a few kilobytes. */
const MAX_FILE_BYTES = 1024 * 1024;

/** Why a text is not JSON, before anything is sent; undefined when it parses. */
function notJson(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (err) {
    const why = err instanceof Error ? err.message : '';
    return `This is not JSON${why ? ` (${why})` : ''}. Paste the credential exactly as it was issued`;
  }
}

/** A `?url=` of this site to fetch the credential from, or why it cannot be. */
function credentialAddress(value: string | null): { url: URL } | { problem: ComponentChildren } | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value, window.location.origin);
  } catch {
    return { problem: <>“{value}” is not a web address.</> };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { problem: <>“{value}” is not a web address.</> };
  }
  if (url.origin !== window.location.origin) {
    return {
      problem: (
        <>
          This page can only fetch credentials published on this site ({window.location.host}). Open{' '}
          <a href={url.href} rel="noopener">
            {url.href}
          </a>
          , download the credential as a file, then choose it below or paste it.
        </>
      ),
    };
  }
  return { url };
}

export function Verify({ search }: { search: string }) {
  const [text, setText] = useState('');
  const [result, setResult] = useState<Verification | null>(null);
  const [status, setStatus] = useState('');
  const [fetching, setFetching] = useState(false);
  const [fetchProblem, setFetchProblem] = useState<ComponentChildren>(null);
  const file = useRef<HTMLInputElement>(null);
  const form = useForm(FIELDS);
  const focus = useFocusTarget();
  const address = credentialAddress(new URLSearchParams(search).get('url'));

  const verify = async (body: string) => {
    const answer = await credentialsApi.verify(body);
    setResult(answer);
    focus('verify-result-heading');
  };

  /** A credential the server refused to read (400: not JSON; 413: too large) is a problem of the box. */
  const boxProblem = (err: unknown): boolean => {
    if (!(err instanceof ApiError) || (err.status !== 400 && err.status !== 413 && err.status !== 415)) return false;
    const message = describeError(err);
    form.show({ credential: message }, [{ message: `Credential: ${message}`, fieldId: FIELDS.credential }]);
    return true;
  };

  useEffect(() => {
    if (!address || !('url' in address)) return;
    let cancelled = false;
    setFetching(true);
    fetchCredentialText(address.url)
      .then(async (body) => {
        if (cancelled) return;
        setText(body);
        await verify(body);
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        if (!boxProblem(err)) {
          setFetchProblem(
            err instanceof ApiError && err.status === 404
              ? 'There is no credential at that address. Check the link, or paste the credential below.'
              : `Could not fetch the credential. ${describeError(err)}`,
          );
        }
      })
      .finally(() => {
        if (!cancelled) setFetching(false);
      });
    return () => {
      cancelled = true;
    };
  }, [search]);

  const chooseFile = async (e: TargetedEvent<HTMLInputElement, Event>) => {
    const chosen = e.currentTarget.files?.[0];
    setStatus('');
    if (!chosen) return;
    if (chosen.size > MAX_FILE_BYTES) {
      const message = `${chosen.name} is larger than 1 MB: choose the credential file itself`;
      form.show({ file: message }, [{ message, fieldId: FIELDS.file }]);
      return;
    }
    try {
      const content = await chosen.text();
      setText(content);
      setResult(null);
      form.show({}, []);
      setStatus(`${chosen.name} is in the box above. Choose Verify to check it.`);
    } catch {
      const message = `${chosen.name} could not be read: choose it again`;
      form.show({ file: message }, [{ message, fieldId: FIELDS.file }]);
    }
  };

  const submit = form.handleSubmit({
    onStart: () => {
      setStatus('');
      setFetchProblem(null);
    },
    check: (): Errors => {
      if (!text.trim()) return { credential: 'Paste a credential, or choose a file with one' };
      const problem = notJson(text);
      return problem ? { credential: problem } : {};
    },
    send: async () => {
      setResult(null);
      await verify(text);
    },
    onError: boxProblem,
  });

  const fileError = form.errors.file;
  return (
    <Page title="Verify a credential">
      <p class="lead">
        Check any Open Badges 3.0 credential, from Staffroom or another issuer: that its signature is intact, that the key
        belongs to the issuer it names, that it is within its dates and whether it has been revoked.
      </p>
      {fetchProblem || (address && 'problem' in address) ? (
        <div class="notice notice-warning">
          <p>{fetchProblem ?? (address && 'problem' in address ? address.problem : null)}</p>
        </div>
      ) : null}
      {fetching ? <p role="status">Fetching and checking the credential…</p> : null}
      <Form summary={form.summary} summaryTitle="The credential was not checked" label="Verify a credential" onSubmit={submit}>
        <Field
          id={FIELDS.credential}
          label="Credential"
          type="textarea"
          hint="Paste the whole credential as JSON, from its first { to its last }."
          value={text}
          onValue={(v) => {
            setText(v);
            setStatus('');
          }}
          error={form.errors.credential}
          rows={12}
          code
        />
        <div class={fileError ? 'field field-error' : 'field'}>
          <label for={FIELDS.file}>
            Or choose a credential file<span class="optional"> (optional)</span>
          </label>
          <p class="hint" id={`${FIELDS.file}-hint`}>
            A .json or .jsonld file, such as one downloaded from a credential’s page. It is put in the box above.
          </p>
          {fileError ? (
            <p class="error-message" id={`${FIELDS.file}-error`}>
              <span class="visually-hidden">Error: </span>
              {fileError}
            </p>
          ) : null}
          <input
            ref={file}
            type="file"
            id={FIELDS.file}
            name={FIELDS.file}
            accept=".json,.jsonld,application/json,application/ld+json"
            aria-describedby={[`${FIELDS.file}-hint`, fileError ? `${FIELDS.file}-error` : ''].filter(Boolean).join(' ')}
            aria-invalid={fileError ? 'true' : undefined}
            onChange={(e) => void chooseFile(e)}
          />
        </div>
        <div class="actions">
          <SubmitButton busy={form.busy} busyLabel="Checking…">
            Verify
          </SubmitButton>
          <Status>{status}</Status>
        </div>
      </Form>
      {result ? (
        <section class="card verify-result" aria-labelledby="verify-result-heading">
          <VerificationResult verification={result} headingId="verify-result-heading" showSubject />
          <VerificationChecks verification={result} idPrefix="verify" level={3} />
        </section>
      ) : null}
      <p class="muted">
        Credentials you earned on Staffroom are in your <Link href="/backpack">backpack</Link>; each has a page that
        shows this check. The revocation status of another issuer’s credential is not checked here: its status list is
        not fetched.
      </p>
    </Page>
  );
}
