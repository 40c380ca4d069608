/**
 * `cpansec cve build|check|announce`: the CNA's per-CVE YAML record (CPAN-Security/cna-tool's
 * format) to CVE JSON 5, its checks (schema, the CNA's lint rules, the built record against the
 * CVE schema), and the announcement mail text.
 */
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import {
  announcement,
  cveJsonDrift,
  cveRecordOfYaml,
  lintCna,
  perlJson,
  readCnaYaml,
  validateCnaContainer,
  validateCveRecord,
  type CnaProblem,
} from '../publish/index.js';
import { PACKAGE_VERSION } from './context.js';
import type { Run } from './main.js';
import { checkWritable, emit } from './output.js';
import { readInputText } from '../input-file.js';

const MAX_INPUT = 4 * 1024 * 1024;

interface CveFlags {
  output?: string;
  orgId?: string;
  cnaContainerOnly?: boolean;
  strict?: boolean;
}

function readInput(file: string): string {
  return readInputText(file, MAX_INPUT);
}

const isJson = (file: string) => /\.json$/i.test(file);

function parseJson(file: string): unknown {
  try {
    return JSON.parse(readInput(file));
  } catch (e) {
    if (e instanceof CpansecError) throw e;
    throw new CpansecError('PARSE_ERROR', `not JSON: ${(e as Error).message}`, { file });
  }
}

const options = (flags: CveFlags) => ({ orgId: flags.orgId, generator: `cpansec ${PACKAGE_VERSION}` });

/** The CVE record of a YAML file; the first schema problem refuses it, naming the field. */
function build(file: string, flags: CveFlags): { record: Record<string, unknown>; lint: CnaProblem[] } {
  const doc = readCnaYaml(readInput(file), file);
  const first = doc.problems[0];
  if (first) {
    const line = first.message.startsWith('missing ') ? undefined : first.line;
    throw new CpansecError('SCHEMA_ERROR', `cannot build the CVE record: ${first.message.startsWith('missing ') ? first.message : `${first.path}: ${first.message}`}`, { file, line });
  }
  const lint = lintCna(doc);
  const record = cveRecordOfYaml(doc.record!, file, options(flags));
  const problems = validateCveRecord(record);
  if (problems.length) throw new CpansecError('SCHEMA_ERROR', `the built record is not valid CVE JSON 5: ${problems[0]}`, { file });
  return { record, lint };
}

function printLint(file: string, lint: CnaProblem[]): void {
  for (const p of lint) process.stderr.write(`${file}:${p.line}: ${p.level}: [${p.rule}] ${p.message}\n`);
}

function blocked(lint: CnaProblem[], strict?: boolean): boolean {
  return Boolean(strict) && lint.length > 0;
}

/** Every problem of one file: YAML (schema, lint, the built record) or JSON (the CVE schema). */
function check(file: string, flags: CveFlags): CnaProblem[] {
  if (isJson(file)) {
    const data = parseJson(file) as { containers?: unknown; dataType?: unknown };
    const problems = data && typeof data === 'object' && 'containers' in data ? validateCveRecord(data) : validateCnaContainer(data);
    return problems.map((p) => ({ level: 'error', path: p.split(':')[0]!, line: 1, message: p.slice(p.indexOf(':') + 2), rule: 'cve-schema' }));
  }
  const doc = readCnaYaml(readInput(file), file);
  const problems: CnaProblem[] = doc.problems.map((p) => ({ ...p, rule: 'cna-schema' }));
  problems.push(...lintCna(doc));
  if (doc.record) {
    try {
      const built = validateCveRecord(cveRecordOfYaml(doc.record, file, options(flags)));
      for (const p of built) problems.push({ level: 'error', rule: 'cve-schema', path: p.split(':')[0]!, line: 1, message: `built record: ${p.slice(p.indexOf(':') + 2)}` });
    } catch (e) {
      if (!(e instanceof CpansecError)) throw e;
      problems.push({ level: 'error', rule: 'build', path: '$', line: 1, message: e.message.replace(/^[^:]+: /, '') });
    }
  }
  return problems;
}

/** The JSON file each YAML file is built into, among the files named: same name stem, or the one pair given. */
function jsonPairs(files: string[]): Map<string, string> {
  const stem = (f: string) => f.replace(/^.*[\\/]/, '').replace(/\.(ya?ml|json)$/i, '');
  const yamls = files.filter((f) => !isJson(f));
  const jsons = files.filter(isJson);
  const pairs = new Map<string, string>();
  if (yamls.length === 1 && jsons.length === 1) pairs.set(yamls[0]!, jsons[0]!);
  else for (const y of yamls) {
    const j = jsons.find((x) => stem(x) === stem(y));
    if (j) pairs.set(y, j);
  }
  return pairs;
}

