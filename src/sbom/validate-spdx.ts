/**
 * What the SPDX 2.3 schema cannot state: identifiers unique and well-formed, every relationship and
 * `documentDescribes` pointing at an element, a DESCRIBES, every LicenseRef- used defined, the
 * namespace an absolute URI without '#', a verification code when files were analysed; and, from the
 * specification's text, `dataLicense` CC0-1.0, `created` as YYYY-MM-DDThh:mm:ssZ, checksums of the
 * length their algorithm gives, licence expressions of known SPDX ids, purls that parse.
 */
import { licenseExpressionProblem } from './license-expression.js';
import { purlProblem } from './purl-check.js';
import type { ValidationProblem } from './validate.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** hex digits of each algorithm's digest (SPDX 2.3 clause 7.10; BLAKE3 and MD6 have variable length) */
const DIGEST_HEX: Record<string, number> = {
  SHA1: 40, SHA224: 56, SHA256: 64, SHA384: 96, SHA512: 128,
  'SHA3-256': 64, 'SHA3-384': 96, 'SHA3-512': 128,
  'BLAKE2b-256': 64, 'BLAKE2b-384': 96, 'BLAKE2b-512': 128,
  MD2: 32, MD4: 32, MD5: 32, ADLER32: 8,
};

function checksumProblems(list: unknown, at: string, problems: ValidationProblem[]): void {
  if (!Array.isArray(list)) return;
  list.forEach((c, i) => {
    if (!isObj(c) || typeof c.checksumValue !== 'string' || typeof c.algorithm !== 'string') return;
    const want = DIGEST_HEX[c.algorithm];
    const v = c.checksumValue;
    if (!/^[0-9a-f]+$/.test(v)) problems.push({ path: `${at}[${i}].checksumValue`, message: 'must be lower-case hexadecimal' });
    else if (want !== undefined && v.length !== want) problems.push({ path: `${at}[${i}].checksumValue`, message: `a ${c.algorithm} checksum has ${want} hex digits, not ${v.length}` });
  });
}

const NO_LICENSE = new Set(['NONE', 'NOASSERTION']);

function licenseProblems(value: unknown, at: string, problems: ValidationProblem[]): void {
  for (const [v, path] of Array.isArray(value) ? value.map((x, i) => [x, `${at}[${i}]`] as const) : [[value, at] as const]) {
    if (typeof v !== 'string' || NO_LICENSE.has(v)) continue;
    const why = licenseExpressionProblem(v);
    if (why) problems.push({ path, message: why });
  }
}

