/**
 * What the CycloneDX schemas cannot state, checked over the whole document in one walk: every
 * `bom-ref` (on components at any depth, services and nested services, vulnerabilities, tools,
 * formulation, annotations, definitions…) is unique, every reference (dependencies, affects,
 * compositions, annotation subjects) resolves to one of them or is a BOM-Link, purls parse and
 * follow their type's rules, licence expressions are SPDX expressions of known ids.
 */
import { licenseExpressionProblem } from './license-expression.js';
import { purlProblem } from './purl-check.js';
import type { ValidationProblem } from './validate.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

export function cycloneDxSemantics(doc: Obj): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const refs = new Map<string, string>();
  // iterative: a deep document must not exhaust the call stack
  const stack: [unknown, string, string][] = [[doc, '$', '']];
  while (stack.length) {
    const [value, at, parentKey] = stack.pop()!;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${at}[${i}]`, parentKey]);
      continue;
    }
    if (!isObj(value)) continue;
    const ref = value['bom-ref'];
    if (typeof ref === 'string') {
      const first = refs.get(ref);
      // a formulation task re-declares its workflow's workspaces and steps under the same bom-ref
      // (the specification's own valid-formulation example does): tolerated there only
      if (first === undefined) refs.set(ref, at);
      else if (!(at.startsWith('$.formulation') && first.startsWith('$.formulation'))) problems.push({ path: `${at}["bom-ref"]`, message: `bom-ref '${ref}' is also used at ${first}` });
    }
    if (typeof value.purl === 'string') {
      const why = purlProblem(value.purl);
      if (why) problems.push({ path: `${at}.purl`, message: why });
    }
    if (parentKey === 'licenses' && typeof value.expression === 'string') {
      const why = licenseExpressionProblem(value.expression);
      if (why) problems.push({ path: `${at}.expression`, message: why });
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i]!;
      if (typeof value[k] === 'object' && value[k] !== null) stack.push([value[k], `${at}${key(k)}`, k]);
    }
  }

  const known = (r: unknown) => typeof r === 'string' && (refs.has(r) || r.startsWith('urn:cdx:'));
  const check = (r: unknown, at: string) => {
    if (!known(r)) problems.push({ path: at, message: `refers to no bom-ref in the document: '${String(r)}'` });
  };
  const each = (list: unknown, at: string, fn: (item: unknown, at: string) => void) => {
    if (Array.isArray(list)) list.forEach((x, i) => fn(x, `${at}[${i}]`));
  };
  each(doc.dependencies, '$.dependencies', (d, at) => {
    if (!isObj(d)) return;
    check(d.ref, `${at}.ref`);
    each(d.dependsOn, `${at}.dependsOn`, check);
    each(d.provides, `${at}.provides`, check);
  });
  each(doc.vulnerabilities, '$.vulnerabilities', (v, at) => {
    if (isObj(v)) each(v.affects, `${at}.affects`, (a, at2) => isObj(a) && check(a.ref, `${at2}.ref`));
  });
  each(doc.compositions, '$.compositions', (c, at) => {
    if (!isObj(c)) return;
    for (const k of ['assemblies', 'dependencies', 'vulnerabilities'] as const) each(c[k], `${at}.${k}`, check);
  });
  each(doc.annotations, '$.annotations', (a, at) => {
    if (isObj(a)) each(a.subjects, `${at}.subjects`, check);
  });
  return problems;
}
