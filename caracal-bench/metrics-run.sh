#!/usr/bin/env bash
# The real run behind docs/OPERATIONS.md's dashboard picture: a Caracal-protected JDK HttpServer with its
# metrics on a Prometheus registry, bounded mixed traffic, a JWKS outage, a forged-mandate burst and a
# Redis that vanishes and comes back (MetricsRun), scraped every 5 s; then the dashboard's panels drawn
# from those scrapes (DashboardRenderer).
# Usage: caracal-bench/metrics-run.sh [scale]   (default 1 = 8 minutes; REDIS_URL default redis://127.0.0.1:6379)
# Writes caracal-bench/target/metrics-run/{scrapes.txt,phases.txt,dashboard.png}.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scale="${1:-1}"
redis="${REDIS_URL:-redis://127.0.0.1:6379}"
out="caracal-bench/target/metrics-run"
./mvnw -B -q -DskipTests -Djazzer.skip -pl caracal-bench -am package
cp="caracal-bench/target/caracal-bench.jar:caracal-bench/target/lib/*"
java -Xms256m -Xmx512m -cp "$cp" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  ai.caracal.bench.ops.MetricsRun "$redis" "$out" "$scale"
java -Djava.awt.headless=true -cp "$cp" ai.caracal.bench.ops.DashboardRenderer \
  docs/operations/caracal-dashboard.json "$out" "$out/dashboard.png"
echo "wrote $out/dashboard.png"
