/**
 * Signed-note keys in Go's sumdb text forms: verifier keys `name+hash+base64(type||public key)`
 * and signer keys `PRIVATE+KEY+name+hash+base64(type||seed)`. Type 0x01 is a note's Ed25519
 * signature (C2SP signed-note), 0x04 a timestamped Ed25519 checkpoint cosignature
 * (C2SP tlog-cosignature). Ed25519 itself is node:crypto's.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as edSign, verify as edVerify, type KeyObject } from 'node:crypto';
import { CpansecError } from '../../errors.js';
import { sha256 } from './merkle.js';

export const ED25519 = 0x01;
export const COSIGNATURE_V1 = 0x04;
export type KeyType = typeof ED25519 | typeof COSIGNATURE_V1;

export interface VerifierKey {
  name: string;
  /** the uint32 key ID */
  id: number;
  type: KeyType;
  publicKey: Buffer;
  /** the text form */
  text: string;
}

export interface SignerKey extends VerifierKey {
  seed: Buffer;
}

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_ED25519 = Buffer.from('302a300506032b6570032100', 'hex');

/** Key names: non-empty, no Unicode space, no plus (signed-note). */
export function isKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/u.test(name) && !/[\x00-\x1f\x7f]/.test(name);
}

/** key ID = SHA-256(key name || 0x0A || type || public key)[:4], big-endian. */
export function keyId(name: string, type: number, publicKey: Uint8Array): number {
  return sha256(Buffer.from(`${name}\n`, 'utf8'), Buffer.from([type]), publicKey).readUInt32BE(0);
}

export function hex8(id: number): string {
  return id.toString(16).padStart(8, '0');
}

/** Strict standard base64: decodes, and encodes back to the same text. */
export function strictBase64(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const b = Buffer.from(text, 'base64');
  return b.toString('base64') === text ? b : undefined;
}

function bad(what: string, text: string): CpansecError {
  const shown = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  return new CpansecError('PARSE_ERROR', `malformed ${what}: ${shown.replace(/^PRIVATE\+KEY\+([^+]*)\+.*/, 'PRIVATE+KEY+$1+…')}`);
}

function keyType(t: number | undefined): KeyType | undefined {
  return t === ED25519 || t === COSIGNATURE_V1 ? t : undefined;
}

/** Split at the first n - 1 plus signs: the base64 at the end may hold more. */
function splitKey(text: string, n: number): string[] | undefined {
  const parts: string[] = [];
  let rest = text;
  for (let i = 0; i < n - 1; i++) {
    const at = rest.indexOf('+');
    if (at < 0) return undefined;
    parts.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  return [...parts, rest];
}

export function parseVerifierKey(text: string): VerifierKey {
  const parts = splitKey(text.trim(), 3);
  if (!parts) throw bad('verifier key', text);
  const [name, hash, b64] = parts as [string, string, string];
  const raw = strictBase64(b64);
  const type = keyType(raw?.[0]);
  if (!isKeyName(name) || !/^[0-9a-f]{8}$/.test(hash) || !raw || !type || raw.length !== 33) throw bad('verifier key', text);
  const publicKey = raw.subarray(1);
  const id = keyId(name, type, publicKey);
  if (hex8(id) !== hash) throw bad('verifier key (its hash does not match the name and key)', text);
  return { name, id, type, publicKey, text: text.trim() };
}

export function parseSignerKey(text: string): SignerKey {
  const parts = splitKey(text.trim(), 5);
  if (!parts || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY') throw bad('signer key', text);
  const [, , name, hash, b64] = parts as [string, string, string, string, string];
  const raw = strictBase64(b64);
  const type = keyType(raw?.[0]);
  if (!isKeyName(name) || !/^[0-9a-f]{8}$/.test(hash) || !raw || !type || raw.length !== 33) throw bad('signer key', text);
  const seed = Buffer.from(raw.subarray(1));
  const publicKey = publicKeyOf(seed);
  const id = keyId(name, type, publicKey);
  if (hex8(id) !== hash) throw bad('signer key (its hash does not match the name and key)', text);
  return { name, id, type, publicKey, seed, text: verifierKeyText(name, type, publicKey) };
}

export function verifierKeyText(name: string, type: KeyType, publicKey: Uint8Array): string {
  return `${name}+${hex8(keyId(name, type, publicKey))}+${Buffer.concat([Buffer.from([type]), publicKey]).toString('base64')}`;
}

export function signerKeyText(k: SignerKey): string {
  return `PRIVATE+KEY+${k.name}+${hex8(k.id)}+${Buffer.concat([Buffer.from([k.type]), k.seed]).toString('base64')}`;
}

function privateKeyObject(seed: Buffer): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

function publicKeyOf(seed: Buffer): Buffer {
  const der = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

/** A new key pair (`type` 0x01 for a log or note signer, 0x04 for a witness). */
export function generateKey(name: string, type: KeyType = ED25519): SignerKey {
  if (!isKeyName(name)) throw new CpansecError('USAGE', `a key name must be non-empty, without spaces or '+': ${name}`);
  const { privateKey } = generateKeyPairSync('ed25519');
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const seed = Buffer.from(der.subarray(der.length - 32));
  const publicKey = publicKeyOf(seed);
  return { name, id: keyId(name, type, publicKey), type, publicKey, seed, text: verifierKeyText(name, type, publicKey) };
}

export function ed25519Sign(seed: Buffer, message: Uint8Array): Buffer {
  return edSign(null, message, privateKeyObject(seed));
}

export function ed25519Verify(publicKey: Buffer, message: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== 64) return false;
  try {
    return edVerify(null, message, createPublicKey({ key: Buffer.concat([SPKI_ED25519, publicKey]), format: 'der', type: 'spki' }), signature);
  } catch {
    return false;
  }
}
