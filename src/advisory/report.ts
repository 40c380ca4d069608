/**
 * The advisory file format: a CPANSA report (`cpansa_version: 2`), one YAML file per distribution,
 * as the CPAN Security Advisory database keeps them. Read with every scalar as a string so that
 * versions keep their spelling (`1.10` is not `1.1`), and with line numbers for the linter.
 */
import type { Scalar } from 'yaml';
import { CpansecError } from '../errors.js';
import { readYaml, yaml } from '../perl/index.js';
import type { Advisory } from './advisory.js';
import { fromCpansaRecord, toCpansaRecord } from './record.js';

export interface AdvisoryReport {
  file: string;
  distribution: string;
  /** report-level fields other than `advisories` (repo, metacpan, latest_version, …) */
  meta: Record<string, unknown>;
  advisories: Advisory[];
  /** the raw records as read, for the linter */
  raw: Record<string, unknown>[];
  /** 1-based line of each advisory, and of each of its keys */
  lines: { start: number; keys: Record<string, number>; items: Record<string, number[]> }[];
}

const NULLS = new Set(['~', 'null', 'Null', 'NULL', '']);

function toValue(node: unknown): unknown {
  if (yaml().isScalar(node)) {
    const s = node as Scalar;
    if (s.type === yaml().Scalar.PLAIN && NULLS.has(String(s.value))) return null;
    return String(s.value);
  }
  if (yaml().isSeq(node)) return node.items.map(toValue);
  // own properties even for a key named __proto__ (plain assignment would set the prototype)
  if (yaml().isMap(node)) return Object.fromEntries(node.items.map((pair) => [String(toValue(pair.key)), toValue(pair.value)]));
  return null;
}

export function readReport(text: string, file: string): AdvisoryReport {
  const { root, lineOf } = readYaml(text, file);
  if (!yaml().isMap(root)) throw new CpansecError('PARSE_ERROR', 'an advisory report must be a YAML mapping', { file, line: 1 });
  const top = toValue(root) as Record<string, unknown>;
  const advisoriesNode = root.get('advisories', true);
  if (!yaml().isSeq(advisoriesNode)) {
    throw new CpansecError('PARSE_ERROR', "an advisory report needs an 'advisories' list", { file, line: lineOf(root) });
  }
  const distribution = typeof top.distribution === 'string' ? top.distribution : '';
  const raw: Record<string, unknown>[] = [];
  const lines: AdvisoryReport['lines'] = [];
  const advisories: Advisory[] = [];
  advisoriesNode.items.forEach((item) => {
    if (!yaml().isMap(item)) {
      throw new CpansecError('PARSE_ERROR', 'each advisory must be a mapping', { file, line: lineOf(item) });
    }
    const record = toValue(item) as Record<string, unknown>;
    const keys: Record<string, number> = {};
    const items: Record<string, number[]> = {};
    for (const pair of item.items) {
      const key = String(toValue(pair.key));
      keys[key] = lineOf(pair.key);
      if (yaml().isSeq(pair.value)) items[key] = pair.value.items.map(lineOf);
    }
    raw.push(record);
    lines.push({ start: lineOf(item), keys, items });
    advisories.push(fromCpansaRecord(record, distribution));
  });
  const { advisories: _a, ...meta } = top;
  return { file, distribution, meta, advisories, raw, lines };
}

/** A report as YAML text, in the upstream layout (keys sorted as the upstream files have them). */
export function writeReport(distribution: string, advisories: Advisory[], meta: Record<string, unknown> = {}): string {
  const doc = {
    advisories: advisories.map((a) => toCpansaRecord(a)),
    cpansa_version: 2,
    ...meta,
    distribution,
  };
  // keep version-looking strings quoted so that a YAML 1.1 reader keeps them as strings too
  return `---\n${yaml().stringify(doc, { defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN', lineWidth: 0, nullStr: '~' })}`;
}
