# Hostile input found by a robustness review: each case once broke or was
# too lenient; these keep it fixed.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use AbtTest;

plan tests => 14;

sub create_customer {
    my ($st, $json) = api_post('/customers', {});
    die "POST /customers: $st" unless $st == 201;
    return $json->{customerProfileId};
}

sub count_rows { psql("SELECT count(*) FROM $_[0]") }

my $c1 = create_customer();
my $c2 = create_customer();

# A token POSTed for customer N may name token N as its replacement: the
# path id is the customer's, not the token's.
{
    my ($st, $json) = api_post("/customers/$c1/ovpaytokens",
                               { tokenTypeId => 1, tokenStatusId => 2 });
    is($st, 201, 'a token to be named') or diag(explain $json);
    my $named = $json->{ovPayTokenId};
    # a customer whose id is that token's id (ids are separate sequences)
    psql("INSERT INTO customer_profile (customer_profile_id) VALUES ($named)"
         . " ON CONFLICT DO NOTHING");
    psql("SELECT setval(pg_get_serial_sequence('customer_profile',"
         . " 'customer_profile_id'), (SELECT max(customer_profile_id)"
         . " FROM customer_profile))");
    ($st, $json) = api_post("/customers/$named/ovpaytokens",
                            { tokenTypeId => 1, tokenStatusId => 2,
                              replacedByTokenId => $named });
    is($st, 201, 'POST with replacedByTokenId equal to the path id number')
        or diag(explain $json);
}

# Content codings are not supported: 415, nothing written.
{
    my $before = count_rows('customer_profile');
    my ($st, $json, $res) = api_post('/customers', '{}',
                                     'Content-Encoding' => 'gzip');
    is($st, 415, 'Content-Encoding gzip: 415');
    like($res->header('Content-Type') // '', qr{^application/problem\+json},
         '415 is problem+json');
    is(count_rows('customer_profile'), $before, '415 wrote nothing');
}

# Control characters inside free text are refused, naming the field.
{
    my ($st, $json) = api_post('/customers',
                               { person => { surname => "x\r\nX-Injected: 1" } });
    is($st, 400, 'CR LF inside a surname: 400');
    is($json && $json->{errors} && $json->{errors}[0]{pointer}, '/person/surname',
       'the problem names /person/surname');
    ($st) = api_post("/customers/$c1/ovchipcards",
                     { chipCardNumber => "12\x{85}34" });
    is($st, 400, 'a C1 control (U+0085) in chipCardNumber: 400');
}

# Offsets PostgreSQL cannot read and years outside 1900-9998 are refused
# with the seed's datetime problem, not a database error.
{
    my ($st, $json) = api_get('/billingInformations?createdAfter=2020-01-01T00:00:00%2B16:00');
    is($st, 400, 'offset +16:00 in a filter: 400');
    is($json && $json->{errors} && $json->{errors}[0]{parameter}, 'createdAfter',
       'the problem names the parameter');
    like($json && $json->{detail} // '', qr/is not a valid Datetime/, 'datetime detail');
    ($st, $json) = api_patch("/customers/$c2", { lastLogin => '0001-01-01T00:00:00+15:00' });
    is($st, 400, 'lastLogin in year 1: 400');
    is($json && $json->{errors} && $json->{errors}[0]{pointer}, '/lastLogin',
       'the problem names /lastLogin');
}

# An id beyond 2^63-1 cannot exist: 404 without echoing a wrong number.
{
    my ($st, $json) = api_post('/customers/9223372036854775808/phones',
        { number => '0701112233', countryCode => '+31', phoneTypeId => 1 });
    ok($st == 404 && ($json->{detail} // '') !~ / 0 /,
       'parent id out of range: 404 without "0"') or diag(explain $json);
}
