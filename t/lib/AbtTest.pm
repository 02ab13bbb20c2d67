package AbtTest;
# Helpers for the mod_abtcustomers Apache::Test suite.
#
#   use Apache::Test qw(-withtestmore);
#   use lib 't/lib';      # TEST.PL already adds t/lib
#   use AbtTest;
#
#   my ($status, $json, $res) = api_get('/customers?limit=1');
#   my ($st, $json) = api_post('/customers', { person => {...} });
#   api_get('/customers', undef, Authorization => undef);       # no token
#   api_get('/customers', undef, Authorization => 'Bearer ' . token(scope => 'customers:read'));
#   my $id = psql("SELECT max(customer_profile_id) FROM customer_profile");
#
# Paths not starting with /abt/ (or a scheme) are relative to the API base
# /abt/abtcustomers/2.0. Every api_* call sends a token with both scopes
# unless an Authorization header is given (undef: send none).
use strict;
use warnings;

use Exporter 'import';
use Carp qw(croak);
use File::Path qw(make_path);
use FindBin;
use JSON::PP ();
use HTTP::Request ();
use Crypt::JWT qw(encode_jwt);
use Crypt::PK::RSA ();
use MIME::Base64 qw(encode_base64url);

our @EXPORT = qw(
    token token_with_key token_unsigned other_rsa_key
    api_get api_post api_patch api_delete api_request
    psql psql_rows uniq_name
    API_PATH ISSUER AUDIENCE
);

use constant API_PATH => '/abt/abtcustomers/2.0';
use constant ISSUER   => 'https://abt.example/dev-issuer';
use constant AUDIENCE => 'abtcustomers';

my $JSON = JSON::PP->new->utf8->canonical->allow_nonref;

# ---------------------------------------------------------------- keys

# t/ of this checkout, whether we are loaded from TEST.PL or from a test
sub t_dir {
    my $dir = $INC{'AbtTest.pm'};
    $dir =~ s{/lib/AbtTest\.pm$}{};
    require Cwd;
    return Cwd::abs_path($dir);
}

sub key_dir { t_dir() . '/logs/auth' }

# Creates the suite's RSA key pair once (t/logs/auth/test-key.pem and the
# public test-pub.pem that extra.conf's OIDCOAuthVerifyCertFiles names).
# Called by TEST.PL before httpd starts.
sub ensure_test_key {
    my $dir = key_dir();
    return if -s "$dir/test-key.pem" && -s "$dir/test-pub.pem";
    make_path($dir, { mode => 0755 });
    my $pk = Crypt::PK::RSA->new;
    $pk->generate_key(256, 65537);    # 2048 bits
    my $old = umask 077;
    _write("$dir/test-key.pem", $pk->export_key_pem('private'));
    umask $old;
    _write("$dir/test-pub.pem", $pk->export_key_pem('public'));
    chmod 0644, "$dir/test-pub.pem";
}

sub _write {
    my ($file, $data) = @_;
    open my $fh, '>', "$file.tmp" or die "open $file.tmp: $!";
    print {$fh} $data;
    close $fh or die "close $file.tmp: $!";
    rename "$file.tmp", $file or die "rename $file: $!";
}

my $test_key;
sub test_key {
    $test_key //= Crypt::PK::RSA->new(key_dir() . '/test-key.pem');
}

# A fresh RSA key the server does not know (bad-signature tests).
sub other_rsa_key {
    my $pk = Crypt::PK::RSA->new;
    $pk->generate_key(256, 65537);
    return $pk;
}

# --------------------------------------------------------------- tokens

# token(%claims): an RS256 JWT signed with the suite's key. Defaults:
#   iss ISSUER, aud AUDIENCE, sub 'test-user',
#   scope 'customers:read customers:write', iat now, exp now+3600.
# A claim given as undef is left out (token(exp => undef) has no exp).
sub token { token_with_key(test_key(), @_) }

sub _claims {
    my %claims = @_;
    my $now = time;
    my %c = (
        iss   => ISSUER,
        aud   => AUDIENCE,
        sub   => 'test-user',
        scope => 'customers:read customers:write',
        iat   => $now,
        exp   => $now + 3600,
    );
    while (my ($k, $v) = each %claims) {
        if (defined $v) { $c{$k} = $v } else { delete $c{$k} }
    }
    return \%c;
}

