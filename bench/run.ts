/**
 * `npm run bench`: the figures the issues ask for, as one table. Each part runs on its own; a part
 * that fails prints its error in the table instead of hiding the others.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchAgreement, benchAuditDeps, benchBatch, benchStartup } from './index.js';
import type { Row } from './row.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

const parts: [string, () => Promise<Row[]> | Row[]][] = [
  ['startup', benchStartup],
  ['batch', benchBatch],
  ['agreement', benchAgreement],
  ['audit-deps', benchAuditDeps],
];

/** Benchmarks of the other parts, loaded when their module is present. */
for (const [name, file, fn] of [
  ['publish', 'publish.ts', 'benchPublish'],
  ['sbom', 'sbom.ts', 'benchSbom'],
  ['api', 'api.ts', 'benchApi'],
  ['api-query', 'api.ts', 'benchApiQuery'],
  ['disclosure', 'disclosure.ts', 'benchDisclosure'],
  ['provenance-log', 'provenance-log.ts', 'benchProvenanceLog'],
  ['provenance-sign', 'provenance-sign.ts', 'benchProvenanceSign'],
] as const) {
  if (existsSync(path.join(here, file))) {
    parts.push([name, async () => ((await import(`./${file.replace(/\.ts$/, '.js')}`)) as Record<string, () => Promise<Row[]>>)[fn]!()]);
  }
}

function format(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : v.toFixed(2);
}

const rows: (Row & { part: string })[] = [];
for (const [part, fn] of parts) {
  if (only.length && !only.includes(part)) continue;
  try {
    for (const r of await fn()) rows.push({ ...r, part });
  } catch (e) {
    rows.push({ part, name: `FAILED: ${(e as Error).message.split('\n')[0]}`, value: NaN, unit: '' });
  }
  process.stderr.write(`bench: ${part} done\n`);
}

const w = (k: (r: (typeof rows)[number]) => string) => Math.max(...rows.map((r) => k(r).length));
const cols: [string, (r: (typeof rows)[number]) => string][] = [
  ['part', (r) => r.part],
  ['figure', (r) => r.name],
  ['value', (r) => format(r.value)],
  ['unit', (r) => r.unit],
  ['target', (r) => r.target ?? ''],
];
const widths = cols.map(([h, k]) => Math.max(h.length, w(k)));
const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
console.log(line(cols.map(([h]) => h)));
console.log(`|${widths.map((n) => '-'.repeat(n + 2)).join('|')}|`);
for (const r of rows) console.log(line(cols.map(([, k]) => k(r))));
