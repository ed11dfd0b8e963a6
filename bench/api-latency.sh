#!/usr/bin/env bash
#
# Latency of the Open API on a fresh copy of the distribution (H2 or a throw-away PostgreSQL 15): unpacks it into a temp
# folder, moves its ports to free loopback ones, starts it, waits until the API answers, runs
# io.thingport.bench.ApiLatency (bench/target/thingport-bench.jar) against it and stops it again. See bench/README.md,
# "Open API latency: api-latency.sh", for the options and what every figure means.
#
# It stops only the processes it started (by their PIDs) and deletes its temporary folders unless --keep.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
    cat <<'EOF'
usage: bench/api-latency.sh [options]

  --backend h2|postgresql   the platform's database (default h2; postgresql: a throw-away PostgreSQL 15 cluster
                            in a temp folder on a free loopback port)
  --requests N              measured requests of each kind (default 2000)
  --warmup N                requests of each kind before the measured ones (default 1000)
  --rounds R                the measured requests of each kind in R turns, kinds alternating (default 4)
  --concurrency C           also GET /devices/{id}/properties by C clients at once (default 1: not run)
  --settle S                after the API answers, wait until the platform is idle (< 10 % of a core over 2 s),
                            at most S seconds (default 60; 0 = do not wait)
  --results FILE            append the run as JSON lines (a "meta" line and the tool's result line) to FILE
  --dist TARBALL            distribution (default assembly/target/thingport-assembly-*.tar.gz of this tree)
  --jar JAR                 benchmark jar (default bench/target/thingport-bench.jar of this tree)
  --keep                    keep the temp folders (distribution, database, logs) and print where they are
  -h, --help                this text
EOF
}

die() {
    echo "api-latency.sh: $*" >&2
    exit 1
}

usage_error() {
    echo "api-latency.sh: $*" >&2
    echo "(bench/api-latency.sh --help lists the options)" >&2
    exit 2
}

# ---------------------------------------------------------------- options
BACKEND=h2
REQUESTS=2000
WARMUP=1000
ROUNDS=4
CONCURRENCY=1
SETTLE=60
RESULTS=
DIST=
JAR=
KEEP=0

need_value() {
    [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --backend) need_value "$@"; BACKEND=$2; shift 2 ;;
        --requests) need_value "$@"; REQUESTS=$2; shift 2 ;;
        --warmup) need_value "$@"; WARMUP=$2; shift 2 ;;
        --rounds) need_value "$@"; ROUNDS=$2; shift 2 ;;
        --concurrency) need_value "$@"; CONCURRENCY=$2; shift 2 ;;
        --settle) need_value "$@"; SETTLE=$2; shift 2 ;;
        --results) need_value "$@"; RESULTS=$2; shift 2 ;;
        --dist) need_value "$@"; DIST=$2; shift 2 ;;
        --jar) need_value "$@"; JAR=$2; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage_error "unknown option: $1" ;;
    esac
done

