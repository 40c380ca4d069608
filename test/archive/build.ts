/** Build archives at test time: ustar entries by hand (so hostile names and types are possible). */
import { gzipSync } from 'node:zlib';

export interface TarEntrySpec {
  name: string;
  content?: string | Buffer;
  /** ustar type flag: '0' file, '5' directory, '2' symlink, '1' hard link, '3' char device */
  type?: string;
  linkname?: string;
  /** declared size, when it should differ from the content's */
  size?: number;
}

function field(buf: Buffer, offset: number, length: number, value: string): void {
  buf.write(value.slice(0, length), offset, length, 'latin1');
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

export function tarHeader(e: TarEntrySpec): Buffer {
  const h = Buffer.alloc(512);
  const content = e.content === undefined ? Buffer.alloc(0) : Buffer.from(e.content);
  field(h, 0, 100, e.name);
  field(h, 100, 8, octal(e.type === '5' ? 0o755 : 0o644, 8));
  field(h, 108, 8, octal(0, 8));
  field(h, 116, 8, octal(0, 8));
  field(h, 124, 12, octal(e.size ?? content.length, 12));
  field(h, 136, 12, octal(1_700_000_000, 12));
  field(h, 148, 8, '        ');
  field(h, 156, 1, e.type ?? '0');
  field(h, 157, 100, e.linkname ?? '');
  field(h, 257, 6, 'ustar\0');
  field(h, 263, 2, '00');
  let sum = 0;
  for (const b of h) sum += b;
  field(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

export function tar(entries: TarEntrySpec[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(tarHeader(e));
    const content = e.content === undefined ? Buffer.alloc(0) : Buffer.from(e.content);
    if (content.length) parts.push(content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function tgz(entries: TarEntrySpec[]): Buffer {
  return gzipSync(tar(entries));
}

/** A gzip'ed tar whose one file is `size` zero bytes: tiny on disk, huge unpacked. */
export function gzipBomb(size: number): Buffer {
  const header = tarHeader({ name: 'Bomb-1.0/zeros', size });
  return gzipSync(Buffer.concat([header, Buffer.alloc(size + ((512 - (size % 512)) % 512) + 1024)]), { level: 9 });
}
