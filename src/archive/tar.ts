/**
 * Tar and gzip'ed tar archives, read in memory. The gzip layer is unpacked by node's zlib as a
 * stream, chunk by chunk, straight into the tar parser (`tar`, isaacs, with its own decompression
 * off): nothing but the files the caller keeps is held in memory, each entry's declared size is
 * checked against the budget before its content is inflated, and the inflated stream is cut off at
 * the budget — a bomb costs a few chunks, not the size it claims. Links, devices and unsafe names
 * are refused, never followed.
 */
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { CpansecError } from '../errors.js';
import type { Archive, ArchiveEntry } from './archive.js';
import { normalizeEntryPath, unsafePathReason } from './entry-path.js';
import { unpackedBudget, type ArchiveLimits } from './limits.js';

const BLOCK = 512;

function unsafe(file: string, why: string): CpansecError {
  return new CpansecError('UNSAFE_ARCHIVE', why, { file });
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

type TarResult = Omit<Archive, 'format'>;

/** A tar stream fed chunk by chunk; `done` settles with the archive or the first failure. */
class TarReader {
  readonly done: Promise<TarResult>;
  failure: CpansecError | undefined;
  private readonly parser = new Parser({ strict: true, brotli: false, zstd: false });
  private readonly entries: ArchiveEntry[] = [];
  private readonly contents = new Map<string, Buffer>();
  private readonly seen = new Set<string>();
  private totalBytes = 0;
  private streamBytes = 0;
  private head: Buffer[] | undefined = [];
  private headBytes = 0;
  private tail = Buffer.alloc(0);
  private settled = false;
  private resolve!: (r: TarResult) => void;
  private reject!: (e: CpansecError) => void;

  constructor(
    private readonly file: string,
    private readonly limits: ArchiveLimits,
    private readonly keep: (path: string) => boolean,
    private readonly budget: number,
    private readonly archiveBytes: number,
  ) {
    this.done = new Promise((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    // a failure is also reported through whoever feeds the reader; this keeps it from being unhandled
    this.done.catch(() => undefined);
    this.parser.on('entry', (e: ReadEntry) => this.entry(e));
    this.parser.on('error', (e: Error) => {
      if (this.failure) return;
      const msg = e.message.replace(/^TAR_\w+: /, '');
      this.fail(/truncated/i.test(msg) ? unsafe(file, `truncated: ${msg}`) : new CpansecError('PARSE_ERROR', `corrupt tar archive: ${msg}`, { file }));
    });
    this.parser.on('end', () => this.settle());
    this.parser.on('close', () => this.settle());
  }

  fail(err: CpansecError): void {
    this.failure ??= err;
    this.settle();
    this.parser.abort(err);
  }

  private settle(): void {
    if (this.settled) return;
    this.settled = true;
    if (this.failure) this.reject(this.failure);
    else this.resolve({ file: this.file, entries: this.entries, contents: this.contents, totalBytes: this.totalBytes });
  }

  write(chunk: Buffer): void {
    if (this.failure) return;
    this.streamBytes += chunk.length;
    this.tail = this.tail.length + chunk.length <= BLOCK ? Buffer.concat([this.tail, chunk]) : Buffer.concat([this.tail, chunk]).subarray(-BLOCK);
    if (this.head) {
      // the first block must be a valid header before the parser sees anything
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < BLOCK) return;
      const first = Buffer.concat(this.head);
      this.head = undefined;
      if (!validHeader(first.subarray(0, BLOCK))) return this.fail(new CpansecError('PARSE_ERROR', 'not a tar archive (no valid tar header at the start)', { file: this.file }));
      chunk = first;
    }
    try {
      this.parser.write(chunk);
    } catch (e) {
      this.fail(new CpansecError('PARSE_ERROR', `corrupt tar archive: ${(e as Error).message}`, { file: this.file }));
    }
  }

  end(): Promise<TarResult> {
    if (!this.failure) {
      if (this.head) this.fail(new CpansecError('PARSE_ERROR', 'not a tar archive (no valid tar header at the start)', { file: this.file }));
      else if (this.streamBytes % BLOCK !== 0) this.fail(unsafe(this.file, `truncated: the tar stream is ${this.streamBytes} bytes, not a whole number of ${BLOCK}-byte blocks`));
      else if (this.tail.some((b) => b !== 0)) this.fail(unsafe(this.file, 'truncated: the tar stream has no end-of-archive marker'));
      else {
        try {
          this.parser.end();
        } catch (e) {
          this.fail(new CpansecError('PARSE_ERROR', `corrupt tar archive: ${(e as Error).message}`, { file: this.file }));
        }
      }
    }
    return this.done;
  }

  private entry(entry: ReadEntry): void {
    const { file, limits } = this;
    if (this.failure) return void entry.resume();
    const raw = entry.path;
    const reason = unsafePathReason(raw);
    if (reason) return this.fail(unsafe(file, `refused entry '${raw}': ${reason}`));
    if (this.entries.length >= limits.maxEntries) return this.fail(unsafe(file, `refused: more than ${limits.maxEntries} entries`));
    const path = normalizeEntryPath(raw);
    if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
      return this.fail(unsafe(file, `refused entry '${raw}': a ${entry.type === 'Link' ? 'hard' : 'symbolic'} link to '${entry.linkpath ?? ''}'`));
    }
    const meta = { ...(entry.mode !== undefined ? { mode: entry.mode } : {}), ...(entry.mtime ? { mtime: entry.mtime } : {}) };
    if (entry.type === 'Directory') {
      this.entries.push({ path, type: 'directory', size: 0, ...meta });
      return void entry.resume();
    }
    if (!FILE_TYPES.has(entry.type)) return this.fail(unsafe(file, `refused entry '${raw}': unsupported entry type ${entry.type}`));
    if (this.seen.has(path)) return this.fail(unsafe(file, `refused entry '${raw}': the archive holds it twice (which copy counts is ambiguous)`));
    this.seen.add(path);
    // the declared size, before a byte of the content is inflated
    this.totalBytes += entry.size;
    if (this.totalBytes > this.budget) return this.fail(unsafe(file, `refused: unpacks to more than ${this.budget} bytes from ${this.archiveBytes} (a decompression bomb?)`));
    this.entries.push({ path, type: 'file', size: entry.size, ...meta });
    if (!this.keep(path)) return void entry.resume();
    if (entry.size > limits.maxKeptFileBytes) return this.fail(unsafe(file, `refused entry '${raw}': ${entry.size} bytes, more than the ${limits.maxKeptFileBytes} allowed for it`));
    const chunks: Buffer[] = [];
    entry.on('data', (c: Buffer) => chunks.push(c));
    entry.on('end', () => this.contents.set(path, Buffer.concat(chunks)));
  }
}

/** Parse an uncompressed tar archive held in memory. */
export function readTar(data: Buffer, file: string, limits: ArchiveLimits, keep: (path: string) => boolean, archiveBytes: number): Promise<TarResult> {
  const reader = new TarReader(file, limits, keep, unpackedBudget(archiveBytes, limits), archiveBytes);
  for (let i = 0; i < data.length && !reader.failure; i += 64 * 1024) reader.write(data.subarray(i, i + 64 * 1024));
  return reader.end();
}

/** Inflate a gzip'ed tar archive into the tar parser, refusing to inflate more than the budget. */
export function readTarGz(bytes: Buffer, file: string, limits: ArchiveLimits, keep: (path: string) => boolean): Promise<TarResult> {
  const budget = unpackedBudget(bytes.length, limits);
  const reader = new TarReader(file, limits, keep, budget, bytes.length);
  const gunzip = createGunzip();
  let inflated = 0;
  return new Promise<TarResult>((resolve, reject) => {
    let finished = false;
    const stop = (err: CpansecError) => {
      if (finished) return;
      finished = true;
      reader.fail(err);
      gunzip.destroy();
      reject(err);
    };
    gunzip.on('data', (chunk: Buffer) => {
      if (finished) return;
      inflated += chunk.length;
      if (inflated > budget) return stop(unsafe(file, `refused: unpacks to more than ${budget} bytes from ${bytes.length} (a decompression bomb?)`));
      reader.write(chunk);
      if (reader.failure) stop(reader.failure);
    });
    gunzip.on('error', (e: NodeJS.ErrnoException) => {
      stop(e.code === 'Z_BUF_ERROR' ? unsafe(file, 'truncated: the gzip stream ends early') : unsafe(file, `corrupt gzip data (${e.message})`));
    });
    gunzip.on('end', () => {
      if (finished) return;
      finished = true;
      reader.end().then(resolve, reject);
    });
    gunzip.end(bytes);
  });
}
