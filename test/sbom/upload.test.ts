/**
 * `cpansec sbom upload` against a local stub of Dependency-Track's documented API (/api/v1/bom):
 * the stub checks the request exactly — method, path, X-Api-Key, content type, every field, the
 * document base64-encoded (PUT, JSON) or as the `bom` part (POST, multipart) — and answers as
 * Dependency-Track does.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectPath } from '../helpers/paths.js';
import { readSbomSource, renderSbom, serializeJson } from '../../src/sbom/index.js';
import { tarball, workDir } from './fixtures.js';
import { core, DOC } from './helpers.js';

const KEY = 'odt_0123456789abcdefABCDEF';
let dir: string;
let bom: string;
let server: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: Buffer }[] = [];
let answer: { status: number; body: string } = { status: 200, body: '' };

/** The CLI, run without blocking the stub's event loop. */
function cpansec(args: string[], env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'cli-entry.ts'), ...args], { cwd: projectPath(), env: { ...process.env, NO_COLOR: '1', DEPENDENCY_TRACK_API_KEY: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

before(async () => {
  dir = workDir();
  const doc = renderSbom(await readSbomSource(tarball(dir, 'Plack', '1.0050', 'Plack-1.0050.META.json', 'MIYAGAWA'), { core }), { ...DOC, format: 'cyclonedx' });
  bom = path.join(dir, 'plack.cdx.json');
  writeFileSync(bom, serializeJson(doc));
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('cpansec sbom upload (Dependency-Track)', () => {
  it('PUTs /api/v1/bom with the API key and a JSON body: projectName, projectVersion, autoCreate, the BOM in base64', async () => {
    seen.length = 0;
    const token = randomUUID();
    answer = { status: 200, body: JSON.stringify({ token }) };
    const r = await cpansec(['sbom', 'upload', bom, '--url', `${base}/`, '--project', 'Plack app', '--project-version', '1.0050', '--auto-create'], { DEPENDENCY_TRACK_API_KEY: KEY });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`uploaded to ${base}/api/v1/bom \\(processing token ${token}\\)`));
    assert.equal(seen.length, 1);
    const [req] = seen;
    assert.equal(req!.method, 'PUT');
    assert.equal(req!.url, '/api/v1/bom');
    assert.equal(req!.headers['x-api-key'], KEY);
    assert.equal(req!.headers['content-type'], 'application/json');
    const body = JSON.parse(req!.body.toString('utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(body).sort(), ['autoCreate', 'bom', 'projectName', 'projectVersion']);
    assert.equal(body.projectName, 'Plack app');
    assert.equal(body.projectVersion, '1.0050');
    assert.equal(body.autoCreate, true);
    assert.deepEqual(Buffer.from(body.bom as string, 'base64'), readFileSync(bom));
  });

  it('POSTs multipart/form-data with --multipart, and addresses a project by UUID', async () => {
    seen.length = 0;
    const project = randomUUID();
    answer = { status: 200, body: JSON.stringify({ token: randomUUID() }) };
    const keyFile = path.join(dir, 'key');
    writeFileSync(keyFile, `${KEY}\n`);
    const r = await cpansec(['sbom', 'upload', bom, '--url', base, '--project-uuid', project, '--multipart', '--api-key-file', keyFile]);
    assert.equal(r.status, 0, r.stderr);
    const [req] = seen;
    assert.equal(req!.method, 'POST');
    assert.equal(req!.url, '/api/v1/bom');
    assert.equal(req!.headers['x-api-key'], KEY);
    assert.match(String(req!.headers['content-type']), /^multipart\/form-data; boundary=/);
    const form = await new Request('http://x/', { method: 'POST', headers: { 'content-type': String(req!.headers['content-type']) }, body: new Uint8Array(req!.body) }).formData();
    assert.deepEqual([...form.keys()].sort(), ['bom', 'project']);
    assert.equal(form.get('project'), project);
    const part = form.get('bom') as File;
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), readFileSync(bom));
  });

  it("says what Dependency-Track's refusals mean, and never sends without a key or a CycloneDX document", async () => {
    answer = { status: 401, body: '' };
    let r = await cpansec(['sbom', 'upload', bom, '--url', base, '--project', 'x'], { DEPENDENCY_TRACK_API_KEY: KEY });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^cpansec: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/bom: the API key was refused \(HTTP 401\)\n$/);
    answer = { status: 404, body: 'The project could not be found.' };
    r = await cpansec(['sbom', 'upload', bom, '--url', base, '--project', 'x', '--project-version', '1'], { DEPENDENCY_TRACK_API_KEY: KEY });
    assert.match(r.stderr, /no such project \(HTTP 404; --auto-create creates it\)/);
    seen.length = 0;
    r = await cpansec(['sbom', 'upload', bom, '--url', base, '--project', 'x']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no API key: set DEPENDENCY_TRACK_API_KEY or give --api-key-file/);
    const spdx = path.join(dir, 'x.spdx.json');
    writeFileSync(spdx, JSON.stringify({ spdxVersion: 'SPDX-2.3' }));
    r = await cpansec(['sbom', 'upload', spdx, '--url', base, '--project', 'x'], { DEPENDENCY_TRACK_API_KEY: KEY });
    assert.match(r.stderr, /x\.spdx\.json: SPDX 2\.3: Dependency-Track reads CycloneDX documents only/);
    assert.equal(seen.length, 0, 'nothing sent');
  });
});
