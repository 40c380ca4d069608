/**
 * CPAN::Meta files: META.json / MYMETA.json (spec v2) and META.yml / MYMETA.yml (spec v1.4, and the
 * older 1.x leniently), read into one shape. Versions stay strings as written.
 */
import { isMap, LineCounter, parseDocument, Scalar, isScalar, isSeq, type Node } from 'yaml';
import { CpansecError } from '../errors.js';

export type MetaPhase = 'runtime' | 'build' | 'test' | 'configure' | 'develop';
export type MetaRelationship = 'requires' | 'recommends' | 'suggests' | 'conflicts';

export interface MetaPrereq {
  module: string;
  range: string;
  phase: MetaPhase;
  relationship: MetaRelationship;
  feature?: string;
  line?: number;
}

export interface CpanMeta {
  file: string;
  specVersion: string;
  name?: string;
  version?: string;
  abstract?: string;
  author: string[];
  /** licence names as written (CPAN::Meta names such as perl_5, or 1.x names such as perl) */
  license: string[];
  resources: {
    repository?: { url?: string; web?: string; type?: string };
    bugtracker?: { web?: string; mailto?: string };
    homepage?: string;
    license?: string[];
    /** the custom keys CPAN::Meta::Converter maps from 1.4's MailingList and IRC (x_MailingList, x_IRC) */
    mailingList?: string;
    irc?: string;
  };
  provides: Record<string, { file?: string; version?: string }>;
  prereqs: MetaPrereq[];
  optionalFeatures: Record<string, { description?: string }>;
  dynamicConfig?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === null || v === undefined ? [] : [String(v)]);

const V1_RELATIONSHIPS: [string, MetaPhase, MetaRelationship][] = [
  ['requires', 'runtime', 'requires'],
  ['recommends', 'runtime', 'recommends'],
  ['conflicts', 'runtime', 'conflicts'],
  ['build_requires', 'build', 'requires'],
  ['test_requires', 'test', 'requires'],
  ['configure_requires', 'configure', 'requires'],
];

function prereqsV2(p: unknown, feature: string | undefined, out: MetaPrereq[]): void {
  if (!isObj(p)) return;
  for (const [phase, rels] of Object.entries(p)) {
    if (!isObj(rels)) continue;
    for (const [rel, mods] of Object.entries(rels)) {
      if (!isObj(mods)) continue;
      for (const [module, range] of Object.entries(mods)) {
        out.push({ module, range: str(range) ?? '0', phase: phase as MetaPhase, relationship: rel as MetaRelationship, ...(feature ? { feature } : {}) });
      }
    }
  }
}

function prereqsV1(doc: Obj, feature: string | undefined, out: MetaPrereq[]): void {
  for (const [key, phase, relationship] of V1_RELATIONSHIPS) {
    const mods = doc[key];
    if (!isObj(mods)) continue;
    for (const [module, range] of Object.entries(mods)) {
      out.push({ module, range: str(range) ?? '0', phase, relationship, ...(feature ? { feature } : {}) });
    }
  }
}

function fromDocument(doc: Obj, file: string): CpanMeta {
  const spec = isObj(doc['meta-spec']) ? str(doc['meta-spec'].version) ?? '1.0' : '1.0';
  const v2 = Number(spec) >= 2;
  const prereqs: MetaPrereq[] = [];
  const optionalFeatures: CpanMeta['optionalFeatures'] = {};
  if (v2) prereqsV2(doc.prereqs, undefined, prereqs);
  else prereqsV1(doc, undefined, prereqs);
  if (isObj(doc.optional_features)) {
    for (const [name, f] of Object.entries(doc.optional_features)) {
      if (!isObj(f)) continue;
      optionalFeatures[name] = { ...(f.description ? { description: String(f.description) } : {}) };
      if (v2) prereqsV2(f.prereqs, name, prereqs);
      else prereqsV1(f, name, prereqs);
    }
  }
  const res = isObj(doc.resources) ? doc.resources : {};
  const resources: CpanMeta['resources'] = {};
  if (isObj(res.repository)) resources.repository = { url: str(res.repository.url), web: str(res.repository.web), type: str(res.repository.type) };
  else if (res.repository) resources.repository = { url: String(res.repository) };
  if (isObj(res.bugtracker)) resources.bugtracker = { web: str(res.bugtracker.web), mailto: str(res.bugtracker.mailto) };
  else if (res.bugtracker) resources.bugtracker = { web: String(res.bugtracker) };
  if (res.homepage) resources.homepage = String(res.homepage);
  if (res.license) resources.license = list(res.license);
  // a URL, or (in some dists) a {url, web} map like repository
  const custom = (...keys: string[]) => {
    const v = keys.map((k) => res[k]).find((x) => x !== undefined && x !== null);
    return isObj(v) ? (str(v.url) ?? str(v.web)) : str(v);
  };
  const mailingList = custom('x_MailingList', 'x_mailinglist', 'MailingList');
  if (mailingList) resources.mailingList = mailingList;
  const irc = custom('x_IRC', 'x_irc', 'IRC');
  if (irc) resources.irc = irc;
  const provides: CpanMeta['provides'] = {};
  if (isObj(doc.provides)) {
    for (const [m, p] of Object.entries(doc.provides)) {
      provides[m] = isObj(p) ? { file: str(p.file), version: str(p.version) } : {};
    }
  }
  return {
    file,
    specVersion: spec,
    name: str(doc.name),
    version: str(doc.version),
    abstract: str(doc.abstract),
    author: list(doc.author),
    license: list(doc.license),
    resources,
    provides,
    prereqs,
    optionalFeatures,
    ...(doc.dynamic_config !== undefined ? { dynamicConfig: Boolean(Number(doc.dynamic_config)) } : {}),
  };
}

