#!/usr/bin/perl
# The prerequisites Module::CPANfile reads from a cpanfile (argument), as JSON lines:
# [feature or "", phase, relationship, module, requirement string].
use strict;
use warnings;
use Module::CPANfile;
use JSON::PP;
my $file = shift or die "usage: $0 cpanfile\n";
my $cpanfile = Module::CPANfile->load($file);
my $json = JSON::PP->new->canonical;
sub dump_prereqs {
    my ($feature, $prereqs) = @_;
    my $h = $prereqs->as_string_hash;
    for my $phase (sort keys %$h) {
        for my $rel (sort keys %{ $h->{$phase} }) {
            for my $mod (sort keys %{ $h->{$phase}{$rel} }) {
                print $json->encode([$feature, $phase, $rel, $mod, $h->{$phase}{$rel}{$mod}]), "\n";
            }
        }
    }
}
dump_prereqs('', $cpanfile->prereqs);
for my $f ($cpanfile->features) {
    dump_prereqs($f->identifier, $f->prereqs);
}
