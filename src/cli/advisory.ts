/** `cpansec advisory lint [PATH]`: check advisory files, one line per problem with file:line. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { countByRule, lintReports, readReport, type AdvisoryReport, type LintProblem } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { DATA_DIR, loadBundledDatabase } from '../index/index.js';
import type { Run } from './main.js';
import { register as registerImports } from './advisory-import.js';

function reportFiles(target: string): string[] {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new CpansecError('NOT_FOUND', 'no such file or directory', { file: target });
  }
  if (stat.isFile()) return [target];
  const walk = (dir: string, depth: number): string[] =>
    depth > 4
      ? []
      : readdirSync(dir, { withFileTypes: true })
          .sort((a, b) => a.name.localeCompare(b.name))
          .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name), depth + 1) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
  const files = walk(target, 0);
  if (!files.length) throw new CpansecError('NOT_FOUND', 'no advisory files (*.yml) here', { file: target });
  return files;
}

export function register(program: Command, run: Run): void {
  const advisory = program.command('advisory').description('advisory files: lint, import');
  registerImports(advisory, run);
  advisory
    .command('lint')
    .argument('[path]', 'an advisory file or a directory of them', path.join(DATA_DIR, 'cpansa'))
    .option('--format <format>', 'text or json', 'text')
    .option('--strict', 'warnings fail too')
    .option('--summary', 'print counts by rule only')
    .description('check advisory files: schema, ranges, duplicate ids, id/distribution match, severities, unknown distributions')
    .action(async (target: string, flags: { format: string; strict?: boolean; summary?: boolean }) => {
      await run(async () => {
        const reports: AdvisoryReport[] = [];
        const problems: LintProblem[] = [];
        for (const file of reportFiles(target)) {
          let text: string;
          try {
            text = readFileSync(file, 'utf8');
          } catch (e) {
            throw new CpansecError('IO_ERROR', `cannot read: ${(e as Error).message}`, { file });
          }
          try {
            reports.push(readReport(text, file));
          } catch (e) {
            if (!(e instanceof CpansecError)) throw e;
            problems.push({ file: e.file ?? file, line: e.line ?? 1, level: 'error', rule: 'parse-error', message: e.message.replace(/^[^:]+:\d+: /, '') });
          }
        }
        const known = new Set(
          [...loadBundledDatabase().distributions.values()].filter((d) => d.releases.length > 0).map((d) => d.name),
        );
        problems.push(...lintReports(reports, { knownDistributions: known }));
        const errors = problems.filter((p) => p.level === 'error').length;
        const warnings = problems.length - errors;
        if (flags.format === 'json') {
          process.stdout.write(`${JSON.stringify({ files: reports.length, errors, warnings, by_rule: Object.fromEntries(countByRule(problems)), problems }, null, 2)}\n`);
        } else {
          if (!flags.summary) for (const p of problems) process.stdout.write(`${p.file}:${p.line}: ${p.level}: [${p.rule}] ${p.message}\n`);
          const counts = [...countByRule(problems)].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`);
          process.stdout.write(`${reports.length} files, ${reports.reduce((n, r) => n + r.advisories.length, 0)} advisories: ${errors} errors, ${warnings} warnings${counts.length ? ` (${counts.join(', ')})` : ''}\n`);
        }
        return errors > 0 || (flags.strict && warnings > 0) ? 1 : 0;
      });
    });
}
