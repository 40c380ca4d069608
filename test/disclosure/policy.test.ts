/**
 * The access matrix: every action × every role × (own case, another's case, a published case, an
 * embargoed case). The expectations are written out here by hand, not derived from the policy's
 * tables, so a change of the policy shows up as a failing cell.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  accountActor,
  ANONYMOUS,
  CASE_ACTIONS,
  decide,
  GLOBAL_ACTIONS,
  systemActor,
  type Actor,
  type Case,
  type CaseAction,
  type GlobalAction,
} from '../../src/disclosure/index.js';
import { makeCase as acceptedCase } from './helpers.js';

const now = new Date('2026-03-02T10:00:00Z');

/** The matrix's cases are being triaged and were filed by someone else, unless a column says otherwise. */
const makeCase = (overrides: Partial<Case>): Case => acceptedCase({ state: 'triaging', reporterAccountId: 'other', ...overrides });

const share = (accountId: string, revokedAt: string | null = null) => ({ accountId, sharedAt: '2026-03-01T00:00:00.000Z', sharedBy: 'account:member', revokedAt, revokedBy: revokedAt ? 'account:member' : null });
/** shared with the downstream packager; shared with another and then revoked */
const SHARED = { summary: 'Foo::Bar before 1.24 follows symlinks; upgrade.', fixAttachmentId: null, shares: [share('downstream'), share('revoked', '2026-03-01T12:00:00.000Z')] };

const CASES = {
  own: makeCase({ id: 'a'.repeat(26), reporterAccountId: 'reporter', authorAccountIds: ['author'], downstream: SHARED }),
  other: makeCase({ id: 'b'.repeat(26) }),
  published: makeCase({ id: 'c'.repeat(26), state: 'published', publishedAt: '2026-03-01T12:00:00.000Z', downstream: SHARED }),
  embargoed: makeCase({
    id: 'd'.repeat(26),
    state: 'accepted',
    embargo: { endsAt: '2026-04-01T00:00:00.000Z', setAt: '2026-03-01T00:00:00.000Z', setBy: 'account:member', remindersSent: [], expiryFlaggedAt: null },
  }),
};
type Column = keyof typeof CASES;

const ACTORS: Record<string, Actor> = {
  admin: accountActor({ id: 'admin', role: 'admin', name: 'Ada' }),
  member: accountActor({ id: 'member', role: 'member', name: 'Max' }),
  reporter: accountActor({ id: 'reporter', role: 'external', name: 'Rita' }),
  author: accountActor({ id: 'author', role: 'external', name: 'Abe' }),
  outsider: accountActor({ id: 'outsider', role: 'external', name: 'Otto' }),
  anonymous: ANONYMOUS,
  // packagers: the one a case is shared with, one it never was, one whose share was revoked
  downstream: accountActor({ id: 'downstream', role: 'downstream', name: 'Deb' }),
  downstreamOther: accountActor({ id: 'downstream2', role: 'downstream', name: 'Fed' }),
  revoked: accountActor({ id: 'revoked', role: 'downstream', name: 'Rev' }),
};
type Who = keyof typeof ACTORS;

// Who may, per column. S = both staff roles.
const S: Who[] = ['admin', 'member'];
type Spec = Partial<Record<Column, Who[]>>;
const STAFF_EVERYWHERE: Spec = { own: S, other: S, published: S, embargoed: S };
const STAFF_OPEN: Spec = { own: S, other: S, embargoed: S };
const STAFF_ACCEPTED: Spec = { embargoed: S };

