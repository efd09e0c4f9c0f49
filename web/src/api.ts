// Thin client for the Staffroom JSON API (see docs/API.md).

export type Grant = {
  id: number;
  role: string;
  scope_type: 'organization' | 'district' | 'campaign' | null;
  scope_id: string | null;
};

export type User = {
  id: number;
  email: string;
  display_name: string;
  created_at: string;
  roles: Grant[];
};

export type SessionAnswer = { user: User; csrf_token: string | null };

export type ApiToken = {
  id: number;
  name: string;
  created_at: string;
  last_used_at: string | null;
};

export type NewApiToken = ApiToken & { token: string };

export type Page<T> = { items: T[]; next: string | null };

export type Theme = { title: string; summary: string; starts_on: string; ends_on: string };

export type Campaign = {
  id: number;
  slug: string;
  name: string;
  description: string;
  starts_on: string;
  ends_on: string;
  time_zone: string;
  themes: Theme[];
  hashtags: string[];
  created_at: string;
  updated_at: string;
};

export const ORGANIZATION_KINDS = [
  'nonprofit',
  'association',
  'district',
  'school',
  'university',
  'company',
  'government',
  'community',
] as const;

export type OrganizationInput = {
  slug: string;
  name: string;
  kind: string;
  website: string;
  logo_url: string;
  description: string;
  contact_email: string;
};

export type Organization = Omit<OrganizationInput, 'contact_email'> & { id: number; created_at: string };

export type Application = {
  organization: Organization & { contact_email: string };
  status: 'pending' | 'approved' | 'declined';
  reason: string;
  applied_at: string;
  decided_at: string | null;
};

export type Decision = { decision: 'approve' } | { decision: 'decline'; reason: string };

export type FieldError = { field: string; message: string };

export type Problem = {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  errors?: FieldError[];
};

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** Seconds from the Retry-After header, when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, problem: Problem, retryAfter: number | null) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  /** Validation messages keyed by field name. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      if (e && typeof e.field === 'string' && !(e.field in out)) out[e.field] = e.message;
    }
    return out;
  }
}

let csrfFallback: string | null = null;

/** Remember the CSRF token returned in a sign-up, sign-in or /me answer. */
export function rememberCsrf(token: string | null | undefined): void {
  if (token) csrfFallback = token;
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return part.slice(eq + 1).trim();
      }
    }
  }
  return null;
}

function csrfToken(): string | null {
  return readCookie('sr_csrf') ?? csrfFallback;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const secs = Number(value.trim());
  if (Number.isFinite(secs) && secs >= 0) return Math.ceil(secs);
  const when = Date.parse(value);
  if (!Number.isNaN(when)) return Math.max(0, Math.ceil((when - Date.now()) / 1000));
  return null;
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method)) {
    const token = csrfToken();
    if (token) headers['X-CSRF-Token'] = token;
  }

  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      { title: 'Network error', detail: 'Could not reach Staffroom. Check your connection and try again.' },
      null,
    );
  }

  const text = await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }

  if (!res.ok) {
    const problem: Problem =
      data && typeof data === 'object' ? (data as Problem) : { status: res.status, title: res.statusText };
    throw new ApiError(res.status, problem, parseRetryAfter(res.headers.get('Retry-After')));
  }
  return data as T;
}

/** Every item of a list, following its `next` cursors. */
async function listAll<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  const join = path.includes('?') ? '&' : '?';
  let cursor: string | null = null;
  do {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const page: Page<T> = await request<Page<T>>('GET', `${path}${join}limit=100${suffix}`);
    items.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return items;
}

const campaignPath = (slug: string) => `/api/v1/campaigns/${encodeURIComponent(slug)}`;

export const api = {
  me: () => request<SessionAnswer>('GET', '/api/v1/me'),
  signUp: (input: { email: string; password: string; display_name: string }) =>
    request<SessionAnswer>('POST', '/api/v1/accounts', input),
  signIn: (input: { email: string; password: string }) => request<SessionAnswer>('POST', '/api/v1/sessions', input),
  signOut: () => request<null>('DELETE', '/api/v1/sessions/current'),
  updateMe: (input: { display_name: string }) => request<{ user: User }>('PATCH', '/api/v1/me', input),
  changePassword: (input: { current_password: string; new_password: string }) =>
    request<null>('PUT', '/api/v1/me/password', input),
  listTokens: (cursor?: string | null) =>
    request<Page<ApiToken>>('GET', `/api/v1/tokens${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`),
  createToken: (input: { name: string }) => request<NewApiToken>('POST', '/api/v1/tokens', input),
  revokeToken: (id: number) => request<null>('DELETE', `/api/v1/tokens/${encodeURIComponent(String(id))}`),
  requestPasswordReset: (input: { email: string }) => request<unknown>('POST', '/api/v1/password-resets', input),
  confirmPasswordReset: (input: { token: string; new_password: string }) =>
    request<null>('POST', '/api/v1/password-resets/confirm', input),
  listCampaigns: () => listAll<Campaign>('/api/v1/campaigns'),
  getCampaign: (slug: string) => request<Campaign>('GET', campaignPath(slug)),
  listPartners: (slug: string) => listAll<Organization>(`${campaignPath(slug)}/organizations`),
  apply: (slug: string, organization: OrganizationInput) =>
    request<Application>('POST', `${campaignPath(slug)}/applications`, { organization }),
  listApplications: (slug: string, status: Application['status']) =>
    listAll<Application>(`${campaignPath(slug)}/applications?status=${status}`),
  decide: (slug: string, organization: string, decision: Decision) =>
    request<Application>(
      'POST',
      `${campaignPath(slug)}/applications/${encodeURIComponent(organization)}/decision`,
      decision,
    ),
};

/** A signed-in request failed with 401: the session has ended. */
export function isSignedOut(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

/** A short, human sentence for an error that is not tied to one field. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return err.message;
    const text = err.problem.detail || err.problem.title;
    if (text) return text.charAt(0).toUpperCase() + text.slice(1);
    return `Something went wrong (error ${err.status}). Please try again.`;
  }
  return 'Something went wrong. Please try again.';
}

/** Hands a failure that ended the session to `onSignedOut`; true when it did. */
export function signedOut(err: unknown, onSignedOut: () => void): boolean {
  if (!isSignedOut(err)) return false;
  onSignedOut();
  return true;
}
