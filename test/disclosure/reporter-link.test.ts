/**
 * A reporter who filed without an account and lost (or let expire) the claim link gets a new one
 * from the team: the old links stop working, the action is in the audit log, and it is refused once
 * the case is claimed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANONYMOUS, caseAuditTrail, createFirstAdmin, fileReport, login, redeemInvitation, resendReporterLink, systemActor, viewCase } from '../../src/disclosure/index.js';
import { deliver, mailedLink, makeDeps, reportInput } from './helpers.js';

test('a new claim link: the old ones closed, audited, refused once claimed', async () => {
  const deps = makeDeps({ seed: 'reporter-link' });
  await createFirstAdmin(deps, systemActor('cli'), { email: 'ada@cpansec.test', name: 'Ada', password: 'the first admin of cpansec' });
  const r = await login(deps, { email: 'ada@cpansec.test', password: 'the first admin of cpansec', ip: '192.0.2.1' });
  assert.ok(r.ok);
  const ref = (await fileReport(deps, ANONYMOUS, reportInput({ reporterEmail: 'rita@example.org' }))).acknowledgement.reference;
  const lost = await mailedLink(deps, 'rita@example.org');
  deps.clock.advanceDays(20); // the first link has expired too

  await assert.rejects(resendReporterLink(deps, ANONYMOUS, ref, 'asked'), { code: 'NOT_FOUND' });
  await assert.rejects(resendReporterLink(deps, r.actor, ref, ''), { code: 'PARSE_ERROR', message: /reason/ });
  const sent = await resendReporterLink(deps, r.actor, ref, 'Rita wrote that the mail was lost');
  assert.deepEqual(sent, { reference: ref, to: 'rita@example.org', closed: 0 });
  const second = await mailedLink(deps, 'rita@example.org');
  const mail = [...(await deliver(deps))].reverse().find((m) => m.to === 'rita@example.org')!;
  assert.match(mail.subject, /A new link to follow your report/);
  assert.notEqual(second, lost);

  // sent once more: the second link is closed
  assert.equal((await resendReporterLink(deps, r.actor, ref, 'again')).closed, 1);
  const third = await mailedLink(deps, 'rita@example.org');
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, second, { password: 'she reports bugs often' }), { code: 'CONFLICT', message: /no longer valid/ });
  await assert.rejects(redeemInvitation(deps, ANONYMOUS, lost, { password: 'she reports bugs often' }), { code: 'CONFLICT', message: /expired/ });
  await redeemInvitation(deps, ANONYMOUS, third, { password: 'she reports bugs often' });
  const rita = await login(deps, { email: 'rita@example.org', password: 'she reports bugs often', ip: '192.0.2.9' });
  assert.ok(rita.ok);
  assert.equal((await viewCase(deps, rita.actor, ref)).viewerRole, 'reporter');
  await assert.rejects(resendReporterLink(deps, r.actor, ref, 'once more'), { code: 'CONFLICT', message: /claimed the case already/ });

  const { entries, actors } = await caseAuditTrail(deps, r.actor, ref);
  const resent = entries.filter((e) => e.action === 'reporter.linkResent');
  assert.equal(resent.length, 2);
  assert.match(resent[0]!.actor, /^account:[0-9a-z]{26}$/, 'the entry keeps the id');
  assert.deepEqual(actors[resent[0]!.actor], { name: 'Ada', role: 'admin', email: 'ada@cpansec.test' });
  assert.deepEqual(actors.anonymous, { name: 'anonymous' });
});
