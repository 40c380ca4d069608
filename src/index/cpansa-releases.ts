/**
 * Each distribution's release versions, sorted (and those version.pm cannot read), beside the
 * bundled database (data/cpansa.releases.json, written with it): a remediation reads the versions of the
 * distributions it concerns, in version order, instead of parsing their release lists (with a
 * date for each release) and sorting them. One distribution a line, found by binary search
 * (json-lines.ts); the head gives the byte size of the database it was made from, and a file made
 * from another is not used.
 */
import { readFileSync } from 'node:fs';
import { CpansecError } from '../errors.js';
import { formatJsonLines, readJsonLines } from '../perl/index.js';
import { releasesOf, sortedVersions, type SortedVersions } from './releases.js';

const MEMBER = 'releases';

/** The file for a database of `size` bytes whose distributions are `dists` (CPANSA entries). */
export function formatReleaseLines(size: number, dists: Record<string, unknown>): string {
  const sorted: Record<string, [string[], string[]]> = {};
  for (const [name, entry] of Object.entries(dists)) {
    const { sorted: readable, unreadable } = sortedVersions(releasesOf((entry as { versions?: unknown } | null)?.versions));
    sorted[name] = [readable, unreadable];
  }
  return formatJsonLines({ database_size: size, generated_by: 'cpansec (npm run data:tables)' }, MEMBER, sorted);
}

/**
 * A distribution's sorted versions from the file, for a database of `size` bytes; undefined when
 * the file is absent or was made from another database (then the release lists are sorted).
 */
export function readReleaseLines(file: string, size: number): ((distribution: string) => SortedVersions | undefined) | undefined {
  let lines;
  try {
    lines = readJsonLines(readFileSync(file), MEMBER);
  } catch {
    return undefined;
  }
  if (!lines || lines.head.database_size !== size) return undefined;
  return (distribution) => {
    let v: unknown;
    try {
      v = lines.get(distribution);
    } catch (e) {
      throw new CpansecError('PARSE_ERROR', `${distribution}: not JSON: ${(e as Error).message}`, { file });
    }
    if (v === undefined) return undefined;
    const strings = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
    if (!Array.isArray(v) || v.length !== 2 || !strings(v[0]) || !strings(v[1])) {
      throw new CpansecError('PARSE_ERROR', `${distribution}: expected [sorted versions, unreadable versions]`, { file });
    }
    return { sorted: v[0], unreadable: v[1] };
  };
}
