#!/usr/bin/perl
# For every (distribution, released version) of a CPANSA JSON database, the advisory ids that
# CPAN::Audit's query logic reports for exactly that version. It calls the installed
# CPAN::Audit::Version->in_range (Debian's libcpan-audit-perl) the way CPAN::Audit::Query does:
# an advisory applies when some element of affected_versions contains the version and no element
# of fixed_versions does (Query::_includes ORs the list elements).
use strict;
use warnings;
no warnings;
$SIG{__WARN__} = sub { };
use JSON::PP;
use CPAN::Audit::Version;

my $file = shift or die "usage: $0 DATABASE.json\n";
open my $fh, '<:raw', $file or die "$file: $!\n";
my $db = JSON::PP->new->decode(do { local $/; <$fh> });

sub includes {
    my ($range, $version) = @_;
    $range = [$range] unless ref $range;
    my $rc = 0;
    $rc += (CPAN::Audit::Version->in_range($version, $_) ? 1 : 0) for @$range;
    return $rc;
}

for my $dist (sort keys %{ $db->{dists} }) {
    my $d = $db->{dists}{$dist};
    for my $v (map { $_->{version} } @{ $d->{versions} }) {
        next unless defined $v;
        my @ids = sort map { $_->{id} } grep {
            my $affected = includes($_->{affected_versions}, $v);
            includes($_->{fixed_versions} // [], $v) ? 0 : $affected;
        } @{ $d->{advisories} };
        my %seen;
        print join("\t", $dist, $v, join(',', grep { !$seen{$_}++ } @ids)), "\n";
    }
}
