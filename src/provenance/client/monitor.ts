/**
 * `cpansec log monitor`: follow a log from the last checkpoint it saw. Each new checkpoint must be
 * consistent with the last one (a consistency proof from the tiles), every new entry must hash to
 * its leaf in the level-0 tile, the entries must rebuild the checkpoint's root (kept as a compact
 * range: the hashes of the perfect subtrees on the tree's right edge), and no release path may
 * appear twice with different hashes. The state moves on only when everything checked.
 */
import { CpansecError } from '../../errors.js';
import { verifyCheckpoint, type WitnessPolicy } from '../tlog/checkpoint.js';
import type { VerifierKey } from '../tlog/keys.js';
import { EMPTY_ROOT, leafHash, nodeHash, verifyConsistency } from '../tlog/merkle.js';
import { consistencyProof } from '../tlog/proofs.js';
import { tileHashReader } from '../tlog/tiles.js';
import { decodeNote } from '../tlog/note.js';
import { parseEntry } from '../log/entry.js';
import { parseKeyChangePath } from '../attestation/key-log.js';
import { entriesOf, fetchTile, mustGet, type LogSource } from './source.js';

export interface MonitorState {
  origin: string;
  size: number;
  /** base64 */
  root: string;
  /** the compact range of the tree: base64 hashes of its perfect subtrees, left to right */
  edge: string[];
  /** release path -> [index, sha256] of its first entry */
  paths: Record<string, [number, string]>;
}

export interface MonitorReport {
  ok: boolean;
  from: number;
  to: number;
  newEntries: number;
  /** what is wrong, with the evidence */
  problems: string[];
  /** the new entries that record author key changes (PAUSEID/_keys/…), for the people who watch those authors */
  keyChanges: { index: number; path: string; sha256: string }[];
  state: MonitorState;
}

export function emptyState(origin: string): MonitorState {
  return { origin, size: 0, root: EMPTY_ROOT.toString('base64'), edge: [], paths: {} };
}

function edgeRoot(edge: Buffer[]): Buffer {
  if (!edge.length) return EMPTY_ROOT;
  let r = edge[edge.length - 1]!;
  for (let i = edge.length - 2; i >= 0; i--) r = nodeHash(edge[i]!, r);
  return r;
}

/** Append a leaf to a compact range of `size` leaves. */
function pushLeaf(edge: Buffer[], size: number, leaf: Buffer): void {
  edge.push(leaf);
  // each trailing 1 bit of the old size is a perfect subtree that now has a sibling
  for (let s = size; s % 2 === 1; s = Math.floor(s / 2)) {
    const right = edge.pop()!;
    const left = edge.pop()!;
    edge.push(nodeHash(left, right));
  }
}

export async function monitorOnce(src: LogSource, key: VerifierKey, policy: WitnessPolicy, prior: MonitorState | undefined): Promise<MonitorReport> {
  const state = prior ?? emptyState(key.name);
  if (state.origin !== key.name) throw new CpansecError('USAGE', `the state file follows the log '${state.origin}', not '${key.name}'`);
  const problems: string[] = [];
  const keyChanges: MonitorReport['keyChanges'] = [];
  const report = (to: number, newEntries: number, next: MonitorState): MonitorReport => ({ ok: problems.length === 0, from: state.size, to, newEntries, problems, keyChanges, state: problems.length ? state : next });
  let signed: string;
  try {
    signed = decodeNote(await mustGet(src, 'checkpoint'));
  } catch (e) {
    problems.push(`checkpoint: ${(e as Error).message}`);
    return report(state.size, 0, state);
  }
  let c;
  try {
    c = verifyCheckpoint(signed, key, policy).checkpoint;
  } catch (e) {
    problems.push(`checkpoint: ${(e as Error).message}\n${signed}`);
    return report(state.size, 0, state);
  }
  const oldRoot = Buffer.from(state.root, 'base64');
  if (c.size < state.size) {
    problems.push(`the log went back: its checkpoint has size ${c.size}, but it signed size ${state.size} before (root ${state.root})\n${signed}`);
    return report(c.size, 0, state);
  }
  if (c.size === state.size) {
    if (!c.root.equals(oldRoot)) problems.push(`fork: two trees of size ${c.size}, roots ${state.root} (seen before) and ${c.root.toString('base64')}\n${signed}`);
    return report(c.size, 0, state);
  }
  // consistency with the last checkpoint, from the log's own tiles
  try {
    const proof = await consistencyProof(tileHashReader(c.size, fetchTile(src)), state.size, c.size);
    if (!verifyConsistency(state.size, c.size, oldRoot, c.root, proof)) {
      problems.push(`inconsistent: the tree of size ${c.size} (root ${c.root.toString('base64')}) does not extend the one of size ${state.size} (root ${state.root}) by the tiles' consistency proof\n${signed}`);
    }
  } catch (e) {
    problems.push(`consistency proof from size ${state.size} to ${c.size}: ${(e as Error).message}`);
  }
  const edge = state.edge.map((h) => Buffer.from(h, 'base64'));
  const paths = { ...state.paths };
  let size = state.size;
  try {
    for await (const e of entriesOf(src, c, state.size, c.size)) {
      const leaf = leafHash(e.data);
      if (!leaf.equals(e.tileLeaf)) problems.push(`entry ${e.index} in ${e.bundle} does not hash to its leaf in ${e.tile} (entry hashes to ${leaf.toString('base64')}, tile has ${e.tileLeaf.toString('base64')})`);
      try {
        const entry = parseEntry(e.data, `entry ${e.index}`);
        const seen = paths[entry.path];
        if (seen && seen[1] !== entry.sha256) problems.push(`${entry.path} recorded twice with different hashes: entry ${seen[0]} SHA-256 ${seen[1]}, entry ${e.index} SHA-256 ${entry.sha256}`);
        else if (!seen) paths[entry.path] = [e.index, entry.sha256];
        if (parseKeyChangePath(entry.path)) keyChanges.push({ index: e.index, path: entry.path, sha256: entry.sha256 });
      } catch (err) {
        problems.push((err as Error).message);
      }
      pushLeaf(edge, size, leaf);
      size++;
    }
  } catch (e) {
    problems.push((e as Error).message);
    return report(c.size, size - state.size, state);
  }
  const root = edgeRoot(edge);
  if (!root.equals(c.root)) problems.push(`the entries do not rebuild the checkpoint's root: they give ${root.toString('base64')}, the checkpoint says ${c.root.toString('base64')}\n${signed}`);
  return report(c.size, c.size - state.size, { origin: state.origin, size: c.size, root: c.root.toString('base64'), edge: edge.map((h) => h.toString('base64')), paths });
}
