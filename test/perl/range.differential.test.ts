import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRange, satisfies } from '../../src/perl/index.js';
import { askPerl, seeded } from './oracle.js';
import { generateVersions } from './version-generator.js';

const OPS = ['>=', '<=', '>', '<', '==', '!=', ''];

function generateRanges(count: number, versions: string[], seed: number): string[] {
  const rnd = seeded(seed);
  const pick = () => versions[Math.floor(rnd() * versions.length)]!;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(rnd() * 3);
    const clauses = Array.from({ length: n }, () => {
      const op = OPS[Math.floor(rnd() * OPS.length)]!;
      return `${op}${rnd() < 0.5 && op ? ' ' : ''}${pick()}`;
    });
    out.push(clauses.join(rnd() < 0.5 ? ', ' : ','));
  }
  return out;
}

const valid = generateVersions(2000, 9).filter((v) => /^v?\d+(\.\d+)*(_\d+)?$/.test(v) && !/^\d+_/.test(v));

test('CPAN::Meta requirement ranges agree with CPAN::Meta::Requirements on 8,000 (range, version) points', () => {
  const rnd = seeded(3);
  const ranges = generateRanges(1000, valid, 21);
  ranges.push('0', '', '1.2', 'v1.2.3', '>= 1.0, < 2.0', '>= 1.0, != 1.5, < 2.0', '== 1.10');
  const points: [string, string][] = [];
  for (const r of ranges) {
    for (let k = 0; k < 8; k++) points.push([r, valid[Math.floor(rnd() * valid.length)]!]);
  }
  const answers = askPerl(points.map(([r, v]) => ['R', r, v]));
  const disagreements = points
    .map(([r, v], i) => {
      // CPAN::Meta::Requirements refuses contradictory requirements (min above max, == and != the
      // same version): a requirement nothing can satisfy, which we must answer with "no".
      const perl = answers[i] === 'ERR' ? '0' : answers[i];
      const ours = satisfies(parseRange(r, { syntax: 'cpanmeta' }), v) ? '1' : '0';
      return { r, v, perl, ours };
    })
    .filter((d) => d.perl !== d.ours);
  assert.ok(points.length >= 8000);
  assert.deepEqual(disagreements.slice(0, 10), []);
});

test('advisory range elements agree with CPAN::Audit::Version->in_range on 8,000 points', () => {
  const rnd = seeded(4);
  const ranges = generateRanges(1000, valid, 22).map((r) => r.replace(/\s+/g, ''));
  const points: [string, string][] = [];
  for (const r of ranges) {
    for (let k = 0; k < 8; k++) points.push([r, valid[Math.floor(rnd() * valid.length)]!]);
  }
  const answers = askPerl(points.map(([r, v]) => ['A', r, v]));
  const disagreements = points
    .map(([r, v], i) => ({ r, v, perl: answers[i], ours: satisfies(parseRange([r]), v) ? '1' : '0' }))
    .filter((d) => d.perl !== d.ours);
  assert.deepEqual(disagreements.slice(0, 10), []);
  assert.ok(answers.includes('1') && answers.includes('0'));
});
