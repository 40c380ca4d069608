/**
 * `cpansec db update`: fetch a newer advisory database (CPANSA JSON layout) from a URL, check its
 * integrity against a SHA-256 given or published beside it (URL.sha256, sha256sum format), check
 * that every range reads, and only then replace the stored database in one transaction. Any
 * failure leaves the stored database as it was.
 */
import { createHash } from 'node:crypto';
import type { AdvisoryDatabase } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { parseCpansaBuffer, VulnerabilityIndex, type AdvisoryRepository, type ImportSource } from '../index/index.js';
import type { ImportOptions, StoreImportResult } from '../store/index.js';

export const MAX_DATABASE_BYTES = 64 * 1024 * 1024;
const TIMEOUT_MS = 60_000;

export interface FetchOptions {
  /** expected SHA-256 (hex); default: read URL.sha256 */
  sha256?: string;
  /** skip the integrity check when no checksum is published */
  allowUnverified?: boolean;
  /** ETag of the last download from this URL: a 304 means nothing changed */
  etag?: string;
}

export type Fetched =
  | { notModified: true }
  | { notModified: false; database: AdvisoryDatabase; sha256: string; verified: boolean; etag?: string; bytes: number };

async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  try {
    return await fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (e) {
    throw new CpansecError('IO_ERROR', `cannot fetch: ${(e as Error).cause ? String((e as Error).cause) : (e as Error).message}`, { file: url });
  }
}

/** The body, refusing more than `limit` bytes even when the server sends no Content-Length. */
async function readLimited(res: Response, url: string, limit: number): Promise<Buffer> {
  if (Number(res.headers.get('content-length') ?? 0) > limit) throw new CpansecError('IO_ERROR', `larger than ${limit} bytes`, { file: url });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += (chunk as Uint8Array).byteLength;
    if (size > limit) throw new CpansecError('IO_ERROR', `larger than ${limit} bytes`, { file: url });
    chunks.push(Buffer.from(chunk as Uint8Array));
  }
  return Buffer.concat(chunks);
}

async function publishedChecksum(url: string): Promise<string | undefined> {
  const res = await get(`${url}.sha256`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new CpansecError('IO_ERROR', `cannot fetch the checksum: HTTP ${res.status}`, { file: `${url}.sha256` });
  const text = (await readLimited(res, `${url}.sha256`, 4096)).toString('utf8');
  const hex = /^\s*([0-9a-fA-F]{64})\b/.exec(text)?.[1];
  if (!hex) throw new CpansecError('INTEGRITY_ERROR', 'not a SHA-256 checksum (sha256sum format expected)', { file: `${url}.sha256` });
  return hex.toLowerCase();
}

export async function fetchDatabase(url: string, o: FetchOptions = {}): Promise<Fetched> {
  if (!/^https?:\/\//i.test(url)) throw new CpansecError('USAGE', `the database URL must be http(s): ${url}`);
  if (o.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(o.sha256)) throw new CpansecError('USAGE', `--sha256 takes 64 hex digits: ${o.sha256}`);
  const res = await get(url, o.etag ? { 'if-none-match': o.etag } : {});
  if (res.status === 304) return { notModified: true };
  if (!res.ok) throw new CpansecError('IO_ERROR', `cannot fetch the database: HTTP ${res.status}`, { file: url });
  const body = await readLimited(res, url, MAX_DATABASE_BYTES);
  const actual = createHash('sha256').update(body).digest('hex');
  const expected = o.sha256?.toLowerCase() ?? (await publishedChecksum(url));
  if (expected === undefined && !o.allowUnverified) {
    throw new CpansecError('INTEGRITY_ERROR', `no checksum published at ${url}.sha256; give --sha256 HEX, or --allow-unverified to skip the check`, { file: url });
  }
  if (expected !== undefined && expected !== actual) {
    throw new CpansecError('INTEGRITY_ERROR', `checksum mismatch: expected ${expected}, got ${actual}`, { file: url });
  }
  const database = parseCpansaBuffer(body, url);
  const etag = res.headers.get('etag') ?? undefined;
  return { notModified: false, database, sha256: actual, verified: expected !== undefined, bytes: body.length, ...(etag ? { etag } : {}) };
}

/** Check a database whole before it replaces the stored one: every range must read. */
export function checkDatabase(database: AdvisoryDatabase, source: string, storedAdvisories: number): void {
  const index = new VulnerabilityIndex(database);
  index.validate();
  const count = index.allAdvisories().length;
  if (count === 0 && storedAdvisories > 0) {
    throw new CpansecError('INTEGRITY_ERROR', `the new database has no advisories; refusing to replace the ${storedAdvisories} stored ones`, { file: source });
  }
}

/** The store's import (src/store): with options, and saying what it kept of the stored database. */
export interface DatabaseImporter extends Pick<AdvisoryRepository, 'loadPublished'> {
  replaceDatabase(db: AdvisoryDatabase, source: ImportSource, now: Date, options?: ImportOptions): Promise<StoreImportResult>;
}

/**
 * Check, then replace. The store keeps its release lists and module map when the new database has
 * none, and refuses one that would drop most of them unless `options.force` (src/store/import-guard.ts).
 */
export async function replaceChecked(
  repository: DatabaseImporter,
  database: AdvisoryDatabase,
  source: ImportSource & { kind: 'file' | 'url' },
  now: Date,
  options: ImportOptions = {},
): Promise<StoreImportResult> {
  const stored = await repository.loadPublished(now);
  checkDatabase(database, source.location, [...stored.database.distributions.values()].reduce((n, d) => n + d.advisories.length, 0));
  return repository.replaceDatabase(database, source, now, options);
}
