/**
 * The calculator on the page: the server renders each calculator as a form of radio buttons that
 * works without script (it posts to the server, which scores); this makes it live. Every change
 * scores the chosen values at once and, once every base metric is chosen, writes the vector into
 * the rating form's CVSS field (`data-cvss-target`), where the team records it and the server
 * scores it again. A vector typed or pasted into that field sets the calculator's buttons.
 *
 * The markup it reads (views/cvss.ts): `form[data-cvss-version]`, its radio buttons named by
 * metric inside `fieldset[data-metric]`, and `[data-cvss-vector]`, `[data-cvss-score]`,
 * `[data-cvss-base-score]`, `[data-cvss-severity]`, `[data-cvss-nomenclature]`, `[data-cvss-missing]`
 * in its result region (a polite live region, so the score is announced).
 */
import { calculate, readVector, withVector, type Calculation, type CalculatorVersion } from './cvss-calculator.js';

function chosenIn(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const input of form.querySelectorAll<HTMLInputElement>('input[type="radio"]:checked')) out[input.name] = input.value;
  return out;
}

function setText(form: HTMLFormElement, what: string, text: string): void {
  const el = form.querySelector<HTMLElement>(`[data-cvss-${what}]`);
  if (el && el.textContent !== text) el.textContent = text;
}

function show(form: HTMLFormElement, c: Calculation): void {
  const result = form.querySelector<HTMLElement>('[data-cvss-result]');
  if (!result) return;
  result.hidden = false;
  result.dataset.complete = String(c.complete);
  setText(form, 'vector', c.vector);
  setText(form, 'score', c.score === null ? '—' : c.score.toFixed(1));
  setText(form, 'base-score', c.baseScore === null ? '—' : c.baseScore.toFixed(1));
  setText(form, 'severity', c.complete ? (c.severity ?? 'none') : 'not scored yet');
  setText(form, 'nomenclature', c.nomenclature ?? '');
  const names = c.missing.map((k) => form.querySelector(`fieldset[data-metric="${k}"] legend`)?.textContent?.trim() ?? k);
  setText(form, 'missing', names.length ? `Still to choose: ${names.join(', ')}.` : '');
}

function check(form: HTMLFormElement, chosen: Record<string, string>): void {
  for (const input of form.querySelectorAll<HTMLInputElement>('input[type="radio"]')) {
    // a metric the vector leaves out is Not Defined (X) where the calculator offers it
    const want = chosen[input.name] ?? 'X';
    input.checked = input.value === want;
  }
}

function attach(doc: Document, form: HTMLFormElement): void {
  const version = form.dataset.cvssVersion;
  if (version !== '3.1' && version !== '4.0') return;
  const v: CalculatorVersion = version;
  const target = doc.getElementById(form.dataset.cvssTarget ?? '') as HTMLTextAreaElement | HTMLInputElement | null;
  // the score is live: the button that asks the server for it is for pages without script
  for (const b of form.querySelectorAll<HTMLElement>('[data-cvss-compute]')) b.hidden = true;

  form.addEventListener('change', () => {
    const c = calculate(v, chosenIn(form));
    show(form, c);
    if (c.complete && target) target.value = withVector(target.value, v, c.vector);
  });
  target?.addEventListener('input', () => {
    for (const line of target.value.split(/\r?\n/)) {
      const chosen = readVector(v, line);
      if (!chosen) continue;
      check(form, chosen);
      show(form, calculate(v, chosen));
    }
  });
  show(form, calculate(v, chosenIn(form)));
}

/** Make every calculator of the page live. */
export function startCalculators(doc: Document): void {
  for (const form of doc.querySelectorAll<HTMLFormElement>('form[data-cvss-version]')) attach(doc, form);
}
