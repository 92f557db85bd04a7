#!/usr/bin/env bash
# Proxy benchmark: damoov-gateway vs an nginx header-injecting reverse proxy vs the upstream itself.
# See bench/proxy/README.md. Everything listens on 127.0.0.1 only; every loop is bounded.
#
# Environment (all optional):
#   ROUNDS=3 DURATION=10 WARMUP=10 CONNS=32 THREADS=2   wrk settings (seconds)
#   STARTS=3                 JVM start-to-ready measurements per variant (with/without AppCDS); 0 skips them
#   LOAD_VM=appcds           the JVM of the load rounds' gateways: appcds (JDK 17 + AppCDS, Dockerfile.jvm) or aot
#                            (JAVA_AOT, a JDK 25, with the AOT cache its training run made: Dockerfile.jvm-aot)
#   TARGETS="gateway haproxy-jwt gateway-h2 nginx-proxy gateway-noaudit vertx-floor upstream"   (+ gateway-epoll
#                            after gateway when the jar has netty-transport-native-epoll, see README §10)
#                            what the load rounds run (a subset for experiments); vertx-floor:
#                            bench/proxy/VertxFloor.java, Vert.x alone with the gateway's JVM options, doing what
#                            nginx-proxy does (the floor for a proxy on this stack); haproxy-jwt: Debian's HAProxy
#                            verifying the same RS256 client JWT (signature, exp, nbf, iss, aud) on every request,
#                            then swapping Authorization; gateway-h2: the gateway as shipped, on the embedded H2
#                            store, audit on; gateway-epoll: the audit-on gateway with
#                            quarkus.vertx.prefer-native-transport=true (Netty's native epoll; needs a jar built with
#                            netty-transport-native-epoll, README §10), gateway-nio: the same with false (for a build
#                            that prefers epoll), both on the store of the gateway row
#   STORE=postgresql         the store of gateway, gateway-noaudit and gateway-epoll: postgresql (production's; a
#                            throwaway cluster on this machine, from Debian's postgresql when initdb is missing) or h2
#                            (the embedded store; gateway-h2 is then the same as gateway and left out by default).
#                            gateway-h2 always runs on H2, in the same run
#   PIN=0                    1: wrk on CPU 1, servers unpinned (see README)
#   JFR=0                    1: record a JFR profile of the audit-on gateway into $OUT/gateway.jfr
#   PROFILE=0                1: async-profiler (tools.profiler:async-profiler from the Maven registry) on both
#                            gateways (and vertx-floor) during the measured rounds: $OUT/profile-<target>.collapsed, summarised by
#                            bench/proxy/profile-summary.py; PROFILE_EVENT=cpu (perf events; itimer without them;
#                            alloc: allocations, with PROFILE_TOTAL=1 weighed by their bytes instead of counted)
#   OUT=bench/proxy/out      raw output directory; RESULTS=bench/proxy/RESULTS.md
#   BASE_PORT=23000          ports BASE+80 gateway, +90 sandbox, +81 upstream, +82 nginx proxy, +100.. mgmt,
#                            +95 PostgreSQL, +85 vertx-floor, +83 gateway-noaudit, +84 gateway-h2, +86 haproxy-jwt,
#                            +87 gateway-epoll or gateway-nio
# Needs the packaged gateway (gateway/target/quarkus-app) and the sandbox jar (sandbox/target): built when missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
STARTS=${STARTS:-3}
PIN=${PIN:-0}
JFR=${JFR:-0}
PROFILE=${PROFILE:-0}
PROFILE_EVENT=${PROFILE_EVENT:-cpu}
PROFILE_TOTAL=${PROFILE_TOTAL:-0}
PROFILE_OUTPUT=collapsed
[ "$PROFILE_TOTAL" = 1 ] && PROFILE_OUTPUT=collapsed,total
LOAD_VM=${LOAD_VM:-appcds}
read -r -a AOT_OPTS <<<"${AOT_JVM_OPTS:-}"   # appended for the JDK 25 runs only (training, start-up, load)
OUT=${OUT:-$ROOT/bench/proxy/out}
RESULTS=${RESULTS:-$ROOT/bench/proxy/RESULTS.md}
B=${BASE_PORT:-23000}
GW_PORT=$((B + 80)); SB_PORT=$((B + 90)); UP_PORT=$((B + 81)); PX_PORT=$((B + 82)); MG_PORT=$((B + 100))
GW2_PORT=$((B + 83)); MG2_PORT=$((B + 101)); PG_PORT=$((B + 95))
VF_PORT=$((B + 85)); H2_PORT=$((B + 84)); MG3_PORT=$((B + 102)); HX_PORT=$((B + 86))
EP_PORT=$((B + 87)); MG4_PORT=$((B + 103))
STORE=${STORE:-postgresql}
STATIC_TOKEN="bench-static-damoov-token"
PATH_UNDER_TEST=/api/indicators/v3/Statistics
for p in $GW_PORT $SB_PORT $UP_PORT $PX_PORT $MG_PORT $GW2_PORT $MG2_PORT $PG_PORT $VF_PORT $H2_PORT $MG3_PORT \
    $HX_PORT $EP_PORT $MG4_PORT; do
    if (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "port $p is in use: set BASE_PORT" >&2; exit 1; fi
done

log() { echo "[bench $(date +%T)] $*" >&2; }

# --- prerequisites ---------------------------------------------------------------------------------------------
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null || ! command -v haproxy >/dev/null; then
    log "installing nginx, wrk and haproxy from Debian"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx wrk haproxy >/dev/null
fi
# jwt_verify and jwt_*_query came with HAProxy 2.5 (Debian 12: 2.6)
HAPROXY_VERSION=$(haproxy -v | awk 'NR == 1 {print $3}')
case "$HAPROXY_VERSION" in
    1.*|2.[0-4]|2.[0-4].*) echo "haproxy $HAPROXY_VERSION has no jwt_verify (2.5+ needed)" >&2; exit 1 ;;
esac
PG_BIN=""
if [ "$STORE" = postgresql ]; then
    for d in "$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/x)")" /usr/lib/postgresql/*/bin; do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then PG_BIN=$d; break; fi
    done
    if [ -z "$PG_BIN" ]; then
        log "installing PostgreSQL from Debian"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && PG_BIN=$d; done
    fi
    [ -n "$PG_BIN" ] || { echo "no PostgreSQL (initdb, pg_ctl)" >&2; exit 1; }
