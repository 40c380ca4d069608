/**
 * The whole flow through the commands, as phase 2's routes will call them: a reporter files, the
 * team triages and sets an embargo, the author is invited and answers, the advisory is published
 * after the embargo — and nobody sees what they must not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANONYMOUS,
  assessCase,
  assignCve,
  caseAuditLog,
  checkDraft,
  createDraft,
  createFirstAdmin,
  dueItems,
  editDraft,
  fileReport,
  inviteAccount,
  inviteAuthor,
  isPublic,
  listCases,
  login,
  postMessage,
  publicCase,
  publishCase,
  publishedCases,
  readThread,
  redeemInvitation,
  resolveSession,
  sendOutbox,
  sendReminders,
  setEmbargo,
  systemActor,
  transitionCase,
  triageInfo,
  verifyAudit,
  viewCase,
  type Actor,
  type MailMessage,
} from '../../src/disclosure/index.js';
import { bundledIndex, mailbox, mailedLink, makeDeps, reportInput } from './helpers.js';

const SYSTEM = systemActor('cli');

/** The token of the newest invitation link mailed to this address (links are made when mail is sent). */
const invitationLink = mailedLink;

async function loginAs(deps: ReturnType<typeof makeDeps>, email: string, password: string): Promise<Actor> {
  const r = await login(deps, { email, password, ip: '192.0.2.10' });
  assert.equal(r.ok, true, `login of ${email}: ${JSON.stringify(r)}`);
  const resolved = await resolveSession(deps, (r as { token: string }).token);
  return resolved!.actor;
}

