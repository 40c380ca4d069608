/**
 * "Next step due" agrees with the step the case is at: for thousands of contact logs (one or two
 * channels, answered or not, automatic reminders, a case's own deadline or none, several
 * policies) at many moments, the step escalation() announces as next is the step it computes when
 * that moment comes and nothing has happened — and until then the step stays what it is. The
 * reminder is automatic exactly when the job can send it (an e-mail address is known and its last
 * reminder was followed by an attempt of the team's).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { authorAddress, checkContactPolicy, escalation, nextStepName, type ContactEntry, type ContactPolicy } from '../../src/disclosure/index.js';
import { seeded as generator } from '../helpers/seeded.js';

const day = (n: number) => new Date(Date.UTC(2026, 2, 1) + n * 86_400_000);

const POLICIES: ContactPolicy[] = [
  { responseDays: 14, reminderAfterDays: 7, secondChannelAfterDays: 14, decisionAfterDays: 30 },
  { responseDays: 5, reminderAfterDays: 3, secondChannelAfterDays: 5, decisionAfterDays: 10 },
  { responseDays: 10, reminderAfterDays: 12, secondChannelAfterDays: 8, decisionAfterDays: 20 },
  { responseDays: 7, reminderAfterDays: 7, secondChannelAfterDays: 7, decisionAfterDays: 8 },
].map(checkContactPolicy);

const CHANNELS: ContactEntry['channel'][] = ['email', 'email', 'pause-email', 'issue-tracker', 'irc'];

test('the next step due is the step the case reaches then, and the step holds until then', () => {
  const next = generator(12);
  let checked = 0;
  for (let i = 0; i < 4000; i++) {
    const policy = POLICIES[i % POLICIES.length]!;
    const contacts: ContactEntry[] = [];
    let t = Math.floor(next() * 5);
    for (let k = 0; k < 1 + Math.floor(next() * 4); k++) {
      const channel = CHANNELS[Math.floor(next() * CHANNELS.length)]!;
      const automatic = k > 0 && next() < 0.3;
      contacts.push({
        id: `c${k}`,
        caseId: 'case',
        at: new Date(day(t).getTime() + Math.floor(next() * 86_400_000)).toISOString(),
        loggedAt: day(t).toISOString(),
        by: automatic ? 'system:reminder-job' : 'account:member',
        channel: automatic ? 'email' : channel,
        to: channel === 'email' || channel === 'pause-email' || automatic ? 'author@cpan.example' : '#perl',
        summary: automatic ? 'automatic reminder sent by cpansec' : 'wrote',
        answer: null,
      });
      t += Math.floor(next() * 12);
    }
    const c = { state: 'author-contacted' as const, ...(next() < 0.3 ? { authorDeadline: day(Math.floor(next() * 40) + 1).toISOString() } : {}) };
    const latest = Math.max(...contacts.map((x) => new Date(x.at).getTime()));
    const now = new Date(latest + Math.floor(next() * 20 * 86_400_000));
    const e = escalation(c, contacts, now, policy);
    const address = authorAddress(contacts);
    assert.equal(e.reminderTo, address?.to ?? null);
    const last = [...contacts].sort((a, b) => a.at.localeCompare(b.at)).at(-1)!;
    assert.equal(e.automaticReminder, address !== null && !last.by.startsWith('system:'));
    assert.equal(e.nextStepAt, e.next?.at ?? null);
    if (!e.next) {
      assert.ok(e.step === 'team-decision', `no next step only when the team must decide (${e.step})`);
      continue;
    }
    const at = new Date(e.next.at);
    assert.ok(at.getTime() > now.getTime(), 'the next step is ahead');
    const then = escalation(c, contacts, at, policy);
    assert.equal(then.step, e.next.step, `${JSON.stringify({ contacts, c, now, policy, next: e.next })}`);
    assert.equal(e.next.automatic, e.next.step === 'send-reminder' && e.automaticReminder);
    assert.equal(escalation(c, contacts, new Date(at.getTime() - 1), policy).step, e.step, 'nothing changes before it');
    checked++;
  }
  assert.ok(checked > 2000, `${checked} cases checked`);
});

test('the next step of the usual path, and its name', () => {
  const policy = POLICIES[0]!;
  const mail = (n: number, by = 'account:member'): ContactEntry => ({ id: `c${n}`, caseId: 'case', at: day(n).toISOString(), loggedAt: day(n).toISOString(), by, channel: 'email', to: 'author@cpan.example', summary: 'wrote', answer: null });
  const contacted = { state: 'author-contacted' as const };
  // day 3: the reminder at day 7, sent by the job
  let e = escalation(contacted, [mail(0)], day(3), policy);
  assert.deepEqual([e.step, e.next], ['awaiting-answer', { step: 'send-reminder', at: day(7).toISOString(), automatic: true }]);
  assert.equal(nextStepName(e.next!), 'the author is reminded by mail (automatically)');
  // day 7, not yet sent: another channel at day 14 (not the decision of day 30)
  e = escalation(contacted, [mail(0)], day(7), policy);
  assert.deepEqual([e.step, e.next], ['send-reminder', { step: 'try-another-channel', at: day(14).toISOString(), automatic: false }]);
  assert.equal(nextStepName(e.next!), 'try another channel');
  // sent at day 7 by the job: waiting, another channel at day 14 (before the next reminder at day 14 wins the tie)
  e = escalation(contacted, [mail(0), mail(7, 'system:reminder-job')], day(8), policy);
  assert.deepEqual([e.step, e.next, e.automaticReminder], ['awaiting-answer', { step: 'try-another-channel', at: day(14).toISOString(), automatic: false }, false]);
  // the author on the issue tracker only: no address, no automatic reminder
  e = escalation(contacted, [{ ...mail(0), channel: 'issue-tracker', to: 'https://github.com/x/y/issues' }], day(3), policy);
  assert.deepEqual([e.reminderTo, e.next], [null, { step: 'send-reminder', at: day(7).toISOString(), automatic: false }]);
  assert.equal(nextStepName(e.next!), 'remind the author');
  // two channels tried: after the reminder only the decision is ahead
  e = escalation(contacted, [mail(0), { ...mail(1), channel: 'pause-email', to: 'AUTHOR@cpan.org' }], day(9), policy);
  assert.deepEqual([e.step, e.next?.step, e.next?.at, e.reminderTo], ['send-reminder', 'team-decision', day(30).toISOString(), 'AUTHOR@cpan.org']);
  assert.equal(escalation(contacted, [mail(0)], day(30), policy).next, null);
});
