import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { ApiError, signedOut } from '../api';
import { lineProblem, useForm } from '../forms';
import type { Errors } from '../forms';
import { Form, SubmitButton } from './Form';
import { Status } from './Status';

type Props = {
  id: string;
  label: string;
  hint: string;
  buttonLabel: string;
  busyLabel: string;
  /** Heading of the list of bad lines, saying what did not happen. */
  problemTitle: string;
  /** Sends the file's text; resolves with a sentence saying what was done. */
  onUpload: (csv: string) => Promise<string>;
  onSignedOut: () => void;
  /** Other fields of the form, shown before the file, given the problems found with them. */
  children?: (errors: Errors) => ComponentChildren;
  /** API field names of those fields to their input ids. */
  fields?: Record<string, string>;
  /** Checks those fields before anything is sent. */
  check?: () => Errors;
};

/**
 * A CSV file chosen from the computer and sent as it is. When the server refuses it, every
 * bad line it names is listed.
 */
export function CsvUpload({
  id,
  label,
  hint,
  buttonLabel,
  busyLabel,
  problemTitle,
  onUpload,
  onSignedOut,
  children,
  fields = {},
  check,
}: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState('');
  const [title, setTitle] = useState<string | undefined>(undefined);
  const form = useForm({ ...fields, file: id });

  const submit = form.handleSubmit({
    onStart: () => {
      setStatus('');
      setTitle(undefined);
    },
    check: (): Errors => {
      const errors: Errors = check ? check() : {};
      if (!input.current?.files?.[0]) errors.file = 'Choose a CSV file';
      return errors;
    },
    send: async () => {
      const file = input.current?.files?.[0];
      if (!file) return;
      const text = await file.text();
      setStatus(await onUpload(text));
      if (input.current) input.current.value = '';
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      const lines = err instanceof ApiError ? (err.problem.errors ?? []) : [];
      if (lines.length === 0) return false;
      setTitle(problemTitle);
      const count = lines.length === 1 ? '1 problem' : `${lines.length} problems`;
      form.show(
        { file: `The file has ${count}: see the list above` },
        lines.map((l) => ({ message: lineProblem(l) })),
      );
      return true;
    },
  });

  const error = form.errors.file;
  const describedBy = [`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <Form summary={form.summary} summaryTitle={title} onSubmit={submit}>
      {children ? children(form.errors) : null}
      <div class={error ? 'field field-error' : 'field'}>
        <label for={id}>{label}</label>
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
        {error ? (
          <p class="error-message" id={`${id}-error`}>
            <span class="visually-hidden">Error: </span>
            {error}
          </p>
        ) : null}
        <input
          ref={input}
          type="file"
          id={id}
          name={id}
          accept=".csv,text/csv"
          aria-describedby={describedBy}
          aria-invalid={error ? 'true' : undefined}
        />
      </div>
      <div class="actions">
        <SubmitButton busy={form.busy} busyLabel={busyLabel}>
          {buttonLabel}
        </SubmitButton>
        <Status>{status}</Status>
      </div>
    </Form>
  );
}
