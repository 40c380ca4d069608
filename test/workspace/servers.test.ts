/**
 * Many servers, one database: two `cpansec serve` processes on one PostgreSQL share what a team
 * relies on — a session and a login page made by one work on the other; an idempotency key used on
 * one is honoured by the other; the intake limit counts reports to both; the reminder job, run by
 * both processes' timers at once, reminds an author who has not answered once; and the outbox,
 * drained by both processes' timers at once, sends every mail exactly once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, describe, test } from 'node:test';
import {
  accountActor,
  ANONYMOUS,
  assessCase,
  createFirstAdmin,
  cryptoRandom,
  disclosureConfig,
  fileReport,
  logContact,
  openDisclosureStore,
  systemActor,
  transitionCase,
} from './servers-helpers.js';
import { projectPath } from '../helpers/paths.js';
import { BACKENDS } from '../store/backends.js';
import { smtpListener } from './smtp-listener.js';

const postgres = BACKENDS.find((b) => b.name === 'postgres')!;
const PW = 'two servers, one database';

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function serve(flags: string[], smtpUrl: string): { child: ChildProcess; url: Promise<string>; exited: Promise<number | null>; err: () => string } {
  // both processes run the reminder job every 0.3 s and drain the outbox every 0.2 s
  const args = ['serve', '--port', '0', ...flags, '--smtp-url', smtpUrl, '--outbox-interval', '0.2', '--reminders-interval', '0.005', '--team-address', 'team@cpansec.test', '--mail-from', 'cpansec <noreply@cpansec.test>'];
  const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'cli-entry.ts'), ...args], { cwd: projectPath(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const url = until('a server to listen', async () => (/"msg":"cpansec serving"/.test(out) ? /"url":"(http:[^"]+)"/.exec(out.split('\n').find((l) => l.includes('cpansec serving'))!)?.[1] : undefined), 90_000);
  return { child, url, exited, err: () => err + out.slice(-2000) };
}

const cookiesOf = (r: Response) => r.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');

describe('two server processes on one PostgreSQL', { skip: postgres.skip }, () => {
  const smtpP = smtpListener();
  after(async () => (await smtpP).close());

  test('share sessions, login pages, idempotency keys and the intake limit, remind an author once, and send each mail once', { timeout: 240_000 }, async () => {
    const smtp = await smtpP;
    const { flags, options } = await postgres.location();
    // the store made (and migrated) once, with the first administrator, before the servers start;
    // and an accepted case whose author was written to 8 days ago and has not answered
    const deps = await openDisclosureStore(options.database!);
    const d = { ...deps.deps, config: disclosureConfig({ teamAddress: 'team@cpansec.test', from: 'noreply@cpansec.test', links: { case: (r) => r, invitation: (t) => t } }), random: cryptoRandom };
    const ada = accountActor(await createFirstAdmin(d, systemActor('cli'), { email: 'ada@example.org', name: 'Ada Admin', password: PW }));
    const silent = (await fileReport(d, ANONYMOUS, { distribution: 'Silent-Author', affectedVersions: ['< 2'], description: 'A report about Silent::Author, whose author does not answer.', reporterEmail: 'reporter@example.org' })).acknowledgement.reference;
    await transitionCase(d, ada, silent, 'triaging', 'looking');
    await assessCase(d, ada, silent, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
    await transitionCase(d, ada, silent, 'accepted', 'reproduced');
    await logContact(d, ada, silent, { channel: 'email', to: 'silent@cpan.example', summary: 'wrote to the author', at: new Date(Date.now() - 8 * 86_400_000).toISOString() });
    const queued = (await d.store.transaction((tx) => tx.outbox.list({}))).length;
    await deps.close();

    const a = serve(flags, smtp.url);
    const b = serve(flags, smtp.url);
    try {
      const [ua, ub] = await Promise.all([a.url, b.url]);

      // the login page of A, posted to B: the pre-session key is the store's, not a process's
      const page = await fetch(`${ua}/workspace/login`);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
      const login = await fetch(`${ub}/workspace/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookiesOf(page) },
        body: new URLSearchParams({ _csrf: csrf, email: 'ada@example.org', password: PW, next: '/workspace' }).toString(),
      });
      assert.equal(login.status, 303, b.err());
      // the session made by B works on A
      const home = await fetch(`${ua}/workspace`, { headers: { cookie: cookiesOf(login) } });
      assert.match(await home.text(), /Ada Admin/);

      // reports to both servers, each retried on the other with its key: one case each
      const refs = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const [first, other] = i % 2 ? [ua, ub] : [ub, ua];
        const body = JSON.stringify({ distribution: 'Foo-Bar', affectedVersions: ['< 2'], description: `Report number ${i} about Foo::Bar and its parser.`, reporterEmail: `r${i}@example.org` });
        const post = (base: string) => fetch(`${base}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `two-servers-key-${i}-0000` }, body });
        const r1 = await post(first);
        assert.equal(r1.status, 201, `report ${i}`);
        const r2 = await post(other);
        assert.equal(r2.status, 201, `retry ${i}`);
        const [x, y] = [(await r1.json()) as { reference: string }, (await r2.json()) as { reference: string }];
        assert.equal(y.reference, x.reference);
        refs.add(x.reference);
      }
      assert.equal(refs.size, 20);
      // the intake limit (20 an hour from one address) counted the reports to both servers
      for (const base of [ua, ub]) {
        const r = await fetch(`${base}/api/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ distribution: 'Foo-Bar', affectedVersions: ['< 2'], description: 'One report too many from this address.', reporterEmail: 'x@example.org' }) });
        assert.equal(r.status, 429, base);
      }

      // 20 acknowledgements and 20 team mails, the mails queued before the start, and one
      // reminder to the silent author (queued by whichever reminder job came first), drained by
      // two timers at once: each sent once
      const total = 40 + queued + 1;
      await until(`${total} mails`, async () => (smtp.received.length >= total ? true : undefined), 60_000);
      // many more runs of both processes' reminder jobs and drains
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal(smtp.received.length, total);
      const ids = smtp.received.map((m) => /^Message-ID:\s*(\S+)/im.exec(m.data)?.[1]);
      assert.equal(new Set(ids).size, total, 'no Message-ID twice');
      for (let i = 0; i < 20; i++) assert.equal(smtp.received.filter((m) => m.to.includes(`r${i}@example.org`)).length, 1, `r${i}`);
      const reminders = smtp.received.filter((m) => m.to.includes('silent@cpan.example'));
      assert.equal(reminders.length, 1, 'the author is reminded once');
      assert.match(reminders[0]!.data, new RegExp(`Subject: \\[${silent}\\] Reminder: security report about\\s+Silent-Author`), 'a folded header');
      const after = await openDisclosureStore(options.database!);
      const contacts = await after.deps.store.transaction(async (tx) => tx.contacts.listByCase((await tx.cases.getByReference(silent))!.id));
      await after.close();
      assert.deepEqual(contacts.map((c) => c.summary), ['wrote to the author', 'automatic reminder sent by cpansec'], 'logged once');
    } finally {
      a.child.kill('SIGTERM');
      b.child.kill('SIGTERM');
      await Promise.all([a.exited, b.exited]);
    }
  });
});
