import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { BACKENDS } from '../store/backends.js';
import { fixtureDatabase } from '../store/fixtures.js';
import { testServer, type TestServer } from './harness.js';

/** Structural accessibility checks a page must pass (the browser test checks more). */
function assertAccessible(html: string, url: string): void {
  assert.match(html, /^<!DOCTYPE html>\n<html lang="en">/, url);
  assert.match(html, /<a class="skip" href="#main">/, url);
  assert.match(html, /<main id="main"/, url);
  assert.match(html, /<nav aria-label="Main">/, url);
  assert.equal(html.match(/<h1[ >]/g)?.length, 1, `${url}: one h1`);
  for (const m of html.matchAll(/<(input|select)[^>]*\bid="([^"]+)"/g)) {
    assert.match(html, new RegExp(`<label for="${m[2]}"`), `${url}: #${m[2]} has a label`);
  }
  assert.doesNotMatch(html, /<script/i, `${url}: no script`);
}

for (const backend of BACKENDS) {
  describe(`web site on ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await testServer(backend, { database: fixtureDatabase() });
    });
    const page = async (url: string) => {
      const r = await server.app.inject(url);
      return { status: r.statusCode, html: r.body, headers: r.headers };
    };

    test('home lists the latest advisories, newest first, with a labelled search form', async () => {
      const r = await page('/');
      assert.equal(r.status, 200);
      assert.match(String(r.headers['content-type']), /text\/html; charset=utf-8/);
      assertAccessible(r.html, '/');
      const ids = [...r.html.matchAll(/href="\/advisories\/(CPANSA-[^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(ids, ['CPANSA-Foo-Bar-2021-01', 'CPANSA-Foo-Bar-2020-01', 'CPANSA-Baz-2019-01']);
      assert.match(r.html, /<link rel="alternate" type="application\/atom\+xml"/);
    });

    test('an advisory page: ranges, affected releases, the fix, aliases, escaped text, safe links', async () => {
      const r = await page('/advisories/CPANSA-Foo-Bar-2020-01');
      assert.equal(r.status, 200);
      assertAccessible(r.html, 'advisory');
      assert.match(r.html, /<code>&lt;1\.2<\/code>/);
      assert.match(r.html, /<code>&gt;=1\.2<\/code>/);
      assert.match(r.html, /<code>1\.0<\/code>, <code>1\.1<\/code>/);
      assert.match(r.html, /First release after them without this issue<\/dt><dd><code>1\.2<\/code>/);
      assert.match(r.html, /href="https:\/\/www\.cve\.org\/CVERecord\?id=CVE-2020-1111"/);
      assert.match(r.html, /lets &lt;script&gt;alert\(1\)&lt;\/script&gt; through/);
      assert.doesNotMatch(r.html, /href="javascript:/i);
      assert.match(r.html, /<li>javascript:alert\(1\)<\/li>/);
      assert.match(r.html, /href="\/v1\/vulns\/CPANSA-Foo-Bar-2020-01"/);
    });

    test('a distribution page: its advisories with affected and fixed versions, and its releases summarised by range', async () => {
      const r = await page('/distributions/Foo-Bar');
      assert.equal(r.status, 200);
      assertAccessible(r.html, 'distribution');
      assert.match(r.html, /<code>&gt;=1\.1,&lt;2\.0<\/code><\/td><td><code>&gt;=2\.0<\/code>/);
      // newest first: the clean 2.0, then 1.0 to 1.2 affected by one or two advisories each
      assert.match(r.html, /<th scope="row"><code>2\.0<\/code><\/th><td class="num">1<\/td><td>[^]*?<\/td><td>No known advisory<\/td>/);
      assert.match(r.html, /<th scope="row"><code>1\.0<\/code> to <code>1\.2<\/code><\/th><td class="num">3<\/td><td>[^]*?<\/td><td>Affected by 1 to 2 known advisories each \(2 in all\)<\/td>/);
      assert.match(r.html, /<a href="\/distributions\/Foo-Bar\/releases">Every release with the advisories affecting it<\/a>/);
      assert.match(r.html, /href="\/distributions\/Foo-Bar\/feed\.atom"/);
      // each table scrolls on its own, a named region a keyboard reaches
      assert.match(r.html, /<div class="scroll" role="region" tabindex="0" aria-label="Releases of Foo-Bar by range, newest first"><table>/);
    });

    test('the release list: every release, its date and the advisories affecting it, sorted', async () => {
      const r = await page('/distributions/Foo-Bar/releases');
      assert.equal(r.status, 200);
      assertAccessible(r.html, 'releases');
      assert.match(r.html, /<th scope="row"><code>1\.1<\/code><\/th><td><time datetime="2019-06-01T10:00:00">2019-06-01<\/time><\/td><td class="ids">Affected by <a href="\/advisories\/CPANSA-Foo-Bar-2020-01">CPANSA-Foo-Bar-2020-01<\/a>, <a href="\/advisories\/CPANSA-Foo-Bar-2021-01"/);
      assert.match(r.html, /<code>2\.0<\/code><\/th><td>[^]*?<\/td><td class="ids">No known advisory/);
      for (const url of ['/distributions/Foo-Bar/releases?page=2', '/distributions/Nope/releases']) assert.equal((await page(url)).status, 404, url);
    });

    test('search finds by distribution, module, CVE, id and free text', async () => {
      const cases: [string, RegExp][] = [
        ['/search?q=foo-bar&kind=distribution', /<a href="\/distributions\/Foo-Bar">Foo-Bar<\/a>/],
        ['/search?q=Foo::Bar::Util&kind=module', /Foo-Bar<\/a> \(contains <code>Foo::Bar::Util<\/code>\)/],
        ['/search?q=cve-2019-2222&kind=cve', /href="\/advisories\/CPANSA-Baz-2019-01"/],
        ['/search?q=CPANSA-Foo-Bar-2021-01&kind=id', /href="\/advisories\/CPANSA-Foo-Bar-2021-01"/],
        ['/search?q=outside+root&kind=text', /href="\/advisories\/CPANSA-Foo-Bar-2021-01"/],
        ['/search?q=Foo::Bar', /contains <code>Foo::Bar<\/code>/],
      ];
      for (const [url, expected] of cases) {
        const r = await page(url);
        assert.equal(r.status, 200, url);
        assertAccessible(r.html, url);
        assert.match(r.html, expected, url);
      }
      const none = await page('/search?q=nothing+like+this');
      assert.match(none.html, /Nothing found for “nothing like this”/);
      const text = await page('/search?q=outside+root&kind=text');
      assert.doesNotMatch(text.html, /CPANSA-Baz-2019-01/);
    });

    test('the statistics page draws its four charts as SVG and says how fix time is measured', async () => {
      const r = await page('/stats');
      assert.equal(r.status, 200);
      assertAccessible(r.html, '/stats');
      assert.equal(r.html.match(/<svg [^>]*role="img" aria-labelledby="[\w-]+-title [\w-]+-desc"/g)?.length, 4);
      assert.match(r.html, /<dt>Measured<\/dt><dd>2 of 3 advisory and distribution pairs<\/dd>/);
      assert.match(r.html, /<dt>Median, fix after the report<\/dt><dd>13 days<\/dd>/);
      assert.match(r.html, /<dt>No fixed range given<\/dt><dd>1<\/dd>/);
      assert.match(r.html, /release date of the earliest listed release inside its fixed range/);
    });

    test('unknown pages are an HTML 404 with a search form; a module redirects to its distribution', async () => {
      for (const url of ['/advisories/CPANSA-Nope-2020-01', '/distributions/Nope', '/advisories?page=2', '/advisories?page=x', '/no/such/page']) {
        const r = await page(url);
        assert.equal(r.status, 404, url);
        assert.match(r.html, /<h1>Not found<\/h1>/, url);
      }
      const m = await page('/modules/Foo::Bar::Util');
      assert.equal(m.status, 302);
      assert.equal(m.headers.location, '/distributions/Foo-Bar');
    });

    test('pages carry the security headers and an ETag; the stylesheet is served', async () => {
      const r = await page('/advisories/CPANSA-Baz-2019-01');
      assert.match(String(r.headers['content-security-policy']), /default-src 'none'/);
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      assert.equal(r.headers['x-frame-options'], 'DENY');
      const again = await server.app.inject({ url: '/advisories/CPANSA-Baz-2019-01', headers: { 'if-none-match': String(r.headers.etag) } });
      assert.equal(again.statusCode, 304);
      const css = await page('/static/site.css');
      assert.equal(css.status, 200);
      assert.match(String(css.headers['content-type']), /text\/css/);
    });
  });
}
