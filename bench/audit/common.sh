# Sourced by the audit benchmarks that run the gateway's built classes: checks the build, sets $classes, $lib and a
# temporary $out (removed at exit) to compile the benchmark into.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
classes=gateway/target/classes
lib="gateway/target/quarkus-app/lib/main/*:gateway/target/quarkus-app/lib/boot/*"
[ -d "$classes" ] && ls gateway/target/quarkus-app/lib/main >/dev/null 2>&1 || { echo "build first: ./mvnw -Dquick package -DskipTests" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
