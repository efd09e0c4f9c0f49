import { useEffect, useState } from 'preact/hooks';
import { api, describeError } from '../api';
import type { Campaign } from '../api';
import { Page } from '../components/Page';
import { Link } from '../router';
import { describeTimeZone, formatDateRange } from '../time';

function campaignHref(slug: string): string {
  return `/campaigns/${encodeURIComponent(slug)}`;
}

/** When a campaign runs, in its home time zone. */
export function CampaignFacts({ campaign }: { campaign: Campaign }) {
  return (
    <dl class="facts">
      <div>
        <dt>Dates</dt>
        <dd>{formatDateRange(campaign.starts_on, campaign.ends_on)}</dd>
      </div>
      <div>
        <dt>Home time zone</dt>
        <dd>{describeTimeZone(campaign.time_zone)}</dd>
      </div>
    </dl>
  );
}

export function Campaigns() {
  const [campaigns, setCampaigns] = useState<Campaign[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    api.listCampaigns().then(
      (items) => {
        if (!cancelled) setCampaigns(items);
      },
      (err: unknown) => {
        if (!cancelled) setLoadError(describeError(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <Page title="Campaigns">
      <p class="lead">
        Campaigns are periods of online professional learning with weekly themes. Partner organizations offer
        activities during a campaign.
      </p>
      {loadError ? (
        <p class="notice notice-error">Could not load the campaigns. {loadError}</p>
      ) : campaigns === null ? (
        <p role="status">Loading campaigns…</p>
      ) : campaigns.length === 0 ? (
        <p>There are no campaigns yet.</p>
      ) : (
        <ul class="campaigns" aria-label="Campaigns">
          {campaigns.map((c) => (
            <li key={c.slug} class="card">
              <h2>
                <Link href={campaignHref(c.slug)}>{c.name}</Link>
              </h2>
              <CampaignFacts campaign={c} />
            </li>
          ))}
        </ul>
      )}
    </Page>
  );
}
