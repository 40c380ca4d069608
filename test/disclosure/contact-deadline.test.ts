/**
 * The author's response deadline: the team's policy (configurable: `cpansec serve
 * --author-*-days`), or a deadline agreed for the case when the author is contacted, which the
 * escalation then follows.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANONYMOUS,
  assessCase,
  checkContactPolicy,
  createFirstAdmin,
  escalation,
  fileReport,
  inviteAuthor,
  logContact,
  login,
  responseDeadline,
  sendReminders,
  systemActor,
  transitionCase,
  viewCase,
  type ContactEntry,
} from '../../src/disclosure/index.js';
import { deliver, makeDeps, reportInput } from './helpers.js';

const policy = { responseDays: 14, reminderAfterDays: 7, secondChannelAfterDays: 14, decisionAfterDays: 30 };
const day = (n: number) => new Date(Date.UTC(2026, 2, 1) + n * 86_400_000);
const contact = (dayN: number): ContactEntry => ({ id: `c${dayN}`, caseId: 'case', at: day(dayN).toISOString(), loggedAt: day(dayN).toISOString(), by: 'account:member', channel: 'email', to: 'a@cpan.example', summary: 'wrote', answer: null });

test('a case’s own deadline moves the second channel to it and the decision as far after it', () => {
  const c = { state: 'author-contacted' as const, authorDeadline: day(45).toISOString() };
  const e = escalation(c, [contact(0)], day(3), policy);
  assert.deepEqual([e.responseDeadline, e.deadlineSetForCase, e.overdue], [day(45).toISOString(), true, false]);
  assert.equal(escalation(c, [contact(0), contact(20)], day(21), policy).step, 'awaiting-answer', 'not another channel at day 14');
  assert.equal(escalation(c, [contact(0), contact(40)], day(45), policy).step, 'try-another-channel');
  assert.equal(escalation(c, [contact(0), contact(55), { ...contact(56), channel: 'irc' }], day(61), policy).step, 'team-decision', 'decision 16 days after the deadline');
  assert.equal(escalation(c, [contact(0), contact(55), { ...contact(56), channel: 'irc' }], day(60), policy).step, 'awaiting-answer');
  // a shorter policy, without a case deadline
  const short = checkContactPolicy({ responseDays: 5, reminderAfterDays: 3, secondChannelAfterDays: 5, decisionAfterDays: 10 });
  const s = escalation({ state: 'author-contacted' }, [contact(0)], day(5), short);
  assert.deepEqual([s.step, s.responseDeadline, s.deadlineSetForCase], ['try-another-channel', day(5).toISOString(), false]);
  assert.equal(escalation({ state: 'author-contacted' }, [contact(0)], day(10), short).step, 'team-decision');
  assert.throws(() => checkContactPolicy({ ...short, decisionAfterDays: 4 }), { code: 'PARSE_ERROR', message: /decisionAfterDays/ });
  assert.throws(() => checkContactPolicy({ ...short, reminderAfterDays: 0 }), { message: /reminderAfterDays: must be a whole number/ });
});

test('a deadline is a date in the future within 180 days', () => {
  const now = day(0);
  assert.equal(responseDeadline('2026-03-20', now), '2026-03-20T00:00:00.000Z');
  assert.equal(responseDeadline('', now), null);
  assert.throws(() => responseDeadline('2026-02-01', now), { message: /respondBy: must be in the future/ });
  assert.throws(() => responseDeadline('2027-03-01', now), { message: /within 180 days/ });
  assert.throws(() => responseDeadline('soon', now), { message: /not a date/ });
});

test('set when contacting the author, shown with the case, followed by the reminder job', async () => {
  const deps = makeDeps({ seed: 'deadline' });
  deps.config.contact = checkContactPolicy({ responseDays: 10, reminderAfterDays: 4, secondChannelAfterDays: 10, decisionAfterDays: 20 });
  await createFirstAdmin(deps, systemActor('cli'), { email: 'ada@cpansec.test', name: 'Ada', password: 'the first admin of cpansec' });
  const r = await login(deps, { email: 'ada@cpansec.test', password: 'the first admin of cpansec', ip: '192.0.2.1' });
  assert.ok(r.ok);
  const admin = r.actor;
  const ref = (await fileReport(deps, ANONYMOUS, reportInput())).acknowledgement.reference;
  await transitionCase(deps, admin, ref, 'triaging', 'x');
  await assessCase(deps, admin, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
  await transitionCase(deps, admin, ref, 'accepted', 'x');
  assert.equal((await viewCase(deps, admin, ref)).escalation?.step, 'contact-author');
  await inviteAuthor(deps, admin, ref, { email: 'author@cpan.example', respondBy: '2026-04-01' });
  const v = await viewCase(deps, admin, ref);
  assert.deepEqual([v.state, v.escalation?.responseDeadline, v.escalation?.deadlineSetForCase], ['author-contacted', '2026-04-01T00:00:00.000Z', true]);
  const mail = (await deliver(deps)).find((m) => m.to === 'author@cpan.example')!;
  assert.match(mail.text, /Please answer by 2026-04-01/);
  assert.ok(deps.store.snapshot().audit.some((e) => e.action === 'contact.deadline' && e.data.respondBy === '2026-04-01T00:00:00.000Z'));

  // the team's default would ask for another channel after 10 days; the case's deadline is later
  deps.clock.advanceDays(12);
  await sendReminders(deps, systemActor('scheduler'));
  assert.notEqual((await viewCase(deps, admin, ref)).escalation?.step, 'try-another-channel');
  await logContact(deps, admin, ref, { channel: 'email', to: 'author@cpan.example', summary: 'a reminder', respondBy: '2026-03-25' });
  assert.equal((await viewCase(deps, admin, ref)).escalation?.responseDeadline, '2026-03-25T00:00:00.000Z', 'a later contact may set another');
  deps.clock.advanceDays(12);
  assert.equal((await viewCase(deps, admin, ref)).escalation?.step, 'try-another-channel');
  await assert.rejects(logContact(deps, admin, ref, { channel: 'email', to: 'x', summary: 'y', respondBy: '2026-03-01' }), { code: 'PARSE_ERROR', message: /respondBy/ });
});
