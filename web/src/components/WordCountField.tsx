import type { TargetedEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { countWords, wordsText } from '../credit';

type Props = {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  maxLength?: number;
  /** Words the policy asks for, shown next to the count. */
  minWords?: number;
  rows?: number;
};

/**
 * A text box for writing with its word count, counted as the server counts. The count is
 * part of the box's description; screen readers hear it again once typing pauses.
 */
export function WordCountField({ id, label, value, onValue, hint, error, required, maxLength, minWords, rows = 8 }: Props) {
  const words = countWords(value);
  const [announced, setAnnounced] = useState('');
  const [typed, setTyped] = useState(false);
  const text = `${wordsText(words)}${minWords ? ` of the ${minWords} asked for` : ''}`;
  useEffect(() => {
    if (!typed) return undefined;
    const t = window.setTimeout(() => setAnnounced(text), 1200);
    return () => window.clearTimeout(t);
  }, [text, typed]);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const countId = `${id}-count`;
  const describedBy = [hintId, errorId, countId].filter(Boolean).join(' ');
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
      <textarea
        id={id}
        name={id}
        value={value}
        rows={rows}
        maxLength={maxLength}
        aria-describedby={describedBy}
        aria-invalid={error ? 'true' : undefined}
        aria-required={required ? 'true' : undefined}
        onInput={(e: TargetedEvent<HTMLTextAreaElement, Event>) => {
          setTyped(true);
          onValue(e.currentTarget.value);
        }}
      />
      <p class="hint word-count" id={countId}>
        {text}
      </p>
      <p class="visually-hidden" aria-live="polite">
        {announced}
      </p>
    </div>
  );
}
