/**
 * CVSS 3.0, 3.1 and 4.0 vectors: read strictly, scored by ae-cvss-calculator. The library is
 * lenient (it scores a vector with a metric missing or given twice), so we check the vector first
 * against the metric tables the library itself registers: known metrics and values only, each at
 * most once, every base metric present and not `X`. Metrics may come in any order (CVSS 3.1 §6);
 * the vector we return is in the specification's order, the form the FIRST JSON schemas accept.
 */
import cvssLibrary from 'ae-cvss-calculator';
import { severityOfScore } from '../advisory/index.js';
import type { CvssScore, Severity } from '../advisory/index.js';
import { CpansecError } from '../errors.js';

const { Cvss3P0, Cvss3P1, Cvss4P0 } = cvssLibrary;

export type CvssVersion = '3.0' | '3.1' | '4.0';

export interface CvssResult {
  version: CvssVersion;
  /** normalised: specification order, `CVSS:x.y/` prefix */
  vector: string;
  /** the score of the metrics given: base (3.x base; 4.0 CVSS-B), or with threat/environmental ones */
  baseScore: number;
  /** 3.x: the temporal/environmental score when such metrics are given, else the base score; 4.0: the one CVSS-BTE score */
  score: number;
  /** 4.0 nomenclature: CVSS-B, CVSS-BT, CVSS-BE or CVSS-BTE; 3.x: CVSS-B or CVSS-BTE */
  nomenclature: string;
  /** qualitative rating of `score` (null for 0.0, "None") */
  severity: Severity | null;
  metrics: Record<string, string>;
}

type Vector = InstanceType<typeof Cvss3P1> | InstanceType<typeof Cvss4P0> | InstanceType<typeof Cvss3P0>;

interface MetricTable {
  base: Set<string>;
  values: Map<string, Set<string>>;
  /** the specification's order of the metrics in a vector string */
  order: string[];
}

const tables = new Map<CvssVersion, MetricTable>();

function make(version: CvssVersion, vector?: string): Vector {
  if (version === '4.0') return new Cvss4P0(vector);
  if (version === '3.1') return new Cvss3P1(vector);
  return new Cvss3P0(vector);
}

/** The metrics and values the library registers for a version, base metrics apart. */
function tableOf(version: CvssVersion): MetricTable {
  let table = tables.get(version);
  if (table) return table;
  table = { base: new Set(), values: new Map(), order: [] };
  const sample = make(version);
  for (const [category, components] of sample.getRegisteredComponents()) {
    for (const c of components) {
      if (category.name.toLowerCase() === 'base') table.base.add(c.shortName);
      table.values.set(c.shortName, new Set(c.values.map((v) => v.shortName)));
    }
  }
  const ordered = version === '4.0' ? (sample as InstanceType<typeof Cvss4P0>).getVectorStringOrderProperties() : sample.getRegisteredComponents();
  for (const components of ordered.values()) table.order.push(...components.map((c) => c.shortName));
  if (version === '4.0') {
    // the library registers Safety (S) for the base SC/SI/SA too, where CVSS 4.0 (and FIRST's
    // schema: subCiaType is NONE, LOW, HIGH) has it only for the environmental MSI and MSA
    for (const k of ['SC', 'SI', 'SA']) table.values.get(k)?.delete('S');
  }
  tables.set(version, table);
  return table;
}

function fail(vector: string, message: string): CpansecError {
  return new CpansecError('PARSE_ERROR', `CVSS vector '${vector.slice(0, 200)}': ${message}`, { file: 'cvss' });
}

