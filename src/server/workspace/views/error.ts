/** An error page of the workspace: what went wrong, in one sentence, and where to go. */
import { html, type Html } from '../../../publish/site/index.js';

const TITLES: Record<number, string> = { 400: 'Bad request', 403: 'Not allowed', 404: 'Not found', 409: 'Not possible now', 413: 'Too large', 429: 'Too many attempts', 500: 'Something went wrong' };

export function errorTitle(status: number): string {
  return TITLES[status] ?? (status >= 500 ? 'Something went wrong' : 'Bad request');
}

export function errorBody(status: number, message: string): Html {
  return html`<h1>${errorTitle(status)}</h1>
<p class="flag" role="alert">${message}</p>
<p><a href="/workspace">Back to the workspace</a></p>`;
}
