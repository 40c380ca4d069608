import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRange, satisfies } from '../../src/perl/index.js';

const adv = (r: string | string[], v: string) => satisfies(parseRange(r), v);
const req = (r: string, v: string) => satisfies(parseRange(r, { syntax: 'cpanmeta' }), v);

test('advisory ranges: list elements are ORed, commas ANDed', () => {
  assert.equal(adv(['<1.5', '>=2.0,<2.3'], '1.4'), true);
  assert.equal(adv(['<1.5', '>=2.0,<2.3'], '1.7'), false);
  assert.equal(adv(['<1.5', '>=2.0,<2.3'], '2.2'), true);
  assert.equal(adv(['<1.5', '>=2.0,<2.3'], '2.3'), false);
  assert.equal(adv([], '1.0'), false);
});

test('advisory ranges: older plain strings, bare versions (>=) and single = (==)', () => {
  assert.equal(adv('>1.74,<8.65', '8.64'), true);
  assert.equal(adv(['0.91'], '0.95'), true);
  assert.equal(adv(['0.91'], '0.90'), false);
  assert.equal(adv(['=1.05'], '1.05'), true);
  assert.equal(adv(['=1.05'], '1.06'), false);
  const clause = parseRange(['=1.05', '0.91']).alternatives.flat();
  assert.deepEqual(clause.map((c) => c.oddSpelling), ['single-equals', 'bare']);
});

test('version comparison inside ranges follows version.pm (1.10 > 1.9, 5.044000 = v5.44.0)', () => {
  assert.equal(adv(['<1.10'], '1.9'), false, '1.9 is 1.900, above 1.100');
  assert.equal(adv(['>=v5.44.0'], '5.044000'), true);
  assert.equal(adv(['<5.44'], '5.044000'), true, '5.044000 is v5.44.0, far below 5.440');
  assert.equal(adv(['==1.02_03'], '1.0203'), true);
});

test('CPAN::Meta requirements: 0 and empty mean any version, a bare version is a minimum', () => {
  assert.equal(req('0', '0.001'), true);
  assert.equal(req('', '9'), true);
  assert.equal(req('1.2', '1.19'), false);
  assert.equal(req('1.2', '1.3'), true);
  assert.equal(req('>= 1.0, != 1.5, < 2.0', '1.5'), false);
  assert.equal(req('>= 1.0, != 1.5, < 2.0', '1.6'), true);
});

test('unreadable ranges are refused with a message naming the range', () => {
  assert.throws(() => parseRange(['>=1.2.']), { code: 'INVALID_RANGE', message: /'>=1.2.'/ });
  assert.throws(() => parseRange('~> 1.2', { syntax: 'cpanmeta' }), { code: 'INVALID_RANGE' });
  assert.throws(() => parseRange('= 1.2', { syntax: 'cpanmeta' }), { code: 'INVALID_RANGE', message: /'='/ });
  assert.throws(() => parseRange(['>= abc']), { code: 'INVALID_RANGE' });
});
