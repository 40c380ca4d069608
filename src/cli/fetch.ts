/**
 * `cpansec fetch AUTHOR/Dist-1.23.tar.gz --mirror URL --root ROOT.json [--log URL --log-key VKEY]`:
 * download a release from a mirror through TUF with the tuf-js client (spec §5: root chain,
 * timestamp, snapshot, targets and the delegated role, then the file checked against its length and
 * hashes) and, with a log, check that the transparency log records the same file under the same
 * path (the checks of `cpansec verify --log`). Refused metadata, a file that does not match, a log
 * that lacks the release or records it otherwise: exit 1 with the reason, nothing written.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { printable } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { readInputBytes } from '../input-file.js';
import { collect, logSource, quorumArg, verifierKeyArg } from './log-common.js';
import type { Run } from './main.js';
import { checkWritable, isSpecialFile } from './output.js';

interface FetchFlags {
  mirror: string;
  root: string;
  author?: string;
  output?: string;
  cache?: string;
  log?: string;
  logKey?: string;
  witness?: string[];
  quorum?: string;
}

/** The log's path of a release (PAUSE's AUTHOR/FILE) from its TUF target path (authors/id/A/AU/AUTHOR/FILE). */
export function logPathOf(target: string): string {
  return target.split('/').slice(4).join('/');
}

/** The log's verdict on a downloaded release: undefined when it records this file under this path, else why not. */
async function logVerdict(flags: FetchFlags, target: string, sha256: string): Promise<{ refused?: string; detail?: string }> {
  const { verifyOnline } = await import('../provenance/index.js');
  const logKey = verifierKeyArg(flags.logKey!, '--log-key');
  const witnesses = (flags.witness ?? []).map((w) => verifierKeyArg(w, '--witness'));
  const quorum = quorumArg(flags.quorum, witnesses.length);
  const expected = logPathOf(target);
  const r = await verifyOnline(logSource(flags.log!), { sha256, fileName: path.posix.basename(target), logKey, policy: { witnesses, ...(quorum !== undefined ? { quorum } : {}) } });
  const failed = r.checks.find((c) => !c.ok);
  if (failed) return { refused: `the transparency log: ${failed.name}: ${failed.detail}` };
  if (r.entry!.path !== expected) return { refused: `the transparency log records this file (SHA-256 ${sha256}) as ${r.entry!.path} (entry ${r.index}), not ${expected}` };
  return { detail: `in the log as entry ${r.index} of ${r.size}` };
}

/** The target path for what the user named: authors/id/…, AUTHOR/FILE, or FILE with --author. */
export function targetOf(name: string, author: string | undefined, t: typeof import('../provenance/tuf/index.js')): string {
  if (name.startsWith('authors/')) return (t.authorOfTarget(name), name);
  const slash = name.indexOf('/');
  if (slash > 0) return t.targetPath(name.slice(0, slash), name.slice(slash + 1));
  if (!author) throw new CpansecError('USAGE', `which author's ${name}? give AUTHOR/${name} or --author PAUSEID`);
  return t.targetPath(author, name);
}

