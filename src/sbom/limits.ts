/**
 * What one SBOM input or document may hold (docs/sbom.md, "Limits"). Real data sits far below each:
 * the largest CPAN META files are a few hundred KiB with a few hundred prerequisites; the whole of
 * CPAN is some 45,000 distributions. Each limit is checked before the work it protects: the size
 * before reading, the nesting before parsing, the counts before the graph is built.
 */
import { CpansecError } from '../errors.js';

export const SBOM_LIMITS = {
  /** one META.json / META.yml / MYMETA file */
  metaBytes: 8 * 1024 * 1024,
  /** nesting of arrays and objects in a META file (JSON.parse and the YAML reader recurse) */
  metaDepth: 64,
  /** prerequisites of one META file (the largest Task:: distributions list under 1,000) */
  prereqs: 20_000,
  /** modules one distribution provides */
  provides: 100_000,
  /** components of one generated document */
  components: 100_000,
  /** a document given to `sbom validate` or `sbom diff` */
  documentBytes: 256 * 1024 * 1024,
  documentDepth: 128,
  /** components (at any depth), services, vulnerabilities or dependencies of a document to validate */
  documentItems: 500_000,
} as const;

/**
 * The line at which `text` (JSON, or YAML's flow collections) nests brackets deeper than `max`, or
 * undefined. One linear pass that skips strings: cheap, and it runs before any recursive parser.
 */
export function overNested(text: string, max: number): number | undefined {
  let depth = 0;
  let line = 1;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10) line++;
    if (quote) {
      if (ch === 92 && quote === '"') i++; // backslash escape in a double-quoted string
      else if (text[i] === quote) quote = '';
      continue;
    }
    if (ch === 34 || (ch === 39 && i > 0 && /[\s[{,:]/.test(text[i - 1]!))) quote = text[i]!;
    else if (ch === 91 || ch === 123) {
      if (++depth > max) return line;
    } else if (ch === 93 || ch === 125) depth--;
  }
  return undefined;
}

export function checkNesting(text: string, max: number, file: string, what: string): void {
  const line = overNested(text, max);
  if (line !== undefined) throw new CpansecError('PARSE_ERROR', `${what} nested more than ${max} levels deep (refused before parsing)`, { file, line });
}

export function checkCount(count: number, max: number, file: string, what: string): void {
  if (count > max) throw new CpansecError('PARSE_ERROR', `${count} ${what}, more than the ${max} cpansec accepts`, { file });
}
