/**
 * `cpansec audit` runs from the one-file bundle with V8's code cache (bin/audit-bundle.js): the cache
 * the build wrote is accepted by this node, and the bundle answers exactly as the sources do.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createRequire } from 'node:module';
import { AUDIT_V8_FLAGS } from '../../src/cli/program.js';
import { cli } from '../helpers/cli.js';
import { projectPath } from '../helpers/paths.js';

const bin = (args: string[]) =>
  spawnSync(process.execPath, [projectPath('bin', 'cpansec.js'), ...args], {
    cwd: projectPath(),
    env: { ...process.env, NO_COLOR: '1', CPANSEC_TODAY: '2026-11-24' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });

test('the launcher and the program set the same V8 flags for an audit', () => {
  const bundle = createRequire(import.meta.url)(projectPath('bin', 'audit-bundle.js')) as { V8_FLAGS: string };
  assert.equal(bundle.V8_FLAGS, AUDIT_V8_FLAGS);
});

test('the code cache written by the build is accepted for the flags an audit runs with', () => {
  const probe = `
    import v8 from 'node:v8'; import vm from 'node:vm'; import { readFileSync } from 'node:fs';
    v8.setFlagsFromString(${JSON.stringify(AUDIT_V8_FLAGS)});
    const file = ${JSON.stringify(projectPath('dist', 'cpansec-audit.cjs'))};
    const s = new vm.Script(readFileSync(file, 'latin1'), { filename: file, cachedData: readFileSync(file + '.cache') });
    process.stdout.write(String(s.cachedDataRejected));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'false');
});

test('a code cache older than its bundle is not used (V8 would take a cache of any source of the same length)', () => {
  const { usableCache } = createRequire(import.meta.url)(projectPath('bin', 'audit-bundle.js')) as { usableCache(bundle: string, cache: string): Buffer | undefined };
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-cache-'));
  try {
    const bundle = path.join(dir, 'b.cjs');
    const cache = path.join(dir, 'b.cjs.cache');
    writeFileSync(bundle, 'x');
    writeFileSync(cache, 'cache');
    utimesSync(bundle, 1000, 1000);
    utimesSync(cache, 1000, 1000);
    assert.equal(usableCache(bundle, cache)?.toString(), 'cache', 'same time: as npm packs them');
    utimesSync(bundle, 2000, 2000);
    assert.equal(usableCache(bundle, cache), undefined, 'the bundle edited after the build');
    assert.equal(usableCache(bundle, path.join(dir, 'none')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the launcher sets the flags without a warning, and through node:v8 where the v8 binding is gone: the cache is accepted either way', () => {
  for (const gone of [false, true]) {
    const probe = `
      ${gone ? "process.binding = () => { throw new Error('no binding'); };" : ''}
      const b = require(${JSON.stringify(projectPath('bin', 'audit-bundle.js'))});
      b.setV8Flags();
      const vm = require('node:vm'); const { readFileSync } = require('node:fs');
      const file = ${JSON.stringify(projectPath('dist', 'cpansec-audit.cjs'))};
      const s = new vm.Script(readFileSync(file, 'latin1'), { filename: file, cachedData: readFileSync(file + '.cache') });
      process.stdout.write(String(s.cachedDataRejected));`;
    const r = spawnSync(process.execPath, ['--pending-deprecation', '-e', probe], { encoding: 'utf8' });
    assert.equal(r.stderr, '', `binding gone: ${gone}`);
    assert.equal(r.stdout, 'false', `binding gone: ${gone}`);
  }
  const audit = spawnSync(process.execPath, ['--pending-deprecation', projectPath('bin', 'cpansec.js'), 'audit', 'dist', 'DBI', '1.643', '--format', 'json'], { encoding: 'utf8' });
  assert.equal(audit.status, 1);
  assert.equal(audit.stderr, '');
});

test('the bundle and the sources give the same report, findings and exit status', () => {
  for (const args of [
    ['audit', 'deps', projectPath('test', 'fixtures', 'snapshots', 'librecat', 'cpanfile.snapshot'), '--format', 'json', '--perl', '5.36.0'],
    ['audit', 'dist', 'DBI', '1.643', '--format', 'sarif'],
    ['audit', 'module', 'DBD::File', '0.44'],
  ]) {
    const a = bin(args);
    const b = cli(args);
    assert.equal(a.status, b.status, `${args.join(' ')}: ${a.stderr}`);
    assert.equal(a.stdout, b.stdout, args.join(' '));
    assert.equal(a.stderr, b.stderr, args.join(' '));
  }
});

test('the bundle runs the perl on PATH when no versioned link names it (child_process loaded on use)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-perl-'));
  try {
    symlinkSync(execPath('perl'), path.join(dir, 'perl'));
    const r = spawnSync(process.execPath, [projectPath('bin', 'cpansec.js'), 'audit', 'module', 'DBD::File', '0.44'], {
      cwd: projectPath(),
      env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}`, NO_COLOR: '1' },
      encoding: 'utf8',
    });
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.match(r.stdout, /of perl 5\.\d+\.\d+, the perl on PATH\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The bundle's stdout through a pipe read by `reader`, optionally made non-blocking first (by perl). */
function throughPipe(args: string[], nonBlocking: boolean, reader: (out: NodeJS.ReadableStream) => void): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const setNonBlocking = 'use Fcntl; my $f = fcntl(STDOUT, F_GETFL, 0); fcntl(STDOUT, F_SETFL, $f | O_NONBLOCK) or die; exec @ARGV';
  const command = [process.execPath, projectPath('bin', 'cpansec.js'), ...args];
  return new Promise((resolve) => {
    const child = nonBlocking ? spawn('perl', ['-e', setNonBlocking, ...command], { stdio: ['ignore', 'pipe', 'pipe'] }) : spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    reader(child.stdout);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

test('a report to stdout arrives whole through a slow reader, also when the pipe is non-blocking (written directly, the rest queued)', async () => {
  const lock = projectPath('test', 'fixtures', 'snapshots', 'librecat');
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-pipe-'));
  try {
    const file = path.join(dir, 'report.json');
    const args = ['audit', 'deps', lock, '--format', 'json', '--perl', '5.36.0'];
    assert.equal(bin([...args, '-o', file]).status, 1);
    const expected = readFileSync(file, 'utf8');
    assert.ok(expected.length > 128 * 1024, 'the report is larger than a pipe holds');
    for (const nonBlocking of [false, true]) {
      const r = await throughPipe(args, nonBlocking, (out) =>
        out.on('data', () => {
          out.pause();
          setTimeout(() => out.resume(), 20);
        }),
      );
      assert.equal(r.stderr, '', `non-blocking ${nonBlocking}`);
      assert.equal(r.status, 1);
      // generated_at is the only field that differs between two runs
      const strip = (t: string) => t.replace(/"generated_at": "[^"]*"/, '');
      assert.equal(strip(r.stdout), strip(expected), `non-blocking ${nonBlocking}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a reader that goes away early ends the bundle quietly (141), on blocking and non-blocking pipes', async () => {
  for (const nonBlocking of [false, true]) {
    const r = await throughPipe(['audit', 'deps', projectPath('test', 'fixtures', 'snapshots', 'librecat'), '--format', 'json'], nonBlocking, (out) => out.once('data', () => (out as unknown as { destroy(): void }).destroy()));
    assert.ok(r.status === 141 || r.status === 1, `non-blocking ${nonBlocking}: ${r.status}`);
    assert.doesNotMatch(r.stderr, /EPIPE|at .*\.(ts|js):\d+|Unhandled/, r.stderr);
  }
});

/** The file a command name runs, from PATH. */
function execPath(name: string): string {
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) {
    const f = path.join(d, name);
    if (d && existsSync(f)) return realpathSync(f);
  }
  throw new Error(`${name} not on PATH`);
}
