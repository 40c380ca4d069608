/** Read an archive file or buffer, whatever its format (told by its first bytes, not its name). */
import { readFileSync, statSync } from 'node:fs';
import { CpansecError } from '../errors.js';
import type { Archive, ReadOptions } from './archive.js';
import { DEFAULT_LIMITS, type ArchiveLimits } from './limits.js';
import { readTar, readTarGz } from './tar.js';
import { readZip } from './zip.js';

const startsWith = (b: Buffer, magic: number[]) => magic.every((m, i) => b[i] === m);

export async function readArchiveBuffer(bytes: Buffer, file: string, options: ReadOptions = {}): Promise<Archive> {
  const limits: ArchiveLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const keep = options.keep ?? (() => true);
  if (bytes.length > limits.maxArchiveBytes) throw new CpansecError('UNSAFE_ARCHIVE', `refused: larger than ${limits.maxArchiveBytes} bytes`, { file });
  if (startsWith(bytes, [0x1f, 0x8b])) {
    return { ...(await readTarGz(bytes, file, limits, keep)), format: 'tar.gz' };
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06])) {
    return { ...(await readZip(bytes, file, limits, keep)), format: 'zip' };
  }
  if (startsWith(bytes, [0x42, 0x5a, 0x68])) {
    throw new CpansecError('PARSE_ERROR', 'bzip2-compressed archives are not supported (unpack it and give the directory)', { file });
  }
  if (bytes.length >= 512 && bytes.subarray(257, 262).toString('latin1') === 'ustar') {
    return { ...(await readTar(bytes, file, limits, keep, bytes.length)), format: 'tar' };
  }
  if (bytes.length === 0) throw new CpansecError('PARSE_ERROR', 'not an archive: the file is empty', { file });
  throw new CpansecError('PARSE_ERROR', 'not an archive cpansec can read (.tar.gz, .tgz, .tar or .zip)', { file });
}

export async function readArchive(file: string, options: ReadOptions = {}): Promise<Archive> {
  return readArchiveBuffer(readArchiveBytes(file, options.limits), file, options);
}

/** The archive file's bytes, refusing what is not a regular file or is too large to be a distribution. */
export function readArchiveBytes(file: string, limits: Partial<ArchiveLimits> = {}): Buffer {
  const max = limits.maxArchiveBytes ?? DEFAULT_LIMITS.maxArchiveBytes;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CpansecError('USAGE', 'not a file', { file });
    if (st.size > max) throw new CpansecError('UNSAFE_ARCHIVE', `refused: larger than ${max} bytes`, { file });
    return readFileSync(file);
  } catch (e) {
    if (e instanceof CpansecError) throw e;
    throw new CpansecError('IO_ERROR', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
}
