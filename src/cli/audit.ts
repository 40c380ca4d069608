/** `cpansec audit deps|installed|module|dist`: find known-vulnerable dependencies. */
import { existsSync } from 'node:fs';
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
import { CpansecError } from '../errors.js';
import type { VulnerabilityIndex } from '../index/index.js';
import { coreInfo, coreVersion } from '../perl/index.js';
import { perlInUse } from './perl.js';
import { openIndex, PACKAGE_VERSION, today, useColor, writeOutput } from './context.js';
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

function readText(file: string): string {
  return readInputText(file, Infinity);
}

function loadIgnores(flags: AuditFlags): IgnoreRule[] {
  const file = flags.ignore ?? (existsSync(DEFAULT_IGNORE) ? DEFAULT_IGNORE : undefined);
  return file ? parseIgnoreFile(readText(file), file) : [];
}

/** Run the matcher and the chosen reporter; the exit code says whether anything was found. */
async function report(deps: Dependency[], index: VulnerabilityIndex, flags: AuditFlags): Promise<number> {
  // modules are looked up in the core list of the perl in use; distributions need no perl
  const perl = deps.some((d) => d.kind === 'module') ? perlInUse(flags.perl)() : flags.perl !== undefined ? perlInUse(flags.perl)() : undefined;
  const result: AuditResult = auditDependencies(deps, index, {
    today: today(),
    ignore: loadIgnores(flags),
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
      text = toText(result, { color: useColor(flags.color) && !flags.output, verbose: flags.verbose });
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
      action(async (flags, path) => {
        const index = await openIndex(flags.db);
        const { dependencies } = readSources(String(path));
        return report(dependencies, index, flags);
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
          const index = await openIndex(flags.db);
          const deps = flags.batch
            ? parseBatch(readText(flags.batch), flags.batch === '-' ? '<stdin>' : flags.batch).map(
                (q): Dependency => ({
                  name: q.name,
                  kind,
                  ...(q.version !== undefined ? { version: q.version } : { range: q.range }),
                  source: { file: flags.batch === '-' ? '<stdin>' : flags.batch!, line: q.line },
                }),
              )
            : [single(kind, nameArg as string | undefined, spec as string | undefined)];
          // one query for a name the database does not know is an error; in a batch, such a line is
          // reported as not in the database (most names of a real dependency list have no advisories)
          for (const d of deps) checkKnown(d, index, !flags.batch);
          // asking for perl by name is asking to audit the interpreter
          const includePerl = flags.includePerl || deps.some((d) => d.name === 'perl');
          return report(deps, index, { ...flags, includePerl });
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
