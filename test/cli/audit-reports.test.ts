/** Reports and bounded input of `cpansec audit` (issue 10): batches, ignore files, SARIF, pipes, --db. */
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, linkSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { cli } from '../helpers/cli.js';
import { projectPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

const tmp = tempDir('audit-reports');

/** The CLI run from a directory outside the project (tsx named by its path: it is not resolvable there). */
function cliIn(cwd: string, args: string[], env: Record<string, string> = {}) {
  const tsx = import.meta.resolve('tsx');
  const r = spawnSync(process.execPath, ['--import', tsx, projectPath('test', 'helpers', 'cli-entry.ts'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CPANSEC_TODAY: '2026-11-24', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
const project = projectPath('test', 'fixtures', 'cli', 'project');

test('--batch: every bad line is named with its line number, the other lines are answered, exit 2 at the end', () => {
  const input = ['DBI 1.643', '=== broken', 'Mojolicious 9.30', 'DBI >= 1.0, <<< 2', 'Foo::Bar 1.0', 'DBI 1.2.3.4-x', 'No-Such-Dist 1.0', ''].join('\n');
  const r = cli(['audit', 'dist', '--batch', '-', '--format', 'json'], { input });
  assert.equal(r.status, 2, r.stderr);
  const report = JSON.parse(r.stdout) as { dependencies: { name: string; status: string; sources: string[] }[] };
  const answered = report.dependencies.map((d) => `${d.name}:${d.status}`).sort();
  assert.deepEqual(answered, ['DBI:vulnerable', 'Mojolicious:vulnerable', 'No-Such-Dist:unlisted']);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines[0]!, /^cpansec: <stdin>:2: expected 'NAME \[VERSION\|RANGE\]'/);
  assert.match(lines[1]!, /^cpansec: <stdin>:4: DBI: /);
  assert.match(lines[2]!, /^cpansec: <stdin>:5: 'Foo::Bar' is a module name/);
  assert.match(lines[3]!, /^cpansec: <stdin>:6: DBI: /);
  assert.match(lines[4]!, /4 invalid line\(s\) in <stdin>; the other lines were answered/);
  assert.equal(lines.length, 5);
  // a batch of good lines keeps the usual exit status
  assert.equal(cli(['audit', 'dist', '--batch', '-'], { input: 'DBI 1.643\n' }).status, 1);
});

test(".cpansec-ignore.yml is found in the audited project's directory; a rule for an id no advisory has is warned about", () => {
  const dir = path.join(tmp, 'ignored');
  mkdirSync(dir);
  copyFileSync(path.join(project, 'cpanfile.snapshot'), path.join(dir, 'cpanfile.snapshot'));
  const before = JSON.parse(cli(['audit', 'deps', dir, '--format', 'json']).stdout) as { summary: { ignored: number; advisories: number } };
  writeFileSync(
    path.join(dir, '.cpansec-ignore.yml'),
    'ignore:\n  - id: CPANSA-Mojolicious-2022-03\n    reason: we never parse untrusted HTML\n  - id: CPANSA-No-Such-2099-01\n    reason: typo\n',
  );
  // run from another directory: the project's own ignore file still applies
  const r = cliIn(tmp, ['audit', 'deps', dir, '--format', 'json', '--exit-zero']);
  const after = JSON.parse(r.stdout) as { summary: { ignored: number } };
  assert.ok(after.summary.ignored > before.summary.ignored, r.stdout.slice(0, 400));
  assert.match(r.stderr, /^cpansec: warning: .*\.cpansec-ignore\.yml:4: no advisory in the database has the id 'CPANSA-No-Such-2099-01'/m);
  assert.doesNotMatch(r.stderr, /CPANSA-Mojolicious-2022-03/);
});

test('SARIF of audit dist|module has a valid artifactLocation.uri (never "<command line>")', () => {
  for (const args of [['dist', 'DBI', '1.643'], ['module', 'DBI', '1.643']]) {
    const sarif = JSON.parse(cli(['audit', ...args, '--format', 'sarif']).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    for (const result of sarif.runs[0]!.results) {
      const { uri } = result.locations[0]!.physicalLocation.artifactLocation;
      assert.equal(uri, 'https://metacpan.org/dist/DBI');
      assert.doesNotThrow(() => new URL(uri));
    }
  }
  // a file path with a space is percent-encoded
  const dir = path.join(tmp, 'my project');
  mkdirSync(dir);
  copyFileSync(path.join(project, 'cpanfile.snapshot'), path.join(dir, 'cpanfile.snapshot'));
  const sarif = JSON.parse(cliIn(tmp, ['audit', 'deps', 'my project', '--format', 'sarif']).stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  assert.equal(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'my%20project/cpanfile.snapshot');
});

test('output piped into a reader that stops early ends quietly (status 0 or 141), no stack trace, in every command', async () => {
  const commands = [
    ['audit', 'dist', 'DBD-SQLite', '>= 0', '--format', 'json'],
    ['export', 'osv', '-o', '-'],
    ['advisory', 'lint', '--format', 'json'],
  ];
  for (const args of commands) {
    const { status, stderr } = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'cli-entry.ts'), ...args], { cwd: projectPath(), stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      // the reader takes one chunk, then goes away
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => resolve({ status: code, stderr: err }));
    });
    assert.ok(status === 0 || status === 141 || status === 1, `${args.join(' ')}: ${status}`);
    assert.doesNotMatch(stderr, /EPIPE|at .*\.(ts|js):\d+|Unhandled/, `${args.join(' ')}: ${stderr}`);
  }
});

test('--db URL: a body without end is cut at the size limit with a clear error', async () => {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = () => {
      while (res.write(chunk));
      res.once('drain', pump);
    };
    res.write('{"dists": {');
    pump();
    req.on('close', () => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'cli-entry.ts'), 'audit', 'dist', 'DBI', '1.643', '--db', `http://127.0.0.1:${port}/cpansa.json`], { cwd: projectPath() });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('close', (code) => resolve({ status: code, stderr: err }));
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^cpansec: http:\/\/127\.0\.0\.1:\d+\/cpansa\.json: cannot fetch the database: larger than \d+ bytes\n$/);
  } finally {
    server.close();
  }
});

