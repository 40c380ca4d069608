/**
 * TUF keys and signing (spec §4.2, §4.3): Ed25519 keys as `{"keytype": "ed25519", "scheme":
 * "ed25519", "keyval": {"public": HEX}}`, a key id being the hex SHA-256 of that object's canonical
 * JSON, signatures over the canonical JSON of `signed` — @tufjs/models computes the bytes, node
 * signs them.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { canonicalize } from '@tufjs/canonical-json';
import { Key, Signature, type Metadata, type Root, type Snapshot, type Targets, type Timestamp } from '@tufjs/models';
import { CpansecError } from '../../errors.js';

export interface TufSigner {
  key: Key;
  privateKey: KeyObject;
}

export function tufKeyOf(publicKey: KeyObject): Key {
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new CpansecError('USAGE', 'TUF role keys are Ed25519');
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('hex');
  const json = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw } };
  const keyID = createHash('sha256').update(canonicalize(json)).digest('hex');
  return new Key({ keyID, keyType: 'ed25519', scheme: 'ed25519', keyVal: { public: raw } });
}

export function signerFromPem(pem: string, file: string): TufSigner {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new CpansecError('PARSE_ERROR', 'not a PEM private key', { file });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new CpansecError('PARSE_ERROR', 'TUF role keys are Ed25519', { file });
  return { privateKey, key: tufKeyOf(createPublicKey(privateKey)) };
}

export function newSigner(): { signer: TufSigner; pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { signer: { privateKey, key: tufKeyOf(publicKey) }, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** Replace the signatures of `md` by those of `signers`. */
export type AnyMetadata = Metadata<Root> | Metadata<Targets> | Metadata<Snapshot> | Metadata<Timestamp>;

export function signWith(md: AnyMetadata, signers: readonly TufSigner[]): void {
  md.signatures = {};
  for (const s of signers) md.sign((data: Buffer) => new Signature({ keyID: s.key.keyID, sig: sign(null, data, s.privateKey).toString('hex') }), true);
}
