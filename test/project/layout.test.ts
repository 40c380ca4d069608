import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { projectPath } from '../helpers/paths.js';

const sources = readdirSync(projectPath('src'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.ts'))
  .map((f) => path.join('src', f));

test('only src/paths.ts locates package files from import.meta.url (the CLI runs from a one-file bundle)', () => {
  const offenders = sources.filter((f) => f !== path.join('src', 'paths.ts') && readFileSync(projectPath(f), 'utf8').includes('import.meta.url'));
  assert.deepEqual(offenders, []);
});

test('the product never reads the shared folder beside the checkout at run time', () => {
  const offenders = sources.filter((f) => /\.\.\/shared\b|['"]\.\.['"]\s*,\s*['"]shared['"]/.test(readFileSync(projectPath(f), 'utf8')));
  assert.deepEqual(offenders, []);
});

test('no test, bench or script reads the shared/ folder beside our checkout (a clone has none)', () => {
  const files = ['test', 'bench', 'scripts'].flatMap((d) =>
    readdirSync(projectPath(d), { recursive: true, encoding: 'utf8' })
      .filter((f) => /\.(ts|js|mjs)$/.test(f))
      .map((f) => path.join(d, f)));
  // the environment variable's name is built so that this file does not name it itself
  const names = new RegExp(`\\.\\./shared\\b|['"]\\.\\.['"]\\s*,\\s*['"]shared['"]|${'CPANSEC_' + 'SHARED'}`);
  const offenders = files.filter((f) => f !== path.join('test', 'project', 'layout.test.ts') && names.test(readFileSync(projectPath(f), 'utf8')));
  assert.deepEqual(offenders, []);
});

test("a part imports another only through its index.ts (or a sub-part's), as DESIGN's dependency rule says", () => {
  const partOf = (f: string) => f.split(path.sep)[1]!.replace(/\.ts$/, '');
  const offenders: string[] = [];
  for (const f of sources) {
    for (const m of readFileSync(projectPath(f), 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const target = path.normalize(path.join(path.dirname(f), m[1]!)).replace(/\.js$/, '.ts');
      const [from, to] = [partOf(f), partOf(target)];
      if (from === to || to === 'errors' || to === 'paths' || to === 'input-file') continue;
      const inside = path.relative(path.join('src', to), target).split(path.sep);
      const viaIndex = inside.at(-1) === 'index.ts' && inside.length <= 2;
      if (!viaIndex) offenders.push(`${f} -> ${target}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test('the pure parts never import the outer ones (perl, advisory, index, audit know nothing of store, server, cli)', () => {
  const order = ['perl', 'advisory', 'index', 'audit'];
  const outer = ['store', 'server', 'cli', 'publish', 'sbom', 'disclosure', 'provenance'];
  const offenders: string[] = [];
  for (const f of sources) {
    const from = f.split(path.sep)[1]!;
    if (!order.includes(from)) continue;
    for (const m of readFileSync(projectPath(f), 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const to = path.normalize(path.join(path.dirname(f), m[1]!)).split(path.sep)[1]!;
      if (outer.includes(to) || order.indexOf(to) > order.indexOf(from)) offenders.push(`${f} -> ${to}`);
    }
  }
  assert.deepEqual(offenders, []);
});
