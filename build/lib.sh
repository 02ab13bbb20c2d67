# shellcheck shell=bash
# Shared functions of build/run, build/test, build/migrate and build/token.
# Sourced, never executed. Every caller runs with `set -euo pipefail`.
#
# Conventions: functions are prefixed abt_, log to stderr, and die through
# abt_die. All state lives under $ABT_VAR (the repository's ignored var/).

# shellcheck disable=SC2034  # variables of a library, used by the callers
ABT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
ABT_VAR="$ABT_ROOT/var"
ABT_PROG=${ABT_PROG:-$(basename "$0")}

# The Debian 12 packages the build, the dev server and the tests need.
ABT_PACKAGES=(
    apache2 apache2-dev libaprutil1-dbd-pgsql libjson-c-dev
    libapache2-mod-auth-openidc libpq-dev check libapache2-mod-perl2
    postgresql autoconf automake libtool pkg-config make gcc openssl curl
    libcrypt-jwt-perl wrk
)

# Development token issuer and audience; the httpd configuration requires
# both (Require claim), so build/token and the generated config must agree.
ABT_ISSUER="https://abt.example/dev-issuer"
ABT_AUDIENCE="abtcustomers"
ABT_API_PATH="/abt/abtcustomers/2.0"
ABT_DB_NAME="abtdb"
ABT_DB_ROLE="abt"

abt_log() { printf '%s: %s\n' "$ABT_PROG" "$*" >&2; }
abt_die() { printf '%s: error: %s\n' "$ABT_PROG" "$*" >&2; exit 1; }

# ---------------------------------------------------------------- packages

# Installs the packages of ABT_PACKAGES that are not installed yet; runs
# apt-get only when something is missing.
abt_deps() {
    command -v dpkg-query >/dev/null || abt_die "dpkg-query not found: these scripts target Debian 12"
    local pkg status missing=()
    for pkg in "${ABT_PACKAGES[@]}"; do
        status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
        [[ $status == ii* ]] || missing+=("$pkg")
    done
    ((${#missing[@]} == 0)) && return 0
    [[ $EUID -eq 0 ]] || abt_die "missing packages (${missing[*]}); run as root to install them"
    abt_log "installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# ------------------------------------------------------------------ build

# abt_build full|incremental
#   full:        autoreconf -fi && ./configure && make (what CI does)
#   incremental: each step only when its output is missing; make decides
#                the rest (configure regenerates itself when configure.ac
#                or Makefile.am change).
abt_build() {
    local mode=${1:-incremental} jobs
    jobs=$(nproc 2>/dev/null || echo 2)
    (
        cd "$ABT_ROOT" || exit 1
        if [[ $mode == full || ! -x configure ]]; then
            mkdir -p build/m4   # AC_CONFIG_MACRO_DIR; aclocal warns if missing
            abt_log "autoreconf -fi"
            autoreconf -fi
        fi
        if [[ $mode == full || ! -f Makefile || ! -x config.status ]]; then
            abt_log "./configure"
            ./configure -q
        fi
        abt_log "make -j$jobs"
        make -s -j"$jobs"
    )
    [[ -f "$ABT_ROOT/.libs/mod_abtcustomers.so" ]] || abt_die "build produced no .libs/mod_abtcustomers.so"
}

# ------------------------------------------------------------------ ports

# abt_port_free PORT: succeeds when nothing listens on 127.0.0.1:PORT and it
# can be bound.
abt_port_free() {
    perl -MIO::Socket::INET -e '
        my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $ARGV[0],
                                      Proto => "tcp", Listen => 1, ReuseAddr => 1);
        exit($s ? 0 : 1);' "$1"
}

# abt_free_port: prints a free TCP port on 127.0.0.1, chosen at random in
# 20000-29999, below Linux's ephemeral range so that no outgoing connection
# takes it between the check and its use.
abt_free_port() {
    perl -MIO::Socket::INET -e '
        for (1 .. 200) {
            my $p = 20000 + int(rand(10000));
            my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $p,
                                          Proto => "tcp", Listen => 1, ReuseAddr => 1)
                or next;
            close $s;
            print "$p\n";
            exit 0;
        }
        exit 1;' || abt_die "no free TCP port found on 127.0.0.1"
}

# abt_wait_http URL PID SECONDS: waits until URL answers with any HTTP status
# while process PID lives.
abt_wait_http() {
    local url=$1 pid=$2 tries=$(($3 * 10)) code
    while ((tries-- > 0)); do
        kill -0 "$pid" 2>/dev/null || return 1
        code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true)
        [[ $code != 000 && -n $code ]] && return 0
        sleep 0.1
    done
    return 1
}

# ------------------------------------------------------------- PostgreSQL

abt_pg_bindir() {
    local d
    d=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n1)
    [[ -n $d && -x $d/initdb && -x $d/pg_ctl ]] || abt_die "PostgreSQL server binaries not found under /usr/lib/postgresql"
    printf '%s\n' "$d"
}

