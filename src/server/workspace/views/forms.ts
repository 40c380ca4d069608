/**
 * Form pieces every workspace page uses: labelled fields whose error is announced with the field
 * (aria-invalid, aria-describedby), the error summary that links to the fields, the CSRF field.
 * All text goes through the escaping `html` tag.
 */
import { html, type Html } from '../../../publish/site/index.js';

export interface FieldError {
  /** the domain's field name (`description`, `affectedVersions[0]`, `reason` …) */
  field?: string;
  message: string;
}

export interface FormState {
  /** which form on the page the errors and values belong to */
  form: string;
  errors: FieldError[];
  values: Record<string, unknown>;
}

export const csrfField = (token: string) => html`<input type="hidden" name="_csrf" value="${token}">`;

export const fieldId = (form: string, name: string) => `f-${form}-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** The domain's field name without list indexes (`affectedVersions[0]` → `affectedVersions`, `cna.cwes[1].id` → `cna.cwes`). */
const baseField = (field: string | undefined) => (field ?? '').replace(/\[.*$/, '');

/** A field's message without the `field: ` prefix the domain's errors carry. */
function messageText(e: FieldError): string {
  return e.field && e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
}

/** Focused on load (autofocus), so keyboard and screen reader users land on what went wrong. */
export function errorSummary(state: FormState | undefined, fieldsOf: (field: string) => string | undefined = () => undefined): Html {
  if (!state?.errors.length) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus>
<h2 id="error-summary-title">There is a problem</h2>
<ul>${state.errors.map((e) => {
    const target = e.field ? fieldsOf(baseField(e.field)) : undefined;
    return html`<li>${target ? html`<a href="#${target}">${e.message}</a>` : e.message}</li>`;
  })}</ul>
</div>`;
}

export interface FieldOptions {
  form: string;
  name: string;
  label: string;
  value?: unknown;
  state?: FormState;
  hint?: string;
  type?: string;
  required?: boolean;
  autocomplete?: string;
  multiline?: boolean;
  rows?: number;
  code?: boolean;
  maxlength?: number;
  /** the domain's field names whose errors belong here (default: name) */
  fields?: string[];
}

function errorFor(o: FieldOptions): FieldError | undefined {
  return errorsFor(o)[0];
}

/** Every error of the field (the report form shows them all at once). */
function errorsFor(o: FieldOptions): FieldError[] {
  if (o.state?.form !== o.form) return [];
  const names = o.fields ?? [o.name];
  return o.state.errors.filter((e) => e.field && names.includes(baseField(e.field)));
}

function valueOf(o: FieldOptions): string {
  const v = o.state?.form === o.form && o.name in o.state.values ? o.state.values[o.name] : o.value;
  if (v === undefined || v === null) return '';
  return Array.isArray(v) ? v.join('\n') : String(v);
}

export function field(o: FieldOptions): Html {
  const id = fieldId(o.form, o.name);
  const errors = errorsFor(o);
  const error = errors[0];
  const describedBy = [o.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const attrs = html`id="${id}" name="${o.name}"${o.required ? html` required` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}${error ? html` aria-invalid="true"` : ''}${o.maxlength ? html` maxlength="${o.maxlength}"` : ''}`;
  const control = o.multiline
    ? html`<textarea ${attrs} rows="${o.rows ?? 5}"${o.code ? html` class="code" spellcheck="false"` : ''}>${valueOf(o)}</textarea>`
    : html`<input type="${o.type ?? 'text'}" ${attrs} value="${valueOf(o)}">`;
  return html`<div class="field"><label for="${id}">${o.label}${o.required ? '' : html` <span class="muted">(optional)</span>`}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}${error ? html`<div class="field-error" id="${id}-error">${errors.map((e) => html`<p>${messageText(e)}</p>`)}</div>` : ''}${control}</div>`;
}

export function selectField(o: FieldOptions & { options: [string, string][] }): Html {
  const id = fieldId(o.form, o.name);
  const error = errorFor(o);
  const current = valueOf(o);
  return html`<div class="field"><label for="${id}">${o.label}</label>
${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}${error ? html`<p class="field-error" id="${id}-error">${messageText(error)}</p>` : ''}<select class="wide" id="${id}" name="${o.name}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : o.hint ? html` aria-describedby="${id}-hint"` : ''}>${o.options.map(([v, l]) => html`<option value="${v}"${v === current ? html` selected` : ''}>${l}</option>`)}</select></div>`;
}

export function checkbox(o: { form: string; name: string; label: string; checked?: boolean; hint?: string }): Html {
  const id = fieldId(o.form, o.name);
  return html`<div class="field"><label><input type="checkbox" id="${id}" name="${o.name}" value="yes"${o.checked ? html` checked` : ''}${o.hint ? html` aria-describedby="${id}-hint"` : ''}> ${o.label}</label>${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : ''}</div>`;
}

/**
 * A form posting to `action` with the CSRF field; `label` names it for assistive technology. A
 * form with files is multipart: its CSRF field comes first, as the server checks it before any file.
 */
export function postForm(o: { action: string; csrf: string; label: string; body: Html; submit: string; className?: string; danger?: boolean; files?: boolean }): Html {
  return html`<form class="${o.className ?? 'stack'}" method="post" action="${o.action}"${o.files ? html` enctype="multipart/form-data"` : ''} aria-label="${o.label}">${csrfField(o.csrf)}${o.body}<div><button type="submit"${o.danger ? html` class="danger"` : ''}>${o.submit}</button></div></form>`;
}

/** A file input (several files), with its limits as the hint and its errors (`attachments`) next to it. */
export function fileField(o: { form: string; state?: FormState; label: string; hint: string }): Html {
  const id = fieldId(o.form, 'attachments');
  const errors = errorsFor({ form: o.form, name: 'attachments', label: o.label, ...(o.state ? { state: o.state } : {}) });
  return html`<div class="field"><label for="${id}">${o.label} <span class="muted">(optional)</span></label>
<p class="hint" id="${id}-hint">${o.hint}</p>${errors.length ? html`<div class="field-error" id="${id}-error">${errors.map((e) => html`<p>${messageText(e)}</p>`)}</div>` : ''}<input type="file" id="${id}" name="attachment" multiple aria-describedby="${id}-hint${errors.length ? ` ${id}-error` : ''}"${errors.length ? html` aria-invalid="true"` : ''}></div>`;
}
