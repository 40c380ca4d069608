/** docs/disclosure.md's permission and transition tables are the policy's and the machine's. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CASE_RULES, GLOBAL_RULES, TRANSITIONS } from '../../src/disclosure/index.js';
import { projectPath } from '../helpers/paths.js';

const doc = readFileSync(projectPath('docs', 'disclosure.md'), 'utf8');

function rows(marker: string): string[][] {
  const m = new RegExp(`<!-- ${marker} -->\\n([\\s\\S]*?)<!-- /${marker} -->`).exec(doc);
  assert.ok(m, `no ${marker} table in docs/disclosure.md`);
  return m[1]!
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => line.split('|').slice(1, -1).map((c) => c.trim().replace(/`/g, '')));
}

const yes = (cells: string[], roles: readonly string[]) => roles.filter((_, i) => cells[i] === 'yes');

test('the case-action table lists every case action with the roles the policy admits', () => {
  const table = rows('case-actions').filter((r) => r[0] !== 'transition:<state>');
  const roles = ['admin', 'member', 'reporter', 'author', 'downstream', 'public'];
  assert.deepEqual(table.map((r) => r[0]), Object.keys(CASE_RULES));
  for (const r of table) assert.deepEqual(yes(r.slice(1, 7), roles).sort(), [...CASE_RULES[r[0] as keyof typeof CASE_RULES].who].sort(), r[0]);
});

test('the global-action table lists every action outside a case with its roles', () => {
  const table = rows('global-actions');
  const roles = ['admin', 'member', 'external', 'downstream', 'anonymous', 'system'];
  assert.deepEqual(table.map((r) => r[0]), Object.keys(GLOBAL_RULES));
  for (const r of table) assert.deepEqual(yes(r.slice(1), roles).sort(), [...GLOBAL_RULES[r[0] as keyof typeof GLOBAL_RULES].who].sort(), r[0]);
});

test('the transition table is the state machine', () => {
  assert.deepEqual(
    rows('transitions').map((r) => r.join(' ')),
    TRANSITIONS.map((t) => `${t.from} ${t.to} ${t.by.join(', ')}${t.via ? ' (publish command)' : ''}`),
  );
});
