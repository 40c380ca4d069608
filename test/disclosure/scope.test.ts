import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { CHARTER_TEXT, combineKnowledge, decideScope, indexKnowledge, type CpanKnowledge, type ScopeRule } from '../../src/disclosure/index.js';
import { upstreamPath } from '../helpers/paths.js';
import { bundledIndex } from './helpers.js';

const index = indexKnowledge(bundledIndex());
const seen = new Set<ScopeRule>();
const decide = (...args: Parameters<typeof decideScope>) => {
  const d = decideScope(...args);
  seen.add(d.rule);
  return d;
};

test('the charter quotes are the charter’s words (Markdown markup and entities aside)', () => {
  const plain = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&#64;/g, '@')
      .replace(/~~|\*\*|[*_`]/g, '')
      .replace(/\s+/g, ' ');
  const charter = plain(readFileSync(upstreamPath('seed', 'charter.txt'), 'utf8'));
  for (const [name, quote] of Object.entries(CHARTER_TEXT)) assert.ok(charter.includes(plain(quote)), `${name}: '${quote}' is not in the charter`);
  assert.match(charter, /## Version v0\.6\.6/);
});

test('the perl interpreter and core modules maintained in blead are for cpan-security@ and perl5-porters', () => {
  const perl = decide({ distribution: 'perl' }, { knowledge: index });
  assert.equal(perl.inScope, false);
  assert.equal(perl.rule, 'perl-interpreter');
  assert.equal(perl.handledBy, 'cpan-security@perl.org');
  assert.match(perl.charter, /The perl interpreter itself/);

  // Storable ships with perl and Module::CoreList names blead as its upstream (it is in the index too)
  const storable = decide({ distribution: 'Storable' }, { knowledge: index });
  assert.deepEqual([storable.inScope, storable.rule, storable.handledBy], [false, 'core-module', 'perl5-porters@perl.org']);
  assert.match(storable.explanation, /Storable ships with perl/);
  assert.equal(decide({ distribution: 'strict' }).rule, 'core-module', 'no knowledge needed for a core module');
});

test('dual-life modules are in scope, found through the main module or the modules the caller lists', () => {
  const encode = decide({ distribution: 'Encode' }, { knowledge: index });
  assert.deepEqual([encode.inScope, encode.rule], [true, 'dual-life']);
  assert.equal(encode.charter, CHARTER_TEXT.cpan);
  const slu: CpanKnowledge = { isOnCpan: () => undefined, modulesOf: (d) => (d === 'Scalar-List-Utils' ? ['List::Util', 'Scalar::Util'] : undefined) };
  assert.equal(decide({ distribution: 'Scalar-List-Utils' }, { knowledge: slu }).rule, 'dual-life');
});

test('a module removed from core (CGI) is an ordinary CPAN distribution', () => {
  const cgi = decide({ distribution: 'CGI' }, { knowledge: index });
  assert.deepEqual([cgi.inScope, cgi.rule], [true, 'cpan-distribution']);
});

test('on CPAN only when something we know says so; otherwise undecided, never guessed', () => {
  assert.deepEqual(
    [decide({ distribution: 'Mojolicious' }, { knowledge: index }).inScope, decide({ distribution: 'Mojolicious' }, { knowledge: index }).rule],
    [true, 'cpan-distribution'],
  );
  const unknown = decide({ distribution: 'Totally-Unknown-Dist' }, { knowledge: index });
  assert.deepEqual([unknown.inScope, unknown.rule, unknown.section], [null, 'unknown-distribution', 'none']);
  assert.match(unknown.explanation, /check MetaCPAN/);
  const packages: CpanKnowledge = { isOnCpan: (d) => d === 'Totally-Unknown-Dist' };
  const known = combineKnowledge(index, packages);
  assert.equal(decide({ distribution: 'Totally-Unknown-Dist' }, { knowledge: known }).rule, 'cpan-distribution');
  const offCpan = decide({ distribution: 'My-Private-App' }, { knowledge: combineKnowledge(index, { isOnCpan: () => false }) });
  assert.deepEqual([offCpan.inScope, offCpan.rule], [false, 'not-on-cpan']);
  assert.equal(offCpan.charter, CHARTER_TEXT.outsideCpan);
});

test('a third-party library: the wrapper is in scope, the library’s own vulnerability is not', () => {
  const xs: CpanKnowledge = { isOnCpan: () => true, isXs: (d) => d === 'XML-LibXML' || d === 'DBD-SQLite' };
  const wrapper = decide({ distribution: 'XML-LibXML' }, { knowledge: xs });
  assert.deepEqual([wrapper.inScope, wrapper.rule], [true, 'xs-module']);
  assert.equal(wrapper.charter, CHARTER_TEXT.xs);
  const lib = decide({ distribution: 'XML-LibXML', component: 'linked-library', library: 'libxml2' }, { knowledge: xs });
  assert.deepEqual([lib.inScope, lib.rule, lib.handledBy], [false, 'third-party-library', 'the upstream project of libxml2']);
  assert.match(lib.charter, /^Third party libraries, files and services linked to or used by CPAN distributions; Rationale: Shims\/wrappers/);
  assert.match(lib.explanation, /XML-LibXML's own code stays in scope/);
  const service = decide({ distribution: 'Mojolicious', component: 'external-service', library: 'an OAuth provider' }, { knowledge: index });
  assert.equal(service.rule, 'third-party-library');
  // a copy shipped inside the release is code on CPAN
  const bundledXs = decide({ distribution: 'DBD-SQLite', component: 'bundled-library', library: 'SQLite' }, { knowledge: xs });
  assert.deepEqual([bundledXs.inScope, bundledXs.rule], [true, 'xs-module']);
  const bundled = decide({ distribution: 'Mojolicious', component: 'bundled-library', library: 'jQuery' }, { knowledge: index });
  assert.deepEqual([bundled.inScope, bundled.rule, bundled.section], [true, 'bundled-copy', 'in-scope']);
});

test('Alien:: and Mozilla::CA are in scope by their rationales, whatever the component', () => {
  const alien = decide({ distribution: 'Alien-Build', component: 'linked-library', library: 'libfoo' }, { knowledge: { isOnCpan: () => true } });
  assert.deepEqual([alien.inScope, alien.rule, alien.section], [true, 'alien', 'rationale']);
  assert.equal(decide({ distribution: 'Alien-Build' }, { knowledge: { isOnCpan: () => true } }).rule, 'alien');
  const ca = decide({ distribution: 'Mozilla-CA', component: 'bundled-library', library: 'the Mozilla CA bundle' }, { knowledge: index });
  assert.deepEqual([ca.inScope, ca.rule], [true, 'mozilla-ca']);
  assert.equal(ca.charter, CHARTER_TEXT.mozillaCa);
});

test('every rule is exercised above, and every decision names the charter version', () => {
  const all: ScopeRule[] = ['perl-interpreter', 'core-module', 'mozilla-ca', 'not-on-cpan', 'unknown-distribution', 'third-party-library', 'alien', 'xs-module', 'bundled-copy', 'dual-life', 'cpan-distribution'];
  assert.deepEqual([...seen].sort(), [...all].sort());
  assert.equal(decideScope({ distribution: 'perl' }).charterVersion, '0.6.6');
});
