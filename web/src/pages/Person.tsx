import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, describeError } from '../api';
import type { Person } from '../api';
import { ActivityCard } from '../components/ActivityCard';
import { Page } from '../components/Page';
import { Paragraphs } from '../components/Text';
import { Link } from '../router';
import { viewerZoneDescription } from '../time';

export function PersonPage({ slug }: { slug: string }) {
  const [person, setPerson] = useState<Person | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    api.getPerson(slug).then(setPerson, (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) setPerson(null);
      else setLoadError(describeError(err));
    });
  }, [slug]);

  const title = person ? person.name : person === null ? 'Person not found' : 'Person';

  return (
    <Page title={title}>
      {person ? (
        <>
          {person.affiliation ? <p class="lead">{person.affiliation}</p> : null}
          <Paragraphs text={person.bio} />
          <section aria-labelledby="facilitates-heading">
            <h2 id="facilitates-heading">Activities</h2>
            {person.activities.length === 0 ? (
              <p>No approved activities yet.</p>
            ) : (
              <>
                <p class="muted">Times are shown in your time zone, {viewerZoneDescription()}.</p>
                <ul class="activity-list" aria-labelledby="facilitates-heading">
                  {person.activities.map((a) => (
                    <li key={a.id}>
                      <ActivityCard activity={a} level={3} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
        </>
      ) : person === null ? (
        <>
          <p>There is no person called “{slug}” on Staffroom.</p>
          <p>
            <Link href="/campaigns">See the campaigns</Link>
          </p>
        </>
      ) : loadError ? (
        <p class="notice notice-error">Could not load this page. {loadError}</p>
      ) : (
        <p role="status">Loading…</p>
      )}
    </Page>
  );
}
