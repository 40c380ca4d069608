/**
 * The line table of a file in the one-distribution-a-line layout (cpansa-lines.ts): where each part
 * starts and how long it is, in bytes. The bundled database ships with its table
 * (data/cpansa.lines.json), so an audit reads the few lines it needs from the 4 MB file instead of
 * reading and splitting all of it (measured: a tenth of an `audit deps` run).
 *
 * A table that does not match its file (the file edited by hand, not regenerated) must never give a
 * wrong answer: the file's size is compared when the table is opened, and each part read is checked
 * to be exactly one whole line holding the expected key.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { fromCpansaRecord } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import type { CpansaLines } from './cpansa-lines.js';

/** A part of the file: [offset, length] of its line, without the newline. */
export type Span = [number, number];

/**
 * A distribution's line, with what a check of a version needs from it: an audit parses the line
 * (DBD-SQLite's is 346 KB) only for a distribution that some advisory affects.
 */
export interface DistributionLine {
  at: Span;
  /** main_module, when a string */
  main?: string;
  /**
   * each advisory's [affected_versions, fixed_versions], in the line's order, as JSON text: parsed
   * for the distributions a run checks, not for all 418 when the table is read
   */
  ranges: string;
}

export interface LineTable {
  /** the byte size of the file the table describes */
  size: number;
  meta: Span;
  module2dist: Span;
  dists: Record<string, DistributionLine>;
}

const META_HEAD = '{"meta":';
const MAP_HEAD = '"module2dist":';
const VERSIONS_KEY = ',"versions":[';

/** The table of a file in the line layout; undefined when it is not in that layout. */
export function lineTable(buf: Buffer): LineTable | undefined {
  const spans: Span[] = [];
  for (let start = 0; start < buf.length; ) {
    const nl = buf.indexOf(10, start);
    const end = nl === -1 ? buf.length : nl;
    spans.push([start, end - start]);
    start = end + 1;
  }
  while (spans.length && spans.at(-1)![1] === 0) spans.pop();
  if (spans.length < 4) return undefined;
  const text = ([o, l]: Span) => buf.toString('utf8', o, o + l);
  if (!text(spans[0]!).startsWith(META_HEAD) || !text(spans[1]!).startsWith(MAP_HEAD) || text(spans[2]!) !== '"dists":{') return undefined;
  const dists: Record<string, DistributionLine> = {};
  for (const span of spans.slice(3, -1)) {
    const line = buf.subarray(span[0], span[0] + span[1]);
    const colon = line.indexOf('":');
    if (line[0] !== 0x22 || colon < 0) return undefined;
    const name = JSON.parse(line.toString('utf8', 0, colon + 1)) as string;
    const entry = JSON.parse(line.toString('utf8', colon + 2, line[line.length - 1] === 0x2c ? line.length - 1 : line.length)) as Record<string, unknown>;
    const advisories = Array.isArray(entry.advisories) ? (entry.advisories as Record<string, unknown>[]) : [];
    dists[name] = {
      at: span,
      ...(typeof entry.main_module === 'string' ? { main: entry.main_module } : {}),
      ranges: JSON.stringify(
        advisories.map((a) => {
          const { affectedVersions, fixedVersions } = fromCpansaRecord(a, name);
          return [affectedVersions, fixedVersions];
        }),
      ),
    };
  }
  return { size: buf.length, meta: spans[0]!, module2dist: spans[1]!, dists };
}

const isSpan = (v: unknown): v is Span => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isSafeInteger(n) && n >= 0);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isDistributionLine = (v: unknown): v is DistributionLine => {
  if (typeof v !== 'object' || v === null) return false;
  const d = v as Partial<DistributionLine>;
  return isSpan(d.at) && (d.main === undefined || typeof d.main === 'string') && typeof d.ranges === 'string';
};
const isRanges = (v: unknown): v is [string[], string[]][] => Array.isArray(v) && v.every((r) => Array.isArray(r) && r.length === 2 && isStrings(r[0]) && isStrings(r[1]));
const parsedRanges = (text: string): [string[], string[]][] | undefined => {
  try {
    const v = JSON.parse(text) as unknown;
    return isRanges(v) ? v : undefined;
  } catch {
    return undefined;
  }
};

