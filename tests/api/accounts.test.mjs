// Accounts, sessions, CSRF, personal tokens, password changes and resets, sign-in limits.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertList, assertProblem, assertStatus, assertTime, assertUser, listAll,
} from '../lib/problem.mjs';
import {
  api, createSiteAdmin, signIn, signUp, startServer, strongPassword, uniqueEmail, withLogs,
} from '../lib/server.mjs';

let server;
const it = (name, fn) => test(name, withLogs(() => server, fn));
const fresh = () => api(server.baseUrl);

before(async () => {
  server = await startServer();
});
after(async () => {
  if (server) assert.equal(await server.stop(), 0, 'server exits with 0 on SIGTERM');
});

function cookieNamed(res, name) {
  return res.setCookies.find((c) => c.name === name);
}

function assertCleared(c, name) {
  assert.ok(c, `Set-Cookie clears ${name}`);
  const maxAge = c.attrs['max-age'];
  const expires = typeof c.attrs.expires === 'string' ? Date.parse(c.attrs.expires) : NaN;
  assert.ok((maxAge !== undefined && Number(maxAge) <= 0) || expires <= Date.now(),
    `${name} is expired by Max-Age=0 or a past Expires: ${c.raw}`);
}

describe('sign up', () => {
  it('creates the account, answers 201 with user and csrf_token, sets cookies', async () => {
    const c = fresh();
    const email = uniqueEmail('signup');
    const res = await c.post('/api/v1/accounts', { email, password: strongPassword(), display_name: 'Ada Lovelace' });
    assertStatus(res, 201);
    assert.match(res.headers.get('content-type') || '', /^application\/json/);
    assertUser(res.body.user, { email, display_name: 'Ada Lovelace' });
    assert.equal(typeof res.body.csrf_token, 'string');
    assert.ok(res.body.csrf_token.length >= 16, 'csrf_token has enough entropy');

    const session = cookieNamed(res, 'sr_session');
    assert.ok(session, 'sr_session cookie set');
    assert.ok(session.value.length >= 16, 'session id has enough entropy');
    assert.equal(session.attrs.httponly, true, `sr_session is HttpOnly: ${session.raw}`);
    assert.equal(String(session.attrs.samesite).toLowerCase(), 'lax', `sr_session SameSite=Lax: ${session.raw}`);
    assert.equal(session.attrs.path, '/', `sr_session Path=/: ${session.raw}`);

    const csrf = cookieNamed(res, 'sr_csrf');
    assert.ok(csrf, 'sr_csrf cookie set');
    assert.equal(csrf.attrs.httponly, undefined, `sr_csrf is readable by scripts: ${csrf.raw}`);
    assert.equal(String(csrf.attrs.samesite).toLowerCase(), 'lax', `sr_csrf SameSite=Lax: ${csrf.raw}`);
    assert.equal(csrf.attrs.path, '/', `sr_csrf Path=/: ${csrf.raw}`);
    assert.equal(csrf.value, res.body.csrf_token, 'csrf_token in the body equals the sr_csrf cookie');

    const me = await c.get('/api/v1/me');
    assertStatus(me, 200);
    assertUser(me.body.user, { email, display_name: 'Ada Lovelace' });
    assert.equal(me.body.user.id, res.body.user.id);
    assert.equal(me.body.csrf_token, res.body.csrf_token);
  });

  it('accepts passwords of exactly 10 and 128 characters', async () => {
    assertStatus(await fresh().post('/api/v1/accounts', { email: uniqueEmail(), password: 'a'.repeat(10), display_name: 'Ten' }), 201);
    assertStatus(await fresh().post('/api/v1/accounts', { email: uniqueEmail(), password: 'b'.repeat(128), display_name: 'Long' }), 201);
  });

  it('rejects a duplicate email with 409 conflict', async () => {
    const email = uniqueEmail('dup');
    await signUp(fresh(), { email });
    const res = await fresh().post('/api/v1/accounts', { email, password: strongPassword(), display_name: 'Again' });
    assertProblem(res, 409, 'conflict', { instance: '/api/v1/accounts' });
  });

  it('treats emails case-insensitively for duplicates', async () => {
    const email = uniqueEmail('Case');
    await signUp(fresh(), { email });
    const res = await fresh().post('/api/v1/accounts', { email: email.toUpperCase(), password: strongPassword(), display_name: 'Upper' });
    assertProblem(res, 409, 'conflict');
  });

  it('validates fields with 422 naming each field', async () => {
    const c = fresh();
    const ok = { email: uniqueEmail(), password: strongPassword(), display_name: 'Valid Name' };
    const cases = [
      [{ ...ok, email: 'not-an-email' }, 'email'],
      [{ ...ok, email: '' }, 'email'],
      [{ ...ok, password: 'a'.repeat(9) }, 'password'],
      [{ ...ok, password: 'a'.repeat(129) }, 'password'],
      [{ email: ok.email, password: ok.password }, 'display_name'],
      [{ ...ok, display_name: '' }, 'display_name'],
      [{ ...ok, display_name: '   ' }, 'display_name'],
      [{ display_name: 'x', password: ok.password }, 'email'],
      [{ email: ok.email, display_name: 'x' }, 'password'],
    ];
    for (const [body, field] of cases) {
      const res = await c.post('/api/v1/accounts', body);
      assertProblem(res, 422, 'validation', { field });
      assert.equal(res.setCookies.length, 0, 'no cookies on a failed sign-up');
    }
    const many = await c.post('/api/v1/accounts', { email: 'nope', password: 'short' });
    assertProblem(many, 422, 'validation', { field: ['email', 'password', 'display_name'] });
    // nothing was created by the failed attempts
    assertStatus(await c.post('/api/v1/accounts', ok), 201);
  });
});

