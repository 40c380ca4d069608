/**
 * Figures of publication (issue 3, exports): the whole database as OSV records and as one zip, as
 * CVE JSON 5 CNA containers, and how many of each are valid against the (patched) official schemas.
 * Each timing is the median of 5 runs on a fresh index (no cached compilation carried over).
 */
import { performance } from 'node:perf_hooks';
import { loadBundledDatabase, VulnerabilityIndex } from '../src/index/index.js';
import {
  cnaContainerOfGroup,
  cveIdsOf,
  cveRecordOf,
  databaseModified,
  osvGroups,
  osvRecords,
  osvZip,
  toAtom,
  validateCnaContainer,
  validateCveRecord,
  validateOsv,
} from '../src/publish/index.js';
import type { Row } from './row.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed<T>(fn: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const runs: number[] = [];
  let value!: T;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    value = await fn();
    runs.push(performance.now() - t0);
  }
  return { ms: median(runs), value };
}

export async function benchPublish(): Promise<Row[]> {
  const fresh = () => new VulnerabilityIndex(loadBundledDatabase());
  const osv = await timed(() => osvRecords(fresh()));
  const zip = await timed(async () => osvZip(osvRecords(fresh())));
  const cve = await timed(() => {
    const index = fresh();
    const out: { container: Record<string, unknown>; cves: string[] }[] = [];
    for (const g of osvGroups(index.allAdvisories())) {
      try {
        out.push({ container: cnaContainerOfGroup(g, index), cves: cveIdsOf(g) });
      } catch {
        // counted below as not buildable
      }
    }
    return out;
  });
  const atom = await timed(() => {
    const index = fresh();
    return toAtom(index.allAdvisories(), { baseUrl: 'https://cpansec.example', title: 'CPAN advisories', modified: databaseModified(index) });
  });
  const records = osv.value;
  const t0 = performance.now();
  const validOsv = records.filter((r) => validateOsv(r).length === 0).length;
  const validateMs = performance.now() - t0;
  const validContainers = cve.value.filter((c) => validateCnaContainer(c.container).length === 0).length;
  const fullRecords = cve.value.flatMap((c) => c.cves.map((id) => cveRecordOf(c.container, id)));
  const validRecords = fullRecords.filter((r) => validateCveRecord(r).length === 0).length;
  return [
    { name: 'OSV: all records (2,061 entries -> records)', value: osv.ms, unit: 'ms' },
    { name: 'OSV: all records + all.zip', value: zip.ms, unit: 'ms' },
    { name: 'OSV: all.zip size', value: Math.round(zip.value.length / 1024), unit: 'KiB' },
    { name: 'OSV: records', value: records.length, unit: 'records' },
    { name: 'OSV: valid (official 1.7.5 + CPAN patch)', value: validOsv, unit: 'records', target: `= ${records.length}` },
    { name: 'OSV: schema validation of all records', value: validateMs, unit: 'ms' },
    { name: 'CVE: all CNA containers', value: cve.ms, unit: 'ms' },
    { name: 'CVE: containers built / valid (5.1.1 + packageURL patch)', value: validContainers, unit: `of ${cve.value.length}`, target: `= ${cve.value.length}` },
    { name: 'CVE: records per CVE id / valid', value: validRecords, unit: `of ${fullRecords.length}`, target: `= ${fullRecords.length}` },
    { name: 'CVE: advisories that cannot be a record', value: records.length - cve.value.length, unit: 'records' },
    { name: 'Atom feed of all advisories', value: atom.ms, unit: 'ms' },
  ];
}
