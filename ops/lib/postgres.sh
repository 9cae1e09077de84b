# shellcheck shell=bash source-path=SCRIPTDIR
#
# Helpers to run a private PostgreSQL cluster for ops/run and ops/test
# (sourced, never executed).
#
# A "cluster folder" DIR holds everything of one cluster:
#   DIR/data            the data directory (PGDATA)
#   DIR/sock            the Unix socket directory (clients here use TCP anyway)
#   DIR/postgresql.log  the server log
#   DIR/initdb.log      output of initdb
#
# The port is never written into the cluster: it is given on each start, so
# nothing stored can go stale.
#
# PostgreSQL refuses to run as root. When we are root, every server-side
# command (initdb, pg_ctl) runs as the "postgres" OS user and the cluster
# folder belongs to it. As an ordinary user everything runs as that user.
#
# Typical use:
#   pg_find_bin
#   pg_init_cluster "$dir" throwaway     # or: durable
#   pg_start_on_free_port "$dir"         # sets PG_PORT
#   pg_create_database "$PG_PORT" valueledger
#   ...
#   pg_stop "$dir"

_VL_OPS_LIB_DIR=$(cd -P -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=common.sh
source "$_VL_OPS_LIB_DIR/common.sh"

# The OS user that owns and runs clusters when we are root.
PG_OS_USER=postgres
# Superuser role created by initdb; clients connect as it (trust auth).
PG_SUPERUSER=postgres
# Set by pg_start / pg_start_on_free_port.
PG_PORT=""

# pg_find_bin -> sets and exports PG_BIN to the folder holding pg_ctl/initdb.
# Order: $PG_BIN if set, newest /usr/lib/postgresql/*/bin, pg_ctl on PATH.
pg_find_bin() {
    local candidate=""
    if [[ -n "${PG_BIN:-}" ]]; then
        [[ -x "$PG_BIN/pg_ctl" ]] || ops_die "PG_BIN=$PG_BIN does not contain pg_ctl"
        candidate=$PG_BIN
    else
        # Debian/Ubuntu layout; sort -V so that 15 sorts after 9.6.
        local d
        local -a found=()
        for d in /usr/lib/postgresql/*/bin; do
            if [[ -x "$d/pg_ctl" ]]; then found+=("$d"); fi
        done
        if ((${#found[@]} > 0)); then
            candidate=$(printf '%s\n' "${found[@]}" | sort -V | tail -n 1)
        fi
        if [[ -z "$candidate" ]] && command -v pg_ctl >/dev/null 2>&1; then
            # Resolve symlinks (e.g. /usr/local/bin/pg_ctl -> .../15/bin/pg_ctl)
            # so that initdb, postgres and psql come from the same version.
            candidate=$(dirname -- "$(readlink -f -- "$(command -v pg_ctl)")")
        fi
    fi
    [[ -n "$candidate" ]] ||
        ops_die "PostgreSQL server binaries not found: install PostgreSQL (e.g. apt-get install postgresql) or set PG_BIN to the folder holding pg_ctl"
    local tool
    for tool in initdb pg_ctl postgres; do
        [[ -x "$candidate/$tool" ]] || ops_die "$candidate has no $tool; set PG_BIN to a complete PostgreSQL bin folder"
    done
    PG_BIN=$candidate
    export PG_BIN
}

# A client tool (psql, pg_isready) from PG_BIN, else from PATH.
_pg_client() {
    if [[ -x "$PG_BIN/$1" ]]; then
        printf '%s\n' "$PG_BIN/$1"
    else
        command -v "$1" || ops_die "'$1' not found (PostgreSQL client tools)"
    fi
}

# pg_as_owner CMD [ARGS...] -> runs CMD as the cluster owner: the postgres OS
# user when we are root, ourselves otherwise. It runs from / because the
# PostgreSQL tools fail when they cannot read the current directory (e.g.
# /root); pass absolute paths.
pg_as_owner() {
    if ops_is_root; then
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    else
        "$@"
    fi
}

# _pg_abs PATH -> absolute form of PATH (the path need not exist yet).
_pg_abs() {
    case $1 in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$PWD" "$1" ;;
    esac
}

# pg_ensure_traversable DIR (root only; no-op otherwise)
# The postgres user must be able to reach DIR through all its parents.
# Walking from / downwards, add o+x (search, not read) to exactly those
# parents it cannot enter, and say so.
pg_ensure_traversable() {
    ops_is_root || return 0
    local target path="" part
    target=$(_pg_abs "$1")
    local -a parts
    IFS=/ read -r -a parts <<<"${target#/}"
    # All parents, not DIR itself (DIR is owned by the postgres user).
    unset 'parts[${#parts[@]}-1]'
    for part in "${parts[@]}"; do
        [[ -n "$part" ]] || continue
        path="$path/$part"
        if ! runuser -u "$PG_OS_USER" -- test -x "$path" 2>/dev/null; then
            ops_log "making $path traversable (chmod o+x) so the $PG_OS_USER user can reach the cluster"
            chmod o+x "$path"
        fi
    done
}

# _pg_check_owner DATA_DIR -> fails when the existing data directory belongs
# to someone we cannot run it as.
_pg_check_owner() {
    local data=$1 owner expected
    owner=$(stat -c %U -- "$data")
    if ops_is_root; then expected=$PG_OS_USER; else expected=$(id -un); fi
    [[ "$owner" == "$expected" ]] && return 0
    ops_log "error: $data belongs to '$owner', but would be run as '$expected'."
    ops_log "error: run as the user who created it, or remove $(dirname -- "$data") to start afresh."
    return 1
}

# pg_init_cluster DIR MODE
# Creates a cluster in DIR unless one is there already. MODE:
#   durable    keep PostgreSQL's crash-safety defaults (ops/run's own cluster)
#   throwaway  trade crash safety for speed (ops/test: deleted afterwards)
pg_init_cluster() {
    local dir mode=$2
    dir=$(_pg_abs "$1")
    local data="$dir/data"
    case $mode in durable | throwaway) ;; *) ops_die "pg_init_cluster: unknown mode '$mode'" ;; esac
    [[ -n "${PG_BIN:-}" ]] || pg_find_bin

    if [[ -f "$data/PG_VERSION" ]]; then
        _pg_check_owner "$data" || return 1
        local have want
        have=$(<"$data/PG_VERSION")
        want=$("$PG_BIN/postgres" --version | sed -nE 's/^[^0-9]*([0-9]+).*/\1/p')
        if [[ "$have" != "$want" ]]; then
            ops_log "error: $data was created by PostgreSQL $have but $PG_BIN is version $want."
            ops_log "error: set PG_BIN to a PostgreSQL $have bin folder, or remove $dir to start afresh."
            return 1
        fi
        return 0
    fi
    if [[ -d "$data" ]] && [[ -n "$(ls -A -- "$data")" ]]; then
        ops_log "error: $data exists but is not a PostgreSQL cluster (an interrupted first start?); remove $dir and retry"
        return 1
    fi

    ops_log "creating a PostgreSQL cluster in $dir"
    mkdir -p -- "$dir"
    chmod 700 -- "$dir"
    if ops_is_root; then
        id "$PG_OS_USER" >/dev/null 2>&1 ||
            ops_die "running as root needs the '$PG_OS_USER' OS user (PostgreSQL refuses to run as root)"
        chown "$PG_OS_USER:$PG_OS_USER" -- "$dir"
        pg_ensure_traversable "$dir"
    fi

    # Build the cluster under a temporary name and rename it when complete,
    # so an interrupted first start never leaves a half-made cluster behind.
    local staging="$dir/data.new"
    rm -rf -- "$staging"
    if ! pg_as_owner "$PG_BIN/initdb" -D "$staging" -A trust -U "$PG_SUPERUSER" \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        tail -n 20 -- "$dir/initdb.log" >&2 || true
        ops_log "error: initdb failed (full output: $dir/initdb.log)"
        return 1
    fi

    # Settings that never change go into postgresql.conf; the port and socket
    # folder are given at each start (see pg_start).
    {
        echo
        echo "# ---- added by ops/lib/postgres.sh ($mode cluster) ----"
        echo "listen_addresses = '127.0.0.1'"
        echo "max_connections = 200"
        if [[ "$mode" == throwaway ]]; then
            # Safe only because this cluster is deleted after use: a crash may
            # corrupt it, which does not matter for a test run.
            echo "fsync = off"
            echo "synchronous_commit = off"
            echo "full_page_writes = off"
        fi
    } >>"$staging/postgresql.conf"
    rm -rf -- "$data" # at most an empty folder (checked above)
    mv -- "$staging" "$data"
}

# _pg_socket_dir DIR -> the socket folder to use, or "" to disable Unix
# sockets (clients use TCP anyway). Unix socket paths are limited to ~107
# bytes and PostgreSQL's parser dislikes odd characters, so fall back to ""
# for long or unusual paths instead of failing to start.
_pg_socket_dir() {
    local sock="$1/sock"
    if ((${#sock} <= 90)) && [[ "$sock" =~ ^[A-Za-z0-9._/+-]+$ ]]; then
        printf '%s\n' "$sock"
    fi
}

# pg_is_running DIR -> 0 when the cluster in DIR is running.
pg_is_running() {
    local dir
    dir=$(_pg_abs "$1")
    [[ -f "$dir/data/PG_VERSION" ]] || return 1
    [[ -n "${PG_BIN:-}" ]] || pg_find_bin
    pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

# pg_running_port DIR -> the port a running cluster listens on (line 4 of
# postmaster.pid).
pg_running_port() {
    local dir
    dir=$(_pg_abs "$1")
    sed -n 4p -- "$dir/data/postmaster.pid" 2>/dev/null
}

# pg_start DIR PORT -> starts the cluster on 127.0.0.1:PORT and waits until it
# accepts connections. Returns 2 if the port was taken (caller may retry with
# another), 1 on other failures.
pg_start() {
    local dir port=$2
    dir=$(_pg_abs "$1")
    local data="$dir/data" log="$dir/postgresql.log" sock opts
    [[ -n "${PG_BIN:-}" ]] || pg_find_bin
    # Again at every start: the checkout may have moved since the cluster
    # was created.
    pg_ensure_traversable "$dir"
    sock=$(_pg_socket_dir "$dir")
    if [[ -n "$sock" ]]; then
        if [[ ! -d "$sock" ]]; then
            mkdir -p -- "$sock"
            if ops_is_root; then chown "$PG_OS_USER:$PG_OS_USER" -- "$sock"; fi
        fi
    fi
    # pg_ctl hands -o to /bin/sh; the socket path was checked to need no
    # quoting, and an empty value ('') disables Unix sockets.
    opts="-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=${sock:-''}"

    # Remember where this start's messages begin in the (appended) log.
    local log_offset=0
    [[ -f "$log" ]] && log_offset=$(stat -c %s -- "$log")

    # -w: wait until the server accepts connections; -t: but not forever.
    if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$log" -o "$opts" -w -t 60 -s start; then
        local recent
        recent=$(tail -c "+$((log_offset + 1))" -- "$log" 2>/dev/null | tail -n 20 || true)
        # A timed-out start may still be coming up; do not leave it behind.
        pg_as_owner "$PG_BIN/pg_ctl" -D "$data" -m immediate -w -s stop >/dev/null 2>&1 || true
        if grep -q -e 'could not bind' -e 'Address already in use' <<<"$recent"; then
            ops_log "port $port was taken meanwhile"
            return 2
        fi
        printf '%s\n' "$recent" >&2
        ops_log "error: PostgreSQL failed to start (log: $log)"
        return 1
    fi
    # shellcheck disable=SC2034 # PG_PORT is read by the calling scripts
    PG_PORT=$port
    pg_wait_ready "$port"
}

# pg_start_on_free_port DIR -> picks a free port, starts the cluster on it and
# sets PG_PORT. Retries a few times if another process grabs the port first.
pg_start_on_free_port() {
    local dir=$1 attempt port rc
    for attempt in 1 2 3; do
        port=$(ops_free_port) || return 1
        rc=0
        pg_start "$dir" "$port" || rc=$?
        [[ $rc -eq 2 ]] || return "$rc"
        ops_log "retrying on another port (attempt $((attempt + 1)) of 3)"
    done
    ops_log "error: PostgreSQL could not get a free port"
    return 1
}

# pg_wait_ready PORT [SECONDS] -> waits until the server answers on PORT.
# (pg_ctl -w already waited; this is a cheap double check over TCP.)
pg_wait_ready() {
    local port=$1 timeout=${2:-30} isready i
    isready=$(_pg_client pg_isready)
    for ((i = 0; i < timeout * 4; i++)); do
        "$isready" -q -h 127.0.0.1 -p "$port" -U "$PG_SUPERUSER" -d postgres && return 0
        sleep 0.25
    done
    ops_log "error: PostgreSQL on port $port did not become ready within ${timeout}s"
    return 1
}

# pg_psql PORT [PSQL ARGS...] -> psql as the superuser over TCP. Runs as the
# current user: TCP with trust auth needs no OS identity.
pg_psql() {
    local port=$1
    shift
    PGCONNECT_TIMEOUT=10 "$(_pg_client psql)" -X -q -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$port" -U "$PG_SUPERUSER" "$@"
}

# pg_create_database PORT NAME -> creates database NAME unless it exists.
pg_create_database() {
    local port=$1 name=$2 exists
    [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || ops_die "pg_create_database: unsupported database name '$name'"
    exists=$(pg_psql "$port" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'") || return 1
    if [[ "$exists" != 1 ]]; then
        ops_log "creating database $name"
        pg_psql "$port" -d postgres -c "CREATE DATABASE $name" || return 1
    fi
}

# pg_connection_string PORT [DATABASE] -> Npgsql connection string.
pg_connection_string() {
    printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s\n' "$1" "${2:-valueledger}" "$PG_SUPERUSER"
}

# pg_stop DIR -> stops the cluster if it runs: "fast" shutdown (disconnects
# clients, checkpoints), "immediate" if that does not finish in 60 s.
pg_stop() {
    local dir
    dir=$(_pg_abs "$1")
    pg_is_running "$dir" || return 0
    if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w -t 60 -s stop; then
        ops_log "PostgreSQL did not stop in time; forcing an immediate shutdown"
        pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w -t 30 -s stop
    fi
}

# pg_create_roles PORT DATABASE OWNER_ROLE APP_ROLE -> the owner role (owns the
# database; the schema is applied with it) and the app role (LOGIN, nothing
# else until pg_grant_app_role). Idempotent. Trust authentication locally;
# on a real server give both roles passwords (README, "Database roles").
pg_create_roles() {
    local port=$1 db=$2 owner=$3 app=$4
    pg_psql "$port" -d postgres -v owner="$owner" -v app="$app" -v db="$db" <<'SQL' || return 1
SELECT format('CREATE ROLE %I LOGIN', :'owner') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'owner') \gexec
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'app') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'owner') \gexec
SQL
}

# pg_grant_app_role PORT DATABASE SCHEMA APP_ROLE -> ops/lib/roles.sql: the app
# role may append and read events but never update or delete them.
pg_grant_app_role() {
    local port=$1 db=$2 schema=$3 app=$4
    pg_psql "$port" -d "$db" -v schema="$schema" -v app_role="$app" -f "$(dirname "${BASH_SOURCE[0]}")/roles.sql"
}

# pg_role_connection_string PORT DATABASE ROLE -> Npgsql connection string as ROLE.
pg_role_connection_string() {
    printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s\n' "$1" "$2" "$3"
}
