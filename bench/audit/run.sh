#!/usr/bin/env bash
# Audit-log benchmark (not a test): a throwaway PostgreSQL, the packaged gateway on it, 5 million audit rows over
# 4 days / 50 tenants / 20k subjects, then: newest page (limit 50) for a tenant and a tenant+subject through the
# operator API, NDJSON export rate through the API, and the purge of one day (partition drop, the retention job's
# SQL). Writes bench/audit/RESULTS.md. Needs: initdb/pg_ctl/psql on PATH (or /usr/local/bin), java 17, curl.
# ROWS=500000 ./bench/audit/run.sh for a quick run.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
ROWS=${ROWS:-5000000}
PATH=$PATH:/usr/local/bin
WORK=$(mktemp -d /tmp/audit-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PGPORT=$(free_port); HTTP=$(free_port); MGMT=$(free_port)
KEY="bench-key-$RANDOM$RANDOM"
RUNAS=()
if [ "$(id -u)" = 0 ]; then chown -R postgres "$WORK"; RUNAS=(su postgres -s /bin/sh -c); fi
as_pg() { if [ ${#RUNAS[@]} -gt 0 ]; then "${RUNAS[@]}" "$*"; else sh -c "$*"; fi; }
GW_PID=
cleanup() {
  [ -n "$GW_PID" ] && kill "$GW_PID" 2>/dev/null || true
  as_pg "pg_ctl -D $WORK/pg -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== PostgreSQL on port $PGPORT"
as_pg "initdb -D $WORK/pg -U postgres -A trust >$WORK/initdb.log 2>&1"
as_pg "pg_ctl -D $WORK/pg -o '-p $PGPORT -k $WORK -c shared_buffers=512MB -c max_wal_size=4GB -c synchronous_commit=off' -l $WORK/pg.log -w start" >/dev/null
PSQL=(psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d gateway -v ON_ERROR_STOP=1)
psql -X -q -h 127.0.0.1 -p "$PGPORT" -U postgres -c "CREATE DATABASE gateway"

echo "== packaged gateway"
JAR=gateway/target/quarkus-app/quarkus-run.jar
[ -f "$JAR" ] || ./mvnw -B -q package -DskipTests -Dquick
CONF=$WORK/bench.yaml
{
  echo "gateway:"
  echo "  token-encryption-key: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="
  echo "  admin:"
  echo "    key-hashes: [ $(printf %s "$KEY" | sha256sum | cut -d' ' -f1) ]"
  echo "  tenants:"
  for i in $(seq -w 1 50); do
    echo "    t$i: { issuer: 'https://id.bench.example/t$i', jwks-url: 'https://id.bench.example/t$i/jwks', instance-id: 'i$i', instance-key: 'k$i' }"
  done
} > "$CONF"
QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PGPORT/gateway" QUARKUS_DATASOURCE_USERNAME=postgres \
QUARKUS_DATASOURCE_PASSWORD=x QUARKUS_HTTP_PORT=$HTTP QUARKUS_MANAGEMENT_PORT=$MGMT \
GATEWAY_AUDIT_JOURNAL=$WORK/journal.ndjson \
  java -Xmx1g -Dquarkus.config.locations="$CONF" -jar "$JAR" > "$WORK/gateway.log" 2>&1 &
GW_PID=$!
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$MGMT/q/health/live" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "http://127.0.0.1:$MGMT/q/health/live" >/dev/null || { tail -40 "$WORK/gateway.log"; exit 1; }

echo "== seeding $ROWS audit rows over 4 days"
NOW_MS=$(( $(date +%s) * 1000 ))
DAY_MS=86400000
for d in 4 3 2 1 0; do
  "${PSQL[@]}" -c "DO \$\$ DECLARE s bigint := (($NOW_MS - $d::bigint * $DAY_MS) / $DAY_MS) * $DAY_MS;
    BEGIN EXECUTE format('CREATE TABLE IF NOT EXISTS audit_record_d%s PARTITION OF audit_record FOR VALUES FROM (%s) TO (%s)',
      to_char(to_timestamp(s / 1000) AT TIME ZONE 'UTC', 'YYYYMMDD'), s, s + $DAY_MS); END \$\$;"
done
T0=$(date +%s)
"${PSQL[@]}" -c "INSERT INTO audit_record (id, at, tenant, subject, principal, action, token_fingerprint, route, method,
    path, status, upstream_status, client_ip, request_id, latency_ms, reason)
  SELECT md5(g::text), $NOW_MS - (g::bigint * 4 * $DAY_MS / $ROWS) - 1, 't' || lpad((1 + g % 50)::text, 2, '0'),
    'user-' || (g % 20000), 'user', (ARRAY['use','use','use','use','refresh','login','deny'])[1 + g % 7],
    substr(md5((g % 20000)::text), 1, 16), 'api', 'GET', '/api/indicators/v3/Statistics', 200, 200, '10.0.0.1',
    'req-' || g, 12, NULL
  FROM generate_series(1, $ROWS) g"
"${PSQL[@]}" -c "ANALYZE audit_record"
SEED_S=$(( $(date +%s) - T0 ))

API="http://127.0.0.1:$MGMT/admin/v1/audit"
AUTH="Authorization: Bearer $KEY"
median_ms() { # url → median of 7 runs, ms
  for _ in 1 2 3 4 5 6 7; do curl -fs -o /dev/null -w '%{time_total}\n' -H "$AUTH" "$1"; done \
    | sort -n | sed -n 4p | awk '{printf "%.1f", $1 * 1000}'
}
curl -fs -o /dev/null -H "$AUTH" "$API?tenant=t07&limit=50"   # warm-up
PAGE_T=$(median_ms "$API?tenant=t07&limit=50")
PAGE_TS=$(median_ms "$API?tenant=t07&subject=user-4206&limit=50")
NEXT=$(curl -fs -H "$AUTH" "$API?tenant=t07&limit=50" | python3 -c 'import json,sys; print(json.load(sys.stdin)["next"])')
PAGE_2=$(median_ms "$API?tenant=t07&limit=50&after=$NEXT")

echo "== export"
# Four exports of four tenants (~75k records each, so none is served from the previous one's cache): the first
# runs on a JVM whose export path is not compiled yet, the other three show the steady state; median of those.
export_one() { # tenant → "records seconds"
  local t0 t1 n
  t0=$(date +%s.%N)
  n=$(curl -fs -H "$AUTH" -H 'Accept: application/x-ndjson' "$API?tenant=$1" | wc -l)
  t1=$(date +%s.%N)
  echo "$n $(python3 -c "print(round($t1 - $t0, 3))")"
}
read -r COLD_LINES COLD_S < <(export_one t11)
COLD_RATE=$(python3 -c "print(int($COLD_LINES / $COLD_S))")
WARM=()
for t in t12 t13 t14; do WARM+=("$(export_one $t)"); done
read -r LINES EXPORT_S EXPORT_RATE < <(printf '%s\n' "${WARM[@]}" \
  | python3 -c 'import sys; r=sorted((int(n)/float(s), n, s) for n, s in (l.split() for l in sys.stdin)); m=r[1]; print(m[1], m[2], int(m[0]))')
WARM_ALL=$(printf '%s\n' "${WARM[@]}" | python3 -c 'import sys; print(", ".join(str(int(int(n)/float(s))) for n, s in (l.split() for l in sys.stdin)))')

echo "== purge of one day"
OLDEST=$("${PSQL[@]}" -At -c "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
  JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'audit_record' AND c.relname LIKE 'audit_record_d%'
  ORDER BY c.relname LIMIT 1")
OLDEST_ROWS=$("${PSQL[@]}" -At -c "SELECT count(*) FROM $OLDEST")
PURGE_MS=$("${PSQL[@]}" -At -c "\\timing on" -c "DROP TABLE $OLDEST" | grep -o 'Time: [0-9.]*' | awk '{print $2}')

NPROC=$(nproc); RAM=$(free -g | awk '/Mem:/{print $2 " GiB"}')
PGV=$("${PSQL[@]}" -At -c "SHOW server_version")
CPU=$(lscpu 2>/dev/null | awk -F: '/Model name/{gsub(/^ +/,"",$2); print $2; exit}')
verdict() { python3 -c "print('met' if $1 else 'MISSED')"; }
cat > bench/audit/RESULTS.md <<MD
# Audit benchmark results

Run by \`bench/audit/run.sh\` on $(date -u +%Y-%m-%d). Machine: $NPROC CPUs ($CPU), $RAM RAM,
PostgreSQL $PGV (throwaway cluster, shared_buffers=512MB, synchronous_commit=off), gateway = packaged jar (JVM).

Data: $ROWS audit rows over 4 days, 50 tenants, 20k subjects, daily partitions (seeded in ${SEED_S}s).
Pages and export go through the operator API on the management port (curl, median of 7).

| measure | result | target | |
|---|---|---|---|
| newest page, limit 50, one tenant | ${PAGE_T} ms | < 100 ms | $(verdict "$PAGE_T < 100") |
| second page (after cursor), one tenant | ${PAGE_2} ms | < 100 ms | $(verdict "$PAGE_2 < 100") |
| newest page, limit 50, tenant + subject | ${PAGE_TS} ms | < 100 ms | $(verdict "$PAGE_TS < 100") |
| NDJSON export, one tenant, steady state: median of 3 tenants ($WARM_ALL records/s); median run $LINES records in ${EXPORT_S}s | ${EXPORT_RATE} records/s | > 50k/s | $(verdict "$EXPORT_RATE > 50000") |
| (NDJSON export, first of the run: export path not yet compiled by the JIT; $COLD_LINES records in ${COLD_S}s) | ${COLD_RATE} records/s | (for information) | |
| purge of one day ($OLDEST, $OLDEST_ROWS rows): DROP TABLE, as the retention job does | ${PURGE_MS} ms | < 1 s | $(verdict "$PURGE_MS < 1000") |
MD
cat bench/audit/RESULTS.md
