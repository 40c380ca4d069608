/**
 * Version ranges in the two syntaxes we meet:
 * - `cpanmeta`: a CPAN::Meta::Spec requirement string (`>= 1.0, != 1.5, < 2.0`; a bare `1.2` means
 *   `>= 1.2`; `0` or empty means any version);
 * - `advisory`: the CPANSA `affected_versions` / `fixed_versions` value: a list whose elements are
 *   OR'ed, with commas inside an element AND'ed (older databases: one plain string). The real data
 *   also has bare versions (read as `>=`, as CPAN::Audit does) and single `=` (read as `==`).
 */
import { CpansecError } from '../errors.js';
import { parseVersion, type PerlVersion } from './version.js';

export type RangeOperator = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Clause {
  op: RangeOperator;
  version: PerlVersion;
  /** the clause as written */
  text: string;
  /** how the operator was spelt when it was not one of the six: a bare version or a single `=` */
  oddSpelling?: 'bare' | 'single-equals';
}

export interface Range {
  /** OR of ANDs; an empty list admits no version */
  alternatives: Clause[][];
  /** the range as written */
  source: string[];
}

export type RangeSyntax = 'advisory' | 'cpanmeta';

const CLAUSE = /^(<=|<|>=|>|==|!=|=)?\s*(\S+)$/;

function parseClause(text: string, syntax: RangeSyntax, whole: string): Clause {
  const m = CLAUSE.exec(text);
  if (!m) throw new CpansecError('INVALID_RANGE', `invalid version range '${whole}': cannot read '${text}'`);
  const written = m[1];
  if (written === '=' && syntax === 'cpanmeta') {
    throw new CpansecError('INVALID_RANGE', `invalid version range '${whole}': '=' is not an operator (use '==')`);
  }
  let version: PerlVersion;
  try {
    version = parseVersion(m[2]!);
  } catch (e) {
    throw new CpansecError('INVALID_RANGE', `invalid version range '${whole}': ${(e as Error).message}`);
  }
  if (written === undefined) return { op: '>=', version, text, oddSpelling: 'bare' };
  if (written === '=') return { op: '==', version, text, oddSpelling: 'single-equals' };
  return { op: written as RangeOperator, version, text };
}

function parseElement(element: string, syntax: RangeSyntax): Clause[] {
  const trimmed = element.trim();
  if (trimmed === '') {
    if (syntax === 'cpanmeta') return [parseClause('0', syntax, element)];
    throw new CpansecError('INVALID_RANGE', 'invalid version range: empty element');
  }
  return trimmed.split(/\s*,\s*/).map((part) => parseClause(part, syntax, element));
}

/**
 * Compile a range. `advisory` syntax accepts a list (OR) or one string; `cpanmeta` one string.
 * Throws CpansecError('INVALID_RANGE') naming the range when a clause or version is unreadable.
 */
export function parseRange(input: string | readonly string[], options: { syntax?: RangeSyntax } = {}): Range {
  const syntax = options.syntax ?? 'advisory';
  const source = typeof input === 'string' ? [input] : [...input];
  if (syntax === 'cpanmeta' && source.length !== 1) {
    throw new CpansecError('INVALID_RANGE', 'a CPAN::Meta requirement is one string');
  }
  return { alternatives: source.map((element) => parseElement(String(element), syntax)), source };
}

function holds(clause: Clause, version: PerlVersion): boolean {
  const c = version.compare(clause.version);
  switch (clause.op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
  }
}

/** Does the range admit this version? */
export function satisfies(range: Range, version: string | PerlVersion): boolean {
  const v = typeof version === 'string' ? parseVersion(version) : version;
  // indexed loops: run without the optimising compiler (an audit), for-of allocates at each step
  const { alternatives } = range;
  for (let a = 0; a < alternatives.length; a++) {
    const clauses = alternatives[a]!;
    let all = true;
    for (let c = 0; c < clauses.length; c++) {
      if (!holds(clauses[c]!, v)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

/** A range as one readable string: alternatives joined with " || ". */
export function formatRange(range: Range): string {
  return range.source.join(' || ');
}
