/** The bundled module map is sorted and marked so; a binary search of its line finds every module. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatCpansaLines, lookupSortedModuleLine, splitCpansaLines } from '../../src/index/cpansa-lines.js';
import { projectPath } from '../helpers/paths.js';

const bundled = splitCpansaLines(readFileSync(projectPath('data', 'cpansa.json')))!;
const bundledLine = bundled.module2distLine.toString('utf8');

test('the bundled map says it is sorted, and is', () => {
  assert.equal(bundled.meta.module2dist_sorted, true);
  const keys = Object.keys(bundled.module2dist());
  assert.ok(keys.length > 8000);
  assert.deepEqual(keys, [...keys].sort());
});

test('every module of the bundled map is found by the binary search, with its distribution', () => {
  const map = bundled.module2dist() as Record<string, string>;
  for (const [module, dist] of Object.entries(map)) assert.equal(lookupSortedModuleLine(bundledLine, module), dist, module);
});

test('modules not in the map are not found: before the first, after the last, between two, prefixes', () => {
  const keys = Object.keys(bundled.module2dist());
  const absent = ['', '0', 'A', 'zzzz::Last', `${keys[0]}::X`, keys[100]!.slice(0, -1), `${keys[100]}0`, 'DBI::', 'Mojo', '\u00e9t\u00e9'];
  for (const m of absent.filter((x) => !keys.includes(x))) assert.equal(lookupSortedModuleLine(bundledLine, m), undefined, m);
});

test('the writer sorts the map and marks it; a small map and an empty one are searched right', () => {
  const text = formatCpansaLines({ x: 1 }, { 'Z::Z': 'Z', 'A::A': 'A', 'M::M': 'M', "O'Old": 'Old' }, { A: { advisories: [] } });
  const lines = splitCpansaLines(Buffer.from(text))!;
  assert.equal(lines.meta.module2dist_sorted, true);
  assert.deepEqual(Object.keys(lines.module2dist()), ['A::A', 'M::M', "O'Old", 'Z::Z']);
  for (const [m, d] of [['A::A', 'A'], ['M::M', 'M'], ['Z::Z', 'Z'], ["O'Old", 'Old']]) assert.equal(lookupSortedModuleLine(lines.module2distLine.toString(), m!), d);
  for (const m of ['B', 'A', 'ZZ', 'N']) assert.equal(lookupSortedModuleLine(lines.module2distLine.toString(), m), undefined);
  const empty = splitCpansaLines(Buffer.from(formatCpansaLines({}, {}, { A: {} })))!;
  assert.equal(lookupSortedModuleLine(empty.module2distLine.toString(), 'A'), undefined);
});

test('a line that lies about its order or is malformed still ends, with no answer or a wrong one only for itself', () => {
  const lies = '"module2dist":{"Z":"Z","A":"A","M":"M"},';
  for (const m of ['A', 'M', 'Z', 'Q']) {
    const r = lookupSortedModuleLine(lies, m);
    assert.ok(r === undefined || r === m);
  }
  for (const bad of ['"module2dist":{"A":"A","B,"', '"module2dist":{,,,,"', '"module2dist":{"a,":"b","c":"d"},']) {
    assert.doesNotThrow(() => lookupSortedModuleLine(bad, 'B'));
  }
});