const EXPECTED: Record<CaseAction, Spec> = {
  'case.view': { own: [...S, 'reporter', 'author'], other: S, published: S, embargoed: S },
  'case.viewPublic': { own: [...S, 'reporter', 'author', 'downstream'], other: S, published: ['admin', 'member', 'reporter', 'author', 'outsider', 'anonymous', 'downstream', 'downstreamOther', 'revoked'], embargoed: S },
  'case.viewDownstream': { own: [...S, 'downstream'], other: S, published: [...S, 'downstream'], embargoed: S },
  'case.shareDownstream': STAFF_ACCEPTED,
  'case.revokeDownstream': STAFF_EVERYWHERE,
  'case.viewContact': { own: [...S, 'reporter'], other: S, published: S, embargoed: S },
  'case.viewAudit': STAFF_EVERYWHERE,
  'case.viewDraft': { own: [...S, 'reporter', 'author'], other: S, published: S, embargoed: S },
  'message.viewInternal': STAFF_EVERYWHERE,
  'case.edit': { own: [...S, 'reporter'], other: S, embargoed: S },
  'message.shared': { own: [...S, 'reporter', 'author'], other: S, published: S, embargoed: S },
  'message.internal': STAFF_EVERYWHERE,
  'case.assess': STAFF_OPEN,
  'case.setEmbargo': STAFF_OPEN,
  'case.inviteAuthor': STAFF_ACCEPTED,
  'case.logContact': STAFF_ACCEPTED,
  'case.editDraft': STAFF_ACCEPTED,
  'case.assignCve': STAFF_ACCEPTED,
  'case.resendReporterLink': {}, // every case here is claimed by its reporter (an unclaimed one: below)
  'case.publish': {}, // the only accepted case is under embargo
  'transition:received': {},
  'transition:triaging': {}, // own/other are triaging already; reopening needs a closed case
  'transition:accepted': { own: S, other: S },
  'transition:rejected': { own: S, other: S },
  'transition:duplicate': { own: S, other: S },
  'transition:author-contacted': STAFF_ACCEPTED,
  'transition:fix-in-progress': STAFF_ACCEPTED,
  'transition:fix-released': {},
  'transition:published': {}, // only through the publish command
  'transition:withdrawn': { own: [...S, 'reporter'], other: S, embargoed: S },
};

/** Where the case is invisible, the answer is NOT_FOUND, as for an id never issued. */
const VISIBLE: Record<Column, Who[]> = {
  own: [...S, 'reporter', 'author', 'downstream'],
  other: S,
  published: ['admin', 'member', 'reporter', 'author', 'outsider', 'anonymous', 'downstream', 'downstreamOther', 'revoked'],
  embargoed: S,
};

test('the matrix covers every case action', () => {
  assert.deepEqual(Object.keys(EXPECTED).sort(), [...CASE_ACTIONS].sort());
});

for (const column of Object.keys(CASES) as Column[]) {
  test(`every case action × every role on the ${column} case`, () => {
    const failures: string[] = [];
    for (const action of CASE_ACTIONS) {
      for (const who of Object.keys(ACTORS) as Who[]) {
        const d = decide(ACTORS[who]!, action, CASES[column], now);
        const want = (EXPECTED[action][column] ?? []).includes(who);
        if (d.allowed !== want) failures.push(`${action} by ${who}: ${d.allowed ? 'allowed' : `denied (${d.code}: ${d.reason})`}, expected ${want ? 'allowed' : 'denied'}`);
        if (!d.allowed && !VISIBLE[column].includes(who) && d.code !== 'NOT_FOUND') failures.push(`${action} by ${who}: ${d.code}, expected NOT_FOUND (the case is invisible to them)`);
        if (!d.allowed && VISIBLE[column].includes(who) && d.code === 'NOT_FOUND') failures.push(`${action} by ${who}: NOT_FOUND although the case is visible`);
      }
    }
    assert.deepEqual(failures, []);
  });
}

test('a published case under a new embargo, or published in the future, is invisible to the public', () => {
  const reEmbargoed = makeCase({ ...CASES.published, embargo: CASES.embargoed.embargo });
  const future = makeCase({ ...CASES.published, publishedAt: '2026-03-03T00:00:00.000Z' });
  for (const c of [reEmbargoed, future]) {
    for (const who of ['outsider', 'anonymous', 'reporter', 'author'] as Who[]) {
      assert.equal(decide(ACTORS[who]!, 'case.viewPublic', c, now).allowed, false, who);
    }
    assert.equal(decide(ACTORS.admin!, 'case.view', c, now).allowed, true);
  }
});

test('no case: NOT_FOUND for every case action', () => {
  for (const action of CASE_ACTIONS) {
    for (const who of Object.keys(ACTORS) as Who[]) assert.equal((decide(ACTORS[who]!, action, null, now) as { code?: string }).code, 'NOT_FOUND');
  }
});

