/**
 * `cpansec sbom validate`: a CycloneDX (1.4–1.6) or SPDX 2.3 JSON document against its official
 * schema, then the rules a schema cannot state (every reference points at something that exists,
 * identifiers are unique). Each problem has the JSON path of the value it is about.
 */
import type { ErrorObject } from 'ajv';
import { schemaValidator, type SchemaName } from './schemas.js';

export interface ValidationProblem {
  /** JSONPath of the offending value, $.components[3].purl */
  path: string;
  message: string;
}

export interface ValidationResult {
  format: 'CycloneDX' | 'SPDX';
  version: string;
  schema: SchemaName;
  valid: boolean;
  problems: ValidationProblem[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSON pointer (/components/0/purl) as a JSONPath ($.components[0].purl). */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '$';
  return `$${pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`))
    .join('')}`;
}

function describe(e: ErrorObject): ValidationProblem {
  const base = pointerToPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties':
      return { path: `${base}.${String(p.additionalProperty)}`, message: 'property not allowed by the schema' };
    case 'required':
      return { path: base, message: `missing required property '${String(p.missingProperty)}'` };
    case 'enum':
      return { path: base, message: `must be one of: ${(p.allowedValues as unknown[]).slice(0, 8).map(String).join(', ')}${(p.allowedValues as unknown[]).length > 8 ? ', …' : ''}` };
    default:
      return { path: base, message: e.message ?? e.keyword };
  }
}

/**
 * Ajv reports every failed branch of a oneOf/anyOf; the summary line of the combinator says enough
 * when nothing more precise was found at a deeper path, and is noise when something was.
 */
function schemaProblems(errors: ErrorObject[]): ValidationProblem[] {
  const precise = errors.filter((e) => !['oneOf', 'anyOf', 'if', 'not'].includes(e.keyword));
  const kept = errors.filter((e) => !['oneOf', 'anyOf', 'if'].includes(e.keyword) || !precise.some((x) => x.instancePath.startsWith(e.instancePath)));
  const seen = new Set<string>();
  const out: ValidationProblem[] = [];
  for (const e of kept) {
    const p = describe(e);
    const key = `${p.path}\u0000${p.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(p);
    }
  }
  return out;
}

function cycloneDxSemantics(doc: Obj): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const refs = new Map<string, string>();
  const visit = (c: unknown, at: string) => {
    if (!isObj(c)) return;
    const ref = c['bom-ref'];
    if (typeof ref === 'string') {
      if (refs.has(ref)) problems.push({ path: `${at}["bom-ref"]`, message: `bom-ref '${ref}' is also used at ${refs.get(ref)}` });
      else refs.set(ref, at);
    }
    if (Array.isArray(c.components)) c.components.forEach((x, i) => visit(x, `${at}.components[${i}]`));
  };
  if (isObj(doc.metadata)) visit(doc.metadata.component, '$.metadata.component');
  if (Array.isArray(doc.components)) doc.components.forEach((c, i) => visit(c, `$.components[${i}]`));
  if (Array.isArray(doc.services)) doc.services.forEach((c, i) => visit(c, `$.services[${i}]`));
  if (Array.isArray(doc.vulnerabilities)) doc.vulnerabilities.forEach((c, i) => visit(c, `$.vulnerabilities[${i}]`));
  const known = (r: unknown) => typeof r === 'string' && (refs.has(r) || r.startsWith('urn:cdx:'));
  if (Array.isArray(doc.dependencies)) {
    doc.dependencies.forEach((d, i) => {
      if (!isObj(d)) return;
      if (!known(d.ref)) problems.push({ path: `$.dependencies[${i}].ref`, message: `refers to no bom-ref in the document: '${String(d.ref)}'` });
      if (Array.isArray(d.dependsOn)) {
        d.dependsOn.forEach((r, j) => {
          if (!known(r)) problems.push({ path: `$.dependencies[${i}].dependsOn[${j}]`, message: `refers to no bom-ref in the document: '${String(r)}'` });
        });
      }
    });
  }
  if (Array.isArray(doc.vulnerabilities)) {
    doc.vulnerabilities.forEach((v, i) => {
      if (!isObj(v) || !Array.isArray(v.affects)) return;
      v.affects.forEach((a, j) => {
        if (isObj(a) && !known(a.ref)) problems.push({ path: `$.vulnerabilities[${i}].affects[${j}].ref`, message: `refers to no bom-ref in the document: '${String(a.ref)}'` });
      });
    });
  }
  return problems;
}

const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;