fi
for c in java curl python3; do command -v $c >/dev/null || { echo "missing $c" >&2; exit 1; }; done
APP=$ROOT/gateway/target/quarkus-app   # the packaged gateway (the image's /deployments)
if [ ! -f "$APP/quarkus-run.jar" ] || ! ls "$ROOT"/sandbox/target/damoov-sandbox-*.jar >/dev/null 2>&1; then
    log "building the gateway jar and the sandbox"
    ./mvnw -B -q package -DskipTests -Dquick ${APPCDS_BUILD:+-Dquarkus.package.jar.appcds.enabled=true}
fi
SANDBOX_JAR=$(ls "$ROOT"/sandbox/target/damoov-sandbox-*.jar | head -1)
JAR=$APP/quarkus-run.jar
JSA_BUILD=$APP/app-cds.jsa   # Quarkus's build-time archive, when the jar was built with it

WORK=$(mktemp -d "${TMPDIR:-/tmp}/damoov-bench.XXXXXX")
JSA=$WORK/app-cds.jsa   # the image's archive (Dockerfile.jvm): a training run, gateway/src/main/docker/aot-train.sh --appcds
mkdir -p "$OUT"
rm -f "$OUT"/*.txt "$OUT"/*.tsv
PIDS=()
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$p" 2>/dev/null || true
    done
    if [ -n "$PG_BIN" ] && [ -d "$WORK/pg" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    fi
    for d in "$WORK"/*/; do [ -f "$d/gateway.log" ] && cp "$d/gateway.log" "$OUT/log-$(basename "$d").txt"; done
    [ -f "$WORK/sandbox/sandbox.log" ] && cp "$WORK/sandbox/sandbox.log" "$OUT/log-sandbox.txt"
    rm -rf "$WORK"
}
# EXIT alone does not fire when the script is killed: turn INT/TERM into an exit, so nothing is left running
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- upstream: nginx serving a fixed Damoov-like indicators envelope ------------------------------------------
BODY='{"Result":{"DeviceToken":"7f1c2a9e-5b7d-4a3e-9c1f-2d4b6e8a0c13","InstanceId":"bench-instance","CompanyId":"3b9f0d2c-1e4a-4c6b-8f2d-7a5e9c1b3d4f","AppId":"a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d","StartDate":"2026-01-01T00:00:00","EndDate":"2026-01-31T23:59:59","MileageKm":1234.56,"MileageMile":767.12,"TripsCount":42,"DriverTripsCount":40,"OtherTripsCount":2,"MaxSpeedKmh":131.4,"AverageSpeedKmh":47.3,"TotalSpeedingKm":12.34,"RushHoursDrivingMileageKm":370.37,"NightDrivingMileageKm":123.46,"DrivingTime":1975,"AccelerationsCount":17,"BrakingsCount":23,"CorneringsCount":9,"PhoneUsageDurationMin":14.5,"PhoneUsageMileageKm":8.2,"PhoneUsageSpeedingDurationMin":1.3,"PhoneUsageSpeedingMileageKm":0.9,"SpeedingDurationMin":22.7,"NightDrivingDurationMin":180.1,"RushHoursDrivingDurationMin":540.6,"PermissionsLevel":1,"TrustLevel":1,"Status":"Active"},"Status":200,"Title":"","Errors":[]}'
mkdir -p "$WORK/nginx-up" "$WORK/nginx-px"
cat >"$WORK/nginx-up/nginx.conf" <<EOF
worker_processes 1;
pid $WORK/nginx-up/nginx.pid;
error_log $WORK/nginx-up/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx-up; proxy_temp_path $WORK/nginx-up; fastcgi_temp_path $WORK/nginx-up;
    uwsgi_temp_path $WORK/nginx-up; scgi_temp_path $WORK/nginx-up;
    keepalive_requests 100000000;
    keepalive_timeout 120s;
    server {
        listen 127.0.0.1:$UP_PORT;
        location = $PATH_UNDER_TEST {
            default_type "application/json; charset=utf-8";
            return 200 '$BODY';
        }
        # what a proxy sent as Authorization (the haproxy-jwt check: the client's JWT must be replaced)
        location = /bench/authorization {
            default_type text/plain;
            return 200 "\$http_authorization";
        }
        location / { return 404; }
    }
}
EOF
cat >"$WORK/nginx-px/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx-px/nginx.pid;
error_log $WORK/nginx-px/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx-px; proxy_temp_path $WORK/nginx-px; fastcgi_temp_path $WORK/nginx-px;
    uwsgi_temp_path $WORK/nginx-px; scgi_temp_path $WORK/nginx-px;
    keepalive_requests 100000000;
    upstream damoov {
        server 127.0.0.1:$UP_PORT;
        keepalive 128;
        keepalive_requests 100000000;
    }
    server {
        listen 127.0.0.1:$PX_PORT;
        location / {
            proxy_pass http://damoov;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Authorization "Bearer $STATIC_TOKEN";
            proxy_set_header X-Request-Id \$request_id;
        }
    }
}
EOF
nginx -t -q -c "$WORK/nginx-up/nginx.conf" -g "daemon off;" 2>/dev/null || nginx -t -c "$WORK/nginx-up/nginx.conf"
nginx -c "$WORK/nginx-up/nginx.conf" -g "daemon off;" &
PIDS+=($!)
nginx -c "$WORK/nginx-px/nginx.conf" -g "daemon off;" &
PX_MASTER=$!
PIDS+=($PX_MASTER)

wait_http() { # url, tries of 0.05 s
    for _ in $(seq 1 "${2:-400}"); do
        curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    echo "timeout waiting for $1" >&2
    return 1
}
wait_http "http://127.0.0.1:$UP_PORT$PATH_UNDER_TEST"
wait_http "http://127.0.0.1:$PX_PORT$PATH_UNDER_TEST"

# --- the store: a throwaway PostgreSQL cluster, one database per gateway -----------------------------------------
PG_VERSION="none (embedded H2)"
if [ "$STORE" = postgresql ]; then
    mkdir -p "$WORK/pg"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown postgres "$WORK/pg"; chmod o+x "$WORK"
    fi
    as_pg "$PG_BIN/initdb" -D "$WORK/pg" -U gateway --auth=trust >/dev/null
    as_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -o "-h 127.0.0.1 -p $PG_PORT -k $WORK/pg -c max_connections=200" \
        -l "$WORK/pg/server.log" -w start >/dev/null
    for db in gw_on gw_off gw_epoll gw_startup; do
        psql -X -q -h 127.0.0.1 -p $PG_PORT -U gateway -d postgres -c "CREATE DATABASE $db"
    done
    PG_VERSION=$("$PG_BIN/postgres" --version)
