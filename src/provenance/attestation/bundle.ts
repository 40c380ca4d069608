/**
 * Sigstore bundles (protobuf-specs sigstore_bundle.proto, v0.3): writing one around a DSSE
 * envelope signed with a key (public-key verification material, no log entry), and reading any
 * bundle a user hands us — size bounded, JSON, then @sigstore/bundle's own validation, each
 * failure one line naming the file and the field.
 */
import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import { CpansecError } from '../../errors.js';
import type { Envelope } from './dsse.js';

export const BUNDLE_V03_MEDIA_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';
/** the media types of the bundle versions sigstore clients write */
export const KNOWN_MEDIA_TYPES = [
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  BUNDLE_V03_MEDIA_TYPE,
];
/** a bundle holds a statement and a certificate or two; real ones are a few KiB */
export const MAX_BUNDLE_BYTES = 1024 * 1024;
const MAX_DEPTH = 32;

export interface SerializedKeyBundle {
  mediaType: typeof BUNDLE_V03_MEDIA_TYPE;
  verificationMaterial: { publicKey: { hint: string }; tlogEntries: never[]; timestampVerificationData?: undefined };
  dsseEnvelope: Envelope;
}

export function keyBundle(envelope: Envelope, keyId: string): SerializedKeyBundle {
  return { mediaType: BUNDLE_V03_MEDIA_TYPE, verificationMaterial: { publicKey: { hint: keyId }, tlogEntries: [] }, dsseEnvelope: envelope };
}

function depth(v: unknown, d = 0): number {
  if (d > MAX_DEPTH || typeof v !== 'object' || v === null) return d;
  let max = d;
  for (const x of Object.values(v)) max = Math.max(max, depth(x, d + 1));
  return max;
}

export interface ParsedBundle {
  bundle: Bundle;
  json: Record<string, unknown>;
}

/** A bundle from its bytes, or a PARSE_ERROR naming `file` and what is wrong. */
export function parseBundle(bytes: Buffer, file: string): ParsedBundle {
  const bad = (m: string) => new CpansecError('PARSE_ERROR', `not a valid Sigstore bundle: ${m}`, { file });
  if (bytes.length > MAX_BUNDLE_BYTES) throw bad(`larger than ${MAX_BUNDLE_BYTES} bytes`);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw bad(`not JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('not a JSON object');
  if (depth(json) > MAX_DEPTH) throw bad(`nested deeper than ${MAX_DEPTH} levels`);
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string') throw bad('no mediaType');
  if (!KNOWN_MEDIA_TYPES.includes(mediaType)) throw bad(`unknown mediaType ${JSON.stringify(mediaType.slice(0, 100))} (expected ${BUNDLE_V03_MEDIA_TYPE})`);
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (e) {
    const fields = (e as { fields?: string[] }).fields;
    throw bad(fields?.length ? `invalid ${fields.join(', ')}` : (e as Error).message);
  }
  return { bundle, json: json as Record<string, unknown> };
}
