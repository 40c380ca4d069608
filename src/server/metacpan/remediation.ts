/**
 * The remediation of a vulnerable release, as `cpansec audit` states it (src/audit/matcher.ts): the
 * lowest stable release above it that no known advisory affects; when there is none, the lowest
 * one free of every advisory that has a released fix, with the advisories no release fixes (they
 * still affect the newest stable release). "Upgrade to 9.48, still affected by …" is an answer;
 * null is kept for when upgrading fixes none of the advisories affecting the release.
 */
import type { Advisory } from '../../advisory/index.js';
import type { VulnerabilityIndex } from '../../index/index.js';

export interface Remediation {
  /** the release to upgrade to, or null when no release fixes any advisory affecting this one */
  lowestFixedVersion: string | null;
  /** ids of the advisories affecting this release that no release fixes */
  unfixed: string[];
}

export function remediationOf(index: VulnerabilityIndex, distribution: string, version: string, affecting: readonly Advisory[]): Remediation {
  if (!affecting.length) return { lowestFixedVersion: null, unfixed: [] };
  const fix = index.lowestUnaffectedRelease(distribution, version);
  if (fix) return { lowestFixedVersion: fix, unfixed: [] };
  const unfixedAdvisories = new Set(index.unfixedAdvisories(distribution));
  const open = affecting.filter((a) => unfixedAdvisories.has(a));
  const unfixed = [...new Set(open.map((a) => a.id))];
  // an upgrade helps only when some advisory affecting this release has a released fix
  const partial = open.length < affecting.length ? index.lowestUnaffectedRelease(distribution, version, unfixedAdvisories) : undefined;
  return { lowestFixedVersion: partial ?? null, unfixed };
}
