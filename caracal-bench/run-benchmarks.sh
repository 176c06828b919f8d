#!/usr/bin/env bash
# Reproduces the comparison in docs/PERFORMANCE.md: builds the benchmarks, runs them with JMH (-prof gc),
# then regenerates the results table and docs/performance-chart.png from the JMH JSON.
# Extra arguments go to JMH, e.g.:  caracal-bench/run-benchmarks.sh -f 2 -wi 5 -i 8
# With SECOND_JDK set to another JDK's home (e.g. SECOND_JDK=/usr/lib/jvm/temurin-25-jdk-amd64), the same
# benchmarks run again on that JDK, and its table fills the second-JDK section of docs/PERFORMANCE.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -q -DskipTests -pl caracal-bench -am package
java -jar caracal-bench/target/caracal-bench.jar -prof gc -rf json -rff caracal-bench/target/jmh.json "$@"
second=()
if [[ -n "${SECOND_JDK:-}" ]]; then
  "$SECOND_JDK/bin/java" -jar caracal-bench/target/caracal-bench.jar -prof gc -rf json -rff caracal-bench/target/jmh-second-jdk.json "$@"
  second=(caracal-bench/target/jmh-second-jdk.json)
fi
java -cp "caracal-bench/target/caracal-bench.jar:caracal-bench/target/lib/*" ai.caracal.bench.report.PerformanceReport \
  caracal-bench/target/jmh.json docs/PERFORMANCE.md docs/performance-chart.png "${second[@]}"
echo "updated docs/PERFORMANCE.md and docs/performance-chart.png"
