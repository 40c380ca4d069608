#!/usr/bin/env node
// Bundles the command line into one file, dist/cpansec.js, after `tsc` has built dist/. Loading one
// file instead of some hundred modules (ours, yaml's, commander's) takes ~40 ms off every command,
// which is most of what `cpansec audit` costs over node's own start-up. Server-side packages stay
// external: they are loaded only by `serve`, and some (better-sqlite3, pino's workers) must be real
// files on disk.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cpansec.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  external: ['better-sqlite3', 'pg', 'pg-native', 'kysely', 'fastify', '@fastify/*', 'pino', 'thread-stream', 'nodemailer', 'playwright-core'],
  // CommonJS packages inside an ES module bundle need a require of their own
  banner: { js: "import { createRequire as __cpansecRequire } from 'node:module';\nconst require = __cpansecRequire(import.meta.url);" },
});
