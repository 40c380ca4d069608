import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { readInstalled, readSourceFile, readSources } from '../../../src/audit/sources/index.js';
import { parseSnapshot, snapshotDependencies } from '../../../src/audit/sources/snapshot.js';
import { cli } from '../../helpers/cli.js';
import { projectPath } from '../../helpers/paths.js';
import { tempDir } from '../../helpers/temp.js';

const tmp = () => tempDir('src');
const write = (dir: string, rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
  return path.join(dir, rel);
};

test('the real 369-distribution snapshot of metacpan-api reads whole, requirement ranges included', () => {
  const file = projectPath('test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile.snapshot');
  const deps = readSourceFile(file);
  assert.equal(deps.length, 369);
  const fastly = parseSnapshot(readFileSync(file, 'utf8'), file).distributions.find((d) => d.distribution === 'Net-Fastly')!;
  assert.ok(fastly.requirements.some((r) => r.module === 'IO::Socket::SSL' && r.version === '!= 1.38'));
  const mojo = deps.find((d) => d.name === 'Mojolicious');
  assert.ok(mojo?.version && mojo.pathname?.startsWith('S/SR/SRI/Mojolicious-'));
});

test('section lines read the same whether plain or not: CRLF, trailing spaces, comments, undef, ranges with spaces', () => {
  const text = [
    '# carton snapshot format: version 1.0',
    'DISTRIBUTIONS',
    '  Foo-1.0',
    '    pathname: F/FO/FOO/Foo-1.0.tar.gz',
    '    provides:',
    '      Foo 1.0',
    '      Foo::Old undef',
    '      # a comment among them',
    '      Foo::Pad 2.5   ',
    '    requirements:',
    '      Bar >= 1.2, < 2   ',
    '      perl 5.008',
    '',
    '      Baz   0',
    '  Qux-2.0\r',
    '    pathname: Q/QU/QUX/Qux-2.0.tar.gz\r',
    '    provides:\r',
    '      Qux 2.0\r',
    '    requirements:\r',
    '      Bar != 1.5\r',
  ].join('\n');
  const [foo, qux] = parseSnapshot(text, 'snap').distributions;
  assert.deepEqual(foo!.provides, [{ module: 'Foo', version: '1.0' }, { module: 'Foo::Old' }, { module: 'Foo::Pad', version: '2.5' }]);
  assert.deepEqual(foo!.requirements, [
    { module: 'Bar', version: '>= 1.2, < 2', line: 11 },
    { module: 'perl', version: '5.008', line: 12 },
    { module: 'Baz', version: '0', line: 14 },
  ]);
  assert.equal(qux!.line, 15);
  assert.deepEqual(qux!.provides, [{ module: 'Qux', version: '2.0' }]);
  assert.deepEqual(qux!.requirements, [{ module: 'Bar', version: '!= 1.5', line: 20 }]);
  // a line that is not 'Module version' stops the read at its own line, also inside a plain block
  assert.throws(() => parseSnapshot(text.replace('      Foo::Pad 2.5   ', '      Foo::Pad 2.5 extra'), 'snap'), { code: 'PARSE_ERROR', message: /snap:9: .*expected 'Module version'/ });
});

test('a malformed snapshot is an error naming file and line', () => {
  const cases: [string, RegExp][] = [
    ['DISTRIBUTIONS\n', /snap:1: .*carton snapshot format/],
    ['# carton snapshot format: version 1.0\nDISTRIBUTIONS\n  Foo-1.0\n    pathname: F/FO/FOO/Foo-1.0.tar.gz\n    colour: blue\n', /snap:5: .*unknown key 'colour: blue'/],
    ['# carton snapshot format: version 1.0\nDISTRIBUTIONS\n  Foo-1.0\n     pathname: x\n', /snap:4: .*indentation/],
    ['# carton snapshot format: version 1.0\nDISTRIBUTIONS\n  Foo-1.0\n    provides:\n      Foo 1.0\n', /snap:3: .*no pathname/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => snapshotDependencies(parseSnapshot(text, 'snap')), { code: 'PARSE_ERROR', message }, text);
  }
});

