import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { projectPath } from '../helpers/paths.js';
import { BACKENDS } from '../store/backends.js';

interface Log {
  level: number;
  msg: string;
  url?: string;
  status?: number;
}

for (const backend of BACKENDS) {
  describe(`cpansec serve on ${backend.name}`, { skip: backend.skip }, () => {
    test('starts on an empty store with the bundled data, logs JSON, and stops cleanly on SIGTERM', async () => {
      const { flags } = await backend.location();
      const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'cli-entry.ts'), 'serve', '--port', '0', ...flags], {
        cwd: projectPath(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const logs: Log[] = [];
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      const url = await new Promise<string>((resolve, reject) => {
        let buffer = '';
        const timer = setTimeout(() => reject(new Error(`no "cpansec serving" line in 60 s; stderr: ${stderr}`)), 60_000);
        child.stdout.on('data', (d: Buffer) => {
          buffer += d.toString();
          let nl;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const log = JSON.parse(buffer.slice(0, nl)) as Log;
            buffer = buffer.slice(nl + 1);
            logs.push(log);
            if (log.msg === 'cpansec serving') {
              clearTimeout(timer);
              resolve(log.url!);
            }
          }
        });
      });
      assert.ok(logs.some((l) => l.msg === 'loaded the bundled advisory database into the new store'));
      const health = (await (await fetch(`${url}/healthz`)).json()) as { status: string; advisories: number };
      assert.deepEqual([health.status, health.advisories], ['ok', 2061]);
      const home = await fetch(`${url}/`);
      assert.equal(home.status, 200);
      assert.match(await home.text(), /CPAN Security Advisories/);
      // no --base-url: the API page and security.txt give the address listened on
      const api = await (await fetch(`${url}/api`)).text();
      assert.ok(api.includes(`/v1/query\ncurl`) && api.includes(` ${url}/v1/query`), 'the API examples carry the listening address');
      const securityTxt = await (await fetch(`${url}/.well-known/security.txt`)).text();
      assert.match(securityTxt, new RegExp(`^Canonical: ${url.replace(/[.]/g, '\\.')}/\\.well-known/security\\.txt$`, 'm'));
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      assert.ok(logs.some((l) => l.msg === 'request' && l.url === '/healthz' && l.status === 200));
      assert.ok(logs.some((l) => l.msg === 'shutting down: finishing requests in flight'));
      assert.equal(stderr, '');
    });
  });
}
