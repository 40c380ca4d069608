/**
 * Perl version numbers exactly as version.pm (0.99xx, the `lax` rules of `version->parse`) reads them.
 * Ported by hand from the rules of vutil.c's prescan_version/scan_version because no JavaScript library
 * implements Perl's version semantics; the differential test against the real perl is the authority.
 */
import { CpansecError } from '../errors.js';

const VERSION_MAX = 0x7fffffff;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
const isAlpha = (c: string | undefined): boolean => c !== undefined && /[A-Za-z]/.test(c);
/** prescan's "end of a version": end of string, ';', '{' or '}' (whitespace is checked apart) */
const isEnd = (c: string | undefined): boolean => c === undefined || c === ';' || c === '{' || c === '}';

interface Prescan {
  end: number;
  qv: boolean;
  sawDecimal: number;
  alpha: boolean;
}

function bad(input: string, why: string): never {
  throw new CpansecError('INVALID_VERSION', `Invalid version format (${why}): '${input}'`);
}

/** vutil.c prescan_version, lax mode: validates and classifies, starting at index `start`. */
function prescan(s: string, start: number, input: string): Prescan {
  let d = start;
  let qv = false;
  let sawDecimal = 0;
  let alpha = false;

  const dotted = (): void => {
    while (isDigit(s[d])) d++;
    if (s[d] === '.') {
      sawDecimal++;
      d++;
    } else {
      return;
    }
    while (isDigit(s[d])) {
      while (isDigit(s[d])) d++;
      if (s[d] === '_') {
        if (alpha) bad(input, 'multiple underscores');
        d++;
        alpha = true;
      } else if (s[d] === '.') {
        if (alpha) bad(input, 'underscores before decimal');
        sawDecimal++;
        d++;
      } else {
        break;
      }
    }
  };

  if (s[d] === 'v') {
    d++;
    if (!isDigit(s[d])) bad(input, 'dotted-decimal versions require at least three parts');
    qv = true;
    dotted();
  } else {
    if (s[d] === '-') bad(input, 'negative version number');
    while (isDigit(s[d])) d++;
    let fraction = false;
    if (s[d] === '.') {
      sawDecimal++;
      d++;
      fraction = true;
    } else if (isEnd(s[d]) || isSpace(s[d])) {
      if (d === start) bad(input, 'version required');
    } else if (d === start) {
      bad(input, 'non-numeric data');
    } else if (s[d] === '_') {
      bad(input, isDigit(s[d + 1]) ? 'alpha without decimal' : 'misplaced underscore');
    } else {
      bad(input, 'non-numeric data');
    }
    if (fraction) {
      if (!isDigit(s[d]) && !(isEnd(s[d]) || isSpace(s[d]))) bad(input, 'fractional part required');
      let restart = false;
      while (isDigit(s[d])) {
        d++;
        if (s[d] === '.' && isDigit(s[d - 1])) {
          if (alpha) bad(input, 'underscores before decimal');
          d = start;
          qv = true;
          restart = true;
          break;
        }
        if (s[d] === '_') {
          if (alpha) bad(input, 'multiple underscores');
          if (!isDigit(s[d + 1])) bad(input, 'misplaced underscore');
          d++;
          alpha = true;
        }
      }
      if (restart) {
        sawDecimal = 0;
        alpha = false;
        dotted();
      }
    }
  }

  while (isSpace(s[d])) d++;
  if (!isDigit(s[d]) && !isEnd(s[d])) bad(input, 'non-numeric data');
  if (sawDecimal > 1 && s[d - 1] === '.') bad(input, 'trailing decimal');
  return { end: d, qv, sawDecimal, alpha };
}

/** A parsed Perl version: the integer components that version.pm compares, and how it was written. */
export class PerlVersion {
  constructor(
    /** version.pm's internal array: [1, 20, 300] for 1.0203, [1, 2, 3] for v1.2.3 */
    readonly parts: readonly number[],
    /** the text as version.pm keeps it (`original`), what `stringify` returns */
    readonly original: string,
    /** dotted-decimal (version.pm's `qv`) */
    readonly isDotted: boolean,
    /** written with an underscore (a developer release) */
    readonly isAlpha: boolean,
  ) {}

  /** version->numify: a decimal string such as "1.002003" */
  numify(): string {
    const [first = 0, ...rest] = this.parts;
    let out = `${first}.`;
    for (const p of rest) out += String(p).padStart(3, '0');
    if (rest.length === 0) out += '000';
    return out;
  }

  /** version->normal: a dotted-decimal string with at least three parts, "v1.2.3" */
  normal(): string {
    const parts = [...this.parts];
    while (parts.length < 3) parts.push(0);
    return `v${parts.join('.')}`;
  }

  /** version->stringify: the original text */
  stringify(): string {
    return this.original;
  }

  toString(): string {
    return this.original;
  }

  compare(other: PerlVersion): -1 | 0 | 1 {
    return vcmp(this.parts, other.parts);
  }
}

