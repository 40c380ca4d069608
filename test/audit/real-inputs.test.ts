/**
 * False "clean" answers and false findings on real inputs (issue 10): each case is a real file or
 * tree (see test/fixtures/snapshots/README.md and test/fixtures/installed/README.md).
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { projectPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

interface JsonDep {
  name: string;
  distribution?: string;
  version?: string;
  range?: string;
  status: string;
  notes: string[];
  sources: string[];
  advisories: { id: string; affected_versions_admitted?: string[] }[];
}
interface JsonReport {
  summary: Record<string, number>;
  dependencies: JsonDep[];
}

const json = (args: string[], cwd?: string): { status: number | null; report: JsonReport; stderr: string } => {
  const r = cli([...args, '--format', 'json'], cwd ? { cwd } : {});
  return { status: r.status, report: r.stdout ? (JSON.parse(r.stdout) as JsonReport) : ({} as JsonReport), stderr: r.stderr };
};

const librecat = projectPath('test', 'fixtures', 'snapshots', 'librecat');
const debianTree = projectPath('test', 'fixtures', 'installed', 'debian', 'perl5');
const tmp = tempDir('real-inputs');

test('IO-Compress, which perl ships but the LibreCat lock does not, is audited at the version perl 5.36.0 ships (2.106), once', () => {
  const { report, stderr } = json(['audit', 'deps', librecat, '--perl', '5.36']);
  const io = report.dependencies.filter((d) => d.distribution === 'IO-Compress');
  assert.equal(io.length, 1, `one finding, not one per requirement: ${JSON.stringify(io.map((d) => d.range ?? d.version))} ${stderr}`);
  assert.equal(io[0]!.version, '2.106');
  assert.equal(io[0]!.range, undefined);
  assert.match(io[0]!.notes.join('\n'), /IO-Compress 2\.106 as perl 5\.36\.0 ships it .*of its modules/);
  // CVE-2016-1238 (fixed in 2.070 and long before 2.106) is not reported against it
  assert.ok(!io[0]!.advisories.some((a) => /2016-1238/.test(a.id)), JSON.stringify(io[0]!.advisories.map((a) => a.id)));
  // and at perl 5.42.0's version (2.213) when that is the perl in use
  const newer = json(['audit', 'deps', librecat, '--perl', '5.42']).report.dependencies.find((d) => d.distribution === 'IO-Compress');
  assert.equal(newer?.version, '2.213');
});

test('the same resolution serves any consumer of the index: a distribution is resolved through the modules it ships', async () => {
  const { loadBundledDatabase, shippedDistributionVersion, VulnerabilityIndex } = await import('../../src/index/index.js');
  const { coreVersion } = await import('../../src/perl/index.js');
  const index = new VulnerabilityIndex(loadBundledDatabase());
  assert.deepEqual(shippedDistributionVersion(index, 'IO-Compress', (m) => coreVersion(m, '5.36'))?.version, '2.106');
  assert.deepEqual(shippedDistributionVersion(index, 'Storable', (m) => coreVersion(m, '5.36')), { version: '3.26', from: 'Storable' });
  assert.equal(shippedDistributionVersion(index, 'DBI', (m) => coreVersion(m, '5.36')), undefined, 'DBI is not core');
  assert.equal(shippedDistributionVersion(index, 'perl', (m) => coreVersion(m, '5.36')), undefined);
});

test("audit installed finds the modules of Debian's tree in its version subdirectory (5.36/DBI.pm), and of a Carton local/", () => {
  const debian = json(['audit', 'installed', debianTree, '--perl', '5.36']);
  assert.equal(debian.status, 1, debian.stderr);
  const names = debian.report.dependencies.map((d) => d.name).sort();
  assert.deepEqual(names, ['Clone', 'DBI', 'HTML::Parser']);
  assert.ok(!names.some((n) => n.startsWith('5.36')));
  const dbi = debian.report.dependencies.find((d) => d.name === 'DBI')!;
  assert.equal(dbi.version, '1.643');
  assert.equal(dbi.status, 'vulnerable');
  // DBD::File 0.45 ships in DBI: covered by DBI.pm, never DBI at version 0.45
  assert.ok(!debian.report.dependencies.some((d) => d.version === '0.45'));

  // a user passing local instead of local/lib/perl5; modules under the archname directory
  const local = path.join(tmp, 'project', 'local');
  cpSync(path.join(debianTree, '5.36'), path.join(local, 'lib', 'perl5', 'x86_64-linux-gnu-thread-multi'), { recursive: true });
  const carton = json(['audit', 'installed', local, '--perl', '5.36']);
  assert.deepEqual(carton.report.dependencies.map((d) => d.name).sort(), ['Clone', 'DBI', 'HTML::Parser']);
});

test('a directory that yields no module at all is an error (exit 2), never "0 dependencies"', () => {
  const stray = path.join(tmp, 'stray');
  mkdirSync(path.join(stray, 'share', '5.30.0'), { recursive: true });
  writeFileSync(path.join(stray, 'share', '5.30.0', 'notes.pm'), readFileSync(path.join(debianTree, '5.36', 'Clone.pm')));
  for (const dir of [stray, projectPath('docs')]) {
    const r = cli(['audit', 'installed', dir]);
    assert.equal(r.status, 2, `${dir}: ${r.stdout}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^cpansec: .*not a module tree/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
});

test("audit module DBD::File 0.44: a submodule's own version is not DBI's; reported not checked with the reason, no DBI advisory", () => {
  const r = json(['audit', 'module', 'DBD::File', '0.44', '--perl', '5.36']);
  assert.equal(r.status, 0, r.stderr);
  const [dep] = r.report.dependencies;
  assert.equal(dep!.status, 'unchecked');
  assert.equal(dep!.advisories.length, 0);
  assert.match(dep!.notes.join('\n'), /0\.44 is the version of the module DBD::File, not of DBI/);
  assert.equal(r.report.summary.unchecked, 1);
  // the main module's version is the distribution's
  assert.equal(json(['audit', 'module', 'DBI', '1.643', '--perl', '5.36']).report.dependencies[0]!.status, 'vulnerable');
  // and a module whose version is a release of its distribution (IO::Compress::Gzip 2.106 in IO-Compress 2.106)
  assert.equal(json(['audit', 'module', 'IO::Compress::Gzip', '2.106', '--perl', '5.36']).report.dependencies[0]!.version, '2.106');
});

test('one unversioned pathname (a local tarball) in the real LibreCat lock leaves that entry unchecked; the rest is audited', () => {
  const dir = path.join(tmp, 'local-tarball');
  mkdirSync(dir);
  const text = readFileSync(path.join(librecat, 'cpanfile.snapshot'), 'utf8');
  const edited = text.replace(/^ {2}DBI-1\.633\n {4}pathname: \S+$/m, '  DBI-1.633\n    pathname: /home/librecat/vendor/DBI.tar.gz');
  assert.notEqual(edited, text);
  writeFileSync(path.join(dir, 'cpanfile.snapshot'), edited);
  const r = json(['audit', 'deps', dir, '--perl', '5.36']);
  assert.equal(r.status, 1, r.stderr);
  const dbi = r.report.dependencies.find((d) => d.distribution === 'DBI')!;
  assert.equal(dbi.status, 'unchecked');
  assert.match(dbi.notes.join('\n'), /path without a version \(\/home\/librecat\/vendor\/DBI\.tar\.gz\)/);
  assert.ok(r.report.summary.vulnerable! > 10, 'the rest of the lock is audited');
});

test('a range names each advisory once: DBD-SQLite >= 0 (one id in 74 entries of the data)', () => {
  const r = json(['audit', 'dist', 'DBD-SQLite', '>= 0']);
  const ids = r.report.dependencies[0]!.advisories.map((a) => a.id);
  assert.equal(ids.length, new Set(ids).size, ids.join(' '));
  const merged = r.report.dependencies[0]!.advisories.find((a) => a.id === 'CPANSA-DBD-SQLite-2020-13632-sqlite')!;
  assert.ok(merged.affected_versions_admitted!.length > 70);
  const sarif = JSON.parse(cli(['audit', 'dist', 'DBD-SQLite', '>= 0', '--format', 'sarif']).stdout) as { runs: { results: { partialFingerprints: Record<string, string> }[] }[] };
  const prints = sarif.runs[0]!.results.map((x) => x.partialFingerprints['cpansec/v1']);
  assert.equal(prints.length, new Set(prints).size);
});
