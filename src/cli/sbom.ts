/** `cpansec sbom [PATH]`, `cpansec sbom validate FILE`, `cpansec sbom diff A B`. */
import { Command, Option } from 'commander';
import { CpansecError } from '../errors.js';
import { coreInfo, coreVersion } from '../perl/index.js';
import { perlInUse } from './perl.js';
import { openIndex, PACKAGE_VERSION, today, writeOutput } from './context.js';
import { readInputBytes, readInputText } from '../input-file.js';

interface GenerateFlags {
  format: 'cyclonedx' | 'spdx';
  specVersion: '1.4' | '1.5' | '1.6';
  output?: string;
  withVulnerabilities?: boolean;
  db?: string;
  author?: string;
  perl?: string;
  mirror?: string;
  projectName?: string;
  projectVersion?: string;
  projectLicense?: string;
  projectAuthor?: string[];
  projectType?: string;
}


/** A JSON document to validate or diff; unreadable, too large or deep, or not JSON is an input error (exit 2). */
async function readJson(file: string): Promise<unknown> {
  const { parseSbomDocument, SBOM_LIMITS } = await import('../sbom/index.js');
  return parseSbomDocument(readInputText(file, SBOM_LIMITS.documentBytes), file);
}

/** SOURCE_DATE_EPOCH (reproducible builds) fixes the timestamp, and the serial number follows the content. */
export function sourceDateClock(): { now: () => Date; serialNumber?: 'content' } {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return { now: () => new Date() };
  if (!/^\d+$/.test(epoch)) throw new CpansecError('USAGE', `SOURCE_DATE_EPOCH must be a number of seconds, not '${epoch}'`);
  return { now: () => new Date(Number(epoch) * 1000), serialNumber: 'content' };
}

