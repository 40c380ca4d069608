/**
 * Files with reports and messages, through the server, on SQLite and PostgreSQL: filed from the
 * report form and the API, downloaded by the team as attachments (Content-Disposition: attachment,
 * nosniff, the type found from the bytes, a sandboxing policy); refused files (programs, HTML,
 * names that disagree) and files over the limit file nothing and say why, the limit before more
 * than it is read; each file read only by those who read what it came with, and no file of one
 * case reachable through another; the form's CSRF token checked before any file.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { accountActor, ANONYMOUS, assessCase, fileReport, inviteAuthor, postMessage, redeemInvitation, transitionCase } from '../../src/disclosure/index.js';
import { PATCH } from '../disclosure/attachment-samples.js';
import { reportInput } from '../disclosure/helpers.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, Client, invitationToken, multipartBody, tokenFor, workspaceServer, type WorkspaceServer } from './harness.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PROGRAM = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]);

const REPORT_FIELDS = (key: string) => ({
  idempotencyKey: key,
  distribution: 'Foo-Bar',
  affectedVersions: '<= 1.23',
  description: 'Foo::Bar::extract follows symlinks in archives and writes outside the target.',
  reporterEmail: 'rita@example.org',
});

const filesOf = (s: WorkspaceServer) => s.ws.deps.store.transaction(async (tx) => (await Promise.all((await tx.cases.list({})).map((c) => tx.attachments.listByCase(c.id)))).flat());
const cases = (s: WorkspaceServer) => s.ws.deps.store.transaction((tx) => tx.cases.list({}));

/** A download as the workspace must send it. */
function assertDownload(r: LightMyRequestResponse, name: string, type: string, bytes: Uint8Array): void {
  assert.equal(r.statusCode, 200, r.body.slice(0, 200));
  assert.match(String(r.headers['content-disposition']), new RegExp(`^attachment; filename="?${name.replace(/\./g, '\\.')}"?$`));
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.equal(r.headers['content-type'], type);
  assert.match(String(r.headers['content-security-policy']), /sandbox/);
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.deepEqual(r.rawPayload, Buffer.from(bytes));
}

async function keyOfReportForm(c: Client): Promise<string> {
  const page = await c.get('/workspace/report');
  assert.match(page.body, /enctype="multipart\/form-data"/);
  return /name="idempotencyKey" value="([^"]+)"/.exec(page.body)![1]!;
}

