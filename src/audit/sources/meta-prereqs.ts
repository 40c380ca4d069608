/** META / MYMETA prerequisites as requirement-range dependencies. */
import type { CpanMeta } from '../../perl/index.js';
import type { Dependency } from '../dependency.js';

export function metaDependencies(meta: CpanMeta): Dependency[] {
  return meta.prereqs.map((p) => ({
    name: p.module,
    kind: 'module',
    range: p.range,
    phase: p.phase,
    relationship: p.relationship,
    ...(p.feature ? { feature: p.feature } : {}),
    source: { file: meta.file, ...(p.line ? { line: p.line } : {}) },
  }));
}
