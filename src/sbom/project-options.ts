/**
 * What a project snapshot cannot know about the project itself, stated by the user (as CPAN::SBOM's
 * --project-* options do): its name, version, licence (an SPDX expression), authors, and the
 * CycloneDX type of the described component. The NTIA minimum elements of the root come from here
 * when the input has none.
 */
import { CpansecError } from '../errors.js';
import { cpanPurl } from '../perl/index.js';
import { licenseExpressionProblem } from './license-expression.js';
import type { ComponentType, Sbom } from './model.js';

export interface ProjectOverrides {
  name?: string;
  version?: string;
  license?: string;
  authors?: string[];
  type?: ComponentType;
}

export function applyProject(sbom: Sbom, o: ProjectOverrides): void {
  const root = sbom.root;
  if (o.name !== undefined && !o.name.trim()) throw new CpansecError('USAGE', '--project-name: empty');
  if (o.license !== undefined) {
    const why = licenseExpressionProblem(o.license);
    if (why) throw new CpansecError('USAGE', `--project-license: '${o.license}' is ${why}`);
    root.license = { names: [], unmapped: [], expression: o.license };
  }
  if (o.authors) root.authors = o.authors.map((a) => a.trim()).filter(Boolean);
  if (o.type) root.type = o.type;
  if (o.name === undefined && o.version === undefined) return;
  if (o.name !== undefined) root.name = o.name.trim();
  if (o.version !== undefined) root.version = o.version;
  // the root's identifiers follow its name and version
  const old = root.ref;
  if (root.kind === 'distribution' && /^[A-Za-z0-9][\w.+-]*$/.test(root.name)) {
    root.purl = cpanPurl({ name: root.name, ...(root.version ? { version: root.version } : {}), ...(root.author ? { author: root.author } : {}) });
    root.ref = root.purl;
  } else if (root.kind === 'project') {
    root.ref = `perl-project:${root.name.replace(/\s+/g, '-')}`;
  }
  if (old !== root.ref) {
    const deps = sbom.dependencies.get(old);
    sbom.dependencies.delete(old);
    sbom.dependencies.set(root.ref, deps ?? new Set());
    for (const tos of sbom.dependencies.values()) if (tos.delete(old)) tos.add(root.ref);
  }
}
