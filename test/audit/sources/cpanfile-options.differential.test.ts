/**
 * cpanfile requirement options (git, ref, dist, mirror, url) read as the real Module::CPANfile reads
 * them: `requires MODULE [, VERSION] [, KEY => VALUE …]` — a version only when the arguments after
 * the module are odd in number, otherwise version 0 and options only.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parseCpanfile } from '../../../src/audit/sources/cpanfile.js';
import { projectPath } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/temp.js';

type Row = [string, string, string, string, string, Record<string, string>];

/** Module::CPANfile's requirements of each file, in one perl run. */
function theirs(files: string[]): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  let current: Row[] = [];
  const lines = execFileSync('perl', [projectPath('test', 'audit', 'oracle', 'cpanfile-requirements.pl'), ...files]).toString().split('\n');
  for (const line of lines.filter(Boolean)) {
    if (line.startsWith('# ')) out.set(line.slice(2), (current = []));
    else current.push(JSON.parse(line) as Row);
  }
  return out;
}

function ours(file: string, text: string): Row[] {
  return parseCpanfile(text, file)
    .map((d): Row => [d.feature ?? '', d.phase ?? 'runtime', d.relationship ?? 'requires', d.name, d.range ?? '0', { ...d.options }])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)); // the oracle lists features in name order, each in file order
}

const CASES: Record<string, string> = {
  'git and ref, no version': "requires 'Foo::Bar', git => 'https://github.com/x/y.git', ref => 'main';\n",
  'git only': "requires 'Foo::Bar', git => 'git@github.com:x/y.git';\n",
  'version then dist': "requires 'Plack', '1.0047', dist => 'MIYAGAWA/Plack-1.0047.tar.gz';\n",
  'number version then url': "requires 'Plack', 1.0047, url => 'https://cpan.example/authors/id/M/MI/MIYAGAWA/Plack-1.0047.tar.gz';\n",
  'range then mirror and dist': "requires 'DBI', '>= 1.643, < 2', mirror => 'https://darkpan.example/', dist => 'TIMB/DBI-1.643.tar.gz';\n",
  'dist without version': "recommends 'JSON::XS', dist => 'MLEHMANN/JSON-XS-4.03.tar.gz';\n",
  'an option named version': "requires 'Moo', version => '2.004', git => 'https://github.com/moose/Moo.git';\n",
  'parenthesised, double quotes, multi-line': 'requires(\n  "Mojolicious",\n  git => "https://github.com/mojolicious/mojo.git",\n  ref => "v9.31",\n);\n',
  'barewords and q()': "requires 'Foo', q(1.5), git => q{https://x.example/foo.git}, ref => 'abc123';\n",
  'in phases and features': [
    "on test => sub {\n  requires 'Test2::Suite', git => 'https://github.com/Test-More/Test2-Suite.git', ref => 'master';\n};",
    "test_requires 'Test::Deep', '1.130', dist => 'RJBS/Test-Deep-1.130.tar.gz';",
    "author_requires 'Perl::Critic', mirror => 'https://cpan.metacpan.org/';",
    "feature 'pg', 'PostgreSQL' => sub {\n  requires 'DBD::Pg', git => 'https://github.com/bucardo/dbdpg.git', ref => '3.16.0';\n  recommends 'DBIx::Class', '0.082843';\n};",
    "configure_requires 'Module::Build::Tiny';",
    '',
  ].join('\n'),
  'plain requirements stay as they were': "requires 'A';\nrequires 'B', '1.2';\nrequires 'C', '';\nrequires 'D', 0;\nconflicts 'E', '< 1.0';\n",
};

test('git/ref/dist/mirror/url options: version and options as Module::CPANfile records them', () => {
  const dir = tempDir('cpanfile-options');
  const files = Object.entries(CASES).map(([name, text]) => {
    const file = path.join(dir, `${name.replace(/\W+/g, '-')}.cpanfile`);
    writeFileSync(file, text);
    return { name, text, file };
  });
  const oracle = theirs(files.map((f) => f.file));
  for (const { name, text, file } of files) {
    const expected = oracle.get(file) ?? [];
    assert.ok(expected.length > 0, name);
    assert.deepEqual(ours(file, text), expected, name);
  }
});

test('a requirement with options but no version is any version, never a range named after an option', () => {
  const deps = parseCpanfile("requires 'Foo::Bar', git => 'https://github.com/x/y.git', ref => 'main';\n", 'cpanfile');
  assert.deepEqual(deps.map((d) => [d.name, d.range, d.options]), [['Foo::Bar', '0', { git: 'https://github.com/x/y.git', ref: 'main' }]]);
});
