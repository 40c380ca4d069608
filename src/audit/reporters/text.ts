/** The terminal report: vulnerable dependencies first, each advisory with its fix, then a summary. */
import pc from 'picocolors';
import { aliasesOf, summaryOf } from '../../advisory/index.js';
import type { AuditResult, Finding } from '../finding.js';

type Colors = ReturnType<typeof pc.createColors>;

function severityColor(c: Colors, severity: string | null): (s: string) => string {
  if (severity === 'critical' || severity === 'high') return (s) => c.bold(c.red(s));
  if (severity === 'medium') return c.yellow;
  return c.dim;
}

function describe(f: Finding): string {
  const name = f.distribution ?? f.name;
  return f.version !== undefined ? `${name} ${f.version}` : `${name} (requirement ${f.range === '0' ? 'any version' : f.range})`;
}

export function toText(result: AuditResult, options: { color: boolean; verbose?: boolean }): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  const vulnerable = result.findings.filter((f) => f.status === 'vulnerable');
  for (const f of vulnerable) {
    const where = f.sources.map((d) => `${d.source.file}${d.source.line ? `:${d.source.line}` : ''}`);
    out.push(`${c.bold(describe(f))}  ${c.dim(where.slice(0, 3).join(', ') + (where.length > 3 ? ` and ${where.length - 3} more` : ''))}`);
    for (const fa of f.advisories) {
      const a = fa.advisory;
      if (fa.ignored) {
        if (options.verbose) out.push(`  ${c.dim(`${a.id} ignored: ${fa.ignored.reason}`)}`);
        continue;
      }
      const sev = severityColor(c, a.severity)(`[${a.severity ?? 'unrated'}]`);
      const aliases = aliasesOf(a);
      out.push(`  ${sev} ${c.bold(a.id)}${aliases.length ? ` (${aliases.join(', ')})` : ''}`);
      out.push(`    ${summaryOf(a)}`);
      out.push(`    affected: ${a.affectedVersions.join(' || ')}   fixed: ${a.fixedVersions.join(' || ') || 'none known'}`);
      if (fa.affectedVersionsAdmitted) {
        const v = fa.affectedVersionsAdmitted;
        out.push(`    the requirement admits affected release(s): ${v.slice(0, 6).join(', ')}${v.length > 6 ? ` … (${v.length})` : ''}`);
      }
      if (fa.expiredIgnore) out.push(`    ${c.yellow(`ignore rule expired ${fa.expiredIgnore.expires} (${fa.expiredIgnore.source})`)}`);
      if (a.references[0]) out.push(`    ${c.dim(a.references[0])}`);
    }
    if (f.remediation) {
      const partial = f.unfixed?.length ? ` (still affected by ${f.unfixed.join(', ')}: no fix released)` : '';
      out.push(`  ${c.green(`fix: upgrade to ${f.distribution} ${f.remediation} or later`)}${partial}`);
    }
    for (const n of f.notes) out.push(`  ${c.dim(`note: ${n}`)}`);
    out.push('');
  }
  if (options.verbose) {
    for (const f of result.findings.filter((x) => x.status === 'core')) out.push(c.dim(`${describe(f)}: core module, out of scope`));
  }
  const advisories = new Set(vulnerable.flatMap((f) => f.advisories.filter((a) => !a.ignored).map((a) => a.advisory.id)));
  const ignored = result.findings.reduce((n, f) => n + f.advisories.filter((a) => a.ignored).length, 0);
  const unlisted = result.findings.filter((f) => f.status === 'unlisted').length;
  const core = result.findings.filter((f) => f.status === 'core').length;
  const summary =
    vulnerable.length === 0
      ? c.green(`No known vulnerabilities in ${result.findings.length} dependencies.`)
      : c.red(`${vulnerable.length} vulnerable ${vulnerable.length === 1 ? 'dependency' : 'dependencies'} (${advisories.size} advisories) of ${result.findings.length} checked.`);
  out.push(summary);
  out.push(
    c.dim(
      `Checked against ${result.database.advisories} advisories for ${result.database.distributions} distributions` +
        `${result.database.meta.date ? ` (database of ${String(result.database.meta.date)})` : ''}; ` +
        `${unlisted} not in the database (no known advisories), ${core} core-only modules` +
        `${ignored ? `, ${ignored} advisories ignored` : ''}.`,
    ),
  );
  return out.join('\n') + '\n';
}
