#!/usr/bin/env node
// CommonJS (bin/package.json): an audit then runs CommonJS from start to end (its bundle), without
// node's ES module loader (measured: 20 M instructions, 3% of `audit dist`); the other commands
// are ES modules, imported below.
'use strict';

const argv = process.argv.slice(2);
const first = argv.find((a) => !a.startsWith('-'));
let main;
if (first === 'audit' && !argv.includes('--batch')) {
  // as main() would, but before the bundle is compiled: V8's code cache is valid for these flags only
  require('node:v8').setFlagsFromString('--no-opt');
  main = require('./audit-bundle.js').auditMain()?.main;
}
(main ? Promise.resolve(main) : import('../dist/cpansec.js').then((m) => m.main))
  .then((run) => run(argv))
  .then((code) => {
    process.exitCode = code;
  });
