/** The downloadable files of a snapshot, built once per revision (with a gzip copy and a checksum). */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { osvZip, toCpansaJson } from '../../publish/index.js';
import { cached, type Cached } from '../http/cache.js';
import { osvIndexOf } from '../osv/records.js';
import type { Snapshot } from '../snapshot.js';

export interface Download {
  file: Cached;
  gzip?: Cached;
  /** `sha256sum` format: "<hex>  <name>\n" */
  sha256: Cached;
}

function download(name: string, body: Buffer, type: string, compress: boolean): Download {
  const hex = createHash('sha256').update(body).digest('hex');
  return {
    file: cached(body, type),
    ...(compress ? { gzip: cached(gzipSync(body), type) } : {}),
    sha256: cached(`${hex}  ${name}\n`, 'text/plain; charset=utf-8'),
  };
}

export function cpansaDownload(s: Snapshot): Download {
  return s.memo('download:cpansa.json', () =>
    download('cpansa.json', Buffer.from(toCpansaJson(s.index, { meta: { generated_by: 'cpansec serve', revision: s.revision, updated: s.updated } })), 'application/json', true),
  );
}

export function osvZipDownload(s: Snapshot): Promise<Download> {
  return s.memo('download:osv-all.zip', async () => {
    const records = [...osvIndexOf(s).records.values()].map((e) => e.record);
    return download('all.zip', await osvZip(records), 'application/zip', false);
  });
}
