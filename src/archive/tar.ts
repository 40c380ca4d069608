/**
 * Tar and gzip'ed tar archives, read in memory. The gzip layer is unpacked by node's zlib with an
 * output cap (the bomb defence: it stops at the cap instead of allocating what the stream claims);
 * the tar layer is parsed by `tar` (isaacs) with its auto-decompression turned off, so nothing is
 * unpacked twice or without a limit. Links, devices and unsafe names are refused, never followed.
 */
import { gunzipSync } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { CpansecError } from '../errors.js';
import type { Archive, ArchiveEntry } from './archive.js';
import { normalizeEntryPath, unsafePathReason } from './entry-path.js';
import { unpackedBudget, type ArchiveLimits } from './limits.js';

const BLOCK = 512;

function unsafe(file: string, why: string): CpansecError {
  return new CpansecError('UNSAFE_ARCHIVE', why, { file });
}

/** Unpack the gzip layer, refusing to produce more than the budget allows. */
export function gunzipWithLimit(bytes: Buffer, file: string, limits: ArchiveLimits): Buffer {
  const budget = unpackedBudget(bytes.length, limits);
  try {
    return gunzipSync(bytes, { maxOutputLength: budget });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw unsafe(file, `refused: unpacks to more than ${budget} bytes from ${bytes.length} (a decompression bomb?)`);
    }
    if (err.code === 'Z_BUF_ERROR') throw unsafe(file, 'truncated: the gzip stream ends early');
    throw unsafe(file, `corrupt gzip data (${err.message})`);
  }
}

/** The tar header checksum (POSIX: the sum of the header bytes with the checksum field as spaces). */
function validHeader(block: Buffer): boolean {
  if (block.length < BLOCK) return false;
  const stored = parseInt(block.subarray(148, 156).toString('latin1').replace(/[\0 ]+$/g, '').trim(), 8);
  if (Number.isNaN(stored)) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum === stored;
}

const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);

/** Parse an uncompressed tar stream. */
export function readTar(data: Buffer, file: string, limits: ArchiveLimits, keep: (path: string) => boolean, archiveBytes: number): Promise<Omit<Archive, 'format'>> {
  if (data.length < BLOCK || !validHeader(data.subarray(0, BLOCK))) {
    throw new CpansecError('PARSE_ERROR', 'not a tar archive (no valid tar header at the start)', { file });
  }
  if (data.length % BLOCK !== 0) throw unsafe(file, `truncated: the tar stream is ${data.length} bytes, not a whole number of ${BLOCK}-byte blocks`);
  if (data.subarray(data.length - BLOCK).some((b) => b !== 0)) throw unsafe(file, 'truncated: the tar stream has no end-of-archive marker');
  const budget = unpackedBudget(archiveBytes, limits);
  const entries: ArchiveEntry[] = [];
  const contents = new Map<string, Buffer>();
  const seen = new Set<string>();
  let totalBytes = 0;
  let failure: CpansecError | undefined;

  return new Promise((resolve, reject) => {
    const parser = new Parser({ strict: true, brotli: false, zstd: false });
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      if (failure) reject(failure);
      else resolve({ file, entries, contents, totalBytes });
    };
    const fail = (err: CpansecError) => {
      failure ??= err;
      settle();
      parser.abort(err);
    };
    parser.on('entry', (entry: ReadEntry) => {
      if (failure) return entry.resume();
      const raw = entry.path;
      const reason = unsafePathReason(raw);
      if (reason) return fail(unsafe(file, `refused entry '${raw}': ${reason}`));
      if (entries.length >= limits.maxEntries) return fail(unsafe(file, `refused: more than ${limits.maxEntries} entries`));
      const path = normalizeEntryPath(raw);
      if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
        return fail(unsafe(file, `refused entry '${raw}': a ${entry.type === 'Link' ? 'hard' : 'symbolic'} link to '${entry.linkpath ?? ''}'`));
      }
      if (entry.type === 'Directory') {
        entries.push({ path, type: 'directory', size: 0, ...(entry.mode !== undefined ? { mode: entry.mode } : {}), ...(entry.mtime ? { mtime: entry.mtime } : {}) });
        return entry.resume();
      }
      if (!FILE_TYPES.has(entry.type)) return fail(unsafe(file, `refused entry '${raw}': unsupported entry type ${entry.type}`));
      if (seen.has(path)) return fail(unsafe(file, `refused entry '${raw}': the archive holds it twice (which copy counts is ambiguous)`));
      seen.add(path);
      totalBytes += entry.size;
      if (totalBytes > budget) return fail(unsafe(file, `refused: files total more than ${budget} bytes`));
      entries.push({ path, type: 'file', size: entry.size, ...(entry.mode !== undefined ? { mode: entry.mode } : {}), ...(entry.mtime ? { mtime: entry.mtime } : {}) });
      if (!keep(path)) return entry.resume();
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => contents.set(path, Buffer.concat(chunks)));
    });
    parser.on('error', (e: Error & { code?: string }) => {
      if (failure) return;
      const msg = e.message.replace(/^TAR_\w+: /, '');
      failure = /truncated/i.test(msg) ? unsafe(file, `truncated: ${msg}`) : new CpansecError('PARSE_ERROR', `corrupt tar archive: ${msg}`, { file });
      settle();
    });
    parser.on('end', settle);
    parser.on('close', settle);
    try {
      parser.end(data);
    } catch (e) {
      failure ??= new CpansecError('PARSE_ERROR', `corrupt tar archive: ${(e as Error).message}`, { file });
      settle();
    }
  });
}
