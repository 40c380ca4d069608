/**
 * The bundled database's file layout: the CPANSA JSON layout (so any JSON reader, cpan-audit
 * included, reads it as usual) written with one distribution a line:
 *
 *   {"meta":{…},
 *   "module2dist":{…},
 *   "dists":{
 *   "ActivePerl":{…},
 *   …
 *   "libwww-perl":{…}
 *   }}
 *
 * so start-up parses the module map and only the distributions a query touches, not all 4 MB: the
 * difference is most of `cpansec audit`'s run time.
 */
const LINE_LAYOUT_HEAD = '{"meta":';

/**
 * The meta key saying that the module map's keys are in code-unit order, so a module is found by a
 * binary search of the map's line (sortedModuleLookup) rather than a scan or a parse of all 8,000.
 * Only our writer sets it; a file that claims it falsely only hides its own modules, as a file that
 * omits them would.
 */
export const SORTED_MAP_KEY = 'module2dist_sorted';

/** Serialise a database in the CPANSA JSON layout, one distribution a line, the module map sorted. */
export function formatCpansaLines(meta: unknown, module2dist: Record<string, string>, dists: Record<string, unknown>): string {
  const names = Object.keys(dists);
  const sorted: Record<string, string> = {};
  // integer-like keys would be reordered by JSON.stringify: such a map is written unsorted, unmarked
  const keys = Object.keys(module2dist).sort();
  const sortable = !keys.some((k) => /^\d+$/.test(k));
  if (sortable) for (const k of keys) sorted[k] = module2dist[k]!;
  const head = sortable && typeof meta === 'object' && meta !== null ? { ...meta, [SORTED_MAP_KEY]: true } : meta;
  const lines = [
    `${LINE_LAYOUT_HEAD}${JSON.stringify(head)},`,
    `"module2dist":${JSON.stringify(sortable ? sorted : module2dist)},`,
    '"dists":{',
    ...names.map((n, i) => `${JSON.stringify(n)}:${JSON.stringify(dists[n])}${i < names.length - 1 ? ',' : ''}`),
    '}}',
  ];
  return `${lines.join('\n')}\n`;
}

/** What checking a version needs of a distribution, known without parsing its line (cpansa-table.ts). */
export interface DistributionSummary {
  mainModule?: string;
  /** each advisory's affected and fixed ranges, in the order of its advisories */
  ranges: { affected: string[]; fixed: string[] }[];
}

export interface CpansaLines {
  meta: Record<string, unknown>;
  /** parsed on call */
  module2dist: () => Record<string, unknown>;
  /** the module map's line, `"module2dist":{…},`, for lookups that parse one entry */
  module2distLine: Buffer;
  /** the distributions, in the file's order */
  names: string[];
  /** a distribution's entry, parsed on call (each call parses anew) */
  entry(name: string): unknown;
  /** a distribution's summary (read on call), when the file's line table gives them */
  summaryOf?: (name: string) => DistributionSummary;
  /**
   * a distribution's entry without its `versions` (read on call): its advisories need not wait for
   * a release list (Mojolicious lists 759 releases with their dates); undefined when the line has
   * another layout (the caller reads the whole entry)
   */
  entryHead?: (name: string) => unknown;
}

/**
 * Read a file in that layout without parsing the distributions; undefined when the file is not
 * in it (the caller then parses it whole). Each part is still checked as JSON when it is parsed.
 */
export function splitCpansaLines(buf: Buffer): CpansaLines | undefined {
  const lines: Buffer[] = [];
  for (let start = 0; start < buf.length; ) {
    const nl = buf.indexOf(10, start);
    const end = nl === -1 ? buf.length : nl;
    lines.push(buf.subarray(start, end));
    start = end + 1;
  }
  while (lines.length && lines.at(-1)!.length === 0) lines.pop();
  if (lines.length < 4) return undefined;
  const text = (b: Buffer) => b.toString('utf8');
  const first = text(lines[0]!);
  // the module map's line is checked by its bytes: decoding 340 KB a run needs a few entries of costs more
  const second = lines[1]!;
  const MAP_HEAD = '"module2dist":';
  if (!first.startsWith(LINE_LAYOUT_HEAD) || !first.endsWith(',')) return undefined;
  if (second.toString('latin1', 0, MAP_HEAD.length) !== MAP_HEAD || second[second.length - 1] !== 0x2c) return undefined;
  if (text(lines[2]!) !== '"dists":{' || text(lines.at(-1)!) !== '}}') return undefined;
  const bodies = new Map<string, Buffer>();
  for (const line of lines.slice(3, -1)) {
    const colon = line.indexOf('":');
    if (line[0] !== 0x22 || colon < 0) return undefined;
    const name = JSON.parse(text(line.subarray(0, colon + 1))) as string;
    const body = line.subarray(colon + 2, line[line.length - 1] === 0x2c ? line.length - 1 : line.length);
    bodies.set(name, body);
  }
  return {
    meta: JSON.parse(first.slice(LINE_LAYOUT_HEAD.length, -1)) as Record<string, unknown>,
    module2dist: () => JSON.parse(second.toString('utf8', MAP_HEAD.length, second.length - 1)) as Record<string, unknown>,
    module2distLine: lines[1]!,
    names: [...bodies.keys()],
    entry: (name) => JSON.parse(text(bodies.get(name)!)) as unknown,
  };
}

