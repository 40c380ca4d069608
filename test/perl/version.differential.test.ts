import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, parseVersion } from '../../src/perl/index.js';
import { askPerl, seeded } from './oracle.js';
import { EDGE_VERSIONS, generateVersions } from './version-generator.js';

function ours(text: string): string {
  try {
    const v = parseVersion(text);
    return ['OK', v.numify(), v.normal(), v.stringify()].join('\t');
  } catch {
    return 'ERR';
  }
}

function oursCompare(a: string, b: string): string {
  try {
    return String(compareVersions(a, b));
  } catch {
    return 'ERR';
  }
}

test('parse, numify, normal and stringify agree with version.pm on edge cases and 4,000 generated strings', () => {
  const inputs = [...EDGE_VERSIONS, ...generateVersions(4000)];
  const answers = askPerl(inputs.map((v) => ['P', v]));
  const disagreements = inputs
    .map((v, i) => ({ v, perl: answers[i], ours: ours(v) }))
    .filter((d) => d.perl !== d.ours);
  assert.deepEqual(disagreements.slice(0, 10), []);
  assert.ok(answers.filter((a) => a === 'ERR').length > 100, 'the generator must exercise rejected strings');
});

test('vcmp agrees with version.pm on 24,000 version pairs, edge cases included', () => {
  const valid = [...EDGE_VERSIONS, ...generateVersions(3000, 77)];
  const rnd = seeded(11);
  const pick = () => valid[Math.floor(rnd() * valid.length)]!;
  const pairs: [string, string][] = [];
  for (const a of EDGE_VERSIONS) for (const b of EDGE_VERSIONS.slice(0, 40)) pairs.push([a, b]);
  while (pairs.length < 24_000) {
    const a = pick();
    // near neighbours compare more interestingly than random strangers
    const b = rnd() < 0.3 ? a.replace(/\d(?!.*\d)/, String(Math.floor(rnd() * 10))) : pick();
    pairs.push([a, b]);
  }
  const answers = askPerl(pairs.map(([a, b]) => ['C', a, b]));
  const disagreements = pairs
    .map(([a, b], i) => ({ a, b, perl: answers[i], ours: oursCompare(a, b) }))
    .filter((d) => d.perl !== d.ours);
  assert.equal(pairs.length, 24_000);
  assert.deepEqual(disagreements.slice(0, 10), []);
  const outcomes = new Set(answers);
  for (const o of ['-1', '0', '1', 'ERR']) assert.ok(outcomes.has(o), `outcome ${o} exercised`);
});
