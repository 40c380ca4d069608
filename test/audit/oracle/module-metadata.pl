#!/usr/bin/perl
# For each .pm file named on stdin (one a line): every package Module::Metadata finds in it, with the
# version it evaluates (stringified as version.pm does), or "undef". Output: file TAB package TAB version.
use strict;
use warnings;
no warnings;
$SIG{__WARN__} = sub { };
use Module::Metadata;
while (my $file = <STDIN>) {
    chomp $file;
    my $mm = eval { Module::Metadata->new_from_file($file) };
    if (!$mm) { print "$file\t\tERROR\n"; next; }
    my @packages = grep { $_ ne 'main' } $mm->packages_inside;
    for my $p (@packages) {
        my $v = eval { $mm->version($p) };
        print join("\t", $file, $p, defined $v ? "$v" : 'undef'), "\n";
    }
    print "$file\t\tEND\n";
}
