import { useEffect, useState } from 'preact/hooks';
import { ApiError, DISTRICT_ROLES, api, describeError, rosterDownloadPath, signedOut } from '../api';
import type { District, DistrictMember, DistrictRole, MemberChanges, Page as ListPage, RosterReport, User } from '../api';
import { Confirm } from '../components/Confirm';
import { CopyValue } from '../components/CopyValue';
import { CsvUpload } from '../components/CsvUpload';
import { DateTime } from '../components/DateTime';
import { ErrorSummary } from '../components/ErrorSummary';
import type { SummaryItem } from '../components/ErrorSummary';
import { Field } from '../components/Field';
import { Form, SubmitButton } from '../components/Form';
import { Page } from '../components/Page';
import { Status } from '../components/Status';
import {
  DISTRICT_ROLE_HINT,
  districtHref,
  districtRoleName,
  emailDomain,
  joinedVia,
  people,
  stateName,
} from '../districts';
import { creditApi, creditHref } from '../credit';
import { errorsFrom, sentence, useForm } from '../forms';
import type { Errors } from '../forms';
import { useFocusTarget } from '../hooks';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { describeTimeZone, viewerTimeZone } from '../time';

/** The problems a refused request names, one a line ("Line 3, email: …"), or its one sentence. */
function problemLines(err: unknown): SummaryItem[] {
  const lines = err instanceof ApiError ? (err.problem.errors ?? []) : [];
  if (lines.length === 0) return [{ message: describeError(err) }];
  return lines.map((l) => ({ message: l.field ? `${sentence(l.field)}: ${l.message}` : sentence(l.message) }));
}

// ---------------------------------------------------------------- about

function AddSchool({ district, onChanged, onSignedOut }: Props) {
  const [name, setName] = useState('');
  const [status, setStatus] = useState('');
  const form = useForm({ schools: 'school-new' });

  const submit = form.handleSubmit({
    onStart: () => setStatus(''),
    check: (): Errors => (name.trim() ? {} : { schools: 'Enter the school’s name' }),
    send: async () => {
      const school = name.trim();
      const known = district.schools.some((s) => s.name === school);
      onChanged(await api.updateDistrict(district.slug, { schools: [school] }));
      setName('');
      setStatus(known ? `${school} was already one of the district’s schools.` : `${school} added.`);
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      if (!(err instanceof ApiError) || !err.problem.errors?.length) return false;
      // The new school is the last of the list the server checked.
      const message = err.problem.errors.map((e) => e.message).join('; ');
      form.show({ schools: sentence(message) }, [{ message: `School name: ${message}`, fieldId: 'school-new' }]);
      return true;
    },
  });

  return (
    <Form summary={form.summary} summaryTitle="The school was not added" label="Add a school" onSubmit={submit}>
      <Field
        id="school-new"
        label="School name"
        value={name}
        onValue={setName}
        autoComplete="off"
        error={form.errors.schools}
        required
        maxLength={200}
      />
      <div class="actions">
        <SubmitButton busy={form.busy} busyLabel="Adding…">
          Add school
        </SubmitButton>
        <Status>{status}</Status>
      </div>
    </Form>
  );
}

function About({ district, onChanged, onSignedOut }: Props) {
  const role =
    district.my_role === null ? 'Site administrator (not a member of the district)' : districtRoleName(district.my_role);
  return (
    <section class="card" aria-labelledby="about-heading">
      <h2 id="about-heading">About the district</h2>
      <dl class="facts">
        <div>
          <dt>Your role</dt>
          <dd>{role}</dd>
        </div>
        <div>
          <dt>State or territory</dt>
          <dd>{stateName(district.state) || 'None'}</dd>
        </div>
        <div>
          <dt>Time zone</dt>
          <dd>{describeTimeZone(district.time_zone)}</dd>
        </div>
        <div>
          <dt>On Staffroom since</dt>
          <dd>
            <DateTime iso={district.created_at} />
          </dd>
        </div>
      </dl>
      <h3 id="schools-heading">Schools</h3>
      {district.schools.length === 0 ? (
        <p>No schools yet.</p>
      ) : (
        <ul aria-labelledby="schools-heading">
          {district.schools.map((s) => (
            <li key={s.id}>{s.name}</li>
          ))}
        </ul>
      )}
      {district.can_manage ? <AddSchool district={district} onChanged={onChanged} onSignedOut={onSignedOut} /> : null}
    </section>
  );
}

