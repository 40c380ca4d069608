/** The workspace's stylesheet: the site's, plus forms, error summaries, status flags. Same contrast rules. */
import { SITE_CSS } from '../../../publish/site/index.js';

export const WORKSPACE_CSS = `${SITE_CSS}
form.stack { display: grid; gap: .75rem; max-width: 44rem; margin: .5rem 0 1.5rem; }
form.inline { display: inline; margin: 0; }
.field { display: flex; flex-direction: column; gap: .2rem; }
.field label, legend { font-weight: 600; }
.hint { color: var(--muted); font-size: .9rem; margin: 0; }
input[type="text"], input[type="email"], input[type="password"], input[type="date"], input[type="url"], input:not([type]), textarea, select.wide {
  padding: .45rem .6rem; font: inherit; border: 1px solid #767676; border-radius: .3rem; max-width: 44rem; width: 100%; }
textarea { min-height: 6rem; font-family: inherit; }
textarea.code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9rem; }
fieldset { border: 1px solid var(--line); border-radius: .3rem; padding: .5rem .9rem .8rem; margin: 0; }
fieldset.metric { display: inline-block; margin: .25rem .5rem .25rem 0; vertical-align: top; }
fieldset.metric label { font-weight: 400; }
form.cvss-calculator .metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(21rem, 1fr)); gap: .5rem; margin: .4rem 0; }
form.cvss-calculator fieldset.metric { display: block; margin: 0; }
.metric-description { margin: .1rem 0 .4rem; font-size: .9rem; }
.choices { display: flex; flex-wrap: wrap; gap: .2rem .8rem; align-items: center; }
.choices .choice { display: contents; }
.choices .value-description { display: none; order: 1; flex-basis: 100%; }
.choices .option { white-space: nowrap; }
.choices .choice:has(input:checked) > .value-description { display: block; }
details.cvss-version, details.metric-group { margin: .5rem 0; }
details.cvss-version > summary, details.metric-group > summary { cursor: pointer; font-weight: 600; }
.cvss-result code { word-break: break-all; }
textarea:focus-visible, input:focus-visible, select:focus-visible, .error-summary:focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
[aria-invalid="true"] { border: 2px solid #b00020; }
.field-error { color: #b00020; font-weight: 600; margin: 0; }
.error-summary { border: 3px solid #b00020; padding: .5rem 1rem; margin: 1rem 0; max-width: 50rem; }
.error-summary h2 { margin-top: .25rem; font-size: 1.15rem; }
.status { border-left: 4px solid #245b2e; background: #eef6ef; padding: .5rem 1rem; margin: 1rem 0; }
.flag { border-left: 4px solid #8b0000; background: #fbeeee; padding: .5rem 1rem; margin: 1rem 0; }
.note { border-left: 4px solid #7a5a00; background: #fbf6e6; padding: .5rem 1rem; margin: 1rem 0; }
button.secondary { background: #fff; color: #0b57a4; }
button.danger { background: #8b0000; border-color: #8b0000; }
pre { white-space: pre-wrap; word-break: break-word; background: var(--bg2); padding: .75rem; border-radius: .3rem; max-width: 60rem; }
.state { font-weight: 700; }
ol.thread { list-style: none; padding: 0; max-width: 50rem; }
ol.thread li { border: 1px solid var(--line); border-radius: .3rem; padding: .5rem .9rem; margin: .5rem 0; }
ol.thread li.internal { background: #fbf6e6; }
ol.thread .body { white-space: pre-wrap; margin: .25rem 0 0; }
.actions-row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
header.site form { margin: 0; }
.case-summary { display: flex; flex-wrap: wrap; gap: .5rem 2rem; border: 1px solid var(--line); border-radius: .3rem; padding: .6rem 1rem; margin: 1rem 0; }
.case-summary div { min-width: 8rem; }
.case-summary dt { font-size: .85rem; color: var(--muted, #555); margin: 0; }
.case-summary dd { margin: 0; font-weight: 600; }
.severity-critical, .severity-high { color: #8b0000; }
nav.tabs ul { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; padding: 0; margin: 1rem 0; border-bottom: 2px solid var(--line); }
nav.tabs a { display: inline-block; padding: .4rem .8rem; border: 1px solid var(--line); border-bottom: none; border-radius: .3rem .3rem 0 0; text-decoration: none; }
nav.tabs a[aria-current="page"] { background: var(--bg2); font-weight: 700; }
ul.changes { margin: 0; padding-left: 1rem; }
.field-error p { margin: .1rem 0; }
.table-scroll { overflow-x: auto; }
`;
