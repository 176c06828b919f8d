#!/usr/bin/env bash
# Where the CPU goes per request when the WebFlux example uses the Redis store: the whole machine, the server's
# JVM and redis-server (from INFO cpu), and how many requests share one MGET (INFO commandstats), for the
# protected GET /api/documents and the same endpoint without the filter, alternating, after a 20 s warm-up of
# each. Usage: REDIS_URL=redis://127.0.0.1:6379 caracal-bench/http-cpu-split.sh [seconds per run] [rounds]
# (defaults 15 and 2). The machine totals come from /proc/stat, so run it on a machine doing nothing else.
# Needs wrk and redis-cli. Builds caracal-bench first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-15}"
rounds="${2:-2}"
: "${REDIS_URL:?set REDIS_URL to the Redis the example should use}"
for tool in wrk redis-cli; do command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 2; }; done
. caracal-bench/throughput-servers.sh
start_throughput_servers webflux
tick="$(getconf CLK_TCK)"
jvm() { awk '{print $14 + $15}' "/proc/$server/stat"; }
machine() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }
redis_cpu() { redis-cli -u "$REDIS_URL" info cpu | awk -F: '/^used_cpu_(sys|user):/ {s += $2} END {printf "%.6f", s}'; }
mgets() { redis-cli -u "$REDIS_URL" info commandstats | awk -F'[=,:]' '/^cmdstat_mget:/ {print $3} END {print 0}' | head -1; }
echo "| Endpoint | req/s | machine CPU µs/req | JVM CPU µs/req | redis-server CPU µs/req | requests per MGET |"
echo "|---|---:|---:|---:|---:|---:|"
for _ in $(seq 1 "$rounds"); do
  for target in "$base" "$control"; do
    j0="$(jvm)"; s0="$(machine)"; r0="$(redis_cpu)"; m0="$(mgets)"
    requests="$(wrk -t2 -c32 -d"${seconds}s" -H "Authorization: Bearer $token" "$target/api/documents" | awk '/requests in/ {print $1}')"
    j1="$(jvm)"; s1="$(machine)"; r1="$(redis_cpu)"; m1="$(mgets)"
    name=protected; [ "$target" = "$control" ] && name="without the filter"
    awk -v name="$name" -v n="$requests" -v d="$seconds" -v k="$tick" -v j=$((j1 - j0)) -v s=$((s1 - s0)) \
        -v r0="$r0" -v r1="$r1" -v m=$((m1 - m0)) 'BEGIN {
      printf "| %s | %.0f | %.1f | %.1f | %.1f | %s |\n", name, n / d, 1e6 * s / k / n, 1e6 * j / k / n,
        1e6 * (r1 - r0) / n, (m > 0 ? sprintf("%.1f", n / m) : "–") }'
  done
done
