import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseDistPath } from '../../src/perl/index.js';
import { projectPath, upstreamPath } from '../helpers/paths.js';
import { askOracle, seeded } from './oracle.js';

const UNDEF = '\\N';

/** Our answer in the oracle's layout (distname.pl): undefined and the empty "no dist" are perl's undef. */
function ours(pathname: string): string {
  const d = parseDistPath(pathname);
  const f = (v: string | undefined) => (v === undefined ? UNDEF : v);
  return [d.filename, f(d.cpanid), f(d.distvname), f(d.extension), d.dist === '' ? UNDEF : d.dist, f(d.version), d.maturity].join('\t');
}

/** The pathnames of the real Carton snapshot (the distributions of metacpan-api). */
function snapshotPaths(): string[] {
  const text = readFileSync(projectPath('test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile.snapshot'), 'utf8');
  return [...text.matchAll(/^\s+pathname: (\S+)$/gm)].map((m) => m[1]!);
}

/** Every file a real PAUSE CHECKSUMS file lists (ANDK's directory), as a CPAN path. */
function checksumsPaths(): string[] {
  const text = readFileSync(upstreamPath('data', 'pause-checksums', 'good'), 'utf8');
  return [...text.matchAll(/^ {2}'([^']+)' => \{$/gm)].map((m) => `A/AN/ANDK/${m[1]}`);
}

const PREFIXES = ['', 'A/AU/AUTHOR/', 'authors/id/A/AU/AUTHOR/', 'id/B/BA/BARNEY/', 'mirror/authors/id/C/CX/CX-99/',
  'a/ab/lower/', 'A/AB/ABC/sub/dir/', '//A//AU//AUTHOR//', 'A/AB/XY/', 'Z/ZZ/ZZ/', 'A/AU/AUTHOR-X1/', 'N/NO/'];
const NAMES = ['Foo', 'Foo-Bar', 'Foo-Bar-Baz', 'libwww-perl', 'CGI.pm', 'Task-Deprecations5_14', 'Unicode-Collate-Standard-V3_1_1',
  'perl', 'Acme-2', 'Foo_Bar', 'DBD-mysql', 'Crypt-OpenSSL-X509', 'Data-Dumper-v', 'X', 'mod_perl', 'foo.bar', 'Name+Plus',
  'Ärger-Modul', 'Foo-undef', 'HTML-Tree-v', 'IO-Socket-SSL', 'a1', '0'];
const VERSIONS = ['', '1.23', '1.23_01', '1.2.3', 'v1.2.3', '1.2.3_4', '0.01-TRIAL', '1.00-TRIAL2', '2.0-RC1', '1', '20', '1_01',
  '1.0a', '1.2-withoutworldwriteables', '5.36.0', '5.37.1', '5.8.8', '5.005_03', '0.03-1', 'undef', 'v1.2', '0.4.6-TRIAL',
  '1.02_03-TRIAL', 'V3_1_1-0.1', '1.23-ANDK-01', 'beta', '.5', '_1', '1e5', '00123'];
const SEPARATORS = ['-', '_', '.', '', '-v'];
const EXTENSIONS = ['.tar.gz', '.tgz', '.zip', '.tar.bz2', '.TAR.GZ', '.Zip', '.tar.Z', '.tar.z', '.tar', '.tar.xz', '.pm.gz', ''];
const PERLS = ['perl-5.37.1.tar.gz', 'perl5.005_03.tar.gz', 'perl-5.36.0-RC2.tar.bz2', 'perl-5.6.1-TRIAL1.tar.gz', 'perl-5.8.8.tar.gz',
  'perl-5.9.5.tar.gz', 'perl-5.10.1.tar.gz', 'perl-5.11.0.tar.gz', 'perl5.004_50.tar.gz', 'perl-5.99999999999999999999.tar.gz',
  'perl-5.12345678901234567890.tar.gz', 'perl-5.12345678901234567891.tar.gz', 'perl-5.18446744073709551616.tar.gz', 'perl-5.18446744073709551614.tar.gz',
  'perl-5.007.tar.gz', 'perl-5.36.0.tar.xz', 'perl-5.005_57.tar.gz', 'perl-5.6.0-RC1.tar.gz', 'S/SH/SHAY/perl-5.38.0-RC2.tar.gz'];

/** Tricky paths: every name with every version, every extension and prefix, and a seeded sample of all. */
function generatedPaths(): string[] {
  const out = [...PERLS];
  for (const n of NAMES) for (const v of VERSIONS) out.push(`A/AU/AUTHOR/${n}${v ? `-${v}` : ''}.tar.gz`);
  for (const p of PREFIXES) for (const e of EXTENSIONS) out.push(`${p}Foo-Bar-1.23${e}`);
  const rnd = seeded(42);
  const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)]!;
  while (out.length < 12_000) out.push(`${pick(PREFIXES)}${pick(NAMES)}${pick(SEPARATORS)}${pick(VERSIONS)}${pick(EXTENSIONS)}`);
  return out;
}

function disagreements(paths: string[]): { path: string; perl: string; ours: string }[] {
  const answers = askOracle('distname.pl', paths);
  return paths.map((p, i) => ({ path: p, perl: answers[i]!, ours: ours(p) })).filter((d) => d.perl !== d.ours);
}

test('parseDistPath agrees with CPAN::DistnameInfo on every path of the real snapshot', () => {
  const paths = snapshotPaths();
  assert.ok(paths.length > 300, 'the fixture has a few hundred distributions');
  assert.deepEqual(disagreements(paths), []);
});

test('parseDistPath agrees with CPAN::DistnameInfo on every file of a real PAUSE CHECKSUMS file', () => {
  const paths = checksumsPaths();
  assert.ok(paths.length > 90);
  assert.ok(paths.some((p) => p.endsWith('-TRIAL.tar.bz2')) && paths.some((p) => p.endsWith('.zip')) && paths.some((p) => p.endsWith('.meta')));
  assert.deepEqual(disagreements(paths), []);
});

test('parseDistPath agrees with CPAN::DistnameInfo on 12,000 generated tricky paths', () => {
  const paths = generatedPaths();
  const found = disagreements(paths);
  assert.deepEqual(found.slice(0, 10), [], `${found.length} disagreements`);
  // the generator must reach every answer shape: developer releases, no version, no archive, no author
  const answers = paths.map(ours);
  assert.ok(answers.some((a) => a.endsWith('\tdeveloper')));
  assert.ok(answers.some((a) => a.split('\t')[5] === UNDEF && a.split('\t')[4] !== UNDEF));
  assert.ok(answers.some((a) => a.split('\t')[2] === UNDEF));
  assert.ok(answers.some((a) => a.split('\t')[1] === UNDEF && a.split('\t')[4] !== UNDEF));
});
