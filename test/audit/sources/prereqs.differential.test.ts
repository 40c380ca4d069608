import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Dependency } from '../../../src/audit/index.js';
import { readSourceFile } from '../../../src/audit/sources/index.js';
import { parseVersion } from '../../../src/perl/index.js';
import { projectPath } from '../../helpers/paths.js';

/** A requirement as a set of clauses: `1.2` and `>= 1.2` are one, `0` is no clause at all. */
function normalise(range: string): string {
  return range
    .split(',')
    .map((c) => c.trim().replace(/^(>=|<=|==|!=|>|<)\s*/, '$1 '))
    .map((c) => (/^[<>=!]/.test(c) ? c : `>= ${c}`))
    .filter((c) => c !== '>= 0' && c !== '>= ')
    // 2.0.1 and v2.0.1 are one version: compare version.pm's normal forms
    .map((c) => c.replace(/ (\S+)$/, (_, v: string) => ` ${parseVersion(v).normal()}`))
    .sort()
    .join(', ');
}

function ours(file: string): string[] {
  const grouped = new Map<string, string[]>();
  for (const d of readSourceFile(file) as Dependency[]) {
    const key = JSON.stringify([d.feature ?? '', d.phase ?? 'runtime', d.relationship ?? 'requires', d.name]);
    grouped.set(key, [...(grouped.get(key) ?? []), d.range ?? '0']);
  }
  return [...grouped].map(([key, ranges]) => `${key} ${normalise(ranges.join(','))}`).sort();
}

function theirs(kind: 'cpanfile' | 'meta', file: string): string[] {
  return execFileSync('perl', [projectPath('test', 'audit', 'oracle', 'prereqs.pl'), kind, file])
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [feature, phase, rel, module, range] = JSON.parse(line) as string[];
      return `${JSON.stringify([feature, phase, rel, module])} ${normalise(range!)}`;
    })
    .sort();
}

const cpanfiles = ['test/fixtures/meta/synthetic.cpanfile', 'test/fixtures/snapshots/metacpan-api.cpanfile'];
const metas = ['test/fixtures/meta/Moops-0.022.META.json', 'test/fixtures/meta/Test-CVE-0.01.META.yml', 'test/fixtures/meta/Synthetic-1.4.META.yml'];

test('cpanfiles read statically give the prerequisites Module::CPANfile gives', () => {
  for (const f of cpanfiles) {
    const file = projectPath(f);
    // readSourceFile tells the kind by name: name the copy as a cpanfile
    const expected = theirs('cpanfile', file);
    assert.ok(expected.length > 10, f);
    assert.deepEqual(ours(file), expected, f);
  }
});

test('META.json (spec 2) and META.yml (spec 1.4) give the prerequisites CPAN::Meta gives', () => {
  for (const f of metas) {
    const file = projectPath(f);
    assert.deepEqual(ours(file), theirs('meta', file), f);
  }
});

test('every dependency of a cpanfile names its line', () => {
  const file = projectPath('test/fixtures/meta/synthetic.cpanfile');
  const lines = readFileSync(file, 'utf8').split('\n');
  for (const d of readSourceFile(file)) {
    assert.ok(d.source.line, d.name);
    assert.ok(lines[d.source.line! - 1]!.includes(d.name.split('::')[0]!), `${d.name} at line ${d.source.line}`);
  }
});
