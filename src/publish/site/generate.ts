/** Every page of the site for one revision, for a static copy and for timing a full render. */
import { advisoryPath, distributionPath, type SiteData } from './data.js';
import { renderAdvisories, advisoryPages } from './pages/advisories.js';
import { renderAdvisory } from './pages/advisory.js';
import { renderApi } from './pages/api.js';
import { renderDistribution } from './pages/distribution.js';
import { renderDistributions } from './pages/distributions.js';
import { renderHome } from './pages/home.js';
import { renderStats } from './pages/stats.js';
import { releasePages, releasesPath, renderReleases } from './pages/releases.js';
import { renderReport, REPORT_PATH, type ReportContact } from './pages/report.js';
import { releaseStatuses } from './releases.js';

/** `contact`: where reports go (the report page is left out without it). */
export function* sitePages(data: SiteData, contact?: ReportContact): Generator<[path: string, html: string]> {
  yield ['/', renderHome(data)];
  for (let p = 1; p <= advisoryPages(data); p++) yield [p === 1 ? '/advisories' : `/advisories?page=${p}`, renderAdvisories(data, p)!];
  yield ['/distributions', renderDistributions(data)];
  yield ['/stats', renderStats(data)];
  yield ['/api', renderApi(data)];
  if (contact) yield [REPORT_PATH, renderReport(data, contact)];
  for (const d of data.distributions) {
    yield [distributionPath(d.name), renderDistribution(data, d.name)!];
    const pages = releasePages(releaseStatuses(data, d.name));
    for (let p = 1; p <= pages; p++) yield [p === 1 ? releasesPath(d.name) : `${releasesPath(d.name)}?page=${p}`, renderReleases(data, d.name, p)!];
  }
  for (const g of data.groups) yield [advisoryPath(g.id), renderAdvisory(data, g.id)!];
}
