import type { TargetedEvent } from 'preact';
import { PASSWORD_MIN } from '../forms';

export type Option = { value: string; label: string };

type Props = {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  /** `select` shows `options`; `textarea` takes several lines. */
  type?: 'text' | 'email' | 'password' | 'url' | 'textarea' | 'select' | 'date' | 'datetime-local' | 'number' | 'search';
  options?: Option[];
  autoComplete?: string;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  maxLength?: number;
  /** For numbers: the smallest and largest values and the step between them. */
  min?: number;
  max?: number;
  step?: number;
  inputRef?: { current: HTMLInputElement | null };
  /** For a textarea: how many lines it shows (5 unless given). */
  rows?: number;
  /** Code or data rather than prose (JSON, addresses): monospace, no spelling checks. */
  code?: boolean;
};

/** A labelled control with an optional hint and error, linked for assistive technology. */
export function Field({
  id,
  label,
  value,
  onValue,
  type = 'text',
  options = [],
  autoComplete,
  hint,
  error,
  required,
  maxLength,
  min,
  max,
  step,
  inputRef,
  rows = 5,
  code = false,
}: Props) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const onInput = (e: TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, Event>) =>
    onValue(e.currentTarget.value);
  const aria = {
    id,
    name: id,
    value,
    onInput,
    autoComplete,
    'aria-describedby': describedBy,
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-required': required ? ('true' as const) : undefined,
  };
  const plain = !code && (type === 'text' || type === 'textarea');
  const common = {
    ...aria,
    ref: inputRef,
    maxLength,
    spellcheck: plain ? undefined : false,
    autoCapitalize: plain ? undefined : ('off' as const),
  };
  return (
    <div class={error ? 'field field-error' : 'field'}>
      <label for={id}>
        {label}
        {required === false ? <span class="optional"> (optional)</span> : null}
      </label>
      {hint ? (
        <p class="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="error-message" id={errorId}>
          <span class="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {type === 'select' ? (
        <select {...aria}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      ) : type === 'textarea' ? (
        <textarea
          {...aria}
          maxLength={maxLength}
          rows={rows}
          class={code ? 'mono' : undefined}
          spellcheck={code ? false : undefined}
          autoCapitalize={code ? 'off' : undefined}
        />
      ) : type === 'password' ? (
        <input type="password" {...common} />
      ) : type === 'email' ? (
        <input type="email" {...common} />
      ) : type === 'url' ? (
        <input type="url" {...common} />
      ) : type === 'number' ? (
        <input type="number" {...common} min={min} max={max} step={step} inputMode="decimal" />
      ) : type === 'date' || type === 'datetime-local' ? (
        <input type={type} {...common} />
      ) : type === 'search' ? (
        <input type="search" {...aria} ref={inputRef} maxLength={maxLength} />
      ) : (
        <input type="text" {...common} />
      )}
    </div>
  );
}

type FieldValue = {
  value: string;
  onValue: (value: string) => void;
  error?: string | undefined;
};

/** The public name of an account. */
export function DisplayNameField({ value, onValue, error }: FieldValue) {
  return (
    <Field
      id="display_name"
      label="Display name"
      hint="Shown to other people on Staffroom."
      value={value}
      onValue={onValue}
      autoComplete="name"
      error={error}
      required
    />
  );
}

/** An email address; `autoComplete="username"` where it names an existing account. */
export function EmailField({ value, onValue, error, autoComplete = 'email' }: FieldValue & { autoComplete?: string }) {
  return (
    <Field
      id="email"
      label="Email address"
      type="email"
      value={value}
      onValue={onValue}
      autoComplete={autoComplete}
      error={error}
      required
    />
  );
}

/** A password being chosen, with the length rule as its hint. */
export function NewPasswordField({ id, label, value, onValue, error }: FieldValue & { id: string; label: string }) {
  return (
    <Field
      id={id}
      label={label}
      type="password"
      hint={`At least ${PASSWORD_MIN} characters.`}
      value={value}
      onValue={onValue}
      autoComplete="new-password"
      error={error}
      required
    />
  );
}

/** The password someone already has. */
export function CurrentPasswordField({ id, label, value, onValue, error }: FieldValue & { id: string; label: string }) {
  return (
    <Field
      id={id}
      label={label}
      type="password"
      value={value}
      onValue={onValue}
      autoComplete="current-password"
      error={error}
      required
    />
  );
}
