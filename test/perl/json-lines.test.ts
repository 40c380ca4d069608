/**
 * The one-member-a-line layout of the core-module data: a key is found by binary search in a file
 * that says it is sorted, by an index of its lines otherwise, and both answer as the file parsed whole.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { formatJsonLines, readJsonLines } from '../../src/perl/json-lines.js';
import { projectPath } from '../helpers/paths.js';
import { seeded } from '../helpers/seeded.js';

for (const [file, member] of [
  ['corelist.json', 'modules'],
  ['corelist-versions.json', 'versions'],
] as const) {
  test(`data/${file}: every key, and keys it lacks, read line by line as when parsed whole`, () => {
    const buf = readFileSync(projectPath('data', file));
    const whole = JSON.parse(buf.toString('utf8')) as Record<string, Record<string, unknown>>;
    const lines = readJsonLines(buf, member)!;
    assert.equal(lines.head[`${member}_sorted`], true, 'the shipped file says it is sorted');
    const members = whole[member]!;
    for (const key of Object.keys(members)) assert.deepEqual(lines.get(key), members[key], key);
    for (const key of ['', 'A', 'AAAA', 'zzzz', 'DBI', 'Foo::Bar', 'Carp::', 'carp', '~']) assert.equal(lines.get(key), members[key], key);
    assert.deepEqual(lines.keys().sort(), Object.keys(members).sort());
  });
}

test('random sorted files: search finds exactly the keys written, with escapes and non-ASCII keys read through the index', () => {
  const next = seeded(7);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: T[]): T => xs[int(0, xs.length - 1)]!;
  for (let round = 0; round < 200; round++) {
    const members: Record<string, unknown> = {};
    const n = int(0, 40);
    for (let i = 0; i < n; i++) {
      const key = Array.from({ length: int(1, 6) }, () => pick(['A', 'a', ':', '_', 'Z', '0', 'é', '"', '\\'])).join('');
      members[key] = [int(0, 9), String(i)];
    }
    const buf = Buffer.from(formatJsonLines({ generated_by: 'test' }, 'm', members));
    const lines = readJsonLines(buf, 'm')!;
    for (const key of Object.keys(members)) assert.deepEqual(lines.get(key), members[key], `${round} ${key}`);
    for (const key of ['', 'B', 'AZ', 'zz', '::']) assert.deepEqual(lines.get(key), members[key], `${round} ${key}`);
  }
});

test('a file that does not say it is sorted is read through its index, whatever its order', () => {
  const text = '{"h":1,"m":{\n"Zed":[1],\n"Alpha":[2],\n"Mid":[3]\n}}\n';
  const lines = readJsonLines(Buffer.from(text), 'm')!;
  assert.deepEqual([lines.get('Zed'), lines.get('Alpha'), lines.get('Mid'), lines.get('None')], [[1], [2], [3], undefined]);
});