# runs a PostgreSQL server binary as the postgres user (initdb refuses root)
abt_pg_as_postgres() {
    local bin=$1; shift
    if [[ $(id -un) == postgres ]]; then
        "$(abt_pg_bindir)/$bin" "$@"
    else
        runuser -u postgres -- "$(abt_pg_bindir)/$bin" "$@"
    fi
}

# abt_pg_init DIR [throwaway]
#   Creates a cluster in DIR/data (DIR itself owned by postgres, mode 700)
#   unless one exists. TCP on 127.0.0.1 only, no Unix socket (the path could
#   exceed the 107-byte limit and /var/run/postgresql is not ours), trust
#   authentication for loopback. "throwaway" also turns durability off.
abt_pg_init() {
    local dir=$1 kind=${2:-persistent}
    [[ $EUID -eq 0 || $(id -un) == postgres ]] || abt_die "creating the PostgreSQL cluster needs root (runuser -u postgres)"
    install -d -m 755 "$(dirname "$dir")"
    install -d -o postgres -g postgres -m 700 "$dir"
    if [[ -f $dir/data/PG_VERSION ]]; then
        return 0
    fi
    abt_log "initdb $dir/data"
    local extra=()
    [[ $kind == throwaway ]] && extra=(--no-sync)
    abt_pg_as_postgres initdb -D "$dir/data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 "${extra[@]}" >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; abt_die "initdb failed"; }
    {
        echo "# added by build/lib.sh"
        echo "listen_addresses = '127.0.0.1'"
        echo "unix_socket_directories = ''"
        echo "max_connections = 100"
        if [[ $kind == throwaway ]]; then
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
        fi
    } >>"$dir/data/postgresql.conf"
}

abt_pg_running() {
    [[ -f $1/data/PG_VERSION ]] && abt_pg_as_postgres pg_ctl -D "$1/data" status >/dev/null 2>&1
}

# abt_pg_start DIR PORT: starts the cluster on PORT and waits until it accepts
# connections.
abt_pg_start() {
    local dir=$1 port=$2
    abt_log "starting PostgreSQL on 127.0.0.1:$port ($dir)"
    # setsid: a Ctrl-C in the terminal must reach our trap only, so that the
    # shutdown happens in order and not as a signal race.
    if ! runuser -u postgres -- setsid "$(abt_pg_bindir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" \
            -w -t 60 -o "-p $port" start >/dev/null; then
        tail -n 20 "$dir/server.log" >&2 || true
        abt_die "PostgreSQL did not start (log: $dir/server.log)"
    fi
}

abt_pg_stop() {
    local dir=$1 mode=${2:-fast}
    if abt_pg_running "$dir"; then
        abt_log "stopping PostgreSQL ($dir)"
        abt_pg_as_postgres pg_ctl -D "$dir/data" -w -t 60 -m "$mode" stop >/dev/null || true
    fi
}

# abt_pg_setup_db PORT: creates role abt and database abtdb (owned by abt)
# if missing.
abt_pg_setup_db() {
    local port=$1
    psql "host=127.0.0.1 port=$port dbname=postgres user=postgres connect_timeout=5" \
        -X -q -v ON_ERROR_STOP=1 >/dev/null <<SQL
SELECT 'CREATE ROLE $ABT_DB_ROLE LOGIN'
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ABT_DB_ROLE') \gexec
SELECT 'CREATE DATABASE $ABT_DB_NAME OWNER $ABT_DB_ROLE'
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$ABT_DB_NAME') \gexec
SQL
}

# the libpq conninfo of the embedded cluster on PORT
abt_pg_conninfo() {
    printf 'host=127.0.0.1 port=%s dbname=%s user=%s' "$1" "$ABT_DB_NAME" "$ABT_DB_ROLE"
}

# abt_dev_conninfo: the database build/run uses: ABT_DB_DSN if set, else the
# embedded cluster on ABT_PGPORT, else on the port var/pg runs on (readable
# as root), else on 55432. For tools that work on that database
# (build/seed-data, bench/explain).
abt_dev_conninfo() {
    local port=${ABT_PGPORT:-}
    if [[ -n ${ABT_DB_DSN:-} ]]; then
        printf '%s' "$ABT_DB_DSN"
        return 0
    fi
    if [[ -z $port && -r $ABT_VAR/pg/data/postmaster.pid ]]; then
        port=$(sed -n 4p "$ABT_VAR/pg/data/postmaster.pid")
    fi
    port=${port:-55432}
    [[ $port =~ ^[0-9]+$ ]] || abt_die "ABT_PGPORT must be a port number"
    abt_pg_conninfo "$port"
}

