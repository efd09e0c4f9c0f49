import { useState } from 'preact/hooks';
import type { JSX, TargetedMouseEvent } from 'preact';
import { api } from './api';
import { AcceptInvitation } from './pages/AcceptInvitation';
import { Account } from './pages/Account';
import { AchievementPage } from './pages/Achievement';
import { AchievementEdit } from './pages/AchievementEdit';
import { Achievements } from './pages/Achievements';
import { ActivityPage } from './pages/Activity';
import { Attest } from './pages/Attest';
import { Backpack } from './pages/Backpack';
import { CampaignPage } from './pages/Campaign';
import { Campaigns } from './pages/Campaigns';
import { Catalog } from './pages/Catalog';
import { CheckIn } from './pages/CheckIn';
import { ClaimCredit } from './pages/ClaimCredit';
import { ClaimDetail } from './pages/ClaimDetail';
import { ClaimsQueue } from './pages/ClaimsQueue';
import { CreditPolicy } from './pages/CreditPolicy';
import { CreditReports } from './pages/CreditReports';
import { Credential } from './pages/Credential';
import { DistrictPage } from './pages/District';
import { Districts } from './pages/Districts';
import { Home } from './pages/Home';
import { MyClaims } from './pages/MyClaims';
import { MyLearning } from './pages/MyLearning';
import { NewActivity } from './pages/NewActivity';
import { NotFound } from './pages/NotFound';
import { OrganizationPage } from './pages/Organization';
import { PersonPage } from './pages/Person';
import { ResetPassword } from './pages/ResetPassword';
import { Review } from './pages/Review';
import { Schedule } from './pages/Schedule';
import { SignIn } from './pages/SignIn';
import { SignUp } from './pages/SignUp';
import { Transcript } from './pages/Transcript';
import { Verify } from './pages/Verify';
import { VerifyEmail } from './pages/VerifyEmail';
import { Link, navigate, useLocation } from './router';
import type { Location } from './router';
import { useSession } from './session';

function NavLink({ href, current, children }: { href: string; current: string; children: string }) {
  return (
    <Link href={href} aria-current={current === href ? 'page' : undefined}>
      {children}
    </Link>
  );
}

function SignOutButton() {
  const { setUser } = useSession();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await api.signOut();
    } catch {
      // Whatever the server says, this browser no longer shows the account.
    }
    setBusy(false);
    navigate('/');
    setUser(null);
  };
  return (
    <button type="button" class="link-button" onClick={signOut} aria-disabled={busy ? 'true' : undefined}>
      Sign out
    </button>
  );
}