fi

# --- the gateway ------------------------------------------------------------------------------------------------
# JVM options of the shipped image: the ubi9 openjdk run-java.sh defaults, then k8s/base/deployment.yaml's
# GC_CONTAINER_OPTIONS and JAVA_OPTS_APPEND (read from the manifest, so the benchmark runs what is shipped), which
# come last. -XX:MaxRAM stands for the Deployment's 384Mi memory limit, which a container would impose through
# cgroups. Environment variables of the Deployment that tune the JVM's process (MALLOC_*) are passed on too.
manifest_env() { # name -> the value of that env entry in k8s/base/deployment.yaml
    python3 - "$1" "$ROOT/k8s/base/deployment.yaml" <<'PY'
import re, sys
text = open(sys.argv[2]).read()
m = re.search(r"- name: " + re.escape(sys.argv[1]) + r"\s*\n\s*value:\s*\"?([^\"\n]*)\"?", text)
print(m.group(1) if m else "")
PY
}
read -r -a SHIPPED_GC <<<"$(manifest_env GC_CONTAINER_OPTIONS)"
read -r -a SHIPPED_APPEND <<<"$(manifest_env JAVA_OPTS_APPEND)"
JVM_OPTS=(-XX:MaxRAMPercentage=80.0 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20
    -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90 -XX:+ExitOnOutOfMemoryError
    "${SHIPPED_GC[@]}" "${SHIPPED_APPEND[@]}" -XX:MaxRAM=384m)
GW_ENV=()
ARENAS=$(manifest_env MALLOC_ARENA_MAX)
[ -n "$ARENAS" ] && GW_ENV+=(MALLOC_ARENA_MAX="$ARENAS")
# EXTRA_JVM_OPTS: appended (e.g. memory experiments, see README)
read -r -a EXTRA <<<"${EXTRA_JVM_OPTS:-}"
JVM_OPTS+=("${EXTRA[@]}")
export GATEWAY_TOKEN_ENCRYPTION_KEY=${GATEWAY_TOKEN_ENCRYPTION_KEY:-$(head -c 32 /dev/urandom | base64)}

gateway_dir() { # name gw_port sb_port mgmt_port audit_enabled [postgresql database ("" = the embedded H2)] [native]
    local d="$WORK/$1" f
    mkdir -p "$d/config"
    # the image's layout: the app in the working directory (/deployments). The AppCDS archive records the class
    # path relative to it (quarkus-run.jar, lib/boot/...), so the JVM must start there or the archive is ignored.
    for f in quarkus-run.jar lib app quarkus; do ln -sfn "$APP/$f" "$d/$f"; done
    cat >"$d/config/application.yaml" <<EOF
gateway:
  upstreams:
    user: http://127.0.0.1:$3/user
    api: http://127.0.0.1:$UP_PORT/api
  audit:
    enabled: $5
  tenants:
    bench:
      issuer: http://127.0.0.1:$3/idp/demo
      jwks-url: http://127.0.0.1:$3/idp/demo/jwks
      instance-id: bench-instance
      instance-key: bench-instance-key
quarkus:
  http:
    host: 127.0.0.1
    port: $2
  management:
    host: 127.0.0.1
    port: $4
  log:
    level: WARN
    category:
      "io.quarkus":
        level: INFO
EOF
    # the start-up line that says which transport Vert.x runs on (native epoll or NIO)
    cat >>"$d/config/application.yaml" <<EOF
      "io.damoov.gateway.startup.TransportLog":
        level: INFO
EOF
    if [ -n "${7:-}" ]; then
        cat >>"$d/config/application.yaml" <<EOF
  vertx:
    prefer-native-transport: $7
EOF
    fi
    if [ "$STORE" = postgresql ] && [ -n "${6:-}" ]; then
        cat >>"$d/config/application.yaml" <<EOF
  datasource:
    jdbc:
      url: jdbc:postgresql://127.0.0.1:$PG_PORT/$6
    username: gateway
    password: gateway
EOF
    fi
    echo "$d"
}

GW_PID=""
GW_JAVA=java   # the java that start_gateway runs; GW_JAVA=... start_gateway ... for another
start_gateway() { # dir mgmt_port extra-jvm-opts... ; sets GW_PID, START_MS
    local d=$1 mg=$2; shift 2
    local t0 t1
    t0=$(date +%s%N)
    (cd "$d" && exec env "${GW_ENV[@]}" "$GW_JAVA" "${JVM_OPTS[@]}" "$@" -jar quarkus-run.jar >"$d/gateway.log" 2>&1) &
    GW_PID=$!
    PIDS+=($GW_PID)
    for _ in $(seq 1 1200); do
        if curl -fsS -o /dev/null "http://127.0.0.1:$mg/q/health/ready" 2>/dev/null; then break; fi
        kill -0 "$GW_PID" 2>/dev/null || { cat "$d/gateway.log" >&2; return 1; }
        sleep 0.01
    done
    t1=$(date +%s%N)
    START_MS=$(( (t1 - t0) / 1000000 ))
    START_CPU_MS=$(( $(cpu_ticks $GW_PID) * 1000 / $(getconf CLK_TCK) ))
}
stop_pid() {
    kill "$1" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { # pid... -> utime + stime of all
    local t=0 p
    for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
    echo $t
}
sys_ticks() { # pid... -> stime (kernel) of all
    local t=0 p
    for p in "$@"; do t=$((t + $(awk '{print $15}' "/proc/$p/stat"))); done
    echo $t
}
store_ticks() { # utime + stime of every PostgreSQL server process (0 with the embedded store); ended ones drop out
    local t=0 p
    [ "$STORE" = postgresql ] || { echo 0; return; }
    for p in $(pgrep -u postgres -x postgres 2>/dev/null); do
        t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo $t
}
# gateway_store_queries_total summed over operations: "path" = the request path's (mapping.*, token.*, login.*
# but the purge), "audit" = the audit writer's batch inserts (its own thread), "jobs" = the scheduled housekeeping
# (retention and partitions: job.lock, audit.* but insert, login.purge; every 15 min, the first after 1 min)
store_queries() { # mgmt port [path|audit|jobs]
    curl -fsS "http://127.0.0.1:$1/q/metrics" | awk -v want="${2:-path}" '/^gateway_store_queries_total/ {
        match($0, /operation="[^"]*"/); op = substr($0, RSTART + 11, RLENGTH - 12)
        kind = op == "audit.insert" ? "audit" : (op ~ /^audit\./ || op == "job.lock" || op == "login.purge") ? "jobs" : "path"
        if (kind == want) s += $NF } END {printf "%d\n", s}'
}

