/**
 * `cpansec sign RELEASE.tar.gz --key KEY`: a Sigstore bundle v0.3 (DSSE, in-toto Statement v1,
 * SLSA provenance v1 or a release predicate) beside the tarball, RELEASE.tar.gz.sigstore.json.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { CpansecError } from '../errors.js';
import { readInputBytes, readInputText } from '../input-file.js';
import type { Run } from './main.js';
import { writeFileAtomic } from './output.js';

const MAX_RELEASE_BYTES = 256 * 1024 * 1024;
export const PAUSE_ID = /^[A-Z][A-Z0-9-]{1,8}$/;

interface SignFlags {
  key: string;
  predicate: 'slsa' | 'release';
  author?: string;
  sourceDir?: string;
  builder?: string;
  output?: string;
}

/** The commit (and origin, when META names no repository) of a git checkout the user points at. */
function gitFacts(dir: string): { commit: string; origin?: string } {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 }).trim();
  let commit: string;
  try {
    commit = git('rev-parse', 'HEAD');
  } catch {
    throw new CpansecError('USAGE', '--source-dir is not a git checkout (or git is not installed)', { file: dir });
  }
  let origin: string | undefined;
  try {
    origin = git('remote', 'get-url', 'origin') || undefined;
  } catch {
    // no origin: META's repository, or none
  }
  return { commit, ...(origin ? { origin } : {}) };
}

/** Builder and run from the CI's environment (GitHub Actions' documented variables), else local. */
function ciFacts(): { builder?: string; invocation?: string; repository?: string; commit?: string } {
  const e = process.env;
  if (e.GITHUB_ACTIONS === 'true' && e.GITHUB_SERVER_URL && e.GITHUB_REPOSITORY) {
    const repo = `${e.GITHUB_SERVER_URL}/${e.GITHUB_REPOSITORY}`;
    return {
      builder: `${e.GITHUB_SERVER_URL}/actions/runner`,
      ...(e.GITHUB_RUN_ID ? { invocation: `${repo}/actions/runs/${e.GITHUB_RUN_ID}` } : {}),
      repository: repo,
      ...(e.GITHUB_SHA ? { commit: e.GITHUB_SHA } : {}),
    };
  }
  return {};
}

export function register(program: Command, run: Run): void {
  program
    .command('sign')
    .description('sign a release tarball: a Sigstore bundle (DSSE, in-toto statement, SLSA provenance or release predicate)')
    .argument('<release>', 'the distribution tarball (.tar.gz)')
    .requiredOption('-k, --key <file>', 'the Ed25519 private key (cpansec keygen)')
    .addOption(new Option('--predicate <kind>', 'what the statement says').choices(['slsa', 'release']).default('slsa'))
    .option('--author <PAUSEID>', 'your PAUSE id, which verifiers bind to your registered key')
    .option('--source-dir <dir>', 'the git checkout the release was built from (its commit is recorded)')
    .option('--builder <uri>', 'the builder id for SLSA provenance (default: the CI, else a local build)')
    .option('-o, --output <file>', 'where to write the bundle (default: RELEASE.sigstore.json)')
    .action(async (release: string, flags: SignFlags) => {
      await run(async () => {
        const author = flags.author?.toUpperCase();
        if (author !== undefined && !PAUSE_ID.test(author)) throw new CpansecError('USAGE', `--author: '${flags.author}' is not a PAUSE id`);
        if (flags.builder !== undefined && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(flags.builder)) throw new CpansecError('USAGE', `--builder takes a URI: ${flags.builder}`);
        const a = await import('../provenance/attestation/index.js');
        const key = a.readSigningKey(readInputText(flags.key, 64 * 1024), flags.key);
        const bytes = readInputBytes(release, MAX_RELEASE_BYTES);
        const output = flags.output ?? `${release}.sigstore.json`;
        const facts = await a.tarballFacts(bytes, release);
        const ci = ciFacts();
        const git = flags.sourceDir ? gitFacts(flags.sourceDir) : undefined;
        Object.assign(facts, {
          ...(author ? { author } : {}),
          ...(ci.builder ? { builder: ci.builder } : {}),
          ...(flags.builder ? { builder: flags.builder } : {}),
          ...(ci.invocation ? { invocation: ci.invocation } : {}),
          repository: facts.repository ?? git?.origin ?? ci.repository,
          commit: git?.commit ?? ci.commit,
        });
        const bundle = a.signRelease({ bytes, facts, key, predicate: flags.predicate, now: new Date() });
        writeFileAtomic(output, `${JSON.stringify(bundle, null, 2)}\n`);
        process.stderr.write(`signed ${path.basename(release)} (sha256:${a.sha256Hex(bytes)}) with key ${key.keyId}: ${output}\n`);
        return 0;
      });
    });
}
