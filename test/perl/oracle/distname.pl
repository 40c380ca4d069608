#!/usr/bin/perl
# Oracle for the CPAN::DistnameInfo differential test: reads one CPAN path a line and prints, tab
# separated, what CPAN::DistnameInfo->new(PATH) says: filename, cpanid, distvname, extension, dist,
# version, maturity ("\\N" for undef). Bytes in, bytes out, as PAUSE and CPAN clients read paths.
use strict;
use warnings;
no warnings;
use CPAN::DistnameInfo;
while (my $path = <STDIN>) {
    chomp $path;
    my $d = CPAN::DistnameInfo->new($path);
    print join("\t", map { defined $_ ? $_ : '\N' }
        $d->filename, $d->cpanid, $d->distvname, $d->extension, $d->dist, $d->version, $d->maturity), "\n";
}
