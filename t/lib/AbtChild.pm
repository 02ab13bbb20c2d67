package AbtChild;
# Helpers shared by the sub-resource suites (t/30_addresses_phones.t,
# t/40_tokens_chipcards.t, t/50_billing_mandates.t), on top of AbtTest.
#
#   use AbtTest;
use AbtCheck ();
#   use AbtChild;
#   set_writer(uniq_name('t30'));           # the token "sub" of every wr() call
#   my $cust = new_customer();
#   my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/phones", {...});
#   audit_ok($cust, 'insert', $cid, 'phone insert audited');
#   problem_ok($st, $json, $res, 400, qr{^(/phone)?/number$}, 'number missing');
#
# wr() sends its own X-Correlation-ID (a fresh UUID) and a token whose sub is
# the writer set with set_writer(), so that audit rows can be matched to the
# request exactly.
use strict;
use warnings;

use Exporter 'import';
use Test::More ();
use URI ();
use URI::Escape qw(uri_escape_utf8);
use Math::BigInt ();
use AbtTest;

our @EXPORT = qw(
    set_writer writer new_uuid wr
    audit_ok no_audit_ok audits_in_db_ok problem_ok
    new_customer get_customer search
    qs base_url links_ok
    iban_for uniq_digits uniq_alnum
    ids keys_are MISSING_ID
);

# A well-formed id that no table reaches (ids come from sequences from 1).
use constant MISSING_ID => 9_000_000_000_000_000;

my $WRITER = 'abt-child-writer';
my %TOKEN;
sub set_writer { $WRITER = shift }
sub writer     { $WRITER }

# A random (version 4) UUID, as AbtCheck makes them.
sub new_uuid { AbtCheck::uuid_v4() }

# wr($method, $path, $body, %headers) -> ($status, $json, $res, $correlation_id)
sub wr {
    my ($method, $path, $body, %h) = @_;
    my $cid = new_uuid();
    $TOKEN{$WRITER} //= token(sub => $WRITER);
    my ($st, $json, $res) = api_request($method, $path, $body,
        Authorization    => "Bearer $TOKEN{$WRITER}",
        'X-Correlation-ID' => $cid, %h);
    return ($st, $json, $res, $cid);
}

