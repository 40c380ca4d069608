/**
 * The outbox drained through nodemailer's SMTP transport to a real SMTP server (a small one this
 * test starts on a local port): every queued mail delivered once with its Message-ID, a refused
 * recipient retried and recorded; the timer of the server process drains by itself; and
 * `cpansec serve --smtp-url` in a child process delivers the intake's mails.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ANONYMOUS, fileReport } from '../../src/disclosure/index.js';
import { runDrain } from '../../src/server/workspace/index.js';
import { projectPath } from '../helpers/paths.js';
import { reportInput } from '../disclosure/helpers.js';
import { BACKENDS } from '../store/backends.js';
import { outbox, workspaceServer } from './harness.js';
import { smtpListener } from './smtp-listener.js';

const smtp = await smtpListener();
after(() => smtp.close());

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const backend of BACKENDS) {
  describe(`mail through SMTP on ${backend.name}`, { skip: backend.skip }, () => {
    test('the outbox drains to a real SMTP server: once each, refusals retried', async () => {
      const s = await workspaceServer(backend, { workspace: { transport: undefined, smtpUrl: smtp.url, mailFrom: 'cpansec <noreply@cpansec.test>', teamAddress: 'team@cpansec.test' } });
      smtp.received.length = 0;
      smtp.refuse.add('bounce@example.org');
      await fileReport(s.ws.deps, ANONYMOUS, reportInput({ reporterEmail: 'rita@example.org' }));
      await fileReport(s.ws.deps, ANONYMOUS, reportInput({ reporterEmail: 'bounce@example.org' }));
      const queued = await outbox(s.ws);
      assert.equal(queued.length, 4);
      const report = await runDrain(s.ws);
      assert.deepEqual(report, { sent: 3, retried: 1, failed: 0, skipped: 0 });
      assert.deepEqual(smtp.received.map((m) => m.to.join()).sort(), ['rita@example.org', 'team@cpansec.test', 'team@cpansec.test']);
      for (const m of smtp.received) {
        assert.equal(m.from, 'noreply@cpansec.test');
        const id = /^Message-ID: (<[0-9a-z]{26}@cpansec\.test>)$/m.exec(m.data)?.[1];
        assert.ok(id && queued.some((q) => q.messageId === id), 'the outbox record’s Message-ID');
        assert.match(m.data, /^Auto-Submitted: auto-generated$/m);
        assert.match(m.data, /^Subject: \[CPANSEC-2026-[0-9A-Z]{4}-[0-9A-Z]{4}\] /m);
      }
      const after1 = await outbox(s.ws);
      assert.deepEqual(after1.map((m) => m.status).sort(), ['pending', 'sent', 'sent', 'sent']);
      const bounced = after1.find((m) => m.status === 'pending')!;
      assert.match(bounced.lastError ?? '', /550|no such user|Recipient/i);
      assert.deepEqual(await runDrain(s.ws), { sent: 0, retried: 0, failed: 0, skipped: 0 }, 'nothing twice; the retry waits');
      smtp.refuse.delete('bounce@example.org');
      s.clock.advanceMinutes(2);
      assert.deepEqual(await runDrain(s.ws), { sent: 1, retried: 0, failed: 0, skipped: 0 });
      assert.equal(smtp.received.length, 4);
    });

    test("the server's timer drains the outbox by itself", async () => {
      const s = await workspaceServer(backend, { workspace: { transport: undefined, smtpUrl: smtp.url, drainIntervalMs: 100 } });
      await s.app.ready();
      const before = smtp.received.length;
      await fileReport(s.ws.deps, ANONYMOUS, reportInput({ reporterEmail: 'timer@example.org' }));
      await until('the timer to send', async () => ((await outbox(s.ws)).every((m) => m.status === 'sent') ? true : undefined));
      assert.ok(smtp.received.slice(before).some((m) => m.to.includes('timer@example.org')));
    });
  });
}

describe('cpansec serve --smtp-url', () => {
  test('a child server sends the intake’s mails through the SMTP server by its timer', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-smtp-'));
    const args = ['serve', '--port', '0', '--data-dir', dir, '--smtp-url', smtp.url, '--outbox-interval', '0.2', '--team-address', 'team@cpansec.test', '--mail-from', 'cpansec <noreply@cpansec.test>'];
    const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'cli-entry.ts'), ...args], { cwd: projectPath(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const url = await until('the server to listen', async () => /"msg":"cpansec serving"/.test(out) ? /"url":"(http:[^"]+)"/.exec(out.split('\n').find((l) => l.includes('cpansec serving'))!)?.[1] : undefined, 90_000);
      const r = await fetch(`${url}/api/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(reportInput({ reporterEmail: 'child@example.org' })),
      });
      assert.equal(r.status, 201);
      const mail = await until('the mail to arrive', async () => smtp.received.find((m) => m.to.includes('child@example.org')));
      assert.match(mail.data, /Your security report was received/);
      assert.match(mail.data.replace(/=\r\n/g, ''), new RegExp(`${url.replace(/[.:/]/g, (c) => `\\${c}`)}/workspace/invitations/[0-9a-z]+`), 'the link names the server');
      child.kill('SIGTERM');
      assert.equal(await exited, 0, err);
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
