/**
 * C2SP signed notes: a text ending in a newline, a blank line, and signature lines
 * `— <name> base64(key ID || signature)`. Signatures by unknown keys are kept but not trusted;
 * a signature by a known key that does not verify makes the whole note invalid (Go's note.Open).
 * Type 0x04 keys verify C2SP tlog-cosignature/v1 cosignatures over the same text.
 */
import { CpansecError } from '../../errors.js';
import { COSIGNATURE_V1, ed25519Sign, ed25519Verify, hex8, isKeyName, strictBase64, type SignerKey, type VerifierKey } from './keys.js';

/** Go's limit; the spec asks for at least 16 */
export const MAX_SIGNATURES = 100;
export const MAX_NOTE_SIZE = 1024 * 1024;

export interface NoteSignature {
  name: string;
  id: number;
  /** the base64 text of key ID || signature */
  base64: string;
  /** for a verified cosignature: its timestamp (seconds) */
  timestamp?: number;
}

export interface Note {
  text: string;
  /** signatures by given keys that verified */
  verified: NoteSignature[];
  /** signatures by keys not given (never trusted) */
  unverified: NoteSignature[];
}

const SIG_LINE = /^— (\S+) (\S+)$/u;

export class NoteError extends CpansecError {
  constructor(
    message: string,
    readonly reason: 'malformed' | 'invalid-signature' | 'unverified',
  ) {
    super(reason === 'malformed' ? 'PARSE_ERROR' : 'INTEGRITY_ERROR', message);
  }
}

function isValidText(text: string): boolean {
  // no ASCII control characters but newline; JS strings from bad UTF-8 carry U+FFFD, rejected by the caller's decode
  return !/[\x00-\x09\x0b-\x1f\x7f]/.test(text);
}

/** Decode bytes as strict UTF-8, or throw a malformed-note error. */
export function decodeNote(bytes: Uint8Array): string {
  if (bytes.length > MAX_NOTE_SIZE) throw new NoteError(`malformed note: larger than ${MAX_NOTE_SIZE} bytes`, 'malformed');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new NoteError('malformed note: not UTF-8', 'malformed');
  }
}

/** Split a note into its text and signature lines, checking the syntax only. */
export function splitNote(msg: string): { text: string; signatures: NoteSignature[] } {
  if (msg.length > MAX_NOTE_SIZE || !isValidText(msg)) throw new NoteError('malformed note', 'malformed');
  const split = msg.lastIndexOf('\n\n');
  if (split < 0) throw new NoteError('malformed note: no blank line before the signatures', 'malformed');
  const text = msg.slice(0, split + 1);
  const rest = msg.slice(split + 2);
  if (!rest.endsWith('\n')) throw new NoteError('malformed note: the signatures do not end with a newline', 'malformed');
  const lines = rest.slice(0, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteError('malformed note: too many signatures', 'malformed');
  const signatures = lines.map((line) => {
    const m = SIG_LINE.exec(line);
    const raw = m ? strictBase64(m[2]!) : undefined;
    if (!m || !isKeyName(m[1]!) || !raw || raw.length < 5) throw new NoteError(`malformed note: bad signature line '${line.slice(0, 60)}'`, 'malformed');
    return { name: m[1]!, id: raw.readUInt32BE(0), base64: m[2]! };
  });
  return { text, signatures };
}

/** The message a v1 cosignature signs. */
export function cosignedMessage(text: string, timestamp: number): Buffer {
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${text}`, 'utf8');
}

function verifyOne(key: VerifierKey, text: string, raw: Buffer): { ok: boolean; timestamp?: number } {
  const body = raw.subarray(4);
  if (key.type === COSIGNATURE_V1) {
    if (body.length !== 72) return { ok: false };
    const ts = body.readBigUInt64BE(0);
    if (ts > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false };
    const timestamp = Number(ts);
    return { ok: ed25519Verify(key.publicKey, cosignedMessage(text, timestamp), body.subarray(8)), timestamp };
  }
  return { ok: ed25519Verify(key.publicKey, Buffer.from(text, 'utf8'), body) };
}

/**
 * Open a note with the given keys: returns the text and which signatures verified. Throws when
 * the note is malformed, when a known key's signature fails, or when no known key signed it.
 */
export function openNote(msg: string, keys: readonly VerifierKey[]): Note {
  const { text, signatures } = splitNote(msg);
  const verified: NoteSignature[] = [];
  const unverified: NoteSignature[] = [];
  const seen = new Set<string>();
  for (const sig of signatures) {
    const matches = keys.filter((k) => k.name === sig.name && k.id === sig.id);
    const distinct = new Set(matches.map((k) => k.text));
    if (distinct.size > 1) throw new NoteError(`ambiguous key ${sig.name}+${hex8(sig.id)}`, 'malformed');
    const key = matches[0];
    const dedupe = `${sig.name}+${sig.id}+${sig.base64}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    if (!key) {
      unverified.push(sig);
      continue;
    }
    const r = verifyOne(key, text, strictBase64(sig.base64)!);
    if (!r.ok) throw new NoteError(`invalid signature for key ${sig.name}+${hex8(sig.id)}`, 'invalid-signature');
    verified.push(r.timestamp === undefined ? sig : { ...sig, timestamp: r.timestamp });
  }
  if (verified.length === 0) throw new NoteError('note has no verifiable signatures', 'unverified');
  return { text, verified, unverified };
}

export interface SignOptions {
  /** the cosignature's timestamp, seconds (type 0x04 keys) */
  now?: () => number;
}

/** The signature line of `key` over `text`. */
export function signatureLine(key: SignerKey, text: string, options: SignOptions = {}): string {
  const id = Buffer.alloc(4);
  id.writeUInt32BE(key.id >>> 0);
  let body: Buffer;
  if (key.type === COSIGNATURE_V1) {
    const ts = Math.floor(options.now ? options.now() : Date.now() / 1000);
    const t = Buffer.alloc(8);
    t.writeBigUInt64BE(BigInt(ts));
    body = Buffer.concat([t, ed25519Sign(key.seed, cosignedMessage(text, ts))]);
  } else {
    body = ed25519Sign(key.seed, Buffer.from(text, 'utf8'));
  }
  return `— ${key.name} ${Buffer.concat([id, body]).toString('base64')}\n`;
}

/**
 * Sign a note: `msg` is either a bare text (ending in a newline) or a signed note, whose
 * signatures are kept except an earlier one by the same key, which is replaced.
 */
export function signNote(msg: string, keys: readonly SignerKey[], options: SignOptions = {}): string {
  let text = msg;
  let existing: NoteSignature[] = [];
  const split = msg.lastIndexOf('\n\n');
  if (split >= 0 && /^(— [^\n]*\n)+$/u.test(msg.slice(split + 2))) {
    const s = splitNote(msg);
    text = s.text;
    existing = s.signatures;
  }
  if (!text.endsWith('\n') || !isValidText(text) || text.length > MAX_NOTE_SIZE) throw new NoteError('malformed note: the text must end with a newline and hold no control characters', 'malformed');
  const kept = existing.filter((s) => !keys.some((k) => k.name === s.name && k.id === s.id)).map((s) => `— ${s.name} ${s.base64}\n`);
  return `${text}\n${kept.join('')}${keys.map((k) => signatureLine(k, text, options)).join('')}`;
}