describe('sessions', () => {
  it('signs in with the right password and refuses a wrong one', async () => {
    const email = uniqueEmail('signin');
    const password = strongPassword();
    await signUp(fresh(), { email, password, display_name: 'Signer' });

    const c = fresh();
    const res = await c.post('/api/v1/sessions', { email, password });
    assertStatus(res, 200);
    assertUser(res.body.user, { email, display_name: 'Signer' });
    assert.equal(typeof res.body.csrf_token, 'string');
    const session = cookieNamed(res, 'sr_session');
    assert.ok(session, 'sr_session set on sign-in');
    assert.equal(session.attrs.httponly, true);
    assert.equal(String(session.attrs.samesite).toLowerCase(), 'lax');
    assert.equal(cookieNamed(res, 'sr_csrf')?.value, res.body.csrf_token);
    assertStatus(await c.get('/api/v1/me'), 200);

    const bad = fresh();
    const wrong = await bad.post('/api/v1/sessions', { email, password: `${password}x` });
    assertProblem(wrong, 401, 'unauthenticated', { instance: '/api/v1/sessions' });
    assert.ok(!cookieNamed(wrong, 'sr_session')?.value, 'no session cookie on failure');
    assertProblem(await bad.get('/api/v1/me'), 401, 'unauthenticated');

    const unknown = await fresh().post('/api/v1/sessions', { email: uniqueEmail('nobody'), password });
    assertProblem(unknown, 401, 'unauthenticated');
    assert.equal(unknown.body.detail, wrong.body.detail, 'unknown email and wrong password are indistinguishable');
  });

  it('GET /me without credentials is 401', async () => {
    assertProblem(await fresh().get('/api/v1/me'), 401, 'unauthenticated', { instance: '/api/v1/me' });
    const forged = await fresh().get('/api/v1/me', { headers: { cookie: 'sr_session=forged-session-value' } });
    assertProblem(forged, 401, 'unauthenticated');
  });

  it('PATCH /me changes the display name', async () => {
    const c = fresh();
    await signUp(c, { display_name: 'Before' });
    const res = await c.patch('/api/v1/me', { display_name: 'After Name' });
    assertStatus(res, 200);
    assertUser(res.body.user, { display_name: 'After Name', email: c.credentials.email });
    const me = await c.get('/api/v1/me');
    assert.equal(me.body.user.display_name, 'After Name');
    assertProblem(await c.patch('/api/v1/me', { display_name: '' }), 422, 'validation', { field: 'display_name' });
    assertProblem(await c.patch('/api/v1/me', { display_name: 42 }), 422, 'validation', { field: 'display_name' });
    assert.equal((await c.get('/api/v1/me')).body.user.display_name, 'After Name');
  });

  it('sign out ends the session on the server and clears cookies', async () => {
    const c = fresh();
    await signUp(c);
    const stolen = `sr_session=${c.cookie('sr_session')}`;
    const res = await c.delete('/api/v1/sessions/current');
    assertStatus(res, 204);
    assert.equal(res.text, '');
    assertCleared(cookieNamed(res, 'sr_session'), 'sr_session');
    assertCleared(cookieNamed(res, 'sr_csrf'), 'sr_csrf');
    assertProblem(await c.get('/api/v1/me'), 401, 'unauthenticated');
    const replay = await fresh().get('/api/v1/me', { headers: { cookie: stolen } });
    assertProblem(replay, 401, 'unauthenticated');
    assertProblem(await fresh().delete('/api/v1/sessions/current'), 401, 'unauthenticated');
  });
});