/** 1-based line of each prereq's module key in JSON text: searched after its feature and phase keys. */
function locateJson(text: string, prereqs: MetaPrereq[]): void {
  const lineAt = (pos: number) => text.slice(0, pos).split('\n').length;
  for (const p of prereqs) {
    let from = Math.max(0, text.indexOf('"prereqs"'));
    if (p.feature) from = Math.max(from, text.indexOf(`"${p.feature}"`, Math.max(0, text.indexOf('"optional_features"'))));
    from = Math.max(from, text.indexOf(`"${p.phase}"`, from));
    const key = `"${p.module}"`;
    let at = text.indexOf(key, from);
    if (at === -1) at = text.indexOf(key);
    if (at !== -1) p.line = lineAt(at);
  }
}

function jsonError(text: string, e: Error, file: string): never {
  const pos = /position (\d+)/.exec(e.message);
  const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
  throw new CpansecError('PARSE_ERROR', `not valid JSON: ${e.message.replace(/ in JSON at position \d+.*$/, '')}`, { file, line });
}

function yamlValue(node: unknown): unknown {
  if (isScalar(node)) {
    const s = node as Scalar;
    if (s.type === Scalar.PLAIN && ['~', 'null', ''].includes(String(s.value))) return null;
    return String(s.value);
  }
  if (isSeq(node)) return node.items.map(yamlValue);
  if (isMap(node)) return Object.fromEntries(node.items.map((p) => [String(yamlValue(p.key)), yamlValue(p.value)]));
  return null;
}

/** Parse META.json / MYMETA.json text. */
export function parseMetaJson(text: string, file: string): CpanMeta {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    jsonError(text, e as Error, file);
  }
  if (!isObj(doc)) throw new CpansecError('PARSE_ERROR', 'a META file must be a JSON object', { file, line: 1 });
  const meta = fromDocument(doc, file);
  locateJson(text, meta.prereqs);
  return meta;
}

/** Parse META.yml / MYMETA.yml text (versions kept as written: the failsafe schema). */
export function parseMetaYaml(text: string, file: string): CpanMeta {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { schema: 'failsafe', lineCounter, uniqueKeys: false });
  if (doc.errors.length) {
    const err = doc.errors[0]!;
    throw new CpansecError('PARSE_ERROR', `not valid YAML: ${err.message.split('\n')[0]}`, { file, line: err.linePos?.[0]?.line });
  }
  if (!isMap(doc.contents)) throw new CpansecError('PARSE_ERROR', 'a META file must be a YAML mapping', { file, line: 1 });
  const meta = fromDocument(yamlValue(doc.contents) as Obj, file);
  // exact lines from the YAML nodes
  const root = doc.contents;
  for (const p of meta.prereqs) {
    const key = V1_RELATIONSHIPS.find(([, ph, rel]) => ph === p.phase && rel === p.relationship)?.[0];
    const section = p.feature ? root.getIn(['optional_features', p.feature, key ?? ''], true) : key ? root.get(key, true) : undefined;
    if (isMap(section)) {
      const pair = section.items.find((it) => String(yamlValue(it.key)) === p.module);
      const r = (pair?.key as Node | undefined)?.range;
      if (r) p.line = lineCounter.linePos(r[0]).line;
    }
  }
  return meta;
}

/** Parse a META file by its name (.json or .yml/.yaml). */
export function parseMeta(text: string, file: string): CpanMeta {
  return /\.json$/i.test(file) ? parseMetaJson(text, file) : parseMetaYaml(text, file);
}
