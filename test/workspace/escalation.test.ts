/**
 * Escalation in the workspace, on a server with a settable clock: the author is reminded by mail
 * at the configured number of days after the team's last attempt when they have not answered —
 * once (again, and with several runs at once), with a working single-use link, or the case's
 * address once they have an account — and the team hears only of the steps that are theirs; the
 * case page says what falls due next, as the step it is at; the team re-sends to the author in one
 * action, by the button of the case page or the API, refused when there is nobody to remind or
 * the same reminder was just sent. (The two-process proof on PostgreSQL is in servers.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accountActor, ANONYMOUS, assessCase, fileReport, inviteAuthor, logContact, recordAnswer, sendReminders, transitionCase, type AccountActor } from '../../src/disclosure/index.js';
import { runReminders } from '../../src/server/workspace/index.js';
import { reportInput } from '../disclosure/helpers.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, Client, invitationToken, outbox, tokenFor, workspaceServer, type WorkspaceServer } from './harness.js';
import { createFirstAdmin, cryptoRandom, disclosureConfig, openDisclosureStore, systemActor } from './servers-helpers.js';
import { TestClock } from '../disclosure/helpers.js';

async function acceptedCase(s: WorkspaceServer, who: AccountActor, distribution = 'Foo-Bar'): Promise<string> {
  const ref = (await fileReport(s.ws.deps, ANONYMOUS, reportInput({ distribution }))).acknowledgement.reference;
  await transitionCase(s.ws.deps, who, ref, 'triaging', 'looking');
  await assessCase(s.ws.deps, who, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
  await transitionCase(s.ws.deps, who, ref, 'accepted', 'reproduced');
  return ref;
}

const contactsOf = (s: WorkspaceServer, ref: string) => s.ws.deps.store.transaction(async (tx) => tx.contacts.listByCase((await tx.cases.getByReference(ref))!.id));
const auditOf = (s: WorkspaceServer, ref: string) => s.ws.deps.store.transaction(async (tx) => tx.audit.list({ caseId: (await tx.cases.getByReference(ref))!.id, limit: 1000 }));
const reminders = async (s: WorkspaceServer, to: string) => (await outbox(s.ws)).filter((m) => m.to === to && /\] Reminder: security report about /.test(m.subject));
const teamMails = async (s: WorkspaceServer) => (await outbox(s.ws)).filter((m) => m.to === s.ws.settings.teamAddress).map((m) => m.subject);

for (const backend of BACKENDS) {
  describe(`escalation on ${backend.name}`, { skip: backend.skip }, () => {
    test('the author is reminded by the job at the configured days after the last attempt, once; the team hears of its own steps only', async () => {
      // the team's setting: remind after 5 days (the default is 7)
      const s = await workspaceServer(backend, { seed: 'auto-reminder', workspace: { contact: { reminderAfterDays: 5 } } });
      const ada = accountActor(await addUser(s.ws, 'ada', 'admin'));
      const ref = await acceptedCase(s, ada);
      await inviteAuthor(s.ws.deps, ada, ref, { email: 'sri@cpan.example', name: 'Sebastian' });
      const firstLink = await invitationToken(s.ws, 'sri@cpan.example');

      const c = new Client(s.app);
      await c.login('ada@example.org');
      let page = await c.get(`/workspace/cases/${ref}?tab=contact`);
      assert.match(page.body, /<dt>Next step due<\/dt><dd><time datetime="2026-03-07T10:00:00.000Z">[^<]*<\/time>: the author is reminded by mail \(automatically\)<\/dd>/);
      assert.match(page.body, /a reminder goes to sri@cpan.example by itself on <time datetime="2026-03-07T10:00:00.000Z">/);
      page = await c.get(`/workspace/cases/${ref}`);
      assert.match(page.body, /<dt>Next deadline<\/dt><dd><time datetime="2026-03-07T10:00:00.000Z">2026-03-07<\/time>: the author is reminded by mail \(automatically\)<\/dd>/, 'the header agrees');

      s.clock.advanceDays(5);
      s.clock.advanceMinutes(-1);
      assert.equal((await runReminders(s.ws)).authorReminders, 0, 'not before the fifth day');
      s.clock.advanceMinutes(1);
      const report = await runReminders(s.ws);
      assert.deepEqual([report.authorReminders, report.escalations], [1, 0], 'reminded; nothing for the team to do');
      assert.equal((await runReminders(s.ws)).authorReminders, 0, 'once');
      const [mail] = await reminders(s, 'sri@cpan.example');
      assert.equal(mail?.subject, `[${ref}] Reminder: security report about Foo-Bar`);
      assert.match(mail!.body, /wrote to you on 2026-03-02 about a security report about your distribution Foo-Bar and has not heard back yet/);
      assert.match(mail!.body, /Please answer by 2026-03-16, and keep the report private/);
      assert.doesNotMatch(mail!.body, /Mojo|cross-site|description/i, 'the mail names the distribution, not the vulnerability');
      // the mailed link is a new single-use invitation that works (the first one too, until used)
      const reminderLink = await invitationToken(s.ws, 'sri@cpan.example');
      assert.notEqual(reminderLink, firstLink);
      const visit = await new Client(s.app).get(`/workspace/invitations/${reminderLink}`);
      assert.equal(visit.statusCode, 200);
      assert.match(visit.body, /Set the password/);

      const contacts = await contactsOf(s, ref);
      assert.deepEqual(contacts.map((x) => [x.by, x.channel, x.to, x.summary]).at(-1), ['system:reminder-job', 'email', 'sri@cpan.example', 'automatic reminder sent by cpansec']);
      const entry = (await auditOf(s, ref)).find((e) => e.action === 'author.reminded')!;
      assert.deepEqual([entry.actor, entry.data.automatic, entry.reason], ['system:scheduler', true, 'no answer 5 day(s) after the last attempt: reminder sent to sri@cpan.example']);

      // the job reminds once after each attempt of the team's: the next step is the team's, and named
      s.clock.advanceDays(5);
      assert.equal((await runReminders(s.ws)).authorReminders, 0);
      await c.login('ada@example.org');
      page = await c.get(`/workspace/cases/${ref}?tab=contact`);
      assert.match(page.body, /<strong>no answer: send a reminder<\/strong>/);
      assert.match(page.body, /<dt>Next step due<\/dt><dd><time datetime="2026-03-16T10:00:00.000Z">[^<]*<\/time>: try another channel<\/dd>/);
      assert.match(page.body, /The reminder job has reminded the author since the team’s last attempt; further reminders are the team’s./);
      assert.ok((await teamMails(s)).includes(`[${ref}] Author contact: send-reminder`), 'now the team is told');
      s.clock.advanceDays(4);
      const later = await runReminders(s.ws);
      assert.deepEqual([later.authorReminders, later.escalations], [0, 1]);
      assert.ok((await teamMails(s)).includes(`[${ref}] Author contact: try-another-channel`));
      assert.equal((await reminders(s, 'sri@cpan.example')).length, 1, 'one reminder in all');

      // the team writes again on another channel: the job reminds again after 5 days
      await logContact(s.ws.deps, ada, ref, { channel: 'pause-email', to: 'SRI@cpan.org', summary: 'wrote to the PAUSE address' });
      s.clock.advanceDays(5);
      assert.equal((await runReminders(s.ws)).authorReminders, 1);
      assert.equal((await reminders(s, 'SRI@cpan.org')).length, 1, 'to the address last written to');
      assert.equal((await contactsOf(s, ref)).at(-1)!.channel, 'pause-email');
    });

    test('no reminder when the author answered, when only non-mail channels were used, or before acceptance; several runs at once send one', async () => {
      const s = await workspaceServer(backend, { seed: 'no-reminder' });
      const ada = accountActor(await addUser(s.ws, 'ada', 'admin'));
      const answered = await acceptedCase(s, ada, 'Answered-Dist');
      const { contact } = await logContact(s.ws.deps, ada, answered, { channel: 'email', to: 'a@cpan.example', summary: 'wrote' });
      const irc = await acceptedCase(s, ada, 'Irc-Dist');
      await logContact(s.ws.deps, ada, irc, { channel: 'irc', to: '#toolchain', summary: 'asked on irc' });
      const twice = await acceptedCase(s, ada, 'Twice-Dist');
      await logContact(s.ws.deps, ada, twice, { channel: 'email', to: 't@cpan.example', summary: 'wrote' });
      const fresh = (await fileReport(s.ws.deps, ANONYMOUS, reportInput({ distribution: 'Fresh-Dist' }))).acknowledgement.reference;
      s.clock.advanceDays(1);
      await recordAnswer(s.ws.deps, ada, answered, contact.id, { summary: 'will fix' });
      s.clock.advanceDays(7);
      // three runs at once (two timers and an administrator): serialised by the store, one reminder
      const runs = await Promise.all([runReminders(s.ws), runReminders(s.ws), sendReminders(s.ws.deps, ada)]);
      assert.equal(runs.reduce((n, r) => n + r.authorReminders, 0), 1);
      assert.equal((await reminders(s, 't@cpan.example')).length, 1);
      assert.equal((await reminders(s, 'a@cpan.example')).length, 0, 'answered');
      assert.equal((await contactsOf(s, irc)).length, 1, 'no address to mail: the team is told instead');
      assert.ok((await teamMails(s)).includes(`[${irc}] Author contact: send-reminder`));
      assert.equal((await contactsOf(s, fresh)).length, 0);
    });

    test('the team re-sends to the author in one action: the case page’s button and the API', async () => {
      const s = await workspaceServer(backend, { seed: 'resend-action' });
      const ada = accountActor(await addUser(s.ws, 'ada', 'admin'));
      const max = await addUser(s.ws, 'max', 'member');
      const ref = await acceptedCase(s, ada);
      await inviteAuthor(s.ws.deps, ada, ref, { email: 'sri@cpan.example' });
      s.clock.advanceDays(2);
      const c = new Client(s.app);
      await c.login('max@example.org');
      let r = await c.get(`/workspace/cases/${ref}?tab=contact`);
      assert.match(r.body, /<form class="stack" method="post" action="\/workspace\/cases\/[^/]+\/remind-author" aria-label="Re-send to the author">[\s\S]*?<button type="submit">Re-send to the author \(sri@cpan.example\)<\/button>/);
      r = await c.post(`/workspace/cases/${ref}/remind-author`);
      assert.equal(r.statusCode, 303);
      assert.equal(r.headers.location, `/workspace/cases/${ref}?done=remind&tab=contact`);
      r = await c.get(String(r.headers.location));
      assert.match(r.body, /<p class="status" role="status">A reminder was sent to the author.<\/p>/);
      assert.equal((await reminders(s, 'sri@cpan.example')).length, 1);
      let last = (await contactsOf(s, ref)).at(-1)!;
      assert.deepEqual([last.by, last.summary], [`account:${max.id}`, 'reminder sent by cpansec']);
      assert.equal((await auditOf(s, ref)).at(-1)!.data.automatic, false);
      // the team's reminder counts as its attempt: the job reminds 7 days after it, not before
      assert.match(r.body, /<dt>Next step due<\/dt><dd><time datetime="2026-03-11T10:00:00.000Z">[^<]*<\/time>: the author is reminded by mail \(automatically\)<\/dd>/);

      // a double click: refused, said on the contact tab, nothing sent
      r = await c.post(`/workspace/cases/${ref}/remind-author`);
      assert.equal(r.statusCode, 409);
      assert.match(r.body, /aria-current="page">Author contact<\/a>/);
      assert.match(r.body, /a reminder went to sri@cpan.example at 10:00 UTC; send another later/);
      assert.equal((await reminders(s, 'sri@cpan.example')).length, 1);

      // the API, with a team member's token, a little later
      s.clock.advanceMinutes(11);
      const token = await tokenFor(s.ws, max, false);
      const api = (method: 'POST', url: string) => s.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{}' });
      r = await api('POST', `/api/cases/${ref}/author-reminders`);
      assert.equal(r.statusCode, 201, r.body);
      const body = JSON.parse(r.body) as { reference: string; mailedTo: string; contact: { summary: string; by: string } };
      assert.deepEqual([body.reference, body.mailedTo, body.contact.summary, body.contact.by], [ref, 'sri@cpan.example', 'reminder sent by cpansec', `account:${max.id}`]);
      assert.doesNotMatch(r.body, /invitations\//, 'no link in the answer');
      assert.equal((await reminders(s, 'sri@cpan.example')).length, 2);

      // once the author has an account on the case, the reminder links to the case page
      const link = await invitationToken(s.ws, 'sri@cpan.example');
      const author = new Client(s.app);
      await author.get(`/workspace/invitations/${link}`);
      assert.equal((await author.post(`/workspace/invitations/${link}`, { password: 'the author of foo-bar' })).statusCode, 303);
      s.clock.advanceMinutes(11);
      r = await api('POST', `/api/cases/${ref}/author-reminders`);
      assert.equal(r.statusCode, 201, r.body);
      const joined = (await reminders(s, 'sri@cpan.example')).at(-1)!;
      assert.equal(joined.link ?? null, null, 'no new invitation');
      assert.ok(joined.body.includes(`The details are on the case page (log in with your account):\n${s.ws.deps.config.links.case(ref)}`));

      // nobody to remind: no e-mail address, or the author answered
      const irc = await acceptedCase(s, ada, 'Irc-Dist');
      await logContact(s.ws.deps, ada, irc, { channel: 'issue-tracker', to: 'https://github.com/x/irc-dist/issues/1', summary: 'opened an issue' });
      r = await api('POST', `/api/cases/${irc}/author-reminders`);
      assert.equal(r.statusCode, 409);
      assert.match(r.body, /no e-mail address of the author in the contact log/);
      r = await c.get(`/workspace/cases/${irc}?tab=contact`);
      assert.doesNotMatch(r.body, /Re-send to the author/, 'no button without an address');
      last = (await contactsOf(s, ref))[0]!;
      await recordAnswer(s.ws.deps, ada, ref, last.id, { summary: 'looking at it' });
      r = await api('POST', `/api/cases/${ref}/author-reminders`);
      assert.equal(r.statusCode, 409);
      assert.match(r.body, /the author has answered/);
      r = await c.get(`/workspace/cases/${ref}?tab=contact`);
      assert.doesNotMatch(r.body, /Re-send to the author/);
      assert.match(r.body, /<dt>Next step due<\/dt><dd><span class="muted">—<\/span><\/dd>/);
    });
  });
}

const postgres = BACKENDS.find((b) => b.name === 'postgres')!;

describe('reminder jobs of two servers on one PostgreSQL', { skip: postgres.skip }, () => {
  test('two jobs over two connection pools at once remind each of 30 silent authors once', async () => {
    const { options } = await postgres.location();
    // two stores on one database, as two server processes have (each its own pool of connections)
    const [one, two] = [await openDisclosureStore(options.database!), await openDisclosureStore(options.database!)];
    try {
      const clock = new TestClock();
      const config = disclosureConfig({ teamAddress: 'team@cpansec.test', from: 'noreply@cpansec.test', links: { case: (r) => r, invitation: (t) => t } });
      const d1 = { ...one.deps, clock, config, random: cryptoRandom };
      const d2 = { ...two.deps, clock, config, random: cryptoRandom };
      const ada = accountActor(await createFirstAdmin(d1, systemActor('cli'), { email: 'ada@example.org', name: 'Ada Admin', password: 'two jobs, one database' }));
      const refs: string[] = [];
      for (let i = 0; i < 30; i++) {
        const ref = (await fileReport(d1, ANONYMOUS, reportInput({ distribution: `Silent-${i}`, reporterEmail: `r${i}@example.org` }))).acknowledgement.reference;
        await transitionCase(d1, ada, ref, 'triaging', 't');
        await assessCase(d1, ada, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
        await transitionCase(d1, ada, ref, 'accepted', 'a');
        await logContact(d1, ada, ref, { channel: 'email', to: `author${i}@cpan.example`, summary: 'wrote' });
        refs.push(ref);
      }
      clock.advanceDays(8);
      const scheduler = systemActor('scheduler');
      const [a, b] = await Promise.all([sendReminders(d1, scheduler), sendReminders(d2, scheduler)]);
      assert.equal(a.authorReminders + b.authorReminders, 30);
      const mails = (await d1.store.transaction((tx) => tx.outbox.list({}))).filter((m) => /Reminder: security report/.test(m.subject));
      assert.equal(mails.length, 30);
      assert.equal(new Set(mails.map((m) => m.to)).size, 30, 'one to each author');
      for (const ref of refs) assert.equal((await d2.store.transaction(async (tx) => tx.contacts.listByCase((await tx.cases.getByReference(ref))!.id))).length, 2, ref);
    } finally {
      await one.close();
      await two.close();
    }
  });
});