function vcmp(l: readonly number[], r: readonly number[]): -1 | 0 | 1 {
  const m = Math.min(l.length, r.length);
  for (let i = 0; i < m; i++) {
    const a = l[i]!;
    const b = r[i]!;
    if (a < b) return -1;
    if (a > b) return 1;
  }
  // equal except for trailing zeros
  for (let i = m; i < l.length; i++) if (l[i] !== 0) return 1;
  for (let i = m; i < r.length; i++) if (r[i] !== 0) return -1;
  return 0;
}

/** vutil.c scan_version after a successful prescan: build the component array. */
function scan(s: string, start: number, p: Prescan): PerlVersion {
  const { qv, sawDecimal, alpha } = p;
  let pos = start;
  if (s[pos] === 'v') pos++;
  let cur = pos;
  const parts: number[] = [];
  let vinf = false;

  while (isDigit(s[pos]) || s[pos] === '_') pos++;
  if (!isAlpha(s[pos])) {
    for (;;) {
      let rev = 0;
      const end = pos;
      if (!qv && cur > start && sawDecimal === 1) {
        // fractional part of a decimal version: up to three digits, left-aligned
        let mult = 100;
        while (cur < end) {
          if (s[cur] === '_') {
            cur++;
            continue;
          }
          rev += (s.charCodeAt(cur) - 48) * mult;
          mult = Math.trunc(mult / 10);
          cur++;
        }
      } else {
        let mult = 1;
        for (let e = end - 1; e >= cur; e--) {
          if (s[e] === '_') continue;
          const digit = s.charCodeAt(e) - 48;
          if (mult === VERSION_MAX || digit > VERSION_MAX / mult || digit * mult > VERSION_MAX - rev) {
            rev = VERSION_MAX;
            vinf = true;
            break;
          }
          rev += digit * mult;
          mult = mult > VERSION_MAX / 10 ? VERSION_MAX : mult * 10;
        }
      }
      parts.push(rev);
      if (vinf) {
        cur = p.end;
        break;
      } else if (s[pos] === '.') {
        pos++;
        if (qv) while (s[pos] === '0') pos++;
        cur = pos;
      } else if (s[pos] === '_' && isDigit(s[pos + 1])) {
        cur = ++pos;
      } else if (s[pos] === ',' && isDigit(s[pos + 1])) {
        cur = ++pos;
      } else if (isDigit(s[pos])) {
        cur = pos;
      } else {
        cur = pos;
        break;
      }
      if (qv) {
        while (isDigit(s[pos]) || s[pos] === '_') pos++;
      } else {
        let digits = 0;
        while ((isDigit(s[pos]) || s[pos] === '_') && digits < 3) {
          if (s[pos] !== '_') digits++;
          pos++;
        }
      }
    }
  }
  if (qv) while (parts.length < 3) parts.push(0);

  let original: string;
  if (vinf) {
    original = 'v.Inf';
  } else if (cur > start) {
    original = s.slice(start, cur);
    if (qv && sawDecimal === 1 && s[start] !== 'v') original = `v${original}`;
  } else {
    original = '0';
    parts.push(0);
  }
  return new PerlVersion(parts, original, qv, alpha);
}

const cache = new Map<string, PerlVersion>();

const PLAIN_DECIMAL = /^(\d{1,9})(?:\.(\d+))?$/;

/**
 * The common case, `1.643` or `12`, read directly: the fraction in groups of three digits,
 * left-aligned, as scan() does. A one-shot audit parses thousands of release versions, and the
 * general scanner costs several times more per version.
 */
function plainDecimal(text: string): PerlVersion | undefined {
  const m = PLAIN_DECIMAL.exec(text);
  if (!m) return undefined;
  const parts = [Number(m[1])];
  const fraction = m[2];
  if (fraction !== undefined) for (let i = 0; i < fraction.length; i += 3) parts.push(Number(fraction.slice(i, i + 3).padEnd(3, '0')));
  return new PerlVersion(parts, text, false, false);
}

/**
 * `version->parse(text)`. Throws CpansecError('INVALID_VERSION') for what version.pm rejects.
 * Like version.pm, the string "undef" is version 0.
 */
export function parseVersion(text: string): PerlVersion {
  const hit = cache.get(text);
  if (hit) return hit;
  const plain = plainDecimal(text);
  if (plain) {
    cache.set(text, plain);
    return plain;
  }
  let start = 0;
  while (isSpace(text[start])) start++;
  let v: PerlVersion;
  if (text.slice(start) === 'undef') {
    v = new PerlVersion([0], '0', false, false);
  } else {
    v = scan(text, start, prescan(text, start, text));
  }
  if (cache.size > 100_000) cache.clear();
  cache.set(text, v);
  return v;
}

export function isValidVersion(text: string): boolean {
  try {
    parseVersion(text);
    return true;
  } catch {
    return false;
  }
}

/** version::vcmp: -1, 0 or 1. */
export function compareVersions(a: string | PerlVersion, b: string | PerlVersion): -1 | 0 | 1 {
  const va = typeof a === 'string' ? parseVersion(a) : a;
  const vb = typeof b === 'string' ? parseVersion(b) : b;
  return vcmp(va.parts, vb.parts);
}
