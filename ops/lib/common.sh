# shellcheck shell=bash
#
# Generic helpers shared by ops/run and ops/test (sourced, never executed).
# ops/lib/postgres.sh sources this file, so scripts only need to source that.
#
# Callers may set OPS_NAME (e.g. "ops/run") to prefix messages.

# Guard against double sourcing.
if [[ -n "${_VL_OPS_COMMON_LOADED:-}" ]]; then
    return 0
fi
_VL_OPS_COMMON_LOADED=1

# Messages go to stderr so that stdout stays for the lines users act on.
ops_log() {
    printf '%s: %s\n' "${OPS_NAME:-ops}" "$*" >&2
}

# Note: inside $(...) or ( ... ) this only leaves the subshell; the helpers
# below return non-zero instead where they may run in one.
ops_die() {
    ops_log "error: $*"
    exit 1
}

ops_is_root() {
    [[ "$(id -u)" -eq 0 ]]
}

ops_require_command() {
    command -v "$1" >/dev/null 2>&1 || ops_die "'$1' is required but not installed${2:+ ($2)}"
}

# ops_is_valid_port VALUE -> 0 when VALUE is a TCP port number (1-65535).
ops_is_valid_port() {
    [[ "$1" =~ ^[0-9]{1,5}$ ]] && ((10#$1 >= 1 && 10#$1 <= 65535))
}

# ops_port_is_free PORT -> 0 when nothing listens on 127.0.0.1:PORT and it can
# be bound.
ops_port_is_free() {
    local port=$1
    # Something answering a connect means the port is taken (this also catches
    # listeners bound to 0.0.0.0). Connection refused on loopback is instant.
    if (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
        return 1
    fi
    if command -v python3 >/dev/null 2>&1; then
        # A bind test catches what a connect cannot (e.g. a socket bound but not
        # listening yet). SO_REUSEADDR matches what servers do, so sockets in
        # TIME_WAIT do not count as busy.
        python3 - "$port" <<'PY' 2>/dev/null || return 1
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
    fi
    return 0
}

# ops_free_port -> prints a TCP port that is currently free on 127.0.0.1.
# (Someone could grab it before we use it; callers that can, retry.)
ops_free_port() {
    if command -v python3 >/dev/null 2>&1; then
        # Let the kernel pick: bind to port 0 and report what we got.
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()' && return 0
    fi
    # Fallback without python3: probe random ports below the Linux ephemeral
    # range (32768+) so we do not collide with outgoing connections.
    local attempt port
    for ((attempt = 0; attempt < 200; attempt++)); do
        port=$((15000 + RANDOM % 17000))
        if ops_port_is_free "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    ops_log "error: could not find a free TCP port on 127.0.0.1"
    return 1
}

# ops_npm_install DIR
# Installs the npm dependencies of DIR from its lock file (npm ci), unless the
# installed tree is already newer than both manifest and lock file (npm writes
# node_modules/.package-lock.json on every install; npm ci wipes node_modules).
ops_npm_install() {
    local dir="$1"
    command -v npm >/dev/null 2>&1 ||
        ops_die "${dir#"$REPO_ROOT"/} needs npm (Node.js); install Node.js 20+ and npm"
    (
        cd "$dir"
        if [[ -f package-lock.json || -f npm-shrinkwrap.json ]]; then
            if [[ -f node_modules/.package-lock.json &&
                node_modules/.package-lock.json -nt package.json &&
                (! -f package-lock.json || node_modules/.package-lock.json -nt package-lock.json) ]]; then
                ops_log "${dir#"$REPO_ROOT"/}: dependencies are up to date; skipping npm ci"
            else
                npm ci --no-audit --no-fund
            fi
        else
            npm install --no-audit --no-fund
        fi
    )
}

# ops_build_client_app REPO_ROOT
# Builds the dashboard (src/ValueLedger.Api/ClientApp) when it exists; does
# nothing otherwise. Its `npm run build` is expected to write its output
# under src/ValueLedger.Api/wwwroot, which the app serves at / (ops/run runs
# the app with the project folder as content root).
ops_build_client_app() {
    local dir="$1/src/ValueLedger.Api/ClientApp"
    [[ -f "$dir/package.json" ]] || return 0
    ops_log "building the dashboard (src/ValueLedger.Api/ClientApp)"
    { ops_npm_install "$dir" && (cd "$dir" && npm run build); } ||
        ops_die "building the dashboard failed (see the npm output above)"
}

# ops_measured_commit ANY_COMMIT -> exports VALUELEDGER_COMMIT, the commit a report's figures describe. Reports in
# docs/ describe HEAD of main: unless ANY_COMMIT is true (--any-commit, or a report that is not written), a tree with
# uncommitted changes under src/, tests/ or ops/, or another branch than main, is refused. Otherwise the commit is
# named with its branch and "+changes" when the tree has changes.
ops_measured_commit() {
    local any_commit=$1 commit branch changes=""
    commit=$(git -C "$REPO_ROOT" rev-parse --short=12 HEAD 2>/dev/null) || commit=unknown
    branch=$(git -C "$REPO_ROOT" rev-parse --abbrev-ref HEAD 2>/dev/null) || branch=unknown
    [[ -z "$(git -C "$REPO_ROOT" status --porcelain -- src tests ops 2>/dev/null)" ]] || changes="+changes"
    if [[ "$any_commit" != true ]]; then
        [[ -z "$changes" ]] ||
            ops_die "uncommitted changes under src/, tests/ or ops/: the report must describe a commit (commit first, or pass --any-commit)"
        [[ "$branch" == main ]] ||
            ops_die "on branch $branch: the reports in docs/ describe main (switch to main, or pass --any-commit)"
        export VALUELEDGER_COMMIT=$commit
    else
        export VALUELEDGER_COMMIT="$commit ($branch)$changes"
    fi
}