is_count() { [[ "$1" =~ ^[0-9]+$ ]] && (( 10#$1 >= $2 )); }

[[ "$BACKEND" == h2 || "$BACKEND" == postgresql ]] || usage_error "--backend must be h2 or postgresql, got: $BACKEND"
is_count "$REQUESTS" 1 || usage_error "--requests must be a whole number >= 1, got: $REQUESTS"
is_count "$WARMUP" 0 || usage_error "--warmup must be a whole number >= 0, got: $WARMUP"
is_count "$ROUNDS" 1 || usage_error "--rounds must be a whole number >= 1, got: $ROUNDS"
is_count "$CONCURRENCY" 1 || usage_error "--concurrency must be a whole number >= 1, got: $CONCURRENCY"
is_count "$SETTLE" 0 || usage_error "--settle must be a whole number of seconds >= 0, got: $SETTLE"
REQUESTS=$((10#$REQUESTS)) WARMUP=$((10#$WARMUP)) ROUNDS=$((10#$ROUNDS)) CONCURRENCY=$((10#$CONCURRENCY)) SETTLE=$((10#$SETTLE))

# ---------------------------------------------------------------- prerequisites
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
command -v java > /dev/null || die "java not found"
command -v ss > /dev/null || die "ss (iproute2) not found: needed to find free ports"
command -v curl > /dev/null || die "curl not found: needed to see when the API answers"
if [[ "$BACKEND" == postgresql ]]; then
    for b in initdb pg_ctl psql; do
        [[ -x "$PGBIN/$b" ]] || die "$PGBIN/$b not found (apt-get install postgresql-15, or set PGBIN=...)"
    done
fi
if [[ -z "$JAR" ]]; then
    JAR=$ROOT/bench/target/thingport-bench.jar
fi
[[ -f "$JAR" ]] || die "benchmark jar $JAR not found: build it with 'mvn -B -o package -pl bench -am'"
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
if [[ -z "$DIST" ]]; then
    shopt -s nullglob
    found=("$ROOT"/assembly/target/thingport-assembly-*.tar.gz)
    shopt -u nullglob
    [[ ${#found[@]} -eq 1 ]] || die "expected one assembly/target/thingport-assembly-*.tar.gz in $ROOT, found ${#found[@]}:" \
        "build with 'mvn -B install -pl assembly -am -DskipTests' or pass --dist"
    DIST=${found[0]}
fi
[[ -f "$DIST" ]] || die "distribution $DIST not found"
if [[ -z "${JAVA_HOME:-}" ]]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    export JAVA_HOME # Karaf's scripts warn without it
fi
if [[ -n "$RESULTS" ]]; then
    touch "$RESULTS" || die "cannot write the results file $RESULTS"
    RESULTS=$(cd "$(dirname "$RESULTS")" && pwd)/$(basename "$RESULTS")
fi
read -r PORT_LOW _ < /proc/sys/net/ipv4/ip_local_port_range
CLK_TCK=$(getconf CLK_TCK)

# ---------------------------------------------------------------- processes we start, and their cleanup
WORK=$(mktemp -d /tmp/thingport-api-latency.XXXXXX)
PGDIR=
PG_STARTED=0
PLATFORM_PID=
PLATFORM_WRAPPER=
PLATFORM_HOME=
BENCH_PID=

log() {
    printf '%s %s\n' "$(date +%H:%M:%S)" "$*"
}

# a zombie (exited, not yet reaped by whoever inherited it, e.g. the daemonized postmaster) counts as gone
alive() {
    [[ -n "$1" ]] && kill -0 "$1" 2> /dev/null || return 1
    local stat
    stat=$(cat "/proc/$1/stat" 2> /dev/null) || return 1
    stat=${stat##*) }
    [[ "${stat:0:1}" != Z ]]
}

# wait_gone PID SECONDS: true once the process is gone
wait_gone() {
    local pid=$1 i
    for ((i = 0; i < $2 * 10; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    ! alive "$pid"
}

# stop_pid PID NAME: TERM, then KILL after 20 s; only for PIDs this script started
stop_pid() {
    local pid=$1 name=$2
    alive "$pid" || return 0
    kill -TERM "$pid" 2> /dev/null || true
    if ! wait_gone "$pid" 20; then
        log "$name ($pid) did not stop after SIGTERM: SIGKILL"
        kill -KILL "$pid" 2> /dev/null || true
        wait_gone "$pid" 10 || log "$name ($pid) is still running"
    fi
    wait "$pid" 2> /dev/null || true
}

stop_platform() {
    if alive "$PLATFORM_PID"; then
        (cd "$PLATFORM_HOME" && bin/stop > /dev/null 2>&1) || true
        if ! wait_gone "$PLATFORM_PID" 60; then
            log "the platform ($PLATFORM_PID) did not stop within 60 s of bin/stop: SIGTERM"
            stop_pid "$PLATFORM_PID" platform
        fi
    fi
    # bin/start's wrapper (bin/karaf server) ends with the JVM; it is ours, so make sure
    if alive "$PLATFORM_WRAPPER"; then
        wait_gone "$PLATFORM_WRAPPER" 5 || stop_pid "$PLATFORM_WRAPPER" "platform wrapper"
    fi
    PLATFORM_PID=
    PLATFORM_WRAPPER=
}

pg_run() {
    if [[ $EUID -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

stop_postgres() {
    if (( PG_STARTED )); then
        local pm
        pm=$(head -n 1 "$PGDIR/data/postmaster.pid" 2> /dev/null || true)
        pg_run "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w -t 60 stop > /dev/null 2>&1 || true
        if alive "$pm"; then
            log "PostgreSQL ($pm) did not stop with pg_ctl: SIGTERM"
            kill -TERM "$pm" 2> /dev/null || true
            wait_gone "$pm" 20 || kill -KILL "$pm" 2> /dev/null || true
        fi
        PG_STARTED=0
    fi
}

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    stop_pid "$BENCH_PID" benchmark
    stop_platform
    stop_postgres
    if (( KEEP )); then
        log "kept: $WORK${PGDIR:+ and $PGDIR}"
    else
        rm -rf "$WORK"
        [[ -n "$PGDIR" ]] && rm -rf "$PGDIR"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'echo "api-latency.sh: stopped at line $LINENO: $BASH_COMMAND failed" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- helpers
USED_PORTS=" "

# A free TCP port below the ephemeral range.
free_port() {
    local p i
    for ((i = 0; i < 200; i++)); do
        p=$((20000 + RANDOM % (PORT_LOW > 21000 ? PORT_LOW - 20000 : 10000)))
        [[ "$USED_PORTS" == *" $p "* ]] && continue
        if [[ -z "$(ss -Htan "( sport = :$p )" 2> /dev/null)" ]]; then
            USED_PORTS="$USED_PORTS$p "
            echo "$p"
            return 0
        fi
    done
    die "no free TCP port found"
}

listening() {
    [[ -n "$(ss -Hltn "( sport = :$1 )" 2> /dev/null)" ]]
}

# CPU seconds (user + system) of a process and its waited-for children
proc_cpu() {
    local pid=$1 stat
    if [[ -z "$pid" ]] || ! stat=$(cat "/proc/$pid/stat" 2> /dev/null); then
        echo 0
        return
    fi
    echo "${stat##*) }" | awk -v hz="$CLK_TCK" '{ printf "%.2f", ($12 + $13 + $14 + $15) / hz }'
}

now_s() {
    date +%s.%N
}

# set_key FILE KEY VALUE: replace "KEY = ..." of etc/FILE and check it was there
set_key() {
    grep -Eq "^$2[[:space:]]*=" "$PLATFORM_HOME/etc/$1" || die "etc/$1 has no '$2 =' line to change"
    sed -i -E "s|^$2[[:space:]]*=.*|$2 = $3|" "$PLATFORM_HOME/etc/$1"
}

# put_key FILE KEY VALUE: as set_key, or appended when the file has no such line
put_key() {
    if grep -Eq "^$2[[:space:]]*=" "$PLATFORM_HOME/etc/$1"; then
        set_key "$@"
    else
        printf '%s = %s\n' "$2" "$3" >> "$PLATFORM_HOME/etc/$1"
    fi
}

# ---------------------------------------------------------------- metadata
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
if [[ -n "$(git -C "$ROOT" status --porcelain 2> /dev/null || true)" ]]; then
    COMMIT="$COMMIT+changes"
fi
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n '1p' | tr -d '"\\')
JAVA_VERSION=$(java -version 2>&1 | sed -n '1p' | tr -d '"\\')
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
log "machine: $(nproc) CPUs ($CPU_MODEL), load average $LOADAVG; $JAVA_VERSION; commit $COMMIT"
OTHERS=$(pgrep -f 'plexus-classworlds|surefire|failsafe|org.apache.karaf.main.Main' | grep -v "^$$\$" | wc -l || true)
if (( OTHERS > 0 )); then
    log "note: $OTHERS other Maven, test or Karaf JVMs are running on this machine: the figures will show it"
fi

# ---------------------------------------------------------------- the platform
PLATFORM_HOME=$WORK/platform
mkdir -p "$PLATFORM_HOME"
tar xzf "$DIST" -C "$PLATFORM_HOME" --strip-components=1
MODEL=$PLATFORM_HOME/examples/thing-models/thermostat.json
[[ -f "$MODEL" ]] || MODEL=$ROOT/examples/thing-models/thermostat.json
[[ -f "$MODEL" ]] || die "examples/thing-models/thermostat.json is neither in the distribution nor in $ROOT"
TP_PORT=$(free_port)
HTTP_PORT=$(free_port)
SSH_PORT=$(free_port)
RMI_REGISTRY_PORT=$(free_port)
RMI_SERVER_PORT=$(free_port)
set_key io.thingport.network-mqtt.cfg port "$TP_PORT"
set_key io.thingport.network-mqtt.cfg host 127.0.0.1
set_key org.apache.karaf.shell.cfg sshPort "$SSH_PORT"
set_key org.apache.karaf.management.cfg rmiRegistryPort "$RMI_REGISTRY_PORT"
set_key org.apache.karaf.management.cfg rmiServerPort "$RMI_SERVER_PORT"
put_key org.ops4j.pax.web.cfg org.osgi.service.http.port "$HTTP_PORT"
put_key org.ops4j.pax.web.cfg org.ops4j.pax.web.listening.addresses 127.0.0.1

start_postgres() {
    local pg_port
    pg_port=$(free_port)
    PGDIR=$(mktemp -d /tmp/thingport-api-latency-pg.XXXXXX)
    PG_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    if [[ $EUID -eq 0 ]]; then
        chown -R postgres: "$PGDIR"
    fi
    chmod 700 "$PGDIR"
    pg_run "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -E UTF8 --locale=C --auth-local=trust \
        --auth-host=scram-sha-256 > "$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
    pg_run "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/postgresql.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$PGDIR" start > /dev/null \
        || { tail -n 20 "$PGDIR/postgresql.log" >&2; die "PostgreSQL did not start"; }
    PG_STARTED=1
    pg_run "$PGBIN/psql" -h "$PGDIR" -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE thingport LOGIN PASSWORD '$PG_PASSWORD'" -c "CREATE DATABASE thingport OWNER thingport" \
        > /dev/null || die "could not create the thingport database"
    log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') in $PGDIR on 127.0.0.1:$pg_port"
    # the project's way to PostgreSQL (README "Running on PostgreSQL"): the distribution's datasource file changed
    grep -rqs 'pax-jdbc-postgresql' "$PLATFORM_HOME"/system/io/thingport/thingport-features/ \
        || die "this distribution's thingport feature does not install the PostgreSQL driver (compare.sh can add it)"
    set_key org.ops4j.datasource-thingport.cfg osgi.jdbc.driver.class org.postgresql.Driver
    set_key org.ops4j.datasource-thingport.cfg url "jdbc:postgresql://127.0.0.1:$pg_port/thingport"
    set_key org.ops4j.datasource-thingport.cfg user thingport
    set_key org.ops4j.datasource-thingport.cfg password "$PG_PASSWORD"
}

start_platform() {
    rm -f "$PLATFORM_HOME/karaf.pid"
    (cd "$PLATFORM_HOME" && bin/start > "$WORK/start.log" 2>&1)
    local i
    for ((i = 0; i < 300; i++)); do
        [[ -s "$PLATFORM_HOME/karaf.pid" ]] && break
        sleep 0.1
    done
    PLATFORM_PID=$(cat "$PLATFORM_HOME/karaf.pid" 2> /dev/null || true)
    alive "$PLATFORM_PID" || die "the platform did not start (no karaf.pid after 30 s); see $WORK/start.log"
    # bin/start runs "bin/karaf server" in the background, which runs the JVM: remember that wrapper if it is ours
    local parent
    parent=$(ps -o ppid= -p "$PLATFORM_PID" | tr -d ' ')
    PLATFORM_WRAPPER=
    if [[ -n "$parent" && "$parent" != 1 ]] && tr '\0' ' ' < "/proc/$parent/cmdline" 2> /dev/null | grep -qF "$PLATFORM_HOME"; then
        PLATFORM_WRAPPER=$parent
    fi
}

# the password of the user karaf, which the first start generated into etc/users.properties
karaf_password() {
    sed -n 's/^karaf[[:space:]]*=[[:space:]]*\([^,]*\),.*/\1/p' "$PLATFORM_HOME/etc/users.properties" | tr -d ' '
}

# HTTP status of GET /api/v1/products as karaf (the password goes to curl on a pipe, not on its command line)
api_status() {
    printf 'user = "karaf:%s"\n' "$PASSWORD" | curl -s -o /dev/null -w '%{http_code}' --max-time 5 -K - \
        "http://127.0.0.1:$HTTP_PORT/api/v1/products" 2> /dev/null || true
}

# wait until the API answers 200 (the REST bundle and the platform's services are up) and MQTT listens
wait_ready() {
    local deadline=$((SECONDS + 240)) status=none karaf_log=$PLATFORM_HOME/data/log/karaf.log
    while ((SECONDS < deadline)); do
        alive "$PLATFORM_PID" || die "the platform stopped while starting; see $karaf_log (--keep keeps it)"
        status=$(api_status)
        if [[ "$status" == 200 ]] && listening "$TP_PORT"; then
            return 0
        fi
        sleep 2
    done
    echo "from karaf.log:" >&2
    { grep -E '^Caused by' "$karaf_log" | sort -u | tail -n 5
      grep -E '\| ERROR \|' "$karaf_log" | grep -v 'FrameworkEvent ERROR' | tail -n 3 | cut -c1-300; } >&2 || true
    die "the API did not answer within 240 s (last status: $status; MQTT listening: $(listening "$TP_PORT" && echo yes || echo no))"
}

log "platform from $(basename "$DIST") in $PLATFORM_HOME: HTTP $HTTP_PORT, MQTT $TP_PORT, SSH $SSH_PORT," \
    "RMI $RMI_REGISTRY_PORT/$RMI_SERVER_PORT, $BACKEND"
if [[ "$BACKEND" == postgresql ]]; then
    start_postgres
fi
t0=$SECONDS
start_platform
PASSWORD=$(karaf_password)
[[ -n "$PASSWORD" && "$PASSWORD" != *GENERATED* ]] || die "no generated password of karaf in $PLATFORM_HOME/etc/users.properties"
wait_ready
log "platform up in $((SECONDS - t0)) s (pid $PLATFORM_PID): the API answers on http://127.0.0.1:$HTTP_PORT/api/v1"

# The API answers before the platform is done starting (features still resolving, the JIT compiling start-up code):
# wait until it is idle, at most --settle seconds, so that the warm-up and the measurement do not share the CPU with that.
settle() {
    local t=$SECONDS c0 c1 used=?
    while ((SECONDS - t < SETTLE)); do
        c0=$(proc_cpu "$PLATFORM_PID")
        sleep 2
        c1=$(proc_cpu "$PLATFORM_PID")
        used=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.0f", (b - a) / 2 * 100 }')
        if ((used < 10)); then
            log "platform idle after $((SECONDS - t)) s more (${used} % of a core over 2 s)"
            return 0
        fi
    done
    log "note: the platform still used ${used} % of a core after $SETTLE s; measuring anyway"
}
if ((SETTLE > 0)); then
    settle
fi

# ---------------------------------------------------------------- the benchmark
OUT=$WORK/api-latency.log
cpu0=$(proc_cpu "$PLATFORM_PID")
w0=$(now_s)
rc=0
THINGPORT_PASSWORD=$PASSWORD java -cp "$JAR" io.thingport.bench.ApiLatency --port "$HTTP_PORT" --mqtt-port "$TP_PORT" \
    --model "$MODEL" --requests "$REQUESTS" --warmup "$WARMUP" --rounds "$ROUNDS" --concurrency "$CONCURRENCY" \
    --server-pid "$PLATFORM_PID" --clk-tck "$CLK_TCK" --json > "$OUT" 2>&1 &
BENCH_PID=$!
wait "$BENCH_PID" || rc=$?
BENCH_PID=
w1=$(now_s)
cpu1=$(proc_cpu "$PLATFORM_PID")
grep -v '^{"tool":' "$OUT" || true
JSON=$(tail -n 1 "$OUT")
[[ "$JSON" == '{"tool":"thingport-api-latency"'* ]] || die "the benchmark ended without a result (exit code $rc); output above"
log "platform CPU: $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.1f", b - a }') s in" \
    "$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.1f", b - a }') s of the benchmark (set-up and warm-up included)"
if [[ -n "$RESULTS" ]]; then
    printf '{"type":"meta","tool":"api-latency.sh","date":"%s","commit":"%s","backend":"%s","cpus":%s,"cpuModel":"%s","java":"%s","loadavg":"%s","platformCpuS":%s,"wallS":%s}\n' \
        "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" "$BACKEND" "$(nproc)" "$CPU_MODEL" "$JAVA_VERSION" "$LOADAVG" \
        "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')" \
        "$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.1f", b - a }')" >> "$RESULTS"
    echo "$JSON" >> "$RESULTS"
    log "figures: $RESULTS"
fi
stop_platform
stop_postgres
exit "$rc"
