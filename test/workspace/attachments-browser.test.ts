/**
 * A file through the web, in Debian's chromium (playwright-core, JavaScript off): a reporter files
 * a report with a proof of concept and a patch chosen in the form's file field; a team member opens
 * the case and follows the file's link, and the browser downloads it — Content-Disposition:
 * attachment, so it is saved under its name and never shown as a page — with the same bytes.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { launchChromium, NO_BROWSER } from '../server/site-browser.js';
import { PATCH } from '../disclosure/attachment-samples.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, workspaceServer, type WorkspaceServer } from './harness.js';

const POC = '#!/usr/bin/perl\nuse Foo::Bar;\nFoo::Bar::extract("symlink-escape.tar");  # writes to ../../outside\n';

let browser: Browser | undefined;
before(async () => {
  if (NO_BROWSER) return;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

async function submit(page: Page, form: string, button: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole('form', { name: form }).getByRole('button', { name: button }).click()]);
}

for (const backend of BACKENDS) {
  describe(`files through the web in a browser, on ${backend.name}`, { skip: backend.skip || NO_BROWSER }, () => {
    let s: WorkspaceServer;
    let base: string;
    const contexts: BrowserContext[] = [];
    const person = async () => {
      const context = await browser!.newContext({ javaScriptEnabled: false, acceptDownloads: true });
      contexts.push(context);
      return context.newPage();
    };
    before(async () => {
      s = await workspaceServer(backend, { seed: 'files-browser' });
      await s.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(s.app.server.address() as AddressInfo).port}`;
      s.ctx.config.baseUrl = base;
    });
    after(async () => {
      for (const c of contexts) await c.close();
    });

    test('a report filed with files from the form; a team member downloads one as an attachment', async () => {
      const rita = await person();
      await rita.goto(`${base}/workspace/report`);
      const form = rita.getByRole('form', { name: 'Vulnerability report' });
      await form.getByLabel('Distribution').fill('Foo-Bar');
      await form.getByLabel('Affected versions').fill('<= 1.23');
      await form.getByLabel('Description').fill('Foo::Bar::extract follows symlinks in archives and writes outside the target directory.');
      await form.getByLabel('Your e-mail address').fill('rita@example.org');
      // the field is labelled, and says what it takes
      const files = form.getByLabel('Files');
      assert.match((await files.getAttribute('aria-describedby')) ?? '', /f-report-attachments-hint/);
      await files.setInputFiles([
        { name: 'poc.pl', mimeType: 'text/x-perl', buffer: Buffer.from(POC) },
        { name: 'fix.patch', mimeType: 'text/x-patch', buffer: Buffer.from(PATCH) },
      ]);
      await submit(rita, 'Vulnerability report', 'Send the report');
      const ref = await rita.locator('#reference').innerText();
      assert.match(ref, /^CPANSEC-2026-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

      await addUser(s.ws, 'max', 'member', 'max keeps the triage queue');
      const max = await person();
      await max.goto(`${base}/workspace/login`);
      await max.getByLabel('E-mail address').fill('max@example.org');
      await max.getByLabel('Password', { exact: true }).fill('max keeps the triage queue');
      await submit(max, 'Log in', 'Log in');
      await max.goto(`${base}/workspace/cases/${ref}`);
      const list = max.getByRole('list', { name: 'Files of the report' });
      assert.deepEqual(await list.getByRole('link').allInnerTexts(), ['poc.pl', 'fix.patch']);

      // following the link downloads the file: the page stays, the browser saves poc.pl with its bytes
      const link = list.getByRole('link', { name: 'poc.pl' });
      const href = (await link.getAttribute('href'))!;
      const [download] = await Promise.all([max.waitForEvent('download'), link.click()]);
      assert.equal(download.suggestedFilename(), 'poc.pl');
      assert.equal(readFileSync((await download.path())!, 'utf8'), POC);
      assert.equal(new URL(max.url()).pathname, `/workspace/cases/${ref}`, 'no page was opened for the file');
      // what the server sent, with the browser's session
      const answer = await max.request.get(`${base}${href}`);
      assert.equal(answer.status(), 200);
      assert.match(answer.headers()['content-disposition'] ?? '', /^attachment; filename="?poc\.pl"?$/);
      assert.equal(answer.headers()['x-content-type-options'], 'nosniff');
      assert.equal(answer.headers()['content-type'], 'text/plain; charset=utf-8');

      // the reporter, who has no session, cannot fetch it by its address
      const stranger = await person();
      await stranger.goto(`${base}${href}`);
      assert.match(new URL(stranger.url()).pathname, /^\/workspace\/login$/);
    });
  });
}
