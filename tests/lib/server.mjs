// Shared harness for the black-box test suites: starts a real `staffroom serve` process
// against a fresh database, runs the CLI, and offers a small cookie-keeping JSON client.
//
// Environment:
//   STAFFROOM_TEST_DB   'sqlite' (default) or a PostgreSQL admin URL such as
//                       postgresql://postgres@127.0.0.1:5433/postgres; each server then gets
//                       its own freshly created database, dropped when the server stops.
//   STAFFROOM_BIN       the server binary (default: <repo>/build/staffroom)
//   STAFFROOM_TEST_LOGS set to 1 to echo server output while tests run

import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serverBinary = process.env.STAFFROOM_BIN || path.join(repoRoot, 'build', 'staffroom');
export const assetsDir = path.join(repoRoot, 'web', 'dist');

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 15_000;

/** Which database the suite runs against: 'sqlite' or 'postgresql'. */
export function testDbKind(db = process.env.STAFFROOM_TEST_DB || 'sqlite') {
  return /^postgres(ql)?:\/\//.test(db) ? 'postgresql' : 'sqlite';
}

// Servers and databases still alive when the test process exits are cleaned up here.
const live = new Set();
process.once('exit', () => {
  for (const entry of live) {
    try { entry.child.kill('SIGKILL'); } catch { /* already gone */ }
    try { entry.cleanupSync(); } catch { /* best effort */ }
  }
});

function psql(adminUrl, sql) {
  const r = spawnSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-X', '-q', '-c', sql], {
    encoding: 'utf8',
  });
  if (r.error) throw new Error(`could not run psql: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`psql failed (${r.status}) for "${sql}": ${r.stderr}`);
  return r.stdout;
}

function databaseUrl(adminUrl, dbName) {
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  return u.toString();
}

/** Creates a fresh database for one server; returns { dbUrl, cleanupSync }. */
function prepareDatabase(db) {
  if (testDbKind(db) === 'postgresql') {
    const name = `sr_t_${randomBytes(6).toString('hex')}`;
    psql(db, `CREATE DATABASE ${name}`);
    return {
      dbUrl: databaseUrl(db, name),
      cleanupSync: () => psql(db, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    };
  }
  if (db !== 'sqlite') {
    // An explicit sqlite:... URL: use it as is and leave it alone afterwards.
    return { dbUrl: db, cleanupSync: () => {} };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'staffroom-test-'));
  return {
    dbUrl: `sqlite:${path.join(dir, 'staffroom.db')}`,
    cleanupSync: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * A fresh database of the suite's kind that outlives the servers started on it:
 * { dbUrl, drop() }.
 */
export function createDatabase(db = process.env.STAFFROOM_TEST_DB || 'sqlite') {
  const { dbUrl, cleanupSync } = prepareDatabase(db);
  return { dbUrl, drop: cleanupSync };
}

function splitLines(stream, onLine) {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      onLine(pending.slice(0, nl).replace(/\r$/, ''));
      pending = pending.slice(nl + 1);
    }
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
    pending = '';
  });
}

/**
 * Starts `staffroom serve` on an ephemeral port with a fresh database, or on `dbUrl`
 * exactly as given (kept afterwards: for tests that restart a server on the same data;
 * see `createDatabase`).
 * @param {{db?: string, dbUrl?: string, args?: string[], env?: Record<string,string>}} [options]
 */
export async function startServer({ db, dbUrl: givenUrl, args = [], env = {} } = {}) {
  db = db || process.env.STAFFROOM_TEST_DB || 'sqlite';
  const { dbUrl, cleanupSync } = givenUrl ? { dbUrl: givenUrl, cleanupSync: () => {} } : prepareDatabase(db);
  const argv = [
    'serve', '--listen', '127.0.0.1', '--port', '0', '--db', dbUrl, '--assets', assetsDir, ...args,
  ];
  const child = spawn(serverBinary, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entry = { child, cleanupSync };
  live.add(entry);

  const logs = [];
  const echo = process.env.STAFFROOM_TEST_LOGS === '1';
  let exitCode;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal;
      resolve(exitCode);
    });
  });
  let onListening;
  const listening = new Promise((resolve) => { onListening = resolve; });
  const onLine = (streamName) => (line) => {
    logs.push(`[${streamName}] ${line}`);
    if (echo) process.stderr.write(`  server ${streamName}: ${line}\n`);
    if (!line.startsWith('{')) return;
    try {
      const rec = JSON.parse(line);
      if (rec && rec.msg === 'listening' && Number.isInteger(rec.port)) onListening(rec.port);
    } catch { /* not JSON */ }
  };
  splitLines(child.stdout, onLine('stdout'));
  splitLines(child.stderr, onLine('stderr'));
  const spawnError = new Promise((_, reject) => child.once('error', reject));

  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    live.delete(entry);
    try {
      cleanupSync();
    } catch (err) {
      logs.push(`[harness] cleanup failed: ${err.message}`);
    }
  };

  let port;
  let timer;
  try {
    port = await Promise.race([
      listening,
      spawnError,
      exited.then((code) => {
        throw new Error(`server exited with ${code} before it was listening`);
      }),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`server did not log "listening" within ${START_TIMEOUT_MS} ms`)),
          START_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (err) {
    if (child.pid !== undefined) {
      child.kill('SIGKILL');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    }
    cleanup();
    err.message += `\n  command: ${serverBinary} ${argv.join(' ')}\n--- server output ---\n${logs.join('\n')}`;
    throw err;
  } finally {
    clearTimeout(timer);
  }

  const server = {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    dbUrl,
    db: testDbKind(db),
    process: child,
    logs,
    exited,
    /** Last `n` log lines as one string, for failure messages. */
    logTail(n = 60) {
      return logs.slice(-n).join('\n');
    },
    /** Parsed JSON log records. */
    records() {
      return logs
        .map((l) => l.replace(/^\[(stdout|stderr)\] /, ''))
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => { try { return [JSON.parse(l)]; } catch { return []; } });
    },
    kill(signal = 'SIGKILL') {
      if (exitCode === undefined) child.kill(signal);
    },
    /** Sends `signal` and resolves with the exit code (or the signal name if killed). */
    async stop(signal = 'SIGTERM') {
      if (exitCode === undefined) child.kill(signal);
      let t;
      const code = await Promise.race([
        exited,
        new Promise((resolve) => {
          t = setTimeout(() => {
            logs.push(`[harness] server did not exit within ${STOP_TIMEOUT_MS} ms; killing it`);
            child.kill('SIGKILL');
            resolve(exited.then(() => 'timeout'));
          }, STOP_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(t);
      cleanup();
      return code;
    },
  };
  return server;
}

/**
 * Runs the CLI: `staffroom <args>`. When `dbUrl` is given and `args` has no `--db`,
 * `--db <dbUrl>` is appended.
 */
export function runCli(args, { dbUrl, env = {}, input, timeoutMs = 30_000 } = {}) {
  const argv = [...args];
  if (dbUrl && !argv.includes('--db')) argv.push('--db', dbUrl);
  return new Promise((resolve, reject) => {
    const child = spawn(serverBinary, argv, {
      env: { ...process.env, ...env },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    if (input !== undefined) child.stdin.end(input);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => { clearTimeout(timer); reject(err); });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout, stderr });
    });
  });
}

let emailCounter = 0;
/** A fresh, unique, valid email address. */
export function uniqueEmail(prefix = 'user') {
  emailCounter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${emailCounter}-${randomBytes(3).toString('hex')}@example.org`;
}

