/**
 * What every command shares: loading the database named by --db (a file, a directory, or an
 * http(s) URL of a CPANSA JSON file), writing output atomically, and the terminal's colour setting.
 */
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../paths.js';
import { CpansecError } from '../errors.js';
import { loadBundledDatabase, loadDatabase, parseCpansaJson, VulnerabilityIndex } from '../index/index.js';

export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  }
).version;

const MAX_DOWNLOAD = 64 * 1024 * 1024;

async function fetchDatabase(url: string): Promise<VulnerabilityIndex> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (e) {
    throw new CpansecError('IO_ERROR', `cannot fetch the database: ${(e as Error).message}`, { file: url });
  }
  if (!res.ok) throw new CpansecError('IO_ERROR', `cannot fetch the database: HTTP ${res.status}`, { file: url });
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_DOWNLOAD) throw new CpansecError('IO_ERROR', `database larger than ${MAX_DOWNLOAD} bytes`, { file: url });
  const text = await res.text();
  if (text.length > MAX_DOWNLOAD) throw new CpansecError('IO_ERROR', `database larger than ${MAX_DOWNLOAD} bytes`, { file: url });
  const db = parseCpansaJson(text, url);
  db.meta = { ...db.meta, source: url };
  return new VulnerabilityIndex(db);
}

/** The index for --db (or the bundled one). A database given explicitly is validated whole. */
export async function openIndex(db?: string): Promise<VulnerabilityIndex> {
  if (!db) {
    const bundled = loadBundledDatabase();
    bundled.meta = { ...bundled.meta, source: 'bundled' };
    return new VulnerabilityIndex(bundled);
  }
  const index = /^https?:\/\//.test(db) ? await fetchDatabase(db) : new VulnerabilityIndex(loadDatabase(db));
  if (!index.meta.source) index.db.meta = { ...index.meta, source: db };
  index.validate();
  return index;
}

/** Write to a file through a temporary file and a rename (never a partial file), or to stdout. */
export function writeOutput(text: string, output?: string): void {
  if (!output || output === '-') {
    process.stdout.write(text);
    return;
  }
  if (existsSync(output) && statSync(output).isDirectory()) throw new CpansecError('USAGE', 'is a directory: name a file to write', { file: output });
  const tmp = `${output}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, output);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new CpansecError('IO_ERROR', `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: output });
  }
}

export function useColor(option: boolean | undefined): boolean {
  if (option === false) return false;
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR) return true;
  return Boolean(process.stdout.isTTY);
}

export function today(): string {
  return (process.env.CPANSEC_TODAY ?? new Date().toISOString()).slice(0, 10);
}
