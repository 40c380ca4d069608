import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { diffDatabases, loadBundledDatabase, parseCpansaBuffer, VulnerabilityIndex } from '../../src/index/index.js';
import { toCpansaJson } from '../../src/publish/index.js';
import { BACKENDS } from '../store/backends.js';
import { advisory, edited } from '../store/fixtures.js';
import { projectPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';
import { cliAsync } from './cli-async.js';

const tmp = tempDir('db-update');

/** The bundled database with the release lists of every distribution but DBI emptied. */
function fewReleases(): string {
  return toCpansaJson(
    new VulnerabilityIndex(
      edited(loadBundledDatabase(), (d) => {
        for (const dist of d.distributions.values()) if (dist.name !== 'DBI') dist.releases = [];
      }),
    ),
  );
}

/** The bundled database with one advisory added, one removed and one changed. */
function newerDatabase(): string {
  const db = edited(loadBundledDatabase(), (d) => {
    const dbi = d.distributions.get('DBI')!;
    dbi.advisories.push(advisory({ id: 'CPANSA-DBI-2026-99', distribution: 'DBI', affected_versions: ['<1.653'], reported: '2026-11-01', description: 'A new one.\n' }));
    const mojo = d.distributions.get('Mojolicious')!;
    mojo.advisories = mojo.advisories.filter((a) => a.id !== 'CPANSA-Mojolicious-2011-01');
    mojo.advisories[0] = { ...mojo.advisories[0]!, severity: 'critical', severityText: 'critical' };
  });
  return toCpansaJson(new VulnerabilityIndex(db));
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const FILES = new Map<string, { status: number; body: string }>();
let http: Server;
let base: string;

before(async () => {
  const newer = newerDatabase();
  const few = fewReleases();
  const broken = toCpansaJson(
    new VulnerabilityIndex(edited(loadBundledDatabase(), (d) => d.distributions.get('DBI')!.advisories.push(advisory({ id: 'CPANSA-DBI-2026-98', distribution: 'DBI', affected_versions: ['<1.2.'] })))),
  );
  const files: [string, number, string][] = [
    ['/db/cpansa.json', 200, newer],
    ['/db/cpansa.json.sha256', 200, `${sha256(newer)}  cpansa.json\n`],
    ['/unsigned/cpansa.json', 200, newer],
    ['/broken/cpansa.json', 200, broken],
    ['/broken/cpansa.json.sha256', 200, `${sha256(broken)}  cpansa.json\n`],
    ['/html/cpansa.json', 200, '<html>not a database</html>'],
    ['/html/cpansa.json.sha256', 200, `${sha256('<html>not a database</html>')}  cpansa.json\n`],
    ['/down/cpansa.json', 500, 'oops'],
    ['/few/cpansa.json', 200, few],
    ['/few/cpansa.json.sha256', 200, `${sha256(few)}  cpansa.json\n`],
  ];
  for (const [p, status, body] of files) FILES.set(p, { status, body });
  http = createServer((req, res) => {
    const f = FILES.get(req.url ?? '');
    if (!f) return res.writeHead(404).end('not found');
    const etag = `"${sha256(f.body).slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return res.writeHead(304).end();
    res.writeHead(f.status, { etag, 'content-type': 'application/json' }).end(f.body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => http.close(() => resolve())));

for (const backend of BACKENDS) {
  describe(`cpansec db update on ${backend.name}`, { skip: backend.skip }, () => {
    let flags: string[];
    before(async () => {
      flags = (await backend.location()).flags;
    });
    const revision = async () => (JSON.parse((await cliAsync(['db', 'status', '--format', 'json', ...flags])).stdout) as { revision: number }).revision;

    test('failures keep the stored database: bad checksum, none published, unreadable range, not JSON, HTTP error', async () => {
      const cases: [string[], RegExp][] = [
        [['--from', `${base}/db/cpansa.json`, '--sha256', '0'.repeat(64)], /checksum mismatch: expected 0{64}, got [0-9a-f]{64}$/],
        [['--from', `${base}/unsigned/cpansa.json`], /no checksum published at .*\/unsigned\/cpansa\.json\.sha256; give --sha256 HEX, or --allow-unverified/],
        [['--from', `${base}/broken/cpansa.json`], /advisory CPANSA-DBI-2026-98 \(DBI\): affected_versions/],
        [['--from', `${base}/html/cpansa.json`], /cpansa\.json: not JSON/],
        [['--from', `${base}/down/cpansa.json`], /cannot fetch the database: HTTP 500$/],
        [['--from', 'ftp://example.org/db.json'], /must be http\(s\)/],
        [['--from', `${base}/few/cpansa.json`], /few\/cpansa\.json: the new database lists \d+ releases where the store has 21737: it would drop most of them; refusing \(--force/],
      ];
      for (const [args, message] of cases) {
        const r = await cliAsync(['db', 'update', ...args, ...flags]);
        assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
        const lines = r.stderr.trim().split('\n');
        assert.equal(lines.length, 1, r.stderr);
        assert.match(lines[0]!, /^cpansec: /);
        assert.match(lines[0]!, message);
      }
      assert.equal(await revision(), 1);
    });

    test('an update checks the published SHA-256, replaces the database and says what changed', async () => {
      const r = await cliAsync(['db', 'update', '--from', `${base}/db/cpansa.json`, ...flags]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^updated the store from http:\/\/127\.0\.0\.1:\d+\/db\/cpansa\.json: revision 1 -> 2\n/);
      assert.match(r.stdout, /1 advisories added, 1 removed, 1 changed/);
      assert.match(r.stdout, /^ {2}\+ CPANSA-DBI-2026-99 \(DBI\)$/m);
      assert.match(r.stdout, /^ {2}- CPANSA-Mojolicious-2011-01 \(Mojolicious\)$/m);
      assert.match(r.stdout, /^ {2}~ CPANSA-Mojolicious-\S+ \(Mojolicious\)$/m);
      const status = JSON.parse((await cliAsync(['db', 'status', '--format', 'json', ...flags])).stdout) as {
        revision: number;
        last_import: { source: string; sha256: string };
        update_url: string;
      };
      assert.equal(status.revision, 2);
      assert.equal(status.last_import.source, `${base}/db/cpansa.json`);
      assert.equal(status.last_import.sha256, sha256(FILES.get('/db/cpansa.json')!.body));
      assert.equal(status.update_url, `${base}/db/cpansa.json`);
    });

    test('the next update remembers the URL and asks only for changes', async () => {
      const r = await cliAsync(['db', 'update', ...flags]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /already up to date: .*\/db\/cpansa\.json has not changed since the last update/);
      assert.equal(await revision(), 2);
    });

    test('--allow-unverified takes a database with no checksum, with a warning', async () => {
      const r = await cliAsync(['db', 'update', '--from', `${base}/unsigned/cpansa.json`, '--allow-unverified', '--format', 'json', ...flags]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /warning: .*no checksum published; the database was not verified/);
      const out = JSON.parse(r.stdout) as { verified: boolean; updated: boolean };
      assert.equal(out.verified, false);
      assert.equal(out.updated, false, 'same content as the last update: nothing written');
    });

    test('db export writes the stored database; db import reads one back', async () => {
      const file = path.join(tmp, 'out.json');
      const ex = await cliAsync(['db', 'export', file, ...flags]);
      assert.equal(ex.status, 0, ex.stderr);
      const exported = parseCpansaBuffer(readFileSync(file), file);
      assert.equal(diffDatabases(parseCpansaBuffer(Buffer.from(FILES.get('/db/cpansa.json')!.body), 'x'), exported).unchanged, true);
      const bundled = path.join(tmp, 'bundled.json');
      writeFileSync(bundled, toCpansaJson(new VulnerabilityIndex(loadBundledDatabase())));
      const im = await cliAsync(['db', 'import', bundled, ...flags]);
      assert.equal(im.status, 0, im.stderr);
      assert.match(im.stdout, /revision 2 -> 3/);
      assert.match(im.stdout, /^ {2}- CPANSA-DBI-2026-99 \(DBI\)$/m);
    });

    test('db import of report files without releases.json keeps the stored release lists and module map', async () => {
      const r = await cliAsync(['db', 'import', projectPath('data', 'cpansa'), '--format', 'json', ...flags]);
      assert.equal(r.status, 0, r.stderr);
      const out = JSON.parse(r.stdout) as { kept: unknown; changes: { releases: { after: number }; modules: { after: number } } };
      assert.deepEqual(out.kept, { releases: true, module_map: true });
      assert.deepEqual([out.changes.releases.after, out.changes.modules.after], [21737, 8336]);
      const status = JSON.parse((await cliAsync(['db', 'status', '--format', 'json', ...flags])).stdout) as { releases: number; modules: number };
      assert.deepEqual([status.releases, status.modules], [21737, 8336]);
    });

    test('db import refuses a database that drops most release lists, and says so; --force replaces them', async () => {
      const file = path.join(tmp, 'few.json');
      writeFileSync(file, fewReleases());
      const refused = await cliAsync(['db', 'import', file, ...flags]);
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /^cpansec: .*few\.json: the new database lists \d+ releases where the store has 21737: it would drop most of them; refusing \(--force replaces them anyway\)\n$/);
      const forced = await cliAsync(['db', 'import', file, '--force', ...flags]);
      assert.equal(forced.status, 0, forced.stderr);
      assert.match(forced.stdout, /releases 21737 -> \d+,/);
      assert.doesNotMatch(forced.stdout, /kept the stored/);
    });
  });
}
