/**
 * `cpansec log …`: the release transparency log. Writes (`add`, `ingest`, `checkpoint`, `token`)
 * act on the local store (or `add` on a server through its API with an uploader token); proofs
 * and `export` read the store; `monitor` follows any log over HTTP; `verify-inclusion` and
 * `verify-consistency` check RFC 6962 proofs of any log (exit 0 verified, 1 not, 2 bad input).
 */
import { mkdirSync, renameSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { readInputBytes, readInputText } from '../input-file.js';
import type { LogStore, ReleaseEntry, TreeEdge, WitnessEndpoint } from '../provenance/index.js';
import { writeOutput } from './context.js';
import { writeFileAtomic } from './output.js';
import { storeOptions, type StoreFlags } from './db.js';
import { collect, logSource, quorumArg, signerKeyFile, verifierKeyArg, witnessEndpoint, withStore } from './log-common.js';
import type { Run } from './main.js';

const HASH = /^[A-Za-z0-9+/]{43}=$/;

function b64Hash(text: string, flag: string): Buffer {
  if (!HASH.test(text)) throw new CpansecError('USAGE', `${flag} takes a base64 SHA-256 hash (44 characters): '${text.slice(0, 60)}'`);
  return Buffer.from(text, 'base64');
}

function proofArg(text: string | undefined): Buffer[] {
  if (text === undefined || text === '') return [];
  const parts = text.split(',');
  if (parts.length > 64) throw new CpansecError('USAGE', '--proof takes at most 64 hashes');
  return parts.map((p) => b64Hash(p.trim(), '--proof'));
}

function sizeArg(text: string, flag: string): number {
  if (!/^(0|[1-9]\d{0,15})$/.test(text) || !Number.isSafeInteger(Number(text))) throw new CpansecError('USAGE', `${flag} takes a whole number: '${text.slice(0, 30)}'`);
  return Number(text);
}

async function logStore(store: import('../store/index.js').Store): Promise<LogStore> {
  const { SqlLogStore } = await import('../store/index.js');
  return new SqlLogStore(store.db, store.dialect);
}

function nowSeconds(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The newest published checkpoint of the local log, parsed. */
async function publishedCheckpoint(log: LogStore): Promise<{ note: string; size: number; root: Buffer }> {
  const { parseCheckpointText, splitNote } = await import('../provenance/index.js');
  const note = await log.latestCheckpoint();
  if (!note) throw new CpansecError('NOT_FOUND', "the log has no checkpoint yet: run 'cpansec log checkpoint'");
  const c = parseCheckpointText(splitNote(note).text);
  return { note, size: c.size, root: c.root };
}

interface CheckpointFlags extends StoreFlags {
  key: string;
  witness?: string[];
  quorum?: string;
}

export function register(program: Command, run: Run): void {
  const log = program.command('log').description('the transparency log of CPAN releases: add, ingest, checkpoint, prove, export, monitor, verify proofs');

  storeOptions(
    log
      .command('add')
      .description('record a release (PAUSE path and SHA-256) in the log: on a server with --log and an uploader token, or in the local store')
      .argument('<path>', 'the release path, AUTHOR/Dist-1.23.tar.gz')
      .argument('<sha256>', 'its SHA-256, hex')
      .option('--log <url>', "the log server's URL (POST <url>/log/add)")
      .option('--token <token>', 'uploader token for --log (env CPANSEC_LOG_TOKEN)', process.env.CPANSEC_LOG_TOKEN)
      .option('--time <iso>', 'upload time, UTC (default: now)')
      .option('--uploader <pauseid>', 'local store only: the uploader (default: the path\'s author)'),
  ).action(async (p: string, sha: string, flags: StoreFlags & { log?: string; token?: string; time?: string; uploader?: string }) => {
    await run(async () => {
      const { checkReleasePath, checkSha256, checkTime, checkUploader, appendEntries, conflictError } = await import('../provenance/index.js');
      const entry: ReleaseEntry = {
        path: checkReleasePath(p, 'path'),
        sha256: checkSha256(sha.toLowerCase(), 'sha256'),
        time: flags.time ? checkTime(flags.time, '--time') : nowSeconds(),
        uploader: checkUploader(flags.uploader ?? p.split('/')[0]!, '--uploader'),
      };
      if (flags.log) {
        if (!flags.token) throw new CpansecError('USAGE', '--log needs an uploader token (--token or CPANSEC_LOG_TOKEN)');
        const url = `${flags.log.replace(/\/+$/, '')}/log/add`;
        let r: Response;
        try {
          r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${flags.token}` }, body: JSON.stringify({ path: entry.path, sha256: entry.sha256, time: entry.time }), signal: AbortSignal.timeout(30_000) });
        } catch (e) {
          throw new CpansecError('IO_ERROR', `cannot reach the log: ${(e as Error).message}`, { file: url });
        }
        const body = (await r.json().catch(() => ({}))) as { error?: string; index?: number; status?: string };
        if (r.status === 409) {
          process.stderr.write(`cpansec: ${body.error ?? 'conflict'}\n`);
          return 1;
        }
        if (!r.ok) throw new CpansecError(r.status === 401 || r.status === 403 ? 'FORBIDDEN' : 'IO_ERROR', `the log answered HTTP ${r.status}: ${body.error ?? ''}`, { file: url });
        process.stdout.write(`${body.status} ${entry.path} at index ${body.index}\n`);
        return 0;
      }
      return withStore(flags, async (store) => {
        const ls = await logStore(store);
        const r = await ls.transaction((tx) => appendEntries(tx, [entry], new Date()));
        const o = r.outcomes[0]!;
        if (o.status === 'conflict') {
          process.stderr.write(`cpansec: ${conflictError(entry.path, o).message}\n`);
          return 1;
        }
        process.stdout.write(`${o.status} ${entry.path} at index ${o.index} (tree size ${r.head.size})\n`);
        return 0;
      });
    });
  });

  storeOptions(
    log
      .command('ingest')
      .description("record the releases listed in PAUSE CHECKSUMS files (PGP signature checked against --keyring; the Perl data read, never evaluated)")
      .argument('<checksums...>', 'CHECKSUMS files (…/authors/id/A/AU/AUTHOR/CHECKSUMS)')
      .option('--author <pauseid>', "the author directory the files list (default: from each file's path)")
      .option('--keyring <file>', "PAUSE's OpenPGP public key (armored or binary): each file's clear signature must verify with it (env CPANSEC_PAUSE_KEYRING)", process.env.CPANSEC_PAUSE_KEYRING)
      .option('--no-verify-signature', "ingest files without checking their PGP signature (unsigned or by an unknown key): only for copies you trust"),
  ).action(async (files: string[], flags: StoreFlags & { author?: string; keyring?: string; verifySignature: boolean }) => {
    await run(async () => {
      const { parseChecksums, parseSignedChecksums, readPgpKeyring, isReleaseArchive, checkUploader, appendEntries, MAX_CHECKSUMS_SIZE, checkReleasePath } = await import('../provenance/index.js');
      if (flags.verifySignature && !flags.keyring) throw new CpansecError('USAGE', "log ingest checks each file's PGP signature: give --keyring FILE (PAUSE's public key), or --no-verify-signature to skip the check");
      const keyring = flags.verifySignature ? await readPgpKeyring(readInputBytes(flags.keyring!, 1024 * 1024), flags.keyring!) : undefined;
      // every file is read and checked before anything is written
      const batches: { file: string; entries: ReleaseEntry[] }[] = [];
      for (const file of files) {
        const dir = path.basename(path.dirname(path.resolve(file)));
        const author = flags.author ?? dir;
        checkUploader(author.split('/')[0]!, flags.author ? '--author' : `${file}: its directory (give --author)`);
        const text = readInputText(file, MAX_CHECKSUMS_SIZE);
        let listed;
        if (keyring) {
          const signed = await parseSignedChecksums(text, file, keyring);
          const s = signed.signer;
          process.stdout.write(`${file}: good signature by ${s.userId}, key ${s.fingerprint} (${s.algorithm}), made ${s.created}\n`);
          for (const note of s.notes) process.stderr.write(`warning: ${file}: ${note}\n`);
          listed = signed.files;
        } else {
          listed = parseChecksums(text, file);
          process.stderr.write(`warning: ${file}: PGP signature not checked (--no-verify-signature)\n`);
        }
        const entries: ReleaseEntry[] = listed
          .filter((f) => isReleaseArchive(f.file))
          .map((f) => ({
            path: checkReleasePath(`${author}/${f.file}`, file),
            sha256: f.sha256,
            time: `${f.mtime ?? '1970-01-01'}T00:00:00Z`,
            uploader: author.split('/')[0]!,
          }));
        batches.push({ file, entries });
      }
      return withStore(flags, async (store) => {
        const ls = await logStore(store);
        let conflicts = 0;
        let edge: TreeEdge | undefined;
        for (const b of batches) {
          const counts = { added: 0, exists: 0, conflict: 0 };
          for (let i = 0; i < b.entries.length; i += 5000) {
            const chunk = b.entries.slice(i, i + 5000);
            const r = await ls.transaction((tx) => appendEntries(tx, chunk, new Date(), edge));
            edge = r.edge;
            r.outcomes.forEach((o, k) => {
              counts[o.status]++;
              if (o.status === 'conflict') process.stderr.write(`cpansec: ${b.file}: ${chunk[k]!.path} is in the log (entry ${o.index}) with SHA-256 ${o.sha256}, this file says ${chunk[k]!.sha256}\n`);
            });
          }
          conflicts += counts.conflict;
          process.stdout.write(`${b.file}: ${counts.added} added, ${counts.exists} already logged, ${counts.conflict} conflicting\n`);
        }
        process.stdout.write(`tree size ${(await ls.treeHead()).size}\n`);
        return conflicts ? 1 : 0;
      });
    });
  });

  storeOptions(
    log
      .command('checkpoint')
      .description("sign the log's newest tree head, have the witnesses cosign it, and publish it when the policy's cosignatures are there")
      .requiredOption('--key <skeyfile>', "file holding the log's signer key (env CPANSEC_LOG_KEY_FILE)", process.env.CPANSEC_LOG_KEY_FILE)
      .option('--witness <vkey=url>', "a witness: its cosigner key and submission URL; repeat for more", collect)
      .option('--quorum <n>', 'cosignatures required (default: every witness)'),
  ).action(async (flags: CheckpointFlags) => {
    await run(async () => {
      const { publishCheckpoint } = await import('../provenance/index.js');
      const { httpPost } = await import('../server/index.js');
      const signer = signerKeyFile(flags.key, '--key');
      const witnesses: WitnessEndpoint[] = (flags.witness ?? []).map(witnessEndpoint);
      const quorum = quorumArg(flags.quorum, witnesses.length);
      return withStore(flags, async (store) => {
        const ls = await logStore(store);
        try {
          const r = await publishCheckpoint(ls, { signer, witnesses, ...(quorum !== undefined ? { quorum } : {}), post: httpPost, now: () => new Date() });
          process.stdout.write(r.note);
          process.stderr.write(r.unchanged ? `no new entries: the checkpoint of size ${r.size} stands\n` : `published the checkpoint of size ${r.size}${r.cosignedBy.length ? `, cosigned by ${r.cosignedBy.join(', ')}` : ''}\n`);
          for (const p of r.problems) process.stderr.write(`warning: ${p}\n`);
          return 0;
        } catch (e) {
          if (e instanceof CpansecError && e.code === 'INTEGRITY_ERROR') {
            process.stderr.write(`cpansec: ${e.message}\n`);
            return 1;
          }
          throw e;
        }
      });
    });
  });

  storeOptions(
    log
      .command('prove-inclusion')
      .description("a proof that a release is in the log's newest checkpoint, as a C2SP tlog-proof (its 'extra' is the entry)")
      .argument('<path>', 'the release path, AUTHOR/Dist-1.23.tar.gz')
      .option('-o, --output <file>', 'write the proof here (for `cpansec verify --proof`)'),
  ).action(async (p: string, flags: StoreFlags & { output?: string }) => {
    await run(async () => {
      const { checkReleasePath, inclusionProof, tileHashReader, formatTlogProof } = await import('../provenance/index.js');
      checkReleasePath(p, 'path');
      return withStore(flags, async (store) => {
        const ls = await logStore(store);
        const c = await publishedCheckpoint(ls);
        const found = (await ls.findPaths([p])).get(p);
        if (!found) throw new CpansecError('NOT_FOUND', `${p} is not in the log`);
        if (found.index >= c.size) throw new CpansecError('NOT_FOUND', `${p} (entry ${found.index}) is not in a published checkpoint yet (size ${c.size}): run 'cpansec log checkpoint'`);
        const proof = await inclusionProof(tileHashReader(c.size, (t) => ls.readTile(t.level, t.index, t.width)), found.index, c.size);
        const [data] = await ls.readEntries(found.index, 1);
        writeOutput(formatTlogProof({ extra: data!, index: found.index, proof, checkpoint: c.note }), flags.output);
        return 0;
      });
    });
  });

  storeOptions(
    log
      .command('prove-consistency')
      .description('a consistency proof between two tree sizes of the log (base64 hashes, one a line)')
      .argument('<old>', 'the older tree size')
      .argument('<new>', 'the newer tree size'),
  ).action(async (o: string, n: string, flags: StoreFlags) => {
    await run(async () => {
      const { consistencyProof, tileHashReader } = await import('../provenance/index.js');
      const [size1, size2] = [sizeArg(o, 'OLD'), sizeArg(n, 'NEW')];
      if (size1 > size2) throw new CpansecError('USAGE', `OLD (${size1}) is larger than NEW (${size2})`);
      return withStore(flags, async (store) => {
        const ls = await logStore(store);
        const head = await ls.treeHead();
        if (size2 > head.size) throw new CpansecError('USAGE', `the log has ${head.size} entries, fewer than ${size2}`);
        const proof = await consistencyProof(tileHashReader(size2, (t) => ls.readTile(t.level, t.index, t.width)), size1, size2);
        process.stdout.write(proof.map((h) => `${h.toString('base64')}\n`).join(''));
        return 0;
      });
    });
  });

  log
    .command('verify-inclusion')
    .description('check an RFC 6962 inclusion proof of any log (exit 0 verified, 1 not, 2 malformed)')
    .requiredOption('--leaf-hash <b64>', 'the leaf hash, base64')
    .requiredOption('--index <i>', "the leaf's index")
    .requiredOption('--size <n>', 'the tree size')
    .requiredOption('--root <b64>', 'the root hash of that tree, base64')
    .option('--proof <h1,h2,…>', 'the proof hashes, base64, comma separated', '')
    .action(async (flags: { leafHash: string; index: string; size: string; root: string; proof: string }) => {
      await run(async () => {
        const { verifyInclusion } = await import('../provenance/index.js');
        const ok = verifyInclusion(b64Hash(flags.leafHash, '--leaf-hash'), sizeArg(flags.index, '--index'), sizeArg(flags.size, '--size'), proofArg(flags.proof), b64Hash(flags.root, '--root'));
        process.stdout.write(ok ? 'inclusion proof verified\n' : 'inclusion proof does NOT verify\n');
        return ok ? 0 : 1;
      });
    });

  log
    .command('verify-consistency')
    .description('check an RFC 6962 consistency proof of any log (exit 0 verified, 1 not, 2 malformed)')
    .requiredOption('--size1 <n>', 'the older tree size')
    .requiredOption('--size2 <n>', 'the newer tree size')
    .requiredOption('--root1 <b64>', 'the older root hash, base64')
    .requiredOption('--root2 <b64>', 'the newer root hash, base64')
    .option('--proof <h1,h2,…>', 'the proof hashes, base64, comma separated', '')
    .action(async (flags: { size1: string; size2: string; root1: string; root2: string; proof: string }) => {
      await run(async () => {
        const { verifyConsistency } = await import('../provenance/index.js');
        const ok = verifyConsistency(sizeArg(flags.size1, '--size1'), sizeArg(flags.size2, '--size2'), b64Hash(flags.root1, '--root1'), b64Hash(flags.root2, '--root2'), proofArg(flags.proof));
        process.stdout.write(ok ? 'consistency proof verified\n' : 'consistency proof does NOT verify\n');
        return ok ? 0 : 1;
      });
    });

  storeOptions(
    log
      .command('export')
      .description('write the log as static files (C2SP tlog-tiles: checkpoint, tiles, entry bundles, and lookup/sha256/) for any web host')
      .argument('<dir>', 'the directory (created; existing tiles are immutable and rewritten identically)'),
  ).action(async (dir: string, flags: StoreFlags) => {
    await run(async () => {
      const { tilesOf, tilePath, encodeEntryBundle, parseEntry } = await import('../provenance/index.js');
      return withStore(flags, async (store) => {
        const ls = await logStore(store);
        const c = await publishedCheckpoint(ls);
        const write = (rel: string, data: Buffer | string) => {
          const file = path.join(dir, rel);
          mkdirSync(path.dirname(file), { recursive: true });
          const tmp = `${file}.${process.pid}.tmp`;
          writeFileSync(tmp, data);
          renameSync(tmp, file);
        };
        let tiles = 0;
        const lookup = new Map<string, number[]>();
        for (const t of tilesOf(c.size)) {
          if (t.level < 0) {
            const entries = await ls.readEntries(t.index * 256, t.width);
            entries.forEach((e, i) => {
              const sha = parseEntry(e, `entry ${t.index * 256 + i}`).sha256;
              lookup.set(sha, [...(lookup.get(sha) ?? []), t.index * 256 + i]);
            });
            write(tilePath(t), encodeEntryBundle(entries));
          } else write(tilePath(t), await ls.readTile(t.level, t.index, t.width));
          tiles++;
        }
        for (const [sha, idx] of lookup) write(`lookup/sha256/${sha}`, idx.map((i) => `${i}\n`).join(''));
        // the checkpoint last: a reader never sees one whose tiles are not there yet
        write('checkpoint', c.note);
        process.stdout.write(`exported the log of size ${c.size} to ${dir}: ${tiles} tiles and bundles, ${lookup.size} lookup files\n`);
        return 0;
      });
    });
  });

  log
    .command('monitor')
    .description('follow a log: each checkpoint consistent with the last one seen, every new entry re-hashed, no path logged twice with different hashes (exit 1 with the evidence)')
    .requiredOption('--log <url>', "the log's URL (or a directory written by 'log export')")
    .requiredOption('--key <vkey>', "the log's verifier key (or a file holding it)")
    .option('--witness <vkey>', 'a witness whose cosignature is required; repeat for more', collect)
    .option('--quorum <n>', 'cosignatures required (default: every --witness)')
    .option('--state <file>', 'where the monitor keeps what it has seen', 'log-monitor.json')
    .action(async (flags: { log: string; key: string; witness?: string[]; quorum?: string; state: string }) => {
      await run(async () => {
        const { monitorOnce } = await import('../provenance/index.js');
        const key = verifierKeyArg(flags.key, '--key');
        const witnesses = (flags.witness ?? []).map((w) => verifierKeyArg(w, '--witness'));
        const quorum = quorumArg(flags.quorum, witnesses.length);
        let prior;
        if (existsSync(flags.state)) {
          try {
            prior = JSON.parse(readFileSync(flags.state, 'utf8')) as import('../provenance/index.js').MonitorState;
            if (typeof prior.size !== 'number' || typeof prior.root !== 'string' || !Array.isArray(prior.edge) || typeof prior.paths !== 'object') throw new Error('not a monitor state');
          } catch (e) {
            throw new CpansecError('PARSE_ERROR', `cannot read the monitor state: ${(e as Error).message}`, { file: flags.state });
          }
        }
        const r = await monitorOnce(logSource(flags.log), key, { witnesses, ...(quorum !== undefined ? { quorum } : {}) }, prior);
        if (!r.ok) {
          process.stdout.write(`log ${key.name}: INCONSISTENT (checked from size ${r.from} to ${r.to})\n`);
          for (const p of r.problems) process.stdout.write(`- ${p.replace(/\n/g, '\n  ')}\n`);
          return 1;
        }
        writeFileAtomic(flags.state, JSON.stringify(r.state));
        for (const k of r.keyChanges) process.stdout.write(`author key change: ${k.path} (entry ${k.index}, SHA-256 ${k.sha256})\n`);
        process.stdout.write(r.to === r.from ? `log ${key.name}: size ${r.to}, nothing new, consistent\n` : `log ${key.name}: size ${r.from} -> ${r.to}, ${r.newEntries} new entries checked, consistent\n`);
        return 0;
      });
    });

  const token = log.command('token').description("uploader tokens for the log's write API (POST /log/add)");
  storeOptions(
    token
      .command('create')
      .description('make an uploader token (printed once) for a PAUSE id')
      .requiredOption('--uploader <pauseid>', 'the PAUSE id it adds releases for')
      .requiredOption('--name <name>', 'what it is for, e.g. "PAUSE indexer"'),
  ).action(async (flags: StoreFlags & { uploader: string; name: string }) => {
    await run(async () => {
      const { checkUploader } = await import('../provenance/index.js');
      checkUploader(flags.uploader, '--uploader');
      return withStore(flags, async (store) => {
        const { UploaderTokens } = await import('../store/index.js');
        process.stdout.write(`${await new UploaderTokens(store.db).create(flags.uploader, flags.name.slice(0, 200), new Date())}\n`);
        return 0;
      });
    });
  });
  storeOptions(token.command('list').description('list uploader tokens')).action(async (flags: StoreFlags) => {
    await run(() =>
      withStore(flags, async (store) => {
        const { UploaderTokens } = await import('../store/index.js');
        for (const t of await new UploaderTokens(store.db).list()) process.stdout.write(`${t.prefix}\t${t.uploader}\t${t.name}\t${t.createdAt}\t${t.revokedAt ? `revoked ${t.revokedAt}` : 'active'}\n`);
        return 0;
      }),
    );
  });
  storeOptions(token.command('revoke').description('revoke an uploader token by its prefix').argument('<prefix>', 'the 8 characters after cpansec_')).action(async (prefix: string, flags: StoreFlags) => {
    await run(() =>
      withStore(flags, async (store) => {
        const { UploaderTokens } = await import('../store/index.js');
        await new UploaderTokens(store.db).revoke(prefix, new Date());
        process.stdout.write(`revoked ${prefix}\n`);
        return 0;
      }),
    );
  });
}
