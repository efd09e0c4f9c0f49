import { ApiError, describeError } from './api';
import type { SummaryItem } from './components/ErrorSummary';

export type Errors = Record<string, string>;

/** How the forms name the API's fields, for messages such as "must not be empty". */
const FIELD_LABELS: Record<string, string> = {
  display_name: 'Display name',
  email: 'Email address',
  password: 'Password',
  current_password: 'Current password',
  new_password: 'New password',
  name: 'Token name',
  token: 'Reset link',
};

/** The first letter in upper case, for messages the server writes in lower case. */
export function sentence(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/** A server message about one field, for the summary at the top: "Display name: must not be empty". */
export function summaryMessage(field: string, message: string): string {
  const label = FIELD_LABELS[field];
  return label ? `${label}: ${message}` : sentence(message);
}

/**
 * Split a failed request into per-field messages (for the fields this form
 * shows, keyed by API field name) and a summary for the top of the form.
 */
export function errorsFrom(
  err: unknown,
  fields: Record<string, string>,
): { fieldErrors: Errors; summary: SummaryItem[] } {
  const fieldErrors: Errors = {};
  const summary: SummaryItem[] = [];
  if (err instanceof ApiError && err.problem.errors && err.problem.errors.length > 0) {
    for (const [name, raw] of Object.entries(err.fieldErrors())) {
      const inputId = fields[name];
      if (inputId) fieldErrors[name] = sentence(raw);
      summary.push({ message: summaryMessage(name, raw), fieldId: inputId });
    }
    return { fieldErrors, summary };
  }
  summary.push({ message: describeError(err) });
  return { fieldErrors, summary };
}

/** Summary items for client-side checks, in the order of the form. */
export function summaryOf(errors: Errors, fields: Record<string, string>): SummaryItem[] {
  return Object.keys(fields)
    .filter((name) => errors[name])
    .map((name) => ({ message: errors[name], fieldId: fields[name] }));
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

export function checkNewPassword(password: string): string | undefined {
  if (!password) return 'Enter a password';
  if (password.length < PASSWORD_MIN) return `Password must be at least ${PASSWORD_MIN} characters`;
  if (password.length > PASSWORD_MAX) return `Password must be at most ${PASSWORD_MAX} characters`;
  return undefined;
}

export function formatWait(seconds: number | null): string {
  if (seconds === null) return 'a few minutes';
  if (seconds < 60) return seconds === 1 ? '1 second' : `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}
