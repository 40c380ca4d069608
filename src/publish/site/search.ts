/**
 * Search over the published advisories: by distribution name, module name (through the module
 * map), CVE or GHSA id, advisory id (current or previous), and free text (every word must occur
 * in the id, aliases, distribution, summary or description). Pure; the word index is built once
 * per SiteData.
 */
import type { AdvisoryGroup, SiteData } from './data.js';

export type SearchKind = 'any' | 'distribution' | 'module' | 'cve' | 'id' | 'text';
export const SEARCH_KIND_NAMES: readonly SearchKind[] = ['any', 'distribution', 'module', 'cve', 'id', 'text'];

export interface DistributionHit {
  name: string;
  /** the module the query named, when found through the module map */
  module?: string;
}

export interface SearchResults {
  query: string;
  kind: SearchKind;
  distributions: DistributionHit[];
  advisories: AdvisoryGroup[];
  /** more advisories matched than are listed */
  truncated: boolean;
}

const MAX_RESULTS = 200;

interface WordIndex {
  words: Map<AdvisoryGroup, Set<string>>;
  modulesLower: Map<string, [string, string]>;
}

const cache = new WeakMap<SiteData, WordIndex>();

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+(?:[.:-][\p{L}\p{N}_]+)*/gu) ?? [];
}

/** Each word and its parts ("mojo::dom" gives "mojo::dom", "mojo" and "dom"). */
function terms(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of words(text)) {
    out.add(w);
    for (const part of w.split(/[.:-]+/)) if (part) out.add(part);
  }
  return out;
}

function wordIndex(data: SiteData): WordIndex {
  let idx = cache.get(data);
  if (!idx) {
    const w = new Map<AdvisoryGroup, Set<string>>();
    for (const g of data.groups) {
      const text = [g.id, ...g.aliases, ...g.distributions, g.summary, ...g.entries.map((e) => e.description)].join(' ');
      w.set(g, terms(text));
    }
    const modulesLower = new Map<string, [string, string]>();
    for (const [m, d] of data.index.db.moduleToDistribution) modulesLower.set(m.toLowerCase(), [m, d]);
    idx = { words: w, modulesLower };
    cache.set(data, idx);
  }
  return idx;
}

function byDistribution(data: SiteData, q: string): DistributionHit[] {
  const needle = q.toLowerCase().replace(/::/g, '-');
  const names = data.distributions.map((d) => d.name);
  const exact = names.filter((n) => n.toLowerCase() === needle);
  const partial = names.filter((n) => n.toLowerCase() !== needle && n.toLowerCase().includes(needle));
  return [...exact, ...partial].map((name) => ({ name }));
}

function byModule(data: SiteData, q: string): DistributionHit[] {
  const exact = data.index.distributionOfModule(q);
  const hit: [string, string] | undefined = exact ? [q, exact] : wordIndex(data).modulesLower.get(q.toLowerCase());
  if (!hit) return [];
  const [module, name] = hit;
  return data.index.distribution(name)?.advisories.length ? [{ name, module }] : [];
}

function byId(data: SiteData, q: string): AdvisoryGroup[] {
  const ids = new Set(data.index.findAdvisories(q.trim()).map((a) => a.id));
  return data.groups.filter((g) => ids.has(g.id));
}

function byText(data: SiteData, q: string): AdvisoryGroup[] {
  const needed = words(q);
  if (!needed.length) return [];
  const idx = wordIndex(data);
  return data.groups.filter((g) => needed.every((t) => idx.words.get(g)!.has(t)));
}

export function search(data: SiteData, query: string, kind: SearchKind = 'any'): SearchResults {
  const q = query.trim().slice(0, 200);
  const empty: SearchResults = { query: q, kind, distributions: [], advisories: [], truncated: false };
  if (!q) return empty;
  let distributions: DistributionHit[] = [];
  let advisories: AdvisoryGroup[] = [];
  switch (kind) {
    case 'distribution':
      distributions = byDistribution(data, q);
      break;
    case 'module':
      distributions = byModule(data, q);
      break;
    case 'cve':
      advisories = /^(CVE-\d{4}-\d+|GHSA-[\w-]+)$/i.test(q) ? byId(data, q) : [];
      break;
    case 'id':
      advisories = byId(data, q);
      break;
    case 'text':
      advisories = byText(data, q);
      break;
    default: {
      const seen = new Set<string>();
      distributions = [...byModule(data, q), ...byDistribution(data, q)].filter((d) => !seen.has(d.name) && seen.add(d.name));
      const ids = byId(data, q);
      advisories = [...ids, ...byText(data, q).filter((g) => !ids.includes(g))];
    }
  }
  return { query: q, kind, distributions, advisories: advisories.slice(0, MAX_RESULTS), truncated: advisories.length > MAX_RESULTS };
}
