/**
 * The official schemas we validate against, shipped in data/schemas/ with the small JSON Patch
 * (RFC 6902) beside each that says exactly how ours differs; the patch is applied when the schema
 * is loaded, and its `test` operations fail loudly if the upstream copy ever changes underneath.
 * Reading these bundled files is the one I/O this part does, as loading the bundled index is for
 * src/index.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fastJsonPatch, { type Operation } from 'fast-json-patch';
import type { ErrorObject } from 'ajv';
import { CpansecError } from '../errors.js';
import { DATA_DIR } from '../index/index.js';

const SCHEMA_DIR = path.join(DATA_DIR, 'schemas');

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CpansecError('IO_ERROR', `cannot read the schema: ${(e as Error).message}`, { file });
  }
}

/** A schema from data/schemas/, with its patch applied (the files are relative to SCHEMA_DIR). */
export function loadPatchedSchema(schemaFile: string, patchFile: string): Record<string, unknown> {
  const schema = readJson(path.join(SCHEMA_DIR, schemaFile));
  const patch = readJson(path.join(SCHEMA_DIR, patchFile)) as Operation[];
  try {
    return fastJsonPatch.applyPatch(schema, patch, true, true).newDocument as Record<string, unknown>;
  } catch (e) {
    throw new CpansecError('SCHEMA_ERROR', `the patch does not apply: ${(e as Error).message.split('\n')[0]}`, {
      file: path.join(SCHEMA_DIR, patchFile),
    });
  }
}

/** `/affected/0/package` as `$.affected[0].package`. */
export function jsonPath(pointer: string): string {
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p) => (/^\d+$/.test(p) ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`))
      .join('')
  );
}

/** ajv's errors as one line each: the JSON path and what is wrong there. */
export function describeErrors(errors: ErrorObject[] | null | undefined): string[] {
  const lines = (errors ?? []).map((e) => {
    const detail =
      e.keyword === 'additionalProperties'
        ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
        : e.keyword === 'enum'
          ? ` (${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String).join(', ')})`
          : '';
    return `${jsonPath(e.instancePath)}: ${e.message ?? e.keyword}${detail}`;
  });
  return [...new Set(lines)];
}
