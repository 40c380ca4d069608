/**
 * Identifiers. Internal ids are 128 random bits. The public case reference, the one a reporter
 * quotes in mail, is `CPANSEC-<year>-XXXX-XXXX`: 40 random bits in Crockford base32, so a reference
 * cannot be guessed from another one (no counter) and is easy to read aloud. Access is still
 * decided by the policy; unguessable references are defence in depth.
 */
import { CpansecError } from '../errors.js';
import type { RandomSource } from './clock.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Base32 (Crockford alphabet) of the bytes, 5 bits per character. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
}

/** A 128-bit random id, lower case, 26 characters. */
export function randomId(random: RandomSource): string {
  return base32(random.bytes(16)).toLowerCase();
}

const REFERENCE = /^CPANSEC-(\d{4})-([0-9A-HJKMNP-TV-Z]{4})-([0-9A-HJKMNP-TV-Z]{4})$/;

export function newCaseReference(random: RandomSource, now: Date): string {
  const code = base32(random.bytes(5));
  return `CPANSEC-${now.getUTCFullYear()}-${code.slice(0, 4)}-${code.slice(4, 8)}`;
}

/**
 * A case reference as a person typed it: case-insensitive, and the Crockford look-alikes
 * (I and L for 1, O for 0) accepted. Throws PARSE_ERROR for anything else.
 */
export function parseCaseReference(text: string): string {
  const t = text.trim().toUpperCase();
  const m = /^CPANSEC-(\d{4})-([0-9A-Z]{4})-?([0-9A-Z]{4})$/.exec(t);
  const fold = (s: string) => s.replace(/[IL]/g, '1').replace(/O/g, '0');
  const canonical = m ? `CPANSEC-${m[1]}-${fold(m[2]!)}-${fold(m[3]!)}` : '';
  if (!REFERENCE.test(canonical)) {
    throw new CpansecError('PARSE_ERROR', `'${text.slice(0, 40)}' is not a case reference (CPANSEC-YYYY-XXXX-XXXX)`, { file: 'reference' });
  }
  return canonical;
}

export function isCaseReference(text: string): boolean {
  return REFERENCE.test(text);
}