/** Parse and score a vector; PARSE_ERROR naming the problem otherwise. */
export function parseCvss(input: string): CvssResult {
  const vector = typeof input === 'string' ? input.trim() : '';
  if (vector.length > 400) throw fail(vector, 'too long');
  const m = /^CVSS:(3\.0|3\.1|4\.0)\/(.*)$/.exec(vector);
  if (!m) throw fail(vector, "must start with 'CVSS:3.0/', 'CVSS:3.1/' or 'CVSS:4.0/'");
  const version = m[1] as CvssVersion;
  const table = tableOf(version);
  const metrics: Record<string, string> = {};
  m[2]!.split('/').forEach((part, i) => {
    const kv = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!kv) throw fail(vector, `part ${i + 1} '${part}' is not METRIC:VALUE`);
    const [, key, value] = kv as unknown as [string, string, string];
    const allowed = table.values.get(key);
    if (!allowed) throw fail(vector, `unknown metric '${key}' for CVSS ${version}`);
    if (key in metrics) throw fail(vector, `metric '${key}' is given twice`);
    if (!allowed.has(value)) throw fail(vector, `'${value}' is not a value of ${key} (one of ${[...allowed].join(', ')})`);
    metrics[key] = value;
  });
  const missing = [...table.base].filter((b) => !(b in metrics) || metrics[b] === 'X');
  if (missing.length) throw fail(vector, `base metric${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing`);

  const cvss = make(version, vector);
  const scores = cvss.calculateScores() as unknown as Record<string, number | undefined>;
  const overall = scores.overall ?? 0;
  let baseScore: number;
  let nomenclature: string;
  if (version === '4.0') {
    baseScore = scores.baseMetricsOnly ?? overall;
    nomenclature = (cvss as InstanceType<typeof Cvss4P0>).getNomenclature();
  } else {
    baseScore = scores.base ?? overall;
    nomenclature = Object.keys(metrics).some((k) => !table.base.has(k) && metrics[k] !== 'X') ? 'CVSS-BTE' : 'CVSS-B';
  }
  const normalised = `CVSS:${version}/${table.order.filter((k) => k in metrics && metrics[k] !== 'X').map((k) => `${k}:${metrics[k]}`).join('/')}`;
  return { version, vector: normalised, baseScore, score: overall, nomenclature, severity: severityOfScore(overall), metrics };
}

/** The advisory model's CVSS entry for a vector (its base score, as advisories and CVE records carry). */
export function cvssScoreOf(vector: string): CvssScore {
  const r = parseCvss(vector);
  return { version: r.version, vector: r.vector, score: r.baseScore };
}

/**
 * The vector as the FIRST CVSS JSON object (`cvssV3_1`, `cvssV4_0` of a CVE JSON 5 `metrics` entry),
 * built by the library and checked against the FIRST schemas in our tests.
 */
export function cvssJson(vector: string): Record<string, unknown> {
  const r = parseCvss(vector);
  const json = make(r.version, r.vector).createJsonSchema() as Record<string, unknown>;
  // the library writes NOT_DEFINED (or leaves undefined) for every absent optional metric
  for (const [k, v] of Object.entries(json)) if (v === 'NOT_DEFINED' || v === undefined) delete json[k];
  json.vectorString = r.vector;
  if (r.version === '4.0') {
    // the library puts the whole vector's score in baseScore; the schema has a field per nomenclature
    const rating = (score: number) => (severityOfScore(score) ?? 'none').toUpperCase();
    const only = (keys: (k: string) => boolean) => parseCvss(`CVSS:4.0/${Object.entries(r.metrics).filter(([k]) => keys(k)).map(([k, v]) => `${k}:${v}`).join('/')}`).score;
    const table = tableOf('4.0');
    // the library spells MSC/MSI/MSA:N 'NEGLIGIBLE' (the specification's word); FIRST's schema has NONE
    for (const k of ['modifiedSubConfidentialityImpact', 'modifiedSubIntegrityImpact', 'modifiedSubAvailabilityImpact']) if (json[k] === 'NEGLIGIBLE') json[k] = 'NONE';
    for (const k of ['baseScore', 'baseSeverity', 'threatScore', 'threatSeverity', 'environmentalScore', 'environmentalSeverity']) delete json[k];
    json.baseScore = r.baseScore;
    json.baseSeverity = rating(r.baseScore);
    if ('E' in r.metrics && r.metrics.E !== 'X') {
      const threat = only((k) => table.base.has(k) || k === 'E');
      json.threatScore = threat;
      json.threatSeverity = rating(threat);
    }
    if (Object.keys(r.metrics).some((k) => /^(M[A-Z]+|CR|IR|AR)$/.test(k))) {
      json.environmentalScore = r.score;
      json.environmentalSeverity = rating(r.score);
    }
  }
  return json;
}

/** The CVE JSON 5 `metrics` key for a version. */
export function cveMetricKey(version: CvssVersion): 'cvssV3_0' | 'cvssV3_1' | 'cvssV4_0' {
  return version === '4.0' ? 'cvssV4_0' : version === '3.1' ? 'cvssV3_1' : 'cvssV3_0';
}