# audit_ok($customer_id, $action, $correlation_id, $name): GET /customers
# shows exactly one auditTrails item of the customer with that correlation
# id, with that action and the token's sub as user. The id is also recorded
# for audits_in_db_ok().
my (@AUDITED, @REFUSED);
sub audit_ok {
    my ($cust, $action, $cid, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    $cid //= '';
    push @AUDITED, [ $cid, $cust, $action ];
    my $c = get_customer($cust);
    my @rows = map { [ @$_{qw(customerProfileId action user)} ] }
               grep { ($_->{correlationId} // '') eq $cid }
               @{ ref $c eq 'HASH' && ref $c->{auditTrails} eq 'ARRAY' ? $c->{auditTrails} : [] };
    Test::More::is_deeply(\@rows, [[ $cust, $action, $WRITER ]],
        $name // "audit row $action for customer $cust")
        or Test::More::diag("correlation id $cid: " . Test::More::explain(\@rows));
}

# no_audit_ok($correlation_id): a refused write must leave no audit row;
# recorded here, checked by audits_in_db_ok() in one query.
sub no_audit_ok { push @REFUSED, $_[0] if defined $_[0] }

# audits_in_db_ok(): in the database, every correlation id passed to
# audit_ok() has exactly one audit_trail row (customer, action, user as
# expected) and every id passed to no_audit_ok() has none.
sub audits_in_db_ok {
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @ids = grep { /^[0-9a-f-]{36}$/ } map({ $_->[0] } @AUDITED), @REFUSED;
    my %got;
    if (@ids) {
        my $list = join ',', map { "'$_'" } @ids;
        for my $r (psql_rows(qq{SELECT correlation_id, customer_profile_id, action, "user"
                                  FROM audit_trail WHERE correlation_id IN ($list)})) {
            push @{ $got{ $r->[0] } }, join ' ', @$r[1 .. 3];
        }
    }
    my @err;
    for my $a (@AUDITED) {
        my ($cid, $cust, $action) = @$a;
        my $want = "$cust $action $WRITER";
        my $have = join ' | ', @{ $got{$cid} // [] };
        push @err, "$cid: want [$want], have [$have]" if $have ne $want;
    }
    for my $cid (@REFUSED) {
        push @err, "$cid (refused write): have [" . join(' | ', @{ $got{$cid} }) . ']'
            if $got{$cid};
    }
    Test::More::ok(@AUDITED && !@err,
        scalar(@AUDITED) . ' changes audited exactly once, ' . scalar(@REFUSED)
        . ' refused writes not audited (audit_trail)')
        or Test::More::diag(join "\n", @err);
}

# problem_ok($status, $json, $res, $want, $pointer_re, $name): an
# application/problem+json answer with status $want; with $pointer_re, one
# of errors[] has a pointer (or parameter) matching it.
sub problem_ok {
    my ($st, $json, $res, $want, $pointer_re, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $ok = 1;
    my $ct = $res ? ($res->header('Content-Type') // '') : '';
    $ok &&= $st == $want;
    $ok &&= $ct =~ m{^application/problem\+json\b}i;
    $ok &&= ref $json eq 'HASH' && ($json->{status} // 0) == $want;
    my @where;
    if (ref $json eq 'HASH' && ref $json->{errors} eq 'ARRAY') {
        @where = map { ref $_ eq 'HASH' ? ($_->{pointer} // $_->{parameter} // '') : '' }
                 @{ $json->{errors} };
    }
    if ($pointer_re) {
        $ok &&= grep { $_ =~ $pointer_re } @where;
    }
    Test::More::ok($ok, $name // "problem $want")
        or Test::More::diag("want $want" . ($pointer_re ? " naming $pointer_re" : '')
                            . ", got $st $ct: " . ($res ? $res->content : ''));
    return $ok;
}

# new_customer(): POST /customers {} and return its customerProfileId.
sub new_customer {
    my ($st, $json, $res) = api_post('/customers', {});
    Test::More::BAIL_OUT('POST /customers {} failed: ' . $res->as_string)
        unless $st == 201 && ref $json eq 'HASH' && $json->{customerProfileId};
    return $json->{customerProfileId};
}

# get_customer($id): the item of GET /customers?customerProfileId=$id, or undef.
# (reads reuse one default token: signing a JWT per request costs ~3 ms)
my $READ_TOKEN;
sub _read_auth { $READ_TOKEN //= token(); return (Authorization => "Bearer $READ_TOKEN") }

sub get_customer {
    my $id = shift;
    my ($st, $json) = api_get("/customers?customerProfileId=$id", undef, _read_auth());
    return undef unless $st == 200 && ref $json eq 'HASH'
        && ref $json->{customers} eq 'ARRAY' && @{ $json->{customers} } == 1;
    return $json->{customers}[0];
}

# qs(k => v, ...): a query string (values percent-encoded, '+' as %2B).
sub qs {
    my @p;
    while (my ($k, $v) = splice @_, 0, 2) {
        push @p, uri_escape_utf8($k) . '=' . uri_escape_utf8($v, '^A-Za-z0-9\-._~,:');
    }
    return join '&', @p;
}

# search($path, k => v, ...) -> ($status, $json, $res)
sub search {
    my ($path, @pairs) = @_;
    my $q = qs(@pairs);
    return api_get($path . (length $q ? "?$q" : ''), undef, _read_auth());
}

# Base of the _links hrefs: ABT_BASE_URL of t/conf/extra.conf.in.
sub base_url {
    require Apache::TestRequest;
    my $u = Apache::TestRequest::resolve_url(API_PATH);
    $u =~ s{/$}{};
    return $u;
}

# links_ok($json, $path, \@params, %o): the list's _links.
#   @params: the filters as sent (name => value pairs, without offset/limit)
#   %o: offset, limit (as sent; undef = not sent), next (bool: more rows)
# self: always; prev: only when offset > 0 (offset - limit, not below 0);
# next: only when more rows exist (offset + limit). Every filter and limit
# is kept; only offset changes. Hrefs use the routed path and method GET.
sub links_ok {
    my ($json, $path, $params, %o) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $name = $o{name} // "_links of $path";
    my $links = ref $json eq 'HASH' ? $json->{_links} : undef;
    my @err;
    my $off = $o{offset} // 0;
    my $lim = $o{limit};
    my $eff_lim = $lim // 20;
    my %want;
    $want{self} = $off;
    $want{prev} = ($off - $eff_lim > 0 ? $off - $eff_lim : 0) if $off > 0;
    $want{next} = $off + $eff_lim if $o{next};
    if (ref $links ne 'HASH') {
        push @err, 'no _links object';
    } else {
        my @have = sort keys %$links;
        my @exp  = sort keys %want;
        push @err, "link names [@have], want [@exp]" if "@have" ne "@exp";
        for my $rel (sort keys %want) {
            my $l = $links->{$rel};
            next unless ref $l eq 'HASH';
            push @err, "$rel.method is " . ($l->{method} // 'undef')
                unless ($l->{method} // '') eq 'GET';
            my $u = URI->new($l->{href} // '');
            my $base = base_url();
            my $p = $u->clone; $p->query(undef);
            push @err, "$rel path $p, want $base$path" unless "$p" eq "$base$path";
            my @got = $u->query_form;
            my (%g, %w);
            while (my ($k, $v) = splice @got, 0, 2) { push @{ $g{$k} }, $v }
            my @pp = @$params;
            while (my ($k, $v) = splice @pp, 0, 2) { push @{ $w{$k} }, $v }
            $w{limit} = [$lim] if defined $lim;
            my $goff = delete $g{offset};
            my $have_off = $goff ? $goff->[0] : 0;
            push @err, "$rel offset $have_off, want $want{$rel}" if $have_off != $want{$rel};
            my $gs = join '&', map { "$_=" . join('|', @{ $g{$_} }) } sort keys %g;
            my $ws = join '&', map { "$_=" . join('|', @{ $w{$_} }) } sort keys %w;
            push @err, "$rel keeps [$gs], want [$ws]" if $gs ne $ws;
        }
    }
    Test::More::ok(!@err, $name) or Test::More::diag(join "\n", @err,
        Test::More::explain($links));
}

# A valid IBAN for country $cc, bank $bank and account digits $acct
# (ISO 13616 check digits, mod 97).
sub iban_for {
    my ($cc, $bank, $acct) = @_;
    my $bban = uc($bank) . $acct;
    my $num = join '', map { /[A-Z]/ ? ord($_) - 55 : $_ } split //, $bban . uc($cc) . '00';
    my $check = 98 - Math::BigInt->new($num)->bmod(97)->numify;
    return sprintf '%s%02d%s', uc $cc, $check, $bban;
}

# uniq_digits($n): $n digits, unique per call and per run (time, pid, counter).
my $dseq = 0;
sub uniq_digits {
    my $n = shift;
    my $s = sprintf '%d%05d%03d', time, $$ % 100000, ++$dseq % 1000;
    $s = ('7' x $n) . $s if length $s < $n;
    return substr $s, -$n;
}

# uniq_alnum($n): $n upper-case letters/digits (base 36 of a unique number).
sub uniq_alnum {
    my $n = shift;
    my $v = Math::BigInt->new(uniq_digits(18));
    my $s = '';
    while ($v > 0) {
        my ($q, $r) = $v->copy->bdiv(36);
        $s = (0 .. 9, 'A' .. 'Z')[$r->numify] . $s;
        $v = $q;
    }
    $s = ('Q' x $n) . $s if length $s < $n;
    return substr $s, -$n;
}

# ids($list_ref, $key): the $key of each item, in order.
sub ids {
    my ($list, $key) = @_;
    return [ map { $_->{$key} } @{ ref $list eq 'ARRAY' ? $list : [] } ];
}

# keys_are($hash, [keys], $name): the object has exactly these members.
sub keys_are {
    my ($h, $keys, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    Test::More::is_deeply([ sort keys %{ ref $h eq 'HASH' ? $h : {} } ], [ sort @$keys ], $name);
}

1;
