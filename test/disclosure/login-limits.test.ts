/**
 * Login limits that hold against parallel requests and against a guesser spread over many
 * addresses: attempts are reserved before their scrypt runs, logins in flight are capped per
 * account and address, scrypt runs per process; failures count per account and address, per
 * address, and per account with back-off — from which the owner's known addresses are exempt.
 * Password re-checks of the account page count as attempts too.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BUSY,
  changePassword,
  createFirstAdmin,
  CredentialThrottle,
  disableTotp,
  login,
  loginAllowed,
  systemActor,
  type LoginAttempt,
  type LoginResult,
} from '../../src/disclosure/index.js';
import { makeDeps } from './helpers.js';

const PW = 'the first admin of cpansec';
const EMAIL = 'ada@cpansec.test';

async function setup(throttle?: CredentialThrottle) {
  const deps = { ...makeDeps({ seed: 'limits' }), ...(throttle ? { throttle } : {}) };
  await createFirstAdmin(deps, systemActor('cli'), { email: EMAIL, name: 'Ada', password: PW });
  return deps;
}

const reasons = (rs: LoginResult[]) => rs.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.ok ? 'ok' : r.reason]: (acc[r.ok ? 'ok' : r.reason] ?? 0) + 1 }), {});

test('40 parallel wrong passwords: the attempts are counted before their scrypt ends', async () => {
  // no in-flight caps here: what is tested is the reservation in the limit's transaction
  const deps = await setup(new CredentialThrottle({ inFlightPerAccount: 100, inFlightPerAddress: 100, hashQueue: 100 }));
  const results = await Promise.all(Array.from({ length: 40 }, (_, i) => login(deps, { email: EMAIL, password: `wrong guess ${i}`, ip: '198.51.100.7' })));
  assert.deepEqual(reasons(results), { invalid: 5, 'rate-limited': 35 });
  const failures = (await deps.store.transaction((tx) => tx.loginAttempts.recent({ emailKey: EMAIL, ip: '198.51.100.7' }, '2000-01-01'))).filter((a) => !a.ok);
  assert.equal(failures.length, 5, 'refused attempts are not recorded; tried ones are');
});

test('logins in flight are capped per account and per address: the rest are refused at once', async () => {
  const deps = await setup(new CredentialThrottle({ inFlightPerAccount: 2, inFlightPerAddress: 4, hashQueue: 100 }));
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => login(deps, { email: EMAIL, password: `wrong guess ${i}`, ip: `198.51.100.${i}` })));
  assert.deepEqual(reasons(results), { invalid: 2, 'rate-limited': 8 });
  const spray = await Promise.all(Array.from({ length: 10 }, (_, i) => login(deps, { email: `user${i}@example.org`, password: 'a guess of a password', ip: '203.0.113.5' })));
  assert.deepEqual(reasons(spray), { invalid: 4, 'rate-limited': 6 });
  assert.deepEqual(deps.throttle!.load(), { running: 0, waiting: 0, accounts: 0, addresses: 0 }, 'every slot given back');
});

test('scrypt runs are capped for the process: past the queue, logins are refused as busy, and nothing is counted for them', async () => {
  const throttle = new CredentialThrottle({ inFlightPerAccount: 100, inFlightPerAddress: 100, hashConcurrency: 1, hashQueue: 1 });
  const deps = await setup(throttle);
  // a costlier hash for the unknown addresses' dummy check, so that the slot is busy while the others arrive
  deps.config.scrypt = { ln: 14, r: 8, p: 1 };
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login(deps, { email: `nobody${i}@example.org`, password: 'a guess of a password', ip: `192.0.2.${i}` })));
  const counts = reasons(results);
  assert.ok((counts.busy ?? 0) >= 8, JSON.stringify(counts));
  assert.equal((counts.invalid ?? 0) + (counts.busy ?? 0), 12);
  for (const r of results) if (!r.ok && r.reason === 'busy') assert.ok(r.retryAt.getTime() > deps.clock.now().getTime());
  assert.equal(deps.store.snapshot().loginAttempts.length, counts.invalid, 'a busy login leaves no attempt behind');
});

test('the process-wide scrypt slot: a queue, then BUSY at once', async () => {
  const t = new CredentialThrottle({ hashConcurrency: 1, hashQueue: 1 });
  let release!: () => void;
  const first = t.hash(() => new Promise<string>((resolve) => (release = () => resolve('first'))));
  const second = t.hash(async () => 'second');
  assert.equal(await t.hash(async () => 'third'), BUSY);
  assert.deepEqual(t.load(), { running: 1, waiting: 1, accounts: 0, addresses: 0 });
  release();
  assert.deepEqual([await first, await second], ['first', 'second']);
  assert.equal(await t.hash(async () => 'again'), 'again');
});

test('per account and address, per address, and per account with back-off; the owner’s addresses stay open', () => {
  const config = { windowMinutes: 15, maxFailuresPerAccount: 20, maxFailuresPerIp: 30, maxFailuresPerAccountAddress: 5, backoffMaxHours: 24, knownAddressDays: 30 };
  const t0 = Date.parse('2026-03-02T10:00:00Z');
  const at = (min: number) => new Date(t0 + min * 60_000);
  const attempt = (min: number, ip: string, ok = false, emailKey = 'ada@example.org'): LoginAttempt => ({ at: at(min).toISOString(), emailKey, ip, ok });
  const ada = (ip: string) => ({ emailKey: 'ada@example.org', ip });

  // five failures from one address close that address for the account, not others
  const five = [0, 1, 2, 3, 4].map((m) => attempt(m, '198.51.100.1'));
  assert.deepEqual(loginAllowed(five, ada('198.51.100.1'), at(5), config), { allowed: false, reason: 'account-address', retryAt: at(15) });
  assert.deepEqual(loginAllowed(five, ada('203.0.113.9'), at(5), config), { allowed: true }, 'another address is not locked out by one guesser');

  // a guesser spread over many addresses: four from each of five addresses
  const spread = Array.from({ length: 20 }, (_, i) => attempt(i * 0.5, `198.51.100.${10 + (i % 5)}`));
  const owner = attempt(-60 * 24, '192.0.2.1', true);
  assert.deepEqual(loginAllowed(spread, ada('203.0.113.9'), at(10), config), { allowed: false, reason: 'account', retryAt: at(15) }, 'a new address waits');
  assert.deepEqual(loginAllowed([owner, ...spread], ada('192.0.2.1'), at(10), config), { allowed: true }, 'the owner’s known address is never locked out');
  assert.deepEqual(loginAllowed([owner, ...spread], ada('203.0.113.9'), at(10), config).allowed, false, 'only the known address');

  // the attack goes on: each further round doubles the wait, up to the cap
  const second = [...spread, ...Array.from({ length: 20 }, (_, i) => attempt(15 + i * 0.5, `198.51.100.${20 + (i % 5)}`))];
  assert.deepEqual(loginAllowed(second, ada('203.0.113.9'), at(30), config), { allowed: false, reason: 'account', retryAt: at(15 + 30) });
  const third = [...second, ...Array.from({ length: 20 }, (_, i) => attempt(45 + i * 0.5, `198.51.100.${30 + (i % 5)}`))];
  assert.deepEqual(loginAllowed(third, ada('203.0.113.9'), at(55), config), { allowed: false, reason: 'account', retryAt: at(45 + 60) });
  assert.deepEqual(loginAllowed([owner, ...third], ada('192.0.2.1'), at(55), config), { allowed: true });
  // a success of the owner clears the account's count for everyone
  assert.deepEqual(loginAllowed([...third, attempt(55, '192.0.2.1', true)], ada('203.0.113.9'), at(56), config), { allowed: true });
  // an address known long ago is not known any more
  assert.equal(loginAllowed([attempt(-60 * 24 * 31, '192.0.2.1', true), ...spread], ada('192.0.2.1'), at(10), config).allowed, false);
});

test('an attacker elsewhere cannot keep the owner out: a known address logs in through a spread attack', async () => {
  const deps = await setup(new CredentialThrottle({ inFlightPerAccount: 100, inFlightPerAddress: 100 }));
  assert.equal((await login(deps, { email: EMAIL, password: PW, ip: '192.0.2.1' })).ok, true, 'the owner’s usual address');
  for (let i = 0; i < 60; i++) await login(deps, { email: EMAIL, password: `guess ${i}`, ip: `198.51.100.${i}` });
  deps.clock.advanceMinutes(1);
  const elsewhere = await login(deps, { email: EMAIL, password: PW, ip: '203.0.113.9' });
  assert.equal(elsewhere.ok === false && elsewhere.reason, 'rate-limited', 'a new address waits');
  assert.equal((await login(deps, { email: EMAIL, password: PW, ip: '192.0.2.1' })).ok, true, 'the owner is not locked out');
  assert.equal((await login(deps, { email: EMAIL, password: PW, ip: '203.0.113.9' })).ok, true, 'and their success opens the account again');
});

test('password re-checks on the account page count as login attempts', async () => {
  const deps = await setup();
  const r = await login(deps, { email: EMAIL, password: PW, ip: '192.0.2.1' });
  assert.ok(r.ok);
  for (let i = 0; i < 5; i++) {
    await assert.rejects(changePassword(deps, r.actor, { current: `wrong ${i} password`, next: 'a brand new passphrase', ip: '198.51.100.1' }), { code: 'FORBIDDEN' });
  }
  await assert.rejects(changePassword(deps, r.actor, { current: PW, next: 'a brand new passphrase', ip: '198.51.100.1' }), (e: Error & { status?: number }) => e.status === 429);
  await assert.rejects(disableTotp(deps, r.actor, PW, { ip: '198.51.100.1' }), (e: Error & { status?: number }) => e.status === 429);
  const limited = await login(deps, { email: EMAIL, password: PW, ip: '198.51.100.1' });
  assert.equal(limited.ok === false && limited.reason, 'rate-limited', 'the same count as logging in');
  // parallel re-checks: one slot per account at a time beyond the cap
  const again = await login(deps, { email: EMAIL, password: PW, ip: '192.0.2.1' });
  assert.ok(again.ok);
  const parallel = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => changePassword(deps, again.actor, { current: `wrong ${i} again`, next: 'a brand new passphrase', ip: '192.0.2.1' })));
  const statuses = parallel.map((p) => (p.status === 'rejected' ? ((p.reason as { status?: number; code?: string }).status ?? (p.reason as { code: string }).code) : 'ok'));
  assert.ok(statuses.filter((s) => s === 429).length >= 4, JSON.stringify(statuses));
});
