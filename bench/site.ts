/**
 * Figures of the web site (issue 3): rendering every page of the whole index once, in process,
 * from a fresh SiteData (what a static copy of the site costs), and the size of it.
 */
import { performance } from 'node:perf_hooks';
import { loadBundledDatabase, VulnerabilityIndex } from '../src/index/index.js';
import { SiteData, sitePages } from '../src/publish/site/index.js';
import type { Row } from './row.js';

export function benchSite(): Row[] {
  const runs: { ms: number; pages: number; bytes: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const index = new VulnerabilityIndex(loadBundledDatabase());
    const t0 = performance.now();
    const data = new SiteData(index, { title: 'CPAN Security Advisories', baseUrl: 'http://127.0.0.1:8080', revision: 1, updated: '2026-08-16T14:31:00Z' });
    let pages = 0;
    let bytes = 0;
    for (const [, html] of sitePages(data)) {
      pages++;
      bytes += Buffer.byteLength(html);
    }
    runs.push({ ms: performance.now() - t0, pages, bytes });
  }
  const best = runs.sort((a, b) => a.ms - b.ms)[1]!;
  return [
    { name: `site: render every page of the whole index once (${best.pages} pages, in process, median of 3)`, value: best.ms, unit: 'ms' },
    { name: 'site: size of all pages', value: Math.round(best.bytes / 1024 / 1024 * 10) / 10, unit: 'MiB' },
  ];
}
