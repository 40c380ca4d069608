/**
 * The right edge of a Merkle tree (a "compact range" from the start): the hashes of its maximal
 * complete subtrees, largest first — one per set bit of the size. It is all a log needs to append:
 * each new leaf merges with the subtrees of equal height, every merge that completes a subtree of
 * height 8t (t ≥ 1) yields a tlog-tiles hash of tile level t, and the root is the edge folded from
 * the right (RFC 6962 2.1: MTH(D[0:n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n]))). Appending n
 * leaves costs about 2n hashes and reads nothing back.
 */
import { CpansecError } from '../../errors.js';
import { EMPTY_ROOT, nodeHash } from './merkle.js';
import type { HashReader } from './proofs.js';
import { TILE_HEIGHT } from './tiles.js';

/** A hash at tile level ≥ 1 that became complete: the Merkle hash at height 8·level, index `index`. */
export interface CompletedTileHash {
  level: number;
  index: number;
  hash: Buffer;
}

export class TreeEdge {
  private rootHash: Buffer | undefined;

  private constructor(
    private size_: number,
    /** [height, hash], heights strictly decreasing */
    private readonly nodes: [number, Buffer][],
  ) {}

  static empty(): TreeEdge {
    return new TreeEdge(0, []);
  }

  /** The edge of a tree of `size` from its stored subtree hashes (a few tile reads). */
  static async read(read: HashReader, size: number): Promise<TreeEdge> {
    const nodes: [number, Buffer][] = [];
    let start = 0;
    for (let h = 52; h >= 0; h--) {
      const span = 2 ** h;
      if (Math.floor(size / span) % 2 === 1) {
        nodes.push([h, await read(h, start / span)]);
        start += span;
      }
    }
    return new TreeEdge(size, nodes);
  }

  get size(): number {
    return this.size_;
  }

  clone(): TreeEdge {
    return new TreeEdge(this.size_, this.nodes.slice());
  }

  /** Append one leaf hash; the tile hashes (level ≥ 1) it completed go to `completed`. */
  push(leaf: Buffer, completed: CompletedTileHash[]): void {
    if (leaf.length !== 32) throw new CpansecError('USAGE', 'a leaf hash has 32 bytes');
    let height = 0;
    let hash = leaf;
    const end = this.size_ + 1;
    while (this.nodes.length && this.nodes[this.nodes.length - 1]![0] === height) {
      hash = nodeHash(this.nodes.pop()![1], hash);
      height++;
      if (height % TILE_HEIGHT === 0) completed.push({ level: height / TILE_HEIGHT, index: end / 2 ** height - 1, hash });
    }
    this.nodes.push([height, hash]);
    this.size_ = end;
    this.rootHash = undefined;
  }

  /** MTH of the tree: the edge folded from the right. */
  root(): Buffer {
    if (this.rootHash) return this.rootHash;
    if (!this.nodes.length) return EMPTY_ROOT;
    let r = this.nodes[this.nodes.length - 1]![1];
    for (let i = this.nodes.length - 2; i >= 0; i--) r = nodeHash(this.nodes[i]![1], r);
    return (this.rootHash = r);
  }
}
