/**
 * A log entry records one CPAN release: its PAUSE path, SHA-256, upload time and uploader, as four
 * text lines (the leaf data; its RFC 6962 leaf hash goes into the tree):
 *
 *     path ANDK/Acme-Study-Perl-0.0.2.tar.gz
 *     sha256 a08b6797…44a1
 *     time 2009-01-10T00:00:00Z
 *     uploader ANDK
 */
import { CpansecError } from '../../errors.js';

export interface ReleaseEntry {
  /** `AUTHOR/Dist-1.23.tar.gz`, or with a subdirectory: `AUTHOR/sub/Dist-1.23.tar.gz` */
  path: string;
  /** lower-case hex */
  sha256: string;
  /** ISO 8601 UTC, seconds */
  time: string;
  /** PAUSE id of the uploader */
  uploader: string;
}

const AUTHOR = /^[A-Z][A-Z0-9-]{0,31}$/;
const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9._+~@-]{0,199}$/;
export const MAX_PATH = 512;

/** Is this a release path in PAUSE's form (author directory, then a file name; no `..`)? */
export function checkReleasePath(p: string, where = 'path'): string {
  const parts = p.split('/');
  const ok = p.length <= MAX_PATH && parts.length >= 2 && parts.length <= 8 && AUTHOR.test(parts[0]!) && parts.slice(1).every((s) => SEGMENT.test(s) && !s.includes('..'));
  if (!ok) throw new CpansecError('USAGE', `not a PAUSE release path (AUTHOR/Dist-1.23.tar.gz): '${p.slice(0, 80)}'`, { file: where });
  return p;
}

export function checkSha256(h: string, where = 'sha256'): string {
  if (!/^[0-9a-f]{64}$/.test(h)) throw new CpansecError('USAGE', `not a SHA-256 in lower-case hex: '${h.slice(0, 80)}'`, { file: where });
  return h;
}

export function checkUploader(u: string, where = 'uploader'): string {
  if (!AUTHOR.test(u)) throw new CpansecError('USAGE', `not a PAUSE id: '${u.slice(0, 40)}'`, { file: where });
  return u;
}

export function checkTime(t: string, where = 'time'): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(t) || Number.isNaN(Date.parse(t))) throw new CpansecError('USAGE', `not a UTC time (2024-01-31T12:00:00Z): '${t.slice(0, 40)}'`, { file: where });
  return t;
}

export function encodeEntry(e: ReleaseEntry): Buffer {
  return Buffer.from(`path ${e.path}\nsha256 ${e.sha256}\ntime ${e.time}\nuploader ${e.uploader}\n`, 'utf8');
}

/** Parse an entry from the log; INTEGRITY_ERROR (it came from the log, not the user) when malformed. */
export function parseEntry(data: Uint8Array, where: string): ReleaseEntry {
  const text = Buffer.from(data).toString('utf8');
  const m = /^path (\S+)\nsha256 (\S+)\ntime (\S+)\nuploader (\S+)\n$/.exec(text);
  try {
    if (!m) throw new Error('not a release entry');
    const e = { path: checkReleasePath(m[1]!), sha256: checkSha256(m[2]!), time: checkTime(m[3]!), uploader: checkUploader(m[4]!) };
    if (!encodeEntry(e).equals(Buffer.from(data))) throw new Error('not in canonical form');
    return e;
  } catch (err) {
    throw new CpansecError('INTEGRITY_ERROR', `malformed log entry: ${(err as Error).message}`, { file: where });
  }
}
