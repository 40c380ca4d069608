import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { columnChart, ticks } from '../../src/publish/site/index.js';
import { BACKENDS } from '../store/backends.js';
import { fixtureDatabase } from '../store/fixtures.js';
import { BASE_URL, LOADED_AT, testServer, type TestServer } from './harness.js';

for (const backend of BACKENDS) {
  describe(`the site's contact point, filters and titles on ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    let mirror: TestServer;
    before(async () => {
      server = await testServer(backend, { database: fixtureDatabase(), clock: () => LOADED_AT, workspace: { teamAddress: 'cpansec@team.test' } });
      mirror = await testServer(backend, { database: fixtureDatabase(), clock: () => LOADED_AT, workspace: { enabled: false } });
    });
    const get = async (url: string, s = server) => {
      const r = await s.app.inject(url);
      return { status: r.statusCode, body: r.body, headers: r.headers };
    };

    test('every page links to "Report a vulnerability" in its navigation and footer', async () => {
      for (const url of ['/', '/advisories', '/distributions/Foo-Bar', '/stats', '/api', '/search?q=Baz']) {
        const r = await get(url);
        assert.match(r.body, /<nav aria-label="Main">[^]*<a href="\/security"[^>]*>Report a vulnerability<\/a>[^]*<\/nav>/, `${url}: navigation`);
        assert.match(r.body, /<footer class="site">[^]*<a href="\/security">Report a vulnerability<\/a>[^]*<\/footer>/, `${url}: footer`);
      }
    });

    test('every page links the site\'s icon, which is served, so no page load ends in a 404 (also without the workspace)', async () => {
      for (const url of ['/', '/advisories', '/distributions/Foo-Bar', '/stats', '/api', '/security']) {
        assert.match((await get(url, mirror)).body, /<link rel="icon" href="\/static\/favicon\.svg" type="image\/svg\+xml">/, url);
      }
      const icon = await get('/static/favicon.svg', mirror);
      assert.equal(icon.status, 200);
      assert.match(String(icon.headers['content-type']), /^image\/svg\+xml/);
      assert.match(icon.body, /^<svg /);
      const legacy = await get('/favicon.ico', mirror);
      assert.equal(legacy.status, 301);
      assert.equal(legacy.headers.location, '/static/favicon.svg');
    });

    test('the report page: the form, what to report, what happens next, the embargo, and the scope with where else to go', async () => {
      const r = await get('/security');
      assert.equal(r.status, 200);
      assert.match(r.body, /<a href="\/security" aria-current="page">Report a vulnerability<\/a>/);
      assert.match(r.body, /<a class="button" href="\/workspace\/report">Open the report form<\/a>/);
      assert.match(r.body, /href="mailto:cpansec@team\.test"/);
      for (const h of ['What to report', 'What happens next', 'The embargo', 'In scope, and where other reports go']) assert.match(r.body, new RegExp(`<h2>${h}</h2>`), h);
      assert.match(r.body, /at most 90 days ahead/);
      assert.match(r.body, /The perl interpreter itself<\/th><td><a href="mailto:cpan-security@perl\.org">/);
      assert.match(r.body, /third-party library or service[^]*?That project’s own security contact/);
      // the workspace's form answers there
      assert.equal((await get('/workspace/report')).status, 200);
      // a mirror without the workspace names the address only
      const m = await get('/security', mirror);
      assert.doesNotMatch(m.body, /workspace\/report/);
      assert.match(m.body, /This copy of the site has no report form/);
    });

    test('/.well-known/security.txt follows RFC 9116, from the server\'s settings', async () => {
      const r = await get('/.well-known/security.txt');
      assert.equal(r.status, 200);
      assert.match(String(r.headers['content-type']), /^text\/plain; charset=utf-8/);
      const fields = r.body.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => /^([A-Za-z-]+): (.+)$/.exec(l)!.slice(1) as [string, string]);
      const all = (k: string) => fields.filter(([f]) => f === k).map(([, v]) => v);
      assert.deepEqual(all('Contact'), [`${BASE_URL}/workspace/report`, 'mailto:cpansec@team.test']);
      assert.deepEqual(all('Policy'), [`${BASE_URL}/security`]);
      assert.deepEqual(all('Preferred-Languages'), ['en']);
      assert.deepEqual(all('Canonical'), [`${BASE_URL}/.well-known/security.txt`]);
      // §2.5.5: exactly one Expires, an RFC 3339 time, less than a year ahead
      const [expires] = all('Expires');
      assert.equal(all('Expires').length, 1);
      assert.match(expires!, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const ahead = Date.parse(expires!) - LOADED_AT.getTime();
      assert.ok(ahead > 30 * 86_400_000 && ahead < 365 * 86_400_000, expires);
      const legacy = await get('/security.txt');
      assert.equal(legacy.status, 301);
      assert.equal(legacy.headers.location, '/.well-known/security.txt');
      const m = await get('/.well-known/security.txt', mirror);
      assert.doesNotMatch(m.body, /workspace/);
      assert.match(m.body, /^Contact: mailto:security-team@cpansec\.test$/m);
    });

    test('an advisory page\'s title names the id, the distribution and what it is about', async () => {
      const r = await get('/advisories/CPANSA-Baz-2019-01');
      assert.match(r.body, /<title>CPANSA-Baz-2019-01 \(Baz\): Baz trusts its input\. — CPAN Security Advisories<\/title>/);
    });

    test('/advisories filters by distribution, severity, year and fix, sorts, and numbers its pages', async () => {
      const ids = (body: string) => [...body.matchAll(/<th scope="row"><a href="\/advisories\/([^"]+)"/g)].map((m) => m[1]);
      const all = await get('/advisories');
      assert.deepEqual(ids(all.body), ['CPANSA-Foo-Bar-2021-01', 'CPANSA-Foo-Bar-2020-01', 'CPANSA-Baz-2019-01']);
      for (const id of ['f-distribution', 'f-severity', 'f-year', 'f-fix', 'f-sort']) assert.match(all.body, new RegExp(`<label for="${id}">`));
      assert.deepEqual(ids((await get('/advisories?distribution=baz')).body), ['CPANSA-Baz-2019-01']);
      assert.deepEqual(ids((await get('/advisories?year=2020')).body), ['CPANSA-Foo-Bar-2020-01']);
      assert.deepEqual(ids((await get('/advisories?sort=oldest')).body), ['CPANSA-Baz-2019-01', 'CPANSA-Foo-Bar-2020-01', 'CPANSA-Foo-Bar-2021-01']);
      assert.deepEqual(ids((await get('/advisories?sort=id')).body), ['CPANSA-Baz-2019-01', 'CPANSA-Foo-Bar-2020-01', 'CPANSA-Foo-Bar-2021-01']);
      // Baz's newest release (0.3) is still affected; Foo-Bar 2.0 fixes both of its advisories
      assert.deepEqual(ids((await get('/advisories?fix=no')).body), ['CPANSA-Baz-2019-01']);
      assert.deepEqual(ids((await get('/advisories?fix=yes')).body), ['CPANSA-Foo-Bar-2021-01', 'CPANSA-Foo-Bar-2020-01']);
      const none = await get('/advisories?distribution=Nope');
      assert.equal(none.status, 200);
      assert.match(none.body, /0 of 3 advisories match/);
      assert.match(none.body, /No advisory matches/);
      // the form shows what is applied; values no form offers are dropped, never an error page
      assert.match((await get('/advisories?severity=high&year=2021')).body, /<option value="high" selected>High<\/option>/);
      assert.equal((await get('/advisories?severity=%3Cscript%3E&sort=bogus')).status, 200);
      assert.equal((await get('/advisories?page=2')).status, 404);
    });
  });
}

test('the per-year chart\'s axis reaches its largest bar (241 is not clipped at 200)', () => {
  assert.deepEqual(ticks(241), [0, 100, 200, 300]);
  for (const max of [1, 3, 7, 10, 57, 199, 200, 241, 1001]) assert.ok(ticks(max).at(-1)! >= max, `${max}: ${ticks(max).join(',')}`);
  const svg = columnChart({ id: 'y', title: 'T', description: 'D', unit: 'advisories', bars: [{ label: '2025', value: 120 }, { label: '2026', value: 241 }] });
  const tallest = /<rect x="[\d.]+" y="([\d.]+)"[^>]*><title>2026: 241/.exec(svg)!;
  assert.ok(Number(tallest[1]) >= 16, `the bar starts inside the plot (y ${tallest[1]})`);
  assert.match(svg, />300<\/text>/);
});
