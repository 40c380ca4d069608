/**
 * `cpansec audit` runs from the one-file bundle with V8's code cache (bin/audit-bundle.js): the cache
 * the build wrote is accepted by this node, and the bundle answers exactly as the sources do.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
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
    import v8 from 'node:v8'; import vm from 'node:vm'; import Module from 'node:module'; import { readFileSync } from 'node:fs';
    v8.setFlagsFromString(${JSON.stringify(AUDIT_V8_FLAGS)});
    const file = ${JSON.stringify(projectPath('dist', 'cpansec-audit.cjs'))};
    const s = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: readFileSync(file + '.cache') });
    process.stdout.write(String(s.cachedDataRejected));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'false');
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

/** The file a command name runs, from PATH. */
function execPath(name: string): string {
  for (const d of (process.env.PATH ?? '').split(path.delimiter)) {
    const f = path.join(d, name);
    if (d && existsSync(f)) return realpathSync(f);
  }
  throw new Error(`${name} not on PATH`);
}
