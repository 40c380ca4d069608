import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BACKENDS } from '../store/backends.js';
import { advisory, edited, fixtureDatabase } from '../store/fixtures.js';
import { BASE_URL, testServer, type TestServer } from './harness.js';

type Entry = { id: string; title: string; link: { '@_href': string }[]; updated: string; published?: string };
type Atom = { feed: { id: string; updated: string; link: { '@_href': string; '@_rel'?: string }[]; entry: Entry[] } };
type Rss = { rss: { channel: { item: { link: string[]; title: string; pubDate: string }[] } } };
const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'item', 'link'].includes(name) });

/** The fixture with an advisory that has no reported date. */
const database = () =>
  edited(fixtureDatabase(), (db) => {
    db.distributions.get('Baz')!.advisories.push(advisory({ id: 'CPANSA-Baz-2010-01', distribution: 'Baz', affected_versions: ['<0.2'], description: 'Baz was old.\n' }));
  });
/** when the fixture database was built (meta.epoch): what the store records as the entries' modified time */
const BUILT = '2023-11-14T22:13:20.000Z';
const FEEDS = ['/feed.atom', '/feed.rss', '/distributions/Baz/feed.atom', '/distributions/Baz/feed.rss', '/distributions/Foo-Bar/feed.atom', '/distributions/Foo-Bar/feed.rss'];

for (const backend of BACKENDS) {
  describe(`feeds on ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await testServer(backend, { database: database() });
    });
    const get = async (url: string) => {
      const r = await server.app.inject(url);
      if (r.statusCode === 200) assert.equal(XMLValidator.validate(r.body), true, `${url} is well-formed XML`);
      return r;
    };

    test('the Atom feed lists every advisory newest first, linking to its page, with a self link', async () => {
      const r = await get('/feed.atom');
      assert.match(String(r.headers['content-type']), /^application\/atom\+xml/);
      const feed = (parser.parse(r.body) as Atom).feed;
      assert.deepEqual(
        feed.entry.map((e) => e.link[0]!['@_href']),
        ['CPANSA-Foo-Bar-2021-01', 'CPANSA-Foo-Bar-2020-01', 'CPANSA-Baz-2019-01', 'CPANSA-Baz-2010-01'].map((id) => `${BASE_URL}/advisories/${id}`),
      );
      // the undated one is not stamped with the database's build time at the top: it is dated by
      // the first release it affects (Baz 0.1), says so, and has no published date
      const undated = feed.entry[3]! as Entry & { content: string };
      assert.deepEqual([undated.updated, undated.published], ['2018-01-01T00:00:00.000Z', undefined]);
      assert.match(String(undated.content?.['#text' as keyof typeof undated.content] ?? undated.content), /No report date: dated by the first listed release it affects, Baz 0\.1 \(2018-01-01\)/);
      assert.notEqual(feed.updated, BUILT);
      assert.equal(feed.updated, '2021-04-20T00:00:00.000Z');
      assert.ok(feed.link.some((l) => l['@_rel'] === 'self' && l['@_href'] === `${BASE_URL}/feed.atom`));
      for (const e of feed.entry) assert.equal((await server.app.inject(e.link[0]!['@_href'].slice(BASE_URL.length))).statusCode, 200);
    });

    test('the RSS feed has the same items', async () => {
      const r = await get('/feed.rss');
      assert.match(String(r.headers['content-type']), /^application\/rss\+xml/);
      const items = (parser.parse(r.body) as Rss).rss.channel.item;
      assert.equal(items.length, 4);
      assert.deepEqual(items[0]!.link, [`${BASE_URL}/advisories/CPANSA-Foo-Bar-2021-01`]);
    });

    test('a distribution has its own feeds with only its advisories; an unknown one is 404', async () => {
      const atom = (parser.parse((await get('/distributions/Baz/feed.atom')).body) as Atom).feed;
      assert.deepEqual(atom.entry.map((e) => e.link[0]!['@_href']), ['CPANSA-Baz-2019-01', 'CPANSA-Baz-2010-01'].map((id) => `${BASE_URL}/advisories/${id}`));
      const rss = (parser.parse((await get('/distributions/Foo-Bar/feed.rss')).body) as Rss).rss.channel.item;
      assert.equal(rss.length, 2);
      assert.equal((await server.app.inject('/distributions/Nope/feed.atom')).statusCode, 404);
    });

    /** Every feed of the site, newest first by the dates it shows. */
    async function checkNewestFirst(): Promise<string[]> {
      const firsts: string[] = [];
      for (const url of FEEDS) {
        const r = await get(url);
        assert.equal(r.statusCode, 200, url);
        const doc = parser.parse(r.body) as Atom & Rss;
        const dates = url.endsWith('.atom') ? doc.feed.entry.map((e) => e.updated) : doc.rss.channel.item.map((i) => i.pubDate);
        const times = dates.map((d) => Date.parse(d));
        assert.ok(times.every((t, i) => Number.isFinite(t) && (i === 0 || t <= times[i - 1]!)), `${url} newest first: ${dates.join(', ')}`);
        firsts.push(url.endsWith('.atom') ? doc.feed.entry[0]!.id : doc.rss.channel.item[0]!.link[0]!);
      }
      return firsts;
    }

    test('every feed is newest first by the dates it shows; an undated advisory published here goes on top, dated then', async () => {
      await checkNewestFirst();
      const now = new Date();
      await server.store.publishAdvisory(advisory({ id: 'CPANSA-Foo-Bar-2026-01', distribution: 'Foo-Bar', affected_versions: ['<=2.0'], description: 'New.\n' }), now);
      await server.publication.refresh();
      const firsts = await checkNewestFirst();
      assert.deepEqual(firsts.slice(0, 2), [`${BASE_URL}/advisories/CPANSA-Foo-Bar-2026-01`, `${BASE_URL}/advisories/CPANSA-Foo-Bar-2026-01`]);
      const feed = (parser.parse((await get('/feed.atom')).body) as Atom).feed;
      assert.deepEqual([feed.entry[0]!.updated, feed.updated], [now.toISOString(), now.toISOString()]);
    });
  });
}
