/** TUF repositories, untrusted mirrors and the tuf-js client for the TUF tests. */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { rmSync } from 'node:fs';
import { Updater } from 'tuf-js';
import { newSigner, TufRepository, type TufDocument, type TufSigner, type TufSigners } from '../../src/provenance/tuf/index.js';

export type Signers = Required<Pick<TufSigners, 'root' | 'targets' | 'snapshot' | 'timestamp' | 'delegation'>>;

export function signers(): Signers {
  const one = (): TufSigner[] => [newSigner().signer];
  return { root: one(), targets: one(), snapshot: one(), timestamp: one(), delegation: one() };
}

export function entry(p: string, bytes: Buffer) {
  return { path: p, length: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), sha512: createHash('sha512').update(bytes).digest('hex'), bytes };
}

/** A mirror that serves whatever files it is given (a mirror is not trusted: the tests make it lie). */
export class Mirror {
  readonly files = new Map<string, Buffer>();
  private server?: Server;
  url = '';

  put(docs: readonly TufDocument[]): void {
    for (const d of docs) {
      if (d.role === 'timestamp') this.files.set('metadata/timestamp.json', Buffer.from(d.json));
      else this.files.set(`metadata/${d.version}.${d.role}.json`, Buffer.from(d.json));
    }
  }

  putTarget(p: string, bytes: Buffer, sha256 = createHash('sha256').update(bytes).digest('hex')): void {
    this.files.set(`targets/${path.posix.dirname(p)}/${sha256}.${path.posix.basename(p)}`, bytes);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const body = this.files.get(decodeURIComponent((req.url ?? '/').slice(1)));
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
    after(() => this.server?.close());
    return this.url;
  }
}

/** A tuf-js client that trusts `root` (JSON) and keeps its metadata in a fresh directory. */
export function client(baseUrl: string, root: string): { updater: () => Updater; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-tufjs-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'root.json'), root);
  const targets = path.join(dir, 'targets');
  return {
    dir,
    updater: () => new Updater({ metadataDir: dir, metadataBaseUrl: `${baseUrl}/metadata`, targetBaseUrl: `${baseUrl}/targets`, targetDir: targets, config: { fetchRetries: 0, fetchTimeout: 5000 } }),
  };
}

export { TufRepository, newSigner };
