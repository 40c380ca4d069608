/**
 * Runs `cpansec audit` from dist/cpansec-audit.cjs, compiled with the V8 code cache written beside
 * it at build time (scripts/build-cli.js). Node 20 has no compile cache for ES modules; a script
 * compiled through vm.Script can take V8's cached data, and then skips parsing and compiling the
 * code the audit runs (a sixth of its instructions). V8 refuses a cache made by another node or
 * with other flags: the bundle is then compiled as usual, nothing else changes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const BUNDLE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cpansec-audit.cjs');
export const CODE_CACHE = `${BUNDLE}.cache`;

/** The audit bundle's main, or undefined when it is not built (a checkout before `npm run build`). */
export function auditMain() {
  if (!existsSync(BUNDLE)) return undefined;
  let cachedData;
  try {
    cachedData = readFileSync(CODE_CACHE);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), {
    filename: BUNDLE,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  return { main: module.exports.main, writeCache: () => writeFileSync(CODE_CACHE, script.createCachedData()) };
}
