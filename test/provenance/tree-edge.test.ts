/**
 * The tree's right edge, from which the log appends: after every leaf its root is RFC 6962's tree
 * hash, the tile hashes it completes are the subtree hashes at heights 8 and 16, and the edge read
 * back from stored hashes is the edge grown leaf by leaf.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_ROOT, leafHash, memoryHashReader, rootOf, treeHash, TreeEdge, type CompletedTileHash } from '../../src/provenance/index.js';

const N = 66_000;
const leaves = Array.from({ length: N }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const read = memoryHashReader(leaves);

test('after every leaf the root is the tree hash; completed tiles are the subtrees of height 8 and 16', async () => {
  const edge = TreeEdge.empty();
  assert.ok(edge.root().equals(EMPTY_ROOT));
  const completed: CompletedTileHash[] = [];
  for (let i = 0; i < N; i++) {
    edge.push(leaves[i]!, completed);
    if (i < 600 || i % 997 === 0 || (i + 1) % 65_536 < 3) assert.ok(edge.root().equals(await treeHash(read, i + 1)), `root of size ${i + 1}`);
  }
  assert.ok(edge.root().equals(await treeHash(read, N)));
  // spot-check against the in-memory tree hash of a small prefix too
  const small = TreeEdge.empty();
  for (let i = 0; i < 300; i++) small.push(leaves[i]!, []);
  assert.ok(small.root().equals(rootOf(leaves.slice(0, 300))));

  const level1 = completed.filter((c) => c.level === 1);
  const level2 = completed.filter((c) => c.level === 2);
  assert.equal(level1.length, Math.floor(N / 256));
  assert.deepEqual(level1.map((c) => c.index), Array.from({ length: level1.length }, (_, k) => k));
  for (const c of level1) assert.ok(c.hash.equals(await read(8, c.index)), `level-1 hash ${c.index}`);
  assert.equal(level2.length, 1);
  assert.equal(level2[0]!.index, 0);
  assert.ok(level2[0]!.hash.equals(await read(16, 0)));
  assert.equal(completed.length, level1.length + 1);
});

test('an edge read from stored subtree hashes grows as the one built leaf by leaf; clones are independent', async () => {
  for (const size of [0, 1, 2, 3, 255, 256, 257, 511, 600, 65_535, 65_536, 65_537]) {
    const fromStore = await TreeEdge.read(read, size);
    assert.equal(fromStore.size, size);
    assert.ok(fromStore.root().equals(await treeHash(read, size)), `read edge of ${size}`);
    const copy = fromStore.clone();
    const completed: CompletedTileHash[] = [];
    for (let i = size; i < Math.min(size + 300, N); i++) copy.push(leaves[i]!, completed);
    assert.ok(copy.root().equals(await treeHash(read, Math.min(size + 300, N))));
    for (const c of completed) assert.ok(c.hash.equals(await read(8 * c.level, c.index)));
    assert.equal(fromStore.size, size, 'the original did not move');
    assert.ok(fromStore.root().equals(await treeHash(read, size)));
  }
});
