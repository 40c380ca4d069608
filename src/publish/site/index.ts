/** The public web site: pure functions from the published advisories to HTML pages. */
export { SiteData, advisoryPath, distributionPath, severityOf, type SiteInfo, type AdvisoryGroup, type DistributionSummary } from './data.js';
export { html, raw, escapeHtml, safeUrl, Html } from './html.js';
export { SITE_CSS } from './css.js';
export { renderHome } from './pages/home.js';
export { renderAdvisory } from './pages/advisory.js';
export { renderAdvisories, advisoryPages } from './pages/advisories.js';
export { renderDistribution } from './pages/distribution.js';
export { renderDistributions } from './pages/distributions.js';
export { renderSearch, parseSearchKind } from './pages/search.js';
export { renderStats } from './pages/stats.js';
export { renderApi } from './pages/api.js';
export { renderNotFound } from './pages/error.js';
export { search, type SearchKind, type SearchResults } from './search.js';
export { statistics, type Statistics } from './stats.js';
export { columnChart, barChart } from './charts.js';
export { sitePages } from './generate.js';