/** Parses one Set-Cookie header value into { name, value, attrs } (attribute names lower-cased). */
export function parseSetCookie(header) {
  const [pair, ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  const attrs = {};
  for (const part of rest) {
    const i = part.indexOf('=');
    const key = (i < 0 ? part : part.slice(0, i)).trim().toLowerCase();
    if (!key) continue;
    attrs[key] = i < 0 ? true : part.slice(i + 1).trim();
  }
  return { name, value, attrs, raw: header };
}

function cookieExpired(c) {
  if (c.attrs['max-age'] !== undefined && Number(c.attrs['max-age']) <= 0) return true;
  if (typeof c.attrs.expires === 'string') {
    const t = Date.parse(c.attrs.expires);
    if (!Number.isNaN(t) && t <= Date.now()) return true;
  }
  return false;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A tiny JSON client for one user agent: keeps cookies, adds X-CSRF-Token from the sr_csrf
 * cookie on unsafe methods, and can use a bearer token instead.
 *
 * request(method, path, { json, body, headers, csrf, bearer, cookies })
 *   json     value sent as JSON with Content-Type: application/json
 *   body     raw body (string/Buffer); set the content type yourself in headers
 *   csrf     false: no CSRF header; a string: send that value instead of the cookie's
 *   bearer   a token for Authorization: Bearer (defaults to client.bearer)
 *   cookies  false: send no cookies this time
 * Answers { status, headers, body, text, setCookies }; body is parsed JSON when the answer
 * is JSON, else null.
 */
export function api(baseUrl) {
  const jar = new Map();
  const client = {
    baseUrl,
    jar,
    bearer: null,
    user: null,
    credentials: null,
    cookie(name) {
      return jar.get(name);
    },
    clearCookies() {
      jar.clear();
    },
    async request(method, urlPath, options = {}) {
      method = method.toUpperCase();
      const headers = { accept: 'application/json', ...(options.headers || {}) };
      let body;
      if (options.json !== undefined) {
        body = JSON.stringify(options.json);
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
          headers['content-type'] = 'application/json';
        }
      } else if (options.body !== undefined) {
        body = options.body;
      }
      if (options.cookies !== false && jar.size > 0) {
        headers.cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
      }
      if (UNSAFE.has(method) && options.csrf !== false) {
        const value = typeof options.csrf === 'string' ? options.csrf : jar.get('sr_csrf');
        if (value !== undefined) headers['x-csrf-token'] = value;
      }
      const bearer = options.bearer !== undefined ? options.bearer : client.bearer;
      if (bearer) headers.authorization = `Bearer ${bearer}`;

      const res = await fetch(new URL(urlPath, baseUrl), {
        method,
        headers,
        body,
        redirect: 'manual',
      });
      const text = await res.text();
      const setCookies = res.headers.getSetCookie().map(parseSetCookie);
      for (const c of setCookies) {
        if (cookieExpired(c) || c.value === '') jar.delete(c.name);
        else jar.set(c.name, c.value);
      }
      let parsed = null;
      const type = res.headers.get('content-type') || '';
      if (/json/i.test(type) && text.length > 0) {
        try { parsed = JSON.parse(text); } catch { parsed = null; }
      }
      return { status: res.status, headers: res.headers, body: parsed, text, setCookies };
    },
    get(p, o) { return client.request('GET', p, o); },
    post(p, json, o = {}) { return client.request('POST', p, { ...o, json }); },
    put(p, json, o = {}) { return client.request('PUT', p, { ...o, json }); },
    patch(p, json, o = {}) { return client.request('PATCH', p, { ...o, json }); },
    delete(p, o) { return client.request('DELETE', p, o); },
  };
  return client;
}

/** A password that satisfies the rules (10..128 characters). */
export function strongPassword() {
  return `pw-${randomBytes(9).toString('hex')}`;
}

/** Signs up through POST /api/v1/accounts; throws unless the answer is 201. */
export async function signUp(client, { email, password, display_name } = {}) {
  email = email ?? uniqueEmail();
  password = password ?? strongPassword();
  display_name = display_name ?? 'Test Educator';
  const res = await client.post('/api/v1/accounts', { email, password, display_name });
  if (res.status !== 201) {
    throw new Error(`sign-up of ${email} answered ${res.status}: ${res.text}`);
  }
  client.user = res.body.user;
  client.credentials = { email, password };
  return res;
}

/** Signs in through POST /api/v1/sessions; throws unless the answer is 200. */
export async function signIn(client, { email, password }) {
  const res = await client.post('/api/v1/sessions', { email, password });
  if (res.status !== 200) {
    throw new Error(`sign-in of ${email} answered ${res.status}: ${res.text}`);
  }
  client.user = res.body.user;
  client.credentials = { email, password };
  return res;
}

/** Creates a site admin with the CLI and returns a client signed in as them. */
export async function createSiteAdmin(server, { email = uniqueEmail('admin') } = {}) {
  const r = await runCli(['admin', 'create', '--db', server.dbUrl, '--email', email, '--role', 'site_admin']);
  if (r.code !== 0) {
    throw new Error(`admin create exited with ${r.code}: ${r.stderr}${r.stdout}`);
  }
  let created;
  try {
    created = JSON.parse(r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop());
  } catch {
    throw new Error(`admin create did not print a JSON object: ${r.stdout}`);
  }
  const client = api(server.baseUrl);
  await signIn(client, { email: created.email, password: created.password });
  return client;
}

/**
 * Wraps a test body so that, when it fails, the server's recent output is appended to the
 * error. `server` may be the server object or a function returning it (for servers started
 * in a before() hook).
 */
export function withLogs(server, fn) {
  return async (...a) => {
    try {
      return await fn(...a);
    } catch (err) {
      const s = typeof server === 'function' ? server() : server;
      if (s && err && typeof err === 'object') {
        try {
          err.message += `\n--- server output (last lines) ---\n${s.logTail()}`;
        } catch { /* message is read-only */ }
      }
      throw err;
    }
  };
}
