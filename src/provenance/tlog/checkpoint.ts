/**
 * C2SP tlog-checkpoint: the note text `origin\nsize\nbase64(root)\n[extension lines]`, and the
 * check that a signed checkpoint carries the log's signature and the cosignatures a witness
 * policy requires.
 */
import { CpansecError } from '../../errors.js';
import { HASH_SIZE } from './merkle.js';
import { COSIGNATURE_V1, strictBase64, type VerifierKey } from './keys.js';
import { NoteError, openNote, type Note } from './note.js';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Buffer;
  extensions: string[];
}

export function formatCheckpoint(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${c.root.toString('base64')}\n${c.extensions.map((e) => `${e}\n`).join('')}`;
}

export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines.length < 3) throw new CpansecError('PARSE_ERROR', 'malformed checkpoint: fewer than three lines');
  const [origin, size, root, ...extensions] = lines as [string, string, string, ...string[]];
  if (!origin) throw new CpansecError('PARSE_ERROR', 'malformed checkpoint: empty origin');
  if (!/^(0|[1-9]\d{0,15})$/.test(size) || !Number.isSafeInteger(Number(size))) throw new CpansecError('PARSE_ERROR', `malformed checkpoint: tree size '${size.slice(0, 30)}'`);
  const hash = strictBase64(root);
  if (!hash || hash.length !== HASH_SIZE) throw new CpansecError('PARSE_ERROR', 'malformed checkpoint: root hash is not 32 bytes of base64');
  if (extensions.some((e) => e === '')) throw new CpansecError('PARSE_ERROR', 'malformed checkpoint: empty extension line');
  return { origin, size: Number(size), root: hash, extensions };
}

export interface WitnessPolicy {
  witnesses: readonly VerifierKey[];
  /** how many of them must have cosigned (default: all) */
  quorum?: number;
}

export interface VerifiedCheckpoint {
  checkpoint: Checkpoint;
  note: Note;
  /** names of the witnesses whose cosignature verified */
  cosignedBy: string[];
}

/**
 * Verify a signed checkpoint: the log's key signed it (its origin is the key's name), and at least
 * `quorum` of the given witnesses cosigned it. Errors say which check failed.
 */
export function verifyCheckpoint(signed: string, logKey: VerifierKey, policy: WitnessPolicy = { witnesses: [] }): VerifiedCheckpoint {
  const witnesses = policy.witnesses.filter((w) => w.type === COSIGNATURE_V1);
  if (witnesses.length !== policy.witnesses.length) throw new CpansecError('USAGE', 'a witness key must be a cosignature key (type 0x04)');
  let note: Note;
  try {
    note = openNote(signed, [logKey, ...witnesses]);
  } catch (e) {
    if (e instanceof NoteError && e.reason === 'unverified') throw new CpansecError('INTEGRITY_ERROR', `checkpoint is not signed by the log key ${logKey.name}`);
    throw e;
  }
  if (!note.verified.some((s) => s.name === logKey.name && s.id === logKey.id)) throw new CpansecError('INTEGRITY_ERROR', `checkpoint is not signed by the log key ${logKey.name}`);
  const checkpoint = parseCheckpointText(note.text);
  if (checkpoint.origin !== logKey.name) throw new CpansecError('INTEGRITY_ERROR', `checkpoint origin '${checkpoint.origin}' is not the log key's name '${logKey.name}'`);
  const cosignedBy = [...new Set(note.verified.filter((s) => witnesses.some((w) => w.name === s.name && w.id === s.id)).map((s) => s.name))];
  const quorum = policy.quorum ?? witnesses.length;
  if (cosignedBy.length < quorum) {
    const missing = witnesses.filter((w) => !cosignedBy.includes(w.name)).map((w) => w.name);
    throw new CpansecError('INTEGRITY_ERROR', `checkpoint has ${cosignedBy.length} of the ${quorum} witness cosignatures required (missing: ${missing.join(', ')})`);
  }
  return { checkpoint, note, cosignedBy };
}
