/**
 * Credentials end when they should: a password reset revokes the API tokens and ends the sessions;
 * a password change and a second-factor reset can revoke them too; making a token needs the
 * password; an account that must enrol a second factor gets no token and can use none; and only
 * one link to set a password is ever open — redeeming one, changing the password, or a newer reset
 * closes the others.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANONYMOUS,
  beginTotp,
  changePassword,
  confirmTotp,
  createApiToken,
  createFirstAdmin,
  fileReport,
  inviteAccount,
  issueApiToken,
  listApiTokens,
  login,
  redeemInvitation,
  resetPassword,
  resetTotp,
  resolveApiToken,
  resolveSession,
  systemActor,
  totpCode,
  viewCase,
  type AccountActor,
} from '../../src/disclosure/index.js';
import { mailedLink, makeDeps, reportInput } from './helpers.js';

const PW = 'the first admin of cpansec';
const MAX_PW = 'max keeps the triage';

async function setup(options: { requireTotp?: boolean } = {}) {
  const deps = makeDeps({ seed: 'revocation' });
  if (options.requireTotp) deps.config.requireTotpForStaff = true;
  await createFirstAdmin(deps, systemActor('cli'), { email: 'ada@cpansec.test', name: 'Ada', password: PW });
  const r = await login(deps, { email: 'ada@cpansec.test', password: PW, ip: '192.0.2.1' });
  assert.ok(r.ok);
  let admin = r.actor;
  if (options.requireTotp) {
    // the administrator enrols, so that she may act, and logs in again with her code
    const { secret } = await beginTotp(deps, admin);
    await confirmTotp(deps, admin, totpCode(secret, deps.clock.now()));
    deps.clock.advanceMinutes(1);
    const again = await login(deps, { email: 'ada@cpansec.test', password: PW, ip: '192.0.2.1', secondFactor: totpCode(secret, deps.clock.now()) });
    assert.ok(again.ok && !again.actor.restricted);
    admin = again.actor;
  }
  const { account } = await inviteAccount(deps, admin, { email: 'max@cpansec.test', name: 'Max', role: 'member' });
  await redeemInvitation(deps, ANONYMOUS, await mailedLink(deps, 'max@cpansec.test'), { password: MAX_PW });
  const m = await login(deps, { email: 'max@cpansec.test', password: MAX_PW, ip: '192.0.2.2' });
  assert.ok(m.ok);
  return { deps, admin, max: m.actor, maxId: account.id, maxSession: m.token };
}

const usable = async (deps: ReturnType<typeof makeDeps>, id: string) => (await listApiTokens(deps, { kind: 'account', accountId: id, role: 'member', name: 'x', via: 'session', readOnly: false, restricted: false })).filter((t) => !t.revokedAt).length;

test('making a token needs the password again; a wrong one is refused and counted', async () => {
  const { deps, max } = await setup();
  await assert.rejects(createApiToken(deps, max, { name: 'ci', password: 'not my password' }), { code: 'FORBIDDEN', message: /password is not right/ });
  await assert.rejects(createApiToken(deps, max, { name: 'ci', password: undefined }), { code: 'FORBIDDEN' });
  const { token } = await createApiToken(deps, max, { name: 'ci', password: MAX_PW });
  assert.equal((await resolveApiToken(deps, token))?.name, 'Max');
  const failures = deps.store.snapshot().loginAttempts.filter((a) => a.emailKey === 'max@cpansec.test' && !a.ok);
  assert.equal(failures.length, 2);
});

test('a password reset revokes every API token and ends every session', async () => {
  const { deps, admin, maxId, max, maxSession } = await setup();
  const { token } = await createApiToken(deps, max, { name: 'ci', password: MAX_PW });
  await createApiToken(deps, max, { name: 'nightly', password: MAX_PW, readOnly: true });
  await resetPassword(deps, admin, maxId, 'the laptop was stolen');
  assert.equal(await resolveApiToken(deps, token), undefined, 'the token no longer works');
  assert.equal(await usable(deps, maxId), 0);
  assert.equal(await resolveSession(deps, maxSession), undefined);
  const entry = deps.store.snapshot().audit.find((e) => e.action === 'account.passwordReset')!;
  assert.equal(entry.data.tokensRevoked, 2);
});

test('a password change and a second-factor reset revoke the tokens when asked to', async () => {
  const { deps, admin, maxId, max } = await setup();
  const { token: kept } = await createApiToken(deps, max, { name: 'kept', password: MAX_PW });
  await changePassword(deps, max, { current: MAX_PW, next: 'max has a new passphrase' });
  assert.ok(await resolveApiToken(deps, kept), 'not asked: kept');
  let r = await login(deps, { email: 'max@cpansec.test', password: 'max has a new passphrase', ip: '192.0.2.2' });
  assert.ok(r.ok);
  const { tokensRevoked } = await changePassword(deps, r.actor, { current: 'max has a new passphrase', next: 'max has a third passphrase', revokeTokens: true });
  assert.equal(tokensRevoked, 1);
  assert.equal(await resolveApiToken(deps, kept), undefined);

  r = await login(deps, { email: 'max@cpansec.test', password: 'max has a third passphrase', ip: '192.0.2.2' });
  assert.ok(r.ok);
  const { token } = await createApiToken(deps, r.actor, { name: 'after', password: 'max has a third passphrase' });
  const { secret } = await beginTotp(deps, r.actor);
  await confirmTotp(deps, r.actor, totpCode(secret, deps.clock.now()));
  await resetTotp(deps, admin, maxId, 'lost the phone', { revokeTokens: true });
  assert.equal(await resolveApiToken(deps, token), undefined);
});

test('an account that must enrol a second factor gets no token, and tokens it has do nothing', async () => {
  const { deps, admin, maxId } = await setup({ requireTotp: true });
  // a token made before the requirement was switched on
  deps.config.requireTotpForStaff = false;
  const before = await login(deps, { email: 'max@cpansec.test', password: MAX_PW, ip: '192.0.2.2' });
  assert.ok(before.ok);
  const { token } = await createApiToken(deps, before.actor, { name: 'old', password: MAX_PW });
  deps.config.requireTotpForStaff = true;

  const m = await login(deps, { email: 'max@cpansec.test', password: MAX_PW, ip: '192.0.2.2' });
  assert.ok(m.ok && m.actor.restricted);
  await assert.rejects(createApiToken(deps, m.actor, { name: 'new', password: MAX_PW }), { code: 'FORBIDDEN', message: /second factor/ });
  await assert.rejects(issueApiToken(deps, admin, maxId, { name: 'by the operator' }), { code: 'FORBIDDEN', message: /second factor/ });
  const viaToken = (await resolveApiToken(deps, token)) as AccountActor;
  assert.deepEqual([viaToken.via, viaToken.restricted], ['token', true]);
  const { acknowledgement } = await fileReport(deps, ANONYMOUS, reportInput());
  await assert.rejects(viewCase(deps, viaToken, acknowledgement.reference), { code: 'FORBIDDEN', message: /second factor/ });

  // once enrolled, the token works again, and a new one can be made
  const { secret } = await beginTotp(deps, m.actor);
  await confirmTotp(deps, m.actor, totpCode(secret, deps.clock.now()));
  assert.equal((await viewCase(deps, (await resolveApiToken(deps, token))!, acknowledgement.reference)).state, 'received');
  const { token: t2 } = await issueApiToken(deps, admin, maxId, { name: 'by the operator', readOnly: true });
  assert.equal((await resolveApiToken(deps, t2))?.readOnly, true);
});

test('only one link to set a password is open: a newer reset, a password change or a redeemed link closes the others', async () => {
  const { deps, admin, maxId } = await setup();
  const first = await resetPassword(deps, admin, maxId, 'forgotten', { revealLink: true });
  const firstMailed = await mailedLink(deps, 'max@cpansec.test');
  const second = await resetPassword(deps, admin, maxId, 'forgotten again', { revealLink: true });
  const secondMailed = await mailedLink(deps, 'max@cpansec.test');
  const token = (link: string) => link.split('/').pop()!;
  for (const old of [token(first.link!), firstMailed]) {
    await assert.rejects(redeemInvitation(deps, ANONYMOUS, old, { password: 'an attacker’s password' }), { code: 'CONFLICT', message: /no longer valid/ }, 'a newer reset closes the older links');
  }
  // the owner sets the password with the mailed link: the administrator's copy of it is used up with it
  await redeemInvitation(deps, ANONYMOUS, secondMailed, { password: 'max is back again' });
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, token(second.link!), { password: 'an attacker’s password' }), { code: 'CONFLICT', message: /used already/ });

  assert.equal((await login(deps, { email: 'max@cpansec.test', password: 'max is back again', ip: '192.0.2.2' })).ok, true);
});

test('changing the password closes the links to set it that are still open', async () => {
  const { deps, admin } = await setup();
  // an account invitation redeemed through its mailed link, while the administrator's copy is open
  const { link } = await inviteAccount(deps, admin, { email: 'mia@cpansec.test', name: 'Mia', role: 'member' }, { revealLink: true });
  await redeemInvitation(deps, ANONYMOUS, await mailedLink(deps, 'mia@cpansec.test'), { password: 'mia joins the team' });
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, link!.split('/').pop()!, { password: 'an attacker’s password' }), { code: 'CONFLICT' });

  // a link to set her password still open (as an invitation of before this version, which closed
  // none) while she is logged in; then she changes the password herself
  const r = await login(deps, { email: 'mia@cpansec.test', password: 'mia joins the team', ip: '192.0.2.3' });
  assert.ok(r.ok);
  const { newInvitation } = await import('../../src/disclosure/index.js');
  const { token, record } = newInvitation(deps.random, 'z'.repeat(26), { kind: 'account', caseId: null, email: 'mia@cpansec.test', name: 'Mia', role: 'member', invitedBy: 'account:admin' }, deps.clock.now(), 14);
  await deps.store.transaction((tx) => tx.invitations.insert(record));
  await changePassword(deps, r.actor, { current: 'mia joins the team', next: 'mia changes her passphrase' });
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, token, { password: 'an attacker’s password' }), { code: 'CONFLICT', message: /no longer valid/ });
  assert.equal((await login(deps, { email: 'mia@cpansec.test', password: 'mia changes her passphrase', ip: '192.0.2.3' })).ok, true);
});
