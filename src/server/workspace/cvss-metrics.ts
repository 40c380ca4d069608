/**
 * The metrics of CVSS 3.1 and 4.0 with their names, descriptions and values, in groups, for the
 * calculator on the case page (and its page without script): taken from the tables
 * ae-cvss-calculator registers (the library that scores them), so the calculator offers exactly
 * what the scorer reads. Base metrics are required; every other group may stay "Not Defined" (X).
 */
import cvssLibrary from 'ae-cvss-calculator';

export type EditorVersion = '3.1' | '4.0';

export interface MetricChoice {
  short: string;
  name: string;
  description: string;
  /** base metrics must be given; the others default to Not Defined (X) */
  required: boolean;
  values: { short: string; name: string; description: string }[];
}

export interface MetricGroup {
  /** base; 3.1: temporal, environmental; 4.0: threat, environmental, supplemental */
  id: string;
  name: string;
  description: string;
  metrics: MetricChoice[];
}

/** Where the library's words are wrong or ambiguous, ours (from the specifications). */
const NAME: Record<EditorVersion, Record<string, string>> = {
  '3.1': { MC: 'Modified Confidentiality Impact', MI: 'Modified Integrity Impact', MA: 'Modified Availability Impact' },
  '4.0': {
    // 4.0 names both systems' impacts alike ("Confidentiality"): say which system
    VC: 'Vulnerable System Confidentiality',
    VI: 'Vulnerable System Integrity',
    VA: 'Vulnerable System Availability',
    SC: 'Subsequent System Confidentiality',
    SI: 'Subsequent System Integrity',
    SA: 'Subsequent System Availability',
    MVC: 'Modified Vulnerable System Confidentiality',
    MVI: 'Modified Vulnerable System Integrity',
    MVA: 'Modified Vulnerable System Availability',
    MSC: 'Modified Subsequent System Confidentiality',
    MSI: 'Modified Subsequent System Integrity',
    MSA: 'Modified Subsequent System Availability',
  },
};

// CVSS 3.1 specification §4.2: the library gives the three requirements Remediation Level's words
const REQUIREMENT = (what: string) =>
  `The importance of the affected IT asset to the analyst’s organization, measured in terms of ${what}: the higher the requirement, the more the ${what.toLowerCase()} impact weighs in the environmental score.`;
const DESCRIPTION: Record<EditorVersion, Record<string, string>> = {
  '3.1': { CR: REQUIREMENT('Confidentiality'), IR: REQUIREMENT('Integrity'), AR: REQUIREMENT('Availability') },
  '4.0': {},
};

const GROUP: Record<string, { id: string; name: string; description: string }> = {
  base: { id: 'base', name: 'Base metrics', description: 'The intrinsic qualities of the vulnerability, constant over time and across environments. Every one must be given.' },
  temporal: { id: 'temporal', name: 'Temporal metrics', description: 'The current state of exploit techniques, fixes and confidence in the report (optional).' },
  threat: { id: 'threat', name: 'Threat metrics', description: 'The current state of exploit techniques and exploit code (optional: CVSS-BT).' },
  environmental: { id: 'environmental', name: 'Environmental metrics', description: 'The importance of the affected asset and the base metrics as modified for a particular environment (optional: CVSS-BE).' },
  'environmental-security-requirement': { id: 'environmental', name: 'Environmental metrics', description: 'The importance of the affected asset (security requirements) and the base metrics as modified for a particular environment (optional: CVSS-BE).' },
  'environmental-base': { id: 'environmental', name: 'Environmental metrics', description: '' },
  supplemental: { id: 'supplemental', name: 'Supplemental metrics', description: 'More facts about the vulnerability; they do not change the score (optional).' },
};

/** 4.0's groups in the order FIRST's calculator shows them (the library registers them otherwise). */
const GROUP_ORDER: Record<EditorVersion, string[]> = { '3.1': ['base', 'temporal', 'environmental'], '4.0': ['base', 'threat', 'environmental', 'supplemental'] };

const cache = new Map<EditorVersion, MetricGroup[]>();

export function metricGroups(version: EditorVersion): MetricGroup[] {
  let groups = cache.get(version);
  if (groups) return groups;
  const sample = version === '4.0' ? new cvssLibrary.Cvss4P0() : new cvssLibrary.Cvss3P1();
  const byId = new Map<string, MetricGroup>();
  for (const [category, components] of sample.getRegisteredComponents()) {
    const g = GROUP[category.name.toLowerCase()];
    if (!g) throw new Error(`CVSS ${version}: the library registers an unknown metric group '${category.name}'`);
    const group = byId.get(g.id) ?? { id: g.id, name: g.name, description: g.description, metrics: [] };
    if (!group.description) group.description = g.description;
    byId.set(g.id, group);
    const required = g.id === 'base';
    for (const c of components) {
      group.metrics.push({
        short: c.shortName,
        name: NAME[version][c.shortName] ?? c.name,
        description: DESCRIPTION[version][c.shortName] ?? c.description ?? '',
        required,
        // what the strict reader admits: no X for a base metric, no Safety for the base SC/SI/SA of 4.0
        values: c.values
          .filter((v) => !(required && v.shortName === 'X') && !(version === '4.0' && /^S[CIA]$/.test(c.shortName) && v.shortName === 'S'))
          .map((v) => ({ short: v.shortName, name: v.name, description: v.description ?? '' })),
      });
    }
  }
  groups = GROUP_ORDER[version].map((id) => byId.get(id)!);
  cache.set(version, groups);
  return groups;
}

/** Every metric of the version, groups in order. */
export const allMetrics = (version: EditorVersion): MetricChoice[] => metricGroups(version).flatMap((g) => g.metrics);

/** The base metrics (those a vector must give). */
export const baseMetrics = (version: EditorVersion): MetricChoice[] => metricGroups(version)[0]!.metrics;

/**
 * The vector of the chosen values: base metrics always (an empty one shows as `AV:`, which the
 * strict reader refuses by name), other metrics when given and not X. The order does not matter
 * to the reader, which writes the specification's.
 */
export function vectorOf(version: EditorVersion, chosen: Record<string, string | undefined>): string {
  const parts = allMetrics(version)
    .filter((m) => m.required || (chosen[m.short] && chosen[m.short] !== 'X'))
    .map((m) => `${m.short}:${chosen[m.short] ?? ''}`);
  return `CVSS:${version}/${parts.join('/')}`;
}

/** The metric values of a stored vector of this version, to start the calculator from. */
export function valuesOfVector(vector: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (vector ?? '').split('/').slice(1)) {
    const [k, v] = part.split(':');
    if (k && v) out[k] = v;
  }
  return out;
}
