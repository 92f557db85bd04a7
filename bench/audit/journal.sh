#!/usr/bin/env bash
# The audit journal's append cost per record (the audit's only work on the request path), 1 and 2 threads.
# Needs a build: ./mvnw -Dquick package -DskipTests. Usage: bench/audit/journal.sh [records]
set -euo pipefail
cd "$(dirname "$0")/../.."
classes=gateway/target/classes
lib="gateway/target/quarkus-app/lib/main/*"
[ -d "$classes" ] && ls gateway/target/quarkus-app/lib/main >/dev/null 2>&1 || { echo "build first: ./mvnw -Dquick package -DskipTests" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
javac -d "$out" -cp "$classes:$lib" bench/audit/JournalAppend.java
java -Xmx256m -cp "$out:$classes:$lib" io.damoov.gateway.audit.JournalAppend "${1:-1000000}"
