/** The advisory draft: create, edit, assign the CVE id, check, publish, and the files it makes. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { writeReport } from '../../../advisory/index.js';
import { assignCve, checkDraft, createDraft, cveInputFor, editDraft, publishCase, viewCase, type CaseView } from '../../../disclosure/index.js';
import { CpansecError } from '../../../errors.js';
import { buildCveRecord } from '../cve-record.js';
import { bodyOf, lines, one } from '../http.js';
import { draftPage } from '../views/draft.js';
import type { FormState } from '../views/forms.js';
import type { Workspace } from '../workspace.js';
import { showCase } from './case-data.js';
import { echo, formErrors, needAccount, render, statusOfForm } from './kit.js';

type CaseRequest = FastifyRequest<{ Params: { ref: string } }>;

const paragraphs = (v: unknown) => (one(v) ?? '').split(/\r?\n\s*\r?\n/).map((p) => p.trim()).filter(Boolean);

/** The draft form as the domain's patch: every field replaced by what the form holds. */
function draftPatchOf(b: Record<string, unknown>): { advisory: Record<string, unknown>; cna: Record<string, unknown> } {
  return {
    advisory: {
      description: one(b['advisory.description']) ?? '',
      affectedVersions: lines(b['advisory.affectedVersions']),
      fixedVersions: lines(b['advisory.fixedVersions']),
      severity: one(b['advisory.severity']) || null,
      cvss: lines(b['advisory.cvss']),
      references: lines(b['advisory.references']),
      comment: one(b['advisory.comment']) ?? '',
    },
    cna: {
      title: one(b['cna.title']) ?? '',
      module: one(b['cna.module']) ?? '',
      author: one(b['cna.author']) || null,
      repo: one(b['cna.repo']) || null,
      cwes: lines(b['cna.cwes']).map((l) => {
        const [id, ...name] = l.split(/\s+/);
        return { id, name: name.join(' ') };
      }),
      files: lines(b['cna.files']),
      routines: lines(b['cna.routines']),
      solution: paragraphs(b['cna.solution']),
      mitigation: paragraphs(b['cna.mitigation']),
      impacts: lines(b['cna.impacts']),
      credits: lines(b['cna.credits']).map((l) => {
        const m = /^([a-z ]+?)\s*:\s*(.+)$/.exec(l);
        return m ? { type: m[1], value: m[2] } : { type: 'finder', value: l };
      }),
      timeline: lines(b['cna.timeline']).map((l) => {
        const [time, ...value] = l.split(/\s+/);
        return { time, value: value.join(' ') };
      }),
      references: lines(b['cna.references']).map((l) => {
        const [url, tags, ...name] = l.split(/\s+/);
        const tagList = tags ? tags.split(',').filter(Boolean) : [];
        return { url, tags: tagList, ...(name.length ? { name: name.join(' ') } : {}) };
      }),
    },
  };
}

async function showDraft(ws: Workspace, request: CaseRequest, reply: FastifyReply, state?: FormState, status?: number): Promise<FastifyReply> {
  const actor = request.caller.actor;
  const view: CaseView = await viewCase(ws.deps, actor, request.params.ref);
  const problems = await checkDraft(ws.deps, actor, view.reference);
  const staff = view.assessment !== undefined;
  const cve = staff && view.cve ? buildCveRecord(await cveInputFor(ws.deps, actor, view.reference)) : undefined;
  const report = writeReport(view.draft!.advisory.distribution, [view.draft!.advisory]);
  return render(ws, request, reply, {
    title: `Draft of ${view.reference}`,
    ...(status ? { status } : {}),
    body: draftPage({ view, problems, report, csrf: request.caller.csrf, ...(cve ? { cve } : {}), ...(state ? { state } : {}) }),
  });
}

export function draftPages(app: FastifyInstance, ws: Workspace): void {
  app.get<{ Params: { ref: string } }>('/cases/:ref/draft', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    return showDraft(ws, request, reply);
  });

  app.post<{ Params: { ref: string } }>('/cases/:ref/draft', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    try {
      const c = await createDraft(ws.deps, request.caller.actor, request.params.ref);
      return reply.redirect(`/workspace/cases/${c.reference}/draft?done=draft`, 303);
    } catch (e) {
      return showCase(ws, request, reply, request.params.ref, formErrors(e, 'draft', {}), statusOfForm(e));
    }
  });

  const onDraft = (path: string, form: string, done: string, run: (request: CaseRequest, body: Record<string, unknown>) => Promise<{ reference: string }>) =>
    app.post<{ Params: { ref: string } }>(`/cases/:ref${path}`, async (request, reply) => {
      if (!needAccount(request, reply)) return reply;
      const body = bodyOf(request);
      try {
        const c = await run(request, body);
        return reply.redirect(`/workspace/cases/${c.reference}/draft?done=${done}`, 303);
      } catch (e) {
        return showDraft(ws, request, reply, formErrors(e, form, echo(body)), statusOfForm(e));
      }
    });

  onDraft('/draft/edit', 'draft', 'saved', (r, b) => editDraft(ws.deps, r.caller.actor, r.params.ref, draftPatchOf(b)));
  onDraft('/cve', 'cve', 'cve', (r, b) => assignCve(ws.deps, r.caller.actor, r.params.ref, one(b.cve) ?? ''));

  app.post<{ Params: { ref: string } }>('/cases/:ref/publish', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const body = bodyOf(request);
    try {
      const { case: c, events } = await publishCase(ws.deps, request.caller.actor, request.params.ref, one(body.reason) ?? '', { withoutFix: one(body.withoutFix) === 'yes' });
      await ws.published(events[0], c.publishedAt!);
      return reply.redirect(`/workspace/cases/${c.reference}?done=published`, 303);
    } catch (e) {
      return showDraft(ws, request, reply, formErrors(e, 'publish', echo(body)), statusOfForm(e));
    }
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref/advisory.yml', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const view = await viewCase(ws.deps, request.caller.actor, request.params.ref);
    if (!view.draft) throw new CpansecError('NOT_FOUND', 'the case has no draft advisory', { file: view.reference });
    return reply.type('text/yaml; charset=utf-8').header('content-disposition', `inline; filename="${view.draft.advisory.id}.yml"`).send(writeReport(view.draft.advisory.distribution, [view.draft.advisory]));
  });

  app.get<{ Params: { ref: string } }>('/cases/:ref/cve.json', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const built = buildCveRecord(await cveInputFor(ws.deps, request.caller.actor, request.params.ref));
    if (!built.record) throw new CpansecError('CONFLICT', `the CVE record cannot be built yet: ${built.problems.find((p) => p.level === 'error')?.message ?? 'see the draft page'}`, { file: request.params.ref });
    return reply.type('application/json; charset=utf-8').send(`${JSON.stringify(built.record, null, 2)}\n`);
  });
}
