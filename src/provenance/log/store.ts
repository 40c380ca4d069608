/**
 * What the log needs from its store (src/store/provenance implements it on SQLite and
 * PostgreSQL). Tile hashes at tile level 0 are the entries' leaf hashes; at level t ≥ 1 the
 * Merkle tree hashes at height 8t, stored once when the full tile below is complete.
 */
import type { ReleaseEntry } from './entry.js';

export interface TreeHead {
  size: number;
  root: Buffer;
}

export interface StoredEntry {
  index: number;
  sha256: string;
}

export interface NewEntry {
  index: number;
  entry: ReleaseEntry;
  data: Buffer;
  leaf: Buffer;
}

export interface LogReader {
  treeHead(): Promise<TreeHead>;
  /** `width` hashes of tile (level, index): concatenated, width × 32 bytes */
  readTile(level: number, index: number, width: number): Promise<Buffer>;
  /** the leaf data of entries [start, start + count) */
  readEntries(start: number, count: number): Promise<Buffer[]>;
  findPaths(paths: readonly string[]): Promise<Map<string, StoredEntry>>;
  /** indexes of entries with this SHA-256 */
  findSha256(sha256: string): Promise<number[]>;
}

export interface LogTx extends LogReader {
  insertEntries(rows: readonly NewEntry[]): Promise<void>;
  /** hashes at tile level `level` ≥ 1 (Merkle height 8·level) */
  insertTileHashes(level: number, first: number, hashes: readonly Buffer[]): Promise<void>;
  insertTreeHead(head: TreeHead, at: string): Promise<void>;
}

export interface LogStore extends LogReader {
  /** one transaction, serialised with every other one of every process; durable when it resolves */
  transaction<T>(fn: (tx: LogTx) => Promise<T>): Promise<T>;
  /** the newest published checkpoint (signed note with its cosignatures) */
  latestCheckpoint(): Promise<string | undefined>;
  saveCheckpoint(size: number, note: string, at: string): Promise<void>;
  /** the tree size a witness last cosigned, as far as this log knows */
  witnessSize(witness: string): Promise<number>;
  setWitnessSize(witness: string, size: number): Promise<void>;
}