# token_with_key($key, %claims): as token(), signed with $key (a
# Crypt::PK::RSA object; RS256) or with a shared secret string (HS256).
sub token_with_key {
    my ($key, %claims) = @_;
    my $alg = ref $key ? 'RS256' : 'HS256';
    return encode_jwt(
        payload       => _claims(%claims),
        key           => $key,
        alg           => $alg,
        extra_headers => { typ => 'JWT' },
    );
}

# An "alg":"none" token with an empty signature (must be refused).
sub token_unsigned {
    my %claims = @_;
    my $h = encode_base64url($JSON->encode({ alg => 'none', typ => 'JWT' }));
    my $p = encode_base64url($JSON->encode(_claims(%claims)));
    return "$h.$p.";
}

# ------------------------------------------------------------------ HTTP

sub _url {
    my $path = shift;
    return $path if $path =~ m{^\w+://};
    $path = API_PATH . ($path =~ m{^/} ? '' : '/') . $path
        unless $path =~ m{^/abt/};
    return Apache::TestRequest::resolve_url($path);
}

# api_request($method, $path, $body, %headers) -> ($status, $json, $res)
#   $body: a reference (sent as JSON) or a string (sent as is), or undef.
#   $json: the decoded body when it is JSON (application/json or
#          application/problem+json), else undef.
#   $res:  the HTTP::Response.
sub api_request {
    my ($method, $path, $body, %headers) = @_;
    require Apache::TestRequest;
    my %h = (Accept => 'application/json');
    $h{Authorization} = 'Bearer ' . token()
        unless exists $headers{Authorization};
    if (defined $body) {
        $body = $JSON->encode($body) if ref $body;
        $h{'Content-Type'} = 'application/json'
            unless exists $headers{'Content-Type'};
    }
    while (my ($k, $v) = each %headers) {
        if (defined $v) { $h{$k} = $v } else { delete $h{$k} }
    }
    my $req = HTTP::Request->new($method => _url($path), [%h]);
    $req->content($body) if defined $body;
    my $res = _ua()->request($req);
    my $json;
    if (($res->header('Content-Type') // '') =~ m{^application/(?:problem\+)?json\b}i
        && length $res->content) {
        $json = eval { $JSON->decode($res->content) };
    }
    return ($res->code, $json, $res);
}

# One keep-alive client for the whole test file; redirects are not followed.
my $ua;
sub _ua {
    $ua //= Apache::TestRequest->new(keep_alive => 1, requests_redirectable => []);
}

sub api_get    { api_request('GET',    @_) }
sub api_post   { api_request('POST',   @_) }
sub api_patch  { api_request('PATCH',  @_) }
sub api_delete { api_request('DELETE', @_) }

# ------------------------------------------------------------- database

sub _psql_cmd {
    my $port = $ENV{ABT_PGPORT} or croak 'ABT_PGPORT is not set';
    return ('psql', "host=127.0.0.1 port=$port dbname=abtdb user=abt",
            qw(-X -q -A -t -F), "\t", qw(-v ON_ERROR_STOP=1 -c));
}

# psql_rows($sql) -> list of array refs (one per row, columns split on tab;
# SQL NULL comes back as '').
sub psql_rows {
    my ($sql) = @_;
    open my $fh, '-|', _psql_cmd(), $sql or croak "psql: $!";
    my @rows = map { chomp; [split /\t/, $_, -1] } <$fh>;
    close $fh or croak "psql failed (exit " . ($? >> 8) . ") for: $sql";
    return @rows;
}

# psql($sql): in list context all rows as strings (columns tab-separated);
# in scalar context the first column of the first row (undef if no row).
sub psql {
    my @rows = psql_rows(@_);
    return map { join "\t", @$_ } @rows if wantarray;
    return @rows ? $rows[0][0] : undef;
}

# ---------------------------------------------------------------- names

# uniq_name('Jansen') -> 'Jansen-12345-1733240000-1': unique per call and
# per test run, so tests can find their own rows in a shared database.
my $seq = 0;
sub uniq_name {
    my $prefix = shift // 'abt';
    return join '-', $prefix, $$, time, ++$seq;
}

1;
