import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, US_STATES, api, describeError, signedOut } from '../api';
import type { DistrictMembership, MyDistricts, User } from '../api';
import { timeZones } from '../components/ActivityForm';
import { DateTime } from '../components/DateTime';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import { districtHref, districtRoleName, joinedVia } from '../districts';
import { errorsFrom, useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { viewerTimeZone } from '../time';

// ---------------------------------------------------------------- memberships

function Memberships({ memberships }: { memberships: DistrictMembership[] }) {
  if (memberships.length === 0) {
    return <p>You do not belong to a district yet. Join yours below, or create it.</p>;
  }
  return (
    <div class="table-wrap">
      <table class="data">
        <caption class="visually-hidden">Your districts</caption>
        <thead>
          <tr>
            <th scope="col">District</th>
            <th scope="col">Your role</th>
            <th scope="col">School</th>
            <th scope="col">Joined</th>
          </tr>
        </thead>
        <tbody>
          {memberships.map((m) => (
            <tr key={m.member.id}>
              <td>
                <Link href={districtHref(m.district.slug)}>{m.district.name}</Link>
              </td>
              <td>{districtRoleName(m.member.role)}</td>
              <td>{m.member.school || <span class="muted">None</span>}</td>
              <td>
                <DateTime iso={m.member.joined_at} /> <span class="muted">({joinedVia(m.member.joined_via)})</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The district the person's confirmed address lets them join: one button. */
function Joinable({
  district,
  email,
  onJoined,
  onSignedOut,
}: {
  district: { slug: string; name: string };
  email: string;
  onJoined: (m: DistrictMembership) => void;
  onSignedOut: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const join = async () => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      onJoined(await api.joinDistrict({ district: district.slug }));
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="joinable-heading">
      <h2 id="joinable-heading">Your address’s district</h2>
      <p>
        Your confirmed address {email} is at one of the email domains of <strong>{district.name}</strong>, so you can
        join it without a code.
      </p>
      {error ? (
        <p class="error-message" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" class="button" onClick={() => void join()} aria-disabled={busy ? 'true' : undefined}>
        Join {district.name}
      </button>
    </section>
  );
}

function JoinWithCode({
  onJoined,
  onSignedOut,
}: {
  onJoined: (m: DistrictMembership) => void;
  onSignedOut: () => void;
}) {
  const [code, setCode] = useState('');
  const form = useForm({ code: 'join-code' });

  const submit = form.handleSubmit({
    check: (): Errors => (code.trim() ? {} : { code: 'Enter the join code your district gave you' }),
    send: async () => {
      const m = await api.joinDistrict({ code: code.trim() });
      setCode('');
      onJoined(m);
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      const { fieldErrors, summary } = errorsFrom(err, { code: 'join-code' }, { code: 'Join code' });
      form.show(fieldErrors, summary);
      return true;
    },
  });

  return (
    <section class="card" aria-labelledby="join-code-heading">
      <h2 id="join-code-heading">Join with a code</h2>
      <Form summary={form.summary} summaryTitle="You have not joined" label="Join with a code" onSubmit={submit}>
        <Field
          id="join-code"
          label="Join code"
          hint="Your district’s administrators give you a code like ABCD-EFGH. Capital letters, spaces and the hyphen do not matter."
          value={code}
          onValue={setCode}
          autoComplete="off"
          error={form.errors.code}
          required
          maxLength={40}
        />
        <SubmitButton busy={form.busy} busyLabel="Joining…">
          Join district
        </SubmitButton>
      </Form>
    </section>
  );
}

// ---------------------------------------------------------------- creating

const CREATE_FIELDS = {
  slug: 'district-slug',
  name: 'district-name',
  state: 'district-state',
  time_zone: 'district-time-zone',
  schools: 'district-schools',
};

const CREATE_LABELS = {
  slug: 'Short name',
  name: 'District name',
  state: 'State or territory',
  time_zone: 'Time zone',
  schools: 'Schools',
};

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

function defaultZone(): string {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && zone !== 'UTC' ? zone : 'America/New_York';
}

/** The non-empty lines of the schools box, with the line each came from. */
function schoolLines(text: string): { name: string; line: number }[] {
  return text
    .split('\n')
    .map((name, i) => ({ name: name.trim(), line: i + 1 }))
    .filter((s) => s.name);
}

function CreateDistrict({ user, confirmed, onSignedOut }: { user: User; confirmed: boolean; onSignedOut: () => void }) {
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [state, setState] = useState('');
  const [zone, setZone] = useState(defaultZone);
  const [schools, setSchools] = useState('');
  const form = useForm(CREATE_FIELDS);

  const submit = form.handleSubmit({
    check: () => {
      const local: Errors = {};
      if (!name.trim()) local.name = 'Enter the district’s name';
      if (!slug.trim()) local.slug = 'Enter a short name';
      else if (!SLUG.test(slug.trim()) || slug.trim().length < 2)
        local.slug = 'Short name: use lower-case letters, digits and single hyphens, at least 2 characters';
      if (!zone) local.time_zone = 'Choose the district’s time zone';
      return local;
    },
    send: async () => {
      const created = await api.createDistrict({
        slug: slug.trim(),
        name: name.trim(),
        state,
        time_zone: zone,
        schools: schoolLines(schools).map((s) => s.name),
      });
      navigate(districtHref(created.slug));
    },
    leavesPage: true,
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
      // A problem with one school ("schools[2]") is shown by the box, naming its line.
      const lines = schoolLines(schools);
      const grouped = new ApiError(
        err.status,
        {
          ...err.problem,
          errors: err.problem.errors.map((x) => {
            const m = /^schools\[(\d+)\]$/.exec(x.field);
            if (!m) return x;
            const line = lines[Number(m[1])]?.line;
            return { field: 'schools', message: line ? `line ${line}: ${x.message}` : x.message };
          }),
        },
        err.retryAfter,
      );
      const { fieldErrors, summary } = errorsFrom(grouped, CREATE_FIELDS, CREATE_LABELS);
      form.show(fieldErrors, summary);
      return true;
    },
  });

  return (
    <section class="card" aria-labelledby="create-heading">
      <h2 id="create-heading">Create a district</h2>
      <p>
        Set up your school system on Staffroom: you become its first administrator, and can then invite its educators
        with a join code, let addresses at its email domains join, and import its roster.
      </p>
      {confirmed ? (
        <Form summary={form.summary} summaryTitle="The district was not created" label="Create a district" onSubmit={submit}>
          <Field
            id={CREATE_FIELDS.name}
            label={CREATE_LABELS.name}
            hint="For example “Springfield Public Schools”."
            value={name}
            onValue={setName}
            autoComplete="organization"
            error={form.errors.name}
            required
            maxLength={200}
          />
          <Field
            id={CREATE_FIELDS.slug}
            label={CREATE_LABELS.slug}
            hint="Part of the district’s address on Staffroom: lower-case letters, digits and single hyphens, like springfield-schools. It cannot be changed later."
            value={slug}
            onValue={setSlug}
            autoComplete="off"
            error={form.errors.slug}
            required
            maxLength={80}
          />
          <Field
            id={CREATE_FIELDS.state}
            label={CREATE_LABELS.state}
            type="select"
            options={[
              { value: '', label: 'None' },
              ...US_STATES.map((s) => ({ value: s.code, label: `${s.name} (${s.code})` })),
            ]}
            value={state}
            onValue={setState}
            error={form.errors.state}
            required={false}
          />
          <Field
            id={CREATE_FIELDS.time_zone}
            label={CREATE_LABELS.time_zone}
            type="select"
            hint="Where the district is. Everyone still sees times in their own zone."
            options={timeZones(zone)}
            value={zone}
            onValue={setZone}
            error={form.errors.time_zone}
          />
          <Field
            id={CREATE_FIELDS.schools}
            label={CREATE_LABELS.schools}
            type="textarea"
            hint="One school a line. You can add more later, or let the roster add them."
            value={schools}
            onValue={setSchools}
            error={form.errors.schools}
            required={false}
          />
          <SubmitButton busy={form.busy} busyLabel="Creating the district…">
            Create district
          </SubmitButton>
        </Form>
      ) : (
        <div class="notice notice-warning">
          <p>
            <strong>Confirm your email address first.</strong> A district is run by people others can reach, so only an
            account whose address is confirmed can create one. Open the link we mailed to {user.email}, or{' '}
            <Link href="/account">ask for a new link on your account page</Link>.
          </p>
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- page

export function Districts() {
  const { user, setUser } = useSession();
  const [mine, setMine] = useState<MyDistricts | null>(null);
  const [confirmed, setConfirmed] = useState<boolean | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState<ComponentChildren>('');
  const focus = useFocusTarget();

  useEffect(() => {
    if (user === null) navigate('/signin?next=%2Fdistricts', { replace: true });
  }, [user]);

  const onSignedOut = () => setUser(null);

  const load = async () => {
    try {
      const [districts, me] = await Promise.all([api.myDistricts(), api.me()]);
      setMine(districts);
      setConfirmed(Boolean(me.user.email_verified_at));
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    if (user) void load();
  }, [user?.id]);

  if (!user) return null;

  const joined = (m: DistrictMembership) => {
    setStatus(
      <>
        You have joined <Link href={districtHref(m.district.slug)}>{m.district.name}</Link> as{' '}
        {m.member.role === 'admin' ? 'an administrator' : m.member.role === 'approver' ? 'an approver' : 'an educator'}.
      </>,
    );
    focus('my-districts-heading');
    void load();
  };

  return (
    <Page title="Districts">
      <p class="muted">Times are shown in your time zone ({viewerTimeZone()}).</p>
      {loadError ? (
        <p class="notice notice-error">Could not load your districts. {loadError}</p>
      ) : mine === null || confirmed === null ? (
        <p role="status">Loading your districts…</p>
      ) : (
        <div class="cards">
          <section class="card" aria-labelledby="my-districts-heading">
            <h2 id="my-districts-heading" tabIndex={-1}>
              Your districts
            </h2>
            <Status>{status}</Status>
            <Memberships memberships={mine.memberships} />
          </section>
          {mine.joinable ? (
            <Joinable district={mine.joinable} email={user.email} onJoined={joined} onSignedOut={onSignedOut} />
          ) : null}
          <JoinWithCode onJoined={joined} onSignedOut={onSignedOut} />
          <CreateDistrict user={user} confirmed={confirmed} onSignedOut={onSignedOut} />
        </div>
      )}
    </Page>
  );
}
