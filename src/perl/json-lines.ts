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

/** Serialise: `head` holds the other top-level members; `name` is the member written a line per key. */
export function formatJsonLines(head: Record<string, unknown>, name: string, members: Record<string, unknown>): string {
  const first = JSON.stringify(head).slice(0, -1);
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
  // where each member's line is, found once by walking the line starts (a thousand lines) rather
  // than by searching the whole file for every key asked
  let offsets: Map<string, [number, number]> | undefined;
  const index = () => {
    if (offsets) return offsets;
    offsets = new Map();
    for (let start = nl + 1; start < buf.length; ) {
      let end = buf.indexOf(10, start);
      if (end < 0) end = buf.length;
      if (buf[start] === 0x22) {
        const colon = buf.indexOf('":', start);
        if (colon > 0 && colon < end) {
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
      const at = index().get(key);
      const value = at ? (JSON.parse(buf.toString('utf8', at[0], at[1])) as unknown) : undefined;
      cache.set(key, value);
      return value;
    },
    keys(): string[] {
      return [...index().keys()];
    },
  };
}
