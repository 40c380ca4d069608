/**
 * The package as npm ships it: `npm pack`, installed into an empty directory elsewhere, works with its
 * bundled data, schemas and pages found through the installed package, never through this checkout.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { projectPath } from '../helpers/paths.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let work: string;
let app: string;

function run(cmd: string, args: string[], options: SpawnSyncOptions = {}): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024, ...options });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} exited ${r.status}\n${String(r.stdout).slice(-2000)}\n${String(r.stderr).slice(-4000)}`);
  return String(r.stdout);
}

/** npx from the installed directory, with nothing of the checkout on its paths */
function npx(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('npx', ['--no-install', 'cpansec', ...args], { cwd: app, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NODE_PATH: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(() => {
  work = mkdtempSync(path.join(tmpdir(), 'cpansec-pack-'));
  app = path.join(work, 'app');
  // `npm pack` runs `prepare` (the build), so the tarball holds what the sources build today
  run(npm, ['pack', '--pack-destination', work, '--silent'], { cwd: projectPath() });
  const tgz = readdirSync(work).find((f) => /^cpansec-.*\.tgz$/.test(f));
  assert.ok(tgz, 'npm pack wrote no tarball');
  mkdirSync(app);
  // a project that allows only the install script cpansec needs (better-sqlite3's native addon)
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, allowScripts: { 'better-sqlite3': true } }));
  run(npm, ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(work, tgz)], { cwd: app });
});
after(() => rmSync(work, { recursive: true, force: true }));

describe('the packed package, installed into an empty directory', { timeout: 900_000 }, () => {
  test('ships no tests, fixtures or sources of the checkout', () => {
    const files = run(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: projectPath() });
    const paths = (JSON.parse(files) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    assert.ok(paths.includes('data/cpansa.json') && paths.includes('dist/cpansec.js') && paths.includes('bin/cpansec.js'));
    assert.deepEqual(paths.filter((p) => /^(test|src|bench|scripts)\//.test(p)), []);
  });

  test('npx cpansec --version', () => {
    const r = npx(['--version']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout.trim(), /^\d+\.\d+\.\d+$/);
  });

  test('npx cpansec audit dist DBI 1.643 finds the bundled advisories', () => {
    const r = npx(['audit', 'dist', 'DBI', '1.643', '--format', 'json']);
    assert.equal(r.status, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { database: { source: string }; summary: { vulnerable: number; advisories: number } };
    assert.equal(report.database.source, 'bundled');
    assert.equal(report.summary.vulnerable, 1);
    assert.ok(report.summary.advisories >= 10, `DBI 1.643 has ${report.summary.advisories} advisories`);
  });

  test('npx cpansec serve --port 0 answers with the bundled data and the schemas it validates with', async () => {
    // its own process group: npx runs the server in a child, and the whole group is stopped at the end
    const child = spawn('npx', ['--no-install', 'cpansec', 'serve', '--port', '0'], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        const timer = setTimeout(() => reject(new Error(`no "cpansec serving" line in 90 s: ${err}`)), 90_000);
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /"msg":"cpansec serving".*?"url":"([^"]+)"|"url":"([^"]+)".*?"msg":"cpansec serving"/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve((m[1] ?? m[2])!);
          }
        });
      });
      const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string; advisories: number };
      assert.equal(health.status, 'ok');
      assert.ok(health.advisories > 2000);
      const query = await fetch(`${url}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ package: { name: 'DBI', ecosystem: 'CPAN' }, version: '1.643' }) });
      assert.equal(query.status, 200);
      assert.ok(((await query.json()) as { vulns: unknown[] }).vulns.length > 0);
      const page = await fetch(`${url}/distributions/DBI`);
      assert.equal(page.status, 200);
      assert.match(await page.text(), /DBI/);
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
  });
});
