/**
 * Zip archives, read in memory with yauzl. The sizes in the central directory are checked against
 * the limits before anything is inflated, and yauzl checks that each entry inflates to exactly its
 * declared size, so a zip bomb (or overlapping entries) is refused without unpacking it.
 */
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { CpansecError } from '../errors.js';
import type { Archive, ArchiveEntry } from './archive.js';
import { normalizeEntryPath, unsafePathReason } from './entry-path.js';
import { unpackedBudget, type ArchiveLimits } from './limits.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;

function unsafe(file: string, why: string): CpansecError {
  return new CpansecError('UNSAFE_ARCHIVE', why, { file });
}

function open(bytes: Buffer, file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    // decodeStrings off: names are checked here, so a hostile name is named in the error
    yauzl.fromBuffer(bytes, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, zip) => {
      if (err || !zip) reject(new CpansecError('PARSE_ERROR', `not a readable zip archive: ${err?.message ?? 'unknown error'}`, { file }));
      else resolve(zip);
    });
  });
}

function readEntry(zip: ZipFile, entry: Entry, file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err || !stream) return reject(unsafe(file, `cannot read entry: ${err?.message ?? 'unknown error'}`));
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (e: Error) => reject(unsafe(file, `corrupt entry: ${e.message}`)));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

export async function readZip(bytes: Buffer, file: string, limits: ArchiveLimits, keep: (path: string) => boolean): Promise<Omit<Archive, 'format'>> {
  const zip = await open(bytes, file);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw unsafe(file, `refused: ${zip.entryCount} entries, more than ${limits.maxEntries}`);
  }
  const budget = unpackedBudget(bytes.length, limits);
  const entries: ArchiveEntry[] = [];
  const contents = new Map<string, Buffer>();
  const seen = new Set<string>();
  let totalBytes = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: Error) => reject(new CpansecError('PARSE_ERROR', `corrupt zip archive: ${e.message}`, { file })));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        void (async () => {
          const raw = Buffer.isBuffer(entry.fileName) ? (entry.fileName as Buffer).toString('utf8') : String(entry.fileName);
          const reason = unsafePathReason(raw);
          if (reason) throw unsafe(file, `refused entry '${raw}': ${reason}`);
          const path = normalizeEntryPath(raw);
          const unixMode = (entry.externalFileAttributes >>> 16) & 0xffff;
          const kind = unixMode & S_IFMT;
          if (kind === S_IFLNK) throw unsafe(file, `refused entry '${raw}': a symbolic link`);
          const isDir = raw.endsWith('/') || kind === S_IFDIR;
          if (!isDir && kind !== 0 && kind !== S_IFREG) throw unsafe(file, `refused entry '${raw}': not a regular file`);
          if (isDir) {
            entries.push({ path, type: 'directory', size: 0, mtime: entry.getLastModDate() });
          } else {
            if (seen.has(path)) throw unsafe(file, `refused entry '${raw}': the archive holds it twice (which copy counts is ambiguous)`);
            seen.add(path);
            totalBytes += entry.uncompressedSize;
            if (totalBytes > budget) throw unsafe(file, `refused: files total more than ${budget} bytes (a decompression bomb?)`);
            entries.push({ path, type: 'file', size: entry.uncompressedSize, ...(kind ? { mode: unixMode & 0o7777 } : {}), mtime: entry.getLastModDate() });
            if (keep(path) && entry.uncompressedSize > limits.maxKeptFileBytes) throw unsafe(file, `refused entry '${raw}': ${entry.uncompressedSize} bytes, more than the ${limits.maxKeptFileBytes} allowed for it`);
            if (keep(path)) contents.set(path, await readEntry(zip, entry, file));
          }
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return { file, entries, contents, totalBytes };
}
