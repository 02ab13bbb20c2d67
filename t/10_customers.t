# The customer operations, ERRATA inventory rows 1-6, against the real
# httpd + mod_abtcustomers + mod_auth_openidc + PostgreSQL:
#   1 GET   /customers                                   (search, 33 filters)
#   2 POST  /customers                                   (seed examples)
#   3 PATCH /customers/{customerProfileId}
#   4 POST  /customers/{customerProfileId}/customerStatusInstances
#   5 POST  /customers/{customerProfileId}/customerPreferences
#   6 PATCH /customerPreferences/{customerPreferenceId}
# Every value a test searches for carries the run's random tag, because the
# database is shared by all test files of a run (and by repeated runs).
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use AbtTest;
use AbtCheck;
use URI::Escape qw(uri_escape);

plan tests => 17;

my $TAG = run_tag();
my $SUB = "tester-$TAG";
my %AS_TESTER = (Authorization => 'Bearer ' . token(sub => $SUB));

# ---------------------------------------------------------------- helpers

sub in_list { my ($x, @l) = @_; return scalar grep { $_ == $x } @l }

# found_ok($query, \@want_in, \@want_out, $name): every page of
# GET /customers?$query together holds all of @want_in and none of @want_out.
sub found_ok {
    my ($query, $in, $out, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @ids = eval { search_ids("/customers?$query" . ($query =~ /(^|&)limit=/ ? '' : '&limit=100')) };
    if ($@) {
        fail($name);
        diag("GET /customers?$query failed: $@");
        return;
    }
    my @missing = grep { !in_list($_, @ids) } @$in;
    my @extra = grep { in_list($_, @ids) } @$out;
    ok(!@missing && !@extra, $name)
        or diag("GET /customers?$query: missing [@missing], unexpected [@extra]; got "
                . scalar(@ids) . " ids");
}

# exactly_ok($query, \@ids, $name): the search finds exactly these ids.
sub exactly_ok {
    my ($query, $want, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @ids = eval { search_ids("/customers?$query&limit=100") };
    if ($@) {
        fail($name);
        diag("GET /customers?$query failed: $@");
        return;
    }
    is_deeply([sort { $a <=> $b } @ids], [sort { $a <=> $b } @$want], $name)
        or diag("GET /customers?$query");
}

sub audit_rows {
    my ($id) = @_;
    return psql_rows("SELECT action, \"user\", correlation_id FROM audit_trail"
                     . " WHERE customer_profile_id = $id ORDER BY audit_trail_id");
}

sub amsterdam_ms {
    my ($table, $col, $where) = @_;
    return psql("SELECT to_char($col AT TIME ZONE 'Europe/Amsterdam',"
              . " 'YYYY-MM-DD HH24:MI:SS.MS') FROM $table WHERE $where");
}

my $DT_LOCAL_MS = qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/;
my $DT_OFFSET_MS = qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$/;

# ------------------------------------------------------- the seed examples

# POST /customers request examples, copied verbatim from the seed
# (abtcustomers-2.0.yaml, paths./customers.post.requestBody examples) and
# sent as this exact JSON text.
my %SEED_BODY = (
    minimumProfile => '{}',
    basicCustomerProfile => <<'JSON',
{
  "debtorStatusId": 2,
  "person": {
    "birthname": "Jan",
    "surname": "Jansen",
    "emailAddress": "j.jansen@hatseflats.nl"
  }
}
JSON
    fullCustomerProfile => <<'JSON',
{
  "customerPreference": {
    "languageId": 1
  },
  "debtorStatusId": 2,
  "person": {
    "birthname": "Jan",
    "surname": "Jansen",
    "prefix": "de",
    "suffix": "jr",
    "dateOfBirth": "1970-01-01",
    "emailAddress": "j.jansen@hatseflats.nl"
  },
  "addresses": [
    {
      "street": "Laan van Meerdervoort",
      "houseNumber": 5,
      "houseNumberSuffix": "B",
      "postalCode": "2500AA",
      "city": "Den Haag",
      "country": "NL",
      "addressTypeId": 1
    },
    {
      "street": "Beeklaan",
      "houseNumber": 30,
      "houseNumberSuffix": "B",
      "postalCode": "2500AA",
      "city": "Den Haag",
      "country": "NL",
      "addressTypeId": 2
    }
  ],
  "phones": [
    {
      "number": "6123456789",
      "countryCode": "+31",
      "phoneTypeId": 1,
      "isPreferred": true
    },
    {
      "number": "7012345678",
      "countryCode": "+31",
      "phoneTypeId": 2,
      "isPreferred": false
    }
  ]
}
JSON
);

# The member names and JSON types of one customer in the seed's GET
# examples (getCustomersMultiple), plus the documented additions: lastLogin
# (D14), customerPreferenceId (D18), customerStatusInstanceId (D26) and
# address isPreferred (D2).
my %ITEM_SHAPE = (
    customerProfileId => 'int', customerNumber => 'int', debtorNumber => 'string',
    debtorStatus => 'object', vasCustomerNumber => 'string|null',
    lastLogin => 'string|null', customerPreference => 'object|null',
    customerStatusInstances => 'array', person => 'object',
    ovChipcards => 'array', ovPayTokens => 'array', auditTrails => 'array',
    _links => 'object',
);
my %PERSON_SHAPE = (
    birthname => 'string|null', surname => 'string|null', prefix => 'string|null',
    suffix => 'string|null', dateOfBirth => 'string|null',
    emailAddresses => 'string|null', addresses => 'array', phones => 'array',
);
my %ADDRESS_SHAPE = (
    addressId => 'int', street => 'string', houseNumber => 'int',
    houseNumberSuffix => 'string|null', postalCode => 'string', city => 'string',
    country => 'string', isPreferred => 'bool', addressType => 'object',
);
my %PHONE_SHAPE = (
    phoneId => 'int', number => 'string', countryCode => 'string',
    phoneType => 'object', isPreferred => 'bool',
);
my %STATUS_INSTANCE_SHAPE = (
    customerStatusInstanceId => 'int', customerStatus => 'object',
    fromInclusive => 'string', toInclusive => 'string|null',
);
my %AUDIT_SHAPE = (
    auditTrailId => 'int', customerProfileId => 'int', action => 'string',
    user => 'string', timestamp => 'string', correlationId => 'string',
);
my %LINK_SHAPE = (href => 'string', method => 'string');

my %created;    # example name -> { id, number, debtor, correlation }

subtest 'POST /customers with the three seed examples verbatim: 201' => sub {
    for my $name (qw(minimumProfile basicCustomerProfile fullCustomerProfile)) {
        my $cid = uuid_v4();
        my ($st, undef, $res) = api_post('/customers', $SEED_BODY{$name},
                                         %AS_TESTER, 'X-Correlation-ID' => $cid);
        is($st, 201, "$name: 201") or diag($res->as_string);
        like($res->header('Content-Type') // '', qr{^application/json\b}, "$name: application/json");
        my ($json, $t) = typed($res);
        shape_is($t, '', { customerProfileId => 'int', customerNumber => 'int',
                           debtorNumber => 'string' }, "$name: {customerProfileId, customerNumber, debtorNumber}");
        next unless ref $json eq 'HASH' && $json->{customerProfileId};
        cmp_ok($json->{customerNumber}, '>=', 1000001, "$name: customerNumber >= 1000001 (D16)");
        like($json->{debtorNumber}, qr/^DB\d{6}$/, "$name: debtorNumber DB + six digits");
        cmp_ok($json->{debtorNumber} =~ /(\d+)/ ? $1 : 0, '>=', 100001, "$name: debtorNumber from DB100001");
        is(psql("SELECT customer_number || ' ' || debtor_number FROM customer_profile"
                . " WHERE customer_profile_id = $json->{customerProfileId}"),
           "$json->{customerNumber} $json->{debtorNumber}", "$name: the numbers are the stored ones");
        $created{$name} = { id => $json->{customerProfileId}, number => $json->{customerNumber},
                            debtor => $json->{debtorNumber}, correlation => $cid };
    }
    my @nums = map { $created{$_}{number} } grep { $created{$_} } qw(minimumProfile basicCustomerProfile fullCustomerProfile);
    my %seen;
    ok(@nums == 3 && $nums[0] < $nums[1] && $nums[1] < $nums[2], 'customerNumbers ascend')
        or diag("@nums");
    my @debtors = map { $created{$_}{debtor} } grep { $created{$_} } keys %created;
    ok(!grep({ $seen{$_}++ } @debtors), 'debtorNumbers are distinct');
};

# The common part of every created example's GET document.
sub check_seed_document {
    my ($name, $person_want, $debtor_want, $pref_expected) = @_;
    my $c = $created{$name} or return fail("$name was not created");
    my ($item, $t, $res, $st) = get_customer_typed($c->{id});
    is($st, 200, 'GET /customers?customerProfileId=<id>: 200') or diag($res->as_string);
    shape_is($t, '', { customers => 'array', _links => 'object' }, 'page {customers, _links}');
    my ($page) = typed($res);
    is(ref $page eq 'HASH' ? scalar @{ $page->{customers} || [] } : -1, 1, 'exactly one customer');
    shape_is($t, '/_links', { self => 'object' }, 'page _links has self only');
    shape_is($t, '/_links/self', \%LINK_SHAPE, 'page self {href, method}');
    return unless $item;
    my $p = '/customers/0';
    shape_is($t, $p, \%ITEM_SHAPE, 'customer members and types');
    is($item->{customerProfileId}, $c->{id}, 'customerProfileId');
    is($item->{customerNumber}, $c->{number}, 'customerNumber as POST answered');
    is($item->{debtorNumber}, $c->{debtor}, 'debtorNumber as POST answered');
    shape_is($t, "$p/debtorStatus", { debtorStatusId => 'int', name => 'string' }, 'debtorStatus {debtorStatusId, name}');
    is_deeply($item->{debtorStatus}, $debtor_want, 'debtorStatus value (D3)');
    is($item->{vasCustomerNumber}, undef, 'vasCustomerNumber null (D16)');
    is($item->{lastLogin}, undef, 'lastLogin null');

    if ($pref_expected) {
        shape_is($t, "$p/customerPreference", { customerPreferenceId => 'int', language => 'object' },
                 'customerPreference {customerPreferenceId, language}');
        shape_is($t, "$p/customerPreference/language",
                 { languageId => 'int', name => 'string', ietfCode => 'string', iso639Code => 'string' },
                 'language members');
        is_deeply($item->{customerPreference}{language},
                  { languageId => 1, name => 'Dutch', ietfCode => 'nl-NL', iso639Code => 'nl' },
                  'language Dutch');
        is($item->{customerPreference}{customerPreferenceId},
           psql("SELECT customer_preference_id FROM customer_preference WHERE customer_profile_id = $c->{id}"),
           'customerPreferenceId is the stored one');
    }
    else {
        is($t->{"$p/customerPreference"}, 'null', 'no preference: customerPreference null');
    }

    is(scalar @{ $item->{customerStatusInstances} }, 1, 'one status instance');
    shape_is($t, "$p/customerStatusInstances/0", \%STATUS_INSTANCE_SHAPE, 'status instance members');
    shape_is($t, "$p/customerStatusInstances/0/customerStatus", { name => 'string', customerStatusId => 'int' },
             'customerStatus {name, customerStatusId}');
    my $si = $item->{customerStatusInstances}[0] || {};
    is_deeply($si->{customerStatus}, { name => 'Active', customerStatusId => 2 }, 'status Active (2) (D16)');
    like($si->{fromInclusive} // '', $DT_LOCAL_MS, 'fromInclusive YYYY-MM-DD HH:mm:ss.SSS');
    is($si->{fromInclusive},
       amsterdam_ms('customer_status_instance', 'from_inclusive', "customer_profile_id = $c->{id}"),
       'fromInclusive is the stored instant in Amsterdam time');
    is($si->{toInclusive}, undef, 'toInclusive null');
    is($si->{customerStatusInstanceId},
       psql("SELECT customer_status_instance_id FROM customer_status_instance WHERE customer_profile_id = $c->{id}"),
       'customerStatusInstanceId is the stored one (D26)');
    ok(psql("SELECT abs(extract(epoch FROM si.from_inclusive - c.created)) < 5"
            . " FROM customer_status_instance si JOIN customer_profile c USING (customer_profile_id)"
            . " WHERE c.customer_profile_id = $c->{id}") eq 't',
       'the instance starts when the profile was created');

    shape_is($t, "$p/person", \%PERSON_SHAPE, 'person members');
    for my $k (sort keys %$person_want) {
        is($item->{person}{$k}, $person_want->{$k}, "person.$k");
    }
    is_deeply($item->{ovChipcards}, [], 'ovChipcards []');
    is_deeply($item->{ovPayTokens}, [], 'ovPayTokens []');

    is(scalar @{ $item->{auditTrails} }, 1, 'one audit trail');
    shape_is($t, "$p/auditTrails/0", \%AUDIT_SHAPE, 'audit trail members');
    my $au = $item->{auditTrails}[0] || {};
    is($au->{action}, 'insert', 'audit action insert');
    is($au->{user}, $SUB, "audit user is the token's sub");
    is($au->{customerProfileId}, $c->{id}, 'audit customerProfileId');
    is($au->{correlationId}, $c->{correlation}, 'audit correlationId is the X-Correlation-ID sent');
    like($au->{timestamp} // '', qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0[12]:00$/,
         'audit timestamp YYYY-MM-DDTHH:mm:ss.SSS+hh:mm (Amsterdam)');

    shape_is($t, "$p/_links", { self => 'object' }, 'item _links {self}');
    shape_is($t, "$p/_links/self", \%LINK_SHAPE, 'item self {href, method}');
    like($item->{_links}{self}{href} // '', qr{^https?://[^?]+/customers\?customerProfileId=$c->{id}$},
         'item self href ends /customers?customerProfileId=<id>');
    is($item->{_links}{self}{method}, 'GET', 'item self method GET');
    return $item;
}

subtest 'GET after minimumProfile: seed shape, D16 defaults' => sub {
    check_seed_document('minimumProfile',
        { birthname => undef, surname => undef, prefix => undef, suffix => undef,
          dateOfBirth => undef, emailAddresses => undef },
        { debtorStatusId => 1, name => 'Inactive' }, 0);
    my $item = get_customer($created{minimumProfile}{id} // 0) || {};
    is_deeply($item->{person}{addresses}, [], 'no addresses');
    is_deeply($item->{person}{phones}, [], 'no phones');
};

subtest 'GET after basicCustomerProfile: seed shape' => sub {
    check_seed_document('basicCustomerProfile',
        { birthname => 'Jan', surname => 'Jansen', prefix => undef, suffix => undef,
          dateOfBirth => undef, emailAddresses => 'j.jansen@hatseflats.nl' },
        { debtorStatusId => 2, name => 'Active' }, 0);
};

subtest 'GET after fullCustomerProfile: seed shape with addresses, phones, preference' => sub {
    my $item = check_seed_document('fullCustomerProfile',
        { birthname => 'Jan', surname => 'Jansen', prefix => 'de', suffix => 'jr',
          dateOfBirth => '1970-01-01', emailAddresses => 'j.jansen@hatseflats.nl' },
        { debtorStatusId => 2, name => 'Active' }, 1) or return;
    my (undef, $t) = get_customer_typed($created{fullCustomerProfile}{id});
    my $p = '/customers/0/person';
    my @a = @{ $item->{person}{addresses} };
    is(scalar @a, 2, 'two addresses');
    for my $i (0, 1) {
        shape_is($t, "$p/addresses/$i", \%ADDRESS_SHAPE, "address $i members");
        shape_is($t, "$p/addresses/$i/addressType", { addressTypeId => 'int', name => 'string' },
                 "address $i addressType {addressTypeId, name}");
    }
    my @strip = map { my %x = %$_; delete $x{addressId}; $x{isPreferred} = $x{isPreferred} ? 1 : 0; \%x } @a;
    is_deeply(\@strip, [
        { street => 'Laan van Meerdervoort', houseNumber => 5, houseNumberSuffix => 'B',
          postalCode => '2500AA', city => 'Den Haag', country => 'NL', isPreferred => 0,
          addressType => { addressTypeId => 1, name => 'Shipping' } },
        { street => 'Beeklaan', houseNumber => 30, houseNumberSuffix => 'B',
          postalCode => '2500AA', city => 'Den Haag', country => 'NL', isPreferred => 0,
          addressType => { addressTypeId => 2, name => 'Billing' } },
    ], 'addresses as posted, in order, isPreferred false by default (D2)');
    ok($a[0]{addressId} < $a[1]{addressId}, 'addresses ordered by id') if @a == 2;

    my @ph = @{ $item->{person}{phones} };
    is(scalar @ph, 2, 'two phones');
    for my $i (0, 1) {
        shape_is($t, "$p/phones/$i", \%PHONE_SHAPE, "phone $i members");
        shape_is($t, "$p/phones/$i/phoneType", { phoneTypeId => 'int', name => 'string' },
                 "phone $i phoneType {phoneTypeId, name}");
    }
    my @pstrip = map { my %x = %$_; delete $x{phoneId}; $x{isPreferred} = $x{isPreferred} ? 1 : 0; \%x } @ph;
    is_deeply(\@pstrip, [
        { number => '6123456789', countryCode => '+31', isPreferred => 1,
          phoneType => { phoneTypeId => 1, name => 'Home' } },
        { number => '7012345678', countryCode => '+31', isPreferred => 0,
          phoneType => { phoneTypeId => 2, name => 'Work' } },
    ], 'phones as posted');
};

subtest 'done-check: POST fullCustomerProfile, GET /customers?surname=Jansen finds it' => sub {
    my $id = $created{fullCustomerProfile}{id} or return fail('no fullCustomerProfile customer');
    found_ok('surname=Jansen', [$id], [], 'surname=Jansen finds the seed customer');
    found_ok('surname=jansen', [$id], [], 'surname=jansen (case-insensitive) finds it');

    my $surname = "Jansen-$TAG";
    (my $body = $SEED_BODY{fullCustomerProfile}) =~ s/"surname": "Jansen"/"surname": "$surname"/;
    my $uid = create_customer($body);
    exactly_ok('surname=' . uri_escape($surname), [$uid], "surname=$surname finds exactly the new customer");
    exactly_ok('surname=' . uri_escape(uc $surname), [$uid], 'and in upper case');
    my @jansen = search_ids('/customers?surname=Jansen&limit=100');
    ok(!in_list($uid, @jansen), 'surname=Jansen is an exact match: Jansen-<tag> not found');
};

# ------------------------------------------------------------ D16, #6, #9, #10

my %ADDR = (street => "Straat $TAG", houseNumber => 12, postalCode => '1234AB',
            city => 'Utrecht', country => 'NL', addressTypeId => 1);
my %PHONE = (number => '0612345678', countryCode => '+31', phoneTypeId => 2);

subtest 'POST /customers: defaults, addresses/phones inside person (#6), person.address (#10), email spellings (#9)' => sub {
    my $min = $created{minimumProfile}{id} // create_customer({});
    my $it = get_customer($min);
    is_deeply($it->{debtorStatus}, { debtorStatusId => 1, name => 'Inactive' },
              'minimumProfile: debtorStatus Inactive (1)');
    my @open = grep { !defined $_->{toInclusive} } @{ $it->{customerStatusInstances} };
    is(scalar @open, 1, 'one open status instance');
    is($open[0]{customerStatus}{customerStatusId}, 2, 'open status Active (2)');
    is(psql("SELECT count(*) FROM customer_status_instance WHERE customer_profile_id = $min AND to_inclusive IS NULL"),
       1, 'one open instance in the database');

    # #6: inside person
    my $sn = "Nested-$TAG";
    my ($st, $j, $res) = api_post('/customers', { person => { surname => $sn,
        addresses => [ { %ADDR, houseNumberSuffix => 'A' } ], phones => [ {%PHONE} ] } });
    is($st, 201, 'addresses and phones inside person: 201') or diag($res->content);
    if ($st == 201) {
        my $c = get_customer($j->{customerProfileId});
        is(scalar @{ $c->{person}{addresses} }, 1, 'the address is stored');
        is($c->{person}{addresses}[0]{street}, $ADDR{street}, 'its street');
        is($c->{person}{addresses}[0]{houseNumberSuffix}, 'A', 'its suffix');
        is(scalar @{ $c->{person}{phones} }, 1, 'the phone is stored');
        is($c->{person}{phones}[0]{number}, '0612345678', 'its number, trunk 0 kept (#26)');
        is_deeply($c->{person}{phones}[0]{phoneType}, { phoneTypeId => 2, name => 'Work' }, 'its type');
        ok(!$c->{person}{phones}[0]{isPreferred}, 'isPreferred defaults to false (D22)');
    }

    # #6: both positions, top level first
    ($st, $j, $res) = api_post('/customers', {
        addresses => [ { %ADDR, city => "Top-$TAG" } ],
        person => { surname => $sn, addresses => [ { %ADDR, city => "Inner-$TAG" } ] },
        phones => [ { %PHONE, number => '0101111111' } ],
    });
    is($st, 201, 'addresses at the top level and inside person: 201') or diag($res->content);
    if ($st == 201) {
        my $c = get_customer($j->{customerProfileId});
        is_deeply([ map { $_->{city} } @{ $c->{person}{addresses} } ], [ "Top-$TAG", "Inner-$TAG" ],
                  'both kept, top level first');
        is(scalar @{ $c->{person}{phones} }, 1, 'top-level phone stored');
    }

    # #10: person.address is an input alias; GET says addresses
    ($st, $j, $res) = api_post('/customers', { person => { surname => $sn,
        address => [ { %ADDR, city => "Alias-$TAG", isPreferred => JSON::PP::true } ] } });
    is($st, 201, 'person.address (alias): 201') or diag($res->content);
    if ($st == 201) {
        my ($c, $t) = get_customer_typed($j->{customerProfileId});
        is($c->{person}{addresses}[0]{city}, "Alias-$TAG", 'emitted under addresses');
        ok(!exists $c->{person}{address}, 'no person.address member in GET');
        is($t->{'/customers/0/person/addresses/0/isPreferred'}, 'bool', 'isPreferred is a boolean (D2)');
        ok($c->{person}{addresses}[0]{isPreferred}, 'isPreferred true kept (D2)');
    }

    # #9: one e-mail, either spelling
    ($st, $j, $res) = api_post('/customers', { person => { surname => $sn, emailAddresses => "plural.$TAG\@example.org" } });
    is($st, 201, 'person.emailAddresses accepted') or diag($res->content);
    is(get_customer($j->{customerProfileId})->{person}{emailAddresses}, "plural.$TAG\@example.org",
       'emitted as emailAddresses (a string)') if $st == 201;
    ($st, $j, $res) = api_post('/customers', { person => { surname => $sn,
        emailAddress => "same.$TAG\@example.org", emailAddresses => "same.$TAG\@example.org" } });
    is($st, 201, 'both spellings with the same value: 201') or diag($res->content);
    my $before = psql('SELECT count(*) FROM customer_profile');
    my @r = api_post('/customers', { person => { surname => $sn,
        emailAddress => "one.$TAG\@example.org", emailAddresses => "two.$TAG\@example.org" } });
    problem_ok(@r, 400, 'both spellings with different values: 400 problem');
    is(psql('SELECT count(*) FROM customer_profile'), $before, 'and no customer written');
};

# -------------------------------------------------------------- filters

# Target T has a value for every filter; control C differs in each of them.
my %T = (
    birthname => "Birth-$TAG-T", surname => "Sur-$TAG-T", prefix => "pre$TAG",
    suffix => "suf$TAG", email => "Mixed.$TAG\@Example.COM", dob => '1931-02-03',
    street => "Straat-$TAG-T", house => 100000 + int(rand(400000)), hsuffix => "S$TAG",
    postal => join('', 1 + int(rand(9)), map({ int(rand(10)) } 1 .. 3), 'QX'),
    city => "City-$TAG-T", phone => '6' . digits(8), chip => digits(16),
    chipalias => "Chip-$TAG-T", ovpas => "OV$TAG", tokalias => "Tok-$TAG-T",
    xtat => uuid_v4(), xbot => uuid_v4(), mandate => "M-$TAG-T", iban => valid_iban('ABNA'),
    bic => random_bic(), ascription => "Asc $TAG T", billalias => "Bill-$TAG-T",
    vas => "VAS$TAG",
);
my %C = (
    birthname => "Birth-$TAG-C", surname => "Sur-$TAG-C", prefix => "cpre$TAG",
    suffix => "csuf$TAG", email => "control.$TAG\@example.com", dob => '1932-03-04',
    street => "Straat-$TAG-C", house => $T{house} + 1, hsuffix => "C$TAG",
    postal => substr($T{postal}, 0, 4) . 'QY', city => "City-$TAG-C", phone => '7' . digits(8),
    chip => digits(16), chipalias => "Chip-$TAG-C", ovpas => "OVC$TAG", tokalias => "Tok-$TAG-C",
    xtat => uuid_v4(), xbot => uuid_v4(), mandate => "M-$TAG-C", iban => valid_iban('RABO'),
    bic => random_bic(), ascription => "Asc $TAG C", billalias => "Bill-$TAG-C",
    vas => "VASC$TAG",
);

sub make_filter_customer {
    my ($v, $cc, $debtor, $country2) = @_;
    my $id = create_customer({
        debtorStatusId => $debtor,
        person => { birthname => $v->{birthname}, surname => $v->{surname}, prefix => $v->{prefix},
                    suffix => $v->{suffix}, dateOfBirth => $v->{dob}, emailAddress => $v->{email} },
        addresses => [
            { street => $v->{street}, houseNumber => $v->{house}, houseNumberSuffix => $v->{hsuffix},
              postalCode => $v->{postal}, city => $v->{city}, country => 'NL', addressTypeId => 1 },
            $country2 ? { street => 'Rue', houseNumber => 1, postalCode => '1234', city => 'Luxembourg',
                          country => $country2, addressTypeId => 2 } : (),
        ],
        phones => [ { number => $v->{phone}, countryCode => $cc, phoneTypeId => 1 } ],
    });
    my ($st, $j, $res) = api_post("/customers/$id/ovchipcards",
        { ovChipcard => { chipCardNumber => $v->{chip}, validUntil => '2027-01-01', alias => $v->{chipalias} } });
    die "POST ovchipcards: $st " . $res->content unless $st == 201;
    ($st, $j, $res) = api_post("/customers/$id/ovpaytokens",
        { ovpaytoken => { tokenTypeId => 2, xTat => $v->{xtat}, xBot => $v->{xbot}, alias => $v->{tokalias},
                          ovpasNumber => $v->{ovpas}, tokenStatusId => 2,
                          expirationDate => '2026-04-20T17:05:52.000+02:00' } });
    die "POST ovpaytokens: $st " . $res->content unless $st == 201;
    ($st, $j, $res) = api_post("/customers/$id/billingInformations",
        { billingInformation => { iban => $v->{iban}, bic => $v->{bic}, ascription => $v->{ascription},
                                  alias => $v->{billalias} } });
    die "POST billingInformations: $st " . $res->content unless $st == 201;
    my $bid = $j->{billingInformationId};
    ($st, $j, $res) = api_post("/billingInformation/$bid/directdebitmandates",
        { directDebitMandate => { directDebitMandateTypeId => 1, mandateReference => $v->{mandate},
                                  mandateState => 'PREPARED' } });
    die "POST directdebitmandates: $st " . $res->content unless $st == 201;
    return $id;
}

my ($TID, $CID) = eval { (make_filter_customer(\%T, '+32', 2, 'LU'), make_filter_customer(\%C, '+31', 1, undef)) };
my $setup_error = $@;

subtest 'filter fixtures: target and control with children through the API' => sub {
    ok(!$setup_error, 'target and control created with chip card, token, billing, mandate')
        or diag($setup_error);
    return if $setup_error;
    my ($st) = api_post("/customers/$TID/customerStatusInstances", { customerStatusId => 3 });
    is($st, 201, 'target: status Blocked (3)');
    ($st) = api_post("/customers/$CID/customerStatusInstances", { customerStatusId => 4 });
    is($st, 201, 'control: status Frozen (4)');
    psql("UPDATE customer_profile SET vas_customer_number = '$T{vas}' WHERE customer_profile_id = $TID");
    psql("UPDATE customer_profile SET vas_customer_number = '$C{vas}' WHERE customer_profile_id = $CID");
    ($st) = api_patch("/customers/$TID", { lastLogin => '2022-08-04 15:01:00.000' });
    is($st, 201, 'target: lastLogin 2022-08-04 15:01:00.000 (D14)');
    ($st) = api_patch("/customers/$CID", { lastLogin => '2022-08-04 15:02:00.000' });
    is($st, 201, 'control: lastLogin 2022-08-04 15:02:00.000');
    is(get_customer($TID)->{lastLogin}, '2022-08-04T15:01:00.000+02:00',
       'lastLogin emitted as YYYY-MM-DDTHH:mm:ss.SSS+hh:mm, Amsterdam summer time (D24)');
};

subtest 'GET /customers: each of the 33 filters finds the target, not the control' => sub {
    plan skip_all => 'no fixtures' if $setup_error;
    my ($tn, $cn) = map { get_customer($_) } $TID, $CID;
    my ($T, $C) = ([$TID], [$CID]);
    my $e = \&uri_escape;

    exactly_ok("customerProfileId=$TID", $T, 'customerProfileId');
    exactly_ok("customerNumber=$tn->{customerNumber}", $T, 'customerNumber');

    found_ok('customerStatusId=3', $T, $C, 'customerStatusId=3');
    found_ok('customerStatusId=2', [], [$TID, $CID], 'customerStatusId=2: past statuses do not count (current only)');
    found_ok('customerStatusId=1,3', $T, $C, 'customerStatusId=1,3 (comma list)');
    found_ok('customerStatusId=3,4', [$TID, $CID], [], 'customerStatusId=3,4');
    found_ok('customerStatusId=1&customerStatusId=4', $C, $T, 'customerStatusId repeated');

    exactly_ok("debtorNumber=$tn->{debtorNumber}", $T, 'debtorNumber');
    exactly_ok('debtorNumber=' . lc $tn->{debtorNumber}, $T, 'debtorNumber, lower case');
    found_ok('debtorStatusId=2', $T, $C, 'debtorStatusId=2');
    found_ok('debtorStatusId=1', $C, $T, 'debtorStatusId=1');
    found_ok('debtorStatusId=1,2', [$TID, $CID], [], 'debtorStatusId=1,2');

    exactly_ok("vasCustomerNumber=$T{vas}", $T, 'vasCustomerNumber (set with psql)');
    exactly_ok('vasCustomerNumber=' . lc $T{vas}, $T, 'vasCustomerNumber, lower case');

    # lastLogin: T 15:01:00.000, C 15:02:00.000 local (CEST, +02:00), D15 <= and >=
    found_ok('lastLoginBefore=2022-08-04%2015:01:00.000', $T, $C, 'lastLoginBefore "2022-08-04 15:01:00.000" (boundary included)');
    found_ok('lastLoginBefore=2022-08-04%2015:00:59.999', [], [$TID, $CID], 'lastLoginBefore one ms earlier');
    found_ok('lastLoginAfter=2022-08-04T15:01:00', [$TID, $CID], [], 'lastLoginAfter "2022-08-04T15:01:00" (boundary included)');
    found_ok('lastLoginAfter=2022-08-04T15:01:00.001', $C, $T, 'lastLoginAfter one ms later');
    found_ok('lastLoginBefore=2022-08-04T13:01:00Z', $T, $C, 'lastLoginBefore with Z');
    found_ok('lastLoginBefore=2022-08-04T13:00:59Z', [], [$TID], 'lastLoginBefore with Z, a second earlier');
    found_ok('lastLoginAfter=2022-08-04T15:01:30%2B02:00', $C, $T, 'lastLoginAfter with +02:00');
    found_ok('lastLoginAfter=2022-08-04T14:01:30%2B01:00', $C, $T, 'lastLoginAfter with +01:00 (same instant)');
    found_ok('lastLoginBefore=2022-08-04T09:01:30-04:00', $T, $C, 'lastLoginBefore with -04:00');
    found_ok('lastLoginBefore=2022-08-04', [], [$TID, $CID], 'lastLoginBefore date-only = 00:00 local (D25)');
    found_ok('lastLoginAfter=2022-08-04', [$TID, $CID], [], 'lastLoginAfter date-only');
    found_ok('lastLoginBefore=2022-08-05', [$TID, $CID], [], 'lastLoginBefore next day');
    found_ok('lastLoginAfter=2022-08-04&lastLoginBefore=2022-08-04%2015:01:30', $T, $C, 'lastLoginAfter and Before together');
    my $nologin = $created{minimumProfile}{id};
    found_ok('lastLoginAfter=1900-01-01', [$TID], [$nologin], 'a customer without lastLogin never matches') if $nologin;

    for my $f (qw(birthname surname prefix suffix)) {
        exactly_ok("$f=" . $e->($T{$f}), $T, $f);
        exactly_ok("$f=" . $e->(uc $T{$f}), $T, "$f, other case");
    }
    exactly_ok('emailAddress=' . $e->(lc $T{email}), $T, 'emailAddress, case-insensitive');
    exactly_ok('emailAddresses=' . $e->($T{email}), $T, 'emailAddresses (alias)');
    found_ok("dateOfBirth=$T{dob}", $T, $C, 'dateOfBirth');

    exactly_ok('addressStreet=' . $e->($T{street}), $T, 'addressStreet');
    exactly_ok('addressStreet=' . $e->(lc $T{street}), $T, 'addressStreet, lower case');
    found_ok("addressHouseNumber=$T{house}", $T, $C, 'addressHouseNumber');
    exactly_ok("addressHouseNumberSuffix=$T{hsuffix}", $T, 'addressHouseNumberSuffix');
    my $spaced = lc(substr($T{postal}, 0, 4) . ' ' . substr($T{postal}, 4));
    found_ok("addressPostalCode=$T{postal}", $T, $C, 'addressPostalCode');
    found_ok('addressPostalCode=' . $e->($spaced), $T, $C, "addressPostalCode \"$spaced\" finds $T{postal} (#27)");
    exactly_ok('addressCity=' . $e->($T{city}), $T, 'addressCity');
    found_ok('addressCountry=LU', $T, $C, 'addressCountry');
    exactly_ok("addressStreet=Rue&addressCity=Luxembourg&addressCountry=LU&surname=" . $e->($T{surname}), $T,
               'address filters together');

    exactly_ok("phoneNumber=$T{phone}", $T, 'phoneNumber');
    my $dashed = substr($T{phone}, 0, 1) . '-' . substr($T{phone}, 1, 4) . ' ' . substr($T{phone}, 5);
    exactly_ok('phoneNumber=' . $e->($dashed), $T, 'phoneNumber with a dash and a space (digits compared)');
    found_ok('phoneCountryCode=%2B32', $T, $C, 'phoneCountryCode=%2B32');
    found_ok('phoneCountryCode=+32', $T, $C, 'phoneCountryCode=+32 (the raw + arrives as a space)');
    found_ok('phoneCountryCode=0032', $T, $C, 'phoneCountryCode=0032');

    exactly_ok("chipcardNumber=$T{chip}", $T, 'chipcardNumber');
    exactly_ok("chipCardNumber=$T{chip}", $T, 'chipCardNumber (field spelling, #17)');
    exactly_ok('ovChipcardAlias=' . $e->($T{chipalias}), $T, 'ovChipcardAlias');
    exactly_ok('ovPasNumber=' . lc $T{ovpas}, $T, 'ovPasNumber (case-insensitive)');
    exactly_ok("ovpasNumber=$T{ovpas}", $T, 'ovpasNumber (field spelling, #13)');
    exactly_ok('ovPayTokenAlias=' . $e->($T{tokalias}), $T, 'ovPayTokenAlias');
    exactly_ok("ovPayTokenXTat=$T{xtat}", $T, 'ovPayTokenXTat');
    exactly_ok('ovPayTokenXTat=' . uc $T{xtat}, $T, 'ovPayTokenXTat in upper case');
    exactly_ok("ovPayTokenXBot=$T{xbot}", $T, 'ovPayTokenXBot');

    exactly_ok('mandateReference=' . $e->($T{mandate}), $T, 'mandateReference');
    exactly_ok("iban=$T{iban}", $T, 'iban');
    (my $iban_sp = lc $T{iban}) =~ s/(.{4})(?=.)/$1 /g;
    exactly_ok('iban=' . $e->($iban_sp), $T, "iban \"$iban_sp\" (spaces, lower case)");
    exactly_ok("bic=$T{bic}", $T, 'bic');
    exactly_ok('bic=' . lc $T{bic}, $T, 'bic, lower case');
    exactly_ok('ascription=' . $e->($T{ascription}), $T, 'ascription');
    exactly_ok('billingAlias=' . $e->($T{billalias}), $T, 'billingAlias');
    exactly_ok('iban=NL20INGB0001234567', [], 'the seed example iban (invalid) finds nothing, no 400');
};

subtest 'GET /customers: filters combine with AND' => sub {
    plan skip_all => 'no fixtures' if $setup_error;
    my $e = \&uri_escape;
    exactly_ok('surname=' . $e->($T{surname}) . '&addressCity=' . $e->($T{city}), [$TID], 'surname AND own city');
    exactly_ok('surname=' . $e->($T{surname}) . '&addressCity=' . $e->($C{city}), [], "surname AND the control's city");
    exactly_ok('surname=' . $e->($T{surname}) . '&customerStatusId=4', [], "surname AND the control's status");
    exactly_ok('iban=' . $T{iban} . '&mandateReference=' . $e->($T{mandate}) . '&chipcardNumber=' . $T{chip},
               [$TID], 'three child filters');
    exactly_ok('iban=' . $T{iban} . '&mandateReference=' . $e->($C{mandate}), [], 'iban AND another mandate');
};

subtest 'GET /customers: sort' => sub {
    my $bn = "Sort-$TAG";
    my @spec = ([ 'a', 1 ], [ 'b', 2 ], [ 'a', 1 ], [ 'c', 2 ]);
    my @c = map { { id => create_customer({ debtorStatusId => $_->[1], person => { birthname => $bn, surname => "$_->[0]-$TAG" } }),
                    surname => "$_->[0]-$TAG", debtor => $_->[1] } } @spec;
    my $ids = sub { [ map { $_->{customerProfileId} }
                      search_all("/customers?birthname=$bn" . ($_[0] ? "&$_[0]" : '')) ] };
    my @by_id = sort { $a <=> $b } map { $_->{id} } @c;
    is_deeply($ids->(''), \@by_id, 'default order: id ascending');
    is_deeply($ids->('sort=-customerNumber'), [ reverse @by_id ], 'sort=-customerNumber');
    is_deeply($ids->('sort=-customerNumber,surname'), [ reverse @by_id ], 'sort=-customerNumber,surname');
    my @exp = map { $_->{id} } sort { $a->{surname} cmp $b->{surname} or $b->{id} <=> $a->{id} } @c;
    is_deeply($ids->('sort=surname,-customerNumber'), \@exp, 'sort=surname,-customerNumber');
    @exp = map { $_->{id} } sort { $b->{surname} cmp $a->{surname} or $a->{id} <=> $b->{id} } @c;
    is_deeply($ids->('sort=-surname'), \@exp, 'sort=-surname (id ascending as tiebreaker)');
    @exp = map { $_->{id} } sort { $b->{debtor} <=> $a->{debtor} or $b->{surname} cmp $a->{surname} or $a->{id} <=> $b->{id} } @c;
    is_deeply($ids->('sort=-debtorStatusId,-surname'), \@exp, 'sort=-debtorStatusId,-surname');
    my @r = api_get('/customers?sort=nonsense');
    problem_ok(@r, 400, 'unknown sort field: 400');
    @r = api_get('/customers?sort=surname,-nonsense');
    problem_ok(@r, 400, 'unknown field after a valid one: 400');
};

subtest 'GET /customers: limit, offset, unknown parameters, datetimes' => sub {
    my ($st, $j) = api_get('/customers');
    is($st, 200, 'no parameters: 200');
    cmp_ok(scalar @{ $j->{customers} || [] }, '<=', 20, 'at most 20 (default limit)');
    my $total = psql('SELECT count(*) FROM customer_profile');
    is(scalar @{ $j->{customers} || [] }, $total < 20 ? $total : 20, 'a full default page of 20');
    ($st, $j) = api_get('/customers?limit=100');
    is($st, 200, 'limit=100: 200');
    is(scalar @{ $j->{customers} || [] }, $total < 100 ? $total : 100, 'up to 100 customers');
    ($st, $j) = api_get('/customers?limit=1');
    is(scalar @{ $j->{customers} || [] }, 1, 'limit=1: one customer');
    problem_ok(api_get('/customers?limit=0'), 400, 'limit=0: 400');
    problem_ok(api_get('/customers?limit=101'), 400, 'limit=101: 400');
    problem_ok(api_get('/customers?limit=ten'), 400, 'limit=ten: 400');
    problem_ok(api_get('/customers?offset=x'), 400, 'offset=x: 400');

    my $p = problem_ok(api_get('/customers?surnam=Jansen'), 400, 'unknown parameter: 400');
    my $named = grep { ($_->{parameter} // '') eq 'surnam' } @{ $p->{errors} || [] };
    ok($named || ($p->{detail} // '') =~ /surnam/, 'the problem names the parameter')
        or diag(explain $p);

    my %dt_problem = (title => 'Your request contains an invalid datatype');
    for my $bad ('yesterday', '2023-02-30', '2023-02-01 25:00:00') {
        (my $q = $bad) =~ s/ /%20/g;
        my $pr = problem_ok(api_get("/customers?lastLoginBefore=$q"), 400, "lastLoginBefore=$bad: 400");
        is($pr->{title}, $dt_problem{title}, 'title as the seed example');
        is($pr->{detail}, "'$bad' is not a valid Datetime", "detail '$bad' is not a valid Datetime");
        is($pr->{type}, 'https://htm.nl/api/v1/probs/bad-request', 'type as the seed example');
    }
    ($st, $j) = api_get('/customers?lastLoginAfter=2023-02-01%2000:00:00');
    is($st, 200, "the seed's own value '2023-02-01 00:00:00' is accepted (D8)");
    ($st, $j) = api_get('/customers?lastLoginBefore=2022-08-04%2015:01:00.000');
    is($st, 200, "the seed's parameter example '2022-08-04 15:01:00.000' is accepted");
    # RFC 3339 (D7) allows any number of fraction digits (time-secfrac =
    # "." 1*DIGIT); .NET's round-trip format, for one, sends seven.
    for my $ok ('2022-08-04T15:01:00.5', '2022-08-04T15:01:00.123456Z', '2022-08-04T15:01:00.1234567%2B02:00',
                '2022-08-04%2015:01:00.123456789') {
        my ($s2, undef, $r2) = api_get("/customers?lastLoginBefore=$ok");
        is($s2, 200, "lastLoginBefore=$ok (RFC 3339 fraction, D7): 200")
            or diag(substr($r2->content, 0, 300));
    }
};

subtest 'paging: 45 customers, next links with limit=10 and with the default' => sub {
    my $sn = "Page-$TAG";
    my @made = map { create_customer({ person => { surname => $sn, birthname => "n$_" } }) } 1 .. 45;
    is(scalar @made, 45, '45 customers created');

    for my $case ([10, "surname=$sn&limit=10"], [20, "surname=$sn"],
                  [10, "surname=$sn&limit=10&sort=-customerNumber"]) {
        my ($limit, $q) = @$case;
        my $given = query_of("http://x/?$q");
        my (@ids, $pages);
        my $url = "/customers?$q";
        my $off = 0;
        my $bad = 0;
        while ($url && ++$pages <= 10) {
            my ($st, $j) = api_get($url);
            unless ($st == 200) { fail("GET $url: $st"); last }
            my $n = @{ $j->{customers} };
            my $want_n = 45 - $off < $limit ? 45 - $off : $limit;
            $bad++, diag("page at $off has $n items, expected $want_n") unless $n == $want_n;
            push @ids, map { $_->{customerProfileId} } @{ $j->{customers} };
            my $l = $j->{_links} || {};
            $bad++, diag("offset $off: no self") unless $l->{self};
            $bad++, diag("offset $off: prev presence wrong") unless !!$l->{prev} == ($off > 0);
            $bad++, diag("offset $off: next presence wrong") unless !!$l->{next} == ($off + $limit < 45);
            my %want_off = (self => $off, prev => ($off - $limit < 0 ? 0 : $off - $limit), next => $off + $limit);
            for my $rel (grep { $l->{$_} } qw(self prev next)) {
                my $href = $l->{$rel}{href} // '';
                my $hq = query_of($href);
                my $o = delete $hq->{offset};
                $bad++, diag("$rel $href: offset " . ($o ? "@$o" : 'none') . ", expected $want_off{$rel}")
                    unless ($o ? $o->[0] : 0) == $want_off{$rel} && (!$o || @$o == 1);
                $bad++, diag("$rel $href: parameters differ from the request's ($q)")
                    unless JSON::PP->new->canonical->encode($hq) eq JSON::PP->new->canonical->encode($given);
                $bad++, diag("$rel $href: not .../customers") unless $href =~ m{^https?://[^?]+/customers\?};
                $bad++, diag("$rel method") unless ($l->{$rel}{method} // '') eq 'GET';
            }
            $url = $l->{next} ? $l->{next}{href} : undef;
            $off += $limit;
        }
        my %u = map { $_ => 1 } @ids;
        is(scalar @ids, 45, "$q: 45 ids over the pages");
        is(scalar keys %u, 45, "$q: all distinct");
        is_deeply([ sort { $a <=> $b } @ids ], [ sort { $a <=> $b } @made ], "$q: exactly the customers created");
        is($pages, int((45 + $limit - 1) / $limit), "$q: " . int((45 + $limit - 1) / $limit) . ' pages');
        ok(!$bad, "$q: self/prev/next rules (#34), links keep filters+limit, only offset changes");
        if ($q =~ /sort=-customerNumber/) {
            is_deeply(\@ids, [ sort { $b <=> $a } @made ], 'sorted descending across pages');
        }
    }
    # filter values with characters that must be re-escaped in the links
    my $odd = "P&Q +x \x{e9}/#?%-$TAG";
    my @odd = map { create_customer({ person => { surname => $odd } }) } 1 .. 3;
    my $q = 'surname=P%26Q+%2Bx+%C3%A9%2F%23%3F%25-' . $TAG . '&limit=1';
    my @walked = eval { search_ids("/customers?$q") };
    is_deeply(\@walked, \@odd, 'next links keep a filter with & + space / # ? % and UTF-8 intact')
        or diag($@);

    my ($st, $j) = api_get("/customers?surname=$sn&offset=40&limit=10");
    is(scalar @{ $j->{customers} || [] }, 5, 'offset=40: the last 5');
    ($st, $j) = api_get("/customers?surname=$sn&offset=45");
    is($st, 200, 'offset at the end: 200');
    is_deeply($j->{customers}, [], 'offset at the end: empty page');
    ok(!$j->{_links}{next}, 'offset at the end: no next');
};

# ------------------------------------------------------------------- PATCH

subtest 'PATCH /customers/{id}: debtorStatusId, person (D19), lastLogin (D14), audit' => sub {
    my $id = create_customer({ person => { surname => "Patch-$TAG", prefix => 'van' } });
    my $n_audit = () = audit_rows($id);
    my @sent;

    my $cid = uuid_v4();
    my ($st, undef, $res) = api_patch("/customers/$id", { debtorStatusId => 2 }, %AS_TESTER, 'X-Correlation-ID' => $cid);
    is($st, 201, 'the seed example {debtorStatusId: 2}: 201 (#28)') or diag($res->content);
    my ($j, $t) = typed($res);
    shape_is($t, '', { customerProfileId => 'int' }, 'answer {customerProfileId}');
    is($j->{customerProfileId}, $id, 'the id patched') if $j;
    push @sent, $cid if $st == 201;
    is_deeply(get_customer($id)->{debtorStatus}, { debtorStatusId => 2, name => 'Active' }, 'GET: debtorStatus Active');

    $cid = uuid_v4();
    my %person = (birthname => "B-$TAG", surname => "Patched-$TAG", prefix => 'ter', suffix => 'sr',
                  dateOfBirth => '1980-12-31', emailAddress => "patched.$TAG\@example.net");
    ($st, undef, $res) = api_patch("/customers/$id", { person => \%person }, %AS_TESTER, 'X-Correlation-ID' => $cid);
    is($st, 201, 'person fields: 201') or diag($res->content);
    push @sent, $cid if $st == 201;
    my $c = get_customer($id);
    for my $k (qw(birthname surname prefix suffix dateOfBirth)) {
        is($c->{person}{$k}, $person{$k}, "GET: person.$k changed");
    }
    is($c->{person}{emailAddresses}, $person{emailAddress}, 'GET: emailAddresses changed');
    exactly_ok("surname=Patched-$TAG", [$id], 'found by the new surname');

    $cid = uuid_v4();
    ($st) = api_patch("/customers/$id", { person => { prefix => undef } }, %AS_TESTER, 'X-Correlation-ID' => $cid);
    is($st, 201, 'person.prefix null: 201');
    push @sent, $cid if $st == 201;
    $c = get_customer($id);
    is($c->{person}{prefix}, undef, 'GET: prefix cleared (null clears, #16)');
    is($c->{person}{surname}, "Patched-$TAG", 'GET: absent fields unchanged');

    $cid = uuid_v4();
    ($st) = api_patch("/customers/$id", { lastLogin => '2024-01-15T10:00:00Z' }, %AS_TESTER, 'X-Correlation-ID' => $cid);
    is($st, 201, 'lastLogin: 201');
    push @sent, $cid if $st == 201;
    is(get_customer($id)->{lastLogin}, '2024-01-15T11:00:00.000+01:00', 'GET: lastLogin in Amsterdam winter time');
    found_ok('lastLoginAfter=2024-01-15T10:00:00Z&lastLoginBefore=2024-01-15%2011:00:00', [$id], [], 'found by lastLogin');

    $cid = uuid_v4();
    ($st, undef, $res) = api_patch("/customers/$id", { lastLogin => '2024-07-01T12:00:00.1234567+02:00' },
                                   %AS_TESTER, 'X-Correlation-ID' => $cid);
    is($st, 201, 'lastLogin with seven fraction digits (RFC 3339, D7): 201') or diag($res->content);
    push @sent, $cid if $st == 201;
    is(get_customer($id)->{lastLogin}, '2024-07-01T12:00:00.123+02:00', 'GET: lastLogin to the millisecond')
        if $st == 201;

    $cid = uuid_v4();
    ($st) = api_patch("/customers/$id", { lastLogin => undef }, %AS_TESTER, 'X-Correlation-ID' => $cid);
    is($st, 201, 'lastLogin null: 201');
    push @sent, $cid if $st == 201;
    is(get_customer($id)->{lastLogin}, undef, 'GET: lastLogin cleared');

    my $before = join ',', map { join '/', @$_ } audit_rows($id);
    problem_ok(api_patch("/customers/$id", {}), 400, 'empty body {}: 400');
    problem_ok(api_patch("/customers/$id", { person => {} }), 400, 'person {} only: 400 (no recognised field, D1)');
    my $p = problem_ok(api_patch("/customers/$id", { foo => 1 }), 400, 'only an unknown field: 400');
    ok(grep({ ($_->{pointer} // '') eq '/foo' } @{ $p->{errors} || [] }), 'errors[].pointer /foo') or diag(explain $p);
    $p = problem_ok(api_patch("/customers/$id", { debtorStatusId => 2, vasCustomerNumber => 'X' }), 400,
                    'vasCustomerNumber is not settable: 400');
    problem_ok(api_patch("/customers/$id", { debtorStatusId => 3 }), 400, 'debtorStatusId 3: 400');
    problem_ok(api_patch("/customers/$id", { lastLogin => 'soon' }), 400, 'lastLogin "soon": 400');
    is(join(',', map { join '/', @$_ } audit_rows($id)), $before, 'refused PATCHes write no audit row');
    is(get_customer($id)->{debtorStatus}{debtorStatusId}, 2, 'and change nothing');

    my $missing = 1 + (psql('SELECT coalesce(max(customer_profile_id), 0) FROM customer_profile') || 0) + 1000000;
    $p = problem_ok(api_patch("/customers/$missing", { debtorStatusId => 2 }), 404, 'unknown id: 404 problem');
    problem_ok(api_patch('/customers/0', { debtorStatusId => 2 }), 404, 'id 0: 404 problem');
    problem_ok(api_patch('/customers/99999999999999999999', { debtorStatusId => 2 }), 404,
               'id beyond 2^63-1: 404 problem (docs/decisions.md)');
    problem_ok(api_patch('/customers/abc', { debtorStatusId => 2 }), 400, 'non-numeric id: 400 problem');
    problem_ok(api_patch('/customers/12x', { debtorStatusId => 2 }), 400, 'id 12x: 400 problem');

    my @rows = audit_rows($id);
    is(scalar @rows, $n_audit + @sent, 'one audit row per successful PATCH');
    my @upd = @rows[$n_audit .. $#rows];
    is_deeply([ map { $_->[0] } @upd ], [ ('update') x @sent ], 'action "update"');
    is_deeply([ map { $_->[1] } @upd ], [ ($SUB) x @sent ], "user is the token's sub");
    is_deeply([ map { $_->[2] } @upd ], \@sent, 'correlationId is the X-Correlation-ID of each PATCH');
    my @trail = grep { $_->{action} eq 'update' } @{ get_customer($id)->{auditTrails} };
    is_deeply([ map { $_->{correlationId} } @trail ], \@sent, 'GET auditTrails shows the updates');
};

# ---------------------------------------------------------------- statuses

subtest 'POST /customers/{id}/customerStatusInstances (D9, D17)' => sub {
    my $id = create_customer({ person => { surname => "Status-$TAG" } });
    my $first = psql("SELECT customer_status_instance_id FROM customer_status_instance WHERE customer_profile_id = $id");

    my ($st, undef, $res) = api_post("/customers/$id/customerStatusInstances", '{"customerStatus":{"customerStatusId":2}}');
    is($st, 201, 'the seed example: 201') or diag($res->content);
    my ($j, $t) = typed($res);
    shape_is($t, '', { customerProfileId => 'int', customerStatusInstanceId => 'int' },
             'answer {customerProfileId, customerStatusInstanceId} (D9)');
    is($j->{customerProfileId}, $id, 'customerProfileId') if $j;
    my $s1 = $j ? $j->{customerStatusInstanceId} : 0;

    ($st, $j, $res) = api_post("/customers/$id/customerStatusInstances", { customerStatusId => 3 });
    is($st, 201, 'flat {customerStatusId: 3}: 201') or diag($res->content);
    my $s2 = $j ? $j->{customerStatusInstanceId} : 0;

    my $c = get_customer($id);
    my @si = @{ $c->{customerStatusInstances} };
    is_deeply([ map { $_->{customerStatusInstanceId} } @si ], [ $first, $s1, $s2 ], 'instances in order, ids as answered (D26)');
    is_deeply([ map { $_->{customerStatus}{customerStatusId} } @si ], [ 2, 2, 3 ], 'statuses 2, 2, 3');
    is_deeply([ map { $_->{customerStatus}{name} } @si ], [ 'Active', 'Active', 'Blocked' ], 'names');
    for my $i (0 .. $#si - 1) {
        is($si[$i]{toInclusive}, $si[$i + 1]{fromInclusive}, "instance $i closed at the next one's fromInclusive");
        like($si[$i]{toInclusive} // '', $DT_LOCAL_MS, "instance $i toInclusive format");
    }
    is($si[-1]{toInclusive}, undef, 'the last one is open');
    is(psql("SELECT count(*) FROM customer_status_instance WHERE customer_profile_id = $id"
            . " AND to_inclusive IS NULL"), 1, 'one open instance in the database');
    is(psql("SELECT count(*) FROM customer_status_instance a JOIN customer_status_instance b"
            . " ON b.customer_profile_id = a.customer_profile_id"
            . " AND b.customer_status_instance_id = $s2 WHERE a.customer_status_instance_id = $s1"
            . " AND a.to_inclusive = b.from_inclusive"), 1, 'stored: to_inclusive = next from_inclusive exactly');
    found_ok("customerStatusId=3&surname=Status-$TAG", [$id], [], 'customerStatusId=3 finds it now');

    ($st, $j) = api_post("/customers/$id/customerStatusInstances", { customerStatusId => 3 });
    is($st, 201, 're-posting the current status: 201 (D17)');
    ok($j && $j->{customerStatusInstanceId} && $j->{customerStatusInstanceId} != $s2, 'a new instance');
    @si = @{ get_customer($id)->{customerStatusInstances} };
    is(scalar @si, 4, 'four instances now');
    is($si[2]{toInclusive}, $si[3]{fromInclusive}, 'the previous one was closed');
    is($si[3]{toInclusive}, undef, 'the new one is open');

    ($st) = api_post("/customers/$id/customerStatusInstances", { customerStatus => { customerStatusId => 4, name => 'Frozen' } });
    is($st, 201, 'nested with a matching name: 201');

    my $n = psql("SELECT count(*) FROM customer_status_instance WHERE customer_profile_id = $id");
    my $p = problem_ok(api_post("/customers/$id/customerStatusInstances", { customerStatusId => 9 }), 400,
                       'unknown status 9: 400');
    ok(grep({ ($_->{pointer} // '') =~ m{customerStatusId} } @{ $p->{errors} || [] }), 'errors[] points at customerStatusId')
        or diag(explain $p);
    problem_ok(api_post("/customers/$id/customerStatusInstances", { customerStatus => { customerStatusId => 9 } }), 400,
               'unknown status 9 (enveloped): 400');
    problem_ok(api_post("/customers/$id/customerStatusInstances", {}), 400, 'no status: 400 (required, #8)');
    problem_ok(api_post("/customers/$id/customerStatusInstances", { customerStatusId => 2, customerStatus => { customerStatusId => 3 } }),
               400, 'flat and nested ids that conflict: 400 (#3)');
    problem_ok(api_post("/customers/$id/customerStatusInstances", { customerStatus => { customerStatusId => 2, name => 'Blocked' } }),
               400, 'a name that contradicts the id: 400');
    is(psql("SELECT count(*) FROM customer_status_instance WHERE customer_profile_id = $id"), $n,
       'refused requests write no instance');
    my $missing = 1000000 + (psql('SELECT coalesce(max(customer_profile_id), 0) FROM customer_profile') || 0);
    problem_ok(api_post("/customers/$missing/customerStatusInstances", { customerStatusId => 2 }), 404,
               'unknown customer: 404 problem');
    problem_ok(api_post('/customers/x1/customerStatusInstances', { customerStatusId => 2 }), 400,
               'non-numeric customer id: 400 problem');
    my @audit = grep { $_->[0] eq 'insert' } audit_rows($id);
    is(scalar @audit, 1 + 4, 'an audit row (insert) for the customer and for each status change');
};

subtest 'simultaneous status changes leave exactly one open instance (D17)' => sub {
    my $id = create_customer({ person => { surname => "Race-$TAG" } });
    # rounds of 4 at once (the test server's mod_dbd pool has 4 connections)
    my $rounds = 25;
    my $per = 4;
    my $all201 = 1;
    for my $round (1 .. $rounds) {
        my @res = raw_parallel(
            raw_request_text('POST', "/customers/$id/customerStatusInstances", { customerStatusId => 3 }),
            raw_request_text('POST', "/customers/$id/customerStatusInstances", { customerStatus => { customerStatusId => 4 } }),
            raw_request_text('POST', "/customers/$id/customerStatusInstances", '{"customerStatus":{"customerStatusId":2}}'),
            raw_request_text('POST', "/customers/$id/customerStatusInstances", { customerStatusId => 1 }),
        );
        my @codes = map { $_->code } @res;
        unless (@codes == $per && !grep { $_ != 201 } @codes) {
            $all201 = 0;
            diag("round $round: @codes " . join(' | ', map { substr($_->content, 0, 200) } @res));
        }
        my $open = psql("SELECT count(*) FROM customer_status_instance WHERE customer_profile_id = $id AND to_inclusive IS NULL");
        is($open, 1, "round $round: exactly one open instance");
    }
    ok($all201, 'every request of every round answered 201');
    is(psql("SELECT count(*) FROM customer_status_instance WHERE customer_profile_id = $id"), 1 + $per * $rounds,
       'one instance per request');
    is(psql("SELECT count(*) FROM (SELECT to_inclusive, lead(from_inclusive) OVER"
            . " (ORDER BY from_inclusive, customer_status_instance_id) AS nxt"
            . " FROM customer_status_instance WHERE customer_profile_id = $id) s"
            . " WHERE to_inclusive IS DISTINCT FROM nxt"), 0,
       'an unbroken chain: each instance closes where the next one starts');
};

# -------------------------------------------------------------- preferences

subtest 'POST /customers/{id}/customerPreferences, PATCH /customerPreferences/{id} (D18)' => sub {
    my $id = create_customer({ person => { surname => "Pref-$TAG" } });
    is(get_customer($id)->{customerPreference}, undef, 'no preference yet: null');

    my ($st, undef, $res) = api_post("/customers/$id/customerPreferences", '{"customerPreference":{"languageId":1}}');
    is($st, 201, 'the seed example: 201') or diag($res->content);
    my ($j, $t) = typed($res);
    shape_is($t, '', { customerPreferenceId => 'int' }, 'answer {customerPreferenceId}');
    my $pid = $j ? $j->{customerPreferenceId} : 0;

    ($st, $j) = api_post("/customers/$id/customerPreferences", { customerPreference => { languageId => 1 } });
    is($st, 201, 'a second POST: 201');
    is($j && $j->{customerPreferenceId}, $pid, 'the same customerPreferenceId (D18)');
    ($st, $j) = api_post("/customers/$id/customerPreferences", { languageId => 1 });
    is($st, 201, 'flat body: 201');
    is($j && $j->{customerPreferenceId}, $pid, 'still the same id');
    is(psql("SELECT count(*) FROM customer_preference WHERE customer_profile_id = $id"), 1, 'one preference row');

    my $c = get_customer($id);
    is_deeply($c->{customerPreference}, { customerPreferenceId => $pid,
        language => { languageId => 1, name => 'Dutch', ietfCode => 'nl-NL', iso639Code => 'nl' } },
        'GET shows the preference with its id');

    ($st, undef, $res) = api_patch("/customerPreferences/$pid", '{"customerPreference":{"languageId":1}}');
    is($st, 200, 'PATCH with the seed example: 200') or diag($res->content);
    ($j, $t) = typed($res);
    shape_is($t, '', { customerPreferenceId => 'int', customerLanguageId => 'int' },
             'answer {customerPreferenceId, customerLanguageId} (#31)');
    is_deeply($j, { customerPreferenceId => $pid, customerLanguageId => 1 }, 'values') if $j;
    ($st) = api_patch("/customerPreferences/$pid", { languageId => 1 });
    is($st, 200, 'PATCH flat: 200');

    problem_ok(api_patch("/customerPreferences/$pid", { customerPreference => { languageId => 7 } }), 400,
               'PATCH languageId 7: 400');
    problem_ok(api_post("/customers/$id/customerPreferences", { customerPreference => { languageId => 7 } }), 400,
               'POST languageId 7: 400');
    problem_ok(api_post("/customers/$id/customerPreferences", { customerPreference => { language => { languageId => 7 } } }), 400,
               'POST language.languageId 7: 400');
    problem_ok(api_patch("/customerPreferences/$pid", {}), 400, 'PATCH {}: 400');
    problem_ok(api_patch("/customerPreferences/$pid", { customerPreference => { customerPreferenceId => $pid + 1, languageId => 1 } }),
               400, 'PATCH with another customerPreferenceId: 400 (#7)');
    is(psql("SELECT language_id FROM customer_preference WHERE customer_preference_id = $pid"), 1, 'language unchanged');
    is_deeply([ map { $_->[0] } audit_rows($id) ], [qw(insert insert update update update update)],
              'audit: customer insert, preference insert, then an update for each later POST and PATCH');

    my $missing = 1000000 + (psql('SELECT coalesce(max(customer_preference_id), 0) FROM customer_preference') || 0);
    problem_ok(api_patch("/customerPreferences/$missing", { customerPreference => { languageId => 1 } }), 404,
               'unknown preference id: 404 problem');
    my $nocust = 1000000 + (psql('SELECT coalesce(max(customer_profile_id), 0) FROM customer_profile') || 0);
    problem_ok(api_post("/customers/$nocust/customerPreferences", { customerPreference => { languageId => 1 } }), 404,
               'POST for an unknown customer: 404 problem');

    # D18 under concurrency: two first POSTs at once still make one preference
    for my $round (1 .. 4) {
        my $cust = create_customer({ person => { surname => "PrefRace-$TAG" } });
        my @res = raw_parallel(map { raw_request_text('POST', "/customers/$cust/customerPreferences",
                                                      { customerPreference => { languageId => 1 } }) } 1 .. 3);
        my @codes = map { $_->code } @res;
        my @pids = map { my ($x) = $_->content =~ /"customerPreferenceId":(\d+)/; $x // 'none' } @res;
        is("@codes", '201 201 201', "round $round: three simultaneous first POSTs all 201")
            or diag(join ' | ', map { substr($_->content, 0, 200) } @res);
        ok($pids[0] ne 'none' && $pids[0] eq $pids[1] && $pids[1] eq $pids[2], "round $round: the same id (@pids)");
        is(psql("SELECT count(*) FROM customer_preference WHERE customer_profile_id = $cust"), 1,
           "round $round: one preference row");
    }

    if (my $full = $created{fullCustomerProfile}{id}) {
        my $gid = get_customer($full)->{customerPreference}{customerPreferenceId};
        ($st, $j) = api_post("/customers/$full/customerPreferences", { customerPreference => { languageId => 1 } });
        is($st, 201, 'fullCustomerProfile customer: POST preference 201');
        is($j && $j->{customerPreferenceId}, $gid, 'answers the id created with the profile');
    }
};

# ----------------------------------------------------- more POST validation

subtest 'POST /customers: validation and nothing half-written' => sub {
    my $count = sub { psql('SELECT (SELECT count(*) FROM customer_profile) || \'/\' || (SELECT count(*) FROM address)'
                           . ' || \'/\' || (SELECT count(*) FROM phone) || \'/\' || (SELECT count(*) FROM audit_trail)') };
    my $before = $count->();
    problem_ok(api_post('/customers', { debtorStatusId => 3 }), 400, 'debtorStatusId 3: 400');
    problem_ok(api_post('/customers', { person => { surname => '   ' } }), 400, 'blank surname: 400');
    problem_ok(api_post('/customers', { person => { dateOfBirth => '1970-02-30' } }), 400, 'dateOfBirth 1970-02-30: 400');
    problem_ok(api_post('/customers', { person => { emailAddress => 'not-an-email' } }), 400, 'email without @: 400');
    problem_ok(api_post('/customers', { addresses => [ { %ADDR, postalCode => '123AB' } ] }), 400, 'NL postal code 123AB: 400 (#27)');
    problem_ok(api_post('/customers', { addresses => [ { %ADDR, addressTypeId => 3 } ] }), 400, 'addressTypeId 3: 400');
    problem_ok(api_post('/customers', { addresses => [ { street => 'x' } ] }), 400, 'address without required fields: 400 (#8)');
    problem_ok(api_post('/customers', { phones => [ { %PHONE, phoneTypeId => 9 } ] }), 400, 'phoneTypeId 9: 400');
    problem_ok(api_post('/customers', { customerPreference => { languageId => 7 } }), 400, 'languageId 7: 400');
    problem_ok(api_post('/customers', { person => { surname => "x$TAG" }, customerProfileId => 5 }), 400, 'customerProfileId: 400 (unknown on POST)');
    is($count->(), $before, 'nothing written by refused POSTs');

    my $id = create_customer({ addresses => [ { %ADDR, postalCode => '1234 ab' } ] });
    is(get_customer($id)->{person}{addresses}[0]{postalCode}, '1234AB', 'postal code "1234 ab" stored as 1234AB (#27)');
    $id = create_customer({ phones => [ { %PHONE, countryCode => '0031' } ] });
    is(get_customer($id)->{person}{phones}[0]{countryCode}, '+31', 'countryCode 0031 stored as +31 (#26)');
    $id = create_customer({ phones => [ { %PHONE, countryCode => 31, number => 612345678 } ] });
    my $ph = get_customer($id)->{person}{phones}[0];
    is($ph->{countryCode}, '+31', 'countryCode 31 (a number) stored as +31');
    is($ph->{number}, '612345678', 'a numeric number stored as its digits');
};
