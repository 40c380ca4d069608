/**
 * The disclosure domain's store on SQLite and PostgreSQL: the repository contract (conflicts,
 * optimistic versions, the audit chain's order, message order, the outbox's compare-and-set),
 * serialised transactions under concurrency from two connections, commands that roll back whole
 * when interrupted between two writes, and the domain's whole flow on the real databases.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ANONYMOUS,
  assessCase,
  assignCve,
  caseAuditLog,
  createDraft,
  createFirstAdmin,
  drainOutbox,
  editDraft,
  fileReport,
  inviteAuthor,
  listCases,
  login,
  mailLinks,
  logContact,
  newMail,
  postMessage,
  publishCase,
  readThread,
  redeemInvitation,
  resolveSession,
  sendReminders,
  setEmbargo,
  systemActor,
  transitionCase,
  verifyAudit,
  viewCase,
  type Account,
  type Actor,
  type Case,
  type MailMessage,
} from '../../src/disclosure/index.js';
import { chainEntry } from '../../src/disclosure/audit-log.js';
import { Store } from '../../src/store/index.js';
import { bundledIndex, mailbox, mailedLink, makeCase, reportInput } from '../disclosure/helpers.js';
import { BACKENDS, onCleanup } from './backends.js';
import { Crash, crashingStore, dump, sqlDeps, type SqlDeps } from './disclosure-helpers.js';

const SYSTEM = systemActor('cli');
const ADMIN = { email: 'ada@cpansec.test', name: 'Ada', password: 'the first admin of cpansec' };

/** A case just filed, as the store receives it. */
const aCase = (id: string, reference: string, overrides: Partial<Case> = {}): Case => makeCase({ id, reference, state: 'received', ...overrides });

function anAccount(id: string, email: string): Account {
  return { id, email, emailKey: email.toLowerCase(), name: id, role: 'external', passwordHash: null, disabled: false, totp: null, createdAt: '2026-03-01T09:00:00.000Z', updatedAt: '2026-03-01T09:00:00.000Z' };
}

async function loginAs(deps: SqlDeps, email: string, password: string): Promise<Actor> {
  const r = await login(deps, { email, password, ip: '192.0.2.1' });
  assert.equal(r.ok, true, JSON.stringify(r));
  return (await resolveSession(deps, (r as { token: string }).token))!.actor;
}

/** The newest invitation link mailed to this address: links are made when the outbox sends the mail. */
const linkTo = (deps: SqlDeps, to: string): Promise<string> => mailedLink(deps, to);