test('a FIFO as --db, --ignore, --batch or the project is refused at once (exit 2), never a hang', () => {
  const fifo = path.join(tmp, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const cases = [
    ['audit', 'dist', 'DBI', '1.643', '--db', fifo],
    ['audit', 'dist', 'DBI', '1.643', '--ignore', fifo],
    ['audit', 'dist', '--batch', fifo],
    ['audit', 'deps', fifo],
  ];
  for (const args of cases) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^cpansec: .*fifo: .*FIFO/, args.join(' '));
  }
  // a project directory whose cpanfile.snapshot is a FIFO
  const dir = path.join(tmp, 'fifo-project');
  mkdirSync(dir);
  execFileSync('mkfifo', [path.join(dir, 'cpanfile.snapshot')]);
  const r = cli(['audit', 'deps', dir]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cpanfile\.snapshot: not a regular file/);
});

test("the perl on PATH is known from its versioned hard link (perl5.40.1, as Debian and perlbrew install it) without running it", () => {
  const bin = path.join(tmp, 'perlbin');
  mkdirSync(bin);
  // a perl that must not be run: it would say 5.008
  writeFileSync(path.join(bin, 'perl'), '#!/bin/sh\necho 5.008\n', { mode: 0o755 });
  linkSync(path.join(bin, 'perl'), path.join(bin, 'perl5.40.1'));
  const r = cliIn(projectPath(), ['audit', 'module', 'Storable', '3.26', '--format', 'json'], { PATH: `${bin}${path.delimiter}${process.env.PATH}` });
  const report = JSON.parse(r.stdout) as { perl: { version: string; source: string } };
  assert.deepEqual(report.perl, { version: '5.40.1', source: 'the perl on PATH' });
});
