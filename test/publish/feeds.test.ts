import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Advisory } from '../../src/advisory/index.js';
import { loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { databaseModified, osvGroups, toAtom, toRss } from '../../src/publish/index.js';

const index = new VulnerabilityIndex(loadBundledDatabase());
const all = index.allAdvisories();
/** the database's build time: what an undated advisory's OSV record carries as `modified` */
const MODIFIED = databaseModified(index)!;
const UNDATED = osvGroups(all).filter((g) => !g.advisories[0]!.reported);
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'item', 'link', 'category', 'author'].includes(name) });
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const RFC822 = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function parseFeed(xml: string): Json {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  return parser.parse(xml) as Json;
}

/** RFC 4287: the feed's and each entry's required elements, absolute ids, RFC 3339 times. */
function checkAtom(xml: string): Json[] {
  const { feed } = parseFeed(xml);
  assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
  for (const el of ['id', 'title', 'updated']) assert.ok(feed[el] !== undefined && typeof feed[el] !== 'object', `feed ${el}`);
  assert.match(feed.updated, RFC3339);
  assert.ok(new URL(feed.id));
  assert.ok(feed.author?.[0]?.name, 'a feed-level author (so entries need none)');
  assert.ok(feed.link.some((l: Json) => l['@rel'] === 'self'));
  const entries: Json[] = feed.entry ?? [];
  const ids = new Set<string>();
  for (const e of entries) {
    assert.ok(new URL(e.id), 'absolute entry id');
    assert.ok(!ids.has(e.id), `duplicate id ${e.id}`);
    ids.add(e.id);
    assert.ok(e.title['#text'] !== undefined);
    assert.equal(e.title['@type'], 'html');
    assert.match(e.updated, RFC3339);
    assert.ok(e.link.some((l: Json) => l['@href']));
  }
  newestFirst(entries.map((e) => e.updated));
  for (const e of entries) if (e.published !== undefined) assert.equal(e.published, e.updated, 'a dated entry is dated by its report');
  return entries;
}

/** The feed is newest first by the dates it shows, every entry's. */
function newestFirst(dates: string[]): void {
  const times = dates.map((d) => Date.parse(d));
  assert.ok(times.every((t) => Number.isFinite(t)), 'every entry carries a date');
  const out = times.findIndex((t, i) => i > 0 && t > times[i - 1]!);
  assert.equal(out, -1, `newest first: entry ${out} (${dates[out]}) follows ${dates[out - 1]}`);
}

test('the Atom feed of every advisory is well-formed Atom 1.0, one entry per vulnerability, newest first', () => {
  const entries = checkAtom(toAtom(all, { baseUrl: 'https://cpansec.example/', title: 'CPAN advisories', modified: MODIFIED }));
  assert.equal(entries.length, osvGroups(all).length);
  assert.equal(entries.find((e) => e.published)!.id, 'https://cpansec.example/advisories/CPANSA-DBI-2026-73193');
});

test('an undated advisory is dated when its record last changed, with no published date, and placed by that date', () => {
  assert.ok(UNDATED.length > 10, 'the bundled data has undated advisories');
  const entries = checkAtom(toAtom(all, { baseUrl: 'https://cpansec.example', title: 'CPAN advisories', modified: MODIFIED }));
  const undated = entries.filter((e) => e.published === undefined);
  assert.deepEqual(undated.map((e) => e.id).sort(), UNDATED.map((g) => `https://cpansec.example/advisories/${g.id}`).sort());
  assert.ok(undated.every((e) => Date.parse(e.updated) === Date.parse(MODIFIED)));
  // each record's own time, as the server gives it: an old one sinks below newer reports
  const own = (g: { id: string }) => (g.id === UNDATED[0]!.id ? '2001-02-03T04:05:06Z' : MODIFIED);
  const sunk = checkAtom(toAtom(all, { baseUrl: 'https://x.test', title: 'T', modified: own }));
  const at = sunk.findIndex((e) => e.id === `https://x.test/advisories/${UNDATED[0]!.id}`);
  assert.equal(sunk[at]!.updated, '2001-02-03T04:05:06.000Z');
  assert.ok(at > sunk.length / 2);
  // no time to date it by is an error naming the entry, never a made-up date
  assert.throws(() => toAtom(all, { baseUrl: 'https://x.test', title: 'T' }), { code: 'USAGE', message: /^cannot date the feed entry CPANSA-\S+: it has no reported date/ });
  assert.throws(() => toRss(all, { baseUrl: 'https://x.test', title: 'T', modified: 'yesterday' }), /modified time 'yesterday' is not an RFC 3339 time/);
});

