/**
 * C2SP tlog-tiles: tile and entry-bundle paths, the shape of the tiles a tree of a given size
 * has, a HashReader over tiles (the client's way to compute any proof), and entry bundles
 * (big-endian uint16 length-prefixed entries).
 */
import { CpansecError } from '../../errors.js';
import { HASH_SIZE, rootOf } from './merkle.js';
import type { HashReader } from './proofs.js';

/** Tiles are 2^8 = 256 hashes wide (tlog-tiles fixes the height at 8). */
export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;

export interface TileRef {
  /** tile level 0–63, or -1 for an entry bundle */
  level: number;
  index: number;
  /** 1–256; below 256 the tile is partial */
  width: number;
}

/** tlog-tiles' <N>: zero-padded 3-digit elements, all but the last prefixed with `x`. */
export function encodeTileIndex(n: number): string {
  let digits = String(n);
  digits = digits.padStart(Math.ceil(digits.length / 3) * 3, '0');
  const parts = digits.match(/.{3}/g)!;
  return parts.map((p, i) => (i < parts.length - 1 ? `x${p}` : p)).join('/');
}

export function tilePath(t: TileRef): string {
  const base = `tile/${t.level < 0 ? 'entries' : t.level}/${encodeTileIndex(t.index)}`;
  return t.width === TILE_WIDTH ? base : `${base}.p/${t.width}`;
}

const PATH = /^tile\/(entries|0|[1-9]\d?)\/((?:x\d{3}\/)*)(\d{3})(?:\.p\/([1-9]\d{0,2}))?$/;

/** Parse a tile path (without prefix); undefined when it is not one, in every detail. */
export function parseTilePath(p: string): TileRef | undefined {
  const m = PATH.exec(p);
  if (!m) return undefined;
  const level = m[1] === 'entries' ? -1 : Number(m[1]);
  if (level > 63) return undefined;
  const groups = [...m[2]!.split('/').filter(Boolean).map((g) => g.slice(1)), m[3]!];
  // no leading zero groups: the encoding of each index is unique
  if (groups.length > 1 && groups[0] === '000') return undefined;
  if (groups.length > 6) return undefined;
  const index = Number(groups.join(''));
  const width = m[4] === undefined ? TILE_WIDTH : Number(m[4]);
  if (width < 1 || width > 255 && m[4] !== undefined) return undefined;
  return { level, index, width };
}

/** How many hashes level `level` of tiles holds for a tree of `size` leaves. */
export function hashesAtTileLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}

/** The tile at (level, index) as it is in a tree of `size`, or undefined if that tree has none. */
export function tileIn(size: number, level: number, index: number): TileRef | undefined {
  const count = hashesAtTileLevel(size, Math.max(level, 0));
  const width = Math.min(TILE_WIDTH, count - index * TILE_WIDTH);
  return width > 0 ? { level, index, width } : undefined;
}

/** Every tile (entry bundles with level -1 too) of a tree of `size`. */
export function tilesOf(size: number, withEntries = true): TileRef[] {
  const out: TileRef[] = [];
  for (let level = 0; hashesAtTileLevel(size, level) > 0; level++) {
    const count = hashesAtTileLevel(size, level);
    for (let index = 0; index * TILE_WIDTH < count; index++) out.push(tileIn(size, level, index)!);
  }
  if (withEntries) for (const t of out.filter((x) => x.level === 0)) out.push({ ...t, level: -1 });
  return out;
}

export type TileFetcher = (tile: TileRef) => Promise<Buffer>;

/**
 * A HashReader for a tree of `size` that reads tiles: the hash at Merkle level L is computed from
 * 2^(L mod 8) hashes of one tile at tile level ⌊L/8⌋. Tiles are fetched once each.
 */
export function tileHashReader(size: number, fetchTile: TileFetcher): HashReader {
  const cache = new Map<string, Promise<Buffer>>();
  const get = (t: TileRef): Promise<Buffer> => {
    const key = tilePath(t);
    let p = cache.get(key);
    if (!p) {
      p = fetchTile(t).then((data) => {
        if (data.length !== t.width * HASH_SIZE) throw new CpansecError('INTEGRITY_ERROR', `tile ${key} has ${data.length} bytes, not ${t.width * HASH_SIZE}`);
        return data;
      });
      cache.set(key, p);
    }
    return p;
  };
  return async (level, index) => {
    const t = Math.floor(level / TILE_HEIGHT);
    const span = 2 ** (level - t * TILE_HEIGHT);
    const first = index * span;
    const tile = tileIn(size, t, Math.floor(first / TILE_WIDTH));
    const offset = first % TILE_WIDTH;
    if (!tile || offset + span > tile.width) throw new CpansecError('NOT_FOUND', `no hash at level ${level} index ${index} in a tree of ${size}`);
    const data = await get(tile);
    const hashes: Buffer[] = [];
    for (let i = offset; i < offset + span; i++) hashes.push(data.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
    return span === 1 ? Buffer.from(hashes[0]!) : rootOf(hashes);
  };
}

export const MAX_ENTRY_SIZE = 0xffff;

export function encodeEntryBundle(entries: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.length > MAX_ENTRY_SIZE) throw new CpansecError('USAGE', `entry of ${e.length} bytes (at most ${MAX_ENTRY_SIZE})`);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(e.length);
    parts.push(len, Buffer.from(e));
  }
  return Buffer.concat(parts);
}

/** Parse an entry bundle; `expected` entries exactly, or an INTEGRITY_ERROR naming `where`. */
export function parseEntryBundle(data: Buffer, expected: number, where: string): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < data.length) {
    if (at + 2 > data.length) throw new CpansecError('INTEGRITY_ERROR', `truncated length at byte ${at}`, { file: where });
    const len = data.readUInt16BE(at);
    at += 2;
    if (at + len > data.length) throw new CpansecError('INTEGRITY_ERROR', `entry ${out.length} runs past the end of the bundle`, { file: where });
    out.push(data.subarray(at, at + len));
    at += len;
    if (out.length > TILE_WIDTH) break;
  }
  if (out.length !== expected) throw new CpansecError('INTEGRITY_ERROR', `bundle holds ${out.length} entries, not ${expected}`, { file: where });
  return out;
}
