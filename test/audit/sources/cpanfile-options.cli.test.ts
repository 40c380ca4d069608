import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

const CPANFILE = [
  "requires 'Mojolicious',",
  "    git => 'https://github.com/mojolicious/mojo.git', ref => 'main';",
  "requires 'DBI', '1.643', dist => 'TIMB/DBI-1.643.tar.gz';",
  '',
].join('\n');

test('audit deps reads `requires X, git => URL, ref => REF` as X at any version, not a range named git', () => {
  const dir = tempDir('cpanfile-git');
  writeFileSync(path.join(dir, 'cpanfile'), CPANFILE);
  const text = cli(['audit', 'deps', dir]);
  assert.equal(text.status, 1, text.stderr);
  assert.equal(text.stderr, '');
  assert.match(text.stdout, /^Mojolicious \(requirement any version\) {2}\S*cpanfile:1$/m);
  assert.match(text.stdout, /CPANSA-Mojolicious-2022-03/);
  assert.match(text.stdout, /^DBI \(requirement 1\.643\) {2}\S*cpanfile:3$/m);
  assert.doesNotMatch(text.stdout, /requirement (git|dist|https)/);

  const json = cli(['audit', 'deps', dir, '--format', 'json']);
  const deps = (JSON.parse(json.stdout) as { dependencies: { name: string; range: string; status: string }[] }).dependencies;
  const by = (name: string) => deps.find((d) => d.name === name)!;
  assert.deepEqual([by('Mojolicious').range, by('Mojolicious').status], ['0', 'vulnerable']);
  assert.deepEqual([by('DBI').range, by('DBI').status], ['1.643', 'vulnerable']);
});

test('a git requirement of a module without advisories is checked and clean, never an error', () => {
  const dir = tempDir('cpanfile-git-clean');
  writeFileSync(path.join(dir, 'cpanfile'), "requires 'Try::Tiny', git => 'https://github.com/p5sagit/Try-Tiny.git', ref => 'v0.31';\n");
  const r = cli(['audit', 'deps', dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /No known vulnerabilities in 1 dependenc/);
});
