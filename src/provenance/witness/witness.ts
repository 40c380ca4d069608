/**
 * The witness side of C2SP tlog-witness: `add-checkpoint` checks a log's checkpoint against the
 * last one this witness cosigned for that origin (consistency proof), records it and cosigns
 * (tlog-cosignature/v1). The check and the update are one store transaction, so two requests
 * can never roll the recorded size back.
 */
import { parseCheckpointText } from '../tlog/checkpoint.js';
import { COSIGNATURE_V1, ED25519, strictBase64, type SignerKey, type VerifierKey } from '../tlog/keys.js';
import { EMPTY_ROOT, HASH_SIZE, verifyConsistency } from '../tlog/merkle.js';
import { NoteError, openNote, signatureLine, splitNote } from '../tlog/note.js';

export interface WitnessState {
  size: number;
  root: Buffer;
}

export interface WitnessTx {
  get(origin: string): Promise<WitnessState | undefined>;
  set(origin: string, state: WitnessState, checkpoint: string, at: string): Promise<void>;
}

export interface WitnessStore {
  transaction<T>(fn: (tx: WitnessTx) => Promise<T>): Promise<T>;
}

export interface WitnessConfig {
  key: SignerKey;
  /** the logs this witness follows: their origin is the key's name */
  logs: readonly VerifierKey[];
  now: () => Date;
}

export interface WitnessAnswer {
  status: number;
  contentType: string;
  body: string;
}

const MAX_PROOF = 63;
const text = (status: number, body: string): WitnessAnswer => ({ status, contentType: 'text/plain; charset=utf-8', body: body.endsWith('\n') ? body : `${body}\n` });

export async function addCheckpoint(store: WitnessStore, config: WitnessConfig, body: string): Promise<WitnessAnswer> {
  if (config.key.type !== COSIGNATURE_V1) throw new Error('the witness key must be a cosignature key (type 0x04)');
  const blank = body.indexOf('\n\n');
  if (blank < 0) return text(400, 'no empty line between the proof and the checkpoint');
  const head = body.slice(0, blank).split('\n');
  const signed = body.slice(blank + 2);
  const old = /^old (0|[1-9]\d{0,15})$/.exec(head[0] ?? '');
  if (!old) return text(400, "the first line must be 'old <size>'");
  const oldSize = Number(old[1]);
  if (head.length - 1 > MAX_PROOF) return text(400, `more than ${MAX_PROOF} proof lines`);
  const proof: Buffer[] = [];
  for (const line of head.slice(1)) {
    const h = strictBase64(line);
    if (!h || h.length !== HASH_SIZE) return text(400, 'a proof line is not a base64 SHA-256 hash');
    proof.push(h);
  }
  let origin: string;
  let noteText: string;
  try {
    noteText = splitNote(signed).text;
    origin = noteText.slice(0, noteText.indexOf('\n'));
  } catch (e) {
    return text(400, (e as Error).message);
  }
  const logKeys = config.logs.filter((k) => k.name === origin && k.type === ED25519);
  if (!logKeys.length) return text(404, `unknown log origin '${origin.slice(0, 100)}'`);
  try {
    openNote(signed, logKeys);
  } catch (e) {
    return text(e instanceof NoteError && e.reason === 'malformed' ? 400 : 403, (e as Error).message);
  }
  let checkpoint;
  try {
    checkpoint = parseCheckpointText(noteText);
  } catch (e) {
    return text(400, (e as Error).message);
  }
  if (oldSize > checkpoint.size) return text(400, `old size ${oldSize} is larger than the checkpoint's ${checkpoint.size}`);
  if (checkpoint.size === 0 && !checkpoint.root.equals(EMPTY_ROOT)) return text(422, 'a checkpoint of size 0 must have the empty tree root');
  return store.transaction(async (tx) => {
    const state = (await tx.get(origin)) ?? { size: 0, root: EMPTY_ROOT };
    if (state.size !== oldSize) return { status: 409, contentType: 'text/x.tlog.size', body: `${state.size}\n` };
    if (oldSize === 0 && proof.length) return text(422, 'a consistency proof from size 0 must be empty');
    if (oldSize === checkpoint.size && !state.root.equals(checkpoint.root)) return text(422, `same size ${oldSize} with another root hash`);
    if (oldSize > 0 && !verifyConsistency(oldSize, checkpoint.size, state.root, checkpoint.root, proof)) return text(422, `the consistency proof from size ${oldSize} does not verify`);
    const now = config.now();
    await tx.set(origin, { size: checkpoint.size, root: checkpoint.root }, signed, now.toISOString());
    return text(200, signatureLine(config.key, noteText, { now: () => now.getTime() / 1000 }));
  });
}
