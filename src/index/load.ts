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
  kindOf,
  recordShapeProblems,
  type Advisory,
  readReport,
  type AdvisoryDatabase,
  type DistributionRecord,
  type Release,
} from '../advisory/index.js';
import { CpansecError, isCpansecError } from '../errors.js';
import { lookupModuleLine, lookupSortedModuleLine, modulesOfLine, SORTED_MAP_KEY, splitCpansaLines, type CpansaLines, type DistributionSummary } from './cpansa-lines.js';
import { asLineTable, readByTable, type LineTable } from './cpansa-table.js';
import { readReleaseLines } from './cpansa-releases.js';
import { releasesOf, type SortedVersions } from './releases.js';

/** Lookups in a module map not yet parsed (the bundled layout): one entry at a time. */
export interface ModuleLookup {
  distributionOf(module: string): string | undefined;
  /** lookups are a binary search: never worth parsing the map for */
  sorted: boolean;
  modulesOf(distribution: string): string[];
}
const lookups = new WeakMap<AdvisoryDatabase, ModuleLookup>();

/** The lazy module lookups of a database read from the one-a-line layout, if it was. */
export function moduleLookupOf(db: AdvisoryDatabase): ModuleLookup | undefined {
  return lookups.get(db);
}

export { DATA_DIR };
export const BUNDLED_DATABASE = path.join(DATA_DIR, 'cpansa.json');
/** Where each line of the bundled database is (written with it by scripts/bundle-data.ts). */
export const BUNDLED_LINE_TABLE = path.join(DATA_DIR, 'cpansa.lines.json');
/** Each distribution's release versions, sorted (written with it, cpansa-releases.ts). */
export const BUNDLED_RELEASES = path.join(DATA_DIR, 'cpansa.releases.json');

type Raw = Record<string, unknown>;

/** Where a distribution's entry is: the file, and its line in the one-a-line layout. */
interface EntrySource {
  file: string;
  line?: number;
}

function entryError(name: string, where: EntrySource, key: string, message: string): CpansecError {
  return new CpansecError('PARSE_ERROR', `dists.${name}.${key}: ${message}`, where);
}

/**
 * The entry's `advisories`, `versions` and `main_module` have the types the CPANSA layout gives
 * them: a wrong one is an error naming the key, never read as "no advisories" or "no releases".
 * Absent keys are empty (a releases.json beside advisory files has no advisories).
 */
function checkEntry(name: string, d: Raw, where: EntrySource): void {
  const { advisories, versions, main_module: mainModule } = d;
  if (advisories !== undefined) {
    if (!Array.isArray(advisories)) throw entryError(name, where, 'advisories', `expected a list of advisories, got ${kindOf(advisories)}`);
    advisories.forEach((a, i) => {
      const problem = recordShapeProblems(a)[0];
      if (problem) throw entryError(name, where, `advisories[${i}]${problem.key ? `.${problem.key}` : ''}`, problem.message);
    });
  }
  if (versions !== undefined) {
    if (!Array.isArray(versions)) throw entryError(name, where, 'versions', `expected a list of releases, got ${kindOf(versions)}`);
    versions.forEach((r, i) => {
      const ok = typeof r === 'string' || typeof r === 'number' || (isRaw(r) && 'version' in r && (r.version === null || typeof r.version === 'string' || typeof r.version === 'number'));
      if (!ok) throw entryError(name, where, `versions[${i}]`, `expected a release {version, date}, got ${kindOf(r)}`);
    });
  }
  if (mainModule !== undefined && mainModule !== null && typeof mainModule !== 'string') {
    throw entryError(name, where, 'main_module', `expected a module name, got ${kindOf(mainModule)}`);
  }
}

const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a database's distribution entries come from, each read when first asked for. */
interface Entries {
  /** the entry, checked to be an object (not yet for its keys) */
  entry(name: string): Raw;
  where(name: string): EntrySource;
  summaryOf?(name: string): DistributionSummary;
  entryHead?(name: string): unknown;
  sortedVersionsOf?(name: string): SortedVersions | undefined;
}

/**
 * A distribution whose advisories and releases are converted on first use: start-up reads 418
 * distributions but a query touches a few (this keeps loading the bundled index under 50 ms).
 * The entry's shape is checked whole on first use, so `VulnerabilityIndex.validate()` (which
 * reads every distribution's advisories) finds a bad entry in any key. A class rather than
 * closures: one small object for each of the 418, most of which a run never touches.
 */
class LazyDistribution implements DistributionRecord {
  private raw?: Raw;
  private summaryRead?: DistributionSummary;
  private advisoriesRead?: Advisory[];
  private advisoriesReplaced = false;
  private releasesRead?: Release[];
  private releasesReplaced = false;

  constructor(
    readonly name: string,
    private readonly entries: Entries,
  ) {}

