#!/usr/bin/env bash
# Reproduces the comparison in docs/PERFORMANCE.md: builds the benchmarks, runs them with JMH (-prof gc),
# then regenerates the results table and docs/performance-chart.png from the JMH JSON.
# Extra arguments go to JMH, e.g.:  caracal-bench/run-benchmarks.sh -f 2 -wi 5 -i 8
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -DskipTests -pl caracal-bench -am package
java -jar caracal-bench/target/caracal-bench.jar -prof gc -rf json -rff caracal-bench/target/jmh.json "$@"
java -cp "caracal-bench/target/caracal-bench.jar:caracal-bench/target/lib/*" ai.caracal.bench.report.PerformanceReport \
  caracal-bench/target/jmh.json docs/PERFORMANCE.md docs/performance-chart.png
echo "updated docs/PERFORMANCE.md and docs/performance-chart.png"
