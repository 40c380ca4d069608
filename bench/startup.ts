/** Child process for the start-up figures: load the bundled index, then answer a first query; prints both times in ms. */
import { performance } from 'node:perf_hooks';
import { loadBundledDatabase, VulnerabilityIndex } from '../src/index/index.js';

const t0 = performance.now();
const index = new VulnerabilityIndex(loadBundledDatabase());
const t1 = performance.now();
// the index is read lazily per distribution: the first query pays for its distribution and the module map
index.advisoriesFor(index.distributionOfModule('Mojo::DOM')!, '7.0');
const t2 = performance.now();
process.stdout.write(`${(t1 - t0).toFixed(2)} ${(t2 - t0).toFixed(2)}\n`);
