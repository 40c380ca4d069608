/**
 * The workspace's jobs in the server process: reminders flag an expired embargo once and tell the
 * team; a publication that did not reach the advisory store (a crash between the two commits) is
 * caught up at start and by the job; the timers run on their own when configured.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  accountActor,
  ANONYMOUS,
  assessCase,
  createDraft,
  dueItems,
  editDraft,
  fileReport,
  publishCase,
  setEmbargo,
  transitionCase,
} from '../../src/disclosure/index.js';
import { runReminders } from '../../src/server/workspace/index.js';
import { reportInput } from '../disclosure/helpers.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, outbox, workspaceServer } from './harness.js';

for (const backend of BACKENDS) {
  describe(`workspace jobs on ${backend.name}`, { skip: backend.skip }, () => {
    test('reminders, expired embargoes, and publications caught up', async () => {
      const s = await workspaceServer(backend);
      const max = accountActor(await addUser(s.ws, 'max', 'member'));
      const d = s.ws.deps;
      const { acknowledgement } = await fileReport(d, ANONYMOUS, reportInput({ distribution: 'Late-Dist' }));
      const ref = acknowledgement.reference;
      await transitionCase(d, max, ref, 'triaging', 't');
      await assessCase(d, max, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
      await transitionCase(d, max, ref, 'accepted', 'a');
      await setEmbargo(d, max, ref, '2026-03-12', 'ten days');
      s.clock.advanceDays(8);
      let report = await runReminders(s.ws);
      assert.equal(report.embargoReminders, 1, 'two days before the end');
      s.clock.advanceDays(3);
      report = await runReminders(s.ws);
      assert.equal(report.expiredFlagged, 1);
      assert.equal((await runReminders(s.ws)).expiredFlagged, 0, 'flagged once');
      assert.deepEqual((await dueItems(d, max)).filter((x) => x.reference === ref).map((x) => x.kind).sort(), ['contact-author', 'embargo-expired']);
      const team = (await outbox(s.ws)).filter((m) => m.to === s.ws.settings.teamAddress).map((m) => m.subject);
      assert.ok(team.some((x) => /Embargo ended, not published/.test(x)));
      assert.equal((await s.app.inject('/distributions/Late-Dist')).statusCode, 404, 'nothing published by time passing');

      // published by the command alone, as if the process died before the advisory store's commit
      await createDraft(d, max, ref);
      await editDraft(d, max, ref, { advisory: { description: 'Late::Dist has a flaw.', references: ['https://example.org/late'] } });
      await publishCase(d, max, ref, 'author unresponsive', { withoutFix: true });
      assert.equal((await s.app.inject('/distributions/Late-Dist')).statusCode, 404);
      assert.equal(await s.ws.syncPublished(), 1);
      assert.equal((await s.app.inject('/distributions/Late-Dist')).statusCode, 200);
      assert.equal(await s.ws.syncPublished(), 0, 'once');
    });

    test('the reminder timer runs by itself when configured', async () => {
      const s = await workspaceServer(backend, { workspace: { remindersIntervalMs: 50 } });
      const max = accountActor(await addUser(s.ws, 'max', 'member'));
      const { acknowledgement } = await fileReport(s.ws.deps, ANONYMOUS, reportInput());
      await transitionCase(s.ws.deps, max, acknowledgement.reference, 'triaging', 't');
      await assessCase(s.ws.deps, max, acknowledgement.reference, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
      await transitionCase(s.ws.deps, max, acknowledgement.reference, 'accepted', 'a');
      await s.app.ready();
      const deadline = Date.now() + 10_000;
      while (!(await outbox(s.ws)).some((m) => /Author contact: contact-author/.test(m.subject))) {
        assert.ok(Date.now() < deadline, 'the escalation was queued by the timer');
        await new Promise((r) => setTimeout(r, 50));
      }
    });
  });
}
