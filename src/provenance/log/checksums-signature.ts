/**
 * The PGP clear signature of a PAUSE `CHECKSUMS` file, checked with openpgp.js against a keyring
 * the operator gives (PAUSE's public key). What is parsed afterwards is the text the signature
 * covers, as openpgp.js read it — never the bytes around it — after checksums.ts has refused
 * every shape with text outside the one signed block (CVE-2020-16154/16156).
 *
 * PAUSE has long signed with a DSA key and SHA-1, which openpgp.js refuses by default: both are
 * accepted here (MD5 and RIPEMD-160 stay refused) and named in the result, so that the operator
 * sees them. A key that has expired since is fine for a signature made while it was valid, as in
 * GnuPG; a revoked key, a signature from the future or by a key outside the keyring is refused.
 */
import type { Key } from 'openpgp';
import { CpansecError } from '../../errors.js';
import { checksumsEnvelope, parseChecksumsBody, type ChecksumsFile } from './checksums.js';

export interface PgpKeyring {
  keys: Key[];
  /** the keyring file, for messages */
  where: string;
}

export interface ChecksumsSigner {
  /** upper-case hex */
  fingerprint: string;
  keyId: string;
  userId: string;
  /** when the signature was made, ISO 8601 */
  created: string;
  /** e.g. "DSA-1024 with SHA-1" */
  algorithm: string;
  /** what a careful reader should know: weak algorithms, a key expired since */
  notes: string[];
}

export interface SignedChecksums {
  files: ChecksumsFile[];
  signer: ChecksumsSigner;
}

/** RFC 9580 9.5 hash algorithm ids */
const HASHES: Record<number, string> = { 1: 'MD5', 2: 'SHA-1', 3: 'RIPEMD-160', 8: 'SHA-256', 9: 'SHA-384', 10: 'SHA-512', 11: 'SHA-224', 12: 'SHA3-256', 14: 'SHA3-512' };

const oneLine = (e: unknown) => String((e as Error)?.message ?? e).replace(/\s+/g, ' ').trim();

/** The key's primary user id at `date` (its first one when none is valid then). */
async function userOf(key: Key, date: Date): Promise<string> {
  return (await key.getPrimaryUser(date).then((u) => u.user.userID?.userID, () => undefined)) ?? key.getUserIDs()[0] ?? 'no user id';
}

/** A keyring file: one or more public keys, ASCII-armored or binary (as `gpg --export` writes). */
export async function readPgpKeyring(data: Uint8Array, where: string): Promise<PgpKeyring> {
  const openpgp = await import('openpgp');
  const text = Buffer.from(data).toString('latin1');
  let keys: Key[];
  try {
    keys = /^\s*-----BEGIN PGP PUBLIC KEY BLOCK-----/.test(text) ? await openpgp.readKeys({ armoredKeys: text }) : await openpgp.readKeys({ binaryKeys: data });
  } catch (e) {
    throw new CpansecError('PARSE_ERROR', `not an OpenPGP public keyring: ${oneLine(e)}`, { file: where });
  }
  if (keys.length === 0) throw new CpansecError('PARSE_ERROR', 'the keyring holds no key', { file: where });
  return { keys: keys.map((k) => k.toPublic()), where };
}

/** The text a clear signature covers (RFC 4880 7.1): lines without trailing spaces and tabs, LF-separated. */
function signedText(data: string): string {
  return data
    .split(/\r?\n/)
    .map((l) => l.replace(/[ \t\r]+$/, ''))
    .join('\n');
}

/** Check a CHECKSUMS file's signature, then read what it signs. `now` bounds the signature's time. */
export async function parseSignedChecksums(text: string, where: string, keyring: PgpKeyring, now: Date = new Date()): Promise<SignedChecksums> {
  const envelope = checksumsEnvelope(text, where);
  const fail = (msg: string) => new CpansecError('INTEGRITY_ERROR', msg, { file: where });
  if (!envelope.signed) throw fail('not PGP-signed (no clear-signed block): refused (--no-verify-signature ingests it unchecked)');
  const openpgp = await import('openpgp');
  const { enums } = openpgp;
  const config = {
    rejectPublicKeyAlgorithms: new Set([enums.publicKey.elgamal]),
    rejectMessageHashAlgorithms: new Set([enums.hash.md5, enums.hash.ripemd]),
  };
  let result;
  try {
    const message = await openpgp.readCleartextMessage({ cleartextMessage: envelope.signed, config });
    result = await openpgp.verify({ message, verificationKeys: keyring.keys, date: now, config });
  } catch (e) {
    throw fail(`unreadable PGP signature: ${oneLine(e)}`);
  }
  if (result.signatures.length === 0) throw fail('the signed block has no signature');
  const checked = await Promise.all(
    result.signatures.map(async (s) => {
      const keyId = s.keyID.toHex().toUpperCase();
      const key = keyring.keys.find((k) => k.getKeys(s.keyID).length > 0);
      const error = await s.verified.then(
        () => undefined,
        (e: unknown) => oneLine(e),
      );
      return { s, keyId, key, error };
    }),
  );
  const bad = checked.find((c) => c.key && c.error);
  if (bad) throw fail(`BAD signature by key ${bad.keyId} (${await userOf(bad.key!, now)}): ${bad.error}`);
  const good = checked.find((c) => c.key && !c.error);
  if (!good) throw fail(`signed by key ${checked.map((c) => c.keyId).join(', ')}, which is not in the keyring ${keyring.where}`);

  const packet = (await good.s.signature).packets[0]!;
  const created = packet.created ?? now;
  const signingKey = good.key!.getKeys(good.s.keyID)[0]!;
  const info = signingKey.getAlgorithmInfo();
  const hash = HASHES[packet.hashAlgorithm ?? 0] ?? `hash #${packet.hashAlgorithm}`;
  const algorithm = `${info.algorithm === 'dsa' ? 'DSA' : info.algorithm.startsWith('rsa') ? 'RSA' : info.algorithm}${info.bits ? `-${info.bits}` : ''} with ${hash}`;
  const notes: string[] = [];
  if (info.algorithm === 'dsa') notes.push('DSA is a weak signature algorithm today');
  if (hash === 'SHA-1') notes.push('SHA-1 is a weak digest today');
  const expires = await good.key!.getExpirationTime().catch(() => null);
  if (expires instanceof Date && expires.getTime() < now.getTime()) notes.push(`the key expired on ${expires.toISOString().slice(0, 10)}, after the signature was made`);
  const signer: ChecksumsSigner = {
    fingerprint: good.key!.getFingerprint().toUpperCase(),
    keyId: good.keyId,
    userId: await userOf(good.key!, created),
    created: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    algorithm,
    notes,
  };
  // parse exactly what was signed: openpgp.js's text, canonicalised as the signature hashed it
  return { files: parseChecksumsBody(signedText(result.data), where, envelope.line), signer };
}
