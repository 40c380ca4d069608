import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { projectPath } from '../helpers/shared.js';

const sources = readdirSync(projectPath('src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join('src', f));

test('only src/paths.ts locates package files from import.meta.url (the CLI runs from a one-file bundle)', () => {
  const offenders = sources.filter((f) => f !== path.join('src', 'paths.ts') && readFileSync(projectPath(f), 'utf8').includes('import.meta.url'));
  assert.deepEqual(offenders, []);
});

test('the product never reads ../shared at run time', () => {
  const offenders = sources.filter((f) => /\.\.\/shared\b|['"]\.\.['"]\s*,\s*['"]shared['"]/.test(readFileSync(projectPath(f), 'utf8')));
  assert.deepEqual(offenders, []);
});
