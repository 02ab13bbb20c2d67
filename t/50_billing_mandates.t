# Billing information and direct-debit mandates (ERRATA inventory rows
# 20-25): GET /billingInformations, POST /customers/{id}/billingInformations,
# PATCH /billingInformations/{id}, GET /directdebitmandates, POST
# /billingInformation/{id}/directdebitmandates (and the plural alias, #36),
# PATCH /directdebitmandates/{id}; the GET /customers filters on financial
# data; the audit row of every change.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use AbtTest;
use AbtChild;
use JSON::PP ();
use Time::HiRes ();

plan tests => 26;

set_writer(uniq_name('t50-writer'));

my $BILLING_CREATED = qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/;    # #23
my $MANDATE_TS      = qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/;           # #23
my @BILLING_KEYS = qw(billingInformationId customerProfileId iban bic ascription alias created);
my @MANDATE_KEYS = qw(directDebitMandateId customerProfileId billingInformationId
                      directDebitMandateType created mandateReference mandateState updateTimestamp);
my %MANDATE_TYPE = (1 => 'Paper contract', 2 => 'PIN transaction', 3 => 'SEPA eMandate',
                    4 => 'Digital signature', 5 => 'iDEAL transaction');    # D4

# the database clock now, as an RFC 3339 UTC instant with microseconds
sub db_now {
    Time::HiRes::sleep(0.05);
    my $t = psql(q{SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')});
    Time::HiRes::sleep(0.05);
    return $t;
}
# an exact stored instant (column of table at id) in the same form
sub db_instant {
    my ($table, $col, $idcol, $id) = @_;
    return psql(qq{SELECT to_char($col AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                     FROM $table WHERE $idcol = $id});
}

sub billing_item {
    my $id = shift;
    my ($st, $json) = search('/billingInformations', billingInformationId => $id);
    return undef unless $st == 200 && ref $json eq 'HASH' && ref $json->{billingInformations} eq 'ARRAY';
    return @{ $json->{billingInformations} } == 1 ? $json->{billingInformations}[0] : undef;
}
sub mandate_item {
    my $id = shift;
    my ($st, $json) = search('/directdebitmandates', directDebitMandateId => $id);
    return undef unless $st == 200 && ref $json eq 'HASH' && ref $json->{directDebitMandates} eq 'ARRAY';
    return @{ $json->{directDebitMandates} } == 1 ? $json->{directDebitMandates}[0] : undef;
}

# unique valid IBANs and BICs
sub new_iban { iban_for('NL', shift // 'ABNA', uniq_digits(10)) }
sub new_bic {
    my $len = shift // 8;
    my $u = uniq_alnum(6);
    (my $letters = $u) =~ tr/0-9/A-J/;
    my $bic = substr($letters, 0, 4) . 'NL' . substr($u, 4, 2);
    $bic .= substr(uniq_alnum(3), 0, 3) if $len == 11;
    return $bic;
}
# "nl91 abna 0417 1643 00": lower case in groups of four
sub spaced { my $i = lc shift; $i =~ s/(.{4})(?=.)/$1 /g; return $i }

sub make_billing {
    my ($cust, $body, $name) = @_;
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/billingInformations", $body);
    is($st, 201, ($name // 'billing') . ': 201') or diag($res->content);
    audit_ok($cust, 'insert', $cid, ($name // 'billing') . ': insert audited');
    return $json && $json->{billingInformationId} || 0;
}
sub make_mandate {
    my ($cust, $billing, $body, $name) = @_;
    my ($st, $json, $res, $cid) = wr(POST => "/billingInformation/$billing/directdebitmandates", $body);
    is($st, 201, ($name // 'mandate') . ': 201') or diag($res->content);
    audit_ok($cust, 'insert', $cid, ($name // 'mandate') . ': insert audited for the billing\'s customer');
    return $json && $json->{directDebitMandateId} || 0;
}
sub mandate {
    my %o = @_;
    my %m = (directDebitMandateTypeId => 1, mandateReference => uniq_name('REF'),
             mandateState => 'PREPARED', %o);
    delete $m{$_} for grep { !defined $m{$_} } keys %m;
    return \%m;
}

my $cust  = new_customer();
my $other = new_customer();

# ======================================================= billing information

subtest 'POST billing: both seed examples' => sub {
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/billingInformations",
        '{"billingInformation":{"iban":"NL73RABO2677424363","ascription":"J. Doe"}}');
    is($st, 201, 'customerBillinginformationMandatoryFields → 201') or diag($res->as_string);
    keys_are($json, ['billingInformationId'], 'body {billingInformationId}');
    like($json->{billingInformationId} // '', qr/^[1-9][0-9]*$/, 'a positive integer id');
    audit_ok($cust, 'insert', $cid);
    my $b = billing_item($json->{billingInformationId} // 0);
    ok($b, 'GET /billingInformations?billingInformationId= finds it (addition, D12)') or return;
    keys_are($b, \@BILLING_KEYS, 'item members, bic included (#16, #32)');
    is($b->{customerProfileId}, $cust, 'customerProfileId');
    is($b->{iban}, 'NL73RABO2677424363', 'iban');
    ok(exists $b->{bic} && !defined $b->{bic}, 'bic null');
    is($b->{ascription}, 'J. Doe', 'ascription');
    ok(exists $b->{alias} && !defined $b->{alias}, 'alias null');
    like($b->{created} // '', $BILLING_CREATED, 'created YYYY-MM-DDTHH:mm:ss.SSS (#23)');

    ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/billingInformations",
        '{"billingInformation":{"iban":"NL73RABO2677424363","bic":"GHJZIEJSKVM","ascription":"J. Doe","alias":"John\'s billing details"}}');
    is($st, 201, 'customerBillinginformationMandatoryFull → 201') or diag($res->as_string);
    keys_are($json, ['billingInformationId'], 'body {billingInformationId}');
    audit_ok($cust, 'insert', $cid);
    $b = billing_item($json->{billingInformationId} // 0);
    is($b && $b->{bic}, 'GHJZIEJSKVM', 'bic (11 characters)');
    is($b && $b->{alias}, "John's billing details", 'alias');
};

subtest 'POST billing: IBAN and BIC forms' => sub {
    my $iban = new_iban('RABO');
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/billingInformations",
        { iban => spaced($iban), bic => 'RABONL2U', ascription => 'Spaties' });
    is($st, 201, 'IBAN with spaces in lower case, BIC of 8 → 201') or diag($res->content);
    audit_ok($cust, 'insert', $cid);
    my $b = billing_item($json->{billingInformationId} // 0);
    is($b && $b->{iban}, $iban, 'stored and emitted compact, upper case');
    is($b && $b->{bic}, 'RABONL2U', 'BIC of 8');
    my $bid = $json->{billingInformationId} // 0;
    is(psql("SELECT iban FROM billing_information WHERE billing_information_id = $bid"), $iban,
       'the database holds the compact form');
    my $be = iban_for('BE', '', '539007547034');
    ($st, $json, $res) = wr(POST => "/customers/$cust/billingInformations", { iban => $be, ascription => 'BE' });
    is($st, 201, "a Belgian IBAN ($be) → 201") or diag($res->content);
};

subtest 'POST billing: invalid values → 400 naming the field' => sub {
    my $iban = new_iban();
    (my $bad_check = $iban) =~ s/^NL(\d\d)/sprintf 'NL%02d', ($1 + 1) % 97 || 2/e;
    my $short = iban_for('NL', 'ABNA', '123456789');     # valid check digits, 17 characters
    my $long  = iban_for('NL', 'ABNA', '12345678901');   # 19 characters
    my @bad = (
        [ 'IBAN with wrong check digits', { iban => $bad_check, ascription => 'x' }, 'iban' ],
        [ "NL IBAN of 17 characters ($short)", { iban => $short, ascription => 'x' }, 'iban' ],
        [ "NL IBAN of 19 characters ($long)", { iban => $long, ascription => 'x' }, 'iban' ],
        [ 'IBAN "NL91ABNA04"', { iban => 'NL91ABNA04', ascription => 'x' }, 'iban' ],
        [ 'IBAN with a dash', { iban => substr($iban, 0, 8) . '-' . substr($iban, 8), ascription => 'x' }, 'iban' ],
        [ 'IBAN a number', { iban => 123456789012345678, ascription => 'x' }, 'iban' ],
        [ 'BIC of 9 characters', { iban => $iban, bic => 'RABONL2UX', ascription => 'x' }, 'bic' ],
        [ 'BIC of 7 characters', { iban => $iban, bic => 'RABONL2', ascription => 'x' }, 'bic' ],
        [ 'BIC with a space', { iban => $iban, bic => 'RABO NL2U', ascription => 'x' }, 'bic' ],
        [ 'iban missing', { ascription => 'x' }, 'iban' ],
        [ 'iban null', { iban => undef, ascription => 'x' }, 'iban' ],
        [ 'ascription missing', { iban => $iban }, 'ascription' ],
        [ 'ascription blank', { iban => $iban, ascription => ' ' }, 'ascription' ],
        [ 'unknown field', { iban => $iban, ascription => 'x', swift => 'y' }, 'swift' ],
    );
    for my $c (@bad) {
        my ($name, $body, $f) = @$c;
        my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/billingInformations", $body);
        problem_ok($st, $json, $res, 400, qr{^/\Q$f\E$}, "$name → 400 /$f");
        no_audit_ok($cid);
    }
    my ($st, $json, $res) = wr(POST => "/customers/$cust/billingInformations", { billingInformation => { ascription => 'x' } });
    problem_ok($st, $json, $res, 400, qr{^(/billingInformation)?/iban$}, 'envelope: iban missing → 400');
    ($st, $json, $res) = wr(POST => '/customers/' . MISSING_ID . '/billingInformations', { iban => $iban, ascription => 'x' });
    problem_ok($st, $json, $res, 404, undef, 'unknown customer → 404');
    ($st, $json, $res) = wr(POST => '/customers/x/billingInformations', { iban => $iban, ascription => 'x' });
    problem_ok($st, $json, $res, 400, qr{customerProfileId}, 'non-numeric customer id → 400');
};

subtest 'PATCH billing: both seed examples → 200 full object (#32)' => sub {
    my $iban = new_iban();
    my $id = make_billing($cust, { billingInformation => { iban => $iban, ascription => 'J. Doe' } }, 'billing');
    my $before = billing_item($id);

    my ($st, $json, $res, $cid) = wr(PATCH => "/billingInformations/$id",
        '{"billingInformation":{"alias":"Mijn rekening details"}}');
    is($st, 200, 'updateBillingInformationAlias → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    keys_are($json, \@BILLING_KEYS, 'full object, bic included');
    is($json->{billingInformationId}, $id, 'billingInformationId');
    is($json->{customerProfileId}, $cust, 'customerProfileId');
    is($json->{iban}, $iban, 'iban unchanged');
    ok(exists $json->{bic} && !defined $json->{bic}, 'bic null when absent (#16)');
    is($json->{ascription}, 'J. Doe', 'ascription');
    is($json->{alias}, 'Mijn rekening details', 'alias changed');
    like($json->{created} // '', $BILLING_CREATED, 'created YYYY-MM-DDTHH:mm:ss.SSS');
    is($json->{created}, $before && $before->{created}, 'created unchanged');
    is_deeply(billing_item($id), $json, 'the same object as GET /billingInformations');

    ($st, $json, $res, $cid) = wr(PATCH => "/billingInformations/$id",
        '{"billingInformation":{"alias":"Mijn rekening details","iban":"NL06RABO8902022560"}}');
    is($st, 200, 'updateBillingInformation → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    is($json->{iban}, 'NL06RABO8902022560', 'iban changed');
    is_deeply(billing_item($id), $json, 'GET agrees');

    ($st, $json, $res, $cid) = wr(PATCH => "/billingInformations/$id",
        { bic => 'ghjziejskvm', iban => spaced($iban), ascription => 'Mevr. A. Jansen',
          created => '2000-01-01T00:00:00', billingInformationId => $id });
    is($st, 200, 'flat PATCH, created and the same id ignored (#7) → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    is($json->{bic}, 'GHJZIEJSKVM', 'bic stored upper case');
    is($json->{iban}, $iban, 'iban compact upper');
    is($json->{ascription}, 'Mevr. A. Jansen', 'ascription');
    is($json->{created}, $before && $before->{created}, 'created not changed by the body');

    ($st, $json, $res) = wr(PATCH => "/billingInformations/$id", { bic => undef, alias => undef });
    is($st, 200, 'bic and alias null → 200');
    ok(exists $json->{bic} && !defined $json->{bic}, 'bic cleared');
    ok(exists $json->{alias} && !defined $json->{alias}, 'alias cleared');

    for my $c ([ '{}', {} ], [ '{"billingInformation":{}}', { billingInformation => {} } ],
               [ 'invalid iban', { iban => 'NL00ABNA0000000000' } ], [ 'BIC of 9', { bic => 'RABONL2UX' } ],
               [ 'iban null', { iban => undef } ], [ 'ascription null', { ascription => undef } ],
               [ 'other billingInformationId', { billingInformationId => $id + 1, alias => 'x' } ],
               [ 'unknown field', { owner => 'x' } ]) {
        my ($st2, $json2, $res2, $cid2) = wr(PATCH => "/billingInformations/$id", $c->[1]);
        problem_ok($st2, $json2, $res2, 400, undef, "PATCH $c->[0] → 400");
        no_audit_ok($cid2);
    }
    ($st, $json, $res) = wr(PATCH => '/billingInformations/' . MISSING_ID, { alias => 'x' });
    problem_ok($st, $json, $res, 404, undef, 'unknown billing information → 404');
    ($st, $json, $res) = wr(PATCH => '/billingInformations/abc', { alias => 'x' });
    problem_ok($st, $json, $res, 400, qr{billingInformationId}, 'non-numeric id → 400');
};

subtest 'POST billing: read-only ids and created in the body are ignored (#7)' => sub {
    my ($st, $json, $res, $cid) = wr(POST => "/customers/$cust/billingInformations",
        { billingInformation => { billingInformationId => MISSING_ID, created => '2000-01-01T00:00:00.000',
                                  iban => new_iban(), ascription => 'Ro' } });
    is($st, 201, 'status 201') or diag($res->content);
    isnt($json && $json->{billingInformationId}, MISSING_ID, 'the id is the server\'s');
    audit_ok($cust, 'insert', $cid);
    my $b = billing_item($json && $json->{billingInformationId} || 0);
    unlike($b && $b->{created} // '', qr/^2000-/, 'created is the server\'s');
};

subtest 'timestamps are Amsterdam local time of the stored instant (#23, D7)' => sub {
    my $id = make_billing($cust, { iban => new_iban(), ascription => 'Tijd' }, 'billing');
    my $want = psql(qq{SELECT to_char(created AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD"T"HH24:MI:SS.MS')
                         FROM billing_information WHERE billing_information_id = $id});
    is(billing_item($id) && billing_item($id)->{created}, $want, "billing created $want");
    my $c = get_customer($cust);
    my ($last) = sort { $b->{auditTrailId} <=> $a->{auditTrailId} } @{ $c->{auditTrails} // [] };
    my $aid = $last && $last->{auditTrailId} || 0;
    my $wa = psql(qq{SELECT to_char("timestamp" AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD"T"HH24:MI:SS.MS')
                       FROM audit_trail WHERE audit_trail_id = $aid});
    like($last && $last->{timestamp} // '', qr/^\Q$wa\E[+-]\d\d:\d\d$/, "audit timestamp local $wa with its offset");
    my $off = psql(qq{SELECT to_char(("timestamp" AT TIME ZONE 'Europe/Amsterdam') - ("timestamp" AT TIME ZONE 'UTC'), 'HH24:MI')
                        FROM audit_trail WHERE audit_trail_id = $aid});
    like($last && $last->{timestamp} // '', qr/\+\Q$off\E$/, "offset +$off");
};

# ------------------------------------------------ GET /billingInformations

my $bc = new_customer();
my $bo = new_customer();
my $bstem = uniq_name('Tnv');
my ($i1, $i2) = (new_iban('INGB'), new_iban('ABNA'));
my ($x1, $x2) = (new_bic(8), new_bic(11));
my ($b1, $b2, $b3, $bmid, $b1_at);
subtest 'GET /billingInformations: test data' => sub {
    $b1 = make_billing($bc, { iban => $i1, bic => $x1, ascription => "$bstem-A", alias => "$bstem alias" }, 'B1');
    $bmid = db_now();
    $b2 = make_billing($bc, { iban => $i2, bic => $x2, ascription => "$bstem-B" }, 'B2');
    $b3 = make_billing($bo, { iban => spaced($i1), bic => $x1 . 'XXX', ascription => uc "$bstem-A",
                              alias => "$bstem other" }, 'B3 (control, other customer)');
    $b1_at = db_instant('billing_information', 'created', 'billing_information_id', $b1);
    ok($b1 && $b2 && $b3 && $b1_at, 'three billing informations');
};

subtest 'GET /billingInformations: each filter' => sub {
    my $today    = psql(q{SELECT to_char(now() AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD')});
    my $tomorrow = psql(q{SELECT to_char((now() AT TIME ZONE 'Europe/Amsterdam')::date + 1, 'YYYY-MM-DD')});
    my @cases = (
        [ [ billingInformationId => $b2 ], [$b2] ],
        [ [ customerProfileId => $bc ], [ $b1, $b2 ] ],
        [ [ customerProfileId => $bo ], [$b3] ],
        [ [ iban => $i1 ], [ $b1, $b3 ] ],
        [ [ iban => spaced($i1) ], [ $b1, $b3 ] ],
        [ [ iban => $i2 ], [$b2] ],
        [ [ iban => $i1, customerProfileId => $bo ], [$b3] ],
        [ [ bic => $x1 ], [$b1] ],
        [ [ bic => lc $x2 ], [$b2] ],
        [ [ bic => $x1 . 'XXX' ], [$b3] ],
        [ [ ascription => lc "$bstem-A" ], [ $b1, $b3 ] ],
        [ [ ascription => "$bstem-A", customerProfileId => $bc ], [$b1] ],
        [ [ ascription => "$bstem-" ], [] ],
        [ [ alias => uc "$bstem alias" ], [$b1] ],
        [ [ alias => "$bstem other" ], [$b3] ],
        [ [ customerProfileId => $bc, createdBefore => $bmid ], [$b1] ],
        [ [ customerProfileId => $bc, createdAfter => $bmid ], [$b2] ],
        [ [ customerProfileId => $bc, createdBefore => $b1_at ], [$b1] ],
        [ [ customerProfileId => $bc, createdAfter => $b1_at ], [ $b1, $b2 ] ],
        [ [ customerProfileId => $bc, createdAfter => $b1_at, createdBefore => $bmid ], [$b1] ],
        [ [ customerProfileId => $bc, createdAfter => $today ], [ $b1, $b2 ] ],
        [ [ customerProfileId => $bc, createdBefore => $today ], [] ],
        [ [ customerProfileId => $bc, createdBefore => $tomorrow ], [ $b1, $b2 ] ],
        [ [ customerProfileId => $bc, createdAfter => '2020-01-01T00:00:00', createdBefore => '2020-12-31T23:59:59' ], [] ],
        [ [ customerProfileId => $bc, sort => '-billingInformationId' ], [ $b2, $b1 ] ],
        [ [ customerProfileId => $bc, sort => '-ascription' ], [ $b2, $b1 ] ],
        [ [ customerProfileId => $bc, sort => 'ascription' ], [ $b1, $b2 ] ],
        [ [ customerProfileId => $bc, sort => '-created' ], [ $b2, $b1 ] ],
        [ [ iban => $i1, sort => '-customerProfileId' ], [ $b3, $b1 ] ],
        [ [ customerProfileId => $bc, offset => 1 ], [$b2] ],
        [ [ customerProfileId => $bc, limit => 1 ], [$b1] ],
        [ [ customerProfileId => $bc, offset => 2 ], [] ],
    );
    for my $c (@cases) {
        my ($q, $want) = @$c;
        my ($st, $json, $res) = search('/billingInformations', @$q);
        my $name = '?' . qs(@$q);
        is($st, 200, "$name: 200") or do { diag($res->content); next };
        is_deeply(ids($json->{billingInformations}, 'billingInformationId'), $want, "$name: [@$want]");
    }
};

subtest 'GET /billingInformations: item shape and _links' => sub {
    my ($st, $json) = search('/billingInformations', customerProfileId => $bc);
    keys_are($json, [qw(billingInformations _links)], 'body {billingInformations, _links} (#34)');
    my ($i) = @{ $json->{billingInformations} // [] };
    keys_are($i, \@BILLING_KEYS, 'item members as the seed example, bic included');
    is($i && $i->{iban}, $i1, 'iban');
    is($i && $i->{bic}, $x1, 'bic');
    is($i && $i->{ascription}, "$bstem-A", 'ascription');
    is($i && $i->{alias}, "$bstem alias", 'alias');
    like($i && $i->{created} // '', $BILLING_CREATED, 'created format');
    my @f = (customerProfileId => $bc);
    links_ok($json, '/billingInformations', \@f, name => 'one page: self');
    ($st, $json) = search('/billingInformations', @f, limit => 1);
    links_ok($json, '/billingInformations', \@f, limit => 1, next => 1, name => 'first of two: self, next');
    ($st, $json) = search('/billingInformations', @f, limit => 1, offset => 1);
    links_ok($json, '/billingInformations', \@f, limit => 1, offset => 1, name => 'second of two: self, prev');
    my @g = (iban => spaced($i1), sort => '-created', createdAfter => '2020-01-01T00:00:00+01:00');
    ($st, $json) = search('/billingInformations', @g, limit => 1);
    links_ok($json, '/billingInformations', \@g, limit => 1, next => 1, name => 'filters and sort kept as given');
};

subtest 'GET /billingInformations: invalid parameters → 400' => sub {
    for my $c ([ [ createdBefore => '2020-02-30' ], 'createdBefore' ], [ [ createdAfter => 'yesterday' ], 'createdAfter' ],
               [ [ limit => 0 ], 'limit' ], [ [ limit => 101 ], 'limit' ], [ [ offset => 'x' ], 'offset' ],
               [ [ sort => 'colour' ], 'sort' ], [ [ customerProfileId => 'x' ], 'customerProfileId' ],
               [ [ billingInformationId => '1.5' ], 'billingInformationId' ], [ [ swift => 'x' ], 'swift' ]) {
        my ($q, $p) = @$c;
        my ($st, $json, $res) = search('/billingInformations', @$q);
        problem_ok($st, $json, $res, 400, qr{^\Q$p\E$}i, '?' . qs(@$q) . " → 400 naming $p");
    }
};

# ================================================================ mandates

my $mbill;
subtest 'billing information for the mandate tests' => sub {
    $mbill = make_billing($cust, { iban => new_iban(), ascription => 'Mandaten' }, 'billing for mandates');
};

subtest 'POST mandate: seed example on the seed path and on the plural alias (#36)' => sub {
    my $body = '{"directDebitMandate":{"directDebitMandateTypeId":1,"mandateReference":"HTM-mandate-001","mandateState":"PREPARED"}}';
    my ($st, $json, $res, $cid) = wr(POST => "/billingInformation/$mbill/directdebitmandates", $body);
    is($st, 201, '/billingInformation/{id}/directdebitmandates → 201') or diag($res->as_string);
    keys_are($json, ['directDebitMandateId'], 'body {directDebitMandateId}');
    like($json->{directDebitMandateId} // '', qr/^[1-9][0-9]*$/, 'a positive integer id');
    audit_ok($cust, 'insert', $cid, 'audited for the customer owning the billing information');
    my $m = mandate_item($json->{directDebitMandateId} // 0);
    ok($m, 'GET /directdebitmandates?directDebitMandateId= finds it') or return;
    keys_are($m, \@MANDATE_KEYS, 'item members as the seed example (#15)');
    is($m->{customerProfileId}, $cust, 'customerProfileId');
    is($m->{billingInformationId}, $mbill, 'billingInformationId');
    is_deeply($m->{directDebitMandateType},
              { directDebitMandateTypeId => 1, name => 'Paper contract', description => 'Paper contract' },
              'directDebitMandateType with the D4 name, description = name');
    is($m->{mandateReference}, 'HTM-mandate-001', 'mandateReference');
    is($m->{mandateState}, 'PREPARED', 'mandateState');
    like($m->{created} // '', $MANDATE_TS, 'created YYYY-MM-DDTHH:mm:ss');
    like($m->{updateTimestamp} // '', $MANDATE_TS, 'updateTimestamp YYYY-MM-DDTHH:mm:ss');
    is($m->{updateTimestamp}, $m->{created}, 'updateTimestamp = created at creation (D27)');

    ($st, $json, $res, $cid) = wr(POST => "/billingInformations/$mbill/directdebitmandates", $body);
    is($st, 201, '/billingInformations/{id}/directdebitmandates → 201') or diag($res->as_string);
    keys_are($json, ['directDebitMandateId'], 'body {directDebitMandateId}');
    audit_ok($cust, 'insert', $cid);
    $m = mandate_item($json->{directDebitMandateId} // 0);
    is($m && $m->{billingInformationId}, $mbill, 'on the same billing information');
};

subtest 'POST mandate: every type (D4), nested forms (#3)' => sub {
    for my $t (sort keys %MANDATE_TYPE) {
        my $id = make_mandate($cust, $mbill, mandate(directDebitMandateTypeId => $t), "type $t");
        my $m = mandate_item($id);
        is_deeply($m && $m->{directDebitMandateType},
                  { directDebitMandateTypeId => $t + 0, name => $MANDATE_TYPE{$t}, description => $MANDATE_TYPE{$t} },
                  "type $t: $MANDATE_TYPE{$t}");
    }
    my $id = make_mandate($cust, $mbill, mandate(directDebitMandateTypeId => undef,
        directDebitMandateType => { directDebitMandateTypeId => 2, name => 'PIN transaction' },
        mandateState => 'SIGNED'), 'nested type with its name');
    my $m = mandate_item($id);
    is($m && $m->{directDebitMandateType}{directDebitMandateTypeId}, 2, 'type 2');
    is($m && $m->{mandateState}, 'SIGNED', 'SIGNED');
    $id = make_mandate($cust, $mbill, mandate(directDebitMandateTypeId => undef,
        directDebitMandateType => 5, mandateState => 'CANCELLED'), 'directDebitMandateType 5 (integer), created CANCELLED');
    is(mandate_item($id) && mandate_item($id)->{mandateState}, 'CANCELLED', 'CANCELLED');
};

subtest 'POST mandate: invalid → 400 / unknown billing → 404' => sub {
    my @bad = (
        [ 'type 9', mandate(directDebitMandateTypeId => 9), qr{^/directDebitMandateType} ],
        [ 'type 0', mandate(directDebitMandateTypeId => 0), qr{^/directDebitMandateType} ],
        [ 'type "x"', mandate(directDebitMandateTypeId => 'x'), qr{^/directDebitMandateType} ],
        [ 'type name contradicts', mandate(directDebitMandateTypeId => undef,
            directDebitMandateType => { directDebitMandateTypeId => 1, name => 'import' }), qr{^/directDebitMandateType} ],
        [ 'flat vs nested type conflict', mandate(directDebitMandateType => { directDebitMandateTypeId => 2 }), qr{^/directDebitMandateType} ],
        [ 'mandateState "FOO"', mandate(mandateState => 'FOO'), qr{^/mandateState$} ],
        [ 'mandateState 1', mandate(mandateState => 1), qr{^/mandateState$} ],
        [ 'directDebitMandateTypeId missing', mandate(directDebitMandateTypeId => undef), qr{^/directDebitMandateType} ],
        [ 'mandateReference missing', mandate(mandateReference => undef), qr{^/mandateReference$} ],
        [ 'mandateState missing', mandate(mandateState => undef), qr{^/mandateState$} ],
        [ 'mandateReference blank', mandate(mandateReference => ''), qr{^/mandateReference$} ],
        [ 'mandateReference of 36 characters', mandate(mandateReference => 'R' x 36), qr{^/mandateReference$} ],
        [ 'unknown field', mandate(signedBy => 'x'), qr{^/signedBy$} ],
    );
    for my $c (@bad) {
        my ($name, $body, $ptr) = @$c;
        my ($st, $json, $res, $cid) = wr(POST => "/billingInformation/$mbill/directdebitmandates", $body);
        problem_ok($st, $json, $res, 400, $ptr, "$name → 400");
        no_audit_ok($cid);
    }
    my ($st, $json, $res) = wr(POST => "/billingInformation/$mbill/directdebitmandates",
                               { directDebitMandate => mandate(mandateState => undef) });
    problem_ok($st, $json, $res, 400, qr{^(/directDebitMandate)?/mandateState$}, 'envelope: mandateState missing → 400');
    my $cid;
    ($st, $json, $res, $cid) = wr(POST => '/billingInformation/' . MISSING_ID . '/directdebitmandates', mandate());
    problem_ok($st, $json, $res, 404, undef, 'unknown billing id → 404');
    no_audit_ok($cid);
    ($st, $json, $res) = wr(POST => '/billingInformations/' . MISSING_ID . '/directdebitmandates', mandate());
    problem_ok($st, $json, $res, 404, undef, 'unknown billing id on the alias → 404');
    ($st, $json, $res) = wr(POST => '/billingInformation/abc/directdebitmandates', mandate());
    problem_ok($st, $json, $res, 400, qr{billingInformationId}, 'non-numeric billing id → 400');
    my $mid = make_mandate($cust, $mbill, mandate(directDebitMandateId => MISSING_ID), 'directDebitMandateId in the body (#7)');
    isnt($mid, MISSING_ID, 'the mandate id is the server\'s');
    my $want = psql(qq{SELECT to_char(created AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD"T"HH24:MI:SS')
                         FROM direct_debit_mandate WHERE direct_debit_mandate_id = $mid});
    is(mandate_item($mid) && mandate_item($mid)->{created}, $want, "mandate created is Amsterdam local ($want)");
    ok(length('R' x 35) == 35 && make_mandate($cust, $mbill, mandate(mandateReference => 'R' x 35), 'reference of 35 characters'),
       'a reference of 35 characters is accepted');
};

subtest 'D27: updateTimestamp is the same instant as created for new mandates' => sub {
    # Seen as: updatedBefore=<created of a never-changed mandate> not finding it,
    # or updateTimestamp one second after created when created ends in .999999.
    # The two can differ by a microsecond, so create many and compare the
    # stored instants.
    my @ids;
    for my $n (1 .. 100) {
        my ($st, $json) = wr(POST => "/billingInformation/$mbill/directdebitmandates", mandate());
        push @ids, $json->{directDebitMandateId} if $st == 201 && ref $json eq 'HASH';
    }
    is(scalar @ids, 100, '100 mandates created');
    my $list = join(',', map { $_ + 0 } @ids) || 0;
    my @differ = psql_rows(qq{SELECT direct_debit_mandate_id, created, update_timestamp
                                FROM direct_debit_mandate
                               WHERE direct_debit_mandate_id IN ($list) AND created <> update_timestamp});
    is(scalar @differ, 0, 'every new mandate has updateTimestamp = created')
        or diag(join "\n", map { "@$_" } @differ[0 .. ($#differ < 4 ? $#differ : 4)]);
    my $first = $ids[0] // 0;
    my $at = db_instant('direct_debit_mandate', 'created', 'direct_debit_mandate_id', $first);
    my ($st, $json) = search('/directdebitmandates', directDebitMandateId => $first, updatedBefore => $at);
    is_deeply(ids($json && $json->{directDebitMandates}, 'directDebitMandateId'), [$first],
              'updatedBefore=<its created instant> finds a new mandate');
};

subtest 'PATCH mandate: seed example, updateTimestamp (D27), CANCELLED is final (D6)' => sub {
    my $id = make_mandate($cust, $mbill, mandate(mandateReference => 'CORE01'), 'mandate');
    my $m0 = mandate_item($id);
    sleep 1; Time::HiRes::sleep(0.1);

    my ($st, $json, $res, $cid) = wr(PATCH => "/directdebitmandates/$id",
        '{"directDebitMandate":{"mandateState":"CANCELLED"}}');
    is($st, 200, 'seed example → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    keys_are($json, \@MANDATE_KEYS, 'full object (#32)');
    is($json->{directDebitMandateId}, $id, 'directDebitMandateId');
    is($json->{customerProfileId}, $cust, 'customerProfileId');
    is($json->{billingInformationId}, $mbill, 'billingInformationId');
    is_deeply($json->{directDebitMandateType},
              { directDebitMandateTypeId => 1, name => 'Paper contract', description => 'Paper contract' },
              'directDebitMandateType');
    is($json->{mandateReference}, 'CORE01', 'mandateReference');
    is($json->{mandateState}, 'CANCELLED', 'mandateState CANCELLED');
    is($json->{created}, $m0 && $m0->{created}, 'created unchanged');
    like($json->{updateTimestamp} // '', $MANDATE_TS, 'updateTimestamp format');
    ok(($json->{updateTimestamp} // '') gt ($m0 && $m0->{updateTimestamp} // '~'),
       "updateTimestamp moved on (" . ($m0 && $m0->{updateTimestamp} // "undef") . " → " . ($json->{updateTimestamp} // 'undef') . ')');
    is_deeply(mandate_item($id), $json, 'the same object as GET /directdebitmandates');

    for my $s (qw(PREPARED SIGNED)) {
        my ($st2, $json2, $res2, $cid2) = wr(PATCH => "/directdebitmandates/$id", { mandateState => $s });
        problem_ok($st2, $json2, $res2, 409, undef, "CANCELLED → $s: 409");
        like($json2 && $json2->{type} // '', qr{/probs/conflict$}, 'type …/conflict');
        no_audit_ok($cid2);
    }
    is((mandate_item($id) // {})->{mandateState}, 'CANCELLED', 'still CANCELLED');
    my $ts1 = $json->{updateTimestamp};
    sleep 1; Time::HiRes::sleep(0.1);
    ($st, $json, $res, $cid) = wr(PATCH => "/directdebitmandates/$id",
        { directDebitMandate => { mandateReference => 'CORE02', directDebitMandateTypeId => 3 } });
    is($st, 200, 'other fields of a CANCELLED mandate may change → 200') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    is($json->{mandateReference}, 'CORE02', 'reference changed');
    is($json->{directDebitMandateType}{name}, 'SEPA eMandate', 'type changed');
    ok(($json->{updateTimestamp} // '') gt ($ts1 // '~'), 'updateTimestamp moved on again');
    ($st) = wr(PATCH => "/directdebitmandates/$id", { mandateState => 'CANCELLED' });
    is($st, 200, 'CANCELLED → CANCELLED → 200');
};

subtest 'PATCH mandate: PREPARED → SIGNED → PREPARED allowed; invalid bodies' => sub {
    my $id = make_mandate($cust, $mbill, mandate(), 'mandate');
    my $m0 = mandate_item($id);
    my ($st, $json, $res, $cid) = wr(PATCH => "/directdebitmandates/$id", { directDebitMandate => { mandateState => 'SIGNED' } });
    is($st, 200, 'PREPARED → SIGNED → 200') or diag($res->content);
    is($json->{mandateState}, 'SIGNED', 'SIGNED');
    audit_ok($cust, 'update', $cid);
    ($st, $json, $res, $cid) = wr(PATCH => "/directdebitmandates/$id", { mandateState => 'PREPARED' });
    is($st, 200, 'SIGNED → PREPARED → 200 (D6: other transitions allowed)') or diag($res->content);
    audit_ok($cust, 'update', $cid);
    is($json->{created}, $m0 && $m0->{created}, 'created unchanged');

    for my $c ([ '{}', {} ], [ '{"directDebitMandate":{}}', { directDebitMandate => {} } ],
               [ 'mandateState FOO', { mandateState => 'FOO' } ], [ 'type 9', { directDebitMandateTypeId => 9 } ],
               [ 'mandateReference null', { mandateReference => undef } ],
               [ 'other directDebitMandateId', { directDebitMandateId => $id + 1, mandateState => 'SIGNED' } ],
               [ 'unknown field', { note => 'x' } ]) {
        my ($st2, $json2, $res2, $cid2) = wr(PATCH => "/directdebitmandates/$id", $c->[1]);
        problem_ok($st2, $json2, $res2, 400, undef, "PATCH $c->[0] → 400");
        no_audit_ok($cid2);
    }
    ($st, $json, $res) = wr(PATCH => '/directdebitmandates/' . MISSING_ID, { mandateState => 'SIGNED' });
    problem_ok($st, $json, $res, 404, undef, 'unknown mandate → 404');
    ($st, $json, $res) = wr(PATCH => '/directdebitmandates/x', { mandateState => 'SIGNED' });
    problem_ok($st, $json, $res, 400, qr{directdebitmandateId}i, 'non-numeric mandate id → 400');
};

# ------------------------------------------------ GET /directdebitmandates

my $mc  = new_customer();
my $mo  = new_customer();
my $mstem = uniq_name('MR');
my ($mb1, $mb2, $mbo, $m1, $m2, $m3, $m4, $mid1, $mid2, $m1_at);
subtest 'GET /directdebitmandates: test data' => sub {
    $mb1 = make_billing($mc, { iban => new_iban(), ascription => 'MC 1' }, 'billing MB1');
    $mb2 = make_billing($mc, { iban => new_iban(), ascription => 'MC 2' }, 'billing MB2');
    $mbo = make_billing($mo, { iban => new_iban(), ascription => 'MO' }, 'billing MBO (control)');
    $m1 = make_mandate($mc, $mb1, mandate(directDebitMandateTypeId => 1, mandateReference => "$mstem-1", mandateState => 'PREPARED'), 'M1');
    $m2 = make_mandate($mc, $mb1, mandate(directDebitMandateTypeId => 2, mandateReference => "$mstem-2", mandateState => 'SIGNED'), 'M2');
    $mid1 = db_now();
    $m3 = make_mandate($mc, $mb2, mandate(directDebitMandateTypeId => 3, mandateReference => "$mstem-3", mandateState => 'PREPARED'), 'M3');
    $m4 = make_mandate($mo, $mbo, mandate(directDebitMandateTypeId => 1, mandateReference => uc "$mstem-1", mandateState => 'SIGNED'), 'M4 (control)');
    $mid2 = db_now();
    my ($st, $json, $res, $cid) = wr(PATCH => "/directdebitmandates/$m3", { mandateState => 'CANCELLED' });
    is($st, 200, 'M3 cancelled after mid2');
    audit_ok($mc, 'update', $cid);
    $m1_at = db_instant('direct_debit_mandate', 'created', 'direct_debit_mandate_id', $m1);
    ok($m1 && $m2 && $m3 && $m4 && $m1_at, 'four mandates');
};

subtest 'GET /directdebitmandates: each of the 13 parameters' => sub {
    my @cases = (
        [ [ directDebitMandateId => $m2 ], [$m2] ],
        [ [ customerProfileId => $mc ], [ $m1, $m2, $m3 ] ],
        [ [ customerProfileId => $mo ], [$m4] ],
        [ [ billingInformationId => $mb2 ], [$m3] ],
        [ [ billingInformationId => $mb1 ], [ $m1, $m2 ] ],
        [ [ billingInformationId => $mb1, customerProfileId => $mo ], [] ],
        [ [ customerProfileId => $mc, directDebitMandateTypeId => '1,2' ], [ $m1, $m2 ] ],
        [ [ customerProfileId => $mc, directDebitMandateTypeId => 1, directDebitMandateTypeId => 3 ], [ $m1, $m3 ] ],
        [ [ customerProfileId => $mc, createdBefore => $mid1 ], [ $m1, $m2 ] ],
        [ [ customerProfileId => $mc, createdAfter => $mid1 ], [$m3] ],
        [ [ customerProfileId => $mc, createdBefore => $m1_at ], [$m1] ],
        [ [ customerProfileId => $mc, createdAfter => $m1_at ], [ $m1, $m2, $m3 ] ],
        [ [ customerProfileId => $mc, createdAfter => $mid2 ], [] ],
        [ [ mandateReference => lc "$mstem-1" ], [ $m1, $m4 ] ],
        [ [ mandateReference => "$mstem-1", customerProfileId => $mc ], [$m1] ],
        [ [ mandateReference => "$mstem-3" ], [$m3] ],
        [ [ customerProfileId => $mc, mandateState => 'SIGNED,PREPARED' ], [ $m1, $m2 ] ],
        [ [ customerProfileId => $mc, mandateState => 'CANCELLED' ], [$m3] ],
        [ [ customerProfileId => $mc, mandateState => 'SIGNED', mandateState => 'CANCELLED' ], [ $m2, $m3 ] ],
        [ [ customerProfileId => $mc, updatedBefore => $mid2 ], [ $m1, $m2 ] ],
        [ [ customerProfileId => $mc, updatedAfter => $mid2 ], [$m3] ],
        [ [ customerProfileId => $mc, updatedAfter => $mid1 ], [$m3] ],
        [ [ customerProfileId => $mc, sort => '-directDebitMandateId' ], [ $m3, $m2, $m1 ] ],
        [ [ customerProfileId => $mc, sort => '-mandateReference' ], [ $m3, $m2, $m1 ] ],
        [ [ customerProfileId => $mc, sort => 'mandateState,-directDebitMandateId' ], [ $m3, $m1, $m2 ] ],
        [ [ customerProfileId => $mc, sort => '-updateTimestamp' ], [ $m3, $m2, $m1 ] ],
        [ [ customerProfileId => $mc, offset => 1 ], [ $m2, $m3 ] ],
        [ [ customerProfileId => $mc, limit => 2 ], [ $m1, $m2 ] ],
        [ [ customerProfileId => $mc, offset => 2, limit => 1 ], [$m3] ],
    );
    for my $c (@cases) {
        my ($q, $want) = @$c;
        my ($st, $json, $res) = search('/directdebitmandates', @$q);
        my $name = '?' . qs(@$q);
        is($st, 200, "$name: 200") or do { diag($res->content); next };
        is_deeply(ids($json->{directDebitMandates}, 'directDebitMandateId'), $want, "$name: [@$want]");
    }
};

subtest 'GET /directdebitmandates: item shape and _links' => sub {
    my ($st, $json) = search('/directdebitmandates', directDebitMandateId => $m3);
    keys_are($json, [qw(directDebitMandates _links)], 'body {directDebitMandates, _links}');
    my $m = $json->{directDebitMandates}[0] // {};
    keys_are($m, \@MANDATE_KEYS, 'item members as the seed example');
    is($m->{customerProfileId}, $mc, 'customerProfileId');
    is($m->{billingInformationId}, $mb2, 'billingInformationId');
    is_deeply($m->{directDebitMandateType},
              { directDebitMandateTypeId => 3, name => 'SEPA eMandate', description => 'SEPA eMandate' }, 'type 3');
    is($m->{mandateReference}, "$mstem-3", 'mandateReference');
    is($m->{mandateState}, 'CANCELLED', 'mandateState');
    like($m->{created} // '', $MANDATE_TS, 'created format');
    like($m->{updateTimestamp} // '', $MANDATE_TS, 'updateTimestamp format');
    my @f = (customerProfileId => $mc, mandateState => 'SIGNED,PREPARED,CANCELLED');
    ($st, $json) = search('/directdebitmandates', @f);
    links_ok($json, '/directdebitmandates', \@f, name => 'one page: self');
    ($st, $json) = search('/directdebitmandates', @f, limit => 2);
    links_ok($json, '/directdebitmandates', \@f, limit => 2, next => 1, name => 'first page: self, next');
    ($st, $json) = search('/directdebitmandates', @f, limit => 1, offset => 1);
    links_ok($json, '/directdebitmandates', \@f, limit => 1, offset => 1, next => 1, name => 'middle: self, prev, next');
    ($st, $json) = search('/directdebitmandates', @f, limit => 2, offset => 2);
    links_ok($json, '/directdebitmandates', \@f, limit => 2, offset => 2, name => 'last: self, prev');
};

subtest 'GET /directdebitmandates: invalid parameters → 400' => sub {
    for my $c ([ [ mandateState => 'SIGNED,FOO' ], 'mandateState' ], [ [ directDebitMandateTypeId => 'x' ], 'directDebitMandateTypeId' ],
               [ [ updatedAfter => '2020-13-01' ], 'updatedAfter' ], [ [ createdBefore => 'now' ], 'createdBefore' ],
               [ [ limit => 0 ], 'limit' ], [ [ limit => 101 ], 'limit' ], [ [ sort => 'colour' ], 'sort' ],
               [ [ billingInformationId => 'x' ], 'billingInformationId' ], [ [ state => 'SIGNED' ], 'state' ]) {
        my ($q, $p) = @$c;
        my ($st, $json, $res) = search('/directdebitmandates', @$q);
        problem_ok($st, $json, $res, 400, qr{^\Q$p\E$}i, '?' . qs(@$q) . " → 400 naming $p");
    }
};

# ====================================================== GET /customers view

subtest 'GET /customers: financial filters find the customer (#17, #42)' => sub {
    my $balias = uniq_name('Rekening');
    my $iban = new_iban('SNSB');
    my $bic = new_bic(11);
    my $asc = uniq_name('T.n.v.');
    my $bmc = make_billing($mc, { iban => $iban, bic => $bic, ascription => $asc, alias => $balias }, "billing of MC");
    my $bo2 = make_billing($mo, { iban => new_iban('SNSB'), bic => new_bic(8), ascription => "$asc-x", alias => "$balias-x" },
                           'control billing of MO');
    my @cases = (
        [ [ mandateReference => "$mstem-2" ], [$mc] ],
        [ [ mandateReference => lc "$mstem-1" ], [ $mc, $mo ] ],
        [ [ iban => $iban ], [$mc] ],
        [ [ iban => spaced($iban) ], [$mc] ],
        [ [ bic => lc $bic ], [$mc] ],
        [ [ ascription => uc $asc ], [$mc] ],
        [ [ billingAlias => lc $balias ], [$mc] ],
        [ [ billingAlias => "$balias-x" ], [$mo] ],
        [ [ iban => $iban, billingAlias => "$balias-x" ], [] ],
        [ [ iban => $iban, ascription => $asc, bic => $bic, billingAlias => $balias ], [$mc] ],
        [ [ mandateReference => "$mstem-3", iban => $iban ], [$mc] ],
    );
    for my $c (@cases) {
        my ($q, $want) = @$c;
        my ($st, $json, $res) = search('/customers', @$q);
        my $name = '?' . qs(@$q);
        is($st, 200, "$name: 200") or do { diag($res->content); next };
        is_deeply([ sort { $a <=> $b } @{ ids($json->{customers}, 'customerProfileId') } ],
                  [ sort { $a <=> $b } @$want ], "$name: [@$want]");
    }
    my $item = get_customer($mc);
    my $text = JSON::PP->new->canonical->encode($item // {});
    unlike($text, qr/\Q$iban\E|"iban"|"bic"|"mandateReference"|billingInformation/i,
           'GET /customers does not return the financial details');
};

subtest 'GET /customers shows the audit rows of billing and mandate changes' => sub {
    my $c = get_customer($mc);
    my @rows = @{ $c && $c->{auditTrails} // [] };
    my %act;
    $act{ $_->{action} }++ for grep { ($_->{user} // '') eq writer() } @rows;
    is_deeply(\%act, { insert => 6, update => 1 },
              "MC: 6 inserts (billing MB1, MB2 and one more, mandates M1-M3), 1 update (M3)");
    ok(!grep({ ($_->{customerProfileId} // 0) != $mc } @rows), 'only rows of MC');
};

subtest 'read-only token cannot write billing or mandates' => sub {
    my $ro = 'Bearer ' . token(scope => 'customers:read');
    my ($st) = api_post("/customers/$cust/billingInformations", { iban => new_iban(), ascription => 'x' }, Authorization => $ro);
    is($st, 403, 'POST billing → 403');
    ($st) = api_patch("/directdebitmandates/$m1", { mandateState => 'SIGNED' }, Authorization => $ro);
    is($st, 403, 'PATCH mandate → 403');
    ($st) = api_get("/directdebitmandates?directDebitMandateId=$m1", undef, Authorization => undef);
    is($st, 401, 'GET /directdebitmandates without a token → 401 (#39)');
    ($st) = api_get("/billingInformations?billingInformationId=$b1", undef, Authorization => undef);
    is($st, 401, 'GET /billingInformations without a token → 401 (#39)');
};

subtest 'test helper iban_for() agrees with the seed IBANs (the invalid-IBAN cases rely on it)' => sub {
    for my $i (qw(NL73RABO2677424363 NL06RABO8902022560 NL27ABNA4458972219)) {
        is(iban_for(substr($i, 0, 2), '', substr($i, 4)), $i, "$i: iban_for() agrees");
    }
};

audits_in_db_ok();
