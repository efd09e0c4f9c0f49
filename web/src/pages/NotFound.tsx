import { Page } from '../components/Page';
import { Link } from '../router';

export function NotFound({ path }: { path: string }) {
  return (
    <Page title="Page not found">
      <p>
        There is no page at <code>{path}</code>. If you typed the address, check it is correct.
      </p>
      <p>
        <Link href="/">Go to the Staffroom home page</Link>
      </p>
    </Page>
  );
}
