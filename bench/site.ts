/**
 * Figures of the web site (issue 3): rendering every page of the whole index once, in process,
 * from a fresh SiteData (what a static copy of the site costs), and the size of it. Issue 15: the
 * heaviest pages (uncompressed; none may pass 100 kB) and how summaries are derived.
 */
import { performance } from 'node:perf_hooks';
import { loadBundledDatabase, VulnerabilityIndex } from '../src/index/index.js';
import { SiteData, sitePages } from '../src/publish/site/index.js';
import { summaryOf } from '../src/advisory/index.js';
import type { Row } from './row.js';

export function benchSite(): Row[] {
  const runs: { ms: number; pages: number; bytes: number; sizes: Map<string, number> }[] = [];
  for (let i = 0; i < 3; i++) {
    const index = new VulnerabilityIndex(loadBundledDatabase());
    const t0 = performance.now();
    const data = new SiteData(index, { title: 'CPAN Security Advisories', baseUrl: 'http://127.0.0.1:8080', revision: 1, updated: '2026-08-16T14:31:00Z' });
    let pages = 0;
    let bytes = 0;
    const sizes = new Map<string, number>();
    for (const [path, html] of sitePages(data)) {
      pages++;
      const n = Buffer.byteLength(html);
      bytes += n;
      sizes.set(path, n);
    }
    runs.push({ ms: performance.now() - t0, pages, bytes, sizes });
  }
  const best = runs.sort((a, b) => a.ms - b.ms)[1]!;
  return [
    { name: `site: render every page of the whole index once (${best.pages} pages, in process, median of 3)`, value: best.ms, unit: 'ms' },
    { name: 'site: size of all pages', value: Math.round(best.bytes / 1024 / 1024 * 10) / 10, unit: 'MiB' },
    ...pageSizes(best.sizes),
    ...summaries(),
  ];
}

const kB = (n: number) => Math.round(n / 100) / 10;

function pageSizes(sizes: Map<string, number>): Row[] {
  const [heaviest, size] = [...sizes].sort((a, b) => b[1] - a[1])[0]!;
  return [
    { name: `site: heaviest page, uncompressed (${heaviest})`, value: kB(size), unit: 'kB' },
    { name: 'site: pages over 100 kB', value: [...sizes.values()].filter((n) => n > 100_000).length, unit: 'pages' },
    ...['/distributions/perl', '/distributions/Mojolicious', '/advisories', '/'].map((p) => ({ name: `site: ${p}, uncompressed`, value: kB(sizes.get(p) ?? 0), unit: 'kB' })),
  ];
}

function summaries(): Row[] {
  const ids = new Map(new VulnerabilityIndex(loadBundledDatabase()).allAdvisories().map((a) => [a.id, a]));
  const list = [...ids.values()].map(summaryOf);
  return [
    { name: `summaries: of ${list.length} advisories, a whole first sentence`, value: list.filter((s) => !s.endsWith('…')).length, unit: 'advisories' },
    { name: `summaries: of ${list.length}, shortened at a clause or between words ("…")`, value: list.filter((s) => s.endsWith('…')).length, unit: 'advisories' },
  ];
}
