/**
 * The site's one stylesheet, served at /static/site.css. Colours meet WCAG AA contrast (text
 * #1b1b1b on #fff is 16.9:1, links #0b57a4 on #fff 7.0:1, muted #4a4a4a 8.9:1); focus is always
 * visible; the layout reads on a phone and in print. A dark scheme follows the reader's system
 * setting (prefers-color-scheme), with the same AA contrast (text #e6e6e6 on #121417 is 15.6:1):
 * SITE_DARK_CSS, served after SITE_CSS on the public site only (the workspace, which builds on
 * SITE_CSS, has light-only panels of its own).
 *
 * Reflow (WCAG 1.4.10): at 320 CSS px nothing but a table's own scroll container (.scroll, which
 * the page shell puts around every table) is wider than the screen: long words, vectors and URLs
 * wrap, the facts list stacks, code blocks wrap.
 */
export const SITE_CSS = `
:root { color-scheme: light; --fg: #1b1b1b; --bg: #fff; --muted: #4a4a4a; --link: #0b57a4; --line: #d0d0d0; --bg2: #f4f5f7;
  --critical: #8b0000; --high: #b03a00; --medium: #7a5a00; --low: #245b2e; --focus: #1a73e8; --grid: #e0e0e0; }
* { box-sizing: border-box; }
html { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
body { margin: 0; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, main:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -10000px; top: 0; background: var(--bg); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 1rem; top: 1rem; }
header.site { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 2rem; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--bg2); }
header.site .brand { margin: 0; font-weight: 700; font-size: 1.15rem; }
header.site .brand a { color: var(--fg); text-decoration: none; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; color: var(--fg); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; overflow-wrap: anywhere; }
@media (max-width: 40rem) { main, header.site, footer.site { padding-left: 1rem; padding-right: 1rem; } }
footer.site { border-top: 1px solid var(--line); padding: 1rem 1.5rem; color: var(--muted); font-size: .9rem; }
h1 { font-size: 1.8rem; line-height: 1.2; margin: 1rem 0; word-break: break-word; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; }
.scroll { overflow-x: auto; max-width: 100%; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; overflow-wrap: normal; }
td, th { overflow-wrap: break-word; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
th { background: var(--bg2); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--bg2); padding: .6rem .8rem; border-radius: .3rem; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; }
.muted { color: var(--muted); }
.sev { font-weight: 700; text-transform: capitalize; }
.sev-critical { color: var(--critical); } .sev-high { color: var(--high); } .sev-medium { color: var(--medium); } .sev-low { color: var(--low); }
.badge { display: inline-block; padding: 0 .45rem; border: 1px solid currentColor; border-radius: .3rem; font-size: .85rem; }
form.search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: 1rem 0; }
form.search .field { display: flex; flex-direction: column; gap: .2rem; }
form.search label { font-weight: 600; }
input[type="search"] { min-width: min(18rem, 100%); max-width: 100%; padding: .45rem .6rem; font: inherit; border: 1px solid #767676; border-radius: .3rem; }
input, select { color: var(--fg); background: var(--bg); }
select { padding: .4rem; font: inherit; border: 1px solid #767676; border-radius: .3rem; }
button { padding: .45rem 1rem; font: inherit; border: 1px solid #0b57a4; background: #0b57a4; color: #fff; border-radius: .3rem; cursor: pointer; }
dl.facts { display: grid; grid-template-columns: fit-content(16rem) minmax(0, 1fr); gap: .3rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; }
@media (max-width: 40rem) { dl.facts { grid-template-columns: minmax(0, 1fr); gap: 0; } dl.facts dd { margin: 0 0 .6rem; } }
a.button { display: inline-block; padding: .5rem 1.1rem; background: #0b57a4; color: #fff; border-radius: .3rem; text-decoration: none; font-weight: 600; }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; margin: 1rem 0; }
form.filters .field { display: flex; flex-direction: column; gap: .2rem; }
form.filters label { font-weight: 600; }
.description { white-space: pre-line; max-width: 50rem; }
p.versions { overflow-wrap: anywhere; }
td.ids a { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; }
ul.refs { padding-left: 1.2rem; word-break: break-all; }
figure.chart { margin: 1rem 0 2rem; }
figure.chart svg { max-width: 100%; height: auto; }
figure.chart figcaption { font-weight: 600; margin-bottom: .25rem; }
details { margin: .5rem 0; }
.pager { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: baseline; margin: 1rem 0; }
.pager ol { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem .75rem; margin: 0; padding: 0; }
.pager [aria-current="page"] { font-weight: 700; }
@media print { header.site nav, .skip, form.search { display: none; } a { color: inherit; } }
`;

/** The dark colour scheme of the public site, appended to SITE_CSS when served at /static/site.css. */
export const SITE_DARK_CSS = `
:root { color-scheme: light dark; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e6e6; --bg: #121417; --muted: #b4b4b4; --link: #8cb8ff; --line: #3c424a; --bg2: #1e2227;
    --critical: #ff8f87; --high: #ffae7a; --medium: #e8c764; --low: #86d693; --focus: #8cb8ff; --grid: #3c424a; }
  a.button, button { background: #2a6fc0; border-color: #2a6fc0; }
  /* chart bars: the light scheme's fills are too dark on a dark page (non-text contrast, 1.4.11) */
  figure.chart rect[fill="#0b57a4"] { fill: #5c9ded; }
  figure.chart rect[fill="#8b0000"] { fill: #ff8f87; }
  figure.chart rect[fill="#b03a00"] { fill: #ffae7a; }
  figure.chart rect[fill="#7a5a00"] { fill: #e8c764; }
  figure.chart rect[fill="#245b2e"] { fill: #86d693; }
  figure.chart rect[fill="#5f5f5f"] { fill: #a0a0a0; }
}
`;
