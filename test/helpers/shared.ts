import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared/ folder (specs and real data) that sits beside the checkout, for tests only. */
export function sharedPath(...parts: string[]): string {
  const base = process.env.CPANSEC_SHARED ?? path.resolve(root, '..', 'shared');
  if (!existsSync(base)) throw new Error(`shared data not found at ${base} (set CPANSEC_SHARED)`);
  return path.join(base, ...parts);
}

/** A path inside the project checkout. */
export function projectPath(...parts: string[]): string {
  return path.join(root, ...parts);
}
