package AbtCheck;
# Assertions and helpers shared by the API test files (t/10_*.t, t/20_*.t),
# on top of AbtTest's HTTP, token and psql helpers.
#
#   problem_ok(api_get('/nowhere'), 404, 'unknown path');
#   my ($data, $types) = typed($res);      # JSON plus each value's JSON type
#   shape_is($types, '/customers/0', { customerProfileId => 'int', ... });
#   my @items = search_all('/customers?surname=X');   # follows next links
use strict;
use warnings;

use Exporter 'import';
use B ();
use JSON::PP ();
use URI ();
use URI::QueryParam ();
use Test::More ();
use Time::HiRes ();
use LWP::UserAgent ();
use HTTP::Request ();
use HTTP::Response ();
use IO::Socket::INET ();
use IO::Select ();

use AbtTest;

our @EXPORT = qw(
    problem_ok typed jtype shape_is search_all search_ids
    create_customer get_customer get_customer_typed
    fresh_request api_url uuid_v4 uuid_re digits valid_iban random_bic
    query_of run_tag json_text
    raw_request_text raw_exchange raw_parallel res_triple
);

my $JSON = JSON::PP->new->utf8->canonical->allow_nonref;

sub json_text { $JSON->encode($_[0]) }

sub uuid_re { qr/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/ }

# A short tag unique per process and moment: for names and values that must
# not collide with another run's rows in the same database.
my $tag;
sub run_tag {
    $tag //= join '', map { ('a' .. 'z', 0 .. 9)[rand 36] } 1 .. 8;
    return $tag;
}

# A random version 4 UUID in lower case.
sub uuid_v4 {
    my @b = map { int(rand(256)) } 1 .. 16;
    $b[6] = ($b[6] & 0x0f) | 0x40;
    $b[8] = ($b[8] & 0x3f) | 0x80;
    my $h = join '', map { sprintf '%02x', $_ } @b;
    return join '-', substr($h, 0, 8), substr($h, 8, 4), substr($h, 12, 4),
                     substr($h, 16, 4), substr($h, 20, 12);
}

# n random decimal digits (the first one not 0)
sub digits {
    my $n = shift;
    return join '', 1 + int(rand(9)), map { int(rand(10)) } 2 .. $n;
}

# A Dutch IBAN with correct ISO 13616 check digits and a random account.
sub valid_iban {
    my $bank = shift // 'ABNA';
    my $acct = join '', map { int(rand(10)) } 1 .. 10;
    my $bban = $bank . $acct;
    my $num = join '', map { /\d/ ? $_ : ord($_) - 55 } split //, "${bban}NL00";
    my $rem = 0;
    $rem = ($rem * 10 + $_) % 97 for split //, $num;
    return sprintf 'NL%02d%s', 98 - $rem, $bban;
}

# An 8-character BIC (4 letters bank, NL, 2 alphanumerics), random.
sub random_bic {
    my @l = ('A' .. 'Z');
    return join('', map { $l[rand @l] } 1 .. 4) . 'NL'
         . join('', map { ('A' .. 'Z', 0 .. 9)[rand 36] } 1 .. 2);
}

# ------------------------------------------------------------ JSON types

# The JSON type of a decoded value, read from the scalar's flags (so it
# must be asked before the value is used as a string or a number).
sub jtype {
    return 'null' unless defined $_[0];
    if (ref $_[0]) {
        return 'bool'   if JSON::PP::is_bool($_[0]);
        return 'array'  if ref $_[0] eq 'ARRAY';
        return 'object' if ref $_[0] eq 'HASH';
        return 'ref:' . ref $_[0];
    }
    my $f = B::svref_2object(\$_[0])->FLAGS;
    return 'string' if $f & B::SVp_POK;
    return 'int'    if $f & B::SVp_IOK;
    return 'number' if $f & B::SVp_NOK;
    return 'unknown';
}

