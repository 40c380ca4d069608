import assert from 'node:assert/strict';
import { test } from 'node:test';
import nodemailer from 'nodemailer';
import { drainOutbox, MemoryStore, newMail, retryAt, type MailMessage, type MailTransport, type OutboxConfig } from '../../src/disclosure/index.js';
import { seededRandom, TestClock } from './helpers.js';

const config: OutboxConfig = { from: 'cpansec <noreply@cpansec.test>', messageIdDomain: 'cpansec.test', maxAttempts: 4, retryMinutes: 1, leaseMinutes: 10, batchSize: 50 };

async function setup(n: number) {
  const store = new MemoryStore();
  const clock = new TestClock();
  const random = seededRandom('outbox');
  await store.transaction(async (tx) => {
    for (let i = 0; i < n; i++) await tx.outbox.insert(newMail(random, { to: `r${i}@example.org`, subject: `s${i}`, body: `b${i}`, caseId: null }, clock.now(), config.messageIdDomain));
  });
  return { store, clock };
}

class RecordingTransport implements MailTransport {
  sent: MailMessage[] = [];
  constructor(private failures = 0, private delayMs = 0) {}
  async send(mail: MailMessage) {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failures > 0) {
      this.failures--;
      throw new Error('421 4.3.2 Service not available\nsecond line');
    }
    this.sent.push(mail);
  }
}

test('each queued mail is sent once; a second drain finds nothing', async () => {
  const { store, clock } = await setup(3);
  const t = new RecordingTransport();
  assert.deepEqual(await drainOutbox(store, t, clock, config), { sent: 3, retried: 0, failed: 0, skipped: 0 });
  assert.deepEqual(await drainOutbox(store, t, clock, config), { sent: 0, retried: 0, failed: 0, skipped: 0 });
  assert.deepEqual(t.sent.map((m) => m.to).sort(), ['r0@example.org', 'r1@example.org', 'r2@example.org']);
  assert.ok(t.sent.every((m) => /^<[0-9a-z]{26}@cpansec\.test>$/.test(m.messageId) && m.from === config.from && m.headers['Auto-Submitted'] === 'auto-generated'));
  const records = store.snapshot().outbox;
  assert.ok([...records.values()].every((m) => m.status === 'sent' && m.attempts === 1 && m.sentAt === clock.now().toISOString()));
});

test('failures are retried with doubling delays, then left failed with the error', async () => {
  const { store, clock } = await setup(1);
  const t = new RecordingTransport(10);
  assert.equal((await drainOutbox(store, t, clock, config)).retried, 1);
  let m = [...store.snapshot().outbox.values()][0]!;
  assert.deepEqual([m.status, m.attempts, m.lastError], ['pending', 1, '421 4.3.2 Service not available']);
  assert.equal(m.nextAttemptAt, new Date(clock.now().getTime() + 60_000).toISOString());
  assert.equal((await drainOutbox(store, t, clock, config)).sent + t.sent.length, 0, 'not due before its time');
  for (const wait of [1, 2, 4]) {
    clock.advanceMinutes(wait);
    await drainOutbox(store, t, clock, config);
  }
  m = [...store.snapshot().outbox.values()][0]!;
  assert.deepEqual([m.status, m.attempts], ['failed', 4]);
  clock.advanceDays(2);
  assert.deepEqual(await drainOutbox(store, t, clock, config), { sent: 0, retried: 0, failed: 0, skipped: 0 }, 'a failed mail waits for an administrator');
  assert.equal(retryAt(3, new Date(0), config)!.getTime(), 4 * 60_000);
  assert.equal(retryAt(4, new Date(0), config), null);
});

test('a transient failure, then success: sent once', async () => {
  const { store, clock } = await setup(1);
  const t = new RecordingTransport(1);
  await drainOutbox(store, t, clock, config);
  clock.advanceMinutes(1);
  await drainOutbox(store, t, clock, config);
  assert.equal(t.sent.length, 1);
  assert.equal([...store.snapshot().outbox.values()][0]!.attempts, 2);
});

test('two drains at once never send the same mail twice', async () => {
  const { store, clock } = await setup(20);
  const t = new RecordingTransport(0, 2);
  const [a, b] = await Promise.all([drainOutbox(store, t, clock, config), drainOutbox(store, t, clock, config)]);
  assert.equal(a.sent + b.sent, 20);
  assert.equal(a.skipped + b.skipped, 20);
  assert.equal(new Set(t.sent.map((m) => m.messageId)).size, 20);
  assert.equal(t.sent.length, 20);
});

test('a drain that died after claiming: its mails go out after the lease, with the same Message-ID', async () => {
  const { store, clock } = await setup(1);
  const [id, mail] = [...store.snapshot().outbox.entries()][0]!;
  await store.transaction((tx) => tx.outbox.claim(id, mail, new Date(clock.now().getTime() + 10 * 60_000).toISOString()));
  const t = new RecordingTransport();
  assert.equal((await drainOutbox(store, t, clock, config)).sent, 0, 'claimed by the dead drain');
  clock.advanceMinutes(10);
  assert.equal((await drainOutbox(store, t, clock, config)).sent, 1);
  assert.equal(t.sent[0]!.messageId, mail.messageId);
});

test('nodemailer’s sendMail takes our messages as they are', async () => {
  const { store, clock } = await setup(1);
  const transporter = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const raw: string[] = [];
  const transport: MailTransport = {
    async send(mail) {
      const info = await transporter.sendMail(mail);
      raw.push(String(info.message));
    },
  };
  assert.equal((await drainOutbox(store, transport, clock, config)).sent, 1);
  const id = [...store.snapshot().outbox.values()][0]!.messageId;
  assert.match(raw[0]!, new RegExp(`^Message-ID: ${id.replace(/[<>.]/g, '\\$&')}$`, 'm'));
  assert.match(raw[0]!, /^Auto-Submitted: auto-generated$/m);
  assert.match(raw[0]!, /^To: r0@example\.org$/m);
  assert.match(raw[0]!, /\n\nb0\n?$/);
});
