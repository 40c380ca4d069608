/**
 * The terminal report: vulnerable dependencies first, each advisory with its fix, then what could
 * not be checked, then a summary. Every string from the database or an input file goes through
 * `printable` before colour is added: control characters in them must not drive the terminal.
 */
import { aliasesOf, printable as p, summaryOf } from '../../advisory/index.js';
import { picocolors } from '../../perl/index.js';
import type { AuditResult, Finding } from '../finding.js';

type Colors = ReturnType<ReturnType<typeof picocolors>['createColors']>;

/** No colour: picocolors is not even loaded (loading it makes node's stdout stream). */
const PLAIN = { bold: String, dim: String, green: String, red: String, yellow: String } as unknown as Colors;

function severityColor(c: Colors, severity: string | null): (s: string) => string {
  if (severity === 'critical' || severity === 'high') return (s) => c.bold(c.red(s));
  if (severity === 'medium') return c.yellow;
  return c.dim;
}

function describe(f: Finding): string {
  const name = p(f.distribution ?? f.name);
  if (f.status === 'unchecked') return `${name} (version unknown)`;
  return f.version !== undefined ? `${name} ${p(f.version)}` : `${name} (requirement ${f.range === '0' ? 'any version' : p(f.range ?? '')})`;
}

function whereFound(f: Finding): string {
  const where = f.sources.map((d) => p(`${d.source.file}${d.source.line ? `:${d.source.line}` : ''}`));
  return where.slice(0, 3).join(', ') + (where.length > 3 ? ` and ${where.length - 3} more` : '');
}

function vulnerableBlock(f: Finding, c: Colors, verbose: boolean | undefined, out: string[]): void {
  out.push(`${c.bold(describe(f))}  ${c.dim(whereFound(f))}`);
  for (const fa of f.advisories) {
    const a = fa.advisory;
    if (fa.ignored) {
      if (verbose) out.push(`  ${c.dim(`${p(a.id)} ignored: ${p(fa.ignored.reason)}`)}`);
      continue;
    }
    const sev = severityColor(c, a.severity)(`[${a.severity ?? 'unrated'}]`);
    const aliases = aliasesOf(a).map((x) => p(x));
    out.push(`  ${sev} ${c.bold(p(a.id))}${aliases.length ? ` (${aliases.join(', ')})` : ''}`);
    out.push(`    ${p(summaryOf(a))}`);
    out.push(`    affected: ${p(a.affectedVersions.join(' || '))}   fixed: ${p(a.fixedVersions.join(' || ')) || 'none known'}`);
    if (fa.affectedVersionsAdmitted) {
      const v = fa.affectedVersionsAdmitted.map((x) => p(x));
      out.push(`    the requirement admits affected release(s): ${v.slice(0, 6).join(', ')}${v.length > 6 ? ` … (${v.length})` : ''}`);
    }
    if (fa.expiredIgnore) out.push(`    ${c.yellow(`ignore rule expired ${p(fa.expiredIgnore.expires ?? '')} (${p(fa.expiredIgnore.source)})`)}`);
    if (a.references[0]) out.push(`    ${c.dim(p(a.references[0]))}`);
  }
  if (f.remediation) {
    const partial = f.unfixed?.length ? ` (still affected by ${f.unfixed.map((x) => p(x)).join(', ')}: no fix released)` : '';
    out.push(`  ${c.green(`fix: upgrade to ${p(f.distribution ?? f.name)} ${p(f.remediation)} or later`)}${partial}`);
  }
  for (const n of f.notes) out.push(`  ${c.dim(`note: ${p(n)}`)}`);
  out.push('');
}

export function toText(result: AuditResult, options: { color: boolean; verbose?: boolean }): string {
  const c = options.color ? picocolors().createColors(true) : PLAIN;
  const out: string[] = [];
  const vulnerable = result.findings.filter((f) => f.status === 'vulnerable');
  const unchecked = result.findings.filter((f) => f.status === 'unchecked');
  for (const f of vulnerable) vulnerableBlock(f, c, options.verbose, out);
  // never let "no known vulnerabilities" stand for dependencies that were not checked
  for (const f of unchecked) {
    out.push(`${c.yellow(`${describe(f)}: not checked`)}  ${c.dim(whereFound(f))}`);
    for (const n of f.notes) out.push(`  ${c.dim(`note: ${p(n)}`)}`);
  }
  if (unchecked.length) out.push('');
  if (options.verbose) {
    for (const f of result.findings.filter((x) => x.status === 'core')) out.push(c.dim(`${describe(f)}: core module, out of scope`));
  }
  const advisories = new Set(vulnerable.flatMap((f) => f.advisories.filter((a) => !a.ignored).map((a) => a.advisory.id)));
  const ignored = result.findings.reduce((n, f) => n + f.advisories.filter((a) => a.ignored).length, 0);
  const unlisted = result.findings.filter((f) => f.status === 'unlisted').length;
  const core = result.findings.filter((f) => f.status === 'core').length;
  const checked = result.findings.length - unchecked.length;
  const notChecked = unchecked.length ? ` ${unchecked.length} not checked (version unknown).` : '';
  const summary =
    vulnerable.length === 0
      ? c.green(`No known vulnerabilities in ${checked} ${unchecked.length ? 'checked ' : ''}dependencies.`) + c.yellow(notChecked)
      : c.red(`${vulnerable.length} vulnerable ${vulnerable.length === 1 ? 'dependency' : 'dependencies'} (${advisories.size} advisories) of ${checked} checked.`) + c.yellow(notChecked);
  out.push(summary);
  out.push(
    c.dim(
      `Checked against ${result.database.advisories} advisories for ${result.database.distributions} distributions` +
        `${result.database.meta.date ? ` (database of ${p(String(result.database.meta.date))})` : ''}; ` +
        `${unlisted} not in the database (no known advisories), ${core} core-only modules` +
        `${result.perl ? ` (of perl ${result.perl.version}${result.perl.source ? `, ${p(result.perl.source)}` : ''})` : ''}` +
        `${ignored ? `, ${ignored} advisories ignored` : ''}.`,
    ),
  );
  return out.join('\n') + '\n';
}
