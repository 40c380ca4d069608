import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A file copied from an upstream project into test/fixtures/upstream (see its README for sources). */
export function upstreamPath(...parts: string[]): string {
  return path.join(root, 'test', 'fixtures', 'upstream', ...parts);
}

/** A path inside the project checkout. */
export function projectPath(...parts: string[]): string {
  return path.join(root, ...parts);
}