# --- start-up: without and with AppCDS, and with a JDK 25 AOT cache ---------------------------------------------
# production-like: no sandbox in the process (the production jar has none); JWKS are fetched lazily
SDIR=$(gateway_dir startup $GW_PORT $SB_PORT $MG_PORT true gw_startup)
: >"$OUT/startup.tsv"
train() { # name java [aot-train.sh options] cache [jvm options]: the images' training script, start-up configuration
    local name=$1 java=$2; shift 2
    local script_opts=() cache
    [ "$1" = --appcds ] && script_opts=(--appcds) && shift
    cache=$1; shift
    (cd "$SDIR" && AOT_TRAIN_LOG="$SDIR/$name-train.log" env "${GW_ENV[@]}" \
        "$ROOT/gateway/src/main/docker/aot-train.sh" "${script_opts[@]}" "$cache" $MG_PORT "$java" "${JVM_OPTS[@]}" "$@" \
        -jar quarkus-run.jar >&2)
}
variants=(nocds)
[ -f "$JSA_BUILD" ] && variants+=(appcds-build)
# the image's AppCDS archive: the same training script as the AOT cache below, with the JDK of the load rounds
if train appcds java --appcds "$JSA"; then
    variants+=(appcds)
else
    log "AppCDS training failed: no AppCDS variant"
