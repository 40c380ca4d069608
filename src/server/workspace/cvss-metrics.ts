/**
 * The base metrics of CVSS 3.1 and 4.0 with their names and values, for the server-side vector
 * editor: taken from the tables ae-cvss-calculator registers (the library that scores them), so
 * the editor offers exactly what the scorer reads.
 */
import cvssLibrary from 'ae-cvss-calculator';

export type EditorVersion = '3.1' | '4.0';

export interface MetricChoice {
  short: string;
  name: string;
  description: string;
  values: { short: string; name: string; description: string }[];
}

const cache = new Map<EditorVersion, MetricChoice[]>();

export function baseMetrics(version: EditorVersion): MetricChoice[] {
  let metrics = cache.get(version);
  if (metrics) return metrics;
  const sample = version === '4.0' ? new cvssLibrary.Cvss4P0() : new cvssLibrary.Cvss3P1();
  metrics = [];
  for (const [category, components] of sample.getRegisteredComponents()) {
    if (category.name.toLowerCase() !== 'base') continue;
    for (const c of components) {
      metrics.push({
        short: c.shortName,
        // 4.0 names both systems' impacts alike ("Confidentiality"): say which system
        name: /^V[CIA]$/.test(c.shortName) ? `Vulnerable System ${c.name}` : /^S[CIA]$/.test(c.shortName) ? `Subsequent System ${c.name}` : c.name,
        description: c.description ?? '',
        // what the strict reader admits (not the library's Safety for the base SC/SI/SA)
        values: c.values.filter((v) => v.shortName !== 'X' && !(version === '4.0' && /^S[CIA]$/.test(c.shortName) && v.shortName === 'S')).map((v) => ({ short: v.shortName, name: v.name, description: v.description ?? '' })),
      });
    }
  }
  cache.set(version, metrics);
  return metrics;
}

/** The vector of the chosen values, in the editor's (the specification's) order. */
export function vectorOf(version: EditorVersion, chosen: Record<string, string | undefined>): string {
  return `CVSS:${version}/${baseMetrics(version).map((m) => `${m.short}:${chosen[m.short] ?? ''}`).join('/')}`;
}

/** The metric values of a stored vector of this version, to start the editor from. */
export function valuesOfVector(vector: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (vector ?? '').split('/').slice(1)) {
    const [k, v] = part.split(':');
    if (k && v) out[k] = v;
  }
  return out;
}
