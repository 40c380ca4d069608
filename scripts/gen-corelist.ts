/**
 * Regenerates data/corelist.json and data/corelist-versions.json from the real Module::CoreList (run
 * once, with perl; the product never needs perl). Per module: the perl that first shipped it, the perl
 * that removed it, its version in the newest perl, whether Module::CoreList names CPAN as its upstream
 * (dual-life), and its version in each perl (the changes only).
 *
 *   node --import tsx scripts/gen-corelist.ts [--lib DIR]
 *
 * A perl's own Module::CoreList knows the perls released before it only. `--lib DIR` names a newer
 * one: DIR holds Module/CoreList.pm, e.g. the lib/ of the CPAN distribution Module-CoreList (a
 * release per perl release) or perl5's dist/Module-CoreList/lib. The data names the version it used.
 */
import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatJsonLines } from '../src/perl/json-lines.js';

const script = String.raw`
use strict; use warnings; use Module::CoreList; use JSON::PP;
my %all; for my $p (keys %Module::CoreList::version) { $all{$_} = 1 for keys %{ $Module::CoreList::version{$p} } }
my @perls = sort { $a <=> $b } grep { $_ >= 5 } keys %Module::CoreList::version;
my $newest = $perls[-1];
# the default perl is the newest stable release (even minor version), never a development one
my ($stable) = grep { int(($_ - 5) * 1000 + 0.5) % 2 == 0 } reverse @perls;
my %m;
for my $mod (sort keys %all) {
  my $first = Module::CoreList->first_release($mod);
  next unless defined $first;
  my $removed = Module::CoreList->removed_from($mod);
  my $v = $Module::CoreList::version{$newest}{$mod};
  $m{$mod} = [ "$first", defined $removed ? "$removed" : undef, defined $v ? "$v" : undef, (($Module::CoreList::upstream{$mod} // '') eq 'cpan') ? 1 : 0 ];
}
# each module's version through the perls, as the changes only: [[perl, version or null], ...]
my %h;
for my $mod (sort keys %m) {
  my $last = '';
  for my $p (@perls) {
    my $v = exists $Module::CoreList::version{$p}{$mod} ? $Module::CoreList::version{$p}{$mod} : undef;
    my $key = defined $v ? "v$v" : exists $Module::CoreList::version{$p}{$mod} ? 'undef' : 'absent';
    next if $key eq $last;
    $last = $key;
    push @{ $h{$mod} }, [ "$p", defined $v ? "$v" : undef ];
  }
}
print JSON::PP->new->canonical->encode({ module_corelist_version => "$Module::CoreList::VERSION", newest_perl => "$newest", newest_stable => "$stable", perls => [ map { "$_" } @perls ], modules => \%m, versions => \%h });
`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--lib');
const lib = at >= 0 ? process.argv[at + 1] : undefined;
if (at >= 0 && !lib) throw new Error('--lib needs a directory holding Module/CoreList.pm');
const data = JSON.parse(execFileSync('perl', [...(lib ? ['-I', path.resolve(lib)] : []), '-e', script], { maxBuffer: 64 * 1024 * 1024 }).toString());
const { versions, modules, ...core } = data;
// one module a line (src/perl/json-lines.ts): a run parses the lines of the modules it asks about
const write = (name: string, head: Record<string, unknown>, member: string, members: Record<string, unknown>) => {
  const target = path.join(root, 'data', name);
  writeFileSync(`${target}.tmp`, formatJsonLines({ generated_by: 'scripts/gen-corelist.ts from Module::CoreList (perl)', ...head }, member, members));
  renameSync(`${target}.tmp`, target);
};
// the version history is ten times the rest and needed only to audit what a perl ships: its own file
write('corelist.json', core, 'modules', modules);
write('corelist-versions.json', { module_corelist_version: core.module_corelist_version }, 'versions', versions);
const target = path.join(root, 'data', 'corelist.json');
console.log(`${Object.keys(modules).length} core modules, newest perl ${data.newest_perl} (stable: ${data.newest_stable}) -> ${target}`);