# ----------------------------------------------------------------- tokens

abt_b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# a JSON string literal; refuses control characters rather than escaping them
abt_json_string() {
    local s=$1
    [[ $s != *[[:cntrl:]]* ]] || abt_die "control characters are not allowed in token claims"
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    printf '"%s"' "$s"
}

# abt_ensure_dev_key DIR: creates DIR/dev-key.pem (RSA 2048, root only) and
# DIR/dev-pub.pem (public key, world-readable, what httpd verifies with) once.
abt_ensure_dev_key() {
    local dir=$1
    install -d -m 755 "$dir"
    if [[ ! -s $dir/dev-key.pem ]]; then
        abt_log "creating development signing key $dir/dev-key.pem"
        (umask 077 && openssl genrsa -out "$dir/dev-key.pem.tmp" 2048 2>/dev/null)
        mv "$dir/dev-key.pem.tmp" "$dir/dev-key.pem"
        rm -f "$dir/dev-pub.pem"
    fi
    if [[ ! -s $dir/dev-pub.pem ]]; then
        openssl pkey -in "$dir/dev-key.pem" -pubout -out "$dir/dev-pub.pem.tmp"
        chmod 644 "$dir/dev-pub.pem.tmp"
        mv "$dir/dev-pub.pem.tmp" "$dir/dev-pub.pem"
    fi
}

# abt_mint_token KEYFILE SUBJECT SCOPES TTL: prints an RS256 JWT.
abt_mint_token() {
    local key=$1 sub=$2 scope=$3 ttl=$4 now header payload sig
    [[ -r $key ]] || abt_die "signing key $key not readable (run build/run once, or as root)"
    [[ $ttl =~ ^[0-9]+$ ]] || abt_die "token lifetime must be a number of seconds"
    now=$(date +%s)
    header=$(printf '{"alg":"RS256","typ":"JWT"}' | abt_b64url)
    payload=$(printf '{"iss":%s,"aud":%s,"sub":%s,"scope":%s,"iat":%d,"exp":%d}' \
        "$(abt_json_string "$ABT_ISSUER")" "$(abt_json_string "$ABT_AUDIENCE")" \
        "$(abt_json_string "$sub")" "$(abt_json_string "$scope")" "$now" "$((now + ttl))" | abt_b64url)
    sig=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$key" -binary | abt_b64url)
    printf '%s.%s.%s\n' "$header" "$payload" "$sig"
}

# ------------------------------------------------------------------ httpd

abt_httpd_bin() {
    local sbindir target
    sbindir=$(apxs -q SBINDIR 2>/dev/null || echo /usr/sbin)
    target=$(apxs -q TARGET 2>/dev/null || echo apache2)
    [[ -x $sbindir/$target ]] || abt_die "httpd binary $sbindir/$target not found"
    printf '%s\n' "$sbindir/$target"
}

abt_httpd_moddir() { apxs -q LIBEXECDIR 2>/dev/null || echo /usr/lib/apache2/modules; }

# the unprivileged user and group httpd's children run as
abt_httpd_user() {
    if getent passwd www-data >/dev/null && getent group www-data >/dev/null; then
        echo "www-data www-data"
    else
        echo "nobody $(getent group nogroup >/dev/null && echo nogroup || echo nobody)"
    fi
}

