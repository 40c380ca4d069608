/**
 * Validation against the official OSV schema 1.7.5 (JSON Schema 2020-12), extended only by what
 * data/schemas/osv/cpan.patch.json adds: the `CPAN` ecosystem and the `CPANSA` id prefix.
 */
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import formatsModule from 'ajv-formats';
import { describeErrors, loadPatchedSchema } from '../schemas.js';

// CommonJS modules: under NodeNext the default import is the module, `.default` the export
const Ajv2020 = Ajv2020Module.default;
const addFormats = formatsModule.default;

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(loadPatchedSchema('osv/schema.json', 'osv/cpan.patch.json'));
}

/** Problems of an OSV record, one line each with its JSON path; empty when it is valid. */
export function validateOsv(record: unknown): string[] {
  validator ??= compile();
  return validator(record) ? [] : describeErrors(validator.errors);
}
