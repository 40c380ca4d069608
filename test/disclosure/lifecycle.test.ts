import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CASE_STATES, parseCaseState, requireTransition, TRANSITIONS, isTerminal, type CaseState } from '../../src/disclosure/index.js';

test('the issue’s path is a walk through the machine', () => {
  const path: CaseState[] = ['received', 'triaging', 'accepted', 'author-contacted', 'fix-in-progress', 'fix-released', 'published'];
  for (let i = 1; i < path.length; i++) assert.ok(requireTransition(path[i - 1]!, path[i]), `${path[i - 1]} -> ${path[i]}`);
  for (const end of ['rejected', 'duplicate', 'withdrawn'] as const) assert.ok(requireTransition('triaging', end));
});

test('every state but published can be left, published never; only the publish command enters it', () => {
  for (const s of CASE_STATES) {
    const out = TRANSITIONS.filter((t) => t.from === s);
    if (s === 'published') assert.equal(out.length, 0);
    else assert.ok(out.length > 0, s);
  }
  for (const t of TRANSITIONS.filter((x) => x.to === 'published')) assert.equal(t.via, 'publish');
  assert.ok(TRANSITIONS.every((t) => t.to !== 'received'), 'nothing returns to received');
  assert.ok(isTerminal('published') && isTerminal('withdrawn') && !isTerminal('fix-released'));
});

test('unknown states are PARSE_ERROR naming the states; missing edges CONFLICT naming the possible ones', () => {
  assert.throws(() => parseCaseState('fixed'), { code: 'PARSE_ERROR', message: /state: unknown state 'fixed' \(one of: received, triaging/ });
  assert.throws(() => parseCaseState(undefined), { code: 'PARSE_ERROR' });
  assert.throws(() => parseCaseState('<script>'), { code: 'PARSE_ERROR' });
  assert.throws(() => requireTransition('received', 'published'), { code: 'CONFLICT', message: /'received' cannot move to 'published' \(possible: triaging, rejected, duplicate, withdrawn\)/ });
  assert.throws(() => requireTransition('published', 'withdrawn'), { code: 'CONFLICT', message: /it is final/ });
  assert.throws(() => requireTransition('triaging', 'nonsense'), { code: 'PARSE_ERROR' });
});

test('each transition names the roles that may make it, and no transition is listed twice', () => {
  const seen = new Set<string>();
  for (const t of TRANSITIONS) {
    const key = `${t.from}->${t.to}`;
    assert.ok(!seen.has(key), key);
    seen.add(key);
    assert.ok(t.by.length > 0, key);
  }
});
