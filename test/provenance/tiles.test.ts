/** C2SP tlog-tiles paths (Go's sumdb/tlog tile path values, height 8) and tile-based proofs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  consistencyProof,
  encodeEntryBundle,
  encodeTileIndex,
  inclusionProof,
  leafHash,
  memoryHashReader,
  parseEntryBundle,
  parseTilePath,
  rootOf,
  tileHashReader,
  tilePath,
  tilesOf,
  treeHash,
  verifyConsistency,
  verifyInclusion,
  type TileRef,
} from '../../src/provenance/index.js';

test('tile indexes are 3-digit groups, all but the last x-prefixed (spec and Go values)', () => {
  assert.equal(encodeTileIndex(1234067), 'x001/x234/067');
  assert.equal(encodeTileIndex(123456078), 'x123/x456/078');
  assert.equal(encodeTileIndex(3057500), 'x003/x057/500');
  assert.equal(encodeTileIndex(1), '001');
  assert.equal(encodeTileIndex(0), '000');
  assert.equal(tilePath({ level: 3, index: 123456078, width: 256 }), 'tile/3/x123/x456/078');
  assert.equal(tilePath({ level: 3, index: 123456078, width: 2 }), 'tile/3/x123/x456/078.p/2');
  assert.equal(tilePath({ level: -1, index: 5, width: 17 }), 'tile/entries/005.p/17');
  assert.deepEqual(parseTilePath('tile/0/x001/x234/067'), { level: 0, index: 1234067, width: 256 });
  assert.deepEqual(parseTilePath('tile/entries/x001/000.p/9'), { level: -1, index: 1000, width: 9 });
  for (const bad of ['tile/3/123/456/078', 'tile/-1/000', 'tile/0/x000/001', 'tile/64/000', 'tile/0/000.p/0', 'tile/0/000.p/256', 'tile/0/0001', 'tile/00/000', 'tile/data/000']) {
    assert.equal(parseTilePath(bad), undefined, bad);
  }
});

test("a tree of 70,000 leaves has the spec's tiles: 273 full and one of 112 at level 0, one full and one of 17 at level 1, one of 1 at level 2", () => {
  const tiles = tilesOf(70_000, false);
  const at = (l: number) => tiles.filter((t) => t.level === l);
  assert.equal(at(0).filter((t) => t.width === 256).length, 273);
  assert.deepEqual(at(0).filter((t) => t.width < 256).map((t) => t.width), [112]);
  assert.deepEqual(at(1).map((t) => t.width), [256, 17]);
  assert.deepEqual(at(2).map((t) => t.width), [1]);
  assert.deepEqual(tilesOf(256, false).map(tilePath), ['tile/0/000', 'tile/1/000.p/1']);
});

test('proofs computed from tiles equal proofs from the hashes, over tile boundaries', async () => {
  const n = 256 * 3 + 40;
  const leaves = Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  const mem = memoryHashReader(leaves);
  const tileData = async (t: TileRef): Promise<Buffer> => {
    const hashes: Buffer[] = [];
    for (let i = 0; i < t.width; i++) hashes.push(await mem(8 * t.level, t.index * 256 + i));
    return Buffer.concat(hashes);
  };
  const fetched: string[] = [];
  const tiles = tileHashReader(n, (t) => {
    fetched.push(tilePath(t));
    return tileData(t);
  });
  const root = rootOf(leaves);
  assert.ok((await treeHash(tiles, n)).equals(root));
  for (const i of [0, 255, 256, 700, n - 1]) {
    const p = await inclusionProof(tiles, i, n);
    assert.deepEqual(p, await inclusionProof(mem, i, n));
    assert.ok(verifyInclusion(leaves[i]!, i, n, p, root));
  }
  for (const m of [1, 256, 300, 512, n - 1]) {
    const p = await consistencyProof(tiles, m, n);
    assert.ok(verifyConsistency(m, n, rootOf(leaves.slice(0, m)), root, p));
  }
  assert.equal(new Set(fetched).size, fetched.length, 'each tile fetched once');
  await assert.rejects(tileHashReader(n, async () => Buffer.alloc(5))(0, 0), /has 5 bytes/);
});

test('entry bundles are uint16 length-prefixed and parsed with bounds', () => {
  const entries = [Buffer.from('a'), Buffer.alloc(0), Buffer.alloc(300, 7)];
  const b = encodeEntryBundle(entries);
  assert.equal(b.length, 2 + 1 + 2 + 2 + 300);
  assert.deepEqual(parseEntryBundle(b, 3, 'x'), entries);
  assert.throws(() => parseEntryBundle(b, 2, 'x'), /holds 3 entries, not 2/);
  assert.throws(() => parseEntryBundle(b.subarray(0, b.length - 1), 3, 'x'), /runs past the end/);
  assert.throws(() => encodeEntryBundle([Buffer.alloc(70_000)]), /at most 65535/);
});