test('report → triage → embargo → author → fix → publication after the embargo', async () => {
  const deps = makeDeps({ index: bundledIndex() });
  const { clock } = deps;

  // the operator makes the first administrator; the administrator invites a team member
  await createFirstAdmin(deps, SYSTEM, { email: 'ada@cpansec.test', name: 'Ada', password: 'the first admin of cpansec' });
  await assert.rejects(createFirstAdmin(deps, SYSTEM, { email: 'eve@example.org', name: 'Eve', password: 'another admin password' }), { code: 'CONFLICT' });
  const admin = await loginAs(deps, 'ada@cpansec.test', 'the first admin of cpansec');
  await inviteAccount(deps, admin, { email: 'max@cpansec.test', name: 'Max', role: 'member' });
  await redeemInvitation(deps, ANONYMOUS, await invitationLink(deps, 'max@cpansec.test'), { password: 'max keeps the triage' });
  const member = await loginAs(deps, 'max@cpansec.test', 'max keeps the triage');

  // an anonymous reporter files, and claims the case with the mailed link
  const filed = await fileReport(deps, ANONYMOUS, reportInput({ distribution: 'Mojolicious', affectedVersions: ['< 9.40'], reporterEmail: 'rita@example.org' }));
  const ref = filed.acknowledgement.reference;
  assert.match(ref, /^CPANSEC-2026-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  assert.match(filed.acknowledgement.message, /received as CPANSEC-/);
  await redeemInvitation(deps, ANONYMOUS, await invitationLink(deps, 'rita@example.org'), { password: 'she reports bugs often', name: 'Rita' });
  const reporter = await loginAs(deps, 'rita@example.org', 'she reports bugs often');
  assert.deepEqual((await listCases(deps, reporter)).map((c) => c.reference), [ref]);
  assert.equal((await viewCase(deps, reporter, ref)).reporter?.email, 'rita@example.org');

  // another reporter's case, invisible to Rita
  const other = await fileReport(deps, ANONYMOUS, reportInput({ distribution: 'Foo-Bar', reporterEmail: 'olga@example.org' }));

  // triage
  await transitionCase(deps, member, ref, 'triaging', 'looking at it');
  await assert.rejects(transitionCase(deps, member, ref, 'accepted', 'looks real'), { code: 'CONFLICT', message: /record the scope decision/ });
  const info = await triageInfo(deps, member, ref);
  assert.equal(info.scope.rule, 'cpan-distribution');
  assert.ok(info.advisories.length > 5 && info.advisories.every((a) => a.id.startsWith('CPANSA-Mojolicious-')), 'links to the existing advisories');
  await assessCase(deps, member, ref, { scope: { component: 'own-code' }, cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N'], cwes: ['CWE-79'] });
  let view = await viewCase(deps, member, ref);
  assert.deepEqual([view.assessment?.scope?.decision.inScope, view.assessment?.severity, view.assessment?.cvss[0]?.score], [true, 'medium', 6.1]);
  await transitionCase(deps, member, ref, 'accepted', 'reproduced');
  await setEmbargo(deps, member, ref, '2026-03-30', 'agreed with the reporter');

  // the author is invited; the first contact moves the case
  const invited = await inviteAuthor(deps, member, ref, { email: 'sri@cpan.example', name: 'Sebastian' });
  assert.equal(invited.case.state, 'author-contacted');
  await redeemInvitation(deps, ANONYMOUS, await invitationLink(deps, 'sri@cpan.example'), { password: 'the author of mojo' });
  const author = await loginAs(deps, 'sri@cpan.example', 'the author of mojo');
  const authorView = await viewCase(deps, author, ref);
  assert.equal(authorView.reporter, undefined, "the author does not see the reporter's contact");
  assert.equal(authorView.assessment, undefined);
  assert.deepEqual(authorView.nextStates, ['fix-in-progress', 'fix-released']);

  // the thread: shared messages for all three, internal notes for the team only
  await postMessage(deps, author, ref, { body: 'Confirmed, working on a fix.' });
  await postMessage(deps, member, ref, { body: 'Author seems responsive.', visibility: 'internal' });
  await postMessage(deps, reporter, ref, { body: 'Happy to test the fix.' });
  const asReporter = await readThread(deps, reporter, ref);
  assert.deepEqual(asReporter.map((m) => [m.from, m.body]), [['Sebastian (author)', 'Confirmed, working on a fix.'], ['you', 'Happy to test the fix.']]);
  assert.deepEqual((await readThread(deps, author, ref)).map((m) => m.from), ['you', 'the reporter']);
  assert.equal((await readThread(deps, member, ref)).length, 3);
  await assert.rejects(postMessage(deps, author, ref, { body: 'x', visibility: 'internal' }), { code: 'FORBIDDEN' });

  await transitionCase(deps, author, ref, 'fix-in-progress', 'patch under review');
  await transitionCase(deps, author, ref, 'fix-released', '9.40 is on CPAN');
  await assert.rejects(transitionCase(deps, author, ref, 'withdrawn', 'never mind'), { code: 'FORBIDDEN' });

  // the outcome
  await createDraft(deps, member, ref);
  await assignCve(deps, member, ref, 'CVE-2026-4242');
  await editDraft(deps, member, ref, {
    advisory: { description: 'Mojolicious versions before 9.40 for Perl allow cross-site scripting.', fixedVersions: ['>= 9.40'] },
    cna: { title: 'Mojolicious versions before 9.40 for Perl allow cross-site scripting', author: 'SRI', references: [{ url: 'https://metacpan.org/release/SRI/Mojolicious-9.40/changes', tags: ['release-notes'] }] },
  });
  assert.deepEqual((await checkDraft(deps, member, ref)).filter((p) => p.level === 'error'), []);
  await assert.rejects(publishCase(deps, member, ref, 'fix released'), { code: 'CONFLICT', message: /under embargo until 2026-03-30/ });
  await assert.rejects(publishCase(deps, author, ref, 'fix released'), { code: 'FORBIDDEN' });

  // the embargo ends: the team is told, nothing is published by itself
  clock.advanceDays(29);
  assert.equal((await sendReminders(deps, systemActor('scheduler'))).expiredFlagged, 1);
  assert.equal((await sendReminders(deps, systemActor('scheduler'))).expiredFlagged, 0, 'flagged once');
  assert.ok((await dueItems(deps, member)).some((d) => d.reference === ref && d.kind === 'embargo-expired'));
  assert.deepEqual(await publishedCases(deps), []);
  await assert.rejects(publicCase(deps, ANONYMOUS, ref), { code: 'NOT_FOUND' });

  const { case: published, events } = await publishCase(deps, member, ref, 'fix released, embargo over');
  assert.equal(published.state, 'published');
  assert.equal(isPublic(published, clock.now()), true);
  const [event] = events;
  assert.equal(event.advisory.id, 'CPANSA-Mojolicious-2026-4242');
  assert.match(event.report, /^---\nadvisories:\n/);
  assert.deepEqual(event.cve?.timeline.map((t) => t.value), ['Vulnerability reported to the CPAN Security Group', 'Distribution author contacted', 'Fixed version released', 'Advisory published']);
  assert.equal((await publicCase(deps, ANONYMOUS, ref)).advisory.id, 'CPANSA-Mojolicious-2026-4242');
  assert.deepEqual((await publishedCases(deps)).map((p) => p.reference), [ref]);

  // the audit log tells the story and its chain holds
  const log = await caseAuditLog(deps, member, ref);
  assert.deepEqual(
    log.filter((e) => e.action === 'case.transition' || e.action === 'case.published').map((e) => `${e.from}->${e.to}`),
    ['received->triaging', 'triaging->accepted', 'accepted->author-contacted', 'author-contacted->fix-in-progress', 'fix-in-progress->fix-released', 'fix-released->published'],
  );
  const verified = await verifyAudit(deps, admin, undefined, 7);
  assert.equal(verified.ok, true);
  await assert.rejects(caseAuditLog(deps, reporter, ref), { code: 'FORBIDDEN' });

  // the mail: every notification sent, none with the report's content
  // the mails delivered already (for the invitation links above), and the rest now
  const sent: MailMessage[] = [...mailbox(deps)];
  const before = sent.length;
  const report = await sendOutbox(deps, admin, { send: async (m) => void sent.push(m) });
  assert.equal(report.sent, sent.length - before);
  assert.ok(sent.length > 15);
  for (const m of sent) {
    assert.ok(!m.text.includes('symlinks') && !m.text.includes('Foo::Bar::parse') && !m.text.includes('working on a fix'), `${m.subject} leaks the report`);
  }
  assert.ok(sent.some((m) => m.to === 'rita@example.org' && /published/.test(m.subject)));

  // Rita never sees Olga's case, whether she names it or guesses
  const olgaRef = other.acknowledgement.reference;
  for (const key of [olgaRef, other.caseId, 'CPANSEC-2026-0000-0000', 'zzzzzzzzzzzzzzzzzzzzzzzzzz']) {
    await assert.rejects(viewCase(deps, reporter, key), (e: Error & { code?: string }) => e.code === 'NOT_FOUND' && /: no such case$/.test(e.message), key);
    await assert.rejects(postMessage(deps, reporter, key, { body: 'hello' }), { code: 'NOT_FOUND' });
  }
  await assert.rejects(viewCase(deps, ANONYMOUS, olgaRef), { code: 'NOT_FOUND' });
  await assert.rejects(viewCase(deps, author, olgaRef), { code: 'NOT_FOUND' });
  assert.deepEqual((await listCases(deps, author)).map((c) => c.reference), [ref]);
  view = await viewCase(deps, member, olgaRef);
  assert.equal(view.state, 'received');
});

test('an accepted case without author contact is escalated to the team, once per step; the author is reminded by the job', async () => {
  const deps = makeDeps({ index: bundledIndex() });
  const member = (await createFirstAdmin(deps, SYSTEM, { email: 'ada@cpansec.test', name: 'Ada', password: 'the first admin of cpansec' })) && (await loginAs(deps, 'ada@cpansec.test', 'the first admin of cpansec'));
  const { acknowledgement } = await fileReport(deps, ANONYMOUS, reportInput({ distribution: 'Mojolicious' }));
  const ref = acknowledgement.reference;
  await transitionCase(deps, member, ref, 'triaging', 't');
  await assessCase(deps, member, ref, { scope: {} });
  await transitionCase(deps, member, ref, 'accepted', 'a');
  const scheduler = systemActor('scheduler');
  assert.equal((await sendReminders(deps, scheduler)).escalations, 1);
  assert.equal((await sendReminders(deps, scheduler)).escalations, 0);
  const { logContact } = await import('../../src/disclosure/index.js');
  await logContact(deps, member, ref, { channel: 'email', to: 'sri@cpan.example', summary: 'wrote to the author' });
  deps.clock.advanceDays(7);
  // a reminder is due: the job mails it to the author itself, and the team has nothing to do yet
  assert.deepEqual(await sendReminders(deps, scheduler), { embargoReminders: 0, expiredFlagged: 0, authorReminders: 1, escalations: 0 });
  assert.deepEqual(await sendReminders(deps, scheduler), { embargoReminders: 0, expiredFlagged: 0, authorReminders: 0, escalations: 0 }, 'once');
  deps.clock.advanceDays(7);
  assert.equal((await sendReminders(deps, scheduler)).escalations, 1, 'another channel is due');
  deps.clock.advanceDays(16);
  assert.equal((await sendReminders(deps, scheduler)).escalations, 1, 'the team must decide');
  const due = await dueItems(deps, member);
  assert.deepEqual(due.map((d) => d.kind), ['team-decision']);
  // the team publishes without a fix, as the charter's contact point for unresponsive authors
  await createDraft(deps, member, ref);
  await editDraft(deps, member, ref, { advisory: { description: 'Mojolicious has a bug the author did not fix.', references: ['https://example.org/report'] } });
  await assert.rejects(publishCase(deps, member, ref, 'the author is unresponsive'), { code: 'CONFLICT', message: /no fix is released/ });
  const { case: c } = await publishCase(deps, member, ref, 'the author is unresponsive', { withoutFix: true });
  assert.equal(c.state, 'published');
});

test('commands refuse bad input with the field named, and unknown states cleanly', async () => {
  const deps = makeDeps();
  await createFirstAdmin(deps, SYSTEM, { email: 'ada@cpansec.test', name: 'Ada', password: 'the first admin of cpansec' });
  const admin = await loginAs(deps, 'ada@cpansec.test', 'the first admin of cpansec');
  const { acknowledgement } = await fileReport(deps, ANONYMOUS, reportInput());
  const ref = acknowledgement.reference;
  await assert.rejects(transitionCase(deps, admin, ref, 'fixed', 'x'), { code: 'PARSE_ERROR', message: /^state: unknown state 'fixed'/ });
  await assert.rejects(transitionCase(deps, admin, ref, 'published', 'x'), { code: 'CONFLICT' });
  await assert.rejects(transitionCase(deps, admin, ref, 'triaging', ''), { code: 'PARSE_ERROR', message: 'reason: is required' });
  await assert.rejects(transitionCase(deps, admin, ref, 'duplicate', 'same as another', { duplicateOf: ref }), { code: 'PARSE_ERROR', message: /no other case/ });
  await assert.rejects(fileReport(deps, ANONYMOUS, { ...reportInput(), description: '<b>'.repeat(10_000) }), { code: 'PARSE_ERROR', message: /^description: is too long/ });
  await assert.rejects(assessCase(deps, admin, ref, { cvss: ['CVSS:3.1/AV:N'] }), { code: 'PARSE_ERROR', message: /^cvss: / });
  await assert.rejects(setEmbargo(deps, admin, ref, '2020-01-01', 'x'), { code: 'PARSE_ERROR', message: /future/ });
  await assert.rejects(viewCase(deps, admin, "CPANSEC-2026-'; DROP TABLE--"), { code: 'PARSE_ERROR' });
  await assert.rejects(listCases(deps, admin, { states: ['open'] }), { code: 'PARSE_ERROR', message: /^state: unknown state/ });
  await assert.rejects(listCases(deps, admin, { limit: -1 }), { code: 'PARSE_ERROR', message: 'limit: must be a whole number' });
  await assert.rejects(listCases(deps, ANONYMOUS), { code: 'FORBIDDEN' });
  assert.deepEqual((await listCases(deps, admin, { states: ['received'], distribution: 'Foo-Bar', limit: '5' })).map((c) => c.reference), [ref]);
});
