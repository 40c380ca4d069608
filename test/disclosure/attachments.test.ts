/**
 * What a file is, is decided by its bytes: every accepted kind is recognised whatever it claims,
 * programs, pages and images that are scripts are refused with a message naming the file and why,
 * a name that disagrees with the content is refused, and the limits hold. With a report or a
 * message, files are stored in the same transaction: a refused file files nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANONYMOUS, attachmentName, checkAttachment, checkAttachments, fileReport, postMessage, readAttachment, readThread, viewCase, DEFAULT_ATTACHMENT_LIMITS } from '../../src/disclosure/index.js';
import { CpansecError } from '../../src/errors.js';
import { acceptedSamples, PATCH, refusedSamples } from './attachment-samples.js';
import { reportInput, world } from './helpers.js';

const LIMITS = DEFAULT_ATTACHMENT_LIMITS;

test('every accepted kind is recognised by its bytes, and served with the type of its kind', async () => {
  for (const s of await acceptedSamples()) {
    const c = await checkAttachment({ fileName: s.name, content: s.bytes }, LIMITS);
    assert.equal(c.kind, s.kind, s.name);
    assert.equal(c.size, s.bytes.length);
    assert.match(c.sha256, /^[0-9a-f]{64}$/);
  }
  const text = await checkAttachment({ fileName: 'a.txt', content: Buffer.from('plain') }, LIMITS);
  assert.equal(text.mediaType, 'text/plain; charset=utf-8');
});

test('programs, HTML, SVG, XML, names that disagree with the content, empty and non-UTF-8 files are refused, naming the file', async () => {
  for (const s of await refusedSamples()) {
    await assert.rejects(
      () => checkAttachment({ fileName: s.name, content: s.bytes }, LIMITS),
      (e: unknown) => e instanceof CpansecError && e.code === 'PARSE_ERROR' && s.says.test(e.message) && e.file === 'attachments',
      s.name,
    );
  }
});

test('file names: the last part of a path; no control, bidirectional or reserved characters, no leading dot', () => {
  assert.equal(attachmentName('C:\\Users\\rita\\poc.pl'), 'poc.pl');
  assert.equal(attachmentName('/home/rita/poc.pl'), 'poc.pl');
  for (const bad of ['poc\u0000.pl', 'gpj.\u202Eexe', '.bashrc', 'a"b.txt', 'x?.txt', 'trailing.', '']) {
    assert.throws(() => attachmentName(bad), (e: unknown) => e instanceof CpansecError && e.code === 'PARSE_ERROR', JSON.stringify(bad));
  }
});

test('limits: the size of a file and the number of files', async () => {
  const small = { maxBytes: 1000, maxFiles: 2 };
  await assert.rejects(() => checkAttachment({ fileName: 'big.txt', content: Buffer.alloc(1001, 'a') }, small), (e: unknown) => e instanceof CpansecError && e.code === 'TOO_LARGE' && /'big.txt' is larger than the limit of 1000 bytes/.test(e.message));
  assert.equal((await checkAttachment({ fileName: 'edge.txt', content: Buffer.alloc(1000, 'a') }, small)).size, 1000);
  const three = [1, 2, 3].map((i) => ({ fileName: `f${i}.txt`, content: Buffer.from('x') }));
  await assert.rejects(() => checkAttachments(three, small), /at most 2 files/);
});

test('files go with the report or message in one transaction; a refused file files nothing; the readers are the message’s', async () => {
  const w = await world();
  const { deps, member } = w;
  const before = deps.store.snapshot();
  await assert.rejects(() => fileReport(deps, ANONYMOUS, reportInput(), { attachments: [{ fileName: 'poc.txt', content: Buffer.from('fine') }, { fileName: 'tool.exe', content: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]) }] }), /tool.exe/);
  assert.deepEqual(deps.store.snapshot(), before, 'nothing of the report is stored');

  const ref = (await fileReport(deps, ANONYMOUS, reportInput(), { attachments: [{ fileName: 'poc.pl', content: Buffer.from('print 1;\n') }] })).acknowledgement.reference;
  const view = await viewCase(deps, member, ref);
  assert.deepEqual(view.attachments?.map((a) => [a.fileName, a.kind]), [['poc.pl', 'text']]);
  const internal = await postMessage(deps, member, ref, { body: 'our notes', visibility: 'internal', attachments: [{ fileName: 'notes.txt', content: Buffer.from('team only') }] });
  const shared = await postMessage(deps, member, ref, { body: 'a fix to try', attachments: [{ fileName: 'fix.patch', content: Buffer.from(PATCH) }] });
  const thread = await readThread(deps, member, ref);
  const fileOf = (id: string) => thread.find((m) => m.id === id)!.attachments[0]!;
  assert.equal(fileOf(shared.id).kind, 'patch');
  const got = await readAttachment(deps, member, ref, fileOf(internal.id).id);
  assert.equal(Buffer.from(got.content).toString(), 'team only');
  // the audit log keeps ids, kinds, sizes and hashes, never the names
  const entries = deps.store.snapshot().audit.filter((e) => e.action === 'message.posted');
  assert.match(String(entries.at(-1)!.data.attachments), /patch \d+ sha256:[0-9a-f]{64}/);
  assert.ok(!JSON.stringify(deps.store.snapshot().audit).includes('fix.patch'));
});
