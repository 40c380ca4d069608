/**
 * `cpansec verify`: is this tarball's SHA-256 recorded in the log, under a checkpoint signed by the
 * log and cosigned by the required witnesses? Online through the log's tiles, or offline from a
 * C2SP tlog-proof whose `extra` is the entry itself.
 */
import { CpansecError } from '../../errors.js';
import { verifyCheckpoint, type WitnessPolicy } from '../tlog/checkpoint.js';
import type { VerifierKey } from '../tlog/keys.js';
import { leafHash, verifyInclusion } from '../tlog/merkle.js';
import { inclusionProof } from '../tlog/proofs.js';
import { formatTlogProof, parseTlogProof } from '../tlog/proof-file.js';
import { tileHashReader } from '../tlog/tiles.js';
import { parseEntry, type ReleaseEntry } from '../log/entry.js';
import { entriesOf, fetchCheckpoint, fetchTile, mustGet, type LogSource } from './source.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyResult {
  ok: boolean;
  checks: Check[];
  entry?: ReleaseEntry;
  index?: number;
  size?: number;
  /** the offline proof of what was verified (online mode) */
  proof?: string;
}

/** Verification failed for `reason` (exit 1, not an input error). */
export class VerificationFailure extends Error {}

class Checks {
  readonly list: Check[] = [];
  pass(name: string, detail: string): void {
    this.list.push({ name, ok: true, detail });
  }
  fail(name: string, detail: string): never {
    this.list.push({ name, ok: false, detail });
    throw new VerificationFailure(`${name}: ${detail}`);
  }
}

function asFailure<T>(checks: Checks, name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof VerificationFailure) throw e;
    return checks.fail(name, (e as Error).message);
  }
}

export interface VerifyOptions {
  sha256: string;
  /** the tarball's file name: the entry's path must end with it */
  fileName?: string;
  logKey: VerifierKey;
  policy: WitnessPolicy;
}

function checkEntry(checks: Checks, entry: ReleaseEntry, index: number, o: VerifyOptions): void {
  if (entry.sha256 !== o.sha256) checks.fail('entry', `entry ${index} records ${entry.path} with SHA-256 ${entry.sha256}, not this file's ${o.sha256}`);
  if (o.fileName && entry.path.split('/').at(-1) !== o.fileName) checks.fail('entry', `entry ${index} records this SHA-256 as ${entry.path}, not ${o.fileName}`);
  checks.pass('entry', `entry ${index}: ${entry.path}, SHA-256 ${entry.sha256}, uploaded ${entry.time} by ${entry.uploader}`);
}

async function run(fn: (checks: Checks) => Promise<Omit<VerifyResult, 'ok' | 'checks'>>): Promise<VerifyResult> {
  const checks = new Checks();
  try {
    return { ok: true, checks: checks.list, ...(await fn(checks)) };
  } catch (e) {
    if (e instanceof VerificationFailure) return { ok: false, checks: checks.list };
    if (e instanceof CpansecError && (e.code === 'INTEGRITY_ERROR' || e.code === 'NOT_FOUND')) {
      checks.list.push({ name: 'log', ok: false, detail: e.message });
      return { ok: false, checks: checks.list };
    }
    throw e;
  }
}

export function verifyOnline(src: LogSource, o: VerifyOptions): Promise<VerifyResult> {
  return run(async (checks) => {
    const vc = await fetchCheckpoint(src, o.logKey, o.policy).catch((e: Error) => checks.fail('checkpoint', e.message));
    const c = vc.checkpoint;
    checks.pass('checkpoint', `signed by the log ${o.logKey.name}: size ${c.size}, root ${c.root.toString('base64')}`);
    checks.pass('witnesses', vc.cosignedBy.length ? `cosigned by ${vc.cosignedBy.join(', ')}` : 'none required');
    const found = await src.get(`lookup/sha256/${o.sha256}`);
    const indexes = (found?.toString('utf8') ?? '').split('\n').filter((l) => /^\d{1,15}$/.test(l)).map(Number).filter((i) => i < c.size);
    if (!indexes.length) checks.fail('entry', `no entry with SHA-256 ${o.sha256} in the log's first ${c.size} entries`);
    // the lookup is a hint: read the entries it names, prefer the one with this file name
    let index = indexes[0]!;
    let data: Buffer | undefined;
    let tileLeaf: Buffer | undefined;
    let tileName = '';
    for (const i of indexes.slice(0, 8)) {
      for await (const e of entriesOf(src, c, i, i + 1)) {
        const named = o.fileName !== undefined && Buffer.from(e.data).toString('utf8').split('\n')[0]?.endsWith(`/${o.fileName}`);
        if (data === undefined || named) ({ index, data, tileLeaf, tile: tileName } = e);
        if (named) break;
      }
      if (data && o.fileName !== undefined && data.toString('utf8').split('\n')[0]?.endsWith(`/${o.fileName}`)) break;
    }
    const entry = asFailure(checks, 'entry', () => parseEntry(data!, `entry ${index}`));
    checkEntry(checks, entry, index, o);
    const leaf = leafHash(data!);
    if (!leaf.equals(tileLeaf!)) checks.fail('tiles', `entry ${index} does not hash to the leaf hash in ${tileName}: the entry bundle or the tile was altered`);
    const proof = await inclusionProof(tileHashReader(c.size, fetchTile(src)), index, c.size);
    if (!verifyInclusion(leaf, index, c.size, proof, c.root)) checks.fail('inclusion', `the inclusion proof of entry ${index} from the log's tiles does not lead to the checkpoint's root: a tile was altered`);
    checks.pass('inclusion', `entry ${index} is in the tree of size ${c.size} (${proof.length} proof hashes)`);
    const raw = (await mustGet(src, 'checkpoint')).toString('utf8');
    return { entry, index, size: c.size, proof: formatTlogProof({ extra: data!, index, proof, checkpoint: raw }) };
  });
}

export function verifyOffline(proofText: string, where: string, o: VerifyOptions): Promise<VerifyResult> {
  const p = parseTlogProof(proofText, where);
  return run(async (checks) => {
    const vc = asFailure(checks, 'checkpoint', () => verifyCheckpoint(p.checkpoint, o.logKey, o.policy));
    const c = vc.checkpoint;
    checks.pass('checkpoint', `signed by the log ${o.logKey.name}: size ${c.size}, root ${c.root.toString('base64')}`);
    checks.pass('witnesses', vc.cosignedBy.length ? `cosigned by ${vc.cosignedBy.join(', ')}` : 'none required');
    if (!p.extra) checks.fail('entry', `${where} carries no entry (its 'extra' line)`);
    const entry = asFailure(checks, 'entry', () => parseEntry(p.extra!, `${where}: extra`));
    checkEntry(checks, entry, p.index, o);
    if (!verifyInclusion(leafHash(p.extra!), p.index, c.size, p.proof, c.root)) checks.fail('inclusion', `the inclusion proof of entry ${p.index} does not lead to the checkpoint's root`);
    checks.pass('inclusion', `entry ${p.index} is in the tree of size ${c.size} (${p.proof.length} proof hashes)`);
    return { entry, index: p.index, size: c.size };
  });
}
