#!/usr/bin/perl
# The prerequisites the real toolchain reads from a file, as JSON lines
# [feature or "", phase, relationship, module, requirement string]:
#   prereqs.pl cpanfile FILE   (Module::CPANfile)
#   prereqs.pl meta FILE       (CPAN::Meta; META-spec 1.4 is upgraded to 2)
use strict;
use warnings;
use JSON::PP;
my ($kind, $file) = @ARGV;
die "usage: $0 cpanfile|meta FILE\n" unless $file && $kind =~ /^(cpanfile|meta)$/;
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
my ($prereqs, @features);
if ($kind eq 'cpanfile') {
    require Module::CPANfile;
    my $cpanfile = Module::CPANfile->load($file);
    ($prereqs, @features) = ($cpanfile->prereqs, $cpanfile->features);
} else {
    require CPAN::Meta;
    my $meta = CPAN::Meta->load_file($file, { lazy_validation => 1 });
    ($prereqs, @features) = ($meta->effective_prereqs, $meta->features);
}
dump_prereqs('', $prereqs);
dump_prereqs($_->identifier, $_->prereqs) for @features;
