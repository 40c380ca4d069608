/**
 * The arithmetic of the case page's CVSS calculator, as it runs in the browser: the chosen metric
 * values → the vector, the scores, the rating, the nomenclature. Scored by ae-cvss-calculator,
 * the library the server scores with (bundled into the page's script by esbuild), and read as
 * strictly as the server's reader (src/disclosure/cvss.ts), which this module may not import (it
 * would bring the whole domain into the browser): a test compares the two on many vectors. The
 * server stays the authority: it scores the vector again when the rating is recorded.
 */
import cvssLibrary from 'ae-cvss-calculator';

export type CalculatorVersion = '3.1' | '4.0';

export type Rating = 'low' | 'medium' | 'high' | 'critical';

export interface Calculation {
  version: CalculatorVersion;
  /** the vector of what is chosen, in the specification's order, Not Defined (X) left out */
  vector: string;
  /** every base metric is chosen: the vector can be scored */
  complete: boolean;
  /** base metrics still to choose */
  missing: string[];
  /** 3.x: the base score; 4.0: the score of the base metrics alone (CVSS-B) */
  baseScore: number | null;
  /** the score of everything given (4.0: CVSS-B, -BT, -BE or -BTE; 3.x: temporal/environmental) */
  score: number | null;
  /** qualitative rating of `score`; null for 0.0 ("None") or while incomplete */
  severity: Rating | null;
  nomenclature: string | null;
}

interface Table {
  base: string[];
  /** the specification's order of the metrics in a vector */
  order: string[];
  values: Map<string, Set<string>>;
}

const tables = new Map<CalculatorVersion, Table>();

const make = (version: CalculatorVersion, vector?: string) => (version === '4.0' ? new cvssLibrary.Cvss4P0(vector) : new cvssLibrary.Cvss3P1(vector));

function tableOf(version: CalculatorVersion): Table {
  let t = tables.get(version);
  if (t) return t;
  t = { base: [], order: [], values: new Map() };
  const sample = make(version);
  for (const [category, components] of sample.getRegisteredComponents()) {
    for (const c of components) {
      if (category.name.toLowerCase() === 'base') t.base.push(c.shortName);
      t.values.set(c.shortName, new Set(c.values.map((v) => v.shortName)));
    }
  }
  const ordered = version === '4.0' ? (sample as InstanceType<typeof cvssLibrary.Cvss4P0>).getVectorStringOrderProperties() : sample.getRegisteredComponents();
  for (const components of ordered.values()) t.order.push(...components.map((c) => c.shortName));
  // Safety (S) is the environmental MSI/MSA's, not the base SC/SI/SA's (FIRST's schema; the server refuses it)
  if (version === '4.0') for (const k of ['SC', 'SI', 'SA']) t.values.get(k)?.delete('S');
  tables.set(version, t);
  return t;
}

/** The rating bands of CVSS 3.1 §5 and 4.0 §6 (the same): None 0.0, Low to 3.9, Medium to 6.9, High to 8.9, Critical. */
export function ratingOf(score: number): Rating | null {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return null;
}

const given = (t: Table, k: string, v: string | undefined): v is string => v !== undefined && v !== 'X' && (t.values.get(k)?.has(v) ?? false);

/** Score what is chosen (metric short name → value short name); values that do not exist are ignored. */
export function calculate(version: CalculatorVersion, chosen: Readonly<Record<string, string | undefined>>): Calculation {
  const t = tableOf(version);
  const parts = t.order.filter((k) => given(t, k, chosen[k])).map((k) => `${k}:${chosen[k]}`);
  const vector = `CVSS:${version}/${parts.join('/')}`;
  const missing = t.base.filter((k) => !given(t, k, chosen[k]));
  if (missing.length) return { version, vector, complete: false, missing, baseScore: null, score: null, severity: null, nomenclature: null };
  const cvss = make(version, vector);
  const scores = cvss.calculateScores() as unknown as Record<string, number | undefined>;
  const score = scores.overall ?? 0;
  const nonBase = t.order.some((k) => !t.base.includes(k) && given(t, k, chosen[k]));
  return {
    version,
    vector,
    complete: true,
    missing,
    baseScore: (version === '4.0' ? scores.baseMetricsOnly : scores.base) ?? score,
    score,
    severity: ratingOf(score),
    nomenclature: version === '4.0' ? (cvss as InstanceType<typeof cvssLibrary.Cvss4P0>).getNomenclature() : nonBase ? 'CVSS-BTE' : 'CVSS-B',
  };
}

/**
 * The metric values of a vector of this version, read as strictly as the server does (known
 * metrics and values, each once, every base metric given); undefined when it is not one.
 */
export function readVector(version: CalculatorVersion, text: string): Record<string, string> | undefined {
  const prefix = `CVSS:${version}/`;
  const s = text.trim();
  if (!s.startsWith(prefix) || s.length > 400) return undefined;
  const t = tableOf(version);
  const chosen = new Map<string, string>();
  for (const part of s.slice(prefix.length).split('/')) {
    const m = /^([A-Za-z]+):([A-Za-z]+)$/.exec(part);
    if (!m || chosen.has(m[1]!) || !t.values.get(m[1]!)?.has(m[2]!)) return undefined;
    chosen.set(m[1]!, m[2]!);
  }
  return t.base.every((k) => given(t, k, chosen.get(k))) ? Object.fromEntries(chosen) : undefined;
}

/** The metrics of a version in the specification's order (the order of a vector). */
export const metricOrder = (version: CalculatorVersion): readonly string[] => tableOf(version).order;

/**
 * The rating form's field after the calculator's vector for `version` is put in it: the line of
 * that version replaced (or added), the other lines kept as they are.
 */
export function withVector(field: string, version: CalculatorVersion, vector: string): string {
  const lines = field.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const at = lines.findIndex((l) => l.startsWith(`CVSS:${version}/`));
  if (at >= 0) lines[at] = vector;
  else lines.push(vector);
  return lines.join('\n');
}
