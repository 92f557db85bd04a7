#!/usr/bin/env bash
# What one audit record costs the embedded H2 store (the gateway's own insert, shipped schema and URL), by batch
# size and variant. Needs a build: ./mvnw -Dquick package -DskipTests. Usage: bench/audit/h2.sh [records] [variant...]
set -euo pipefail
. "$(dirname "$0")/common.sh"
javac -d "$out" -cp "$classes:$lib" bench/audit/H2Insert.java
records=${1:-200000}
shift || true
for variant in "${@:-shipped}"; do
  java -Xmx256m -cp "$out:$classes:$lib" io.damoov.gateway.store.H2Insert "$records" "$variant"
done
