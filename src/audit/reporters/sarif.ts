/**
 * SARIF 2.1.0 for GitHub code scanning: one rule per advisory, one result per (dependency, advisory),
 * located at the line of the file that declares the dependency.
 */
import { aliasesOf, summaryOf, type Advisory } from '../../advisory/index.js';
import type { SourceLocation } from '../dependency.js';
import type { AuditResult } from '../finding.js';

const LEVEL: Record<string, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
const SCORE: Record<string, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '2.0' };

function rule(a: Advisory) {
  const aliases = aliasesOf(a);
  return {
    id: a.id,
    name: a.id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: `${a.distribution}: ${summaryOf(a)}` },
    fullDescription: { text: a.description.trim() || summaryOf(a) },
    helpUri: a.references[0] ?? `https://metacpan.org/dist/${a.distribution}`,
    help: {
      text: `${a.description.trim()}\n\nAffected: ${a.affectedVersions.join(' || ')}\nFixed: ${a.fixedVersions.join(' || ') || 'no fixed version known'}`,
    },
    defaultConfiguration: { level: LEVEL[a.severity ?? ''] ?? 'warning' },
    properties: {
      tags: ['security', 'vulnerability', 'cpan', ...aliases],
      ...(a.severity ? { 'security-severity': SCORE[a.severity] } : {}),
    },
  };
}

/**
 * Where a result is: the file and line that declare the dependency, as a URI reference (each path
 * segment percent-encoded). A query from the command line or stdin has no file: the distribution's
 * page on MetaCPAN stands for it, an absolute URI, never a made-up path.
 */
function location(source: SourceLocation, distribution: string) {
  if (source.file.startsWith('<')) {
    return { physicalLocation: { artifactLocation: { uri: `https://metacpan.org/dist/${encodeURIComponent(distribution)}` } } };
  }
  const uri = source.file
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return { physicalLocation: { artifactLocation: { uri }, region: { startLine: source.line ?? 1 } } };
}

export function toSarif(result: AuditResult, toolVersion: string): Record<string, unknown> {
  const rules = new Map<string, ReturnType<typeof rule>>();
  const results: unknown[] = [];
  for (const f of result.findings) {
    if (f.status !== 'vulnerable') continue;
    for (const fa of f.advisories) {
      if (fa.ignored) continue;
      const a = fa.advisory;
      if (!rules.has(a.id)) rules.set(a.id, rule(a));
      const what = f.version !== undefined ? `${f.distribution} ${f.version}` : `${f.distribution} (${f.range})`;
      const fix = f.remediation ? ` Upgrade to ${f.distribution} ${f.remediation} or later.` : ' No fixed release is known.';
      results.push({
        ruleId: a.id,
        ruleIndex: [...rules.keys()].indexOf(a.id),
        level: LEVEL[a.severity ?? ''] ?? 'warning',
        message: { text: `${what} is affected by ${a.id}${a.cves.length ? ` (${a.cves.join(', ')})` : ''}: ${summaryOf(a)}${fix}` },
        locations: f.sources.slice(0, 1).map((d) => location(d.source, f.distribution ?? f.name)),
        partialFingerprints: { 'cpansec/v1': `${a.id}:${f.distribution}:${f.version ?? f.range}` },
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cpansec',
            version: toolVersion,
            informationUri: 'https://github.com/CPAN-Security',
            rules: [...rules.values()],
          },
        },
        results,
      },
    ],
  };
}
