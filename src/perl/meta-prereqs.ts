/**
 * The prerequisites of a CPAN::Meta document, v2 (`prereqs: {phase: {relationship: {module:
 * version}}}`) and 1.x (`requires`, `build_requires` …), read with their types checked: a wrongly
 * shaped value is a PARSE_ERROR naming its key, never "no prerequisites". Custom phases and
 * relationships (`x_…`, CPAN::Meta::Spec's rule) are skipped: no tool installs anything for them.
 */
import { CpansecError } from '../errors.js';

export type MetaPhase = 'runtime' | 'build' | 'test' | 'configure' | 'develop';
export type MetaRelationship = 'requires' | 'recommends' | 'suggests' | 'conflicts';

export interface MetaPrereq {
  module: string;
  range: string;
  phase: MetaPhase;
  relationship: MetaRelationship;
  feature?: string;
  line?: number;
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where a key path is in the file: a 1-based line, or undefined when unknown. */
export type Locate = (path: string[]) => number | undefined;

export interface ShapeContext {
  file: string;
  locate: Locate;
}

const PHASES = new Set<string>(['configure', 'build', 'test', 'runtime', 'develop']);
const RELATIONSHIPS = new Set<string>(['requires', 'recommends', 'suggests', 'conflicts']);
const CUSTOM = /^x_/i;

export const V1_RELATIONSHIPS: [string, MetaPhase, MetaRelationship][] = [
  ['requires', 'runtime', 'requires'],
  ['recommends', 'runtime', 'recommends'],
  ['conflicts', 'runtime', 'conflicts'],
  ['build_requires', 'build', 'requires'],
  ['test_requires', 'test', 'requires'],
  ['configure_requires', 'configure', 'requires'],
];

/** A value as an error message names it. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (isObj(v)) return 'a mapping';
  const s = String(v);
  return typeof v === 'string' ? `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'` : s;
}

export function shapeError(ctx: ShapeContext, path: string[], message: string): never {
  throw new CpansecError('PARSE_ERROR', `${path.join('.')}: ${message}`, { file: ctx.file, line: ctx.locate(path) });
}

/** `{module: version}`: versions are scalars (null is "any", as CPAN::Meta::Requirements reads it). */
function modules(mods: unknown, path: string[], at: Omit<MetaPrereq, 'module' | 'range'>, ctx: ShapeContext, out: MetaPrereq[]): void {
  if (mods === null || mods === undefined) return;
  if (!isObj(mods)) shapeError(ctx, path, `expected a mapping of module names to versions, got ${describe(mods)}`);
  for (const [module, range] of Object.entries(mods)) {
    if (range !== null && range !== undefined && typeof range !== 'string' && typeof range !== 'number') {
      shapeError(ctx, [...path, module], `expected a version requirement, got ${describe(range)}`);
    }
    const line = ctx.locate([...path, module]);
    out.push({ module, range: range === null || range === undefined ? '0' : String(range), ...at, ...(line ? { line } : {}) });
  }
}

/** CPAN::Meta::Spec v2 `prereqs` (top level or of an optional feature). */
export function prereqsV2(p: unknown, path: string[], feature: string | undefined, ctx: ShapeContext, out: MetaPrereq[]): void {
  if (p === null || p === undefined) return;
  if (!isObj(p)) shapeError(ctx, path, `expected a mapping of phases, got ${describe(p)}`);
  for (const [phase, rels] of Object.entries(p)) {
    if (CUSTOM.test(phase)) continue;
    if (!PHASES.has(phase)) shapeError(ctx, [...path, phase], `unknown phase '${phase}' (configure, build, test, runtime, develop, or x_… for a custom one)`);
    if (rels === null || rels === undefined) continue;
    if (!isObj(rels)) shapeError(ctx, [...path, phase], `expected a mapping of relationships, got ${describe(rels)}`);
    for (const [rel, mods] of Object.entries(rels)) {
      if (CUSTOM.test(rel)) continue;
      if (!RELATIONSHIPS.has(rel)) {
        shapeError(ctx, [...path, phase, rel], `unknown relationship '${rel}' (requires, recommends, suggests, conflicts, or x_… for a custom one)`);
      }
      const at = { phase: phase as MetaPhase, relationship: rel as MetaRelationship, ...(feature ? { feature } : {}) };
      modules(mods, [...path, phase, rel], at, ctx, out);
    }
  }
}

/** CPAN::Meta::Spec 1.x relationship keys of a document (or of an optional feature). */
export function prereqsV1(doc: Obj, path: string[], feature: string | undefined, ctx: ShapeContext, out: MetaPrereq[]): void {
  for (const [key, phase, relationship] of V1_RELATIONSHIPS) {
    modules(doc[key], [...path, key], { phase, relationship, ...(feature ? { feature } : {}) }, ctx, out);
  }
}
