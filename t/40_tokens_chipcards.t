# OV-pay tokens and OV-chipcards (ERRATA inventory rows 13-19):
# GET /ovpaytokens (14 parameters), POST /customers/{id}/ovpaytokens,
# PATCH and DELETE /ovpaytokens/{id}, the /ovPayTokens aliases (#38),
# POST /customers/{id}/ovchipcards, PATCH and DELETE /ovchipcards/{id};
# what GET /customers shows of them and its token/chip-card filters; the
# audit row of every change.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use AbtTest;
use AbtChild;
use JSON::PP ();

plan tests => 28;

set_writer(uniq_name('t40-writer'));

my $ISO_OFFSET_MS = qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/;
my @TOKEN_KEYS = qw(ovPayTokenId customerProfileId tokenType xTat xBot alias lastDigits
                    ovpasNumber tokenStatus expirationDate replacedByTokenId);

# the token with that id, from GET /ovpaytokens?ovPayTokenId=
sub token_item {
    my $id = shift;
    my ($st, $json) = search('/ovpaytokens', ovPayTokenId => $id);
    return undef unless $st == 200 && ref $json eq 'HASH' && ref $json->{ovPayTokens} eq 'ARRAY';
    return @{ $json->{ovPayTokens} } == 1 ? $json->{ovPayTokens}[0] : undef;
}

