#!/usr/bin/env node
// CommonJS (bin/package.json): an audit then runs CommonJS from start to end (its bundle), without
// node's ES module loader (measured: 20 M instructions, 3% of `audit dist`); the other commands
// are ES modules, imported below.
'use strict';

const argv = process.argv.slice(2);
const first = argv.find((a) => !a.startsWith('-'));
let main;
let flushed;
const audit = first === 'audit' && !argv.includes('--batch');
if (audit) {
  // as main() would, but before the bundle is compiled: V8's code cache is valid for these flags only
  const bundle = require('./audit-bundle.js');
  bundle.setV8Flags();
  const built = bundle.auditMain();
  main = built?.main;
  flushed = built?.stdioFlushed;
}
(main ? Promise.resolve(main) : import('../dist/cpansec.js').then((m) => m.main))
  .then((run) => run(argv))
  .then((code) => {
    process.exitCode = code;
    // an audit has nothing left to do once its report is written: exiting now spares the garbage
    // collection V8 schedules for the idle loop (measured: 5-10% of an audit of a lock). Only when
    // nothing is still buffered for stdout or stderr (pipes are asynchronous on some systems); asked
    // of the bundle, which knows whether they were made at all (making them costs a stream library)
    if (flushed?.()) process.exit();
  });
