/**
 * CVE JSON 5 back into advisories: a whole record, a CVE Services body (`{"cnaContainer": …}`,
 * what `cpansec export cve5` writes, with its `cveIds`), or a bare CNA container. One advisory per
 * affected CPAN package (collectionURL https://cpan.org/modules, or a `pkg:cpan/…` packageURL).
 * What a CVE record has no field for (GHSA ids, the CPANSA id) is not invented: the id is made
 * the CPANSA way from the CVE id, `CPANSA-<Dist>-<year>-<number>`, or must be given.
 */
import { fromCpansaRecord, normalizeCweId, type Advisory } from '../../advisory/index.js';
import { CpansecError } from '../../errors.js';
import { distributionOfPurl } from '../purl.js';
import type { CveVersion } from '../cna/version-phrase.js';

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Unwrapped {
  cna: Raw;
  adp: Raw[];
  cveIds: string[];
  published?: string;
  /** the advisory id `cpansec export cve5` wrote beside the container */
  id?: string;
}

function unwrap(input: unknown, file: string): Unwrapped {
  if (!isObject(input)) throw new CpansecError('PARSE_ERROR', 'not a CVE JSON 5 record: not an object', { file });
  if (isObject(input.containers) && isObject(input.containers.cna)) {
    const meta = isObject(input.cveMetadata) ? input.cveMetadata : {};
    if (meta.state === 'REJECTED') throw new CpansecError('PARSE_ERROR', `${String(meta.cveId)} is a rejected CVE record`, { file });
    const cna = input.containers.cna;
    return {
      cna,
      adp: Array.isArray(input.containers.adp) ? input.containers.adp.filter(isObject) : [],
      cveIds: typeof meta.cveId === 'string' ? [meta.cveId] : [],
      published: typeof cna.datePublic === 'string' ? cna.datePublic : typeof meta.datePublished === 'string' ? meta.datePublished : undefined,
    };
  }
  if (isObject(input.cnaContainer)) {
    const ids = Array.isArray(input.cveIds) ? input.cveIds : typeof input.cveId === 'string' ? [input.cveId] : [];
    const cna = input.cnaContainer;
    return {
      cna,
      adp: [],
      cveIds: ids.filter((x): x is string => typeof x === 'string'),
      published: typeof cna.datePublic === 'string' ? cna.datePublic : undefined,
      ...(typeof input.id === 'string' ? { id: input.id } : {}),
    };
  }
  if (Array.isArray(input.affected) && Array.isArray(input.descriptions)) {
    return { cna: input, adp: [], cveIds: [], published: typeof input.datePublic === 'string' ? input.datePublic : undefined };
  }
  throw new CpansecError('PARSE_ERROR', 'not a CVE JSON 5 record, CVE Services body or CNA container', { file });
}

function distributionOf(a: Raw): string | undefined {
  if (typeof a.packageURL === 'string') {
    const d = distributionOfPurl(a.packageURL);
    if (d) return d;
  }
  const collection = typeof a.collectionURL === 'string' ? a.collectionURL.replace(/\/+$/, '') : '';
  if (typeof a.packageName !== 'string') return undefined;
  if (/^https?:\/\/(www\.)?(cpan\.org\/modules|metacpan\.org)$/.test(collection)) return a.packageName;
  // early CPANSec records (Vulnogram) name the distribution and its main module without a
  // collection: `packageName: Crypt-Random, product: Crypt::Random` is unambiguous
  if (!collection && typeof a.product === 'string' && a.product.replace(/::/g, '-') === a.packageName) return a.packageName;
  return undefined;
}

/** CWE ids of the container's problem types. */
function cwesOf(cna: Raw): string[] {
  const out: string[] = [];
  for (const p of Array.isArray(cna.problemTypes) ? cna.problemTypes : []) {
    for (const d of isObject(p) && Array.isArray(p.descriptions) ? p.descriptions : []) {
      const id = isObject(d) ? normalizeCweId(d.cweId) : undefined;
      if (id && !out.includes(id)) out.push(id);
    }
  }
  return out;
}

