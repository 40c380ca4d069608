/**
 * The reporter's optional encryption key: an OpenPGP public key block (RFC 4880 / RFC 9580 ASCII
 * armor) or an age recipient (age1…, bech32). We check the shape only — armor, base64, CRC-24,
 * that the first packet is a public key, bech32 checksum — and compute the OpenPGP fingerprint so
 * the team can confirm the key with the reporter. No encryption happens here.
 */
import { createHash } from 'node:crypto';
import { invalid } from './text.js';

export interface EncryptionKey {
  kind: 'openpgp' | 'age';
  /** the key as given, line endings normalised */
  text: string;
  /** OpenPGP: the primary key's fingerprint (hex, upper case); age: the recipient itself */
  fingerprint: string;
}

const MAX = 64 * 1024;
const FIELD = 'encryptionKey';

/** CRC-24 of RFC 4880 §6.1 (the armor checksum). */
function crc24(bytes: Uint8Array): number {
  let crc = 0xb704ce;
  for (const b of bytes) {
    crc ^= b << 16;
    for (let i = 0; i < 8; i++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/** The first packet: its tag and body (RFC 4880 §4.2, old and new formats). */
function firstPacket(data: Uint8Array): { tag: number; body: Uint8Array } | undefined {
  const b = data[0];
  if (b === undefined || !(b & 0x80)) return undefined;
  let tag: number;
  let len: number;
  let off: number;
  if (b & 0x40) {
    tag = b & 0x3f;
    const l0 = data[1] ?? 0;
    if (l0 < 192) [len, off] = [l0, 2];
    else if (l0 < 224) [len, off] = [((l0 - 192) << 8) + (data[2] ?? 0) + 192, 3];
    else if (l0 === 255) [len, off] = [(((data[2] ?? 0) << 24) | ((data[3] ?? 0) << 16) | ((data[4] ?? 0) << 8) | (data[5] ?? 0)) >>> 0, 6];
    else return undefined; // partial body lengths are not allowed for key packets
  } else {
    tag = (b >> 2) & 0x0f;
    const type = b & 3;
    if (type === 0) [len, off] = [data[1] ?? 0, 2];
    else if (type === 1) [len, off] = [((data[1] ?? 0) << 8) | (data[2] ?? 0), 3];
    else if (type === 2) [len, off] = [(((data[1] ?? 0) << 24) | ((data[2] ?? 0) << 16) | ((data[3] ?? 0) << 8) | (data[4] ?? 0)) >>> 0, 5];
    else return undefined;
  }
  if (off + len > data.length) return undefined;
  return { tag, body: data.subarray(off, off + len) };
}

function openpgpFingerprint(body: Uint8Array): string | undefined {
  const version = body[0];
  if (version === 4) {
    const head = Uint8Array.of(0x99, (body.length >> 8) & 0xff, body.length & 0xff);
    return createHash('sha1').update(head).update(body).digest('hex').toUpperCase();
  }
  if (version === 6) {
    const n = body.length;
    const head = Uint8Array.of(0x9b, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    return createHash('sha256').update(head).update(body).digest('hex').toUpperCase();
  }
  return undefined;
}

function parseOpenpgp(textValue: string): EncryptionKey {
  const lines = textValue.split('\n').map((l) => l.trimEnd());
  const begin = lines.indexOf('-----BEGIN PGP PUBLIC KEY BLOCK-----');
  const end = lines.indexOf('-----END PGP PUBLIC KEY BLOCK-----');
  if (begin !== 0 || end !== lines.length - 1) {
    throw invalid(FIELD, 'an OpenPGP key must be one ASCII-armored PUBLIC KEY BLOCK and nothing else');
  }
  let i = begin + 1;
  while (i < end && /^[A-Za-z][A-Za-z-]*: /.test(lines[i]!)) i++; // armor headers
  if (lines[i] === '') i++;
  let checksum: string | undefined;
  const body: string[] = [];
  for (; i < end; i++) {
    const line = lines[i]!;
    if (/^=[A-Za-z0-9+/]{4}$/.test(line) && i === end - 1) checksum = line.slice(1);
    else if (/^[A-Za-z0-9+/]*={0,2}$/.test(line)) body.push(line);
    else throw invalid(FIELD, `line ${i + 1} of the OpenPGP key is not base64`);
  }
  const data = new Uint8Array(Buffer.from(body.join(''), 'base64'));
  if (data.length === 0) throw invalid(FIELD, 'the OpenPGP key block is empty');
  if (checksum !== undefined) {
    const want = Buffer.from(checksum, 'base64');
    const got = crc24(data);
    if (want.length !== 3 || ((want[0]! << 16) | (want[1]! << 8) | want[2]!) !== got) {
      throw invalid(FIELD, 'the OpenPGP key block fails its CRC-24 checksum (damaged in copying?)');
    }
  }
  const packet = firstPacket(data);
  if (!packet || packet.tag !== 6) throw invalid(FIELD, 'the OpenPGP block does not start with a public key packet');
  const fingerprint = openpgpFingerprint(packet.body);
  if (!fingerprint) throw invalid(FIELD, `unsupported OpenPGP key version ${packet.body[0] ?? '?'} (4 or 6 expected)`);
  return { kind: 'openpgp', text: lines.join('\n'), fingerprint };
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

/** BIP 173 checksum over the human-readable part and the data characters. */
function bech32Valid(hrp: string, data: number[]): boolean {
  const G = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  const values = [...[...hrp].map((c) => c.charCodeAt(0) >> 5), 0, ...[...hrp].map((c) => c.charCodeAt(0) & 31), ...data];
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= G[i]!;
  }
  return chk === 1;
}

function parseAge(value: string): EncryptionKey {
  const s = value.trim();
  const sep = s.lastIndexOf('1');
  const hrp = s.slice(0, sep);
  const data = [...s.slice(sep + 1)].map((c) => BECH32.indexOf(c));
  if (s !== s.toLowerCase() || !/^age(1[a-z0-9]+)?$/.test(hrp) || data.length < 7 || data.includes(-1) || !bech32Valid(hrp, data)) {
    throw invalid(FIELD, `'${s.slice(0, 70)}' is not an age recipient (age1…, bech32)`);
  }
  if (hrp === 'age' && data.length !== 58) throw invalid(FIELD, 'an age X25519 recipient encodes 32 bytes');
  return { kind: 'age', text: s, fingerprint: s };
}

/** The key from the intake form, or null when none was given; PARSE_ERROR when it is malformed. */
export function parseEncryptionKey(value: unknown): EncryptionKey | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw invalid(FIELD, 'must be text');
  const t = value.replace(/\r\n?/g, '\n').trim();
  if (t === '') return null;
  if (t.length > MAX) throw invalid(FIELD, `is too long (at most ${MAX} characters)`);
  if (t.startsWith('-----BEGIN PGP')) return parseOpenpgp(t);
  if (t.startsWith('age1')) return parseAge(t);
  throw invalid(FIELD, 'must be an OpenPGP public key block (-----BEGIN PGP PUBLIC KEY BLOCK-----) or an age recipient (age1…)');
}