type Props = { district: District; onChanged: (d: District) => void; onSignedOut: () => void };

// ---------------------------------------------------------------- credit

function Credit({ district }: { district: District }) {
  const slug = district.slug;
  const member = district.my_role !== null;
  return (
    <section class="card" aria-labelledby="credit-heading">
      <h2 id="credit-heading">Credit</h2>
      <p>
        Turn your online learning into credit the district accepts: log it on <Link href="/learning">My learning</Link>,
        then claim it under the district’s policy.
      </p>
      <ul class="link-list">
        {member ? (
          <>
            <li>
              <Link href={creditHref.claimNew(slug)}>Claim credit</Link>
            </li>
            <li>
              <Link href={creditHref.myClaims(slug)}>My claims</Link>
            </li>
            <li>
              <Link href={creditHref.transcript(slug)}>My transcript</Link>
            </li>
          </>
        ) : null}
        <li>
          <Link href={creditHref.policy(slug)}>{district.can_manage ? 'Write the credit policy' : 'The credit policy'}</Link>
        </li>
        {district.can_decide ? (
          <>
            <li>
              <Link href={creditHref.queue(slug)}>Claims to decide</Link>
            </li>
            <li>
              <Link href={creditHref.reports(slug)}>Credit reports</Link>
            </li>
          </>
        ) : null}
      </ul>
    </section>
  );
}

// ---------------------------------------------------------------- join code

function JoinCode({ district, onChanged, onSignedOut }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const focus = useFocusTarget();

  const replace = async () => {
    setStatus('');
    setError('');
    try {
      const d = await api.rotateJoinCode(district.slug);
      onChanged(d);
      setConfirming(false);
      setStatus(`The join code is now ${d.join_code ?? ''}. The old code no longer works.`);
      focus('district-join-code');
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setConfirming(false);
      setError(describeError(err));
      focus('replace-join-code');
    }
  };

  return (
    <section class="card" aria-labelledby="join-code-section-heading">
      <h2 id="join-code-section-heading">Join code</h2>
      <p id="join-code-explained">
        Give this code to the district’s educators: they enter it on their Districts page to join as educators. Replace
        it if it reached people it should not have; the old code then stops working, and members stay members.
      </p>
      <CopyValue
        id="district-join-code"
        label="Join code"
        value={district.join_code ?? ''}
        describedBy="join-code-explained"
        onCopied={setStatus}
      />
      <Status>{status}</Status>
      {error ? <ErrorSummary title="The code was not replaced" items={[{ message: error }]} /> : null}
      {confirming ? (
        <Confirm
          id="replace-join-code-question"
          question={`Replace the join code ${district.join_code ?? ''}? It stops working at once; people who have not joined yet will need the new code.`}
          yes="Yes, replace the code"
          onYes={() => void replace()}
          onCancel={() => {
            setConfirming(false);
            focus('replace-join-code');
          }}
        />
      ) : (
        <button
          type="button"
          id="replace-join-code"
          class="button button-secondary"
          onClick={() => {
            setStatus('');
            setConfirming(true);
          }}
        >
          Replace code
        </button>
      )}
    </section>
  );
}

// ---------------------------------------------------------------- domains

