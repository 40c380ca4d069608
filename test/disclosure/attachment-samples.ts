/** Files of every kind the attachment checks see, made at test time: accepted ones and hostile ones. */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import yazl from 'yazl';
import { tar } from '../archive/build.js';

export const PATCH = `diff --git a/lib/Foo/Bar.pm b/lib/Foo/Bar.pm
--- a/lib/Foo/Bar.pm
+++ b/lib/Foo/Bar.pm
@@ -10,7 +10,7 @@ sub extract {
-    open my $fh, '>', $path;
+    die "unsafe path" if $path =~ m{(^|/)\\.\\.(/|$)};
+    open my $fh, '>', $path;
`;

async function zip(entries: Record<string, string>): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, content] of Object.entries(entries)) z.addBuffer(Buffer.from(content), name);
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Accepted files: name, bytes, the kind the checks must find. */
export async function acceptedSamples(): Promise<{ name: string; bytes: Uint8Array; kind: string }[]> {
  const tarball = tar([{ name: 'poc/run.pl', content: 'print "hello\\n";\n' }]);
  return [
    { name: 'poc.pl', bytes: Buffer.from('#!/usr/bin/perl\nuse Foo::Bar;\nFoo::Bar->extract("../../etc/passwd");\n'), kind: 'text' },
    { name: 'crash.log', bytes: Buffer.from('\u001b[31mERROR\u001b[0m segfault at 0\r\n\tin Foo::Bar::extract\n'), kind: 'text' },
    { name: 'README', bytes: Buffer.from('Steps: run poc.pl, then look at /tmp.\n'), kind: 'text' },
    { name: 'fix.patch', bytes: Buffer.from(PATCH), kind: 'patch' },
    { name: 'fix.txt', bytes: Buffer.from(PATCH), kind: 'patch' },
    { name: 'report.pdf', bytes: Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', 'latin1'), kind: 'pdf' },
    { name: 'screenshot.png', bytes: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), kind: 'png' },
    { name: 'photo.JPG', bytes: Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), kind: 'jpeg' },
    { name: 'poc.tar', bytes: tarball, kind: 'tar' },
    { name: 'poc.tar.gz', bytes: gzipSync(tarball), kind: 'gzip' },
    { name: 'trace.gz', bytes: gzipSync('a long trace\n'), kind: 'gzip' },
    { name: 'poc.zip', bytes: await zip({ 'poc/run.pl': 'print 1;\n' }), kind: 'zip' },
  ];
}

/** Refused files: name, bytes, what the refusal must say. */
export async function refusedSamples(): Promise<{ name: string; bytes: Uint8Array; says: RegExp }[]> {
  return [
    { name: 'tool.exe', bytes: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300)]), says: /is a program \(exe\)/ },
    { name: 'poc.txt', bytes: readFileSync(process.execPath).subarray(0, 4096), says: /is a program \(elf\)/ },
    { name: 'Exploit.jar', bytes: await zip({ 'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0\n' }), says: /is a program \(jar\)/ },
    { name: 'page.txt', bytes: Buffer.from('  <!DOCTYPE html><html><body><script>alert(1)</script></body></html>'), says: /HTML, SVG or XML/ },
    { name: 'image.png', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), says: /HTML, SVG or XML/ },
    { name: 'data.txt', bytes: Buffer.from('<?xml version="1.0"?><x/>'), says: /XML/ },
    { name: 'page.html', bytes: Buffer.from('Looks like text, but the name says HTML.\n<script>alert(1)</script>\n'), says: /is a text but its name ends in \.html/ },
    { name: 'shot.pdf', bytes: Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'), says: /is a PNG image but its name ends in \.pdf/ },
    { name: 'utf16.txt', bytes: Buffer.from('hello, world', 'utf16le'), says: /neither UTF-8 text nor a file type we accept/ },
    { name: 'empty.txt', bytes: new Uint8Array(0), says: /is empty/ },
  ];
}