function spdxSemantics(doc: Obj): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const ids = new Map<string, string>();
  const define = (id: unknown, at: string) => {
    if (typeof id !== 'string') return;
    if (!SPDX_ID.test(id)) problems.push({ path: at, message: `'${id}' is not an SPDX identifier (SPDXRef- followed by letters, digits, '.' or '-')` });
    if (ids.has(id)) problems.push({ path: at, message: `SPDXID '${id}' is also used at ${ids.get(id)}` });
    else ids.set(id, at);
  };
  define(doc.SPDXID, '$.SPDXID');
  if (doc.SPDXID !== 'SPDXRef-DOCUMENT') problems.push({ path: '$.SPDXID', message: "the document's SPDXID must be 'SPDXRef-DOCUMENT'" });
  for (const list of ['packages', 'files', 'snippets'] as const) {
    const items = doc[list];
    if (Array.isArray(items)) items.forEach((p, i) => isObj(p) && define(p.SPDXID, `$.${list}[${i}].SPDXID`));
  }
  const externalDocs = new Set(Array.isArray(doc.externalDocumentRefs) ? doc.externalDocumentRefs.filter(isObj).map((r) => String(r.externalDocumentId)) : []);
  const resolves = (id: unknown, allowNone: boolean) => {
    if (typeof id !== 'string') return false;
    if (allowNone && (id === 'NONE' || id === 'NOASSERTION')) return true;
    if (id.startsWith('DocumentRef-')) return externalDocs.has(id.split(':')[0]!);
    return ids.has(id);
  };
  if (Array.isArray(doc.relationships)) {
    doc.relationships.forEach((r, i) => {
      if (!isObj(r)) return;
      if (!resolves(r.spdxElementId, false)) problems.push({ path: `$.relationships[${i}].spdxElementId`, message: `refers to no element of the document: '${String(r.spdxElementId)}'` });
      if (!resolves(r.relatedSpdxElement, true)) problems.push({ path: `$.relationships[${i}].relatedSpdxElement`, message: `refers to no element of the document: '${String(r.relatedSpdxElement)}'` });
    });
  }
  if (Array.isArray(doc.documentDescribes)) {
    doc.documentDescribes.forEach((id, i) => {
      if (!resolves(id, false)) problems.push({ path: `$.documentDescribes[${i}]`, message: `refers to no element of the document: '${String(id)}'` });
    });
  }
  const describes = Array.isArray(doc.relationships) && doc.relationships.some((r) => isObj(r) && r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES');
  if (!describes && !(Array.isArray(doc.documentDescribes) && doc.documentDescribes.length)) {
    problems.push({ path: '$.relationships', message: 'the document describes nothing (no DESCRIBES relationship from SPDXRef-DOCUMENT, no documentDescribes)' });
  }
  const ns = doc.documentNamespace;
  if (typeof ns === 'string' && (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ns) || ns.includes('#'))) {
    problems.push({ path: '$.documentNamespace', message: 'must be an absolute URI without a # part' });
  }
  // every LicenseRef- used in a licence field is defined in hasExtractedLicensingInfos
  const defined = new Set(Array.isArray(doc.hasExtractedLicensingInfos) ? doc.hasExtractedLicensingInfos.filter(isObj).map((l) => String(l.licenseId)) : []);
  if (Array.isArray(doc.packages)) {
    doc.packages.forEach((p, i) => {
      if (!isObj(p)) return;
      for (const field of ['licenseConcluded', 'licenseDeclared'] as const) {
        const v = p[field];
        if (typeof v !== 'string') continue;
        for (const ref of v.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) {
          if (!defined.has(ref)) problems.push({ path: `$.packages[${i}].${field}`, message: `${ref} is not defined in hasExtractedLicensingInfos` });
        }
      }
      if (p.filesAnalyzed === true && !p.packageVerificationCode) problems.push({ path: `$.packages[${i}].packageVerificationCode`, message: 'required when filesAnalyzed is true' });
    });
  }
  return problems;
}

export type Detected = { format: 'CycloneDX' | 'SPDX'; version: string; schema?: SchemaName };

/** Which format and version a parsed document claims to be. */
export function detectFormat(doc: unknown): Detected | undefined {
  if (!isObj(doc)) return undefined;
  if (doc.bomFormat === 'CycloneDX') {
    const version = String(doc.specVersion ?? '');
    const schema = ['1.4', '1.5', '1.6'].includes(version) ? (`cyclonedx-${version}` as SchemaName) : undefined;
    return { format: 'CycloneDX', version, ...(schema ? { schema } : {}) };
  }
  if (typeof doc.spdxVersion === 'string') {
    const version = doc.spdxVersion.replace(/^SPDX-/, '');
    return { format: 'SPDX', version, ...(version === '2.3' ? { schema: 'spdx-2.3' as const } : {}) };
  }
  return undefined;
}

/** Validate a parsed document whose format detectFormat recognised with a schema we have. */
export function validateDocument(doc: unknown): ValidationResult | undefined {
  const detected = detectFormat(doc);
  if (!detected?.schema) return undefined;
  const validate = schemaValidator(detected.schema);
  const problems = validate(doc) ? [] : schemaProblems(validate.errors ?? []);
  problems.push(...(detected.format === 'CycloneDX' ? cycloneDxSemantics(doc as Obj) : spdxSemantics(doc as Obj)));
  return { format: detected.format, version: detected.version, schema: detected.schema, valid: problems.length === 0, problems };
}
