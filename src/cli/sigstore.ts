/**
 * `cpansec sigstore verify-bundle`: the verification half of the sigstore-conformance client CLI
 * protocol (github.com/sigstore/sigstore-conformance, offline cases):
 *   verify-bundle --bundle FILE (--certificate-identity ID --certificate-oidc-issuer URL | --key KEY.pub)
 *                 [--trusted-root FILE] FILE_OR_DIGEST
 * Exit 0 when verified, 1 when not, 2 for unusable input; always one line saying why.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Command } from 'commander';
import { printable } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { readInputBytes } from '../input-file.js';
import type { Run } from './main.js';

const MAX_ARTIFACT_BYTES = 1024 * 1024 * 1024;

interface Flags {
  bundle: string;
  certificateIdentity?: string;
  certificateOidcIssuer?: string;
  key?: string;
  trustedRoot?: string;
}

async function verifyBundleCommand(target: string, flags: Flags): Promise<number> {
  const a = await import('../provenance/attestation/index.js');
  if (!flags.key && !(flags.certificateIdentity && flags.certificateOidcIssuer)) {
    throw new CpansecError('USAGE', 'give --key KEY.pub, or --certificate-identity and --certificate-oidc-issuer');
  }
  const { bundle } = a.parseBundle(readInputBytes(flags.bundle, a.MAX_BUNDLE_BYTES + 1), flags.bundle);
  const digestArg = /^sha256:([0-9a-fA-F]{64})$/.exec(target);
  const artifact = digestArg ? undefined : readInputBytes(target, MAX_ARTIFACT_BYTES);
  const sha256 = digestArg ? digestArg[1]!.toLowerCase() : createHash('sha256').update(artifact!).digest('hex');
  const key = flags.key ? a.readPublicKey(readInputBytes(flags.key, 64 * 1024).toString('utf8'), flags.key) : undefined;
  if (key && a.signerKind(bundle) !== 'public-key') return refuse('the bundle is signed by a certificate, but --key was given');
  const trustedRoot = flags.trustedRoot ? a.parseTrustedRoot(readInputBytes(flags.trustedRoot, 4 * 1024 * 1024), flags.trustedRoot) : undefined;
  const r = a.verifyWithSigstore(bundle, {
    ...(key ? { key } : {}),
    ...(trustedRoot ? { trustedRoot } : {}),
    ...(flags.certificateIdentity ? { identity: flags.certificateIdentity } : {}),
    ...(flags.certificateOidcIssuer ? { issuer: flags.certificateOidcIssuer } : {}),
    ...(artifact ? { artifact } : {}),
  });
  if (!r.ok) return refuse(r.reason);
  if (bundle.content.$case === 'dsseEnvelope') {
    // the verifier checks the envelope's signature; that the statement is about this artifact is ours to check
    const env = bundle.content.dsseEnvelope;
    if (env.payloadType !== a.IN_TOTO_PAYLOAD_TYPE) return refuse(`the envelope's payload type is ${JSON.stringify(env.payloadType)}, not ${a.IN_TOTO_PAYLOAD_TYPE}`);
    const statement = a.parseStatement(Buffer.from(env.payload));
    if (typeof statement === 'string') return refuse(statement);
    if (!statement.subject.some((s) => s.digest?.sha256?.toLowerCase() === sha256)) return refuse(`no subject of the statement has sha256:${sha256}`);
  }
  process.stdout.write(`OK: ${digestArg ? target : path.basename(target)}: ${r.detail}\n`);
  return 0;
}

function refuse(reason: string): number {
  process.stderr.write(`cpansec: verification failed: ${printable(reason)}\n`);
  return 1;
}

export function register(program: Command, run: Run): void {
  const sigstore = program.command('sigstore').description('Sigstore client operations (the sigstore-conformance CLI protocol)');
  sigstore
    .command('verify-bundle')
    .description('verify a Sigstore bundle for a file or a sha256:DIGEST (exit 0 verified, 1 not)')
    .argument('<file_or_digest>', 'the artifact, or sha256:HEX')
    .requiredOption('--bundle <file>', 'the Sigstore bundle (JSON)')
    .option('--certificate-identity <id>', 'the expected signer identity (certificate SAN, exact)')
    .option('--certificate-oidc-issuer <url>', 'the expected OIDC issuer (exact)')
    .option('--key <file>', 'a public key (PEM), for bundles signed with a key')
    .option('--trusted-root <file>', 'Sigstore trusted root (JSON)')
    .action(async (target: string, flags: Flags) => {
      await run(() => verifyBundleCommand(target, flags));
    });
}
