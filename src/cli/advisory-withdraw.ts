/**
 * `cpansec advisory withdraw ID --reason TEXT`: withdraw a published advisory in the server's
 * store. It stays public, marked withdrawn (OSV `withdrawn`, the feeds' entry updated, the site's
 * page says so), and its history records why. For each of its CVE ids, the REJECT form of the CVE
 * record is written for the CNA to submit (CVE Services `PUT /cve/{id}/reject`): only the CNA that
 * assigned a CVE id can reject it.
 */
import type { Command } from 'commander';
import { isCveId } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { cveRejectionOf, validateCveRecord } from '../publish/index.js';
import { storeOptions, withStore, type StoreFlags } from './db.js';
import type { Run } from './main.js';
import { checkWritable, emit } from './output.js';

interface WithdrawFlags extends StoreFlags {
  reason?: string;
  output?: string;
  orgId?: string;
  by?: string;
}

export function register(advisory: Command, run: Run): void {
  storeOptions(
    advisory
      .command('withdraw')
      .argument('<id>', 'the advisory id (CPANSA-…)')
      .requiredOption('--reason <text>', 'why it is withdrawn (published with it)')
      .option('-o, --output <file>', 'write the CVE REJECT record(s) here (default stdout)')
      .option('--org-id <uuid>', 'the CNA org id in the REJECT record (default CPANSec)')
      .option('--by <name>', 'who withdraws it (recorded in the store)')
      .description('withdraw a published advisory: OSV withdrawn, feeds and site updated, the CVE REJECT record built'),
  ).action(async (id: string, flags: WithdrawFlags) => {
    await run(async () => {
      const reason = (flags.reason ?? '').trim();
      if (!reason) throw new CpansecError('USAGE', '--reason must say why the advisory is withdrawn');
      if (reason.length > 4000) throw new CpansecError('USAGE', '--reason is longer than 4,000 characters (a CVE rejection reason holds 4,096)');
      if (flags.output && flags.output !== '-') checkWritable(flags.output, 'file');
      const { revision, advisories } = await withStore(flags, (store) => store.withdrawAdvisory(id, reason, new Date(), { by: flags.by }));
      const cves = [...new Set(advisories.flatMap((a) => a.cves).filter(isCveId))];
      const rejections = cves.map((cve) => cveRejectionOf(cve, reason, flags.orgId, advisories[0]!.withdrawn!.date));
      for (const r of rejections) {
        const problems = validateCveRecord(r);
        if (problems.length) throw new CpansecError('SCHEMA_ERROR', `the REJECT record is not valid CVE JSON 5: ${problems[0]}`);
      }
      process.stderr.write(
        `withdrew ${id} (${advisories.length} entr${advisories.length === 1 ? 'y' : 'ies'}, ${[...new Set(advisories.map((a) => a.distribution))].join(', ')}): revision ${revision}\n` +
          (cves.length ? `CVE REJECT record${cves.length > 1 ? 's' : ''} for ${cves.join(', ')}: submit only for CVE ids CPANSec assigned\n` : 'no CVE id: no REJECT record\n'),
      );
      if (rejections.length) emit(`${JSON.stringify(rejections.length === 1 ? rejections[0] : rejections, null, 2)}\n`, flags.output);
      return 0;
    });
  });
}
