import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRange, someVersionSatisfies } from '../../src/perl/index.js';

const req = (s: string) => parseRange(s, { syntax: 'cpanmeta' });
const adv = (...s: string[]) => parseRange(s);

test('a requirement overlaps an advisory when some version is required, affected and not fixed', () => {
  const cases: [string, string[], string[], boolean][] = [
    ['>= 9.0', ['<9.31'], ['>=9.31'], true],
    ['>= 9.31', ['<9.31'], ['>=9.31'], false],
    ['0', ['>0'], [], true],
    ['== 1.5', ['>1.4,<1.6'], [], true],
    ['!= 1.5', ['==1.5'], [], false],
    ['> 1.2, < 1.3', ['>=1.3'], [], false],
    // nothing is named between v1.2 and v1.2.0.1, yet versions exist there (v1.2.0.0.1)
    ['> v1.2, < v1.2.0.1', ['>v1.2'], [], true],
    ['>= 2.0', ['<1.0', '>=3.0'], ['>=3.5'], true],
    ['>= 3.5', ['<1.0', '>=3.0'], ['>=3.5'], false],
    ['>= 1.0, < 2.0', ['>=1.0'], ['>=1.0,<1.5', '>=1.5'], false],
    ['< 1.0', ['>=0.5,<0.9'], ['==0.7'], true],
  ];
  for (const [r, affected, fixed, expected] of cases) {
    assert.equal(someVersionSatisfies([req(r), adv(...affected)], fixed.length ? [adv(...fixed)] : []), expected, `${r} vs ${affected.join(' || ')} fixed ${fixed.join(' || ')}`);
  }
});
