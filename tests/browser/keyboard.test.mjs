// The app can be used with the keyboard alone.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertNoPageErrors,
  focused,
  open,
  strongPassword,
  uniqueEmail,
  useEnvironment,
} from './support.mjs';

const env = useEnvironment();

/** Presses Tab until the focused element matches, at most `max` times. */
async function tabTo(page, predicate, max = 25) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (predicate(f)) return f;
  }
  throw new Error(`nothing matching was reached with ${max} presses of Tab; focus is on ${JSON.stringify(await focused(page))}`);
}

test('the skip link is the first stop and moves focus to the main content', async () => {
  const page = await env.newPage();
  await open(page, '/signin');

  await page.keyboard.press('Tab');
  const first = await focused(page);
  assert.equal(first.tag, 'a');
  assert.equal(first.text, 'Skip to main content');
  const box = await page.getByRole('link', { name: 'Skip to main content' }).boundingBox();
  assert.ok(box && box.y >= 0 && box.height > 0, 'the skip link is visible when focused');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none', 'the focused skip link shows a focus outline');

  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).id, 'main');

  // The next Tab lands inside the main content, past the header navigation.
  await page.keyboard.press('Tab');
  const next = await page.evaluate(() => !!document.activeElement?.closest('main'));
  assert.ok(next, `after the skip link, Tab goes into main; focus is on ${JSON.stringify(await focused(page))}`);
  assertNoPageErrors(page);
  await page.context().close();
});

test('the sign-in form is filled and submitted with Tab, typing and Enter only', async () => {
  const person = { displayName: 'Dorothy Vaughan', email: uniqueEmail('dorothy'), password: strongPassword() };
  await env.signUpSeparately(person);

  const page = await env.newPage();
  await open(page, '/');

  // Reach "Sign in" in the navigation and follow it.
  await tabTo(page, (f) => f.tag === 'a' && f.text === 'Sign in');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/signin');
  // Focus moved to the new page's heading.
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  assert.equal((await focused(page)).text, 'Sign in');
  assert.equal(await page.title(), 'Sign in · Staffroom');

  await tabTo(page, (f) => f.id === 'email');
  await page.keyboard.type(person.email);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).id, 'password');
  await page.keyboard.type(person.password);
  await page.keyboard.press('Enter');

  await page.waitForURL('**/account');
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  assert.equal(await page.getByLabel('Display name').inputValue(), person.displayName);

  // Every stop on the way shows a visible focus indicator.
  const missing = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]):not([hidden])')) {
      el.focus({ focusVisible: true });
      if (document.activeElement !== el) continue;
      const s = getComputedStyle(el);
      if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) out.push(el.outerHTML.slice(0, 80));
    }
    return out;
  });
  assert.deepEqual(missing, [], 'elements without a focus outline');
  assertNoPageErrors(page);
  await page.context().close();
});
