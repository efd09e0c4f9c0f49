import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

/** A read-only value with a button that copies it, falling back to selecting it. */
export function CopyValue({
  id,
  label,
  value,
  describedBy,
  buttonLabel,
  onCopied,
}: {
  id: string;
  label: string;
  value: string;
  describedBy?: string;
  /** The button's words when "Copy" and the label would say too little (several on a page). */
  buttonLabel?: ComponentChildren;
  onCopied: (message: string) => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      onCopied(`${label} copied to the clipboard.`);
    } catch {
      input.current?.focus();
      input.current?.select();
      onCopied(`Could not copy automatically. The ${label.toLowerCase()} is selected: press Ctrl+C (or ⌘C) to copy it.`);
    }
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input
          id={id}
          ref={input}
          type="text"
          readOnly
          value={value}
          aria-describedby={describedBy}
          spellcheck={false}
          autoCapitalize="off"
          class="mono"
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="button button-secondary" onClick={() => void copy()}>
          {buttonLabel ?? `Copy ${label.toLowerCase()}`}
        </button>
      </div>
    </div>
  );
}
