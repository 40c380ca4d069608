/**
 * The access matrix: every workspace route (taken from the routes the server registered, so a new
 * route cannot be left out) × every role — administrator, team member, the case's reporter,
 * another reporter, the case's invited author, another case's author, the downstream packager the
 * case is shared with, a packager another case is shared with, an anonymous visitor, API
 * tokens — × the case itself and guessed ids (a reference never issued, a random
 * internal id). Each cell is one request on a fresh case and a fresh session, with a valid CSRF
 * token and a valid body, so that what is tested is who may, not whether the input is right. The
 * expectations are written out here by hand, per kind of route; the server's answers come from
 * the domain's single policy. Denied answers never carry the case's content, nor does anything a
 * packager is allowed (the downstream view is the team's summary). API tokens are three
 * roles of their own: a team member's read-only token, an administrator's read-only token and an
 * administrator's read-and-write token (no token may read the outbox, where links once were).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import {
  accountActor,
  applyDraftEdit,
  createApiToken,
  emptyAssessment,
  inviteAccount,
  login,
  newDraft,
  validateReport,
  type Account,
  type Case,
  type CaseState,
  type ContactEntry,
} from '../../src/disclosure/index.js';
import { presessionToken } from '../../src/server/workspace/index.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, PASSWORD, tokenFor, workspaceServer, type WorkspaceServer } from './harness.js';

type Actor = 'admin' | 'member' | 'reporterOwn' | 'reporterOther' | 'authorOwn' | 'authorOther' | 'downstreamOwn' | 'downstreamOther' | 'anonymous' | 'tokenReadOnly' | 'tokenAdminReadOnly' | 'tokenAdminReadWrite';
const ACTORS: Actor[] = ['admin', 'member', 'reporterOwn', 'reporterOther', 'authorOwn', 'authorOther', 'downstreamOwn', 'downstreamOther', 'anonymous', 'tokenReadOnly', 'tokenAdminReadOnly', 'tokenAdminReadWrite'];

/** What a route admits, in the words of the permission table. */
type Access =
  | 'public' // anyone
  | 'file' // anyone may file, but a read-only token changes nothing
  | 'account' // any account
  | 'staff-read' // team members and administrators (read)
  | 'admin' // administrators only
  | 'admin-session' // administrators only, and never through an API token
  | 'case-page' // people on the case, and the packager it is shared with (who sees the downstream view)
  | 'case-read' // people on the case (team, its reporter, its author)
  | 'case-file' // a file of the report: people on the case; for the packager it does not exist (only the fix patch would)
  | 'case-downstream-read' // the team and the packager it is shared with
  | 'case-write' // people on the case, writing
  | 'case-reporter' // the team and the case's reporter (amend the report)
  | 'case-staff-read' // the team, reading the case's internals
  | 'case-staff'; // the team, acting on the case

type Expect = 'ok' | 'login' | 403 | 404;

interface Setup {
  state?: CaseState;
  embargo?: boolean;
  draft?: 'incomplete' | 'publishable' | 'with-cve';
  contact?: boolean;
  /** filed without an account and not claimed: the case has no reporter account */
  unclaimed?: boolean;
}

interface Cell {
  ref: string;
  caseId: string;
  contactId: string;
  attachmentId: string;
  n: number;
  tokenId: string;
  throwaway: string;
  invitation: string;
  future: string;
}

interface Spec {
  access: Access;
  setup?: Setup;
  body?: (c: Cell) => Record<string, unknown>;
  /** answers that mean "admitted, but the input was refused" (a code is never right in a test) */
  ok?: number[];
}

const MARK = 'MATRIX-SECRET-7f3a';
const DOWNSTREAM_SUMMARY = 'Matrix::Dist before 1.1 has a flaw; upgrade to 1.1.';
const report = (n: number) => validateReport({
  distribution: `Matrix-Dist${n}`,
  affectedVersions: ['< 1.1'],
  description: `The ${MARK} description of a vulnerability in Matrix::Dist${n}, long enough.`,
  reporterEmail: 'rita@example.org',
});