/** CVE version entries as range strings; a preceding `unaffected` single version makes the next range's start exclusive. */
function rangesOf(versions: CveVersion[], where: string, file: string): { affected: string[]; fixed: string[] } {
  const unaffected = new Set<string>();
  const affected: string[] = [];
  const uppers: string[] = [];
  for (const v of versions) {
    if (v.changes) throw new CpansecError('PARSE_ERROR', `${where}: version entries with 'changes' cannot be read into a range`, { file });
    const upper = v.lessThan ?? v.lessThanOrEqual;
    if (upper === undefined) {
      if (v.status === 'affected') affected.push(`==${v.version}`);
      else unaffected.add(v.version);
      continue;
    }
    if (v.status !== 'affected') continue;
    const lower = unaffected.has(v.version) ? `>${v.version}` : v.version === '0' ? '' : `>=${v.version}`;
    if (upper === '*') affected.push(lower || '>=0');
    else {
      affected.push([lower, v.lessThan !== undefined ? `<${upper}` : `<=${upper}`].filter(Boolean).join(','));
      if (v.lessThan !== undefined) uppers.push(upper);
    }
  }
  return { affected, fixed: uppers.length === 1 && affected.length === 1 ? [`>=${uppers[0]}`] : [] };
}

function cvssOf(cna: Raw, adp: Raw[]): Raw[] {
  const out: Raw[] = [];
  // the CNA's own scores; an ADP's (CISA's vulnrichment) only when the CNA gave none
  const own = Array.isArray(cna.metrics) ? cna.metrics : [];
  const metrics = own.length ? own : adp.flatMap((a) => (Array.isArray(a.metrics) ? a.metrics : []));
  for (const m of metrics) {
    if (!isObject(m)) continue;
    for (const key of ['cvssV4_0', 'cvssV3_1', 'cvssV3_0']) {
      const c = m[key];
      if (isObject(c) && typeof c.vectorString === 'string') {
        out.push({ version: String(c.version), vector: c.vectorString, ...(typeof c.baseScore === 'number' ? { score: c.baseScore } : {}) });
      }
    }
  }
  return out;
}

/** The advisories of one CVE JSON document. `id` names the advisory when there is no CVE id to make one of. */
export function fromCve(input: unknown, file: string, options: { id?: string } = {}): Advisory[] {
  const { cna, adp, cveIds, published, id: exportedId } = unwrap(input, file);
  const affected = (Array.isArray(cna.affected) ? cna.affected : []).filter(isObject);
  const cpan = affected.filter((a) => distributionOf(a) !== undefined);
  if (!cpan.length) throw new CpansecError('PARSE_ERROR', 'the record names no CPAN distribution (collectionURL https://cpan.org/modules or a pkg:cpan packageURL)', { file });
  const descriptions = (Array.isArray(cna.descriptions) ? cna.descriptions : []).filter(isObject);
  const description = descriptions.find((d) => typeof d.lang === 'string' && d.lang.startsWith('en')) ?? descriptions[0];
  if (!description || typeof description.value !== 'string') throw new CpansecError('PARSE_ERROR', 'cannot import: missing descriptions', { file });
  const references = (Array.isArray(cna.references) ? cna.references : []).filter(isObject).map((r) => r.url).filter((u): u is string => typeof u === 'string');
  const cvss = cvssOf(cna, adp);
  const cwes = cwesOf(cna);
  const firstSeverity = (Array.isArray(cna.metrics) && cna.metrics.length ? cna.metrics : adp.flatMap((a) => (Array.isArray(a.metrics) ? a.metrics : [])))
    .filter(isObject)
    .flatMap((m) => Object.values(m).filter(isObject).map((c) => c.baseSeverity))
    .find((s): s is string => typeof s === 'string');
  return cpan.map((a, i) => {
    const distribution = distributionOf(a)!;
    const cve = cveIds[0];
    const m = cve ? /^CVE-(\d{4})-(\d+)$/.exec(cve) : null;
    const id = options.id ?? exportedId ?? (m ? `CPANSA-${distribution}-${m[1]}-${m[2]}` : undefined);
    if (!id) throw new CpansecError('USAGE', 'cannot import: the record has no CVE id to make an advisory id of (give --id)', { file });
    const versions = (Array.isArray(a.versions) ? a.versions : []).filter(isObject) as unknown as CveVersion[];
    if (a.defaultStatus === 'affected') {
      throw new CpansecError('PARSE_ERROR', `affected[${i}]: defaultStatus 'affected' cannot be read into a range`, { file });
    }
    const ranges = rangesOf(versions, `affected[${i}].versions`, file);
    return fromCpansaRecord({
      id,
      distribution,
      affected_versions: ranges.affected,
      fixed_versions: ranges.fixed,
      cves: cveIds,
      github_security_advisory: [],
      description: description.value,
      references,
      reported: published ? published.slice(0, 10) : null,
      severity: firstSeverity ? firstSeverity.toLowerCase() : null,
      ...(cvss.length ? { cvss } : {}),
      ...(cwes.length ? { cwes } : {}),
    });
  });
}
