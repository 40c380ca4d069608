/**
 * Rewrites the files that go with data/cpansa.json from it: its line table (cpansa.lines.json) and
 * each distribution's sorted release versions (cpansa.releases.json). scripts/bundle-data.ts writes
 * them with the database; this is for a database changed otherwise.
 *
 *   npm run data:tables
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDataTables } from './data-tables-write.js';

const data = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'data');
writeDataTables(data, readFileSync(path.join(data, 'cpansa.json')));
console.log(`wrote ${path.join(data, 'cpansa.lines.json')} and ${path.join(data, 'cpansa.releases.json')}`);
