/**
 * `cpansec verify RELEASE.tar.gz`: check a release's signed bundle (--bundle: signature, subject
 * digest, the author's key; see verify-bundle.ts) and/or its place in the transparency log (--log or
 * --proof: hash the tarball, find its entry, check its inclusion under a checkpoint signed by the log
 * and cosigned by the required witnesses). Prints each check; any failure exits 1 with its reason,
 * bad input 2.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { printable } from '../advisory/control/index.js';
import { CpansecError } from '../errors.js';
import { readInputText } from '../input-file.js';
import { writeOutput } from './context.js';
import { collect, logSource, quorumArg, verifierKeyArg } from './log-common.js';
import type { Run } from './main.js';
import { checkBundle, verifyBundle, type VerifyBundleFlags } from './verify-bundle.js';

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

interface VerifyFlags extends Omit<VerifyBundleFlags, 'bundle'> {
  bundle?: string;
  log?: string;
  logKey?: string;
  authorKey?: string;
  witness?: string[];
  quorum?: string;
  proof?: string;
  saveProof?: string;
  json?: boolean;
}

type Check = { name: string; ok: boolean; detail: string };

/** The transparency log's checks: the release's entry, the signed checkpoint, the witnesses, the proof. */
async function checkLog(release: string, flags: VerifyFlags, logKeyText: string) {
  const { verifyOnline, verifyOffline } = await import('../provenance/index.js');
  const logKey = verifierKeyArg(logKeyText, flags.logKey ? '--log-key' : '--key');
  const witnesses = (flags.witness ?? []).map((w) => verifierKeyArg(w, '--witness'));
  const quorum = quorumArg(flags.quorum, witnesses.length);
  const options = { sha256: await sha256File(release), fileName: path.basename(release), logKey, policy: { witnesses, ...(quorum !== undefined ? { quorum } : {}) } };
  const r = flags.proof ? await verifyOffline(readInputText(flags.proof, 1024 * 1024), flags.proof, options) : await verifyOnline(logSource(flags.log!), options);
  return { sha256: options.sha256, ...r };
}

export function register(program: Command, run: Run): void {
  program
    .command('verify')
    .description("check a release tarball: its signed bundle (signature, subject digest, the PAUSE author's key) and/or the CPAN release transparency log (its entry, the log's signed checkpoint, the witnesses' cosignatures, the inclusion proof)")
    .argument('<release>', 'the tarball, e.g. Foo-Bar-1.23.tar.gz')
    .option('--bundle <file>', 'the Sigstore bundle (cpansec sign writes RELEASE.sigstore.json)')
    .option('-k, --key <key>', "with --log/--proof alone: the log's verifier key name+hash+key (or a file); with --bundle alone: the author's public key file")
    .option('--author-key <file>', "the author's public key (PEM, or cpansec keygen's line), when checking a bundle and the log together")
    .option('--server <url>', "take the author's registered keys from this cpansec server")
    .option('--author <PAUSEID>', 'the PAUSE author the release must come from (default: the one the statement names)')
    .option('--trusted-root <file>', 'Sigstore trusted root (JSON) for keyless bundles')
    .option('--certificate-identity <id>', 'keyless: the signer identity (certificate SAN) expected')
    .option('--certificate-oidc-issuer <url>', 'keyless: the OIDC issuer expected')
    .option('--log <url>', "the log's URL (or a directory written by 'cpansec log export')")
    .option('--log-key <vkey>', "the log's verifier key, when checking a bundle and the log together")
    .option('--witness <vkey>', "a witness's cosigner key whose cosignature is required; repeat for more", collect)
    .option('--quorum <n>', 'cosignatures required of the --witness keys (default: all)')
    .option('--proof <file>', "offline: a saved proof (C2SP tlog-proof, from 'cpansec log prove-inclusion --output')")
    .option('--save-proof <file>', 'online: also write the proof that was checked, for later offline use')
    .option('--format <format>', 'text or json', 'text')
    .option('--json', 'print the checks as JSON (same as --format json)')
    .action(async (release: string, flags: VerifyFlags) => {
      await run(async () => {
        if (flags.format !== 'text' && flags.format !== 'json') throw new CpansecError('USAGE', `--format takes text or json: ${flags.format}`);
        const json = flags.json === true || flags.format === 'json';
        const withLog = !!flags.log || !!flags.proof;
        if (!flags.bundle && !withLog) throw new CpansecError('USAGE', 'give --bundle FILE (the signature), --log URL or --proof FILE (the transparency log), or both');
        if (flags.log && flags.proof) throw new CpansecError('USAGE', 'give --log URL (online) or --proof FILE (offline), not both');
        if (!flags.bundle) {
          if (flags.authorKey) throw new CpansecError('USAGE', '--author-key goes with --bundle');
          const logKey = flags.logKey ?? flags.key;
          if (!logKey) throw new CpansecError('USAGE', "--key: the log's verifier key is required");
          return printLog(release, flags, await checkLog(release, flags, logKey), json);
        }
        const authorKey = withLog ? flags.authorKey : (flags.authorKey ?? flags.key);
        const bundleFlags: VerifyBundleFlags = { ...flags, bundle: flags.bundle, format: json ? 'json' : 'text' };
        delete bundleFlags.key;
        if (authorKey) bundleFlags.key = authorKey;
        if (!withLog) return verifyBundle(release, bundleFlags);
        if (!flags.logKey) throw new CpansecError('USAGE', "--log-key: the log's verifier key is required with --bundle and --log/--proof (--key there is the author's)");
        if (flags.key && !flags.authorKey) throw new CpansecError('USAGE', "with --bundle and --log/--proof, give the author's key as --author-key and the log's as --log-key");
        const signature = await checkBundle(release, bundleFlags);
        const log = await checkLog(release, flags, flags.logKey);
        const ok = signature.ok && log.ok;
        if (json) {
          process.stdout.write(`${JSON.stringify({ release, sha256: log.sha256, verified: ok, signature: { bundle: flags.bundle, verified: signature.ok, keyId: signature.keyId, author: signature.author, checks: signature.checks }, log: logJson(log) }, null, 2)}\n`);
        } else {
          process.stdout.write(`${release}: SHA-256 ${log.sha256}\n`);
          printChecks([...signature.checks, ...log.checks]);
          process.stdout.write(ok ? `verified${signature.author ? ` (signed by ${signature.author}, in the log)` : ''}\n` : 'NOT verified\n');
        }
        if (log.ok && log.proof && flags.saveProof) writeOutput(log.proof, flags.saveProof);
        return ok ? 0 : 1;
      });
    });
}

type LogVerdict = Awaited<ReturnType<typeof checkLog>>;

function logJson(r: LogVerdict) {
  return { verified: r.ok, checks: r.checks, ...(r.entry ? { entry: r.entry, index: r.index, tree_size: r.size } : {}) };
}

function printChecks(checks: Check[]): void {
  for (const c of checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${printable(c.detail)}\n`);
}

function printLog(release: string, flags: VerifyFlags, r: LogVerdict, json: boolean): number {
  if (json) process.stdout.write(`${JSON.stringify({ release, sha256: r.sha256, ...logJson(r) }, null, 2)}\n`);
  else {
    process.stdout.write(`${release}: SHA-256 ${r.sha256}\n`);
    printChecks(r.checks);
    process.stdout.write(r.ok ? 'verified\n' : 'NOT verified\n');
  }
  if (r.ok && r.proof && flags.saveProof) writeOutput(r.proof, flags.saveProof);
  return r.ok ? 0 : 1;
}
