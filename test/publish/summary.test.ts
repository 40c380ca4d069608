import assert from 'node:assert/strict';
import { test } from 'node:test';
import { XMLParser } from 'fast-xml-parser';
import { summarize, summaryOf, SUMMARY_MAX, type Advisory } from '../../src/advisory/index.js';
import { loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { databaseModified, osvGroups, osvRecords, toAtom } from '../../src/publish/index.js';

const index = new VulnerabilityIndex(loadBundledDatabase());
const all = index.allAdvisories();
/** words that never end a sentence before a capital or a number */
const ABBREVIATED = /(^|\s)(No|Nos|e\.g|i\.e|cf|vs|Mr|Dr|Fig|approx)\.$/i;

/** The summary is the text's start, ending at a sentence end, or at a word end marked "…". */
function checkSummary(id: string, description: string, summary: string): void {
  const text = description.trim().replace(/\s+/g, ' ');
  assert.ok(summary.length > 0 || !text, `${id}: empty summary`);
  assert.ok(summary.length <= SUMMARY_MAX, `${id}: ${summary.length} characters`);
  const shortened = summary.endsWith('…');
  const head = shortened ? summary.slice(0, -1) : summary;
  assert.ok(text.startsWith(head), `${id}: "${summary}" is not the start of its description`);
  const after = text.slice(head.length);
  if (shortened) {
    assert.match(after, /^[\s,;:)–—-]/, `${id}: cut mid-word: "${summary}" + "${after.slice(0, 20)}"`);
  } else if (after) {
    assert.match(summary, /[.!?]["'’”)\]]*$/, `${id}: "${summary}" ends neither a sentence nor the text`);
    assert.match(after, /^ /, `${id}: ends inside a word`);
    assert.doesNotMatch(summary, ABBREVIATED, `${id}: split at an abbreviation: "${summary}"`);
  }
}

test('every bundled advisory\'s summary is a sentence or a clause, never cut mid-word or at an abbreviation', () => {
  let shortened = 0;
  for (const a of all) {
    const s = summaryOf(a);
    checkSummary(a.id, a.description, s);
    if (s.endsWith('…')) shortened++;
  }
  // most descriptions open with a sentence short enough to be the summary whole
  assert.ok(shortened < all.length / 3, `${shortened} of ${all.length} shortened`);
});

test('the summary keeps a sentence that holds "No.", "e.g." or a lone stop, and cuts a long one at a clause', () => {
  assert.equal(
    summarize('The No. 4 item on the OWASP top 10 is external XML entities. When using XML::Parser, XML::Simple is vulnerable.'),
    'The No. 4 item on the OWASP top 10 is external XML entities.',
  );
  assert.equal(summarize('It fails on some systems (e.g. Win32 without the backend) badly. More.'), 'It fails on some systems (e.g. Win32 without the backend) badly.');
  assert.equal(summarize('Loading modules from . (current directory).\n\nMore text.'), 'Loading modules from . (current directory).');
  assert.equal(summarize('Fixed in 3.5.0. Upgrade now.'), 'Fixed in 3.5.0.');
  assert.equal(summarize('Reads past the end in copy_string_tags. copy_string_tags() computes a length.'), 'Reads past the end in copy_string_tags.');
  assert.equal(summarize('  No full stop at all  '), 'No full stop at all');
  const long = `${'word '.repeat(25)}and then, after a clause, ${'more '.repeat(40)}end.`;
  const s = summarize(long);
  assert.ok(s.endsWith('after a clause…'), s);
  const words = summarize(`${'abcdefghij '.repeat(30)}end.`);
  assert.match(words, /^(abcdefghij )+abcdefghij…$/);
  assert.ok(words.length <= SUMMARY_MAX);
  // the source's own title wins over the description
  const titled = { ...all[0]!, extra: { title: 'A short title' } } as Advisory;
  assert.equal(summaryOf(titled), 'A short title');
});

test('the OSV export and the feeds use the same summary as the pages', () => {
  const byOsvId = new Map(osvRecords(index).map((r) => [r.id, r]));
  const xml = toAtom(all, { baseUrl: 'https://x.test', title: 'T', modified: databaseModified(index)! });
  const entries = new XMLParser({ ignoreAttributes: false, isArray: (n) => n === 'entry' }).parse(xml).feed.entry as { title: { '#text': string } }[];
  const titles = new Set(entries.map((e) => String(e.title['#text'])));
  for (const g of osvGroups(all)) assert.equal(byOsvId.get(g.id)!.summary, summaryOf(g.advisories[0]!) || undefined, g.id);
  const mojo = all.find((a) => a.id === 'CPANSA-XML-Simple-2018-01')!;
  assert.ok([...titles].some((t) => t.endsWith(`: ${summaryOf(mojo)}`)), 'the feed entry title ends with the summary');
});