async function fetchRelease(name: string, flags: FetchFlags): Promise<number> {
  const t = await import('../provenance/tuf/index.js');
  let mirror: URL;
  try {
    mirror = new URL(flags.mirror);
  } catch {
    throw new CpansecError('USAGE', `--mirror is not a URL: ${flags.mirror}`);
  }
  if (!/^https?:$/.test(mirror.protocol)) throw new CpansecError('USAGE', `--mirror must be http(s): ${flags.mirror}`);
  if (flags.log && !flags.logKey) throw new CpansecError('USAGE', "--log needs --log-key (the log's verifier key)");
  if (!flags.log && (flags.logKey || flags.witness?.length)) throw new CpansecError('USAGE', '--log-key and --witness go with --log URL');
  const base = flags.mirror.replace(/\/+$/, '');
  const target = targetOf(name, flags.author?.toUpperCase(), t);
  const output = flags.output ?? path.posix.basename(target);
  checkWritable(output, 'file');
  // the trusted root: the one the user gave, or a newer one this cache already verified from it
  const rootBytes = readInputBytes(flags.root, 1024 * 1024);
  const cache = flags.cache ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(homedir(), '.cache'), 'cpansec', 'tuf', createHash('sha256').update(base).digest('hex').slice(0, 16));
  mkdirSync(cache, { recursive: true, mode: 0o700 });
  if (!existsSync(path.join(cache, 'root.json'))) copyFileSync(flags.root, path.join(cache, 'root.json'));
  const { Updater } = await import('tuf-js');
  const work = path.join(tmpdir(), `cpansec-fetch-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const tmp = path.join(path.dirname(path.resolve(output)), `.${path.basename(output)}.${process.pid}.tmp`);
  try {
    JSON.parse(rootBytes.toString('utf8'));
  } catch {
    throw new CpansecError('PARSE_ERROR', 'not a JSON TUF root', { file: flags.root });
  }
  try {
    const updater = new Updater({ metadataDir: cache, metadataBaseUrl: `${base}/metadata`, targetBaseUrl: `${base}/targets`, targetDir: work, config: { fetchRetries: 0, fetchTimeout: 30_000 } });
    await updater.refresh();
    const info = await updater.getTargetInfo(target);
    if (!info) {
      process.stderr.write(`cpansec: fetch refused: ${target} is not in the mirror's signed targets\n`);
      return 1;
    }
    await updater.downloadTarget(info, tmp);
    let inLog = '';
    if (flags.log) {
      const v = await logVerdict(flags, target, createHash('sha256').update(readFileSync(tmp)).digest('hex'));
      if (v.refused) {
        rmSync(tmp, { force: true });
        process.stderr.write(`cpansec: fetch refused: ${printable(v.refused)}\n`);
        return 1;
      }
      inLog = `; ${v.detail}`;
    }
    if (isSpecialFile(output)) {
      writeFileSync(output, readFileSync(tmp));
      rmSync(tmp, { force: true });
    } else renameSync(tmp, output);
    process.stdout.write(`${output}: ${target} sha256:${info.hashes.sha256 ?? '?'} (${info.length} bytes), verified through TUF${inLog}\n`);
    return 0;
  } catch (e) {
    rmSync(tmp, { force: true });
    if (e instanceof CpansecError) throw e;
    const err = e as Error;
    process.stderr.write(`cpansec: fetch refused: ${printable(`${err.constructor?.name ?? 'Error'}: ${err.message}`)}\n`);
    return 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function register(program: Command, run: Run): void {
  program
    .command('fetch')
    .description("download a release from a mirror, verified through the mirror's TUF metadata")
    .argument('<release>', 'AUTHOR/Dist-1.23.tar.gz, authors/id/A/AU/AUTHOR/Dist-1.23.tar.gz, or Dist-1.23.tar.gz with --author')
    .requiredOption('--mirror <url>', "the mirror's TUF base URL (a cpansec server's http://HOST/tuf, or an export's URL)")
    .requiredOption('--root <file>', 'the trusted root.json to start from (cpansec tuf init writes it)')
    .option('--author <PAUSEID>', 'the PAUSE author, when the release is named by its file alone')
    .option('-o, --output <file>', 'where to write the release (default: its file name)')
    .option('--cache <dir>', 'where verified metadata is kept between runs (default: ~/.cache/cpansec/tuf/…)')
    .option('--log <url>', "also check the release against this transparency log (its URL, or a directory written by 'cpansec log export')")
    .option('--log-key <vkey>', "the log's verifier key (name+hash+key, or a file holding it)")
    .option('--witness <vkey>', "a witness whose cosignature on the log's checkpoint is required; repeat for more", collect)
    .option('--quorum <n>', 'cosignatures required of the --witness keys (default: all)')
    .action(async (release: string, flags: FetchFlags) => {
      await run(() => fetchRelease(release, flags));
    });
}
