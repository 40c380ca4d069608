/**
 * The `cpan:` name/value pairs of a component (CycloneDX properties; in SPDX, the package comment).
 * The names are documented in docs/sbom.md; a name may repeat, one value each.
 */
import type { SbomComponent } from './model.js';

export function componentProperties(c: SbomComponent): [string, string][] {
  const out: [string, string][] = [];
  const add = (name: string, value: string) => {
    if (!out.some(([n, v]) => n === name && v === value)) out.push([name, value]);
  };
  if (c.kind !== 'project') add('cpan:kind', c.kind);
  if (c.dependency) add('cpan:dependency', c.dependency);
  for (const p of c.prereqs) {
    add('cpan:phase', p.phase);
    add('cpan:relationship', p.relationship);
    add('cpan:prereq', `${p.phase} ${p.relationship} ${p.module} ${p.range}`);
    if (p.feature) add('cpan:feature', p.feature);
  }
  if (c.author) add('cpan:author', c.author);
  if (c.pathname) add('cpan:pathname', c.pathname);
  if (c.core) {
    add('cpan:core', String(c.core.core));
    add('cpan:dual-life', String(c.core.dualLife));
    if (c.core.since) add('cpan:core-since', c.core.since);
  }
  if (c.license?.names.length) for (const n of c.license.names) add('cpan:license', n);
  for (const m of c.provides) add('cpan:provides', m.version ? `${m.module} ${m.version}` : m.module);
  for (const [n, v] of c.properties) add(n, v);
  return out;
}

/** "Name <email>" (META author format) split for CycloneDX 1.6 `authors`. */
export function splitAuthor(author: string): { name?: string; email?: string } {
  const m = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(author);
  if (m) return { ...(m[1] ? { name: m[1] } : {}), email: m[2]! };
  return { name: author.trim() };
}
