#!/usr/bin/perl
# Oracle for src/publish/cve5/perl-json.ts: how the CNA tool writes JSON
# (JSON::PP->new->utf8->pretty->canonical). Reads a JSON array of documents on stdin and prints a
# JSON array of their texts (as the tool would write each file).
use strict;
use warnings;
use JSON::PP ();

binmode(STDIN, ':raw');
binmode(STDOUT, ':raw');
my $docs = JSON::PP->new->utf8->decode(do { local $/; <STDIN> });
my $pretty = JSON::PP->new->utf8->pretty->canonical;
my @texts = map { my $t = $pretty->encode($_); utf8::decode($t); $t } @$docs;
print JSON::PP->new->utf8->encode(\@texts);
