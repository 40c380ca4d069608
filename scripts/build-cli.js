#!/usr/bin/env node
// Bundles the command line into dist/cpansec.js (plus chunks), after `tsc` has built dist/. Loading one
// file instead of some hundred modules (ours, yaml's, commander's) takes ~40 ms off every command,
// which is most of what `cpansec audit` costs over node's own start-up. Only the small pure-JS
// packages every command needs are bundled; the others stay ordinary imports (some must be real files
// on disk: better-sqlite3's addon, pino's workers, optional native plugins of the CycloneDX library).
import { execFileSync } from 'node:child_process';
import { isAscii } from 'node:buffer';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// chunk names change with their content: remove the previous build's
for (const f of readdirSync('dist', { withFileTypes: true })) {
  if (f.isFile() && /^cpansec[.-].*js$/.test(f.name)) rmSync(`dist/${f.name}`);
}

const BUNDLED = new Set(['commander', 'picocolors', 'yaml', 'packageurl-js']);

const externalPackages = (bundled) => ({
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return bundled.has(name) ? undefined : { path: args.path, external: true };
    });
  },
});

await build({
  entryPoints: { cpansec: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  // chunks beside the entry: src/paths.ts, wherever it lands, must sit one level below the root
  chunkNames: 'cpansec-[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  plugins: [externalPackages(BUNDLED)],
  // CommonJS packages inside an ES module bundle need a require of their own
  banner: { js: "import { createRequire as __cpansecRequire } from 'node:module';\nconst require = __cpansecRequire(import.meta.url);" },
});

// `cpansec audit` as one CommonJS file, run by bin/audit-bundle.js through vm.Script with V8's code
// cache: Node 20 caches no compiled ES module code, and compiling was a sixth of an audit
// child_process (with net, dgram and their bindings) is loaded when first used: commander requires it
// for subcommands that are programs (cpansec has none) and the audit runs perl only when no versioned
// link names the perl on PATH. The bundle's calls read its members at call time.
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.namespace === 'lazy' ? { path: 'node:child_process', external: true } : { path: 'child_process', namespace: 'lazy' },
    );
    // its functions, each loading the module on call (a Proxy would not do: esbuild's interop copies
    // a module's own properties when it is imported)
    const names = ['exec', 'execFile', 'execFileSync', 'execSync', 'fork', 'spawn', 'spawnSync'];
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: `let m; const cp = () => (m ??= require('node:child_process'));\nmodule.exports = { ${names.map((n) => `${n}: (...a) => cp().${n}(...a)`).join(', ')} };`,
      loader: 'js',
    }));
  },
};

await build({
  entryPoints: ['src/cli/main-audit.ts'],
  outfile: 'dist/cpansec-audit.cjs',
  bundle: true,
  minifyWhitespace: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  // yaml and packageurl-js stay in, started on first use (src/perl/lazy-libs.ts): left out, the
  // bundle is 300 KB smaller but the audit measured 50 M instructions more (its heap grows otherwise)
  plugins: [lazyChildProcess, externalPackages(BUNDLED)],
  // src/paths.ts finds the package from import.meta.url: in CommonJS, the file's own URL
  define: { 'import.meta.url': '__cpansecUrl' },
  // written as the function node's loader would wrap it in (Module.wrap): bin/audit-bundle.js
  // compiles the file's text as it is, without a copy of 300 KB joined to a wrapper
  // strict, as the ES modules it is built from (esbuild's own "use strict" comes after the banner)
  banner: { js: "(function (exports, require, module, __filename, __dirname) { 'use strict'; const __cpansecUrl = require('node:url').pathToFileURL(__filename).href;" },
  footer: { js: '\n});' },
});

// read as latin1 by bin/audit-bundle.js: esbuild escapes non-ASCII text, but not inside a regular
// expression literal (write those as \u escapes)
if (!isAscii(readFileSync('dist/cpansec-audit.cjs'))) {
  rmSync('dist/cpansec-audit.cjs');
  throw new Error('build-cli: dist/cpansec-audit.cjs is not ASCII (a regular expression with a non-ASCII character? write it as \\u escapes)');
}

// The cache holds what a run compiled: train it on the audits users run (one distribution, a lock)
rmSync('dist/cpansec-audit.cjs.cache', { force: true });
const lock = 'test/fixtures/snapshots/metacpan-api.cpanfile.snapshot';
const training = `
  const { auditMain, setV8Flags } = await import('./bin/audit-bundle.js');
  setV8Flags();
  const audit = auditMain();
  await audit.main(['audit', 'dist', 'DBI', '1.643', '-o', '/dev/null']);
  ${existsSync(lock) ? `await audit.main(['audit', 'deps', '${lock}', '--format', 'json', '-o', '/dev/null']);` : ''}
  audit.writeCache();
`;
execFileSync(process.execPath, ['--input-type=module', '-e', training], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NODE_EXTRA_CA_CERTS: '' } });
