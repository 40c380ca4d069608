/** The site's view of the current snapshot, built once per revision. */
import { SiteData } from '../publish/site/index.js';
import type { ServerContext } from './context.js';
import { HISTORY_MEMO } from './publication.js';
import type { Snapshot } from './snapshot.js';

export function siteDataOf(snapshot: Snapshot, ctx: ServerContext): SiteData {
  return snapshot.memo(
    'site-data',
    () =>
      new SiteData(
        snapshot.index,
        {
          title: ctx.config.title,
          // read when a page is rendered: the base URL is known only once the server listens
          get baseUrl() {
            return ctx.config.baseUrl;
          },
          revision: snapshot.revision,
          updated: snapshot.updated,
        },
        snapshot.published.times,
        snapshot.memo(HISTORY_MEMO, () => new Map()),
      ),
  );
}