/** A parsed table file, checked for shape; undefined when it is not one. */
export function asLineTable(raw: unknown): LineTable | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const t = raw as Partial<LineTable>;
  if (!Number.isSafeInteger(t.size) || !isSpan(t.meta) || !isSpan(t.module2dist)) return undefined;
  // each distribution's entry is checked when it is used: a run uses a few of 400
  if (typeof t.dists !== 'object' || t.dists === null || Array.isArray(t.dists)) return undefined;
  return t as LineTable;
}

/**
 * The file's parts read through its table, each when first asked for; undefined when the file's
 * size or first line is not the table's (the table is stale: the caller reads the whole file).
 */
export function readByTable(file: string, table: LineTable): CpansaLines | undefined {
  const fd = openSync(file, 'r');
  let open = true;
  try {
    if (fstatSync(fd).size !== table.size) return undefined;
  } catch (e) {
    closeSync(fd);
    throw e;
  }
  // the file stays open for the lazy reads of a short-lived process; a server reads every line and
  // the last read closes it
  let unread = Object.keys(table.dists).length + 2;
  const stale = (what: string) =>
    new CpansecError('PARSE_ERROR', `${what}: the line table (cpansa.lines.json) does not match the file: regenerate both (npm run data:bundle)`, { file });
  /** The line at span, with the newline before and after it checked. */
  const line = ([offset, length]: Span, what: string, head: string): Buffer => {
    if (!open) throw stale(what);
    const before = offset > 0 ? 1 : 0;
    const buf = Buffer.allocUnsafe(length + before + 1);
    const n = readSync(fd, buf, 0, buf.length, offset - before);
    const body = buf.subarray(before, before + length);
    const bounded = (before === 0 || buf[0] === 10) && (n === buf.length ? buf[n - 1] === 10 : n === length + before);
    if (!bounded || body.toString('utf8', 0, head.length) !== head) throw stale(what);
    if (--unread === 0) {
      open = false;
      closeSync(fd);
    }
    return body;
  };
  let metaLine: string;
  try {
    metaLine = line(table.meta, 'meta', META_HEAD).toString('utf8');
    if (!metaLine.endsWith(',')) throw stale('meta');
  } catch {
    // the table does not describe this file: it is read whole
    closeSync(fd);
    return undefined;
  }
  let mapLine: Buffer | undefined;
  const map = () => (mapLine ??= line(table.module2dist, 'module2dist', MAP_HEAD));
  const entry = (name: string): DistributionLine => {
    const d = Object.hasOwn(table.dists, name) ? table.dists[name] : undefined;
    if (!isDistributionLine(d)) throw stale(`dists.${name}`);
    return d;
  };
  const bodies = new Map<string, Buffer>();
  /** The entry's text, from after `"Name":` to its end (without the comma between entries). */
  const entryText = (name: string): string => {
    let body = bodies.get(name);
    if (!body) {
      body = line(entry(name).at, `dists.${name}`, `${JSON.stringify(name)}:`);
      bodies.set(name, body);
    }
    const end = body[body.length - 1] === 0x2c ? body.length - 1 : body.length;
    return body.toString('utf8', Buffer.byteLength(JSON.stringify(name)) + 1, end);
  };
  return {
    meta: JSON.parse(metaLine.slice(META_HEAD.length, -1)) as Record<string, unknown>,
    module2dist: () => {
      const m = map();
      return JSON.parse(m.toString('utf8', MAP_HEAD.length, m.length - 1)) as Record<string, unknown>;
    },
    get module2distLine() {
      return map();
    },
    names: Object.keys(table.dists),
    entry: (name) => JSON.parse(entryText(name)) as unknown,
    entryHead: (name) => {
      // `{…,"versions":[…]}`: the last `,"versions":[` of the text is the entry's own key when it
      // is the last one (in a string it would be escaped; in an advisory it would not leave the
      // head balanced, and the head then does not parse): else the whole entry is read
      const text = entryText(name);
      const at = text.lastIndexOf(VERSIONS_KEY);
      if (at < 0 || !text.endsWith(']}')) return undefined;
      try {
        return JSON.parse(`${text.slice(0, at)}}`) as unknown;
      } catch {
        return undefined;
      }
    },
    summaryOf: (name) => {
      const { main, ranges: text } = entry(name);
      const ranges = parsedRanges(text);
      if (!ranges) throw stale(`dists.${name}`);
      return { ...(main !== undefined ? { mainModule: main } : {}), ranges: ranges.map(([affected, fixed]) => ({ affected, fixed })) };
    },
  };
}
