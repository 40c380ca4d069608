/**
 * The whole set of OSV records as one zip, one `<id>.json` per record at the top level, as osv.dev
 * publishes an ecosystem's `all.zip`. Entries are sorted and stamped with the record's `modified`
 * time, so the same records give the same archive. Reading one back (yauzl) is guarded: a hostile
 * zip can claim any size or name.
 */
import yauzl from 'yauzl';
import yazl from 'yazl';
import { CpansecError } from '../../errors.js';
import type { OsvRecord } from './types.js';

/** An OSV id as a file name: ids are `[A-Za-z0-9._-]` in practice; anything else is refused. */
function entryName(id: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(id)) throw new CpansecError('USAGE', `OSV id '${id}' cannot be a file name`);
  return `${id}.json`;
}

export function osvRecordJson(record: OsvRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

export function osvZip(records: OsvRecord[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const seen = new Set<string>();
  for (const record of [...records].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const name = entryName(record.id);
    if (seen.has(name)) throw new CpansecError('CONFLICT', `two OSV records with the id ${record.id}`);
    seen.add(name);
    zip.addBuffer(Buffer.from(osvRecordJson(record)), name, { mtime: new Date(record.modified), mode: 0o100644 });
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

export interface ZipLimits {
  maxEntries?: number;
  maxEntryBytes?: number;
  maxTotalBytes?: number;
}

/** The `*.json` entries of a zip, by name. Nested paths, oversize entries and bombs are refused. */
export function readJsonZip(buffer: Buffer, file: string, limits: ZipLimits = {}): Promise<Map<string, string>> {
  const { maxEntries = 100_000, maxEntryBytes = 16 * 1024 * 1024, maxTotalBytes = 512 * 1024 * 1024 } = limits;
  const fail = (message: string) => new CpansecError('UNSAFE_ARCHIVE', message, { file });
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (err, zip) => {
      if (err || !zip) return reject(new CpansecError('PARSE_ERROR', `not a zip file: ${err?.message ?? 'unreadable'}`, { file }));
      const out = new Map<string, string>();
      let total = 0;
      const stop = (e: Error) => {
        zip.close();
        reject(e);
      };
      zip.on('error', (e: Error) => stop(new CpansecError('PARSE_ERROR', `bad zip: ${e.message}`, { file })));
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (out.size >= maxEntries) return stop(fail(`more than ${maxEntries} entries`));
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        if (entry.fileName.includes('/') || entry.fileName.includes('\\') || entry.fileName.startsWith('.')) {
          return stop(fail(`entry '${entry.fileName}' is not a plain file name`));
        }
        if (!entry.fileName.endsWith('.json')) return zip.readEntry();
        if (entry.uncompressedSize > maxEntryBytes) return stop(fail(`entry '${entry.fileName}' is larger than ${maxEntryBytes} bytes`));
        total += entry.uncompressedSize;
        if (total > maxTotalBytes) return stop(fail(`entries larger than ${maxTotalBytes} bytes in all`));
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return stop(new CpansecError('PARSE_ERROR', `cannot read '${entry.fileName}': ${e?.message}`, { file }));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se: Error) => stop(new CpansecError('PARSE_ERROR', `cannot read '${entry.fileName}': ${se.message}`, { file })));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
