/**
 * The site's one stylesheet, served at /static/site.css. Colours meet WCAG AA contrast (text
 * #1b1b1b on #fff is 16.9:1, links #0b57a4 on #fff 7.0:1, muted #4a4a4a 8.9:1); focus is always
 * visible; the layout reads on a phone and in print.
 */
export const SITE_CSS = `
:root { color-scheme: light; --fg: #1b1b1b; --muted: #4a4a4a; --link: #0b57a4; --line: #d0d0d0; --bg2: #f4f5f7;
  --critical: #8b0000; --high: #b03a00; --medium: #7a5a00; --low: #245b2e; }
* { box-sizing: border-box; }
html { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
body { margin: 0; }
a { color: var(--link); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, main:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
.skip { position: absolute; left: -10000px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 1rem; top: 1rem; }
header.site { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 2rem; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); background: var(--bg2); }
header.site .brand { margin: 0; font-weight: 700; font-size: 1.15rem; }
header.site .brand a { color: var(--fg); text-decoration: none; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; margin: 0; padding: 0; }
nav a[aria-current="page"] { font-weight: 700; color: var(--fg); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
footer.site { border-top: 1px solid var(--line); padding: 1rem 1.5rem; color: var(--muted); font-size: .9rem; }
h1 { font-size: 1.8rem; line-height: 1.2; margin: 1rem 0; word-break: break-word; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { text-align: left; vertical-align: top; padding: .4rem .6rem; border-bottom: 1px solid var(--line); }
th { background: var(--bg2); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .92em; }
.muted { color: var(--muted); }
.sev { font-weight: 700; text-transform: capitalize; }
.sev-critical { color: var(--critical); } .sev-high { color: var(--high); } .sev-medium { color: var(--medium); } .sev-low { color: var(--low); }
.badge { display: inline-block; padding: 0 .45rem; border: 1px solid currentColor; border-radius: .3rem; font-size: .85rem; }
form.search { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: 1rem 0; }
form.search .field { display: flex; flex-direction: column; gap: .2rem; }
form.search label { font-weight: 600; }
input[type="search"] { min-width: 18rem; padding: .45rem .6rem; font: inherit; border: 1px solid #767676; border-radius: .3rem; }
select { padding: .4rem; font: inherit; border: 1px solid #767676; border-radius: .3rem; }
button { padding: .45rem 1rem; font: inherit; border: 1px solid #0b57a4; background: #0b57a4; color: #fff; border-radius: .3rem; cursor: pointer; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.description { white-space: pre-line; max-width: 50rem; }
ul.refs { padding-left: 1.2rem; word-break: break-all; }
figure.chart { margin: 1rem 0 2rem; }
figure.chart svg { max-width: 100%; height: auto; }
figure.chart figcaption { font-weight: 600; margin-bottom: .25rem; }
details { margin: .5rem 0; }
.pager { display: flex; gap: 1rem; }
@media print { header.site nav, .skip, form.search { display: none; } a { color: inherit; } }
`;
