/**
 * The official JSON schemas, bundled in data/schemas/ (origin and licence in data/README.md), compiled
 * with Ajv the way CycloneDX's own schema tests do: draft-07, the SPDX licence-id and JSF schemas
 * registered under their cyclonedx.org ids, no remote loading, the `iri-reference`/`idn-email`
 * formats accepted as written (Ajv has no checker for them).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvModule, { type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { DATA_DIR } from '../paths.js';

// ajv and ajv-formats are CommonJS: under NodeNext the default import is the module, `.default` the export
const Ajv = AjvModule.default;
const addFormats = formatsModule.default;

const DIR = path.join(DATA_DIR, 'schemas');

export type SchemaName = 'cyclonedx-1.4' | 'cyclonedx-1.5' | 'cyclonedx-1.6' | 'spdx-2.3';

const FILES: Record<SchemaName, string> = {
  'cyclonedx-1.4': 'cyclonedx/bom-1.4.schema.json',
  'cyclonedx-1.5': 'cyclonedx/bom-1.5.schema.json',
  'cyclonedx-1.6': 'cyclonedx/bom-1.6.schema.json',
  'spdx-2.3': 'spdx/spdx-schema-2.3.json',
};

const load = (rel: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(DIR, rel), 'utf8')) as Record<string, unknown>;

const cache = new Map<SchemaName, ValidateFunction>();

function newAjv(): InstanceType<typeof AjvModule.default> {
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, loadSchema: undefined });
  addFormats(ajv);
  addLinearUniqueItems(ajv);
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  const spdx = load('cyclonedx/spdx.schema.json');
  const jsf = load('cyclonedx/jsf-0.82.schema.json');
  // the 1.6 schema refers to spdx.schema.json; the library's 1.4/1.5 copies to spdx.SNAPSHOT.schema.json
  for (const [schema, names] of [
    [spdx, ['spdx.schema.json', 'spdx.SNAPSHOT.schema.json']],
    [jsf, ['jsf-0.82.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']],
  ] as const) {
    for (const name of names) ajv.addSchema({ ...(linearUniqueness(schema) as object), $id: `http://cyclonedx.org/schema/${name}` });
  }
  return ajv;
}

/**
 * The schema with each `uniqueItems: true` turned into `linearUniqueItems`: Ajv compares the
 * items of an array of objects pairwise (20,000 components: 21 s, 300,000: never), this keyword
 * hashes each item's canonical JSON once.
 */
function linearUniqueness(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(linearUniqueness);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'uniqueItems' && v === true) out.linearUniqueItems = true;
    else out[k] = k === 'enum' || k === 'const' || k === 'examples' ? v : linearUniqueness(v);
  }
  return out;
}

/** JSON with object keys sorted: equal values (as JSON Schema defines equality) give equal strings. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function addLinearUniqueItems(ajv: InstanceType<typeof AjvModule.default>): void {
  const check = function (this: unknown, schema: boolean, data: unknown[]): boolean {
    if (!schema) return true;
    const seen = new Map<string, number>();
    for (let i = 0; i < data.length; i++) {
      const k = canonical(data[i]);
      const j = seen.get(k);
      if (j !== undefined) {
        check.errors = [{ keyword: 'uniqueItems', message: `must NOT have duplicate items (items ## ${j} and ${i} are identical)`, params: { i, j } }];
        return false;
      }
      seen.set(k, i);
    }
    return true;
  } as ((schema: boolean, data: unknown[]) => boolean) & { errors?: Partial<import('ajv').ErrorObject>[] };
  ajv.addKeyword({ keyword: 'linearUniqueItems', type: 'array', schemaType: 'boolean', errors: true, validate: check });
}

export function schemaValidator(name: SchemaName): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    v = newAjv().compile(linearUniqueness(load(FILES[name])) as Record<string, unknown>);
    cache.set(name, v);
  }
  return v;
}
