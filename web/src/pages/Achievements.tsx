import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../api';
import { BadgeImage } from '../components/BadgeImage';
import { Field } from '../components/Field';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { credentialHref, credentialsApi, hoursText, ownerTypeName } from '../credentials';
import type { Achievement } from '../credentials';
import { Link, replaceQuery } from '../router';
import { useSession } from '../session';

/** The first paragraph of a description, shortened for a list. */
function teaser(text: string): string {
  const first = (text.split(/\n\s*\n/)[0] ?? '').trim();
  return first.length > 240 ? `${first.slice(0, 237).trimEnd()}…` : first;
}

function AchievementItem({ a }: { a: Achievement }) {
  const facts = [
    `${ownerTypeName(a.owner_type)}: ${a.owner_name || a.owner}`,
    a.hours !== null && a.hours !== undefined ? hoursText(a.hours) : null,
    a.rule ? 'Earned automatically' : null,
    a.can_manage && typeof a.awarded === 'number' ? `Awarded ${a.awarded === 1 ? 'once' : `${a.awarded} times`}` : null,
  ].filter((f): f is string => !!f);
  return (
    <li class="card achievement-item">
      <BadgeImage url={a.image_url} alt="" size="small" />
      <div>
        <h2>
          <Link href={credentialHref.achievement(a.slug)}>{a.name}</Link>
        </h2>
        <ul class="inline-list muted" aria-label={`About ${a.name}`}>
          {facts.map((f) => (
            <li key={f}>{f}</li>
          ))}
        </ul>
        {a.description ? <p>{teaser(a.description)}</p> : null}
        {a.tags.length > 0 ? (
          <ul class="tag-list" aria-label={`Tags of ${a.name}`}>
            {a.tags.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        ) : null}
      </div>
    </li>
  );
}

export function Achievements({ search }: { search: string }) {
  const { user } = useSession();
  const initial = (new URLSearchParams(search).get('q') ?? '').trim();
  const [q, setQ] = useState(initial);
  const [applied, setApplied] = useState(initial);
  const [items, setItems] = useState<Achievement[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    let cancelled = false;
    credentialsApi.achievements({ q: applied || undefined }).then(
      (answer) => {
        if (cancelled) return;
        setItems(answer.items);
        setLoadError(null);
        const n = answer.items.length;
        setStatus(
          applied
            ? `${n === 0 ? 'No achievements match' : n === 1 ? '1 achievement matches' : `${n} achievements match`} “${applied}”.`
            : '',
        );
      },
      (err: unknown) => {
        if (!cancelled) setLoadError(describeError(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [applied]);

  const submit = (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = q.trim();
    setApplied(value);
    replaceQuery(value ? `q=${encodeURIComponent(value)}` : '');
  };

  return (
    <Page title="Achievements">
      <p class="lead">
        What you can earn on Staffroom. Campaigns, partner organizations and districts offer achievements; each one earned
        is issued as an Open Badges 3.0 credential that you keep in your backpack and anyone can verify.
      </p>
      {user ? (
        <p>
          <Link href={credentialHref.newAchievement()} class="button">
            New achievement
          </Link>
        </p>
      ) : null}
      <form class="catalog-search" role="search" aria-label="Achievements" onSubmit={submit} noValidate>
        <div class="search-row">
          <Field
            id="achievements-q"
            label="Search achievements"
            type="search"
            hint="Words from the name, description, tags or who offers it."
            value={q}
            onValue={setQ}
            autoComplete="off"
            maxLength={200}
          />
          <button type="submit" class="button search-button">
            Search
          </button>
        </div>
      </form>
      <Status>{status}</Status>
      {loadError ? (
        <p class="notice notice-error">Could not load the achievements. {loadError}</p>
      ) : items === null ? (
        <p role="status">Loading achievements…</p>
      ) : items.length === 0 ? (
        <p>
          {applied ? (
            <>
              Nothing matches this search. <Link href={credentialHref.achievements()}>Show every achievement</Link>.
            </>
          ) : (
            'There are no achievements yet.'
          )}
        </p>
      ) : (
        <ul class="achievement-list" aria-label={applied ? 'Achievements matching your search' : 'Achievements'}>
          {items.map((a) => (
            <AchievementItem key={a.slug} a={a} />
          ))}
        </ul>
      )}
    </Page>
  );
}