  private d(): Raw {
    if (!this.raw) {
      const e = this.entries.entry(this.name);
      checkEntry(this.name, e, this.entries.where(this.name));
      this.raw = e;
    }
    return this.raw;
  }

  private summary(): DistributionSummary | undefined {
    if (!this.entries.summaryOf) return undefined;
    return (this.summaryRead ??= this.entries.summaryOf(this.name));
  }

  get mainModule(): string | undefined {
    if (!this.raw && this.entries.summaryOf) return this.summary()!.mainModule;
    const m = this.d().main_module;
    return typeof m === 'string' ? m : undefined;
  }

  get advisoryRanges(): DistributionSummary['ranges'] | undefined {
    return this.advisoriesReplaced ? undefined : this.summary()?.ranges;
  }

  get advisories(): Advisory[] {
    this.advisoriesRead ??= ((this.withAdvisories().advisories ?? []) as Raw[]).map((a) => fromCpansaRecord(a, this.name));
    return this.advisoriesRead;
  }

  /** The entry, or (the bundled layout, read through its table) the entry without its release list. */
  private withAdvisories(): Raw {
    if (this.raw || !this.entries.entryHead) return this.d();
    const head = this.entries.entryHead(this.name);
    // a head that lacks the advisories the table counts is not this layout: the entry is read whole
    if (!isRaw(head) || (!Array.isArray(head.advisories) && this.summary()?.ranges.length)) return this.d();
    checkEntry(this.name, head, this.entries.where(this.name));
    return head;
  }

  set advisories(value: Advisory[]) {
    this.advisoriesRead = value;
    this.advisoriesReplaced = true;
  }

  get releases(): Release[] {
    this.releasesRead ??= releasesOf(this.d().versions);
    return this.releasesRead;
  }

  set releases(value: Release[]) {
    this.releasesRead = value;
    this.releasesReplaced = true;
  }

  get sortedReleaseVersions(): SortedVersions | undefined {
    return this.releasesReplaced ? undefined : this.entries.sortedVersionsOf?.(this.name);
  }

  // the list as read, for an exact export; not once the releases were replaced
  get releaseList(): unknown[] | undefined {
    const v = this.d().versions;
    return !this.releasesReplaced && Array.isArray(v) ? v : undefined;
  }
}

function notJson(file: string, e: unknown): CpansecError {
  return new CpansecError('PARSE_ERROR', `not JSON: ${(e as Error).message}`, { file });
}

/** module2dist: a mapping of module names to distribution names (absent: none). */
function moduleMap(raw: unknown, file: string): Map<string, string> {
  const modules = new Map<string, string>();
  if (raw === undefined || raw === null) return modules;
  if (!isRaw(raw)) throw new CpansecError('PARSE_ERROR', `module2dist: expected a mapping of modules to distributions, got ${kindOf(raw)}`, { file });
  for (const [m, dist] of Object.entries(raw)) {
    if (typeof dist !== 'string') throw new CpansecError('PARSE_ERROR', `module2dist.${m}: expected a distribution name, got ${kindOf(dist)}`, { file });
    modules.set(m, dist);
  }
  return modules;
}