function Header({ path }: { path: string }) {
  const { user } = useSession();
  return (
    <header class="site-header">
      <div class="wrap header-row">
        <Link href="/" class="brand">
          Staffroom
        </Link>
        <nav aria-label="Main">
          <ul>
            <li>
              <NavLink href="/" current={path}>
                Home
              </NavLink>
            </li>
            <li>
              <NavLink href="/campaigns" current={path}>
                Campaigns
              </NavLink>
            </li>
            <li>
              <NavLink href="/achievements" current={path}>
                Achievements
              </NavLink>
            </li>
            <li>
              <NavLink href="/verify" current={path}>
                Verify
              </NavLink>
            </li>
            {user === undefined ? null : user ? (
              <>
                <li>
                  <NavLink href="/schedule" current={path}>
                    My schedule
                  </NavLink>
                </li>
                <li>
                  <NavLink href="/learning" current={path}>
                    My learning
                  </NavLink>
                </li>
                <li>
                  <NavLink href="/backpack" current={path}>
                    My backpack
                  </NavLink>
                </li>
                <li>
                  <NavLink href="/districts" current={path}>
                    Districts
                  </NavLink>
                </li>
                <li>
                  <NavLink href="/account" current={path}>
                    Account
                  </NavLink>
                </li>
                <li>
                  <SignOutButton />
                </li>
              </>
            ) : (
              <>
                <li>
                  <NavLink href="/signin" current={path}>
                    Sign in
                  </NavLink>
                </li>
                <li>
                  <NavLink href="/signup" current={path}>
                    Sign up
                  </NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
      {user ? (
        <div class="wrap signed-in-as">
          Signed in as <strong>{user.display_name}</strong>
        </div>
      ) : null}
    </header>
  );
}

/** The decoded segments of a path, or null when one of them is not valid percent-encoding. */
function segments(path: string): string[] | null {
  try {
    return path
      .split('/')
      .slice(1)
      .map((p) => decodeURIComponent(p));
  } catch {
    return null;
  }
}

/** An activity id from the address: digits only. */
function activityId(value: string | undefined): number | null {
  return value && /^\d{1,15}$/.test(value) ? Number(value) : null;
}

/** The pages with parameters in their paths, such as /campaigns/:slug/activities. */
function routeWithParams(path: string, search: string): JSX.Element | null {
  const parts = segments(path);
  if (!parts || parts.some((p) => !p)) return null;
  const [first, second, third, fourth] = parts;
  switch (first) {
    case 'campaigns':
      if (parts.length === 2 && second) return <CampaignPage slug={second} />;
      if (parts.length === 3 && second && third === 'activities') return <Catalog slug={second} search={search} />;
      if (parts.length === 3 && second && third === 'review') return <Review slug={second} />;
      return null;
    case 'activities': {
      const id = activityId(second);
      return parts.length === 2 && id !== null ? <ActivityPage id={id} /> : null;
    }
    case 'check-in': {
      const id = activityId(second);
      return parts.length === 2 && id !== null ? <CheckIn id={id} search={search} /> : null;
    }
    case 'organizations':
      if (parts.length === 2 && second) return <OrganizationPage slug={second} />;
      if (parts.length === 4 && second && third === 'activities' && fourth === 'new') return <NewActivity slug={second} />;
      return null;
    case 'people':
      return parts.length === 2 && second ? <PersonPage slug={second} /> : null;
    case 'achievements':
      if (!second) return null;
      if (parts.length === 2 && second === 'new') return <AchievementEdit search={search} />;
      if (parts.length === 2) return <AchievementPage slug={second} />;
      if (parts.length === 3 && third === 'edit') return <AchievementEdit slug={second} />;
      return null;
    case 'credentials':
      // The signed file (/credentials/{id}.jsonld) is the server's, not a page.
      return parts.length === 2 && second && !second.endsWith('.jsonld') ? <Credential id={second} /> : null;
    case 'districts':
      if (!second) return null;
      if (parts.length === 2) return <DistrictPage slug={second} />;
      if (parts.length === 3 && third === 'claims') return <ClaimsQueue slug={second} search={search} />;
      if (parts.length === 3 && third === 'my-claims') return <MyClaims slug={second} />;
      if (parts.length === 3 && third === 'policy') return <CreditPolicy slug={second} />;
      if (parts.length === 3 && third === 'transcript') return <Transcript slug={second} search={search} />;
      if (parts.length === 3 && third === 'reports') return <CreditReports slug={second} />;
      if (parts.length === 4 && third === 'claims' && fourth === 'new') return <ClaimCredit slug={second} />;
      if (parts.length === 4 && third === 'claims') {
        const id = activityId(fourth);
        return id !== null ? <ClaimDetail slug={second} id={id} /> : null;
      }
      return null;
    default:
      return null;
  }
}

function route(loc: Location): JSX.Element {
  const path = loc.pathname.length > 1 ? loc.pathname.replace(/\/+$/, '') : loc.pathname;
  switch (path) {
    case '/':
      return <Home />;
    case '/signup':
      return <SignUp search={loc.search} />;
    case '/signin':
      return <SignIn search={loc.search} />;
    case '/reset-password':
      return <ResetPassword search={loc.search} />;
    case '/verify-email':
      return <VerifyEmail search={loc.search} />;
    case '/invitations/accept':
      return <AcceptInvitation search={loc.search} />;
    case '/account':
      return <Account />;
    case '/campaigns':
      return <Campaigns />;
    case '/schedule':
      return <Schedule />;
    case '/districts':
      return <Districts />;
    case '/learning':
      return <MyLearning />;
    case '/attest':
      return <Attest search={loc.search} />;
    case '/verify':
      return <Verify search={loc.search} />;
    case '/backpack':
      return <Backpack />;
    case '/achievements':
      return <Achievements search={loc.search} />;
    default:
      return routeWithParams(path, loc.search) ?? <NotFound path={loc.pathname} />;
  }
}

export function App() {
  const loc = useLocation();
  const { user, loadError } = useSession();

  const skip = (e: TargetedMouseEvent<HTMLAnchorElement>) => {
    const main = document.getElementById('main');
    if (main) {
      e.preventDefault();
      main.focus();
      main.scrollIntoView();
    }
  };

  return (
    <>
      <a href="#main" class="skip-link" onClick={skip}>
        Skip to main content
      </a>
      <Header path={loc.pathname} />
      <main id="main" tabIndex={-1} class="wrap site-main">
        {loadError ? (
          <p class="notice notice-error" role="alert">
            {loadError}
          </p>
        ) : null}
        {user === undefined ? (
          <p class="loading" role="status">
            Loading…
          </p>
        ) : (
          <div key={loc.pathname + loc.search}>{route(loc)}</div>
        )}
      </main>
      <footer class="site-footer">
        <div class="wrap">
          <p>Staffroom · open professional learning for educators</p>
          <p>
            <a href="/api/v1/openapi.json">API description (OpenAPI)</a>
          </p>
        </div>
      </footer>
    </>
  );
}
