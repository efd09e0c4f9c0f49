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
  /** Present on GET /api/v1/me: when the address was confirmed, or null. */
  email_verified_at?: string | null;
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

/** A member of an organization's staff. */
export type StaffMember = { user_id: number; email: string; display_name: string };

/** An invitation to join an organization's staff that has been neither accepted nor withdrawn. */
export type StaffInvitation = { id: number; email: string; created_at: string; expires_at: string };

export type OrganizationStaff = { staff: StaffMember[]; invitations: StaffInvitation[] };

export type AcceptedInvitation = { organization: Organization; role: 'org_staff' };

// ---------------------------------------------------------------- learning record store

/** What a Learning Record Store client may do, as the API names it. */
export const LRS_SCOPES = ['statements/write', 'statements/read/mine', 'statements/read', 'documents'] as const;

export type LrsScope = (typeof LRS_SCOPES)[number];

/** The scopes a new client gets when none are chosen (docs/API.md). */
export const DEFAULT_LRS_SCOPES: readonly LrsScope[] = ['statements/write', 'statements/read/mine', 'documents'];

/** A platform that reports to the organization's Learning Record Store with HTTP Basic (key and secret). */
export type LrsClient = {
  id: number;
  name: string;
  key: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
};

/** A client just created: the only answer that carries its secret. */
export type NewLrsClient = LrsClient & { secret: string; endpoint: string };

// ---------------------------------------------------------------- activities

export const ACTIVITY_FORMATS = [
  'webinar',
  'live_chat',
  'social_media_chat',
  'online_course',
  'forum_discussion',
  'community_open_house',
  'unconference',
  'self_paced',
] as const;

export type ActivityFormat = (typeof ACTIVITY_FORMATS)[number];

/** Formats that may run as a self-paced window instead of scheduled sessions. */
export const SELF_PACED_FORMATS: readonly ActivityFormat[] = ['online_course', 'forum_discussion', 'self_paced'];

export const AUDIENCE_ROLES = [
  'teacher',
  'administrator',
  'librarian',
  'coach',
  'counselor',
  'specialist',
  'preservice',
  'other',
] as const;

export const GRADE_BANDS = ['prek', 'k-2', '3-5', '6-8', '9-12', 'higher-ed', 'adult'] as const;

export const ACTIVITY_STATUSES = ['draft', 'submitted', 'approved', 'declined', 'cancelled'] as const;

export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export type Audience = { roles: string[]; grade_bands: string[]; subjects: string[] };

export type Accessibility = { captions: boolean; transcripts: boolean; notes: string };

/** A facilitator of an activity being written: an existing person, or a new one. */
export type FacilitatorInput =
  | { person: string; role: 'facilitator' | 'speaker' }
  | {
      name: string;
      affiliation: string;
      bio: string;
      email: string;
      role: 'facilitator' | 'speaker';
    };

export type ActivityInput = {
  campaign: string;
  title: string;
  description: string;
  format: ActivityFormat;
  time_zone: string;
  start: string | null;
  duration_minutes?: number;
  recurrence: string | null;
  available_from: string | null;
  available_until: string | null;
  join_url: string;
  capacity: number | null;
  pd_hours: number;
  audience: Audience;
  themes: string[];
  language: string;
  accessibility: Accessibility;
  co_hosts: string[];
  facilitators: FacilitatorInput[];
};

export type ActivityPatch = Partial<Omit<ActivityInput, 'campaign'>>;

export type ActivitySession = { starts_at: string; ends_at: string };

export type Resource = { kind: 'recording' | 'resource'; title: string; url: string };

export type Facilitator = { slug: string; name: string; affiliation: string; bio?: string; role: string };

export type Activity = Omit<ActivityInput, 'co_hosts' | 'facilitators'> & {
  id: number;
  description_html: string;
  status: ActivityStatus;
  reason: string | null;
  host: { slug: string; name: string };
  co_hosts: { slug: string; name: string; confirmed: boolean }[];
  co_hosted: boolean;
  facilitators: Facilitator[];
  sessions: ActivitySession[];
  self_paced: boolean;
  resources: Resource[];
  registered: number;
  waitlisted: number;
  seats_left: number | null;
  sequence: number;
  url: string;
  created_at: string;
  updated_at: string;
};