const PACKAGERS = ['downstream', 'downstreamOther', 'revoked'];
const GLOBAL_EXPECTED: Record<GlobalAction, string[]> = {
  'case.file': ['admin', 'member', 'reporter', 'author', 'outsider', 'anonymous', ...PACKAGERS],
  'case.list': ['admin', 'member', 'reporter', 'author', 'outsider', ...PACKAGERS],
  'account.self': ['admin', 'member', 'reporter', 'author', 'outsider', ...PACKAGERS],
  'account.token': ['admin', 'member', 'reporter', 'author', 'outsider', ...PACKAGERS],
  'account.manage': ['admin'],
  'audit.verify': ['admin', 'member'],
  'reminders.view': ['admin', 'member'],
  'reminders.send': ['admin', 'system'],
  'outbox.view': ['admin'],
  'outbox.drain': ['admin', 'system'],
  'account.createFirstAdmin': ['system'],
};

test('every global action × every role, the system included', () => {
  assert.deepEqual(Object.keys(GLOBAL_EXPECTED).sort(), [...GLOBAL_ACTIONS].sort());
  const actors = { ...ACTORS, system: systemActor('scheduler') };
  for (const action of GLOBAL_ACTIONS) {
    for (const [who, actor] of Object.entries(actors)) {
      const d = decide(actor, action, null, now);
      assert.equal(d.allowed, GLOBAL_EXPECTED[action].includes(who), `${action} by ${who}`);
      if (!d.allowed) assert.equal(d.code, 'FORBIDDEN');
    }
  }
});

test('the system actor has no case rights', () => {
  for (const action of CASE_ACTIONS) assert.equal(decide(systemActor('scheduler'), action, CASES.other, now).allowed, false, action);
});

test('a read-only token may read but not change; no token may manage accounts', () => {
  const ro = accountActor({ id: 'member', role: 'member', name: 'Max' }, 'token', { readOnly: true });
  const rw = accountActor({ id: 'admin', role: 'admin', name: 'Ada' }, 'token');
  assert.equal(decide(ro, 'case.view', CASES.other, now).allowed, true);
  assert.equal(decide(ro, 'case.viewAudit', CASES.other, now).allowed, true);
  for (const action of ['message.shared', 'case.assess', 'transition:accepted', 'case.setEmbargo'] as const) {
    assert.deepEqual(decide(ro, action, CASES.other, now), { allowed: false, code: 'FORBIDDEN', reason: 'a read-only token may not change anything' });
  }
  assert.equal(decide(ro, 'case.file', null, now).allowed, false);
  assert.equal(decide(rw, 'case.assess', CASES.other, now).allowed, true);
  assert.equal(decide(rw, 'account.manage', null, now).allowed, false);
  assert.equal(decide(rw, 'account.self', null, now).allowed, false);
});

test('an actor that must enrol a second factor may only enrol it (account.self): no token, nothing through a token', () => {
  const r = accountActor({ id: 'member', role: 'member', name: 'Max' }, 'session', { restricted: true });
  assert.equal(decide(r, 'account.self', null, now).allowed, true);
  assert.equal(decide(r, 'case.view', CASES.other, now).allowed, false);
  assert.equal(decide(r, 'case.list', null, now).allowed, false);
  // a token would outlive the requirement: making one is refused until the factor is there
  assert.deepEqual(decide(r, 'account.token', null, now), { allowed: false, code: 'FORBIDDEN', reason: 'enrol a second factor first (required for team members)' });
  const viaToken = accountActor({ id: 'member', role: 'member', name: 'Max' }, 'token', { restricted: true });
  for (const action of [...GLOBAL_ACTIONS, ...CASE_ACTIONS]) assert.equal(decide(viaToken, action, CASES.other, now).allowed, false, action);
  assert.equal(decide(accountActor({ id: 'member', role: 'member', name: 'Max' }), 'account.token', null, now).allowed, true);
});

test('the outbox is no read action: refused to every token, read-only or not, even an administrator’s', () => {
  for (const readOnly of [true, false]) {
    assert.equal(decide(accountActor({ id: 'admin', role: 'admin', name: 'Ada' }, 'token', { readOnly }), 'outbox.view', null, now).allowed, false);
  }
  assert.equal(decide(accountActor({ id: 'admin', role: 'admin', name: 'Ada' }), 'outbox.view', null, now).allowed, true);
});

