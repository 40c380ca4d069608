/**
 * Password hashing with scrypt (RFC 7914, node:crypto), a memory-hard function: each guess costs
 * 128·N·r bytes of memory, which is what makes GPU and ASIC cracking expensive. The parameters are
 * stored with every hash in the PHC string format (`$scrypt$ln=17,r=8,p=1$salt$hash`), so they can
 * be raised later: `needsRehash` tells the login command to re-hash with the current ones.
 * Passwords are NFKC-normalised first (NIST SP 800-63B §5.1.1.2), so the same password typed on
 * two keyboards is the same password.
 */
import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { RandomSource } from '../clock.js';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N */
  ln: number;
  r: number;
  p: number;
}

/**
 * N = 2^17, r = 8, p = 1: 128 MiB per hash, the OWASP Password Storage Cheat Sheet's scrypt
 * recommendation. Tests and small machines may pass cheaper parameters explicitly.
 */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 17, r: 8, p: 1 };

const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Uint8Array, params: ScryptParams, keyLength = KEY_LENGTH): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** The raw scrypt function, for the RFC 7914 test vectors. */
export function scryptRaw(password: string, salt: Uint8Array, params: ScryptParams, keyLength: number): Promise<Buffer> {
  return derive(password, salt, params, keyLength);
}

const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string, random: RandomSource, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = random.bytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  return `$scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

interface Parsed {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

const PHC = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{11,})\$([A-Za-z0-9+/]{43,})$/;

function parse(encoded: string): Parsed | undefined {
  const m = PHC.exec(encoded);
  if (!m) return undefined;
  const params = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  // refuse parameters that would exhaust memory if a stored hash were tampered with
  if (params.ln < 1 || params.ln > 20 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return undefined;
  return { params, salt: Buffer.from(m[4]!, 'base64'), key: Buffer.from(m[5]!, 'base64') };
}

/** Constant-time check of a password against a stored hash; false for a malformed hash. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parse(encoded);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.params, parsed.key.length);
  return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
}

/** Was the hash made with other parameters than the current ones? */
export function needsRehash(encoded: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parse(encoded);
  return !parsed || parsed.params.ln !== params.ln || parsed.params.r !== params.r || parsed.params.p !== params.p || parsed.key.length !== KEY_LENGTH;
}

/**
 * A hash of nothing, verified when the account does not exist, so that a login for an unknown
 * address takes as long as one for a known address (no account enumeration by timing).
 */
export async function dummyVerify(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<false> {
  await derive(password, Buffer.alloc(SALT_LENGTH), params);
  return false;
}
