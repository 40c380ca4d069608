/**
 * Validation against the official CVE Record Format 5.1.1 schema (bundled, JSON Schema draft-07),
 * extended only by data/schemas/cve/package-url.patch.json: the `packageURL` of an affected product,
 * which CVE Record Format 5.2.0 adds. A whole record, or a CNA container as CVE Services takes it.
 */
import AjvModule, { type ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { describeErrors, loadPatchedSchema } from '../schemas.js';

// CommonJS modules: under NodeNext the default import is the module, `.default` the export
const Ajv = AjvModule.default;
const addFormats = formatsModule.default;

interface Validators {
  record: ValidateFunction;
  published: ValidateFunction;
  rejected: ValidateFunction;
  container: ValidateFunction;
}

let compiled: Validators | undefined;

function compile(): Validators {
  const schema = loadPatchedSchema('cve/CVE_JSON_bundled_5.1.1.json', 'cve/package-url.patch.json');
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema(schema);
  const id = schema.$id as string;
  return {
    record: ajv.getSchema(id)!,
    published: ajv.getSchema(`${id}#/oneOf/0`)!,
    rejected: ajv.getSchema(`${id}#/oneOf/1`)!,
    container: ajv.getSchema(`${id}#/definitions/cnaPublishedContainer`)!,
  };
}

/** Problems of a CVE JSON 5 record, one line each with its JSON path; empty when it is valid. */
export function validateCveRecord(record: unknown): string[] {
  compiled ??= compile();
  // the schema is oneOf(published, rejected): judge a record by the branch its state names, so
  // that the problems are its own and not the other branch's
  const state = (record as { cveMetadata?: { state?: unknown } } | null)?.cveMetadata?.state;
  const validate = state === 'PUBLISHED' ? compiled.published : state === 'REJECTED' ? compiled.rejected : compiled.record;
  return validate(record) ? [] : describeErrors(validate.errors);
}

/** Problems of a published CNA container (what a CNA submits for a CVE id). */
export function validateCnaContainer(container: unknown): string[] {
  compiled ??= compile();
  return compiled.container(container) ? [] : describeErrors(compiled.container.errors);
}
