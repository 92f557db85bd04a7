#!/usr/bin/env bash
# The audit's cost per record on the request path, 1 and 2 threads: the journal's append (PostgreSQL), and the
# embedded store's own append, which takes the journal's place there.
# Needs a build: ./mvnw -Dquick package -DskipTests. Usage: bench/audit/journal.sh [records]
set -euo pipefail
. "$(dirname "$0")/common.sh"
javac -d "$out" -cp "$classes:$lib" bench/audit/JournalAppend.java bench/audit/FileAppend.java
java -Xmx256m -cp "$out:$classes:$lib" io.damoov.gateway.audit.JournalAppend "${1:-1000000}"
java -Xmx256m -cp "$out:$classes:$lib" io.damoov.gateway.store.FileAppend "${1:-1000000}"
