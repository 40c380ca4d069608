import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEmbargoEnd, dueReminders, embargoStatus, expiryNeedsFlag, isPublic, type Case, type Embargo } from '../../src/disclosure/index.js';

const now = new Date('2026-03-02T10:00:00Z');
const embargo = (endsAt: string, extra: Partial<Embargo> = {}): Embargo => ({ endsAt, setAt: '2026-03-01T00:00:00.000Z', setBy: 'account:m', remindersSent: [], expiryFlaggedAt: null, ...extra });
type Facts = Pick<Case, 'state' | 'publishedAt' | 'embargo'>;
const at = (s: string) => new Date(s);

test('isPublic: published, published already, and past any embargo — all three', () => {
  const published: Facts = { state: 'published', publishedAt: '2026-03-01T00:00:00.000Z', embargo: null };
  assert.equal(isPublic(published, now), true);
  assert.equal(isPublic({ ...published, state: 'fix-released' }, now), false, 'not published');
  assert.equal(isPublic({ ...published, publishedAt: null }, now), false);
  assert.equal(isPublic({ ...published, publishedAt: '2026-03-02T10:00:00.001Z' }, now), false, 'published a millisecond from now');
  const embargoed = { ...published, embargo: embargo('2026-03-02T12:00:00.000Z') };
  assert.equal(isPublic(embargoed, now), false, 'under embargo');
  assert.equal(isPublic(embargoed, at('2026-03-02T12:00:00Z')), true, 'the embargo ends at its end time');
  for (const state of ['received', 'triaging', 'accepted', 'rejected', 'duplicate', 'author-contacted', 'fix-in-progress', 'fix-released', 'withdrawn'] as const) {
    assert.equal(isPublic({ state, publishedAt: '2026-01-01T00:00:00.000Z', embargo: null }, now), false, state);
  }
});

test('status: none, active, ending soon, expired (unpublished: the team must act), ended', () => {
  const base: Facts = { state: 'fix-released', publishedAt: null, embargo: null };
  assert.equal(embargoStatus(base, now).state, 'none');
  assert.deepEqual(embargoStatus({ ...base, embargo: embargo('2026-03-20T10:00:00.000Z') }, now), { state: 'active', endsAt: '2026-03-20T10:00:00.000Z', daysLeft: 18 });
  assert.equal(embargoStatus({ ...base, embargo: embargo('2026-03-08T10:00:00.000Z') }, now).state, 'ending-soon');
  const expired = { ...base, embargo: embargo('2026-03-01T10:00:00.000Z') };
  assert.deepEqual(embargoStatus(expired, now), { state: 'expired', endsAt: '2026-03-01T10:00:00.000Z', daysLeft: -1 });
  assert.equal(expiryNeedsFlag(expired, now), true);
  assert.equal(expiryNeedsFlag({ ...expired, embargo: { ...expired.embargo, expiryFlaggedAt: '2026-03-01T11:00:00.000Z' } }, now), false, 'flagged once');
  assert.equal(embargoStatus({ ...expired, state: 'published', publishedAt: '2026-03-01T10:00:00.000Z' }, now).state, 'ended');
  assert.equal(embargoStatus({ ...expired, state: 'withdrawn' }, now).state, 'ended');
});

test('reminders fall due at each lead time, once, most distant first', () => {
  const config = { maxDays: 90, reminderLeadDays: [7, 2, 1] };
  const c: Facts = { state: 'fix-in-progress', publishedAt: null, embargo: embargo('2026-03-10T10:00:00.000Z') };
  assert.deepEqual(dueReminders(c, at('2026-03-02T10:00:00Z'), config), []);
  assert.deepEqual(dueReminders(c, at('2026-03-03T10:00:00Z'), config), [7]);
  assert.deepEqual(dueReminders(c, at('2026-03-09T12:00:00Z'), config), [7, 2, 1], 'a late run sends what was missed');
  const sent = { ...c, embargo: { ...c.embargo!, remindersSent: [7] } };
  assert.deepEqual(dueReminders(sent, at('2026-03-08T10:00:00Z'), config), [2]);
  assert.deepEqual(dueReminders(sent, at('2026-03-10T10:00:00Z'), config), [], 'nothing once it ended');
  assert.deepEqual(dueReminders({ ...c, state: 'withdrawn' }, at('2026-03-09T12:00:00Z'), config), []);
});

test('an embargo end is a date in the future within the maximum', () => {
  assert.equal(checkEmbargoEnd('2026-04-01', now).toISOString(), '2026-04-01T00:00:00.000Z');
  assert.equal(checkEmbargoEnd('2026-04-01T12:30:00+02:00', now).toISOString(), '2026-04-01T10:30:00.000Z');
  assert.throws(() => checkEmbargoEnd('2026-03-01', now), { code: 'PARSE_ERROR', message: 'embargoEndsAt: an embargo must end in the future' });
  assert.throws(() => checkEmbargoEnd('2026-07-01', now), { message: /at most 90 days/ });
  assert.throws(() => checkEmbargoEnd('next tuesday', now), { message: /not a date/ });
  assert.throws(() => checkEmbargoEnd('2026-02-30', now), { message: /not a date|in the future/ });
  assert.throws(() => checkEmbargoEnd(12345, now), { message: /not a date/ });
});
