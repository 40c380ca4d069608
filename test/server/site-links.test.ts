import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { releasePages, releaseStatuses, SiteData, sitePages } from '../../src/publish/site/index.js';

test('every page of the bundled site renders, and every link inside the site leads to a page or an endpoint', () => {
  const data = new SiteData(new VulnerabilityIndex(loadBundledDatabase()), { title: 'T', baseUrl: 'http://x.test', revision: 1, updated: '2026-08-16T14:31:00Z' });
  const pages = new Map(sitePages(data, { teamAddress: 'team@x.test', formUrl: '/workspace/report', maxEmbargoDays: 90 }));
  const releaseListPages = data.distributions.reduce((n, d) => n + releasePages(releaseStatuses(data, d.name)), 0);
  assert.equal(pages.size, 1 + 11 + 1 + 1 + 1 + 1 + data.distributions.length + releaseListPages + data.groups.length);
  const endpoints = /^\/(search|stats\.json|feed\.(atom|rss)|static\/(site\.css|favicon\.svg)|openapi\.json|v1\/(vulns\/[^/]+|download\/.+)|distributions\/[^/]+\/feed\.(atom|rss)|modules\/.+|\.well-known\/security\.txt|workspace\/report)$/;
  const missing = new Set<string>();
  for (const [path, html] of pages) {
    for (const m of html.matchAll(/href="(\/[^"#]*)"/g)) {
      const target = m[1]!.replace(/&amp;/g, '&');
      if (!pages.has(target) && !pages.has(decodeURIComponent(target)) && !endpoints.test(target)) missing.add(`${path} -> ${target}`);
    }
  }
  assert.deepEqual([...missing].slice(0, 10), []);
  // no page is heavy: long release lists are summarised, and listed in full a page at a time
  const heavy = [...pages].filter(([, html]) => Buffer.byteLength(html) > 100_000).map(([path, html]) => `${path}: ${Buffer.byteLength(html)} bytes`);
  assert.deepEqual(heavy, []);
});