export function register(program: Command, run: (fn: () => Promise<number>) => Promise<void>): void {
  const sbom = program.command('sbom').description('SBOMs (CycloneDX, SPDX) for a CPAN distribution or a Perl project; validate and diff them');

  sbom
    .command('generate', { isDefault: true })
    .argument('[path]', 'a distribution tarball (.tar.gz, .tgz, .zip) or directory, a project directory, cpanfile.snapshot, cpanfile, or local/', '.')
    .description('write the SBOM of a distribution or a project (the default subcommand: `cpansec sbom PATH`)')
    .addOption(new Option('-f, --format <format>', 'document format').choices(['cyclonedx', 'spdx']).default('cyclonedx'))
    .addOption(new Option('--spec-version <version>', 'CycloneDX version').choices(['1.6', '1.5', '1.4']).default('1.6'))
    .option('-o, --output <file>', 'write to a file (atomically) instead of stdout')
    .option('--with-vulnerabilities', "add the audit's findings (known advisories) to the document")
    .option('--db <path|url>', 'advisory database for --with-vulnerabilities (default: the bundled one)')
    .option('--author <cpanid>', 'the CPAN author (PAUSE id) of a distribution, for its purl, when its path does not tell')
    .option('--perl <version>', 'the perl whose core modules count (default: the perl on PATH, else the newest known)')
    .option('--project-name <name>', 'the name of the described project (default: its META name, else its directory)')
    .option('--project-version <version>', "the project's version")
    .option('--project-license <spdx>', "the project's licence, an SPDX expression")
    .option('--project-author <author...>', "the project's authors ('Name <email>'; repeatable)")
    .addOption(new Option('--project-type <type>', "the described component's CycloneDX type").choices(['application', 'library', 'framework', 'platform', 'container', 'firmware', 'device', 'file']))
    .option('--mirror <dir>', 'a local CPAN mirror or cache (authors/id/…): hashes, licence and authors of each distribution found there')
    .action(async function (this: Command, target: string) {
      await run(async () => {
        const flags = this.opts<GenerateFlags>();
        if (flags.format === 'spdx' && this.getOptionValueSource('specVersion') === 'cli') {
          throw new CpansecError('USAGE', '--spec-version is for CycloneDX; SPDX documents are SPDX 2.3');
        }
        if (flags.author !== undefined && !/^[A-Za-z][-A-Za-z0-9]*$/.test(flags.author)) throw new CpansecError('USAGE', `--author: '${flags.author}' is not a CPAN author id`);
        const { readSbomSource, renderSbom, addVulnerabilities, serializeJson } = await import('../sbom/index.js');
        const index = flags.withVulnerabilities ? await openIndex(flags.db) : undefined;
        // the perl in use, as the audit takes it: its core list marks modules core, and with
        // --with-vulnerabilities the modules a lock leaves to perl are audited at the versions it ships
        const perl = perlInUse(flags.perl)();
        const core = (m: string) => coreInfo(m, perl.version);
        const doc = await readSbomSource(target, {
          core,
          ...(index ? { distributionOf: (m: string) => index.distributionOfModule(m) } : {}),
          ...(flags.author ? { author: flags.author } : {}),
        });
        const { applyProject } = await import('../sbom/index.js');
        applyProject(doc, {
          ...(flags.projectName !== undefined ? { name: flags.projectName } : {}),
          ...(flags.projectVersion !== undefined ? { version: flags.projectVersion } : {}),
          ...(flags.projectLicense !== undefined ? { license: flags.projectLicense } : {}),
          ...(flags.projectAuthor ? { authors: flags.projectAuthor } : {}),
          ...(flags.projectType !== undefined ? { type: flags.projectType as 'application' } : {}),
        });
        if (flags.mirror) {
          const { addMirrorFacts } = await import('../sbom/index.js');
          await addMirrorFacts(doc, flags.mirror);
        }
        if (index) addVulnerabilities(doc, index, { today: today(), coreLookup: core, coreVersion: (m) => coreVersion(m, perl.version), perl: perl.version, perlSource: perl.how });
        const c = sourceDateClock();
        writeOutput(serializeJson(renderSbom(doc, { format: flags.format, specVersion: flags.specVersion, toolVersion: PACKAGE_VERSION, ...c })), flags.output);
        return 0;
      });
    });

  sbom
    .command('validate')
    .argument('<file>', 'a CycloneDX (1.4, 1.5, 1.6) or SPDX 2.3 JSON document; - for stdin')
    .description('check an SBOM against its official schema, offline (exit 0 valid, 1 invalid, 2 unreadable)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json']).default('text'))
    .action(async function (this: Command, file: string) {
      await run(async () => {
        const { format } = this.opts<{ format: 'text' | 'json' }>();
        const { validateDocument, detectFormat } = await import('../sbom/index.js');
        const doc = await readJson(file);
        const detected = detectFormat(doc);
        if (detected && !detected.schema) {
          throw new CpansecError('USAGE', `${detected.format} ${detected.version || '(no version)'} is not a version cpansec validates (CycloneDX 1.4, 1.5, 1.6; SPDX 2.3)`, { file });
        }
        const result = validateDocument(doc, file) ?? {
          format: undefined,
          version: undefined,
          valid: false,
          problems: [{ path: '$', message: 'not a CycloneDX or SPDX document (no bomFormat "CycloneDX", no spdxVersion)' }],
        };
        if (format === 'json') {
          process.stdout.write(`${JSON.stringify({ file, ...result }, null, 2)}\n`);
        } else {
          const what = result.format ? `${result.format} ${result.version}` : 'document';
          const lines = [`${file}: ${result.valid ? 'valid' : 'invalid'} ${what}${result.valid ? '' : ` (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'})`}`];
          for (const p of result.problems) lines.push(`  ${p.path}: ${p.message}`);
          process.stdout.write(`${lines.join('\n')}\n`);
        }
        return result.valid ? 0 : 1;
      });
    });

  sbom
    .command('upload')
    .argument('<file>', 'a CycloneDX JSON document (Dependency-Track reads CycloneDX only); - for stdin')
    .description('upload an SBOM to Dependency-Track (its REST API, /api/v1/bom); the API key from $DEPENDENCY_TRACK_API_KEY or --api-key-file')
    .requiredOption('--url <url>', "the Dependency-Track API server's base URL")
    .option('--project <name>', 'the project, by name')
    .option('--project-version <version>', "the project's version")
    .option('--project-uuid <uuid>', 'the project, by UUID (instead of --project)')
    .option('--auto-create', 'create the project when it does not exist (needs PROJECT_CREATION_UPLOAD)')
    .option('--parent-name <name>', 'with --auto-create: the parent project')
    .option('--parent-version <version>', "the parent project's version")
    .option('--multipart', 'POST multipart/form-data instead of PUT with a JSON body')
    .option('--api-key-file <file>', 'read the API key from this file (else $DEPENDENCY_TRACK_API_KEY)')
    .action(async function (this: Command, file: string) {
      await run(async () => {
        const o = this.opts<{ url: string; project?: string; projectVersion?: string; projectUuid?: string; autoCreate?: boolean; parentName?: string; parentVersion?: string; multipart?: boolean; apiKeyFile?: string }>();
        const { uploadRequest, uploadAnswer, detectFormat, SBOM_LIMITS } = await import('../sbom/index.js');
        if (!o.project === !o.projectUuid) throw new CpansecError('USAGE', 'give the project by --project NAME (with --project-version) or by --project-uuid UUID');
        const apiKey = (o.apiKeyFile ? readInputText(o.apiKeyFile, 4096) : (process.env.DEPENDENCY_TRACK_API_KEY ?? '')).trim();
        if (!apiKey) throw new CpansecError('USAGE', 'no API key: set DEPENDENCY_TRACK_API_KEY or give --api-key-file');
        const bytes = readInputBytes(file, SBOM_LIMITS.documentBytes);
        const { parseSbomDocument } = await import('../sbom/index.js');
        const detected = detectFormat(parseSbomDocument(bytes.toString('utf8'), file));
        if (detected?.format !== 'CycloneDX') throw new CpansecError('USAGE', `${detected ? `${detected.format} ${detected.version}` : 'not an SBOM'}: Dependency-Track reads CycloneDX documents only`, { file });
        const project = o.projectUuid
          ? { uuid: o.projectUuid }
          : { name: o.project!, ...(o.projectVersion !== undefined ? { version: o.projectVersion } : {}), ...(o.autoCreate ? { autoCreate: true } : {}), ...(o.parentName !== undefined ? { parentName: o.parentName } : {}), ...(o.parentVersion !== undefined ? { parentVersion: o.parentVersion } : {}) };
        const req = uploadRequest(bytes, { url: o.url, apiKey, project, ...(o.multipart ? { multipart: true } : {}) });
        let res: Response;
        try {
          res = await fetch(req.url, { method: req.method, headers: req.headers, body: req.body, redirect: 'error', signal: AbortSignal.timeout(120_000) });
        } catch (e) {
          const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
          throw new CpansecError('IO_ERROR', `${req.url}: cannot upload: ${cause}`);
        }
        const text = (await res.text()).slice(0, 64 * 1024);
        const token = uploadAnswer(res.status, text, req.url);
        process.stdout.write(`${file}: uploaded to ${req.url} (processing token ${token})\n`);
        return 0;
      });
    });

  sbom
    .command('diff')
    .argument('<a>', 'the older SBOM (CycloneDX or SPDX JSON)')
    .argument('<b>', 'the newer SBOM')
    .description('components added, removed, or changed in version or licence (exit 0 same, 1 different)')
    .addOption(new Option('-f, --format <format>', 'report format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to a file')
    .action(async function (this: Command, a: string, b: string) {
      await run(async () => {
        const { format, output } = this.opts<{ format: 'text' | 'json'; output?: string }>();
        const { diffSboms, diffToText, isEmptyDiff } = await import('../sbom/index.js');
        const diff = diffSboms(await readJson(a), await readJson(b), [a, b]);
        writeOutput(format === 'json' ? `${JSON.stringify(diff, null, 2)}\n` : diffToText(diff), output);
        return isEmptyDiff(diff) ? 0 : 1;
      });
    });
}