describe('password change', () => {
  it('ends other sessions, keeps this one, and the new password works', async () => {
    const email = uniqueEmail('change');
    const oldPw = strongPassword();
    const newPw = strongPassword();
    const a = fresh();
    await signUp(a, { email, password: oldPw });
    const b = fresh();
    await signIn(b, { email, password: oldPw });

    assertProblem(await a.put('/api/v1/me/password', { current_password: oldPw, new_password: 'short' }),
      422, 'validation', { field: 'new_password' });

    const res = await a.put('/api/v1/me/password', { current_password: oldPw, new_password: newPw });
    assertStatus(res, 204);
    assertStatus(await a.get('/api/v1/me'), 200);
    assertProblem(await b.get('/api/v1/me'), 401, 'unauthenticated');
    assertProblem(await fresh().post('/api/v1/sessions', { email, password: oldPw }), 401, 'unauthenticated');
    await signIn(fresh(), { email, password: newPw });
  });

  it('refuses a wrong current password and keeps the old one', async () => {
    const email = uniqueEmail('change-wrong');
    const pw = strongPassword();
    const a = fresh();
    await signUp(a, { email, password: pw });
    const res = await a.put('/api/v1/me/password', { current_password: `${pw}-wrong`, new_password: strongPassword() });
    assert.ok([401, 422].includes(res.status), `401 or 422 for a wrong current password, got ${res.status} ${res.text}`);
    if (res.status === 401) assertProblem(res, 401, 'unauthenticated');
    else assertProblem(res, 422, 'validation', { field: 'current_password' });
    assertStatus(await a.get('/api/v1/me'), 200);
    await signIn(fresh(), { email, password: pw });
  });
});

