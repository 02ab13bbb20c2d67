# Cross-cutting protocol behaviour of mod_abtcustomers against the real
# httpd + module + mod_auth_openidc + PostgreSQL: correlation ids (D21),
# request bodies (JSON strictness, size limit D28, media type, integer
# fields, unknown fields, atomic writes), the query-string parser, routing
# (404/405, trailing slash), the problem+json shape of every error (D11),
# and PostgreSQL restarted or stopped under a running httpd.
#
# The PostgreSQL part needs ABT_PGDATA (exported by build/test: the
# throwaway cluster's data folder) and root (pg_ctl runs as postgres through
# runuser); without them it is skipped.
use strict;
use warnings FATAL => 'all';

use Apache::Test qw(-withtestmore);
use AbtTest;
use AbtCheck;
use Time::HiRes ();
use File::Basename qw(dirname);
use POSIX ();

plan tests => 10;

my $TAG = run_tag();
my $V4 = qr/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
my $PROBS = 'https://htm.nl/api/v1/probs/';

sub counts {
    return psql("SELECT concat_ws('/', (SELECT count(*) FROM customer_profile),"
              . " (SELECT count(*) FROM address), (SELECT count(*) FROM phone),"
              . " (SELECT count(*) FROM customer_status_instance),"
              . " (SELECT count(*) FROM customer_preference), (SELECT count(*) FROM audit_trail))");
}

