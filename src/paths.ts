/**
 * Where the package's own files are. The one module that reads `import.meta.url`: the CLI runs from
 * a one-file bundle (dist/cpansec.js) as well as from dist/ and src/, and this file sits one level
 * below the package root in all three (src/paths.ts, dist/paths.js, dist/cpansec.js), so paths
 * computed here hold everywhere. A test keeps other modules from computing their own.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** data/ of the package: the bundled advisory database, core-module list, schemas. */
export const DATA_DIR = path.join(PACKAGE_ROOT, 'data');
