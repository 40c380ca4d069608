#!/usr/bin/perl
# Oracle for src/publish/cna/wrap.ts: Perl's own Text::Wrap. Reads one JSON array of
# [initial_tab, subsequent_tab, text, columns] cases on stdin, prints the JSON array of results.
use strict;
use warnings;
use JSON::PP ();
use Text::Wrap ();

binmode(STDIN, ':raw');
my $json = JSON::PP->new->utf8->canonical;
my $cases = $json->decode(do { local $/; <STDIN> });
my @out;
for my $c (@$cases) {
  local $Text::Wrap::columns = $c->[3];
  push @out, Text::Wrap::wrap($c->[0], $c->[1], $c->[2]);
}
print $json->encode(\@out);
