/** Where a client reads a log from: files under a prefix (HTTP or a directory of `log export`). */
import { CpansecError } from '../../errors.js';
import type { Checkpoint } from '../tlog/checkpoint.js';
import { verifyCheckpoint, type VerifiedCheckpoint, type WitnessPolicy } from '../tlog/checkpoint.js';
import type { VerifierKey } from '../tlog/keys.js';
import { decodeNote } from '../tlog/note.js';
import { parseEntryBundle, tileIn, tilePath, TILE_WIDTH, type TileRef } from '../tlog/tiles.js';

export interface LogSource {
  /** a description for messages (the URL) */
  readonly name: string;
  /** the file at `path` under the log's prefix, or undefined when there is none (404) */
  get(path: string): Promise<Buffer | undefined>;
}

export async function mustGet(src: LogSource, path: string): Promise<Buffer> {
  const b = await src.get(path);
  if (!b) throw new CpansecError('NOT_FOUND', `${src.name}/${path}: not found`);
  return b;
}

export async function fetchCheckpoint(src: LogSource, key: VerifierKey, policy?: WitnessPolicy): Promise<VerifiedCheckpoint> {
  const raw = await mustGet(src, 'checkpoint');
  try {
    return verifyCheckpoint(decodeNote(raw), key, policy);
  } catch (e) {
    throw new CpansecError('INTEGRITY_ERROR', `${src.name}/checkpoint: ${(e as Error).message}`);
  }
}

export function fetchTile(src: LogSource) {
  return (t: TileRef): Promise<Buffer> => mustGet(src, tilePath(t));
}

/** The entries [start, end) of the tree `c`, as their bundles hold them, with their level-0 tiles. */
export async function* entriesOf(src: LogSource, c: Checkpoint, start: number, end: number): AsyncGenerator<{ index: number; data: Buffer; tileLeaf: Buffer; bundle: string; tile: string }> {
  for (let n = Math.floor(start / TILE_WIDTH); n * TILE_WIDTH < end; n++) {
    const ref = tileIn(c.size, 0, n)!;
    const bundlePath = tilePath({ ...ref, level: -1 });
    const levelPath = tilePath(ref);
    const [bundle, tile] = await Promise.all([mustGet(src, bundlePath), mustGet(src, levelPath)]);
    const entries = parseEntryBundle(bundle, ref.width, `${src.name}/${bundlePath}`);
    if (tile.length !== ref.width * 32) throw new CpansecError('INTEGRITY_ERROR', `${src.name}/${levelPath}: ${tile.length} bytes, not ${ref.width * 32}`);
    for (let i = Math.max(start - n * TILE_WIDTH, 0); i < ref.width && n * TILE_WIDTH + i < end; i++) {
      yield { index: n * TILE_WIDTH + i, data: entries[i]!, tileLeaf: tile.subarray(i * 32, (i + 1) * 32), bundle: bundlePath, tile: levelPath };
    }
  }
}