test('a META file that is not JSON or YAML, and a file of no known kind, are errors naming the file', () => {
  const dir = tmp();
  assert.throws(() => readSourceFile(write(dir, 'META.json', '{"name": "x",')), { code: 'PARSE_ERROR', message: /META\.json(:\d+)?: / });
  assert.throws(() => readSourceFile(write(dir, 'META.yml', 'name: [unclosed\n')), { code: 'PARSE_ERROR', message: /META\.yml:\d+: / });
  assert.throws(() => readSourceFile(write(dir, 'Makefile.PL', 'use ExtUtils::MakeMaker;')), { code: 'USAGE' });
});

test('a directory prefers the snapshot over the cpanfile over META files', () => {
  const dir = tmp();
  write(dir, 'META.json', '{"name":"X","version":"1","meta-spec":{"version":2},"prereqs":{"runtime":{"requires":{"DBI":"1.0"}}}}');
  assert.deepEqual(readSources(dir).inputs, [path.join(dir, 'META.json')]);
  write(dir, 'cpanfile', "requires 'DBI', '1.0';\n");
  assert.deepEqual(readSources(dir).inputs, [path.join(dir, 'cpanfile')]);
});

test('an installed tree: versions read from the .pm files, install records win for their modules', () => {
  const lib = tmp();
  write(lib, 'Mojolicious.pm', "package Mojolicious;\nuse Mojo::Base -base;\nour $VERSION = '9.30';\n1;\n");
  write(lib, 'Mojo/DOM.pm', 'package Mojo::DOM;\n1;\n');
  write(lib, 'DBI.pm', "package DBI;\nour $XS_VERSION = our $VERSION = \"1.643\";\n$VERSION = eval $VERSION;\n");
  write(lib, 'x86_64-linux/.meta/Plack-1.0029/install.json', JSON.stringify({ name: 'Plack', dist: 'Plack-1.0029', version: '1.0029', pathname: 'M/MI/MIYAGAWA/Plack-1.0029.tar.gz', provides: { Plack: {} } }));
  write(lib, 'Plack.pm', "package Plack;\nour $VERSION = '1.0029';\n");
  // cpanm names the module it was asked for: the distribution comes from the CPAN path
  write(lib, 'x86_64-linux/.meta/libwww-perl-6.08/install.json', JSON.stringify({ name: 'LWP', target: 'LWP', dist: 'libwww-perl-6.08', version: '6.08', pathname: 'M/MS/MSCHILLI/libwww-perl-6.08.tar.gz', provides: { LWP: { version: '6.08' } } }));
  const deps = readInstalled([lib]);
  const byName = new Map(deps.map((d) => [d.name, d]));
  assert.equal(byName.get('Mojolicious')?.version, '9.30');
  assert.equal(byName.get('DBI')?.version, '1.643');
  assert.equal(byName.get('Plack')?.kind, 'distribution', 'from the install record');
  assert.equal(byName.get('libwww-perl')?.version, '6.08');
  assert.ok(!byName.has('LWP'));
  assert.ok(!deps.some((d) => d.name === 'Mojo::DOM'), 'a module without a version says nothing');

  const r = cli(['audit', 'installed', lib, '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  const report = JSON.parse(r.stdout) as { dependencies: { distribution: string; version: string; advisories: unknown[] }[] };
  for (const d of ['Mojolicious', 'DBI', 'Plack', 'libwww-perl']) {
    assert.ok(report.dependencies.find((x) => x.distribution === d)!.advisories.length > 0, d);
  }
});

test('audit installed on something that is not a module tree is an error, never "no vulnerabilities"', () => {
  const empty = tmp();
  for (const target of [empty, path.join(empty, 'missing'), write(empty, 'file.pm.txt', 'x')]) {
    const r = cli(['audit', 'installed', target]);
    assert.equal(r.status, 2, target);
    assert.match(r.stderr, /^cpansec: /);
    assert.equal(r.stdout, '');
  }
});

test('an installed tree: a submodule\'s own $VERSION never stands for its distribution\'s', () => {
  const lib = tmp();
  write(lib, 'DBI.pm', "package DBI;\nour $VERSION = '1.652';\n");
  write(lib, 'DBD/File.pm', "package DBD::File;\nour $VERSION = '0.44';\n");
  const both = JSON.parse(cli(['audit', 'installed', lib, '--format', 'json']).stdout) as { dependencies: { distribution: string; version?: string; status: string }[] };
  assert.deepEqual(both.dependencies.filter((d) => d.distribution === 'DBI').map((d) => [d.version, d.status]), [['1.652', 'clean']]);

  const partial = tmp();
  write(partial, 'DBD/File.pm', "package DBD::File;\nour $VERSION = '0.44';\n");
  write(partial, 'Mojolicious.pm', "package Mojolicious;\nour $VERSION = sprintf '%s', $Some::Thing;\n");
  const r = cli(['audit', 'installed', partial, '--format', 'json']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { dependencies: { distribution: string; status: string; notes: string[]; advisories: unknown[] }[] };
  const dbi = report.dependencies.find((d) => d.distribution === 'DBI')!;
  assert.equal(dbi.status, 'unchecked');
  assert.equal(dbi.advisories.length, 0);
  assert.match(dbi.notes.join(' '), /without DBI's main module DBI/);
  const mojo = report.dependencies.find((d) => d.distribution === 'Mojolicious')!;
  assert.equal(mojo.status, 'unchecked');
  assert.match(mojo.notes.join(' '), /cannot be read statically/);
  assert.match(cli(['audit', 'installed', partial]).stdout, /2 .*not checked/);
});

test('in a Carton project, modules the lock does not provide (core, dual-life) are audited from the cpanfile', () => {
  const dir = tmp();
  write(dir, 'cpanfile', "requires 'File::Temp';\nrequires 'Try::Tiny', '0.30';\n");
  write(dir, 'cpanfile.snapshot', '# carton snapshot format: version 1.0\nDISTRIBUTIONS\n  Try-Tiny-0.30\n    pathname: E/ET/ETHER/Try-Tiny-0.30.tar.gz\n    provides:\n      Try::Tiny 0.30\n    requirements:\n      Exporter 5.57\n      File::Temp 0.19\n');
  const { inputs, dependencies } = readSources(dir);
  assert.deepEqual(inputs.map((f) => path.basename(f)), ['cpanfile.snapshot', 'cpanfile']);
  const temp = dependencies.find((d) => d.name === 'File::Temp')!;
  assert.equal(temp.source.file, path.join(dir, 'cpanfile'), 'the cpanfile names it: its line wins');
  assert.equal(temp.source.line, 1);
  assert.ok(dependencies.some((d) => d.name === 'Exporter' && d.range === '5.57' && d.source.line === 8));
  assert.ok(!dependencies.some((d) => d.name === 'Try::Tiny'), 'locked: audited as Try-Tiny 0.30');
  const r = cli(['audit', 'deps', dir, '--format', 'json']);
  const report = JSON.parse(r.stdout) as { dependencies: { name: string; status: string; advisories: { id: string }[] }[] };
  assert.ok(report.dependencies.find((d) => d.name === 'File::Temp')!.advisories.some((a) => a.id === 'CPANSA-File-Temp-2011-4116'));
  assert.equal(r.status, 1);
  // not locked: the version the perl in use ships (Module::CoreList: perl 5.10.1 ships File::Temp 0.22)
  const old = JSON.parse(cli(['audit', 'deps', dir, '--perl', '5.10.1', '--format', 'json']).stdout) as { perl: { version: string; source: string }; dependencies: { name: string; version?: string; notes: string[] }[] };
  assert.deepEqual(old.perl, { version: '5.10.1', source: '--perl' });
  const temp510 = old.dependencies.find((d) => d.name === 'File::Temp')!;
  assert.equal(temp510.version, '0.22');
  assert.match(temp510.notes.join(' '), /as perl 5\.10\.1 ships it/);
  assert.equal(cli(['audit', 'deps', dir, '--perl', '5.99']).status, 2, 'a perl the data does not know is an error');
});
