/**
 * One transaction per command: interrupt each command after every possible number of writes and
 * show that the store is exactly as before (nothing half-applied), then let it run and show that
 * it did everything. A command split over two transactions would fail this: the first would stay.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANONYMOUS,
  assessCase,
  assignCve,
  createDraft,
  createFirstAdmin,
  editDraft,
  fileReport,
  inviteAuthor,
  logContact,
  postMessage,
  publishCase,
  readThread,
  redeemInvitation,
  revokeDownstream,
  shareWithDownstream,
  setEmbargo,
  SimulatedCrash,
  systemActor,
  transitionCase,
  sendReminders,
  verifyAuditLog,
} from '../../src/disclosure/index.js';
import { PATCH } from './attachment-samples.js';
import { addAccount, mailedLink, makeDeps, reportInput, world } from './helpers.js';

type Deps = ReturnType<typeof makeDeps>;

/** Run `command` with a crash after 0, 1, 2 … writes until it completes; returns the number of writes it made. */
async function crashAtEveryWrite(deps: Deps, name: string, command: () => Promise<unknown>): Promise<number> {
  for (let k = 0; k < 200; k++) {
    const before = deps.store.snapshot();
    deps.store.crashAfterWrites(k);
    try {
      await command();
    } catch (e) {
      deps.store.crashAfterWrites(undefined);
      if (!(e instanceof SimulatedCrash)) throw e;
      assert.deepEqual(deps.store.snapshot(), before, `${name}: a crash after ${k} write(s) left a trace`);
      continue;
    }
    deps.store.crashAfterWrites(undefined);
    assert.notDeepEqual(deps.store.snapshot(), before, `${name}: completed without writing`);
    return k;
  }
  throw new Error(`${name} never completed`);
}

test('every case command is all or nothing', async () => {
  const w = await world();
  const { deps, member } = w;
  const writes: Record<string, number> = {};
  let ref = '';
  writes.fileReport = await crashAtEveryWrite(deps, 'fileReport', async () => {
    ref = (await fileReport(deps, ANONYMOUS, reportInput({ reporterEmail: 'rita@example.org' }), { attachments: [{ fileName: 'poc.pl', content: Buffer.from('print 1;\n') }, { fileName: 'trace.log', content: Buffer.from('segfault\n') }] })).acknowledgement.reference;
  });
  writes.transition = await crashAtEveryWrite(deps, 'transition', () => transitionCase(deps, member, ref, 'triaging', 'triage'));
  writes.assess = await crashAtEveryWrite(deps, 'assess', () => assessCase(deps, member, ref, { scope: { override: { inScope: true, reason: 'Foo-Bar is on CPAN (checked on MetaCPAN)' } }, cvss: ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N'] }));
  await crashAtEveryWrite(deps, 'accept', () => transitionCase(deps, member, ref, 'accepted', 'reproduced'));
  writes.setEmbargo = await crashAtEveryWrite(deps, 'setEmbargo', () => setEmbargo(deps, member, ref, '2026-03-20', 'agreed'));
  writes.inviteAuthor = await crashAtEveryWrite(deps, 'inviteAuthor', () => inviteAuthor(deps, member, ref, { email: 'author@cpan.example' }));
  const token = await mailedLink(deps, 'author@cpan.example');
  writes.redeem = await crashAtEveryWrite(deps, 'redeemInvitation', () => redeemInvitation(deps, w.author, token, {}));
  writes.logContact = await crashAtEveryWrite(deps, 'logContact', () => logContact(deps, member, ref, { channel: 'pause-email', to: 'AUTHOR@cpan.org', summary: 'second channel' }));
  writes.message = await crashAtEveryWrite(deps, 'postMessage', () => postMessage(deps, w.author, ref, { body: 'on it, a fix attached', attachments: [{ fileName: 'fix.patch', content: Buffer.from(PATCH) }] }));
  const fix = (await readThread(deps, member, ref)).flatMap((m) => m.attachments).find((a) => a.kind === 'patch')!;
  const packager = await addAccount(deps, 'packager', 'downstream');
  writes.share = await crashAtEveryWrite(deps, 'shareWithDownstream', () => shareWithDownstream(deps, member, ref, { accountId: packager.accountId, summary: 'Foo::Bar before 1.24 writes outside the target; apply the patch.', fixAttachmentId: fix.id }));
  writes.revoke = await crashAtEveryWrite(deps, 'revokeDownstream', () => revokeDownstream(deps, member, ref, packager.accountId, 'they asked to be removed'));
  await crashAtEveryWrite(deps, 'fix-released', () => transitionCase(deps, w.author, ref, 'fix-released', 'released 1.24'));
  writes.createDraft = await crashAtEveryWrite(deps, 'createDraft', () => createDraft(deps, member, ref));
  writes.editDraft = await crashAtEveryWrite(deps, 'editDraft', () =>
    editDraft(deps, member, ref, { advisory: { description: 'Foo::Bar before 1.24 follows symlinks.', fixedVersions: ['>= 1.24'], references: ['https://metacpan.org/dist/Foo-Bar'] } }),
  );
  writes.assignCve = await crashAtEveryWrite(deps, 'assignCve', () => assignCve(deps, member, ref, 'CVE-2026-1111'));
  await editDraft(deps, member, ref, { cna: { title: 'Foo::Bar before 1.24 follows symlinks', author: 'AUTHOR' } });
  deps.clock.advanceDays(19);
  writes.reminders = await crashAtEveryWrite(deps, 'sendReminders', () => sendReminders(deps, systemActor('scheduler')));
  writes.publish = await crashAtEveryWrite(deps, 'publish', () => publishCase(deps, member, ref, 'fix released, embargo over'));

  // the commands do write several records each, so the crashes above fell between writes
  for (const [name, n] of Object.entries(writes)) assert.ok(n >= 2, `${name} made ${n} write(s)`);
  const audit = deps.store.snapshot().audit;
  assert.equal(verifyAuditLog(audit).ok, true);
  assert.equal(new Set(audit.map((e) => e.seq)).size, audit.length);
});

test('account commands are all or nothing too', async () => {
  const deps = makeDeps();
  await crashAtEveryWrite(deps, 'createFirstAdmin', () => createFirstAdmin(deps, systemActor('cli'), { email: 'ada@cpansec.test', name: 'Ada', password: 'the first admin of cpansec' }));
  assert.equal(deps.store.snapshot().accounts.size, 1);
});
