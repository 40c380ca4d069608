/** The files that go with a bundled database, written before it (a table beside a file it does not describe is refused by its size, never read). */
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lineTable } from '../src/index/cpansa-table.js';
import { formatReleaseLines } from '../src/index/cpansa-releases.js';

export function writeDataTables(dir: string, database: Buffer): void {
  const table = lineTable(database);
  if (!table) throw new Error('cpansa.json is not in the one-distribution-a-line layout');
  const dists = (JSON.parse(database.toString('utf8')) as { dists: Record<string, unknown> }).dists;
  const files: [string, string][] = [
    ['cpansa.lines.json', `${JSON.stringify(table)}\n`],
    ['cpansa.releases.json', formatReleaseLines(database.length, dists)],
  ];
  for (const [name, text] of files) writeFileSync(path.join(dir, `${name}.tmp`), text);
  for (const [name] of files) renameSync(path.join(dir, `${name}.tmp`), path.join(dir, name));
}