function specTextProblems(doc: Obj, problems: ValidationProblem[]): void {
  if (doc.dataLicense !== undefined && doc.dataLicense !== 'CC0-1.0') problems.push({ path: '$.dataLicense', message: "must be 'CC0-1.0' (SPDX 2.3 clause 6.2)" });
  const created = isObj(doc.creationInfo) ? doc.creationInfo.created : undefined;
  if (typeof created === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(created);
    const real = m && new Date(created).toISOString().startsWith(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`);
    if (!real) problems.push({ path: '$.creationInfo.created', message: `'${created}' is not a UTC time as YYYY-MM-DDThh:mm:ssZ (SPDX 2.3 clause 6.9)` });
  }
  for (const list of ['packages', 'files'] as const) {
    const items = doc[list];
    if (!Array.isArray(items)) continue;
    items.forEach((p, i) => {
      if (!isObj(p)) return;
      const at = `$.${list}[${i}]`;
      checksumProblems(p.checksums, `${at}.checksums`, problems);
      for (const f of ['licenseConcluded', 'licenseDeclared', 'licenseInfoFromFiles', 'licenseInfoInFiles'] as const) licenseProblems(p[f], `${at}.${f}`, problems);
      const code = isObj(p.packageVerificationCode) ? p.packageVerificationCode.packageVerificationCodeValue : undefined;
      if (typeof code === 'string' && !/^[0-9a-f]{40}$/.test(code)) problems.push({ path: `${at}.packageVerificationCode.packageVerificationCodeValue`, message: 'must be 40 lower-case hex digits (a SHA1)' });
      if (Array.isArray(p.externalRefs)) {
        p.externalRefs.forEach((r, j) => {
          if (!isObj(r) || r.referenceType !== 'purl' || typeof r.referenceLocator !== 'string') return;
          const why = purlProblem(r.referenceLocator);
          if (why) problems.push({ path: `${at}.externalRefs[${j}].referenceLocator`, message: why });
        });
      }
    });
  }
}

const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;

export function spdxSemantics(doc: Obj): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const ids = new Map<string, string>();
  const define = (id: unknown, at: string) => {
    if (typeof id !== 'string') return;
    if (!SPDX_ID.test(id)) problems.push({ path: at, message: `'${id}' is not an SPDX identifier (SPDXRef- followed by letters, digits, '.' or '-')` });
    if (ids.has(id)) problems.push({ path: at, message: `SPDXID '${id}' is also used at ${ids.get(id)}` });
    else ids.set(id, at);
  };
  define(doc.SPDXID, '$.SPDXID');
  if (doc.SPDXID !== 'SPDXRef-DOCUMENT') problems.push({ path: '$.SPDXID', message: "the document's SPDXID must be 'SPDXRef-DOCUMENT'" });
  for (const list of ['packages', 'files', 'snippets'] as const) {
    const items = doc[list];
    if (Array.isArray(items)) items.forEach((p, i) => isObj(p) && define(p.SPDXID, `$.${list}[${i}].SPDXID`));
  }
  const externalDocs = new Set(Array.isArray(doc.externalDocumentRefs) ? doc.externalDocumentRefs.filter(isObj).map((r) => String(r.externalDocumentId)) : []);
  const resolves = (id: unknown, allowNone: boolean) => {
    if (typeof id !== 'string') return false;
    if (allowNone && (id === 'NONE' || id === 'NOASSERTION')) return true;
    if (id.startsWith('DocumentRef-')) return externalDocs.has(id.split(':')[0]!);
    return ids.has(id);
  };
  if (Array.isArray(doc.relationships)) {
    doc.relationships.forEach((r, i) => {
      if (!isObj(r)) return;
      if (!resolves(r.spdxElementId, false)) problems.push({ path: `$.relationships[${i}].spdxElementId`, message: `refers to no element of the document: '${String(r.spdxElementId)}'` });
      if (!resolves(r.relatedSpdxElement, true)) problems.push({ path: `$.relationships[${i}].relatedSpdxElement`, message: `refers to no element of the document: '${String(r.relatedSpdxElement)}'` });
    });
  }
  if (Array.isArray(doc.documentDescribes)) {
    doc.documentDescribes.forEach((id, i) => {
      if (!resolves(id, false)) problems.push({ path: `$.documentDescribes[${i}]`, message: `refers to no element of the document: '${String(id)}'` });
    });
  }
  const describes = Array.isArray(doc.relationships) && doc.relationships.some((r) => isObj(r) && r.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES');
  if (!describes && !(Array.isArray(doc.documentDescribes) && doc.documentDescribes.length)) {
    problems.push({ path: '$.relationships', message: 'the document describes nothing (no DESCRIBES relationship from SPDXRef-DOCUMENT, no documentDescribes)' });
  }
  const ns = doc.documentNamespace;
  if (typeof ns === 'string' && (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(ns) || ns.includes('#'))) {
    problems.push({ path: '$.documentNamespace', message: 'must be an absolute URI without a # part' });
  }
  // every LicenseRef- used in a licence field is defined in hasExtractedLicensingInfos
  const defined = new Set(Array.isArray(doc.hasExtractedLicensingInfos) ? doc.hasExtractedLicensingInfos.filter(isObj).map((l) => String(l.licenseId)) : []);
  if (Array.isArray(doc.packages)) {
    doc.packages.forEach((p, i) => {
      if (!isObj(p)) return;
      for (const field of ['licenseConcluded', 'licenseDeclared'] as const) {
        const v = p[field];
        if (typeof v !== 'string') continue;
        for (const ref of v.match(/LicenseRef-[A-Za-z0-9.-]+/g) ?? []) {
          if (!defined.has(ref)) problems.push({ path: `$.packages[${i}].${field}`, message: `${ref} is not defined in hasExtractedLicensingInfos` });
        }
      }
      if (p.filesAnalyzed === true && !p.packageVerificationCode) problems.push({ path: `$.packages[${i}].packageVerificationCode`, message: 'required when filesAnalyzed is true' });
    });
  }
  specTextProblems(doc, problems);
  return problems;
}

