/**
 * CPAN::Meta files: META.json / MYMETA.json (spec v2) and META.yml / MYMETA.yml (spec v1.4, and the
 * older 1.x leniently), read into one shape. Versions stay strings as written.
 */
import type { Scalar, Pair, YAMLMap } from 'yaml';
import { yaml } from './lazy-libs.js';
import { CpansecError } from '../errors.js';
import {
  describe,
  isObj,
  prereqsV1,
  prereqsV2,
  shapeError,
  V1_RELATIONSHIPS,
  type Locate,
  type MetaPrereq,
  type Obj,
  type ShapeContext,
} from './meta-prereqs.js';
import { readYaml } from './yaml.js';

export type { MetaPhase, MetaPrereq, MetaRelationship } from './meta-prereqs.js';

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

const str = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === null || v === undefined ? [] : [String(v)]);

const KNOWN_SPECS = ['1.0', '1.1', '1.2', '1.3', '1.4', '2'];
/** Keys a META document has at least one of; a mapping with none of them is some other file. */
const META_KEYS = ['name', 'version', 'meta-spec', 'prereqs', ...V1_RELATIONSHIPS.map(([k]) => k)];

/** CPAN::Meta::Converter's _extract_spec_version: the declared spec, else what the keys suggest. */
function specVersion(doc: Obj): string {
  const spec = doc['meta-spec'];
  if (!isObj(spec)) return '1.0';
  const v = typeof spec.version === 'number' || typeof spec.version === 'string' ? String(spec.version) : undefined;
  if (v !== undefined && /^\d+(?:\.\d+)?$/.test(v)) {
    if (KNOWN_SPECS.includes(v)) return v;
    const same = KNOWN_SPECS.find((k) => Number(k) === Number(v));
    if (same) return same;
  }
  if ('prereqs' in doc) return '2';
  if ('configure_requires' in doc) return '1.4';
  return '1.2';
}

/** The document is a META file and its identifying keys have the types the spec gives them. */
function checkDocument(doc: Obj, ctx: ShapeContext): void {
  if (!META_KEYS.some((k) => k in doc)) {
    throw new CpansecError('PARSE_ERROR', `not a META file: none of ${META_KEYS.slice(0, 4).join(', ')}`, { file: ctx.file, line: ctx.locate([]) ?? 1 });
  }
  for (const key of ['name', 'version']) {
    const v = doc[key];
    if (v !== undefined && v !== null && typeof v !== 'string' && typeof v !== 'number') shapeError(ctx, [key], `expected a string, got ${describe(v)}`);
  }
  const spec = doc['meta-spec'];
  if (spec !== undefined && !isObj(spec)) shapeError(ctx, ['meta-spec'], `expected a mapping with a version, got ${describe(spec)}`);
  const features = doc.optional_features;
  if (features !== undefined && features !== null && !isObj(features)) {
    shapeError(ctx, ['optional_features'], `expected a mapping of features, got ${describe(features)}`);
  }
}