test('a new claim link for the reporter: the team, on an open case nobody has claimed', () => {
  const unclaimed = makeCase({ id: 'e'.repeat(26), reporterAccountId: null });
  for (const [who, allowed] of [['admin', true], ['member', true], ['author', false], ['outsider', false], ['anonymous', false]] as const) {
    assert.equal(decide(ACTORS[who]!, 'case.resendReporterLink', unclaimed, now).allowed, allowed, who);
  }
  assert.deepEqual(decide(ACTORS.member!, 'case.resendReporterLink', CASES.own, now), { allowed: false, code: 'CONFLICT', reason: 'the reporter has claimed the case already (they log in)' });
  assert.equal((decide(ACTORS.member!, 'case.resendReporterLink', makeCase({ reporterAccountId: null, state: 'rejected' }), now) as { code: string }).code, 'CONFLICT');
});

test('state and time conditions are CONFLICT with the reason, role refusals FORBIDDEN', () => {
  const publish = decide(ACTORS.member!, 'case.publish', CASES.embargoed, now);
  assert.deepEqual(publish, { allowed: false, code: 'CONFLICT', reason: 'the case is under embargo until 2026-04-01T00:00:00.000Z' });
  assert.equal(decide(ACTORS.member!, 'case.publish', CASES.embargoed, new Date('2026-04-01T00:00:00Z')).allowed, true, 'the embargo ends at its end time');
  assert.equal((decide(ACTORS.author!, 'case.viewContact', CASES.own, now) as { code: string }).code, 'FORBIDDEN');
  assert.equal((decide(ACTORS.member!, 'case.assess', CASES.published, now) as { code: string }).code, 'CONFLICT');
  const late = makeCase({ ...CASES.own, state: 'accepted' });
  assert.match((decide(ACTORS.reporter!, 'case.edit', late, now) as { reason: string }).reason, /add a message/);
});

test('the author moves the case forward from author-contacted and fix-in-progress, and nothing else', () => {
  const at = (state: Case['state']) => makeCase({ ...CASES.own, state });
  const author = ACTORS.author!;
  assert.equal(decide(author, 'transition:fix-in-progress', at('author-contacted'), now).allowed, true);
  assert.equal(decide(author, 'transition:fix-released', at('author-contacted'), now).allowed, true);
  assert.equal(decide(author, 'transition:fix-released', at('fix-in-progress'), now).allowed, true);
  assert.equal(decide(author, 'transition:withdrawn', at('fix-in-progress'), now).allowed, false);
  assert.equal(decide(author, 'transition:accepted', at('triaging'), now).allowed, false);
  assert.equal(decide(ACTORS.reporter!, 'transition:fix-released', at('fix-in-progress'), now).allowed, false);
  // reopening a closed case is for administrators
  assert.equal(decide(ACTORS.admin!, 'transition:triaging', at('rejected'), now).allowed, true);
  assert.equal(decide(ACTORS.member!, 'transition:triaging', at('rejected'), now).allowed, false);
});

test('a downstream packager: on a case shared with them, only the downstream view; after the share ends, and on any other case, nothing', () => {
  const failures: string[] = [];
  for (const action of CASE_ACTIONS) {
    const shared = decide(ACTORS.downstream!, action, CASES.own, now);
    const want = action === 'case.viewDownstream' || action === 'case.viewPublic';
    if (shared.allowed !== want) failures.push(`${action} on the shared case: ${shared.allowed ? 'allowed' : shared.code}`);
    if (!shared.allowed && shared.code !== 'FORBIDDEN') failures.push(`${action} on the shared case: ${shared.code}, expected FORBIDDEN (it exists for them)`);
    for (const [who, c] of [['revoked', CASES.own], ['downstreamOther', CASES.own], ['downstream', CASES.other], ['downstream', CASES.embargoed]] as const) {
      const d = decide(ACTORS[who]!, action, c, now);
      if (d.allowed || d.code !== 'NOT_FOUND') failures.push(`${action} by ${who} on ${c.id.slice(0, 1)}: ${d.allowed ? 'allowed' : d.code}, expected NOT_FOUND`);
    }
  }
  assert.deepEqual(failures, []);
  // the share is the packager's, not the account id's: the same id as an external account is nobody on it
  const notAPackager = accountActor({ id: 'downstream', role: 'external', name: 'Deb' });
  assert.equal((decide(notAPackager, 'case.viewDownstream', CASES.own, now) as { code: string }).code, 'NOT_FOUND');
  assert.match((decide(ACTORS.downstream!, 'case.view', CASES.own, now) as { reason: string }).reason, /a downstream packager may not/);
});
