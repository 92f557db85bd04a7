#!/bin/sh
# Training run for a start-up cache of class data, made by the JVM that will use it:
#   - by default a JDK 24+ AOT cache (JEP 483/514/515, -XX:AOTCacheOutput): Dockerfile.jvm-aot;
#   - with --appcds a dynamic AppCDS archive (JDK 13+, -XX:ArchiveClassesAtExit): Dockerfile.jvm.
#     Unlike the archive Quarkus makes at build time (quarkus.package.jar.appcds, which stops the application
#     before its runtime start-up), it holds the classes of the whole start: Vert.x, Netty, the JDBC driver, Flyway.
# Runs the gateway's command line with the dump option inserted after the java binary, waits until the management
# port answers /q/health/ready, calls a few endpoints, stops it with SIGTERM (the JVM writes the cache as it exits)
# and checks that the cache was written. Used inside the images (with the image's own JDK: a cache is only valid
# for the JDK build that made it) and by bench/proxy/run.sh.
#
#   aot-train.sh [--appcds] CACHE MANAGEMENT_PORT java [jvm options] -jar quarkus-run.jar
set -eu
dump=-XX:AOTCacheOutput
if [ "${1:-}" = --appcds ]; then dump=-XX:ArchiveClassesAtExit; shift; fi
[ $# -ge 4 ] || { echo "usage: $0 [--appcds] CACHE MANAGEMENT_PORT java [options] -jar quarkus-run.jar" >&2; exit 2; }
cache=$1; port=$2; java=$3; shift 3
log=${AOT_TRAIN_LOG:-${TMPDIR:-/tmp}/aot-train.log}
rm -f "$cache"

"$java" "$dump=$cache" "$@" >"$log" 2>&1 &
pid=$!

get() { # url -> 0 when it answered 2xx
    if command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null "$1" 2>/dev/null
    else wget -q -O /dev/null "$1" 2>/dev/null; fi
}
ready=no
i=0
while [ $i -lt 600 ]; do # up to 60 s
    if get "http://127.0.0.1:$port/q/health/ready"; then ready=yes; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
if [ "$ready" = yes ]; then
    for path in /q/health /q/health/live /q/metrics; do get "http://127.0.0.1:$port$path" || true; done
fi
kill -TERM "$pid" 2>/dev/null || true
status=0
wait "$pid" || status=$?
if [ "$ready" != yes ] || [ ! -s "$cache" ]; then
    echo "training failed (ready: $ready, exit status $status); log: $log" >&2
    tail -n 30 "$log" >&2
    exit 1
fi
echo "cache written: $cache ($(wc -c <"$cache") bytes)"
