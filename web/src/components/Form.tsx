import type { ComponentChildren, TargetedSubmitEvent } from 'preact';
import { ErrorSummary } from './ErrorSummary';
import type { SummaryItem } from './ErrorSummary';

type FormProps = {
  summary: SummaryItem[];
  /** The heading of the summary, when "There is a problem" says too little. */
  summaryTitle?: string;
  /** Names the form for assistive technology when a page has several. */
  label?: string;
  onSubmit: (e: TargetedSubmitEvent<HTMLFormElement>) => void;
  children: ComponentChildren;
};

/** A form with the summary of its problems just above it. The app checks fields itself. */
export function Form({ summary, summaryTitle, label, onSubmit, children }: FormProps) {
  return (
    <>
      <ErrorSummary items={summary} title={summaryTitle} />
      <form onSubmit={onSubmit} noValidate aria-label={label}>
        {children}
      </form>
    </>
  );
}

type SubmitButtonProps = {
  busy: boolean;
  /** Shown instead of the label while the form is being sent. */
  busyLabel?: string;
  /** A button that refuses or removes something. */
  danger?: boolean;
  children: ComponentChildren;
};

/** Stays focusable while busy (aria-disabled rather than disabled), so focus is not lost. */
export function SubmitButton({ busy, busyLabel, danger, children }: SubmitButtonProps) {
  return (
    <button type="submit" class={danger ? 'button button-danger' : 'button'} aria-disabled={busy ? 'true' : undefined}>
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}
