/** Author contact on a case page (team only): escalation, the contact log and its forms, the invitation. */
import { html, type Html } from '../../../publish/site/index.js';
import { CONTACT_CHANNELS, nextStepName, type CaseView } from '../../../disclosure/index.js';
import { field, postForm, selectField, type FormState } from './forms.js';

const STEP: Record<string, string> = {
  'not-applicable': 'not applicable (the case is not accepted)',
  answered: 'the author answered',
  'contact-author': 'contact the author',
  'awaiting-answer': 'waiting for the author’s answer',
  'send-reminder': 'no answer: send a reminder',
  'try-another-channel': 'no answer by the deadline: try another channel',
  'team-decision': 'the author is unresponsive: the team decides (publish without a fix?)',
};

const deadlineField = (form: string, state: FormState | undefined) =>
  field({ form, state, name: 'respondBy', label: 'Answer expected by', type: 'date', hint: 'The response deadline agreed for this case; empty: the team’s default. The escalation follows it.' });

const when = (iso: string | null | undefined) => (iso ? html`<time datetime="${iso}">${iso.slice(0, 16).replace('T', ' ')} UTC</time>` : html`<span class="muted">—</span>`);

/** One action to remind the author by mail, at the address the team last wrote to. */
function resendForm(o: { view: CaseView; csrf: string }): Html {
  const { view } = o;
  const esc = view.escalation;
  if (!view.actions.includes('case.inviteAuthor') || !esc?.reminderTo || esc.step === 'answered') return html``;
  return postForm({
    action: `/workspace/cases/${view.reference}/remind-author`,
    csrf: o.csrf,
    label: 'Re-send to the author',
    submit: `Re-send to the author (${esc.reminderTo})`,
    body: html`<p class="hint">A reminder by mail with a new single-use link to the case (the case’s address once the author has an account), now; logged as another contact attempt.</p>`,
  });
}

/** What the reminder job will do by itself. */
function automaticNote(view: CaseView): Html {
  const esc = view.escalation;
  if (!esc || esc.step === 'answered' || esc.step === 'not-applicable' || esc.step === 'contact-author') return html``;
  if (esc.step === 'send-reminder' && esc.automaticReminder) return html`<p class="hint">A reminder to ${esc.reminderTo} is due: the reminder job sends it by itself at its next run.</p>`;
  if (esc.next?.automatic) return html`<p class="hint">If the author does not answer, a reminder goes to ${esc.reminderTo} by itself on ${when(esc.next.at)}.</p>`;
  if (!esc.reminderTo) return html`<p class="hint">No reminder goes out by itself: the contact log has no e-mail address of the author.</p>`;
  if (!esc.automaticReminder) return html`<p class="hint">The reminder job has reminded the author since the team’s last attempt; further reminders are the team’s.</p>`;
  return html``;
}

export function contactSection(o: { view: CaseView; csrf: string; state?: FormState }): Html {
  const { view, csrf, state } = o;
  const ref = view.reference;
  const esc = view.escalation;
  const contacts = view.contacts ?? [];
  const canLog = view.actions.includes('case.logContact');
  return html`<section aria-labelledby="contact-h">
<h2 id="contact-h">Author contact</h2>
${esc
  ? html`<dl class="facts">
<dt>Escalation</dt><dd${esc.overdue ? html` class="flag"` : ''}><strong>${STEP[esc.step] ?? esc.step}</strong>${esc.overdue ? ' (the response deadline has passed)' : ''}</dd>
<dt>Response deadline</dt><dd>${when(esc.responseDeadline)}${esc.responseDeadline ? (esc.deadlineSetForCase ? ' (agreed for this case)' : ' (the team’s default)') : ''}</dd>
<dt>Next step due</dt><dd>${esc.next ? html`${when(esc.next.at)}: ${nextStepName(esc.next)}` : html`<span class="muted">—</span>`}</dd>
<dt>Attempts</dt><dd>${esc.attempts}${esc.channels.length ? ` (${esc.channels.join(', ')})` : ''}</dd>
</dl>
${automaticNote(view)}`
  : ''}
${contacts.length
  ? html`<table><caption>Contact log</caption>
<thead><tr><th scope="col">When</th><th scope="col">How</th><th scope="col">To</th><th scope="col">What</th><th scope="col">Answer</th></tr></thead>
<tbody>${contacts.map(
      (c) => html`<tr><th scope="row">${when(c.at)}</th><td>${c.channel}</td><td>${c.to}</td><td>${c.summary}</td><td>${
        c.answer
          ? html`${when(c.answer.at)}: ${c.answer.summary}`
          : canLog
            ? postForm({
                action: `/workspace/cases/${ref}/contacts/${c.id}/answer`,
                csrf,
                label: `Record the answer to the contact of ${c.at.slice(0, 10)}`,
                submit: 'Record the answer',
                body: html`${field({ form: `answer-${c.id}`, state, name: 'summary', label: 'Answer', multiline: true, rows: 2, required: true })}${field({ form: `answer-${c.id}`, state, name: 'at', label: 'Answered at', hint: 'ISO 8601; empty: now.' })}`,
              })
            : html`<span class="muted">none yet</span>`
      }</td></tr>\n`,
    )}</tbody></table>`
  : html`<p>No contact logged yet.</p>`}
${resendForm(o)}
${view.actions.includes('case.inviteAuthor')
  ? html`<h3>Invite the author to the case</h3>
${postForm({
  action: `/workspace/cases/${ref}/invite-author`,
  csrf,
  label: 'Invite the author',
  submit: 'Send the invitation',
  body: html`<p class="hint">The author gets a single-use link by mail; the mail names the distribution, not the vulnerability. It is logged as a contact.</p>
${field({ form: 'invite', state, name: 'email', label: 'Author’s e-mail address', type: 'email', required: true })}
${field({ form: 'invite', state, name: 'name', label: 'Author’s name', maxlength: 200 })}
${deadlineField('invite', state)}`,
})}`
  : ''}
${canLog
  ? html`<h3>Log a contact attempt</h3>
${postForm({
  action: `/workspace/cases/${ref}/contacts`,
  csrf,
  label: 'Log a contact attempt',
  submit: 'Log the contact',
  body: html`${selectField({ form: 'contact', state, name: 'channel', label: 'Channel', value: 'email', options: CONTACT_CHANNELS.map((c) => [c, c]) })}
${field({ form: 'contact', state, name: 'to', label: 'To (address, handle or URL)', required: true, maxlength: 300 })}
${field({ form: 'contact', state, name: 'summary', label: 'What was sent', multiline: true, rows: 2, required: true })}
${field({ form: 'contact', state, name: 'at', label: 'When', hint: 'ISO 8601, e.g. 2026-03-02T10:00Z; empty: now.' })}
${deadlineField('contact', state)}`,
})}`
  : ''}
</section>`;
}
