#!/usr/bin/env bash
# Dev mode with the whole path over TLS (README, "The two commands"): makes the dev PKI, then runs
#   ./mvnw quarkus:dev -Dquarkus.profile=dev,dev-tls
# The PKI (a private CA, the sandbox's certificate for localhost and 127.0.0.1, a trust store holding the CA) goes to
# target/dev-pki (DEV_PKI_DIR to choose another directory) with stable names: dev-ca.pem (for curl --cacert),
# dev-trust.p12 (the gateway's TLS registry entry dev-sandbox), dev-server.p12 (the sandbox's key store); password
# changeit. Kept when it is there and valid for another week, made anew otherwise. It must exist before quarkus:dev
# starts: the TLS registry reads its trust store at start, before the sandbox would be there to make it.
#
#   scripts/dev-tls.sh               the PKI, then dev mode (further arguments go to ./mvnw)
#   scripts/dev-tls.sh --pki-only    the PKI only
#
# Needs a JDK 17 or newer (java and keytool); the PKI needs nothing else (the JDK's source launcher runs
# sandbox/.../SandboxPki.java).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pki="${DEV_PKI_DIR:-$root/target/dev-pki}"
mkdir -p "$pki"
pki="$(cd "$pki" && pwd)"
java_bin="java"
if [[ -n "${JAVA_HOME:-}" ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

"$java_bin" "$root/sandbox/src/main/java/io/damoov/gateway/sandbox/SandboxPki.java" "$pki"

if [[ "${1:-}" == "--pki-only" ]]; then
  exit 0
fi

cd "$root"
exec ./mvnw quarkus:dev -Dquarkus.profile=dev,dev-tls "-Ddev-tls.pki=$pki" "$@"
