#!/usr/bin/env node
import v8 from 'node:v8';

const argv = process.argv.slice(2);
const first = argv.find((a) => !a.startsWith('-'));
let main;
if (first === 'audit' && !argv.includes('--batch')) {
  // as main() would, but before the bundle is compiled: V8's code cache is valid for these flags only
  v8.setFlagsFromString('--no-opt');
  main = (await import('./audit-bundle.js')).auditMain()?.main;
}
main ??= (await import('../dist/cpansec.js')).main;
process.exitCode = await main(argv);