# the chip card with that id in GET /customers
sub chipcard_of {
    my ($cust, $id) = @_;
    my $c = get_customer($cust) or return undef;
    my ($x) = grep { ($_->{ovChipCardId} // -1) == $id } @{ $c->{ovChipcards} // [] };
    return $x;
}

sub tok {
    my %o = @_;
    my %t = (tokenTypeId => 1, tokenStatusId => 2, %o);
    delete $t{$_} for grep { !defined $t{$_} } keys %t;
    return \%t;
}

# POST a token, return its id (0 on failure, with a failed test)
sub make_token {
    my ($cust, $body, $name) = @_;
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovpaytokens", $body);
    is($st, 201, ($name // 'token') . ': 201') or diag($res->content);
    audit_ok($cust, 'insert', $cid, ($name // 'token') . ': insert audited');
    return $json && $json->{ovPayTokenId} || 0;
}

my $cust  = new_customer();
my $other = new_customer();

# ================================================================ tokens

my ($emv_id, $ovpas_id);
subtest 'POST token: seed example "EMV token" verbatim' => sub {
    my $body = '{"ovpaytoken":{"tokenTypeId":1,"xTat":"0115b0df-db38-4702-8811-6f7de00db3ac",'
             . '"xBot":"71a88843-32b8-4d52-ac25-de2458c47775","alias":"Mijn Rabo Pas",'
             . '"tokenStatusId":2,"expirationDate":"2026-04-20T17:05:52.000+02:00"}}';
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovpaytokens", $body);
    is($st, 201, 'status 201') or diag($res->as_string);
    keys_are($json, ['ovPayTokenId'], 'body {ovPayTokenId}');
    like($json->{ovPayTokenId} // '', qr/^[1-9][0-9]*$/, 'a positive integer id');
    audit_ok($cust, 'insert', $cid);
    $emv_id = $json->{ovPayTokenId} // 0;
    my $t = token_item($emv_id);
    ok($t, 'found by GET /ovpaytokens?ovPayTokenId=') or return;
    keys_are($t, \@TOKEN_KEYS, 'item members as the seed\'s /ovpaytokens example (#14, #15)');
    is($t->{ovPayTokenId}, $emv_id, 'ovPayTokenId');
    is($t->{customerProfileId}, $cust, 'customerProfileId');
    is_deeply($t->{tokenType}, { tokenTypeId => 1, name => 'EMV' }, 'tokenType {1, EMV}');
    is_deeply($t->{tokenStatus}, { tokenStatusId => 2, name => 'Active' }, 'tokenStatus {2, Active}');
    is($t->{xTat}, '0115b0df-db38-4702-8811-6f7de00db3ac', 'xTat');
    is($t->{xBot}, '71a88843-32b8-4d52-ac25-de2458c47775', 'xBot');
    is($t->{alias}, 'Mijn Rabo Pas', 'alias');
    ok(exists $t->{lastDigits} && !defined $t->{lastDigits}, 'lastDigits null');
    ok(exists $t->{ovpasNumber} && !defined $t->{ovpasNumber}, 'ovpasNumber null (EMV)');
    is($t->{expirationDate}, '2026-04-20T17:05:52.000+02:00', 'expirationDate as sent (D24)');
    ok(exists $t->{replacedByTokenId} && !defined $t->{replacedByTokenId}, 'replacedByTokenId null');
};

subtest 'POST token: seed example "OVpas token physical" verbatim (ovpasNumber a JSON number)' => sub {
    my $body = '{"ovpaytoken":{"tokenTypeId":2,"xTat":"0115b0df-db38-4702-8811-6f7de00db3ac",'
             . '"xBot":"71a88843-32b8-4d52-ac25-de2458c47775","alias":"Mijn OV Pas",'
             . '"ovpasNumber":4048453105891361,"tokenStatusId":2,'
             . '"expirationDate":"2026-04-20T17:05:52.000+02:00"}}';
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovpaytokens", $body);
    is($st, 201, 'status 201') or diag($res->as_string);
    keys_are($json, ['ovPayTokenId'], 'body {ovPayTokenId}');
    audit_ok($cust, 'insert', $cid);
    $ovpas_id = $json->{ovPayTokenId} // 0;
    isnt($ovpas_id, $emv_id, 'another id');
    my $t = token_item($ovpas_id);
    ok($t, 'found') or return;
    is($t->{ovpasNumber}, '4048453105891361', 'ovpasNumber stored as its digits (#13)');
    like($res->content . JSON::PP->new->allow_nonref->encode($t->{ovpasNumber}), qr/"4048453105891361"$/,
         'emitted as a JSON string');
    is_deeply($t->{tokenType}, { tokenTypeId => 2, name => 'OV-pas physical' }, 'tokenType {2, OV-pas physical}');
};

subtest 'POST token: nested and flat type/status forms (#3, #4, #5)' => sub {
    my @cases = (
        [ 'nested with matching names',
          { tokenType => { tokenTypeId => 3, name => 'OV-pas digital' },
            tokenStatus => { tokenStatusId => 4, name => 'On Stock' } }, 3, 4 ],
        [ 'nested without names', { tokenType => { tokenTypeId => 2 }, tokenStatus => { tokenStatusId => 5 } }, 2, 5 ],
        [ 'names in another case (#19)',
          { tokenType => { tokenTypeId => 1, name => 'emv' }, tokenStatus => { tokenStatusId => 2, name => 'active' } }, 1, 2 ],
        [ 'tokenTypeId "1" (a numeric string, #5)', tok(tokenTypeId => '1'), 1, 2 ],
        [ 'tokenType {tokenTypeId:"3"}', tok(tokenTypeId => undef, tokenType => { tokenTypeId => '3' }), 3, 2 ],
        [ 'tokenType 2 (integer)', tok(tokenTypeId => undef, tokenType => 2), 2, 2 ],
        [ 'flat and nested agreeing', tok(tokenTypeId => 2, tokenType => { tokenTypeId => 2 }), 2, 2 ],
        [ '"ovPayToken" envelope (#2, case-insensitive)', { ovPayToken => tok(tokenStatusId => 7) }, 1, 7 ],
        [ '"OVPAYTOKEN" envelope', { OVPAYTOKEN => tok() }, 1, 2 ],
    );
    my %tname = (1 => 'EMV', 2 => 'OV-pas physical', 3 => 'OV-pas digital');
    my %sname = (2 => 'Active', 4 => 'On Stock', 5 => 'Suspended', 7 => 'Renewed Active');
    for my $c (@cases) {
        my ($name, $body, $type, $status) = @$c;
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovpaytokens", $body);
        is($st, 201, "$name: 201") or do { diag($res->content); next };
        audit_ok($cust, 'insert', $cid, "$name: audited");
        my $t = token_item($json->{ovPayTokenId} // 0);
        is_deeply($t && $t->{tokenType}, { tokenTypeId => $type, name => $tname{$type} }, "$name: tokenType");
        is_deeply($t && $t->{tokenStatus}, { tokenStatusId => $status, name => $sname{$status} }, "$name: tokenStatus");
        ok($t && !exists $t->{tokenTypeId} && !exists $t->{tokenStatusId}, "$name: no flat ids emitted (D24)");
    }
};

subtest 'POST token: invalid bodies → 400 naming the field' => sub {
    my @bad = (
        [ 'tokenType name contradicts id', tok(tokenTypeId => undef, tokenType => { tokenTypeId => 1, name => 'OV-pas digital' }), qr{^/tokenType} ],
        [ 'tokenStatus name contradicts id', tok(tokenStatusId => undef, tokenStatus => { tokenStatusId => 2, name => 'Retired' }), qr{^/tokenStatus} ],
        [ 'flat vs nested type conflict', tok(tokenTypeId => 1, tokenType => { tokenTypeId => 2 }), qr{^/tokenType} ],
        [ 'tokenTypeId missing', tok(tokenTypeId => undef), qr{^/tokenType} ],
        [ 'tokenStatusId missing', tok(tokenStatusId => undef), qr{^/tokenStatus} ],
        [ 'tokenTypeId 4 unknown', tok(tokenTypeId => 4), qr{^/tokenType} ],
        [ 'tokenStatusId 8 unknown', tok(tokenStatusId => 8), qr{^/tokenStatus} ],
        [ 'tokenTypeId "abc"', tok(tokenTypeId => 'abc'), qr{^/tokenType} ],
        [ 'tokenTypeId 1.5', '{"tokenTypeId":1.5,"tokenStatusId":2}', qr{^/tokenType} ],
        [ 'xTat not a UUID', tok(xTat => 'not-a-uuid'), qr{^/xTat$} ],
        [ 'xBot not a UUID', tok(xBot => '71a88843-32b8-4d52-ac25-de2458c4777'), qr{^/xBot$} ],
        [ 'xTat a number', tok(xTat => 12345), qr{^/xTat$} ],
        [ 'lastDigits "12a"', tok(lastDigits => '12a'), qr{^/lastDigits$} ],
        [ 'lastDigits -5', tok(lastDigits => -5), qr{^/lastDigits$} ],
        [ 'expirationDate 2027-02-30', tok(expirationDate => '2027-02-30T10:00:00+01:00'), qr{^/expirationDate$} ],
        [ 'expirationDate "tomorrow"', tok(expirationDate => 'tomorrow'), qr{^/expirationDate$} ],
        [ 'replacedByTokenId missing token', tok(replacedByTokenId => MISSING_ID), qr{^/replacedByTokenId$} ],
        [ 'unknown field', tok(colour => 'blue'), qr{^/colour$} ],
        [ 'envelope with a wrong spelling', { ovpaytokens => tok() }, qr{^/ovpaytokens$} ],
    );
    for my $c (@bad) {
        my ($name, $body, $ptr) = @$c;
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovpaytokens", $body);
        problem_ok($st, $json, $res, 400, $ptr, "$name → 400");
        no_audit_ok($cid);
    }
    my ($st, $json, $res) = wr(POST => "/customers/$cust/ovpaytokens",
                               { ovpaytoken => tok(tokenTypeId => undef) });
    problem_ok($st, $json, $res, 400, qr{^(/ovpaytoken)?/tokenType}, 'envelope: tokenTypeId missing → 400');
    ($st, $json, $res) = wr(POST => '/customers/' . MISSING_ID . '/ovpaytokens', tok());
    problem_ok($st, $json, $res, 404, undef, 'unknown customer → 404');
    ($st, $json, $res) = wr(POST => '/customers/1e3/ovpaytokens', tok());
    problem_ok($st, $json, $res, 400, qr{customerProfileId}, 'non-numeric customer id → 400');
};

subtest 'POST token: lastDigits and expirationDate formats (#12, D7, D24)' => sub {
    my @cases = (
        [ 'lastDigits "0042"', tok(lastDigits => '0042'), lastDigits => '0042' ],
        [ 'lastDigits 42 (number)', tok(lastDigits => 42), lastDigits => '42' ],
        [ 'expirationDate in UTC (winter)', tok(expirationDate => '2030-01-15T12:00:00Z'),
          expirationDate => '2030-01-15T13:00:00.000+01:00' ],
        [ 'expirationDate without a zone = Amsterdam', tok(expirationDate => '2030-07-01T10:00:00'),
          expirationDate => '2030-07-01T10:00:00.000+02:00' ],
        [ 'expirationDate with a space separator', tok(expirationDate => '2030-07-01 10:00:00.250'),
          expirationDate => '2030-07-01T10:00:00.250+02:00' ],
        [ 'expirationDate with another offset', tok(expirationDate => '2030-07-01T10:00:00-04:00'),
          expirationDate => '2030-07-01T16:00:00.000+02:00' ],
        [ 'ovpasNumber letters, lower case', tok(tokenTypeId => 2, ovpasNumber => 'ov34568'),
          ovpasNumber => 'OV34568' ],
    );
    for my $c (@cases) {
        my ($name, $body, $field, $want) = @$c;
        my ($st, $json, $res) = wr(POST => "/customers/$cust/ovpaytokens", $body);
        is($st, 201, "$name: 201") or do { diag($res->content); next };
        my $t = token_item($json->{ovPayTokenId} // 0);
        is($t && $t->{$field}, $want, "$name: $field $want");
        ok($t && defined $t->{$field} && JSON::PP->new->allow_nonref->encode($t->{$field}) =~ /^"/,
           "$name: $field is a JSON string");
    }
};

subtest 'POST token: ovpasNumber is letters and digits, never blank (#13, docs/decisions.md)' => sub {
    # docs/decisions.md: "ovpasNumber | Letters and digits, stored upper case";
    # "Free-text fields must not be blank".
    for my $v (' ', '   ', '-', 'OV 123', 'OV-123', 'OV_123', 'OV.123') {
        my ($st, $json, $res) = wr(POST => "/customers/$cust/ovpaytokens", tok(tokenTypeId => 2, ovpasNumber => $v));
        problem_ok($st, $json, $res, 400, qr{^/ovpasNumber$}, "ovpasNumber \"$v\" → 400 /ovpasNumber");
    }
    my ($st, $json, $res) = wr(POST => "/customers/$cust/ovpaytokens", tok(tokenTypeId => 2, ovpasNumber => '63aw974'));
    is($st, 201, 'ovpasNumber "63aw974" → 201') or diag($res->content);
    is(token_item($json && $json->{ovPayTokenId} || 0) && token_item($json->{ovPayTokenId})->{ovpasNumber},
       '63AW974', 'stored upper case');
};

subtest 'PATCH token: the three seed examples' => sub {
    my $a = make_token($cust, tok(alias => 'oud'), 'token A');
    my $b = make_token($cust, tok(), 'token B');

    my ($st, $json, $res, $cid) = wr(PATCH => "/ovpaytokens/$a", '{"ovpaytoken":{"alias":"ING pas mobiel"}}');
    is($st, 200, 'updateTokenAlias → 200') or diag($res->content);
    is_deeply($json, { ovPayTokenId => $a }, 'body {ovPayTokenId}');
    audit_ok($cust, 'update', $cid);
    my $t = token_item($a);
    is($t && $t->{alias}, 'ING pas mobiel', 'alias changed');
    is($t && $t->{tokenStatus}{tokenStatusId}, 2, 'status unchanged');

    ($st, $json, $res, $cid) = wr(PATCH => "/ovpaytokens/$a", '{"ovpaytoken":{"tokenStatusId":6}}');
    is($st, 200, '"updateTokenStatus to removed" → 200') or diag($res->content);
    is_deeply($json, { ovPayTokenId => $a }, 'body {ovPayTokenId}');
    audit_ok($cust, 'update', $cid);
    $t = token_item($a);
    is_deeply($t && $t->{tokenStatus}, { tokenStatusId => 6, name => 'Removed by customer' },
              'status 6 Removed by customer; the token stays (D20)');
    is($t && $t->{alias}, 'ING pas mobiel', 'alias unchanged');

    ($st, $json, $res, $cid) = wr(PATCH => "/ovpaytokens/$a",
        qq({"ovpaytoken":{"tokenStatusId":3,"replacedByTokenId":$b}}));
    is($st, 200, 'replaceToken → 200') or diag($res->content);
    is_deeply($json, { ovPayTokenId => $a }, 'body {ovPayTokenId}');
    audit_ok($cust, 'update', $cid);
    $t = token_item($a);
    is_deeply($t && $t->{tokenStatus}, { tokenStatusId => 3, name => 'Replaced' }, 'status 3 Replaced');
    is($t && $t->{replacedByTokenId}, $b, 'replacedByTokenId names B');

    # #7: a read-only id equal to the path id is fine; another → 400
    ($st, $json, $res) = wr(PATCH => "/ovpaytokens/$b", { ovPayTokenId => $b, alias => 'B' });
    is($st, 200, 'ovPayTokenId equal to the path id → 200') or diag($res->content);
    ($st, $json, $res, $cid) = wr(PATCH => "/ovpaytokens/$b", { ovPayTokenId => $a, alias => 'B' });
    problem_ok($st, $json, $res, 400, qr{^/ovPayTokenId$}, 'ovPayTokenId differing from the path → 400');
    no_audit_ok($cid);

    ($st, $json, $res, $cid) = wr(PATCH => "/ovpaytokens/$b", { replacedByTokenId => MISSING_ID });
    problem_ok($st, $json, $res, 400, qr{^/replacedByTokenId$}, 'replacedByTokenId naming a missing token → 400');
    no_audit_ok($cid);
    ($st, $json, $res, $cid) = wr(PATCH => "/ovpaytokens/$b", { ovpaytoken => { replacedByTokenId => $b } });
    problem_ok($st, $json, $res, 400, qr{^(/ovpaytoken)?/replacedByTokenId$}, 'replacedByTokenId naming itself → 400');
    no_audit_ok($cid);
    ok(token_item($b) && !defined token_item($b)->{replacedByTokenId}, 'B still not replaced');

    for my $c ([ '{}', {} ], [ '{"ovpaytoken":{}}', { ovpaytoken => {} } ],
               [ 'xTat not a UUID', { xTat => 'x' } ], [ 'tokenStatusId 0', { tokenStatusId => 0 } ],
               [ 'contradicting tokenStatus name', { tokenStatus => { tokenStatusId => 2, name => 'Suspended' } } ],
               [ 'expirationDate 2027-02-30', { expirationDate => '2027-02-30' } ]) {
        my ($st2, $json2, $res2, $cid2) = wr(PATCH => "/ovpaytokens/$b", $c->[1]);
        problem_ok($st2, $json2, $res2, 400, undef, "PATCH $c->[0] → 400");
        no_audit_ok($cid2);
    }

    ($st, $json, $res, $cid) = wr(PATCH => "/ovpaytokens/$b",
        { xTat => uc new_uuid(), lastDigits => '0007', expirationDate => '2032-12-31T23:59:59+01:00',
          tokenType => { tokenTypeId => 3 } });
    is($st, 200, 'flat PATCH of several fields → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    $t = token_item($b);
    like($t && $t->{xTat} // '', qr/^[0-9a-f-]{36}$/, 'xTat emitted in lower case');
    is($t && $t->{lastDigits}, '0007', 'lastDigits "0007"');
    is($t && $t->{expirationDate}, '2032-12-31T23:59:59.000+01:00', 'expirationDate');
    is($t && $t->{tokenType}{tokenTypeId}, 3, 'tokenType 3');

    ($st, $json, $res) = wr(PATCH => "/ovpaytokens/$b", { alias => undef, expirationDate => undef });
    is($st, 200, 'alias and expirationDate null → 200');
    $t = token_item($b);
    ok($t && exists $t->{alias} && !defined $t->{alias}, 'alias cleared (#16)');
    ok($t && exists $t->{expirationDate} && !defined $t->{expirationDate}, 'expirationDate cleared');

    ($st, $json, $res) = wr(PATCH => '/ovpaytokens/' . MISSING_ID, { alias => 'x' });
    problem_ok($st, $json, $res, 404, undef, 'unknown token → 404');
    ($st, $json, $res) = wr(PATCH => '/ovpaytokens/abc', { alias => 'x' });
    problem_ok($st, $json, $res, 400, qr{ovpaytokenId}i, 'non-numeric token id → 400');
};

subtest 'DELETE token: 409 while another token names it (D10), else 200 {} then 404' => sub {
    my $x = make_token($cust, tok(alias => 'X'), 'token X');
    my $y = make_token($cust, tok(alias => 'Y', replacedByTokenId => $x), 'token Y replaced by X');
    is(token_item($y) && token_item($y)->{replacedByTokenId}, $x, 'Y names X on POST');

    my ($st, $json, $res, $cid) = wr(DELETE => "/ovpaytokens/$x");
    problem_ok($st, $json, $res, 409, undef, 'DELETE X → 409 conflict');
    like($json && $json->{type} // '', qr{^https://htm\.nl/api/v1/probs/conflict$}, 'type …/probs/conflict (D11)');
    no_audit_ok($cid);
    ok(token_item($x), 'X still there');

    ($st, $json, $res, $cid) = wr(DELETE => "/ovpaytokens/$y");
    is($st, 200, 'DELETE Y → 200') or diag($res->content);
    like($res->header('Content-Type') // '', qr{^application/json\b}, 'application/json');
    is_deeply($json, {}, 'body {}');
    audit_ok($cust, 'delete', $cid);
    ok(!token_item($y), 'Y gone');

    ($st, $json, $res, $cid) = wr(DELETE => "/ovpaytokens/$x");
    is($st, 200, 'now DELETE X → 200') or diag($res->content);
    audit_ok($cust, 'delete', $cid);
    ($st, $json, $res, $cid) = wr(DELETE => "/ovpaytokens/$x");
    problem_ok($st, $json, $res, 404, undef, 'same DELETE again → 404');
    no_audit_ok($cid);

    # PATCH to clear the reference also frees the token
    my $p = make_token($cust, tok(), 'token P');
    my $q = make_token($cust, tok(replacedByTokenId => $p), 'token Q');
    ($st) = wr(DELETE => "/ovpaytokens/$p");
    is($st, 409, 'P named by Q → 409');
    ($st) = wr(PATCH => "/ovpaytokens/$q", { replacedByTokenId => undef });
    is($st, 200, 'Q: replacedByTokenId null → 200');
    ($st) = wr(DELETE => "/ovpaytokens/$p");
    is($st, 200, 'then DELETE P → 200');
    ($st, $json, $res) = wr(DELETE => '/ovpaytokens/x');
    problem_ok($st, $json, $res, 400, qr{ovpaytokenId}i, 'DELETE /ovpaytokens/x → 400');
};

subtest '/ovPayTokens aliases (#38)' => sub {
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovPayTokens", tok(alias => 'via alias'));
    is($st, 201, 'POST /customers/{id}/ovPayTokens → 201') or diag($res->content);
    audit_ok($cust, 'insert', $cid);
    my $id = $json->{ovPayTokenId} // 0;
    ($st, $json, $res) = api_get("/ovPayTokens?ovPayTokenId=$id");
    is($st, 200, 'GET /ovPayTokens → 200');
    is_deeply(ids($json && $json->{ovPayTokens}, 'ovPayTokenId'), [$id], 'finds the token');
    links_ok($json, '/ovpaytokens', [ ovPayTokenId => $id ], name => 'hrefs use the routed path /ovpaytokens');
    ($st, $json, $res, $cid) = wr(PATCH => "/ovPayTokens/$id", { ovpaytoken => { alias => 'renamed' } });
    is($st, 200, 'PATCH /ovPayTokens/{id} → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    is(token_item($id) && token_item($id)->{alias}, 'renamed', 'changed');
    ($st, $json, $res, $cid) = wr(DELETE => "/ovPayTokens/$id");
    is($st, 200, 'DELETE /ovPayTokens/{id} → 200') or diag($res->content);
    audit_ok($cust, 'delete', $cid);
    ok(!token_item($id), 'gone');
};

# ----------------------------------------------------- GET /ovpaytokens

# Three tokens of $fc and one control token of $fo, differing in every
# filtered field.
my $fc = new_customer();
my $fo = new_customer();
my $stem = uniq_name('Alias');
my %U = map { $_ => new_uuid() } qw(tat1 bot1 tat2 bot2 tat3 bot3 tat4 bot4);
my ($pas2, $pas3) = ('OV' . uniq_alnum(8), 'OV' . uniq_alnum(8));
my ($t1, $t2, $t3, $t4);
subtest 'GET /ovpaytokens: test data' => sub {
    $t1 = make_token($fc, { tokenTypeId => 1, tokenStatusId => 2, xTat => $U{tat1}, xBot => $U{bot1},
        alias => "$stem-One", lastDigits => '0042',
        expirationDate => '2031-05-06T07:08:09.000+02:00' }, 'T1');
    $t2 = make_token($fc, { tokenTypeId => 2, tokenStatusId => 5, xTat => $U{tat2}, xBot => $U{bot2},
        alias => "$stem-Two", lastDigits => 42, ovpasNumber => $pas2,
        # the next local day, although 2031-05-06 in UTC
        expirationDate => '2031-05-07T00:30:00+02:00' }, 'T2');
    $t3 = make_token($fc, { tokenTypeId => 3, tokenStatusId => 4, xTat => $U{tat3}, xBot => $U{bot3},
        alias => "$stem-Three", lastDigits => '1234', ovpasNumber => $pas3,
        # 2031-05-06 local, although 2031-05-05 in UTC
        expirationDate => '2031-05-06T00:10:00+02:00', replacedByTokenId => $t1 }, 'T3');
    $t4 = make_token($fo, { tokenTypeId => 1, tokenStatusId => 2, xTat => $U{tat4}, xBot => $U{bot4},
        alias => uc "$stem-One", lastDigits => '0042',
        expirationDate => '2031-05-06T07:08:09.000+02:00' }, 'T4 (control, other customer)');
    ok($t1 && $t2 && $t3 && $t4, 'four tokens');
};

subtest 'GET /ovpaytokens: each of the 14 parameters' => sub {
    my @cases = (
        [ [ ovPayTokenId => $t2 ], [$t2] ],
        [ [ customerProfileId => $fc ], [ $t1, $t2, $t3 ] ],
        [ [ customerProfileId => $fo ], [$t4] ],
        [ [ customerProfileId => $fc, tokenTypeId => '1,2' ], [ $t1, $t2 ] ],
        [ [ customerProfileId => $fc, tokenTypeId => 1, tokenTypeId => 3 ], [ $t1, $t3 ] ],
        [ [ customerProfileId => $fc, tokenTypeId => 3 ], [$t3] ],
        [ [ xTat => $U{tat2} ], [$t2] ],
        [ [ xTat => uc $U{tat3} ], [$t3] ],
        [ [ xBot => $U{bot1} ], [$t1] ],
        [ [ xBot => $U{bot4} ], [$t4] ],
        [ [ alias => lc "$stem-One" ], [ $t1, $t4 ] ],
        [ [ alias => "$stem-Two" ], [$t2] ],
        [ [ alias => "$stem-One", customerProfileId => $fc ], [$t1] ],
        [ [ customerProfileId => $fc, lastDigits => '0042' ], [$t1] ],
        [ [ customerProfileId => $fc, lastDigits => '42' ], [$t2] ],
        [ [ ovpasNumber => $pas2 ], [$t2] ],
        [ [ ovpasNumber => lc $pas3 ], [$t3] ],
        [ [ ovPasNumber => $pas3 ], [$t3] ],
        [ [ customerProfileId => $fc, tokenStatusId => '5,4' ], [ $t2, $t3 ] ],
        [ [ customerProfileId => $fc, tokenStatusId => 2, tokenStatusId => 5 ], [ $t1, $t2 ] ],
        [ [ customerProfileId => $fc, expirationDate => '2031-05-06T07:08:09.000+02:00' ], [$t1] ],
        [ [ customerProfileId => $fc, expirationDate => '2031-05-06T05:08:09Z' ], [$t1] ],
        [ [ customerProfileId => $fc, expirationDate => '2031-05-06T07:08:09' ], [$t1] ],
        [ [ customerProfileId => $fc, expirationDate => '2031-05-06T07:08:10' ], [] ],
        [ [ customerProfileId => $fc, expirationDate => '2031-05-06' ], [ $t1, $t3 ] ],
        [ [ customerProfileId => $fc, expirationDate => '2031-05-07' ], [$t2] ],
        [ [ replacedByTokenId => $t1 ], [$t3] ],
        [ [ customerProfileId => $fc, replacedByTokenId => $t2 ], [] ],
        [ [ customerProfileId => $fc, sort => '-ovPayTokenId' ], [ $t3, $t2, $t1 ] ],
        [ [ customerProfileId => $fc, sort => 'alias' ], [ $t1, $t3, $t2 ] ],
        [ [ customerProfileId => $fc, sort => '-alias' ], [ $t2, $t3, $t1 ] ],
        [ [ customerProfileId => $fc, sort => '-expirationDate' ], [ $t2, $t1, $t3 ] ],
        [ [ customerProfileId => $fc, sort => 'expirationDate' ], [ $t3, $t1, $t2 ] ],
        [ [ alias => lc "$stem-One", sort => '-customerProfileId' ], [ $t4, $t1 ] ],
        [ [ customerProfileId => $fc, sort => '-customerProfileId' ], [ $t1, $t2, $t3 ] ],
        [ [ customerProfileId => $fc, sort => '-tokenTypeId,alias' ], [ $t3, $t2, $t1 ] ],
        [ [ customerProfileId => $fc, offset => 1 ], [ $t2, $t3 ] ],
        [ [ customerProfileId => $fc, limit => 2 ], [ $t1, $t2 ] ],
        [ [ customerProfileId => $fc, offset => 1, limit => 1 ], [$t2] ],
        [ [ customerProfileId => $fc, offset => 3 ], [] ],
        [ [ customerProfileId => $fc, tokenTypeId => '1,2,3', tokenStatusId => 2,
            xTat => $U{tat1}, xBot => $U{bot1}, alias => "$stem-one", lastDigits => '0042',
            ovpasNumber => undef, expirationDate => '2031-05-06', ovPayTokenId => $t1 ], [$t1] ],
    );
    for my $c (@cases) {
        my ($q, $want) = @$c;
        my @q = @$q;
        # undef: leave the parameter out (keeps the table readable)
        my @pairs;
        while (my ($k, $v) = splice @q, 0, 2) { push @pairs, $k, $v if defined $v }
        my ($st, $json, $res) = search('/ovpaytokens', @pairs);
        my $name = '?' . qs(@pairs);
        is($st, 200, "$name: 200") or do { diag($res->content); next };
        is_deeply(ids($json->{ovPayTokens}, 'ovPayTokenId'), $want, "$name: [@$want]");
    }
};

subtest 'GET /ovpaytokens: expirationDate as a date on DST days is the local day (D25)' => sub {
    my $d = new_customer();
    # 2031-03-30 has 23 hours in Amsterdam, 2031-10-26 has 25
    my %t = (
        mar_in  => '2031-03-30T23:30:00+02:00',    # 21:30Z, last half hour of the short day
        mar_out => '2031-03-31T00:10:00+02:00',    # 22:10Z, within 24 h of the day's start
        mar_pre => '2031-03-29T23:50:00+01:00',    # 22:50Z, the day before
        oct_in  => '2031-10-26T23:30:00+01:00',    # 22:30Z, 24.5 h after the long day's start
        oct_out => '2031-10-27T00:00:00+01:00',    # the next day's first instant
    );
    my %id;
    $id{$_} = make_token($d, tok(expirationDate => $t{$_}), $_) for sort keys %t;
    my ($st, $json) = search('/ovpaytokens', customerProfileId => $d, expirationDate => '2031-03-30');
    is_deeply(ids($json && $json->{ovPayTokens}, 'ovPayTokenId'), [ $id{mar_in} ],
              '2031-03-30 (23 h): only the token of that local day');
    ($st, $json) = search('/ovpaytokens', customerProfileId => $d, expirationDate => '2031-10-26');
    is_deeply(ids($json && $json->{ovPayTokens}, 'ovPayTokenId'), [ $id{oct_in} ],
              '2031-10-26 (25 h): the token in its 25th hour, not the next day\'s');
    ($st, $json) = search('/ovpaytokens', customerProfileId => $d, expirationDate => '2031-03-31');
    is_deeply(ids($json && $json->{ovPayTokens}, 'ovPayTokenId'), [ $id{mar_out} ], '2031-03-31');
    my $i = token_item($id{oct_in});
    is($i && $i->{expirationDate}, '2031-10-26T23:30:00.000+01:00', 'emitted with the winter offset');
    $i = token_item($id{mar_in});
    is($i && $i->{expirationDate}, '2031-03-30T23:30:00.000+02:00', 'emitted with the summer offset');
};

subtest 'POST: read-only ids in the body are ignored on create (#7)' => sub {
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovpaytokens",
        { ovpaytoken => tok(ovPayTokenId => MISSING_ID) });
    is($st, 201, 'token with ovPayTokenId → 201') or diag($res->content);
    isnt($json && $json->{ovPayTokenId}, MISSING_ID, 'the id is the server\'s');
    audit_ok($cust, 'insert', $cid);
    ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovchipcards",
        { ovChipcard => { ovChipCardId => MISSING_ID, chipCardNumber => '42' } });
    is($st, 201, 'chip card with ovChipCardId → 201') or diag($res->content);
    isnt($json && $json->{ovChipCardId}, MISSING_ID, 'the id is the server\'s');
    audit_ok($cust, 'insert', $cid);
};

subtest 'GET /ovpaytokens: item shape as the seed example' => sub {
    my ($st, $json) = search('/ovpaytokens', ovPayTokenId => $t2);
    keys_are($json, [qw(ovPayTokens _links)], 'body {ovPayTokens, _links}');
    my $t = $json->{ovPayTokens}[0] // {};
    keys_are($t, \@TOKEN_KEYS, 'item members');
    is($t->{customerProfileId}, $fc, 'customerProfileId');
    is_deeply($t->{tokenType}, { tokenTypeId => 2, name => 'OV-pas physical' }, 'tokenType');
    is_deeply($t->{tokenStatus}, { tokenStatusId => 5, name => 'Suspended' }, 'tokenStatus');
    is($t->{xTat}, $U{tat2}, 'xTat');
    is($t->{xBot}, $U{bot2}, 'xBot');
    is($t->{alias}, "$stem-Two", 'alias');
    is($t->{lastDigits}, '42', 'lastDigits "42" (a string, #12)');
    like($json && JSON::PP->new->canonical->encode($t), qr/"lastDigits":"42"/, 'lastDigits is a JSON string');
    is($t->{ovpasNumber}, $pas2, 'ovpasNumber');
    is($t->{expirationDate}, '2031-05-07T00:30:00.000+02:00', 'expirationDate YYYY-MM-DDTHH:mm:ss.SSS+hh:mm (D24)');
    like($t->{expirationDate} // '', $ISO_OFFSET_MS, 'format');
    ok(exists $t->{replacedByTokenId} && !defined $t->{replacedByTokenId}, 'replacedByTokenId null');
    ($st, $json) = search('/ovpaytokens', ovPayTokenId => $t3);
    is($json->{ovPayTokens}[0]{replacedByTokenId}, $t1, 'T3 replacedByTokenId = T1');
    is($json->{ovPayTokens}[0]{lastDigits}, '1234', 'lastDigits "1234"');
};

subtest 'GET /ovpaytokens: _links (#34, #38)' => sub {
    my @f = (customerProfileId => $fc, tokenTypeId => '1,2,3');
    my ($st, $json) = search('/ovpaytokens', @f);
    links_ok($json, '/ovpaytokens', \@f, name => 'one page: self only');
    ($st, $json) = search('/ovpaytokens', @f, limit => 1);
    links_ok($json, '/ovpaytokens', \@f, limit => 1, next => 1, name => 'first page of 3: self, next');
    ($st, $json) = search('/ovpaytokens', @f, offset => 1, limit => 1);
    links_ok($json, '/ovpaytokens', \@f, offset => 1, limit => 1, next => 1, name => 'middle: self, prev, next');
    ($st, $json) = search('/ovpaytokens', @f, offset => 2, limit => 1);
    links_ok($json, '/ovpaytokens', \@f, offset => 2, limit => 1, name => 'last: self, prev');
    ($st, $json) = search('/ovpaytokens', @f, offset => 1, limit => 2);
    links_ok($json, '/ovpaytokens', \@f, offset => 1, limit => 2, name => 'prev not below 0');
    ($st, $json) = search('/ovpaytokens', @f, limit => 3);
    links_ok($json, '/ovpaytokens', \@f, limit => 3, name => 'exactly one full page: no next');
    my @g = (customerProfileId => $fc, sort => '-alias', expirationDate => '2031-05-06T07:08:09.000+02:00');
    ($st, $json) = search('/ovpaytokens', @g);
    links_ok($json, '/ovpaytokens', \@g, name => 'sort and an expirationDate with "+02:00" kept in self');
    ($st, $json) = search('/ovpaytokens', @f, offset => 1);
    links_ok($json, '/ovpaytokens', \@f, offset => 1, name => 'offset without limit: prev to 0 (default limit 20)');
    ($st, $json) = search('/ovpaytokens', @f, offset => 5, limit => 2);
    is_deeply($json && $json->{ovPayTokens}, [], 'offset beyond the end: empty page');
    links_ok($json, '/ovpaytokens', \@f, offset => 5, limit => 2, name => 'beyond the end: self, prev');
    ($st, $json) = search('/ovpaytokens', ovPayTokenId => MISSING_ID);
    is_deeply($json && $json->{ovPayTokens}, [], 'no match: empty list');
    links_ok($json, '/ovpaytokens', [ ovPayTokenId => MISSING_ID ], name => 'empty page: self only');
};

subtest 'GET /ovpaytokens: invalid parameters → 400 naming them (D15)' => sub {
    my @bad = (
        [ [ limit => 0 ], 'limit' ], [ [ limit => 101 ], 'limit' ], [ [ limit => 'x' ], 'limit' ],
        [ [ offset => -1 ], 'offset' ], [ [ sort => 'colour' ], 'sort' ],
        [ [ xTat => 'not-a-uuid' ], 'xTat' ], [ [ xBot => '123' ], 'xBot' ],
        [ [ ovPayTokenId => 'abc' ], 'ovPayTokenId' ], [ [ tokenTypeId => '1,x' ], 'tokenTypeId' ],
        [ [ tokenStatusId => 'two' ], 'tokenStatusId' ], [ [ expirationDate => '2031-02-30' ], 'expirationDate' ],
        [ [ customerProfileId => '1a' ], 'customerProfileId' ], [ [ replacedByTokenId => 'none' ], 'replacedByTokenId' ],
        [ [ colour => 'blue' ], 'colour' ], [ [ customerProfileId => 1, customerProfileId => 2 ], 'customerProfileId' ],
    );
    for my $c (@bad) {
        my ($q, $p) = @$c;
        my ($st, $json, $res) = search('/ovpaytokens', @$q);
        problem_ok($st, $json, $res, 400, qr{^\Q$p\E$}i, '?' . qs(@$q) . " → 400 naming $p");
    }
    my ($st, $json) = search('/ovpaytokens', customerProfileId => $fc, limit => 100);
    is($st, 200, 'limit=100 is allowed');
};

# ============================================================ chip cards

subtest 'POST chip card: seed example verbatim, and the "ovChipCard" envelope (#2)' => sub {
    my $body = '{"ovChipcard":{"chipCardNumber":"1234123412341234","validUntil":"2027-01-01","alias":"Mijn chipkaart"}}';
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovchipcards", $body);
    is($st, 201, 'seed example → 201') or diag($res->as_string);
    keys_are($json, ['ovChipCardId'], 'body {ovChipCardId}');
    like($json->{ovChipCardId} // '', qr/^[1-9][0-9]*$/, 'a positive integer id');
    audit_ok($cust, 'insert', $cid);
    my $c = chipcard_of($cust, $json->{ovChipCardId} // 0);
    ok($c, 'GET /customers shows it') or return;
    keys_are($c, [qw(ovChipCardId chipCardNumber validUntil alias)], 'members as the seed example');
    is($c->{chipCardNumber}, '1234123412341234', 'chipCardNumber');
    is($c->{validUntil}, '2027-01-01', 'validUntil YYYY-MM-DD');
    is($c->{alias}, 'Mijn chipkaart', 'alias');

    ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovchipcards",
        { ovChipCard => { chipCardNumber => '1234123412341235', validUntil => '2025-01-01' } });
    is($st, 201, '"ovChipCard" envelope on POST → 201') or diag($res->content);
    audit_ok($cust, 'insert', $cid);
    $c = chipcard_of($cust, $json->{ovChipCardId} // 0);
    is($c && $c->{validUntil}, '2025-01-01', 'an expired date is accepted (#50)');
    ok($c && exists $c->{alias} && !defined $c->{alias}, 'alias null when absent');

    ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovchipcards", { chipCardNumber => '3528000000000007' });
    is($st, 201, 'flat, chipCardNumber only → 201') or diag($res->content);
    audit_ok($cust, 'insert', $cid);
    $c = chipcard_of($cust, $json->{ovChipCardId} // 0);
    ok($c && exists $c->{validUntil} && !defined $c->{validUntil}, 'validUntil null when absent');
};

subtest 'POST chip card: invalid bodies → 400' => sub {
    my @bad = (
        [ 'chipCardNumber missing', { ovChipcard => { validUntil => '2027-01-01', alias => 'x' } }, qr{^(/ovChipcard)?/chipCardNumber$} ],
        [ 'chipCardNumber missing (flat)', { alias => 'x' }, qr{^/chipCardNumber$} ],
        [ 'chipCardNumber null', { chipCardNumber => undef }, qr{^/chipCardNumber$} ],
        [ 'chipCardNumber blank', { chipCardNumber => '' }, qr{^/chipCardNumber$} ],
        [ 'validUntil 2027-02-30', { chipCardNumber => '1', validUntil => '2027-02-30' }, qr{^/validUntil$} ],
        [ 'validUntil "soon"', { chipCardNumber => '1', validUntil => 'soon' }, qr{^/validUntil$} ],
        [ 'validUntil 2025-02-29', { chipCardNumber => '1', validUntil => '2025-02-29' }, qr{^/validUntil$} ],
        [ 'validUntil 2027-13-01', { chipCardNumber => '1', validUntil => '2027-13-01' }, qr{^/validUntil$} ],
        [ 'unknown field', { chipCardNumber => '1', owner => 'me' }, qr{^/owner$} ],
        [ '{}', {}, qr{^/chipCardNumber$} ],
    );
    for my $c (@bad) {
        my ($name, $body, $ptr) = @$c;
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/ovchipcards", $body);
        problem_ok($st, $json, $res, 400, $ptr, "$name → 400");
        no_audit_ok($cid);
    }
    my ($st, $json, $res) = wr(POST => '/customers/' . MISSING_ID . '/ovchipcards', { chipCardNumber => '1' });
    problem_ok($st, $json, $res, 404, undef, 'unknown customer → 404');
    ($st, $json, $res) = wr(POST => '/customers/x/ovchipcards', { chipCardNumber => '1' });
    problem_ok($st, $json, $res, 400, qr{customerProfileId}, 'non-numeric customer id → 400');
};

subtest 'POST chip card: whitespace-only text is blank → 400 (docs/decisions.md "must not be blank")' => sub {
    for my $c ([ 'chipCardNumber "\\n"', { chipCardNumber => "\n" }, 'chipCardNumber' ],
               [ 'chipCardNumber " \\r\\n "', { chipCardNumber => " \r\n " }, 'chipCardNumber' ],
               [ 'alias "\\n"', { chipCardNumber => '12', alias => "\n" }, 'alias' ],
               [ 'alias " \\t "', { chipCardNumber => '12', alias => " \t " }, 'alias' ]) {
        my ($name, $body, $f) = @$c;
        my ($st, $json, $res) = wr(POST => "/customers/$cust/ovchipcards", $body);
        problem_ok($st, $json, $res, 400, qr{^/\Q$f\E$}, "$name → 400 /$f");
    }
};

subtest 'PATCH chip card: seed example and both envelope spellings' => sub {
    my ($st, $json, $res) = wr(POST => "/customers/$cust/ovchipcards",
        { ovChipcard => { chipCardNumber => '5555666677778888', validUntil => '2028-06-30', alias => 'oud' } });
    my $id = $json->{ovChipCardId} // 0;
    my $cid;
    ($st, $json, $res, $cid) = wr(PATCH => "/ovchipcards/$id", '{"ovChipCard":{"alias":"Zoon 1 chipkaart"}}');
    is($st, 200, 'seed example → 200') or diag($res->content);
    is_deeply($json, { ovChipCardId => $id }, 'body {ovChipCardId}');
    audit_ok($cust, 'update', $cid);
    my $c = chipcard_of($cust, $id);
    is($c && $c->{alias}, 'Zoon 1 chipkaart', 'alias changed');
    is($c && $c->{validUntil}, '2028-06-30', 'validUntil unchanged');
    is($c && $c->{chipCardNumber}, '5555666677778888', 'number unchanged');

    ($st, $json, $res, $cid) = wr(PATCH => "/ovchipcards/$id", { ovChipcard => { validUntil => '2029-02-28' } });
    is($st, 200, '"ovChipcard" envelope on PATCH → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    is(chipcard_of($cust, $id) && chipcard_of($cust, $id)->{validUntil}, '2029-02-28', 'validUntil changed');

    ($st, $json, $res, $cid) = wr(PATCH => "/ovchipcards/$id", { chipCardNumber => '1111222233334444', alias => undef });
    is($st, 200, 'flat PATCH → 200');
    audit_ok($cust, 'update', $cid);
    $c = chipcard_of($cust, $id);
    is($c && $c->{chipCardNumber}, '1111222233334444', 'number changed');
    ok($c && exists $c->{alias} && !defined $c->{alias}, 'alias cleared by null');
    ($st, $json, $res) = wr(PATCH => "/ovchipcards/$id", { validUntil => undef });
    is($st, 200, 'validUntil null → 200');
    $c = chipcard_of($cust, $id);
    ok($c && exists $c->{validUntil} && !defined $c->{validUntil}, 'validUntil cleared by null');

    for my $b ([ '{}', {} ], [ '{"ovChipCard":{}}', { ovChipCard => {} } ],
               [ 'validUntil 2027-02-30', { ovChipCard => { validUntil => '2027-02-30' } } ],
               [ 'chipCardNumber null', { chipCardNumber => undef } ],
               [ 'ovChipCardId differing from the path', { ovChipCardId => $id + 1, alias => 'x' } ]) {
        my ($st2, $json2, $res2, $cid2) = wr(PATCH => "/ovchipcards/$id", $b->[1]);
        problem_ok($st2, $json2, $res2, 400, undef, "PATCH $b->[0] → 400");
        no_audit_ok($cid2);
    }
    ($st, $json, $res) = wr(PATCH => '/ovchipcards/' . MISSING_ID, { alias => 'x' });
    problem_ok($st, $json, $res, 404, undef, 'unknown chip card → 404');
    ($st, $json, $res) = wr(PATCH => '/ovchipcards/1.0', { alias => 'x' });
    problem_ok($st, $json, $res, 400, qr{ovchipcardId}i, 'non-numeric chip card id → 400');
};

subtest 'DELETE chip card: 200 {} then 404' => sub {
    my ($st, $json, $res) = wr(POST => "/customers/$cust/ovchipcards", { chipCardNumber => '4444' });
    my $id = $json->{ovChipCardId} // 0;
    ok(chipcard_of($cust, $id), 'exists');
    my $cid;
    ($st, $json, $res, $cid) = wr(DELETE => "/ovchipcards/$id");
    is($st, 200, 'DELETE → 200') or diag($res->content);
    like($res->header('Content-Type') // '', qr{^application/json\b}, 'application/json');
    is_deeply($json, {}, 'body {}');
    audit_ok($cust, 'delete', $cid);
    ok(!chipcard_of($cust, $id), 'gone');
    ($st, $json, $res, $cid) = wr(DELETE => "/ovchipcards/$id");
    problem_ok($st, $json, $res, 404, undef, 'same DELETE again → 404');
    no_audit_ok($cid);
    ($st, $json, $res) = wr(DELETE => '/ovchipcards/abc');
    problem_ok($st, $json, $res, 400, qr{ovchipcardId}i, 'DELETE /ovchipcards/abc → 400');
};

# ==================================================== GET /customers view

subtest 'GET /customers shows every token and chip card created here' => sub {
    for my $c ($cust, $fc, $fo) {
        my @tok = map { $_->[0] } psql_rows("SELECT ov_pay_token_id FROM ov_pay_token WHERE customer_profile_id = $c ORDER BY 1");
        my @chip = map { $_->[0] } psql_rows("SELECT ov_chip_card_id FROM ov_chipcard WHERE customer_profile_id = $c ORDER BY 1");
        my $item = get_customer($c);
        ok($item, "customer $c found") or next;
        is_deeply(ids($item->{ovPayTokens}, 'ovPayTokenId'), \@tok, "customer $c: all tokens (" . scalar(@tok) . ')');
        is_deeply(ids($item->{ovChipcards}, 'ovChipCardId'), \@chip, "customer $c: all chip cards (" . scalar(@chip) . ')');
    }
    my $item = get_customer($fc);
    my ($t2i) = grep { $_->{ovPayTokenId} == $t2 } @{ $item->{ovPayTokens} // [] };
    keys_are($t2i, [ grep { $_ ne 'customerProfileId' } @TOKEN_KEYS ], 'token item members as the seed\'s GET /customers example');
    is($t2i && $t2i->{lastDigits}, '42', 'lastDigits a string');
    is_deeply($t2i && $t2i->{tokenType}, { tokenTypeId => 2, name => 'OV-pas physical' }, 'tokenType nested');
    is($t2i && $t2i->{expirationDate}, '2031-05-07T00:30:00.000+02:00', 'expirationDate format (#23)');
    is($t2i && $t2i->{ovpasNumber}, $pas2, 'ovpasNumber');
};

subtest 'GET /customers: chip card and token filters find the customer (#17)' => sub {
    my $num   = '9' . uniq_digits(15);
    my $alias = uniq_name('Kaart');
    my ($st) = wr(POST => "/customers/$fc/ovchipcards", { chipCardNumber => $num, alias => $alias });
    is($st, 201, 'chip card for the filters');
    ($st) = wr(POST => "/customers/$fo/ovchipcards", { chipCardNumber => $num . '1', alias => "$alias-x" });
    is($st, 201, 'control chip card');
    my @cases = (
        [ [ chipcardNumber => $num ], [$fc] ],
        [ [ chipCardNumber => $num ], [$fc] ],
        [ [ chipcardNumber => $num . '1' ], [$fo] ],
        [ [ ovChipcardAlias => lc $alias ], [$fc] ],
        [ [ ovPasNumber => $pas2 ], [$fc] ],
        [ [ ovpasNumber => lc $pas3 ], [$fc] ],
        [ [ ovPayTokenAlias => "$stem-Two" ], [$fc] ],
        [ [ ovPayTokenAlias => lc "$stem-One" ], [ $fc, $fo ] ],
        [ [ ovPayTokenXTat => $U{tat1} ], [$fc] ],
        [ [ ovPayTokenXTat => $U{tat4} ], [$fo] ],
        [ [ ovPayTokenXBot => $U{bot3} ], [$fc] ],
        [ [ ovPayTokenXBot => uc $U{bot4} ], [$fo] ],
        [ [ ovPayTokenXTat => $U{tat1}, ovPayTokenXBot => $U{bot2} ], [] ],
        [ [ chipcardNumber => $num, ovPayTokenXTat => $U{tat2} ], [$fc] ],
        [ [ chipcardNumber => $num, ovChipcardAlias => "$alias-x" ], [] ],
    );
    for my $c (@cases) {
        my ($q, $want) = @$c;
        my ($st2, $json, $res) = search('/customers', @$q);
        my $name = '?' . qs(@$q);
        is($st2, 200, "$name: 200") or do { diag($res->content); next };
        is_deeply([ sort { $a <=> $b } @{ ids($json->{customers}, 'customerProfileId') } ],
                  [ sort { $a <=> $b } @$want ], "$name: [@$want]");
    }
    my ($st3, $json, $res) = search('/customers', ovPayTokenXTat => 'nope');
    problem_ok($st3, $json, $res, 400, qr{^ovPayTokenXTat$}i, 'ovPayTokenXTat not a UUID → 400');
};

subtest 'a token of another customer can replace one (ids are global)' => sub {
    my $r = make_token($fo, tok(alias => 'R'), 'R of the control customer');
    my $s = make_token($cust, tok(alias => 'S'), 'S');
    my ($st, $json, $res, $cid) = wr(PATCH => "/ovpaytokens/$s",
        { ovpaytoken => { tokenStatus => { tokenStatusId => 3, name => 'Replaced' }, replacedByTokenId => $r } });
    is($st, 200, 'PATCH S replacedBy R → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid, 'audited for the owner of S');
    my ($st2, $j2) = search('/ovpaytokens', replacedByTokenId => $r);
    is_deeply(ids($j2 && $j2->{ovPayTokens}, 'ovPayTokenId'), [$s], 'replacedByTokenId filter finds S');
    ($st2, $j2, $res) = wr(DELETE => "/ovpaytokens/$r");
    problem_ok($st2, $j2, $res, 409, undef, 'R cannot be deleted');
};

subtest 'GET /ovpaytokens requires a token with customers:read (#39)' => sub {
    my ($st) = api_get("/ovpaytokens?ovPayTokenId=$t1", undef, Authorization => undef);
    is($st, 401, 'no token → 401');
    ($st) = api_get("/ovpaytokens?ovPayTokenId=$t1", undef,
                    Authorization => 'Bearer ' . token(scope => 'customers:read'));
    is($st, 200, 'read scope → 200');
};

subtest 'audit rows in GET /customers for tokens and chip cards' => sub {
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$fo/ovchipcards", { chipCardNumber => '77' });
    my $id = $json->{ovChipCardId} // 0;
    my ($st2, $j2, $r2, $cid2) = wr(DELETE => "/ovchipcards/$id");
    my $c = get_customer($fo);
    my %by = map { ($_->{correlationId} // '') => $_ } @{ $c->{auditTrails} // [] };
    is($by{$cid} && $by{$cid}{action}, 'insert', 'insert row');
    is($by{$cid2} && $by{$cid2}{action}, 'delete', 'delete row');
    is($by{$cid2} && $by{$cid2}{user}, writer(), 'user = sub');
    like($by{$cid2} && $by{$cid2}{timestamp} // '', $ISO_OFFSET_MS, 'timestamp format');
    ok(($by{$cid2}{auditTrailId} // 0) > ($by{$cid}{auditTrailId} // 0), 'ids ascend');
};

subtest 'lastDigits stays a string in GET /customers (#12)' => sub {
    my $c = get_customer($fc);
    my ($t1i) = grep { $_->{ovPayTokenId} == $t1 } @{ $c->{ovPayTokens} // [] };
    is($t1i && $t1i->{lastDigits}, '0042', 'T1 lastDigits "0042" with its leading zeros');
};

audits_in_db_ok();