export type RegistrationStatus = 'registered' | 'waitlisted';

export type Registration = { status: RegistrationStatus; waitlist_position: number | null };

export type ScheduleEntry = Registration & { activity: Activity; registered_at: string };

export type Person = {
  slug: string;
  name: string;
  affiliation: string;
  bio: string;
  activities: Activity[];
};

export type Attendance = {
  id: number;
  activity: { id: number; title: string };
  email: string;
  user_id: number | null;
  source: 'check_in' | 'attendance_list' | 'xapi';
  /** The xAPI statement a record comes from (source xapi), else null. */
  statement_id?: string | null;
  minutes: number | null;
  session_starts_at: string | null;
  recorded_at: string;
};

export type CheckInCode = { code: string; check_in_url: string; sessions: ActivitySession[] };

export type CalendarLink = { url: string; webcal_url: string };

export type Impact = {
  organizations: number;
  activities: number;
  facilitators: number;
  co_hosted_activities: number;
  new_partnership_activities: number;
  new_partnership_share: number;
  registrations: number;
  attendees: number;
  pd_hours: number;
};

export type Partnership = { organizations: Organization[]; activities: number; new: boolean };

export type ActivityDecision = Decision;

/** The search parameters of a campaign catalog, as in docs/API.md. */
export type ActivitySearch = {
  q?: string;
  from?: string;
  to?: string;
  format?: string[];
  theme?: string[];
  role?: string[];
  grade?: string[];
  subject?: string[];
  organization?: string[];
  language?: string[];
  offers_hours?: boolean;
  status?: 'approved' | 'cancelled' | 'all';
  sort?: 'start' | 'title' | 'relevance';
  limit?: number;
  cursor?: string | null;
};

/** The query string of a catalog or member search, repeating list parameters. */
export function searchQuery(search: ActivitySearch | MemberSearch): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (Array.isArray(value)) {
      for (const v of value) if (v) params.append(key, String(v));
    } else {
      params.set(key, String(value));
    }
  }
  return params.toString();
}

// ---------------------------------------------------------------- districts

/** A member's standing in a district: educators earn credit, approvers decide claims, admins manage. */
export const DISTRICT_ROLES = ['educator', 'approver', 'admin'] as const;

export type DistrictRole = (typeof DISTRICT_ROLES)[number];

/** The US states and territories a district may name, by code (as the API checks them). */
export const US_STATES: readonly { code: string; name: string }[] = [
  { code: 'AL', name: 'Alabama' },
  { code: 'AK', name: 'Alaska' },
  { code: 'AS', name: 'American Samoa' },
  { code: 'AZ', name: 'Arizona' },
  { code: 'AR', name: 'Arkansas' },
  { code: 'CA', name: 'California' },
  { code: 'CO', name: 'Colorado' },
  { code: 'CT', name: 'Connecticut' },
  { code: 'DE', name: 'Delaware' },
  { code: 'DC', name: 'District of Columbia' },
  { code: 'FL', name: 'Florida' },
  { code: 'GA', name: 'Georgia' },
  { code: 'GU', name: 'Guam' },
  { code: 'HI', name: 'Hawaii' },
  { code: 'ID', name: 'Idaho' },
  { code: 'IL', name: 'Illinois' },
  { code: 'IN', name: 'Indiana' },
  { code: 'IA', name: 'Iowa' },
  { code: 'KS', name: 'Kansas' },
  { code: 'KY', name: 'Kentucky' },
  { code: 'LA', name: 'Louisiana' },
  { code: 'ME', name: 'Maine' },
  { code: 'MD', name: 'Maryland' },
  { code: 'MA', name: 'Massachusetts' },
  { code: 'MI', name: 'Michigan' },
  { code: 'MN', name: 'Minnesota' },
  { code: 'MS', name: 'Mississippi' },
  { code: 'MO', name: 'Missouri' },
  { code: 'MT', name: 'Montana' },
  { code: 'NE', name: 'Nebraska' },
  { code: 'NV', name: 'Nevada' },
  { code: 'NH', name: 'New Hampshire' },
  { code: 'NJ', name: 'New Jersey' },
  { code: 'NM', name: 'New Mexico' },
  { code: 'NY', name: 'New York' },
  { code: 'NC', name: 'North Carolina' },
  { code: 'ND', name: 'North Dakota' },
  { code: 'MP', name: 'Northern Mariana Islands' },
  { code: 'OH', name: 'Ohio' },
  { code: 'OK', name: 'Oklahoma' },
  { code: 'OR', name: 'Oregon' },
  { code: 'PA', name: 'Pennsylvania' },
  { code: 'PR', name: 'Puerto Rico' },
  { code: 'RI', name: 'Rhode Island' },
  { code: 'SC', name: 'South Carolina' },
  { code: 'SD', name: 'South Dakota' },
  { code: 'TN', name: 'Tennessee' },
  { code: 'TX', name: 'Texas' },
  { code: 'VI', name: 'U.S. Virgin Islands' },
  { code: 'UT', name: 'Utah' },
  { code: 'VT', name: 'Vermont' },
  { code: 'VA', name: 'Virginia' },
  { code: 'WA', name: 'Washington' },
  { code: 'WV', name: 'West Virginia' },
  { code: 'WI', name: 'Wisconsin' },
  { code: 'WY', name: 'Wyoming' },
];

