/**
 * Triage scope: the CPAN Security WG charter's In-scope / Out-of-scope rules applied to a
 * distribution. Each decision names the rule that decided it and quotes the charter (v0.6.6)
 * word for word, minus its Markdown markup. What we know comes from Module::CoreList (core and
 * dual-life), the vulnerability index and whatever the caller supplies; when nothing we know
 * says whether a distribution is on CPAN, the answer is "cannot decide", never a guess.
 */
import type { VulnerabilityIndex } from '../index/index.js';
import { coreInfo as corelistInfo, type CoreInfo } from '../perl/index.js';

export const CHARTER_VERSION = '0.6.6';

export type ScopeRule =
  | 'perl-interpreter'
  | 'core-module'
  | 'mozilla-ca'
  | 'not-on-cpan'
  | 'unknown-distribution'
  | 'third-party-library'
  | 'alien'
  | 'xs-module'
  | 'bundled-copy'
  | 'dual-life'
  | 'cpan-distribution';

/** Where the vulnerable code is, as the triager establishes it. */
export type AffectedComponent = 'own-code' | 'bundled-library' | 'linked-library' | 'external-service';

export interface ScopeQuestion {
  distribution: string;
  /** default 'own-code' */
  component?: AffectedComponent;
  /** the third-party library or service, when the component is one */
  library?: string;
}

export interface ScopeDecision {
  distribution: string;
  component: AffectedComponent;
  /** null: what we know cannot decide it (the team must find out) */
  inScope: boolean | null;
  rule: ScopeRule;
  /** where the charter says it (its In-scope list, Out-of-scope list, or a rationale attached to the latter) and its words */
  section: 'in-scope' | 'out-of-scope' | 'rationale' | 'none';
  charter: string;
  /** how the rule applied to this distribution */
  explanation: string;
  /** who handles an out-of-scope report instead */
  handledBy?: string;
  charterVersion: string;
}

/** What is known about CPAN beyond the charter; undefined means "this source does not know". */
export interface CpanKnowledge {
  isOnCpan(distribution: string): boolean | undefined;
  isXs?(distribution: string): boolean | undefined;
  /** the distribution's modules, main module first */
  modulesOf?(distribution: string): string[] | undefined;
}

export const CHARTER_TEXT = {
  cpan: 'Distributions published on CPAN, including dual-life core modules;',
  handledElsewhere: 'Security issues handled by <cpan-security@perl.org>',
  interpreter: 'The perl interpreter itself',
  core: 'Perl Core modules managed by <perl5-porters@perl.org>',
  outsideCpan: 'Perl software published outside of CPAN (e.g. via github download links, or with private hosting).',
  thirdParty: 'Third party libraries, files and services linked to or used by CPAN distributions;',
  xs: 'Rationale: XS modules are in scope until tooling for warning about upstream vulnerabilities is in place. (sjn)',
  wrappers:
    'Rationale: Shims/wrappers/api modules on CPAN are in scope, but we cannot address issues related to the third-party (external) libraries or APIs they link to or use. So for example if XML::LibXML contains a vulnerability, it\'s in scope, but if libxml2 (which it links to) has a vulnerability, we have nothing to do with it, as it is not directly related to code on CPAN. (garu)',
  alien: 'Rationale: Alien:: distributions are in scope until tooling for warning about upstream vulnerabilities is in place. (stigo)',
  mozillaCa: 'Rationale: Mozilla::CA is in scope until the module is either phased out/deprecated or kept automatically in sync with upstream CA. (stigo)',
} as const;

const PERL_INTERPRETER = new Set(['perl', 'perl5']);

/** The index as CPAN knowledge: it lists only distributions that have advisories, so absence says nothing. */
export function indexKnowledge(index: VulnerabilityIndex): CpanKnowledge {
  let distsOfModules: Set<string> | undefined;
  const modules = new Map<string, string[]>();
  return {
    isOnCpan(distribution) {
      distsOfModules ??= new Set(index.db.moduleToDistribution.values());
      return index.hasDistribution(distribution) || distsOfModules.has(distribution) ? true : undefined;
    },
    modulesOf(distribution) {
      if (modules.size === 0) {
        for (const [m, d] of index.db.moduleToDistribution) modules.set(d, [...(modules.get(d) ?? []), m]);
      }
      const main = index.distribution(distribution)?.mainModule;
      const list = modules.get(distribution) ?? [];
      if (!main && list.length === 0) return undefined;
      return main ? [main, ...list.filter((m) => m !== main)] : list;
    },
  };
}

