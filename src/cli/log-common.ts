/**
 * What the log, note, witness and verify commands share: keys from files or arguments, witness
 * flags, a log read over HTTP or from a directory written by `log export`, the local store.
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { CpansecError } from '../errors.js';
import { readInputText } from '../input-file.js';
import type { LogSource, SignerKey, VerifierKey, WitnessEndpoint } from '../provenance/index.js';
import { parseSignerKey, parseVerifierKey } from '../provenance/index.js';
import type { Store } from '../store/index.js';
import type { StoreFlags } from './db.js';

export const collect = (v: string, prev: string[] = []) => [...prev, v];

/** A signer key (PRIVATE+KEY+…) read from a file: keys never go on a command line, where `ps` shows them. */
export function signerKeyFile(file: string, flag: string): SignerKey {
  const text = readInputText(file, 4096).trim();
  try {
    return parseSignerKey(text);
  } catch (e) {
    throw new CpansecError('USAGE', `${flag}: ${(e as Error).message}`, { file });
  }
}

/** A verifier key given as its text, or as a file holding it. */
export function verifierKeyArg(value: string, flag: string): VerifierKey {
  let text = value;
  if (!/^[^+\s]+\+[0-9a-f]{8}\+/.test(value)) {
    try {
      text = readFileSync(value, 'utf8').trim();
    } catch {
      throw new CpansecError('USAGE', `${flag} takes a verifier key (name+hash+key) or a file holding one: ${value.slice(0, 80)}`);
    }
  }
  try {
    return parseVerifierKey(text);
  } catch (e) {
    throw new CpansecError('USAGE', `${flag}: ${(e as Error).message}`);
  }
}

/** `--witness VKEY=URL`: a witness's cosigner key and its submission prefix. */
export function witnessEndpoint(value: string): WitnessEndpoint {
  const at = value.lastIndexOf('=');
  if (at < 0) throw new CpansecError('USAGE', `--witness takes VKEY=URL (the witness's key and its address): ${value.slice(0, 80)}`);
  const url = value.slice(at + 1);
  if (!/^https?:\/\//.test(url)) throw new CpansecError('USAGE', `--witness: not an http(s) URL: ${url}`);
  return { key: verifierKeyArg(value.slice(0, at), '--witness'), url };
}

export function quorumArg(text: string | undefined, witnesses: number): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > witnesses) throw new CpansecError('USAGE', `--quorum takes 0 to the number of witnesses (${witnesses}): ${text}`);
  return n;
}

const MAX_FILE = 32 * 1024 * 1024;

class HttpSource implements LogSource {
  constructor(readonly name: string) {}
  async get(p: string): Promise<Buffer | undefined> {
    const url = `${this.name}/${p}`;
    let r: Response;
    try {
      r = await fetch(url, { signal: AbortSignal.timeout(30_000), headers: { 'accept-encoding': 'gzip, identity' } });
    } catch (e) {
      throw new CpansecError('IO_ERROR', `cannot fetch: ${(e as Error).message}`, { file: url });
    }
    if (r.status === 404) return undefined;
    if (!r.ok) throw new CpansecError('IO_ERROR', `HTTP ${r.status}`, { file: url });
    // read with a cap: a hostile log could send an endless body
    if (Number(r.headers.get('content-length') ?? 0) > MAX_FILE) throw new CpansecError('IO_ERROR', `larger than ${MAX_FILE} bytes`, { file: url });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of r.body ?? []) {
      size += (chunk as Uint8Array).length;
      if (size > MAX_FILE) throw new CpansecError('IO_ERROR', `larger than ${MAX_FILE} bytes`, { file: url });
      chunks.push(Buffer.from(chunk as Uint8Array));
    }
    return Buffer.concat(chunks);
  }
}

class DirectorySource implements LogSource {
  private readonly root: string;
  constructor(readonly name: string) {
    this.root = realpathSync(name);
  }
  async get(p: string): Promise<Buffer | undefined> {
    const file = path.resolve(this.root, p);
    if (!file.startsWith(this.root + path.sep)) return undefined;
    try {
      return readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw new CpansecError('IO_ERROR', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
    }
  }
}

/** `--log URL`: the log's prefix over HTTP(S), or a directory written by `cpansec log export`. */
export function logSource(value: string): LogSource {
  if (/^https?:\/\//.test(value)) return new HttpSource(value.replace(/\/+$/, ''));
  try {
    return new DirectorySource(value.replace(/^file:\/\//, ''));
  } catch {
    throw new CpansecError('USAGE', `--log takes an http(s) URL or a directory written by 'cpansec log export': ${value}`);
  }
}

export async function withStore<T>(flags: StoreFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  // loaded here: verify and note, which share this file, never open a store
  const [{ Store }, { storeLocation }] = await Promise.all([import('../store/index.js'), import('./db.js')]);
  const store = await Store.open(storeLocation(flags));
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
