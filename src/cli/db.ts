/**
 * `cpansec db …`: the server's store. `update` fetches a newer database from a URL (integrity
 * checked, all or nothing) and says what changed; `import` does the same from a file or directory;
 * `status` tells what the store holds; `export` writes its published database as CPANSA JSON.
 */
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { loadDatabase } from '../index/index.js';
import type { Store, StoreImportResult } from '../store/index.js';
import { writeOutput } from './context.js';
import type { Run } from './main.js';

export interface StoreFlags {
  dataDir: string;
  database?: string;
}

export function storeOptions(cmd: Command): Command {
  return cmd
    .option('--data-dir <dir>', 'directory of the SQLite store (the embedded default)', process.env.CPANSEC_DATA_DIR ?? 'var')
    .option('--database <url>', 'a PostgreSQL store, postgres://USER@HOST:PORT/DB (env CPANSEC_DATABASE_URL)', process.env.CPANSEC_DATABASE_URL);
}

export function storeLocation(flags: StoreFlags): { database?: string; dataDir: string } {
  return { ...(flags.database ? { database: flags.database } : {}), dataDir: flags.dataDir };
}

const UPDATE_URL_SETTING = 'update.url';

export async function withStore<T>(flags: StoreFlags, fn: (store: Store) => Promise<T>): Promise<T> {
  const { Store } = await import('../store/index.js');
  const { seedStore } = await import('../server/index.js');
  const store = await Store.open(storeLocation(flags));
  try {
    await seedStore(store, new Date());
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** What the store kept of its own because the new database had none. */
function keptLines(r: StoreImportResult, source: string): string[] {
  const c = r.changes;
  return [
    ...(r.kept.releases ? [`  kept the stored release lists (${c.releases.after} releases): ${source} lists none`] : []),
    ...(r.kept.modules ? [`  kept the stored module map (${c.modules.after} modules): ${source} has none`] : []),
  ];
}

/** What changed, one line a change after a summary, as `db update` and `db import` print it. */
function describeImport(r: StoreImportResult, source: string): string {
  const c = r.changes;
  if (!r.written) return [`already up to date: the store (revision ${r.revision}) holds the same database as ${source}`, ...keptLines(r, source)].join('\n') + '\n';
  const lines = [
    `updated the store from ${source}: revision ${r.previousRevision} -> ${r.revision}`,
    `  ${c.added.length} advisories added, ${c.removed.length} removed, ${c.changed.length} changed; ` +
      `releases ${c.releases.before} -> ${c.releases.after}, modules ${c.modules.before} -> ${c.modules.after}` +
      (c.distributionsAdded.length || c.distributionsRemoved.length ? `, distributions +${c.distributionsAdded.length} -${c.distributionsRemoved.length}` : ''),
    ...keptLines(r, source),
    ...c.added.map((a) => `  + ${a.id} (${a.distribution})`),
    ...c.removed.map((a) => `  - ${a.id} (${a.distribution})`),
    ...c.changed.map((a) => `  ~ ${a.id} (${a.distribution})`),
    ...(r.shadowedByLocal.length ? [`  ${r.shadowedByLocal.length} imported advisories left out: published here with the same id (${r.shadowedByLocal.map((a) => a.id).join(', ')})`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function report(r: StoreImportResult, source: string, format: string, extra: Record<string, unknown> = {}): number {
  if (format === 'json') {
    const kept = { releases: r.kept.releases, module_map: r.kept.modules };
    process.stdout.write(
      `${JSON.stringify({ updated: r.written, source, ...extra, previous_revision: r.previousRevision, revision: r.revision, changes: r.changes, kept, shadowed_by_local: r.shadowedByLocal }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(describeImport(r, source));
  }
  return 0;
}

interface ImportFlags extends StoreFlags {
  force?: boolean;
  format: string;
}

interface UpdateFlags extends ImportFlags {
  from?: string;
  sha256?: string;
  allowUnverified?: boolean;
}

const FORCE_HELP = 'replace the stored release lists and module map even when the new database drops most of them';

export function register(program: Command, run: Run): void {
  const db = program.command('db').description("the server's store: update, import, status, export");

  storeOptions(
    db
      .command('update')
      .description('fetch a newer advisory database (CPANSA JSON) from a URL, check its SHA-256, replace the stored one, and say what changed')
      .option('--from <url>', 'where to fetch it (default: $CPANSEC_DB_URL, else the URL of the last update)', process.env.CPANSEC_DB_URL)
      .option('--sha256 <hex>', 'the expected SHA-256 (default: read from URL.sha256)')
      .option('--allow-unverified', 'accept a database with no published checksum')
      .option('--force', FORCE_HELP)
      .option('--format <format>', 'text or json', 'text'),
  ).action(async (flags: UpdateFlags) => {
    await run(() =>
      withStore(flags, async (store) => {
        const url = flags.from ?? (await store.getSetting(UPDATE_URL_SETTING));
        if (!url) throw new CpansecError('USAGE', 'no database URL: give --from URL (or set CPANSEC_DB_URL); later updates remember it');
        const { fetchDatabase, replaceChecked } = await import('../server/index.js');
        const last = await store.lastImport();
        const fetched = await fetchDatabase(url, {
          sha256: flags.sha256,
          allowUnverified: flags.allowUnverified,
          ...(last?.source === url && last.etag && !flags.sha256 ? { etag: last.etag } : {}),
        });
        if (fetched.notModified) {
          process.stdout.write(flags.format === 'json' ? `${JSON.stringify({ updated: false, source: url, not_modified: true })}\n` : `already up to date: ${url} has not changed since the last update\n`);
          return 0;
        }
        if (!fetched.verified) process.stderr.write(`cpansec: warning: ${url}: no checksum published; the database was not verified\n`);
        const source = { kind: 'url' as const, location: url, sha256: fetched.sha256, ...(fetched.etag ? { etag: fetched.etag } : {}) };
        const result = await replaceChecked(store, fetched.database, source, new Date(), { force: flags.force });
        await store.setSetting(UPDATE_URL_SETTING, url);
        return report(result, url, flags.format, { sha256: fetched.sha256, verified: fetched.verified });
      }),
    );
  });

  storeOptions(
    db
      .command('import')
      .argument('<path>', 'a CPANSA JSON file or a directory of advisory files')
      .description('replace the stored database with one from a file or directory, and say what changed (without release lists or a module map, the stored ones are kept)')
      .option('--force', FORCE_HELP)
      .option('--format <format>', 'text or json', 'text'),
  ).action(async (target: string, flags: ImportFlags) => {
    await run(() =>
      withStore(flags, async (store) => {
        const database = loadDatabase(target);
        const { replaceChecked } = await import('../server/index.js');
        return report(await replaceChecked(store, database, { kind: 'file', location: target }, new Date(), { force: flags.force }), target, flags.format);
      }),
    );
  });

  storeOptions(db.command('status').description('what the store holds: revision, last import, counts').option('--format <format>', 'text or json', 'text')).action(
    async (flags: StoreFlags & { format: string }) => {
      await run(() =>
        withStore(flags, async (store) => {
          const published = await store.loadPublished(new Date());
          const last = await store.lastImport();
          const dists = [...published.database.distributions.values()];
          const status = {
            store: store.description,
            backend: store.dialect,
            revision: published.revision,
            updated: published.updated,
            advisories: dists.reduce((n, d) => n + d.advisories.length, 0),
            distributions: dists.filter((d) => d.advisories.length).length,
            releases: dists.reduce((n, d) => n + d.releases.length, 0),
            modules: published.database.moduleToDistribution.size,
            last_import: last ? { revision: last.revision, at: last.at, source: last.source, sha256: last.sha256 } : null,
            update_url: (await store.getSetting(UPDATE_URL_SETTING)) ?? null,
          };
          if (flags.format === 'json') process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
          else {
            process.stdout.write(
              `${status.backend} store ${status.store}: revision ${status.revision}, updated ${status.updated}\n` +
                `${status.advisories} advisories for ${status.distributions} distributions, ${status.releases} releases, ${status.modules} modules\n` +
                (last ? `last import: revision ${last.revision} at ${last.at} from ${last.source}${last.sha256 ? ` (sha256 ${last.sha256})` : ''}\n` : '') +
                (status.update_url ? `db update fetches ${status.update_url}\n` : ''),
            );
          }
          return 0;
        }),
      );
    },
  );

  storeOptions(
    db
      .command('export')
      .argument('[file]', 'where to write (default: standard output)')
      .description('write the published database in the CPANSA JSON layout (what cpan-audit and audit --db read)'),
  ).action(async (file: string | undefined, flags: StoreFlags) => {
    await run(() =>
      withStore(flags, async (store) => {
        const { toCpansaJson } = await import('../publish/index.js');
        const { VulnerabilityIndex } = await import('../index/index.js');
        const published = await store.loadPublished(new Date());
        writeOutput(toCpansaJson(new VulnerabilityIndex(published.database), { meta: { generated_by: 'cpansec db export', updated: published.updated } }), file);
        return 0;
      }),
    );
  });
}
