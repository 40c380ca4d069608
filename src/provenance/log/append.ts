/**
 * Sequencing: entries get the next indexes, the tile hashes that became complete are stored, and
 * the new tree head is recorded, all in one store transaction. One path has one hash forever: a
 * path already logged with the same hash is answered with its index, with another hash refused.
 *
 * The tree grows from its right edge (tlog/edge.ts): hashing the new leaves gives the new tile
 * hashes and the root, nothing is read back. A caller that appends again and again (the
 * sequencer) hands back the edge of its last batch; it is used only when the head read under the
 * transaction's lock is that very tree (same size and root), else the edge is read from the tiles
 * — so another process writing in between, or a batch whose commit failed, costs a few reads.
 */
import { CpansecError } from '../../errors.js';
import { TreeEdge, type CompletedTileHash } from '../tlog/edge.js';
import { leafHash } from '../tlog/merkle.js';
import { tileHashReader } from '../tlog/tiles.js';
import { encodeEntry, type ReleaseEntry } from './entry.js';
import type { LogTx, NewEntry, TreeHead } from './store.js';

export type AddOutcome =
  | { status: 'added'; index: number }
  | { status: 'exists'; index: number }
  | { status: 'conflict'; index: number; sha256: string };

export interface AppendResult {
  outcomes: AddOutcome[];
  head: TreeHead;
  /** the right edge of the tree of `head`, for the next append (when it was at hand) */
  edge?: TreeEdge;
}

const isEdgeOf = (edge: TreeEdge | undefined, head: TreeHead): edge is TreeEdge => !!edge && edge.size === head.size && edge.root().equals(head.root);

async function edgeOf(tx: LogTx, head: TreeHead, known: TreeEdge | undefined): Promise<TreeEdge> {
  if (isEdgeOf(known, head)) return known.clone();
  const edge = await TreeEdge.read(tileHashReader(head.size, (t) => tx.readTile(t.level, t.index, t.width)), head.size);
  // the stored hashes must give the stored root: never grow a tree from hashes that do not
  if (!edge.root().equals(head.root)) throw new CpansecError('INTEGRITY_ERROR', `the stored tiles do not hash to the tree head of size ${head.size}`, { file: 'store' });
  return edge;
}

export async function appendEntries(tx: LogTx, entries: readonly ReleaseEntry[], now: Date, known?: TreeEdge): Promise<AppendResult> {
  const head = await tx.treeHead();
  const found = await tx.findPaths([...new Set(entries.map((e) => e.path))]);
  const rows: NewEntry[] = [];
  const outcomes: AddOutcome[] = [];
  let size = head.size;
  for (const entry of entries) {
    const prior = found.get(entry.path);
    if (prior) {
      outcomes.push(prior.sha256 === entry.sha256 ? { status: 'exists', index: prior.index } : { status: 'conflict', index: prior.index, sha256: prior.sha256 });
      continue;
    }
    const data = encodeEntry(entry);
    rows.push({ index: size, entry, data, leaf: leafHash(data) });
    found.set(entry.path, { index: size, sha256: entry.sha256 });
    outcomes.push({ status: 'added', index: size });
    size++;
  }
  if (rows.length === 0) return isEdgeOf(known, head) ? { outcomes, head, edge: known } : { outcomes, head };
  const edge = await edgeOf(tx, head, known);
  const completed: CompletedTileHash[] = [];
  for (const r of rows) edge.push(r.leaf, completed);
  await tx.insertEntries(rows);
  // completed hashes come in index order within a level; one insert per level
  for (const level of [...new Set(completed.map((c) => c.level))]) {
    const at = completed.filter((c) => c.level === level);
    await tx.insertTileHashes(level, at[0]!.index, at.map((c) => c.hash));
  }
  const next = { size, root: edge.root() };
  await tx.insertTreeHead(next, now.toISOString());
  return { outcomes, head: next, edge };
}

export function conflictError(path: string, o: Extract<AddOutcome, { status: 'conflict' }>): CpansecError {
  return new CpansecError('CONFLICT', `${path} is already in the log (entry ${o.index}) with SHA-256 ${o.sha256}: one path, one hash, forever`);
}
