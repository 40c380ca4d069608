/**
 * Regenerates data/corelist.json from the real Module::CoreList (run once, with perl; the product
 * never needs perl). Per module: the perl that first shipped it, the perl that removed it, its version
 * in the newest perl, and whether Module::CoreList names CPAN as its upstream (dual-life).
 *
 *   node --import tsx scripts/gen-corelist.ts
 */
import { execFileSync } from 'node:child_process';
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = String.raw`
use strict; use warnings; use Module::CoreList; use JSON::PP;
my %all; for my $p (keys %Module::CoreList::version) { $all{$_} = 1 for keys %{ $Module::CoreList::version{$p} } }
my @perls = sort { $a <=> $b } grep { $_ >= 5 } keys %Module::CoreList::version;
my $newest = $perls[-1];
my %m;
for my $mod (sort keys %all) {
  my $first = Module::CoreList->first_release($mod);
  next unless defined $first;
  my $removed = Module::CoreList->removed_from($mod);
  my $v = $Module::CoreList::version{$newest}{$mod};
  $m{$mod} = [ "$first", defined $removed ? "$removed" : undef, defined $v ? "$v" : undef, (($Module::CoreList::upstream{$mod} // '') eq 'cpan') ? 1 : 0 ];
}
print JSON::PP->new->canonical->encode({ module_corelist_version => "$Module::CoreList::VERSION", newest_perl => "$newest", perls => [ map { "$_" } @perls ], modules => \%m });
`;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const data = JSON.parse(execFileSync('perl', ['-e', script], { maxBuffer: 64 * 1024 * 1024 }).toString());
const out = { generated_by: 'scripts/gen-corelist.ts from Module::CoreList (perl)', ...data };
const target = path.join(root, 'data', 'corelist.json');
writeFileSync(`${target}.tmp`, JSON.stringify(out));
renameSync(`${target}.tmp`, target);
console.log(`${Object.keys(data.modules).length} core modules, newest perl ${data.newest_perl} -> ${target}`);