for (const backend of BACKENDS) {
  describe(`attachments on ${backend.name}`, { skip: backend.skip }, () => {
    test('a report with files from the form and from the API; the team downloads them as attachments', async () => {
      const s = await workspaceServer(backend, { seed: 'files' });
      const rita = new Client(s.app);
      const key = await keyOfReportForm(rita);
      const sent = [
        { name: 'poc.pl', bytes: Buffer.from('#!/usr/bin/perl\nuse Foo::Bar;\nFoo::Bar::extract("evil.tar");\n') },
        { name: 'fix.patch', bytes: Buffer.from(PATCH) },
        { name: 'screenshot.png', bytes: PNG },
      ];
      // the browser claims types of its own: they are not what decides
      let r = await rita.postFiles('/workspace/report', REPORT_FIELDS(key), sent.map((f) => ({ ...f, type: 'text/html' })));
      assert.equal(r.statusCode, 200, r.body.slice(0, 500));
      const ref = /id="reference">([A-Z0-9-]+)</.exec(r.body)![1]!;
      // sent again (a double click): the same case, no second set of files
      r = await rita.postFiles('/workspace/report', REPORT_FIELDS(key), sent);
      assert.match(r.body, new RegExp(ref));
      assert.equal((await cases(s)).length, 1);
      assert.deepEqual((await filesOf(s)).map((f) => [f.fileName, f.kind, f.mediaType]), [
        ['poc.pl', 'text', 'text/plain; charset=utf-8'],
        ['fix.patch', 'patch', 'text/x-diff; charset=utf-8'],
        ['screenshot.png', 'png', 'image/png'],
      ]);

      const max = new Client(s.app);
      await addUser(s.ws, 'max', 'member');
      await max.login('max@example.org');
      const page = await max.get(`/workspace/cases/${ref}`);
      const links = [...page.body.matchAll(/<a href="(\/workspace\/cases\/[^"]+\/attachments\/[0-9a-z]{26})">([^<]+)<\/a>/g)].map((m): [string, string] => [m[1]!, m[2]!]);
      assert.deepEqual(links.map((l) => l[1]), ['poc.pl', 'fix.patch', 'screenshot.png']);
      const types = ['text/plain; charset=utf-8', 'text/x-diff; charset=utf-8', 'image/png'];
      for (const [i, [href, name]] of links.entries()) assertDownload(await max.get(href), name, types[i]!, sent[i]!.bytes);

      // the API: the report as JSON in a `report` part, the files beside it; a retry with its key files nothing new
      const { payload, contentType } = await multipartBody([['report', JSON.stringify({ distribution: 'Foo-Bar', affectedVersions: ['< 2'], description: 'A second report, from a script, with a file.', reporterEmail: 'bot@example.org' })]], [{ name: 'trace.log', bytes: Buffer.from('segfault in extract\n') }]);
      const api = (p: Buffer, k: string) => s.app.inject({ method: 'POST', url: '/api/reports', payload: p, headers: { 'content-type': contentType, 'idempotency-key': k } });
      const first = await api(payload, 'script-retry-key-0001');
      assert.equal(first.statusCode, 201, first.body);
      const again = await api(payload, 'script-retry-key-0001');
      assert.equal(again.headers['idempotent-replayed'], 'true');
      const other = await multipartBody([['report', JSON.stringify({ distribution: 'Foo-Bar', affectedVersions: ['< 2'], description: 'A second report, from a script, with a file.', reporterEmail: 'bot@example.org' })]], [{ name: 'trace.log', bytes: Buffer.from('another trace\n') }]);
      assert.equal((await s.app.inject({ method: 'POST', url: '/api/reports', payload: other.payload, headers: { 'content-type': other.contentType, 'idempotency-key': 'script-retry-key-0001' } })).statusCode, 409, 'other files under the same key are another report');
      const apiRef = JSON.parse(first.body).reference as string;
      const token = await tokenFor(s.ws, await addUser(s.ws, 'mo', 'member'), true);
      const view = JSON.parse((await s.app.inject({ url: `/api/cases/${apiRef}`, headers: { authorization: `Bearer ${token}` } })).body);
      assert.deepEqual(view.attachments.map((a: { fileName: string }) => a.fileName), ['trace.log']);
      assertDownload(await s.app.inject({ url: `/api/cases/${apiRef}/attachments/${view.attachments[0].id}`, headers: { authorization: `Bearer ${token}` } }), 'trace.log', 'text/plain; charset=utf-8', Buffer.from('segfault in extract\n'));
      assert.equal((await cases(s)).length, 2);
    });

    test('a refused file files nothing and says why, next to the file field, keeping the text', async () => {
      const s = await workspaceServer(backend, { seed: 'refused' });
      const rita = new Client(s.app);
      rita.followReport = false;
      const key = await keyOfReportForm(rita);
      for (const [file, says] of [
        [{ name: 'tool.exe', bytes: PROGRAM }, /is a program \(exe\)/],
        [{ name: 'notes.txt', bytes: Buffer.from('<html><body><script>alert(1)</script>') }, /HTML, SVG or XML/],
        [{ name: 'poc.html', bytes: Buffer.from('plain words\n') }, /name ends in \.html/],
      ] as const) {
        const r = await rita.postFiles('/workspace/report', REPORT_FIELDS(key), [{ name: 'ok.txt', bytes: Buffer.from('fine') }, file]);
        assert.equal(r.statusCode, 400, file.name);
        assert.match(/id="f-report-attachments-error">([\s\S]*?)<\/div>/.exec(r.body)?.[1] ?? '', says);
        assert.match(r.body, /Foo::Bar::extract follows symlinks/, 'the text is kept');
        assert.match(r.body, /aria-invalid="true"/);
      }
      const { payload, contentType } = await multipartBody([['report', JSON.stringify(reportInput())]], [{ name: 'tool.exe', bytes: PROGRAM }]);
      const r = await s.app.inject({ method: 'POST', url: '/api/reports', payload, headers: { 'content-type': contentType } });
      assert.equal(r.statusCode, 400);
      assert.deepEqual(JSON.parse(r.body).error.field, 'attachments');
      assert.equal((await cases(s)).length, 0);
      assert.equal((await filesOf(s)).length, 0);
    });

    test('the size limit: a larger file is refused (413) naming the limit, nothing filed; the server stops reading at the limit', async () => {
      const limit = 64 * 1024;
      const s = await workspaceServer(backend, { seed: 'size', workspace: { attachmentMaxBytes: limit, attachmentMaxFiles: 2 } });
      const rita = new Client(s.app);
      rita.followReport = false;
      const key = await keyOfReportForm(rita);
      let r = await rita.postFiles('/workspace/report', REPORT_FIELDS(key), [{ name: 'big.log', bytes: Buffer.alloc(limit + 1, 'a') }]);
      assert.equal(r.statusCode, 413);
      assert.match(r.body, /&#39;big.log&#39; is larger than the limit of 64 kB a file|'big.log' is larger than the limit of 64 kB a file/);
      assert.match(r.body, /Foo::Bar::extract follows symlinks/, 'the text is kept');
      assert.equal(r.headers.connection, 'close', 'the rest of the body is not read');
      assert.equal((await cases(s)).length, 0);
      // too many files
      r = await rita.postFiles('/workspace/report', REPORT_FIELDS(key), [1, 2, 3].map((i) => ({ name: `f${i}.txt`, bytes: Buffer.from('x') })));
      assert.match(r.body, /at most 2 files/);
      // exactly the limit is fine
      r = await rita.postFiles('/workspace/report', REPORT_FIELDS(key), [{ name: 'edge.log', bytes: Buffer.alloc(limit, 'a') }]);
      assert.equal(r.statusCode, 303);
      assert.deepEqual((await filesOf(s)).map((f) => f.size), [limit]);

      const { payload, contentType } = await multipartBody([['report', JSON.stringify(reportInput())]], [{ name: 'big.log', bytes: Buffer.alloc(limit + 1, 'a') }]);
      r = await s.app.inject({ method: 'POST', url: '/api/reports', payload, headers: { 'content-type': contentType } });
      assert.equal(r.statusCode, 413);
      assert.deepEqual(JSON.parse(r.body).error, { code: 'TOO_LARGE', message: "attachments: 'big.log' is larger than the limit of 64 kB a file", field: 'attachments' });

      // over a real connection: a 40 MB upload is answered 413 long before it is sent, and a
      // declared length over what the files may total is answered before any byte is read
      await s.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (s.app.server.address() as AddressInfo).port;
      const streamed = await new Promise<{ status: number; written: number; total: number }>((resolve, reject) => {
        const boundary = 'x-cpansec-test-boundary';
        const total = 40 * 1024 * 1024;
        let written = 0;
        let done = false;
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/reports', headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'transfer-encoding': 'chunked' } });
        req.on('response', (res) => {
          done = true;
          res.resume();
          resolve({ status: res.statusCode!, written, total });
        });
        req.on('error', (e) => (done ? undefined : reject(e)));
        req.write(`--${boundary}\r\nContent-Disposition: form-data; name="report"\r\n\r\n${JSON.stringify(reportInput())}\r\n--${boundary}\r\nContent-Disposition: form-data; name="attachment"; filename="huge.log"\r\nContent-Type: text/plain\r\n\r\n`);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const pump = () => {
          while (!done && written < total) {
            written += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', pump);
          }
          if (!done) req.end(`\r\n--${boundary}--\r\n`);
        };
        pump();
      });
      assert.equal(streamed.status, 413);
      assert.ok(streamed.written < streamed.total / 2, `answered after ${streamed.written} of ${streamed.total} bytes`);
      const declared = await new Promise<number>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/reports', headers: { 'content-type': 'multipart/form-data; boundary=b', 'content-length': String(10 * 1024 * 1024 * 1024) } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode!);
          req.destroy();
        });
        req.on('error', reject);
        req.write('--b\r\n');
      });
      assert.equal(declared, 413);
      assert.equal((await cases(s)).length, 1, 'only the report at the limit');
    });

    test('who reads which file: the report’s and shared messages’ files everyone on the case, an internal note’s the team; nothing across cases', async () => {
      const s = await workspaceServer(backend, { seed: 'readers' });
      const d = s.ws.deps;
      const ada = accountActor(await addUser(s.ws, 'ada', 'admin'));
      const ritaAccount = await addUser(s.ws, 'rita', 'external');
      const olgaAccount = await addUser(s.ws, 'olga', 'external');
      const ref = (await fileReport(d, accountActor(ritaAccount), reportInput({ reporterEmail: 'rita@example.org' }), { attachments: [{ fileName: 'poc.pl', content: Buffer.from('print "report file";\n') }] })).acknowledgement.reference;
      const other = (await fileReport(d, accountActor(olgaAccount), reportInput({ reporterEmail: 'olga@example.org', distribution: 'Other-Dist' }), { attachments: [{ fileName: 'olga.txt', content: Buffer.from('olga only') }] })).acknowledgement.reference;
      await transitionCase(d, ada, ref, 'triaging', 'looking');
      await assessCase(d, ada, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
      await transitionCase(d, ada, ref, 'accepted', 'reproduced');
      await inviteAuthor(d, ada, ref, { email: 'author@cpan.example' });
      await redeemInvitation(d, ANONYMOUS, await invitationToken(s.ws, 'author@cpan.example'), { password: 'maintains foo bar since 2010' });
      await postMessage(d, ada, ref, { body: 'internal', visibility: 'internal', attachments: [{ fileName: 'team-notes.txt', content: Buffer.from('INTERNAL-NOTE-FILE') }] });
      await postMessage(d, accountActor(ritaAccount), ref, { body: 'a patch', attachments: [{ fileName: 'fix.patch', content: Buffer.from(PATCH) }] });
      const all = await s.ws.deps.store.transaction(async (tx) => tx.attachments.listByCase((await tx.cases.getByReference(ref))!.id));
      const byName = (n: string) => all.find((a) => a.fileName === n)!.id;
      const olgaFile = (await s.ws.deps.store.transaction(async (tx) => tx.attachments.listByCase((await tx.cases.getByReference(other))!.id)))[0]!.id;

      const sessions: Record<string, Client> = {};
      for (const [who, email, password] of [['ada', 'ada@example.org'], ['rita', 'rita@example.org'], ['olga', 'olga@example.org'], ['author', 'author@cpan.example', 'maintains foo bar since 2010']] as const) {
        sessions[who] = new Client(s.app);
        await sessions[who].login(email, password);
      }
      sessions.anonymous = new Client(s.app);
      const want: Record<string, Record<string, number>> = {
        ada: { 'poc.pl': 200, 'fix.patch': 200, 'team-notes.txt': 200 },
        rita: { 'poc.pl': 200, 'fix.patch': 200, 'team-notes.txt': 404 },
        author: { 'poc.pl': 200, 'fix.patch': 200, 'team-notes.txt': 404 },
        olga: { 'poc.pl': 404, 'fix.patch': 404, 'team-notes.txt': 404 },
        anonymous: { 'poc.pl': 303, 'fix.patch': 303, 'team-notes.txt': 303 },
      };
      const failures: string[] = [];
      for (const [who, files] of Object.entries(want)) {
        for (const [name, status] of Object.entries(files)) {
          const r = await sessions[who]!.get(`/workspace/cases/${ref}/attachments/${byName(name)}`);
          if (r.statusCode !== status) failures.push(`${who} ${name}: ${r.statusCode}, expected ${status}`);
          if (status !== 200 && r.body.includes('INTERNAL-NOTE-FILE')) failures.push(`${who} ${name}: a refusal shows the file`);
          // the API says the same, anonymous included (no login page there: 404)
          const cookie = [...sessions[who]!.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
          const api = await s.app.inject({ url: `/api/cases/${ref}/attachments/${byName(name)}`, headers: { cookie } });
          if (api.statusCode !== (status === 303 ? 404 : status)) failures.push(`${who} ${name} (API): ${api.statusCode}`);
        }
        // no file of one case through another: olga's own file under rita's case, a guessed id
        for (const id of [olgaFile, 'z'.repeat(26), '../../etc/passwd']) {
          const r = await sessions[who]!.get(`/workspace/cases/${ref}/attachments/${encodeURIComponent(id)}`);
          if (![303, 404].includes(r.statusCode)) failures.push(`${who} another case's file ${id}: ${r.statusCode}`);
        }
      }
      assert.deepEqual(failures, []);
      // the author's thread lists the shared message's file, and no trace of the internal note's
      const thread = (await sessions.author!.get(`/workspace/cases/${ref}?tab=discussion`)).body;
      assert.match(thread, /fix\.patch/);
      assert.ok(!thread.includes('team-notes.txt'));
      assert.ok((await sessions.ada!.get(`/workspace/cases/${ref}?tab=discussion`)).body.includes('team-notes.txt'));
    });

    test('the form’s token is checked before any file; only the upload routes take multipart bodies', async () => {
      const s = await workspaceServer(backend, { seed: 'upload-csrf' });
      const ada = accountActor(await addUser(s.ws, 'ada', 'admin'));
      const ref = (await fileReport(s.ws.deps, ANONYMOUS, reportInput())).acknowledgement.reference;
      await transitionCase(s.ws.deps, ada, ref, 'triaging', 'looking');
      const c = new Client(s.app);
      await c.login('ada@example.org');
      await c.get(`/workspace/cases/${ref}?tab=discussion`);
      const file = [{ name: 'notes.txt', bytes: Buffer.from('x') }];
      const messages = () => s.ws.deps.store.transaction(async (tx) => tx.messages.listByCase((await tx.cases.getByReference(ref))!.id));
      for (const csrf of [null, 'A'.repeat(43)]) {
        const r = await c.postFiles(`/workspace/cases/${ref}/messages`, { body: 'forged' }, file, { csrf });
        assert.equal(r.statusCode, 403, `token ${csrf}`);
      }
      // the token after the file: the file came first, refused
      const late = await multipartBody([['body', 'late token']], file);
      const lateBody = Buffer.concat([late.payload.subarray(0, late.payload.lastIndexOf('--')), Buffer.from(`Content-Disposition: form-data; name="_csrf"\r\n\r\n${c.csrf}\r\n--`), late.payload.subarray(late.payload.lastIndexOf('--') + 2)]);
      const cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const r = await s.app.inject({ method: 'POST', url: `/workspace/cases/${ref}/messages`, payload: lateBody, headers: { 'content-type': late.contentType, cookie } });
      assert.equal(r.statusCode, 403);
      assert.equal((await messages()).length, 0);
      assert.equal((await filesOf(s)).length, 0);
      // with the token first it is posted
      const ok = await c.postFiles(`/workspace/cases/${ref}/messages`, { body: 'a note with a file', visibility: 'internal' }, file);
      assert.equal(ok.statusCode, 303, ok.body.slice(0, 300));
      assert.equal((await messages()).length, 1);
      // any other form refuses a multipart body outright
      const { payload, contentType } = await multipartBody([['_csrf', c.csrf], ['to', 'rejected'], ['reason', 'no']], []);
      assert.equal((await s.app.inject({ method: 'POST', url: `/workspace/cases/${ref}/transition`, payload, headers: { 'content-type': contentType, cookie } })).statusCode, 415);
      // an anonymous upload that another site's page sends to the API is refused
      const report = await multipartBody([['report', JSON.stringify(reportInput())]], file);
      const cross = await s.app.inject({ method: 'POST', url: '/api/reports', payload: report.payload, headers: { 'content-type': report.contentType, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' } });
      assert.equal(cross.statusCode, 403);
      // a session's API call with files needs the X-CSRF-Token header
      const post = (headers: Record<string, string>) => s.app.inject({ method: 'POST', url: `/api/cases/${ref}/messages`, payload: report.payload, headers: { 'content-type': report.contentType, cookie, ...headers } });
      assert.equal((await post({})).statusCode, 403);
    });
  });
}
