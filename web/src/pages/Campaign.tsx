import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, ORGANIZATION_KINDS, api, calendarPaths, describeError, signedOut, webcalUrl } from '../api';
import type { Application, Campaign, Impact, Organization, OrganizationInput, User } from '../api';
import { catalogHref, organizationHref } from '../activities';
import { ImpactFigures } from '../components/Impact';
import { DateTime } from '../components/DateTime';
import { Field } from '../components/Field';
import type { Option } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { Paragraphs, WebsiteLink } from '../components/Text';
import { sentence, useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';
import { formatDateRange } from '../time';
import { CampaignFacts } from './Campaigns';

function kindName(kind: string): string {
  return sentence(kind);
}

/** Whether the person may review the applications of this campaign. */
function reviews(user: User | null | undefined, slug: string): boolean {
  return (user?.roles ?? []).some(
    (g) => g.role === 'site_admin' || (g.role === 'campaign_organizer' && g.scope_id === slug),
  );
}

// ---------------------------------------------------------------- partners

function Partners({ partners, loadError }: { partners: Organization[] | null; loadError: string | null }) {
  return (
    <section aria-labelledby="partners-heading">
      <h2 id="partners-heading">Partner organizations</h2>
      {loadError ? (
        <p class="error-message">Could not load the partner organizations. {loadError}</p>
      ) : partners === null ? (
        <p>Loading partner organizations…</p>
      ) : partners.length === 0 ? (
        <p>No partner organizations have been approved yet.</p>
      ) : (
        <ul class="entries" aria-label="Partner organizations">
          {partners.map((o) => (
            <li key={o.slug} class="entry">
              <h3>
                <Link href={organizationHref(o.slug)}>{o.name}</Link>
              </h3>
              <p class="muted">{kindName(o.kind)}</p>
              <p>
                <WebsiteLink url={o.website} name={o.name} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- applying

type ApplyFieldSpec = {
  name: keyof OrganizationInput;
  label: string;
  type?: 'text' | 'email' | 'url' | 'textarea' | 'select';
  hint?: string;
  required: boolean;
  autoComplete?: string;
};

const APPLY_FIELDS: ApplyFieldSpec[] = [
  { name: 'name', label: 'Organization name', required: true, autoComplete: 'organization' },
  {
    name: 'slug',
    label: 'Short name',
    hint: 'Used in web addresses: lower-case letters, digits and hyphens, for example riverside-library.',
    required: true,
    autoComplete: 'off',
  },
  { name: 'kind', label: 'Kind of organization', type: 'select', required: true },
  { name: 'website', label: 'Website', type: 'url', hint: 'Starting with https://', required: false, autoComplete: 'url' },
  { name: 'logo_url', label: 'Logo URL', type: 'url', hint: 'Starting with https://', required: false, autoComplete: 'off' },
  { name: 'description', label: 'Description', type: 'textarea', required: false },
  {
    name: 'contact_email',
    label: 'Contact email',
    type: 'email',
    hint: 'Where the campaign organizers can reach you.',
    required: true,
    autoComplete: 'email',
  },
];

const fieldId = (name: keyof OrganizationInput) => `org_${name}`;

/** API field names (`organization.<name>`) to input ids, in the order of the form. */
const APPLY_IDS: Record<string, string> = Object.fromEntries(
  APPLY_FIELDS.map((f) => [`organization.${f.name}`, fieldId(f.name)]),
);

const KIND_OPTIONS: Option[] = [
  { value: '', label: 'Choose a kind' },
  ...ORGANIZATION_KINDS.map((k) => ({ value: k, label: kindName(k) })),
];

const EMPTY_ORGANIZATION: OrganizationInput = {
  slug: '',
  name: '',
  kind: '',
  website: '',
  logo_url: '',
  description: '',
  contact_email: '',
};

function Applied({ application }: { application: Application }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);
  return (
    <div class="notice notice-success">
      <h3 id="applied-heading" ref={heading} tabIndex={-1}>
        Application sent
      </h3>
      <p>
        The application of <strong>{application.organization.name}</strong> is pending: the campaign organizers will
        review it.
      </p>
    </div>
  );
}

function ApplyForm({ slug, onSignedOut }: { slug: string; onSignedOut: () => void }) {
  const [values, setValues] = useState<OrganizationInput>(EMPTY_ORGANIZATION);
  const [applied, setApplied] = useState<Application | null>(null);
  const form = useForm(APPLY_IDS);

  const submit = form.handleSubmit({
    check: () => {
      const local: Errors = {};
      for (const f of APPLY_FIELDS) {
        if (f.required && !values[f.name].trim()) local[`organization.${f.name}`] = `Enter the ${f.label.toLowerCase()}`;
      }
      if (!values.kind) local['organization.kind'] = 'Choose the kind of organization';
      return local;
    },
    send: async () => {
      const organization = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, v.trim()]),
      ) as OrganizationInput;
      setApplied(await api.apply(slug, organization));
    },
    onError: (err) => signedOut(err, onSignedOut),
  });

  return (
    <section class="card" aria-labelledby="apply-heading">
      <h2 id="apply-heading">Apply as a partner organization</h2>
      {applied ? (
        <Applied application={applied} />
      ) : (
        <>
          <p>Partner organizations offer activities during the campaign. The campaign organizers review each application.</p>
          <Form summary={form.summary} onSubmit={submit}>
            {APPLY_FIELDS.map((f) => (
              <Field
                key={f.name}
                id={fieldId(f.name)}
                label={f.label}
                type={f.type}
                options={f.type === 'select' ? KIND_OPTIONS : undefined}
                hint={f.hint}
                value={values[f.name]}
                onValue={(v) => setValues((old) => ({ ...old, [f.name]: v }))}
                autoComplete={f.autoComplete}
                error={form.errors[`organization.${f.name}`]}
                required={f.required}
              />
            ))}
            <SubmitButton busy={form.busy} busyLabel="Sending application…">
              Apply
            </SubmitButton>
          </Form>
        </>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- reviewing

function DeclineForm({
  slug,
  application,
  onDeclined,
  onCancel,
  onSignedOut,
}: {
  slug: string;
  application: Application;
  onDeclined: () => void;
  onCancel: () => void;
  onSignedOut: () => void;
}) {
  const org = application.organization;
  const id = `reason-${org.slug}`;
  const [reason, setReason] = useState('');
  const form = useForm({ reason: id });

  useLayoutEffect(() => {
    document.getElementById(id)?.focus();
  }, [id]);

  const submit = form.handleSubmit({
    check: (): Errors => (reason.trim() ? {} : { reason: 'Enter a reason for declining, so the organization knows why' }),
    send: async () => {
      await api.decide(slug, org.slug, { decision: 'decline', reason: reason.trim() });
      onDeclined();
    },
    onError: (err) => signedOut(err, onSignedOut),
  });

  return (
    <div class="confirm" role="group" aria-label={`Decline ${org.name}`}>
      <Form summary={form.summary} onSubmit={submit}>
        <Field
          id={id}
          label={`Reason for declining ${org.name}`}
          hint="Sent to the organization."
          type="textarea"
          value={reason}
          onValue={setReason}
          error={form.errors.reason}
          required
        />
        <div class="actions">
          <SubmitButton busy={form.busy} danger>
            Decline application
          </SubmitButton>
          <button type="button" class="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </Form>
    </div>
  );
}

function ApplicationItem({
  application,
  declining,
  children,
  onApprove,
  onDecline,
}: {
  application: Application;
  declining: boolean;
  children: ComponentChildren;
  onApprove: () => void;
  onDecline: () => void;
}) {
  const org = application.organization;
  const nameId = `application-${org.slug}-name`;
  return (
    <li class="entry">
      <h3 id={nameId}>{org.name}</h3>
      <dl class="facts">
        <div>
          <dt>Kind</dt>
          <dd>{kindName(org.kind)}</dd>
        </div>
        <div>
          <dt>Website</dt>
          <dd>
            <WebsiteLink url={org.website} name={org.name} />
          </dd>
        </div>
        <div>
          <dt>Contact email</dt>
          <dd>{org.contact_email}</dd>
        </div>
        <div>
          <dt>Applied</dt>
          <dd>
            <DateTime iso={application.applied_at} />
          </dd>
        </div>
      </dl>
      <Paragraphs text={org.description} />
      {declining ? (
        children
      ) : (
        <div class="actions">
          <button type="button" class="button" onClick={onApprove} aria-describedby={nameId}>
            Approve
          </button>
          <button
            type="button"
            id={`decline-${org.slug}`}
            class="button button-secondary"
            onClick={onDecline}
            aria-describedby={nameId}
          >
            Decline
          </button>
        </div>
      )}
    </li>
  );
}

function Applications({
  slug,
  onDecided,
  onSignedOut,
}: {
  slug: string;
  onDecided: () => void;
  onSignedOut: () => void;
}) {
  const [applications, setApplications] = useState<Application[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [declining, setDeclining] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();

  const load = async () => {
    try {
      setApplications(await api.listApplications(slug, 'pending'));
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    void load();
  }, [slug]);

  const decided = (message: string) => {
    setStatus(message);
    setDeclining(null);
    focus('applications-heading');
    onDecided();
    void load();
  };

  const approve = async (application: Application) => {
    const org = application.organization;
    setStatus('');
    try {
      await api.decide(slug, org.slug, { decision: 'approve' });
      decided(`${org.name} approved. It is now a partner organization of this campaign.`);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      if (err instanceof ApiError && err.status === 404) decided(`The application of ${org.name} is no longer pending.`);
      else setStatus(`Could not approve ${org.name}: ${describeError(err)}`);
    }
  };

  return (
    <section class="card" aria-labelledby="applications-heading">
      <h2 id="applications-heading" tabIndex={-1}>
        Applications
      </h2>
      <p>Organizations waiting for a decision. Approved ones appear among the partner organizations.</p>
      <Status>{status}</Status>
      {loadError ? (
        <p class="error-message">Could not load the applications. {loadError}</p>
      ) : applications === null ? (
        <p>Loading applications…</p>
      ) : applications.length === 0 ? (
        <p>No applications are waiting for a decision.</p>
      ) : (
        <ul class="entries" aria-label="Pending applications">
          {applications.map((a) => (
            <ApplicationItem
              key={a.organization.slug}
              application={a}
              declining={declining === a.organization.slug}
              onApprove={() => void approve(a)}
              onDecline={() => {
                setStatus('');
                setDeclining(a.organization.slug);
              }}
            >
              <DeclineForm
                slug={slug}
                application={a}
                onDeclined={() => decided(`${a.organization.name} declined.`)}
                onCancel={() => {
                  setDeclining(null);
                  focus(`decline-${a.organization.slug}`);
                }}
                onSignedOut={onSignedOut}
              />
            </ApplicationItem>
          ))}
        </ul>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- activities and impact

function ActivitiesLinks({ campaign, organizer }: { campaign: Campaign; organizer: boolean }) {
  return (
    <section aria-labelledby="activities-heading">
      <h2 id="activities-heading">Activities</h2>
      <p class="actions">
        <Link href={catalogHref(campaign.slug)} class="button">
          Browse the activities
        </Link>
        <a href={webcalUrl(calendarPaths.campaign(campaign.slug))} class="button button-secondary">
          Subscribe to the campaign calendar
        </a>
        {organizer ? (
          <Link href={`/campaigns/${encodeURIComponent(campaign.slug)}/review`}>Review submitted activities</Link>
        ) : null}
      </p>
    </section>
  );
}

function ImpactSection({ slug }: { slug: string }) {
  const [impact, setImpact] = useState<Impact | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    api.getImpact(slug).then(setImpact, (err: unknown) => setLoadError(describeError(err)));
  }, [slug]);

  return (
    <section aria-labelledby="impact-heading">
      <h2 id="impact-heading">Impact so far</h2>
      {loadError ? (
        <p class="error-message">Could not load the figures. {loadError}</p>
      ) : impact === null ? (
        <p>Loading the figures…</p>
      ) : (
        <ImpactFigures impact={impact} />
      )}
    </section>
  );
}

// ---------------------------------------------------------------- page

function CampaignDetails({ campaign }: { campaign: Campaign }) {
  return (
    <>
      <CampaignFacts campaign={campaign} />
      <Paragraphs text={campaign.description} />
      {campaign.themes.length > 0 ? (
        <section aria-labelledby="themes-heading">
          <h2 id="themes-heading">Weekly themes</h2>
          <ol class="entries" aria-label="Weekly themes">
            {campaign.themes.map((t, i) => (
              <li key={i} class="entry">
                <h3>{t.title}</h3>
                <p class="muted">{formatDateRange(t.starts_on, t.ends_on)}</p>
                <Paragraphs text={t.summary} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {campaign.hashtags.length > 0 ? (
        <section aria-labelledby="hashtags-heading">
          <h2 id="hashtags-heading">Hashtags</h2>
          <ul class="hashtags" aria-label="Hashtags">
            {campaign.hashtags.map((h) => (
              <li key={h}>#{h}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function CampaignPage({ slug }: { slug: string }) {
  const { user, setUser } = useSession();
  // undefined while loading, null when there is no such campaign.
  const [campaign, setCampaign] = useState<Campaign | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [partners, setPartners] = useState<Organization[] | null>(null);
  const [partnersError, setPartnersError] = useState<string | null>(null);

  const loadPartners = () =>
    api.listPartners(slug).then(
      (items) => {
        setPartners(items);
        setPartnersError(null);
      },
      (err: unknown) => setPartnersError(describeError(err)),
    );

  useEffect(() => {
    api.getCampaign(slug).then(
      (c) => {
        setCampaign(c);
        void loadPartners();
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 404) setCampaign(null);
        else setLoadError(describeError(err));
      },
    );
  }, [slug]);

  const onSignedOut = () => setUser(null);
  const title = campaign ? campaign.name : campaign === null ? 'Campaign not found' : 'Campaign';

  return (
    <Page title={title}>
      {campaign ? (
        <>
          <CampaignDetails campaign={campaign} />
          <ActivitiesLinks campaign={campaign} organizer={reviews(user, slug)} />
          <ImpactSection slug={slug} />
          <Partners partners={partners} loadError={partnersError} />
          <div class="cards">
            {reviews(user, slug) ? (
              <Applications slug={slug} onDecided={() => void loadPartners()} onSignedOut={onSignedOut} />
            ) : null}
            {user ? (
              <ApplyForm slug={slug} onSignedOut={onSignedOut} />
            ) : (
              <p>
                <Link href="/signin">Sign in</Link> to apply as a partner organization.
              </p>
            )}
          </div>
        </>
      ) : campaign === null ? (
        <>
          <p>There is no campaign called “{slug}”. It may have been removed, or the address may be wrong.</p>
          <p>
            <Link href="/campaigns">See all campaigns</Link>
          </p>
        </>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the campaign. {loadError}</p>
      ) : (
        <p role="status">Loading campaign…</p>
      )}
    </Page>
  );
}
