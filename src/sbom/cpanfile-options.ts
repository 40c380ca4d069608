/**
 * cpanfile requirement options, read as Module::CPANfile reads them: `requires MODULE, [VERSION,]
 * %options` — an even number of arguments after the module means no version (0) and options only,
 * so `requires 'X', git => URL, ref => 'main'` is X at any version, fetched from URL. The audit's
 * cpanfile parser keeps the arguments' first value as the range and drops the options; until it
 * keeps them, the statement at the dependency's line is read again here for its options (only the
 * `key => 'value'` pairs Module::CPANfile knows).
 */
import type { Dependency } from '../audit/index.js';

export const CPANFILE_OPTIONS = ['dist', 'mirror', 'url', 'git', 'ref'] as const;
const OPTION_KEYS = new Set<string>(CPANFILE_OPTIONS);

export type CpanfileOptions = Partial<Record<(typeof CPANFILE_OPTIONS)[number], string>>;

/** Options read for each dependency (kept beside the parser's values, which carry none). */
const OPTIONS = new WeakMap<Dependency, CpanfileOptions>();

export const optionsOf = (d: Dependency): CpanfileOptions | undefined => OPTIONS.get(d);

/** Read the options of each requirement that has some; the range of a misread one becomes '0'. */
export function readCpanfileOptions(deps: Dependency[], text: string): void {
  const lines = text.split('\n');
  for (const d of deps) {
    const line = d.source.line;
    if (!line) continue;
    // the statement: from its line to the next ';' (bounded: a statement of more than 20 lines is not a requirement)
    const statement = lines.slice(line - 1, line + 19).join('\n').split(';')[0] ?? '';
    if (!/=>/.test(statement)) continue;
    const options: CpanfileOptions = {};
    for (const m of statement.matchAll(/\b(\w+)\s*=>\s*(['"])([^'"]*)\2/g)) if (OPTION_KEYS.has(m[1]!)) options[m[1] as keyof CpanfileOptions] = m[3]!;
    if (Object.keys(options).length === 0) continue;
    if (d.range !== undefined && OPTION_KEYS.has(d.range)) d.range = '0';
    OPTIONS.set(d, options);
  }
}
