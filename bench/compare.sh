#!/usr/bin/env bash
#
# Thingport against Mosquitto 2.0 on this machine, with the same generator (bench/target/thingport-bench.jar), in one
# run: Mosquitto first (started here, stopped before the platform starts), then a fresh copy of the distribution
# (H2 or a throw-away PostgreSQL 15), then a table with both and their ratio. See bench/README.md, "Thingport against
# Mosquitto: compare.sh", for the options and what every figure means.
#
# It stops only the processes it started (by their PIDs) and deletes its temporary folders unless --keep.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() {
    cat <<'EOF'
usage: bench/compare.sh [options]

  --backend h2|postgresql   the platform's database (default h2; postgresql: a throw-away PostgreSQL 15 cluster
                            in a temp folder on a free loopback port)
  --devices N               devices of every run (default 1000)
  --rates LIST              fixed offered rates, msg/s, comma-separated (default 10000,20000)
  --saturation-rate R       offered rate of the saturation run (default 100000: more than either system takes)
  --max-inflight K          unacknowledged reports per device (default 16)
  --duration S              measured window of every run, seconds (default 30)
  --warmup S                traffic before each window, not counted (default 10)
  --platform-warmup S       one unmeasured saturation run of S seconds on the freshly started platform before the
                            measured ones, so that they do not measure its JIT compiling (default 20; 0 = none)
  --payload-props SPEC      the generator's report properties (default temp:double:0:50,hum:int:0:100)
  --connect-rate C          new connections per second (default 1000)
  --profile                 after each saturation run of the platform one more under a JFR recording (kept apart:
                            the recording costs the platform rate); print its top frames
  --prefill N               store N reports (in all) before a second saturation run, to see whether the rate stays
                            flat as data grows (the issue asks for 10000000)
  --idle LIST               idle authenticated connections to measure the heap at, e.g. 5000,10000,18000
  --idle-connect-rate C     new idle connections per second (default 250: the platform refuses logins beyond
                            its queue of 1000 waiting logins)
  --history                 time 'iot:device-props --history temp --limit 100' over --history-reports reports of one
                            device, on the server
  --history-reports N       reports of that device (default 1000000)
  --storage KEY=VALUE       set a key of the platform's etc/io.thingport.storage.cfg before it starts, e.g.
                            writer.threads=2 (repeatable; the key must exist in the file)
  --results FILE            JSON lines of every figure (default ./thingport-compare-<UTC time>.jsonl); JFR files are
                            saved beside it
  --dist TARBALL            distribution (default assembly/target/thingport-assembly-*.tar.gz of this tree)
  --jar JAR                 generator (default bench/target/thingport-bench.jar of this tree)
  --keep                    keep the temp folders (distribution, database, logs) and print where they are
  -h, --help                this text
EOF
}

die() {
    echo "compare.sh: $*" >&2
    exit 1
}

usage_error() {
    echo "compare.sh: $*" >&2
    echo "(bench/compare.sh --help lists the options)" >&2
    exit 2
}

# ---------------------------------------------------------------- options
BACKEND=h2
DEVICES=1000
RATES=10000,20000
SAT_RATE=100000
PLATFORM_WARMUP=20
INFLIGHT=16
DURATION=30
WARMUP=10
PAYLOAD=temp:double:0:50,hum:int:0:100
CONNECT_RATE=1000
IDLE_CONNECT_RATE=250
PROFILE=0
PREFILL=0
IDLE=
HISTORY=0
HISTORY_REPORTS=1000000
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
        --devices) need_value "$@"; DEVICES=$2; shift 2 ;;
        --rates) need_value "$@"; RATES=$2; shift 2 ;;
        --saturation-rate) need_value "$@"; SAT_RATE=$2; shift 2 ;;
        --platform-warmup) need_value "$@"; PLATFORM_WARMUP=$2; shift 2 ;;
        --max-inflight) need_value "$@"; INFLIGHT=$2; shift 2 ;;
        --duration) need_value "$@"; DURATION=$2; shift 2 ;;
        --warmup) need_value "$@"; WARMUP=$2; shift 2 ;;
        --payload-props) need_value "$@"; PAYLOAD=$2; shift 2 ;;
        --connect-rate) need_value "$@"; CONNECT_RATE=$2; shift 2 ;;
        --idle-connect-rate) need_value "$@"; IDLE_CONNECT_RATE=$2; shift 2 ;;
        --profile) PROFILE=1; shift ;;
        --prefill) need_value "$@"; PREFILL=$2; shift 2 ;;
        --idle) need_value "$@"; IDLE=$2; shift 2 ;;
        --history) HISTORY=1; shift ;;
        --history-reports) need_value "$@"; HISTORY_REPORTS=$2; shift 2 ;;
        --storage) need_value "$@"; STORAGE_KEYS+=("$2"); shift 2 ;;
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
is_count "$DEVICES" 1 || usage_error "--devices must be a whole number >= 1, got: $DEVICES"
is_count "$SAT_RATE" 1 || usage_error "--saturation-rate must be a whole number >= 1, got: $SAT_RATE"
is_count "$INFLIGHT" 1 && (( INFLIGHT <= 65535 )) || usage_error "--max-inflight must be in 1..65535, got: $INFLIGHT"
is_count "$DURATION" 1 || usage_error "--duration must be a whole number of seconds >= 1, got: $DURATION"
is_count "$WARMUP" 0 || usage_error "--warmup must be a whole number of seconds >= 0, got: $WARMUP"
is_count "$PLATFORM_WARMUP" 0 || usage_error "--platform-warmup must be a whole number of seconds >= 0, got: $PLATFORM_WARMUP"
is_count "$CONNECT_RATE" 1 || usage_error "--connect-rate must be a whole number >= 1, got: $CONNECT_RATE"
is_count "$IDLE_CONNECT_RATE" 1 || usage_error "--idle-connect-rate must be a whole number >= 1, got: $IDLE_CONNECT_RATE"
is_count "$PREFILL" 0 || usage_error "--prefill must be a whole number of reports, got: $PREFILL"
is_count "$HISTORY_REPORTS" 1 || usage_error "--history-reports must be a whole number >= 1, got: $HISTORY_REPORTS"
for kv in "${STORAGE_KEYS[@]}"; do
    [[ "$kv" =~ ^[A-Za-z][A-Za-z0-9.]*=[^|[:space:]]+$ ]] || usage_error "--storage must be KEY=VALUE, got: $kv"
