/**
 * Runs `cpansec audit` from dist/cpansec-audit.cjs, compiled with the V8 code cache written beside
 * it at build time (scripts/build-cli.js). Node 20 has no compile cache for ES modules; a script
 * compiled through vm.Script can take V8's cached data, and then skips parsing and compiling the
 * code the audit runs (a sixth of its instructions). V8 refuses a cache made by another node or
 * with other flags: the bundle is then compiled as usual, nothing else changes.
 */
'use strict';
const { existsSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const BUNDLE = path.join(__dirname, '..', 'dist', 'cpansec-audit.cjs');

/**
 * V8's flags for a one-shot audit, set before the bundle is compiled: its code cache is valid for
 * these flags only (the build trains it with them). The same as AUDIT_V8_FLAGS of src/cli/program.ts.
 */
const V8_FLAGS = '--no-opt --no-parallel-scavenge';

/**
 * Set V8_FLAGS. Through node's v8 binding when it is there: the public node:v8 loads node's whole
 * stream library (for heap snapshots), and a builtin loaded after the flags change cannot use node's
 * own code cache (measured: 10% of an audit of a lock). process.binding('v8') is deprecated, so
 * the warning is silenced for that one call; without it, node:v8.
 */
function setV8Flags() {
  const quiet = process.noDeprecation;
  try {
    process.noDeprecation = true;
    const binding = process.binding('v8');
    if (typeof binding.setFlagsFromString === 'function') {
      binding.setFlagsFromString(V8_FLAGS);
      return;
    }
  } catch {
    /* not in this node: the public module */
  } finally {
    process.noDeprecation = quiet;
  }
  require('node:v8').setFlagsFromString(V8_FLAGS);
}
const CODE_CACHE = `${BUNDLE}.cache`;

/**
 * The code cache, unless the bundle is newer (edited or rebuilt without it). V8 checks a cache
 * against the source's length only: a cache of another bundle of the same length would run that
 * bundle's code. The build writes the cache after the bundle; npm gives packed files one time.
 */
function usableCache(bundle, cache) {
  try {
    const c = statSync(cache);
    return c.mtimeMs >= statSync(bundle).mtimeMs ? readFileSync(cache) : undefined;
  } catch {
    return undefined;
  }
}

/** The audit bundle's main (and whether stdout and stderr are flushed), or undefined when it is not built (a checkout before `npm run build`). */
function auditMain() {
  if (!existsSync(BUNDLE)) return undefined;
  const cachedData = usableCache(BUNDLE, CODE_CACHE);
  // the build makes it ASCII or fails (scripts/build-cli.js): read as latin1, no UTF-8 decoding
  // the build wrote it wrapped as a CommonJS module (Module.wrap): compiled as it is
  const script = new vm.Script(readFileSync(BUNDLE, 'latin1'), {
    filename: BUNDLE,
    ...(cachedData ? { cachedData } : {}),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, Module.createRequire(BUNDLE), module, BUNDLE, path.dirname(BUNDLE));
  return { main: module.exports.main, stdioFlushed: module.exports.stdioFlushed, writeCache: () => writeFileSync(CODE_CACHE, script.createCachedData()) };
}

exports.CODE_CACHE = CODE_CACHE;
exports.V8_FLAGS = V8_FLAGS;
exports.auditMain = auditMain;
exports.setV8Flags = setV8Flags;
exports.usableCache = usableCache;
