/**
 * Publishing a checkpoint: the log signs its newest tree head (C2SP tlog-checkpoint), asks each
 * configured witness to cosign it (C2SP tlog-witness add-checkpoint, with a consistency proof
 * from the size that witness last cosigned), and stores the checkpoint only with the cosignatures
 * its witness policy requires. Never two checkpoints of one size with different roots: the tree
 * head of each size is written once, in the transaction that sequenced it.
 */
import { CpansecError } from '../../errors.js';
import { formatCheckpoint, parseCheckpointText } from '../tlog/checkpoint.js';
import type { SignerKey, VerifierKey } from '../tlog/keys.js';
import { COSIGNATURE_V1 } from '../tlog/keys.js';
import { openNote, signNote, splitNote } from '../tlog/note.js';
import { consistencyProof } from '../tlog/proofs.js';
import { tileHashReader } from '../tlog/tiles.js';
import type { LogStore } from './store.js';

export interface WitnessEndpoint {
  key: VerifierKey;
  /** the witness's submission prefix (POST <url>/add-checkpoint) */
  url: string;
}

export type Post = (url: string, body: string) => Promise<{ status: number; body: string; contentType: string }>;

export interface CheckpointOptions {
  signer: SignerKey;
  witnesses: readonly WitnessEndpoint[];
  /** cosignatures required (default: every witness) */
  quorum?: number;
  post: Post;
  now: () => Date;
}

export interface PublishedCheckpoint {
  size: number;
  note: string;
  cosignedBy: string[];
  /** nothing new since the last checkpoint */
  unchanged: boolean;
  problems: string[];
}

async function requestCosignature(store: LogStore, w: WitnessEndpoint, signed: string, size: number, post: Post): Promise<string> {
  const reader = tileHashReader(size, (t) => store.readTile(t.level, t.index, t.width));
  let old = await store.witnessSize(w.key.name);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (old > size) throw new Error(`has cosigned size ${old}, larger than this log's ${size}`);
    const proof = await consistencyProof(reader, old, size);
    const body = `old ${old}\n${proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${signed}`;
    const r = await post(`${w.url.replace(/\/+$/, '')}/add-checkpoint`, body);
    if (r.status === 409 && /^text\/x\.tlog\.size/.test(r.contentType) && /^(0|[1-9]\d{0,15})\n$/.test(r.body) && attempt === 0) {
      old = Number(r.body.trim());
      continue;
    }
    if (r.status !== 200) throw new Error(`answered HTTP ${r.status}: ${r.body.trim().slice(0, 200)}`);
    const cosigned = openNote(signed.replace(/\n$/, '\n') + r.body, [w.key]);
    const mine = cosigned.verified.filter((s) => s.name === w.key.name && s.id === w.key.id);
    if (!mine.length) throw new Error('answered without a cosignature by its key');
    await store.setWitnessSize(w.key.name, size);
    return mine.map((s) => `— ${s.name} ${s.base64}\n`).join('');
  }
  throw new Error('kept answering 409');
}

export async function publishCheckpoint(store: LogStore, o: CheckpointOptions): Promise<PublishedCheckpoint> {
  if (o.witnesses.some((w) => w.key.type !== COSIGNATURE_V1)) throw new CpansecError('USAGE', 'witness keys must be cosignature keys (type 0x04)');
  const quorum = o.quorum ?? o.witnesses.length;
  if (quorum > o.witnesses.length) throw new CpansecError('USAGE', `the policy needs ${quorum} cosignatures but ${o.witnesses.length} witnesses are configured`);
  const head = await store.treeHead();
  const last = await store.latestCheckpoint();
  if (last) {
    const c = parseCheckpointText(splitNote(last).text);
    if (c.size === head.size) return { size: c.size, note: last, cosignedBy: [], unchanged: true, problems: [] };
  }
  const text = formatCheckpoint({ origin: o.signer.name, size: head.size, root: head.root, extensions: [] });
  const signed = signNote(text, [o.signer], { now: () => o.now().getTime() / 1000 });
  const problems: string[] = [];
  const cosignatures: string[] = [];
  const cosignedBy: string[] = [];
  await Promise.all(
    o.witnesses.map(async (w) => {
      try {
        cosignatures.push(await requestCosignature(store, w, signed, head.size, o.post));
        cosignedBy.push(w.key.name);
      } catch (e) {
        problems.push(`witness ${w.key.name}: ${(e as Error).message}`);
      }
    }),
  );
  if (cosignedBy.length < quorum) {
    throw new CpansecError('INTEGRITY_ERROR', `checkpoint of size ${head.size} not published: ${cosignedBy.length} of ${quorum} required cosignatures (${problems.join('; ')})`);
  }
  const note = signed + cosignatures.join('');
  await store.saveCheckpoint(head.size, note, o.now().toISOString());
  return { size: head.size, note, cosignedBy, unchanged: false, problems };
}