describe('CSRF', () => {
  it('cookie sessions need a matching X-CSRF-Token on unsafe methods', async () => {
    const c = fresh();
    await signUp(c, { display_name: 'Csrf Target' });
    const wrong = `${c.cookie('sr_csrf')}x`;

    assertProblem(await c.post('/api/v1/tokens', { name: 'ci' }, { csrf: false }), 403, 'csrf');
    assertProblem(await c.post('/api/v1/tokens', { name: 'ci' }, { csrf: wrong }), 403, 'csrf');
    assertProblem(await c.post('/api/v1/tokens', { name: 'ci' }, { csrf: '' }), 403, 'csrf');
    assertProblem(await c.patch('/api/v1/me', { display_name: 'Hacked' }, { csrf: false }), 403, 'csrf');
    assertProblem(await c.patch('/api/v1/me', { display_name: 'Hacked' }, { csrf: wrong }), 403, 'csrf');
    assertProblem(await c.put('/api/v1/me/password', { current_password: 'x'.repeat(12), new_password: 'y'.repeat(12) }, { csrf: false }), 403, 'csrf');
    assertProblem(await c.delete('/api/v1/sessions/current', { csrf: false }), 403, 'csrf');
    assertProblem(await c.delete('/api/v1/sessions/current', { csrf: wrong }), 403, 'csrf');

    // Nothing happened.
    const me = await c.get('/api/v1/me');
    assertStatus(me, 200);
    assert.equal(me.body.user.display_name, 'Csrf Target');
    assert.equal(assertList((await c.get('/api/v1/tokens')).body).length, 0);

    // With the header everything works.
    assertStatus(await c.patch('/api/v1/me', { display_name: 'Fine' }), 200);
  });

  it('another session\'s token does not pass', async () => {
    const a = fresh();
    await signUp(a);
    const b = fresh();
    await signUp(b);
    assertProblem(await a.post('/api/v1/tokens', { name: 'x' }, { csrf: b.cookie('sr_csrf') }), 403, 'csrf');
  });

  it('bearer requests need no CSRF header', async () => {
    const c = fresh();
    await signUp(c);
    const created = await c.post('/api/v1/tokens', { name: 'script' });
    assertStatus(created, 201);
    const bot = fresh();
    bot.bearer = created.body.token;
    assertStatus(await bot.patch('/api/v1/me', { display_name: 'Via Token' }), 200);
    assertStatus(await bot.post('/api/v1/tokens', { name: 'second' }), 201);
  });
});

