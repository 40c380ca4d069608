import type { Severity } from './advisory.js';

/** Spellings the real data uses for the four levels (the linter flags all but the canonical ones). */
const SPELLINGS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  minor: 'low',
};

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** The normalised severity of a free-text value, or null when absent or unrecognised. */
export function normalizeSeverity(text: string | null | undefined): Severity | null {
  if (text === null || text === undefined) return null;
  return SPELLINGS[text.trim().toLowerCase()] ?? null;
}

export function isCanonicalSeverity(text: string): text is Severity {
  return (SEVERITIES as readonly string[]).includes(text);
}

/** The CVSS qualitative rating of a base score (CVSS v3.1 and v4.0 share the bands). */
export function severityOfScore(score: number): Severity | null {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return null;
}
