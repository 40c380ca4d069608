/**
 * `cpansec export osv|cve5|atom|rss|cpansa-json`: the advisory database in a publication format, to
 * stdout, a file or a directory, written atomically (output.ts); an unwritable target is refused
 * before anything is computed.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import type { VulnerabilityIndex } from '../index/index.js';
import {
  cnaContainerOfGroup,
  cveIdsOf,
  databaseModified,
  osvGroups,
  osvRecordJson,
  osvRecords,
  osvZip,
  toAtom,
  toCpansaJson,
  toRss,
  type CveExport,
} from '../publish/index.js';
import { openIndex, PACKAGE_VERSION } from './context.js';
import type { Run } from './main.js';
import { checkWritable, emit, writeTreeAtomic } from './output.js';

const FORMATS = ['osv', 'cve5', 'atom', 'rss', 'cpansa-json'] as const;
type Format = (typeof FORMATS)[number];

interface ExportFlags {
  db?: string;
  output?: string;
  distribution?: string;
  zip?: boolean;
  baseUrl?: string;
  title?: string;
  limit?: string;
  orgId?: string;
  modified?: string;
}

/** The `modified` time of OSV records: --modified, the database's generation time, or the newest report file. */
function modifiedOf(index: VulnerabilityIndex, flags: ExportFlags): string | undefined {
  if (flags.modified) return flags.modified;
  if (databaseModified(index)) return undefined;
  const source = flags.db;
  if (source && existsSync(source) && statSync(source).isDirectory()) {
    let newest = 0;
    const walk = (d: string, depth: number) => {
      if (depth > 4) return;
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p, depth + 1);
        else if (/\.(ya?ml|json)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
      }
    };
    walk(source, 0);
    if (newest > 0) return new Date(Math.floor(newest / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
  }
  return undefined;
}

function cveExports(index: VulnerabilityIndex, flags: ExportFlags): { exports: CveExport[]; skipped: string[] } {
  const exports: CveExport[] = [];
  const skipped: string[] = [];
  for (const group of osvGroups(index.allAdvisories())) {
    if (flags.distribution !== undefined && !group.advisories.some((a) => a.distribution === flags.distribution)) continue;
    try {
      const cnaContainer = cnaContainerOfGroup(group, index, { orgId: flags.orgId, generator: `cpansec ${PACKAGE_VERSION}` });
      exports.push({ id: group.id, cveIds: cveIdsOf(group), cnaContainer });
    } catch (e) {
      if (!(e instanceof CpansecError)) throw e;
      skipped.push(e.message);
    }
  }
  return { exports, skipped };
}

/** The site feeds link to: an absolute http(s) URL, nothing else (a `javascript:` link in a feed reader is an attack). */
function checkBaseUrl(text: string): void {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname || url.username || url.password || url.search || url.hash) {
    throw new CpansecError('USAGE', `--base-url '${text}': not an http(s) URL of a site (e.g. https://security.example.org)`);
  }
}

async function runExport(format: Format, flags: ExportFlags): Promise<number> {
  const toDir = (format === 'osv' || format === 'cve5') && !flags.zip && flags.output !== undefined && flags.output !== '-';
  if (flags.zip && format !== 'osv') throw new CpansecError('USAGE', '--zip is for the osv format');
  if (flags.zip && (!flags.output || flags.output === '-') && process.stdout.isTTY) {
    throw new CpansecError('USAGE', 'a zip is binary: give --output FILE (or redirect stdout)');
  }
  if ((format === 'atom' || format === 'rss') && !flags.baseUrl) {
    throw new CpansecError('USAGE', `the ${format} feed needs --base-url (the public site its entries link to)`);
  }
  if (flags.baseUrl !== undefined) checkBaseUrl(flags.baseUrl);
  if (flags.output && flags.output !== '-') checkWritable(flags.output, toDir ? 'directory' : 'file');
  const index = await openIndex(flags.db);
  if (flags.distribution !== undefined && !index.hasDistribution(flags.distribution)) {
    throw new CpansecError('UNKNOWN_DISTRIBUTION', `no distribution '${flags.distribution}' in the database`);
  }
  switch (format) {
    case 'osv': {
      const records = osvRecords(index, { distribution: flags.distribution, modified: modifiedOf(index, flags) });
      if (flags.zip) emit(await osvZip(records), flags.output);
      else if (toDir) writeTreeAtomic(flags.output!, new Map(records.map((r) => [`${r.id}.json`, osvRecordJson(r)])));
      else emit(`${JSON.stringify(records, null, 2)}\n`, flags.output);
      process.stderr.write(`${records.length} OSV records\n`);
      return 0;
    }
    case 'cve5': {
      const { exports, skipped } = cveExports(index, flags);
      if (toDir) writeTreeAtomic(flags.output!, new Map(exports.map((x) => [`${x.id}.json`, `${JSON.stringify(x, null, 2)}\n`])));
      else emit(`${JSON.stringify(exports, null, 2)}\n`, flags.output);
      for (const s of skipped) process.stderr.write(`cpansec: ${s}\n`);
      process.stderr.write(`${exports.length} CNA containers, ${skipped.length} advisories that cannot be a CVE record\n`);
      return 0;
    }
    case 'atom':
    case 'rss': {
      const limit = flags.limit === undefined ? undefined : Number(flags.limit);
      if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new CpansecError('USAGE', `--limit ${flags.limit}: not a count`);
      const title = flags.title ?? `CPAN security advisories${flags.distribution ? ` for ${flags.distribution}` : ''}`;
      // undated advisories are dated by their releases (index), else by their OSV records' `modified`
      const modified = modifiedOf(index, flags) ?? databaseModified(index);
      const options = { baseUrl: flags.baseUrl!, title, distribution: flags.distribution, limit, index, ...(modified ? { modified } : {}) };
      emit(format === 'atom' ? toAtom(index.allAdvisories(), options) : toRss(index.allAdvisories(), options), flags.output);
      return 0;
    }
    case 'cpansa-json':
      emit(toCpansaJson(index, { distribution: flags.distribution, meta: { exported_by: `cpansec ${PACKAGE_VERSION}` } }), flags.output);
      return 0;
  }
}

export function register(program: Command, run: Run): void {
  program
    .command('export')
    .argument('<format>', FORMATS.join(' | '))
    .option('--db <path|url>', 'advisory database (default: the bundled one)')
    .option('-o, --output <path>', 'osv/cve5: a directory of <id>.json (an osv --zip: a file); others: a file; default stdout')
    .option('--distribution <name>', 'only this distribution')
    .option('--zip', 'osv: the whole set as one zip of <id>.json (osv.dev all.zip)')
    .option('--base-url <url>', 'atom/rss: the public site the entries link to')
    .option('--title <text>', 'atom/rss: the feed title')
    .option('--limit <n>', 'atom/rss: the newest n entries only')
    .option('--org-id <uuid>', 'cve5: the CNA org id (default CPANSec)')
    .option('--modified <time>', 'osv: the records\' modified time; atom/rss: the date of advisories with no reported date (RFC 3339; default the database generation time)')
    .description('export the advisories as OSV records, CVE JSON 5 CNA containers, Atom/RSS feeds or CPANSA JSON')
    .action(async (format: string, flags: ExportFlags) => {
      await run(async () => {
        if (!(FORMATS as readonly string[]).includes(format)) {
          throw new CpansecError('USAGE', `unknown export format '${format}' (${FORMATS.join(', ')})`);
        }
        return runExport(format as Format, flags);
      });
    });
}
