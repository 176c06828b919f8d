#!/usr/bin/env bash
# HTTP throughput of an example's protected GET /api/documents (repeat-use mandate) versus the same endpoint
# on the same server stack without the filter, and versus the example's excluded /healthz, measured by wrk on
# loopback. Usage: caracal-bench/http-throughput.sh [seconds per run] [servlet|webflux|webflux-floor-thread|webflux-floor-loop]
# (defaults 6 and servlet: Jetty 12 + CaracalFilter; webflux: Reactor Netty + CaracalWebFilter).
# webflux-floor-thread and webflux-floor-loop put in place of the protected example the control's own routes
# behind a filter that verifies nothing and only waits, completed on another thread or queued on the
# request's own loop (AsyncFloor): what asynchrony alone costs on Reactor Netty.
# ROUNDS=5 by default: every round runs each endpoint once, after a 20 s warm-up of each server.
# REDIS_URL=redis://... makes the example use the Redis revocation store (a namespace of its own), else the
# in-memory store. Builds caracal-bench first. Needs wrk (Debian: apt-get install wrk).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
seconds="${1:-6}"
stack="${2:-servlet}"
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
. caracal-bench/throughput-servers.sh
start_throughput_servers "$stack"
run() { wrk -t2 -c32 -d"${seconds}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
# Every request carries the same mandate, so the only difference is verification. Loopback throughput on a
# small machine swings by tens of percent from one run to the next, so the three endpoints take turns,
# round after round, and the ratios are the medians of the per-round ratios.
rounds="${ROUNDS:-5}"
ratios=()
for round in $(seq 1 "$rounds"); do
  protected="$(run -H "Authorization: Bearer $token" "$base/api/documents")"
  plain="$(run -H "Authorization: Bearer $token" "$control/api/documents")"
  excluded="$(run -H "Authorization: Bearer $token" "$base/healthz")"
  echo "round $round: protected $protected req/s, same endpoint without the filter $plain req/s, excluded /healthz $excluded req/s"
  ratios+=("$(awk -v p="$protected" -v o="$plain" 'BEGIN { printf "%.1f", 100 * p / o }') $(awk -v p="$protected" -v o="$excluded" 'BEGIN { printf "%.1f", 100 * p / o }')")
done
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "protected / no filter (median of $rounds rounds) : $(printf '%s\n' "${ratios[@]}" | awk '{print $1}' | median) %"
echo "protected / excluded  (median of $rounds rounds) : $(printf '%s\n' "${ratios[@]}" | awk '{print $2}' | median) %"
