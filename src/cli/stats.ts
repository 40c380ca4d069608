/**
 * `cpansec stats`: the security metrics of the statistics page (/stats.json) in the terminal —
 * advisories per year by severity, the share with no fixed release, the CWE top list, the
 * distributions with the most open advisories, and the time from report to fixed release — or as
 * the same JSON (`--format json`).
 */
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { SiteData, securityMetrics, type SecurityMetrics } from '../publish/site/index.js';
import { openIndex } from './context.js';
import type { Run } from './main.js';
import { checkWritable, emit } from './output.js';

interface StatsFlags {
  db?: string;
  format: string;
  top: string;
  output?: string;
}

const LEVELS = ['critical', 'high', 'medium', 'low', 'not rated'] as const;

function table(head: string[], rows: (string | number)[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells: (string | number)[]) => cells.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatMetrics(m: SecurityMetrics): string {
  const f = m.fixTimes;
  const share = (m.withoutFix.share * 100).toFixed(1);
  return [
    `${m.advisories} advisories for ${m.distributions} distributions (revision ${m.revision}; ${m.withdrawn} withdrawn, not counted)`,
    '',
    'Advisories per year by severity',
    table(['year', ...LEVELS, 'total'], m.perYearBySeverity.map((y) => [y.year, ...LEVELS.map((l) => y[l]), LEVELS.reduce((n, l) => n + y[l], 0)])),
    ...(m.unknownYear ? [`(${m.unknownYear} advisories have no report date)`] : []),
    '',
    `No fixed release: ${m.withoutFix.withoutFixedRelease} of ${m.withoutFix.advisories} advisories (${share}%) still affect the newest stable release`,
    '',
    'Weakness classes (CWE)',
    m.cweTop.length ? table(['CWE', 'advisories'], m.cweTop.map((c) => [c.label, c.value])) : 'no advisory names a CWE',
    '',
    'Distributions with the most open advisories',
    m.mostOpen.length ? table(['distribution', 'open'], m.mostOpen.map((c) => [c.label, c.value])) : 'none',
    '',
    `Time from report to fixed release (${f.measured} of ${f.pairs} advisory/distribution pairs measured; median ${f.medianDays ?? 'n/a'} days; ${f.fixedBeforeReport} fixed before the report)`,
    table(['days', 'advisories'], f.buckets.map((b) => [b.label, b.value])),
    '',
  ].join('\n');
}

export function register(program: Command, run: Run): void {
  program
    .command('stats')
    .option('--db <path|url>', 'advisory database (default: the bundled one)')
    .option('--format <format>', 'text or json (the JSON of /stats.json)', 'text')
    .option('--top <n>', 'length of the top lists', '15')
    .option('-o, --output <file>', 'write here (default stdout)')
    .description('security metrics: per year by severity, no fixed release, CWE top list, most open advisories, time to fix')
    .action(async (flags: StatsFlags) => {
      await run(async () => {
        if (flags.format !== 'text' && flags.format !== 'json') throw new CpansecError('USAGE', `--format ${flags.format}: text or json`);
        const top = Number(flags.top);
        if (!Number.isInteger(top) || top < 1 || top > 1000) throw new CpansecError('USAGE', `--top ${flags.top}: a count from 1 to 1000`);
        if (flags.output && flags.output !== '-') checkWritable(flags.output, 'file');
        const index = await openIndex(flags.db);
        const epoch = Number(index.meta.epoch);
        const updated = Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000).toISOString() : '';
        const revision = Number(index.meta.revision ?? 0) || 0;
        const metrics = securityMetrics(new SiteData(index, { title: '', baseUrl: '', revision, updated }), top);
        emit(flags.format === 'json' ? `${JSON.stringify(metrics, null, 2)}\n` : formatMetrics(metrics), flags.output);
        return 0;
      });
    });
}
