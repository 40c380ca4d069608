/**
 * A module's $VERSION read statically from its source, the way Module::Metadata finds it: per package,
 * the first `package NAME VERSION` or `$VERSION = …` assignment, outside POD, before __END__/__DATA__.
 * Module::Metadata then evaluates the expression with perl; we evaluate the forms real modules use
 * (literals, version->declare/parse/new, qv) and say "unparsable" for anything else.
 */
import { perlNumberLiteral } from './number.js';

export type ModuleVersion = { version: string } | { unparsable: string };

const PACKAGE = /^\s*package\s+([\w:]+)(?:\s+(v?[0-9][0-9._]*))?\s*[;{]/;
const ASSIGN = /^\s*(?:our\s+|my\s+)?(?:\(\s*)?\$(?:([\w:]*)::)?VERSION\b\s*(?:\)\s*)?=(?!=)\s*(.*)$/;

/** The value of a version expression, or undefined when it is not one of the static forms. */
function evaluate(expr: string): string | undefined {
  let e = expr.replace(/#.*$/, '').trim().replace(/;.*$/, '').trim();
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
    const a = ASSIGN.exec(line);
    if (!a) continue;
    const target = a[1] ? a[1] : pkg;
    if (out.has(target)) continue;
    // `$VERSION = eval $VERSION` after an alpha version keeps the first value
    const value = evaluate(a[2]!);
    out.set(target, value === undefined ? { unparsable: a[2]!.trim() } : { version: value });
  }
  return out;
}

/** The version of one module in a file: its own package's, else the file's first. */
export function moduleVersion(source: string, module: string): ModuleVersion | undefined {
  const all = moduleVersions(source);
  return all.get(module) ?? (all.size === 1 && all.has('main') ? all.get('main') : undefined);
}
