/**
 * `cpansec fetch AUTHOR/Dist-1.23.tar.gz --mirror URL --root ROOT.json`: download a release from a
 * mirror through TUF with the tuf-js client (spec §5: root chain, timestamp, snapshot, targets and
 * the delegated role, then the file checked against its length and hashes). Refused metadata or a
 * file that does not match: exit 1 with the reason, nothing written.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { printable } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { readInputBytes } from '../input-file.js';
import type { Run } from './main.js';
import { checkWritable, isSpecialFile } from './output.js';

interface FetchFlags {
  mirror: string;
  root: string;
  author?: string;
  output?: string;
  cache?: string;
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
    if (isSpecialFile(output)) {
      writeFileSync(output, readFileSync(tmp));
      rmSync(tmp, { force: true });
    } else renameSync(tmp, output);
    process.stdout.write(`${output}: ${target} sha256:${info.hashes.sha256 ?? '?'} (${info.length} bytes), verified through TUF\n`);
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
    .action(async (release: string, flags: FetchFlags) => {
      await run(() => fetchRelease(release, flags));
    });
}
