#!/usr/bin/env node
// Bundles the command line into dist/cpansec.js (plus chunks), after `tsc` has built dist/. Loading one
// file instead of some hundred modules (ours, yaml's, commander's) takes ~40 ms off every command,
// which is most of what `cpansec audit` costs over node's own start-up. Only the small pure-JS
// packages every command needs are bundled; the others stay ordinary imports (some must be real files
// on disk: better-sqlite3's addon, pino's workers, optional native plugins of the CycloneDX library).
import { readdirSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

// chunk names change with their content: remove the previous build's
for (const f of readdirSync('dist', { withFileTypes: true })) {
  if (f.isFile() && /^cpansec[.-].*js$/.test(f.name)) rmSync(`dist/${f.name}`);
}

const BUNDLED = new Set(['commander', 'picocolors', 'yaml', 'packageurl-js']);

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
  plugins: [
    {
      name: 'external-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => {
          const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
          return BUNDLED.has(name) ? undefined : { path: args.path, external: true };
        });
      },
    },
  ],
  // CommonJS packages inside an ES module bundle need a require of their own
  banner: { js: "import { createRequire as __cpansecRequire } from 'node:module';\nconst require = __cpansecRequire(import.meta.url);" },
});
