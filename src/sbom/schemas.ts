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
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('idn-email', true);
  const spdx = load('cyclonedx/spdx.schema.json');
  const jsf = load('cyclonedx/jsf-0.82.schema.json');
  // the 1.6 schema refers to spdx.schema.json; the library's 1.4/1.5 copies to spdx.SNAPSHOT.schema.json
  for (const [schema, names] of [
    [spdx, ['spdx.schema.json', 'spdx.SNAPSHOT.schema.json']],
    [jsf, ['jsf-0.82.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']],
  ] as const) {
    for (const name of names) ajv.addSchema({ ...schema, $id: `http://cyclonedx.org/schema/${name}` });
  }
  return ajv;
}

export function schemaValidator(name: SchemaName): ValidateFunction {
  let v = cache.get(name);
  if (!v) {
    v = newAjv().compile(load(FILES[name]));
    cache.set(name, v);
  }
  return v;
}
