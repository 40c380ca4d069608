import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BACKENDS } from '../store/backends.js';
import { fixtureDatabase } from '../store/fixtures.js';
import { BASE_URL, testServer, type TestServer } from './harness.js';

type Atom = { feed: { id: string; link: { '@_href': string; '@_rel'?: string }[]; entry: { id: string; title: string; link: { '@_href': string }[] }[] } };
type Rss = { rss: { channel: { item: { link: string[]; title: string }[] } } };
const parser = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'item', 'link'].includes(name) });

for (const backend of BACKENDS) {
  describe(`feeds on ${backend.name}`, { skip: backend.skip }, () => {
    let server: TestServer;
    before(async () => {
      server = await testServer(backend, { database: fixtureDatabase() });
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
        ['CPANSA-Foo-Bar-2021-01', 'CPANSA-Foo-Bar-2020-01', 'CPANSA-Baz-2019-01'].map((id) => `${BASE_URL}/advisories/${id}`),
      );
      assert.ok(feed.link.some((l) => l['@_rel'] === 'self' && l['@_href'] === `${BASE_URL}/feed.atom`));
      for (const e of feed.entry) assert.equal((await server.app.inject(e.link[0]!['@_href'].slice(BASE_URL.length))).statusCode, 200);
    });

    test('the RSS feed has the same items', async () => {
      const r = await get('/feed.rss');
      assert.match(String(r.headers['content-type']), /^application\/rss\+xml/);
      const items = (parser.parse(r.body) as Rss).rss.channel.item;
      assert.equal(items.length, 3);
      assert.deepEqual(items[0]!.link, [`${BASE_URL}/advisories/CPANSA-Foo-Bar-2021-01`]);
    });

    test('a distribution has its own feeds with only its advisories; an unknown one is 404', async () => {
      const atom = (parser.parse((await get('/distributions/Baz/feed.atom')).body) as Atom).feed;
      assert.deepEqual(atom.entry.map((e) => e.link[0]!['@_href']), [`${BASE_URL}/advisories/CPANSA-Baz-2019-01`]);
      const rss = (parser.parse((await get('/distributions/Foo-Bar/feed.rss')).body) as Rss).rss.channel.item;
      assert.equal(rss.length, 2);
      assert.equal((await server.app.inject('/distributions/Nope/feed.atom')).statusCode, 404);
    });
  });
}