/**
 * Look up one module in the module map's line without parsing the map (8,000 modules, most of a
 * run's start-up when parsed): a native search for `"Module":"`, preceded by `{` or `,` so that it
 * is a key. Module names are plain ASCII words and colons; a name needing escapes is searched as
 * JSON writes it.
 */
export function lookupModuleLine(line: Buffer, module: string): string | undefined {
  const needle = Buffer.from(`${JSON.stringify(module)}:"`);
  for (let from = 0; ; ) {
    const at = line.indexOf(needle, from);
    if (at < 0) return undefined;
    from = at + 1;
    if (line[at - 1] !== 0x7b && line[at - 1] !== 0x2c) continue;
    const start = at + needle.length - 1;
    let end = start + 1;
    while (end < line.length && !(line[end] === 0x22 && line[end - 1] !== 0x5c)) end++;
    return JSON.parse(line.toString('utf8', start, end + 1)) as string;
  }
}

/** The JSON string `"…"` at [start, end) of a line: sliced directly when it has no escape. */
function jsonString(line: string, start: number, end: number): string {
  const s = line.slice(start + 1, end - 1);
  return /[\\\x00-\x1f]/.test(s) ? (JSON.parse(line.slice(start, end)) as string) : s;
}

/**
 * Look up one module in a sorted map's line (decoded once, as text) by binary search. Entries
 * are `"Key":"Value"` separated by `,`; an entry starts at a `"` just after `{` or `,` and its key
 * is followed by `":"`, so a position inside an entry is moved to the next entry's start. Text,
 * not the line's bytes: a string search is a native call, a Buffer's costs a dozen JavaScript calls
 * (measured: a lock's hundred lookups were 3% of its audit).
 */
export function lookupSortedModuleLine(line: string, module: string): string | undefined {
  const bodyStart = line.indexOf('{') + 1;
  const bodyEnd = line.lastIndexOf('}');
  if (bodyStart <= 0 || bodyEnd <= bodyStart) return undefined;
  // the first entry starting at or after p (bodyEnd when none)
  const entryAt = (p: number): number => {
    if (p <= bodyStart) return bodyStart;
    const comma = line.indexOf(',"', p - 1);
    return comma < 0 || comma >= bodyEnd ? bodyEnd : comma + 1;
  };
  // invariants: lo is an entry's start, every entry before lo sorts below the module, every one from hi above
  let lo = bodyStart;
  let hi = bodyEnd;
  while (lo < hi) {
    let start = entryAt((lo + hi) >>> 1);
    if (start >= hi) start = lo;
    const sep = line.indexOf('":"', start);
    const end = sep < 0 ? -1 : line.indexOf('"', sep + 3);
    if (sep < 0 || end < 0 || end >= bodyEnd) return undefined;
    const key = jsonString(line, start, sep + 1);
    if (key === module) return jsonString(line, sep + 2, end + 1);
    if (key < module) lo = end + 2;
    else hi = start;
  }
  return undefined;
}

/** Every module the map files under a distribution: the keys whose value is `"Dist"`. */
export function modulesOfLine(line: Buffer, distribution: string): string[] {
  const needle = Buffer.from(`":${JSON.stringify(distribution)}`);
  const out: string[] = [];
  for (let from = 0; ; ) {
    const at = line.indexOf(needle, from);
    if (at < 0) return out;
    from = at + 1;
    const after = line[at + needle.length];
    if (after !== 0x2c && after !== 0x7d) continue;
    // back to the key's opening quote, just after `{` or `,`
    let start = at - 1;
    while (start > 0 && !(line[start] === 0x22 && (line[start - 1] === 0x2c || line[start - 1] === 0x7b))) start--;
    out.push(JSON.parse(line.toString('utf8', start, at + 1)) as string);
  }
}