function Domains({ district, user, onChanged, onSignedOut }: Props & { user: User }) {
  const mine = emailDomain(user.email);
  const [domain, setDomain] = useState(district.domains.includes(mine) ? '' : mine);
  const [confirming, setConfirming] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<{ domain: string; message: string } | null>(null);
  const [status, setStatus] = useState('');
  const form = useForm({ domain: 'domain-new' });
  const focus = useFocusTarget();

  const add = form.handleSubmit({
    onStart: () => setStatus(''),
    check: (): Errors => (domain.trim() ? {} : { domain: 'Enter a domain, such as springfield.k12.oh.us' }),
    send: async () => {
      const d = await api.addDistrictDomain(district.slug, domain.trim());
      onChanged(d);
      setStatus(`People with a confirmed address at ${domain.trim().replace(/^@/, '').toLowerCase()} can now join.`);
      setDomain('');
    },
    onError: (err) => {
      if (signedOut(err, onSignedOut)) return true;
      // Not the person's own domain, or another district's: the server's words, by the field.
      if (err instanceof ApiError && (err.status === 403 || err.status === 409)) {
        const message = describeError(err);
        form.show({ domain: message }, [{ message, fieldId: 'domain-new' }]);
        return true;
      }
      const { fieldErrors, summary } = errorsFrom(err, { domain: 'domain-new' }, { domain: 'Domain' });
      form.show(fieldErrors, summary);
      return true;
    },
  });

  const remove = async (name: string) => {
    setStatus('');
    setRemoveError(null);
    try {
      await api.removeDistrictDomain(district.slug, name);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      if (!(err instanceof ApiError && err.status === 404)) {
        setConfirming(null);
        setRemoveError({ domain: name, message: describeError(err) });
        focus(`remove-domain-${name}`);
        return;
      }
    }
    setConfirming(null);
    onChanged({ ...district, domains: district.domains.filter((d) => d !== name) });
    setStatus(`${name} removed. Its addresses can no longer join without the code; members stay members.`);
    focus('domains-heading');
  };

  return (
    <section class="card" aria-labelledby="domains-heading">
      <h2 id="domains-heading" tabIndex={-1}>
        Email domains
      </h2>
      <p>
        People whose <strong>confirmed</strong> email address is at one of these domains can join the district with one
        button, without the code. You can add only the domain of your own confirmed address
        {mine ? ` (yours is ${mine})` : ''}: that shows the domain is the district’s. Public mail services such as
        gmail.com cannot be added, and a domain belongs to one district only.
      </p>
      <Status>{status}</Status>
      {district.domains.length === 0 ? (
        <p>No domains yet: people join with the code or from the roster.</p>
      ) : (
        <ul class="members" aria-label="Domains">
          {district.domains.map((d) => (
            <li key={d} class="member">
              <p class="member-name mono">{d}</p>
              {confirming === d ? (
                <Confirm
                  id={`remove-domain-${d}-question`}
                  question={`Stop people at ${d} joining without the code? Members who joined already stay.`}
                  yes="Yes, remove"
                  onYes={() => void remove(d)}
                  onCancel={() => {
                    setConfirming(null);
                    focus(`remove-domain-${d}`);
                  }}
                />
              ) : (
                <button
                  type="button"
                  id={`remove-domain-${d}`}
                  class="button button-secondary"
                  onClick={() => {
                    setStatus('');
                    setRemoveError(null);
                    setConfirming(d);
                  }}
                >
                  Remove<span class="visually-hidden"> {d}</span>
                </button>
              )}
              {removeError && removeError.domain === d ? (
                <div class="member-error">
                  <ErrorSummary title={`${d} was not removed`} items={[{ message: removeError.message }]} />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <Form summary={form.summary} summaryTitle="The domain was not added" label="Add a domain" onSubmit={add}>
        <Field
          id="domain-new"
          label="Domain"
          hint="The part of your colleagues’ addresses after the @, for example springfield.k12.oh.us."
          value={domain}
          onValue={setDomain}
          autoComplete="off"
          error={form.errors.domain}
          required
          maxLength={253}
        />
        <SubmitButton busy={form.busy} busyLabel="Adding…">
          Add domain
        </SubmitButton>
      </Form>
    </section>
  );
}

// ---------------------------------------------------------------- members

const PAGE_SIZE = 20;

type Edit = { role: DistrictRole; school: string; cycle: string };

function MemberRow({
  member,
  district,
  accountId,
  you,
  edit,
  onEdit,
  confirming,
  error,
  onSave,
  onAsk,
  onCancel,
  onRemove,
}: {
  member: DistrictMember;
  district: District;
  /** The member's account id, when known: their transcript is asked for by it. */
  accountId: number | null;
  you: boolean;
  edit: Edit;
  onEdit: (e: Edit) => void;
  confirming: boolean;
  error: string | null;
  onSave: () => void;
  onAsk: () => void;
  onCancel: () => void;
  onRemove: () => void;
}) {
  const manage = district.can_manage;
  const id = `member-${member.id}`;
  const schools = district.schools.map((s) => s.name);
  if (member.school && !schools.includes(member.school)) schools.push(member.school);
  const columns = manage ? 7 : 6;
  return (
    <>
      <tr>
        <th scope="row" id={`${id}-name`}>
          {member.display_name}
          {you ? <span class="muted"> (you)</span> : null}
          {member.has_account ? null : (
            <>
              <br />
              <span class="muted">No account yet</span>
            </>
          )}
          {accountId !== null ? (
            <>
              <br />
              <Link href={creditHref.transcript(district.slug, accountId)}>
                Transcript<span class="visually-hidden"> of {member.display_name}</span>
              </Link>
            </>
          ) : null}
        </th>
        <td>{member.email}</td>
        <td>
          {manage ? (
            <>
              <label class="visually-hidden" for={`${id}-school`}>
                School of {member.display_name}
              </label>
              <select id={`${id}-school`} value={edit.school} onInput={(e) => onEdit({ ...edit, school: e.currentTarget.value })}>
                <option value="">No school</option>
                {schools.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </>
          ) : (
            member.school || <span class="muted">None</span>
          )}
        </td>
        <td>
          {manage ? (
            <>
              <label class="visually-hidden" for={`${id}-role`}>
                Role of {member.display_name}
              </label>
              <select
                id={`${id}-role`}
                value={edit.role}
                onInput={(e) => onEdit({ ...edit, role: e.currentTarget.value as DistrictRole })}
              >
                {DISTRICT_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {districtRoleName(r)}
                  </option>
                ))}
              </select>
            </>
          ) : (
            districtRoleName(member.role)
          )}
        </td>
        <td>
          {manage ? (
            <>
              <label class="visually-hidden" for={`${id}-cycle`}>
                Renewal cycle start of {member.display_name} (empty: the policy’s)
              </label>
              <input
                id={`${id}-cycle`}
                type="date"
                value={edit.cycle}
                onInput={(e) => onEdit({ ...edit, cycle: e.currentTarget.value })}
              />
            </>
          ) : (
            member.cycle_starts_on ?? <span class="muted">The policy’s</span>
          )}
        </td>
        <td>
          <DateTime iso={member.joined_at} />
          <br />
          <span class="muted">{joinedVia(member.joined_via)}</span>
        </td>
        {manage ? (
          <td>
            <div class="actions">
              <button type="button" id={`${id}-save`} class="button" onClick={onSave}>
                Save<span class="visually-hidden"> changes to {member.display_name}</span>
              </button>
              {confirming ? null : (
                <button type="button" id={`${id}-remove`} class="button button-secondary" onClick={onAsk}>
                  Remove<span class="visually-hidden"> {member.display_name}</span>
                </button>
              )}
            </div>
          </td>
        ) : null}
      </tr>
      {confirming ? (
        <tr>
          <td colSpan={columns}>
            <Confirm
              id={`${id}-question`}
              question={
                you
                  ? `Leave ${district.name}? You will lose your role in it.`
                  : `Remove ${member.display_name} (${member.email}) from ${district.name}? They lose their role in it.`
              }
              yes="Yes, remove"
              onYes={onRemove}
              onCancel={onCancel}
            />
          </td>
        </tr>
      ) : null}
      {error ? (
        <tr>
          <td colSpan={columns}>
            <ErrorSummary title={`${member.display_name} was not changed`} items={[{ message: error }]} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

function Members({
  district,
  user,
  version,
  onMineChanged,
  onSignedOut,
}: {
  district: District;
  user: User;
  /** Changes when the members changed elsewhere (a roster import). */
  version: number;
  /** The person changed or removed their own membership: their rights may have changed. */
  onMineChanged: () => void;
  onSignedOut: () => void;
}) {
  const slug = district.slug;
  const [q, setQ] = useState('');
  const [role, setRole] = useState('');
  const [applied, setApplied] = useState({ q: '', role: '' });
  // The cursor of each page up to the one shown (null: the first page).
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<ListPage<DistrictMember> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [edits, setEdits] = useState<Record<number, Edit>>({});
  const [confirmId, setConfirmId] = useState<number | null>(null);
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);
  const [status, setStatus] = useState('');
  const [accounts, setAccounts] = useState<Map<string, number>>(new Map());
  const focus = useFocusTarget();

  // Transcripts are asked for by account id, which the members list does not carry: the
  // claims of the district name the account of everyone who has claimed credit.
  useEffect(() => {
    const found = new Map<string, number>();
    const read = async (cursor: string | null, pages: number): Promise<void> => {
      const page = await creditApi.claims(slug, { status: 'all', limit: 100, cursor });
      for (const k of page.items) found.set(k.educator.email.toLowerCase(), k.educator.id);
      if (page.next && pages < 50) await read(page.next, pages + 1);
    };
    read(null, 1)
      .then(() => setAccounts(found))
      .catch(() => setAccounts(found));
  }, [slug, version]);

  const load = async () => {
    try {
      const answer = await api.listDistrictMembers(slug, {
        q: applied.q || undefined,
        role: applied.role || undefined,
        limit: PAGE_SIZE,
        cursor: cursors[cursors.length - 1] ?? null,
      });
      setPage(answer);
      setEdits({});
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    void load();
  }, [slug, applied, cursors, version]);

  const search = (e: Event) => {
    e.preventDefault();
    setStatus('');
    setApplied({ q: q.trim(), role });
    setCursors([null]);
  };

  const editOf = (m: DistrictMember): Edit =>
    edits[m.id] ?? { role: m.role, school: m.school, cycle: m.cycle_starts_on ?? '' };

  const save = async (m: DistrictMember) => {
    setStatus('');
    setRowError(null);
    const edit = editOf(m);
    const changes: MemberChanges = {};
    if (edit.role !== m.role) changes.role = edit.role;
    if (edit.school !== m.school) changes.school = edit.school;
    if (edit.cycle !== (m.cycle_starts_on ?? '')) changes.cycle_starts_on = edit.cycle;
    if (Object.keys(changes).length === 0) {
      setStatus(`Nothing to save for ${m.display_name}: choose another role, school or cycle start first.`);
      return;
    }
    try {
      const updated = await api.updateDistrictMember(slug, m.id, changes);
      setPage((old) => old && { ...old, items: old.items.map((x) => (x.id === m.id ? updated : x)) });
      setEdits((old) => {
        const { [m.id]: _done, ...rest } = old;
        void _done;
        return rest;
      });
      setStatus(
        `Saved: ${updated.display_name} is ${districtRoleName(updated.role).toLowerCase()}, ${
          updated.school ? `at ${updated.school}` : 'with no school'
        }, renewal cycle from ${updated.cycle_starts_on ?? 'the policy’s start'}.`,
      );
      if (updated.email === user.email.toLowerCase() && changes.role) onMineChanged();
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      // For example the district's last administrator stepping down.
      setRowError({ id: m.id, message: describeError(err) });
      focus(`member-${m.id}-save`);
    }
  };

  const remove = async (m: DistrictMember) => {
    setStatus('');
    setRowError(null);
    const you = m.email === user.email.toLowerCase();
    try {
      await api.removeDistrictMember(slug, m.id);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      setConfirmId(null);
      if (!(err instanceof ApiError && err.status === 404)) {
        setRowError({ id: m.id, message: describeError(err) });
        focus(`member-${m.id}-remove`);
        return;
      }
    }
    setConfirmId(null);
    if (you) {
      onMineChanged();
      return;
    }
    setStatus(`${m.display_name} is no longer a member of ${district.name}.`);
    focus('members-heading');
    void load();
  };

  const pageNumber = cursors.length;
  const hasPrevious = pageNumber > 1;
  const hasNext = Boolean(page?.next);
  const filtered = applied.q || applied.role;
  const items = page?.items ?? [];
  const first = (pageNumber - 1) * PAGE_SIZE + 1;

  return (
    <section class="card" aria-labelledby="members-heading">
      <h2 id="members-heading" tabIndex={-1}>
        Members
      </h2>
      <p>
        {district.can_manage
          ? 'Change a member’s role or school, then save that row. ' + DISTRICT_ROLE_HINT
          : 'As an approver you can see the district’s members; its administrators change them.'}
      </p>
      <p class="muted">Times are shown in your time zone ({viewerTimeZone()}).</p>
      <form class="catalog-search" role="search" aria-label="Members" onSubmit={search} noValidate>
        <div class="search-row">
          <Field
            id="member-q"
            label="Name or email address"
            type="search"
            value={q}
            onValue={setQ}
            autoComplete="off"
            maxLength={200}
          />
          <Field
            id="member-role"
            label="Role"
            type="select"
            options={[
              { value: '', label: 'All roles' },
              { value: 'educator', label: 'Educators' },
              { value: 'approver', label: 'Approvers' },
              { value: 'admin', label: 'Administrators' },
            ]}
            value={role}
            onValue={setRole}
          />
          <button type="submit" class="button search-button">
            Search
          </button>
        </div>
      </form>
      <Status>{status}</Status>
      {loadError ? (
        <p class="error-message">Could not load the members. {loadError}</p>
      ) : page === null ? (
        <p>Loading the members…</p>
      ) : items.length === 0 ? (
        <p>{filtered ? 'Nobody matches this search.' : 'The district has no members on this page.'}</p>
      ) : (
        <div class="table-wrap">
          <table class={district.can_manage ? 'data members-editable' : 'data'}>
            <caption>
              {filtered ? 'Members matching your search' : 'Members'}, {first}–{first + items.length - 1}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email address</th>
                <th scope="col">School</th>
                <th scope="col">Role</th>
                <th scope="col">Renewal cycle from</th>
                <th scope="col">Joined</th>
                {district.can_manage ? <th scope="col">Changes</th> : null}
              </tr>
            </thead>
            <tbody>
              {items.map((m) => (
                <MemberRow
                  key={m.id}
                  member={m}
                  district={district}
                  accountId={
                    m.user_id ??
                    accounts.get(m.email.toLowerCase()) ??
                    (m.email === user.email.toLowerCase() ? user.id : null)
                  }
                  you={m.email === user.email.toLowerCase()}
                  edit={editOf(m)}
                  onEdit={(e) => setEdits((old) => ({ ...old, [m.id]: e }))}
                  confirming={confirmId === m.id}
                  error={rowError && rowError.id === m.id ? rowError.message : null}
                  onSave={() => void save(m)}
                  onAsk={() => {
                    setStatus('');
                    setRowError(null);
                    setConfirmId(m.id);
                  }}
                  onCancel={() => {
                    setConfirmId(null);
                    focus(`member-${m.id}-remove`);
                  }}
                  onRemove={() => void remove(m)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasPrevious || hasNext ? (
        <nav aria-label="Pages of members" class="actions">
          <button
            type="button"
            class="button button-secondary"
            aria-disabled={hasPrevious ? undefined : 'true'}
            onClick={() => {
              if (hasPrevious) setCursors((old) => old.slice(0, -1));
            }}
          >
            Previous page
          </button>
          <span>Page {pageNumber}</span>
          <button
            type="button"
            class="button button-secondary"
            aria-disabled={hasNext ? undefined : 'true'}
            onClick={() => {
              if (page?.next) setCursors((old) => [...old, page.next]);
            }}
          >
            Next page
          </button>
        </nav>
      ) : null}
    </section>
  );
}

// ---------------------------------------------------------------- roster

function reportSentence(r: RosterReport): string {
  const parts = [`${people(r.added)} added`, `${people(r.updated)} updated`, `${people(r.unchanged)} unchanged`];
  const schools = r.new_schools.length > 0 ? ` New schools: ${r.new_schools.join(', ')}.` : '';
  return `${parts.join(', ')}.${schools}`;
}

function Roster({
  district,
  onImported,
  onSignedOut,
}: {
  district: District;
  onImported: () => void;
  onSignedOut: () => void;
}) {
  const [preview, setPreview] = useState<{ csv: string; report: RosterReport } | null>(null);
  const [importErrors, setImportErrors] = useState<SummaryItem[]>([]);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');
  const focus = useFocusTarget();

  const doImport = async () => {
    if (!preview || busy) return;
    setBusy(true);
    setImportErrors([]);
    try {
      const report = await api.importRoster(district.slug, preview.csv, false);
      setPreview(null);
      setStatus(`Roster imported: ${reportSentence(report)}`);
      onImported();
      focus('roster-heading');
    } catch (err) {
      if (!signedOut(err, onSignedOut)) setImportErrors(problemLines(err));
    } finally {
      setBusy(false);
    }
  };

  const r = preview?.report;
  return (
    <section class="card" aria-labelledby="roster-heading">
      <h2 id="roster-heading" tabIndex={-1}>
        Roster
      </h2>
      <p>
        Add or update many people at once from a CSV file whose first line names the columns: <code>email</code> and{' '}
        <code>name</code>, and if you like <code>school</code> and <code>role</code> (educator, approver or admin;
        educator when empty). New schools are added to the district. People without an account get their place, and
        their role, once they sign up and confirm that address. If any line has a problem, nothing is imported.
      </p>
      <p>
        <a href={rosterDownloadPath(district.slug)} download={`${district.slug}-roster.csv`}>
          Download the roster (CSV)
        </a>{' '}
        <span class="muted">in the same format, to edit and import again.</span>
      </p>
      <CsvUpload
        id="roster-file"
        label="Roster file"
        hint="A CSV file in UTF-8, at most 50,000 people. You see what would change before anything is imported."
        buttonLabel="Preview import"
        busyLabel="Checking the file…"
        problemTitle="The file has problems; nothing was imported"
        onUpload={async (csv) => {
          setPreview(null);
          setStatus('');
          setImportErrors([]);
          const report = await api.importRoster(district.slug, csv, true);
          setPreview({ csv, report });
          focus('roster-preview-heading');
          return '';
        }}
        onSignedOut={onSignedOut}
      />
      {preview && r ? (
        <section class="notice" aria-labelledby="roster-preview-heading">
          <h3 id="roster-preview-heading" tabIndex={-1}>
            Preview of the import
          </h3>
          <p>Nothing has changed yet. Importing this file will:</p>
          <ul>
            <li>add {people(r.added)}</li>
            <li>update {people(r.updated)}</li>
            <li>leave {people(r.unchanged)} as they are</li>
            <li>
              {r.new_schools.length === 0
                ? 'add no schools'
                : `add ${r.new_schools.length === 1 ? 'the school' : `${r.new_schools.length} schools`}: ${r.new_schools.join(', ')}`}
            </li>
          </ul>
          <ErrorSummary title="The roster was not imported" items={importErrors} />
          <div class="actions">
            <button type="button" class="button" onClick={() => void doImport()} aria-disabled={busy ? 'true' : undefined}>
              {busy ? 'Importing…' : 'Import'}
            </button>
            <button
              type="button"
              class="button button-secondary"
              onClick={() => {
                setPreview(null);
                setImportErrors([]);
                focus('roster-file');
              }}
            >
              Cancel
            </button>
          </div>
        </section>
      ) : null}
      <Status>{status}</Status>
    </section>
  );
}

// ---------------------------------------------------------------- page

export function DistrictPage({ slug }: { slug: string }) {
  const { user, setUser } = useSession();
  const [district, setDistrict] = useState<District | null | undefined>(undefined);
  const [denied, setDenied] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const onSignedOut = () => setUser(null);

  useEffect(() => {
    if (user === null) navigate(`/signin?next=${encodeURIComponent(districtHref(slug))}`, { replace: true });
  }, [user]);

  const load = async () => {
    try {
      setDistrict(await api.getDistrict(slug));
      setDenied(null);
      setLoadError(null);
    } catch (err) {
      if (signedOut(err, onSignedOut)) return;
      if (err instanceof ApiError && err.status === 404) setDistrict(null);
      else if (err instanceof ApiError && err.status === 403) {
        setDistrict(undefined);
        setDenied(describeError(err));
      } else setLoadError(describeError(err));
    }
  };

  useEffect(() => {
    if (user) void load();
  }, [slug, user?.id]);

  if (!user) return null;

  const title = district ? district.name : district === null ? 'District not found' : 'District';
  return (
    <Page title={title}>
      <p>
        <Link href="/districts">All your districts</Link>
      </p>
      {district ? (
        <div class="cards">
          <About district={district} onChanged={setDistrict} onSignedOut={onSignedOut} />
          <Credit district={district} />
          {district.can_manage ? (
            <>
              <JoinCode district={district} onChanged={setDistrict} onSignedOut={onSignedOut} />
              <Domains district={district} user={user} onChanged={setDistrict} onSignedOut={onSignedOut} />
            </>
          ) : null}
          {district.can_decide ? (
            <Members
              district={district}
              user={user}
              version={version}
              onMineChanged={() => void load()}
              onSignedOut={onSignedOut}
            />
          ) : null}
          {district.can_manage ? (
            <Roster
              district={district}
              onImported={() => {
                setVersion((v) => v + 1);
                void load();
              }}
              onSignedOut={onSignedOut}
            />
          ) : null}
        </div>
      ) : district === null ? (
        <p>There is no district called “{slug}”.</p>
      ) : denied ? (
        <div class="notice notice-warning">
          <p>{denied}.</p>
          <p>
            If you work there, join it on <Link href="/districts">your Districts page</Link> with the code your district
            gives you.
          </p>
        </div>
      ) : loadError ? (
        <p class="notice notice-error">Could not load the district. {loadError}</p>
      ) : (
        <p role="status">Loading the district…</p>
      )}
    </Page>
  );
}
