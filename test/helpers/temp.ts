/**
 * A temporary directory for a test file, removed when the file's tests are over, passed or failed
 * (a `node:test` root `after` hook). Call it at the top level of the file or in a `describe`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

export function tempDir(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `cpansec-${name}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
