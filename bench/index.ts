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

/**
 * One measured run of a whole process: wall time, CPU time (user + system) and peak memory, read
 * from the kernel's accounting of the child (wait4's rusage, through python3's os.wait4: node's
 * spawnSync does not report a child's rusage).
 */
const RUSAGE = String.raw`
import os, sys, time, json
t0 = time.perf_counter()
pid = os.fork()
if pid == 0:
    fd = os.open('/dev/null', os.O_WRONLY); os.dup2(fd, 1); os.dup2(fd, 2)
    os.execvp(sys.argv[1], sys.argv[1:])
_, status, ru = os.wait4(pid, 0)
print(json.dumps([(time.perf_counter() - t0) * 1000, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss / 1024]))
`;

interface Run {
  wall: number;
  cpu: number;
  mb: number;
}

function measure(cmd: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Run {
  const [wall, cpu, mb] = JSON.parse(execFileSync('python3', ['-c', RUSAGE, ...cmd], { cwd, env }).toString()) as [number, number, number];
  return { wall, cpu, mb };
}

/**
 * Paired runs: cpansec then cpan-audit, one after the other, `pairs` times; the medians of each
 * tool and the median of the per-pair ratios (a pair shares the machine's load of the moment, which
 * on a shared machine moves more than either tool).
 */
function paired(ours: string[], theirs: string[], pairs: number, env: NodeJS.ProcessEnv = process.env): { ours: Run; theirs: Run; wallRatio: number; cpuRatio: number } {
  const a: Run[] = [];
  const b: Run[] = [];
  for (let i = 0; i < pairs; i++) {
    a.push(measure(ours, root, env));
    b.push(measure(theirs, root, env));
  }
  const med = (xs: Run[], k: keyof Run) => median(xs.map((x) => x[k]));
  return {
    ours: { wall: med(a, 'wall'), cpu: med(a, 'cpu'), mb: med(a, 'mb') },
    theirs: { wall: med(b, 'wall'), cpu: med(b, 'cpu'), mb: med(b, 'mb') },
    wallRatio: median(a.map((x, i) => b[i]!.wall / x.wall)),
    cpuRatio: median(a.map((x, i) => b[i]!.cpu / x.cpu)),
  };
}

function pairedRows(what: string, r: ReturnType<typeof paired>, pairs: number): Row[] {
  return [
    { name: `${what}: cpansec, wall (median of ${pairs} paired runs)`, value: r.ours.wall, unit: 'ms' },
    { name: `${what}: cpan-audit, wall`, value: r.theirs.wall, unit: 'ms' },
    { name: `${what}: speed-up over cpan-audit, wall (median of per-pair ratios)`, value: r.wallRatio, unit: 'x', target: '>= 1.5x' },
    { name: `${what}: cpansec, CPU user+sys`, value: r.ours.cpu, unit: 'ms' },
    { name: `${what}: cpan-audit, CPU user+sys`, value: r.theirs.cpu, unit: 'ms' },
    { name: `${what}: speed-up over cpan-audit, CPU (median of per-pair ratios)`, value: r.cpuRatio, unit: 'x', target: '>= 1.5x' },
    { name: `${what}: cpansec, peak memory (max RSS)`, value: r.ours.mb, unit: 'MB', target: "< cpan-audit's" },
    { name: `${what}: cpan-audit, peak memory (max RSS)`, value: r.theirs.mb, unit: 'MB' },
  ];
}

export function benchAuditDeps(): Row[] {
  const fixture = path.join(root, 'test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile.snapshot');
  // both tools read a project directory: give them one holding just the snapshot
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-bench-'));
  const snapshot = path.join(dir, 'cpanfile.snapshot');
  copyFileSync(fixture, snapshot);
  const dists = execFileSync('grep', ['-c', '^    pathname:', snapshot]).toString().trim();
  const cli = [process.execPath, path.join(root, 'bin', 'cpansec.js')];
  const pairs = 11;
  // the floor no node program goes under: node's own start-up, its CPU and its memory
  const nodeRuns = Array.from({ length: 5 }, () => measure([process.execPath, '-e', '0'], root));
  const rows: Row[] = [
    { name: "for scale: node -e 0 (the runtime's own start-up), wall, median of 5", value: median(nodeRuns.map((r) => r.wall)), unit: 'ms' },
    { name: 'for scale: node -e 0, CPU user+sys', value: median(nodeRuns.map((r) => r.cpu)), unit: 'ms' },
    { name: 'for scale: node -e 0, peak memory (max RSS): the floor of any node program', value: median(nodeRuns.map((r) => r.mb)), unit: 'MB' },
  ];
  try {
    if (spawnSync('sh', ['-c', 'command -v cpan-audit && command -v python3']).status !== 0) {
      rows.push({ name: 'cpan-audit (apt-get install libcpan-audit-perl) or python3 not installed: no paired figures', value: NaN, unit: '' });
      return rows;
    }
    const deps = paired([...cli, 'audit', 'deps', dir, '--format', 'json', '-o', '/dev/null'], ['cpan-audit', 'deps', dir, '--no-corelist'], pairs);
    rows.push(...pairedRows(`audit deps, metacpan-api snapshot (${dists} distributions) vs cpan-audit deps --no-corelist`, deps, pairs));
    const dist = paired([...cli, 'audit', 'dist', 'DBI', '1.643'], ['cpan-audit', 'dist', 'DBI', '1.643'], pairs);
    rows.push(...pairedRows('audit dist DBI 1.643 vs cpan-audit dist DBI 1.643', dist, pairs));
    rows.push({ name: 'cpan-audit: Debian libcpan-audit-perl 20230309, its own bundled database', value: NaN, unit: '' });
    // NODE_EXTRA_CA_CERTS makes node 20 parse that CA bundle at start-up, before any of our code
    // (here ~416 M instructions, more than half of a whole audit): the same pairs without it, as on
    // a machine that does not set it
    if (process.env.NODE_EXTRA_CA_CERTS) {
      const { NODE_EXTRA_CA_CERTS: _ca, ...plain } = process.env;
      const bare = Array.from({ length: 5 }, () => measure([process.execPath, '-e', '0'], root, plain));
      rows.push({ name: 'without NODE_EXTRA_CA_CERTS (set on this machine): node -e 0, wall, median of 5', value: median(bare.map((r) => r.wall)), unit: 'ms' });
      const d2 = paired([...cli, 'audit', 'deps', dir, '--format', 'json', '-o', '/dev/null'], ['cpan-audit', 'deps', dir, '--no-corelist'], pairs, plain);
      rows.push(...pairedRows(`without NODE_EXTRA_CA_CERTS: audit deps (${dists} distributions)`, d2, pairs));
      const s2 = paired([...cli, 'audit', 'dist', 'DBI', '1.643'], ['cpan-audit', 'dist', 'DBI', '1.643'], pairs, plain);
      rows.push(...pairedRows('without NODE_EXTRA_CA_CERTS: audit dist DBI 1.643', s2, pairs));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
