import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, describeError } from '../api';
import type { ActivityInput, Campaign, Organization } from '../api';
import { activityHref, isStaffOf, organizationHref } from '../activities';
import { ActivityForm, emptyValues, inputOf } from '../components/ActivityForm';
import type { ActivityValues } from '../components/ActivityForm';
import { Page } from '../components/Page';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { partnerCampaigns } from './Organization';

/** A new activity leaves out the fields that do not apply to it rather than sending them empty. */
function withoutEmpty(input: ActivityInput): Partial<ActivityInput> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== '')) as Partial<ActivityInput>;
}

export function NewActivity({ slug }: { slug: string }) {
  const { user, setUser } = useSession();
  const [org, setOrg] = useState<Organization | null | undefined>(undefined);
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    api.getOrganization(slug).then(setOrg, (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) setOrg(null);
      else setLoadError(describeError(err));
    });
    partnerCampaigns(slug).then(setCampaigns, (err: unknown) => setLoadError(describeError(err)));
  }, [slug]);

  const save = async (values: ActivityValues) => {
    const created = await api.createActivity(slug, withoutEmpty(inputOf(values)) as ActivityInput);
    navigate(activityHref(created.id));
  };

  const title = org ? `New activity of ${org.name}` : 'New activity';
  const staff = isStaffOf(user, slug);

  return (
    <Page title={title}>
      {!user ? (
        <p>
          <Link href={`/signin?next=${encodeURIComponent(`/organizations/${slug}/activities/new`)}`}>Sign in</Link> as
          staff of this organization to add an activity.
        </p>
      ) : !staff ? (
        <p>Only the staff of this organization can add its activities.</p>
      ) : org === null ? (
        <p>There is no organization called “{slug}”.</p>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the form. {loadError}</p>
      ) : !org || campaigns === null ? (
        <p role="status">Loading…</p>
      ) : campaigns.length === 0 ? (
        <p>
          {org.name} is not an approved partner of any campaign yet. <Link href="/campaigns">Apply to a campaign</Link>{' '}
          first.
        </p>
      ) : (
        <>
          <p>
            The activity is saved as a draft that only <Link href={organizationHref(slug)}>{org.name}</Link> can see.
            Submit it for review from its page when it is ready.
          </p>
          <ActivityForm
            campaigns={campaigns}
            chooseCampaign
            host={slug}
            initial={emptyValues(campaigns.length === 1 ? (campaigns[0] as Campaign) : null)}
            submitLabel="Save draft"
            busyLabel="Saving…"
            onSave={save}
            onSignedOut={() => setUser(null)}
          />
        </>
      )}
    </Page>
  );
}