function fromDocument(doc: Obj, ctx: ShapeContext): CpanMeta {
  checkDocument(doc, ctx);
  const spec = specVersion(doc);
  const v2 = spec === '2';
  if (!v2 && 'prereqs' in doc) {
    // CPAN::Meta reads the file as spec 1.x and drops its prereqs: say so instead
    shapeError(ctx, ['prereqs'], `a meta-spec 2 key in a file read as meta-spec ${spec} (declare meta-spec: {version: 2})`);
  }
  const prereqs: MetaPrereq[] = [];
  const optionalFeatures: CpanMeta['optionalFeatures'] = {};
  if (v2) prereqsV2(doc.prereqs, ['prereqs'], undefined, ctx, prereqs);
  else prereqsV1(doc, [], undefined, ctx, prereqs);
  if (isObj(doc.optional_features)) {
    for (const [name, f] of Object.entries(doc.optional_features)) {
      const at = ['optional_features', name];
      if (!isObj(f)) shapeError(ctx, at, `expected a mapping with a description and prereqs, got ${describe(f)}`);
      optionalFeatures[name] = { ...(f.description ? { description: String(f.description) } : {}) };
      if (v2) prereqsV2(f.prereqs, [...at, 'prereqs'], name, ctx, prereqs);
      else prereqsV1(f, at, name, ctx, prereqs);
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
    file: ctx.file,
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

/** 1-based line of an offset in a text, by binary search over its line starts. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * The line of a key path in JSON text: each key searched (as `"key":`) after its parent's, and
 * after the sibling found before it (keys come in file order), so a file's lines cost one pass.
 * Undefined when a key is spelt with escapes the search misses.
 */
function jsonLocator(text: string): Locate {
  const lineOf = lineIndex(text);
  const ends = new Map<string, number>();
  const cursors = new Map<string, number>();
  const search = (quoted: string, from: number): number => {
    for (let i = text.indexOf(quoted, from); i !== -1; i = text.indexOf(quoted, i + 1)) {
      if (/^\s*:/.test(text.slice(i + quoted.length, i + quoted.length + 64))) return i;
    }
    return -1;
  };
  const end = (path: string[]): number | undefined => {
    if (!path.length) return 0;
    const id = JSON.stringify(path);
    if (ends.has(id)) return ends.get(id);
    const parentId = JSON.stringify(path.slice(0, -1));
    const base = end(path.slice(0, -1));
    if (base === undefined) return undefined;
    const quoted = JSON.stringify(path[path.length - 1]);
    const cursor = cursors.get(parentId);
    let at = cursor === undefined ? -1 : search(quoted, cursor);
    if (at === -1) at = search(quoted, base);
    if (at === -1) return undefined;
    cursors.set(parentId, at + quoted.length);
    ends.set(id, at + quoted.length);
    return at + quoted.length;
  };
  return (path) => {
    const at = end(path);
    return at === undefined ? undefined : lineOf(at);
  };
}

function jsonError(text: string, e: Error, file: string): never {
  const pos = /position (\d+)/.exec(e.message);
  const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
  throw new CpansecError('PARSE_ERROR', `not valid JSON: ${e.message.replace(/ in JSON at position \d+.*$/, '')}`, { file, line });
}

function yamlValue(node: unknown): unknown {
  if (yaml().isScalar(node)) {
    const s = node as Scalar;
    if (s.type === yaml().Scalar.PLAIN && ['~', 'null', ''].includes(String(s.value))) return null;
    return String(s.value);
  }
  if (yaml().isSeq(node)) return node.items.map(yamlValue);
  if (yaml().isMap(node)) return Object.fromEntries(node.items.map((p) => [String(yamlValue(p.key)), yamlValue(p.value)]));
  return null;
}

/** The line of a key path in a YAML document (of the last of duplicate keys: the one read). */
function yamlLocator(root: unknown, lineOf: (node: unknown) => number): Locate {
  const keys = new WeakMap<object, Map<string, Pair>>();
  const pairs = (map: YAMLMap): Map<string, Pair> => {
    let index = keys.get(map);
    if (!index) {
      index = new Map();
      for (const pair of map.items as Pair[]) index.set(String(yamlValue(pair.key)), pair);
      keys.set(map, index);
    }
    return index;
  };
  return (path) => {
    let node = root;
    let line: number | undefined = lineOf(root);
    for (const key of path) {
      const pair = yaml().isMap(node) ? pairs(node as YAMLMap).get(key) : undefined;
      if (!pair) return line;
      line = lineOf(pair.key);
      node = pair.value;
    }
    return line;
  };
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
  return fromDocument(doc, { file, locate: jsonLocator(text) });
}

/** Parse META.yml / MYMETA.yml text (versions kept as written: the failsafe schema). */
export function parseMetaYaml(text: string, file: string): CpanMeta {
  // duplicate keys: the last wins, as CPAN::Meta::YAML reads them
  const { root, lineOf } = readYaml(text, file, { uniqueKeys: false, errorPrefix: 'not valid YAML' });
  if (!yaml().isMap(root)) throw new CpansecError('PARSE_ERROR', 'a META file must be a YAML mapping', { file, line: 1 });
  return fromDocument(yamlValue(root) as Obj, { file, locate: yamlLocator(root, lineOf) });
}

/** Parse a META file by its name (.json or .yml/.yaml). */
export function parseMeta(text: string, file: string): CpanMeta {
  return /\.json$/i.test(file) ? parseMetaJson(text, file) : parseMetaYaml(text, file);
}
