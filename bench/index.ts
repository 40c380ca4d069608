/** Figures of the foundation issue: start-up, batch throughput, agreement with cpan-audit, audit deps vs cpan-audit. */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { BUNDLED_DATABASE, loadBundledDatabase, VulnerabilityIndex } from '../src/index/index.js';
import { parseVersion } from '../src/perl/index.js';
import { compareWithCpanAudit } from './agreement.js';
import type { Row } from './row.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function benchStartup(): Row[] {
  const load: number[] = [];
  const first: number[] = [];
  for (let i = 0; i < 7; i++) {
    const [a, b] = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'startup.ts')], { cwd: root }).toString().trim().split(' ').map(Number);
    load.push(a!);
    first.push(b!);
  }
  return [
    { name: 'start-up: load bundled index (median of 7 fresh processes)', value: median(load), unit: 'ms', target: '< 50 ms' },
    { name: 'start-up: load + first query through the module map (Mojo::DOM 7.0)', value: median(first), unit: 'ms', target: '< 50 ms' },
  ];
}

export function benchBatch(): Row[] {
  const index = new VulnerabilityIndex(loadBundledDatabase());
  const points: [string, string][] = [];
  for (const d of index.distributionNames()) {
    for (const r of index.releasesOf(d)) {
      try {
        parseVersion(r.version);
        points.push([d, r.version]);
      } catch {
        /* unreadable listed versions are not queries */
      }
    }
  }
  index.validate();
  let found = 0;
  const t0 = performance.now();
  for (const [d, v] of points) found += index.advisoriesFor(d, v).length;
  const ms = performance.now() - t0;
  // the same points through the command line, one process, report included
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-batch-'));
  const input = path.join(dir, 'batch.txt');
  writeFileSync(input, points.map(([d, v]) => `${d} ${v}\n`).join(''));
  const cliRun = timeCommand(process.execPath, [path.join(root, 'bin', 'cpansec.js'), 'audit', 'dist', '--batch', input, '-o', path.join(dir, 'report.txt')], 3, root);
  rmSync(dir, { recursive: true, force: true });
  return [
    { name: `batch, whole process: cpansec audit dist --batch of the same ${points.length} lines, text report`, value: Math.round(points.length / (cliRun.ms / 1000)), unit: 'queries/s' },
    { name: `batch: ${points.length} (distribution, version) queries in one process`, value: Math.round(points.length / (ms / 1000)), unit: 'queries/s', target: '> 100,000' },
    { name: 'batch: advisory hits over all points', value: found, unit: 'hits' },
  ];
}

export function benchAgreement(): Row[] {
  const r = compareWithCpanAudit(BUNDLED_DATABASE);
  const explained = Object.values(r.explained).reduce((a, b) => a + b, 0);
  return [
    { name: 'agreement with CPAN::Audit: (dist, version) points', value: r.points, unit: 'points' },
    { name: 'agreement with CPAN::Audit: identical advisory ids', value: r.agreed, unit: 'points' },
    { name: "agreement: differ only by '=' read as '==' (cpan-audit never matches '=1.2')", value: explained, unit: 'points' },
    { name: 'agreement: unexplained disagreements', value: r.unexplained.length, unit: 'points', target: '0' },
  ];
}

function timeCommand(cmd: string, args: string[], runs: number, cwd: string): { ms: number; status: number | null } {
  const times: number[] = [];
  let status: number | null = null;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - t0);
    status = r.status;
  }
  return { ms: median(times), status };
}

export function benchAuditDeps(): Row[] {
  const fixture = path.join(root, 'test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile.snapshot');
  // both tools read a project directory: give them one holding just the snapshot
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-'));
  const snapshot = path.join(dir, 'cpanfile.snapshot');
  copyFileSync(fixture, snapshot);
  const dists = execFileSync('grep', ['-c', '^    pathname:', snapshot]).toString().trim();
  const ours = timeCommand(process.execPath, [path.join(root, 'bin', 'cpansec.js'), 'audit', 'deps', dir, '--format', 'json', '-o', '/dev/null'], 11, root);
  const node = timeCommand(process.execPath, ['-e', '0'], 11, root);
  const rows: Row[] = [
    { name: `audit deps, whole process, metacpan-api cpanfile.snapshot (${dists} distributions): cpansec`, value: ours.ms, unit: 'ms' },
    { name: 'for scale: node -e 0 (the runtime\'s own start-up) on this machine', value: node.ms, unit: 'ms' },
  ];
  if (spawnSync('sh', ['-c', 'command -v cpan-audit']).status === 0) {
    const theirs = timeCommand('cpan-audit', ['deps', dir], 11, root);
    rmSync(dir, { recursive: true, force: true });
    rows.push({ name: 'audit deps, same file: cpan-audit deps (Debian libcpan-audit-perl 20230309, its own database)', value: theirs.ms, unit: 'ms' });
    rows.push({ name: 'audit deps speed-up over cpan-audit', value: theirs.ms / ours.ms, unit: 'x', target: '>= 3x' });
  } else {
    rmSync(dir, { recursive: true, force: true });
    rows.push({ name: 'cpan-audit not installed (apt-get install libcpan-audit-perl)', value: NaN, unit: '' });
  }
  return rows;
}
