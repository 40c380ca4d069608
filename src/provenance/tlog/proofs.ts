/**
 * Proofs and tree hashes computed from stored subtree hashes, as Go's sumdb/tlog does: a
 * `HashReader` gives the hash of a complete subtree (level L, index N covers leaves
 * [N·2^L, (N+1)·2^L)), and RFC 6962's recursions (2.1.1 PATH, 2.1.2 PROOF/SUBPROOF) are
 * evaluated over it. The reader may fetch tiles over HTTP or read a store: nothing here trusts
 * it — the verifiers in merkle.ts check the result against a signed root.
 */
import { CpansecError } from '../../errors.js';
import { EMPTY_ROOT, isPowerOfTwo, nodeHash, splitPoint } from './merkle.js';

export type HashReader = (level: number, index: number) => Promise<Buffer>;

function level(n: number): number {
  return Math.round(Math.log2(n));
}

/** MTH(D[lo:hi]) for a range whose start is aligned as RFC 6962's recursion makes it. */
export async function rangeHash(read: HashReader, lo: number, hi: number): Promise<Buffer> {
  const n = hi - lo;
  if (n <= 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && lo % n === 0) return read(level(n), lo / n);
  const k = splitPoint(n);
  return nodeHash(await rangeHash(read, lo, lo + k), await rangeHash(read, lo + k, hi));
}

export function treeHash(read: HashReader, size: number): Promise<Buffer> {
  return rangeHash(read, 0, size);
}

function checkSizes(index: number, size: number, what: string): void {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new CpansecError('USAGE', `${what}: ${index} is not below the tree size ${size}`);
  }
}

/** RFC 6962 2.1.1 PATH(m, D[lo:hi]), leaf's sibling first. */
async function path(read: HashReader, m: number, lo: number, hi: number): Promise<Buffer[]> {
  const n = hi - lo;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...(await path(read, m, lo, lo + k)), await rangeHash(read, lo + k, hi)];
  return [...(await path(read, m - k, lo + k, hi)), await rangeHash(read, lo, lo + k)];
}

export function inclusionProof(read: HashReader, index: number, size: number): Promise<Buffer[]> {
  checkSizes(index, size, 'inclusion proof');
  return path(read, index, 0, size);
}

/** RFC 6962 2.1.2 SUBPROOF(m, D[lo:hi], b). */
async function subproof(read: HashReader, m: number, lo: number, hi: number, complete: boolean): Promise<Buffer[]> {
  const n = hi - lo;
  if (m === n) return complete ? [] : [await rangeHash(read, lo, hi)];
  const k = splitPoint(n);
  if (m <= k) return [...(await subproof(read, m, lo, lo + k, complete)), await rangeHash(read, lo + k, hi)];
  return [...(await subproof(read, m - k, lo + k, hi, false)), await rangeHash(read, lo, lo + k)];
}

export function consistencyProof(read: HashReader, size1: number, size2: number): Promise<Buffer[]> {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size1 > size2) {
    throw new CpansecError('USAGE', `consistency proof: sizes ${size1} and ${size2} (the first must not exceed the second)`);
  }
  if (size1 === 0 || size1 === size2) return Promise.resolve([]);
  return subproof(read, size1, 0, size2, true);
}

/** A HashReader over leaf hashes held in memory (tests, the bench, small logs). */
export function memoryHashReader(leaves: readonly Buffer[]): HashReader {
  const levels: Buffer[][] = [leaves as Buffer[]];
  return async (l, n) => {
    while (levels.length <= l) {
      const below = levels[levels.length - 1]!;
      const up: Buffer[] = [];
      for (let i = 0; i + 1 < below.length; i += 2) up.push(nodeHash(below[i]!, below[i + 1]!));
      levels.push(up);
    }
    const h = levels[l]![n];
    if (!h) throw new CpansecError('NOT_FOUND', `no hash at level ${l} index ${n}`);
    return h;
  };
}
