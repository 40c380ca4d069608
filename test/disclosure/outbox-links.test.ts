/**
 * No live single-use link is ever stored in the outbox: account invitations, password resets,
 * reporters' claim links and author invitations hold a placeholder, and the drain makes a new
 * token of the invitation when it sends the mail. Whoever reads the outbox (an administrator's
 * page, the API, a backup) finds nothing to redeem; the mail as sent works once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANONYMOUS,
  createFirstAdmin,
  fileReport,
  inviteAccount,
  inviteAuthor,
  listOutbox,
  login,
  redeemInvitation,
  resetPassword,
  systemActor,
  transitionCase,
  assessCase,
  LINK_MARK,
  type AccountActor,
} from '../../src/disclosure/index.js';
import { deliver, mailedLink, makeDeps, reportInput } from './helpers.js';

const PW = 'the first admin of cpansec';
const LINK = /invitations\/([0-9a-z]{20,})/;

async function setup() {
  const deps = makeDeps({ seed: 'outbox-links' });
  await createFirstAdmin(deps, systemActor('cli'), { email: 'ada@cpansec.test', name: 'Ada', password: PW });
  const r = await login(deps, { email: 'ada@cpansec.test', password: PW, ip: '192.0.2.1' });
  assert.ok(r.ok);
  return { deps, admin: r.actor as AccountActor };
}

test('stored mails hold no live link; the outbox view says where one goes', async () => {
  const { deps, admin } = await setup();
  await inviteAccount(deps, admin, { email: 'max@cpansec.test', name: 'Max', role: 'member' });
  const { account } = await inviteAccount(deps, admin, { email: 'mia@cpansec.test', name: 'Mia', role: 'admin' });
  await resetPassword(deps, admin, account.id, 'a reset');
  const { acknowledgement } = await fileReport(deps, ANONYMOUS, reportInput());
  const ref = acknowledgement.reference;
  await transitionCase(deps, admin, ref, 'triaging', 'x');
  await assessCase(deps, admin, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
  await transitionCase(deps, admin, ref, 'accepted', 'x');
  await inviteAuthor(deps, admin, ref, { email: 'author@cpan.example' });

  const stored = await deps.store.transaction((tx) => tx.outbox.list({}));
  const withLinks = stored.filter((m) => m.link);
  assert.equal(withLinks.length, 5, 'two account invitations, a reset, a claim link, an author invitation');
  for (const m of stored) assert.doesNotMatch(m.body, LINK, `${m.subject}: a link in the stored body`);
  assert.ok(withLinks.every((m) => m.body.split(LINK_MARK).length === 2));
  const view = await listOutbox(deps, admin);
  assert.ok(view.filter((m) => m.link).every((m) => m.body.includes('[a single-use link, made when the mail is sent]') && !m.body.includes(LINK_MARK)));

  // the mail as sent carries a link that works, once (Mia's first one was closed by her reset)
  const sent = await deliver(deps);
  assert.equal(sent.filter((m) => LINK.test(m.text)).length, 4);
  assert.match(sent.find((m) => m.to === 'mia@cpansec.test')!.text, /this link is no longer valid/);
  const token = await mailedLink(deps, 'max@cpansec.test');
  await redeemInvitation(deps, ANONYMOUS, token, { password: 'max keeps the triage' });
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, token, { password: 'max keeps the triage' }), { code: 'CONFLICT', message: /used already/ });
  assert.equal((await login(deps, { email: 'max@cpansec.test', password: 'max keeps the triage', ip: '192.0.2.2' })).ok, true);
});

test('the link returned to the issuer and the mailed link are two tokens of one invitation: one use for both', async () => {
  const { deps, admin } = await setup();
  const { link } = await inviteAccount(deps, admin, { email: 'max@cpansec.test', name: 'Max', role: 'member' }, { revealLink: true });
  const mailed = await mailedLink(deps, 'max@cpansec.test');
  assert.notEqual(LINK.exec(link!)![1], mailed);
  await redeemInvitation(deps, ANONYMOUS, mailed, { password: 'max keeps the triage' });
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, LINK.exec(link!)![1]!, { password: 'another password here' }), { code: 'CONFLICT' });
});

test('a mail whose invitation was closed before it went out says so instead of carrying a link', async () => {
  const { deps, admin } = await setup();
  const { account } = await inviteAccount(deps, admin, { email: 'max@cpansec.test', name: 'Max', role: 'member' });
  await resetPassword(deps, admin, account.id, 'sent twice');
  const sent = (await deliver(deps)).filter((m) => m.to === 'max@cpansec.test');
  assert.equal(sent.length, 2);
  assert.match(sent[0]!.text, /this link is no longer valid/, 'the first invitation was closed by the reset');
  assert.match(sent[1]!.text, LINK);
});

test('a drain that cannot make links sends no mail that needs one (and retries it)', async () => {
  const { deps, admin } = await setup();
  await inviteAccount(deps, admin, { email: 'max@cpansec.test', name: 'Max', role: 'member' });
  const { drainOutbox } = await import('../../src/disclosure/index.js');
  const sent: string[] = [];
  const r = await drainOutbox(deps.store, { send: async (m) => void sent.push(m.text) }, deps.clock, deps.config.outbox);
  assert.deepEqual([r.sent, r.retried, sent.length], [0, 1, 0]);
  const [m] = await deps.store.transaction((tx) => tx.outbox.list({}));
  assert.match(m!.lastError ?? '', /link made when it is sent/);
});
