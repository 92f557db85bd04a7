#!/usr/bin/env bash
# The audit journal's append cost per record (the audit's only work on the request path), 1 and 2 threads.
# Needs a build: ./mvnw -Dquick package -DskipTests. Usage: bench/audit/journal.sh [records]
set -euo pipefail
. "$(dirname "$0")/common.sh"
javac -d "$out" -cp "$classes:$lib" bench/audit/JournalAppend.java
java -Xmx256m -cp "$out:$classes:$lib" io.damoov.gateway.audit.JournalAppend "${1:-1000000}"
