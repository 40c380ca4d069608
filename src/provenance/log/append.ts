/**
 * Sequencing: entries get the next indexes, the tile hashes that became complete are stored, and
 * the new tree head is recorded, all in one store transaction. One path has one hash forever: a
 * path already logged with the same hash is answered with its index, with another hash refused.
 */
import { CpansecError } from '../../errors.js';
import { rootOf } from '../tlog/merkle.js';
import { treeHash } from '../tlog/proofs.js';
import { TILE_WIDTH, tileHashReader } from '../tlog/tiles.js';
import { encodeEntry, type ReleaseEntry } from './entry.js';
import type { LogTx, NewEntry, TreeHead } from './store.js';
import { leafHash } from '../tlog/merkle.js';

export type AddOutcome =
  | { status: 'added'; index: number }
  | { status: 'exists'; index: number }
  | { status: 'conflict'; index: number; sha256: string };

export interface AppendResult {
  outcomes: AddOutcome[];
  head: TreeHead;
}

export async function appendEntries(tx: LogTx, entries: readonly ReleaseEntry[], now: Date): Promise<AppendResult> {
  const before = (await tx.treeHead()).size;
  const known = await tx.findPaths([...new Set(entries.map((e) => e.path))]);
  const rows: NewEntry[] = [];
  const outcomes: AddOutcome[] = [];
  let size = before;
  for (const entry of entries) {
    const prior = known.get(entry.path);
    if (prior) {
      outcomes.push(prior.sha256 === entry.sha256 ? { status: 'exists', index: prior.index } : { status: 'conflict', index: prior.index, sha256: prior.sha256 });
      continue;
    }
    const data = encodeEntry(entry);
    rows.push({ index: size, entry, data, leaf: leafHash(data) });
    known.set(entry.path, { index: size, sha256: entry.sha256 });
    outcomes.push({ status: 'added', index: size });
    size++;
  }
  if (rows.length === 0) return { outcomes, head: await tx.treeHead() };
  await tx.insertEntries(rows);
  // every tile that became full feeds one hash into the level above
  for (let level = 1; Math.floor(size / TILE_WIDTH ** level) > 0; level++) {
    const from = Math.floor(before / TILE_WIDTH ** level);
    const to = Math.floor(size / TILE_WIDTH ** level);
    const hashes: Buffer[] = [];
    for (let n = from; n < to; n++) {
      const tile = await tx.readTile(level - 1, n, TILE_WIDTH);
      const leaves: Buffer[] = [];
      for (let i = 0; i < TILE_WIDTH; i++) leaves.push(tile.subarray(i * 32, (i + 1) * 32));
      hashes.push(rootOf(leaves));
    }
    if (hashes.length) await tx.insertTileHashes(level, from, hashes);
  }
  const root = await treeHash(tileHashReader(size, (t) => tx.readTile(t.level, t.index, t.width)), size);
  const head = { size, root };
  await tx.insertTreeHead(head, now.toISOString());
  return { outcomes, head };
}

export function conflictError(path: string, o: Extract<AddOutcome, { status: 'conflict' }>): CpansecError {
  return new CpansecError('CONFLICT', `${path} is already in the log (entry ${o.index}) with SHA-256 ${o.sha256}: one path, one hash, forever`);
}
