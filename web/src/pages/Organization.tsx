import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, DEFAULT_LRS_SCOPES, LRS_SCOPES, api, calendarPaths, describeError, signedOut, webcalUrl } from '../api';
import type {
  Activity,
  Campaign,
  LrsClient,
  NewLrsClient,
  Organization,
  OrganizationStaff,
  StaffInvitation,
  StaffMember,
} from '../api';
import { activityHref, catalogHref, isStaffOf, statusName } from '../activities';
import { ActivityCard, activityWhen } from '../components/ActivityCard';
import { CheckboxGroup } from '../components/Choices';
import { CopyValue } from '../components/CopyValue';
import { CsvUpload } from '../components/CsvUpload';
import { DateTime } from '../components/DateTime';
import { ErrorSummary } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { Paragraphs, WebsiteLink } from '../components/Text';
import { errorsFrom, sentence, useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link } from '../router';
import { useSession } from '../session';

/** The campaigns in which the organization is an approved partner. */
export async function partnerCampaigns(slug: string): Promise<Campaign[]> {
  const campaigns = await api.listCampaigns();
  const partnered = await Promise.all(
    campaigns.map((c) =>
      api.listPartners(c.slug).then(
        (orgs) => orgs.some((o) => o.slug === slug),
        () => false,
      ),
    ),
  );
  return campaigns.filter((_, i) => partnered[i]);
}

// ---------------------------------------------------------------- public

type CampaignActivities = { campaign: Campaign; items: Activity[] };

