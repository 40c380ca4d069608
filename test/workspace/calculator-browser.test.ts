/**
 * The CVSS calculator of the case page in a real browser (Debian's chromium through playwright-core)
 * with JavaScript on, under the page's Content-Security-Policy: a team member opens the triage tab,
 * clicks metrics of CVSS 4.0 (base, environmental, threat) and 3.1 and sees the score follow each
 * click (FIRST's example scores, and the server library's for the rest), the vectors written into
 * the rating form, records the rating and finds the vectors saved with the server's scores; a
 * vector typed into the field sets the calculator. No policy violation, no script error, every
 * radio button labelled. (browser.test.ts goes through the same calculator with JavaScript off.)
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { accountActor, ANONYMOUS, fileReport, parseCvss, transitionCase } from '../../src/disclosure/index.js';
import { reportInput } from '../disclosure/helpers.js';
import { launchChromium, NO_BROWSER } from '../server/site-browser.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, workspaceServer, type WorkspaceServer } from './harness.js';

let browser: Browser | undefined;
before(async () => {
  if (NO_BROWSER) return;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

const PASSWORD = 'max scores the reports';

/** Choose metric values by their labels, as a person clicks them: [group name, value label]. */
async function choose(form: Locator, picks: [string, string][]): Promise<void> {
  for (const [metric, value] of picks) await form.getByRole('group', { name: metric, exact: true }).getByLabel(value, { exact: true }).check();
}

async function result(form: Locator): Promise<{ score: string; severity: string; nomenclature: string; vector: string }> {
  const text = async (what: string) => (await form.locator(`[data-cvss-${what}]`).innerText()).trim();
  return { score: await text('score'), severity: await text('severity'), nomenclature: await text('nomenclature'), vector: await text('vector') };
}

// the calculator is the same on both backends: one is enough for the browser
const backend = BACKENDS.find((b) => b.name === 'sqlite')!;

