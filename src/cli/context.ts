/**
 * What every command shares: loading the database named by --db (a file, a directory, or an
 * http(s) URL of a CPANSA JSON file), writing output atomically, and the terminal's colour setting.
 */
import { readFileSync, statSync } from 'node:fs';
import { emit } from './output.js';
import { stdoutIsTerminal } from './stdio.js';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { CpansecError, isCpansecError } from '../errors.js';
// the index (advisories, Perl rules, YAML) is loaded by the commands that open one, not by every start
import type { VulnerabilityIndex } from '../index/index.js';

export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

/** A database download larger than this is refused (the bundled one is about 4 MB). */
export const MAX_DOWNLOAD = 64 * 1024 * 1024;

/**
 * The body of a response, read up to `max` bytes: a body that goes on past it (an endless stream,
 * a lying or absent Content-Length) is cut off there with an error, never buffered whole.
 */
async function boundedBody(res: Response, max: number, url: string): Promise<Buffer> {
  const tooLarge = () => new CpansecError('IO_ERROR', `cannot fetch the database: larger than ${max} bytes`, { file: url });
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > max) {
    await res.body?.cancel();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  return Buffer.concat(chunks, total);
}

async function fetchDatabase(url: string, max = MAX_DOWNLOAD): Promise<VulnerabilityIndex> {
  let body: Buffer;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
    if (!res.ok) {
      await res.body?.cancel();
      throw new CpansecError('IO_ERROR', `cannot fetch the database: HTTP ${res.status}`, { file: url });
    }
    body = await boundedBody(res, max, url);
  } catch (e) {
    if (isCpansecError(e)) throw e;
    const cause = (e as Error & { cause?: Error }).cause;
    throw new CpansecError('IO_ERROR', `cannot fetch the database: ${(e as Error).message}${cause?.message ? ` (${cause.message})` : ''}`, { file: url });
  }
  const { parseCpansaBuffer, VulnerabilityIndex } = await import('../index/index.js');
  const db = parseCpansaBuffer(body, url);
  db.meta = { ...db.meta, source: url };
  return new VulnerabilityIndex(db);
}

/**
 * A file the user names must be a regular file: a FIFO, a device or a socket would block the
 * command or stream without end, so it is refused at once.
 */
export function regularFile(file: string, allowDirectory = false, what = 'file'): void {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CpansecError('NOT_FOUND', code === 'ENOENT' || !code ? `no such ${what}` : `cannot read: ${code}`, { file });
  }
  if (st.isFile() || (allowDirectory && st.isDirectory())) return;
  const kind = st.isFIFO() ? 'a FIFO' : st.isDirectory() ? 'a directory' : st.isSocket() ? 'a socket' : st.isCharacterDevice() || st.isBlockDevice() ? 'a device' : 'not a regular file';
  throw new CpansecError('USAGE', `${kind}: give a regular file`, { file });
}

/** The index for --db (or the bundled one). A database given explicitly is validated whole. */
export async function openIndex(db?: string): Promise<VulnerabilityIndex> {
  const { loadBundledDatabase, loadDatabase, VulnerabilityIndex } = await import('../index/index.js');
  if (!db) {
    const bundled = loadBundledDatabase();
    bundled.meta = { ...bundled.meta, source: 'bundled' };
    return new VulnerabilityIndex(bundled);
  }
  if (!/^https?:\/\//.test(db)) regularFile(db, true, 'database');
  const index = /^https?:\/\//.test(db) ? await fetchDatabase(db) : new VulnerabilityIndex(loadDatabase(db));
  if (!index.meta.source) index.db.meta = { ...index.meta, source: db };
  index.validate();
  return index;
}

/** Write to a file through a temporary file and a rename (never a partial file), or to stdout. */
export function writeOutput(text: string, output?: string): void {
  emit(text, output);
}

export function useColor(option: boolean | undefined): boolean {
  if (option === false) return false;
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR) return true;
  return stdoutIsTerminal();
}

export function today(): string {
  return (process.env.CPANSEC_TODAY ?? new Date().toISOString()).slice(0, 10);
}
