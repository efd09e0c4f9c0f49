import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, describeError } from './api';
import type { FieldError } from './api';
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
  'organization.slug': 'Short name',
  'organization.name': 'Organization name',
  'organization.kind': 'Kind of organization',
  'organization.website': 'Website',
  'organization.logo_url': 'Logo URL',
  'organization.description': 'Description',
  'organization.contact_email': 'Contact email',
  reason: 'Reason',
  campaign: 'Campaign',
  title: 'Title',
  description: 'Description',
  format: 'Format',
  time_zone: 'Time zone',
  start: 'First session starts',
  duration_minutes: 'Length of a session',
  recurrence: 'Repeats',
  available_from: 'Opens on',
  available_until: 'Closes on',
  join_url: 'Join link',
  capacity: 'Seats',
  pd_hours: 'PD hours',
  audience: 'Audience',
  'audience.roles': 'Audience',
  'audience.grade_bands': 'Grade bands',
  'audience.subjects': 'Subjects',
  themes: 'Campaign themes',
  language: 'Language',
  accessibility: 'Accessibility',
  'accessibility.notes': 'Accessibility notes',
  co_hosts: 'Co-hosts',
  facilitators: 'Facilitators',
  code: 'Check-in code',
  kind: 'Kind',
  url: 'Web address',
};

const FACILITATOR_PARTS: Record<string, string> = {
  name: 'name',
  affiliation: 'affiliation',
  bio: 'biography',
  email: 'email address',
  role: 'role',
  person: 'person',
};

/**
 * The label of a field, including members of lists such as "facilitators[0].name". A form
 * whose fields read differently from the usual names passes its own `labels`.
 */
function labelOf(field: string, labels?: Record<string, string>): string | undefined {
  const own = labels?.[field];
  if (own) return own;
  const label = FIELD_LABELS[field];
  if (label) return label;
  const person = /^facilitators\[(\d+)\](?:\.(\w+))?$/.exec(field);
  if (person) {
    const part = person[2] ? FACILITATOR_PARTS[person[2]] ?? person[2] : '';
    return `Facilitator ${Number(person[1]) + 1}${part ? `, ${part}` : ''}`;
  }
  const cohost = /^co_hosts\[(\d+)\]$/.exec(field);
  if (cohost) return `Co-host ${Number(cohost[1]) + 1}`;
  const item = /^(.+)\[\d+\]$/.exec(field);
  if (item && item[1]) return FIELD_LABELS[item[1]];
  return undefined;
}

/** The first letter in upper case, for messages the server writes in lower case. */
export function sentence(text: string): string {
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * A problem with one line of an uploaded file, as the server names it: by its line and
 * column ("Line 3, email: not an email address") or by a field that says both ("line 3, email").
 */
export function lineProblem(e: FieldError): string {
  if (typeof e.line === 'number') return `Line ${e.line}${e.column ? `, ${e.column}` : ''}: ${e.message}`;
  return e.field ? `${sentence(e.field)}: ${e.message}` : sentence(e.message);
}

/** A server message about one field, for the summary at the top: "Display name: must not be empty". */
export function summaryMessage(field: string, message: string, labels?: Record<string, string>): string {
  const label = labelOf(field, labels);
  return label ? `${label}: ${message}` : sentence(message);
}

/**
 * Split a failed request into per-field messages (for the fields this form
 * shows, keyed by API field name) and a summary for the top of the form,
 * which names the fields with `labels` where given.
 */
export function errorsFrom(
  err: unknown,
  fields: Record<string, string>,
  labels?: Record<string, string>,
): { fieldErrors: Errors; summary: SummaryItem[] } {
  const fieldErrors: Errors = {};
  const summary: SummaryItem[] = [];
  if (err instanceof ApiError && err.problem.errors && err.problem.errors.length > 0) {
    for (const [name, raw] of Object.entries(err.fieldErrors())) {
      const inputId = fields[name];
      if (inputId) fieldErrors[name] = sentence(raw);
      summary.push({ message: summaryMessage(name, raw, labels), fieldId: inputId });
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

/** One submission of a form, as handled by useForm. */
export type Submission = {
  /** Runs when a submission begins, before the checks. */
  onStart?: () => void;
  /** Problems found without asking the server, keyed by API field name; nothing is sent while there are any. */
  check?: () => Errors;
  /** Sends the form. */
  send: () => Promise<void>;
  /** Explains a failure in the form's own way; returns false to show the server's problems as usual. */
  onError?: (err: unknown) => boolean | Promise<boolean>;
  /** Success takes the person to another page: the form stays busy until it has gone. */
  leavesPage?: boolean;
};

/**
 * The state every form shares: the problems shown next to its fields and in
 * the summary at the top, and whether a submission is on its way. `fields`
 * maps the API's field names to the ids of the inputs that show them, in the
 * order of the form.
 */
export function useForm(fields: Record<string, string>) {
  const [errors, setErrors] = useState<Errors>({});
  const [summary, setSummary] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);

  const show = (fieldErrors: Errors, items: SummaryItem[]) => {
    setErrors(fieldErrors);
    setSummary(items);
  };

  /** A submit handler that checks, sends and reports; a second submission waits for the first. */
  const handleSubmit = (submission: Submission) => async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (busy) return;
    submission.onStart?.();
    const local = submission.check ? submission.check() : {};
    if (Object.keys(local).length > 0) {
      show(local, summaryOf(local, fields));
      return;
    }
    setBusy(true);
    show({}, []);
    try {
      await submission.send();
      if (!submission.leavesPage) setBusy(false);
    } catch (err) {
      const handled = submission.onError ? await submission.onError(err) : false;
      if (!handled) {
        const { fieldErrors, summary: items } = errorsFrom(err, fields);
        show(fieldErrors, items);
      }
      setBusy(false);
    }
  };

  return { errors, summary, busy, show, handleSubmit };
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
