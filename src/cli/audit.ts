/** `cpansec audit deps|installed|module|dist`: find known-vulnerable dependencies. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import {
  auditDependencies,
  parseBatch,
  parseIgnoreFile,
  toJsonReport,
  toSarif,
  toText,
  type AuditResult,
  type Dependency,
  type IgnoreRule,
} from '../audit/index.js';
import { readSources, readInstalled } from '../audit/sources/index.js';
import { printable } from '../advisory/index.js';
import { CpansecError, isCpansecError } from '../errors.js';
import type { VulnerabilityIndex } from '../index/index.js';
import { coreInfo, coreVersion } from '../perl/index.js';
import { perlInUse } from './perl.js';
import { openIndex, PACKAGE_VERSION, regularFile, today, useColor, writeOutput } from './context.js';
import { readInputText } from '../input-file.js';

interface AuditFlags {
  db?: string;
  format: string;
  output?: string;
  color?: boolean;
  exitZero?: boolean;
  ignore?: string;
  perl?: string;
  includePerl?: boolean;
  verbose?: boolean;
  batch?: string;
}

const DEFAULT_IGNORE = '.cpansec-ignore.yml';

const MAX_INPUT = 64 * 1024 * 1024;

/** A file the user names (or - for stdin), refused at once when it is a FIFO, device or directory. */
function readText(file: string): string {
  if (file !== '-') regularFile(file);
  return readInputText(file, MAX_INPUT);
}

/**
 * The ignore file: --ignore, else .cpansec-ignore.yml in the audited project's directory, else in
 * the current directory. A rule naming an id that no advisory has (a typo, a withdrawn id) is warned
 * about: it hides nothing.
 */
function loadIgnores(flags: AuditFlags, index: VulnerabilityIndex, projectDir?: string): IgnoreRule[] {
  const candidates = [...(projectDir ? [path.join(projectDir, DEFAULT_IGNORE)] : []), DEFAULT_IGNORE];
  const file = flags.ignore ?? candidates.find((f) => existsSync(f));
  if (!file) return [];
  const rules = parseIgnoreFile(readText(file), file);
  for (const rule of rules) {
    if (index.findAdvisories(rule.id).length === 0) {
      process.stderr.write(`cpansec: warning: ${rule.file}:${rule.line}: no advisory in the database has the id '${printable(rule.id)}': this rule ignores nothing\n`);
    }
  }
  return rules;
}

/** The directory of the project `audit deps` reads: the directory given, or the file's. */
function projectDirectory(target: string): string {
  try {
    return statSync(target).isDirectory() ? target : path.dirname(target);
  } catch {
    return path.dirname(target);
  }
}

/** Run the matcher and the chosen reporter; the exit code says whether anything was found. */
async function report(deps: Dependency[], index: VulnerabilityIndex, flags: AuditFlags, projectDir?: string): Promise<number> {
  // modules are looked up in the core list of the perl in use; distributions need no perl
  const perl = deps.some((d) => d.kind === 'module') ? perlInUse(flags.perl)() : flags.perl !== undefined ? perlInUse(flags.perl)() : undefined;
  const result: AuditResult = auditDependencies(deps, index, {
    today: today(),
    ignore: loadIgnores(flags, index, projectDir),
    coreLookup: (m) => coreInfo(m, perl?.version),
    coreVersion: (m) => coreVersion(m, perl?.version),
    ...(perl ? { perl: perl.version, perlSource: perl.how } : {}),
    includePerl: flags.includePerl,
  });
  let text: string;
  switch (flags.format) {
    case 'json':
      text = `${JSON.stringify(toJsonReport(result), null, 2)}\n`;
      break;
    case 'sarif':
      text = `${JSON.stringify(toSarif(result, PACKAGE_VERSION), null, 2)}\n`;
      break;
    case 'cyclonedx-vex': {
      // loaded on demand: the CycloneDX library is not needed by the other formats
      const { auditVex, serializeJson } = await import('../sbom/index.js');
      const { sourceDateClock } = await import('./sbom.js');
      text = serializeJson(auditVex(result, { toolVersion: PACKAGE_VERSION, ...sourceDateClock() }));
      break;
    }
    default:
      text = toText(result, { color: !flags.output && useColor(flags.color), verbose: flags.verbose });
  }
  writeOutput(text, flags.output);
  const vulnerable = result.findings.some((f) => f.status === 'vulnerable');
  return vulnerable && !flags.exitZero ? 1 : 0;
}

function commonOptions(cmd: Command): Command {
  return cmd
    .option('--db <path|url>', 'advisory database: a CPANSA JSON file, a directory of advisory files, or a URL')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json', 'sarif', 'cyclonedx-vex']).default('text'))
    .option('-o, --output <file>', 'write the report to a file')
    .option('--no-color', 'no colour in the text report')
    .option('--exit-zero', 'exit 0 even when vulnerabilities are found (report only)')
    .option('--ignore <file>', `ignore file (default: ${DEFAULT_IGNORE} when present)`)
    .option('--perl <version>', 'the perl whose core modules count (default: the perl on PATH, else the newest known)')
    .option('--include-perl', 'also audit the perl requirement itself as the distribution perl')
    .option('-v, --verbose', 'also list ignored advisories and core modules');
}

