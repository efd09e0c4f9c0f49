import { useLayoutEffect, useRef } from 'preact/hooks';

/** A confirmation question that takes focus when it appears, with its two buttons. */
export function Confirm({
  id,
  question,
  yes,
  onYes,
  onCancel,
  danger = true,
}: {
  id: string;
  question: string;
  yes: string;
  onYes: () => void;
  onCancel: () => void;
  /** The question is about removing or refusing something (the default). */
  danger?: boolean;
}) {
  const ref = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <div class="confirm" role="group" aria-labelledby={id}>
      <p id={id} ref={ref} tabIndex={-1}>
        {question}
      </p>
      <div class="actions">
        <button type="button" class={danger ? 'button button-danger' : 'button'} onClick={onYes}>
          {yes}
        </button>
        <button type="button" class="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
