#!/usr/bin/env bash
# HTTP throughput of the servlet example's protected GET /api/documents (Jetty 12 + CaracalFilter, repeat-use
# mandate) versus the same endpoint on the same Jetty set-up without the filter, and versus the example's
# excluded /healthz, measured by wrk on loopback. Usage: caracal-bench/http-throughput.sh [seconds]
# Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-10}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
./mvnw -B -q -DskipTests -pl caracal-bench -am package
out="$(mktemp)"
java -cp "caracal-bench/target/caracal-bench.jar:caracal-bench/target/lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  ai.caracal.bench.load.HttpThroughputServer > "$out" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 100); do grep -q '^ready$' "$out" && break; sleep 0.2; done
base="$(sed -n 1p "$out")"; token="$(sed -n 2p "$out")"; control="$(sed -n 3p "$out")"
run() { wrk -t2 -c32 -d"${seconds}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
run -H "Authorization: Bearer $token" "$base/api/documents" >/dev/null   # warm-up (JIT, token cache)
run -H "Authorization: Bearer $token" "$control/api/documents" >/dev/null
# Every request carries the same mandate, so the only difference is verification.
protected="$(run -H "Authorization: Bearer $token" "$base/api/documents")"
plain="$(run -H "Authorization: Bearer $token" "$control/api/documents")"
excluded="$(run -H "Authorization: Bearer $token" "$base/healthz")"
echo "no filter    GET /api/documents  : $plain req/s"
echo "excluded     GET /healthz        : $excluded req/s"
echo "protected    GET /api/documents  : $protected req/s"
awk -v p="$protected" -v o="$plain" 'BEGIN { printf "protected / no filter          : %.1f %%\n", 100 * p / o }'
awk -v p="$protected" -v o="$excluded" 'BEGIN { printf "protected / excluded           : %.1f %%\n", 100 * p / o }'
