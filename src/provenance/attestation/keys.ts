/**
 * Ed25519 signing keys (node:crypto): PKCS#8 PEM for the private key, SPKI PEM for the public key,
 * and the key id every bundle and the server use to name a key: the hex SHA-256 of the public
 * key's SPKI DER (a fingerprint that any tool can recompute from the PEM).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CpansecError } from '../../errors.js';

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

export function generateSigningKey(): { privatePem: string; publicPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicPem: publicKeyPem(publicKey), keyId: keyIdOf(publicKey) };
}

/** The one-line text form of a public key: `ed25519 BASE64(raw 32 bytes) KEYID`, stable across versions. */
export function publicKeyLine(publicKey: KeyObject): string {
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32);
  return `ed25519 ${raw.toString('base64')} ${keyIdOf(publicKey)}`;
}

export function readSigningKey(pem: string, file: string): SigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new CpansecError('PARSE_ERROR', 'not a PEM private key (cpansec keygen writes one)', { file });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new CpansecError('PARSE_ERROR', `an ${privateKey.asymmetricKeyType ?? 'unknown'} key; cpansec signs with Ed25519 keys`, { file });
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * A public key from a file: SPKI PEM (Ed25519, ECDSA or RSA, as Sigstore's public-key bundles
 * allow), or the one-line `ed25519 BASE64 …` form; a private key file gives its public half.
 */
export function readPublicKey(text: string, file: string): KeyObject {
  const line = /^ed25519 ([A-Za-z0-9+/]{43}=)(?: [0-9a-f]{64})?\s*$/.exec(text.trim());
  if (line) {
    const raw = Buffer.from(line[1]!, 'base64');
    // SPKI DER of an Ed25519 key: a fixed 12-byte prefix (RFC 8410) and the 32 raw bytes
    return createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]), format: 'der', type: 'spki' });
  }
  try {
    return createPublicKey(text);
  } catch {
    throw new CpansecError('PARSE_ERROR', 'not a public key (PEM, or the `ed25519 BASE64` line of cpansec keygen)', { file });
  }
}