function PublicActivities({ slug, campaigns, version }: { slug: string; campaigns: Campaign[] | null; version: number }) {
  const [groups, setGroups] = useState<CampaignActivities[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    if (!campaigns) return;
    Promise.all(
      campaigns.map((campaign) =>
        api
          .searchActivities(campaign.slug, { organization: [slug], sort: 'start', limit: 100 })
          .then((page) => ({ campaign, items: page.items })),
      ),
    ).then(
      (all) => setGroups(all.filter((g) => g.items.length > 0)),
      (err: unknown) => setLoadError(describeError(err)),
    );
  }, [slug, campaigns, version]);

  return (
    <section aria-labelledby="activities-heading">
      <h2 id="activities-heading">Activities</h2>
      {loadError ? (
        <p class="error-message">Could not load the activities. {loadError}</p>
      ) : groups === null ? (
        <p>Loading activities…</p>
      ) : groups.length === 0 ? (
        <p>No approved activities yet.</p>
      ) : (
        groups.map((g) => (
          <section key={g.campaign.slug} aria-labelledby={`campaign-${g.campaign.slug}`}>
            <h3 id={`campaign-${g.campaign.slug}`}>
              <Link href={catalogHref(g.campaign.slug)}>{g.campaign.name}</Link>
            </h3>
            <ul class="activity-list" aria-labelledby={`campaign-${g.campaign.slug}`}>
              {g.items.map((a) => (
                <li key={a.id}>
                  <ActivityCard activity={a} level={4} />
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </section>
  );
}

// ---------------------------------------------------------------- staff

function Invitations({
  slug,
  activities,
  onConfirmed,
  onSignedOut,
}: {
  slug: string;
  activities: Activity[];
  onConfirmed: (a: Activity) => void;
  onSignedOut: () => void;
}) {
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();
  const invited = activities.filter(
    (a) => a.host.slug !== slug && a.co_hosts.some((c) => c.slug === slug && !c.confirmed),
  );

  const confirm = async (a: Activity) => {
    setStatus('');
    try {
      onConfirmed(await api.confirmCoHost(a.id, slug));
      setStatus(`You now co-host “${a.title}”.`);
      focus('invitations-heading');
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setStatus(`Could not confirm “${a.title}”: ${describeError(err)}`);
    }
  };

  return (
    <section aria-labelledby="invitations-heading">
      <h3 id="invitations-heading" tabIndex={-1}>
        Co-host invitations
      </h3>
      <Status>{status}</Status>
      {invited.length === 0 ? (
        <p>No invitations are waiting.</p>
      ) : (
        <ul class="entries" aria-label="Co-host invitations">
          {invited.map((a) => (
            <li key={a.id} class="entry">
              <p>
                <Link href={activityHref(a.id)}>{a.title}</Link>, hosted by {a.host.name}. {activityWhen(a)}
              </p>
              <button type="button" class="button" onClick={() => void confirm(a)}>
                Confirm co-hosting<span class="visually-hidden"> “{a.title}”</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function roleOf(a: Activity, slug: string): string {
  if (a.host.slug === slug) return 'Host';
  return a.co_hosts.some((c) => c.slug === slug && c.confirmed) ? 'Co-host' : 'Invited co-host';
}

function AllActivities({ slug, activities }: { slug: string; activities: Activity[] }) {
  if (activities.length === 0) return <p>Your organization has no activities yet.</p>;
  return (
    <div class="table-wrap">
      <table class="data">
        <caption>All activities, every status ({activities.length})</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Status</th>
            <th scope="col">When</th>
            <th scope="col">Role</th>
          </tr>
        </thead>
        <tbody>
          {activities.map((a) => (
            <tr key={a.id}>
              <td>
                <Link href={activityHref(a.id)}>{a.title}</Link>
              </td>
              <td>{statusName(a.status)}</td>
              <td>{activityWhen(a)}</td>
              <td>{roleOf(a, slug)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Import({
  slug,
  campaigns,
  onImported,
  onSignedOut,
}: {
  slug: string;
  campaigns: Campaign[];
  onImported: () => void;
  onSignedOut: () => void;
}) {
  const [campaign, setCampaign] = useState(campaigns.length === 1 ? (campaigns[0] as Campaign).slug : '');
  return (
    <section aria-labelledby="import-heading">
      <h3 id="import-heading">Import activities from a spreadsheet</h3>
      <p class="muted">
        A CSV file with a header row. Columns, by name and in any order: title and format (required), description,
        start, duration_minutes, time_zone, recurrence, available_from, available_until, join_url, capacity, pd_hours,
        roles, grade_bands, subjects, themes, co_hosts (lists separated by “;”), language, captions and transcripts
        (yes or no), accessibility_notes, and facilitators (“Name | Affiliation; Name | Affiliation”). Activities are
        imported as drafts. If any line has a problem, nothing is imported.
      </p>
      <CsvUpload
        id="import-file"
        label="CSV file"
        hint="At most 2,000 rows, UTF-8."
        buttonLabel="Import activities"
        busyLabel="Importing…"
        problemTitle="The file has problems; nothing was imported"
        fields={{ campaign: 'import-campaign' }}
        check={(): Errors => (campaign ? {} : { campaign: 'Choose the campaign' })}
        onUpload={async (csv) => {
          const answer = await api.importActivities(slug, campaign, csv);
          onImported();
          return answer.imported === 1 ? 'Imported 1 activity as a draft.' : `Imported ${answer.imported} activities as drafts.`;
        }}
        onSignedOut={onSignedOut}
      >
        {(errors) => (
          <Field
            id="import-campaign"
            label="Campaign"
            type="select"
            options={[{ value: '', label: 'Choose a campaign' }, ...campaigns.map((c) => ({ value: c.slug, label: c.name }))]}
            value={campaign}
            onValue={setCampaign}
            error={errors.campaign ? sentence(errors.campaign) : undefined}
            required
          />
        )}
      </CsvUpload>
    </section>
  );
}

function StaffSection({
  slug,
  campaigns,
  onPublicChange,
}: {
  slug: string;
  campaigns: Campaign[] | null;
  /** Something the public sees has changed (a confirmed co-host shows the activity). */
  onPublicChange: () => void;
}) {
  const { setUser } = useSession();
  const [activities, setActivities] = useState<Activity[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const onSignedOut = () => setUser(null);

  const load = () =>
    api.listOrganizationActivities(slug).then(setActivities, (err: unknown) => {
      if (!signedOut(err, onSignedOut)) setLoadError(describeError(err));
    });

  useEffect(() => {
    void load();
  }, [slug]);

  return (
    <section class="card" aria-labelledby="staff-heading">
      <h2 id="staff-heading">For your organization’s staff</h2>
      <p>
        <Link href={`/organizations/${encodeURIComponent(slug)}/activities/new`} class="button">
          New activity
        </Link>
      </p>
      {loadError ? (
        <p class="error-message">Could not load your activities. {loadError}</p>
      ) : activities === null ? (
        <p>Loading your activities…</p>
      ) : (
        <>
          <Invitations
            slug={slug}
            activities={activities}
            onConfirmed={(a) => {
              setActivities((old) => (old ?? []).map((x) => (x.id === a.id ? a : x)));
              onPublicChange();
            }}
            onSignedOut={onSignedOut}
          />
          <h3>All activities</h3>
          <AllActivities slug={slug} activities={activities} />
        </>
      )}
      {campaigns && campaigns.length > 0 ? (
        <Import slug={slug} campaigns={campaigns} onImported={() => void load()} onSignedOut={onSignedOut} />
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------- colleagues

function InviteForm({
  slug,
  orgName,
  onInvited,
  onSignedOut,
}: {
  slug: string;
  orgName: string;
  onInvited: (invitation: StaffInvitation) => void;
  onSignedOut: () => void;
}) {
  const [email, setEmail] = useState('');
  const form = useForm({ email: 'invite-email' });

  const submit = form.handleSubmit({
    check: (): Errors => (email.trim() ? {} : { email: 'Enter the email address of the colleague to invite' }),
    send: async () => {
      const invitation = await api.invite(slug, { email: email.trim() });
      setEmail('');
      onInvited(invitation);
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      // Already on the staff, or already invited: the server's words, by the field.
      if (err instanceof ApiError && err.status === 409) {
        // The server's sentence begins with the address, which keeps its letter case.
        const detail = err.problem.detail ?? '';
        const message = detail.toLowerCase().startsWith(email.trim().toLowerCase()) ? detail : describeError(err);
        form.show({ email: message }, [{ message, fieldId: 'invite-email' }]);
        return true;
      }
      return false;
    },
  });

  return (
    <section aria-labelledby="invite-heading">
      <h3 id="invite-heading">Invite a colleague</h3>
      <Form summary={form.summary} summaryTitle="The invitation was not sent" onSubmit={submit}>
        <Field
          id="invite-email"
          label="Email address"
          type="email"
          hint={`We email them a link to join the staff of ${orgName}. The link works once and expires after 7 days.`}
          value={email}
          onValue={setEmail}
          autoComplete="off"
          error={form.errors.email}
          required
        />
        <SubmitButton busy={form.busy} busyLabel="Sending invitation…">
          Send invitation
        </SubmitButton>
      </Form>
    </section>
  );
}

function MemberItem({
  member,
  you,
  orgName,
  confirming,
  error,
  onAsk,
  onCancel,
  onRemove,
}: {
  member: StaffMember;
  you: boolean;
  orgName: string;
  confirming: boolean;
  /** Why the last attempt to remove them failed. */
  error: string | null;
  onAsk: () => void;
  onCancel: () => void;
  onRemove: () => void;
}) {
  const question = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);

  const nameId = `staff-${member.user_id}-name`;
  const questionId = `staff-${member.user_id}-question`;
  return (
    <li class="member">
      <div class="member-info">
        <p class="member-name" id={nameId}>
          {member.display_name}
          {you ? <span class="muted"> (you)</span> : null}
        </p>
        <p class="muted">{member.email}</p>
      </div>
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby={questionId}>
          <p id={questionId} ref={question} tabIndex={-1}>
            {you
              ? `Remove yourself from the staff of ${orgName}? You will no longer be able to manage its activities.`
              : `Remove ${member.display_name} from the staff of ${orgName}? ` +
                'They will no longer be able to manage its activities.'}
          </p>
          <div class="actions">
            <button type="button" class="button button-danger" onClick={onRemove}>
              Yes, remove
            </button>
            <button type="button" class="button button-secondary" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          id={`remove-staff-${member.user_id}`}
          class="button button-secondary"
          onClick={onAsk}
          aria-describedby={nameId}
        >
          Remove
        </button>
      )}
      {error ? (
        <div class="member-error">
          <ErrorSummary
            title={you ? 'You were not removed' : `${member.display_name} was not removed`}
            items={[{ message: error }]}
          />
        </div>
      ) : null}
    </li>
  );
}

function InvitationItem({ invitation, onWithdraw }: { invitation: StaffInvitation; onWithdraw: () => void }) {
  const emailId = `invitation-${invitation.id}-email`;
  return (
    <li class="member">
      <div class="member-info">
        <p class="member-name" id={emailId}>
          {invitation.email}
        </p>
        <p class="muted">
          Invited <DateTime iso={invitation.created_at} /> · the link expires <DateTime iso={invitation.expires_at} />
        </p>
      </div>
      <button
        type="button"
        id={`withdraw-${invitation.id}`}
        class="button button-secondary"
        onClick={onWithdraw}
        aria-describedby={emailId}
      >
        Withdraw<span class="visually-hidden"> the invitation to {invitation.email}</span>
      </button>
    </li>
  );
}

function Colleagues({
  slug,
  orgName,
  onLeft,
}: {
  slug: string;
  orgName: string;
  /** The person removed themselves from the staff. */
  onLeft: () => void;
}) {
  const { user, setUser } = useSession();
  const [team, setTeam] = useState<OrganizationStaff | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirmId, setConfirmId] = useState<number | null>(null);
  const [removeError, setRemoveError] = useState<{ userId: number; message: string } | null>(null);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();
  const onSignedOut = () => setUser(null);

  const load = async () => {
    try {
      setTeam(await api.listStaff(slug));
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    void load();
  }, [slug]);

  const remove = async (member: StaffMember) => {
    const you = member.user_id === user?.id;
    setStatus('');
    setRemoveError(null);
    try {
      await api.removeStaff(slug, member.user_id);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setConfirmId(null);
      if (err instanceof ApiError && err.status === 404) {
        setStatus(`${member.display_name} was already not on the staff.`);
        focus('colleagues-heading');
        void load();
        return;
      }
      // For example the organization's last staff member, whom the server keeps.
      setRemoveError({ userId: member.user_id, message: describeError(err) });
      focus(`remove-staff-${member.user_id}`);
      return;
    }
    setConfirmId(null);
    setTeam((old) => old && { ...old, staff: old.staff.filter((m) => m.user_id !== member.user_id) });
    if (you) {
      onLeft();
      return;
    }
    setStatus(`${member.display_name} is no longer on the staff of ${orgName}.`);
    focus('colleagues-heading');
  };

  const withdraw = async (invitation: StaffInvitation) => {
    setStatus('');
    try {
      await api.withdrawInvitation(slug, invitation.id);
      setStatus(`The invitation to ${invitation.email} is withdrawn. Its link no longer works.`);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      if (!(err instanceof ApiError && err.status === 404)) {
        setStatus(`Could not withdraw the invitation to ${invitation.email}: ${describeError(err)}`);
        return;
      }
      setStatus(`The invitation to ${invitation.email} was already accepted or withdrawn.`);
      void load();
    }
    setTeam((old) => old && { ...old, invitations: old.invitations.filter((i) => i.id !== invitation.id) });
    focus('colleagues-heading');
  };

  const invited = (invitation: StaffInvitation) => {
    setTeam((old) => {
      if (!old) return old;
      return { ...old, invitations: [...old.invitations.filter((i) => i.id !== invitation.id), invitation] };
    });
    setStatus(`Invitation sent to ${invitation.email}.`);
  };

  return (
    <section class="card" aria-labelledby="colleagues-heading">
      <h2 id="colleagues-heading" tabIndex={-1}>
        Staff
      </h2>
      <p>Staff write and manage the organization’s activities and invite colleagues.</p>
      <Status>{status}</Status>
      {loadError ? (
        <p class="error-message">Could not load the staff. {loadError}</p>
      ) : team === null ? (
        <p>Loading the staff…</p>
      ) : (
        <>
          <h3 id="members-heading">Staff members</h3>
          <ul class="members" aria-labelledby="members-heading">
            {team.staff.map((m) => (
              <MemberItem
                key={m.user_id}
                member={m}
                you={m.user_id === user?.id}
                orgName={orgName}
                confirming={confirmId === m.user_id}
                error={removeError && removeError.userId === m.user_id ? removeError.message : null}
                onAsk={() => {
                  setStatus('');
                  setRemoveError(null);
                  setConfirmId(m.user_id);
                }}
                onCancel={() => {
                  setConfirmId(null);
                  focus(`remove-staff-${m.user_id}`);
                }}
                onRemove={() => void remove(m)}
              />
            ))}
          </ul>
          <h3 id="pending-heading">Pending invitations</h3>
          {team.invitations.length === 0 ? (
            <p>No invitations are waiting to be accepted.</p>
          ) : (
            <ul class="members" aria-labelledby="pending-heading">
              {team.invitations.map((i) => (
                <InvitationItem key={i.id} invitation={i} onWithdraw={() => void withdraw(i)} />
              ))}
            </ul>
          )}
        </>
      )}
      <InviteForm slug={slug} orgName={orgName} onInvited={invited} onSignedOut={onSignedOut} />
    </section>
  );
}

// ---------------------------------------------------------------- learning record store

/** What each scope lets a client do, in plain words. */
const SCOPE_LABELS: Record<string, string> = {
  'statements/write': 'Report statements',
  'statements/read/mine': 'Read back its own statements',
  'statements/read': 'Read all statements',
  documents: 'Store state and profile documents',
};

const scopeLabel = (scope: string) => SCOPE_LABELS[scope] ?? scope;

/** The inputs of the new client form, by API field name. */
const LRS_FIELDS = { name: 'lrs-name', scopes: 'lrs-scopes' };
const LRS_LABELS = { name: 'Client name', scopes: 'What the client may do' };

function NewLrsClientPanel({ created, onDone }: { created: NewLrsClient; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [copyStatus, setCopyStatus] = useState('');

  useLayoutEffect(() => {
    heading.current?.focus();
  }, []);

  return (
    <section class="notice notice-warning new-token" aria-labelledby="new-lrs-client-heading">
      <h3 id="new-lrs-client-heading" ref={heading} tabIndex={-1}>
        Your new client “{created.name}”
      </h3>
      <p id="new-lrs-client-warning">
        <strong>Copy the secret now. It will not be shown again.</strong> Anyone who has the key and the secret can
        report to your organization’s Learning Record Store, so keep them in the platform’s settings and nowhere else.
      </p>
      <p>
        Set the platform up with the endpoint, and the key and secret as its user name and password (HTTP Basic
        authentication).
      </p>
      <CopyValue id="new-lrs-client-endpoint" label="Endpoint" value={created.endpoint} onCopied={setCopyStatus} />
      <CopyValue id="new-lrs-client-key" label="Key" value={created.key} onCopied={setCopyStatus} />
      <CopyValue
        id="new-lrs-client-secret"
        label="Secret"
        value={created.secret}
        describedBy="new-lrs-client-warning"
        onCopied={setCopyStatus}
      />
      <Status>{copyStatus}</Status>
      <button type="button" class="button" onClick={onDone}>
        I have copied the secret
      </button>
    </section>
  );
}

function NewLrsClientForm({
  slug,
  onCreated,
  onSignedOut,
}: {
  slug: string;
  onCreated: (client: NewLrsClient) => void;
  onSignedOut: () => void;
}) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>([...DEFAULT_LRS_SCOPES]);
  const form = useForm(LRS_FIELDS);

  const submit = form.handleSubmit({
    check: () => {
      const local: Errors = {};
      if (!name.trim()) local.name = 'Enter a name for the client';
      if (scopes.length === 0) local.scopes = 'Choose at least one thing the client may do';
      return local;
    },
    send: async () => {
      const client = await api.createLrsClient(slug, { name: name.trim(), scopes });
      setName('');
      setScopes([...DEFAULT_LRS_SCOPES]);
      onCreated(client);
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
      // A problem with one scope ("scopes[1]") is shown by the boxes.
      const grouped = new ApiError(
        err.status,
        { ...err.problem, errors: err.problem.errors.map((x) => ({ ...x, field: x.field.replace(/\[\d+\]$/, '') })) },
        err.retryAfter,
      );
      const { fieldErrors, summary } = errorsFrom(grouped, LRS_FIELDS, LRS_LABELS);
      form.show(fieldErrors, summary);
      return true;
    },
  });

  return (
    <section aria-labelledby="new-lrs-client-form-heading">
      <h3 id="new-lrs-client-form-heading">Add a client</h3>
      <Form summary={form.summary} summaryTitle="The client was not added" onSubmit={submit}>
        <Field
          id={LRS_FIELDS.name}
          label={LRS_LABELS.name}
          hint="The platform it is for, so you can recognise it later, for example “Webinar platform”."
          value={name}
          onValue={setName}
          autoComplete="off"
          error={form.errors.name}
          required
          maxLength={100}
        />
        <CheckboxGroup
          id={LRS_FIELDS.scopes}
          legend={LRS_LABELS.scopes}
          hint="A platform that reports who took part needs “Report statements”. Give “Read all statements” only to a tool you trust with everything the Learning Record Store holds."
          options={LRS_SCOPES.map((s) => ({ value: s, label: scopeLabel(s) }))}
          values={scopes}
          onValues={setScopes}
          error={form.errors.scopes}
        />
        <SubmitButton busy={form.busy} busyLabel="Adding the client…">
          Add client
        </SubmitButton>
      </Form>
    </section>
  );
}

function LrsClientItem({
  client,
  confirming,
  error,
  onAsk,
  onCancel,
  onRevoke,
}: {
  client: LrsClient;
  confirming: boolean;
  /** Why the last attempt to revoke it failed. */
  error: string | null;
  onAsk: () => void;
  onCancel: () => void;
  onRevoke: () => void;
}) {
  const question = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => {
    if (confirming) question.current?.focus();
  }, [confirming]);

  const nameId = `lrs-client-${client.id}-name`;
  const questionId = `lrs-client-${client.id}-question`;
  return (
    <li class="member">
      <div class="member-info">
        <p class="member-name" id={nameId}>
          {client.name}
          {client.revoked_at ? <span class="badge badge-revoked">Revoked</span> : null}
        </p>
        <dl class="facts facts-compact">
          <div>
            <dt>Key</dt>
            <dd class="mono">{client.key}</dd>
          </div>
          <div>
            <dt>Allowed to</dt>
            <dd>{client.scopes.length > 0 ? client.scopes.map(scopeLabel).join('; ') : 'Nothing'}</dd>
          </div>
          <div>
            <dt>Created</dt>
            <dd>
              <DateTime iso={client.created_at} />
            </dd>
          </div>
          <div>
            <dt>Last used</dt>
            <dd>{client.last_used_at ? <DateTime iso={client.last_used_at} /> : 'Never'}</dd>
          </div>
          {client.revoked_at ? (
            <div>
              <dt>Revoked</dt>
              <dd>
                <DateTime iso={client.revoked_at} />
              </dd>
            </div>
          ) : null}
        </dl>
      </div>
      {client.revoked_at ? null : confirming ? (
        <div class="confirm" role="group" aria-labelledby={questionId}>
          <p id={questionId} ref={question} tabIndex={-1}>
            Revoke “{client.name}”? Its key stops working at once, and the platform can no longer report to the Learning
            Record Store.
          </p>
          <div class="actions">
            <button type="button" class="button button-danger" onClick={onRevoke}>
              Yes, revoke
            </button>
            <button type="button" class="button button-secondary" onClick={onCancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          id={`revoke-lrs-client-${client.id}`}
          class="button button-secondary"
          onClick={onAsk}
          aria-describedby={nameId}
        >
          Revoke<span class="visually-hidden"> “{client.name}”</span>
        </button>
      )}
      {error ? (
        <div class="member-error">
          <ErrorSummary title={`“${client.name}” was not revoked`} items={[{ message: error }]} />
        </div>
      ) : null}
    </li>
  );
}

function LearningRecordStore({ slug }: { slug: string }) {
  const { setUser } = useSession();
  const [clients, setClients] = useState<LrsClient[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [created, setCreated] = useState<NewLrsClient | null>(null);
  const [confirmId, setConfirmId] = useState<number | null>(null);
  const [revokeError, setRevokeError] = useState<{ id: number; message: string } | null>(null);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();
  const onSignedOut = () => setUser(null);

  const load = async () => {
    try {
      setClients(await api.listLrsClients(slug));
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    void load();
  }, [slug]);

  const added = (client: NewLrsClient) => {
    setStatus('');
    setCreated(client);
    const { secret: _secret, endpoint: _endpoint, ...listed } = client;
    void _secret;
    void _endpoint;
    setClients((old) => [...(old ?? []).filter((c) => c.id !== listed.id), listed]);
    void load();
  };

  const revoke = async (client: LrsClient) => {
    setStatus('');
    setRevokeError(null);
    try {
      await api.revokeLrsClient(slug, client.id);
      setStatus(`“${client.name}” is revoked. Its key no longer works.`);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      if (!(err instanceof ApiError && err.status === 404)) {
        setRevokeError({ id: client.id, message: describeError(err) });
        setConfirmId(null);
        focus(`revoke-lrs-client-${client.id}`);
        return;
      }
      setStatus(`“${client.name}” was already revoked.`);
    }
    setConfirmId(null);
    if (created && created.id === client.id) setCreated(null);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    setClients((old) => (old ?? []).map((c) => (c.id === client.id ? { ...c, revoked_at: c.revoked_at ?? now } : c)));
    focus('lrs-clients-heading');
    void load();
  };

  return (
    <section class="card" aria-labelledby="lrs-heading">
      <h2 id="lrs-heading">Learning Record Store</h2>
      <p>
        Platforms where your online activities happen (webinar tools, course platforms, forums) can report who took
        part to Staffroom’s Learning Record Store, using xAPI. Give each platform a client of its own: it signs in
        with the client’s key and secret. Revoke a client as soon as the platform no longer needs it.
      </p>
      {created ? (
        <NewLrsClientPanel
          created={created}
          onDone={() => {
            setCreated(null);
            focus(LRS_FIELDS.name);
          }}
        />
      ) : null}
      <NewLrsClientForm slug={slug} onCreated={added} onSignedOut={onSignedOut} />
      <h3 id="lrs-clients-heading" tabIndex={-1}>
        Clients
      </h3>
      <Status>{status}</Status>
      {loadError ? (
        <p class="error-message">Could not load the clients. {loadError}</p>
      ) : clients === null ? (
        <p>Loading the clients…</p>
      ) : clients.length === 0 ? (
        <p>Your organization has no clients yet.</p>
      ) : (
        <ul class="members" aria-labelledby="lrs-clients-heading">
          {clients.map((c) => (
            <LrsClientItem
              key={c.id}
              client={c}
              confirming={confirmId === c.id}
              error={revokeError && revokeError.id === c.id ? revokeError.message : null}
              onAsk={() => {
                setStatus('');
                setRevokeError(null);
                setConfirmId(c.id);
              }}
              onCancel={() => {
                setConfirmId(null);
                focus(`revoke-lrs-client-${c.id}`);
              }}
              onRevoke={() => void revoke(c)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- page

export function OrganizationPage({ slug }: { slug: string }) {
  const { user, setUser } = useSession();
  const [org, setOrg] = useState<Organization | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [version, setVersion] = useState(0);
  const [left, setLeft] = useState('');

  useEffect(() => {
    api.getOrganization(slug).then(
      (o) => {
        setOrg(o);
        partnerCampaigns(slug).then(setCampaigns, () => setCampaigns([]));
      },
      (err: unknown) => {
        if (err instanceof ApiError && err.status === 404) setOrg(null);
        else setLoadError(describeError(err));
      },
    );
  }, [slug]);

  const title = org ? org.name : org === null ? 'Organization not found' : 'Organization';
  const feed = calendarPaths.organization(slug);

  /** Someone who removed themselves from the staff: the session no longer carries the role. */
  const onLeft = async () => {
    setLeft(`You are no longer on the staff of ${org ? org.name : slug}.`);
    try {
      setUser((await api.me()).user);
    } catch (err) {
      if (signedOut(err, () => setUser(null))) return;
    }
    document.querySelector<HTMLElement>('main h1')?.focus();
  };

  return (
    <Page title={title}>
      {org ? (
        <>
          <dl class="facts">
            <div>
              <dt>Kind</dt>
              <dd>{sentence(org.kind)}</dd>
            </div>
            <div>
              <dt>Website</dt>
              <dd>
                <WebsiteLink url={org.website} name={org.name} />
              </dd>
            </div>
          </dl>
          <Paragraphs text={org.description} />
          <p class="actions">
            <a href={webcalUrl(feed)} class="button button-secondary">
              Subscribe to {org.name}’s calendar
            </a>
            <a href={feed} download>
              Download the calendar file
            </a>
          </p>
          <PublicActivities slug={slug} campaigns={campaigns} version={version} />
          <Status>{left}</Status>
          {isStaffOf(user, slug) ? (
            <div class="cards">
              <StaffSection slug={slug} campaigns={campaigns} onPublicChange={() => setVersion((v) => v + 1)} />
              <Colleagues slug={slug} orgName={org.name} onLeft={() => void onLeft()} />
              <LearningRecordStore slug={slug} />
            </div>
          ) : null}
        </>
      ) : org === null ? (
        <>
          <p>There is no organization called “{slug}”.</p>
          <p>
            <Link href="/campaigns">See the campaigns</Link>
          </p>
        </>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the organization. {loadError}</p>
      ) : (
        <p role="status">Loading organization…</p>
      )}
    </Page>
  );
}