function database(file: string, meta: unknown, module2dist: () => Map<string, string>, names: Iterable<string>, entries: Entries): AdvisoryDatabase {
  if (meta !== undefined && meta !== null && !isRaw(meta)) throw new CpansecError('PARSE_ERROR', `meta: expected a mapping, got ${kindOf(meta)}`, { file });
  const distributions = new Map<string, DistributionRecord>();
  for (const name of names) distributions.set(name, new LazyDistribution(name, entries));
  let modules: Map<string, string> | undefined;
  return {
    meta: (meta as Raw | null | undefined) ?? {},
    distributions,
    // built on first use: auditing a snapshot names distributions and never needs the 8,000 modules
    get moduleToDistribution(): Map<string, string> {
      modules ??= module2dist();
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
  const dists = doc.dists as Record<string, Raw>;
  for (const [name, d] of Object.entries(dists)) if (!isRaw(d)) throw new CpansecError('PARSE_ERROR', `dists.${name} is not an object`, { file });
  const modules = moduleMap(doc.module2dist, file);
  return database(file, doc.meta, () => modules, Object.keys(dists), { entry: (name) => dists[name]!, where: () => ({ file }) });
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
  return fromLines(lines, file);
}

/**
 * A database whose parts are parsed as they are first used; `sortedVersionsOf` gives a
 * distribution's sorted release versions where the bundled data has them.
 */
function fromLines(lines: CpansaLines, file: string, sortedVersionsOf?: (name: string) => SortedVersions | undefined): AdvisoryDatabase {
  // one distribution a line, from the file's fourth line on (looked up for an error only)
  const where = (name: string): EntrySource => ({ file, line: lines.names.indexOf(name) + 4 });
  const entries: Entries = {
    entry(name) {
      let d;
      try {
        d = lines.entry(name);
      } catch (e) {
        if (isCpansecError(e)) throw e;
        throw new CpansecError('PARSE_ERROR', `dists.${name}: not JSON: ${(e as Error).message}`, where(name));
      }
      if (!isRaw(d)) throw new CpansecError('PARSE_ERROR', `dists.${name} is not an object`, where(name));
      return d;
    },
    where,
    ...(lines.summaryOf ? { summaryOf: lines.summaryOf } : {}),
    ...(lines.entryHead ? { entryHead: lines.entryHead } : {}),
    ...(sortedVersionsOf ? { sortedVersionsOf } : {}),
  };
  const modules = lines.module2dist;
  // the line is read when first needed (through the line table, it is not read yet)
  const line = () => lines.module2distLine;
  let text: string | undefined;
  const lineText = () => (text ??= line().toString('utf8'));
  const db = database(file, lines.meta, () => {
    let raw;
    try {
      raw = modules();
    } catch (e) {
      if (isCpansecError(e)) throw e;
      throw new CpansecError('PARSE_ERROR', `module2dist: not JSON: ${(e as Error).message}`, { file, line: 2 });
    }
    return moduleMap(raw, file);
  }, lines.names, entries);
  const guarded = <T>(f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (isCpansecError(e)) throw e;
      throw new CpansecError('PARSE_ERROR', `module2dist: not JSON: ${(e as Error).message}`, { file, line: 2 });
    }
  };
  const sorted = lines.meta[SORTED_MAP_KEY] === true;
  lookups.set(db, {
    distributionOf: (m) => guarded(() => (sorted ? lookupSortedModuleLine(lineText(), m) : lookupModuleLine(line(), m))),
    sorted,
    modulesOf: (d) => guarded(() => modulesOfLine(line(), d)),
  });
  return db;
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
  if (existsSync(releasesFile) && !statSync(releasesFile).isFile()) throw new CpansecError('USAGE', 'not a regular file', { file: releasesFile });
  const db: AdvisoryDatabase = existsSync(releasesFile)
    ? parseCpansaJson(readFileSync(releasesFile, 'utf8'), releasesFile)
    : { meta: {}, distributions: new Map(), moduleToDistribution: new Map() };
  for (const d of db.distributions.values()) {
    // the release data is checked now: its advisories are replaced by the files' (validate() reads those)
    void d.releases;
    void d.mainModule;
    d.advisories = [];
  }
  const files = yamlFiles(dir);
  if (files.length === 0) throw new CpansecError('NOT_FOUND', 'no advisory files (*.yml) in the directory', { file: dir });
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new CpansecError('IO_ERROR', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
    }
    const report = readReport(text, file);
    if (!report.distribution) throw new CpansecError('PARSE_ERROR', "the report names no 'distribution'", { file });
    report.raw.forEach((raw, i) => {
      const problem = recordShapeProblems(raw)[0];
      if (!problem) return;
      const lines = report.lines[i]!;
      const line = (problem.index !== undefined ? lines.items[problem.key]?.[problem.index] : undefined) ?? lines.keys[problem.key] ?? lines.start;
      throw new CpansecError('PARSE_ERROR', `${typeof raw.id === 'string' ? `${raw.id}: ` : ''}${problem.message}`, { file, line });
    });
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
  // a FIFO or device would block or stream without end
  if (!stat.isFile()) throw new CpansecError('USAGE', 'not a regular file or directory (a FIFO or device?): give a database file', { file: location });
  let buf: Buffer;
  try {
    buf = readFileSync(location);
  } catch (e) {
    throw new CpansecError('IO_ERROR', `cannot read: ${(e as Error).message}`, { file: location });
  }
  return parseCpansaBuffer(buf, location);
}

/**
 * The advisory database bundled with cpansec (the CPANSA data; see data/README.md), read through
 * its line table when the table matches it (cpansa-table.ts), else whole.
 */
export function loadBundledDatabase(): AdvisoryDatabase {
  let table: LineTable | undefined;
  try {
    table = asLineTable(JSON.parse(readFileSync(BUNDLED_LINE_TABLE, 'utf8')));
  } catch {
    table = undefined;
  }
  const lines = table ? readByTable(BUNDLED_DATABASE, table) : undefined;
  if (!lines) return parseCpansaBuffer(readFileSync(BUNDLED_DATABASE), BUNDLED_DATABASE);
  // read when a remediation first needs it
  let sorted: ReturnType<typeof readReleaseLines> | null | undefined;
  const size = table!.size;
  return fromLines(lines, BUNDLED_DATABASE, (name) => (sorted === undefined ? (sorted = readReleaseLines(BUNDLED_RELEASES, size) ?? null) : sorted)?.(name));
}
