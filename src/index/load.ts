/**
 * Loading an advisory database: the bundled snapshot, a CPANSA JSON file (the layout CPAN::Audit
 * uses: `{dists: {NAME: {advisories, versions, main_module}}, module2dist}`), or a directory of
 * advisory report files in our format (YAML, one per distribution) with an optional `releases.json`
 * in the CPANSA JSON layout for the released versions and the module map.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from '../paths.js';
import {
  fromCpansaRecord,
  type Advisory,
  readReport,
  type AdvisoryDatabase,
  type DistributionRecord,
  type Release,
} from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { splitCpansaLines } from './cpansa-lines.js';

export { DATA_DIR };
export const BUNDLED_DATABASE = path.join(DATA_DIR, 'cpansa.json');

type Raw = Record<string, unknown>;

function releasesOf(raw: unknown): Release[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((r): Release[] => {
    if (r === null || r === undefined) return [];
    if (typeof r !== 'object') return [{ version: String(r) }];
    const o = r as Raw;
    if (o.version === null || o.version === undefined) return [];
    return [{ version: String(o.version), ...(o.date ? { date: String(o.date) } : {}) }];
  });
}

/**
 * A distribution whose advisories and releases are converted on first use: start-up reads 418
 * distributions but a query touches a few (this keeps loading the bundled index under 50 ms).
 */
function lazyRecord(name: string, entry: () => Raw): DistributionRecord {
  let advisories: Advisory[] | undefined;
  let releases: Release[] | undefined;
  let raw: Raw | undefined;
  const d = () => (raw ??= entry());
  return {
    name,
    get mainModule(): string | undefined {
      const m = d().main_module;
      return typeof m === 'string' ? m : undefined;
    },
    get advisories(): Advisory[] {
      const list = d().advisories;
      advisories ??= (Array.isArray(list) ? list : []).map((a) => fromCpansaRecord(a as Raw, name));
      return advisories;
    },
    set advisories(value: Advisory[]) {
      advisories = value;
    },
    get releases(): Release[] {
      releases ??= releasesOf(d().versions);
      return releases;
    },
    set releases(value: Release[]) {
      releases = value;
    },
  };
}

function notJson(file: string, e: unknown): CpansecError {
  return new CpansecError('PARSE_ERROR', `not JSON: ${(e as Error).message}`, { file });
}

function database(meta: unknown, module2dist: () => unknown, dists: Iterable<[string, () => Raw]>): AdvisoryDatabase {
  const distributions = new Map<string, DistributionRecord>();
  for (const [name, entry] of dists) distributions.set(name, lazyRecord(name, entry));
  let modules: Map<string, string> | undefined;
  return {
    meta: (meta as Raw) ?? {},
    distributions,
    // built on first use: auditing a snapshot names distributions and never needs the 8,000 modules
    get moduleToDistribution(): Map<string, string> {
      if (!modules) {
        modules = new Map();
        const raw = module2dist();
        if (raw && typeof raw === 'object') for (const [m, dist] of Object.entries(raw as Raw)) modules.set(m, String(dist));
      }
      return modules;
    },
    set moduleToDistribution(value: Map<string, string>) {
      modules = value;
    },
  };
}

/** Parse a database in the CPANSA JSON layout. */
export function parseCpansaJson(text: string, file: string): AdvisoryDatabase {
  let doc: Raw;
  try {
    doc = JSON.parse(text) as Raw;
  } catch (e) {
    throw notJson(file, e);
  }
  if (!doc || typeof doc !== 'object' || typeof doc.dists !== 'object' || doc.dists === null) {
    throw new CpansecError('PARSE_ERROR', "not a CPANSA database: no 'dists' object", { file });
  }
  const entries = Object.entries(doc.dists as Record<string, Raw>).map(([name, d]): [string, () => Raw] => {
    if (!d || typeof d !== 'object') throw new CpansecError('PARSE_ERROR', `dists.${name} is not an object`, { file });
    return [name, () => d];
  });
  return database(doc.meta, () => doc.module2dist, entries);
}

/** Parse a CPANSA JSON file, fast when it is in the one-distribution-a-line layout (cpansa-lines.ts). */
export function parseCpansaBuffer(buf: Buffer, file: string): AdvisoryDatabase {
  let lines;
  try {
    lines = splitCpansaLines(buf);
  } catch (e) {
    throw notJson(file, e);
  }
  if (!lines) return parseCpansaJson(buf.toString('utf8'), file);
  const entries = [...lines.dists].map(([name, parse]): [string, () => Raw] => [
    name,
    () => {
      let d;
      try {
        d = parse();
      } catch (e) {
        throw new CpansecError('PARSE_ERROR', `dists.${name}: not JSON: ${(e as Error).message}`, { file });
      }
      if (!d || typeof d !== 'object') throw new CpansecError('PARSE_ERROR', `dists.${name} is not an object`, { file });
      return d;
    },
  ]);
  const modules = lines.module2dist;
  return database(lines.meta, () => {
    try {
      return modules();
    } catch (e) {
      throw new CpansecError('PARSE_ERROR', `module2dist: not JSON: ${(e as Error).message}`, { file });
    }
  }, entries);
}

function yamlFiles(dir: string, depth = 0): string[] {
  if (depth > 4) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return yamlFiles(p, depth + 1);
      return e.isFile() && /\.ya?ml$/.test(e.name) ? [p] : [];
    });
}

/** Read a directory of advisory report files (and its optional releases.json). */
export function loadReportsDirectory(dir: string): AdvisoryDatabase {
  const releasesFile = path.join(dir, 'releases.json');
  const db: AdvisoryDatabase = existsSync(releasesFile)
    ? parseCpansaJson(readFileSync(releasesFile, 'utf8'), releasesFile)
    : { meta: {}, distributions: new Map(), moduleToDistribution: new Map() };
  for (const d of db.distributions.values()) d.advisories = [];
  const files = yamlFiles(dir);
  if (files.length === 0) throw new CpansecError('NOT_FOUND', 'no advisory files (*.yml) in the directory', { file: dir });
  for (const file of files) {
    const report = readReport(readFileSync(file, 'utf8'), file);
    if (!report.distribution) throw new CpansecError('PARSE_ERROR', "the report names no 'distribution'", { file });
    let record = db.distributions.get(report.distribution);
    if (!record) {
      record = { name: report.distribution, releases: [], advisories: [] };
      db.distributions.set(report.distribution, record);
    }
    record.advisories.push(...report.advisories);
    record.meta = { ...record.meta, ...report.meta };
  }
  db.meta = { ...db.meta, source: dir };
  return db;
}

/** Load a database from a CPANSA JSON file or a directory of advisory files. */
export function loadDatabase(location: string): AdvisoryDatabase {
  let stat;
  try {
    stat = statSync(location);
  } catch {
    throw new CpansecError('NOT_FOUND', 'no such database file or directory', { file: location });
  }
  if (stat.isDirectory()) return loadReportsDirectory(location);
  let buf: Buffer;
  try {
    buf = readFileSync(location);
  } catch (e) {
    throw new CpansecError('IO_ERROR', `cannot read: ${(e as Error).message}`, { file: location });
  }
  return parseCpansaBuffer(buf, location);
}

/** The advisory database bundled with cpansec (the CPANSA data; see data/README.md). */
export function loadBundledDatabase(): AdvisoryDatabase {
  return parseCpansaBuffer(readFileSync(BUNDLED_DATABASE), BUNDLED_DATABASE);
}
