/** `cpansec advisory lint [PATH]`: check advisory files, one line per problem with file:line. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { countByRule, lintReports, printable, readReport, type AdvisoryReport, type LintProblem } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { DATA_DIR, parseCpansaJson } from '../index/index.js';
import { openIndex } from './context.js';
import type { Run } from './main.js';
import { register as registerImports } from './advisory-import.js';
import { register as registerWithdraw } from './advisory-withdraw.js';

function reportFiles(target: string): string[] {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    throw new CpansecError('NOT_FOUND', 'no such file or directory', { file: target });
  }
  if (stat.isFile()) return [target];
  const list = (dir: string) => {
    try {
      return readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      throw new CpansecError('IO_ERROR', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: dir });
    }
  };
  const walk = (dir: string, depth: number): string[] =>
    depth > 4
      ? []
      : list(dir)
          .sort((a, b) => a.name.localeCompare(b.name))
          .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name), depth + 1) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
  const files = walk(target, 0);
  if (!files.length) throw new CpansecError('NOT_FOUND', 'no advisory files (*.yml) here', { file: target });
  return files;
}

export function register(program: Command, run: Run): void {
  const advisory = program.command('advisory').description('advisory files: lint, import; withdraw a published advisory');
  registerImports(advisory, run);
  registerWithdraw(advisory, run);
  advisory
    .command('lint')
    .argument('[path]', 'an advisory file or a directory of them (default: the --db directory, else the bundled files)')
    .option('--db <path|url>', 'the database whose release data tells known distributions: a CPANSA JSON file, a directory of advisory files with a releases.json, or a URL')
    .option('--format <format>', 'text or json', 'text')
    .option('--strict', 'warnings fail too')
    .option('--summary', 'print counts by rule only')
    .description('check advisory files: schema, ranges, duplicate ids, id form and distribution match, severities, control characters, unknown distributions')
    .action(async (given: string | undefined, flags: { db?: string; format: string; strict?: boolean; summary?: boolean }) => {
      await run(async () => {
        if (flags.format !== 'text' && flags.format !== 'json') throw new CpansecError('USAGE', `--format ${flags.format}: expected text or json`);
        const target = given ?? (flags.db && isDirectory(flags.db) ? flags.db : path.join(DATA_DIR, 'cpansa'));
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
        const known = await knownDistributions(flags.db);
        problems.push(...lintReports(reports, { knownDistributions: known }));
        const errors = problems.filter((p) => p.level === 'error').length;
        const warnings = problems.length - errors;
        if (flags.format === 'json') {
          process.stdout.write(`${JSON.stringify({ files: reports.length, errors, warnings, by_rule: Object.fromEntries(countByRule(problems)), problems }, null, 2)}\n`);
        } else {
          // file names and messages quote the files' text: control characters in them are shown, not run
          if (!flags.summary) for (const p of problems) process.stdout.write(`${printable(p.file)}:${p.line}: ${p.level}: [${p.rule}] ${printable(p.message)}\n`);
          const counts = [...countByRule(problems)].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`);
          const unchecked = known ? '' : '; the database has no release data: unknown distributions not checked';
          process.stdout.write(`${reports.length} files, ${reports.reduce((n, r) => n + r.advisories.length, 0)} advisories: ${errors} errors, ${warnings} warnings${counts.length ? ` (${counts.join(', ')})` : ''}${unchecked}\n`);
        }
        return errors > 0 || (flags.strict && warnings > 0) ? 1 : 0;
      });
    });
}

/**
 * The distributions the --db database (default: the bundled one) lists releases of. A directory's
 * release data is its releases.json alone: its advisory files are what is being linted, and a
 * broken one must be a lint problem, not a failure to load. Undefined when there is no release
 * data: unknown distributions cannot be told then, rather than every one flagged.
 */
async function knownDistributions(db: string | undefined): Promise<Set<string> | undefined> {
  let distributions;
  if (db && isDirectory(db)) {
    const file = path.join(db, 'releases.json');
    if (!existsSync(file)) return undefined;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CpansecError('IO_ERROR', `cannot read: ${(e as Error).message}`, { file });
    }
    distributions = parseCpansaJson(text, file).distributions;
  } else distributions = (await openIndex(db)).db.distributions;
  const names = [...distributions.values()].filter((d) => d.releases.length > 0).map((d) => d.name);
  return names.length ? new Set(names) : undefined;
}

function isDirectory(location: string): boolean {
  try {
    return statSync(location).isDirectory();
  } catch {
    return false;
  }
}
