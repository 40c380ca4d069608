/**
 * Writing what a command produces (--output): to stdout, or through a temporary file or directory
 * and a rename, so a reader never sees a half-written file or tree; an unwritable target is refused
 * before anything is computed.
 */
import { accessSync, chmodSync, constants, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CpansecError } from '../errors.js';
import { writeStdout } from './stdio.js';

function ioError(file: string, e: unknown): CpansecError {
  return new CpansecError('IO_ERROR', `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
}

/**
 * A target that exists and is neither a regular file nor a directory: a device (`-o /dev/null`,
 * `/dev/stdout`), a FIFO or a socket. It is written in place: a rename over it would replace the
 * device itself with a file (as root, `/dev/null` for every program on the machine).
 */
export function isSpecialFile(target: string): boolean {
  try {
    const t = statSync(target);
    return !t.isFile() && !t.isDirectory();
  } catch {
    return false;
  }
}

/** Refuse a target we could not write, before any work: its directory must exist and be writable. */
export function checkWritable(target: string, kind: 'file' | 'directory'): void {
  if (kind === 'file' && isSpecialFile(target)) {
    try {
      accessSync(target, constants.W_OK);
    } catch {
      throw new CpansecError('IO_ERROR', 'cannot write: not writable', { file: target });
    }
    return;
  }
  const parent = path.dirname(path.resolve(target));
  let st;
  try {
    st = statSync(parent);
  } catch {
    throw new CpansecError('IO_ERROR', `cannot write: no such directory ${parent}`, { file: target });
  }
  if (!st.isDirectory()) throw new CpansecError('IO_ERROR', `cannot write: ${parent} is not a directory`, { file: target });
  try {
    accessSync(parent, constants.W_OK);
  } catch {
    throw new CpansecError('IO_ERROR', `cannot write: ${parent} is not writable`, { file: target });
  }
  if (!existsSync(target)) return;
  const t = statSync(target);
  if (kind === 'file' && t.isDirectory()) throw new CpansecError('IO_ERROR', 'cannot write: it is a directory', { file: target });
  if (kind === 'directory') {
    if (!t.isDirectory()) throw new CpansecError('IO_ERROR', 'cannot write: it exists and is not a directory', { file: target });
    // replacing a directory removes it: only an earlier export (JSON files only) may be replaced
    const other = readdirSync(target).find((n) => !n.endsWith('.json'));
    if (other !== undefined) {
      throw new CpansecError('IO_ERROR', `cannot write: the directory holds other files ('${other}'); give a new or empty directory`, { file: target });
    }
  }
}

/** Write a file through a temporary file and a rename (a device or FIFO in place). */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  checkWritable(file, 'file');
  if (isSpecialFile(file)) {
    try {
      writeFileSync(file, data);
    } catch (e) {
      throw ioError(file, e);
    }
    return;
  }
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw ioError(file, e);
  }
}

/** Write a directory of files: built beside the target, then renamed into place whole. */
export function writeTreeAtomic(dir: string, files: Map<string, string | Buffer>): void {
  checkWritable(dir, 'directory');
  const target = path.resolve(dir);
  let tmp: string | undefined;
  try {
    tmp = mkdtempSync(path.join(path.dirname(target), `.${path.basename(target)}.tmp-`));
    chmodSync(tmp, 0o777 & ~process.umask()); // mkdtemp makes it private; the export is not
    for (const [name, data] of files) {
      if (name.includes('/') || name.includes('\\') || name.startsWith('.')) throw new Error(`bad file name ${name}`);
      writeFileSync(path.join(tmp, name), data);
    }
    if (existsSync(target)) {
      const old = `${target}.old-${process.pid}`;
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
  } catch (e) {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    throw ioError(dir, e);
  }
}

/** The output to stdout (no --output, or `-`) or to the file, written atomically. */
export function emit(data: string | Buffer, output?: string): void {
  if (!output || output === '-') {
    writeStdout(data);
    return;
  }
  writeFileAtomic(output, data);
}
