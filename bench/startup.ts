/** Child process for the start-up figure: load the bundled index and print the milliseconds it took. */
import { performance } from 'node:perf_hooks';
import { loadBundledDatabase, VulnerabilityIndex } from '../src/index/index.js';

const t0 = performance.now();
const index = new VulnerabilityIndex(loadBundledDatabase());
const t1 = performance.now();
index.advisoriesFor('Mojolicious', '7.0');
process.stdout.write(`${(t1 - t0).toFixed(2)}\n`);