describe('personal API tokens', () => {
  it('create shows the token once, list hides it, bearer works, revoke ends it', async () => {
    const c = fresh();
    await signUp(c, { display_name: 'Token Owner' });
    const created = await c.post('/api/v1/tokens', { name: 'laptop' });
    assertStatus(created, 201);
    const t = created.body;
    assert.ok(Number.isInteger(t.id), 'token id integer');
    assert.equal(t.name, 'laptop');
    assertTime(t.created_at, 'token created_at');
    assert.equal(t.last_used_at, null);
    assert.equal(typeof t.token, 'string');
    assert.ok(t.token.length >= 20, 'token has enough entropy');

    const list = await c.get('/api/v1/tokens');
    assertStatus(list, 200);
    const items = assertList(list.body);
    assert.equal(items.length, 1);
    assert.equal(items[0].id, t.id);
    assert.equal(items[0].name, 'laptop');
    assert.equal(items[0].token, undefined, 'the secret is not listed');
    assert.ok(!list.text.includes(t.token), 'the secret appears nowhere in the list');

    const bot = fresh();
    bot.bearer = t.token;
    const me = await bot.get('/api/v1/me');
    assertStatus(me, 200);
    assert.equal(me.body.user.id, c.user.id);
    assert.equal(me.body.csrf_token, null, 'csrf_token is null for bearer requests');
    assert.equal(me.setCookies.filter((x) => x.name === 'sr_session' && x.value).length, 0, 'bearer use sets no session');

    const used = assertList((await c.get('/api/v1/tokens')).body).find((x) => x.id === t.id);
    assertTime(used.last_used_at, 'last_used_at after use');

    const del = await c.delete(`/api/v1/tokens/${t.id}`);
    assertStatus(del, 204);
    assertProblem(await bot.get('/api/v1/me'), 401, 'unauthenticated');
    assert.equal(assertList((await c.get('/api/v1/tokens')).body).length, 0);
    assertProblem(await c.delete(`/api/v1/tokens/${t.id}`), 404, 'not-found');
  });

  it('another user cannot delete my token (404) and it keeps working', async () => {
    const owner = fresh();
    await signUp(owner);
    const t = (await owner.post('/api/v1/tokens', { name: 'mine' })).body;
    const other = fresh();
    await signUp(other);
    assertProblem(await other.delete(`/api/v1/tokens/${t.id}`), 404, 'not-found');
    const otherBot = fresh();
    otherBot.bearer = (await other.post('/api/v1/tokens', { name: 'theirs' })).body.token;
    assertProblem(await otherBot.delete(`/api/v1/tokens/${t.id}`), 404, 'not-found');
    assert.equal(assertList((await other.get('/api/v1/tokens')).body).length, 1, 'other sees only their own token');
    const bot = fresh();
    bot.bearer = t.token;
    assertStatus(await bot.get('/api/v1/me'), 200);
  });

  it('rejects garbage bearer tokens and validates the name', async () => {
    const bot = fresh();
    bot.bearer = 'not-a-real-token';
    assertProblem(await bot.get('/api/v1/me'), 401, 'unauthenticated');
    const odd = await fresh().get('/api/v1/me', { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    assertProblem(odd, 401, 'unauthenticated');
    const c = fresh();
    await signUp(c);
    assertProblem(await c.post('/api/v1/tokens', {}), 422, 'validation', { field: 'name' });
    assertProblem(await c.post('/api/v1/tokens', { name: '' }), 422, 'validation', { field: 'name' });
    assertProblem(await c.delete('/api/v1/tokens/999999999'), 404, 'not-found');
  });

  it('paginates with limit and cursor, and rejects bad query parameters', async () => {
    const c = fresh();
    await signUp(c);
    for (const name of ['t1', 't2', 't3']) assertStatus(await c.post('/api/v1/tokens', { name }), 201);
    const page1 = await c.get('/api/v1/tokens?limit=2');
    assertStatus(page1, 200);
    assert.equal(assertList(page1.body).length, 2);
    assert.equal(typeof page1.body.next, 'string', 'a cursor for the next page');
    const page2 = await c.get(`/api/v1/tokens?limit=2&cursor=${encodeURIComponent(page1.body.next)}`);
    assertStatus(page2, 200);
    assert.equal(assertList(page2.body).length, 1);
    assert.equal(page2.body.next, null);
    const ids = [...page1.body.items, ...page2.body.items].map((x) => x.id);
    assert.equal(new Set(ids).size, 3, 'pages do not overlap');
    assert.deepEqual((await listAll(c, '/api/v1/tokens')).map((x) => x.id).sort(), [...ids].sort());

    for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=-1', 'cursor=%00garbage%00']) {
      assertProblem(await c.get(`/api/v1/tokens?${q}`), 400, 'bad-request');
    }
    assertStatus(await c.get('/api/v1/tokens?limit=100'), 200);
    assertStatus(await c.get('/api/v1/tokens?limit=1'), 200);
  });
});

describe('password reset', () => {
  let admin;
  before(async () => {
    admin = await createSiteAdmin(server);
  });

  async function mailsTo(email) {
    const all = await listAll(admin, '/api/v1/mail');
    for (const m of all) {
      assert.ok(Number.isInteger(m.id));
      assertTime(m.created_at, 'mail created_at');
    }
    return all.filter((m) => m.to === email);
  }

  function tokenFrom(mail) {
    const m = /\/reset-password\?token=([^\s"'<>&]+)/.exec(mail.body);
    assert.ok(m, `the mail body holds a /reset-password?token=... link: ${mail.body}`);
    return decodeURIComponent(m[1]);
  }

  it('is 202 for an unknown email and sends nothing', async () => {
    const email = uniqueEmail('ghost');
    const res = await fresh().post('/api/v1/password-resets', { email });
    assertStatus(res, 202);
    assert.deepEqual(res.body, {});
    assert.equal((await mailsTo(email)).length, 0);
  });

  it('validates the request', async () => {
    assertProblem(await fresh().post('/api/v1/password-resets', {}), 422, 'validation', { field: 'email' });
    assertProblem(await fresh().post('/api/v1/password-resets/confirm', { token: 'x' }), 422, 'validation', { field: 'new_password' });
  });

  it('mails a one-time link whose token resets the password once', async () => {
    const email = uniqueEmail('reset');
    const oldPw = strongPassword();
    const newPw = strongPassword();
    const user = fresh();
    await signUp(user, { email, password: oldPw });

    const res = await fresh().post('/api/v1/password-resets', { email });
    assertStatus(res, 202);
    assert.deepEqual(res.body, {});
    // Sign-up also mailed a link that confirms the address; the reset is the other one.
    const mails = (await mailsTo(email)).filter((m) => /reset-password\?token=/.test(m.body));
    assert.equal(mails.length, 1, 'exactly one reset mail to the user');
    assert.equal(typeof mails[0].subject, 'string');
    assert.ok(mails[0].subject.length > 0);
    const token = tokenFrom(mails[0]);

    const short = await fresh().post('/api/v1/password-resets/confirm', { token, new_password: 'short' });
    assertProblem(short, 422, 'validation', { field: 'new_password' });

    const ok = await fresh().post('/api/v1/password-resets/confirm', { token, new_password: newPw });
    assertStatus(ok, 204);
    assertProblem(await user.get('/api/v1/me'), 401, 'unauthenticated');
    assertProblem(await fresh().post('/api/v1/sessions', { email, password: oldPw }), 401, 'unauthenticated');
    await signIn(fresh(), { email, password: newPw });

    const again = await fresh().post('/api/v1/password-resets/confirm', { token, new_password: strongPassword() });
    assertProblem(again, 400, 'bad-request');
    await signIn(fresh(), { email, password: newPw });

    const bogus = await fresh().post('/api/v1/password-resets/confirm', { token: `${token}x`, new_password: strongPassword() });
    assertProblem(bogus, 400, 'bad-request');
  });

  it('the mail list is newest first', async () => {
    const a = uniqueEmail('order-a');
    const b = uniqueEmail('order-b');
    await signUp(fresh(), { email: a });
    await signUp(fresh(), { email: b });
    assertStatus(await fresh().post('/api/v1/password-resets', { email: a }), 202);
    assertStatus(await fresh().post('/api/v1/password-resets', { email: b }), 202);
    const res = await admin.get('/api/v1/mail?limit=100');
    assertStatus(res, 200);
    const items = assertList(res.body);
    const ia = items.findIndex((m) => m.to === a);
    const ib = items.findIndex((m) => m.to === b);
    assert.ok(ia >= 0 && ib >= 0, 'both mails listed');
    assert.ok(ib < ia, 'the later mail comes first');
  });
});

describe('sign-in rate limit', () => {
  it('after 5 failures the 6th attempt is 429 with Retry-After, even with the right password', async () => {
    const email = uniqueEmail('limited');
    const password = strongPassword();
    await signUp(fresh(), { email, password });
    for (let i = 1; i <= 5; i += 1) {
      const res = await fresh().post('/api/v1/sessions', { email, password: `wrong-password-${i}` });
      assertProblem(res, 401, 'unauthenticated');
    }
    for (const pw of ['wrong-password-6', password]) {
      const res = await fresh().post('/api/v1/sessions', { email, password: pw });
      assertProblem(res, 429, 'rate-limited');
      const retry = res.headers.get('retry-after');
      assert.match(retry || '', /^\d+$/, `Retry-After in seconds, got ${retry}`);
      assert.ok(Number(retry) >= 1 && Number(retry) <= 15 * 60, `Retry-After within 15 minutes, got ${retry}`);
      assert.ok(!cookieNamed(res, 'sr_session')?.value, 'no session while limited');
    }
    // Another email is not affected.
    const other = uniqueEmail('unlimited');
    const otherPw = strongPassword();
    await signUp(fresh(), { email: other, password: otherPw });
    await signIn(fresh(), { email: other, password: otherPw });
  });
});
