import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { databaseModified, osvGroups, toAtom } from '../../src/publish/index.js';

const index = new VulnerabilityIndex(loadBundledDatabase());
const all = index.allAdvisories();
const BUILT = Date.parse(databaseModified(index)!);

test('undated advisories are dated by their releases, not the build time, and the feed stays newest first', () => {
  const undated = new Set(osvGroups(all).filter((g) => !g.advisories[0]!.reported).map((g) => `https://x.test/advisories/${g.id}`));
  assert.ok(undated.size > 10);
  const xml = toAtom(all, { baseUrl: 'https://x.test', title: 'T', modified: databaseModified(index)!, index });
  const entries = new XMLParser({ isArray: (n) => n === 'entry' }).parse(xml).feed.entry as { id: string; updated: string; published?: string; content: string }[];
  const times = entries.map((e) => Date.parse(e.updated));
  assert.equal(times.findIndex((t, i) => i > 0 && t > times[i - 1]!), -1, 'newest first');
  const mine = entries.filter((e) => undated.has(e.id));
  assert.equal(mine.length, undated.size);
  // none carries the build time, each says how it is dated; the top of the feed is reported advisories
  assert.deepEqual(mine.filter((e) => Date.parse(e.updated) === BUILT).map((e) => e.id), []);
  for (const e of mine) assert.match(String(e.content), /No report date: dated by the first listed release/, e.id);
  assert.ok(entries.slice(0, 25).every((e) => !undated.has(e.id)));
});
