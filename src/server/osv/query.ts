/**
 * Reading an OSV API query (`POST /v1/query`, each of `POST /v1/querybatch`) with osv.dev's rules
 * and error messages (osv.dev go/internal/api/query_affected.go, parseQuery):
 *
 * - a commit query needs a hex hash ("invalid hash"); we hold no commit ranges, so it matches nothing;
 * - otherwise `package` is required, with a name (or a purl) and an ecosystem or a version
 *   ("invalid query"); a purl excludes name and ecosystem, and a version in both the purl and the
 *   query is an error; an unknown ecosystem is "invalid ecosystem";
 * - a purl of a type other than `cpan` matches nothing here (osv.dev answers `{}` to a purl type it
 *   cannot map).
 *
 * JSON field names follow the proto3 JSON mapping: `page_token` or `pageToken`.
 */
import { PackageURL } from 'packageurl-js';
import { OSV_ECOSYSTEM } from '../../publish/index.js';
import { invalidArgument } from '../http/errors.js';
import { isKnownEcosystem } from './ecosystems.js';

export interface PackageQuery {
  kind: 'package';
  ecosystem: string;
  name: string;
  version: string;
  pageToken: string;
}

export type ParsedQuery = PackageQuery | { kind: 'nothing'; pageToken: string };

type Json = Record<string, unknown>;

function str(o: Json, field: string, path: string, alt?: string): string {
  const v = o[field] ?? (alt ? o[alt] : undefined);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw invalidArgument(`Invalid value at '${path}${field}' (TYPE_STRING), ${JSON.stringify(v)}`);
  return v;
}

function parsePurl(purl: string): { type: string; name: string; version: string } {
  let p: PackageURL;
  try {
    p = PackageURL.fromString(purl);
  } catch (e) {
    throw invalidArgument((e as Error).message);
  }
  if (p.type === 'cpan' && p.name.includes('::')) {
    throw invalidArgument(`invalid purl: a cpan purl names a distribution, not a module: ${p.name}`);
  }
  return { type: p.type, name: p.name, version: p.version ?? '' };
}

const QUERY_FIELDS = new Set(['commit', 'version', 'package', 'page_token', 'pageToken']);
const PACKAGE_FIELDS = new Set(['name', 'ecosystem', 'purl']);

/** osv.dev parses bodies with protobuf's JSON rules: a field the message does not have is an error, never ignored. */
export function rejectUnknownFields(o: Json, known: Set<string>, message: string): void {
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw invalidArgument(`proto: unknown field ${JSON.stringify(key)} in ${message}`);
  }
}

/** `path` prefixes field names in messages ("queries[3]."). */
export function parseQuery(query: unknown, path = ''): ParsedQuery {
  if (query === null || query === undefined) throw invalidArgument('no query provided');
  if (typeof query !== 'object' || Array.isArray(query)) throw invalidArgument(`Invalid value at '${path || 'query'}': expected an object`);
  const q = query as Json;
  rejectUnknownFields(q, QUERY_FIELDS, 'osv.v1.Query');
  const pageToken = str(q, 'page_token', path, 'pageToken');
  const commit = str(q, 'commit', path);
  let version = str(q, 'version', path);
  if (q.commit !== undefined && q.version !== undefined) {
    throw invalidArgument(`Invalid value at '${path}version': oneof field 'param' is already set by 'commit'`);
  }
  if (q.commit !== undefined) {
    if (!commit || commit.length % 2 || !/^[0-9a-fA-F]*$/.test(commit)) throw invalidArgument('invalid hash');
    return { kind: 'nothing', pageToken };
  }
  const pkg = q.package;
  if (pkg === undefined || pkg === null) throw invalidArgument('invalid query');
  if (typeof pkg !== 'object' || Array.isArray(pkg)) throw invalidArgument(`Invalid value at '${path}package': expected an object`);
  const p = pkg as Json;
  rejectUnknownFields(p, PACKAGE_FIELDS, 'osv.Package');
  let ecosystem = str(p, 'ecosystem', `${path}package.`);
  let name = str(p, 'name', `${path}package.`);
  const purl = str(p, 'purl', `${path}package.`);
  if (purl) {
    if (name) throw invalidArgument('name specified in a PURL query');
    if (ecosystem) throw invalidArgument('ecosystem specified in a PURL query');
    const parsed = parsePurl(purl);
    if (parsed.type !== 'cpan') return { kind: 'nothing', pageToken };
    ecosystem = OSV_ECOSYSTEM;
    name = parsed.name;
    if (parsed.version) {
      if (version) throw invalidArgument('version specified in params and PURL query');
      version = parsed.version;
    }
  }
  if (ecosystem && !isKnownEcosystem(ecosystem)) throw invalidArgument('invalid ecosystem');
  if (!name) throw invalidArgument('invalid query');
  if (!ecosystem && !version) throw invalidArgument('invalid query');
  return { kind: 'package', ecosystem, name, version, pageToken };
}
