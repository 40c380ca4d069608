/**
 * `cpansec keys add|rotate|revoke|list PAUSEID …`: author signing keys bound to PAUSE ids.
 * On the server's own store (an administrator on the server's machine: --data-dir/--database), or
 * with --server URL as the author, the change signed with --sign-with (one of the author's active
 * keys). Every change is appended to the registry's history (nothing is overwritten) and recorded in
 * the transparency log (as PAUSEID/_keys/SEQ-ACTION.json, see key-log.ts).
 */
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { readInputText } from '../input-file.js';
import type { Run } from './main.js';
import { storeLocation, storeOptions, type StoreFlags } from './db.js';

interface KeyFlags extends StoreFlags {
  server?: string;
  signWith?: string;
  reason?: string;
  by?: string;
}

type Req = import('../provenance/attestation/index.js').KeyChangeRequest;

async function apply(req: Req, flags: KeyFlags): Promise<number> {
  const a = await import('../provenance/attestation/index.js');
  if (!a.PAUSE_ID.test(req.author)) throw new CpansecError('USAGE', `'${req.author}' is not a PAUSE id`);
  let change: import('../provenance/attestation/index.js').KeyChange;
  let logged: { path: string; index: number } | null = null;
  if (flags.server) {
    if (!flags.signWith) throw new CpansecError('USAGE', '--server needs --sign-with KEY (one of your active keys)');
    const key = a.readSigningKey(readInputText(flags.signWith, 64 * 1024), flags.signWith);
    const url = `${flags.server.replace(/\/+$/, '')}/v1/authors/${req.author}/keys`;
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(a.signKeyChange(req, key, new Date())), signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      throw new CpansecError('IO_ERROR', `cannot reach the server: ${(e as Error).message}`, { file: url });
    }
    const body = (await res.json().catch(() => ({}))) as { change?: typeof change; log?: typeof logged; message?: string };
    if (!res.ok || !body.change) throw new CpansecError(res.status === 403 ? 'FORBIDDEN' : 'CONFLICT', `refused: ${body.message ?? `HTTP ${res.status}`}`, { file: url });
    change = body.change;
    logged = body.log ?? null;
  } else {
    const { Store, SqlAuthorKeyStore, SqlLogStore } = await import('../store/index.js');
    const { appendEntries } = await import('../provenance/index.js');
    const store = await Store.open(storeLocation(flags));
    try {
      const keys = new SqlAuthorKeyStore(store.db, store.dialect);
      change = await keys.apply(req, new Date().toISOString(), `admin:${flags.by ?? process.env.USER ?? 'cli'}`);
      // then into the store's transparency log, with any change a crash left out before
      const log = new SqlLogStore(store.db, store.dialect);
      await a.catchUpKeyChanges(keys, async (entries) => (await log.transaction((tx) => appendEntries(tx, entries, new Date()))).outcomes);
      const path = a.keyChangePath(change);
      const found = (await log.findPaths([path])).get(path);
      if (found) logged = { path, index: found.index };
    } finally {
      await store.close();
    }
  }
  process.stdout.write(`${change.seq} ${change.at} ${change.author} ${change.action} ${change.keyId}${change.previousKeyId ? ` (replaces ${change.previousKeyId})` : ''}\n`);
  if (logged) process.stdout.write(`logged: ${logged.path} (entry ${logged.index})\n`);
  return 0;
}

function common(cmd: Command): Command {
  return storeOptions(cmd)
    .option('--server <url>', 'make the change on this server as the author (needs --sign-with)')
    .option('--sign-with <key>', "your active private key, which authorises the change on --server")
    .option('--by <name>', 'who makes the change (recorded; default $USER)');
}

export function register(program: Command, run: Run): void {
  const keys = program.command('keys').description('author signing keys bound to PAUSE ids: add, rotate, revoke, list');
  common(keys.command('add').argument('<pauseid>').argument('<public-key>', 'the public key file (PEM or keygen line)').description("register a key for an author")).action(
    async (author: string, file: string, flags: KeyFlags) => {
      await run(() => apply({ action: 'add', author: author.toUpperCase(), publicKey: readInputText(file, 64 * 1024) }, flags));
    },
  );
  common(keys.command('rotate').argument('<pauseid>').argument('<old-key-id>').argument('<new-public-key>', 'the new public key file').option('--reason <text>').description('replace a key by a new one (the old is retired, not revoked)')).action(
    async (author: string, old: string, file: string, flags: KeyFlags) => {
      await run(() => apply({ action: 'rotate', author: author.toUpperCase(), previousKeyId: old, publicKey: readInputText(file, 64 * 1024), ...(flags.reason ? { reason: flags.reason } : {}) }, flags));
    },
  );
  common(keys.command('revoke').argument('<pauseid>').argument('<key-id>').option('--reason <text>').description('revoke a key: nothing it signed verifies any more')).action(
    async (author: string, keyId: string, flags: KeyFlags) => {
      await run(() => apply({ action: 'revoke', author: author.toUpperCase(), keyId, ...(flags.reason ? { reason: flags.reason } : {}) }, flags));
    },
  );
  storeOptions(keys.command('list').argument('<pauseid>').description("an author's keys and their history")).action(async (author: string, flags: StoreFlags) => {
    await run(async () => {
      const { Store, SqlAuthorKeyStore } = await import('../store/index.js');
      const { foldKeys } = await import('../provenance/attestation/index.js');
      const store = await Store.open(storeLocation(flags));
      try {
        const changes = await new SqlAuthorKeyStore(store.db, store.dialect).changes(author.toUpperCase());
        for (const k of foldKeys(changes)) process.stdout.write(`${k.keyId} ${k.status} added ${k.addedAt}${k.changedAt ? ` ${k.status} ${k.changedAt}` : ''}${k.reason ? ` (${k.reason})` : ''}\n`);
        return 0;
      } finally {
        await store.close();
      }
    });
  });
}
