/** Accounts through the commands: the first administrator, invitations, login, second factor, tokens. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANONYMOUS,
  beginTotp,
  changePassword,
  confirmTotp,
  createApiToken,
  createFirstAdmin,
  disableTotp,
  fileReport,
  inviteAccount,
  listApiTokens,
  login,
  logout,
  redeemInvitation,
  resetTotp,
  resolveApiToken,
  resolveSession,
  revokeApiToken,
  systemActor,
  totpCode,
  updateAccount,
  viewCase,
  type AccountActor,
} from '../../src/disclosure/index.js';
import { mailedLink, makeDeps, reportInput } from './helpers.js';

const SYSTEM = systemActor('cli');
const ADMIN_PW = 'the first admin of cpansec';

async function setup(options: { requireTotp?: boolean } = {}) {
  const deps = makeDeps();
  if (options.requireTotp) deps.config.requireTotpForStaff = true;
  const admin = await createFirstAdmin(deps, SYSTEM, { email: 'Ada@CPANsec.test', name: 'Ada', password: ADMIN_PW });
  return { deps, admin };
}

async function session(deps: ReturnType<typeof makeDeps>, email: string, password: string, secondFactor?: string): Promise<AccountActor> {
  const r = await login(deps, { email, password, ip: '192.0.2.1', ...(secondFactor ? { secondFactor } : {}) });
  assert.ok(r.ok, JSON.stringify(r));
  return r.actor;
}

test('the first administrator: made by the operator only, once, with a good password; no default account exists', async () => {
  const deps = makeDeps();
  assert.deepEqual(await deps.store.transaction((tx) => tx.accounts.list()), [], 'nothing before the command');
  await assert.rejects(createFirstAdmin(deps, ANONYMOUS, { email: 'a@example.org', name: 'A', password: ADMIN_PW }), { code: 'FORBIDDEN' });
  await assert.rejects(createFirstAdmin(deps, SYSTEM, { email: 'a@example.org', name: 'A', password: 'admin' }), { code: 'PARSE_ERROR', message: /password: must be at least 12/ });
  const admin = await createFirstAdmin(deps, SYSTEM, { email: 'Ada@CPANsec.test', name: 'Ada', password: ADMIN_PW });
  assert.deepEqual([admin.role, admin.email, admin.emailKey, admin.hasPassword], ['admin', 'Ada@cpansec.test', 'ada@cpansec.test', true]);
  assert.ok(!('passwordHash' in admin), 'no hash in the view');
  await assert.rejects(createFirstAdmin(deps, SYSTEM, { email: 'b@example.org', name: 'B', password: ADMIN_PW }), { code: 'CONFLICT' });
});

test('login: the same answer for an unknown address, a wrong password and a disabled account; rate limited', async () => {
  const { deps, admin } = await setup();
  assert.equal((await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '192.0.2.1' })).ok, true, 'e-mail case does not matter');
  const adminActor = await session(deps, 'ada@cpansec.test', ADMIN_PW);
  const { account } = await inviteAccount(deps, adminActor, { email: 'max@cpansec.test', name: 'Max', role: 'member' });
  assert.deepEqual(await login(deps, { email: 'max@cpansec.test', password: 'anything at all', ip: '192.0.2.2' }), { ok: false, reason: 'invalid' }, 'no password yet');
  assert.deepEqual(await login(deps, { email: 'nobody@example.org', password: ADMIN_PW, ip: '192.0.2.2' }), { ok: false, reason: 'invalid' });
  await updateAccount(deps, adminActor, account.id, { disabled: true }, 'left the team');
  await assert.rejects(updateAccount(deps, adminActor, admin.id, { role: 'member' }, 'x'), { code: 'CONFLICT', message: /last administrator/ });

  for (let i = 0; i < 5; i++) assert.equal((await login(deps, { email: 'ada@cpansec.test', password: `wrong ${i} password`, ip: '198.51.100.1' })).ok, false);
  const limited = await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '198.51.100.1' });
  assert.equal(limited.ok === false && limited.reason, 'rate-limited', 'even the right password waits');
  deps.clock.advanceMinutes(15);
  assert.equal((await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '198.51.100.1' })).ok, true);
});

test('sessions resolve to the actor, end on logout, on idle, on disabling, and on a password change', async () => {
  const { deps } = await setup();
  const r = await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '192.0.2.1' });
  assert.ok(r.ok);
  assert.equal((await resolveSession(deps, r.token))?.actor.role, 'admin');
  assert.equal(await resolveSession(deps, 'nonsense'), undefined);
  await logout(deps, r.token);
  assert.equal(await resolveSession(deps, r.token), undefined);

  const r2 = await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '192.0.2.1' });
  assert.ok(r2.ok);
  deps.clock.advanceMinutes(61);
  assert.equal(await resolveSession(deps, r2.token), undefined, 'idle for an hour');

  const r3 = await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '192.0.2.1' });
  assert.ok(r3.ok);
  await assert.rejects(changePassword(deps, r3.actor, { current: 'not it', next: 'a brand new passphrase' }), { code: 'FORBIDDEN' });
  await changePassword(deps, r3.actor, { current: ADMIN_PW, next: 'a brand new passphrase' });
  assert.equal(await resolveSession(deps, r3.token), undefined);
  assert.equal((await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '192.0.2.1' })).ok, false);
  assert.equal((await login(deps, { email: 'ada@cpansec.test', password: 'a brand new passphrase', ip: '192.0.2.1' })).ok, true);
});

test('a hash made with old parameters is replaced at the next login', async () => {
  const { deps } = await setup();
  const before = (await deps.store.transaction((tx) => tx.accounts.getByEmailKey('ada@cpansec.test')))!.passwordHash!;
  assert.match(before, /^\$scrypt\$ln=4,/);
  deps.config.scrypt = { ln: 5, r: 8, p: 1 };
  await session(deps, 'ada@cpansec.test', ADMIN_PW);
  const after = (await deps.store.transaction((tx) => tx.accounts.getByEmailKey('ada@cpansec.test')))!.passwordHash!;
  assert.match(after, /^\$scrypt\$ln=5,r=8,p=1\$/);
  await session(deps, 'ada@cpansec.test', ADMIN_PW);
});

test('TOTP: enrol with a first code, then every login needs a fresh code or a recovery code', async () => {
  const { deps, admin } = await setup({ requireTotp: true });
  const restricted = await session(deps, 'ada@cpansec.test', ADMIN_PW);
  assert.equal(restricted.restricted, true, 'staff without a second factor may only set one up');
  await assert.rejects(viewCase(deps, restricted, 'CPANSEC-2026-0000-0000'), { code: 'FORBIDDEN' });

  const { secret, uri } = await beginTotp(deps, restricted);
  assert.match(uri, /^otpauth:\/\/totp\//);
  await assert.rejects(confirmTotp(deps, restricted, '000000'), { code: 'PARSE_ERROR' });
  const { recoveryCodes } = await confirmTotp(deps, restricted, totpCode(secret, deps.clock.now()));
  assert.equal(recoveryCodes.length, 10);

  assert.deepEqual(await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '192.0.2.1' }), { ok: false, reason: 'second-factor-required' });
  assert.deepEqual(
    await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '192.0.2.1', secondFactor: totpCode(secret, deps.clock.now()) }),
    { ok: false, reason: 'second-factor-invalid' },
    'the code used to confirm cannot be replayed',
  );
  deps.clock.advanceMinutes(1);
  const code = totpCode(secret, deps.clock.now());
  const full = await session(deps, 'ada@cpansec.test', ADMIN_PW, code);
  assert.equal(full.restricted, false);
  assert.equal((await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '192.0.2.1', secondFactor: code })).ok, false, 'no replay');
  await session(deps, 'ada@cpansec.test', ADMIN_PW, recoveryCodes[0]);
  assert.equal((await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '192.0.2.1', secondFactor: recoveryCodes[0] })).ok, false, 'recovery codes are single-use');

  await assert.rejects(disableTotp(deps, full, 'wrong password'), { code: 'FORBIDDEN' });
  await disableTotp(deps, full, ADMIN_PW);
  assert.equal((await login(deps, { email: 'ada@cpansec.test', password: ADMIN_PW, ip: '192.0.2.9' })).ok, true);
  await resetTotp(deps, full, admin.id, 'lost the phone');
});

test('API tokens: read-only or not, revocable, never for account management', async () => {
  const { deps } = await setup();
  const admin = await session(deps, 'ada@cpansec.test', ADMIN_PW);
  const { token, record } = await createApiToken(deps, admin, { name: 'nightly export', readOnly: true, expiresInDays: 30, password: ADMIN_PW });
  assert.ok(!('hash' in record));
  const viaToken = (await resolveApiToken(deps, token))!;
  assert.deepEqual([viaToken.via, viaToken.readOnly, viaToken.role], ['token', true, 'admin']);
  const { acknowledgement } = await fileReport(deps, ANONYMOUS, reportInput());
  assert.equal((await viewCase(deps, viaToken, acknowledgement.reference)).state, 'received');
  await assert.rejects(createApiToken(deps, viaToken, { name: 'escalate', password: ADMIN_PW }), { code: 'FORBIDDEN' });
  await assert.rejects(inviteAccount(deps, viaToken, { email: 'x@example.org', name: 'X', role: 'admin' }), { code: 'FORBIDDEN' });
  assert.equal(await resolveApiToken(deps, `${token.slice(0, -2)}aa`), undefined);
  assert.equal((await listApiTokens(deps, admin)).length, 1);
  await revokeApiToken(deps, admin, record.id);
  assert.equal(await resolveApiToken(deps, token), undefined);
  deps.clock.advanceDays(31);
  const { token: t2 } = await createApiToken(deps, admin, { name: 'short', expiresInDays: 1, password: ADMIN_PW });
  deps.clock.advanceDays(1);
  assert.equal(await resolveApiToken(deps, t2), undefined, 'expired');
  await assert.rejects(createApiToken(deps, admin, { name: 'forever', expiresInDays: 10_000, password: ADMIN_PW }), { code: 'PARSE_ERROR' });
});

test('invitations are single-use, expire, and bind to the invited address', async () => {
  const { deps } = await setup();
  const { acknowledgement } = await fileReport(deps, ANONYMOUS, reportInput({ reporterEmail: 'rita@example.org' }));
  const token = await mailedLink(deps, 'rita@example.org');
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, 'not-a-token', { password: 'whatever you like' }), { code: 'NOT_FOUND' });
  const rita = await redeemInvitation(deps, ANONYMOUS, token, { password: 'she reports bugs often' });
  assert.equal(rita.role, 'external');
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, token, { password: 'she reports bugs often' }), { code: 'CONFLICT', message: /used already/ });
  const actor = await session(deps, 'rita@example.org', 'she reports bugs often');
  assert.equal((await viewCase(deps, actor, acknowledgement.reference)).viewerRole, 'reporter');

  // a second report by Rita, filed anonymously: she links it while logged in, without a new account
  await fileReport(deps, ANONYMOUS, reportInput({ reporterEmail: 'rita@example.org', distribution: 'Other-Dist' }));
  const second = await mailedLink(deps, 'rita@example.org');
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, second, { password: 'she reports bugs often' }), { code: 'CONFLICT', message: /log in first/ });
  const admin = await session(deps, 'ada@cpansec.test', ADMIN_PW);
  await assert.rejects(redeemInvitation(deps, admin, second, {}), { code: 'FORBIDDEN', message: /for rita@example\.org/ });
  await redeemInvitation(deps, actor, second, {});

  const { link } = await inviteAccount(deps, admin, { email: 'late@cpansec.test', name: 'Late', role: 'member' }, { revealLink: true });
  deps.clock.advanceDays(15);
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, link!.split('/').pop()!, { password: 'too late for this' }), { code: 'CONFLICT', message: /expired/ });
});
