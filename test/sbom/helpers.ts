/** Shared by the SBOM tests: fixed clock and serial, schema validation of every document made, reading documents. */
import assert from 'node:assert/strict';
import { coreInfo } from '../../src/perl/index.js';
import { validateDocument } from '../../src/sbom/index.js';

export const NOW = () => new Date('2026-11-24T12:00:00Z');
export const SERIAL = 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79';
export const DOC = { now: NOW, serialNumber: SERIAL, toolVersion: '0.1.0-test' };

/** A generated document, read loosely. */
export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The values of a component's properties of this name. */
export const prop = (c: Obj, name: string): string[] => (c.properties ?? []).filter((p: Obj) => p.name === name).map((p: Obj) => p.value as string);

/** Module::CoreList as the generator's `core` fact. */
export const core = (m: string) => coreInfo(m);

/** Validate against the official schema (and the cross-reference rules); fail with every problem. */
export function assertValid(doc: unknown, label: string): void {
  const result = validateDocument(doc);
  assert.ok(result, `${label}: not a CycloneDX 1.4-1.6 or SPDX 2.3 document`);
  assert.deepEqual(result.problems, [], `${label}: ${result.format} ${result.version} has schema problems`);
}
