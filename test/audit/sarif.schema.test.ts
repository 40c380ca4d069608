import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import AjvDraft04 from 'ajv-draft-04';
import formats from 'ajv-formats';
import { auditDependencies, toSarif, type Dependency } from '../../src/audit/index.js';
import { loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { readSourceFile } from '../../src/audit/sources/index.js';
import { projectPath } from '../helpers/paths.js';

// the official SARIF 2.1.0 schema (OASIS, via schemastore), as Microsoft's SARIF SDK ships it
const schemaFile = createRequire(import.meta.url).resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
// (the schema's language pattern has a stray ']' that only non-unicode regular expressions accept)
// CommonJS packages: their default export is the module object under NodeNext
const Ajv = AjvDraft04.default;
const addFormats = formats.default;
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);

test('SARIF of a real project audit validates against the SARIF 2.1.0 schema', () => {
  const index = new VulnerabilityIndex(loadBundledDatabase());
  const deps: Dependency[] = [
    ...readSourceFile(projectPath('test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile.snapshot')),
    ...readSourceFile(projectPath('test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile')),
  ];
  const sarif = toSarif(auditDependencies(deps, index, { today: '2026-11-25' }), '0.1.0') as { runs: { results: unknown[] }[] };
  const ok = validate(sarif);
  assert.deepEqual(validate.errors?.slice(0, 5) ?? [], [], 'schema errors');
  assert.ok(ok);
  assert.ok(sarif.runs[0]!.results.length > 40);
});
