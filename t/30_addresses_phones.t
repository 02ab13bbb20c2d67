# Addresses and phones of a customer (ERRATA inventory rows 7-12):
# POST /customers/{id}/addresses, PATCH and DELETE /addresses/{id},
# POST /customers/{id}/phones, PATCH and DELETE /phones/{id}; what GET
# /customers shows of them; the audit row of every change.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use AbtTest;
use AbtChild;
use JSON::PP ();

plan tests => 27;

set_writer(uniq_name('t30-writer'));

# the address / phone with that id in GET /customers?customerProfileId=
sub address_of {
    my ($cust, $id) = @_;
    my $c = get_customer($cust) or return undef;
    my ($a) = grep { ($_->{addressId} // -1) == $id } @{ $c->{person}{addresses} // [] };
    return $a;
}
sub phone_of {
    my ($cust, $id) = @_;
    my $c = get_customer($cust) or return undef;
    my ($p) = grep { ($_->{phoneId} // -1) == $id } @{ $c->{person}{phones} // [] };
    return $p;
}

# a complete flat address body, with overrides
sub addr {
    my %o = @_;
    my %a = (addressTypeId => 1, street => 'Teststraat', houseNumber => 7,
             houseNumberSuffix => 'b', postalCode => '2500AA', city => 'Den Haag',
             country => 'NL', %o);
    delete $a{$_} for grep { !defined $a{$_} } keys %a;
    return \%a;
}

my $cust  = new_customer();
my $other = new_customer();

# ============================================================ addresses

my $seed_addr_id;
subtest 'POST address: the seed example verbatim' => sub {
    my $body = '{"customerAddress":{"addressTypeId":1,"street":"Sesamstraat","houseNumber":1,'
             . '"houseNumberSuffix":"A","postalCode":"1234 AB","city":"Den Haag","country":"NL"}}';
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/addresses", $body);
    is($st, 201, 'status 201') or diag($res->as_string);
    keys_are($json, [qw(customerProfileId addressId)], 'body {customerProfileId, addressId}');
    is($json->{customerProfileId}, $cust, 'customerProfileId is the path customer');
    like($json->{addressId} // '', qr/^[1-9][0-9]*$/, 'addressId is a positive integer');
    is($res->header('X-Correlation-ID'), $cid, 'correlation id echoed');
    audit_ok($cust, 'insert', $cid, 'insert audited with sub and correlation id');
    $seed_addr_id = $json->{addressId};

    my $a = address_of($cust, $seed_addr_id // 0);
    ok($a, 'GET /customers shows the address') or return;
    is($a->{street}, 'Sesamstraat', 'street');
    is($a->{houseNumber}, 1, 'houseNumber');
    is($a->{houseNumberSuffix}, 'A', 'houseNumberSuffix');
    is($a->{postalCode}, '1234AB', 'postalCode "1234 AB" emitted as "1234AB" (#27)');
    is($a->{city}, 'Den Haag', 'city');
    is($a->{country}, 'NL', 'country');
    is_deeply($a->{addressType}, { addressTypeId => 1, name => 'Shipping' },
              'addressType {addressTypeId:1, name:Shipping} (#3, #21)');
    ok(exists $a->{isPreferred} && JSON::PP::is_bool($a->{isPreferred}) && !$a->{isPreferred},
       'isPreferred false by default (D2)');
    ok(!exists $a->{addressTypeId}, 'no flat addressTypeId in GET (D24)');
};

subtest 'POST address: flat form, isPreferred true, suffix omitted' => sub {
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/addresses",
        addr(houseNumberSuffix => undef, isPreferred => JSON::PP::true, postalCode => '0000AA'));
    is($st, 201, 'status 201') or diag($res->content);
    keys_are($json, [qw(customerProfileId addressId)], 'body {customerProfileId, addressId}');
    isnt($json->{addressId}, $seed_addr_id, 'a new id');
    audit_ok($cust, 'insert', $cid);
    my $a = address_of($cust, $json->{addressId} // 0);
    ok($a, 'shown in GET') or return;
    is($a->{postalCode}, '0000AA', '"0000AA" is a valid NL postal code (#27)');
    ok($a->{isPreferred} && JSON::PP::is_bool($a->{isPreferred}), 'isPreferred true kept (D2)');
    ok(exists $a->{houseNumberSuffix} && !defined $a->{houseNumberSuffix},
       'houseNumberSuffix null when not given (#16)');
};

subtest 'POST address: every spelling of the address type (#3) and both envelopes (#2)' => sub {
    my @cases = (
        [ 'addressTypeId 2',                 addr(addressTypeId => 2), 2 ],
        [ 'addressType 1 (integer)',         addr(addressTypeId => undef, addressType => 1), 1 ],
        [ 'addressType {addressTypeId:2}',   addr(addressTypeId => undef, addressType => { addressTypeId => 2 }), 2 ],
        [ 'addressType {addressTypeId, name}',
          addr(addressTypeId => undef, addressType => { addressTypeId => 2, name => 'Billing' }), 2 ],
        [ 'addressTypeId and addressType agreeing', addr(addressTypeId => 2, addressType => 2), 2 ],
        [ '"address" envelope on POST',      { address => addr(addressTypeId => 2) }, 2 ],
        [ '"CustomerAddress" envelope (case-insensitive)', { CustomerAddress => addr() }, 1 ],
    );
    for my $c (@cases) {
        my ($name, $body, $type) = @$c;
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/addresses", $body);
        is($st, 201, "$name: 201") or do { diag($res->content); next };
        my $a = address_of($cust, $json->{addressId} // 0);
        is($a && $a->{addressType}{addressTypeId}, $type, "$name: addressTypeId $type");
        is($a && $a->{addressType}{name}, $type == 1 ? 'Shipping' : 'Billing', "$name: name");
        audit_ok($cust, 'insert', $cid, "$name: audited");
    }
};

subtest 'POST address: conflicting or unknown address types → 400' => sub {
    my @cases = (
        [ 'addressTypeId 1 vs addressType 2', addr(addressTypeId => 1, addressType => 2) ],
        [ 'addressTypeId 1 vs addressType {addressTypeId:2}',
          addr(addressTypeId => 1, addressType => { addressTypeId => 2 }) ],
        [ 'name contradicts id', addr(addressTypeId => undef,
          addressType => { addressTypeId => 1, name => 'Billing' }) ],
        [ 'unknown addressTypeId 9', addr(addressTypeId => 9) ],
        [ 'addressTypeId a string "x"', addr(addressTypeId => 'x') ],
    );
    for my $c (@cases) {
        my ($name, $body) = @$c;
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/addresses", $body);
        problem_ok($st, $json, $res, 400, qr{^/addressType}, "$name: 400 naming /addressType…");
        no_audit_ok($cid, "$name: nothing audited");
    }
};

subtest 'POST address: each required field missing → 400 naming it (D1, #8)' => sub {
    for my $f (qw(addressTypeId street houseNumber postalCode city country)) {
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/addresses", addr($f => undef));
        problem_ok($st, $json, $res, 400, qr{^/\Q$f\E$}, "flat: $f missing → 400 /$f");
        no_audit_ok($cid, "flat: $f missing: nothing audited");
        ($st, $json, $res) = wr(POST => "/customers/$cust/addresses",
                                { customerAddress => addr($f => undef) });
        problem_ok($st, $json, $res, 400, qr{^(/customerAddress)?/\Q$f\E$},
                   "envelope: $f missing → 400 naming $f");
    }
    my ($st, $json, $res) = wr(POST => "/customers/$cust/addresses", {});
    problem_ok($st, $json, $res, 400, qr{^/street$}, 'empty body → 400');
};

subtest 'POST address: postal code and country formats (#27)' => sub {
    my @ok = (
        [ 'lower case "2511 cv"', addr(postalCode => '2511 cv'), '2511CV', 'NL' ],
        [ 'country "nl"',         addr(country => 'nl'),         '2500AA', 'NL' ],
    );
    for my $c (@ok) {
        my ($name, $body, $pc, $cc) = @$c;
        my ($st, $json, $res) = wr(POST => "/customers/$cust/addresses", $body);
        is($st, 201, "$name: 201") or do { diag($res->content); next };
        my $a = address_of($cust, $json->{addressId} // 0);
        is($a && $a->{postalCode}, $pc, "$name: postalCode $pc");
        is($a && $a->{country}, $cc, "$name: country $cc");
    }
    my @bad = (
        [ 'postalCode "1234  AB" (two spaces)', addr(postalCode => '1234  AB'), 'postalCode' ],
        [ 'postalCode "12AB"',                  addr(postalCode => '12AB'),     'postalCode' ],
        [ 'postalCode "1234ABC"',               addr(postalCode => '1234ABC'),  'postalCode' ],
        [ 'postalCode "AB1234"',                addr(postalCode => 'AB1234'),   'postalCode' ],
        [ 'country "XX"',                       addr(country => 'XX'),          'country' ],
        [ 'country "NLD"',                      addr(country => 'NLD'),         'country' ],
        [ 'country "N"',                        addr(country => 'N'),           'country' ],
    );
    for my $c (@bad) {
        my ($name, $body, $f) = @$c;
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/addresses", $body);
        problem_ok($st, $json, $res, 400, qr{^/\Q$f\E$}, "$name → 400 /$f");
        no_audit_ok($cid, "$name: nothing audited");
    }
};

subtest 'POST address: unknown customer → 404, non-numeric id → 400' => sub {
    my $missing = MISSING_ID;
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$missing/addresses", addr());
    problem_ok($st, $json, $res, 404, undef, 'unknown customer → 404 problem');
    no_audit_ok($cid);
    ($st, $json, $res) = wr(POST => '/customers/abc/addresses', addr());
    problem_ok($st, $json, $res, 400, qr{customerProfileId}, 'customers/abc → 400 naming customerProfileId');
    ($st, $json, $res) = wr(POST => '/customers/12x/addresses', addr());
    problem_ok($st, $json, $res, 400, qr{customerProfileId}, 'customers/12x → 400');
};

subtest 'PATCH /addresses/{id}' => sub {
    my ($st, $json, $res) = wr(POST => "/customers/$cust/addresses", addr(addressTypeId => 1));
    my $id = $json->{addressId} // 0;

    # the seed example
    my $cid;
    ($st, $json, $res, $cid) = wr(PATCH => "/addresses/$id", '{"address":{"addressTypeId":2}}');
    is($st, 200, 'seed example → 200') or diag($res->content);
    is_deeply($json, { customerProfileId => $cust, addressId => $id },
              'body {customerProfileId, addressId}');
    audit_ok($cust, 'update', $cid, 'update audited');
    my $a = address_of($cust, $id);
    is_deeply($a && $a->{addressType}, { addressTypeId => 2, name => 'Billing' }, 'type now Billing');
    is($a && $a->{street}, 'Teststraat', 'other fields unchanged');

    ($st, $json, $res, $cid) = wr(PATCH => "/addresses/$id",
        { customerAddress => { street => 'Nieuwe Gracht', postalCode => '3512 lc', isPreferred => JSON::PP::true } });
    is($st, 200, '"customerAddress" envelope on PATCH (#2) → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    $a = address_of($cust, $id);
    is($a && $a->{street}, 'Nieuwe Gracht', 'street changed');
    is($a && $a->{postalCode}, '3512LC', 'postal code normalised on PATCH');
    ok($a && $a->{isPreferred}, 'isPreferred set on PATCH');
    is($a && $a->{addressType}{addressTypeId}, 2, 'type unchanged');

    ($st, $json, $res) = wr(PATCH => "/addresses/$id", { addressType => { addressTypeId => 1 } });
    is($st, 200, 'flat addressType {addressTypeId:1} → 200');
    $a = address_of($cust, $id);
    is($a && $a->{addressType}{addressTypeId}, 1, 'type back to Shipping');

    ($st, $json, $res) = wr(PATCH => "/addresses/$id", { houseNumberSuffix => undef });
    is($st, 200, 'houseNumberSuffix null → 200');
    $a = address_of($cust, $id);
    ok($a && exists $a->{houseNumberSuffix} && !defined $a->{houseNumberSuffix},
       'null clears houseNumberSuffix (#16)');

    my @bad = (
        [ '{}', {}, undef ],
        [ '{"address":{}}', { address => {} }, undef ],
        [ 'conflicting type spellings', { addressTypeId => 1, addressType => 2 }, qr{^/addressType} ],
        [ 'postal code "12AB"', { postalCode => '12AB' }, qr{^/postalCode$} ],
        [ 'country "NLD"', { country => 'NLD' }, qr{^/country$} ],
        [ 'street null (required field)', { street => undef }, qr{^/street$} ],
        [ 'addressTypeId null (required field)', { addressTypeId => undef }, qr{^/addressType} ],
        [ 'unknown field', { colour => 'red' }, qr{^/colour$} ],
    );
    for my $c (@bad) {
        my ($name, $body, $ptr) = @$c;
        my ($st2, $json2, $res2, $cid2) = wr(PATCH => "/addresses/$id", $body);
        problem_ok($st2, $json2, $res2, 400, $ptr, "PATCH $name → 400");
        no_audit_ok($cid2, "PATCH $name: nothing audited");
    }

    my $missing = MISSING_ID;
    ($st, $json, $res) = wr(PATCH => "/addresses/$missing", { address => { addressTypeId => 2 } });
    problem_ok($st, $json, $res, 404, undef, 'unknown address → 404');
    ($st, $json, $res) = wr(PATCH => '/addresses/abc', { address => { addressTypeId => 2 } });
    problem_ok($st, $json, $res, 400, qr{addressId}, 'non-numeric address id → 400 naming addressId');
};

subtest 'DELETE /addresses/{id}' => sub {
    my ($st, $json, $res) = wr(POST => "/customers/$cust/addresses", addr(street => 'Weg 1'));
    my $id = $json->{addressId} // 0;
    ok(address_of($cust, $id), 'address exists before DELETE');
    my $cid;
    ($st, $json, $res, $cid) = wr(DELETE => "/addresses/$id");
    is($st, 200, 'DELETE → 200') or diag($res->content);
    like($res->header('Content-Type') // '', qr{^application/json\b}, 'application/json');
    is_deeply($json, {}, 'body {} (#33)');
    audit_ok($cust, 'delete', $cid, 'delete audited');
    ok(!address_of($cust, $id), 'gone from GET /customers');
    is(psql("SELECT count(*) FROM address WHERE address_id = $id"), 0, 'hard delete (D10)');
    ($st, $json, $res, $cid) = wr(DELETE => "/addresses/$id");
    problem_ok($st, $json, $res, 404, undef, 'same DELETE again → 404');
    no_audit_ok($cid);
    ($st, $json, $res) = wr(DELETE => '/addresses/x1');
    problem_ok($st, $json, $res, 400, qr{addressId}, 'DELETE /addresses/x1 → 400');
};

subtest 'address of one customer is not shown on another' => sub {
    my ($st, $json) = wr(POST => "/customers/$other/addresses", addr(street => 'Andere straat'));
    my $c = get_customer($cust);
    ok(!grep({ ($_->{street} // '') eq 'Andere straat' } @{ $c->{person}{addresses} // [] }),
       'not on the first customer');
    ok(address_of($other, $json->{addressId} // 0), 'on the second customer');
};

# =============================================================== phones

sub phone {
    my %o = @_;
    my %p = (number => '0612345678', countryCode => '+31', phoneTypeId => 1, %o);
    delete $p{$_} for grep { !defined $p{$_} } keys %p;
    return \%p;
}

my $seed_phone_id;
subtest 'POST phone: the seed example verbatim' => sub {
    my $body = '{"phone":{"number":"0701112233","countryCode":"0031","phoneTypeId":1,"isPreferred":true}}';
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/phones", $body);
    is($st, 201, 'status 201') or diag($res->as_string);
    keys_are($json, ['phoneId'], 'body {phoneId}');
    like($json->{phoneId} // '', qr/^[1-9][0-9]*$/, 'phoneId a positive integer');
    audit_ok($cust, 'insert', $cid, 'insert audited');
    $seed_phone_id = $json->{phoneId};
    my $p = phone_of($cust, $seed_phone_id // 0);
    ok($p, 'GET /customers shows the phone') or return;
    is($p->{countryCode}, '+31', 'countryCode "0031" emitted "+31" (#26)');
    is($p->{number}, '0701112233', 'number kept as sent, trunk 0 included (#26)');
    is_deeply($p->{phoneType}, { phoneTypeId => 1, name => 'Home' }, 'phoneType {1, Home}');
    ok($p->{isPreferred} && JSON::PP::is_bool($p->{isPreferred}), 'isPreferred true (D22)');
    ok(!exists $p->{phoneTypeId}, 'no flat phoneTypeId in GET');
};

subtest 'POST phone: country code spellings and numbers (#26)' => sub {
    my @cases = (
        [ '"+31"',          phone(countryCode => '+31'),  '+31', '0612345678' ],
        [ '"31"',           phone(countryCode => '31'),   '+31', '0612345678' ],
        [ 'number 31',      phone(countryCode => 31),     '+31', '0612345678' ],
        [ '"0031"',         phone(countryCode => '0031'), '+31', '0612345678' ],
        [ '"+32"',          phone(countryCode => '+32'),  '+32', '0612345678' ],
        [ 'number as a JSON number', phone(number => 701112233), '+31', '701112233' ],
        [ 'number without trunk 0',  phone(number => '3112345678'), '+31', '3112345678' ],
        [ 'flat, phoneType {phoneTypeId:2}',
          phone(phoneTypeId => undef, phoneType => { phoneTypeId => 2 }), '+31', '0612345678', 2 ],
        [ 'phoneType 2 (integer)', phone(phoneTypeId => undef, phoneType => 2), '+31', '0612345678', 2 ],
    );
    for my $c (@cases) {
        my ($name, $body, $cc, $num, $type) = @$c;
        $type //= 1;
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/phones", $body);
        is($st, 201, "$name: 201") or do { diag($res->content); next };
        audit_ok($cust, 'insert', $cid, "$name: audited");
        my $p = phone_of($cust, $json->{phoneId} // 0);
        is($p && $p->{countryCode}, $cc, "$name: countryCode $cc");
        is($p && $p->{number}, $num, "$name: number $num (a string)");
        ok($p && !ref($p->{number}) && JSON::PP->new->allow_nonref->encode($p->{number}) =~ /^"/,
           "$name: number emitted as a JSON string");
        is($p && $p->{phoneType}{phoneTypeId}, $type, "$name: phoneTypeId $type");
        ok($p && exists $p->{isPreferred} && !$p->{isPreferred}, "$name: isPreferred false by default");
    }
};

subtest 'POST phone: required fields and invalid values → 400' => sub {
    for my $f (qw(number countryCode phoneTypeId)) {
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/phones", phone($f => undef));
        problem_ok($st, $json, $res, 400, qr{^/\Q$f\E$}, "flat: $f missing → 400 /$f");
        no_audit_ok($cid, "$f missing: nothing audited");
        ($st, $json, $res) = wr(POST => "/customers/$cust/phones", { phone => phone($f => undef) });
        problem_ok($st, $json, $res, 400, qr{^(/phone)?/\Q$f\E$}, "envelope: $f missing → 400");
    }
    my @bad = (
        [ 'phoneTypeId 9',            phone(phoneTypeId => 9),  qr{^/phoneType} ],
        [ 'phoneType name contradicts', phone(phoneTypeId => undef, phoneType => { phoneTypeId => 1, name => 'Work' }), qr{^/phoneType} ],
        [ 'phoneTypeId vs phoneType conflict', phone(phoneTypeId => 1, phoneType => 2), qr{^/phoneType} ],
        [ 'number with letters',      phone(number => '06-ABC'), qr{^/number$} ],
        [ 'countryCode "abc"',        phone(countryCode => 'abc'), qr{^/countryCode$} ],
        [ 'isPreferred "yes"',        phone(isPreferred => 'yes'), qr{^/isPreferred$} ],
    );
    for my $c (@bad) {
        my ($name, $body, $ptr) = @$c;
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/phones", $body);
        problem_ok($st, $json, $res, 400, $ptr, "$name → 400");
        no_audit_ok($cid, "$name: nothing audited");
    }
    my $missing = MISSING_ID;
    my ($st, $json, $res) = wr(POST => "/customers/$missing/phones", phone());
    problem_ok($st, $json, $res, 404, undef, 'unknown customer → 404');
    ($st, $json, $res) = wr(POST => '/customers/one/phones', phone());
    problem_ok($st, $json, $res, 400, qr{customerProfileId}, 'non-numeric customer id → 400');
};

subtest 'PATCH /phones/{id}' => sub {
    my ($st, $json, $res) = wr(POST => "/customers/$cust/phones", phone(number => '0101234567'));
    my $id = $json->{phoneId} // 0;
    my $cid;
    ($st, $json, $res, $cid) = wr(PATCH => "/phones/$id", '{"phone":{"phoneTypeId":2}}');
    is($st, 200, 'seed example → 200') or diag($res->content);
    is_deeply($json, { phoneId => $id }, 'body {phoneId}');
    audit_ok($cust, 'update', $cid, 'update audited');
    my $p = phone_of($cust, $id);
    is_deeply($p && $p->{phoneType}, { phoneTypeId => 2, name => 'Work' }, 'phoneType now Work');
    is($p && $p->{number}, '0101234567', 'number unchanged');

    ($st, $json, $res, $cid) = wr(PATCH => "/phones/$id",
        { number => '0209876543', countryCode => '0032', isPreferred => JSON::PP::true });
    is($st, 200, 'flat PATCH → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    $p = phone_of($cust, $id);
    is($p && $p->{number}, '0209876543', 'number changed');
    is($p && $p->{countryCode}, '+32', 'countryCode normalised on PATCH');
    ok($p && $p->{isPreferred}, 'isPreferred changed');

    for my $c ([ '{}', {} ], [ '{"phone":{}}', { phone => {} } ],
               [ 'phoneTypeId 7', { phoneTypeId => 7 } ], [ 'unknown field', { extension => '12' } ],
               [ 'number null', { number => undef } ], [ 'countryCode null', { countryCode => undef } ]) {
        my ($st2, $json2, $res2, $cid2) = wr(PATCH => "/phones/$id", $c->[1]);
        problem_ok($st2, $json2, $res2, 400, undef, "PATCH $c->[0] → 400");
        no_audit_ok($cid2);
    }
    my $missing = MISSING_ID;
    ($st, $json, $res) = wr(PATCH => "/phones/$missing", { phone => { phoneTypeId => 2 } });
    problem_ok($st, $json, $res, 404, undef, 'unknown phone → 404');
    ($st, $json, $res) = wr(PATCH => '/phones/-1', { phone => { phoneTypeId => 2 } });
    problem_ok($st, $json, $res, 400, qr{phoneId}, 'phones/-1 → 400 naming phoneId');
};

subtest 'DELETE /phones/{id}' => sub {
    my ($st, $json, $res) = wr(POST => "/customers/$cust/phones", phone(number => '0301112222'));
    my $id = $json->{phoneId} // 0;
    ok(phone_of($cust, $id), 'phone exists before DELETE');
    my $cid;
    ($st, $json, $res, $cid) = wr(DELETE => "/phones/$id");
    is($st, 200, 'DELETE → 200') or diag($res->content);
    like($res->header('Content-Type') // '', qr{^application/json\b}, 'application/json');
    is_deeply($json, {}, 'body {}');
    audit_ok($cust, 'delete', $cid, 'delete audited');
    ok(!phone_of($cust, $id), 'gone from GET /customers');
    ($st, $json, $res, $cid) = wr(DELETE => "/phones/$id");
    problem_ok($st, $json, $res, 404, undef, 'same DELETE again → 404');
    no_audit_ok($cid);
};

# ============================================== GET /customers and audits

subtest 'GET /customers shows every address and phone created here' => sub {
    my @a_db = map { $_->[0] } psql_rows("SELECT address_id FROM address WHERE customer_profile_id = $cust ORDER BY 1");
    my @p_db = map { $_->[0] } psql_rows("SELECT phone_id FROM phone WHERE customer_profile_id = $cust ORDER BY 1");
    my $c = get_customer($cust);
    ok($c, 'customer found') or return;
    ok(@a_db >= 10, 'many addresses were created (' . scalar(@a_db) . ')');
    is_deeply(ids($c->{person}{addresses}, 'addressId'), \@a_db, 'addresses: all of them, by id');
    is_deeply(ids($c->{person}{phones}, 'phoneId'), \@p_db, 'phones: all of them, by id');
    for my $a (@{ $c->{person}{addresses} }) {
        keys_are($a, [qw(addressId street houseNumber houseNumberSuffix postalCode city country
                         isPreferred addressType)], "address " . ($a->{addressId} // "?") . ": members");
    }
    for my $p (@{ $c->{person}{phones} }) {
        keys_are($p, [qw(phoneId number countryCode phoneType isPreferred)], "phone " . ($p->{phoneId} // "?") . ": members");
    }
};

subtest 'GET /customers: address and phone filters find the customer' => sub {
    my $street = uniq_name('Straat');
    my $city   = uniq_name('Stad');
    my ($st, $json) = wr(POST => "/customers/$cust/addresses",
        addr(street => $street, city => $city, houseNumber => 42, houseNumberSuffix => 'Z', postalCode => '9999 zz'));
    is($st, 201, 'address for the filters');
    my $num = '06' . uniq_digits(8);
    ($st) = wr(POST => "/customers/$cust/phones", phone(number => $num, countryCode => '0044'));
    is($st, 201, 'phone for the filters');
    ($st) = wr(POST => "/customers/$other/addresses", addr(street => $street, city => 'Elders'));
    is($st, 201, 'control: same street, other city, other customer');
    my @q = (
        [ addressStreet => lc $street, addressCity => uc $city ],
        [ addressStreet => $street, addressHouseNumber => 42, addressHouseNumberSuffix => 'z' ],
        [ addressStreet => $street, addressPostalCode => '9999ZZ' ],
        [ addressStreet => $street, addressPostalCode => '9999 zz' ],
        [ addressStreet => $street, addressCountry => 'NL', addressCity => $city ],
        [ phoneNumber => $num ],
        [ phoneNumber => $num, phoneCountryCode => '+44' ],
    );
    for my $q (@q) {
        my ($st2, $j2) = search('/customers', @$q);
        is($st2, 200, 'GET /customers?' . qs(@$q) . ': 200');
        is_deeply(ids($j2 && $j2->{customers}, 'customerProfileId'), [$cust], '... finds exactly the customer');
    }
    my ($st3, $j3) = search('/customers', addressStreet => $street);
    is_deeply([ sort { $a <=> $b } @{ ids($j3 && $j3->{customers}, 'customerProfileId') } ],
              [ sort { $a <=> $b } $cust, $other ], 'street alone: both customers');
    ($st3, $j3) = search('/customers', phoneNumber => $num, phoneCountryCode => '+31');
    is_deeply(ids($j3 && $j3->{customers}, 'customerProfileId'), [], 'wrong country code: none');
};

subtest 'GET /customers shows the audit rows of these changes' => sub {
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/phones", phone(number => '0401234567'));
    my $c = get_customer($cust);
    my @mine = grep { ($_->{correlationId} // '') eq $cid } @{ $c->{auditTrails} // [] };
    is(scalar @mine, 1, 'one auditTrails item carries the correlation id');
    my $t = $mine[0] // {};
    is($t->{action}, 'insert', 'action insert');
    is($t->{user}, writer(), 'user = token sub');
    is($t->{customerProfileId}, $cust, 'customerProfileId');
    like($t->{timestamp} // '', qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/,
         'timestamp YYYY-MM-DDTHH:mm:ss.SSS+hh:mm (#23)');
    my @mixed = grep { ($_->{customerProfileId} // 0) != $cust } @{ $c->{auditTrails} // [] };
    is(scalar @mixed, 0, 'only rows of this customer');
};

subtest 'correlation id: generated when absent, 400 when not a UUID (D21)' => sub {
    my ($st, $json, $res) = api_post("/customers/$cust/phones", phone(),
        Authorization => 'Bearer ' . token(sub => writer()));
    is($st, 201, 'no X-Correlation-ID: 201');
    my $gen = $res->header('X-Correlation-ID') // '';
    like($gen, qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i,
         'a UUID v4 is generated and echoed');
    audit_ok($cust, 'insert', lc $gen, 'the generated id is the audit correlation id');
    my $n = psql("SELECT count(*) FROM phone WHERE customer_profile_id = $cust");
    ($st, $json, $res) = wr(POST => "/customers/$cust/phones", phone(), 'X-Correlation-ID' => 'not-a-uuid');
    problem_ok($st, $json, $res, 400, undef, 'X-Correlation-ID not a UUID → 400');
    is(psql("SELECT count(*) FROM phone WHERE customer_profile_id = $cust"), $n, 'nothing created');
};

subtest 'read-only token cannot write addresses or phones' => sub {
    my $ro = 'Bearer ' . token(scope => 'customers:read');
    my ($st) = api_post("/customers/$cust/addresses", addr(), Authorization => $ro);
    is($st, 403, 'POST address with read scope → 403');
    ($st) = api_delete("/phones/1", undef, Authorization => $ro);
    is($st, 403, 'DELETE phone with read scope → 403');
};

subtest 'envelope next to other keys, or body not an object → 400 (#1)' => sub {
    my ($st, $json, $res) = wr(POST => "/customers/$cust/addresses",
                               { customerAddress => addr(), street => 'x' });
    problem_ok($st, $json, $res, 400, undef, 'envelope beside another key → 400');
    ($st, $json, $res) = wr(POST => "/customers/$cust/phones", '[1,2]');
    problem_ok($st, $json, $res, 400, undef, 'array body → 400');
    ($st, $json, $res) = wr(POST => "/customers/$cust/phones", '{"phone":');
    problem_ok($st, $json, $res, 400, undef, 'truncated JSON → 400');
};

subtest 'data of other customers is untouched by DELETE' => sub {
    my ($st, $j1) = wr(POST => "/customers/$other/phones", phone(number => '0551234567'));
    my ($st2, $j2) = wr(POST => "/customers/$cust/phones", phone(number => '0551234567'));
    my ($st3) = wr(DELETE => "/phones/" . ($j2->{phoneId} // 0));
    is($st3, 200, 'delete the first customer\'s phone');
    ok(phone_of($other, $j1->{phoneId} // 0), 'the other customer\'s identical phone remains');
};

subtest 'PATCH phone isPreferred false; deleting an address leaves phones alone' => sub {
    my ($st) = wr(DELETE => "/addresses/$seed_addr_id");
    is($st, 200, 'delete seed address');
    ok(phone_of($cust, $seed_phone_id), 'seed phone still there');
    ($st) = wr(PATCH => "/phones/$seed_phone_id", { phone => { isPreferred => JSON::PP::false } });
    is($st, 200, 'PATCH phone isPreferred false');
    my $p = phone_of($cust, $seed_phone_id);
    ok($p && exists $p->{isPreferred} && !$p->{isPreferred}, 'isPreferred now false');
};

subtest 'address with a non-NL country (docs/decisions.md)' => sub {
    my ($st, $json, $res) = wr(POST => "/customers/$cust/addresses",
        addr(country => 'BE', postalCode => '1000'));
    is($st, 201, 'BE address with postal code "1000" → 201') or diag($res->content);
    my $a = address_of($cust, $json->{addressId} // 0);
    is($a && $a->{country}, 'BE', 'country BE');
    is($a && $a->{postalCode}, '1000', 'postal code kept');
};

subtest 'PATCH address: postal code rule follows the country of the body' => sub {
    my ($st, $json) = wr(POST => "/customers/$cust/addresses", addr());
    my $id = $json->{addressId} // 0;
    my ($st2, $j2, $res2, $cid) = wr(PATCH => "/addresses/$id", { postalCode => '1000' });
    problem_ok($st2, $j2, $res2, 400, qr{^/postalCode$}, 'postalCode "1000" without country → NL rule → 400');
    no_audit_ok($cid);
    ($st2, $j2, $res2, $cid) = wr(PATCH => "/addresses/$id", { address => { country => 'be', postalCode => '1000' } });
    is($st2, 200, 'country "be" with postalCode "1000" → 200') or diag($res2->content);
    audit_ok($cust, 'update', $cid);
    my $a = address_of($cust, $id);
    is($a && $a->{country}, 'BE', 'country BE');
    is($a && $a->{postalCode}, '1000', 'postal code 1000');
};

subtest 'PATCH address: country NL on an address with a foreign postal code → 400 (#27)' => sub {
    my ($st, $json) = wr(POST => "/customers/$cust/addresses", addr(country => 'BE', postalCode => '1000', city => 'Brussel'));
    my $id = $json->{addressId} // 0;
    my ($st2, $j2, $res2) = wr(PATCH => "/addresses/$id", { country => 'NL' });
    problem_ok($st2, $j2, $res2, 400, qr{^/(country|postalCode)$},
               'country NL while the stored postal code "1000" is not NL-shaped → 400');
    my $a = address_of($cust, $id);
    ok($a && !($a->{country} eq 'NL' && $a->{postalCode} !~ /^[0-9]{4}[A-Z]{2}$/),
       'no NL address with an invalid postal code is stored')
        or diag(explain($a));
};

# every change above, checked once more in the database in one query
audits_in_db_ok();
