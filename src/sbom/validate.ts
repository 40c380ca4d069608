/**
 * `cpansec sbom validate`: a CycloneDX (1.4–1.6) or SPDX 2.3 JSON document against its official
 * schema, then the rules a schema cannot state (validate-cyclonedx.ts, validate-spdx.ts). Each
 * problem has the JSON path of the value it is about. The document's size, nesting and number of
 * items are checked first (SBOM_LIMITS): the schema check is linear in the size of the document
 * (uniqueness is checked by hashing, schemas.ts) and never recursion-deep beyond the nesting limit.
 */
import type { ErrorObject } from 'ajv';
import { CpansecError } from '../errors.js';
import { checkNesting, SBOM_LIMITS } from './limits.js';
import { schemaValidator, type SchemaName } from './schemas.js';
import { cycloneDxSemantics } from './validate-cyclonedx.js';
import { spdxSemantics } from './validate-spdx.js';

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

/**
 * A document's JSON text, refused before parsing when it is larger or deeper than cpansec
 * validates (an input error, not an invalid document).
 */
export function parseSbomDocument(text: string, file: string): unknown {
  if (text.length > SBOM_LIMITS.documentBytes) throw new CpansecError('USAGE', `larger than ${SBOM_LIMITS.documentBytes} bytes, the most cpansec reads`, { file });
  checkNesting(text, SBOM_LIMITS.documentDepth, file, 'document');
  try {
    return JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec((e as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new CpansecError('PARSE_ERROR', `not valid JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')}`, { file, line });
  }
}

/** Components at any depth, services, vulnerabilities, dependencies, packages, relationships: the lists that grow. */
function itemCount(doc: Obj): number {
  let n = 0;
  const stack: unknown[] = [doc.components, doc.services];
  while (stack.length) {
    const list = stack.pop();
    if (!Array.isArray(list)) continue;
    n += list.length;
    for (const c of list) if (isObj(c)) stack.push(c.components, c.services);
  }
  for (const k of ['vulnerabilities', 'dependencies', 'packages', 'files', 'relationships', 'snippets']) if (Array.isArray(doc[k])) n += doc[k].length;
  return n;
}

/** Validate a parsed document whose format detectFormat recognised with a schema we have. */
export function validateDocument(doc: unknown, file = 'document'): ValidationResult | undefined {
  const detected = detectFormat(doc);
  if (!detected?.schema) return undefined;
  const items = itemCount(doc as Obj);
  if (items > SBOM_LIMITS.documentItems) {
    throw new CpansecError('USAGE', `${items} components, services, vulnerabilities, dependencies or relationships: more than the ${SBOM_LIMITS.documentItems} cpansec validates`, { file });
  }
  const validate = schemaValidator(detected.schema);
  const problems = validate(doc) ? [] : schemaProblems(validate.errors ?? []);
  problems.push(...(detected.format === 'CycloneDX' ? cycloneDxSemantics(doc as Obj) : spdxSemantics(doc as Obj)));
  return { format: detected.format, version: detected.version, schema: detected.schema, valid: problems.length === 0, problems };
}
