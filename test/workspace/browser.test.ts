/**
 * The workspace end to end in a real browser — Debian's chromium through playwright-core, with
 * JavaScript off (the workspace needs none) — against a real server this test starts: a reporter
 * files the report with the keyboard only and claims the case; a team member logs in, triages
 * (scope, CVSS with the calculator, scored by the server) and sets an embargo; the author is invited, follows the link and
 * answers in the thread; the advisory is drafted; publishing is refused during the embargo and,
 * after it (the server's clock, not a sleep), the advisory is on the public site, in the feed and
 * the OSV API. A second reporter cannot see the first one's case, by list or by address. Every
 * page visited has its landmarks, one h1, no skipped heading level and a label on every field.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium, NO_BROWSER } from '../server/site-browser.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, invitationToken, workspaceServer, type WorkspaceServer } from './harness.js';

let browser: Browser | undefined;
before(async () => {
  if (NO_BROWSER) return;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

/** Landmarks, one h1, no skipped heading level, a label for every field. */
async function checkPage(page: Page, what: string): Promise<void> {
  for (const role of ['banner', 'navigation', 'main', 'contentinfo'] as const) assert.ok((await page.getByRole(role).count()) >= 1, `${what}: a ${role}`);
  const levels = await page.$$eval('h1, h2, h3, h4, h5, h6', (hs) => hs.map((h) => Number(h.tagName[1])));
  assert.equal(levels.filter((l) => l === 1).length, 1, `${what}: one h1`);
  for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `${what}: h${levels[i]} after h${levels[i - 1]}`);
  const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (els) =>
    els.filter((e) => !(e as HTMLInputElement).labels?.length && !e.getAttribute('aria-label')).map((e) => (e as HTMLInputElement).name),
  );
  assert.deepEqual(unlabelled, [], `${what}: fields without a label`);
}

async function submit(page: Page, form: string, button = form): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole('form', { name: form }).getByRole('button', { name: button }).click()]);
}

async function logIn(page: Page, base: string, email: string, password: string): Promise<void> {
  await page.goto(`${base}/workspace/login`);
  await checkPage(page, 'login');
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await submit(page, 'Log in');
  assert.match(await page.getByRole('status').innerText(), /You are logged in/);
}

