#!/usr/bin/env bash
# Per-thread CPU and context switches of a running gateway, per request, over an interval under load:
#   bench/proxy/threads.sh PID MANAGEMENT_PORT [SECONDS=10]
# (e.g. while bench/proxy/run.sh runs a long round: the audit-on gateway is the java process on port 23080,
# its management port 23100). Threads are grouped by name (the kernel's 15-character comm); requests are
# gateway_requests_seconds_count from /q/metrics. Much steadier than req/s for an A/B of a change.
set -euo pipefail
pid=$1; mg=$2; secs=${3:-10}
hz=$(getconf CLK_TCK)
requests() { curl -fsS "http://127.0.0.1:$mg/q/metrics" | awk '/^gateway_requests_seconds_count/ {s += $2} END {printf "%d", s}'; }
snapshot() { # name voluntary nonvoluntary ticks, summed per thread name
    for t in /proc/"$pid"/task/*; do
        printf '%s %s %s %s\n' "$(tr ' ' '_' <"$t/comm")" \
            "$(awk '/^voluntary_ctxt/ {print $2}' "$t/status")" "$(awk '/^nonvoluntary_ctxt/ {print $2}' "$t/status")" \
            "$(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')"
    done 2>/dev/null | awk '{v[$1] += $2; n[$1] += $3; c[$1] += $4} END {for (k in v) print k, v[k], n[k], c[k]}' | sort
}
r0=$(requests); snapshot >"${TMPDIR:-/tmp}/threads.$$.0"
sleep "$secs"
r1=$(requests); snapshot >"${TMPDIR:-/tmp}/threads.$$.1"
n=$((r1 - r0))
echo "requests: $n in ${secs}s; RSS $(awk '/^VmRSS/ {print $2}' /proc/"$pid"/status) kB"
printf '%-18s %12s %14s %16s\n' thread "CPU µs/req" "voluntary/req" "involuntary/s"
join "${TMPDIR:-/tmp}/threads.$$.0" "${TMPDIR:-/tmp}/threads.$$.1" | awk -v n="$n" -v hz="$hz" -v s="$secs" '
    { c = ($7 - $4) * 1e6 / hz / (n > 0 ? n : 1); total += c
      if (c >= 0.05 || $5 - $2 > 100) printf "%-18s %12.2f %14.3f %16.0f\n", $1, c, ($5 - $2) / (n > 0 ? n : 1), ($6 - $3) / s }
    END { printf "%-18s %12.2f\n", "total", total }'
rm -f "${TMPDIR:-/tmp}/threads.$$.0" "${TMPDIR:-/tmp}/threads.$$.1"
