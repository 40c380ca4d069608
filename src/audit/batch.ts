/** The batch query form: one `NAME [VERSION-OR-RANGE]` a line; `#` comments and blank lines skipped. */
import { CpansecError } from '../errors.js';

export interface BatchQuery {
  name: string;
  /** a bare version is an exact version; anything with an operator or comma is a range */
  version?: string;
  range?: string;
  line: number;
}

export function parseBatch(text: string, file: string): BatchQuery[] {
  const out: BatchQuery[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (!line) return;
    const m = /^(\S+)(?:\s+(.+))?$/.exec(line);
    if (!m || !/^[A-Za-z0-9_][\w:.+-]*$/.test(m[1]!)) {
      throw new CpansecError('PARSE_ERROR', `expected 'NAME [VERSION|RANGE]', got '${line}'`, { file, line: i + 1 });
    }
    const spec = m[2]?.trim();
    if (spec === undefined || /[<>=!,]/.test(spec)) out.push({ name: m[1]!, range: spec ?? '0', line: i + 1 });
    else out.push({ name: m[1]!, version: spec, line: i + 1 });
  });
  return out;
}
