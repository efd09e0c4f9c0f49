import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, calendarPaths, describeError, signedOut, webcalUrl } from '../api';
import type { Activity, Campaign, Organization } from '../api';
import { activityHref, catalogHref, isStaffOf, statusName } from '../activities';
import { ActivityCard, activityWhen } from '../components/ActivityCard';
import { CsvUpload } from '../components/CsvUpload';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { Paragraphs, WebsiteLink } from '../components/Text';
import { sentence } from '../forms';
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

// ---------------------------------------------------------------- page

export function OrganizationPage({ slug }: { slug: string }) {
  const { user } = useSession();
  const [org, setOrg] = useState<Organization | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [version, setVersion] = useState(0);

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
          {isStaffOf(user, slug) ? (
            <StaffSection slug={slug} campaigns={campaigns} onPublicChange={() => setVersion((v) => v + 1)} />
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