export type School = { id: number; name: string };

export type DistrictInput = {
  slug: string;
  name: string;
  /** A two-letter code of US_STATES, or empty. */
  state: string;
  time_zone: string;
  schools: string[];
};

/** Changes to a district; `schools` are added to the ones it has. */
export type DistrictPatch = Partial<Omit<DistrictInput, 'slug'>>;

export type District = Omit<DistrictInput, 'schools'> & {
  schools: School[];
  domains: string[];
  /** The caller's role, or null for a site administrator who is not a member. */
  my_role: DistrictRole | null;
  can_manage: boolean;
  can_decide: boolean;
  created_at: string;
  /** Shown to those who manage the district only. */
  join_code?: string;
};

export type DistrictMember = {
  id: number;
  email: string;
  display_name: string;
  /** The school's name, or empty. */
  school: string;
  role: DistrictRole;
  joined_via: 'created' | 'code' | 'domain' | 'roster';
  joined_at: string;
  /** False for a roster row whose address no account has confirmed yet. */
  has_account: boolean;
  /** YYYY-MM-DD: the member's own renewal cycle start; null when the policy's applies. */
  cycle_starts_on?: string | null;
  /**
   * The member's account id, which transcripts are asked for by. The server does not
   * send it yet (see the credit pages, which learn it from claims); read it when present.
   */
  user_id?: number | null;
};

export type DistrictMembership = { district: { slug: string; name: string }; member: DistrictMember };

export type MyDistricts = {
  memberships: DistrictMembership[];
  /** The district the caller's confirmed address lets them join, if any. */
  joinable: { slug: string; name: string } | null;
};

export type MemberSearch = { q?: string; role?: string; limit?: number; cursor?: string | null };

export type MemberChanges = { role?: DistrictRole; school?: string; cycle_starts_on?: string };

export type RosterReport = {
  added: number;
  updated: number;
  unchanged: number;
  new_schools: string[];
  /** False for a preview (dry run). */
  applied: boolean;
};

/**
 * One problem the server found. A refused CSV upload may name its `line` (1 is the header)
 * and `column` instead of a field.
 */
export type FieldError = { field: string; message: string; line?: number; column?: string };

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

/** A body already encoded, with its media type (for CSV uploads). */
export type RawBody = { text: string; type: string };

async function send<T>(method: string, path: string, body: RawBody | undefined): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = body.type;
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
      body: body === undefined ? null : body.text,
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

export function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  return send<T>(
    method,
    path,
    body === undefined ? undefined : { text: JSON.stringify(body), type: 'application/json' },
  );
}