done
IFS=, read -r -a RATE_LIST <<< "$RATES"
for r in "${RATE_LIST[@]}"; do
    is_count "$r" 1 || usage_error "--rates must be whole numbers >= 1 separated by commas, got: $RATES"
done
IDLE_LIST=()
if [[ -n "$IDLE" ]]; then
    IFS=, read -r -a IDLE_LIST <<< "$IDLE"
    prev=0
    for n in "${IDLE_LIST[@]}"; do
        is_count "$n" 1 || usage_error "--idle must be whole numbers >= 1 separated by commas, got: $IDLE"
        ((10#$n > prev)) || usage_error "--idle must be increasing, got: $IDLE"
        prev=$((10#$n))
    done
fi
# without leading zeros (they go into JSON)
DEVICES=$((10#$DEVICES)) SAT_RATE=$((10#$SAT_RATE)) INFLIGHT=$((10#$INFLIGHT)) DURATION=$((10#$DURATION))
WARMUP=$((10#$WARMUP)) PLATFORM_WARMUP=$((10#$PLATFORM_WARMUP)) CONNECT_RATE=$((10#$CONNECT_RATE)) IDLE_CONNECT_RATE=$((10#$IDLE_CONNECT_RATE))
PREFILL=$((10#$PREFILL)) HISTORY_REPORTS=$((10#$HISTORY_REPORTS))
for i in "${!RATE_LIST[@]}"; do
    RATE_LIST[i]=$((10#${RATE_LIST[i]}))
done
for i in "${!IDLE_LIST[@]}"; do
    IDLE_LIST[i]=$((10#${IDLE_LIST[i]}))
done
RATES=$(IFS=,; echo "${RATE_LIST[*]}")
IDLE=$(IFS=,; echo "${IDLE_LIST[*]}")

# ---------------------------------------------------------------- prerequisites
MOSQUITTO=${MOSQUITTO:-/usr/sbin/mosquitto}
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
[[ -x "$MOSQUITTO" ]] || die "Mosquitto not found at $MOSQUITTO (apt-get install mosquitto, or set MOSQUITTO=...)"
command -v java > /dev/null || die "java not found"
command -v ss > /dev/null || die "ss (iproute2) not found: needed to find free ports"
if (( PROFILE )) || [[ ${#IDLE_LIST[@]} -gt 0 ]]; then
    command -v jcmd > /dev/null || die "jcmd not found: --profile and --idle need the JDK's jcmd"
fi
if [[ "$BACKEND" == postgresql ]]; then
    for b in initdb pg_ctl psql; do
        [[ -x "$PGBIN/$b" ]] || die "$PGBIN/$b not found (apt-get install postgresql-15, or set PGBIN=...)"
    done
fi
if [[ -z "$JAR" ]]; then
    JAR=$ROOT/bench/target/thingport-bench.jar
fi
[[ -f "$JAR" ]] || die "generator $JAR not found: build it with 'mvn -B -o package -pl bench'"
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
if [[ -z "$DIST" ]]; then
    shopt -s nullglob
    found=("$ROOT"/assembly/target/thingport-assembly-*.tar.gz)
    shopt -u nullglob
    [[ ${#found[@]} -eq 1 ]] || die "expected one assembly/target/thingport-assembly-*.tar.gz in $ROOT, found ${#found[@]}:" \
        "build with 'mvn -B verify -pl assembly -am -DskipTests' or pass --dist"
    DIST=${found[0]}
fi
[[ -f "$DIST" ]] || die "distribution $DIST not found"
if [[ -z "${JAVA_HOME:-}" ]]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    export JAVA_HOME # Karaf's scripts warn without it
fi

# File descriptors: every connection is one in the generator and one in the server.
ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
NOFILE=$(ulimit -n)
MAX_CONN=$DEVICES
for n in "${IDLE_LIST[@]}"; do
    if ((n > MAX_CONN)); then
        MAX_CONN=$n
    fi
done
if [[ "$NOFILE" != unlimited ]] && (( MAX_CONN + 1000 > NOFILE )); then
    die "$MAX_CONN connections need about $((MAX_CONN + 1000)) open files in the generator and in the server, but" \
        "'ulimit -n' is $NOFILE here (hard limit $(ulimit -Hn)); measure fewer connections"
fi
read -r PORT_LOW PORT_HIGH < /proc/sys/net/ipv4/ip_local_port_range
if (( MAX_CONN > PORT_HIGH - PORT_LOW - 1000 )); then
    die "$MAX_CONN connections from one address need as many local ports; net.ipv4.ip_local_port_range gives" \
        "$((PORT_HIGH - PORT_LOW + 1))"
fi

if [[ -z "$RESULTS" ]]; then
    RESULTS=$PWD/thingport-compare-$(date -u +%Y%m%d-%H%M%S).jsonl
fi
touch "$RESULTS" || die "cannot write the results file $RESULTS"
RESULTS=$(cd "$(dirname "$RESULTS")" && pwd)/$(basename "$RESULTS")
RESULTS_BASE=${RESULTS%.jsonl}

TOOL=(java -cp "$JAR" io.thingport.bench.CompareTool)
CLK_TCK=$(getconf CLK_TCK)

# ---------------------------------------------------------------- processes we start, and their cleanup
WORK=$(mktemp -d /tmp/thingport-compare.XXXXXX)
PGDIR=
MQ_PID=
PLATFORM_PID=
PLATFORM_WRAPPER=
PLATFORM_HOME=
SSH_PORT=
GEN_PID=
IDLE_PIDS=()
PG_STARTED=0

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
    stop_pid "$GEN_PID" generator
    for pid in "${IDLE_PIDS[@]}"; do
        stop_pid "$pid" "idle generator"
    done
    stop_pid "$MQ_PID" mosquitto
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
trap 'echo "compare.sh: stopped at line $LINENO: $BASH_COMMAND failed" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- helpers
USED_PORTS=" "

# A free TCP port below the ephemeral range (the generator's own connections take ports from that range).
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
    # fields after "(comm) ": 12 utime, 13 stime, 14 cutime, 15 cstime
    echo "${stat##*) }" | awk -v hz="$CLK_TCK" '{ printf "%.2f", ($12 + $13 + $14 + $15) / hz }'
}

# CPU seconds of PostgreSQL's processes (the postmaster and its children) while it serves the platform, else 0
database_cpu() {
    local total=0
    if [[ "$BACKEND" == postgresql && "$SERVER_PID" == "$PLATFORM_PID" ]] && (( PG_STARTED )); then
        local pm child
        pm=$(head -n 1 "$PGDIR/data/postmaster.pid" 2> /dev/null || true)
        total=$(proc_cpu "$pm")
        for child in $(ps -o pid= --ppid "$pm" 2> /dev/null); do
            total=$(awk -v a="$total" -v b="$(proc_cpu "$child")" 'BEGIN { printf "%.2f", a + b }')
        done
    fi
    echo "$total"
}

# CPU seconds of the server: the platform's or Mosquitto's process, plus PostgreSQL's processes on that backend
server_cpu() {
    awk -v a="$(proc_cpu "$SERVER_PID")" -v b="$(database_cpu)" 'BEGIN { printf "%.2f", a + b }'
}

# CPU seconds of this shell's waited-for children (the generator runs), from the builtin "times", which must run in
# this shell (in a $(...) subshell it would see the subshell's children only): times > FILE, then children_cpu FILE
children_cpu() {
    tail -n 1 "$1" | awk '{
        n = 0
        for (i = 1; i <= 2; i++) { gsub(",", ".", $i); split($i, p, "m"); sub("s", "", p[2]); n += p[1] * 60 + p[2] }
        printf "%.2f", n }'
}

now_s() {
    date +%s.%N
}

# gen NAME SYSTEM PORT RATE [generator options...]: runs the generator, appends a "run" line, sets GEN_JSON
gen() {
    local name=$1 system=$2 port=$3 rate=$4
    shift 4
    local out="$WORK/gen-$system-$name.log" rc cpu0 scpu0 dcpu0 t0 t1 cpu1 scpu1 dcpu1 dcpu=null
    : > "$out" # exists before the generator starts, for the wait below
    times > "$WORK/times"
    cpu0=$(children_cpu "$WORK/times")
    scpu0=$(server_cpu)
    dcpu0=$(database_cpu)
    t0=$(now_s)
    java -jar "$JAR" --host 127.0.0.1 --port "$port" --devices "$WORK/devices.csv" --product bench \
        --limit "$DEVICES" --rate "$rate" --duration "$DURATION" --warmup "$WARMUP" --max-inflight "$INFLIGHT" \
        --connect-rate "$CONNECT_RATE" --payload-props "$PAYLOAD" --json "$@" > "$out" 2>&1 &
    GEN_PID=$!
    if [[ -n "${ON_RAMP_DONE:-}" ]]; then
        # wait for the end of the ramp-up, then run the hook (the profile's start)
        while alive "$GEN_PID" && ! grep -q '^ramp-up done' "$out"; do
            sleep 0.2
        done
        alive "$GEN_PID" && "$ON_RAMP_DONE"
    fi
    rc=0
    wait "$GEN_PID" || rc=$?
    GEN_PID=
    t1=$(now_s)
    times > "$WORK/times"
    cpu1=$(children_cpu "$WORK/times")
    scpu1=$(server_cpu)
    dcpu1=$(database_cpu)
    if [[ "$BACKEND" == postgresql && "$system" == thingport ]]; then
        dcpu=$(awk -v a="$dcpu0" -v b="$dcpu1" 'BEGIN { printf "%.2f", b - a }')
    fi
    GEN_JSON=$(tail -n 1 "$out")
    if [[ "$GEN_JSON" != '{"tool":"thingport-bench"'* ]]; then
        tail -n 20 "$out" >&2
        die "the generator's run '$name' against $system ended without a result (exit code $rc); log above"
    fi
    printf '{"type":"run","system":"%s","run":"%s","offered":%s,"storedBefore":%s,"wallS":%s,"serverCpuS":%s,"databaseCpuS":%s,"generatorCpuS":%s,"exitCode":%s,"generator":%s}\n' \
        "$system" "$name" "$rate" "$([[ "$system" == thingport ]] && echo "$STORED" || echo null)" \
        "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" \
        "$(awk -v a="$scpu0" -v b="$scpu1" 'BEGIN { printf "%.2f", b - a }')" "$dcpu" \
        "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }')" \
        "$rc" "$GEN_JSON" >> "$RESULTS"
    log "  $system $name: $(summary_of "$out")"
}

# the generator's figures in one line
summary_of() {
    local rate p50 p99 lost throttled
    rate=$(grep -m1 '^acked rate' "$1" | awk '{print $3}')
    p50=$(grep -m1 '^latency ms' "$1" | sed -n 's/.*p50=\([0-9.]*\).*/\1/p')
    p99=$(grep -m1 '^latency ms' "$1" | sed -n 's/.*p99=\([0-9.]*\).*/\1/p')
    lost=$(grep -m1 '^lost' "$1" | awk '{print $2}')
    throttled=$(grep -m1 '^throttled' "$1" | awk '{print $2}')
    echo "acked ${rate:-?} msg/s, p50 ${p50:-?} ms, p99 ${p99:-?} ms, lost ${lost:-?}, throttled ${throttled:-?}" \
        "$(grep -m1 '^result' "$1" | sed 's/^result */(/; s/$/)/')"
}

json_field() {
    # json_field JSON KEY: a top-level number of the generator's JSON line
    sed -n "s/.*\"$2\":\([0-9.]*\).*/\1/p" <<< "$1"
}

client() {
    (cd "$PLATFORM_HOME" && bin/client -h 127.0.0.1 -a "$SSH_PORT" -r 3 -d 2 -b "$@")
}

# shell COMMAND...: runs Karaf shell commands (one per argument) in one session, output to the log
shell() {
    local cmd
    for cmd in "$@"; do
        echo "$cmd"
    done | client >> "$WORK/shell.log" 2>&1
}

# ---------------------------------------------------------------- metadata
log "results: $RESULTS"
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo unknown)
if [[ -n "$(git -C "$ROOT" status --porcelain 2> /dev/null || true)" ]]; then
    COMMIT="$COMMIT+changes"
fi
MQ_VERSION=$({ "$MOSQUITTO" -h 2>&1 || true; } | sed -n 's/^mosquitto version \([^ ]*\).*/\1/p')
CPU_MODEL=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n '1p' | tr -d '"\\')
JAVA_VERSION=$(java -version 2>&1 | sed -n '1p' | tr -d '"\\')
LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg)
printf '{"type":"meta","date":"%s","commit":"%s","backend":"%s","devices":%s,"rates":[%s],"saturationRate":%s,"maxInflight":%s,"duration":%s,"warmup":%s,"platformWarmup":%s,"connectRate":%s,"payload":"%s","prefill":%s,"idle":[%s],"history":%s,"cpus":%s,"cpuModel":"%s","memGiB":%s,"java":"%s","mosquitto":"%s","nofile":"%s","loadavg":"%s","storage":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" "$BACKEND" "$DEVICES" "$RATES" "$SAT_RATE" "$INFLIGHT" "$DURATION" \
    "$WARMUP" "$PLATFORM_WARMUP" "$CONNECT_RATE" "$PAYLOAD" "$PREFILL" "$IDLE" "$( ((HISTORY)) && echo "$HISTORY_REPORTS" || echo null)" \
    "$(nproc)" "$CPU_MODEL" "$(awk '/MemTotal/ { printf "%.0f", $2 / 1048576 }' /proc/meminfo)" "$JAVA_VERSION" \
    "$MQ_VERSION" "$NOFILE" "$LOADAVG" "$(IFS=,; echo "${STORAGE_KEYS[*]}")" >> "$RESULTS"
log "machine: $(nproc) CPUs, load average $LOADAVG, ulimit -n $NOFILE; commit $COMMIT"
OTHERS=$(pgrep -f 'plexus-classworlds|surefire|failsafe' | grep -v "^$$\$" | wc -l || true)
if (( OTHERS > 0 )); then
    log "note: $OTHERS Maven/test JVMs of other people are running: the figures will show it"
fi

TOTAL_DEVICES=$MAX_CONN
java -cp "$JAR" io.thingport.bench.MakeDevices --count "$TOTAL_DEVICES" --prefix bench- --out "$WORK/devices.csv" > /dev/null
"${TOOL[@]}" model --payload-props "$PAYLOAD" > "$WORK/model.json"

add_stored() {
    local n
    n=$(json_field "$GEN_JSON" ackedTotal)
    STORED=$((STORED + ${n%.*}))
}

# reports the platform has stored (acknowledged) so far
STORED=0

# ---------------------------------------------------------------- 1. Mosquitto
MQ_PORT=$(free_port)
mkdir -p "$WORK/mosquitto"
cat > "$WORK/mosquitto/mosquitto.conf" <<EOF
# compare.sh: loopback only, anyone may connect, nothing kept on disk, no limit that would throttle the benchmark
listener $MQ_PORT 127.0.0.1
allow_anonymous true
persistence false
max_connections -1
max_inflight_messages 0
max_queued_messages 0
set_tcp_nodelay true
connection_messages false
log_dest stderr
log_type error
log_type warning
EOF
log "Mosquitto $MQ_VERSION on 127.0.0.1:$MQ_PORT"
"$MOSQUITTO" -c "$WORK/mosquitto/mosquitto.conf" > "$WORK/mosquitto/mosquitto.log" 2>&1 &
MQ_PID=$!
for ((i = 0; i < 100; i++)); do
    listening "$MQ_PORT" && break
    alive "$MQ_PID" || { cat "$WORK/mosquitto/mosquitto.log" >&2; die "Mosquitto did not start"; }
    sleep 0.1
done
listening "$MQ_PORT" || die "Mosquitto does not listen on $MQ_PORT after 10 s"
SERVER_PID=$MQ_PID
gen saturation mosquitto "$MQ_PORT" "$SAT_RATE"
for r in "${RATE_LIST[@]}"; do
    gen "rate-$r" mosquitto "$MQ_PORT" "$r"
done
stop_pid "$MQ_PID" mosquitto
MQ_PID=

# ---------------------------------------------------------------- 2. the platform
PLATFORM_HOME=$WORK/platform
mkdir -p "$PLATFORM_HOME"
tar xzf "$DIST" -C "$PLATFORM_HOME" --strip-components=1
TP_PORT=$(free_port)
SSH_PORT=$(free_port)
RMI_REGISTRY_PORT=$(free_port)
RMI_SERVER_PORT=$(free_port)
# set_key FILE KEY VALUE: replace "KEY = ..." and check it was there
set_key() {
    grep -Eq "^$2[[:space:]]*=" "$PLATFORM_HOME/etc/$1" || die "etc/$1 has no '$2 =' line to change"
    sed -i -E "s|^$2[[:space:]]*=.*|$2 = $3|" "$PLATFORM_HOME/etc/$1"
}
set_key io.thingport.network-mqtt.cfg port "$TP_PORT"
set_key org.apache.karaf.shell.cfg sshPort "$SSH_PORT"
set_key org.apache.karaf.management.cfg rmiRegistryPort "$RMI_REGISTRY_PORT"
set_key org.apache.karaf.management.cfg rmiServerPort "$RMI_SERVER_PORT"
for kv in "${STORAGE_KEYS[@]}"; do
    set_key io.thingport.storage.cfg "${kv%%=*}" "${kv#*=}"
    log "etc/io.thingport.storage.cfg: ${kv%%=*} = ${kv#*=}"
done

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
    SERVER_PID=$PLATFORM_PID
}

# wait until the shell answers COMMAND (the iot commands exist once storage is up) and MQTT listens
wait_ready() {
    local cmd=$1 deadline=$((SECONDS + 240))
    local karaf_log=$PLATFORM_HOME/data/log/karaf.log why="was not ready within 240 s"
    while ((SECONDS < deadline)); do
        alive "$PLATFORM_PID" || die "the platform stopped while starting; see $karaf_log"
        if echo "$cmd" | client > "$WORK/ready.log" 2>&1 && { [[ "$cmd" != iot:* ]] || listening "$TP_PORT"; }; then
            return 0
        fi
        if grep -q 'cannot prepare the thingport database' "$karaf_log" 2> /dev/null; then
            why="could not prepare its database"
            break
        fi
        sleep 2
    done
    echo "last answer of the shell to '$cmd':" >&2
    tail -n 5 "$WORK/ready.log" >&2
    echo "from karaf.log:" >&2
    { grep -E '^Caused by' "$karaf_log" | sort -u | tail -n 5
      grep -E '\| ERROR \|' "$karaf_log" | grep -v 'FrameworkEvent ERROR' | tail -n 3 | cut -c1-300; } >&2 || true
    die "the platform $why ($BACKEND backend); the distribution is $PLATFORM_HOME (--keep keeps it)"
}

start_postgres() {
    local pg_port
    pg_port=$(free_port)
    PGDIR=$(mktemp -d /tmp/thingport-compare-pg.XXXXXX)
    PG_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    if [[ $EUID -eq 0 ]]; then
        chown -R postgres: "$PGDIR"
    fi
    chmod 700 "$PGDIR"
    # locale C as the project's PostgresCluster (text sorts by code point, as on H2); fsync stays on, unlike there:
    # a benchmark of durable storage
    pg_run "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -E UTF8 --locale=C --auth-local=trust \
        --auth-host=scram-sha-256 > "$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
    pg_run "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/postgresql.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$PGDIR" start > /dev/null \
        || { tail -n 20 "$PGDIR/postgresql.log" >&2; die "PostgreSQL did not start"; }
    PG_STARTED=1
    pg_run "$PGBIN/psql" -h "$PGDIR" -p "$pg_port" -U postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE thingport LOGIN PASSWORD '$PG_PASSWORD'" -c "CREATE DATABASE thingport OWNER thingport" \
        > /dev/null || die "could not create the thingport database"
    PG_PORT=$pg_port
    log "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') in $PGDIR on 127.0.0.1:$PG_PORT"
}

# The project's way to PostgreSQL (README "Running on PostgreSQL"): the distribution's own datasource file with its
# driver class, url, user and password changed
use_postgres() {
    set_key org.ops4j.datasource-thingport.cfg osgi.jdbc.driver.class org.postgresql.Driver
    set_key org.ops4j.datasource-thingport.cfg url "jdbc:postgresql://127.0.0.1:$PG_PORT/thingport"
    set_key org.ops4j.datasource-thingport.cfg user thingport
    set_key org.ops4j.datasource-thingport.cfg password "$PG_PASSWORD"
}

log "platform from $(basename "$DIST") in $PLATFORM_HOME: MQTT $TP_PORT, SSH $SSH_PORT, RMI $RMI_REGISTRY_PORT/$RMI_SERVER_PORT"
if [[ "$BACKEND" == postgresql ]]; then
    start_postgres
    if grep -rqs 'pax-jdbc-postgresql' "$PLATFORM_HOME"/system/io/thingport/thingport-features/; then
        use_postgres # the thingport feature installs the driver
    else
        # a distribution without the driver: install its feature through the shell on a first start (on H2)
        log "installing feature pax-jdbc-postgresql (not part of this distribution's thingport feature)"
        start_platform
        wait_ready "feature:list -i --no-format"
        if ! grep -q '^pax-jdbc-postgresql[[:space:]]' "$WORK/ready.log"; then
            shell "feature:install pax-jdbc-postgresql" || die "feature:install pax-jdbc-postgresql failed; see $WORK/shell.log"
        fi
        stop_platform
        use_postgres
    fi
fi
start_platform
wait_ready "iot:product-list"
log "platform up (pid $PLATFORM_PID, open files limit $(awk '/Max open files/ {print $4}' "/proc/$PLATFORM_PID/limits"))"
t0=$SECONDS
shell "iot:product-create --model $WORK/model.json bench" "iot:device-import bench $WORK/devices.csv" \
    || { tail -n 5 "$WORK/shell.log" >&2; die "could not create the product and devices"; }
log "product bench and $TOTAL_DEVICES devices created in $((SECONDS - t0)) s"

# -- profile: JFR over the measured window of a saturation run
PROFILE_RUN=
PROFILE_FILE=
start_profile() {
    PROFILE_FILE=$WORK/$PROFILE_RUN.jfr
    jcmd "$PLATFORM_PID" JFR.start name=compare-"$PROFILE_RUN" settings=profile delay="${WARMUP}s" \
        duration="${DURATION}s" filename="$PROFILE_FILE" > "$WORK/jfr-start.log" 2>&1 \
        || log "JFR.start failed: $(tail -n 1 "$WORK/jfr-start.log")"
}

# saturation_run NAME: the measured saturation run; with --profile one more, NAME-profiled, under a JFR recording over
# its window. Kept apart: here the recording (settings=profile) took the platform's saturation from 7,276 to 2,027
# reports/s on H2 (the measured run and the profiled one right after it), so a profiled run's rate is not the one to
# compare.
saturation_run() {
    local name=$1 prof=$1-profiled stored_before i
    gen "$name" thingport "$TP_PORT" "$SAT_RATE"
    add_stored
    if ((PROFILE)); then
        PROFILE_RUN=$prof
        stored_before=$STORED
        ON_RAMP_DONE=start_profile gen "$prof" thingport "$TP_PORT" "$SAT_RATE"
        add_stored
        for ((i = 0; i < 100; i++)); do # the recording is written when its duration ends
            jcmd "$PLATFORM_PID" JFR.check name=compare-"$prof" 2>&1 | grep -q 'running' || break
            sleep 0.2
        done
        jcmd "$PLATFORM_PID" JFR.stop name=compare-"$prof" > /dev/null 2>&1 || true
        if [[ -s "$PROFILE_FILE" ]]; then
            cp "$PROFILE_FILE" "$RESULTS_BASE.$prof.jfr"
            log "profile of $prof: $RESULTS_BASE.$prof.jfr"
            "${TOOL[@]}" jfr-top --file "$RESULTS_BASE.$prof.jfr" --top 20 --results "$RESULTS" --run "$prof" \
                --stored "$stored_before" | sed 's/^/    /' || log "could not read the profile"
        else
            log "no profile was written for $prof"
        fi
    fi
}

# -- idle connections: used heap after a full GC against the number of connections. First, before any report is
# stored: after a load, H2's page cache (up to 128 MB) and its background writer move the heap after a full GC by
# tens of MB for minutes (measured here: 153 to 268 MB within 20 s of a 40 s load), more than 18,000 connections add.
# the least of three readings of the used heap, each right after a full GC: what the JVM allocates between the GC and
# the reading (timers, keep-alives) only ever adds
heap_used() {
    local i b least=
    for i in 1 2 3; do
        jcmd "$PLATFORM_PID" GC.run > /dev/null
        b=$(jcmd "$PLATFORM_PID" GC.heap_info | "${TOOL[@]}" heap-used)
        if [[ -z "$least" ]] || ((b < least)); then
            least=$b
        fi
    done
    echo "$least"
}

mqtt_sessions() {
    ss -Htn state established "( sport = :$TP_PORT )" 2> /dev/null | wc -l
}

# record_idle CONNECTIONS CONNECTED PHASE: one heap measurement
record_idle() {
    local bytes
    bytes=$(heap_used)
    printf '{"type":"idle","phase":"%s","connections":%s,"connected":%s,"establishedOnServer":%s,"heapUsedBytes":%s}\n' \
        "$3" "$1" "$2" "$(mqtt_sessions)" "$bytes" >> "$RESULTS"
    log "  $1 idle connections ($2 logged in, $(mqtt_sessions) open on the server): $((bytes / 1048576)) MiB used after GC"
}

if ((${#IDLE_LIST[@]} > 0)); then
    # Each level adds a generator for the devices beyond the previous level (their own file), the earlier ones stay
    # connected: every device logs in once, and no generator holds more connections than its level adds.
    log "idle connections: ${IDLE_LIST[*]} (connecting at $IDLE_CONNECT_RATE/s)"
    record_idle 0 0 before
    prev=0
    connected=0
    for n in "${IDLE_LIST[@]}"; do
        slice=$WORK/idle-$n.csv
        { echo 'deviceId,secret'; sed -n "$((prev + 2)),$((n + 1))p" "$WORK/devices.csv"; } > "$slice"
        out=$WORK/idle-$n.log
        : > "$out"
        java -jar "$JAR" --host 127.0.0.1 --port "$TP_PORT" --devices "$slice" --product bench --rate 0 \
            --duration 86400 --warmup 0 --connect-rate "$IDLE_CONNECT_RATE" > "$out" 2>&1 &
        IDLE_PIDS+=("$!")
        deadline=$((SECONDS + (n - prev) / IDLE_CONNECT_RATE + 120))
        while alive "${IDLE_PIDS[-1]}" && ! grep -q '^ramp-up done' "$out" && ((SECONDS < deadline)); do
            sleep 1
        done
        added=$(sed -n 's/^ramp-up done.* connected=\([0-9]*\)\/.*/\1/p' "$out")
        if [[ "${added:-0}" != $((n - prev)) ]]; then
            log "  only ${added:-0} of $((n - prev)) new connections logged in: $(grep -m1 -E '^! ' "$out" || echo 'no reason printed')"
        fi
        connected=$((connected + ${added:-0}))
        prev=$n
        sleep 2
        record_idle "$n" "$connected" connected
    done
    for pid in "${IDLE_PIDS[@]}"; do
        stop_pid "$pid" "idle generator"
    done
    IDLE_PIDS=()
    for ((i = 0; i < 60; i++)); do # until the platform has closed its side
        (($(mqtt_sessions) == 0)) && break
        sleep 1
    done
    record_idle 0 0 after
fi

if ((PLATFORM_WARMUP > 0)); then
    # A freshly started JVM compiles its hot paths during the first tens of seconds under load; without this the first
    # measured run (the saturation on the empty database, the base of the flatness check) would measure that.
    log "Thingport ($BACKEND): JIT warm-up, ${PLATFORM_WARMUP} s at saturation (not measured)"
    DURATION_SAVED=$DURATION WARMUP_SAVED=$WARMUP
    DURATION=$PLATFORM_WARMUP WARMUP=0
    gen jit-warmup thingport "$TP_PORT" "$SAT_RATE"
    DURATION=$DURATION_SAVED WARMUP=$WARMUP_SAVED
    add_stored
fi
log "Thingport ($BACKEND): saturation and fixed rates"
saturation_run saturation
for r in "${RATE_LIST[@]}"; do
    gen "rate-$r" thingport "$TP_PORT" "$r"
    add_stored
done

# fill LABEL TARGET DEVICES_FILE LIMIT INFLIGHT: runs the generator at the saturation rate until TARGET more reports
# are acknowledged - a PUBACK comes only once the report is stored, so that is a lower bound of what is stored. The
# first run takes 30 s, each next one as long as the remaining reports need at the last run's rate (10 s to 10 min).
# Sets FILLED, FILL_SECONDS, FILL_RUNS.
fill() {
    local label=$1 target=$2 devices=$3 limit=$4 inflight=$5 rate=0 t0 left chunk out json n
    t0=$(now_s)
    FILLED=0
    FILL_RUNS=0
    while ((FILLED < target)); do
        left=$((target - FILLED))
        chunk=$(awk -v left="$left" -v r="$rate" 'BEGIN { s = r > 0 ? left / r : 30;
            if (s < 10) s = 10; if (s > 600) s = 600; printf "%d", s + 0.999 }')
        out=$WORK/$label-$FILL_RUNS.log
        java -jar "$JAR" --host 127.0.0.1 --port "$TP_PORT" --devices "$devices" --product bench --limit "$limit" \
            --rate "$SAT_RATE" --duration "$chunk" --warmup 0 --drain 30 --max-inflight "$inflight" \
            --connect-rate "$CONNECT_RATE" --payload-props "$PAYLOAD" --json > "$out" 2>&1 &
        GEN_PID=$!
        wait "$GEN_PID" || true # lost or throttled reports do not matter here, only how many were stored
        GEN_PID=
        json=$(tail -n 1 "$out")
        [[ "$json" == '{"tool":"thingport-bench"'* ]] || { tail -n 20 "$out" >&2; die "a $label run ended without a result"; }
        n=$(json_field "$json" ackedTotal)
        rate=$(json_field "$json" ackedRate)
        FILLED=$((FILLED + ${n%.*}))
        FILL_RUNS=$((FILL_RUNS + 1))
        log "  $label: $FILLED of $target more stored after $(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.0f", b - a }') s" \
            "(last run $chunk s, $rate msg/s)"
    done
    FILL_SECONDS=$(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }')
}

# -- prefill: more data, then the saturation run again
if ((PREFILL > STORED)); then
    log "prefill: storing reports until $PREFILL are stored ($STORED so far)"
    fill prefill $((PREFILL - STORED)) "$WORK/devices.csv" "$DEVICES" "$INFLIGHT"
    STORED=$((STORED + FILLED))
    printf '{"type":"prefill","target":%s,"stored":%s,"added":%s,"seconds":%s,"runs":%s}\n' \
        "$PREFILL" "$STORED" "$FILLED" "$FILL_SECONDS" "$FILL_RUNS" >> "$RESULTS"
    log "prefill done: $FILLED reports in $FILL_SECONDS s"
    saturation_run saturation-prefilled
elif ((PREFILL > 0)); then
    log "prefill: the runs above already stored $STORED reports, not less than --prefill $PREFILL"
fi

# -- history query: one device with many reports, the query timed on the server
if ((HISTORY)); then
    java -cp "$JAR" io.thingport.bench.MakeDevices --count 1 --prefix history- --out "$WORK/history.csv" > /dev/null
    HISTORY_DEVICE=$(sed -n '2s/,.*//p' "$WORK/history.csv")
    shell "iot:device-import bench $WORK/history.csv" || die "could not create the history device"
    log "history: storing $HISTORY_REPORTS reports of $HISTORY_DEVICE (one connection, 1024 in flight)"
    fill history-fill "$HISTORY_REPORTS" "$WORK/history.csv" 1 1024
    hstored=$FILLED
    STORED=$((STORED + hstored))
    log "history: $hstored reports stored in $FILL_SECONDS s"
    HISTORY_PROP=$(sed 's/:.*//' <<< "$PAYLOAD")
    QUERY="iot:device-props --history $HISTORY_PROP --limit 100 --no-format $HISTORY_DEVICE"
    "${TOOL[@]}" history-script --query "$QUERY" --warm 5 --repeat 20 > "$WORK/history.karaf"
    client < "$WORK/history.karaf" > "$WORK/history.out" 2>&1 || { tail -n 5 "$WORK/history.out" >&2; die "the timing session failed"; }
    "${TOOL[@]}" history-timing --results "$RESULTS" --device "$HISTORY_DEVICE" --reports "$hstored" --command "$QUERY" \
        < "$WORK/history.out" | sed 's/^/    /'
fi

stop_platform
stop_postgres

# ---------------------------------------------------------------- 3. the table
echo
"${TOOL[@]}" report --results "$RESULTS" --write
echo
log "figures: $RESULTS"
