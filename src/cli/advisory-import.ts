/**
 * `cpansec advisory import-osv FILE|DIR...` and `import-cve FILE...`: OSV and CVE JSON 5 records back
 * into advisory report files (CPANSA report YAML, one per distribution), to stdout or a directory.
 * Inputs are hostile: sizes are capped, zips are read with limits, and nothing is written until
 * every input has been read and every target checked.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { writeReport, type Advisory } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { cveRecordOfYaml, fromCve, fromOsv, readCnaYaml, readJsonZip } from '../publish/index.js';
import { checkWritable, writeFileAtomic } from './output.js';

const MAX_FILE = 16 * 1024 * 1024;
const MAX_FILES = 100_000;

interface ImportFlags {
  output?: string;
  force?: boolean;
  id?: string;
}

function readBytes(file: string): Buffer {
  try {
    if (statSync(file).size > MAX_FILE * 32) throw new CpansecError('IO_ERROR', 'file too large', { file });
    return readFileSync(file);
  } catch (e) {
    if (e instanceof CpansecError) throw e;
    throw new CpansecError('IO_ERROR', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
}

function parseJson(text: string, file: string): unknown {
  if (text.length > MAX_FILE) throw new CpansecError('IO_ERROR', `larger than ${MAX_FILE} bytes`, { file });
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CpansecError('PARSE_ERROR', `not JSON: ${(e as Error).message}`, { file });
  }
}

/** The JSON documents of the inputs: files, directories (their *.json, recursively) and zips. */
async function documents(inputs: string[], cnaYaml = false): Promise<{ file: string; data: unknown }[]> {
  const out: { file: string; data: unknown }[] = [];
  const add = (file: string, text: string) => {
    if (out.length >= MAX_FILES) throw new CpansecError('IO_ERROR', `more than ${MAX_FILES} records`, { file });
    const data = parseJson(text, file);
    // `cpansec export osv|cve5` without --output writes one JSON array
    if (Array.isArray(data)) data.forEach((d, i) => out.push({ file: `${file}[${i}]`, data: d }));
    else out.push({ file, data });
  };
  const walk = async (p: string, depth: number): Promise<void> => {
    if (!existsSync(p)) throw new CpansecError('NOT_FOUND', 'no such file or directory', { file: p });
    const st = statSync(p);
    if (st.isDirectory()) {
      if (depth > 4) return;
      for (const name of readdirSync(p).sort()) {
        const child = path.join(p, name);
        if (statSync(child).isDirectory() || /\.(json|zip)$/i.test(name) || (cnaYaml && /\.ya?ml$/i.test(name))) await walk(child, depth + 1);
      }
    } else if (/\.zip$/i.test(p)) {
      for (const [name, text] of await readJsonZip(readBytes(p), p)) add(`${p}:${name}`, text);
    } else if (cnaYaml && /\.ya?ml$/i.test(p)) {
      // the CNA's YAML record: read as the CVE record `cve build` makes of it
      const doc = readCnaYaml(readBytes(p).toString('utf8'), p);
      const first = doc.problems[0];
      if (!doc.record || first) throw new CpansecError('PARSE_ERROR', `not a CNA YAML record: ${first ? `${first.path}: ${first.message}` : 'no cpansec record'}`, { file: p, line: first?.line });
      out.push({ file: p, data: cveRecordOfYaml(doc.record, p, {}) });
    } else {
      add(p, readBytes(p).toString('utf8'));
    }
  };
  for (const input of inputs) await walk(input, 0);
  return out;
}

/** Advisories as report files: stdout (a YAML stream) or one `CPANSA-<Dist>.yml` each in a directory. */
function writeReports(advisories: Advisory[], flags: ImportFlags): number {
  const byDist = new Map<string, Advisory[]>();
  for (const a of advisories) byDist.set(a.distribution, [...(byDist.get(a.distribution) ?? []), a]);
  const reports = [...byDist].sort(([a], [b]) => (a < b ? -1 : 1)).map(([d, list]) => ({ name: `CPANSA-${d}.yml`, text: writeReport(d, list) }));
  if (!flags.output || flags.output === '-') {
    process.stdout.write(reports.map((r) => r.text).join(''));
  } else {
    if (!existsSync(flags.output) || !statSync(flags.output).isDirectory()) {
      throw new CpansecError('IO_ERROR', 'cannot write: not a directory', { file: flags.output });
    }
    for (const r of reports) {
      const target = path.join(flags.output, r.name);
      if (existsSync(target) && !flags.force) throw new CpansecError('CONFLICT', 'exists (give --force to replace it)', { file: target });
      checkWritable(target, 'file');
    }
    for (const r of reports) writeFileAtomic(path.join(flags.output, r.name), r.text);
  }
  process.stderr.write(`${advisories.length} advisories, ${reports.length} distribution(s)\n`);
  return 0;
}

export function register(advisory: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  advisory
    .command('import-osv')
    .argument('<inputs...>', 'OSV JSON files, directories of them, or zips (all.zip)')
    .option('-o, --output <dir>', 'write CPANSA-<Dist>.yml files here (default: stdout)')
    .option('--force', 'replace existing report files')
    .description('read OSV records back into advisory report files')
    .action(async (inputs: string[], flags: ImportFlags) => {
      await run(async () => writeReports((await documents(inputs)).flatMap((d) => fromOsv(d.data, d.file)), flags));
    });
  advisory
    .command('import-cve')
    .argument('<inputs...>', "CVE JSON 5 records, CVE Services bodies, CNA containers or the CNA's YAML records (files or directories)")
    .option('-o, --output <dir>', 'write CPANSA-<Dist>.yml files here (default: stdout)')
    .option('--force', 'replace existing report files')
    .option('--id <id>', 'the advisory id, for a record without a CVE id')
    .description('read CVE JSON 5 records back into advisory report files')
    .action(async (inputs: string[], flags: ImportFlags) => {
      await run(async () => {
        // a record that names no CPAN package (or cannot be a range) is reported and skipped: one
        // such record among the CNA's published ones must not stop the others
        const advisories: Advisory[] = [];
        const skipped: string[] = [];
        const docs = await documents(inputs, true);
        for (const d of docs) {
          try {
            advisories.push(...fromCve(d.data, d.file, { id: flags.id }));
          } catch (e) {
            if (!(e instanceof CpansecError) || docs.length === 1) throw e;
            skipped.push(e.message);
          }
        }
        for (const s of skipped) process.stderr.write(`cpansec: skipped ${s}\n`);
        if (skipped.length) process.stderr.write(`${docs.length - skipped.length} of ${docs.length} records imported, ${skipped.length} skipped\n`);
        if (!advisories.length) throw new CpansecError('PARSE_ERROR', `none of the ${docs.length} records could be imported`);
        return writeReports(advisories, flags);
      });
    });
}