fi
# JDK 24+: the AOT cache (JEP 483/514/515), made by a training run of this start-up configuration (start, ready,
# a few probe calls, SIGTERM: the JVM writes the cache at exit). JAVA_AOT=path/to/java, or the first JDK 25+
# under /usr/lib/jvm; JAVA_AOT=none skips it.
JAVA_AOT=${JAVA_AOT:-$(for j in /usr/lib/jvm/*/bin/java; do
    v=$("$j" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -c ' AOTCacheOutput ' || true)
    [ "$v" -gt 0 ] && { echo "$j"; break; }; done)}
AOT="$WORK/app.aot"
if { [ "$STARTS" -gt 0 ] || [ "$LOAD_VM" = aot ]; } && [ -n "$JAVA_AOT" ] && [ "$JAVA_AOT" != none ]; then
    if train aot "$JAVA_AOT" "$AOT" "${AOT_OPTS[@]}"; then
        variants+=(aot)
    else
        log "AOT training failed: no JDK 25 AOT variant"
    fi
fi
for v in "${variants[@]}"; do
    for i in $(seq 1 "$STARTS"); do
        extra=(); java_bin=java
        [ "$v" = appcds ] && extra=(-XX:SharedArchiveFile="$JSA" -Xshare:auto)
        [ "$v" = appcds-build ] && extra=(-XX:SharedArchiveFile="$JSA_BUILD" -Xshare:auto)
        [ "$v" = aot ] && extra=(-XX:AOTCache="$AOT" "${AOT_OPTS[@]}") && java_bin=$JAVA_AOT
        GW_JAVA=$java_bin start_gateway "$SDIR" $MG_PORT "${extra[@]}"
        sleep 2
        printf "%s\t%s\t%s\t%s\n" "$v" "$START_MS" "$(rss_kb $GW_PID)" "$START_CPU_MS" >>"$OUT/startup.tsv"
        log "start-up $v #$i: ${START_MS} ms to ready (${START_CPU_MS} ms CPU), RSS at rest $(rss_kb $GW_PID) kB"
        if grep -q "Unable to use shared archive" "$SDIR/gateway.log"; then log "  AppCDS archive NOT used: $(grep -m1 'shared archive' "$SDIR/gateway.log")"; fi
        if [ "$v" = aot ] && grep -qi "unable to use AOT cache\|AOT cache.*not" "$SDIR/gateway.log"; then
            log "  AOT cache NOT used: $(grep -im1 'aot cache' "$SDIR/gateway.log")"
        fi
        stop_pid $GW_PID
    done
done
AOT_JAVA_VERSION=$([ -n "$JAVA_AOT" ] && [ "$JAVA_AOT" != none ] && "$JAVA_AOT" -version 2>&1 | head -1 || echo none)
export AOT_JAVA_VERSION

# --- the gateways for the load test: audit on and off, on the embedded store, with native epoll -----------------
CDS=()
[ -f "$JSA" ] && CDS=(-XX:SharedArchiveFile="$JSA" -Xshare:auto)
LOAD_JAVA=java
if [ "$LOAD_VM" = aot ]; then
    [ -s "$AOT" ] || { echo "LOAD_VM=aot needs a JDK 25 (JAVA_AOT) and a successful training run" >&2; exit 1; }
    CDS=(-XX:AOTCache="$AOT" "${AOT_OPTS[@]}"); LOAD_JAVA=$JAVA_AOT
fi
LOAD_JAVA_VERSION=$("$LOAD_JAVA" -version 2>&1 | head -1)
export LOAD_VM LOAD_JAVA_VERSION
# The Damoov stand-in for the user host (registration, login) and the demo IdP: the sandbox in a JVM of its own
# (sandbox/'s SandboxMain, on the packaged gateway's libraries: Vert.x Web, jose4j, JBoss Logging), so the measured
# gateways hold nothing but the gateway, as in production, whose jar has no sandbox.
mkdir -p "$WORK/sandbox"
java -XX:+UseSerialGC -Xmx256m -Dsandbox.port=$SB_PORT -Dsandbox.instance-id=bench-instance \
    -Dsandbox.instance-key=bench-instance-key -Dsandbox.admin-login=admin@bench.local \
    -Dsandbox.admin-password=bench-admin-password -cp "$SANDBOX_JAR:$APP/lib/boot/*:$APP/lib/main/*" \
    io.damoov.gateway.sandbox.SandboxMain >"$WORK/sandbox/sandbox.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$SB_PORT/idp/demo/jwks" 1200 || { cat "$WORK/sandbox/sandbox.log" >&2; exit 1; }
D_ON=$(gateway_dir gw-on $GW_PORT $SB_PORT $MG_PORT true gw_on)
D_OFF=$(gateway_dir gw-off $GW2_PORT $SB_PORT $MG2_PORT false gw_off)
GW_JAVA=$LOAD_JAVA start_gateway "$D_ON" $MG_PORT "${CDS[@]}"; PID_ON=$GW_PID
GW_JAVA=$LOAD_JAVA start_gateway "$D_OFF" $MG2_PORT "${CDS[@]}"; PID_OFF=$GW_PID

DEFAULT_TARGETS="gateway haproxy-jwt gateway-h2 nginx-proxy gateway-noaudit vertx-floor upstream"
# the shipped gateway runs on NIO; a jar built with Netty's native epoll library (README §10) is measured both ways
if ls "$APP"/lib/main/*netty-transport-native-epoll*linux-x86_64*.jar >/dev/null 2>&1; then
    DEFAULT_TARGETS=${DEFAULT_TARGETS/gateway /gateway gateway-epoll }
fi
[ "$STORE" = h2 ] && DEFAULT_TARGETS=${DEFAULT_TARGETS/ gateway-h2/}   # the gateway row is on H2 already
read -r -a TARGETS <<<"${TARGETS:-$DEFAULT_TARGETS}"
wants() { [[ " ${TARGETS[*]} " == *" $1 "* ]]; }
# The gateway as a user who runs the README's `java -jar` gets it: no datasource configured, so the embedded H2 file
# store under ./data (its working directory here), audit on; the same JVM options and class-data archive as the
# others (the archive was trained on the PostgreSQL configuration; the image's is trained on H2)
PID_H2=""; PID_EP=""; EP_TARGET=""
if wants gateway-h2; then
    D_H2=$(gateway_dir gw-h2 $H2_PORT $SB_PORT $MG3_PORT true "")
    GW_JAVA=$LOAD_JAVA start_gateway "$D_H2" $MG3_PORT "${CDS[@]}"; PID_H2=$GW_PID
    [ -f "$D_H2/data/gateway.mv.db" ] || { echo "gateway-h2 has no embedded store under $D_H2/data" >&2; exit 1; }
fi
# The audit-on gateway on the other transport: NIO (gateway-nio) against the shipped native epoll, or epoll
# (gateway-epoll) explicitly; same store kind and options. Refuses to measure it on the wrong transport.
wants gateway-nio && wants gateway-epoll && { echo "gateway-nio and gateway-epoll share a port: one of them" >&2; exit 1; }
if wants gateway-nio || wants gateway-epoll; then
    if wants gateway-nio; then EP_TARGET=gateway-nio; native=false; expect="NIO"
    else EP_TARGET=gateway-epoll; native=true; expect="native"; fi
    D_EP=$(gateway_dir gw-transport $EP_PORT $SB_PORT $MG4_PORT true gw_epoll $native)
    GW_JAVA=$LOAD_JAVA start_gateway "$D_EP" $MG4_PORT "${CDS[@]}"; PID_EP=$GW_PID
    grep -q "Network transport: $expect" "$D_EP/gateway.log" || {
        echo "$EP_TARGET: not on the $expect transport:" >&2; grep "Network transport" "$D_EP/gateway.log" >&2; exit 1; }
fi
: >"$OUT/transports.txt"
for pair in gateway:gw-on gateway-noaudit:gw-off gateway-h2:gw-h2 "${EP_TARGET:-none}:gw-transport"; do
    f="$WORK/${pair#*:}/gateway.log"
    [ -f "$f" ] || continue
    line=$(grep -o "Network transport: .*" "$f" | head -1)
    printf '%s\t%s\n' "${pair%%:*}" "${line:-no transport line in the log}" >>"$OUT/transports.txt"
    log "${pair%%:*}: ${line:-no transport line in the log}"
done

# --- HAProxy verifying the client JWT -----------------------------------------------------------------------------
# What the gateway's client check does, in HAProxy's own terms (2.5+): the bearer token's alg must be RS256, its
# signature must verify against the IdP's public key (a PEM file: HAProxy cannot read a JWKS; converted from the
# sandbox IdP's JWKS below), exp must be in the future, nbf (when present) not, iss and aud must be the tenant's;
# otherwise 401. Then Authorization becomes the static Damoov token and the request goes to the same upstream over
# kept-alive connections, nbthread = the cores (nginx-proxy's worker_processes auto). Verified on every request:
# HAProxy has no cache of verified tokens (the gateway has one).
PID_HX=""
ISSUER="http://127.0.0.1:$SB_PORT/idp/demo"
if wants haproxy-jwt; then
    mkdir -p "$WORK/haproxy"
    curl -fsS "http://127.0.0.1:$SB_PORT/idp/demo/jwks" | python3 -c '
import base64, json, sys
def b64u(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
def tlv(tag, body):
    n = len(body)
    size = bytes([n]) if n < 128 else bytes([0x80 | ((n.bit_length() + 7) // 8)]) + n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag]) + size + body
def integer(b):
    b = b.lstrip(b"\0") or b"\0"
    return tlv(0x02, b"\0" + b if b[0] & 0x80 else b)
key = next(k for k in json.load(sys.stdin)["keys"] if k["kty"] == "RSA")
rsa = tlv(0x30, integer(b64u(key["n"])) + integer(b64u(key["e"])))           # RSAPublicKey
alg = tlv(0x30, tlv(0x06, bytes.fromhex("2a864886f70d010101")) + b"\x05\x00")  # rsaEncryption, NULL
der = base64.b64encode(tlv(0x30, alg + tlv(0x03, b"\0" + rsa))).decode()      # SubjectPublicKeyInfo
print("-----BEGIN PUBLIC KEY-----")
for i in range(0, len(der), 64): print(der[i:i + 64])
print("-----END PUBLIC KEY-----")' >"$WORK/haproxy/idp.pem"
    openssl pkey -pubin -in "$WORK/haproxy/idp.pem" -noout || { echo "the IdP key did not convert to PEM" >&2; exit 1; }
    cat >"$WORK/haproxy/haproxy.cfg" <<EOF
global
    nbthread $(nproc)
    maxconn 4096
defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-keep-alive 120s
frontend jwt
    bind 127.0.0.1:$HX_PORT
    http-request set-var(txn.bearer) http_auth_bearer
    http-request set-var(txn.alg) var(txn.bearer),jwt_header_query('\$.alg')
    http-request deny deny_status 401 unless { var(txn.alg) -m str RS256 }
    http-request deny deny_status 401 unless { var(txn.bearer),jwt_verify(txn.alg,"$WORK/haproxy/idp.pem") -m int 1 }
    http-request set-var(txn.now) date()
    http-request set-var(txn.exp) var(txn.bearer),jwt_payload_query('\$.exp','int')
    http-request set-var(txn.nbf) var(txn.bearer),jwt_payload_query('\$.nbf','int')
    http-request set-var(txn.iss) var(txn.bearer),jwt_payload_query('\$.iss')
    http-request set-var(txn.aud) var(txn.bearer),jwt_payload_query('\$.aud')
    http-request deny deny_status 401 unless { var(txn.exp),sub(txn.now) -m int gt 0 }
    http-request deny deny_status 401 if { var(txn.nbf) -m found } { var(txn.nbf),sub(txn.now) -m int gt 0 }
    http-request deny deny_status 401 unless { var(txn.iss) -m str $ISSUER }
    http-request deny deny_status 401 unless { var(txn.aud) -m str damoov-gateway }
    http-request set-header Authorization "Bearer $STATIC_TOKEN"
    http-request set-header X-Request-Id %[uuid]
    default_backend damoov
backend damoov
    server upstream 127.0.0.1:$UP_PORT
EOF
    haproxy -c -q -f "$WORK/haproxy/haproxy.cfg" || haproxy -c -f "$WORK/haproxy/haproxy.cfg"
    haproxy -db -f "$WORK/haproxy/haproxy.cfg" >"$WORK/haproxy/haproxy.log" 2>&1 &
    PID_HX=$!
    PIDS+=($PID_HX)
    for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/$HX_PORT) 2>/dev/null && break; sleep 0.05; done
fi

# The floor: Vert.x alone (bench/proxy/VertxFloor.java), on the load gateways' JVM with their options and
# environment, no class-data cache (the options for JDK 25 runs, AOT_JVM_OPTS, too when LOAD_VM=aot)
PID_VF=""
if wants vertx-floor; then
    mkdir -p "$WORK/floor"
    javac -d "$WORK/floor" -cp "$APP/lib/main/*" "$ROOT/bench/proxy/VertxFloor.java"
    floor_opts=()
    [ "$LOAD_VM" = aot ] && floor_opts=("${AOT_OPTS[@]}")
    env "${GW_ENV[@]}" "$LOAD_JAVA" "${JVM_OPTS[@]}" "${floor_opts[@]}" -cp "$APP/lib/main/*:$WORK/floor" VertxFloor \
        $VF_PORT $UP_PORT "$STATIC_TOKEN" >"$WORK/floor/floor.log" 2>&1 &
    PID_VF=$!
    PIDS+=($PID_VF)
    wait_http "http://127.0.0.1:$VF_PORT$PATH_UNDER_TEST"
    printf 'vertx-floor\t%s\n' "$(grep -o 'network transport: .*' "$WORK/floor/floor.log" || echo '?')" >>"$OUT/transports.txt"
    curl -fsS -o "$WORK/first-floor.json" "http://127.0.0.1:$VF_PORT$PATH_UNDER_TEST"
    cmp -s <(printf '%s' "$BODY") "$WORK/first-floor.json" || { echo "vertx-floor answered a different body" >&2; exit 1; }
fi

ALICE='{"sub":"alice","groups":[],"ttlSeconds":7200}'
client_token() { # sandbox port [claims, JSON]
    curl -fsS -X POST -H 'Content-Type: application/json' -d "${2:-$ALICE}" \
        "http://127.0.0.1:$1/idp/demo/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'
}
TOKEN_ON=$(client_token $SB_PORT)
TOKEN_OFF=$TOKEN_ON
GW_PORTS=("$GW_PORT" "$GW2_PORT")
[ -n "$PID_H2" ] && GW_PORTS+=("$H2_PORT")
[ -n "$PID_EP" ] && GW_PORTS+=("$EP_PORT")

# haproxy-jwt must refuse what the gateway refuses, and swap the token: a smoke check before it is measured
if [ -n "$PID_HX" ]; then
    hx() { # token ("" = none) [path] -> HTTP status; the body in $WORK/haproxy/answer
        local auth=()
        [ -n "$1" ] && auth=(-H "Authorization: Bearer $1")
        curl -s -o "$WORK/haproxy/answer" -w '%{http_code}' "${auth[@]}" "http://127.0.0.1:$HX_PORT${2:-$PATH_UNDER_TEST}"
    }
    now=$(date +%s)
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/haproxy/other.key" 2>/dev/null
    forged=$(python3 - "$TOKEN_ON" "$WORK/haproxy/other.key" <<'PY'
import base64, subprocess, sys
h, p, s = sys.argv[1].split(".")
i = len(s) // 2
bad_sig = h + "." + p + "." + s[:i] + ("A" if s[i] != "A" else "B") + s[i + 1:]   # one signature byte changed
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
claims = base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)).replace(b'"alice"', b'"mallory"')
bad_payload = h + "." + b64(claims) + "." + s                                      # another subject, old signature
other = subprocess.run(["openssl", "dgst", "-sha256", "-sign", sys.argv[2]], input=(h + "." + p).encode(),
                       capture_output=True, check=True).stdout
other_key = h + "." + p + "." + b64(other)                                         # signed by another key
alg_none = b64(b'{"alg":"none","typ":"JWT"}') + "." + p + "."
print(bad_sig, bad_payload, other_key, alg_none)
PY
)
    read -r BAD_SIG BAD_PAYLOAD OTHER_KEY ALG_NONE <<<"$forged"
    expired=$(client_token $SB_PORT "{\"sub\":\"alice\",\"exp\":$((now - 60))}")
    early=$(client_token $SB_PORT "{\"sub\":\"alice\",\"nbf\":$((now + 3600)),\"ttlSeconds\":7200}")
    other_aud=$(client_token $SB_PORT '{"sub":"alice","aud":"someone-else","ttlSeconds":7200}')
    other_iss=$(client_token $SB_PORT '{"sub":"alice","iss":"http://127.0.0.1:1/idp/other","ttlSeconds":7200}')
    for c in "no token:" "wrong signature:$BAD_SIG" "changed payload:$BAD_PAYLOAD" "another key:$OTHER_KEY" \
        "alg none:$ALG_NONE" "expired:$expired" "not yet valid:$early" "wrong audience:$other_aud" \
        "wrong issuer:$other_iss"; do
        status=$(hx "${c#*:}")
        [ "$status" = 401 ] || { echo "haproxy-jwt answered $status, not 401, to a token with: ${c%%:*}" >&2; exit 1; }
    done
    status=$(hx "$TOKEN_ON")
    [ "$status" = 200 ] && cmp -s <(printf '%s' "$BODY") "$WORK/haproxy/answer" || {
        echo "haproxy-jwt answered $status with a different body to a good token" >&2; exit 1; }
    hx "$TOKEN_ON" /bench/authorization >/dev/null
    [ "$(cat "$WORK/haproxy/answer")" = "Bearer $STATIC_TOKEN" ] || {
        echo "haproxy-jwt sent Authorization: $(cat "$WORK/haproxy/answer")" >&2; exit 1; }
    log "haproxy-jwt ($HAPROXY_VERSION): 401 for no token, a wrong signature, a changed payload, another key, alg none, expired, not yet valid, wrong audience and issuer; the upstream's body and the static token for a good one"
fi

for pair in "${GW_PORTS[@]/%/:$TOKEN_ON}"; do
    port=${pair%%:*}; tok=${pair#*:}
    curl -fsS -o /dev/null -H "Authorization: Bearer $tok" "http://127.0.0.1:$port/me"
    curl -fsS -o "$WORK/first-$port.json" -H "Authorization: Bearer $tok" "http://127.0.0.1:$port$PATH_UNDER_TEST"
done
# The stub's answer names a DeviceToken that is not alice's: on a user route the gateway answers it as a per-tenant
# pseudonym (response hygiene, docs/routing.md), so the JSON is the same but for that value
same_but_pseudonym() {
    python3 - "$BODY" "$1" <<'PY'
import json, sys
want, got = json.loads(sys.argv[1]), json.load(open(sys.argv[2]))
dt = got["Result"]["DeviceToken"]
assert dt.startswith("anon-") and dt != want["Result"]["DeviceToken"], dt
got["Result"]["DeviceToken"] = want["Result"]["DeviceToken"]
sys.exit(0 if got == want else 1)
PY
}
for port in "${GW_PORTS[@]}"; do
    same_but_pseudonym "$WORK/first-$port.json" || { echo "gateway on $port answered a different body" >&2; exit 1; }
done

WRK=(wrk -t"$THREADS" -c"$CONNS" --latency)
[ "$PIN" = 1 ] && WRK=(taskset -c 1 "${WRK[@]}")
declare -A URL HDR PIDOF MGOF
URL[gateway]="http://127.0.0.1:$GW_PORT$PATH_UNDER_TEST"; HDR[gateway]="Authorization: Bearer $TOKEN_ON"
URL[gateway-noaudit]="http://127.0.0.1:$GW2_PORT$PATH_UNDER_TEST"; HDR[gateway-noaudit]="Authorization: Bearer $TOKEN_OFF"
URL[nginx-proxy]="http://127.0.0.1:$PX_PORT$PATH_UNDER_TEST"; HDR[nginx-proxy]="X-Bench: 1"
URL[upstream]="http://127.0.0.1:$UP_PORT$PATH_UNDER_TEST"; HDR[upstream]="X-Bench: 1"
URL[vertx-floor]="http://127.0.0.1:$VF_PORT$PATH_UNDER_TEST"; HDR[vertx-floor]="X-Bench: 1"
URL[gateway-h2]="http://127.0.0.1:$H2_PORT$PATH_UNDER_TEST"; HDR[gateway-h2]="Authorization: Bearer $TOKEN_ON"
URL[gateway-epoll]="http://127.0.0.1:$EP_PORT$PATH_UNDER_TEST"; HDR[gateway-epoll]="Authorization: Bearer $TOKEN_ON"
URL[gateway-nio]=${URL[gateway-epoll]}; HDR[gateway-nio]=${HDR[gateway-epoll]}
URL[haproxy-jwt]="http://127.0.0.1:$HX_PORT$PATH_UNDER_TEST"; HDR[haproxy-jwt]="Authorization: Bearer $TOKEN_ON"
PIDOF[gateway]=$PID_ON; PIDOF[gateway-noaudit]=$PID_OFF
[ -n "$PID_H2" ] && PIDOF[gateway-h2]=$PID_H2 && MGOF[gateway-h2]=$MG3_PORT
[ -n "$PID_EP" ] && PIDOF[$EP_TARGET]=$PID_EP && MGOF[$EP_TARGET]=$MG4_PORT
[ -n "$PID_HX" ] && PIDOF[haproxy-jwt]=$PID_HX
PIDOF[nginx-proxy]="$PX_MASTER $(pgrep -P $PX_MASTER | tr '\n' ' ')"
[ -n "$PID_VF" ] && PIDOF[vertx-floor]=$PID_VF

MGOF[gateway]=$MG_PORT; MGOF[gateway-noaudit]=$MG2_PORT

log "warm-up: ${WARMUP}s per target"
for t in "${TARGETS[@]}"; do
    "${WRK[@]}" -d"${WARMUP}s" -H "${HDR[$t]}" "${URL[$t]}" >"$OUT/warmup-$t.txt"
done

to_ms() { # wrk latency value like 812.00us, 1.23ms, 1.01s
    python3 -c 'import sys,re
v=sys.argv[1]; m=re.match(r"([0-9.]+)(us|ms|s|m)$", v)
n=float(m.group(1)); u=m.group(2)
print("%.3f" % (n/1000 if u=="us" else n if u=="ms" else n*1000 if u=="s" else n*60000))' "$1"
}
if [ "$JFR" = 1 ]; then
    jcmd $PID_ON JFR.start name=bench settings=profile filename="$OUT/gateway.jfr" >/dev/null
fi
ASPROF_LIB=""
if [ "$PROFILE" = 1 ]; then
    AP_VERSION=4.1
    AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
    [ -f "$AP_JAR" ] || ./mvnw -B -q -ntp dependency:get -Dartifact=tools.profiler:async-profiler:$AP_VERSION >&2
    mkdir -p "$WORK/ap" && (cd "$WORK/ap" && unzip -q -o "$AP_JAR" 'linux-x64/*')
    ASPROF_LIB="$WORK/ap/linux-x64/libasyncProfiler.so"
    # jcmd parses key=value itself: the agent's option string goes in quotes
    for p in $PID_ON $PID_OFF $PID_VF; do
        jcmd $p JVMTI.agent_load "$ASPROF_LIB" "\"start,event=$PROFILE_EVENT,interval=200us\"" >/dev/null
    done
fi
printf "round\ttarget\trps\tp50_ms\tp99_ms\trss_kb\tcpu_pct\tstore_q\trequests\tnon2xx\tcpu_us_per_req\tloadavg\taudit_inserts\tstore_cpu_us_per_req\tkernel_pct\n" >"$OUT/rounds.tsv"
for r in $(seq 1 "$ROUNDS"); do
    # rotate the order each round, so no target always runs first or last
    order=("${TARGETS[@]:$(( (r - 1) % ${#TARGETS[@]} ))}" "${TARGETS[@]:0:$(( (r - 1) % ${#TARGETS[@]} ))}")
    for t in "${order[@]}"; do
        pid=${PIDOF[$t]:-}; mg=${MGOF[$t]:-}; q0=0; c0=0; k0=0; k1=0
        [ -n "$pid" ] && c0=$(cpu_ticks $pid) && k0=$(sys_ticks $pid)
        s0=$(store_ticks)
        a0=0
        [ -n "$mg" ] && q0=$(store_queries $mg) && a0=$(store_queries $mg audit)
        f="$OUT/round$r-$t.txt"
        "${WRK[@]}" -d"${DURATION}s" -H "${HDR[$t]}" "${URL[$t]}" >"$f"
        s1=$(store_ticks)
        rss=""; cpu=""; q=""; aq=""; c1=0
        load=$(cut -d' ' -f1 /proc/loadavg)
        [ -n "$pid" ] && c1=$(cpu_ticks $pid) && k1=$(sys_ticks $pid) && cpu=$(python3 -c "print('%.0f' % (($c1 - $c0) * 100.0 / $(getconf CLK_TCK) / $DURATION))")
        [ -n "$pid" ] && [ "$t" != nginx-proxy ] && rss=$(rss_kb $pid)
        if [ -n "$mg" ]; then
            q1=$(store_queries $mg); q=$((q1 - q0)); a1=$(store_queries $mg audit); aq=$((a1 - a0))
        fi
        rps=$(awk '/^Requests\/sec/ {print $2}' "$f")
        p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$f")")
        p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$f")")
        reqs=$(awk '/requests in/ {print $1}' "$f")
        non2xx=$(awk '/Non-2xx/ {print $NF}' "$f"); non2xx=${non2xx:-0}
        errs=$(awk '/Socket errors/' "$f")
        [ -n "$errs" ] && log "  $t: $errs"
        cpr=""
        scpr=""
        kpct=""
        [ -n "$pid" ] && kpct=$(python3 -c "print('%.0f' % (($k1 - $k0) * 100.0 / max(1, $c1 - $c0)))")
        [ -n "$pid" ] && cpr=$(python3 -c "print('%.0f' % (($c1 - $c0) * 1e6 / $(getconf CLK_TCK) / max(1, $reqs)))")
        [ -n "$pid" ] && [ "$STORE" = postgresql ] && scpr=$(python3 -c "print('%.0f' % (($s1 - $s0) * 1e6 / $(getconf CLK_TCK) / max(1, $reqs)))")
        printf "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" "$r" "$t" "$rps" "$p50" "$p99" "$rss" "$cpu" "$q" "$reqs" "$non2xx" "$cpr" "$load" "$aq" "$scpr" "$kpct" >>"$OUT/rounds.tsv"
        log "round $r $t: $rps req/s p50 ${p50} ms p99 ${p99} ms rss ${rss:-–} kB cpu ${cpu:-–}% (${cpr:-–} µs/req, ${kpct:-–}% kernel; PostgreSQL ${scpr:-–} µs/req) store queries ${q:-–} (+ ${aq:-–} audit batch inserts) load $load"
    done
done
[ "$JFR" = 1 ] && jcmd $PID_ON JFR.stop name=bench >/dev/null
if [ -n "$ASPROF_LIB" ]; then
    jcmd $PID_ON JVMTI.agent_load "$ASPROF_LIB" "\"stop,$PROFILE_OUTPUT,file=$OUT/profile-gateway.collapsed\"" >/dev/null
    jcmd $PID_OFF JVMTI.agent_load "$ASPROF_LIB" "\"stop,$PROFILE_OUTPUT,file=$OUT/profile-gateway-noaudit.collapsed\"" >/dev/null
    if [ -n "$PID_VF" ]; then
        jcmd $PID_VF JVMTI.agent_load "$ASPROF_LIB" "\"stop,$PROFILE_OUTPUT,file=$OUT/profile-vertx-floor.collapsed\"" >/dev/null
    fi
fi
curl -fsS "http://127.0.0.1:$MG_PORT/q/metrics" | grep '^gateway_store_queries_total' >"$OUT/store-queries-audit-on.txt" || true
curl -fsS "http://127.0.0.1:$MG2_PORT/q/metrics" | grep '^gateway_store_queries_total' >"$OUT/store-queries-audit-off.txt" || true
HWM_ON=$(hwm_kb $PID_ON); HWM_OFF=$(hwm_kb $PID_OFF); HWM_H2=""; HWM_EP=""; HWM_HX=""
if [ -n "$PID_H2" ]; then
    curl -fsS "http://127.0.0.1:$MG3_PORT/q/metrics" | grep '^gateway_store_queries_total' >"$OUT/store-queries-h2.txt" || true
    HWM_H2=$(hwm_kb $PID_H2); stop_pid $PID_H2
fi
[ -n "$PID_EP" ] && HWM_EP=$(hwm_kb $PID_EP) && stop_pid $PID_EP
[ -n "$PID_HX" ] && HWM_HX=$(hwm_kb $PID_HX)
stop_pid $PID_ON; stop_pid $PID_OFF

# --- the report -------------------------------------------------------------------------------------------------
JAVA_VERSION=$(java -version 2>&1 | tr '\n' ' ')
CPU_MODEL=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
export STORE PG_VERSION OUT RESULTS ROUNDS DURATION WARMUP CONNS THREADS PIN HWM_ON HWM_OFF JAVA_VERSION CPU_MODEL MEM
export HWM_H2 HWM_EP HWM_HX HAPROXY_VERSION
export GW_ENV_STR="${GW_ENV[*]:-}" JVM_OPTS_STR="${JVM_OPTS[*]}" CDS_STR="${CDS[*]:-none}" KERNEL=$(uname -srm) NPROC=$(nproc)
python3 "$ROOT/bench/proxy/report.py"
log "wrote $RESULTS"
