import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contactFields, escalation, type ContactEntry } from '../../src/disclosure/index.js';

const policy = { responseDays: 14, reminderAfterDays: 7, secondChannelAfterDays: 14, decisionAfterDays: 30 };
const day = (n: number) => new Date(Date.UTC(2026, 2, 1) + n * 86_400_000);
const contact = (dayN: number, channel: ContactEntry['channel'] = 'email', answer?: number): ContactEntry => ({
  id: `c${dayN}`,
  caseId: 'case',
  at: day(dayN).toISOString(),
  loggedAt: day(dayN).toISOString(),
  by: 'account:member',
  channel,
  to: 'author@cpan.example',
  summary: 'wrote to the author',
  answer: answer === undefined ? null : { at: day(answer).toISOString(), summary: 'will fix', loggedBy: 'account:member' },
});

test('from acceptance to a team decision, computed from the log and the clock', () => {
  const accepted = { state: 'accepted' as const };
  const contacted = { state: 'author-contacted' as const };
  assert.equal(escalation(accepted, [], day(0), policy).step, 'contact-author');

  const one = [contact(0)];
  const waiting = escalation(contacted, one, day(3), policy);
  assert.deepEqual(
    [waiting.step, waiting.attempts, waiting.responseDeadline, waiting.overdue, waiting.nextStepAt],
    ['awaiting-answer', 1, day(14).toISOString(), false, day(7).toISOString()],
  );
  assert.equal(escalation(contacted, one, day(7), policy).step, 'send-reminder');
  const reminded = [contact(0), contact(8)];
  assert.equal(escalation(contacted, reminded, day(10), policy).step, 'awaiting-answer');
  const second = escalation(contacted, reminded, day(14), policy);
  assert.deepEqual([second.step, second.overdue], ['try-another-channel', false]);
  assert.equal(escalation(contacted, reminded, day(15), policy).overdue, true);
  const twoChannels = [...reminded, contact(15, 'pause-email')];
  assert.equal(escalation(contacted, twoChannels, day(16), policy).step, 'awaiting-answer', 'a second channel was tried');
  assert.equal(escalation(contacted, twoChannels, day(22), policy).step, 'send-reminder');
  const decide = escalation(contacted, twoChannels, day(30), policy);
  assert.deepEqual([decide.step, decide.channels, decide.nextStepAt], ['team-decision', ['email', 'pause-email'], null]);
});

test('an answer, or the author at work, ends the escalation; closed cases have none', () => {
  assert.equal(escalation({ state: 'author-contacted' }, [contact(0), contact(8, 'email', 9)], day(40), policy).step, 'answered');
  assert.equal(escalation({ state: 'fix-in-progress' }, [contact(0)], day(40), policy).step, 'answered');
  assert.equal(escalation({ state: 'triaging' }, [], day(40), policy).step, 'not-applicable');
  assert.equal(escalation({ state: 'published' }, [contact(0)], day(40), policy).step, 'not-applicable');
});

test('a contact entry is checked: channel, recipient, summary, not in the future', () => {
  const now = day(5);
  assert.deepEqual(contactFields({ channel: 'issue-tracker', to: 'https://github.com/foo/bar/issues/1', summary: 'opened a private advisory' }, now), {
    at: now.toISOString(),
    channel: 'issue-tracker',
    to: 'https://github.com/foo/bar/issues/1',
    summary: 'opened a private advisory',
  });
  assert.equal(contactFields({ at: day(2).toISOString(), channel: 'irc', to: '#toolchain', summary: 'asked' }, now).at, day(2).toISOString());
  assert.throws(() => contactFields({ channel: 'pigeon', to: 'x', summary: 'y' }, now), { code: 'PARSE_ERROR', message: /channel: must be one of email/ });
  assert.throws(() => contactFields({ at: day(6).toISOString(), channel: 'email', to: 'x', summary: 'y' }, now), { message: /future/ });
  assert.throws(() => contactFields({ at: 'yesterday', channel: 'email', to: 'x', summary: 'y' }, now), { message: /not a time/ });
  assert.throws(() => contactFields({ channel: 'email', to: '', summary: 'y' }, now), { message: 'to: is required' });
});