describe('the CVSS calculator in a browser with JavaScript on', { skip: NO_BROWSER }, () => {
  let s: WorkspaceServer;
  let base: string;
  let ref: string;
  let page: Page;
  const violations: string[] = [];
  before(async () => {
    s = await workspaceServer(backend, { seed: 'calculator-browser' });
    await s.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
    s.ctx.config.baseUrl = base;
    const max = accountActor(await addUser(s.ws, 'max', 'member', PASSWORD));
    ref = (await fileReport(s.ws.deps, ANONYMOUS, reportInput({ distribution: 'Mojolicious' }))).acknowledgement.reference;
    await transitionCase(s.ws.deps, max, ref, 'triaging', 'looking at it');
    const context = await browser!.newContext({ javaScriptEnabled: true });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy|Refused/i.test(m.text())) violations.push(m.text());
    });
    page.on('pageerror', (e) => violations.push(`page error: ${e.message}`));
  });

  test('metrics clicked, the score follows, the vectors go into the rating form and are saved with the server’s scores', async () => {
    await page.goto(`${base}/workspace/login`);
    await page.getByLabel('E-mail address').fill('max@example.org');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.getByRole('form', { name: 'Log in' }).getByRole('button', { name: 'Log in' }).click()]);
    await page.goto(`${base}/workspace/cases/${ref}`);
    await Promise.all([page.waitForNavigation(), page.getByRole('navigation', { name: 'Case sections' }).getByRole('link', { name: 'Triage' }).click()]);

    const v40 = page.getByRole('form', { name: 'CVSS 4.0 calculator' });
    const field = page.locator('#f-rating-cvss');
    // live: no button to ask the server for the score; what is still to choose is said
    assert.equal(await v40.getByRole('button', { name: 'Compute the score' }).isVisible(), false);
    assert.equal(await v40.getByRole('button', { name: 'Save the vector to the case' }).isVisible(), true);
    await choose(v40, [['Attack Vector (AV)', 'Network (N)']]);
    assert.match(await v40.locator('[data-cvss-missing]').innerText(), /^Still to choose: Attack Complexity \(AC\), Attack Requirements \(AT\),/);
    assert.equal((await result(v40)).severity, 'not scored yet');
    assert.equal(await field.inputValue(), '', 'no vector before every base metric is chosen');
    // the metric's description and each value's are on the page, next to the buttons
    const av = v40.getByRole('group', { name: 'Attack Vector (AV)', exact: true });
    assert.match(await av.innerText(), /context by which vulnerability exploitation is possible[\s\S]*Network \(N\)\s*The vulnerable system is bound to the network stack/);

    // FIRST's example CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N is 8.3
    await choose(v40, [
      ['Attack Complexity (AC)', 'Low (L)'],
      ['Attack Requirements (AT)', 'Present (P)'],
      ['Privileges Required (PR)', 'None (N)'],
      ['User Interaction (UI)', 'None (N)'],
      ['Vulnerable System Confidentiality (VC)', 'High (H)'],
      ['Vulnerable System Integrity (VI)', 'Low (L)'],
      ['Vulnerable System Availability (VA)', 'Low (L)'],
      ['Subsequent System Confidentiality (SC)', 'None (N)'],
      ['Subsequent System Integrity (SI)', 'None (N)'],
    ]);
    assert.equal((await result(v40)).score, '—', 'SA still missing');
    await choose(v40, [['Subsequent System Availability (SA)', 'None (N)']]);
    const b = 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N';
    assert.deepEqual(await result(v40), { score: '8.3', severity: 'high', nomenclature: 'CVSS-B', vector: b });
    assert.equal(await field.inputValue(), b);
    assert.equal(await v40.locator('[data-cvss-missing]').innerText(), '');

    // … with FIRST's environmental metrics it is 8.1 (CVSS-BE)
    await v40.locator('summary', { hasText: 'Environmental metrics' }).click();
    await choose(v40, [
      ['Confidentiality Requirement (CR)', 'High (H)'],
      ['Integrity Requirement (IR)', 'Low (L)'],
      ['Availability Requirement (AR)', 'Low (L)'],
      ['Modified Attack Vector (MAV)', 'Network (N)'],
      ['Modified Attack Complexity (MAC)', 'High (H)'],
      ['Modified Vulnerable System Confidentiality (MVC)', 'High (H)'],
      ['Modified Vulnerable System Integrity (MVI)', 'Low (L)'],
      ['Modified Vulnerable System Availability (MVA)', 'Low (L)'],
    ]);
    const be = `${b}/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L`;
    assert.deepEqual(await result(v40), { score: '8.1', severity: 'high', nomenclature: 'CVSS-BE', vector: be });
    // … and with a threat metric it is CVSS-BTE, scored as the server's library scores it
    await v40.locator('summary', { hasText: 'Threat metrics' }).click();
    await choose(v40, [['Exploit Maturity (E)', 'Unreported (U)']]);
    const bte = `${b}/E:U/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L`;
    const server = parseCvss(bte);
    assert.deepEqual(await result(v40), { score: server.score.toFixed(1), severity: server.severity ?? 'none', nomenclature: 'CVSS-BTE', vector: bte });
    assert.equal(await v40.locator('[data-cvss-base-score]').innerText(), '8.3');
    assert.equal(await field.inputValue(), bte);
    // back to Not Defined: the threat metric leaves the vector
    await choose(v40, [['Exploit Maturity (E)', 'Not Defined (X)']]);
    assert.equal((await result(v40)).vector, be);
    await choose(v40, [['Exploit Maturity (E)', 'Unreported (U)']]);

    // CVSS 3.1, FIRST's CVE-2017-5942 (6.1): its line joins the 4.0 one
    await page.locator('summary', { hasText: 'CVSS 3.1 calculator' }).click();
    const v31 = page.getByRole('form', { name: 'CVSS 3.1 calculator' });
    await choose(v31, [
      ['Attack Vector (AV)', 'Network (N)'],
      ['Attack Complexity (AC)', 'Low (L)'],
      ['Privileges Required (PR)', 'None (N)'],
      ['User Interaction (UI)', 'Required (R)'],
      ['Scope (S)', 'Changed (C)'],
      ['Confidentiality Impact (C)', 'Low (L)'],
      ['Integrity Impact (I)', 'Low (L)'],
      ['Availability Impact (A)', 'None (N)'],
    ]);
    const c31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N';
    assert.deepEqual(await result(v31), { score: '6.1', severity: 'medium', nomenclature: 'CVSS-B', vector: c31 });
    assert.equal(await field.inputValue(), `${bte}\n${c31}`);

    // every radio button has a label; the page's headings stay in order
    const unlabelled = await page.$$eval('input[type=radio]', (els) => els.filter((e) => !(e as HTMLInputElement).labels?.length).map((e) => e.id));
    assert.deepEqual(unlabelled, []);
    const levels = await page.$$eval('h1, h2, h3, h4, h5, h6', (hs) => hs.map((h) => Number(h.tagName[1])));
    for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `h${levels[i]} after h${levels[i - 1]}`);

    // recorded: the server scores the vectors again and keeps them
    const rating = page.getByRole('form', { name: 'Record the rating' });
    await rating.getByLabel('CWE ids').fill('CWE-79');
    await Promise.all([page.waitForNavigation(), rating.getByRole('button', { name: 'Record the rating' }).click()]);
    assert.match(await page.getByRole('status').first().innerText(), /The rating is recorded/);
    const rated = await page.locator('main').innerText();
    assert.ok(rated.includes(`${bte}: 8.3`), 'the 4.0 vector with its base score (CVSS-B), as CVE records carry it');
    assert.ok(rated.includes(`${c31}: 6.1`));
    assert.match(await page.locator('dl.case-summary').innerText(), new RegExp(`Severity\\s+${server.severity}`));
    // the calculators start from what is saved
    const again = page.getByRole('form', { name: 'CVSS 4.0 calculator' });
    assert.deepEqual(await result(again), { score: server.score.toFixed(1), severity: server.severity ?? 'none', nomenclature: 'CVSS-BTE', vector: bte });
    assert.equal(await again.getByRole('group', { name: 'Exploit Maturity (E)', exact: true }).getByLabel('Unreported (U)', { exact: true }).isChecked(), true);

    // a vector typed into the field sets the calculator (FIRST's 9.3 example)
    const typed = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    await page.locator('#f-rating-cvss').fill(`${c31}\n${typed}`);
    assert.deepEqual(await result(again), { score: '9.3', severity: 'critical', nomenclature: 'CVSS-B', vector: typed });
    assert.equal(await again.getByRole('group', { name: 'Exploit Maturity (E)', exact: true }).getByLabel('Not Defined (X)', { exact: true }).isChecked(), true);
    assert.equal(await again.getByRole('group', { name: 'Attack Requirements (AT)', exact: true }).getByLabel('None (N)', { exact: true }).isChecked(), true);

    assert.deepEqual(violations, [], 'no Content-Security-Policy violation, no script error');
  });
});
