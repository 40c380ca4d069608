#!/usr/bin/perl
# Oracle for the differential tests: reads lines "P<TAB>text" (parse) or "C<TAB>a<TAB>b" (compare)
# and prints one line per input with what the real version.pm answers.
use strict;
use warnings;
no warnings;
$SIG{__WARN__} = sub { };
use version;
use CPAN::Meta::Requirements;
use CPAN::Audit::Version;
$| = 0;
while (my $line = <STDIN>) {
    chomp $line;
    my ($op, @args) = split /\t/, $line, -1;
    if ($op eq 'P') {
        my $v = eval { version->parse($args[0]) };
        if (!defined $v) { print "ERR\n"; next; }
        my $n = eval { $v->numify } // 'ERR';
        my $norm = eval { $v->normal } // 'ERR';
        my $s = eval { $v->stringify } // 'ERR';
        print join("\t", 'OK', $n, $norm, $s), "\n";
    }
    elsif ($op eq 'C') {
        my $a = eval { version->parse($args[0]) };
        my $b = eval { version->parse($args[1]) };
        if (!defined $a || !defined $b) { print "ERR\n"; next; }
        print version::vcmp($a, $b), "\n";
    }
    elsif ($op eq 'R') {
        # CPAN::Meta::Requirements: does requirement string $args[0] accept version $args[1]?
        my $ok = eval {
            my $req = CPAN::Meta::Requirements->new;
            $req->add_string_requirement('Some::Module' => $args[0]);
            $req->accepts_module('Some::Module' => $args[1]) ? 1 : 0;
        };
        print defined $ok ? "$ok\n" : "ERR\n";
    }
    elsif ($op eq 'A') {
        # CPAN::Audit: is version $args[1] in the advisory range string $args[0]?
        my $in = CPAN::Audit::Version->in_range($args[1], $args[0]);
        print $in ? "1\n" : "0\n";
    }
}
