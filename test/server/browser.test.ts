/**
 * The site in a real browser (Debian's chromium through playwright-core) with JavaScript off:
 * landmarks, heading order, the skip link by keyboard, the search form, accessible chart names,
 * text contrast, and no Content-Security-Policy violation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { BACKENDS } from '../store/backends.js';
import { fixtureDatabase } from '../store/fixtures.js';
import { testServer } from './harness.js';
import { contrast, launchChromium, NO_BROWSER } from './site-browser.js';

async function headingLevels(page: Page): Promise<number[]> {
  return page.$$eval('h1, h2, h3, h4, h5, h6', (hs) => hs.map((h) => Number(h.tagName[1])));
}

let browser: Browser | undefined;
before(async () => {
  if (!NO_BROWSER) browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

for (const backend of BACKENDS) {
  describe(`the site in a browser, on ${backend.name}`, { skip: backend.skip || NO_BROWSER }, () => {
    let base: string;
    let page: Page;
    const violations: string[] = [];
    before(async () => {
      const server = await testServer(backend, { database: fixtureDatabase() });
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
      server.ctx.config.baseUrl = base;
      const context = await browser!.newContext({ javaScriptEnabled: false });
      page = await context.newPage();
      page.on('console', (m) => {
        if (/Content Security Policy|Refused/i.test(m.text())) violations.push(m.text());
      });
    });

    test('every page has the landmarks and an unbroken heading order', async () => {
      for (const path of ['/', '/advisories', '/advisories/CPANSA-Foo-Bar-2020-01', '/distributions', '/distributions/Foo-Bar', '/search?q=Baz', '/stats', '/api', '/security', '/distributions/Foo-Bar/releases']) {
        const r = await page.goto(base + path);
        assert.equal(r?.status(), 200, path);
        for (const role of ['banner', 'navigation', 'main', 'contentinfo'] as const) {
          assert.equal(await page.getByRole(role).count(), 1, `${path}: one ${role}`);
        }
        const levels = await headingLevels(page);
        assert.equal(levels[0], 1, path);
        for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! <= levels[i - 1]! + 1, `${path}: heading h${levels[i]} after h${levels[i - 1]}`);
      }
      assert.deepEqual(violations, []);
    });

    test('the skip link is the first stop of the keyboard and moves focus to the main content', async () => {
      await page.goto(`${base}/`);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to main content');
      const box = await page.locator('a.skip').boundingBox();
      assert.ok(box && box.x >= 0 && box.y >= 0, 'visible when focused');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => location.hash), '#main');
    });

    test('search works without JavaScript, by its labelled fields', async () => {
      await page.goto(`${base}/search`);
      await page.getByLabel('Search for', { exact: true }).fill('Foo::Bar::Util');
      await page.getByLabel('Search in', { exact: true }).selectOption('module');
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/\/search\?q=Foo%3A%3ABar%3A%3AUtil&kind=module/);
      assert.equal(await page.getByRole('link', { name: 'Foo-Bar' }).count(), 1);
    });

    test('charts have accessible names; text and links meet WCAG AA contrast', async () => {
      await page.goto(`${base}/stats`);
      for (const name of ['Advisories per year reported', 'Advisories by severity', 'Most affected distributions', 'Days from report to the first fixed release']) {
        assert.equal(await page.getByRole('img', { name }).count(), 1, name);
      }
      await page.goto(`${base}/advisories/CPANSA-Foo-Bar-2020-01`);
      const pairs = await page.$$eval('main p, main a, main dt, main dd, .sev, .muted, footer p, nav a', (els) =>
        els.map((el) => {
          let bg = 'rgba(0, 0, 0, 0)';
          for (let e: Element | null = el; e && /rgba\(0, 0, 0, 0\)|transparent/.test(bg); e = e.parentElement) bg = getComputedStyle(e).backgroundColor;
          return { text: (el.textContent ?? '').trim().slice(0, 30), fg: getComputedStyle(el).color, bg: /rgba\(0, 0, 0, 0\)/.test(bg) ? 'rgb(255, 255, 255)' : bg };
        }),
      );
      assert.ok(pairs.length > 10);
      for (const p of pairs) assert.ok(contrast(p.fg, p.bg) >= 4.5, `${p.text}: ${p.fg} on ${p.bg} is ${contrast(p.fg, p.bg).toFixed(2)}:1`);
      assert.deepEqual(violations, []);
    });
  });
}
