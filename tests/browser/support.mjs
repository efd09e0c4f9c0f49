// Shared helpers for the browser tests: a headless Chromium, a fresh server per file,
// axe-core checks and small page actions.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { assetsDir, startServer, strongPassword, uniqueEmail } from '../lib/server.mjs';

export { strongPassword, uniqueEmail };

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Generous per-action timeout: the machine may be busy building. */
export const ACTION_TIMEOUT_MS = 15_000;

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

/**
 * Starts a server with a fresh database and a browser. Call from before(); the returned
 * object's close() belongs in after().
 */
export async function startEnvironment() {
  if (!existsSync(path.join(assetsDir, 'index.html'))) {
    throw new Error(`The web app is not built (${assetsDir}/index.html is missing): run "npm run build:web" first.`);
  }
  const server = await startServer();
  let browser;
  try {
    browser = await launchBrowser();
  } catch (err) {
    await server.stop();
    throw err;
  }
  /**
   * A new, isolated browser context (own cookies) with one page. `bypassCSP` is only for
   * injecting test tools such as axe-core; the app itself must run under the server's
   * Content-Security-Policy.
   */
  async function newPage({ viewport = { width: 1100, height: 800 }, timezoneId = 'Europe/Paris', bypassCSP = false } = {}) {
    const context = await browser.newContext({
      baseURL: server.baseUrl,
      viewport,
      timezoneId,
      locale: 'en-US',
      bypassCSP,
    });
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
        problems.push(`CSP: ${msg.text()}`);
      }
    });
    page.problems = problems;
    return page;
  }
  const env = {
    server,
    browser,
    baseUrl: server.baseUrl,
    newPage,
    /** Signs a person up in a browser context of their own, closed again, so that other pages stay signed out. */
    async signUpSeparately(person) {
      const page = await newPage();
      await signUpInBrowser(page, person);
      await page.context().close();
    },
    async close() {
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
  return env;
}

/**
 * The environment for one test file: started before its tests and closed after them.
 * Call at the top level of the file; the returned object is filled in once before() has run.
 */
export function useEnvironment() {
  const env = {};
  before(async () => {
    Object.assign(env, await startEnvironment());
  });
  after(async () => {
    await env.close?.();
  });
  return env;
}

/** Opens a client path and waits until the app has rendered its page heading. */
export async function open(page, urlPath) {
  await page.goto(urlPath);
  await page.locator('main h1').first().waitFor();
}

/** Signs up through the form; resolves on the account page. */
export async function signUpInBrowser(page, { displayName, email, password }) {
  await open(page, '/signup');
  await page.getByLabel('Display name').fill(displayName);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/account');
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
}

/** Signs in through the form; resolves on the account page. */
export async function signInInBrowser(page, { email, password }) {
  await open(page, '/signin');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');
  await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
}

/** Runs axe-core on the current page; returns violations of serious or critical impact. */
export async function seriousViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: axePath });
  const results = await page.evaluate(async () => {
    const r = await window.axe.run(document, {
      resultTypes: ['violations'],
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable report of axe violations for an assertion message. */
export function formatViolations(label, violations) {
  const lines = [`${violations.length} serious or critical accessibility violation(s) on ${label}:`];
  for (const v of violations) {
    lines.push(`  [${v.impact}] ${v.id}: ${v.help}`);
    lines.push(`    ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 5)) {
      lines.push(`    at ${n.target}`);
      if (n.summary) lines.push(...n.summary.split('\n').map((l) => `      ${l}`));
    }
    if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more element(s)`);
  }
  return lines.join('\n');
}

export async function assertNoSeriousViolations(page, label) {
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, formatViolations(label, violations));
}

/** Description of the focused element, for assertions about keyboard focus. */
export function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { tag: 'body' };
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id || null,
      text: (el.textContent || '').trim().slice(0, 80),
      label: el.labels && el.labels[0] ? el.labels[0].textContent.trim() : null,
    };
  });
}

/** Fails when the page logged an uncaught error. */
export function assertNoPageErrors(page) {
  assert.deepEqual(page.problems, [], `the page had uncaught errors:\n${page.problems.join('\n')}`);
}
