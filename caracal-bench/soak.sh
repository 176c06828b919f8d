#!/usr/bin/env bash
# Bounded soak of the servlet example (Jetty 12 + CaracalFilter + Redis revocations) under mixed traffic:
# valid, invalid, revoked and rotated-key mandates while revocations arrive on caracal.sessions.revoke.
# Prints a report (requests, unexpected answers, heap after GC, threads) and exits 1 when the soak fails.
# Usage: caracal-bench/soak.sh [minutes]   (default 5; REDIS_URL default redis://127.0.0.1:6379)
# The example uses the production stream and group names: give the soak a Redis no other resource server reads.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
minutes="${1:-5}"
[[ "$minutes" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [minutes]" >&2; exit 2; }
redis="${REDIS_URL:-redis://127.0.0.1:6379}"
./mvnw -B -q -DskipTests -pl caracal-bench -am package
exec java -Xms256m -Xmx512m -cp "caracal-bench/target/caracal-bench.jar:caracal-bench/target/lib/*" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ai.caracal.bench.load.Soak "$redis" "$((minutes * 60))"