sub _walk {
    my ($types, $ptr) = (shift, shift);
    $types->{$ptr} = jtype($_[0]);
    if (ref $_[0] eq 'HASH') {
        for my $k (keys %{ $_[0] }) {
            (my $e = $k) =~ s/~/~0/g;
            $e =~ s{/}{~1}g;
            _walk($types, "$ptr/$e", $_[0]{$k});
        }
    }
    elsif (ref $_[0] eq 'ARRAY') {
        for my $i (0 .. $#{ $_[0] }) {
            _walk($types, "$ptr/$i", $_[0][$i]);
        }
    }
}

# typed($res_or_text) -> ($data, \%types): the decoded body and the JSON type
# of every value by JSON pointer ('' is the root). ($data undef when the
# body is not JSON.)
sub typed {
    my $content = ref $_[0] ? $_[0]->content : $_[0];
    my $data = eval { $JSON->decode($content) };
    return (undef, {}) if $@;
    my %types;
    _walk(\%types, '', $data);
    return ($data, \%types);
}

# shape_is($types, $ptr, \%spec, $name): the object at $ptr has exactly the
# members of %spec, each of the JSON type given ('int', 'string', 'bool',
# 'null', 'object', 'array', or alternatives 'string|null').
sub shape_is {
    my ($types, $ptr, $spec, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $tb = Test::More->builder;
    my @problems;
    my $t = $types->{$ptr} // 'missing';
    if ($t ne 'object') {
        push @problems, "$ptr is $t, not an object";
    }
    else {
        my $pre = '^' . quotemeta($ptr) . '/([^/]+)$';
        my %have = map { /$pre/ ? ($1 => 1) : () } keys %$types;
        for my $k (sort keys %$spec) {
            my $got = $types->{"$ptr/$k"};
            if (!defined $got) {
                push @problems, "missing member $ptr/$k";
                next;
            }
            my %ok = map { $_ => 1 } split /\|/, $spec->{$k};
            push @problems, "$ptr/$k is $got, expected $spec->{$k}"
                unless $ok{$got};
        }
        for my $k (sort keys %have) {
            push @problems, "unexpected member $ptr/$k" unless exists $spec->{$k};
        }
    }
    my $ok = $tb->ok(!@problems, $name);
    $tb->diag(join "\n", @problems) if @problems;
    return $ok;
}

# ------------------------------------------------------------ problems

# problem_ok($status, $json, $res, $want, $name): an RFC 9457 problem+json
# answer (D11) with status $want; returns the decoded problem.
sub problem_ok {
    my ($status, $json, $res, $want, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $tb = Test::More->builder;
    my @problems;
    push @problems, "status $status, expected $want" unless $status == $want;
    my $ct = $res->header('Content-Type') // '';
    push @problems, "Content-Type '$ct', expected application/problem+json"
        unless $ct =~ m{^application/problem\+json\b}i;
    if (ref $json ne 'HASH') {
        push @problems, 'body is not a JSON object: ' . substr($res->content // '', 0, 200);
        $json = {};
    }
    for my $m (qw(type title detail instance)) {
        push @problems, "member $m missing or empty"
            unless defined $json->{$m} && !ref $json->{$m} && length $json->{$m};
    }
    push @problems, 'member status is ' . ($json->{status} // 'missing') . ", expected $want"
        unless defined $json->{status} && $json->{status} eq $want;
    push @problems, 'type is not an absolute URI'
        if defined $json->{type} && $json->{type} !~ m{^https?://};
    my $cid = $res->header('X-Correlation-ID') // '';
    push @problems, "instance '" . ($json->{instance} // '') . "' is not urn:uuid:<X-Correlation-ID $cid>"
        unless ($json->{instance} // '') =~ /^urn:uuid:([0-9a-f-]{36})$/i
            && lc $1 eq lc $cid;
    my $ok = $tb->ok(!@problems, $name);
    $tb->diag(join "\n", @problems, 'response: ' . substr($res->as_string, 0, 600))
        if @problems;
    return $json;
}

# ------------------------------------------------------------ API helpers

sub api_url {
    my $path = shift;
    require Apache::TestRequest;
    $path = API_PATH . ($path =~ m{^/} ? '' : '/') . $path unless $path =~ m{^/abt/|^\w+://};
    return $path =~ m{^\w+://} ? $path : Apache::TestRequest::resolve_url($path);
}

# The query parameters of a URL (or href) as name => [values].
sub query_of {
    my $u = URI->new(shift);
    my %q;
    for my $k ($u->query_param) {
        $q{$k} = [ $u->query_param($k) ];
    }
    return \%q;
}

# create_customer($body) -> id (dies with a diagnostic unless 201)
sub create_customer {
    my ($body, %headers) = @_;
    my ($st, $json, $res) = api_post('/customers', $body, %headers);
    die "POST /customers answered $st: " . $res->content . "\n"
        unless $st == 201 && ref $json eq 'HASH' && $json->{customerProfileId};
    return $json->{customerProfileId};
}

# get_customer_typed($id) -> ($item, $types, $res, $status): the one item of
# GET /customers?customerProfileId=$id, with the types of the whole page.
sub get_customer_typed {
    my $id = shift;
    my ($st, undef, $res) = api_get("/customers?customerProfileId=$id");
    my ($data, $types) = typed($res);
    my $item = ref $data eq 'HASH' && ref $data->{customers} eq 'ARRAY'
             ? $data->{customers}[0] : undef;
    return ($item, $types, $res, $st);
}

sub get_customer { (get_customer_typed(@_))[0] }

# search_all($path) -> list of items over all pages, following next links
# (at most 100 pages). Dies when a page is not 200.
sub search_all {
    my ($path, %opt) = @_;
    my $key = $opt{key} // 'customers';
    my @items;
    my $url = $path;
    for (1 .. 100) {
        my ($st, $json, $res) = api_get($url);
        die "GET $url answered $st: " . substr($res->content, 0, 300) . "\n"
            unless $st == 200 && ref $json eq 'HASH';
        push @items, @{ $json->{$key} || [] };
        my $next = $json->{_links}{next}{href} or return @items;
        $url = $next;
    }
    die "more than 100 pages for $path\n";
}

sub search_ids {
    my ($path, %opt) = @_;
    my $idk = $opt{id} // 'customerProfileId';
    return map { $_->{$idk} } search_all($path, %opt);
}

# fresh_request($method, $path, $body, %headers) -> ($status, $json, $res):
# like AbtTest::api_request, but on a new connection of its own (for forked
# children, which must not share the parent's keep-alive socket) and with a
# timeout (default 20 s).
sub fresh_request {
    my ($method, $path, $body, %headers) = @_;
    my $timeout = delete $headers{_timeout} // 20;
    my %h = (Accept => 'application/json');
    $h{Authorization} = 'Bearer ' . token() unless exists $headers{Authorization};
    if (defined $body) {
        $body = $JSON->encode($body) if ref $body;
        $h{'Content-Type'} = 'application/json' unless exists $headers{'Content-Type'};
    }
    while (my ($k, $v) = each %headers) {
        if (defined $v) { $h{$k} = $v } else { delete $h{$k} }
    }
    my $req = HTTP::Request->new($method => api_url($path), [%h]);
    $req->content($body) if defined $body;
    my $ua = LWP::UserAgent->new(timeout => $timeout, keep_alive => 0,
                                 max_redirect => 0);
    my $t0 = Time::HiRes::time();
    my $res = $ua->request($req);
    my $json;
    if (($res->header('Content-Type') // '') =~ m{^application/(?:problem\+)?json\b}i
        && length $res->content) {
        $json = eval { $JSON->decode($res->content) };
    }
    $res->header('X-Test-Elapsed' => Time::HiRes::time() - $t0);
    return ($res->code, $json, $res);
}

# ------------------------------------------------------------ raw HTTP

# raw_request_text($method, $path, $body, %headers): the bytes of an
# HTTP/1.1 request with a full-scope token (unless Authorization is given),
# Content-Length for a body, and Connection: close. $path is taken as is
# after the API base (no escaping), so malformed queries can be sent.
sub raw_request_text {
    my ($method, $path, $body, %headers) = @_;
    my $u = URI->new(api_url('/'));
    my $target = $path =~ m{^/abt/} ? $path : API_PATH . $path;
    my %h = (Host => $u->host_port, Accept => 'application/json',
             Connection => 'close');
    $h{Authorization} = 'Bearer ' . token() unless exists $headers{Authorization};
    if (defined $body) {
        $body = $JSON->encode($body) if ref $body;
        $h{'Content-Type'} = 'application/json' unless exists $headers{'Content-Type'};
        $h{'Content-Length'} = length $body
            unless exists $headers{'Content-Length'} || exists $headers{'Transfer-Encoding'};
    }
    while (my ($k, $v) = each %headers) {
        if (defined $v) { $h{$k} = $v } else { delete $h{$k} }
    }
    my $text = "$method $target HTTP/1.1\r\n";
    $text .= "$_: $h{$_}\r\n" for sort keys %h;
    return $text . "\r\n" . ($body // '');
}

sub _connect {
    my $u = URI->new(api_url('/'));
    my $s = IO::Socket::INET->new(PeerAddr => $u->host, PeerPort => $u->port,
                                  Proto => 'tcp', Timeout => 10)
        or die "connect " . $u->host_port . ": $!\n";
    binmode $s;
    return $s;
}

sub _parse_response {
    my $raw = shift;
    return HTTP::Response->new(599, 'no response') unless length $raw;
    my $res = HTTP::Response->parse($raw);
    if (($res->header('Transfer-Encoding') // '') =~ /chunked/i) {
        my ($in, $out) = ($res->content, '');
        while ($in =~ s/^([0-9a-fA-F]+)[^\r\n]*\r\n//) {
            my $n = hex $1;
            last if $n == 0;
            $out .= substr($in, 0, $n, '');
            $in =~ s/^\r\n//;
        }
        $res->content($out);
    }
    return $res;
}

sub _read_all {
    my ($s, $deadline) = @_;
    my $raw = '';
    my $sel = IO::Select->new($s);
    while (Time::HiRes::time() < $deadline) {
        last unless $sel->can_read($deadline - Time::HiRes::time());
        my $n = sysread $s, my $buf, 65536;
        last unless $n;
        $raw .= $buf;
    }
    return $raw;
}

# raw_exchange(\@parts, %opt) -> HTTP::Response: writes the parts of one
# request on a new connection (pausing $opt{pause} seconds between parts),
# stopping early when the server has already answered and closed, then
# reads the answer (at most $opt{timeout} seconds, default 20).
sub raw_exchange {
    my ($parts, %opt) = @_;
    my $s = _connect();
    local $SIG{PIPE} = 'IGNORE';
    my $deadline = Time::HiRes::time() + ($opt{timeout} // 20);
    for my $part (@$parts) {
        my $off = 0;
        while ($off < length $part) {
            my $n = syswrite $s, $part, length($part) - $off, $off;
            last unless defined $n && $n > 0;
            $off += $n;
        }
        last if $off < length $part;    # the server closed the connection
        Time::HiRes::sleep($opt{pause}) if $opt{pause};
    }
    my $res = _parse_response(_read_all($s, $deadline));
    close $s;
    return $res;
}

# res_triple($res) -> ($status, $json, $res), as the api_* helpers return.
sub res_triple {
    my $res = shift;
    my $json;
    if (($res->header('Content-Type') // '') =~ m{^application/(?:problem\+)?json\b}i
        && length $res->content) {
        $json = eval { $JSON->decode($res->content) };
    }
    return ($res->code, $json, $res);
}

# raw_parallel(@texts) -> list of HTTP::Response: each request on its own
# connection; all but the last byte of every request is sent first, then
# the last bytes back to back, so the server works on them at the same time.
sub raw_parallel {
    my @texts = @_;
    local $SIG{PIPE} = 'IGNORE';
    my @socks = map { _connect() } @texts;
    for my $i (0 .. $#texts) {
        my $t = $texts[$i];
        syswrite $socks[$i], $t, length($t) - 1;
    }
    Time::HiRes::sleep(0.05);
    syswrite $socks[$_], substr($texts[$_], -1) for 0 .. $#texts;
    my $deadline = Time::HiRes::time() + 20;
    my @res = map { _parse_response(_read_all($_, $deadline)) } @socks;
    close $_ for @socks;
    return @res;
}

1;
