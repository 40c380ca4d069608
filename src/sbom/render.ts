/** An Sbom rendered in the chosen format, with a serial number that is random or derived from the content. */
import { createHash } from 'node:crypto';
import { toCycloneDx, type CycloneDxVersion, type DocumentOptions } from './cyclonedx.js';
import type { Sbom } from './model.js';
import { toSpdx } from './spdx.js';

export type SbomFormat = 'cyclonedx' | 'spdx';

export interface RenderOptions extends Omit<DocumentOptions, 'serialNumber'> {
  format: SbomFormat;
  specVersion?: CycloneDxVersion;
  /** a urn:uuid, 'random' (the default), or 'content': a UUID from a hash of the document (reproducible builds) */
  serialNumber?: string;
}

const ZERO = 'urn:uuid:00000000-0000-0000-0000-000000000000';

/** A name-based (version 5 style) UUID from a digest. */
function uuidOf(digest: Buffer): string {
  const b = Buffer.from(digest.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Make a document with the serial number `serialNumber` asks for ('content': derived from the document made with a zero one). */
export function withSerial(serialNumber: string | undefined, make: (serialNumber?: string) => Record<string, unknown>): Record<string, unknown> {
  if (serialNumber === 'content') {
    const draft = make(ZERO);
    return make(uuidOf(createHash('sha256').update(JSON.stringify(draft)).digest()));
  }
  return make(serialNumber && serialNumber !== 'random' ? serialNumber : undefined);
}

export function renderSbom(sbom: Sbom, options: RenderOptions): Record<string, unknown> {
  return withSerial(options.serialNumber, (serialNumber) =>
    options.format === 'spdx'
      ? toSpdx(sbom, { ...options, ...(serialNumber ? { serialNumber } : {}) })
      : toCycloneDx(sbom, { ...options, ...(serialNumber ? { serialNumber } : {}) }),
  );
}
