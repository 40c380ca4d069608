/**
 * The batch query form: one `NAME [VERSION-OR-RANGE]` a line; `#` comments and blank lines skipped.
 * A bad line does not stop the batch: it is returned as an error naming its line, and every other
 * line is still answered (the CLI exits 2 at the end when any line was bad).
 */
import { CpansecError } from '../errors.js';
import { parseRange, parseVersion } from '../perl/index.js';

export interface BatchQuery {
  name: string;
  /** a bare version is an exact version; anything with an operator or comma is a range */
  version?: string;
  range?: string;
  line: number;
}

export interface Batch {
  queries: BatchQuery[];
  /** one per bad line, in line order */
  errors: CpansecError[];
}

/** At most this many lines: a batch is a dependency list, not a stream. */
export const MAX_BATCH_LINES = 1_000_000;

export function parseBatch(text: string, file: string): Batch {
  const queries: BatchQuery[] = [];
  const errors: CpansecError[] = [];
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_BATCH_LINES) throw new CpansecError('PARSE_ERROR', `more than ${MAX_BATCH_LINES} lines`, { file });
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const where = { file, line: i + 1 };
    const m = /^(\S+)(?:\s+(.+))?$/.exec(line);
    if (!m || !/^[A-Za-z0-9_][\w:.+-]*$/.test(m[1]!)) {
      errors.push(new CpansecError('PARSE_ERROR', `expected 'NAME [VERSION|RANGE]', got '${line.slice(0, 200)}'`, where));
      return;
    }
    const spec = m[2]?.trim();
    try {
      if (spec === undefined || /[<>=!,]/.test(spec)) {
        parseRange(spec ?? '0', { syntax: 'cpanmeta' });
        queries.push({ name: m[1]!, range: spec ?? '0', line: i + 1 });
      } else {
        parseVersion(spec);
        queries.push({ name: m[1]!, version: spec, line: i + 1 });
      }
    } catch (e) {
      errors.push(new CpansecError(spec !== undefined && /[<>=!,]/.test(spec) ? 'INVALID_RANGE' : 'INVALID_VERSION', `${m[1]}: ${(e as Error).message}`, where));
    }
  });
  return { queries, errors };
}
