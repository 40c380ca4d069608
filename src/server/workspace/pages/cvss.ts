/**
 * The CVSS 3.1 / 4.0 calculators' server side: the page script, and the calculator's own page for
 * browsers without script (the form on the case page posts here): the server computes the score
 * of the metrics sent, and saves the vector to the case when asked.
 */
import type { FastifyInstance } from 'fastify';
import { assessCase, parseCvss, viewCase, type CaseView, type CvssResult } from '../../../disclosure/index.js';
import { CpansecError, isCpansecError } from '../../../errors.js';
import { calculatorScript } from '../calculator-script.js';
import { allMetrics, baseMetrics, valuesOfVector, vectorOf, type EditorVersion } from '../cvss-metrics.js';
import { bodyOf, one } from '../http.js';
import { cvssEditor } from '../views/cvss.js';
import type { Workspace } from '../workspace.js';
import { needAccount, render } from './kit.js';

function editorVersion(v: string): EditorVersion {
  if (v === '3.1' || v === '4.0') return v;
  throw new CpansecError('NOT_FOUND', `no CVSS ${v.slice(0, 10)} calculator (3.1 or 4.0)`, { file: 'version' });
}

/** The calculator is the team's, for an open case (what the policy's `case.assess` says, seen through the view). */
function mayRate(view: CaseView): void {
  if (view.assessment === undefined) throw new CpansecError('FORBIDDEN', 'only the team rates a case', { file: view.reference });
  if (!view.actions.includes('case.assess')) throw new CpansecError('CONFLICT', `the case is ${view.state}`, { file: view.reference });
}

export function cvssPages(app: FastifyInstance, ws: Workspace): void {
  // public and the same for everyone: no secret in it, cached (the page asks for it by content hash)
  app.get('/static/cvss-calculator.js', async (_request, reply) => {
    const script = calculatorScript();
    if (!script) throw new CpansecError('NOT_FOUND', 'the calculator script is not installed (data/workspace/cvss-calculator.js)', { file: 'script' });
    return reply.header('cache-control', 'public, max-age=86400').type('text/javascript; charset=utf-8').send(script.body);
  });

  app.get<{ Params: { ref: string; version: string } }>('/cases/:ref/cvss/:version', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const version = editorVersion(request.params.version);
    const view = await viewCase(ws.deps, request.caller.actor, request.params.ref);
    mayRate(view);
    const current = view.assessment?.cvss.find((c) => c.version === version)?.vector;
    let result: CvssResult | undefined;
    try {
      result = current ? parseCvss(current) : undefined;
    } catch {
      result = undefined;
    }
    return render(ws, request, reply, {
      title: `CVSS ${version}`,
      body: cvssEditor({ reference: view.reference, version, chosen: valuesOfVector(current), csrf: request.caller.csrf, ...(result ? { result } : {}) }),
      scripts: scriptsOf(),
    });
  });

  app.post<{ Params: { ref: string; version: string } }>('/cases/:ref/cvss/:version', async (request, reply) => {
    if (!needAccount(request, reply)) return reply;
    const version = editorVersion(request.params.version);
    const body = bodyOf(request);
    const chosen = Object.fromEntries(allMetrics(version).map((m) => [m.short, one(body[m.short]) ?? '']));
    const view = await viewCase(ws.deps, request.caller.actor, request.params.ref);
    mayRate(view);
    const missing = baseMetrics(version).filter((m) => !chosen[m.short]).map((m) => m.name);
    let result: CvssResult | undefined;
    let error: string | undefined;
    if (missing.length) error = `choose a value for ${missing.join(', ')}`;
    else {
      try {
        result = parseCvss(vectorOf(version, chosen));
      } catch (e) {
        if (!isCpansecError(e)) throw e;
        error = e.message;
      }
    }
    if (result && !error && one(body.action) === 'save') {
      const others = (view.assessment?.cvss ?? []).filter((c) => c.version !== version).map((c) => c.vector);
      try {
        await assessCase(ws.deps, request.caller.actor, view.reference, { cvss: [...others, result.vector] });
        return reply.redirect(`/workspace/cases/${view.reference}?done=cvss&tab=triage`, 303);
      } catch (e) {
        if (!isCpansecError(e) || (e.code !== 'CONFLICT' && e.code !== 'PARSE_ERROR')) throw e;
        error = e.message;
      }
    }
    return render(ws, request, reply, {
      title: `CVSS ${version}`,
      status: error ? 400 : 200,
      body: cvssEditor({ reference: view.reference, version, chosen, csrf: request.caller.csrf, ...(result ? { result } : {}), ...(error ? { error } : {}) }),
      scripts: scriptsOf(),
    });
  });
}

/** The page script, for the pages that have a calculator. */
export function scriptsOf(): { src: string; integrity: string }[] {
  const s = calculatorScript();
  return s ? [{ src: s.src, integrity: s.integrity }] : [];
}