for (const backend of BACKENDS) {
  describe(`the workspace in a browser, on ${backend.name}`, { skip: backend.skip || NO_BROWSER }, () => {
    let s: WorkspaceServer;
    let base: string;
    const contexts: BrowserContext[] = [];
    const person = async () => {
      const context = await browser!.newContext({ javaScriptEnabled: false });
      contexts.push(context);
      return context.newPage();
    };
    before(async () => {
      s = await workspaceServer(backend);
      await s.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
      s.ctx.config.baseUrl = base;
    });
    after(async () => {
      for (const c of contexts) await c.close();
    });

    test('report, triage, embargo, author, draft, publication after the embargo; nothing for another reporter', async () => {
      // the reporter fills the form with the keyboard alone
      const rita = await person();
      await rita.goto(`${base}/workspace/report`);
      await checkPage(rita, 'report form');
      await rita.keyboard.press('Tab');
      assert.equal(await rita.evaluate(() => document.activeElement?.textContent), 'Skip to main content');
      await rita.keyboard.press('Enter');
      const typed: [string, string][] = [
        ['f-report-distribution', 'Mojolicious'],
        ['f-report-affectedVersions', '< 9.40'],
        ['f-report-description', 'Mojo::DOM does not escape attribute values, so pages built with it allow cross-site scripting.'],
        ['f-report-proof', 'perl -MMojo::DOM -E "say Mojo::DOM->new(q{<a>})"'],
        ['f-report-attachments', ''],
        ['f-report-reporterName', 'Rita'],
        ['f-report-reporterEmail', 'rita@example.org'],
        ['f-report-credit', 'Rita Reporter'],
        ['f-report-encryptionKey', ''],
      ];
      for (const [id, text] of typed) {
        await rita.keyboard.press('Tab');
        assert.equal(await rita.evaluate(() => document.activeElement?.id), id, 'the next field in reading order');
        if (text) await rita.keyboard.type(text);
      }
      await rita.keyboard.press('Tab');
      assert.equal(await rita.evaluate(() => document.activeElement?.textContent), 'Send the report');
      await Promise.all([rita.waitForNavigation(), rita.keyboard.press('Enter')]);
      const ref = await rita.locator('#reference').innerText();
      assert.match(ref, /^CPANSEC-2026-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

      // she follows the mailed link and sets her password
      await rita.goto(`${base}/workspace/invitations/${await invitationToken(s.ws, 'rita@example.org')}`);
      await checkPage(rita, 'invitation');
      await rita.getByLabel('New password').fill('she reports bugs often');
      await submit(rita, 'Accept the invitation', 'Set the password and continue');
      assert.match(await rita.locator('h1').innerText(), new RegExp(ref));

      // a team member triages
      await addUser(s.ws, 'max', 'member', 'max keeps the triage queue');
      const max = await person();
      await logIn(max, base, 'max@example.org', 'max keeps the triage queue');
      await max.getByRole('link', { name: ref }).first().click();
      await checkPage(max, 'case page (team)');
      // the case at a glance: a summary header and one section at a time
      const tab = async (page: typeof max, name: string) => {
        await Promise.all([page.waitForNavigation(), page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name }).click()]);
        assert.equal(await page.getByRole('navigation', { name: 'Case sections' }).locator('[aria-current="page"]').innerText(), name);
      };
      const header = max.locator('dl.case-summary');
      assert.match(await header.innerText(), /State\s+received[\s\S]*Severity\s+not rated[\s\S]*Embargo\s+none[\s\S]*Assignee\s+nobody/);
      const assign = max.getByRole('form', { name: 'Assign the case' });
      await assign.getByLabel('Assignee').selectOption({ label: 'max' });
      await submit(max, 'Assign the case', 'Assign');
      assert.equal(await max.locator('#assignee').innerText(), 'max');
      await max.goto(`${base}/workspace/cases?assignee=me`);
      await checkPage(max, 'my cases');
      assert.match(await max.locator('main').innerText(), new RegExp(ref));
      await max.getByRole('link', { name: ref }).first().click();
      const move = async (to: string, reason: string) => {
        const form = max.getByRole('form', { name: 'Move the case' });
        await form.getByLabel('New state').selectOption(to);
        await form.getByLabel('Reason').fill(reason);
        await submit(max, 'Move the case');
      };
      await move('triaging', 'looking at it');
      await tab(max, 'Triage');
      await checkPage(max, 'triage tab');
      await submit(max, 'Record the scope decision');
      assert.match(await max.getByRole('status').innerText(), /scope decision is recorded/);
      // the CVSS calculator without script: the server computes the score
      await max.getByText('CVSS 3.1 calculator').click();
      const calculator = max.getByRole('form', { name: 'CVSS 3.1 calculator' });
      const chosen: [string, string][] = [['Attack Vector (AV)', 'Network (N)'], ['Attack Complexity (AC)', 'Low (L)'], ['Privileges Required (PR)', 'None (N)'], ['User Interaction (UI)', 'Required (R)'], ['Scope (S)', 'Changed (C)'], ['Confidentiality Impact (C)', 'Low (L)'], ['Integrity Impact (I)', 'Low (L)'], ['Availability Impact (A)', 'None (N)']];
      for (const [metric, value] of chosen) {
        await calculator.getByRole('group', { name: metric, exact: true }).getByLabel(value, { exact: true }).check();
      }
      await Promise.all([max.waitForNavigation(), calculator.getByRole('button', { name: 'Compute the score' }).click()]);
      await checkPage(max, 'CVSS calculator page');
      assert.equal(await max.locator('#cvss-score').innerText(), '6.1');
      await Promise.all([max.waitForNavigation(), max.getByRole('button', { name: 'Save the vector to the case' }).click()]);
      assert.match(await max.getByRole('status').innerText(), /CVSS vector is saved/);
      await tab(max, 'Report');
      await move('accepted', 'reproduced');
      assert.match(await header.innerText(), /Severity\s+medium \(CVSS 3.1 6.1\)/);
      await tab(max, 'Triage');
      const embargo = max.getByRole('form', { name: 'Set the embargo' });
      await embargo.getByLabel('Embargo ends on').fill('2026-03-30');
      await embargo.getByLabel('Reason').fill('agreed with the reporter');
      await submit(max, 'Set the embargo');
      assert.match(await max.locator('main').innerText(), /Under embargo until/);

      assert.match(await header.innerText(), /Embargo\s+until 2026-03-30/);
      // the author is invited, follows the link and answers
      await tab(max, 'Author contact');
      await checkPage(max, 'author contact tab');
      const invite = max.getByRole('form', { name: 'Invite the author' });
      await invite.getByLabel('Author’s e-mail address').fill('sri@cpan.example');
      await invite.getByLabel('Author’s name').fill('Sebastian');
      await submit(max, 'Invite the author', 'Send the invitation');
      const sri = await person();
      await sri.goto(`${base}/workspace/invitations/${await invitationToken(s.ws, 'sri@cpan.example')}`);
      await sri.getByLabel('New password').fill('the author of mojo');
      await submit(sri, 'Accept the invitation', 'Set the password and continue');
      await checkPage(sri, 'case page (author)');
      assert.doesNotMatch(await sri.locator('main').innerText(), /rita@example.org|Rita Reporter/);
      await tab(sri, 'Discussion');
      await sri.getByRole('form', { name: 'Write a message' }).getByLabel('Message').fill('Confirmed; 9.40 fixes it.');
      await submit(sri, 'Write a message', 'Send the message');
      await tab(sri, 'Report');
      const sriMove = sri.getByRole('form', { name: 'Move the case' });
      await sriMove.getByLabel('New state').selectOption('fix-released');
      await sriMove.getByLabel('Reason').fill('9.40 is on CPAN');
      await submit(sri, 'Move the case');
      await rita.goto(`${base}/workspace/cases/${ref}?tab=discussion`);
      assert.match(await rita.locator('main').innerText(), /Sebastian \(author\)[\s\S]*Confirmed; 9.40 fixes it./);

      // a second reporter sees nothing of the case
      const olga = await person();
      await olga.goto(`${base}/workspace/report`);
      await olga.getByLabel('Distribution').fill('Foo-Bar');
      await olga.getByLabel('Affected versions').fill('<= 1.0');
      await olga.getByLabel('Description').fill('Foo::Bar evaluates template input as Perl code.');
      await olga.getByLabel('Your e-mail address').fill('olga@example.org');
      await submit(olga, 'Vulnerability report', 'Send the report');
      const olgaRef = await olga.locator('#reference').innerText();
      await olga.goto(`${base}/workspace/invitations/${await invitationToken(s.ws, 'olga@example.org')}`);
      await olga.getByLabel('New password').fill('finds bugs in templates');
      await submit(olga, 'Accept the invitation', 'Set the password and continue');
      await olga.goto(`${base}/workspace/cases`);
      const list = await olga.locator('main').innerText();
      assert.match(list, new RegExp(olgaRef));
      assert.doesNotMatch(list, new RegExp(ref));
      const guessed = await olga.goto(`${base}/workspace/cases/${ref}`);
      assert.equal(guessed?.status(), 404);
      assert.doesNotMatch(await olga.locator('body').innerText(), /Mojolicious|Mojo::DOM/);

      // the draft, and publication refused under embargo
      await max.goto(`${base}/workspace/cases/${ref}?tab=audit`);
      await checkPage(max, 'audit tab');
      assert.match(await max.locator('main').innerText(), /assignee: — → /);
      await tab(max, 'Advisory');
      await submit(max, 'Create the draft advisory');
      await checkPage(max, 'draft page');
      await max.getByRole('form', { name: 'Assign the CVE id' }).getByLabel('CVE id reserved for this case').fill('CVE-2026-4242');
      await submit(max, 'Assign the CVE id');
      const draft = max.getByRole('form', { name: 'Edit the draft' });
      await draft.getByLabel('Description', { exact: true }).fill('Mojolicious versions before 9.40 for Perl allow cross-site scripting in Mojo::DOM.');
      await draft.getByLabel('Fixed versions').fill('>= 9.40');
      await draft.getByLabel('Title').fill('Mojolicious versions before 9.40 for Perl allow cross-site scripting');
      await draft.getByLabel('PAUSE id of the author').fill('SRI');
      await draft.getByLabel('Tagged references').fill('https://metacpan.org/release/SRI/Mojolicious-9.40/changes release-notes');
      await submit(max, 'Edit the draft', 'Save the draft');
      const checks = await max.locator('main').innerText();
      assert.match(checks, /Advisory linter: (no problems|0 error)/);
      assert.match(checks, /CVE record \(CNA schema, CNA lint rules, CVE JSON 5 schema\): (no problems|0 error)/);
      const publish = async () => {
        await max.getByRole('form', { name: 'Publish the advisory' }).getByLabel('Reason').fill('fix released');
        await submit(max, 'Publish the advisory');
      };
      await publish();
      const problem = await max.getByRole('alert').first().innerText();
      assert.match(problem, /under embargo until 2026-03-30/);
      assert.equal(await max.evaluate(() => document.activeElement?.className), 'error-summary', 'the error summary has the focus');

      // after the embargo: published, and on the public site, feed and OSV API at once
      s.clock.advanceDays(29);
      await logIn(max, base, 'max@example.org', 'max keeps the triage queue');
      await max.goto(`${base}/workspace`);
      assert.match(await max.locator('main').innerText(), /Embargo expired, not published/);
      await max.goto(`${base}/workspace/cases/${ref}/draft`);
      await publish();
      assert.match(await max.getByRole('status').innerText(), /advisory is published/);
      const site = await person();
      await site.goto(`${base}/advisories/CPANSA-Mojolicious-2026-4242`);
      assert.match(await site.locator('h1').innerText(), /CPANSA-Mojolicious-2026-4242/);
      const feed = await site.goto(`${base}/feed.atom`);
      assert.match((await feed?.text()) ?? '', /CPANSA-Mojolicious-2026-4242/);
      const osv = await site.request.get(`${base}/v1/vulns/CPANSA-Mojolicious-2026-4242`);
      assert.equal(osv.status(), 200);
      assert.deepEqual(((await osv.json()) as { aliases: string[] }).aliases, ['CVE-2026-4242']);
    });
  });
}
