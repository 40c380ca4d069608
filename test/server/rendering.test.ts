import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VulnerabilityIndex } from '../../src/index/index.js';
import { barChart, columnChart, html, raw, safeUrl, search, SiteData, statistics } from '../../src/publish/site/index.js';
import { fixtureDatabase } from '../store/fixtures.js';

const data = () => new SiteData(new VulnerabilityIndex(fixtureDatabase()), { title: 'T', baseUrl: 'http://x.test', revision: 1, updated: '2026-01-01T00:00:00Z' });

test('html escapes every interpolated value, lists included, and trusts only Html values', () => {
  const evil = `<img src=x onerror="alert('1')">&`;
  assert.equal(html`<p title="${evil}">${evil}</p>`.value, '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;</p>');
  assert.equal(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.value, '<ul>&lt;a&gt;<li>ok</li></ul>');
  assert.equal(html`${null}${undefined}${false}${0}`.value, '0');
  assert.equal(html`${raw('<svg/>')}`.value, '<svg/>');
});

test('only http(s) and mailto URLs from the data become links', () => {
  assert.equal(safeUrl(' https://example.org/x '), 'https://example.org/x');
  assert.equal(safeUrl('mailto:security@example.org'), 'mailto:security@example.org');
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>', '//evil.example', 'vbscript:x']) assert.equal(safeUrl(bad), undefined, bad);
});

test('charts are SVG with a title, a description and one bar per value; labels are escaped', () => {
  const bars = [
    { label: '<b>2020</b>', value: 3 },
    { label: '2021', value: 0 },
  ];
  for (const svg of [columnChart({ id: 'c', title: 'T & U', description: 'D', bars, unit: 'x' }), barChart({ id: 'b', title: 'T & U', description: 'D', bars, unit: 'x' })]) {
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*role="img" aria-labelledby="\w-title \w-desc"/);
    assert.match(svg, /<title id="\w-title">T &amp; U<\/title>/);
    assert.equal(svg.match(/<rect /g)?.length, 2);
    assert.match(svg, /&lt;b&gt;2020&lt;\/b&gt;/);
    assert.doesNotMatch(svg, /<b>/);
  }
});

test('statistics count per id, per year and severity, and measure fix time from the release list', () => {
  const s = statistics(data());
  assert.equal(s.advisories, 3);
  assert.deepEqual(s.perYear, [
    { label: '2019', value: 1 },
    { label: '2020', value: 1 },
    { label: '2021', value: 1 },
  ]);
  assert.deepEqual(Object.fromEntries(s.bySeverity.map((b) => [b.label, b.value])), { critical: 0, high: 1, medium: 1, low: 0, 'not rated': 1 });
  assert.deepEqual(s.topDistributions, [
    { label: 'Foo-Bar', value: 2 },
    { label: 'Baz', value: 1 },
  ]);
  // 2020-03-01 -> release 1.2 on 2020-03-15 (14 days); 2021-04-20 -> 2.0 on 2021-05-01 (11 days)
  assert.equal(s.fixTimes.measured, 2);
  assert.equal(s.fixTimes.medianDays, 13);
  assert.equal(s.fixTimes.noFixedRange, 1);
  assert.deepEqual(s.fixTimes.buckets.map((b) => b.value), [0, 2, 0, 0, 0, 0]);
});

test('search: each kind finds what it names and nothing else', () => {
  const d = data();
  const ids = (q: string, kind: Parameters<typeof search>[2]) => search(d, q, kind).advisories.map((g) => g.id);
  assert.deepEqual(ids('CVE-2020-1111', 'cve'), ['CPANSA-Foo-Bar-2020-01']);
  assert.deepEqual(ids('Baz', 'cve'), []);
  assert.deepEqual(ids('sanitiser', 'text'), ['CPANSA-Foo-Bar-2020-01']);
  assert.deepEqual(ids('foo bar files', 'text'), ['CPANSA-Foo-Bar-2021-01']);
  assert.deepEqual(search(d, 'foo::bar', 'module').distributions, [{ name: 'Foo-Bar', module: 'Foo::Bar' }]);
  assert.deepEqual(search(d, 'ba', 'distribution').distributions, [{ name: 'Baz' }, { name: 'Foo-Bar' }]);
  assert.deepEqual(search(d, '   ', 'any'), { query: '', kind: 'any', distributions: [], advisories: [], truncated: false });
});
