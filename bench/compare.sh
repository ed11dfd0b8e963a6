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
  --rates LIST              fixed offered rates, msg/s, comma-separated (default 10000,20000; '' = none: only
                            the saturation runs)
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
  --rules N                 N rules active on the platform during its runs (default 0): each a pass-through of
                            every report to --rule-sink, created before its warm-up run
  --rule-sink none|jdbc|kafka
                            where the rules' rows go (default jdbc): jdbc = INSERT into a table rule_sink of a
                            database rulesink in the throw-away PostgreSQL cluster (started also with --backend
                            h2); kafka = a topic rule_sink of a single-node Kafka (KRaft) started here from
                            test-support's broker classpath; none = a WHERE that never passes (evaluation only)
  --rule-buffer B           each action's buffer (default 100000, the most the engine allows)
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
RULES=0
RULE_SINK=jdbc
RULE_BUFFER=100000

need_value() {
    [[ $# -ge 2 && -n "$2" ]] || usage_error "$1 needs a value"
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --backend) need_value "$@"; BACKEND=$2; shift 2 ;;
        --devices) need_value "$@"; DEVICES=$2; shift 2 ;;
        --rates) [[ $# -ge 2 ]] || usage_error "--rates needs a value ('' for none)"; RATES=$2; shift 2 ;;
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
        --rules) need_value "$@"; RULES=$2; shift 2 ;;
        --rule-sink) need_value "$@"; RULE_SINK=$2; shift 2 ;;
        --rule-buffer) need_value "$@"; RULE_BUFFER=$2; shift 2 ;;
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
is_count "$RULES" 0 && (( 10#$RULES <= 1000 )) || usage_error "--rules must be in 0..1000, got: $RULES"
[[ "$RULE_SINK" =~ ^(none|jdbc|kafka)$ ]] || usage_error "--rule-sink must be none, jdbc or kafka, got: $RULE_SINK"
is_count "$RULE_BUFFER" 1 && (( 10#$RULE_BUFFER <= 100000 )) || usage_error "--rule-buffer must be in 1..100000, got: $RULE_BUFFER"
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
PREFILL=$((10#$PREFILL)) HISTORY_REPORTS=$((10#$HISTORY_REPORTS)) RULES=$((10#$RULES)) RULE_BUFFER=$((10#$RULE_BUFFER))
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
if [[ "$BACKEND" == postgresql ]] || (( RULES > 0 )) && [[ "$RULE_SINK" == jdbc ]]; then
    for b in initdb pg_ctl psql; do
        [[ -x "$PGBIN/$b" ]] || die "$PGBIN/$b not found (apt-get install postgresql-15, or set PGBIN=...)"
    done
fi
KAFKA_CP=
if (( RULES > 0 )) && [[ "$RULE_SINK" == kafka ]]; then
    # the broker's classpath as test-support's build wrote it (KafkaBroker reads the same resource)
    KAFKA_CP_FILE=$ROOT/test-support/target/classes/io/thingport/testsupport/kafka-broker.classpath
    [[ -f "$KAFKA_CP_FILE" ]] || die "$KAFKA_CP_FILE not found: build test-support ('mvn -B -o install -pl test-support')"
    KAFKA_CP=$(tr -d '\n' < "$KAFKA_CP_FILE")
    IFS=: read -r -a kafka_jars <<< "$KAFKA_CP"
    for j in "${kafka_jars[@]}"; do
        [[ -f "$j" ]] || die "the Kafka broker's classpath lacks $j: build test-support again"
    done
fi
if [[ -z "$JAR" ]]; then
    JAR=$ROOT/bench/target/thingport-bench.jar
fi
[[ -f "$JAR" ]] || die "generator $JAR not found: build it with 'mvn -B -o package -pl bench -am'"
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
KAFKA_PID=
KDIR=

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
    stop_pid "$KAFKA_PID" kafka
    stop_postgres
    if (( KEEP )); then
        log "kept: $WORK${PGDIR:+ and $PGDIR}${KDIR:+ and $KDIR}"
    else
        rm -rf "$WORK"
        [[ -n "$PGDIR" ]] && rm -rf "$PGDIR"
        [[ -n "$KDIR" ]] && rm -rf "$KDIR"
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
printf '{"type":"meta","date":"%s","commit":"%s","backend":"%s","devices":%s,"rates":[%s],"saturationRate":%s,"maxInflight":%s,"duration":%s,"warmup":%s,"platformWarmup":%s,"connectRate":%s,"payload":"%s","prefill":%s,"idle":[%s],"history":%s,"rules":%s,"ruleSink":"%s","ruleBuffer":%s,"cpus":%s,"cpuModel":"%s","memGiB":%s,"java":"%s","mosquitto":"%s","nofile":"%s","loadavg":"%s","storage":"%s"}\n' \
    "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$COMMIT" "$BACKEND" "$DEVICES" "$RATES" "$SAT_RATE" "$INFLIGHT" "$DURATION" \
    "$WARMUP" "$PLATFORM_WARMUP" "$CONNECT_RATE" "$PAYLOAD" "$PREFILL" "$IDLE" "$( ((HISTORY)) && echo "$HISTORY_REPORTS" || echo null)" "$RULES" "$RULE_SINK" "$RULE_BUFFER" \
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

# ---------------------------------------------------------------- rules (--rules N --rule-sink none|jdbc|kafka)
# N rules, each a pass-through of every report to the sink, created before the platform's warm-up run; around each
# measured saturation run their counters (iot:rule-metrics) and the rows that reached the sink, as a "rules" line.
RULE_PROP=$(sed 's/:.*//' <<< "$PAYLOAD") # the first report property: the column t of every row
KAFKA_PORT=
SINK_PSQL=()

start_kafka() {
    local ctl_port cluster_id i
    KDIR=$(mktemp -d /tmp/thingport-compare-kafka.XXXXXX)
    KAFKA_PORT=$(free_port)
    ctl_port=$(free_port)
    # the configuration of test-support's KafkaBroker (one KRaft node, broker and controller, loopback only), and the
    # high watermarks written to disk every second: the end offset of the sink topic is read from that file
    cat > "$KDIR/server.properties" <<KEOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$ctl_port
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$ctl_port
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KDIR/data
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
replica.high.watermark.checkpoint.interval.ms=1000
KEOF
    local kjava=(java -Xms256m -Xmx512m -XX:+UseSerialGC -Djava.awt.headless=true
        -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$KAFKA_CP")
    cluster_id=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n' | xxd -r -p | base64 | tr '+/' '-_' | tr -d '=\n')
    if [[ "$cluster_id" == -* ]]; then
        cluster_id=A${cluster_id:1}
    fi
    "${kjava[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$KDIR/server.properties" > "$KDIR/format.log" 2>&1 \
        || { tail -n 20 "$KDIR/format.log" >&2; die "Kafka's storage format failed"; }
    "${kjava[@]}" kafka.Kafka "$KDIR/server.properties" > "$KDIR/kafka.log" 2>&1 &
    KAFKA_PID=$!
    for ((i = 0; i < 900; i++)); do
        listening "$KAFKA_PORT" && break
        alive "$KAFKA_PID" || { tail -n 20 "$KDIR/kafka.log" >&2; die "Kafka did not start"; }
        sleep 0.1
    done
    listening "$KAFKA_PORT" || die "Kafka does not listen on $KAFKA_PORT after 90 s; see $KDIR/kafka.log"
    log "Kafka (KRaft, one node) in $KDIR on 127.0.0.1:$KAFKA_PORT (pid $KAFKA_PID)"
}

# rows in the sink: COUNT(*) of rule_sink, or the sink topic's high watermark (written every second by the broker)
sink_rows() {
    case "$RULE_SINK" in
        jdbc) "${SINK_PSQL[@]}" -c "SELECT COUNT(*) FROM rule_sink" ;;
        kafka)
            sleep 2 # one checkpoint interval and some
            awk '$1 == "rule_sink" { n += $3 } END { print n + 0 }' "$KDIR/data/replication-offset-checkpoint" 2> /dev/null \
                || echo 0 ;;
        *) echo 0 ;;
    esac
}

setup_rules() {
    local i sql action file
    case "$RULE_SINK" in
        jdbc)
            (( PG_STARTED )) || start_postgres
            pg_run "$PGBIN/psql" -h "$PGDIR" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -q \
                -c "CREATE DATABASE rulesink OWNER thingport" > /dev/null || die "could not create the database rulesink"
            SINK_PSQL=(pg_run "$PGBIN/psql" -h "$PGDIR" -p "$PG_PORT" -U thingport -d rulesink -v ON_ERROR_STOP=1 -qtA)
            "${SINK_PSQL[@]}" -c "CREATE TABLE rule_sink (device VARCHAR(64) NOT NULL, t DOUBLE PRECISION, ts BIGINT NOT NULL)" \
                > /dev/null || die "could not create the table rule_sink"
            shell "iot:datasource-add sink jdbc url=jdbc:postgresql://127.0.0.1:$PG_PORT/rulesink user=thingport password=$PG_PASSWORD"
            action='{"type":"jdbc","options":{"datasource":"sink","sql":"INSERT INTO rule_sink (device, t, ts) VALUES (:deviceId, :t, :timestamp)","buffer":"'$RULE_BUFFER'"}}'
            ;;
        kafka)
            start_kafka
            shell "iot:datasource-add sink kafka brokers=127.0.0.1:$KAFKA_PORT"
            action='{"type":"kafka","options":{"datasource":"sink","topic":"rule_sink","key":"${deviceId}","buffer":"'$RULE_BUFFER'"}}'
            ;;
        none)
            action='{"type":"log","options":{"buffer":"'$RULE_BUFFER'"}}'
            ;;
    esac
    sql="SELECT payload.properties.$RULE_PROP AS t, deviceId, timestamp FROM \\\"/bench/+/properties/report\\\""
    if [[ "$RULE_SINK" == none ]]; then
        sql="$sql WHERE deviceId = 'no-such-device'"
    fi
    local cmds=()
    for ((i = 1; i <= RULES; i++)); do
        file=$WORK/rule-r$i.json
        printf '{"id":"r%s","sql":"%s","actions":[%s]}\n' "$i" "$sql" "$action" > "$file"
        cmds+=("iot:rule-create --file $file")
    done
    shell "${cmds[@]}"
    echo "iot:rule-metrics --no-format" | client > "$WORK/rules-list.txt" 2>&1 || true
    local running
    running=$(awk -F'\t' 'NF == 9 && $1 ~ /^r[0-9]+$/' "$WORK/rules-list.txt" | wc -l)
    if (( running != RULES )); then
        cat "$WORK/rules-list.txt" >&2
        tail -n 20 "$WORK/shell.log" >&2
        grep -E '\| (ERROR|WARN) ' "$PLATFORM_HOME/data/log/karaf.log" | tail -n 10 | cut -c1-400 >&2 || true
        die "$RULES rules asked for, $running listed by iot:rule-metrics (shell.log and karaf.log above)"
    fi
    log "$RULES rules created (sink $RULE_SINK, buffer $RULE_BUFFER): $(awk -F'\t' 'NF == 9 { print $2 }' "$WORK/rules-list.txt" | sort | uniq -c | xargs)"
    log "  rule r1: $(sed 's/\\"/"/g' "$WORK/rule-r1.json")"
}

# rules_snapshot FILE: one line per rule: id matched passed filtered failed success failed discarded retries inflight p50 p99 max
rules_snapshot() {
    local i cmds=()
    for ((i = 1; i <= RULES; i++)); do
        cmds+=("iot:rule-metrics --no-format r$i")
    done
    printf '%s\n' "${cmds[@]}" | client > "$1.raw" 2>&1 || true
    awk -F'\t' '
        { sub(/\r$/, "") }
        /^Rule [^ ]+: matched / { split($0, w, /[ :,]+/); rule = w[2]; m[rule] = w[4]; p[rule] = w[6]; f[rule] = w[8]; e[rule] = w[10]; next }
        NF == 9 && rule != "" { a[rule] = $2 " " $3 " " $4 " " $5 " " $6 " " $7 " " $8 " " $9 }
        END { for (r in m) print r, m[r], p[r], f[r], e[r], (r in a ? a[r] : "0 0 0 0 0 0 0 0") }' "$1.raw" | sort -V > "$1"
}

# rules_wait_idle LABEL: until no action has rows in flight (at most 300 s); sets RULES_IDLE_S
rules_wait_idle() {
    local t0=$SECONDS inflight
    while true; do
        rules_snapshot "$WORK/rules-wait"
        inflight=$(awk '{ n += $10 } END { print n + 0 }' "$WORK/rules-wait")
        if (( $(wc -l < "$WORK/rules-wait") < RULES )); then
            log "  rules: iot:rule-metrics answered for $(wc -l < "$WORK/rules-wait") of $RULES rules: $(head -c 300 "$WORK/rules-wait.raw")"
        fi
        if ((inflight == 0)); then
            break
        fi
        if (( SECONDS - t0 > 300 )); then
            log "  rules ($1): still $inflight rows in flight after 300 s; not waiting longer"
            break
        fi
        sleep 2
    done
    RULES_IDLE_S=$((SECONDS - t0))
}

RULES_SINK_BEFORE=0
RULES_KAFKA_CPU0=0
rules_before() {
    rules_wait_idle "before the run"
    if ((RULES_IDLE_S > 0)); then
        log "  rules: the actions' backlog of the earlier runs drained in $RULES_IDLE_S s"
    fi
    cp "$WORK/rules-wait" "$WORK/rules-before"
    RULES_SINK_BEFORE=$(sink_rows)
    RULES_KAFKA_CPU0=$(proc_cpu "$KAFKA_PID")
}

# rules_after RUN: the counters right after the run, again once nothing is in flight, the sink's rows; one "rules" line
rules_after() {
    local run=$1 sink_after kcpu
    rules_snapshot "$WORK/rules-end"
    rules_wait_idle "after $run"
    cp "$WORK/rules-wait" "$WORK/rules-drained"
    sink_after=$(sink_rows)
    kcpu=$(awk -v a="$RULES_KAFKA_CPU0" -v b="$(proc_cpu "$KAFKA_PID")" 'BEGIN { printf "%.2f", b - a }')
    # per rule: differences over the run (drained) and what was in flight when the generator ended
    awk -v run="$run" -v rules="$RULES" -v sink="$RULE_SINK" -v buffer="$RULE_BUFFER" -v drain="$RULES_IDLE_S" \
        -v before="$RULES_SINK_BEFORE" -v after="$sink_after" -v kcpu="$kcpu" -v acked="$(json_field "$GEN_JSON" ackedTotal)" \
        -v rate="$(json_field "$GEN_JSON" ackedRate)" '
        FILENAME ~ /rules-before$/ { for (i = 2; i <= 10; i++) b[$1, i] = $i; next }
        FILENAME ~ /rules-end$/ { endInflight[$1] = $10; next }
        {
            id = $1; for (i = 2; i <= 10; i++) d[i] = $i - ((id, i) in b ? b[id, i] : 0)
            for (i = 2; i <= 10; i++) tot[i] += d[i]
            rows = rows (rows == "" ? "" : ",") sprintf("{\"id\":\"%s\",\"matched\":%d,\"passed\":%d,\"filtered\":%d,\"failed\":%d,\"action\":{\"success\":%d,\"failed\":%d,\"discarded\":%d,\"retries\":%d,\"inFlightAtEnd\":%d,\"inFlight\":%d,\"p50Ms\":%s,\"p99Ms\":%s,\"maxMs\":%s}}", id, d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], endInflight[id], $10, $11, $12, $13)
        }
        END {
            printf "{\"type\":\"rules\",\"run\":\"%s\",\"rules\":%d,\"sink\":\"%s\",\"buffer\":%d,\"ackedRate\":%s,\"ackedTotal\":%s,\"drainS\":%d,\"sinkRowsBefore\":%d,\"sinkRowsAfter\":%d,\"sinkRows\":%d,\"kafkaCpuS\":%s,", run, rules, sink, buffer, rate, acked, drain, before, after, after - before, sink == "kafka" ? kcpu : "null"
            printf "\"total\":{\"matched\":%d,\"passed\":%d,\"filtered\":%d,\"failed\":%d,\"success\":%d,\"actionFailed\":%d,\"discarded\":%d,\"retries\":%d},\"perRule\":[%s]}\n", tot[2], tot[3], tot[4], tot[5], tot[6], tot[7], tot[8], tot[9], rows
        }' "$WORK/rules-before" "$WORK/rules-end" "$WORK/rules-drained" > "$WORK/rules-line.json"
    cat "$WORK/rules-line.json" >> "$RESULTS"
    log "  rules after $run ($RULES x $RULE_SINK): $(sed -E 's/.*"total":\{([^}]*)\}.*/\1/; s/"//g; s/,/, /g; s/:/ /g' "$WORK/rules-line.json");" \
        "in flight when the generator stopped $(awk '{ n += $10 } END { print n + 0 }' "$WORK/rules-end"), drained in $RULES_IDLE_S s;" \
        "sink rows +$((sink_after - RULES_SINK_BEFORE)) ($sink_after in all)"
    printf '    %-5s %9s %9s %9s %9s %9s %9s %9s %9s %9s %8s %8s %8s\n' rule matched passed filtered failed success failed \
        discarded retries inflight p50ms p99ms maxms
    awk 'FNR == NR { for (i = 2; i <= 10; i++) b[$1, i] = $i; next }
        { printf "    %-5s", $1; for (i = 2; i <= 10; i++) printf " %9d", $i - b[$1, i]; printf " %8s %8s %8s\n", $11, $12, $13 }' \
        "$WORK/rules-before" "$WORK/rules-drained"
}

if ((RULES > 0)); then
    setup_rules
fi

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
    if ((RULES > 0)); then
        rules_before
    fi
    gen "$name" thingport "$TP_PORT" "$SAT_RATE"
    if ((RULES > 0)); then
        rules_after "$name"
    fi
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
