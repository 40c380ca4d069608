/**
 * A module's $VERSION read statically from its source, the way Module::Metadata finds it: per package,
 * the first `package NAME VERSION` or `$VERSION = …` assignment, outside POD, before __END__/__DATA__.
 * Module::Metadata then evaluates the expression with perl; we evaluate the forms real modules use
 * (literals, version->declare/parse/new, qv) and say "unparsable" for anything else.
 */
import { perlNumberLiteral } from './number.js';

export type ModuleVersion = { version: string } | { unparsable: string };

const PACKAGE = /^\s*package\s+([\w:]+)(?:\s+(v?[0-9][0-9._]*))?\s*[;{]/;
// anywhere in a line, as Module::Metadata looks for it: `our $XS_VERSION = our $VERSION = "1.643";`
const ASSIGN = /(?:^|[^\w$])(?:our\s+|my\s+)?(?:\(\s*)?\$(?:([\w:]*)::)?VERSION\b\s*(?:\)\s*)?=(?![=~>])\s*(.*)$/;
const CHAINED = /^(?:our\s+|my\s+)?(?:\(\s*)?\$(?:[\w:]*::)?VERSION\b\s*(?:\)\s*)?=(?![=~>])\s*/;
const REFERENCE = /^\$(?:([\w:]*)::)?VERSION$/;
// the RCS keyword idioms of older modules (Encode's among them)
const RCS_SPRINTF = /^sprintf\s*\(?\s*(["'])((?:%0?\d*d|[.])+)\1\s*,\s*q\$Revision:\s*([\d.]+)\s*\$\s*=~\s*\/\(?\\d\+\)?\/g\s*\)?$/;
const RCS_DO = /^do\s*\{\s*my\s+@r\s*=\s*\(\s*q\$Revision:\s*([\d.]+)\s*\$\s*=~\s*\/\\d\+\/g\s*\)\s*;\s*sprintf\s*\(?\s*"%d\."\s*\.\s*"%02d"\s*x\s*\$#r\s*,\s*@r\s*\)?\s*;?\s*\}$/;

/** Perl's sprintf for the %d / %0Nd / '.' formats the RCS idioms use. */
function sprintfDigits(format: string, numbers: string[]): string | undefined {
  let k = 0;
  let out = '';
  for (const m of format.matchAll(/%(0?)(\d*)d|\./g)) {
    if (m[0] === '.') {
      out += '.';
      continue;
    }
    const n = numbers[k++];
    if (n === undefined) return undefined;
    const digits = String(Number(n));
    out += m[1] ? digits.padStart(Number(m[2] || 0), '0') : digits;
  }
  return out;
}

function rcsVersion(e: string): string | undefined {
  let m = RCS_SPRINTF.exec(e);
  if (m) return sprintfDigits(m[2]!, m[3]!.split('.'));
  m = RCS_DO.exec(e);
  if (m) {
    const r = m[1]!.split('.');
    return sprintfDigits(`%d.${'%02d'.repeat(r.length - 1)}`, r);
  }
  return undefined;
}

/** The value of a version expression, or undefined when it is not one of the static forms. */
function evaluate(expr: string, known: (pkg: string | undefined) => string | undefined): string | undefined {
  // a comment, but not the `$#r` of the RCS idiom
  let e = expr.replace(/(?<![$\w])#.*$/, '').trim();
  while (CHAINED.test(e)) e = e.replace(CHAINED, '');
  const rcs = rcsVersion(e.replace(/;\s*$/, ''));
  if (rcs !== undefined) return rcs;
  e = e.replace(/;.*$/, '').trim();
  const ref = REFERENCE.exec(e);
  if (ref) return known(ref[1]);
  const wrapped = /^(?:version\s*->\s*(?:declare|parse|new)|version::(?:declare|parse|qv)|qv)\s*\(\s*(.+?)\s*\)$/.exec(e);
  if (wrapped) e = wrapped[1]!;
  let m = /^'([^'\\]*)'$/.exec(e) ?? /^"([^"\\$@]*)"$/.exec(e) ?? /^q\{([^}]*)\}$/.exec(e) ?? /^q\(([^)]*)\)$/.exec(e);
  if (m) return m[1]!.trim();
  m = /^(v?[0-9][0-9_]*(?:\.[0-9_]+)*)$/.exec(e);
  if (m) return wrapped || m[1]!.startsWith('v') ? m[1]!.replace(/_/g, '') : perlNumberLiteral(m[1]!);
  return undefined;
}

/** Versions by package name, in the order the packages appear. */
export function moduleVersions(source: string): Map<string, ModuleVersion> {
  const out = new Map<string, ModuleVersion>();
  let pkg = 'main';
  let inPod = false;
  for (const line of source.split(/\r?\n/)) {
    if (inPod) {
      if (/^=cut\b/.test(line)) inPod = false;
      continue;
    }
    if (/^=[a-zA-Z]/.test(line)) {
      inPod = true;
      continue;
    }
    if (/^__(?:END|DATA)__\b/.test(line)) break;
    const p = PACKAGE.exec(line);
    if (p) {
      pkg = p[1]!;
      if (p[2] && !out.has(pkg)) out.set(pkg, { version: p[2] });
      continue;
    }
    if (/^\s*#/.test(line)) continue;
    const a = ASSIGN.exec(line);
    if (!a) continue;
    const target = a[1] ? a[1] : pkg;
    if (out.has(target)) continue;
    // `$VERSION = eval $VERSION` after an alpha version keeps the first value
    const current = pkg;
    const value = evaluate(a[2]!, (p) => {
      const v = out.get(p ?? current);
      return v && 'version' in v ? v.version : undefined;
    });
    out.set(target, value === undefined ? { unparsable: a[2]!.trim() } : { version: value });
  }
  return out;
}

/** The version of one module in a file: its own package's, else the file's first. */
export function moduleVersion(source: string, module: string): ModuleVersion | undefined {
  const all = moduleVersions(source);
  return all.get(module) ?? (all.size === 1 && all.has('main') ? all.get('main') : undefined);
}