type Runner = (flags: AuditFlags, ...args: unknown[]) => Promise<number>;

export function register(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  const audit = program.command('audit').description('find known-vulnerable CPAN dependencies (exit 0 none, 1 found, 2 error)');
  const action = (fn: Runner) =>
    async function (this: Command, ...args: unknown[]) {
      await run(() => fn(this.opts<AuditFlags>(), ...args));
    };

  commonOptions(audit.command('deps').argument('[path]', 'project directory or a cpanfile, cpanfile.snapshot, META.json/yml, MYMETA.*', '.'))
    .description('audit a project: cpanfile.snapshot, cpanfile, META/MYMETA files')
    .action(
      action(async (flags, target) => {
        const index = await openIndex(flags.db);
        const { dependencies } = readSources(String(target));
        return report(dependencies, index, flags, projectDirectory(String(target)));
      }),
    );

  commonOptions(audit.command('installed').argument('[libdir...]', 'installed module trees, e.g. local/lib/perl5'))
    .description('audit installed module trees (versions read statically from the .pm files)')
    .action(
      action(async (flags, dirs) => {
        const list = (dirs as string[]).length ? (dirs as string[]) : ['local/lib/perl5'];
        const index = await openIndex(flags.db);
        return report(readInstalled(list), index, flags);
      }),
    );

  for (const kind of ['module', 'distribution'] as const) {
    const name = kind === 'module' ? 'module' : 'dist';
    commonOptions(audit.command(name).argument('[name]').argument('[version-or-range]', 'exact version (1.23) or range (">= 1.0, < 2")'))
      .option('--batch <file>', `one '${kind === 'module' ? 'Module::Name' : 'Dist-Name'} [VERSION|RANGE]' a line; - for stdin`)
      .description(`audit one ${kind} at a version or range, or many with --batch`)
      .action(
        action(async (flags, nameArg, spec) => {
          if (flags.batch && nameArg !== undefined) throw new CpansecError('USAGE', `audit ${name}: give a name or --batch FILE, not both`);
          const text = flags.batch ? readText(flags.batch) : undefined;
          const index = await openIndex(flags.db);
          let deps: Dependency[];
          const bad: CpansecError[] = [];
          if (flags.batch) {
            const file = flags.batch === '-' ? '<stdin>' : flags.batch;
            const batch = parseBatch(text!, file);
            bad.push(...batch.errors);
            deps = [];
            for (const q of batch.queries) {
              const d: Dependency = { name: q.name, kind, ...(q.version !== undefined ? { version: q.version } : { range: q.range }), source: { file, line: q.line } };
              // in a batch, a name the database does not know is reported as not in the database
              // (most names of a real dependency list have no advisories); a module name given to
              // 'audit dist' is a bad line
              try {
                checkKnown(d, index, false);
                deps.push(d);
              } catch (e) {
                if (!isCpansecError(e)) throw e;
                bad.push(e);
              }
            }
            bad.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
          } else {
            deps = [single(kind, nameArg as string | undefined, spec as string | undefined)];
            // one query for a name the database does not know is an error
            checkKnown(deps[0]!, index, true);
          }
          // asking for perl by name is asking to audit the interpreter
          const includePerl = flags.includePerl || deps.some((d) => d.name === 'perl');
          const status = await report(deps, index, { ...flags, includePerl });
          // every bad line is named, after the answers to the good ones; the batch exits 2
          for (const e of bad) process.stderr.write(`cpansec: ${printable(e.message)}\n`);
          if (bad.length) process.stderr.write(`cpansec: ${bad.length} invalid line(s) in ${flags.batch === '-' ? '<stdin>' : flags.batch}; the other lines were answered\n`);
          return bad.length ? 2 : status;
        }),
      );
  }
}

function single(kind: 'module' | 'distribution', name: string | undefined, spec: string | undefined): Dependency {
  if (!name) throw new CpansecError('USAGE', `audit ${kind === 'module' ? 'module' : 'dist'}: a name is required (or --batch FILE)`);
  const exact = spec !== undefined && !/[<>=!,]/.test(spec);
  return {
    name,
    kind,
    ...(exact ? { version: spec } : { range: spec ?? '0' }),
    source: { file: '<command line>' },
  };
}

/** A single-name query for something the database does not know is an error, not a silent "clean". */
function checkKnown(d: Dependency, index: VulnerabilityIndex, single: boolean): void {
  const where = { file: d.source.file, line: d.source.line };
  if (d.kind === 'distribution') {
    if (d.name.includes('::')) {
      throw new CpansecError('UNKNOWN_DISTRIBUTION', `'${d.name}' is a module name; use 'audit module' or the distribution name '${d.name.replace(/::/g, '-')}'`, where);
    }
    if (!single) return;
    if (!index.hasDistribution(d.name)) {
      throw new CpansecError('UNKNOWN_DISTRIBUTION', `distribution '${d.name}' is not in the advisory database (no known advisories, or a misspelt name)`, where);
    }
  } else if (single && d.name !== 'perl' && !index.distributionOfModule(d.name) && !coreInfo(d.name)?.core) {
    throw new CpansecError('UNKNOWN_DISTRIBUTION', `module '${d.name}' is not in the advisory database (no known advisories, or a misspelt name)`, where);
  }
}