for (const backend of BACKENDS) {
  describe(`the disclosure store on ${backend.name}`, { skip: backend.skip }, () => {
    test('repositories keep the contract: conflicts, versions, the chain, orders, claims', async () => {
      const { store } = await sqlDeps(backend);
      const a = 'a'.repeat(26);
      const b = 'b'.repeat(26);
      await store.transaction((tx) => tx.cases.insert(aCase(a, 'CPANSEC-2026-AAAA-AAAA', { reporterAccountId: 'r'.repeat(26) })));
      await assert.rejects(store.transaction((tx) => tx.cases.insert(aCase(a, 'CPANSEC-2026-BBBB-BBBB'))), { code: 'CONFLICT', message: /case id .* exists/ });
      await assert.rejects(store.transaction((tx) => tx.cases.insert(aCase(b, 'CPANSEC-2026-AAAA-AAAA'))), { code: 'CONFLICT', message: /reference .* exists/ });
      await store.transaction((tx) => tx.cases.insert(aCase(b, 'CPANSEC-2026-BBBB-BBBB', { createdAt: '2026-03-02T09:00:00.000Z', cve: 'CVE-2026-1' })));

      // optimistic versions, and a CVE id on one case only
      const stored = (await store.transaction((tx) => tx.cases.get(a)))!;
      await assert.rejects(store.transaction((tx) => tx.cases.update({ ...stored, version: 3 })), { code: 'CONFLICT', message: /changed by someone else/ });
      await assert.rejects(store.transaction((tx) => tx.cases.update({ ...stored, version: 2, cve: 'CVE-2026-1' })), { code: 'CONFLICT', message: /CVE-2026-1 is assigned/ });
      await store.transaction((tx) => tx.cases.update({ ...stored, version: 2, state: 'triaging', authorAccountIds: ['u'.repeat(26)] }));
      assert.deepEqual(await store.transaction(async (tx) => [(await tx.cases.get(a))!.state, (await tx.cases.getByCve('CVE-2026-1'))!.id]), ['triaging', b]);
      // lists: newest first, filters, participants (reporter and invited authors)
      const refs = (cs: Case[]) => cs.map((c) => c.reference);
      await store.transaction(async (tx) => {
        assert.deepEqual(refs(await tx.cases.list()), ['CPANSEC-2026-BBBB-BBBB', 'CPANSEC-2026-AAAA-AAAA']);
        assert.deepEqual(refs(await tx.cases.list({ states: ['triaging'] })), ['CPANSEC-2026-AAAA-AAAA']);
        assert.deepEqual(refs(await tx.cases.list({ states: [] })), []);
        assert.deepEqual(refs(await tx.cases.list({ participant: 'u'.repeat(26) })), ['CPANSEC-2026-AAAA-AAAA']);
        assert.deepEqual(refs(await tx.cases.list({ participant: 'r'.repeat(26) })), ['CPANSEC-2026-AAAA-AAAA']);
        assert.deepEqual(refs(await tx.cases.list({ participant: 'z'.repeat(26) })), []);
        assert.deepEqual(refs(await tx.cases.list({ distribution: 'Foo-Bar', limit: 1, offset: 1 })), ['CPANSEC-2026-AAAA-AAAA']);
        assert.deepEqual(refs(await tx.cases.list({ offset: 1 })), ['CPANSEC-2026-AAAA-AAAA']);
      });
      // a downstream packager is on the cases shared with them, until the share is revoked
      const packager = 'p'.repeat(26);
      const share = { accountId: packager, sharedAt: '2026-03-01T10:00:00.000Z', sharedBy: 'account:x', revokedAt: null as string | null, revokedBy: null as string | null };
      const v2 = (await store.transaction((tx) => tx.cases.get(a)))!;
      await store.transaction((tx) => tx.cases.update({ ...v2, version: 3, downstream: { summary: 'for packagers', fixAttachmentId: null, shares: [share] } }));
      assert.deepEqual(refs(await store.transaction((tx) => tx.cases.list({ participant: packager }))), ['CPANSEC-2026-AAAA-AAAA']);
      await store.transaction((tx) => tx.cases.update({ ...v2, version: 4, downstream: { summary: 'for packagers', fixAttachmentId: null, shares: [{ ...share, revokedAt: '2026-03-01T11:00:00.000Z', revokedBy: 'account:x' }] } }));
      assert.deepEqual(refs(await store.transaction((tx) => tx.cases.list({ participant: packager }))), []);

      // the audit chain: each entry follows the head
      const e1 = chainEntry({ at: '2026-03-01T09:00:00.000Z', actor: 'anonymous', caseId: a, action: 'case.filed', from: null, to: 'received', reason: 'r', data: { n: 1, ok: true, none: null } }, null);
      await store.transaction((tx) => tx.audit.append(e1));
      await assert.rejects(store.transaction((tx) => tx.audit.append(e1)), { code: 'CONFLICT', message: /does not follow the head/ });
      const e2 = chainEntry({ ...e1, caseId: null, action: 'account.created' }, { seq: 1, hash: e1.hash });
      await store.transaction((tx) => tx.audit.append(e2));
      assert.deepEqual(await store.transaction((tx) => tx.audit.head()), { seq: 2, hash: e2.hash });
      assert.deepEqual(await store.transaction((tx) => tx.audit.list({ caseId: a, limit: 10 })), [e1], 'records come back whole');
      assert.deepEqual((await store.transaction((tx) => tx.audit.list({ afterSeq: 1, limit: 10 }))).map((e) => e.seq), [2]);

      // messages of the same instant in the order they were written
      await store.transaction(async (tx) => {
        for (const [i, body] of ['first', 'second', 'third'].entries()) {
          await tx.messages.insert({ id: `m${i}`.padEnd(26, '0'), caseId: a, at: i === 0 ? '2026-03-01T10:00:00.000Z' : '2026-03-01T09:30:00.000Z', accountId: null, authorRole: 'system', authorName: 'x', visibility: 'shared', body });
        }
      });
      assert.deepEqual((await store.transaction((tx) => tx.messages.listByCase(a))).map((m) => m.body), ['second', 'third', 'first']);

      // files: every byte value back as written, in the order written, a taken id refused
      const bytes = new Uint8Array(Array.from({ length: 512 }, (_, i) => i % 256));
      const file = (id: string, messageId: string | null) => ({ id: id.padEnd(26, '0'), caseId: a, messageId, at: '2026-03-01T10:00:00.000Z', accountId: null, fileName: 'all-bytes.tar', kind: 'tar' as const, mediaType: 'application/x-tar', size: bytes.length, sha256: '0'.repeat(64) });
      await store.transaction(async (tx) => {
        await tx.attachments.insert(file('f1', null), bytes);
        await tx.attachments.insert(file('f2', 'm0'.padEnd(26, '0')), bytes.subarray(256, 260));
      });
      await assert.rejects(store.transaction((tx) => tx.attachments.insert(file('f1', null), bytes)), { code: 'CONFLICT', message: /attachment .* exists/ });
      assert.deepEqual(Buffer.from((await store.transaction((tx) => tx.attachments.content('f1'.padEnd(26, '0'))))!), Buffer.from(bytes));
      assert.deepEqual([...(await store.transaction((tx) => tx.attachments.content('f2'.padEnd(26, '0'))))!], [0, 1, 2, 3]);
      assert.deepEqual((await store.transaction((tx) => tx.attachments.listByCase(a))).map((f) => [f.id.slice(0, 2), f.messageId?.slice(0, 2) ?? null]), [['f1', null], ['f2', 'm0']]);
      assert.deepEqual(await store.transaction((tx) => tx.attachments.listByCase(b)), []);
      assert.equal(await store.transaction((tx) => tx.attachments.content('z'.repeat(26))), undefined);

      // accounts, tokens: taken keys
      await store.transaction((tx) => tx.accounts.insert(anAccount('x'.repeat(26), 'Ann@Example.org')));
      await assert.rejects(store.transaction((tx) => tx.accounts.insert(anAccount('y'.repeat(26), 'ann@example.org'))), { code: 'CONFLICT', message: /an account for/ });
      assert.equal(await store.transaction((tx) => tx.accounts.countByRole('external')), 1);
      const token = { id: 't'.repeat(26), accountId: 'x'.repeat(26), name: 'ci', prefix: 'abcdefgh', hash: '0'.repeat(64), readOnly: true, createdAt: '2026-03-01T09:00:00.000Z', expiresAt: null, lastUsedAt: null, revokedAt: null };
      await store.transaction((tx) => tx.tokens.insert(token));
      await assert.rejects(store.transaction((tx) => tx.tokens.insert({ ...token, id: 's'.repeat(26) })), { code: 'CONFLICT', message: /prefix taken/ });
      assert.deepEqual(await store.transaction((tx) => tx.tokens.getByPrefix('abcdefgh')), token);

      // a failed transaction leaves nothing
      await assert.rejects(
        store.transaction(async (tx) => {
          await tx.accounts.insert(anAccount('w'.repeat(26), 'wil@example.org'));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await store.transaction((tx) => tx.accounts.getByEmailKey('wil@example.org')), undefined);

      // the outbox: due, claimed once, leases expire
      const random = { bytes: (n: number) => new Uint8Array(n).fill(7) };
      const now = new Date('2026-03-01T12:00:00Z');
      const mail = newMail(random, { to: 'x@example.org', subject: 's', body: 'b', caseId: a }, now, 'cpansec.test');
      await store.transaction((tx) => tx.outbox.insert(mail));
      assert.deepEqual((await store.transaction((tx) => tx.outbox.due(now, 10))).map((m) => m.id), [mail.id]);
      const lease = '2026-03-01T12:10:00.000Z';
      assert.equal(await store.transaction((tx) => tx.outbox.claim(mail.id, mail, lease)), true);
      assert.equal(await store.transaction((tx) => tx.outbox.claim(mail.id, mail, lease)), false, 'a second claim of the same state fails');
      assert.deepEqual(await store.transaction((tx) => tx.outbox.due(now, 10)), []);
      assert.equal((await store.transaction((tx) => tx.outbox.due(new Date(lease), 10))).length, 1, 'a dead drain’s claim expires');
      assert.equal((await store.transaction((tx) => tx.outbox.list({ status: 'sending', caseId: a })))[0]!.claimedUntil, lease);
    });

    test('transactions from two connections are serialised: the audit chain stays one chain', async () => {
      const { options } = await backend.location();
      const first = await Store.open(options);
      const second = await Store.open(options);
      onCleanup(() => first.close());
      onCleanup(() => second.close());
      const a = await sqlDeps(backend, 'first', first);
      const b = { ...(await sqlDeps(backend, 'second', second)), clock: a.clock };
      await createFirstAdmin(a, SYSTEM, ADMIN);
      const admin = await loginAs(a, ADMIN.email, ADMIN.password);
      const { acknowledgement } = await fileReport(a, ANONYMOUS, reportInput());
      const ref = acknowledgement.reference;
      const posts = Array.from({ length: 40 }, (_, i) => postMessage(i % 2 ? a : b, admin, ref, { body: `note ${i}`, visibility: i % 3 ? 'shared' : 'internal' }));
      const moves = [transitionCase(a, admin, ref, 'triaging', 'looking'), assessCase(b, admin, ref, { cwes: ['CWE-22'] })];
      await Promise.all([...posts, ...moves]);
      const thread = await readThread(a, admin, ref);
      assert.equal(thread.length, 40);
      const v = await viewCase(b, admin, ref);
      assert.deepEqual([v.state, v.assessment?.cwes], ['triaging', ['CWE-22']]);
      const verified = await verifyAudit(b, admin, undefined, 7);
      assert.deepEqual(verified.ok && verified.count, 1 + 1 + 40 + 2, JSON.stringify(verified));
    });

    test('every command rolls back whole when interrupted between two writes', async () => {
      const deps = await sqlDeps(backend, 'crash');
      let crashAfter: number | undefined;
      const faulty = { ...deps, store: crashingStore(deps.store, () => crashAfter) };
      const crashAtEveryWrite = async (name: string, command: () => Promise<unknown>) => {
        for (let k = 0; k < 100; k++) {
          const before = await dump(deps.server);
          crashAfter = k;
          try {
            await command();
          } catch (e) {
            crashAfter = undefined;
            if (!(e instanceof Crash)) throw e;
            assert.deepEqual(await dump(deps.server), before, `${name}: a crash after ${k} write(s) left a trace`);
            continue;
          }
          crashAfter = undefined;
          return k;
        }
        throw new Error(`${name} never completed`);
      };
      await createFirstAdmin(deps, SYSTEM, ADMIN);
      const member = await loginAs(deps, ADMIN.email, ADMIN.password);
      let ref = '';
      const counts = {
        file: await crashAtEveryWrite('fileReport', async () => {
          ref = (await fileReport(faulty, ANONYMOUS, reportInput(), { attachments: [{ fileName: 'poc.pl', content: Buffer.from('print 1;\n') }] })).acknowledgement.reference;
        }),
        message: await crashAtEveryWrite('postMessage', () => postMessage(faulty, member, ref, { body: 'a note with a file', visibility: 'internal', attachments: [{ fileName: 'notes.txt', content: Buffer.from('team only') }] })),
        transition: await crashAtEveryWrite('transition', () => transitionCase(faulty, member, ref, 'triaging', 'triage')),
        assess: await crashAtEveryWrite('assess', () => assessCase(faulty, member, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } })),
        accept: await crashAtEveryWrite('accept', () => transitionCase(faulty, member, ref, 'accepted', 'reproduced')),
        invite: await crashAtEveryWrite('inviteAuthor', () => inviteAuthor(faulty, member, ref, { email: 'author@cpan.example' })),
        contact: await crashAtEveryWrite('logContact', () => logContact(faulty, member, ref, { channel: 'irc', to: 'author', summary: 'pinged' })),
      };
      for (const [name, n] of Object.entries(counts)) assert.ok(n >= 2, `${name} made ${n} writes`);
      assert.equal((await verifyAudit(deps, member)).ok, true);
    });

    test('the whole flow of the domain on the real database', async () => {
      const deps = { ...(await sqlDeps(backend, 'flow')), index: bundledIndex() };
      const { clock } = deps;
      await createFirstAdmin(deps, SYSTEM, ADMIN);
      await assert.rejects(createFirstAdmin(deps, SYSTEM, { ...ADMIN, email: 'eve@example.org' }), { code: 'CONFLICT' });
      const member = await loginAs(deps, ADMIN.email, ADMIN.password);
      const filed = await fileReport(deps, ANONYMOUS, reportInput({ distribution: 'Mojolicious', affectedVersions: ['< 9.40'] }));
      const ref = filed.acknowledgement.reference;
      await redeemInvitation(deps, ANONYMOUS, await linkTo(deps, 'rita@example.org'), { password: 'she reports bugs often' });
      const reporter = await loginAs(deps, 'rita@example.org', 'she reports bugs often');
      const other = await fileReport(deps, ANONYMOUS, reportInput({ reporterEmail: 'olga@example.org' }));

      await transitionCase(deps, member, ref, 'triaging', 'looking at it');
      await assessCase(deps, member, ref, { scope: { component: 'own-code' }, cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'], cwes: ['CWE-79'] });
      await transitionCase(deps, member, ref, 'accepted', 'reproduced');
      await setEmbargo(deps, member, ref, '2026-03-30', 'agreed with the reporter');
      await inviteAuthor(deps, member, ref, { email: 'sri@cpan.example', name: 'Sebastian' });
      await redeemInvitation(deps, ANONYMOUS, await linkTo(deps, 'sri@cpan.example'), { password: 'the author of mojo' });
      const author = await loginAs(deps, 'sri@cpan.example', 'the author of mojo');
      await postMessage(deps, author, ref, { body: 'Confirmed, working on a fix.' });
      await postMessage(deps, member, ref, { body: 'Responsive.', visibility: 'internal' });
      assert.deepEqual((await readThread(deps, reporter, ref)).map((m) => m.from), ['Sebastian (author)']);
      await transitionCase(deps, author, ref, 'fix-released', '9.40 is on CPAN');
      await createDraft(deps, member, ref);
      await assignCve(deps, member, ref, 'CVE-2026-4242');
      await editDraft(deps, member, ref, {
        advisory: { description: 'Mojolicious versions before 9.40 for Perl allow cross-site scripting.', fixedVersions: ['>= 9.40'] },
        cna: { title: 'Mojolicious before 9.40 allows XSS', author: 'SRI', references: [{ url: 'https://metacpan.org/release/SRI/Mojolicious-9.40/changes', tags: ['release-notes'] }] },
      });
      await assert.rejects(publishCase(deps, member, ref, 'fixed'), { code: 'CONFLICT', message: /under embargo/ });
      clock.advanceDays(29);
      assert.equal((await sendReminders(deps, systemActor('scheduler'))).expiredFlagged, 1);
      const { events } = await publishCase(deps, member, ref, 'fix released, embargo over');
      assert.equal(events[0].advisory.id, 'CPANSA-Mojolicious-2026-4242');
      assert.deepEqual(
        (await caseAuditLog(deps, member, ref)).filter((e) => e.to !== null && e.from !== null).map((e) => `${e.from}->${e.to}`),
        ['received->triaging', 'triaging->accepted', 'accepted->author-contacted', 'author-contacted->fix-released', 'fix-released->published'],
      );
      assert.equal((await verifyAudit(deps, member, undefined, 5)).ok, true);
      assert.deepEqual((await listCases(deps, reporter)).map((c) => c.reference), [ref]);
      for (const key of [other.acknowledgement.reference, other.caseId]) await assert.rejects(viewCase(deps, reporter, key), { code: 'NOT_FOUND' });

      // the mails delivered already (for the invitation links above), and the rest now
      const sent: MailMessage[] = [...mailbox(deps)];
      const before = sent.length;
      const report = await drainOutbox(deps.store, { send: async (m) => void sent.push(m) }, clock, deps.config.outbox, mailLinks(deps));
      assert.equal(report.sent, sent.length - before);
      assert.ok(sent.length > 10 && sent.every((m) => !m.text.includes('symlinks')));
      assert.deepEqual(await drainOutbox(deps.store, { send: async () => assert.fail('sent twice') }, clock, deps.config.outbox), { sent: 0, retried: 0, failed: 0, skipped: 0 });
    });
  });
}
