/**
 * Paths in a document are relative to the input (its project directory, or the directory holding
 * the file given): an SBOM says what was described, not where on the author's machine it lay, and
 * two machines produce the same bytes. A path outside that base is shown by its last component.
 */
import path from 'node:path';
import type { Sbom } from './model.js';

export function displayPath(p: string, base: string): string {
  if (p.startsWith('<') || /^[a-z][a-z0-9+.-]*:\/\//i.test(p)) return p; // <stdin>, URLs
  const rel = path.relative(path.resolve(base), path.resolve(p));
  if (rel === '') return path.basename(path.resolve(p)) || '.';
  if (rel.startsWith('..') || path.isAbsolute(rel)) return path.basename(p);
  return rel.split(path.sep).join('/');
}

/** the properties whose values are paths of the input */
const PATH_PROPERTIES = new Set(['cpan:cpanfile', 'cpan:direct-from', 'cpan:installed-from', 'cpan:found-in']);

/** Rewrite every path the Sbom records relative to `base`. */
export function localizePaths(sbom: Sbom, base: string): void {
  sbom.source.display ??= displayPath(sbom.source.file, base);
  const fix = (props: [string, string][]) => {
    for (const p of props) if (PATH_PROPERTIES.has(p[0])) p[1] = displayPathWithLine(p[1], base);
  };
  fix(sbom.properties);
  fix(sbom.root.properties);
  for (const c of sbom.components) fix(c.properties);
}

/** A `file:line` reference keeps its line. */
export function displayPathWithLine(value: string, base: string): string {
  const m = /^(.*?)(:\d+)?$/.exec(value)!;
  return `${displayPath(m[1]!, base)}${m[2] ?? ''}`;
}
