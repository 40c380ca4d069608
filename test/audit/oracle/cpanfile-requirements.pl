#!/usr/bin/perl
# Each requirement statement of a cpanfile as Module::CPANfile records it, in order, as JSON lines
# [feature or "", phase, relationship, module, version, {options}], each file's after a line "# FILE":
#   cpanfile-requirements.pl FILE...
# (the list is Module::CPANfile::Prereqs' own, the one options_for_module searches)
use strict;
use warnings;
use JSON::PP;
use Module::CPANfile;
die "usage: $0 FILE...\n" unless @ARGV;
my $json = JSON::PP->new->canonical;
for my $file (@ARGV) {
    print "# $file\n";
    my $all = Module::CPANfile->load($file)->{_prereqs}{prereqs};
    for my $feature (sort keys %$all) {
        for my $p (@{ $all->{$feature} }) {
            my $r = $p->requirement;
            print $json->encode([$feature, $p->phase, $p->type, $p->module, "" . $r->version, { map { $_ => "" . $r->options->{$_} } keys %{ $r->options } }]), "\n";
        }
    }
}