/** Several sources, asked in order; the first that knows answers. */
export function combineKnowledge(...sources: (CpanKnowledge | undefined)[]): CpanKnowledge {
  const list = sources.filter((s): s is CpanKnowledge => s !== undefined);
  const first = <T>(f: (s: CpanKnowledge) => T | undefined): T | undefined => {
    for (const s of list) {
      const v = f(s);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  return {
    isOnCpan: (d) => first((s) => s.isOnCpan(d)),
    isXs: (d) => first((s) => s.isXs?.(d)),
    modulesOf: (d) => first((s) => s.modulesOf?.(d)),
  };
}

export interface ScopeOptions {
  knowledge?: CpanKnowledge;
  /** Module::CoreList lookup (default: the bundled data, newest perl) */
  coreInfo?: (module: string) => CoreInfo | undefined;
}

export function decideScope(question: ScopeQuestion, options: ScopeOptions = {}): ScopeDecision {
  const dist = question.distribution;
  const component = question.component ?? 'own-code';
  const k = options.knowledge ?? { isOnCpan: () => undefined };
  const core = options.coreInfo ?? ((m: string) => corelistInfo(m));
  const lib = question.library ? ` (${question.library})` : '';
  const decide = (inScope: boolean | null, rule: ScopeRule, section: ScopeDecision['section'], charter: string, explanation: string, handledBy?: string): ScopeDecision => ({
    distribution: dist,
    component,
    inScope,
    rule,
    section,
    charter,
    explanation,
    ...(handledBy ? { handledBy } : {}),
    charterVersion: CHARTER_VERSION,
  });

  if (PERL_INTERPRETER.has(dist.toLowerCase())) {
    return decide(false, 'perl-interpreter', 'out-of-scope', `${CHARTER_TEXT.handledElsewhere}: ${CHARTER_TEXT.interpreter}`,
      `${dist} is the perl interpreter; its security issues go to cpan-security@perl.org`, 'cpan-security@perl.org');
  }
  if (dist === 'Mozilla-CA') {
    return decide(true, 'mozilla-ca', 'rationale', CHARTER_TEXT.mozillaCa,
      'Mozilla::CA, including the CA data it ships, is in scope by the rationale attached to the Out-of-scope list');
  }

  const modules = k.modulesOf?.(dist) ?? [dist.replace(/-/g, '::')];
  const mainModule = modules[0]!;
  const coreModule = modules.map((m) => ({ m, info: core(m) })).find((x) => x.info?.core);
  if (coreModule && !coreModule.info!.dualLife) {
    return decide(false, 'core-module', 'out-of-scope', `${CHARTER_TEXT.handledElsewhere}: ${CHARTER_TEXT.core}`,
      `${coreModule.m} ships with perl (since ${coreModule.info!.since}) and is maintained in the perl core (Module::CoreList names blead as its upstream)`,
      'perl5-porters@perl.org');
  }
  const dualLife = coreModule !== undefined;
  const onCpan = dualLife ? true : k.isOnCpan(dist);
  if (onCpan === false) {
    return decide(false, 'not-on-cpan', 'out-of-scope', CHARTER_TEXT.outsideCpan, `${dist} is not a distribution on CPAN`);
  }
  if (onCpan === undefined) {
    return decide(null, 'unknown-distribution', 'none', CHARTER_TEXT.cpan,
      `nothing we know lists ${dist} on CPAN (not in the vulnerability index or the package list given); check MetaCPAN before deciding`);
  }

  const alien = dist.startsWith('Alien-');
  const xs = k.isXs?.(dist) === true;
  if (component === 'linked-library' || component === 'external-service') {
    if (alien) {
      return decide(true, 'alien', 'rationale', CHARTER_TEXT.alien,
        `${dist} is an Alien:: distribution: the library it provides${lib} is in scope until upstream warning tooling exists`);
    }
    return decide(false, 'third-party-library', 'out-of-scope', `${CHARTER_TEXT.thirdParty} ${CHARTER_TEXT.wrappers}`,
      `the vulnerability is in a third-party ${component === 'linked-library' ? 'library' : 'service'}${lib} that ${dist} ${component === 'linked-library' ? 'links to' : 'uses'}, not in code on CPAN; ${dist}'s own code stays in scope`,
      question.library ? `the upstream project of ${question.library}` : 'the upstream project');
  }
  if (alien) {
    return decide(true, 'alien', 'rationale', CHARTER_TEXT.alien, `${dist} is an Alien:: distribution`);
  }
  if (xs) {
    return decide(true, 'xs-module', 'rationale', CHARTER_TEXT.xs,
      component === 'bundled-library'
        ? `${dist} is an XS distribution shipping its own copy of a library${lib}: in scope until upstream warning tooling exists`
        : `${dist} is an XS distribution`);
  }
  if (component === 'bundled-library') {
    return decide(true, 'bundled-copy', 'in-scope', `${CHARTER_TEXT.cpan} ${CHARTER_TEXT.wrappers}`,
      `${dist} ships a copy of the library${lib} in its CPAN release: that copy is code on CPAN (the upstream fix remains the upstream project's)`);
  }
  if (dualLife) {
    return decide(true, 'dual-life', 'in-scope', CHARTER_TEXT.cpan,
      `${coreModule!.m} ships with perl but is maintained on CPAN (dual-life; Module::CoreList names CPAN as its upstream)`);
  }
  return decide(true, 'cpan-distribution', 'in-scope', CHARTER_TEXT.cpan, `${dist} (main module ${mainModule}) is a distribution on CPAN`);
}
