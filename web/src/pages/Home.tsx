import { Page } from '../components/Page';
import { Link } from '../router';
import { useSession } from '../session';

export function Home() {
  const { user } = useSession();
  return (
    <Page title={user ? `Welcome back, ${user.display_name}` : 'Professional learning that counts'} documentTitle="Staffroom">
      <p class="lead">
        Staffroom is an open platform for campaigns of online professional learning for educators. Partner
        organizations offer activities, and your participation becomes evidence that districts can turn into credit.
        What you achieve becomes a verifiable credential that you own.
      </p>
      {user ? (
        <p>
          <Link href="/account" class="button">
            Go to your account
          </Link>
        </p>
      ) : (
        <p class="cta">
          <Link href="/signup" class="button">
            Create an account
          </Link>
          <Link href="/signin" class="button button-secondary">
            Sign in
          </Link>
        </p>
      )}
      <section aria-labelledby="how-heading">
        <h2 id="how-heading">How it works</h2>
        <ol class="steps">
          <li>
            <strong>Join a campaign.</strong> Partner organizations run activities: courses, workshops and
            communities of practice.
          </li>
          <li>
            <strong>Take part.</strong> Your participation is recorded as evidence of your learning.
          </li>
          <li>
            <strong>Earn credit.</strong> Your district turns that evidence into professional credit.
          </li>
          <li>
            <strong>Keep your credentials.</strong> Achievements are issued as verifiable credentials you can share.
          </li>
        </ol>
      </section>
    </Page>
  );
}
