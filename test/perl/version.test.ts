import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, parseVersion } from '../../src/perl/index.js';

test('decimal versions compare by their three-digit groups', () => {
  assert.equal(compareVersions('1.10', '1.9'), -1);
  assert.equal(compareVersions('1.10', '1.1'), 0);
  assert.equal(compareVersions('1.002003', 'v1.2.3'), 0);
  assert.equal(parseVersion('5.044000').normal(), 'v5.44.0');
  assert.equal(parseVersion('1.02').numify(), '1.020');
});

test('dotted, alpha and leading-zero forms', () => {
  const v = parseVersion('1.2.3_4');
  assert.equal(v.isAlpha, true);
  assert.equal(v.isDotted, true);
  assert.equal(v.normal(), 'v1.2.34');
  assert.equal(parseVersion('v1.02.003').normal(), 'v1.2.3');
  assert.equal(parseVersion('1.2').stringify(), '1.2');
  assert.equal(parseVersion('undef').normal(), 'v0.0.0');
});

test('strings version.pm rejects are rejected, never guessed', () => {
  for (const bad of ['', '1.2.', '1_2', '1.2abc', '-1', 'v', '1..2', '1.2-TRIAL', 'abc']) {
    assert.throws(() => parseVersion(bad), { code: 'INVALID_VERSION' }, bad);
  }
});