sub pointers { map { $_->{pointer} // () } @{ $_[0]{errors} || [] } }

# ------------------------------------------------------------ correlation

subtest 'X-Correlation-ID (D21)' => sub {
    my $cid = uuid_v4();
    my ($st, undef, $res) = api_get('/customers?limit=1', undef, 'X-Correlation-ID' => $cid);
    is($st, 200, 'GET with a UUID: 200');
    is($res->header('X-Correlation-ID'), $cid, 'echoed in the response header');

    $cid = uuid_v4();
    my $j;
    ($st, $j, $res) = api_post('/customers', { person => { surname => "Corr-$TAG" } }, 'X-Correlation-ID' => $cid);
    is($st, 201, 'POST with a UUID: 201');
    is($res->header('X-Correlation-ID'), $cid, 'echoed on the POST');
    my $id = $j ? $j->{customerProfileId} : 0;
    is(psql("SELECT correlation_id FROM audit_trail WHERE customer_profile_id = $id"), $cid,
       'stored in the audit row');
    is(get_customer($id)->{auditTrails}[0]{correlationId}, $cid, 'and shown in GET auditTrails');

    my $seed_v1 = '4017fabc-1b28-11e8-accf-0ed5f89f718b';    # the seed's own (version 1) UUID
    ($st, undef, $res) = api_get('/customers?limit=1', undef, 'X-Correlation-ID' => $seed_v1);
    is($st, 200, 'a version 1 UUID is a UUID too: 200');
    is($res->header('X-Correlation-ID'), $seed_v1, 'echoed');
    my $upper = uc uuid_v4();
    ($st, undef, $res) = api_get('/customers?limit=1', undef, 'X-Correlation-ID' => $upper);
    is($st, 200, 'an upper-case UUID: 200');
    is(lc($res->header('X-Correlation-ID') // ''), lc $upper, 'echoed (case aside)');

    ($st, undef, $res) = api_get('/customers?limit=1');
    my $gen1 = $res->header('X-Correlation-ID') // '';
    like($gen1, $V4, 'absent: a generated UUID v4 in the header');
    (undef, undef, $res) = api_get('/customers?limit=1');
    my $gen2 = $res->header('X-Correlation-ID') // '';
    like($gen2, $V4, 'again');
    isnt($gen1, $gen2, 'a new one per request');
    ($st, $j, $res) = api_post('/customers', { person => { surname => "Corr-$TAG" } });
    my $gen = $res->header('X-Correlation-ID') // '';
    like($gen, $V4, 'POST without one: generated');
    is(psql("SELECT correlation_id FROM audit_trail WHERE customer_profile_id = " . ($j ? $j->{customerProfileId} : 0)),
       $gen, 'the generated id is the one stored');

    my $before = counts();
    my $p = problem_ok(api_post('/customers', { person => { surname => "Corr-$TAG" } }, 'X-Correlation-ID' => 'not-a-uuid'),
                       400, '"not-a-uuid": 400 problem');
    is(counts(), $before, 'nothing written');
    problem_ok(api_get('/customers', undef, 'X-Correlation-ID' => ''), 400, 'empty header: 400 problem');
    problem_ok(api_get('/customers', undef, 'X-Correlation-ID' => "$cid-1"), 400, 'UUID with extra characters: 400');

    $cid = uuid_v4();
    $p = problem_ok(api_get('/customers?nonsense=1', undef, 'X-Correlation-ID' => $cid), 400, 'an error with a given id');
    is($p->{instance}, "urn:uuid:$cid", 'problem instance is urn:uuid:<the id sent>');
    $cid = uuid_v4();
    $p = problem_ok(api_get('/customers', undef, 'X-Correlation-ID' => $cid, Authorization => undef), 401,
                    '401 from mod_auth_openidc with a given id');
    is($p->{instance}, "urn:uuid:$cid", '401 problem instance is urn:uuid:<the id sent>');
    my (undef, undef, $r401) = api_get('/customers', undef, 'X-Correlation-ID' => $cid, Authorization => undef);
    is($r401->header('X-Correlation-ID'), $cid, '401: header echoed');
};

# ---------------------------------------------------------------- bodies

subtest 'request bodies: JSON strictness' => sub {
    my $before = counts();
    my $post = sub { api_post('/customers', $_[0]) };
    problem_ok($post->('{"person":'), 400, 'truncated JSON: 400');
    problem_ok($post->('{"person":{"surname":"a"},}'), 400, 'trailing comma: 400');
    problem_ok($post->("{'person':{}}"), 400, 'single quotes: 400');
    problem_ok($post->('{} x'), 400, 'trailing garbage: 400');
    problem_ok($post->('{}{}'), 400, 'two documents: 400');
    problem_ok($post->('{"debtorStatusId":1,"debtorStatusId":2}'), 400, 'duplicate keys: 400');
    problem_ok($post->('{"debtorStatusId":1,"debtorStatusId":1}'), 400, 'duplicate keys with the same value: 400');
    problem_ok($post->(qq({"person":{"surname":"a$TAG","surname":"b"}})), 400, 'duplicate keys inside person: 400');
    problem_ok($post->(qq({"person":{"surname":"a\\u0000b$TAG"}})), 400, '"\\u0000" in a string: 400');
    problem_ok($post->(qq({"person":{"surname":"a\\ud800b$TAG"}})), 400, 'a lone surrogate: 400');
    problem_ok($post->(qq({"person":{"surname":"a\xffb$TAG"}})), 400, 'invalid UTF-8: 400');
    my $deep = '{"person":' . ('{"surname":' x 99) . '"x"' . ('}' x 100);
    problem_ok($post->($deep), 400, 'nesting 100 deep: 400');
    my $deep_arr = '{"addresses":' . ('[' x 100) . (']' x 100) . '}';
    problem_ok($post->($deep_arr), 400, 'arrays nested 100 deep: 400');
    problem_ok($post->('[]'), 400, 'an array body: 400');
    problem_ok($post->('"x"'), 400, 'a string body: 400');
    problem_ok($post->('null'), 400, 'null body: 400');
    problem_ok($post->(''), 400, 'empty body: 400');
    is(counts(), $before, 'nothing written by any of them');
    my ($st) = api_post('/customers', qq({ "person" : { "surname" : "ws-$TAG" } }\n\t ));
    is($st, 201, 'whitespace around tokens and at the end is fine: 201');
};

subtest 'request bodies: media type and size (D28)' => sub {
    my $before = counts();
    problem_ok(api_post('/customers', '{}', 'Content-Type' => 'text/plain'), 415, 'text/plain: 415 problem');
    problem_ok(api_post('/customers', '{}', 'Content-Type' => 'application/x-www-form-urlencoded'), 415, 'form: 415');
    is(counts(), $before, 'nothing written');
    my ($st) = api_post('/customers', qq({"person":{"surname":"ct-$TAG"}}), 'Content-Type' => 'application/json; charset=utf-8');
    is($st, 201, 'application/json; charset=utf-8: 201');

    my $id = create_customer({ person => { surname => "Size-$TAG" } });
    ($st) = api_patch("/customers/$id", { debtorStatusId => 2 }, 'Content-Type' => 'application/merge-patch+json');
    is($st, 201, 'application/merge-patch+json on PATCH: 201');

    # exactly 64 KiB is allowed, one byte more is not
    my $at = '{}' . (' ' x (65536 - 2));
    $before = counts();
    ($st, undef, my $res) = api_post('/customers', $at);
    is($st, 201, 'a body of exactly 65536 bytes: 201') or diag($res->status_line);
    my $after_ok = counts();
    isnt($after_ok, $before, 'it was written');
    my $big = qq({"person":{"surname":"big-$TAG","birthname":") . ('x' x 70000) . '"}}';
    my $over = '{}' . (' ' x (65537 - 2));
    for my $case ([ $over, '65537 bytes' ], [ $big, '70 kB' ]) {
        my @r = res_triple(raw_exchange([ raw_request_text('POST', '/customers', $case->[0]) ]));
        problem_ok(@r, 413, "$case->[1] with Content-Length: 413 problem");
    }
    my $chunked_head = raw_request_text('POST', '/customers', '', 'Transfer-Encoding' => 'chunked');
    my @chunks = map { sprintf("%x\r\n%s\r\n", length $_, $_) } unpack('(a8192)*', $big);
    my @r = res_triple(raw_exchange([ $chunked_head, @chunks, "0\r\n\r\n" ]));
    problem_ok(@r, 413, '70 kB chunked (no Content-Length): 413 problem');
    @chunks = map { sprintf("%x\r\n%s\r\n", length $_, $_) } unpack('(a8192)*', $over);
    @r = res_triple(raw_exchange([ $chunked_head, @chunks, "0\r\n\r\n" ]));
    problem_ok(@r, 413, '65537 bytes chunked: 413 problem');
    is(counts(), $after_ok, 'no row written by the refused bodies');
    is(psql("SELECT count(*) FROM customer_profile WHERE surname = 'big-$TAG'"), 0, 'no big-<tag> customer');

    my $small = qq({"person":{"surname":"chunk-$TAG"}});
    @r = res_triple(raw_exchange([ $chunked_head, sprintf("%x\r\n%s\r\n", 10, substr($small, 0, 10)),
                                   sprintf("%x\r\n%s\r\n", length($small) - 10, substr($small, 10)), "0\r\n\r\n" ]));
    is($r[0], 201, 'a small chunked body: 201') or diag($r[2]->as_string);
    is(psql("SELECT count(*) FROM customer_profile WHERE surname = 'chunk-$TAG'"), 1, 'and it was written');
};

subtest 'request bodies: integer fields, lookup ids as strings (#5), unknown fields' => sub {
    my $id = create_customer({ person => { surname => "Int-$TAG" } });
    my $patch = sub { api_patch("/customers/$id", $_[0]) };
    for my $bad ('1.5', '1e2', '2.0', '99999999999999999999', '-1', '0', 'true', '"abc"', '"1.5"', '[2]', '{}') {
        problem_ok($patch->(qq({"debtorStatusId":$bad})), 400, "debtorStatusId $bad: 400");
    }
    is(get_customer($id)->{debtorStatus}{debtorStatusId}, 1, 'still Inactive');
    my ($st, undef, $res) = $patch->('{"debtorStatusId":"2"}');
    is($st, 201, 'debtorStatusId "2" (numeric string): 201') or diag($res->content);
    is(get_customer($id)->{debtorStatus}{debtorStatusId}, 2, 'and it took effect');
    ($st) = $patch->('{"debtorStatus":{"debtorStatusId":1}}');
    is($st, 201, 'nested {"debtorStatus":{"debtorStatusId":1}}: 201 (#3)');
    is(get_customer($id)->{debtorStatus}{debtorStatusId}, 1, 'and it took effect');
    problem_ok($patch->('{"debtorStatusId":2,"debtorStatus":{"debtorStatusId":1}}'), 400,
               'flat and nested that disagree: 400 (#3)');

    my $p = problem_ok(api_post('/customers', { person => { surname => "u-$TAG" }, foo => 1 }), 400, 'unknown top-level field: 400');
    ok(grep({ $_ eq '/foo' } pointers($p)), 'errors[].pointer /foo') or diag(explain $p);
    $p = problem_ok(api_post('/customers', { person => { surname => "u-$TAG", nickname => 'x' } }), 400, 'unknown person field: 400');
    ok(grep({ $_ eq '/person/nickname' } pointers($p)), 'errors[].pointer /person/nickname') or diag(explain $p);
    $p = problem_ok(api_post('/customers', { addresses => [ { street => 'a', houseNumber => 1, postalCode => '1234AB',
        city => 'c', country => 'NL', addressTypeId => 1, colour => 'red' } ] }), 400, 'unknown address field: 400');
    ok(grep({ $_ eq '/addresses/0/colour' } pointers($p)), 'errors[].pointer /addresses/0/colour') or diag(explain $p);
    $p = problem_ok($patch->({ debtorStatusId => 2, foo => 1, bar => 2 }), 400, 'PATCH with two unknown fields: 400');
    my %ptr = map { $_ => 1 } pointers($p);
    ok($ptr{'/foo'} && $ptr{'/bar'}, 'both are listed') or diag(explain $p);
    is(get_customer($id)->{debtorStatus}{debtorStatusId}, 1, 'a refused PATCH changes nothing, not even its known fields');
};

subtest 'nothing half-written: fullCustomerProfile with one invalid phone' => sub {
    my %full = (
        customerPreference => { languageId => 1 }, debtorStatusId => 2,
        person => { birthname => 'Jan', surname => "Half-$TAG", prefix => 'de', suffix => 'jr',
                    dateOfBirth => '1970-01-01', emailAddress => 'j.jansen@hatseflats.nl' },
        addresses => [
            { street => 'Laan van Meerdervoort', houseNumber => 5, houseNumberSuffix => 'B', postalCode => '2500AA',
              city => 'Den Haag', country => 'NL', addressTypeId => 1 },
            { street => 'Beeklaan', houseNumber => 30, houseNumberSuffix => 'B', postalCode => '2500AA',
              city => 'Den Haag', country => 'NL', addressTypeId => 2 } ],
        phones => [
            { number => '6123456789', countryCode => '+31', phoneTypeId => 1, isPreferred => JSON::PP::true },
            { number => '7012345678', countryCode => '+31', phoneTypeId => 2, isPreferred => JSON::PP::false } ],
    );
    for my $case ([ phoneTypeId => 9, 'phoneTypeId 9' ], [ number => 'call me', 'number "call me"' ],
                  [ countryCode => '+0', 'countryCode +0' ], [ isPreferred => 'yes', 'isPreferred "yes"' ]) {
        my %body = %full;
        $body{phones} = [ $full{phones}[0], { %{ $full{phones}[1] }, $case->[0] => $case->[1] } ];
        my $before = counts();
        my $p = problem_ok(api_post('/customers', \%body), 400, "second phone with $case->[2]: 400");
        ok(grep({ m{^/phones/1\b} } pointers($p)), 'errors[] points into /phones/1') or diag(explain $p);
        is(counts(), $before, 'no customer, address, phone, status, preference or audit row written');
    }
    is(psql("SELECT count(*) FROM customer_profile WHERE surname = 'Half-$TAG'"), 0, 'no Half-<tag> customer');
    my ($st) = api_post('/customers', \%full);
    is($st, 201, 'the same body with valid phones: 201');
};

# ----------------------------------------------------------- query string

subtest 'query parser: escapes, NUL, UTF-8, + and %2B' => sub {
    problem_ok(api_get('/customers?surname=%zz'), 400, '%zz: 400');
    problem_ok(api_get('/customers?surname=abc%2'), 400, 'truncated escape: 400');
    problem_ok(api_get('/customers?surname=a%00b'), 400, '%00: 400');
    problem_ok(api_get('/customers?surname=a%01b'), 400, 'a control character %01: 400');
    problem_ok(api_get('/customers?surname=%ff'), 400, 'invalid UTF-8 %ff: 400');
    problem_ok(api_get('/customers?surname=%c3%28'), 400, 'invalid UTF-8 sequence %c3%28: 400');
    problem_ok(api_get('/customers?surname=%c0%af'), 400, 'overlong UTF-8 %c0%af: 400');
    problem_ok(api_get('/customers?=x'), 400, 'empty parameter name: 400');
    problem_ok(api_get('/customers?surname=a&surname=b'), 400, 'a scalar filter given twice: 400');

    my $space = create_customer({ person => { surname => "Van Dijk-$TAG" } });
    my $plus = create_customer({ person => { surname => "A+B-$TAG" } });
    my $spaced_ab = create_customer({ person => { surname => "A B-$TAG" } });
    my $uname = "\x{132}sselmeer-\x{e9}-$TAG";    # IJsselmeer with the IJ ligature, e acute
    my $utf8 = create_customer({ person => { surname => $uname } });
    is_deeply([ search_ids("/customers?surname=Van+Dijk-$TAG") ], [$space], "'+' is a space: Van+Dijk finds \"Van Dijk\"");
    is_deeply([ search_ids("/customers?surname=Van%20Dijk-$TAG") ], [$space], '%20 is a space');
    is_deeply([ search_ids("/customers?surname=A%2BB-$TAG") ], [$plus], '%2B is a plus: A%2BB finds "A+B"');
    is_deeply([ search_ids("/customers?surname=A+B-$TAG") ], [$spaced_ab], 'A+B finds "A B", not "A+B"');
    is_deeply([ search_ids("/customers?surname=%C4%B2sselmeer-%C3%A9-$TAG") ], [$utf8], 'UTF-8 escapes find a non-ASCII surname');
    is_deeply([ search_ids("/customers?surname=%c4%b3SSELMEER-%C3%89-$TAG") ], [$utf8], 'and case-insensitively beyond ASCII');
    ok(get_customer($utf8)->{person}{surname} eq $uname, 'UTF-8 stored and returned intact');
};

# ---------------------------------------------------------------- routing

subtest 'routing: 404, 405 with Allow, trailing slash' => sub {
    problem_ok(api_get('/nothing'), 404, 'unknown path: 404 problem+json');
    problem_ok(api_get('/customers/1/nothing'), 404, 'unknown sub-path: 404');
    problem_ok(api_get('/'), 404, 'the API root: 404');
    my @r = api_delete('/customers');
    problem_ok(@r, 405, 'DELETE /customers: 405 problem+json');
    my %allow = map { $_ => 1 } split /\s*,\s*/, $r[2]->header('Allow') // '';
    ok($allow{GET} && $allow{POST} && !$allow{DELETE} && !$allow{PATCH}, 'Allow lists GET and POST only')
        or diag('Allow: ' . ($r[2]->header('Allow') // 'none'));
    @r = api_get('/customers/1');
    problem_ok(@r, 405, 'GET /customers/1: 405 (only PATCH there)');
    is($r[2]->header('Allow'), 'PATCH', 'Allow: PATCH');
    @r = api_request('PUT', '/customers', {});
    problem_ok(@r, 405, 'PUT /customers: 405');
    @r = api_get('/customers/1/customerStatusInstances');
    problem_ok(@r, 405, 'GET on a POST-only path: 405');
    like($r[2]->header('Allow') // '', qr/^POST$/, 'Allow: POST');

    my ($st, $j) = api_get('/customers/?limit=1');
    is($st, 200, 'GET /customers/ (trailing slash): 200');
    is(ref($j && $j->{customers}), 'ARRAY', 'a customers page');
    ($st, $j) = api_post('/customers/', { person => { surname => "Slash-$TAG" } });
    is($st, 201, 'POST /customers/: 201');
    my $id = $j ? $j->{customerProfileId} : 0;
    ($st) = api_patch("/customers/$id/", { debtorStatusId => 2 });
    is($st, 201, 'PATCH /customers/{id}/: 201');
};

subtest 'every error response is an RFC 9457 problem (D11)' => sub {
    my $read = token(scope => 'customers:read');
    my @cases = (
        [ 400, 'bad-request', api_get('/customers?limit=0') ],
        [ 400, 'bad-request', api_post('/customers', '{') ],
        [ 401, undef, api_get('/customers', undef, Authorization => undef) ],
        [ 401, undef, api_get('/customers', undef, Authorization => 'Bearer x.y.z') ],
        [ 403, undef, api_post('/customers', {}, Authorization => "Bearer $read") ],
        [ 404, 'not-found', api_get('/nowhere') ],
        [ 404, 'not-found', api_patch('/customers/999999999999', { debtorStatusId => 1 }) ],
        [ 405, undef, api_delete('/customers') ],
        [ 413, undef, res_triple(raw_exchange([ raw_request_text('POST', '/customers', '{}' . ' ' x 70000) ])) ],
        [ 415, undef, api_post('/customers', '{}', 'Content-Type' => 'text/plain') ],
    );
    for my $c (@cases) {
        my ($want, $type, @r) = @$c;
        my $p = problem_ok(@r, $want, "$want problem");
        like($p->{type} // '', qr/^\Q$PROBS\E[a-z-]+$/, "$want type under $PROBS");
        is($p->{type}, "$PROBS$type", "$want type $type") if $type;
        ok(!exists $p->{errors} || ref $p->{errors} eq 'ARRAY', "$want errors is an array when present");
    }
    my $p = problem_ok(api_get('/customers?limit=0&offset=-1&bogus=1'), 400, 'several problems at once');
    for my $e (@{ $p->{errors} || [] }) {
        ok((defined $e->{parameter} || defined $e->{pointer}) && defined $e->{detail},
           'each errors[] item has parameter|pointer and detail');
    }
    cmp_ok(scalar @{ $p->{errors} || [] }, '>=', 2, 'all of them are listed, not only the first');
};

# -------------------------------------------------------------- PostgreSQL

my $PGDATA = $ENV{ABT_PGDATA};
my $PGPORT = $ENV{ABT_PGPORT};
my $pg_stopped = 0;

sub pg_ctl_bin {
    my @bins = sort {
        my ($x) = $a =~ m{postgresql/(\d+)}; my ($y) = $b =~ m{postgresql/(\d+)};
        ($x // 0) <=> ($y // 0)
    } glob('/usr/lib/postgresql/*/bin/pg_ctl');
    return $bins[-1];
}

# pg_ctl as build/lib.sh runs it: as postgres, in a session of its own, with
# the log file and port the cluster was started with.
sub pg_ctl {
    my @args = @_;
    my $bin = pg_ctl_bin() or return -1;
    my $log = dirname($PGDATA) . '/server.log';
    my @opts = $args[-1] eq 'stop' ? () : ('-l', $log, '-o', "-p $PGPORT");
    my $pid = fork;
    return -1 unless defined $pid;
    if (!$pid) {
        open STDIN, '<', '/dev/null';
        open STDOUT, '>', '/dev/null';
        open STDERR, '>', '/dev/null';
        exec('runuser', '-u', 'postgres', '--', 'setsid', $bin, '-D', $PGDATA, '-w', '-t', '60', @opts, @args)
            or POSIX::_exit(127);
    }
    waitpid $pid, 0;
    return $? >> 8;
}

sub pg_ready { my $v = eval { psql('SELECT 1') }; return defined $v && $v eq '1' }

END {
    # never leave the suite's database stopped
    if ($pg_stopped) {
        pg_ctl('start');
    }
}

sub httpd_pid {
    my $f = Apache::Test::vars('t_pid_file') // Apache::Test::vars('t_logs') . '/httpd.pid';
    open my $fh, '<', $f or return '';
    my $p = <$fh>;
    return ($p // '') =~ /(\d+)/ ? $1 : '';
}

# request($method, $path, $body): a fresh connection with a 15 s timeout;
# returns ($status, $json, $res, $elapsed, $timed_out)
sub request {
    my ($m, $path, $body) = @_;
    my @r = fresh_request($m, $path, $body, _timeout => 15);
    my $el = $r[2]->header('X-Test-Elapsed') // 0;
    my $to = ($r[2]->header('Client-Warning') // '') =~ /Internal/ ? 1 : 0;
    return (@r, $el, $to);
}

subtest 'PostgreSQL restarted mid-run: no 500, no hang, recovers without restarting httpd' => sub {
    plan skip_all => 'ABT_PGDATA not set (build/test sets it)' unless $PGDATA && -d $PGDATA;
    plan skip_all => 'needs root (pg_ctl runs as postgres)' unless $> == 0;
    plan skip_all => 'pg_ctl not found' unless pg_ctl_bin();
    my $httpd = httpd_pid();
    my $id = create_customer({ person => { surname => "Restart-$TAG" } });
    # fill the pool: several connections, all of them to the old server
    for (1 .. 2) {
        my @res = raw_parallel(map { raw_request_text('GET', "/customers?customerProfileId=$id") } 1 .. 4);
        is(join(',', map { $_->code } @res), '200,200,200,200', 'parallel GETs before the restart');
    }

    is(pg_ctl('-m', 'fast', 'restart'), 0, 'pg_ctl restart -m fast');
    ok(pg_ready(), 'PostgreSQL is back');

    my (@codes, $bad, $slow);
    my @par = raw_parallel(map { raw_request_text('GET', "/customers?customerProfileId=$id") } 1 .. 4);
    push @codes, map { $_->code } @par;
    for my $i (1 .. 6) {
        my ($st, $j, $res, $el, $to) = request('GET', "/customers?customerProfileId=$id");
        push @codes, $to ? 'timeout' : $st;
        $slow++ if $el > 10;
        my $ll = sprintf '2023-03-0%d 10:00:00', $i;
        ($st, $j, $res, $el, $to) = request('PATCH', "/customers/$id", { lastLogin => $ll });
        push @codes, $to ? 'timeout' : $st;
        $slow++ if $el > 10;
        diag("PATCH after restart: $st " . $res->content) if $st >= 500 && $st != 503;
    }
    diag("answers after the restart: @codes");
    ok(!grep({ $_ eq '500' } @codes), 'no 500');
    ok(!grep({ $_ eq 'timeout' } @codes) && !$slow, 'no request hangs (each answered within 10 s)');
    ok(!grep({ !/^(200|201|503)$/ } @codes), 'only success or 503');
    ok(!grep({ $_ eq '503' } @codes),
       'not even 503: a dropped pooled connection is reconnected once (docs/decisions.md)');
    is(join(',', @codes[-4 .. -1]), '200,201,200,201', 'GET and PATCH succeed again');
    is(get_customer($id)->{lastLogin}, '2023-03-06T10:00:00.000+01:00', 'the last PATCH took effect');
    is(httpd_pid(), $httpd, 'httpd was not restarted');
};

subtest 'PostgreSQL stopped: 503 problem with Retry-After; started again: success' => sub {
    plan skip_all => 'ABT_PGDATA not set (build/test sets it)' unless $PGDATA && -d $PGDATA;
    plan skip_all => 'needs root (pg_ctl runs as postgres)' unless $> == 0;
    plan skip_all => 'pg_ctl not found' unless pg_ctl_bin();
    my $httpd = httpd_pid();
    my $id = create_customer({ person => { surname => "Stop-$TAG" } });

    $pg_stopped = 1;
    is(pg_ctl('-m', 'fast', 'stop'), 0, 'pg_ctl stop -m fast');
    ok(!pg_ready(), 'PostgreSQL is down');
    for my $req ([ 'GET', "/customers?customerProfileId=$id" ], [ 'PATCH', "/customers/$id", { debtorStatusId => 2 } ],
                 [ 'POST', '/customers', { person => { surname => "Stop-$TAG" } } ],
                 [ 'GET', "/customers?surname=Stop-$TAG" ],
                 [ 'POST', "/customers/$id/customerStatusInstances", { customerStatusId => 3 } ]) {
        my ($st, $j, $res, $el, $to) = request(@$req);
        ok(!$to && $el < 10, "$req->[0] $req->[1]: answered within 10 s") or diag("elapsed $el");
        problem_ok($st, $j, $res, 503, "$req->[0] $req->[1]: 503 problem");
        like($res->header('Retry-After') // '', qr/^\d+$/, 'Retry-After: <seconds>');
    }

    is(pg_ctl('start'), 0, 'pg_ctl start');
    $pg_stopped = 0;
    ok(pg_ready(), 'PostgreSQL is up');
    my @codes;
    for my $i (1 .. 5) {
        my ($st) = request('GET', "/customers?customerProfileId=$id");
        push @codes, $st;
        last if $st == 200;
        Time::HiRes::sleep(0.5);
    }
    is($codes[-1], 200, 'GET succeeds again within a few requests') or diag("@codes");
    ok(!grep({ $_ == 500 } @codes), 'no 500 on the way');
    my ($st) = request('PATCH', "/customers/$id", { debtorStatusId => 2 });
    is($st, 201, 'PATCH succeeds');
    is(get_customer($id)->{debtorStatus}{debtorStatusId}, 2, 'and took effect');
    my @res = raw_parallel(map { raw_request_text('GET', "/customers?customerProfileId=$id") } 1 .. 4);
    is(join(',', map { $_->code } @res), '200,200,200,200', 'parallel GETs (every pooled connection) succeed');
    ($st) = request('POST', "/customers/$id/customerStatusInstances", { customerStatusId => 3 });
    is($st, 201, 'a status change succeeds');
    is(httpd_pid(), $httpd, 'httpd was not restarted');
};
