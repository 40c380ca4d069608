/** Figures of the foundation issue: start-up, batch throughput, agreement with cpan-audit, audit deps vs cpan-audit. */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
  const runs: number[] = [];
  for (let i = 0; i < 7; i++) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', 'startup.ts')], { cwd: root }).toString();
    runs.push(Number(out.trim()));
  }
  return [{ name: 'start-up: load bundled index (median of 7 fresh processes)', value: median(runs), unit: 'ms', target: '< 50 ms' }];
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
  return [
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
  const snapshot = path.join(root, 'test', 'fixtures', 'audit', 'large', 'cpanfile.snapshot');
  if (!existsSync(snapshot)) return [{ name: 'audit deps: large snapshot missing', value: NaN, unit: '' }];
  const dists = (execFileSync('grep', ['-c', '^    pathname:', snapshot]).toString().trim());
  const ours = timeCommand(process.execPath, [path.join(root, 'bin', 'cpansec.js'), 'audit', 'deps', snapshot, '--format', 'json', '-o', '/dev/null'], 7, root);
  const rows: Row[] = [{ name: `audit deps, whole process, ${dists}-distribution cpanfile.snapshot: cpansec (built)`, value: ours.ms, unit: 'ms' }];
  const hasCpanAudit = spawnSync('sh', ['-c', 'command -v cpan-audit']).status === 0;
  if (hasCpanAudit) {
    const theirs = timeCommand('cpan-audit', ['deps', path.dirname(snapshot)], 5, root);
    rows.push({ name: 'audit deps, same file: cpan-audit deps (Debian libcpan-audit-perl)', value: theirs.ms, unit: 'ms' });
    rows.push({ name: 'audit deps speed-up over cpan-audit', value: theirs.ms / ours.ms, unit: 'x', target: '>= 3x' });
  }
  return rows;
}
