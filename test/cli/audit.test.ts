import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { projectPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

const fixture = (...p: string[]) => projectPath('test', 'fixtures', 'cli', ...p);

test('audit deps on a vulnerable snapshot exits 1 and names the advisory, the line and the fix', () => {
  const r = cli(['audit', 'deps', fixture('project')]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /Mojolicious 9\.30/);
  assert.match(r.stdout, /CPANSA-Mojolicious-2022-03/);
  assert.match(r.stdout, /cpanfile\.snapshot:3/);
  assert.match(r.stdout, /fix: upgrade to Mojolicious \S+ or later/);
  assert.doesNotMatch(r.stdout, /\u001b\[/, 'no colour when not a TTY');
});

test('--format json is the documented report, --exit-zero exits 0', () => {
  const r = cli(['audit', 'deps', fixture('project', 'cpanfile.snapshot'), '--format', 'json', '--exit-zero']);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.format, 'cpansec-audit');
  const mojo = report.dependencies.find((d: { distribution: string }) => d.distribution === 'Mojolicious');
  assert.equal(mojo.version, '9.30');
  assert.equal(mojo.source, `${fixture('project', 'cpanfile.snapshot')}:3`);
  assert.ok(mojo.advisories.some((a: { id: string; fixed: string[] }) => a.id === 'CPANSA-Mojolicious-2022-03' && a.fixed[0] === '>=9.31'));
  assert.ok(mojo.remediation.upgrade_to);
  const tiny = report.dependencies.find((d: { distribution: string }) => d.distribution === 'Try-Tiny');
  assert.equal(tiny.status, 'unlisted');
});

test('a clean cpanfile exits 0 and says how many dependencies were checked', () => {
  const r = cli(['audit', 'deps', fixture('clean')]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /No known vulnerabilities in \d+ dependencies/);
});

test('a cpanfile with a syntax error is one line naming file and line, exit 2, no stack trace', () => {
  const r = cli(['audit', 'deps', fixture('broken')]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^cpansec: .*cpanfile:2: /);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});

test('a directory with nothing to audit, or that does not exist, is an error, never "no vulnerabilities"', () => {
  for (const dir of [projectPath('docs'), projectPath('no-such-dir')]) {
    const r = cli(['audit', 'deps', dir]);
    assert.equal(r.status, 2, dir);
    assert.match(r.stderr, /^cpansec: /);
    assert.doesNotMatch(r.stdout, /No known vulnerabilities/);
  }
});

test('audit dist with an exact version and with a range; unknown distributions are errors', () => {
  assert.equal(cli(['audit', 'dist', 'Mojolicious', '9.31']).status, 1, '9.31 still has later advisories');
  const exact = cli(['audit', 'dist', 'Mojolicious', '9.30', '--format', 'json']);
  const ids = JSON.parse(exact.stdout).dependencies[0].advisories.map((a: { id: string }) => a.id);
  assert.ok(ids.includes('CPANSA-Mojolicious-2022-03'));
  const range = cli(['audit', 'dist', 'Mojolicious', '>= 9.31', '--format', 'json']);
  const rids = JSON.parse(range.stdout).dependencies[0].advisories.map((a: { id: string }) => a.id);
  assert.ok(!rids.includes('CPANSA-Mojolicious-2022-03'));
  const unknown = cli(['audit', 'dist', 'No-Such-Dist-Anywhere', '1.0']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /not in the advisory database/);
  assert.match(cli(['audit', 'dist', 'Mojo::DOM']).stderr, /is a module name/);
});

test('audit module resolves the distribution through the module map', () => {
  const r = cli(['audit', 'module', 'Mojo::DOM', '9.30', '--format', 'json']);
  assert.equal(r.status, 1, r.stderr);
  assert.equal(JSON.parse(r.stdout).dependencies[0].distribution, 'Mojolicious');
});

test('--batch answers many queries in one process, from a file or stdin', () => {
  const input = '# name version-or-range\nMojolicious 9.30\nMojolicious >= 9.31, < 9.32\n\nDBI 1.643\n';
  const r = cli(['audit', 'dist', '--batch', '-', '--format', 'json'], { input });
  assert.equal(r.status, 1, r.stderr);
  const deps = JSON.parse(r.stdout).dependencies;
  assert.equal(deps.length, 3);
  assert.deepEqual(deps.map((d: { source: string }) => d.source).sort(), ['<stdin>:2', '<stdin>:3', '<stdin>:5']);
  const bad = cli(['audit', 'dist', '--batch', '-'], { input: 'Mojolicious 9.30\n!!! nonsense\n' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /<stdin>:2: /);
});

test('SARIF output for code scanning', () => {
  const r = cli(['audit', 'deps', fixture('project'), '--format', 'sarif']);
  assert.equal(r.status, 1);
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  assert.ok(sarif.runs[0].results.length > 0);
});

test('usage errors exit 2', () => {
  assert.equal(cli(['audit', 'deps', '--format', 'xml']).status, 2);
  assert.equal(cli(['audit', 'nonsense']).status, 2);
  assert.equal(cli(['--version']).status, 0);
});

test('advisory lint reports every problem of the bundled data with file:line and counts', () => {
  const r = cli(['advisory', 'lint', '--format', 'json']);
  assert.equal(r.status, 1, 'the real data has errors (ids reused for other advisories)');
  const out = JSON.parse(r.stdout);
  assert.equal(out.files, 982);
  // the generated reports split one advisory over entries by range (a warning to merge them); a few
  // ids are reused for different advisories (an error)
  assert.ok(out.by_rule['split-advisory'] > 1000);
  assert.equal(out.by_rule['duplicate-id'], 4);
  assert.ok(out.by_rule['id-mismatch'] > 10);
  assert.ok(out.by_rule['free-text-severity'] > 5);
  for (const p of out.problems) assert.match(`${p.file}:${p.line}`, /\.yml:\d+$/);
});

test('a requirement is checked against the advisory ranges when the database lists no releases', () => {
  const mt = JSON.parse(cli(['audit', 'dist', 'MT', '>= 1.0', '--format', 'json']).stdout) as { dependencies: { status: string; notes: string[]; advisories: unknown[] }[] };
  assert.equal(mt.dependencies[0]!.status, 'vulnerable');
  assert.match(mt.dependencies[0]!.notes.join(' '), /lists no releases of MT/);
  // a directory of advisory files without releases.json lists no releases at all
  const r = cli(['audit', 'dist', 'Mojolicious', '>= 9.0', '--db', projectPath('data', 'cpansa')]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stdout, /CPANSA-Mojolicious-2022-03/);
  assert.equal(cli(['audit', 'dist', 'DBI', '>= 2.0', '--db', projectPath('data', 'cpansa')]).status, 0, 'no DBI advisory reaches 2.0');
});

test('asking for perl by name audits the interpreter; --include-perl audits the perl requirement', () => {
  const r = cli(['audit', 'dist', 'perl', '5.16.0', '--format', 'json']);
  assert.equal(r.status, 1);
  assert.ok((JSON.parse(r.stdout) as { dependencies: { advisories: unknown[] }[] }).dependencies[0]!.advisories.length > 10);
  const dir = tempDir('perl');
  writeFileSync(path.join(dir, 'cpanfile'), "requires 'perl', '5.016';\n");
  assert.equal(cli(['audit', 'deps', dir]).status, 0, 'perl is skipped by default');
  const withPerl = cli(['audit', 'deps', dir, '--include-perl', '--format', 'json']);
  assert.equal(withPerl.status, 1);
  assert.equal((JSON.parse(withPerl.stdout) as { dependencies: { distribution: string }[] }).dependencies[0]!.distribution, 'perl');
});

test('in a batch, names without advisories are reported as not in the database; a malformed line is an error', () => {
  const r = cli(['audit', 'dist', '--batch', '-', '--format', 'json'], { input: 'DBI 1.643\nMoose 2.2\n' });
  assert.equal(r.status, 1, r.stderr);
  const deps = (JSON.parse(r.stdout) as { dependencies: { name: string; status: string }[] }).dependencies;
  assert.equal(deps.find((d) => d.name === 'Moose')!.status, 'unlisted');
  assert.equal(cli(['audit', 'dist', '--batch', '-'], { input: 'DBI 1.643\n<junk>\n' }).status, 2);
  assert.equal(cli(['audit', 'dist', 'Moose', '2.2']).status, 2, 'a single query for an unknown name stays an error');
});

test('a requirement nobody can read is an error even for a module without advisories', () => {
  const dir = tempDir('range');
  writeFileSync(path.join(dir, 'cpanfile'), "requires 'Foo::Bar', '>= 1.0, garbage';\n");
  const r = cli(['audit', 'deps', dir]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cpanfile:1: Foo::Bar: invalid version range/);
});

test('--output onto a directory is refused and leaves nothing behind', () => {
  const dir = tempDir('out');
  const r = cli(['audit', 'dist', 'DBI', '1.643', '-o', dir]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /is a directory/);
  assert.deepEqual(readdirSync(path.dirname(dir)).filter((f) => f.startsWith(`${path.basename(dir)}.`)), []);
});

test('--output onto a FIFO or device writes into it and never replaces it with a file', async () => {
  // a rename over `-o /dev/null` as root would replace the machine's /dev/null with a plain file
  const dir = tempDir('fifo');
  const fifo = path.join(dir, 'pipe');
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
  const reader = spawn('sh', ['-c', `cat "${fifo}" > "${path.join(dir, 'read')}"`]);
  const done = new Promise((resolve) => reader.on('exit', resolve));
  const r = cli(['audit', 'dist', 'DBI', '1.643', '--format', 'json', '-o', fifo]);
  await done;
  assert.equal(r.status, 1, r.stderr);
  assert.ok(statSync(fifo).isFIFO(), 'the FIFO is still a FIFO');
  assert.equal((JSON.parse(readFileSync(path.join(dir, 'read'), 'utf8')) as { summary: { advisories: number } }).summary.advisories, 11);
  assert.deepEqual(readdirSync(dir).sort(), ['pipe', 'read']);
});

test('an error quoting hostile input shows its control characters escaped, one line', () => {
  const r = cli(['audit', 'dist', 'Evil\u001b[2J\u202eName', '1.0']);
  assert.equal(r.status, 2);
  assert.doesNotMatch(r.stderr, /[\u001b\u202e]/);
  assert.match(r.stderr, /Evil\\x1B\[2J\\u202EName/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
});