const EDIT = { distribution: 'Matrix-Edited', affectedVersions: '< 2.0', description: `An amended ${MARK} description, long enough to pass.`, proof: '', credit: '', encryptionKey: '', reason: 'typo' };
const DRAFT_FORM = {
  'advisory.description': 'Matrix::Dist before 1.1 has a flaw.',
  'advisory.affectedVersions': '< 1.1',
  'advisory.fixedVersions': '>= 1.1',
  'advisory.references': 'https://example.org/fix',
  'cna.title': 'Matrix::Dist before 1.1 has a flaw',
  'cna.module': 'Matrix::Dist',
};

/** Page routes: form bodies. */
const PAGES: Record<string, Spec> = {
  'GET /workspace': { access: 'public' },
  'GET /workspace/static/workspace.css': { access: 'public' },
  'GET /workspace/report': { access: 'public' },
  'POST /workspace/report': { access: 'public', body: (c) => ({ distribution: `Filed-${c.n}`, affectedVersions: '< 1.0', description: 'A report filed by the matrix test, long enough.', reporterEmail: 'someone@example.org' }) },
  'GET /workspace/report/received': { access: 'public' },
  'GET /workspace/static/favicon.svg': { access: 'public' },
  'GET /workspace/static/cvss-calculator.js': { access: 'public' },
  'GET /workspace/login': { access: 'public' },
  'GET /workspace/forgot': { access: 'public' },
  // every cell comes from one address: past five an hour, the limit answers (429), as it should
  'POST /workspace/forgot': { access: 'public', ok: [429], body: () => ({ email: 'nobody@example.org' }) },
  'GET /workspace/forgot/sent': { access: 'public' },
  'POST /workspace/login': { access: 'public', body: () => ({ email: 'eve@example.org', password: PASSWORD, next: '/workspace' }) },
  'POST /workspace/logout': { access: 'public' },
  'GET /workspace/invitations/:token': { access: 'public' },
  'POST /workspace/invitations/:token': { access: 'public', body: () => ({ password: 'a new password for the invited' }) },
  'GET /workspace/cases': { access: 'account' },
  'GET /workspace/cases/:ref': { access: 'case-page' },
  'GET /workspace/cases/:ref/attachments/:id': { access: 'case-file' },
  'POST /workspace/cases/:ref/downstream': { access: 'case-staff', setup: { state: 'accepted' }, body: () => ({ accountId: '', summary: DOWNSTREAM_SUMMARY, fixAttachmentId: '' }) },
  'POST /workspace/cases/:ref/downstream/:accountId/revoke': { access: 'case-staff', body: () => ({ reason: 'no longer needed' }) },
  'GET /workspace/cases/:ref/edit': { access: 'case-reporter' },
  'POST /workspace/cases/:ref/edit': { access: 'case-reporter', body: () => EDIT },
  'POST /workspace/cases/:ref/transition': { access: 'case-staff', body: () => ({ to: 'triaging', reason: 'triage' }) },
  'POST /workspace/cases/:ref/scope': { access: 'case-staff', body: () => ({ component: 'own-code', library: '', override: 'in', overrideReason: 'on CPAN' }) },
  'POST /workspace/cases/:ref/assign': { access: 'case-staff', body: () => ({ assignee: '' }) },
  'POST /workspace/cases/:ref/rating': { access: 'case-staff', body: () => ({ cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', cwes: 'CWE-79', severity: '' }) },
  'POST /workspace/cases/:ref/embargo': { access: 'case-staff', body: (c) => ({ endsAt: c.future, reason: 'agreed' }) },
  'POST /workspace/cases/:ref/embargo/lift': { access: 'case-staff', setup: { embargo: true }, body: () => ({ reason: 'fixed early' }) },
  'POST /workspace/cases/:ref/invite-author': { access: 'case-staff', setup: { state: 'accepted' }, body: (c) => ({ email: `author${c.n}@cpan.example`, name: 'Author' }) },
  'POST /workspace/cases/:ref/remind-author': { access: 'case-staff', setup: { state: 'accepted', contact: true } },
  'POST /workspace/cases/:ref/contacts': { access: 'case-staff', setup: { state: 'accepted' }, body: () => ({ channel: 'irc', to: 'author', summary: 'pinged', at: '' }) },
  'POST /workspace/cases/:ref/contacts/:contactId/answer': { access: 'case-staff', setup: { state: 'accepted', contact: true }, body: () => ({ summary: 'on it', at: '' }) },
  'POST /workspace/cases/:ref/messages': { access: 'case-write', body: () => ({ body: 'a message' }) },
  'POST /workspace/cases/:ref/reporter-link': { access: 'case-staff', setup: { unclaimed: true }, body: () => ({ reason: 'the reporter lost the mail' }) },
  'GET /workspace/cases/:ref/cvss/:version': { access: 'case-staff' },
  'POST /workspace/cases/:ref/cvss/:version': { access: 'case-staff', body: () => ({ AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'N', A: 'N', action: 'calculate' }) },
  'GET /workspace/cases/:ref/draft': { access: 'case-read', setup: { state: 'accepted', draft: 'incomplete' } },
  'POST /workspace/cases/:ref/draft': { access: 'case-staff', setup: { state: 'accepted' } },
  'POST /workspace/cases/:ref/draft/edit': { access: 'case-staff', setup: { state: 'accepted', draft: 'incomplete' }, body: () => DRAFT_FORM },
  'POST /workspace/cases/:ref/cve': { access: 'case-staff', setup: { state: 'accepted', draft: 'incomplete' }, body: (c) => ({ cve: `CVE-2026-${10_000 + c.n}` }) },
  'POST /workspace/cases/:ref/publish': { access: 'case-staff', setup: { state: 'fix-released', draft: 'publishable' }, body: () => ({ reason: 'fixed' }) },
  'GET /workspace/cases/:ref/advisory.yml': { access: 'case-read', setup: { state: 'accepted', draft: 'incomplete' } },
  'GET /workspace/cases/:ref/cve.json': { access: 'case-staff-read', setup: { state: 'accepted', draft: 'with-cve' } },
  'GET /workspace/account': { access: 'account' },
  'POST /workspace/account/password': { access: 'account', body: () => ({ current: PASSWORD, next: PASSWORD }) },
  'POST /workspace/account/totp/begin': { access: 'account' },
  'POST /workspace/account/totp/confirm': { access: 'account', body: () => ({ code: '000000' }), ok: [400, 409] },
  'POST /workspace/account/totp/disable': { access: 'account', body: () => ({ password: PASSWORD }) },
  'POST /workspace/account/tokens': { access: 'account', body: () => ({ name: 'matrix', expiresInDays: '30', password: PASSWORD }) },
  'POST /workspace/account/tokens/:id/revoke': { access: 'account' },
  'GET /workspace/admin': { access: 'admin' },
  'POST /workspace/admin/accounts': { access: 'admin', body: (c) => ({ email: `invited${c.n}@example.org`, name: 'Invited', role: 'member' }) },
  'POST /workspace/admin/accounts/:id': { access: 'admin', body: () => ({ role: 'external', disabled: 'yes', reason: 'left' }) },
  'POST /workspace/admin/accounts/:id/reset-password': { access: 'admin', body: () => ({ reason: 'forgotten' }) },
  'POST /workspace/admin/accounts/:id/reset-totp': { access: 'admin', body: () => ({ reason: 'lost the phone' }) },
  'POST /workspace/admin/reminders': { access: 'admin' },
  'POST /workspace/admin/outbox/drain': { access: 'admin' },
};

/** API routes: JSON bodies. */
const API: Record<string, Spec> = {
  'GET /api/me': { access: 'public' },
  'POST /api/reports': { access: 'file', body: (c) => ({ distribution: `Filed-${c.n}`, affectedVersions: ['< 1.0'], description: 'A report filed by the matrix test, long enough.', reporterEmail: 'someone@example.org' }) },
  'POST /api/cvss': { access: 'public', body: () => ({ vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }) },
  'GET /api/cases': { access: 'account' },
  'GET /api/cases/:ref': { access: 'case-read' },
  'PATCH /api/cases/:ref/report': { access: 'case-reporter', body: () => ({ description: `An amended ${MARK} description, long enough to pass.`, reason: 'typo' }) },
  'POST /api/cases/:ref/transitions': { access: 'case-staff', body: () => ({ to: 'triaging', reason: 'triage' }) },
  'POST /api/cases/:ref/assessment': { access: 'case-staff', body: () => ({ cwes: ['CWE-79'] }) },
  'GET /api/cases/:ref/triage': { access: 'case-staff-read' },
  'PUT /api/cases/:ref/embargo': { access: 'case-staff', body: (c) => ({ endsAt: c.future, reason: 'agreed' }) },
  'POST /api/cases/:ref/embargo/lift': { access: 'case-staff', setup: { embargo: true }, body: () => ({ reason: 'fixed early' }) },
  'GET /api/cases/:ref/messages': { access: 'case-read' },
  'GET /api/cases/:ref/attachments/:id': { access: 'case-file' },
  'GET /api/cases/:ref/downstream': { access: 'case-downstream-read' },
  'POST /api/cases/:ref/downstream-shares': { access: 'case-staff', setup: { state: 'accepted' }, body: () => ({ summary: DOWNSTREAM_SUMMARY }) },
  'POST /api/cases/:ref/downstream-shares/:accountId/revoke': { access: 'case-staff', body: () => ({ reason: 'no longer needed' }) },
  'POST /api/cases/:ref/messages': { access: 'case-write', body: () => ({ body: 'a message' }) },
  'POST /api/cases/:ref/contacts': { access: 'case-staff', setup: { state: 'accepted' }, body: () => ({ channel: 'irc', to: 'author', summary: 'pinged' }) },
  'POST /api/cases/:ref/contacts/:contactId/answer': { access: 'case-staff', setup: { state: 'accepted', contact: true }, body: () => ({ summary: 'on it' }) },
  'POST /api/cases/:ref/author-invitations': { access: 'case-staff', setup: { state: 'accepted' }, body: (c) => ({ email: `author${c.n}@cpan.example` }) },
  'POST /api/cases/:ref/author-reminders': { access: 'case-staff', setup: { state: 'accepted', contact: true } },
  'POST /api/cases/:ref/reporter-link': { access: 'case-staff', setup: { unclaimed: true }, body: () => ({ reason: 'the reporter lost the mail' }) },
  'GET /api/cases/:ref/audit': { access: 'case-staff-read' },
  'POST /api/cases/:ref/draft': { access: 'case-staff', setup: { state: 'accepted' } },
  'GET /api/cases/:ref/draft': { access: 'case-read', setup: { state: 'accepted', draft: 'incomplete' } },
  'PATCH /api/cases/:ref/draft': { access: 'case-staff', setup: { state: 'accepted', draft: 'incomplete' }, body: () => ({ advisory: { description: 'Matrix::Dist before 1.1 has a flaw.' } }) },
  'PUT /api/cases/:ref/cve': { access: 'case-staff', setup: { state: 'accepted', draft: 'incomplete' }, body: (c) => ({ cve: `CVE-2026-${20_000 + c.n}` }) },
  'GET /api/cases/:ref/cve-record': { access: 'case-staff-read', setup: { state: 'accepted', draft: 'with-cve' } },
  'POST /api/cases/:ref/publish': { access: 'case-staff', setup: { state: 'fix-released', draft: 'publishable' }, body: () => ({ reason: 'fixed' }) },
  'GET /api/reminders': { access: 'staff-read' },
  'POST /api/reminders': { access: 'admin' },
  'GET /api/outbox': { access: 'admin-session' },
  'GET /api/audit/verify': { access: 'staff-read' },
};

/** The expected answer, written out per kind of route (`api`: JSON routes, where tokens count and nobody is sent to a login page). */
function expected(access: Access, actor: Actor, api: boolean, target: 'case' | 'guessed', write: boolean, setup: Setup = {}): Expect {
  const token = actor.startsWith('token');
  // pages take no API token: its bearer is an anonymous visitor there
  const anonymousLike = actor === 'anonymous' || (token && !api);
  const readOnly = actor === 'tokenReadOnly' || actor === 'tokenAdminReadOnly';
  const admin = actor === 'admin' || (api && (actor === 'tokenAdminReadOnly' || actor === 'tokenAdminReadWrite'));
  const staff = admin || actor === 'member' || (api && actor === 'tokenReadOnly');
  if (access === 'public') return 'ok';
  if (access === 'file') return readOnly && api ? 403 : 'ok';
  if (!api && anonymousLike) return 'login';
  // a read-only token may change nothing, whatever the target
  if (readOnly && write) return 403;
  if (access === 'account') return actor === 'anonymous' ? 403 : 'ok';
  if (access === 'staff-read') return staff ? 'ok' : 403;
  if (access === 'admin') return admin ? 'ok' : 403;
  if (access === 'admin-session') return actor === 'admin' ? 'ok' : 403;
  // case routes: a case one may not see does not exist — the same answer as for a guessed id
  if (target === 'guessed' || actor === 'anonymous' || actor === 'reporterOther' || actor === 'authorOther' || actor === 'downstreamOther') return 404;
  if (staff) return 'ok';
  // the packager: the case exists for them (403 for what is not theirs), its downstream view is theirs, the report's files do not exist
  if (actor === 'downstreamOwn') return access === 'case-page' || access === 'case-downstream-read' ? 'ok' : access === 'case-file' ? 404 : 403;
  if (access === 'case-downstream-read') return 403;
  // an unclaimed case has no reporter account: its would-be reporter is not on it
  if (actor === 'reporterOwn' && setup.unclaimed) return 404;
  const own = actor === 'reporterOwn' ? 'reporter' : 'author';
  if (access === 'case-read' || access === 'case-page' || access === 'case-file' || access === 'case-write') return 'ok';
  if (access === 'case-reporter') return own === 'reporter' ? 'ok' : 403;
  return 403;
}

let counter = 0;

async function insertCase(s: WorkspaceServer, who: { reporter: string; author: string; downstream: string }, setup: Setup = {}): Promise<{ c: Case; contactId: string; attachmentId: string }> {
  const n = ++counter;
  const now = s.ws.now();
  const id = randomBytes(13).toString('hex').slice(0, 26);
  // hex digits are Crockford base32 digits too
  const code = randomBytes(4).toString('hex').toUpperCase();
  let c: Case = {
    id,
    reference: `CPANSEC-2026-${code.slice(0, 4)}-${code.slice(4, 8)}`,
    state: setup.state ?? 'received',
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    report: report(n),
    reporterAccountId: setup.unclaimed ? null : who.reporter,
    authorAccountIds: [who.author],
    duplicateOf: null,
    assessment: emptyAssessment(),
    embargo: setup.embargo ? { endsAt: new Date(now.getTime() + 10 * 86_400_000).toISOString(), setAt: now.toISOString(), setBy: 'test', remindersSent: [], expiryFlaggedAt: null } : null,
    draft: null,
    cve: null,
    publishedAt: null,
    escalationNotified: null,
    // shared with its packager (the other packager has a case of their own)
    downstream: { summary: DOWNSTREAM_SUMMARY, fixAttachmentId: null, shares: [{ accountId: who.downstream, sharedAt: now.toISOString(), sharedBy: 'test', revokedAt: null, revokedBy: null }] },
  };
  if (setup.draft) {
    const cve = setup.draft === 'with-cve' ? `CVE-2026-${30_000 + n}` : null;
    c = { ...c, cve };
    let draft = newDraft(c, { now, by: 'test', takenIds: [] });
    if (setup.draft !== 'incomplete') {
      draft = applyDraftEdit(draft, { advisory: { description: 'Matrix::Dist before 1.1 has a flaw.', fixedVersions: ['>= 1.1'], references: ['https://example.org/fix'] }, cna: { title: 'Matrix::Dist before 1.1 has a flaw', author: 'MATRIX' } }, 'test', now);
    }
    c = { ...c, draft };
  }
  const contactId = randomBytes(13).toString('hex').slice(0, 26);
  const attachmentId = randomBytes(13).toString('hex').slice(0, 26);
  await s.ws.deps.store.transaction(async (tx) => {
    await tx.cases.insert(c);
    // a file of the report, whose name and content are the case's secret too
    await tx.attachments.insert({ id: attachmentId, caseId: c.id, messageId: null, at: now.toISOString(), accountId: who.reporter, fileName: `${MARK}.txt`, kind: 'text', mediaType: 'text/plain; charset=utf-8', size: MARK.length, sha256: '0'.repeat(64) }, Buffer.from(MARK));
    if (setup.contact) {
      const contact: ContactEntry = { id: contactId, caseId: c.id, at: now.toISOString(), loggedAt: now.toISOString(), by: 'test', channel: 'email', to: 'author@cpan.example', summary: 'wrote', answer: null };
      await tx.contacts.insert(contact);
    }
  });
  return { c, contactId, attachmentId };
}

for (const backend of BACKENDS) {
  describe(`the access matrix on ${backend.name}`, { skip: backend.skip }, () => {
    test('every workspace route × every role × own, other and guessed cases', async (t) => {
      const s = await workspaceServer(backend, { seed: `matrix-${backend.name}` });
      const accounts: Record<string, Account> = {};
      for (const [key, name, role] of [
        ['admin', 'ada', 'admin'],
        ['member', 'max', 'member'],
        ['reporterOwn', 'rita', 'external'],
        ['reporterOther', 'olga', 'external'],
        ['authorOwn', 'ann', 'external'],
        ['authorOther', 'otto', 'external'],
        ['downstreamOwn', 'dora', 'downstream'],
        ['downstreamOther', 'dirk', 'downstream'],
      ] as const) {
        accounts[key] = await addUser(s.ws, name, role);
      }
      await addUser(s.ws, 'eve', 'external');
      // the other reporter and author have a case of their own
      await insertCase(s, { reporter: accounts.reporterOther!.id, author: accounts.authorOther!.id, downstream: accounts.downstreamOther!.id });
      const tokens: Partial<Record<Actor, string>> = {
        tokenReadOnly: await tokenFor(s.ws, accounts.member!, true),
        tokenAdminReadOnly: await tokenFor(s.ws, accounts.admin!, true),
        tokenAdminReadWrite: await tokenFor(s.ws, accounts.admin!, false),
      };

      const mine = (path: string) => path === '/workspace' || path.startsWith('/workspace/') || path.startsWith('/api/');
      const registered = [...new Set(s.routes.filter((r) => r.method !== 'HEAD' && mine(r.url)).map((r) => `${r.method} ${r.url}`))].sort();
      const specified = [...Object.keys(PAGES), ...Object.keys(API)].sort();
      assert.deepEqual(registered, specified, 'every registered workspace route has its row in the matrix, and every row a route');

      const cells: string[] = [];
      const failures: string[] = [];
      for (const [key, spec] of [...Object.entries(PAGES), ...Object.entries(API)]) {
        const [method, pattern] = key.split(' ') as [string, string];
        const api = pattern.startsWith('/api/');
        const caseRoute = pattern.includes(':ref');
        const write = method !== 'GET';
        const targets: ('case' | 'guessed-ref' | 'guessed-id')[] = caseRoute ? ['case', 'guessed-ref', 'guessed-id'] : ['case'];
        for (const actor of ACTORS) {
          for (const target of targets) {
            // only what the cell's route needs: a fresh case, a token of one's own, an account to change, an invitation
            const fresh = caseRoute && target === 'case' ? await insertCase(s, { reporter: accounts.reporterOwn!.id, author: accounts.authorOwn!.id, downstream: accounts.downstreamOwn!.id }, spec.setup) : undefined;
            const account = accounts[actor];
            // a fresh session per cell: logging out or changing the password must not touch the others
            let cookie = '';
            let csrf = '';
            if (account) {
              const r = await login(s.ws.deps, { email: account.email, password: PASSWORD, ip: '198.51.100.1' });
              assert.ok(r.ok, `login of ${actor}`);
              cookie = `cpansec_session=${r.token}`;
              csrf = r.session.csrfToken;
            } else if (!api) {
              const pre = randomBytes(24).toString('base64url');
              csrf = await presessionToken(s.ws, pre);
              cookie = `cpansec_csrf=${pre}`;
            }
            const n = ++counter;
            const tokenId = pattern.includes('/tokens/:id') ? (await createApiToken(s.ws.deps, accountActor(account ?? accounts.member!), { name: `cell ${n}`, password: PASSWORD })).record.id : '';
            const throwaway = pattern.includes('/accounts/:id') ? (await addUser(s.ws, `throwaway${n}`, 'external')).id : '';
            const invitation = pattern.includes(':token')
              ? /invitations\/([0-9a-z]+)/.exec((await inviteAccount(s.ws.deps, accountActor(accounts.admin!), { email: `invitee${n}@example.org`, name: 'Invitee', role: 'external' }, { revealLink: true })).link!)![1]!
              : '';
            const cell: Cell = {
              ref: fresh?.c.reference ?? '',
              caseId: fresh?.c.id ?? '',
              contactId: fresh?.contactId ?? 'x'.repeat(26),
              attachmentId: fresh?.attachmentId ?? 'y'.repeat(26),
              n,
              tokenId,
              throwaway,
              invitation,
              future: new Date(s.ws.now().getTime() + 20 * 86_400_000).toISOString().slice(0, 10),
            };
            const ref = target === 'case' ? cell.ref : target === 'guessed-ref' ? 'CPANSEC-2026-ZZZZ-ZZZ0' : randomBytes(13).toString('hex').slice(0, 26);
            const url = pattern
              .replace(':ref', ref)
              .replace(':contactId', cell.contactId)
              .replace(':version', '3.1')
              .replace(':token', cell.invitation)
              .replace(':accountId', accounts.downstreamOwn!.id)
              .replace(':id', pattern.includes('/tokens/') ? cell.tokenId : pattern.includes('/attachments/') ? cell.attachmentId : cell.throwaway);
            const body = spec.body?.(cell);
            const headers: Record<string, string> = {};
            if (cookie) headers.cookie = cookie;
            if (tokens[actor]) headers.authorization = `Bearer ${tokens[actor]}`;
            let payload: string | undefined;
            if (write) {
              if (api) {
                headers['content-type'] = 'application/json';
                if (csrf) headers['x-csrf-token'] = csrf;
                payload = JSON.stringify(body ?? {});
              } else {
                headers['content-type'] = 'application/x-www-form-urlencoded';
                payload = new URLSearchParams({ _csrf: csrf, ...(body as Record<string, string> | undefined) }).toString();
              }
            }
            const r = await s.app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined ? { payload } : {}) });
            const want = expected(spec.access, actor, api, target === 'case' ? 'case' : 'guessed', write, spec.setup);
            const got = r.statusCode;
            const okay =
              want === 'ok'
                ? (got >= 200 && got < 400 && !(got === 303 && String(r.headers.location).startsWith('/workspace/login?next='))) || (spec.ok ?? []).includes(got)
                : want === 'login'
                  ? got === 303 && String(r.headers.location).startsWith('/workspace/login?next=')
                  : got === want;
            cells.push(`${key} ${actor} ${target}`);
            if (!okay) failures.push(`${key} as ${actor} on ${target}: expected ${want}, got ${got} ${String(r.headers.location ?? '')} ${r.body.slice(0, 160).replace(/\s+/g, ' ')}`);
            if (want !== 'ok' && r.body.includes(MARK)) failures.push(`${key} as ${actor} on ${target}: a denied answer shows the case's content`);
            if (actor.startsWith('downstream') && r.body.includes(MARK)) failures.push(`${key} as ${actor} on ${target}: a packager reads the case's content`);
          }
        }
      }
      t.diagnostic(`${registered.length} routes (${Object.keys(PAGES).length} pages, ${Object.keys(API).length} API) × ${ACTORS.length} roles, case routes also on 2 guessed ids: ${cells.length} cells`);
      assert.deepEqual(failures, []);
    });
  });
}