/** Sends a body already encoded (a credential pasted as it was issued, for example) as it is. */
export function requestRaw<T>(method: string, path: string, body: RawBody): Promise<T> {
  return send<T>(method, path, body);
}

/** Sends a CSV document as the body. */
export function sendCsv<T>(method: string, path: string, csv: string): Promise<T> {
  return send<T>(method, path, { text: csv, type: 'text/csv' });
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
const organizationPath = (slug: string) => `/api/v1/organizations/${encodeURIComponent(slug)}`;
const activityPath = (id: number) => `/api/v1/activities/${encodeURIComponent(String(id))}`;
const districtPath = (slug: string) => `/api/v1/districts/${encodeURIComponent(slug)}`;

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
  sendEmailVerification: () => request<{ sent_to: string }>('POST', '/api/v1/me/email-verification'),
  confirmEmail: (input: { token: string }) =>
    request<{ email: string; verified: boolean }>('POST', '/api/v1/email-verifications', input),
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
  getOrganization: (slug: string) => request<Organization>('GET', organizationPath(slug)),
  listStaff: (organization: string) => request<OrganizationStaff>('GET', `${organizationPath(organization)}/staff`),
  invite: (organization: string, input: { email: string }) =>
    request<StaffInvitation>('POST', `${organizationPath(organization)}/invitations`, input),
  withdrawInvitation: (organization: string, id: number) =>
    request<null>('DELETE', `${organizationPath(organization)}/invitations/${encodeURIComponent(String(id))}`),
  removeStaff: (organization: string, userId: number) =>
    request<null>('DELETE', `${organizationPath(organization)}/staff/${encodeURIComponent(String(userId))}`),
  acceptInvitation: (token: string) =>
    request<AcceptedInvitation>('POST', '/api/v1/invitations/accept', { token }),
  listLrsClients: (organization: string) => listAll<LrsClient>(`${organizationPath(organization)}/lrs-clients`),
  createLrsClient: (organization: string, input: { name: string; scopes: string[] }) =>
    request<NewLrsClient>('POST', `${organizationPath(organization)}/lrs-clients`, input),
  revokeLrsClient: (organization: string, id: number) =>
    request<null>('DELETE', `${organizationPath(organization)}/lrs-clients/${encodeURIComponent(String(id))}`),

  // Activities
  searchActivities: (campaign: string, search: ActivitySearch) => {
    const query = searchQuery(search);
    return request<Page<Activity>>('GET', `${campaignPath(campaign)}/activities${query ? `?${query}` : ''}`);
  },
  getActivity: (id: number) => request<Activity>('GET', activityPath(id)),
  createActivity: (organization: string, input: ActivityInput) =>
    request<Activity>('POST', `${organizationPath(organization)}/activities`, input),
  listOrganizationActivities: (organization: string, campaign?: string) =>
    listAll<Activity>(
      `${organizationPath(organization)}/activities${campaign ? `?campaign=${encodeURIComponent(campaign)}` : ''}`,
    ),
  importActivities: (organization: string, campaign: string, csv: string) =>
    sendCsv<{ imported: number; items: Activity[] }>(
      'POST',
      `${organizationPath(organization)}/activities/import?campaign=${encodeURIComponent(campaign)}`,
      csv,
    ),
  updateActivity: (id: number, patch: ActivityPatch) => request<Activity>('PATCH', activityPath(id), patch),
  submitActivity: (id: number) => request<Activity>('POST', `${activityPath(id)}/submit`),
  cancelActivity: (id: number, reason: string) => request<Activity>('POST', `${activityPath(id)}/cancel`, { reason }),
  confirmCoHost: (id: number, organization: string) =>
    request<Activity>('POST', `${activityPath(id)}/co-hosts/${encodeURIComponent(organization)}/confirm`),
  addResource: (id: number, resource: Resource) => request<Activity>('POST', `${activityPath(id)}/resources`, resource),
  listSubmissions: (campaign: string, status: ActivityStatus) =>
    listAll<Activity>(`${campaignPath(campaign)}/submissions?status=${status}`),
  decideActivity: (campaign: string, id: number, decision: ActivityDecision) =>
    request<Activity>(
      'POST',
      `${campaignPath(campaign)}/activities/${encodeURIComponent(String(id))}/decision`,
      decision,
    ),
  listPartnerships: (campaign: string) => listAll<Partnership>(`${campaignPath(campaign)}/partnerships`),
  getImpact: (campaign: string) => request<Impact>('GET', `${campaignPath(campaign)}/impact`),
  getPerson: (slug: string) => request<Person>('GET', `/api/v1/people/${encodeURIComponent(slug)}`),
  register: (id: number) => request<Registration>('POST', `${activityPath(id)}/registration`),
  unregister: (id: number) => request<null>('DELETE', `${activityPath(id)}/registration`),
  schedule: () => listAll<ScheduleEntry>('/api/v1/me/schedule'),
  checkInCode: (id: number) => request<CheckInCode>('GET', `${activityPath(id)}/check-in-code`),
  checkIn: (id: number, code: string) => request<Attendance>('POST', `${activityPath(id)}/check-ins`, { code }),
  uploadAttendance: (id: number, csv: string) =>
    sendCsv<{ recorded: number }>('POST', `${activityPath(id)}/attendance`, csv),
  listAttendance: (id: number) => listAll<Attendance>(`${activityPath(id)}/attendance`),
  myAttendance: () => listAll<Attendance>('/api/v1/me/attendance'),
  createCalendarLink: () => request<CalendarLink>('POST', '/api/v1/me/calendar-token'),
  // Districts
  myDistricts: () => request<MyDistricts>('GET', '/api/v1/me/districts'),
  createDistrict: (input: DistrictInput) => request<District>('POST', '/api/v1/districts', input),
  getDistrict: (slug: string) => request<District>('GET', districtPath(slug)),
  updateDistrict: (slug: string, patch: DistrictPatch) => request<District>('PATCH', districtPath(slug), patch),
  rotateJoinCode: (slug: string) => request<District>('POST', `${districtPath(slug)}/join-code`),
  addDistrictDomain: (slug: string, domain: string) =>
    request<District>('POST', `${districtPath(slug)}/domains`, { domain }),
  removeDistrictDomain: (slug: string, domain: string) =>
    request<null>('DELETE', `${districtPath(slug)}/domains/${encodeURIComponent(domain)}`),
  joinDistrict: (input: { code: string } | { district: string }) =>
    request<DistrictMembership>('POST', '/api/v1/district-memberships', input),
  listDistrictMembers: (slug: string, search: MemberSearch) => {
    const query = searchQuery(search);
    return request<Page<DistrictMember>>('GET', `${districtPath(slug)}/members${query ? `?${query}` : ''}`);
  },
  updateDistrictMember: (slug: string, id: number, changes: MemberChanges) =>
    request<DistrictMember>('PATCH', `${districtPath(slug)}/members/${encodeURIComponent(String(id))}`, changes),
  removeDistrictMember: (slug: string, id: number) =>
    request<null>('DELETE', `${districtPath(slug)}/members/${encodeURIComponent(String(id))}`),
  importRoster: (slug: string, csv: string, dryRun: boolean) =>
    sendCsv<RosterReport>('POST', `${districtPath(slug)}/roster?dry_run=${dryRun ? 'true' : 'false'}`, csv),
  revokeCalendarLink: () => request<null>('DELETE', '/api/v1/me/calendar-token'),
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

/** Public addresses (outside the JSON API) of the calendar files. */
export const calendarPaths = {
  campaign: (slug: string) => `/campaigns/${encodeURIComponent(slug)}/calendar.ics`,
  organization: (slug: string) => `/organizations/${encodeURIComponent(slug)}/calendar.ics`,
  activity: (id: number) => `/activities/${encodeURIComponent(String(id))}/event.ics`,
};

/** The roster of a district as a CSV download (admins). */
export function rosterDownloadPath(slug: string): string {
  return `${districtPath(slug)}/roster`;
}

/** A calendar path as a subscription link (webcal://) on this server. */
export function webcalUrl(path: string): string {
  return `webcal://${window.location.host}${path}`;
}
