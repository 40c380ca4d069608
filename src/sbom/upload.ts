/**
 * Uploading a CycloneDX document to Dependency-Track, as its REST API documents it
 * (docs.dependencytrack.org, "Continuous Integration & Delivery"; OpenAPI `/api/v1/bom`):
 * `PUT /api/v1/bom` with a JSON body `{projectName, projectVersion, autoCreate, bom}` (or
 * `{project: UUID, bom}`), the document base64-encoded; or `POST /api/v1/bom` as
 * multipart/form-data with the same fields and the document as the `bom` part. The API key goes in
 * `X-Api-Key`. The answer is `{"token": UUID}`, the processing event to poll. This module builds the
 * request and reads the answer; the CLI does the I/O.
 */
import { CpansecError } from '../errors.js';

export interface UploadTarget {
  /** the Dependency-Track API server's base URL (https://dtrack.example.org) */
  url: string;
  apiKey: string;
  project: { uuid: string } | { name: string; version?: string; autoCreate?: boolean; parentName?: string; parentVersion?: string };
  multipart?: boolean;
}

export interface UploadRequest {
  method: 'PUT' | 'POST';
  url: string;
  headers: Record<string, string>;
  body: string | FormData;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function uploadRequest(document: Buffer, target: UploadTarget): UploadRequest {
  let base: URL;
  try {
    base = new URL(target.url);
  } catch {
    throw new CpansecError('USAGE', `--url: '${target.url}' is not a URL`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new CpansecError('USAGE', `--url: '${target.url}' is not an http(s) URL`);
  if (base.username || base.password) throw new CpansecError('USAGE', '--url: no credentials in the URL (the API key is read from the environment or a file)');
  const endpoint = new URL(`${base.pathname.replace(/\/+$/, '')}/api/v1/bom`, base).toString();
  const fields: Record<string, string> = {};
  const p = target.project;
  if ('uuid' in p) {
    if (!UUID.test(p.uuid)) throw new CpansecError('USAGE', `--project-uuid: '${p.uuid}' is not a UUID`);
    fields.project = p.uuid;
  } else {
    if (!p.name) throw new CpansecError('USAGE', 'a project name (--project) or UUID (--project-uuid) is needed');
    fields.projectName = p.name;
    if (p.version !== undefined) fields.projectVersion = p.version;
    if (p.autoCreate) fields.autoCreate = 'true';
    if (p.parentName !== undefined) fields.parentName = p.parentName;
    if (p.parentVersion !== undefined) fields.parentVersion = p.parentVersion;
  }
  const headers: Record<string, string> = { 'X-Api-Key': target.apiKey, Accept: 'application/json' };
  if (target.multipart) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('bom', new Blob([new Uint8Array(document)], { type: 'application/json' }), 'bom.json');
    return { method: 'POST', url: endpoint, headers, body: form };
  }
  const json: Record<string, unknown> = { ...fields, ...(fields.autoCreate ? { autoCreate: true } : {}), bom: document.toString('base64') };
  return { method: 'PUT', url: endpoint, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(json) };
}

/** Dependency-Track's answer: the token of the processing event, or a one-line error. */
export function uploadAnswer(status: number, body: string, url: string): string {
  if (status >= 200 && status < 300) {
    let token: unknown;
    try {
      token = (JSON.parse(body) as { token?: unknown }).token;
    } catch {
      token = undefined;
    }
    if (typeof token !== 'string' || !UUID.test(token)) throw new CpansecError('IO_ERROR', `${url}: HTTP ${status} without a processing token: not a Dependency-Track API?`);
    return token;
  }
  const why: Record<number, string> = {
    400: 'the server refused the document (HTTP 400: not a CycloneDX BOM it accepts)',
    401: 'the API key was refused (HTTP 401)',
    403: 'the API key lacks the BOM_UPLOAD permission (and PROJECT_CREATION_UPLOAD for --auto-create), or the project is not accessible (HTTP 403)',
    404: 'no such project (HTTP 404; --auto-create creates it)',
  };
  const detail = body.replace(/\s+/g, ' ').trim().slice(0, 200);
  throw new CpansecError('IO_ERROR', `${url}: ${why[status] ?? `HTTP ${status}`}${detail && !why[status] ? `: ${detail}` : ''}`);
}