test('the per-distribution Atom feed holds exactly that distribution\'s advisories', () => {
  const xml = toAtom(all, { baseUrl: 'https://cpansec.example', title: 'Mojolicious', distribution: 'Mojolicious', modified: MODIFIED });
  const entries = checkAtom(xml);
  const expected = osvGroups(all).filter((g) => g.advisories.some((a) => a.distribution === 'Mojolicious'));
  assert.equal(entries.length, expected.length);
  assert.ok(entries.every((e) => e.category.some((c: Json) => c['@term'] === 'Mojolicious')));
  const { feed } = parseFeed(xml);
  assert.ok(feed.link.some((l: Json) => l['@href'] === 'https://cpansec.example/distributions/Mojolicious'));
  // advisory text is data: "<script>" arrives escaped inside the HTML, never as markup
  const dom = entries.find((e) => e.id.endsWith('CPANSA-Mojolicious-2022-03'))!;
  assert.match(dom.title['#text'], /parse &lt;script&gt; tags/);
  assert.doesNotMatch(dom.content['#text'], /<script>/);
});

test('per-distribution feeds with undated advisories are newest first too, Atom and RSS', () => {
  for (const distribution of ['Yote', 'Lemonldap-NG-Portal', 'perl']) {
    const options = { baseUrl: 'https://cpansec.example', title: distribution, distribution, modified: MODIFIED };
    const entries = checkAtom(toAtom(all, options));
    assert.ok(entries.some((e) => e.published === undefined) && entries.length > 1, distribution);
    const items: Json[] = parseFeed(toRss(all, options)).rss.channel.item;
    assert.deepEqual(items.map((i) => i.guid['#text']), entries.map((e) => e.id));
    newestFirst(items.map((i) => i.pubDate));
  }
});

test('the RSS 2.0 feed is well-formed with the channel and item elements RSS requires', () => {
  const whole: Json[] = parseFeed(toRss(all, { baseUrl: 'https://cpansec.example', title: 'CPAN advisories', modified: MODIFIED })).rss.channel.item;
  assert.equal(whole.length, osvGroups(all).length);
  newestFirst(whole.map((i) => i.pubDate));
  const xml = toRss(all, { baseUrl: 'https://cpansec.example', title: 'CPAN advisories', limit: 25, modified: MODIFIED });
  const { rss } = parseFeed(xml);
  assert.equal(rss['@version'], '2.0');
  const ch = rss.channel;
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v) as unknown;
  for (const el of ['title', 'link', 'description']) assert.ok(typeof one(ch[el]) === 'string' && (one(ch[el]) as string).length > 0, `channel ${el}`);
  assert.match(ch.lastBuildDate, RFC822);
  const items: Json[] = ch.item;
  assert.equal(items.length, 25);
  const guids = new Set(items.map((i) => i.guid['#text']));
  assert.equal(guids.size, items.length);
  for (const i of items) {
    assert.ok(i.title || i.description);
    assert.match(i.pubDate, RFC822);
    assert.ok(new URL(one(i.link) as string));
  }
  const times = items.map((i) => Date.parse(i.pubDate));
  assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
});

test('hostile advisory text cannot break the XML', () => {
  const evil: Advisory = {
    ...all[0]!,
    id: 'CPANSA-Evil-2026-1',
    distribution: 'Evil',
    description: 'Bad ]]> <b>&amp; \u0001\u0008 control \uFFFE characters and a lone \uD800 surrogate.',
    references: ['https://example.org/?a=1&b=<2>'],
    reported: '2026-01-01',
  };
  for (const xml of [toAtom([evil], { baseUrl: 'https://x.test', title: 'T & <t>' }), toRss([evil], { baseUrl: 'https://x.test', title: 'T & <t>' })]) {
    const doc = parseFeed(xml);
    assert.ok(doc);
    assert.doesNotMatch(xml, /[\u0001\u0008\uFFFE]/);
  }
});
