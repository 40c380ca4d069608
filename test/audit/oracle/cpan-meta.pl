#!/usr/bin/perl
# The prerequisites CPAN::Meta reads from a META.json / META.yml (argument; v1.4 is upgraded to v2),
# as JSON lines: [feature or "", phase, relationship, module, requirement string].
use strict;
use warnings;
use CPAN::Meta;
use JSON::PP;
my $file = shift or die "usage: $0 META-file\n";
my $meta = CPAN::Meta->load_file($file, { lazy_validation => 1 });
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
dump_prereqs('', $meta->effective_prereqs);
for my $f ($meta->features) {
    dump_prereqs($f->identifier, $f->prereqs);
}
