/**
 * The site on a phone (WCAG 1.4.10 Reflow): at 390x844 in Debian's chromium, no page type scrolls
 * sideways; only a table's own scroll container may be wider than the screen. Over the bundled
 * data, whose long ids, CVSS vectors and release lists are what overflowed. Also the dark scheme:
 * text keeps AA contrast when the system asks for it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { AddressInfo } from 'node:net';
import { type Browser, type Page } from 'playwright-core';
import { BACKENDS } from '../store/backends.js';
import { testServer } from './harness.js';
import { contrast, launchChromium, NO_BROWSER } from './site-browser.js';

const PAGES = [
  '/',
  '/advisories',
  '/advisories/CPANSA-Mojolicious-2024-58134',
  '/advisories/CPANSA-Lemonldap-NG-Portal-2020-24660-lemonldap',
  '/distributions/perl',
  '/distributions/Mojolicious',
  '/distributions/App-Netdisco/releases?page=3',
  '/search?q=Mojo%3A%3ADOM',
  '/stats',
  '/api',
  '/security',
];

/** Elements wider than the viewport that are not inside a table's scroll container. */
async function overflow(page: Page): Promise<{ scrollWidth: number; offenders: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const offenders: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      if (el.closest('.scroll')) continue;
      const r = el.getBoundingClientRect();
      if (r.right > width + 0.5 || r.left < -0.5) {
        if (el.classList.contains('skip')) continue; // the skip link waits off screen until focused
        offenders.push(`${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''} ${Math.round(r.left)}..${Math.round(r.right)}: ${(el.textContent ?? '').trim().slice(0, 40)}`);
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 5) };
  });
}

let browser: Browser | undefined;
before(async () => {
  if (!NO_BROWSER) browser = await launchChromium();
});
after(async () => {
  await browser?.close();
});

// one backend is enough here: the pages are the same HTML on both (site.test.ts covers both)
for (const backend of BACKENDS.slice(0, 1)) {
  describe(`the site on a phone, on ${backend.name}`, { skip: backend.skip || NO_BROWSER }, () => {
    let base: string;
    before(async () => {
      const server = await testServer(backend);
      await server.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
      server.ctx.config.baseUrl = base;
    });

    test('at 390x844 no page scrolls sideways; only tables scroll, in their own container', async () => {
      const context = await browser!.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
      const page = await context.newPage();
      for (const path of PAGES) {
        const r = await page.goto(base + path);
        assert.equal(r?.status(), 200, path);
        const o = await overflow(page);
        assert.deepEqual(o.offenders, [], `${path}: wider than the screen`);
        assert.ok(o.scrollWidth <= 390, `${path}: the page is ${o.scrollWidth} px wide`);
      }
      // a table wider than the screen scrolls in a named, focusable region
      await page.goto(`${base}/distributions/perl`);
      const region = page.getByRole('region', { name: /Advisories for perl/ });
      assert.equal(await region.getAttribute('tabindex'), '0');
      await context.close();
    });

    test('the dark colour scheme keeps text at WCAG AA contrast', async () => {
      const context = await browser!.newContext({ javaScriptEnabled: false, colorScheme: 'dark' });
      const page = await context.newPage();
      for (const path of ['/', '/advisories/CPANSA-Mojolicious-2024-58134', '/security']) {
        await page.goto(base + path);
        const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
        assert.notEqual(bg, 'rgb(255, 255, 255)', `${path}: dark background`);
        const pairs = await page.$$eval('main p, main a, main th, main td, main dt, main dd, .sev, .muted, footer p, nav a', (els) =>
          els.map((el) => {
            let bg = 'rgba(0, 0, 0, 0)';
            for (let e: Element | null = el; e && /rgba\(0, 0, 0, 0\)|transparent/.test(bg); e = e.parentElement) bg = getComputedStyle(e).backgroundColor;
            return { text: (el.textContent ?? '').trim().slice(0, 30), fg: getComputedStyle(el).color, bg };
          }),
        );
        assert.ok(pairs.length > 10);
        for (const p of pairs) assert.ok(contrast(p.fg, p.bg) >= 4.5, `${path} ${p.text}: ${p.fg} on ${p.bg} is ${contrast(p.fg, p.bg).toFixed(2)}:1`);
      }
      await context.close();
    });
  });
}
