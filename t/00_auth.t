# Authentication and authorisation in front of the API: mod_auth_openidc
# (signature, exp), the Require claim rules of conf/abtcustomers.conf (iss,
# aud, scopes), ABTCustomersTokenTimes (missing exp, future nbf/iat) and the
# problem+json bodies of the abtcustomers-problem ErrorDocument handler.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use AbtTest;

plan tests => 26;

my $now = time;

# problem_ok($status, $json, $res, $want, $name): an RFC 9457 problem+json
# answer with status $want (pass the list api_get returns, then $want).
sub problem_ok {
    my ($status, $json, $res, $want, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    subtest $name => sub {
        is($status, $want, 'status');
        like($res->header('Content-Type') // '', qr{^application/problem\+json\b},
             'Content-Type problem+json');
        ok(ref $json eq 'HASH', 'body is a JSON object')
            or diag($res->content);
        $json = {} unless ref $json eq 'HASH';
        ok(defined $json->{type} && length $json->{type}, 'type');
        ok(defined $json->{title} && length $json->{title}, 'title');
        is($json->{status}, $want, 'status member');
        ok(defined $json->{detail}, 'detail');
        like($json->{instance} // '', qr{^urn:uuid:[0-9a-f-]{36}$}i, 'instance urn:uuid');
    };
}

sub www_auth { $_[0]->header('WWW-Authenticate') // '' }
sub bearer   { (Authorization => "Bearer $_[0]") }

# --- 401: no or invalid token ------------------------------------------------

{
    my @r = api_get('/customers', undef, Authorization => undef);
    problem_ok(@r, 401, 'no token: 401 problem+json');
    like(www_auth($r[2]), qr/^Bearer\b/, 'no token: WWW-Authenticate Bearer');
}

{
    my @r = api_get('/customers', undef, bearer(token_with_key(other_rsa_key())));
    problem_ok(@r, 401, 'signed with an unknown key: 401');
    like(www_auth($r[2]), qr/^Bearer\b.*invalid_token/, 'bad signature: invalid_token');
}

{
    my @r = api_get('/customers', undef, bearer(token(iat => $now - 7200, exp => $now - 600)));
    problem_ok(@r, 401, 'expired token: 401');
}

{
    # mod_auth_openidc 2.4.12 accepts a JWT without exp; the module refuses
    # it (ABTCustomersTokenTimes On).
    my @r = api_get('/customers', undef, bearer(token(exp => undef)));
    problem_ok(@r, 401, 'token without exp: 401');
    like(www_auth($r[2]), qr/^Bearer\b/, 'token without exp: WWW-Authenticate Bearer');
}

{
    my @r = api_get('/customers', undef, bearer(token(nbf => $now + 3600)));
    is($r[0], 401, 'token with nbf in the future: 401');
}

{
    my @r = api_get('/customers', undef,
                    bearer(token(iat => $now + 3600, exp => $now + 7200)));
    is($r[0], 401, 'token issued in the future: 401');
}

{
    my ($st) = api_get('/customers', undef, bearer(token_unsigned()));
    is($st, 401, 'alg none: 401');
}

{
    my ($st) = api_get('/customers', undef, bearer('not.a.jwt'));
    is($st, 401, 'garbage token: 401');
}

{
    my ($st) = api_get('/customers', undef, bearer(token(sub => undef)));
    is($st, 401, 'token without sub: 401');
}

# --- refused by the Require claim rules: 403 ---------------------------------
# (AuthzSendForbiddenOnFailure On: a valid token that fails authorisation
# gets 403, not a bare 401 without WWW-Authenticate.)

{
    my @r = api_get('/customers', undef, bearer(token(iss => 'https://evil.example/issuer')));
    problem_ok(@r, 403, 'wrong issuer: 403');
}

{
    my @r = api_get('/customers', undef, bearer(token(aud => 'someone-else')));
    problem_ok(@r, 403, 'wrong audience: 403');
}

{
    my ($st) = api_get('/customers', undef, bearer(token(aud => undef)));
    is($st, 403, 'no audience: 403');
}

{
    my ($st) = api_get('/customers', undef, bearer(token(scope => 'openid profile')));
    is($st, 403, 'no API scope: 403');
}

{
    my ($st) = api_get('/customers', undef, bearer(token(scope => 'customers:readonly xcustomers:read')));
    is($st, 403, 'scope regex needs whole words: 403');
}

# --- read-only token -----------------------------------------------------------

my $read = token(scope => 'customers:read');
{
    my ($st, $json, $res) = api_get('/customers?limit=1', undef, bearer($read));
    is($st, 200, 'read token: GET /customers 200')
        or diag($res->as_string);
    ok(ref $json eq 'HASH' && ref $json->{customers} eq 'ARRAY',
       'read token: a customers page');
}

{
    my ($st) = api_get('/customers', undef,
                       bearer(token(scope => 'openid customers:read profile')));
    is($st, 200, 'read scope among others: GET 200');
}

{
    my ($st) = api_get('/customers', undef,
                       bearer(token(scope => 'customers:read', aud => ['other', AUDIENCE])));
    is($st, 200, 'audience array containing abtcustomers: GET 200');
}

{
    my @r = api_post('/customers', { person => { firstName => uniq_name('Auth') } },
                     bearer($read));
    problem_ok(@r, 403, 'read token: POST /customers 403 problem+json');
}

{
    my ($st) = api_patch('/customers/1', { lastLogin => undef }, bearer($read));
    is($st, 403, 'read token: PATCH 403');
}

{
    my ($st) = api_delete('/addresses/1', undef, bearer($read));
    is($st, 403, 'read token: DELETE 403');
}

# --- write token -------------------------------------------------------------

{
    my $write = token(scope => 'customers:write');
    my ($st, $json, $res) = api_post('/customers',
        { person => { birthname => uniq_name('Auth'), surname => 'Test' } },
        bearer($write));
    is($st, 201, 'write token: POST /customers 201')
        or diag($res->as_string);
    ok(ref $json eq 'HASH' && $json->{customerProfileId}, 'write token: an id');
}
