/**
 * `cpansec verify RELEASE.tar.gz`: hash the tarball, find its entry in the log, and check its
 * inclusion under a checkpoint signed by the log and cosigned by the required witnesses — through
 * the log's tiles (--log) or offline from a saved proof (--proof). Prints each check; any failure
 * exits 1 with its reason, bad input 2.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { readInputText } from '../input-file.js';
import { writeOutput } from './context.js';
import { collect, logSource, quorumArg, verifierKeyArg } from './log-common.js';
import type { Run } from './main.js';

const MAX_TARBALL = 2 * 1024 * 1024 * 1024;

async function sha256File(file: string): Promise<string> {
  try {
    if (!statSync(file).isFile()) throw new CpansecError('USAGE', 'not a file', { file });
    if (statSync(file).size > MAX_TARBALL) throw new CpansecError('USAGE', `larger than ${MAX_TARBALL} bytes`, { file });
    const h = createHash('sha256');
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
    return h.digest('hex');
  } catch (e) {
    if (e instanceof CpansecError) throw e;
    throw new CpansecError('IO_ERROR', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file });
  }
}

interface VerifyFlags {
  log?: string;
  key?: string;
  witness?: string[];
  quorum?: string;
  proof?: string;
  saveProof?: string;
  json?: boolean;
}

export function register(program: Command, run: Run): void {
  program
    .command('verify')
    .description("check a release tarball against the CPAN release transparency log: its entry, the log's signed checkpoint, the witnesses' cosignatures, the inclusion proof")
    .argument('<release>', 'the tarball, e.g. Foo-Bar-1.23.tar.gz')
    .option('--log <url>', "the log's URL (or a directory written by 'cpansec log export')")
    .option('--key <vkey>', "the log's verifier key name+hash+key (or a file holding it)")
    .option('--witness <vkey>', "a witness's cosigner key whose cosignature is required; repeat for more", collect)
    .option('--quorum <n>', 'cosignatures required of the --witness keys (default: all)')
    .option('--proof <file>', "offline: a saved proof (C2SP tlog-proof, from 'cpansec log prove-inclusion --output')")
    .option('--save-proof <file>', 'online: also write the proof that was checked, for later offline use')
    .option('--json', 'print the checks as JSON')
    .action(async (release: string, flags: VerifyFlags) => {
      await run(async () => {
        const { verifyOnline, verifyOffline } = await import('../provenance/index.js');
        if (!flags.key) throw new CpansecError('USAGE', "--key: the log's verifier key is required");
        if (!!flags.log === !!flags.proof) throw new CpansecError('USAGE', 'give --log URL (online) or --proof FILE (offline), one of them');
        const logKey = verifierKeyArg(flags.key, '--key');
        const witnesses = (flags.witness ?? []).map((w) => verifierKeyArg(w, '--witness'));
        const quorum = quorumArg(flags.quorum, witnesses.length);
        const options = { sha256: await sha256File(release), fileName: path.basename(release), logKey, policy: { witnesses, ...(quorum !== undefined ? { quorum } : {}) } };
        const r = flags.proof ? await verifyOffline(readInputText(flags.proof, 1024 * 1024), flags.proof, options) : await verifyOnline(logSource(flags.log!), options);
        if (flags.json) process.stdout.write(`${JSON.stringify({ release, sha256: options.sha256, verified: r.ok, checks: r.checks, ...(r.entry ? { entry: r.entry, index: r.index, tree_size: r.size } : {}) }, null, 2)}\n`);
        else {
          process.stdout.write(`${release}: SHA-256 ${options.sha256}\n`);
          for (const c of r.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}\n`);
          process.stdout.write(r.ok ? 'verified\n' : 'NOT verified\n');
        }
        if (r.ok && r.proof && flags.saveProof) writeOutput(r.proof, flags.saveProof);
        return r.ok ? 0 : 1;
      });
    });
}