# abt_httpd_conf OUT: writes the development httpd.conf. Reads:
#   ABT_HTTPD_DIR  server root (conf/ logs/ run/ below it)
#   ABT_PORT       listen port on 127.0.0.1
#   ABT_DBD_PARAMS libpq conninfo for mod_dbd
#   ABT_KEY_FILE   public key (PEM) tokens are verified with
# and, optional (bench/run sizes them for its load):
#   ABT_HTTPD_THREADS  ThreadsPerChild of the 2 processes (default 16)
#   ABT_DBD_MIN/KEEP/MAX  mod_dbd pool per process (default 1/4/16)
# The API location itself comes from conf/abtcustomers.conf, the production
# file, parameterised through the Define variables it documents.
# shellcheck disable=SC2153  # ABT_PORT etc. are set by the caller
abt_httpd_conf() {
    local out=$1 moddir user group v
    local threads=${ABT_HTTPD_THREADS:-16} dbd_min=${ABT_DBD_MIN:-1} dbd_keep=${ABT_DBD_KEEP:-4}
    local dbd_max=${ABT_DBD_MAX:-16}
    for v in "$threads" "$dbd_min" "$dbd_keep" "$dbd_max"; do
        [[ $v =~ ^[1-9][0-9]{0,3}$ ]] || abt_die "ABT_HTTPD_THREADS and ABT_DBD_* must be numbers"
    done
    moddir=$(abt_httpd_moddir)
    read -r user group < <(abt_httpd_user)
    [[ $ABT_DBD_PARAMS != *'"'* ]] || abt_die "the database conninfo must not contain double quotes"
    install -d -m 755 "$ABT_HTTPD_DIR/conf" "$ABT_HTTPD_DIR/logs" "$ABT_HTTPD_DIR/run" "$ABT_HTTPD_DIR/htdocs"
    cat >"$out.tmp" <<EOF
# Generated by build/run ($(date -u +%Y-%m-%dT%H:%M:%SZ)); edits are overwritten.
# Development instance of mod_abtcustomers: loopback only, foreground.
ServerRoot "$ABT_HTTPD_DIR"
DefaultRuntimeDir "$ABT_HTTPD_DIR/run"
PidFile "$ABT_HTTPD_DIR/run/httpd.pid"
Listen 127.0.0.1:$ABT_PORT
ServerName 127.0.0.1:$ABT_PORT
ServerTokens Prod
ServerSignature Off
TraceEnable Off

LoadModule mpm_event_module $moddir/mod_mpm_event.so
LoadModule authn_core_module $moddir/mod_authn_core.so
LoadModule authz_core_module $moddir/mod_authz_core.so
LoadModule mime_module $moddir/mod_mime.so
LoadModule reqtimeout_module $moddir/mod_reqtimeout.so
<IfModule !log_config_module>
    LoadModule log_config_module $moddir/mod_log_config.so
</IfModule>
# mod_dbd before our module: it binds to mod_dbd's optional functions.
LoadModule dbd_module $moddir/mod_dbd.so
LoadModule auth_openidc_module $moddir/mod_auth_openidc.so
LoadModule abtcustomers_module $ABT_ROOT/.libs/mod_abtcustomers.so

User $user
Group $group

# Event MPM, sized explicitly: 2 processes x $threads threads. Each process
# has its own mod_dbd pool (DBDMax below is per process).
StartServers 2
ServerLimit 2
ThreadsPerChild $threads
MaxRequestWorkers $((2 * threads))
MinSpareThreads 8
MaxSpareThreads $((2 * threads))
ThreadLimit $threads

TypesConfig /etc/mime.types
ErrorLog "$ABT_HTTPD_DIR/logs/error.log"
LogLevel ${ABT_LOGLEVEL:-warn}
# Query strings carry personal data (surname, iban, ...): log the path only.
LogFormat "%h %l %u %t \"%m %U %H\" %>s %b %D \"%{X-Correlation-ID}o\"" abt
CustomLog "$ABT_HTTPD_DIR/logs/access.log" abt
# Slow clients must not hold the workers.
RequestReadTimeout header=20-40,MinRate=500 body=20,MinRate=500
# API clients keep their connection (and so their TLS and token state).
MaxKeepAliveRequests 1000
# Errors raised before the location is known, as problem+json too.
ErrorDocument 400 /abtcustomers-problem
ErrorDocument 414 /abtcustomers-problem

DocumentRoot "$ABT_HTTPD_DIR/htdocs"
<Directory />
    AllowOverride None
    Require all denied
</Directory>

# Site values for conf/abtcustomers.conf (see the top of that file).
Define ABT_BASE_URL "http://127.0.0.1:$ABT_PORT$ABT_API_PATH"
Define ABT_DBD_PARAMS "$ABT_DBD_PARAMS"
Define ABT_DBD_MIN $dbd_min
Define ABT_DBD_KEEP $dbd_keep
Define ABT_DBD_MAX $dbd_max
Define ABT_ISSUER "$ABT_ISSUER"
Define ABT_AUDIENCE "$ABT_AUDIENCE"
Define ABT_VERIFY_CERT_FILES "$ABT_KEY_FILE"
Include "$ABT_ROOT/conf/abtcustomers.conf"
EOF
    mv "$out.tmp" "$out"
}

# abt_check_readable USER FILE...: warns about files USER cannot read (httpd
# children run as USER).
abt_check_readable() {
    local user=$1 f; shift
    for f in "$@"; do
        runuser -u "$user" -- test -r "$f" 2>/dev/null \
            || abt_log "warning: $user cannot read $f (check the permissions of its folders)"
    done
}
