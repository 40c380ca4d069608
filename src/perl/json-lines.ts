/**
 * A JSON object written with one member a line, read one member at a time: start-up finds the line
 * of the key it needs in the file's bytes (a native search) and parses that line only, rather than
 * parsing and keeping in memory a whole map of which a run needs a few entries.
 *
 *   {"header":…,"members":{
 *   "Key::One":[…],
 *   "Key::Two":[…]
 *   }}
 *
 * The file stays one valid JSON document that any reader can parse whole.
 */
import { isAscii } from 'node:buffer';

/**
 * The head's key saying the member lines are in code-unit order of their keys (our writer sorts
 * them): a reader then finds a key by binary search. A file that claims it falsely hides only its
 * own entries, as one that omits them would.
 */
const sortedKey = (name: string) => `${name}_sorted`;

/** Serialise: `head` holds the other top-level members; `name` is the member written a line per key. */
export function formatJsonLines(head: Record<string, unknown>, name: string, members: Record<string, unknown>): string {
  const first = JSON.stringify({ ...head, [sortedKey(name)]: true }).slice(0, -1);
  const keys = Object.keys(members).sort();
  const lines = keys.map((k, i) => `${JSON.stringify(k)}:${JSON.stringify(members[k])}${i < keys.length - 1 ? ',' : ''}`);
  return `${first}${first.length > 1 ? ',' : ''}${JSON.stringify(name)}:{\n${lines.join('\n')}\n}}\n`;
}

export interface JsonLines {
  /** the top-level members other than the one written a line per key */
  head: Record<string, unknown>;
  /** one member's value, parsed on request; undefined when absent */
  get(key: string): unknown;
  /** every key (parses nothing but the keys) */
  keys(): string[];
}

/** Read that layout; undefined when the bytes are not in it (then parse the file whole). */
export function readJsonLines(buf: Buffer, name: string): JsonLines | undefined {
  const nl = buf.indexOf(10);
  if (nl < 0) return undefined;
  const firstLine = buf.toString('utf8', 0, nl);
  const marker = `${JSON.stringify(name)}:{`;
  if (!firstLine.endsWith(marker)) return undefined;
  let head: Record<string, unknown>;
  try {
    const rest = firstLine.slice(0, -marker.length);
    head = JSON.parse(`${rest.endsWith(',') ? rest.slice(0, -1) : rest}}`) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const cache = new Map<string, unknown>();
  const value = (at: [number, number] | undefined): unknown => (at ? (JSON.parse(buf.toString('utf8', at[0], at[1])) as unknown) : undefined);
  // a sorted file of plain keys (ASCII, no escapes): each key found by a binary search of its
  // lines (a run asks some hundred of a thousand keys; indexing them all cost more)
  const search = head[sortedKey(name)] === true && isAscii(buf) && buf.indexOf(0x5c) < 0 ? sortedLines(buf.toString('latin1'), nl + 1) : undefined;
  // else where each member's line is, found once by walking the line starts rather than by
  // searching the whole file for every key asked
  let offsets: Map<string, [number, number]> | undefined;
  const index = () => {
    if (offsets) return offsets;
    offsets = new Map();
    for (let start = nl + 1; start < buf.length; ) {
      let end = buf.indexOf(10, start);
      if (end < 0) end = buf.length;
      if (buf[start] === 0x22) {
        const colon = keyEnd(buf, start, end);
        if (colon > 0 && buf[colon + 1] === 0x3a) {
          const raw = buf.toString('latin1', start + 1, colon);
          // a key with escapes or non-ASCII bytes is read as JSON
          const key = /[\\\x80-\xff]/.test(raw) ? (JSON.parse(buf.toString('utf8', start, colon + 1)) as string) : raw;
          offsets.set(key, [colon + 2, buf[end - 1] === 0x2c ? end - 1 : end]);
        }
      }
      start = end + 1;
    }
    return offsets;
  };
  return {
    head,
    get(key: string): unknown {
      if (cache.has(key)) return cache.get(key);
      const found = search ? search(key) : index().get(key);
      const v = value(found === SEARCH_FAILED ? index().get(key) : found);
      cache.set(key, v);
      return v;
    },
    keys(): string[] {
      return [...index().keys()];
    },
  };
}

const SEARCH_FAILED = 'failed';

/** The closing quote of the JSON string opening at `start`, before `end` (-1: none). */
function keyEnd(buf: Buffer, start: number, end: number): number {
  for (let i = start + 1; i < end; i++) {
    if (buf[i] === 0x5c) i++;
    else if (buf[i] === 0x22) return i;
  }
  return -1;
}

/**
 * Binary search of the member lines `"Key":…` from `first` to the closing `}}`: the value's span,
 * undefined when absent, SEARCH_FAILED at a line not in the layout (then the lines are indexed).
 */
function sortedLines(text: string, first: number): (key: string) => [number, number] | undefined | typeof SEARCH_FAILED {
  const last = text.lastIndexOf('\n}}') + 1;
  return (key) => {
    // lo is a line's start; the lines before lo sort below the key, those from hi above it
    let lo = first;
    let hi = last;
    while (lo < hi) {
      const start = Math.max(lo, text.lastIndexOf('\n', ((lo + hi) >>> 1) - 1) + 1);
      const nl = text.indexOf('\n', start);
      // no key has an escape (checked): its closing quote is the next one
      const colon = text.indexOf('"', start + 1);
      if (text.charCodeAt(start) !== 0x22 || nl < 0 || colon < 0 || colon > nl || text.charCodeAt(colon + 1) !== 0x3a) return SEARCH_FAILED;
      const k = text.slice(start + 1, colon);
      if (k === key) return [colon + 2, text.charCodeAt(nl - 1) === 0x2c ? nl - 1 : nl];
      if (k < key) lo = nl + 1;
      else hi = start;
    }
    return undefined;
  };
}
