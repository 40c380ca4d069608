/**
 * Reading an input file (`-`: standard input) with a size cap. Inputs are hostile: one too large,
 * or unreadable, is a one-line CpansecError naming the file, never a stack trace. A leaf like
 * errors.ts, shared by the parts that read what a user names.
 */
import { readFileSync, statSync } from 'node:fs';
import { CpansecError } from './errors.js';

export function readInputBytes(file: string, maxBytes: number): Buffer {
  try {
    if (file !== '-' && statSync(file).size > maxBytes) throw new CpansecError('IO_ERROR', `larger than ${maxBytes} bytes`, { file });
    const bytes = readFileSync(file === '-' ? 0 : file);
    if (bytes.length > maxBytes) throw new CpansecError('IO_ERROR', `larger than ${maxBytes} bytes`, { file });
    return bytes;
  } catch (e) {
    if (e instanceof CpansecError) throw e;
    throw new CpansecError('IO_ERROR', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
}

export function readInputText(file: string, maxBytes: number): string {
  return readInputBytes(file, maxBytes).toString('utf8');
}