/** cna-tool's `json_out_of_date`: the JSON no longer says what its YAML does. */
function outOfDate(yaml: string, json: string, flags: CveFlags): CnaProblem[] {
  const doc = readCnaYaml(readInput(yaml), yaml);
  if (!doc.record) return [];
  let built;
  try {
    built = cveRecordOfYaml(doc.record, yaml, options(flags));
  } catch {
    return [];
  }
  const drift = cveJsonDrift(built, parseJson(json));
  if (!drift.length) return [];
  const cve = /(CVE-\d{4}-\d{4,19})/i.exec(yaml)?.[1];
  return [
    {
      level: 'warning',
      rule: 'json_out_of_date',
      path: `$.containers.cna.${drift[0]}`,
      line: 1,
      message: `JSON file ${json} is not in sync with ${yaml} (${drift.join(', ')} differ); run \`cpansec cve build ${yaml} -o ${json}\`${cve ? '' : ''} to refresh it`,
    },
  ];
}

export function register(program: Command, run: Run): void {
  const cve = program.command('cve').description("the CNA's CVE records: build CVE JSON 5 from the CNA YAML, check, announce");
  cve
    .command('build')
    .argument('<file>', 'a CNA YAML record (cpansec: …)')
    .option('-o, --output <file>', 'write the JSON here (default stdout)')
    .option('--org-id <uuid>', 'the CNA org id (default CPANSec)')
    .option('--cna-container-only', 'the CNA container alone (what CVE Services take)')
    .option('--strict', 'lint findings block the build')
    .description('build the CVE JSON 5 record of a CNA YAML record, as the CNA tool does')
    .action(async (file: string, flags: CveFlags) => {
      await run(async () => {
        if (flags.output && flags.output !== '-') checkWritable(flags.output, 'file');
        const { record, lint } = build(file, flags);
        printLint(file, lint);
        if (blocked(lint, flags.strict)) throw new CpansecError('SCHEMA_ERROR', `build blocked by ${lint.length} lint finding(s) (--strict)`, { file });
        const out = flags.cnaContainerOnly ? (record.containers as { cna: unknown }).cna : record;
        emit(perlJson(out), flags.output);
        return 0;
      });
    });
  cve
    .command('check')
    .argument('<files...>', 'CNA YAML records or CVE JSON 5 records')
    .option('--org-id <uuid>', 'the CNA org id (default CPANSec)')
    .option('--strict', 'warnings fail too')
    .description('check CNA YAML (schema, the CNA lint rules, the built record) or CVE JSON 5 (the CVE schema); one line per problem')
    .action(async (files: string[], flags: CveFlags) => {
      await run(async () => {
        let errors = 0;
        let warnings = 0;
        const pairs = jsonPairs(files);
        for (const file of files) {
          const json = pairs.get(file);
          for (const p of [...check(file, flags), ...(json ? outOfDate(file, json, flags) : [])]) {
            process.stdout.write(`${file}:${p.line}: ${p.level}: [${p.rule}] ${p.path}: ${p.message}\n`);
            if (p.level === 'error') errors++;
            else warnings++;
          }
        }
        process.stdout.write(`${files.length} file(s): ${errors} error(s), ${warnings} warning(s)\n`);
        return errors > 0 || (flags.strict && warnings > 0) ? 1 : 0;
      });
    });
  cve
    .command('announce')
    .argument('<file>', 'a CNA YAML record, or a CVE JSON 5 record')
    .option('-o, --output <file>', 'write the text here (default stdout)')
    .option('--org-id <uuid>', 'the CNA org id (default CPANSec)')
    .description('the announcement mail of a CVE record, as the CNA tool writes it')
    .action(async (file: string, flags: CveFlags) => {
      await run(async () => {
        if (flags.output && flags.output !== '-') checkWritable(flags.output, 'file');
        if (isJson(file)) {
          const data = parseJson(file) as Record<string, unknown>;
          if (!data || typeof data !== 'object' || !('containers' in data)) {
            throw new CpansecError('PARSE_ERROR', 'not a CVE JSON 5 record (no containers)', { file });
          }
          emit(announcement(data), flags.output);
          return 0;
        }
        const { record, lint } = build(file, flags);
        printLint(file, lint);
        emit(announcement(record), flags.output);
        return 0;
      });
    });
}
