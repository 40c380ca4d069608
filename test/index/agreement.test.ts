import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareWithCpanAudit } from '../../bench/agreement.js';
import { BUNDLED_DATABASE } from '../../src/index/index.js';

test('exact-version answers agree with CPAN::Audit on every (distribution, released version) of the bundled database', () => {
  const r = compareWithCpanAudit(BUNDLED_DATABASE);
  assert.ok(r.points > 21_700, `points: ${r.points}`);
  assert.deepEqual(r.unexplained.slice(0, 5), []);
  // the only deliberate difference: '=1.2' elements, which cpan-audit cannot parse and never matches
  assert.deepEqual(Object.keys(r.explained), r.agreed === r.points ? [] : ['single = read as ==']);
  assert.equal(r.agreed + (r.explained['single = read as =='] ?? 0), r.points);
});
